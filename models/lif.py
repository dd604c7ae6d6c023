"""Leaky integrate-and-fire neurons with exponential synaptic kernels.

``lif_curr_exp``: current-based (NEST ``iaf_psc_exp`` defaults).
``lif_cond_exp``: conductance-based (NEST ``iaf_cond_exp`` defaults).

Membrane equation (both)::

    dv/dt = (E_L - v)/tau_m + (I_syn + I_ext)/C_m      (clamped while refractory)

Under a constant ``I_ext`` and no synaptic input, ``v(t) = E_L + I_ext R (1 - exp(-t/tau_m))``
with ``R = tau_m / C_m``; the first spike occurs at ``t* = -tau_m ln(1 - (V_th - E_L)/(I_ext R))``
when ``I_ext R > V_th - E_L``.
"""

from bioneuro.models.synaptic_kernels import exp_conductance_kernel, exp_current_kernel
from brian2.units import ms, mV, pA, pF

from bioneuro.registry import register
from bioneuro.spec import NeuronModel, Parameter, Reference

__all__ = ["lif_curr_exp", "lif_cond_exp"]

_MEMBRANE = "dv/dt = (E_L - v)/tau_m + (I_syn + I_ext)/C_m : volt (unless refractory)"

_LIF_PARAMETERS = {
    "C_m": Parameter("pF", 250 * pF, "membrane capacitance", low="0.001 pF"),
    "tau_m": Parameter("ms", 10 * ms, "membrane time constant", low="0.01 ms"),
    "E_L": Parameter("mV", -70 * mV, "leak reversal (resting) potential"),
    "V_th": Parameter("mV", -55 * mV, "spike threshold"),
    "V_reset": Parameter("mV", -70 * mV, "reset potential"),
    "tau_ref": Parameter("ms", 2 * ms, "absolute refractory period", low="0 ms"),
    "I_ext": Parameter("pA", 0 * pA, "constant external current"),
}

_NEST_IAF = Reference("Gewaltig & Diesmann (2007) NEST (NEural Simulation Tool), "
                      "Scholarpedia 2:1430 (iaf_psc_exp / iaf_cond_exp defaults)",
                      "10.4249/scholarpedia.1430")
_LAPICQUE = Reference("Brunel & van Rossum (2007) Lapicque's 1907 paper: from frogs to "
                      "integrate-and-fire, Biol Cybern 97:337", "10.1007/s00422-007-0190-0")


def _lif(name, kernel, method, description, references):
    equations, kernel_params, targets = kernel
    params = dict(_LIF_PARAMETERS)
    params.update(kernel_params)
    return register("models", name, NeuronModel(
        name=name,
        equations=_MEMBRANE + "\n" + equations,
        parameters=params,
        threshold="v > V_th",
        reset="v = V_reset",
        refractory="tau_ref",
        method=method,
        initial={"v": -70 * mV},
        synaptic_targets=targets,
        description=description,
        references=references,
        tags=("point", "integrate-and-fire"),
    ))


lif_curr_exp = _lif(
    "lif_curr_exp",
    exp_current_kernel(("e", "i"), {"e": 2 * ms, "i": 2 * ms}),
    "exact",
    "LIF neuron with exponentially decaying excitatory and inhibitory synaptic currents.",
    (_LAPICQUE, _NEST_IAF),
)

lif_cond_exp = _lif(
    "lif_cond_exp",
    exp_conductance_kernel(("e", "i"), {"e": 0.2 * ms, "i": 2 * ms},
                           {"e": 0 * mV, "i": -85 * mV}),
    "exponential_euler",  # linear in v given the conductances
    "LIF neuron with exponentially decaying excitatory and inhibitory conductances.",
    (_LAPICQUE, _NEST_IAF),
)
