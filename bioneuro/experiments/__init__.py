"""Built-in experiments: circuit + protocol + recording + duration + dt + seed.

One module per family; importing this package registers them all
(``bioneuro list experiments``, ``bioneuro run NAME``).
"""

from bioneuro.experiments.benchmarks import coba, cobahh, cuba
from bioneuro.experiments.cortex import cortex, microcircuit, multi_area  # noqa: F401

__all__ = ["cuba", "coba", "cobahh"]
