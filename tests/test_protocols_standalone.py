"""Every kind of protocol primitive compiled into one cpp_standalone build, with long runs for
tight statistics: Poisson rate and CV, pairwise count correlation of correlated inputs,
images and scalars decoded from measured rates, OU statistics, exact currents and pairings."""

import numpy as np
import pytest
from bioneuro.protocols import (
    ActivityReward,
    CorrelatedPoisson,
    CurrentStep,
    Drive,
    ImageEncoding,
    NoisyCurrent,
    PoissonSpikes,
    PopulationCode,
    STDPPairing,
)
from brian2.units import second
from test_protocol_catalogue import EXAMPLES

import bioneuro as bn
from bioneuro.experiments import cuba
from bioneuro.spec import Recording, StateProbe

pytestmark = pytest.mark.slow

DT = 0.1e-3
DURATION = 4.5
RATE, CORRELATION = 20.0, 0.2
# the estimate's error is about 1/sqrt(common spikes) relative (every pair shares the common
# train): 200 Hz * 0.2 * 4.5 s = 180 common spikes -> sd 0.015 of the correlation
CORRELATED_RATE = 200.0


def _images():
    """Two 8x8 images: a cross and a gradient."""
    cross = np.zeros((8, 8))
    cross[3:5, :] = cross[:, 3:5] = 1.0
    gradient = np.tile(np.linspace(0, 1, 8), (8, 1))
    return np.stack([cross, gradient])


IMAGE = ImageEncoding("image", _images(), "200 Hz", sigma=0.5, presentation="1 s")
CODE = PopulationCode("code", 32, [0.3, 0.7], 0, 1, 0.1, max_rate="100 Hz",
                      presentation="500 ms", start="2 s")
PAIRING = STDPPairing("stdp", "-4.27 ms", "10 Hz", 10, start="3 s")
NOISE = NoisyCurrent("noise", "E", "50 pA", "20 pA", "5 ms")
STEP = CurrentStep("step", "I", {"kind": "linspace", "start": "-20 pA", "stop": "20 pA"},
                   "1.00004 s", "3.5 s")
SEQUENCE = EXAMPLES[-1].replace(start=4 * second)  # every trial-based block, from 4 s


def _experiment():
    protocol = [PoissonSpikes("poisson", 200, f"{RATE} Hz"),
                CorrelatedPoisson("corr", 40, f"{CORRELATED_RATE} Hz", correlation=CORRELATION),
                IMAGE, CODE, PAIRING, NOISE, STEP, SEQUENCE,
                ActivityReward("earned", "poisson", 30, Drive("I", "e", "1 pA"),
                               window="10 ms", refractory="50 ms")]
    exp = cuba(scale=0.02, duration=DURATION * second).replace(protocol=tuple(protocol))
    return exp.replace(recording=Recording(state=[StateProbe("E", ("I_in",), "all"),
                                                  StateProbe("I", ("I_in",), "all")]))


@pytest.fixture(scope="module")
def ds(build_cache):
    return bn.run(_experiment(), device="cpp_standalone", cache_dir=build_cache, seed=11)


def trains(ds, population):
    """(index within population, spike time) of `population`."""
    mask = ds["population"].values[ds["spike_neuron"].values] == population
    first = np.flatnonzero(ds["population"].values == population)[0]
    return ds["spike_neuron"].values[mask] - first, ds["spike_time"].values[mask]


def test_poisson_rate_and_cv(ds):
    index, times = trains(ds, "poisson")
    expected = 200 * RATE * DURATION
    assert abs(len(times) - expected) < 4 * np.sqrt(expected)
    isis = np.concatenate([np.diff(times[index == k]) for k in range(200)])
    assert isis.std() / isis.mean() == pytest.approx(np.sqrt(1 - RATE * DT), abs=0.03)


def test_correlated_inputs_have_the_target_pairwise_count_correlation(ds):
    index, times = trains(ds, "corr")
    counts = np.stack([np.histogram(times[index == k], np.arange(0, DURATION + 1e-9, 0.1))[0]
                       for k in range(40)])
    assert counts.sum() / 40 / DURATION == pytest.approx(CORRELATED_RATE, rel=0.03)
    corr = np.corrcoef(counts)[np.triu_indices(40, 1)]
    assert corr.mean() == pytest.approx(CORRELATION, abs=0.05)
    # the independent inputs are uncorrelated
    index, times = trains(ds, "poisson")
    counts = np.stack([np.histogram(times[index == k], np.arange(0, DURATION + 1e-9, 0.1))[0]
                       for k in range(40)])
    assert abs(np.corrcoef(counts)[np.triu_indices(40, 1)].mean()) < 0.03


def _epoch_rates(ds, population, protocol, size):
    """Rates (Hz) of every neuron in every epoch of `protocol`, shape (epochs, size)."""
    index, times = trains(ds, population)
    mask = ds["epoch_protocol"].values == protocol
    rates = []
    for a, b in zip(ds["epoch_start"].values[mask], ds["epoch_stop"].values[mask],
                    strict=True):
        inside = (times >= a) & (times < b)
        rates.append(np.bincount(index[inside], minlength=size) / (b - a))
    return np.array(rates)


def test_image_is_reproduced_from_measured_rates(ds):
    decoded = IMAGE.decode(_epoch_rates(ds, "image", "image", 64))
    encoded = np.clip(IMAGE.filtered(), 0, 1)
    # Poisson error of one rate over 1 s at up to 200 Hz: <= 14 Hz = 0.07 of max_rate
    assert np.sqrt(np.mean((decoded - encoded) ** 2)) < 0.07
    for k in range(2):
        assert np.corrcoef(decoded[k].ravel(), _images()[k].ravel())[0, 1] > 0.9


def test_scalar_is_decoded_from_the_population_code(ds):
    decoded = CODE.decode(_epoch_rates(ds, "code", "code", 32))
    np.testing.assert_allclose(decoded, [0.3, 0.7], atol=0.03)


def test_pairing_delta_t_exact_and_currents_as_scheduled(ds):
    _, pre = trains(ds, "stdp_pre")
    _, post = trains(ds, "stdp_post")
    np.testing.assert_allclose(post - pre, -4.3e-3, rtol=0, atol=1e-12)
    t = ds["time"].values
    columns = ds["recorded_population"].values == "I"
    np.testing.assert_allclose(ds["I_in"].values[:, columns],
                               STEP.waveform(t, columns.sum(), DT), rtol=1e-9, atol=1e-18)


def test_ou_current_statistics(ds):
    current = ds["I_in"].values[t_index(ds, 0.05):, ds["recorded_population"].values == "E"]
    assert current.mean() == pytest.approx(50e-12, abs=1e-12)
    assert current.std() == pytest.approx(20e-12, rel=0.03)


def t_index(ds, time):
    return int(np.searchsorted(ds["time"].values, time))


def test_every_trial_block_and_the_activity_trigger_run_in_standalone(ds):
    protocols = set(ds["epoch_protocol"].values)
    assert protocols == {"image", "code", "stdp"} | {b.name for b in SEQUENCE.blocks}
    for population in ("eyeblink_cf", "decision_A", "memory", "earned", "tbs"):
        assert len(trains(ds, population)[1]) > 0, population


def test_same_seed_same_run(ds, build_cache):
    again = bn.run(_experiment(), device="cpp_standalone", cache_dir=build_cache, seed=11)
    assert again.attrs["build_cache_hit"] == 1
    np.testing.assert_array_equal(again["spike_time"], ds["spike_time"])
    np.testing.assert_array_equal(again["I_in"], ds["I_in"])
