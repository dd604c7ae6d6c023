"""bioneuro: biologically grounded neural circuits as Brian2 code, with labelled results.

Typical use::

    import bioneuro as bn
    from brian2 import second
    ds = bn.run("cuba", device="cpp_standalone", duration=1 * second, seed=1)
    bn.save(ds, "cuba.nc")
    ds2 = bn.load("cuba.nc")

Attributes are imported lazily, so ``bioneuro.load`` and ``bioneuro.analysis`` work on a
machine without Brian2.
"""

from bioneuro.lazy_exports import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "run": "bioneuro.simulate",
    "save": "bioneuro.storage",
    "load": "bioneuro.storage",
    "open_lazy": "bioneuro.storage",
    "sweep": "bioneuro.parameter_sweep",
    "sweep_point": "bioneuro.parameter_sweep",
    "Experiment": "bioneuro.spec",
    "Circuit": "bioneuro.spec",
    "Population": "bioneuro.spec",
    "Projection": "bioneuro.spec",
    "PoissonInput": "bioneuro.spec",
    "Recording": "bioneuro.spec",
    "StateProbe": "bioneuro.spec",
    "NeuronModel": "bioneuro.spec",
    "SynapseModel": "bioneuro.spec",
    "Parameter": "bioneuro.spec",
    "Reference": "bioneuro.spec",
    "combine": "bioneuro.regions.composition",
    "BioneuroError": "bioneuro.errors",
    "SpecError": "bioneuro.errors",
    "UnknownNameError": "bioneuro.errors",
    "BuildError": "bioneuro.errors",
    "SimulationError": "bioneuro.errors",
    "ResultFileError": "bioneuro.errors",
}

__all__ = ["__version__", *_EXPORTS]

__getattr__, __dir__ = lazy_exports("bioneuro", _EXPORTS, ["__version__"])
