"""Ionic currents that compose onto Hodgkin-Huxley type models (see `compose`).

Each factory returns a `Mechanism` adding one current to the model's input current ``I_in``
(its value is the subexpression ``I_<name>``, positive outwards as in the membrane equation
``C dv/dt = ... - I_<name>``). The conductance argument sets the units: ``nS`` for a point
neuron in amperes, ``mS/cm**2`` for a density model. Currents carried by Na+ and K+ use the
model's own ``E_Na`` and ``E_K``; Ca2+ and h currents bring their reversal potentials.

=============================  =====================================================  ==========
factory                        current                                                 adds
=============================  =====================================================  ==========
`persistent_sodium` (NaP)      ``g m_inf(v) h (v - E_Na)``, slow inactivation h       ``h_NaP``
`low_threshold_calcium` (CaT)  ``g m_inf(v)^2 h (v - E_CaT)``, T-type                 ``h_T``
`high_threshold_calcium` (HVA) ``g m^2 h (v - E_CaH)`` and the Ca2+ pool ``Ca_i``      ``m_H``...
`calcium_activated_potassium`  ``g Ca_i/(Ca_i + K_AHP) (v - E_K)`` (AHP, SK type)       (needs
(AHP)                                                                                 ``Ca_i``)
`h_current` (h)                ``g m (v - E_h)``, hyperpolarisation-activated          ``m_h``
=============================  =====================================================  ==========

Compose the AHP current after the HVA current whose calcium pool it reads:
``compose(model, high_threshold_calcium(), calcium_activated_potassium())``.
"""

from bioneuro.models.composition import Mechanism
from brian2.units import ms, mV, nS, uM, um

from bioneuro.errors import SpecError
from bioneuro.quantities import equation_unit, preferred_unit
from bioneuro.spec import Parameter, Reference

__all__ = ["persistent_sodium", "low_threshold_calcium", "high_threshold_calcium",
           "calcium_activated_potassium", "h_current"]

_BUTERA = Reference("Butera, Rinzel & Smith (1999) Models of respiratory rhythm generation in "
                    "the pre-Botzinger complex. I. Bursting pacemaker neurons, "
                    "J Neurophysiol 82:382", "10.1152/jn.1999.82.1.382")
_HUGUENARD = Reference("Huguenard & McCormick (1992) Simulation of the currents involved in "
                       "rhythmic oscillations in thalamic relay neurons, J Neurophysiol 68:1373",
                       "10.1152/jn.1992.68.4.1373")
_DESTEXHE = Reference("Destexhe, Bal, McCormick & Sejnowski (1996) Ionic mechanisms underlying "
                      "synchronized oscillations and propagating waves in a model of ferret "
                      "thalamic slices, J Neurophysiol 76:2049", "10.1152/jn.1996.76.3.2049")
_MCCORMICK_PAPE = Reference("McCormick & Pape (1990) Properties of a hyperpolarization-"
                            "activated cation current and its role in rhythmic oscillation in "
                            "thalamic relay neurones, J Physiol 431:291",
                            "10.1113/jphysiol.1990.sp018331")
_BOOTH = Reference("Booth, Rinzel & Kiehn (1997) Compartmental model of vertebrate motoneurons "
                   "for Ca2+-dependent spiking and plateau potentials under pharmacological "
                   "treatment, J Neurophysiol 78:3371", "10.1152/jn.1997.78.6.3371")


def _units(g):
    """(display unit of `g`, equation unit of the current it carries)."""
    return preferred_unit(g), equation_unit(g * mV)


def _conductance(g, meaning):
    return Parameter(preferred_unit(g), g, f"maximal {meaning} conductance", low=0 * g)


