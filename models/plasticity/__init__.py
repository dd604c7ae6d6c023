"""Long-term plasticity rules as synapse models (model string, on_pre, on_post, parameters).

Each rule family lives in its own module; importing this package registers the default
instance of every rule in the ``plasticity`` catalogue (and as a synapse model, so a
projection can name it: ``synapse: stdp_add``). The factories make variants with other
parameters or weight units (``stdp(w_max=50*pA)`` for a current kernel). A rule's
``{target}``/``{weight_unit}`` placeholders make it drive any synaptic channel of any kernel.

=================  ==================================================================
`stdp`             pair-based STDP: additive/multiplicative, all-to-all/nearest-spike
`triplet`          triplet STDP, Pfister & Gerstner (2006) parameter sets
`rate_based`       Hebbian, Oja, BCM for rate neurons and (via traces) spiking neurons
`scaling`          homeostatic multiplicative synaptic scaling
`inhibitory`       inhibitory STDP (Vogels et al. 2011)
`reward`           dopamine-modulated STDP with an eligibility trace (Izhikevich 2007)
`cerebellar`       PF -> Purkinje LTD gated by climbing fibres
`structural`       pruning and regrowth of synapses
`intrinsic`        threshold intrinsic plasticity (a neuron `Mechanism`)
`consolidation`    gated Hebbian rule with synaptic scaling and Benna-Fusi consolidation
`signals`          third-factor signals (dopamine, climbing fibre) for the neurons
`td`               TD(0) actor-critic: the TD error as third factor
=================  ==================================================================
"""

from bioneuro.models.plasticity.cerebellar import pf_purkinje
from bioneuro.models.plasticity.consolidation import consolidated_hebbian, learning_gate
from bioneuro.models.plasticity.inhibitory import vogels_istdp
from bioneuro.models.plasticity.intrinsic import intrinsic_threshold
from bioneuro.models.plasticity.rate_based import rate_rule
from bioneuro.models.plasticity.reward import reward_stdp
from bioneuro.models.plasticity.scaling import synaptic_scaling
from bioneuro.models.plasticity.signals import (
    climbing_fibre_signal,
    dopamine_signal,
    with_signal,
)
from bioneuro.models.plasticity.stdp import stdp
from bioneuro.models.plasticity.structural import structural_stdp
from bioneuro.models.plasticity.td import td_rule
from bioneuro.models.plasticity.triplet import triplet

__all__ = ["stdp", "triplet", "rate_rule", "synaptic_scaling", "vogels_istdp", "reward_stdp",
           "pf_purkinje", "structural_stdp", "intrinsic_threshold", "dopamine_signal",
           "climbing_fibre_signal", "with_signal", "consolidated_hebbian", "learning_gate",
           "td_rule"]
