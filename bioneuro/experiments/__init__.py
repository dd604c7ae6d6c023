"""Built-in experiments: circuit + protocol + recording + duration + dt + seed.

One module per family; importing this package registers them all
(``bioneuro list experiments``, ``bioneuro run NAME``).
"""

from bioneuro.experiments import cerebellum as _cerebellum  # noqa: F401  (registration)
from bioneuro.experiments.benchmarks import coba, cobahh, cuba

__all__ = ["cuba", "coba", "cobahh"]
