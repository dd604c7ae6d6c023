"""Adaptive exponential integrate-and-fire (AdEx) neurons (Brette & Gerstner 2005).

Membrane and adaptation equations (all variants)::

    C_m dv/dt = g_L (E_L - v) + g_L Delta_T exp((v - V_T)/Delta_T) - w_a + I_syn + I_in
    tau_w dw_a/dt = a (v - E_L) - w_a

(the adaptation current, ``w`` in the papers, is ``w_a``: ``w`` names synaptic weights)
with ``v -> V_reset``, ``w_a -> w_a + b`` when ``v`` crosses ``V_peak``. The spike initiation is
the exponential term; ``V_peak`` only cuts the upswing (Naud et al. 2008 cut at 0 mV).

Closed forms used by the tests (Touboul & Brette 2008): the steady-state current-voltage
relation is ``I(v) = (g_L + a)(v - E_L) - g_L Delta_T exp((v - V_T)/Delta_T)``; when
``a < C_m/tau_w`` the resting state disappears in a saddle-node bifurcation at
``v* = V_T + Delta_T ln(1 + a/g_L)``, so the rheobase is
``I_rh = (g_L + a)(V_T - E_L - Delta_T + Delta_T ln(1 + a/g_L))`` (for ``a = 0`` the EIF
rheobase ``g_L (V_T - E_L - Delta_T)``).

Models (``<dynamics>_<input>_<kernel>``):

- ``adex_curr_exp``: exponentially decaying excitatory/inhibitory currents (NEST
  ``aeif_psc_exp``).
- ``adex_cond_exp``: exponentially decaying conductances (NEST ``aeif_cond_exp``).
- ``adex_cond_exp_cf``: ``adex_cond_exp`` plus a climbing-fibre conductance channel ``cf``
  (the Purkinje cell of `bioneuro.models.cells.cerebellum`).

Defaults are the regular-spiking fit of Brette & Gerstner (2005) to a cortical pyramidal
neuron. `NAUD_2008` holds the eight parameter sets (and step currents) of Naud et al. (2008),
Table 1 (V_T = -50 mV and Delta_T = 2 mV throughout; the same values are tabulated in Brian2's
example ``Naud_et_al_2008_adex_firing_patterns.py``).
"""

from types import MappingProxyType

import numpy as np
from bioneuro.models.composition import point_neuron
from bioneuro.models.synaptic_kernels import (
    Channel,
    conductance_channels,
    current_channels,
    synaptic_block,
)
from brian2.units import ms, mV, nS, pA, pF

from bioneuro.spec import Parameter, Reference

__all__ = ["adex_curr_exp", "adex_cond_exp", "adex_cond_exp_cf", "ADEX_PARAMETERS",
           "NAUD_2008", "adex_rheobase", "BRETTE_GERSTNER_2005", "NAUD_2008_REFERENCE"]

_MEMBRANE = """
dv/dt = (g_L*(E_L - v) + I_spike - w_a + I_syn + I_in)/C_m : volt (unless refractory)
I_spike = g_L*Delta_T*exp((v - V_T)/Delta_T) : amp
dw_a/dt = (a*(v - E_L) - w_a)/tau_w : amp
"""

BRETTE_GERSTNER_2005 = Reference(
    "Brette & Gerstner (2005) Adaptive exponential integrate-and-fire model as an effective "
    "description of neuronal activity, J Neurophysiol 94:3637", "10.1152/jn.00686.2005")
NAUD_2008_REFERENCE = Reference(
    "Naud, Marcille, Clopath & Gerstner (2008) Firing patterns in the adaptive exponential "
    "integrate-and-fire model, Biol Cybern 99:335", "10.1007/s00422-008-0264-7")
_TOUBOUL_BRETTE = Reference(
    "Touboul & Brette (2008) Dynamics and bifurcations of the adaptive exponential "
    "integrate-and-fire model, Biol Cybern 99:319", "10.1007/s00422-008-0267-4")

#: Brette & Gerstner (2005) regular-spiking fit (Table 1); V_peak 0 mV as NEST aeif models
ADEX_PARAMETERS = MappingProxyType({
    "C_m": Parameter("pF", 281 * pF, "membrane capacitance", low="0.001 pF"),
    "g_L": Parameter("nS", 30 * nS, "leak conductance", low="0.001 nS"),
    "E_L": Parameter("mV", -70.6 * mV, "leak reversal potential"),
    "V_T": Parameter("mV", -50.4 * mV, "threshold potential of the exponential spike "
                     "initiation"),
    "Delta_T": Parameter("mV", 2 * mV, "slope factor of the exponential spike initiation",
                         low="0.01 mV"),
    "a": Parameter("nS", 4 * nS, "subthreshold adaptation conductance"),
    "b": Parameter("pA", 80.5 * pA, "spike-triggered adaptation increment"),
    "tau_w": Parameter("ms", 144 * ms, "adaptation time constant", low="0.01 ms"),
    "V_reset": Parameter("mV", -70.6 * mV, "reset potential"),
    "V_peak": Parameter("mV", 0 * mV, "spike cut-off (the upswing is stopped there)"),
    "tau_ref": Parameter("ms", 0 * ms, "absolute refractory period (v clamped at V_reset)",
                         low="0 ms"),
})

