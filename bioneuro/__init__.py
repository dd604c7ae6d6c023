"""bioneuro: biologically grounded neural circuits as Brian2 code, with labelled results.

Typical use::

    import bioneuro as bn
    from brian2 import second
    ds = bn.run("cuba", device="cpp_standalone", duration=1 * second, seed=1)
    bn.save(ds, "cuba.nc")
    ds2 = bn.load("cuba.nc")
"""

import sys as _sys

__version__ = "0.1.0"

import brian2 as _brian2  # noqa: E402

# Brian2 replaces sys.excepthook with one that writes a debug log for *every* uncaught
# exception; bioneuro's own errors are user errors, so keep Python's hook.
if _sys.excepthook is not _sys.__excepthook__:
    _sys.excepthook = _sys.__excepthook__
del _brian2

from bioneuro.errors import (  # noqa: E402
    BioneuroError,
    BuildError,
    ResultFileError,
    SimulationError,
    SpecError,
    UnknownNameError,
)
from bioneuro.results import load, open_lazy, save  # noqa: E402
from bioneuro.simulate import run  # noqa: E402
from bioneuro.spec import (  # noqa: E402
    Circuit,
    Experiment,
    NeuronModel,
    Parameter,
    PoissonInput,
    Population,
    Projection,
    Recording,
    Reference,
    StateProbe,
    SynapseModel,
)

__all__ = [
    "__version__", "run", "save", "load", "open_lazy",
    "Experiment", "Circuit", "Population", "Projection", "PoissonInput", "Recording",
    "StateProbe", "NeuronModel", "SynapseModel", "Parameter", "Reference",
    "BioneuroError", "SpecError", "UnknownNameError", "BuildError", "SimulationError",
    "ResultFileError",
]
