"""Hodgkin-Huxley neuron with Traub & Miles (1991) Na/K kinetics and exponential conductances.

``hh_traub_cond_exp`` is the neuron of the COBAHH benchmark (Brette et al. 2007, benchmark 3):
a single compartment of 20000 um^2 with 1 uF/cm^2, leak 5e-5 S/cm^2, Na 100 mS/cm^2,
K 30 mS/cm^2 (the defaults below, integrated over the area). Rate functions use Brian2's
``exprel`` so they are finite at their removable singularities.
"""

from bioneuro.models.composition import point_neuron
from bioneuro.models.synaptic_kernels import exp_conductance_kernel
from brian2.units import ms, mV, nS, pA, pF, uS

from bioneuro.spec import Parameter, Reference

__all__ = ["hh_traub_cond_exp"]

_MEMBRANE = """
dv/dt = (g_L*(E_L - v) - g_Na*m**3*h*(v - E_Na) - g_K*n**4*(v - E_K) + I_syn + I_in)/C_m : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
alpha_m = 0.32/mV*4*mV/exprel((13*mV - v + V_T)/(4*mV))/ms : Hz
beta_m = 0.28/mV*5*mV/exprel((v - V_T - 40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV - v + V_T)/(18*mV))/ms : Hz
beta_h = 4/(1 + exp((40*mV - v + V_T)/(5*mV)))/ms : Hz
alpha_n = 0.032/mV*5*mV/exprel((15*mV - v + V_T)/(5*mV))/ms : Hz
beta_n = 0.5*exp((10*mV - v + V_T)/(40*mV))/ms : Hz
"""

_BLOCK = exp_conductance_kernel(
    ("e", "i"), {"e": 5 * ms, "i": 10 * ms}, {"e": 0 * mV, "i": -80 * mV})

_PARAMETERS = {
    "C_m": Parameter("pF", 200 * pF, "membrane capacitance (1 uF/cm^2 x 20000 um^2)",
                     low="0.001 pF"),
    "g_L": Parameter("nS", 10 * nS, "leak conductance", low="0 nS"),
    "E_L": Parameter("mV", -60 * mV, "leak reversal potential"),
    "g_Na": Parameter("uS", 20 * uS, "maximal sodium conductance", low="0 nS"),
    "E_Na": Parameter("mV", 50 * mV, "sodium reversal potential"),
    "g_K": Parameter("uS", 6 * uS, "maximal delayed-rectifier potassium conductance",
                     low="0 nS"),
    "E_K": Parameter("mV", -90 * mV, "potassium reversal potential"),
    "V_T": Parameter("mV", -63 * mV, "offset of the Traub-Miles rate functions"),
    "V_spike": Parameter("mV", -20 * mV, "spike detection threshold (upward crossing)"),
    "tau_ref": Parameter("ms", 3 * ms, "dead time after a detected spike", low="0 ms"),
}

hh_traub_cond_exp = point_neuron(
    "hh_traub_cond_exp", _MEMBRANE, _PARAMETERS, _BLOCK,
    threshold="v > V_spike",
    reset="",
    refractory="tau_ref",
    method="exponential_euler",
    initial={"v": -60 * mV, "m": 0.0, "n": 0.0, "h": 1.0},
    description="Single-compartment Hodgkin-Huxley neuron (Traub & Miles 1991 kinetics) with "
                "exponential excitatory and inhibitory conductances (COBAHH benchmark).",
    references=(
        Reference("Traub & Miles (1991) Neuronal Networks of the Hippocampus, Cambridge UP",
                  "10.1017/CBO9780511895401"),
        Reference("Brette et al. (2007) Simulation of networks of spiking neurons: a review "
                  "of tools and strategies, J Comput Neurosci 23:349", "10.1007/s10827-007-0038-6"),
    ),
    tags=("point", "conductance-based", "hodgkin-huxley"),
    current_range=(0 * pA, 1000 * pA),
)
