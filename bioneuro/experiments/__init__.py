"""Built-in experiments: circuit + protocol + recording + duration + dt + seed.

One module per family; importing this package registers them all
(``bioneuro list experiments``, ``bioneuro run NAME``).
"""

from bioneuro.experiments import brainstem  # noqa: F401  (registers its experiments)
from bioneuro.experiments.benchmarks import coba, cobahh, cuba

__all__ = ["cuba", "coba", "cobahh"]
