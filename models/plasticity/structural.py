"""Structural plasticity: weak synapses are pruned and new ones grow at random free sites.

Brian2 cannot add or remove synapses during a run, so the projection's connectivity defines
the *potential* synapses (sites); each site is either occupied (``active = 1``) or empty
(``silent = 1``, weight 0, no transmission, no learning). At every presynaptic spike of a
site (Butz, Woergoetter & van Ooyen 2009 review the rules; this is the pruning/regrowth
scheme of e.g. Deger, Helias, Rotter & Diesmann 2012 in event-driven form):

- an active synapse whose weight is below ``w_prune`` is removed with probability
  ``p_prune``;
- an empty site is re-occupied with probability ``p_grow``, at weight ``w_init``.

Active synapses learn by additive pair-based STDP (all-to-all, as `stdp.stdp`), which
drives unhelpful synapses towards zero where they are pruned. The number of active
synapses is ``sum(active)`` (recorded as ``n_active_synapses`` by weight monitoring).
"""

from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from bioneuro.models.plasticity.stdp import SONG_2000
from brian2.units import ms, nS

from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["structural_stdp", "structural"]


def structural_stdp(w_max=1 * nS, w_prune=0.05 * nS, w_init=0.5 * nS, p_prune=0.1,
                    p_grow=0.01, A_plus=0.005, A_minus=0.00525, tau_plus=20 * ms,
                    tau_minus=20 * ms, name="structural"):
    """Pruning and regrowth of synapses on top of additive STDP.

    Parameters
    ----------
    w_max : Quantity
        Upper weight bound.
    w_prune : Quantity
        Synapses below this weight may be pruned.
    w_init : Quantity
        Weight of a newly grown synapse.
    p_prune, p_grow : float
        Probabilities per presynaptic spike of pruning a weak synapse and of growing a
        synapse at an empty site.
    A_plus, A_minus, tau_plus, tau_minus
        STDP window (Song, Miller & Abbott 2000).
    name : str
    """
    return SynapseModel(
        name=name,
        model="\n".join([
            "w : {weight_unit}",
            "silent : 1",
            "active = 1 - silent : 1",
            "dapre/dt = -apre/tau_plus : 1 (event-driven)",
            "dapost/dt = -apost/tau_minus : 1 (event-driven)",
        ]),
        on_pre="\n".join([
            "pruned = (1 - silent)*int(w < w_prune)*int(rand() < p_prune)",
            "grown = silent*int(rand() < p_grow)",
            "silent = silent + pruned - grown",
            "w = w*(1 - pruned)*(1 - silent) + grown*w_init",
            "{target}_post += w",
            "apre += 1",
            "w = clip(w - (1 - silent)*A_minus*w_max*apost, 0*w_max, w_max)",
        ]),
        on_post="\n".join([
            "apost += 1",
            "w = clip(w + (1 - silent)*A_plus*w_max*apre, 0*w_max, w_max)",
        ]),
        parameters={
            "w_max": weight_parameter(w_max, "upper weight bound"),
            "w_prune": weight_parameter(w_prune, "pruning threshold"),
            "w_init": weight_parameter(w_init, "weight of a new synapse"),
            "p_prune": Parameter("1", p_prune, "pruning probability per presynaptic spike",
                                 low=0, high=1, shared=True),
            "p_grow": Parameter("1", p_grow, "growth probability per presynaptic spike",
                                low=0, high=1, shared=True),
            "A_plus": Parameter("1", A_plus, "potentiation amplitude (fraction of w_max)",
                                low=0, shared=True),
            "A_minus": Parameter("1", A_minus, "depression amplitude (fraction of w_max)",
                                 low=0, shared=True),
            "tau_plus": Parameter("ms", tau_plus, "potentiation window", low="0.01 ms",
                                  shared=True),
            "tau_minus": Parameter("ms", tau_minus, "depression window", low="0.01 ms",
                                   shared=True),
        },
        description="Structural plasticity: pruning of weak synapses and regrowth at random "
                    "empty sites, with additive STDP.",
        references=(
            Reference("Butz, Woergoetter & van Ooyen (2009) Activity-dependent structural "
                      "plasticity, Brain Res Rev 60:287",
                      "10.1016/j.brainresrev.2008.12.023"),
            Reference("Deger, Helias, Rotter & Diesmann (2012) Spike-timing dependence of "
                      "structural plasticity explains cooperative synapse formation in the "
                      "neocortex, PLoS Comput Biol 8:e1002689",
                      "10.1371/journal.pcbi.1002689"),
            SONG_2000),
        tags=("plasticity", "structural", "stdp"),
    )


structural = register_rule(structural_stdp())