def persistent_sodium(g=2.8 * nS, theta_m=-40 * mV, sigma_m=-6 * mV, theta_h=-48 * mV,
                      sigma_h=6 * mV, tau_h_max=10000 * ms):
    """Persistent Na+ current with instantaneous activation and slow inactivation (NaP).

    ``I_NaP = g_NaP m_inf(v) h_NaP (v - E_Na)``, ``x_inf = 1/(1 + exp((v - theta_x)/sigma_x))``,
    ``tau_h = tau_h_max / cosh((v - theta_h)/(2 sigma_h))``. Defaults: Butera et al. (1999)
    model 1 (2.8 nS, theta/sigma -40/-6 mV and -48/6 mV, tau_h_max 10 s).
    """
    _, current = _units(g)
    return Mechanism(
        name="nap",
        equations=f"""
I_NaP = g_NaP*m_NaP_inf*h_NaP*({{v}} - E_Na) : {current}
m_NaP_inf = 1/(1 + exp(({{v}} - theta_m_NaP)/sigma_m_NaP)) : 1
dh_NaP/dt = (1/(1 + exp(({{v}} - theta_h_NaP)/sigma_h_NaP)) - h_NaP)
            *cosh(({{v}} - theta_h_NaP)/(2*sigma_h_NaP))/tau_h_NaP : 1
""",
        current="-I_NaP",
        parameters={
            "g_NaP": _conductance(g, "persistent sodium"),
            "theta_m_NaP": Parameter("mV", theta_m, "half-activation voltage of NaP"),
            "sigma_m_NaP": Parameter("mV", sigma_m, "activation slope of NaP (negative)",
                                     high="-0.1 mV"),
            "theta_h_NaP": Parameter("mV", theta_h, "half-inactivation voltage of NaP"),
            "sigma_h_NaP": Parameter("mV", sigma_h, "inactivation slope of NaP (positive)",
                                     low="0.1 mV"),
            "tau_h_NaP": Parameter("ms", tau_h_max, "maximal NaP inactivation time constant",
                                   low="0.01 ms"),
        },
        initial={"h_NaP": 0.6},
        description=f"Persistent sodium current (g_NaP {g}, slow inactivation).",
        references=(_BUTERA,))


def low_threshold_calcium(g=2 * nS, reversal=120 * mV, shift=0 * mV, phi_h=3.737):
    """T-type (low-threshold) Ca2+ current of thalamic relay neurons (CaT).

    ``I_T = g_T m_inf(v)^2 h_T (v - E_CaT)`` with Huguenard & McCormick (1992) kinetics at
    36 degC as in Destexhe et al. (1996): ``m_inf = 1/(1 + exp(-(v + 57 mV)/6.2 mV))``,
    ``h_inf = 1/(1 + exp((v + 81 mV)/4 mV))``, ``tau_h = (30.8 + (211.4 + exp((v + 113.2)/5))
    / (1 + exp((v + 84)/3.2))) / phi_h`` ms, voltages shifted by `shift`. Inactivated at
    rest, de-inactivated by hyperpolarisation: the source of rebound bursts.
    """
    _, current = _units(g)
    vs = "({v} - V_shift_T)/mV"
    return Mechanism(
        name="cat",
        equations=f"""
I_T = g_T*m_T_inf**2*h_T*({{v}} - E_CaT) : {current}
m_T_inf = 1/(1 + exp(-({vs} + 57)/6.2)) : 1
h_T_inf = 1/(1 + exp(({vs} + 81)/4)) : 1
tau_h_T = (30.8 + (211.4 + exp(({vs} + 113.2)/5))/(1 + exp(({vs} + 84)/3.2)))*ms/phi_T : second
dh_T/dt = (h_T_inf - h_T)/tau_h_T : 1
""",
        current="-I_T",
        parameters={
            "g_T": _conductance(g, "T-type calcium"),
            "E_CaT": Parameter("mV", reversal, "reversal potential of the T current"),
            "V_shift_T": Parameter("mV", shift, "shift of the T-current voltage dependence"),
            "phi_T": Parameter("1", phi_h, "temperature factor of the inactivation "
                               "(3^1.2 at 36 degC)", low=0.01),
        },
        initial={"h_T": 0.2},
        description=f"T-type calcium current (g_T {g}).",
        references=(_HUGUENARD, _DESTEXHE))


