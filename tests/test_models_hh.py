"""Hodgkin-Huxley family models and ion channels against closed forms and published onsets.

- Hodgkin & Huxley (1952): the resting state (-65 mV, gating variables at
  alpha/(alpha + beta)) from the paper's own rate functions, in its sign convention.
- Type-II onset of the squid axon (Rinzel & Miller 1980; Hodgkin 1948 classes): repetitive
  firing appears abruptly near 6.3 uA/cm^2 at about 50 Hz, no lower rate exists; type-I onset
  of the Wang & Buzsaki (1996) interneuron: arbitrarily low rates near the rheobase. Both
  from one cpp_standalone characterisation (module fixture), amplitudes swept across the
  neurons of one population.
"""

import numpy as np
import pytest
from bioneuro.models.composition import compose
from bioneuro.models.hh_calcium import area_parameters
from bioneuro.models.hh_squid import AREA, hh_squid_cond_exp
from bioneuro.models.hh_traub import hh_traub_cond_exp
from bioneuro.models.ion_channels import (
    calcium_activated_potassium,
    h_current,
    high_threshold_calcium,
    low_threshold_calcium,
    persistent_sodium,
)
from brian2.equations.equations import Equations
from brian2.units import amp, cm, mmolar, ms, msiemens, mV, nS, uA, uF, um
from brian2.units.fundamentalunits import get_dimensions

import bioneuro as bn
from bioneuro.characterise import characterise


def _hh1952_steady_state(v_mV):
    """Gating steady states of Hodgkin & Huxley (1952), eqs. 12-13, 20-21, 23-24, in the
    paper's convention: V = -(v + 65 mV) (depolarisation negative), mV and 1/ms."""
    V = -(v_mV + 65.0)
    a_n = 0.01 * (V + 10) / (np.exp((V + 10) / 10) - 1)
    b_n = 0.125 * np.exp(V / 80)
    a_m = 0.1 * (V + 25) / (np.exp((V + 25) / 10) - 1)
    b_m = 4 * np.exp(V / 18)
    a_h = 0.07 * np.exp(V / 20)
    b_h = 1 / (np.exp((V + 30) / 10) + 1)
    return a_m / (a_m + b_m), a_h / (a_h + b_h), a_n / (a_n + b_n)


def _hh1952_ionic_current(v_mV):
    """Total outward ionic current (uA/cm^2) at steady-state gating, with the paper's
    conductances and reversals V_Na = -115, V_K = +12, V_l = -10.613 mV (p. 520)."""
    m, h, n = _hh1952_steady_state(v_mV)
    V = -(v_mV + 65.0)
    return -(120 * m**3 * h * (V + 115) + 36 * n**4 * (V - 12) + 0.3 * (V + 10.613))


def test_hh_resting_state_matches_the_1952_closed_form():
    # closed-form rest: the zero of the steady-state ionic current
    lo, hi = -70.0, -60.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if _hh1952_ionic_current(mid) > 0 else (mid, hi)
    rest = (lo + hi) / 2
    assert abs(rest + 65.0) < 0.01       # the paper's rest, V = 0
    m0, h0, n0 = _hh1952_steady_state(rest)
    # the paper's resting values (p. 518-519): m 0.0529, h 0.5961, n 0.3177
    np.testing.assert_allclose([m0, h0, n0], [0.0529, 0.5961, 0.3177], atol=2e-4)
    # the model, started away from rest, relaxes to the same state
    pop = bn.Population("axon", hh_squid_cond_exp, 1, {}, {"v": -66 * mV, "m": 0.04,
                                                           "h": 0.65, "n": 0.3})
    exp = bn.Experiment("hh_rest", bn.Circuit("hh_rest", [pop]), recording=bn.Recording(
        state=[bn.StateProbe("axon", ["v", "m", "h", "n"], 1)]), duration=40 * ms,
        dt=0.025 * ms)
    ds = bn.run(exp)
    end = ds.isel(time=-1, recorded_neuron=0)
    assert abs(float(end["v"]) * 1e3 - rest) < 0.05
    np.testing.assert_allclose([float(end[k]) for k in "mhn"], [m0, h0, n0], atol=2e-3)


def test_squid_parameters_are_the_1952_densities_times_the_area():
    p = hh_squid_cond_exp.parameters
    for name, density in (("C_m", 1 * uF / cm**2), ("g_Na", 120 * msiemens / cm**2),
                          ("g_K", 36 * msiemens / cm**2), ("g_L", 0.3 * msiemens / cm**2)):
        assert abs(float(p[name].default / (density * AREA)) - 1) < 1e-9, name


