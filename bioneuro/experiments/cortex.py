"""Cortical circuits as built-in experiments: ``cortex`` (pyramidal/PV/SST column),
``microcircuit`` (Potjans & Diesmann 2014) and ``multi_area`` (hierarchy of E/I areas).

Each records every spike and runs long enough to measure its published or expected activity
after the onset transient (the first 200 ms): the column's asynchronous irregular state,
the microcircuit's layer-specific rates, the multi-area hierarchy's response to a stimulus
of the input area (300-600 ms).
"""

from brian2.units import ms, second

from bioneuro.regions.cortex import cortical_column
from bioneuro.regions.multi_area import multi_area as multi_area_circuit
from bioneuro.regions.potjans_diesmann import potjans_diesmann
from bioneuro.registry import register
from bioneuro.spec import Experiment, Recording, StateProbe

__all__ = ["cortex", "microcircuit", "multi_area"]


def cortex(scale=0.25, duration=1 * second, dt=0.1 * ms, seed=1):
    """Cortical column (1000 neurons at ``scale=0.25``): spikes and two PYR voltages."""
    circuit = cortical_column(scale)
    recording = Recording(spikes="all", state=(StateProbe("PYR", ("v",), 2),))
    return Experiment("cortex", circuit, recording=recording, duration=duration, dt=dt,
                      seed=seed, description=circuit.description)


def microcircuit(scale=0.1, duration=1.2 * second, dt=0.1 * ms, seed=1, k_scale=None,
                 background="poisson"):
    """PD14 microcircuit (7717 neurons at ``scale=0.1``, in-degrees x ``k_scale``)."""
    circuit = potjans_diesmann(scale, k_scale=k_scale, background=background)
    return Experiment("microcircuit", circuit, recording=Recording(spikes="all"),
                      duration=duration, dt=dt, seed=seed, description=circuit.description)


def multi_area(scale=1.0, duration=0.8 * second, dt=0.1 * ms, seed=1,
               areas=("V1", "V2", "V4")):
    """Area hierarchy (default V1 -> V2 -> V4), stimulus to the first area during 300-600 ms,
    readout of the last."""
    circuit = multi_area_circuit(areas, scale=scale, inputs=areas[:1], readouts=areas[-1:])
    return Experiment("multi_area", circuit, recording=Recording(spikes="all"),
                      duration=duration, dt=dt, seed=seed, description=circuit.description)


for _factory in (cortex, microcircuit, multi_area):
    register("experiments", _factory.__name__, _factory)
