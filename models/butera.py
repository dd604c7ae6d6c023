"""Butera, Rinzel & Smith (1999) pre-Botzinger neuron: spike currents, leak and tonic drive.

``butera_cond_exp`` is the membrane of the pre-Botzinger complex models of Butera et al.
(1999) without their burst-generating current: fast Na+ with instantaneous activation
and inactivation ``h = 1 - n`` (their reduction), delayed-rectifier K+, leak and the tonic
excitatory synaptic conductance ``g_tonic`` (reversal ``E_tonic`` = 0 mV) that sets the
activity mode. ``butera_nap_cond_exp`` adds their persistent Na+ current with slow
inactivation (`bioneuro.models.ion_channels.persistent_sodium`): their model 1, the model of
the ``brainstem_prebotzinger_pacemaker`` cell type. Gating functions:
``x_inf = 1/(1 + exp((v - theta_x)/sigma_x))``, ``tau_x = tau_max/cosh((v - theta_x)/(2 sigma_x))``.
Defaults are the paper's Table 1 (a point neuron of 21 pF).
"""

from bioneuro.models.composition import compose, point_neuron
from bioneuro.models.ion_channels import persistent_sodium
from bioneuro.models.synaptic_kernels import exp_conductance_kernel
from brian2.units import ms, mV, nS, pA, pF

from bioneuro.spec import Parameter, Reference

__all__ = ["butera_cond_exp", "butera_nap_cond_exp"]

_BUTERA = Reference("Butera, Rinzel & Smith (1999) Models of respiratory rhythm generation in "
                    "the pre-Botzinger complex. I. Bursting pacemaker neurons, "
                    "J Neurophysiol 82:382", "10.1152/jn.1999.82.1.382")

_MEMBRANE = """
dv/dt = (g_L*(E_L - v) - g_Na*m_inf**3*(1 - n)*(v - E_Na) - g_K*n**4*(v - E_K)
         + g_tonic*(E_tonic - v) + I_syn + I_in)/C_m : volt
dn/dt = (n_inf - n)*cosh((v - theta_n)/(2*sigma_n))/tau_n_max : 1
m_inf = 1/(1 + exp((v - theta_m)/sigma_m)) : 1
n_inf = 1/(1 + exp((v - theta_n)/sigma_n)) : 1
"""

# Butera et al. (1999b) couple the cells by excitatory synapses (E_syn-e = 0 mV)
_BLOCK = exp_conductance_kernel(
    ("e", "i"), {"e": 5 * ms, "i": 10 * ms}, {"e": 0 * mV, "i": -70 * mV})

_PARAMETERS = {
    "C_m": Parameter("pF", 21 * pF, "membrane capacitance", low="0.001 pF"),
    "g_L": Parameter("nS", 2.8 * nS, "leak conductance", low="0 nS"),
    "E_L": Parameter("mV", -65 * mV, "leak reversal potential"),
    "g_Na": Parameter("nS", 28 * nS, "maximal fast sodium conductance", low="0 nS"),
    "E_Na": Parameter("mV", 50 * mV, "sodium reversal potential"),
    "g_K": Parameter("nS", 11.2 * nS, "maximal delayed-rectifier conductance", low="0 nS"),
    "E_K": Parameter("mV", -85 * mV, "potassium reversal potential"),
    "g_tonic": Parameter("nS", 0 * nS, "tonic excitatory synaptic conductance", low="0 nS"),
    "E_tonic": Parameter("mV", 0 * mV, "reversal potential of the tonic conductance"),
    "theta_m": Parameter("mV", -34 * mV, "half-activation voltage of fast Na"),
    "sigma_m": Parameter("mV", -5 * mV, "activation slope of fast Na (negative)",
                         high="-0.1 mV"),
    "theta_n": Parameter("mV", -29 * mV, "half-activation voltage of K"),
    "sigma_n": Parameter("mV", -4 * mV, "activation slope of K (negative)", high="-0.1 mV"),
    "tau_n_max": Parameter("ms", 10 * ms, "maximal K activation time constant",
                           low="0.01 ms"),
    "V_spike": Parameter("mV", -20 * mV, "spike detection threshold (upward crossing)"),
    "tau_ref": Parameter("ms", 2 * ms, "dead time after a detected spike", low="0 ms"),
}

butera_cond_exp = point_neuron(
    "butera_cond_exp", _MEMBRANE, _PARAMETERS, _BLOCK,
    threshold="v > V_spike",
    reset="",
    refractory="tau_ref",
    method="exponential_euler",
    initial={"v": -60 * mV, "n": 0.0},
    description="Butera et al. (1999) pre-Botzinger membrane: fast Na (h = 1 - n), K, leak "
                "and tonic excitation g_tonic; add persistent Na for the pacemaker.",
    references=(_BUTERA,),
    tags=("point", "conductance-based", "hodgkin-huxley"),
    current_range=(0 * pA, 150 * pA),   # tonic firing from about 60 pA
)

butera_nap_cond_exp = compose(
    butera_cond_exp, persistent_sodium(), name="butera_nap_cond_exp", register=True,
    description="Butera et al. (1999) model 1 pre-Botzinger pacemaker: fast Na, K, leak, "
                "tonic excitation and persistent Na with slow inactivation (bursting).")
