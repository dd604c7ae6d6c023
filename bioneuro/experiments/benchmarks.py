"""The Brette et al. (2007) benchmark networks as built-in experiments.

``cuba``, ``coba`` and ``cobahh`` run the Brette et al. (2007) benchmark networks for 1 s
with dt = 0.1 ms, recording all spikes and the membrane potential of two neurons per
population.
"""

from brian2.units import ms, second

from bioneuro.regions import balanced_networks
from bioneuro.registry import register
from bioneuro.spec import Experiment, Recording, StateProbe

__all__ = ["cuba", "coba", "cobahh"]


def _benchmark(template, scale, duration, dt, seed):
    circuit = template(scale)
    recording = Recording(spikes="all", state=(StateProbe("E", ("v",), 2),
                                               StateProbe("I", ("v",), 2)))
    return Experiment(template.__name__, circuit, recording=recording, duration=duration,
                      dt=dt, seed=seed, description=circuit.description)


def cuba(scale=1.0, duration=1 * second, dt=0.1 * ms, seed=1):
    """CUBA benchmark (4000 current-based LIF neurons at ``scale=1``)."""
    return _benchmark(balanced_networks.cuba, scale, duration, dt, seed)


def coba(scale=1.0, duration=1 * second, dt=0.1 * ms, seed=1):
    """COBA benchmark (4000 conductance-based LIF neurons at ``scale=1``)."""
    return _benchmark(balanced_networks.coba, scale, duration, dt, seed)


def cobahh(scale=1.0, duration=1 * second, dt=0.1 * ms, seed=1):
    """COBAHH benchmark (4000 Hodgkin-Huxley neurons at ``scale=1``)."""
    return _benchmark(balanced_networks.cobahh, scale, duration, dt, seed)


for _factory in (cuba, coba, cobahh):
    register("experiments", _factory.__name__, _factory)
