"""Mechanisms that compose onto any library neuron model (see `compose`).

Each factory returns a `Mechanism` whose parameter defaults (and hence units) come from its
arguments, so the same mechanism serves a point neuron in pA and a density model in
uA/cm^2. Compose with ``compose(model, adaptation_current(...), ou_current(...))``.
"""

from bioneuro.models.composition import Mechanism
from brian2.units import ms, mV, nS, pA

from bioneuro.quantities import display_quantity, equation_unit, preferred_unit
from bioneuro.spec import Parameter, Reference

__all__ = ["adaptation_current", "threshold_adaptation", "relative_refractory", "ou_current",
           "white_noise", "step_current"]

_BRETTE_GERSTNER = Reference("Brette & Gerstner (2005) Adaptive exponential integrate-and-fire "
                             "model as an effective description of neuronal activity, "
                             "J Neurophysiol 94:3637", "10.1152/jn.00686.2005")
_CHACRON = Reference("Chacron, Pakdaman & Longtin (2003) Interspike interval correlations, "
                     "memory, adaptation, and refractoriness in a leaky integrate-and-fire "
                     "model with threshold fatigue, Neural Comput 15:253",
                     "10.1162/089976603762552915")
_UHLENBECK = Reference("Uhlenbeck & Ornstein (1930) On the theory of the Brownian motion, "
                       "Phys Rev 36:823", "10.1103/PhysRev.36.823")


def _unit(quantity):
    """(display unit, equation unit) of a quantity, e.g. ('pA', 'amp')."""
    return preferred_unit(quantity), equation_unit(quantity)


def adaptation_current(a=4 * nS, b=80.5 * pA, tau_w=144 * ms, leak_reversal="E_L"):
    """Spike-triggered and subthreshold adaptation current ``w_a`` (AdEx form).

    ``tau_w dw_a/dt = a_w (v - E_L) - w_a``, ``w_a += b_w`` at each spike; ``-w_a`` is added
    to the input current. Defaults: Brette & Gerstner (2005), Table 1.

    Parameters
    ----------
    a : Quantity
        Subthreshold adaptation conductance (nS; or mS/cm^2 for a density model).
    b : Quantity
        Spike-triggered increment (pA; or uA/cm^2).
    tau_w : Quantity
        Adaptation time constant.
    leak_reversal : str
        The model's leak reversal parameter.
    """
    a_disp, _ = _unit(a)
    b_disp, b_eq = _unit(b)
    return Mechanism(
        name="adaptation",
        equations=f"dw_a/dt = (a_w*({{v}} - {leak_reversal}) - w_a)/tau_w : {b_eq}",
        current="-w_a", reset="w_a += b_w",
        parameters={
            "a_w": Parameter(a_disp, a, "subthreshold adaptation conductance", low=0 * a),
            "b_w": Parameter(b_disp, b, "spike-triggered adaptation increment", low=0 * b),
            "tau_w": Parameter("ms", tau_w, "adaptation time constant", low="0.01 ms"),
        },
        initial={"w_a": 0 * b},
        description="Spike-frequency adaptation current (a_w, b_w, tau_w).",
        references=(_BRETTE_GERSTNER,))


def threshold_adaptation(delta=2 * mV, tau=100 * ms):
    """Cumulative threshold adaptation: ``V_th -> V_th + theta``, ``theta += delta`` per spike.

    ``dtheta/dt = -theta/tau_theta`` (Chacron et al. 2003, threshold fatigue).
    """
    return Mechanism(
        name="threshold_adaptation",
        equations="dtheta/dt = -theta/tau_theta : volt",
        threshold_offset="theta", reset="theta += delta_theta",
        parameters={
            "delta_theta": Parameter("mV", delta, "threshold increment per spike", low="0 mV"),
            "tau_theta": Parameter("ms", tau, "threshold recovery time constant",
                                   low="0.01 ms"),
        },
        initial={"theta": 0 * mV},
        description="Threshold adaptation (delta_theta per spike, decaying with tau_theta).",
        references=(_CHACRON,))


