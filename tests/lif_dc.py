"""A deterministic test network: unconnected LIF neurons under constant currents.

Closed form (no synaptic input): ``v(t) = E_L + I R (1 - exp(-t/tau_m))`` with
``R = tau_m / C_m``; first spike at ``t* = -tau_m ln(1 - (V_th - E_L)/(I R))``; with
``V_reset = E_L`` the neuron then fires periodically with period ``tau_ref + t*``.
"""

import math

from brian2.units import ms, mV, nA, pF

import bioneuro as bn

C_M, TAU_M, E_L, V_TH, TAU_REF = 250 * pF, 10 * ms, -70 * mV, -55 * mV, 2 * ms


def lif_dc_experiment(currents=(0.5, 0.6, 0.3), duration=50 * ms, seed=3):
    """One population per current (nA), one neuron each, all in one NeuronGroup."""
    pops = [bn.Population(f"P{k}", "lif_curr_exp", 1,
                          parameters={"I_ext": current * nA, "C_m": C_M, "tau_m": TAU_M,
                                      "E_L": E_L, "V_th": V_TH, "V_reset": E_L,
                                      "tau_ref": TAU_REF},
                          initial={"v": E_L})
            for k, current in enumerate(currents)]
    circuit = bn.Circuit("lif_dc", pops)
    recording = bn.Recording(state=[bn.StateProbe(p.name, ["v"], 1) for p in pops])
    return bn.Experiment("lif_dc", circuit, recording=recording, duration=duration,
                         dt=0.1 * ms, seed=seed)


def closed_form_v(t, current_nA):
    """Membrane potential (V) before the first spike; `t` in seconds."""
    resistance = float(TAU_M / C_M)
    drive = current_nA * 1e-9 * resistance
    return float(E_L) + drive * (1 - math.exp(-t / float(TAU_M)))


def first_spike_time(current_nA):
    """Closed-form first threshold crossing (s), or inf below rheobase."""
    drive = current_nA * 1e-9 * float(TAU_M / C_M)
    gap = float(V_TH - E_L)
    if drive <= gap:
        return math.inf
    return -float(TAU_M) * math.log(1 - gap / drive)
