"""LIF neurons with AMPA, saturating NMDA and GABA_A conductances (Wang 2002).

In Wang (2002) and Brunel & Wang (2001) the NMDA conductance onto neuron ``i`` is
``g_NMDA sum_j w_ij s_j`` with one gating variable ``s_j`` per *presynaptic* neuron::

    dx_j/dt = -x_j/tau_rise + sum_k delta(t - t_j^k)
    ds_j/dt = -s_j/tau_NMDA + alpha x_j (1 - s_j)

so the NMDA drive of a neuron that fires fast saturates at ``s_j -> 1``. The rise
(``tau_rise = 2 ms``) is short compared with the decay (``tau_NMDA = 100 ms``): neglecting
the decay during the rise, a spike multiplies ``1 - s_j`` by ``exp(-alpha tau_rise)``, i.e.
``s_j`` jumps by ``a (1 - s_j)`` with ``a = 1 - exp(-alpha tau_rise) = 1 - 1/e`` (``alpha =
0.5 /ms``). This event-driven form is what the models here integrate:

- the neuron model ``lif_cond_nmda_sat`` carries its own outgoing gating ``s_nmda`` (decay
  ``tau_nmda``, jump ``a_nmda (1 - s_nmda)`` at each of its spikes, in the reset) and the
  postsynaptic conductances ``g_ampa``, ``g_nmda`` (with the Jahr-Stevens Mg2+ block, as in
  Wang 2002) and ``g_gaba``;
- the synapse model ``ampa_nmda_sat`` adds, at a presynaptic spike, ``w`` to the target
  (``g_ampa``) and ``w nmda_ratio a_nmda (1 - s_nmda_pre)`` to ``g_nmda_post``: exactly the
  jump of ``w nmda_ratio s_j``. Because ``g_nmda`` decays with the same ``tau_nmda`` as each
  ``s_j``, ``g_nmda = sum_j w_ij nmda_ratio s_j`` at all times -- the saturating sum -- at
  the cost of one update per spike and target instead of one per synapse and time step.

The synapse update must see ``s_nmda`` *before* the presynaptic reset increments it: Brian2
runs synaptic pathways before resets within a step, so projections with this synapse model
need a zero delay (they have none by default).

References
----------
Wang (2002) Probabilistic decision making by slow reverberation in cortical circuits. Neuron
36:955. doi:10.1016/S0896-6273(02)01092-9
Brunel & Wang (2001) Effects of neuromodulation in a cortical network model of object working
memory dominated by recurrent inhibition. J Comput Neurosci 11:63. doi:10.1023/A:1011204814320
"""

import math
from dataclasses import replace

from bioneuro.models.composition import point_neuron
from bioneuro.models.lif import LIF_PARAMETERS
from bioneuro.models.synaptic_kernels import MG_BLOCK, Channel, synaptic_block
from brian2.units import ms, mV, nF, pA

from bioneuro.registry import register
from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["lif_cond_nmda_sat", "ampa_nmda_sat", "NMDA_JUMP"]

#: jump fraction of the gating per spike, 1 - exp(-alpha tau_rise) with alpha tau_rise = 1
NMDA_JUMP = 1 - math.exp(-1)

WANG_2002 = Reference("Wang (2002) Probabilistic decision making by slow reverberation in "
                      "cortical circuits, Neuron 36:955", "10.1016/S0896-6273(02)01092-9")
BRUNEL_WANG_2001 = Reference("Brunel & Wang (2001) Effects of neuromodulation in a cortical "
                             "network model of object working memory dominated by recurrent "
                             "inhibition, J Comput Neurosci 11:63", "10.1023/A:1011204814320")

_MEMBRANE = "\n".join([
    "dv/dt = (E_L - v)/tau_m + (I_syn + I_in)/C_m : volt (unless refractory)",
    "ds_nmda/dt = -s_nmda/tau_nmda : 1",
])

# Wang (2002) pyramidal cell: C_m 0.5 nF, g_L 25 nS (tau_m 20 ms), E_L -70 mV, threshold
# -50 mV, reset -55 mV, refractory 2 ms
_PARAMETERS = {
    **{name: replace(LIF_PARAMETERS[name], default=value) for name, value in (
        ("C_m", 0.5 * nF), ("tau_m", 20 * ms), ("E_L", -70 * mV), ("V_th", -50 * mV),
        ("V_reset", -55 * mV), ("tau_ref", 2 * ms))},
    "a_nmda": Parameter("1", NMDA_JUMP, "fraction of the free NMDA gating (1 - s_nmda) that "
                        "a spike opens (1 - exp(-alpha tau_rise))", low=0, high=1),
}

_CHANNELS = (
    Channel("ampa", "exp", 2 * ms, None, 0 * mV),
    Channel("nmda", "exp", 100 * ms, None, 0 * mV, MG_BLOCK),
    Channel("gaba", "exp", 5 * ms, None, -70 * mV),
)

lif_cond_nmda_sat = point_neuron(
    "lif_cond_nmda_sat", _MEMBRANE, _PARAMETERS, synaptic_block(_CHANNELS),
    threshold="v > V_th", reset="v = V_reset\ns_nmda += a_nmda*(1 - s_nmda)",
    refractory="tau_ref", method="exponential_euler", initial={"v": -70 * mV},
    description="LIF neuron with AMPA, saturating NMDA (presynaptic gating s_nmda, "
                "Mg2+ block) and GABA_A conductances (Wang 2002).",
    references=(WANG_2002, BRUNEL_WANG_2001), tags=("point", "integrate-and-fire"),
    current_range=(0 * pA, 1000 * pA))

ampa_nmda_sat = register("synapses", "ampa_nmda_sat", SynapseModel(
    name="ampa_nmda_sat",
    model="w : {weight_unit}",
    on_pre="{target}_post += w\ng_nmda_post += w*nmda_ratio*a_nmda_pre*(1 - s_nmda_pre)",
    parameters={
        "nmda_ratio": Parameter("1", 3.3, "NMDA peak conductance per unit of the AMPA weight "
                                "w (Wang 2002 onto pyramidal cells: 0.165/0.05 nS)", low=0,
                                shared=True),
    },
    description="Recurrent excitation of Wang (2002): AMPA (w into the target) plus "
                "saturating NMDA (w*nmda_ratio times the presynaptic gating jump into "
                "g_nmda); needs lif_cond_nmda_sat on both sides and a zero delay.",
    references=(WANG_2002,),
    tags=("recurrent excitation",),
))
