"""Leaky integrate-and-fire neurons with exponential, alpha, bi-exponential and receptor kernels.

Membrane equation (all variants)::

    dv/dt = (E_L - v)/tau_m + (I_syn + I_in)/C_m      (clamped while refractory)

Under a constant ``I_ext`` and no synaptic input, ``v(t) = E_L + I_ext R (1 - exp(-t/tau_m))``
with ``R = tau_m / C_m``; the first spike occurs at ``t* = -tau_m ln(1 - (V_th - E_L)/(I_ext R))``
when ``I_ext R > V_th - E_L``, and the rate is ``1/(tau_ref + t*)`` (with ``V_reset = E_L``).

Models (``<dynamics>_<input>_<kernel>``):

- ``lif_curr_exp``, ``lif_curr_alpha``: current-based (NEST ``iaf_psc_exp``/``iaf_psc_alpha``
  defaults); integrated exactly.
- ``lif_cond_exp``, ``lif_cond_alpha``: conductance-based; synaptic time constants
  (0.2 / 2 ms) and reversal potentials (0 / -85 mV) of NEST's ``iaf_cond_exp``/
  ``iaf_cond_alpha``, membrane parameters shared with the current-based models (NEST's
  ``iaf_psc_*`` defaults: ``tau_m`` 10 ms, ``V_reset`` -70 mV). NEST's conductance models
  differ there (``g_L`` 16.7 nS, so ``tau_m`` 15 ms, and ``V_reset`` -60 mV): set those to
  compare with them.
- ``lif_cond_receptor``: AMPA, NMDA (Mg2+ block), GABA_A and GABA_B receptor channels
  (Brunel & Wang 2001 kinetics).
- ``lif_relref_curr_exp``: ``lif_curr_exp`` with a relative refractory period (threshold
  elevation decaying after each spike), composed from `relative_refractory`.
"""

from bioneuro.models.composition import compose, point_neuron
from bioneuro.models.mechanisms import relative_refractory
from bioneuro.models.synaptic_kernels import (
    conductance_channels,
    current_channels,
    receptor_channels,
    synaptic_block,
)
from brian2.units import ms, mV, pA, pF

from bioneuro.spec import Parameter, Reference

__all__ = ["lif_curr_exp", "lif_curr_alpha", "lif_cond_exp", "lif_cond_alpha",
           "lif_cond_receptor", "lif_relref_curr_exp", "LIF_PARAMETERS"]

_MEMBRANE = "dv/dt = (E_L - v)/tau_m + (I_syn + I_in)/C_m : volt (unless refractory)"

LIF_PARAMETERS = {
    "C_m": Parameter("pF", 250 * pF, "membrane capacitance", low="0.001 pF"),
    "tau_m": Parameter("ms", 10 * ms, "membrane time constant", low="0.01 ms"),
    "E_L": Parameter("mV", -70 * mV, "leak reversal (resting) potential"),
    "V_th": Parameter("mV", -55 * mV, "spike threshold"),
    "V_reset": Parameter("mV", -70 * mV, "reset potential"),
    "tau_ref": Parameter("ms", 2 * ms, "absolute refractory period", low="0 ms"),
}

_NEST_IAF = Reference("Gewaltig & Diesmann (2007) NEST (NEural Simulation Tool), "
                      "Scholarpedia 2:1430 (iaf_psc_exp / iaf_cond_exp defaults)",
                      "10.4249/scholarpedia.1430")
_LAPICQUE = Reference("Brunel & van Rossum (2007) Lapicque's 1907 paper: from frogs to "
                      "integrate-and-fire, Biol Cybern 97:337", "10.1007/s00422-007-0190-0")
_CURRENT_RANGE = (0 * pA, 1000 * pA)
_EI = {"e": 0 * mV, "i": -85 * mV}


def _lif(name, block, method, description, references=(_LAPICQUE, _NEST_IAF)):
    return point_neuron(
        name, _MEMBRANE, LIF_PARAMETERS, block,
        threshold="v > V_th", reset="v = V_reset", refractory="tau_ref", method=method,
        initial={"v": -70 * mV}, description=description, references=references,
        tags=("point", "integrate-and-fire"), current_range=_CURRENT_RANGE)


lif_curr_exp = _lif(
    "lif_curr_exp", synaptic_block(current_channels("exp", {"e": 2 * ms, "i": 2 * ms})),
    "exact",
    "LIF neuron with exponentially decaying excitatory and inhibitory synaptic currents.")

lif_curr_alpha = _lif(
    "lif_curr_alpha", synaptic_block(current_channels("alpha", {"e": 2 * ms, "i": 2 * ms})),
    "exact",
    "LIF neuron with alpha-shaped excitatory and inhibitory synaptic currents.")

# conductance models are linear in v given the conductances: exponential Euler
lif_cond_exp = _lif(
    "lif_cond_exp",
    synaptic_block(conductance_channels("exp", {"e": 0.2 * ms, "i": 2 * ms}, _EI)),
    "exponential_euler",
    "LIF neuron with exponentially decaying excitatory and inhibitory conductances.")

lif_cond_alpha = _lif(
    "lif_cond_alpha",
    synaptic_block(conductance_channels("alpha", {"e": 0.2 * ms, "i": 2 * ms}, _EI)),
    "exponential_euler",
    "LIF neuron with alpha-shaped excitatory and inhibitory conductances.")

_receptors, _receptor_refs = receptor_channels()
lif_cond_receptor = _lif(
    "lif_cond_receptor", synaptic_block(_receptors), "exponential_euler",
    "LIF neuron with AMPA, NMDA (Mg2+ block), GABA_A and GABA_B receptor conductances.",
    (_LAPICQUE,) + _receptor_refs)

lif_relref_curr_exp = compose(
    lif_curr_exp, relative_refractory(), name="lif_relref_curr_exp", register=True,
    description="LIF neuron with exponential synaptic currents and a relative refractory "
                "period (threshold elevation decaying after each spike).")
