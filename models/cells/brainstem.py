"""Brainstem and spinal cell types: the pre-Botzinger pacemaker and motoneurons.

``brainstem_prebotzinger_pacemaker``: model 1 of Butera, Rinzel & Smith (1999)
(`butera_nap_cond_exp`, Table 1 parameters) with the leak reversal of their Fig. 4A3,
E_L = -57.5 mV, where it bursts. Its activity mode depends on the baseline potential, set by
E_L or by the tonic excitatory conductance ``g_tonic``: silent when hyperpolarised, bursting
(period from seconds to a fraction of a second, burst frequency 0.05 to > 1 Hz) in a window,
tonic beating above it.

``spinal_motoneuron_s`` and ``spinal_motoneuron_ff``: alpha motoneurons of slow (type S)
and fast-fatigable (type FF) motor units, `hh_ahp_cond_exp` (Traub-Miles Na/K, high-threshold
Ca2+ with a Ca2+ pool, Ca2+-activated K+ AHP current) with the same membrane densities
(1 uF/cm^2, leak 0.2 mS/cm^2: tau_m 5 ms) and the size principle (Henneman 1957): an S cell
is smaller (3.1e-3 cm^2 against 8.3e-3 cm^2), so it has the higher input resistance and the
lower rheobase, and its slower Ca2+ removal gives it the longer AHP. Target values, cat
medial gastrocnemius (Zengel et al. 1985): input resistance about 1.6 (S) and 0.6 MOhm (FF),
rheobase about 5 and 20 nA, AHP duration about 160 and 80 ms.
"""

from bioneuro.models.butera import butera_nap_cond_exp
from bioneuro.models.composition import define_cell
from bioneuro.models.hh_calcium import area_parameters, hh_ahp_cond_exp
from brian2.units import cm, ms, msiemens, mV, nA, pA, uF, um

from bioneuro.spec import Reference

__all__ = ["brainstem_prebotzinger_pacemaker", "spinal_motoneuron_s", "spinal_motoneuron_ff"]

_BUTERA = Reference("Butera, Rinzel & Smith (1999) Models of respiratory rhythm generation in "
                    "the pre-Botzinger complex. I. Bursting pacemaker neurons, "
                    "J Neurophysiol 82:382", "10.1152/jn.1999.82.1.382")

brainstem_prebotzinger_pacemaker = define_cell(
    "brainstem_prebotzinger_pacemaker", butera_nap_cond_exp,
    parameters={"E_L": -57.5 * mV},
    initial={"v": -60 * mV, "h_NaP": 0.6},
    description="Pre-Botzinger complex pacemaker (Butera et al. 1999 model 1): persistent Na "
                "bursting, silent/bursting/beating with the baseline potential.",
    reproduces="bursting at E_L = -57.5 mV (Butera et al. 1999, Fig. 4A3), silent when "
               "hyperpolarised, tonic beating when depolarised (by E_L or g_tonic); burst "
               "frequency rising with depolarisation within 0.05 to > 1 Hz",
    region="brainstem",
    references=(_BUTERA,),
    current_range=(-10 * pA, 30 * pA),
    tags=("pacemaker", "bursting"),
)

_MOTONEURON = dict(
    C_m=1 * uF / cm**2, g_L=0.2 * msiemens / cm**2, E_L=-70 * mV, g_Na=50 * msiemens / cm**2,
    g_K=15 * msiemens / cm**2, V_T=-63 * mV, E_K=-80 * mV, g_CaH=0.3 * msiemens / cm**2,
    g_AHP=1 * msiemens / cm**2, vol_Ca=0.5 * um)
_ZENGEL = Reference("Zengel, Reid, Sypert & Munson (1985) Membrane electrical properties and "
                    "prediction of motor-unit type of medial gastrocnemius motoneurons in the "
                    "cat, J Neurophysiol 53:1323", "10.1152/jn.1985.53.5.1323")
_HENNEMAN = Reference("Henneman (1957) Relation between size of neurons and their "
                      "susceptibility to discharge, Science 126:1345",
                      "10.1126/science.126.3287.1345")
_BOOTH = Reference("Booth, Rinzel & Kiehn (1997) Compartmental model of vertebrate motoneurons "
                   "for Ca2+-dependent spiking and plateau potentials under pharmacological "
                   "treatment, J Neurophysiol 78:3371", "10.1152/jn.1997.78.6.3371")


def _motoneuron(name, kind, area, tau_ca, targets, current_range):
    return define_cell(
        name, hh_ahp_cond_exp,
        parameters=area_parameters(area, **_MOTONEURON, tau_Ca=tau_ca),
        initial={"v": -70 * mV},
        description=f"Spinal alpha motoneuron of a {kind} motor unit (size principle: area "
                    f"{area / cm**2:.2g} cm^2, Ca2+-activated K+ AHP).",
        reproduces=f"input resistance, rheobase and AHP duration of {kind} motoneurons, "
                   f"{targets} (Zengel et al. 1985); recruited in order of size",
        region="spinal_cord",
        references=(_ZENGEL, _HENNEMAN, _BOOTH),
        current_range=current_range,
        tags=("motoneuron", "size principle"),
    )


spinal_motoneuron_s = _motoneuron(
    "spinal_motoneuron_s", "slow (type S)", 3.1e-3 * cm**2, 32 * ms,
    "about 1.6 MOhm, 5 nA and 160 ms", (-5 * nA, 45 * nA))
spinal_motoneuron_ff = _motoneuron(
    "spinal_motoneuron_ff", "fast-fatigable (type FF)", 8.3e-3 * cm**2, 16 * ms,
    "about 0.6 MOhm, 20 nA and 80 ms", (-5 * nA, 45 * nA))
