"""Homeostatic multiplicative synaptic scaling towards a target rate.

Every synapse onto a neuron is scaled by the same factor, driven by the difference between
the neuron's rate (an exponential trace ``a`` of its spikes, ``tau_rate da/dt = -a``,
``a += 1/tau_rate`` per spike) and a target ``nu_target``::

    tau_scale dw/dt = w (1 - a/nu_target)

(van Rossum, Bi & Turrigiano 2000, with ``beta = 1/(tau_scale nu_target)``). The trace is
identical in all synapses of a postsynaptic neuron, so their weights keep their ratios:
the multiplicative scaling of miniature EPSC amplitudes seen by Turrigiano et al. (1998).
"""

from bioneuro.models.plasticity.rule import register_rule
from brian2.units import Hz, second

from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["synaptic_scaling", "scaling"]

TURRIGIANO_1998 = Reference("Turrigiano, Leslie, Desai, Rutherford & Nelson (1998) "
                            "Activity-dependent scaling of quantal amplitude in neocortical "
                            "neurons, Nature 391:892", "10.1038/36103")
VAN_ROSSUM_2000 = Reference("van Rossum, Bi & Turrigiano (2000) Stable Hebbian learning from "
                            "spike timing-dependent plasticity, J Neurosci 20:8812",
                            "10.1523/JNEUROSCI.20-23-08812.2000")


def synaptic_scaling(nu_target=5 * Hz, tau_scale=10 * second, tau_rate=1 * second,
                     name="scaling"):
    """Multiplicative synaptic scaling synapse model.

    Parameters
    ----------
    nu_target : Quantity
        Target postsynaptic rate.
    tau_scale : Quantity
        Scaling time constant (hours in cortex; seconds to minutes in simulations).
    tau_rate : Quantity
        Rate-detector time constant (shorter than `tau_scale`).
    name : str
    """
    return SynapseModel(
        name=name,
        model="\n".join([
            "dw/dt = w*(1 - arate/nu_target)/tau_scale : {weight_unit} (clock-driven)",
            "darate/dt = -arate/tau_rate : Hz (clock-driven)",
        ]),
        on_pre="{target}_post += w",
        on_post="arate += 1/tau_rate",
        parameters={
            "nu_target": Parameter("Hz", nu_target, "target postsynaptic rate",
                                   low="0.001 Hz", shared=True),
            "tau_scale": Parameter("s", tau_scale, "scaling time constant", low="1 ms",
                                   shared=True),
            "tau_rate": Parameter("s", tau_rate, "rate-detector time constant",
                                  low="0.01 ms", shared=True),
        },
        method="euler",
        description="Homeostatic multiplicative synaptic scaling towards nu_target.",
        references=(TURRIGIANO_1998, VAN_ROSSUM_2000),
        tags=("plasticity", "homeostatic"),
    )


scaling = register_rule(synaptic_scaling())