def high_threshold_calcium(g=10 * nS, reversal=80 * mV, volume=1000 * um**3, tau_ca=50 * ms):
    """High-voltage-activated Ca2+ current (N/L type) filling a submembrane Ca2+ pool.

    ``I_CaH = g_CaH m_H^2 h_H (v - E_CaH)`` with the kinetics of the somatic N-type current of
    Booth, Rinzel & Kiehn (1997): ``m_inf = 1/(1 + exp(-(v + 30 mV)/5 mV))``, tau_m 4 ms,
    ``h_inf = 1/(1 + exp((v + 45 mV)/5 mV))``, tau_h 40 ms. The entering Ca2+ fills a pool of
    effective volume `volume` (buffering included) that empties with `tau_ca`:
    ``dCa_i/dt = -I_CaH/(2 F vol_Ca) - Ca_i/tau_Ca``; ``Ca_i`` is the submembrane
    concentration above its resting level (0 at rest, as in Booth et al. 1997).

    Point neurons only (`g` in siemens): the pool needs a current, not a current density.
    """
    if equation_unit(g) != "siemens":
        raise SpecError("high_threshold_calcium.g", g, "a conductance in siemens (nS, uS): "
                        "the calcium pool of a point neuron")
    _, current = _units(g)
    return Mechanism(
        name="hva",
        equations=f"""
I_CaH = g_CaH*m_H**2*h_H*({{v}} - E_CaH) : {current}
dm_H/dt = (1/(1 + exp(-({{v}} + 30*mV)/(5*mV))) - m_H)/(4*ms) : 1
dh_H/dt = (1/(1 + exp(({{v}} + 45*mV)/(5*mV))) - h_H)/(40*ms) : 1
dCa_i/dt = -I_CaH/(2*96485.33*coulomb/mole*vol_Ca) - Ca_i/tau_Ca : mmolar
""",
        current="-I_CaH",
        parameters={
            "g_CaH": _conductance(g, "high-threshold calcium"),
            "E_CaH": Parameter("mV", reversal, "reversal potential of the HVA current"),
            "vol_Ca": Parameter("um**3", volume, "effective volume of the Ca2+ pool",
                                low="1e-6 um**3"),
            "tau_Ca": Parameter("ms", tau_ca, "Ca2+ removal time constant", low="0.01 ms"),
        },
        initial={"m_H": 0.0, "h_H": 1.0, "Ca_i": 0 * uM},
        description=f"High-threshold calcium current (g_CaH {g}) with a Ca2+ pool "
                    f"(tau_Ca {tau_ca}).",
        references=(_BOOTH,))


def calcium_activated_potassium(g=50 * nS, k_half=0.2 * uM):
    """Ca2+-activated K+ current of the afterhyperpolarisation (AHP, SK type).

    ``I_AHP = g_AHP Ca_i/(Ca_i + K_AHP) (v - E_K)`` (Booth, Rinzel & Kiehn 1997); reads the
    pool ``Ca_i`` of `high_threshold_calcium`, so its decay time ``tau_Ca`` sets the AHP
    duration.
    """
    _, current = _units(g)
    return Mechanism(
        name="ahp",
        equations=f"I_AHP = g_AHP*Ca_i/(Ca_i + K_AHP)*({{v}} - E_K) : {current}",
        current="-I_AHP",
        parameters={
            "g_AHP": _conductance(g, "calcium-activated potassium"),
            "K_AHP": Parameter("uM", k_half, "Ca2+ concentration of half activation",
                               low="0.001 uM"),
        },
        description=f"Calcium-activated potassium (AHP) current (g_AHP {g}).",
        references=(_BOOTH,))


def h_current(g=1 * nS, reversal=-43 * mV):
    """Hyperpolarisation-activated cation current (h, HCN).

    ``I_h = g_h m_h (v - E_h)``, ``m_inf = 1/(1 + exp((v + 75 mV)/5.5 mV))``,
    ``tau_m = 1/(exp(-14.59 - 0.086 v/mV) + exp(-1.87 + 0.0701 v/mV))`` ms (McCormick & Pape
    1990, as in Huguenard & McCormick 1992); ``E_h = -43 mV``.
    """
    _, current = _units(g)
    return Mechanism(
        name="h",
        equations=f"""
I_h = g_h*m_h*({{v}} - E_h) : {current}
dm_h/dt = (1/(1 + exp(({{v}} + 75*mV)/(5.5*mV))) - m_h)
          *(exp(-14.59 - 0.086*{{v}}/mV) + exp(-1.87 + 0.0701*{{v}}/mV))/ms : 1
""",
        current="-I_h",
        parameters={
            "g_h": _conductance(g, "h"),
            "E_h": Parameter("mV", reversal, "reversal potential of the h current"),
        },
        initial={"m_h": 0.02},
        description=f"Hyperpolarisation-activated h current (g_h {g}).",
        references=(_MCCORMICK_PAPE, _HUGUENARD))
