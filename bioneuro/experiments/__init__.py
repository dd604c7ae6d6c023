"""Built-in experiments: circuit + protocol + recording + duration + dt + seed.

One module per family; each registers its experiments when it is imported (``bioneuro
list experiments`` imports them all; ``bioneuro run NAME`` only the module that defines
NAME, see `bioneuro.registry`). The names below are attributes of this package, imported
on first use.
"""

from bioneuro.lazy_exports import lazy_exports

_EXPORTS = dict.fromkeys(["cuba", "coba", "cobahh"], "bioneuro.experiments.benchmarks")

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