def test_area_parameters_scales_densities_only():
    p = area_parameters(1e-4 * cm**2, C_m=1 * uF / cm**2, g_L=0.3 * msiemens / cm**2,
                        E_L=-65 * mV, vol_Ca=0.5 * um, phi_T=3.0)
    assert abs(float(p["C_m"]) - 100e-12) < 1e-20 and abs(float(p["g_L"]) - 30e-9) < 1e-17
    assert p["E_L"] == -65 * mV and p["phi_T"] == 3.0
    assert abs(float(p["vol_Ca"]) - 5000e-18) < 1e-24
    with pytest.raises(bn.SpecError, match="area"):
        area_parameters(3 * mV, g_L=1 * nS)


def test_channels_compose_with_their_units_and_sources():
    model = compose(hh_traub_cond_exp, persistent_sodium(), low_threshold_calcium(),
                    high_threshold_calcium(), calcium_activated_potassium(), h_current())
    units = model.variable_units()
    for current in ("I_NaP", "I_T", "I_CaH", "I_AHP", "I_h"):
        assert units[current] == amp, current
    assert units["Ca_i"] == mmolar
    assert {"h_NaP", "h_T", "m_H", "h_H", "Ca_i", "m_h"} <= set(model.initial)
    assert all(r.doi for r in model.references)
    # a density model gets density currents
    dens = Equations(persistent_sodium(g=0.1 * msiemens / cm**2).equations.format(v="v"))
    assert dens["I_NaP"].dim == get_dimensions(amp / cm**2)


def test_ahp_needs_the_calcium_pool_and_the_pool_a_point_neuron():
    with pytest.raises(bn.SpecError, match="Ca_i"):
        compose(hh_traub_cond_exp, calcium_activated_potassium())
    with pytest.raises(bn.SpecError, match="siemens"):
        high_threshold_calcium(g=0.1 * msiemens / cm**2)


# -- onsets: one standalone build for both models --------------------------------------------

SQUID_AMPS = (5.5, 7.5)     # uA/cm^2
WB_AMPS = (0.10, 0.40)      # uA/cm^2
N_AMPS = 41


@pytest.fixture(scope="module")
def onsets(build_cache):
    area = AREA
    return characterise(
        ["hh_squid_cond_exp", "wang_buzsaki_cond_exp"], device="cpp_standalone",
        cache_dir=build_cache, n_amplitudes=N_AMPS, t_on=100 * ms, t_off=1100 * ms,
        after=50 * ms, amplitudes={
            "hh_squid_cond_exp": tuple(a * uA / cm**2 * area for a in SQUID_AMPS),
            "wang_buzsaki_cond_exp": tuple(a * uA / cm**2 * area for a in WB_AMPS)})


def _density(ds):
    """Step amplitudes in uA/cm^2."""
    return ds["step_amplitude"].values / float(AREA / cm**2) * 1e6


@pytest.mark.slow
def test_squid_axon_type_ii_onset(onsets):
    ds = onsets["hh_squid_cond_exp"]
    amps, rate = _density(ds), ds["fi_last_rate"].values
    spikes = ds["fi_rate"].values * 1.0    # spikes in the 1 s step
    repetitive = spikes >= 10
    onset = amps[repetitive][0]
    # Rinzel & Miller (1980): periodic firing from 6.26 uA/cm^2; a step from rest at 6.3
    assert 6.0 <= onset <= 6.6
    assert np.all(repetitive[amps >= onset])
    # the rate jumps from 0 to ~50 Hz: no repetitive firing below 45 Hz
    assert 45 <= rate[repetitive].min() <= 60
    # below onset a few transient spikes die out (damped oscillation near the bifurcation)
    assert np.all(spikes[~repetitive] <= 5) and spikes[0] == 1
    assert 58 <= rate[-1] <= 75                 # shallow f-I above onset


@pytest.mark.slow
def test_wang_buzsaki_type_i_onset(onsets):
    ds = onsets["wang_buzsaki_cond_exp"]
    amps, rate = _density(ds), ds["fi_last_rate"].values
    firing = rate > 0
    # Wang & Buzsaki (1996), Fig. 1C: the rate rises continuously from zero at the rheobase
    assert 0.1 < amps[firing][0] < 0.25
    assert rate[firing][0] < 10             # arbitrarily low rates near the rheobase
    assert np.all(np.diff(rate[firing]) > 0)
    assert np.all(firing[amps >= amps[firing][0]])


@pytest.mark.slow
def test_hh_models_rest_before_the_psp(onsets):
    for label, rest in (("hh_squid_cond_exp", -65.0), ("wang_buzsaki_cond_exp", -64.0)):
        ds = onsets[label]
        nid = int(np.flatnonzero(ds["population"].values == "psp_e")[0])
        v = ds["v"].sel(recorded_neuron=nid).values
        t = ds["time"].values
        assert abs(v[np.searchsorted(t, 0.049)] * 1e3 - rest) < 1.0, label
        assert ds["psp_peak"].sel(channel="e") > 0 > ds["psp_peak"].sel(channel="i")
