"""Wang & Buzsaki (1996) hippocampal fast-spiking interneuron with exponential conductances.

``wang_buzsaki_cond_exp`` is the single-compartment interneuron of Wang & Buzsaki (1996):
instantaneous Na activation ``m_inf``, Na inactivation ``h`` and K activation ``n`` with the
temperature factor ``phi = 5``. The paper gives densities; the defaults here are those
densities integrated over the same patch as `bioneuro.models.hh_squid.AREA` (1e-4 cm^2:
1 uA/cm^2 = 100 pA, 1 mS/cm^2 = 100 nS):

============  ====================  ==================
quantity      Wang & Buzsaki        default (x AREA)
============  ====================  ==================
C_m           1 uF/cm^2             100 pF
g_Na, E_Na    35 mS/cm^2, 55 mV     3.5 uS, 55 mV
g_K, E_K      9 mS/cm^2, -90 mV     900 nS, -90 mV
g_L, E_L      0.1 mS/cm^2, -65 mV   10 nS, -65 mV
============  ====================  ==================

Under a constant current it is a type-I (saddle-node on invariant circle) oscillator: the
firing rate rises continuously from zero at the rheobase, so arbitrarily low rates occur
(Wang & Buzsaki 1996, Fig. 1C; rheobase near 0.16 uA/cm^2).
"""

from bioneuro.models.composition import point_neuron
from bioneuro.models.synaptic_kernels import exp_conductance_kernel
from brian2.units import ms, mV, nS, pA, pF, uS

from bioneuro.spec import Parameter, Reference

__all__ = ["wang_buzsaki_cond_exp"]

_MEMBRANE = """
dv/dt = (g_L*(E_L - v) - g_Na*m_inf**3*h*(v - E_Na) - g_K*n**4*(v - E_K)
         + I_syn + I_in)/C_m : volt
dn/dt = phi*(alpha_n*(1 - n) - beta_n*n) : 1
dh/dt = phi*(alpha_h*(1 - h) - beta_h*h) : 1
m_inf = alpha_m/(alpha_m + beta_m) : 1
alpha_m = 1/exprel(-(v + 35*mV)/(10*mV))/ms : Hz
beta_m = 4*exp(-(v + 60*mV)/(18*mV))/ms : Hz
alpha_h = 0.07*exp(-(v + 58*mV)/(20*mV))/ms : Hz
beta_h = 1/(1 + exp(-(v + 28*mV)/(10*mV)))/ms : Hz
alpha_n = 0.1/exprel(-(v + 34*mV)/(10*mV))/ms : Hz
beta_n = 0.125*exp(-(v + 44*mV)/(80*mV))/ms : Hz
"""

# Wang & Buzsaki's synapses are GABA_A (E -75 mV); an excitatory channel is added for use in
# mixed networks
_BLOCK = exp_conductance_kernel(
    ("e", "i"), {"e": 2 * ms, "i": 10 * ms}, {"e": 0 * mV, "i": -75 * mV})

_PARAMETERS = {
    "C_m": Parameter("pF", 100 * pF, "membrane capacitance (1 uF/cm^2 x AREA)",
                     low="0.001 pF"),
    "g_L": Parameter("nS", 10 * nS, "leak conductance (0.1 mS/cm^2 x AREA)", low="0 nS"),
    "E_L": Parameter("mV", -65 * mV, "leak reversal potential"),
    "g_Na": Parameter("uS", 3.5 * uS, "maximal sodium conductance (35 mS/cm^2 x AREA)",
                      low="0 nS"),
    "E_Na": Parameter("mV", 55 * mV, "sodium reversal potential"),
    "g_K": Parameter("nS", 900 * nS, "maximal potassium conductance (9 mS/cm^2 x AREA)",
                     low="0 nS"),
    "E_K": Parameter("mV", -90 * mV, "potassium reversal potential"),
    "phi": Parameter("1", 5, "temperature factor of the h and n kinetics", low=0),
    "V_spike": Parameter("mV", -20 * mV, "spike detection threshold (upward crossing)"),
    "tau_ref": Parameter("ms", 1 * ms, "dead time after a detected spike", low="0 ms"),
}

wang_buzsaki_cond_exp = point_neuron(
    "wang_buzsaki_cond_exp", _MEMBRANE, _PARAMETERS, _BLOCK,
    threshold="v > V_spike",
    reset="",
    refractory="tau_ref",
    method="exponential_euler",
    initial={"v": -64 * mV, "n": 0.078, "h": 0.83},
    description="Wang & Buzsaki (1996) fast-spiking interneuron (densities x 1e-4 cm^2), "
                "with exponential excitatory and inhibitory conductances; type-I onset.",
    references=(
        Reference("Wang & Buzsaki (1996) Gamma oscillation by synaptic inhibition in a "
                  "hippocampal interneuronal network model, J Neurosci 16:6402",
                  "10.1523/JNEUROSCI.16-20-06402.1996"),
    ),
    tags=("point", "conductance-based", "hodgkin-huxley", "type-I", "fast-spiking"),
    current_range=(0 * pA, 200 * pA),
)
