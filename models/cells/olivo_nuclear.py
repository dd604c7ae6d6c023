"""Cell types of the olivo-cerebellar loop: deep cerebellar nucleus and inferior olive.

Both use `hh_lts_cond_exp` (Traub-Miles Na/K, T-type Ca2+ and h currents), the currents
behind their hallmark low-threshold responses, on a 29000 um^2 single compartment:

- ``cerebellum_dcn``: deep cerebellar nucleus projection neuron, spontaneously active
  (tens of Hz in vitro; Jahnsen 1986, Aizenman & Linden 1999) with a rebound burst after
  release from hyperpolarisation or inhibition (Llinas & Muhlethaler 1988, Aizenman &
  Linden 1999); the less hyperpolarised leak reversal (-72 mV) makes it a pacemaker.
- ``inferior_olive``: inferior olive neuron whose T and h currents sustain a rhythmic
  low-threshold Ca2+ spike at 3-10 Hz, each crowned by a few fast spikes (Llinas & Yarom
  1981, 1986): the h current depolarises the cell until the T current fires, the T current
  inactivates and the cell repolarises, de-inactivating it again. With E_L = -84 mV and
  g_h = 0.1 mS/cm^2 the oscillation is the only attractor of the preset (it starts from any
  resting state). Without the T current the cell is silent.
"""

from bioneuro.models.composition import define_cell
from bioneuro.models.hh_calcium import area_parameters, hh_lts_cond_exp
from brian2.units import cm, msiemens, mV, pA, uF, um

from bioneuro.spec import Reference

__all__ = ["cerebellum_dcn", "inferior_olive"]

_AREA = 29000 * um**2
_DENSITIES = dict(C_m=1 * uF / cm**2, g_L=0.05 * msiemens / cm**2, g_Na=90 * msiemens / cm**2,
                  g_K=10 * msiemens / cm**2, E_K=-95 * mV, g_T=2 * msiemens / cm**2,
                  E_h=-40 * mV)

cerebellum_dcn = define_cell(
    "cerebellum_dcn", hh_lts_cond_exp,
    parameters=area_parameters(_AREA, **_DENSITIES, E_L=-72 * mV, V_T=-52 * mV,
                               g_h=0.02 * msiemens / cm**2),
    initial={"v": -65 * mV, "h_T": 0.05, "m_h": 0.1},
    description="Deep cerebellar nucleus neuron: spontaneous firing, rebound burst after "
                "hyperpolarisation (T-type Ca2+ and h currents).",
    reproduces="spontaneous firing at 5-40 Hz; after release from a hyperpolarising step a "
               "rebound burst whose rate exceeds the spontaneous rate several-fold "
               "(Aizenman & Linden 1999; Llinas & Muhlethaler 1988)",
    region="cerebellum",
    references=(
        Reference("Llinas & Muhlethaler (1988) Electrophysiology of guinea-pig cerebellar "
                  "nuclear cells in the in vitro brain stem-cerebellar preparation, "
                  "J Physiol 404:241"),
        Reference("Aizenman & Linden (1999) Regulation of the rebound depolarization and "
                  "spontaneous firing patterns of deep nuclear neurons in slices of rat "
                  "cerebellum, J Neurophysiol 82:1697", "10.1152/jn.1999.82.4.1697"),
    ),
    current_range=(-400 * pA, 200 * pA),
    tags=("spontaneous", "rebound"),
)

inferior_olive = define_cell(
    "inferior_olive", hh_lts_cond_exp,
    parameters=area_parameters(_AREA, **_DENSITIES, E_L=-84 * mV, V_T=-30 * mV,
                               g_h=0.1 * msiemens / cm**2),
    initial={"v": -70 * mV, "h_T": 0.1, "m_h": 0.3},
    description="Inferior olive neuron: rhythmic low-threshold Ca2+ spikes at 3-10 Hz "
                "(T-type Ca2+ and h currents).",
    reproduces="rhythmic low-threshold Ca2+ spikes at 3-10 Hz without input, absent without "
               "the T current (Llinas & Yarom 1981, 1986)",
    region="brainstem",
    references=(
        Reference("Llinas & Yarom (1981) Electrophysiology of mammalian inferior olivary "
                  "neurones in vitro. Different types of voltage-dependent ionic "
                  "conductances, J Physiol 315:549"),
        Reference("Llinas & Yarom (1986) Oscillatory properties of guinea-pig inferior "
                  "olivary neurones and their pharmacological modulation: an in vitro study, "
                  "J Physiol 376:163"),
    ),
    current_range=(-200 * pA, 200 * pA),
    tags=("oscillator", "low-threshold spike"),
)
