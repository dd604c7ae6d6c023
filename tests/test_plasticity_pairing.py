"""Pairing protocols on cpp_standalone: the STDP window and the frequency dependence of the
triplet rule. One build runs every protocol of this module."""

import numpy as np
import pytest
from bioneuro.models.plasticity.triplet import PARAMETER_SETS
from bioneuro.protocols.pairing import pairing_circuit_parts, pairing_weight_change
from brian2.units import Hz, ms, nS, second
from plasticity_oracles import pair_stdp, triplet_stdp

import bioneuro as bn

pytestmark = pytest.mark.slow

W_MAX = 1 * nS
W0 = 0.5 * nS
WINDOW = np.arange(-100, 101, 5) * ms
SJOSTROM_RATES = np.array([0.1, 10, 20, 40, 50]) * Hz  # Sjostrom et al. 2001, Fig. 1
SJOSTROM_DT = np.array([-10, 10]) * ms
N_PAIRS = 60  # pairings per protocol (Pfister & Gerstner 2006)
# protocols: prefix -> (rule, delta_t, frequencies, n_pairs, initial weight)
PROTOCOLS = {
    "add": ("stdp_add", WINDOW, [1 * Hz], 1, W0),
    "mult": ("stdp_mult", WINDOW, [1 * Hz], 1, W0),
    "add_burst": ("stdp_add", [-6 * ms, 6 * ms], [50 * Hz], 5, W0),
    "nearest_burst": ("stdp_add_nearest", [-6 * ms, 6 * ms], [50 * Hz], 5, W0),
    "triplet": ("triplet_visual_all_to_all", SJOSTROM_DT, SJOSTROM_RATES, N_PAIRS, 1 * nS),
}


@pytest.fixture(scope="module")
def pairing(build_cache):
    pops, projs, durations = [], [], []
    for prefix, (rule, delta_t, freqs, n_pairs, w0) in PROTOCOLS.items():
        p, q, duration = pairing_circuit_parts(rule, delta_t, freqs, n_pairs, w0,
                                               prefix=prefix)
        pops += p
        projs += q
        durations.append(float(duration))
    exp = bn.Experiment("plasticity_pairing", bn.Circuit("pairing", pops, projs),
                        recording=bn.Recording(spikes=(), connectivity=True),
                        duration=max(durations) * second, dt=0.1 * ms)
    ds = bn.run(exp, device="cpp_standalone", cache_dir=build_cache)
    return {prefix: pairing_weight_change(ds, delta_t, freqs, w0, prefix=prefix)
            for prefix, (_, delta_t, freqs, _, w0) in PROTOCOLS.items()}


def _fit_exponential(delta_t, change):
    """Amplitude and time constant of ``change = A exp(-|delta_t|/tau)`` (log-linear fit)."""
    slope, intercept = np.polyfit(np.abs(delta_t), np.log(np.abs(change)), 1)
    return np.sign(change[0]) * np.exp(intercept), -1 / slope


@pytest.mark.parametrize("prefix, scale_plus, scale_minus", [
    # additive: Delta w = A w_max, relative to w0 = w_max/2
    ("add", 2.0, 2.0),
    # multiplicative: LTP A (w_max - w0), LTD A w0 -> both A w_max/2, relative 1
    ("mult", 1.0, 1.0)])
def test_stdp_window_recovers_amplitudes_and_time_constants(pairing, prefix, scale_plus,
                                                            scale_minus):
    # Song, Miller & Abbott (2000): A+ = 0.005, A-/A+ = 1.05, tau+- = 20 ms (Fig. 1a); the
    # window measured by Bi & Poo (1998) Fig. 7 has the same exponential shape
    change = pairing[prefix].isel(frequency=0)
    dt = change["delta_t"].values
    ltp, ltd = dt > 0, dt < 0
    a_plus, tau_plus = _fit_exponential(dt[ltp], change.values[ltp])
    a_minus, tau_minus = _fit_exponential(dt[ltd], change.values[ltd])
    assert a_plus == pytest.approx(0.005 * scale_plus, rel=0.02)
    assert a_minus == pytest.approx(-0.00525 * scale_minus, rel=0.02)
    assert tau_plus == pytest.approx(0.020, rel=0.02)
    assert tau_minus == pytest.approx(0.020, rel=0.02)


@pytest.mark.parametrize("prefix, nearest", [("add_burst", False), ("nearest_burst", True)])
def test_all_to_all_and_nearest_spike_match_an_event_oracle(pairing, prefix, nearest):
    # 5 pairings at 50 Hz: spikes of neighbouring pairs interact (Morrison et al. 2008)
    change = pairing[prefix].isel(frequency=0)
    for k, dt in enumerate(change["delta_t"].values):
        post = 0.2 + np.arange(5) * 0.02
        expected = pair_stdp(post - dt, post, 0.5, 1.0, 0.005, 0.00525, 0.02, 0.02,
                             nearest=nearest)
        assert change.values[k] == pytest.approx(expected / 0.5 - 1, abs=1e-9)
    assert pairing["add_burst"].values[0, 1] != pytest.approx(
        pairing["nearest_burst"].values[0, 1], abs=1e-4)


def test_triplet_rule_matches_an_event_oracle(pairing):
    params = {k: float(v) for k, v in
              PARAMETER_SETS[("visual", "all_to_all", False)].items()}
    params.update(tau_plus=0.0168, tau_minus=0.0337)
    change = pairing["triplet"]
    for i, freq in enumerate(change["frequency"].values):
        period = round(1 / freq / 1e-4) * 1e-4
        post = 0.2 + np.arange(N_PAIRS) * period
        for k, dt in enumerate(change["delta_t"].values):
            expected = triplet_stdp(post - dt, post, 1.0, 1.0, 10.0, params)
            assert change.values[i, k] == pytest.approx(expected - 1, abs=1e-6)


def test_triplet_frequency_dependence_of_sjostrom_2001(pairing):
    # Sjostrom, Turrigiano & Nelson (2001) Fig. 1, as fitted by Pfister & Gerstner (2006)
    # Fig. 5A (visual cortex, all-to-all): post-before-pre pairing (delta_t = -10 ms)
    # depresses at low rates and potentiates at 40-50 Hz; pre-before-post potentiation
    # grows with the rate and is absent at 0.1 Hz; at 50 Hz both orders potentiate alike
    change = pairing["triplet"]
    post_pre = change.sel(delta_t=-0.01, method="nearest").values
    pre_post = change.sel(delta_t=0.01, method="nearest").values
    assert np.all(post_pre[:3] < -0.2) and np.all(post_pre[3:] > 0.1)
    assert abs(pre_post[0]) < 0.02
    assert np.all(np.diff(pre_post) > 0)
    assert abs(pre_post[-1] - post_pre[-1]) < 0.1
