"""Third-factor signals delivered to postsynaptic neurons: dopamine and climbing fibres.

A three-factor rule needs, besides pre- and postsynaptic activity, a signal that reaches
the synapse from elsewhere. Here the signal is a variable of the postsynaptic neuron
(composed onto any library model as a `Mechanism`), driven through a synaptic channel of the
same name by any population: a dopaminergic population, a climbing-fibre population or a
protocol's spike source (reward times, an unconditioned stimulus). Plastic synapses read it
as ``<variable>_post``.

- `dopamine_signal`: extracellular dopamine ``DA`` (mM), ``tau_DA dDA/dt = -DA``; each
  spike of the dopamine projection adds its weight (Izhikevich 2007: 0.5 uM per reward,
  ``tau_DA = 200 ms``).
- `climbing_fibre_signal`: a short pulse ``cf`` (dimensionless, ``tau_cf dcf/dt = -cf``);
  each climbing-fibre spike adds the projection weight (use 1), so ``cf/tau_cf``
  integrates to one per complex spike.
"""

from bioneuro.models.composition import Mechanism, compose
from brian2.equations.equations import Equations
from brian2.units import ms, uM

from bioneuro.spec import Parameter, Reference

__all__ = ["dopamine_signal", "climbing_fibre_signal", "with_signal"]

IZHIKEVICH_2007 = Reference("Izhikevich (2007) Solving the distal reward problem through "
                            "linkage of STDP and dopamine signaling, Cereb Cortex 17:2443",
                            "10.1093/cercor/bhl152")


def dopamine_signal(tau=200 * ms):
    """Dopamine concentration ``DA`` decaying with ``tau_DA`` (channel ``dopamine``)."""
    return Mechanism(
        name="dopamine",
        equations="dDA/dt = -DA/tau_DA : mmolar",
        parameters={"tau_DA": Parameter("ms", tau, "dopamine uptake time constant",
                                         low="0.01 ms")},
        initial={"DA": 0 * uM},
        description="Extracellular dopamine DA (decay tau_DA), driven by the 'dopamine' "
                    "channel.",
        references=(IZHIKEVICH_2007,))


def climbing_fibre_signal(tau=2 * ms):
    """Climbing-fibre pulse ``cf`` decaying with ``tau_cf`` (channel ``climbing_fibre``)."""
    return Mechanism(
        name="climbing_fibre",
        equations="dcf/dt = -cf/tau_cf : 1",
        parameters={"tau_cf": Parameter("ms", tau, "climbing-fibre pulse time constant",
                                        low="0.01 ms")},
        initial={"cf": 0},
        description="Climbing-fibre pulse cf (decay tau_cf), driven by the 'climbing_fibre' "
                    "channel.",
        references=(Reference("Ito (2001) Cerebellar long-term depression: characterization, "
                              "signal transduction, and functional roles, Physiol Rev 81:1143",
                              "10.1152/physrev.2001.81.3.1143"),))


def with_signal(model, signal, name=None):
    """`model` with the `signal` mechanism composed on and a channel named after it.

    Parameters
    ----------
    model : NeuronModel
        A library model (assembled by `point_neuron`).
    signal : Mechanism
        `dopamine_signal()` or `climbing_fibre_signal()`.
    name : str, optional
        Name of the composed model (default ``<model>_<signal>``).
    """
    composed = compose(model, signal, name=name)
    (variable,) = Equations(signal.equations).diff_eq_names
    return composed.replace(synaptic_targets={**composed.synaptic_targets,
                                              signal.name: variable})
