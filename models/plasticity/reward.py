"""Reward-modulated (three-factor) STDP with an eligibility trace (Izhikevich 2007).

Spike pairs do not change the weight directly but tag the synapse: a pair-based STDP
window updates an eligibility trace ``c`` that decays with ``tau_c`` (about 1 s), and the
weight follows the product of the tag and the dopamine concentration ``DA`` of the
postsynaptic neuron (see `signals.dopamine_signal`)::

    tau_c dc/dt = -c,  c += A_plus apre  (post spike),  c -= A_minus apost  (pre spike)
    dw/dt = kappa w_ref c DA

A reward delivered a second after a causal pairing still potentiates that synapse (the
distal reward problem). Weights are kept in ``[0, w_max]`` at every spike of the synapse.
"""

from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from bioneuro.models.plasticity.signals import IZHIKEVICH_2007
from brian2.units import ms, nS, second, uM

from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["reward_stdp", "da_stdp", "FREMAUX_2016"]

FREMAUX_2016 = Reference("Fremaux & Gerstner (2016) Neuromodulated spike-timing-dependent "
                         "plasticity, and theory of three-factor learning rules, Front "
                         "Neural Circuits 9:85", "10.3389/fncir.2015.00085")


def reward_stdp(w_ref=1 * nS, w_max=4 * nS, A_plus=1.0, A_minus=1.5, tau_plus=20 * ms,
                tau_minus=20 * ms, tau_c=1 * second, kappa=1 / (uM * second),
                name="da_stdp"):
    """Dopamine-modulated STDP synapse model.

    Parameters
    ----------
    w_ref : Quantity
        Weight scale of the eligibility trace.
    w_max : Quantity
        Upper weight bound.
    A_plus, A_minus : float
        Amplitudes of the STDP window applied to ``c`` (Izhikevich 2007: 1.0, 1.5).
    tau_plus, tau_minus : Quantity
        Window time constants (20 ms).
    tau_c : Quantity
        Eligibility-trace time constant (1 s).
    kappa : Quantity
        Learning rate per unit dopamine (1/(uM s)).
    name : str
    """
    bound = "w = clip(w, 0*w_max, w_max)"
    return SynapseModel(
        name=name,
        model="\n".join([
            "dw/dt = kappa*w_ref*c*DA_post : {weight_unit} (clock-driven)",
            "dc/dt = -c/tau_c : 1 (clock-driven)",
            "dapre/dt = -apre/tau_plus : 1 (event-driven)",
            "dapost/dt = -apost/tau_minus : 1 (event-driven)",
        ]),
        on_pre="\n".join(["{target}_post += w", "apre += 1", "c -= A_minus*apost", bound]),
        on_post="\n".join(["apost += 1", "c += A_plus*apre", bound]),
        parameters={
            "w_ref": weight_parameter(w_ref, "weight scale of the eligibility trace"),
            "w_max": weight_parameter(w_max, "upper weight bound"),
            "A_plus": Parameter("1", A_plus, "eligibility increment of a causal pair",
                                low=0, shared=True),
            "A_minus": Parameter("1", A_minus, "eligibility decrement of an acausal pair",
                                 low=0, shared=True),
            "tau_plus": Parameter("ms", tau_plus, "potentiation window", low="0.01 ms",
                                  shared=True),
            "tau_minus": Parameter("ms", tau_minus, "depression window", low="0.01 ms",
                                   shared=True),
            "tau_c": Parameter("s", tau_c, "eligibility-trace time constant", low="1 ms",
                               shared=True),
            "kappa": Parameter("1/(uM*second)", kappa, "learning rate per unit dopamine",
                               low=0 * kappa, shared=True),
        },
        method="euler",
        description="Dopamine-modulated STDP with an eligibility trace (Izhikevich 2007).",
        references=(IZHIKEVICH_2007, FREMAUX_2016),
        tags=("plasticity", "three-factor", "reward"),
    )


da_stdp = register_rule(reward_stdp())
