"""Two-compartment integrate-and-fire neuron: a spiking soma coupled to a passive dendrite.

Equations (soma ``v``, dendrite ``v_d``, coupling conductance ``g_c``)::

    C_m dv/dt   = g_L (E_L - v)     + g_c (v_d - v) + I_syn   + I_in     (clamped while refractory)
    C_d dv_d/dt = g_L_d (E_L - v_d) + g_c (v - v_d) + I_syn_d + I_ext_d

with ``v -> V_reset`` when ``v`` crosses ``V_th``. Proximal synapses (channels ``e_prox``,
``i_prox``) act on the soma, distal ones (``e_dist``, ``i_dist``) on the dendrite, so distal
input reaches the spike-initiation site only through ``g_c`` (the reduction of Pinsky &
Rinzel 1994 for a passive dendrite).

Steady-state attenuation (closed form, subthreshold, tested): with
``D = g_L g_L_d + g_c (g_L + g_L_d)``, a constant current ``I`` into the soma depolarises the
soma by ``I (g_L_d + g_c)/D`` and the dendrite by ``I g_c/D``, i.e. the dendrite sees the
fraction ``g_c/(g_c + g_L_d)`` of the somatic depolarisation; a current into the dendrite
depolarises the dendrite by ``I (g_L + g_c)/D`` and the soma by ``I g_c/D``, the fraction
``g_c/(g_c + g_L)`` (distal input attenuated on its way to the soma). The input resistances
are ``(g_L_d + g_c)/D`` (soma) and ``(g_L + g_c)/D`` (dendrite), the transfer resistance
``g_c/D``.
"""

from types import MappingProxyType

from bioneuro.models.composition import point_neuron
from bioneuro.models.lif import LIF_PARAMETERS
from bioneuro.models.synaptic_kernels import SynapticBlock, conductance_channels, synaptic_block
from brian2.units import ms, mV, nS, pA, pF

from bioneuro.spec import Parameter, Reference

__all__ = ["two_compartment_cond_exp", "attenuation"]

_MEMBRANE = """
dv/dt = (g_L*(E_L - v) + g_c*(v_d - v) + I_syn + I_in)/C_m : volt (unless refractory)
dv_d/dt = (g_L_d*(E_L - v_d) + g_c*(v - v_d) + I_syn_d + I_ext_d)/C_d : volt
"""

_PARAMETERS = {
    "C_m": Parameter("pF", 100 * pF, "somatic capacitance", low="0.001 pF"),
    "g_L": Parameter("nS", 5 * nS, "somatic leak conductance", low="0 nS"),
    "C_d": Parameter("pF", 200 * pF, "dendritic capacitance", low="0.001 pF"),
    "g_L_d": Parameter("nS", 10 * nS, "dendritic leak conductance", low="0 nS"),
    "g_c": Parameter("nS", 5 * nS, "soma-dendrite coupling conductance", low="0 nS"),
    # the soma is the library's LIF (leak reversal shared by both compartments)
    **{name: LIF_PARAMETERS[name] for name in ("E_L", "V_th", "V_reset", "tau_ref")},
    "I_ext_d": Parameter("pA", 0 * pA, "constant current injected into the dendrite"),
}

_TAUS = {"e": 5 * ms, "i": 10 * ms}
_REVERSALS = {"e": 0 * mV, "i": -80 * mV}


def _compartment_channels(suffix):
    return conductance_channels(
        "exp", {f"{k}_{suffix}": tau for k, tau in _TAUS.items()},
        {f"{k}_{suffix}": rev for k, rev in _REVERSALS.items()})


def _two_site_block():
    soma = synaptic_block(_compartment_channels("prox"), voltage="v")
    dendrite = synaptic_block(_compartment_channels("dist"), voltage="v_d", total="I_syn_d")
    return SynapticBlock("\n".join([soma.equations, dendrite.equations]),
                         MappingProxyType({**soma.parameters, **dendrite.parameters}),
                         MappingProxyType({**soma.targets, **dendrite.targets}))


def attenuation(g_c, g_leak_receiving):
    """Steady-state voltage attenuation ``g_c/(g_c + g_leak_receiving)`` from one compartment
    to the other (the leak is the *receiving* compartment's: ``g_L_d`` from soma to
    dendrite, ``g_L`` from dendrite to soma).

    Parameters
    ----------
    g_c, g_leak_receiving : Quantity
        Coupling conductance and the receiving compartment's leak (siemens).

    Returns
    -------
    float
        Ratio of the receiving to the injected compartment's steady depolarisation.
    """
    return float(g_c / (g_c + g_leak_receiving))


two_compartment_cond_exp = point_neuron(
    "two_compartment_cond_exp", _MEMBRANE, _PARAMETERS, _two_site_block(),
    threshold="v > V_th", reset="v = V_reset", refractory="tau_ref",
    method="exponential_euler", initial={"v": -70 * mV, "v_d": -70 * mV},
    description="Two-compartment integrate-and-fire neuron: spiking soma with proximal "
                "conductances, passive dendrite with distal conductances, coupled by g_c.",
    references=(
        Reference("Pinsky & Rinzel (1994) Intrinsic and network rhythmogenesis in a reduced "
                  "Traub model for CA3 neurons, J Comput Neurosci 1:39", "10.1007/BF00962717"),
        Reference("Koch (1999) Biophysics of Computation, Oxford UP, ch. 3 (attenuation in "
                  "passive cables)"),
    ),
    tags=("two-compartment", "integrate-and-fire", "conductance-based", "dendrite"),
    current_range=(0 * pA, 800 * pA))