def relative_refractory(elevation=10 * mV, tau=5 * ms):
    """Relative refractory period: after a spike the threshold is *set* to ``V_th + theta_rr``
    with ``theta_rr = elevation``, decaying back with `tau` (Gerstner et al. 2014, sec. 6.4).

    Unlike `threshold_adaptation` the elevation does not accumulate, so it shapes the
    shortest intervals without adapting the rate over many spikes.
    """
    return Mechanism(
        name="relative_refractory",
        equations="dtheta_rr/dt = -theta_rr/tau_rr : volt",
        threshold_offset="theta_rr", reset="theta_rr = theta_rr_0",
        parameters={
            "theta_rr_0": Parameter("mV", elevation, "threshold elevation right after a spike",
                                    low="0 mV"),
            "tau_rr": Parameter("ms", tau, "decay time constant of the elevation",
                                low="0.01 ms"),
        },
        initial={"theta_rr": 0 * mV},
        description="Relative refractory period (threshold elevation theta_rr_0 decaying "
                    "with tau_rr).",
        references=(Reference("Gerstner, Kistler, Naud & Paninski (2014) Neuronal Dynamics, "
                              "Cambridge UP, ch. 6", "10.1017/CBO9781107447615"),))


def ou_current(mean=0 * pA, sigma=50 * pA, tau=5 * ms):
    """Ornstein-Uhlenbeck noise current with stationary mean `mean` and std `sigma`.

    ``dI_noise/dt = (mu_noise - I_noise)/tau_noise + sigma_noise sqrt(2/tau_noise) xi``.
    """
    disp, eq = _unit(sigma)
    return Mechanism(
        name="ou_noise",
        equations=f"dI_noise/dt = (mu_noise - I_noise)/tau_noise + "
                  f"sigma_noise*sqrt(2/tau_noise)*xi_noise : {eq}",
        current="I_noise",
        parameters={
            "mu_noise": Parameter(disp, mean, "mean of the noise current"),
            "sigma_noise": Parameter(disp, sigma, "stationary std of the noise current",
                                     low=0 * sigma),
            "tau_noise": Parameter("ms", tau, "correlation time of the noise current",
                                   low="0.01 ms"),
        },
        initial={"I_noise": mean},
        stochastic=True,
        description=f"Ornstein-Uhlenbeck noise current (std {display_quantity(sigma, disp)}).",
        references=(_UHLENBECK,))


def white_noise(sigma=2 * mV, tau=10 * ms):
    """White-noise drive of the membrane potential: ``+ sigma_v sqrt(2/tau_v) xi`` in dv/dt.

    For a leaky membrane of time constant ``tau_v`` (set it to the model's ``tau_m``) the
    free subthreshold potential fluctuates with stationary std `sigma`.
    """
    return Mechanism(
        name="white_noise",
        voltage_noise="sigma_v*sqrt(2/tau_v)*xi_v",
        parameters={
            "sigma_v": Parameter("mV", sigma, "std of the free membrane potential", low="0 mV"),
            "tau_v": Parameter("ms", tau, "membrane time constant the noise is scaled to",
                               low="0.01 ms"),
        },
        stochastic=True,
        description=f"White membrane noise (std {display_quantity(sigma, 'mV')}).",
        references=(Reference("Tuckwell (1988) Introduction to Theoretical Neurobiology, "
                              "vol 2, Cambridge UP", "10.1017/CBO9780511623271"),))


def step_current(amplitude=100 * pA, t_on=100 * ms, t_off=600 * ms):
    """A current step ``I_step`` on during ``[t_step_on, t_step_off)``.

    ``I_step`` is a per-neuron parameter: a population with
    ``I_step: {"kind": "linspace", ...}`` sweeps amplitudes in one run (an f-I curve).
    """
    disp, _ = _unit(amplitude)
    return Mechanism(
        name="step",
        current="I_step*int(t >= t_step_on)*int(t < t_step_off)",
        parameters={
            "I_step": Parameter(disp, amplitude, "amplitude of the current step"),
            "t_step_on": Parameter("ms", t_on, "step onset", low="0 ms", shared=True),
            "t_step_off": Parameter("ms", t_off, "step offset", low="0 ms", shared=True),
        },
        time_dependent=True,
        description="A current step I_step during [t_step_on, t_step_off).")
