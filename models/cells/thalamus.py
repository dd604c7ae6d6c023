"""Thalamic cell types.

``thalamus_tc_relay``: thalamocortical relay neuron, `hh_lts_cond_exp` (Traub-Miles Na/K,
T-type Ca2+ and h currents) on a 29000 um^2 single compartment, with densities in the
range of the relay-cell model of Destexhe et al. (1996) (Na 90, K 10, T 2, h 0.02 mS/cm^2;
the leak, 0.05 mS/cm^2 reversing at -80 mV, is set here for a silent rest near -72 mV).
Its two firing modes (Jahnsen & Llinas 1984; McCormick & Huguenard 1992): from rest
(-72 mV) a depolarising step evokes tonic single spikes; after a hyperpolarising step the
de-inactivated T current gives a low-threshold Ca2+ spike crowned by a burst of fast spikes
(2-6 spikes at 150-400 Hz).
"""

from bioneuro.models.composition import define_cell
from bioneuro.models.hh_calcium import area_parameters, hh_lts_cond_exp
from brian2.units import cm, msiemens, mV, pA, uF, um

from bioneuro.spec import Reference

__all__ = ["thalamus_tc_relay"]

_AREA = 29000 * um**2

thalamus_tc_relay = define_cell(
    "thalamus_tc_relay", hh_lts_cond_exp,
    parameters=area_parameters(
        _AREA, C_m=1 * uF / cm**2, g_L=0.05 * msiemens / cm**2, E_L=-80 * mV,
        g_Na=90 * msiemens / cm**2, g_K=10 * msiemens / cm**2, V_T=-52 * mV, E_K=-95 * mV,
        g_T=2 * msiemens / cm**2, g_h=0.02 * msiemens / cm**2, E_h=-40 * mV),
    initial={"v": -71 * mV, "h_T": 0.07, "m_h": 0.32},
    description="Thalamocortical relay neuron: tonic firing from rest, rebound burst (T-type "
                "Ca2+ low-threshold spike) after hyperpolarisation.",
    reproduces="tonic firing for depolarising steps from rest (-72 mV); after release from a "
               "hyperpolarising step a rebound burst of 2-6 spikes at 150-400 Hz on a "
               "low-threshold Ca2+ spike (Jahnsen & Llinas 1984)",
    region="thalamus",
    references=(
        Reference("Jahnsen & Llinas (1984) Electrophysiological properties of guinea-pig "
                  "thalamic neurones: an in vitro study, J Physiol 349:205"),
        Reference("McCormick & Huguenard (1992) A model of the electrophysiological "
                  "properties of thalamocortical relay neurons, J Neurophysiol 68:1384",
                  "10.1152/jn.1992.68.4.1384"),
        Reference("Destexhe, Bal, McCormick & Sejnowski (1996) Ionic mechanisms underlying "
                  "synchronized oscillations and propagating waves in a model of ferret "
                  "thalamic slices, J Neurophysiol 76:2049", "10.1152/jn.1996.76.3.2049"),
    ),
    current_range=(-300 * pA, 300 * pA),
    tags=("bursting", "rebound"),
)
