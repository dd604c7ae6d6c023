"""Built-in experiments: circuit + protocol + recording + duration + dt + seed.

One module per family; importing this package registers them all
(``bioneuro list experiments``, ``bioneuro run NAME``).
"""

# modules, not their same-named functions (which would hide the modules)
from bioneuro.experiments import (  # noqa: F401
    brainstem,
    cerebellum,
    continual,
    cortex,
    learning,
    receptive_fields,
    reinforcement,
    rnn,
    sensorimotor,
)
from bioneuro.experiments import decision as _decision  # noqa: F401
from bioneuro.experiments.benchmarks import coba, cobahh, cuba

__all__ = ["cuba", "coba", "cobahh"]