_TAUS = {"e": 5 * ms, "i": 10 * ms}
_REVERSALS = {"e": 0 * mV, "i": -80 * mV}


def _naud(c_m, g_l, e_l, a, tau_w, b, v_r, current):
    # V_T = -50 mV and Delta_T = 2 mV in every row of the table
    return MappingProxyType({
        "C_m": c_m * pF, "g_L": g_l * nS, "E_L": e_l * mV, "V_T": -50 * mV,
        "Delta_T": 2 * mV, "a": a * nS, "tau_w": tau_w * ms, "b": b * pA,
        "V_reset": v_r * mV, "I_step": current * pA})


#: Naud et al. (2008) Table 1: parameters and the step current (``I_step``) of each pattern
NAUD_2008 = MappingProxyType({
    "tonic": _naud(200, 10, -70, 2, 30, 0, -58, 500),
    "adapting": _naud(200, 12, -70, 2, 300, 60, -58, 500),
    "initial_burst": _naud(130, 18, -58, 4, 150, 120, -50, 400),
    "regular_bursting": _naud(200, 10, -58, 2, 120, 100, -46, 210),
    "delayed_accelerating": _naud(200, 12, -70, -10, 300, 0, -58, 300),
    "delayed_regular_bursting": _naud(100, 10, -65, -10, 90, 30, -47, 110),
    "transient": _naud(100, 10, -65, 10, 90, 100, -47, 180),
    "irregular": _naud(100, 12, -60, -11, 130, 30, -48, 160),
})


def adex_rheobase(g_L, E_L, V_T, Delta_T, a=0 * nS):
    """Rheobase of the AdEx neuron in the saddle-node regime ``a < C_m/tau_w``.

    ``I_rh = (g_L + a)(V_T - E_L - Delta_T + Delta_T ln(1 + a/g_L))`` (Touboul & Brette 2008).

    Parameters
    ----------
    g_L, a : Quantity
        Leak and subthreshold adaptation conductances (siemens), ``a > -g_L``.
    E_L, V_T, Delta_T : Quantity
        Leak reversal, exponential-threshold centre and slope factor (volt).

    Returns
    -------
    Quantity
        The smallest constant current (amp) for which the neuron fires repetitively.
    """
    return (g_L + a) * (V_T - E_L - Delta_T + Delta_T * np.log(1 + float(a / g_L)))


def _adex(name, channels, description, current_range, tags):
    return point_neuron(
        name, _MEMBRANE, ADEX_PARAMETERS, synaptic_block(channels),
        threshold="v > V_peak", reset="v = V_reset\nw_a += b", refractory="tau_ref",
        method="euler", initial={"v": -70.6 * mV, "w_a": 0 * pA}, description=description,
        references=(BRETTE_GERSTNER_2005, NAUD_2008_REFERENCE, _TOUBOUL_BRETTE),
        tags=("point", "integrate-and-fire", "adaptive") + tags,
        current_range=current_range)


adex_curr_exp = _adex(
    "adex_curr_exp", current_channels("exp", {"e": 2 * ms, "i": 2 * ms}),
    "Adaptive exponential integrate-and-fire neuron with exponential excitatory and "
    "inhibitory synaptic currents.", (0 * pA, 1500 * pA), ("current-based",))

adex_cond_exp = _adex(
    "adex_cond_exp", conductance_channels("exp", _TAUS, _REVERSALS),
    "Adaptive exponential integrate-and-fire neuron with exponential excitatory and "
    "inhibitory conductances.", (0 * pA, 1500 * pA), ("conductance-based",))

adex_cond_exp_cf = _adex(
    "adex_cond_exp_cf",
    conductance_channels("exp", _TAUS, _REVERSALS)
    # climbing-fibre EPSC: large, AMPA-type, decaying in a few ms (Llano et al. 1991)
    + [Channel("cf", "exp", 5 * ms, None, 0 * mV)],
    "Adaptive exponential integrate-and-fire neuron with excitatory and inhibitory "
    "conductances and a climbing-fibre conductance channel (cf).", (0 * pA, 1500 * pA),
    ("conductance-based", "climbing-fibre"))
