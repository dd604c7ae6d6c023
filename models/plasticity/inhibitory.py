"""Inhibitory spike-timing-dependent plasticity (Vogels et al. 2011).

A symmetric Hebbian window on inhibitory synapses, with a constant depression ``alpha`` per
presynaptic spike::

    pre spike:   w += eta w_ref (x_post - alpha)
    post spike:  w += eta w_ref x_pre

with traces ``x`` (``tau_stdp dx/dt = -x``, ``x += 1`` per spike) and
``alpha = 2 nu_target tau_stdp``. The expected drift vanishes when the postsynaptic rate is
``nu_target``: inhibition grows while the cell fires faster and shrinks while it fires
slower, balancing excitation and inhibition (detailed balance) and driving the network into
an asynchronous irregular state.
"""

from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from brian2.units import Hz, ms, nS

from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["vogels_istdp", "istdp"]

VOGELS_2011 = Reference("Vogels, Sprekeler, Zenke, Clopath & Gerstner (2011) Inhibitory "
                        "plasticity balances excitation and inhibition in sensory pathways "
                        "and memory networks, Science 334:1569", "10.1126/science.1211095")


def vogels_istdp(w_ref=1 * nS, w_max=100 * nS, eta=0.01, nu_target=5 * Hz,
                 tau_stdp=20 * ms, name="istdp"):
    """Vogels et al. (2011) inhibitory STDP synapse model.

    Parameters
    ----------
    w_ref : Quantity
        Weight scale of the updates (Vogels' ``g_bar``: weights are ``w/w_ref`` times it).
    w_max : Quantity
        Upper weight bound.
    eta : float
        Learning rate.
    nu_target : Quantity
        Target postsynaptic rate (``rho_0``).
    tau_stdp : Quantity
        Time constant of the symmetric window (20 ms).
    name : str
    """
    return SynapseModel(
        name=name,
        model="\n".join([
            "w : {weight_unit}",
            "dxpre/dt = -xpre/tau_stdp : 1 (event-driven)",
            "dxpost/dt = -xpost/tau_stdp : 1 (event-driven)",
        ]),
        on_pre="\n".join([
            "{target}_post += w",
            "xpre += 1",
            "w = clip(w + eta*w_ref*(xpost - 2*nu_target*tau_stdp), 0*w_max, w_max)",
        ]),
        on_post="\n".join([
            "xpost += 1",
            "w = clip(w + eta*w_ref*xpre, 0*w_max, w_max)",
        ]),
        parameters={
            "w_ref": weight_parameter(w_ref, "weight scale of the updates"),
            "w_max": weight_parameter(w_max, "upper weight bound"),
            "eta": Parameter("1", eta, "learning rate", low=0, shared=True),
            "nu_target": Parameter("Hz", nu_target, "target postsynaptic rate (rho_0)",
                                   low="0 Hz", shared=True),
            "tau_stdp": Parameter("ms", tau_stdp, "time constant of the symmetric window",
                                  low="0.01 ms", shared=True),
        },
        description="Inhibitory STDP (Vogels et al. 2011) driving the postsynaptic rate "
                    "to nu_target.",
        references=(VOGELS_2011,),
        tags=("plasticity", "inhibitory", "homeostatic"),
    )


istdp = register_rule(vogels_istdp())
