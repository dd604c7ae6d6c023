"""Hodgkin & Huxley (1952) squid giant axon with exponential synaptic conductances.

``hh_squid_cond_exp`` is the space-clamped axon membrane of Hodgkin & Huxley (1952), in the
modern sign convention with the resting potential at -65 mV (the paper measured depolarisation
from rest, positive outwards) and their rate functions at 6.3 degC. The paper gives densities;
the defaults here are those densities integrated over a patch of area `AREA` = 100 um x 100 um
= 1e-4 cm^2, so that 1 uA/cm^2 = 100 pA, 1 mS/cm^2 = 100 nS and 1 uF/cm^2 = 100 pF:

============  ====================  ==================
quantity      Hodgkin & Huxley      default (x AREA)
============  ====================  ==================
C_m           1 uF/cm^2             100 pF
g_Na, E_Na    120 mS/cm^2, 50 mV    12 uS, 50 mV
g_K, E_K      36 mS/cm^2, -77 mV    3.6 uS, -77 mV
g_L, E_L      0.3 mS/cm^2, -54.4 mV 30 nS, -54.387 mV
============  ====================  ==================

Under a constant current the axon is a type-II (Hopf) oscillator: repetitive firing starts
abruptly near 6.3 uA/cm^2 (630 pA here) at about 50 Hz, never at arbitrarily low rates
(Rinzel & Miller 1980: stable periodic
solutions exist from 6.26 uA/cm^2 on). Rate functions use Brian2's ``exprel`` so they are finite
at their removable singularities.
"""

from bioneuro.models.composition import point_neuron
from bioneuro.models.synaptic_kernels import exp_conductance_kernel
from brian2.units import ms, mV, nS, pA, pF, um, uS

from bioneuro.spec import Parameter, Reference

__all__ = ["hh_squid_cond_exp", "AREA"]

#: membrane area over which the published densities are integrated
AREA = 100 * um * 100 * um

_MEMBRANE = """
dv/dt = (g_L*(E_L - v) - g_Na*m**3*h*(v - E_Na) - g_K*n**4*(v - E_K) + I_syn + I_in)/C_m : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
alpha_m = 1/exprel(-(v + 40*mV)/(10*mV))/ms : Hz
beta_m = 4*exp(-(v + 65*mV)/(18*mV))/ms : Hz
alpha_h = 0.07*exp(-(v + 65*mV)/(20*mV))/ms : Hz
beta_h = 1/(1 + exp(-(v + 35*mV)/(10*mV)))/ms : Hz
alpha_n = 0.1/exprel(-(v + 55*mV)/(10*mV))/ms : Hz
beta_n = 0.125*exp(-(v + 65*mV)/(80*mV))/ms : Hz
"""

_BLOCK = exp_conductance_kernel(
    ("e", "i"), {"e": 5 * ms, "i": 10 * ms}, {"e": 0 * mV, "i": -80 * mV})


_PARAMETERS = {
    "C_m": Parameter("pF", 100 * pF, "membrane capacitance (1 uF/cm^2 x AREA)",
                     low="0.001 pF"),
    "g_L": Parameter("nS", 30 * nS, "leak conductance (0.3 mS/cm^2 x AREA)", low="0 nS"),
    "E_L": Parameter("mV", -54.387 * mV, "leak reversal potential (rest at -65 mV)"),
    "g_Na": Parameter("uS", 12 * uS, "maximal sodium conductance (120 mS/cm^2 x AREA)",
                      low="0 nS"),
    "E_Na": Parameter("mV", 50 * mV, "sodium reversal potential"),
    "g_K": Parameter("uS", 3.6 * uS, "maximal potassium conductance (36 mS/cm^2 x AREA)",
                     low="0 nS"),
    "E_K": Parameter("mV", -77 * mV, "potassium reversal potential"),
    "V_spike": Parameter("mV", -20 * mV, "spike detection threshold (upward crossing)"),
    "tau_ref": Parameter("ms", 2 * ms, "dead time after a detected spike", low="0 ms"),
}

hh_squid_cond_exp = point_neuron(
    "hh_squid_cond_exp", _MEMBRANE, _PARAMETERS, _BLOCK,
    threshold="v > V_spike",
    reset="",
    refractory="tau_ref",
    method="exponential_euler",
    initial={"v": -65 * mV, "m": 0.0529, "n": 0.3177, "h": 0.5961},
    description="Hodgkin-Huxley (1952) squid giant axon at 6.3 degC (densities x 1e-4 cm^2), "
                "with exponential excitatory and inhibitory conductances; type-II onset.",
    references=(
        Reference("Hodgkin & Huxley (1952) A quantitative description of membrane current and "
                  "its application to conduction and excitation in nerve, J Physiol 117:500",
                  "10.1113/jphysiol.1952.sp004764"),
        Reference("Rinzel & Miller (1980) Numerical calculation of stable and unstable "
                  "periodic solutions to the Hodgkin-Huxley equations, Math Biosci 49:27"),
    ),
    tags=("point", "conductance-based", "hodgkin-huxley", "type-II"),
    current_range=(0 * pA, 1500 * pA),
)
