"""Interval statistics on trains with analytic answers (regular, alternating, Poisson)."""

import numpy as np
import pytest
from analysis_data import poisson_dataset, spikes_dataset
from bioneuro.analysis import cv2, detect_bursts, isi, isi_cv, isi_histogram, lv


def alternating_dataset():
    regular = np.arange(0.0, 1.0, 0.1)
    alternating = np.cumsum([0.0, 0.1, 0.3, 0.1, 0.3])   # intervals 0.1, 0.3, 0.1, 0.3
    return spikes_dataset({0: regular, 1: alternating, 2: [0.5]}, ["A", "A", "B"])


def test_regular_and_alternating_known_values():
    ds = alternating_dataset()
    # regular: all 0. Alternating 0.1/0.3: CV = 0.1/0.2; CV2 = 2*0.2/0.4 = 1;
    # LV = 3*(0.2/0.4)^2 = 0.75. One spike: NaN.
    np.testing.assert_allclose(isi_cv(ds).values, [0, 0.5, np.nan], atol=1e-12)
    np.testing.assert_allclose(cv2(ds).values, [0, 1.0, np.nan], atol=1e-12)
    np.testing.assert_allclose(lv(ds).values, [0, 0.75, np.nan], atol=1e-12)
    for stat in (isi_cv(ds), cv2(ds), lv(ds)):
        assert stat.dims == ("neuron",) and stat.attrs["units"] == "1"
        assert list(stat["population"].values) == ["A", "A", "B"]


def test_poisson_trains_give_one():
    ds = poisson_dataset(seed=2, n=40, rate=20.0, duration=50.0)
    # ~1000 intervals per neuron: the population means are within a few per cent of 1
    assert float(isi_cv(ds).mean()) == pytest.approx(1.0, abs=0.02)
    assert float(cv2(ds).mean()) == pytest.approx(1.0, abs=0.02)
    assert float(lv(ds).mean()) == pytest.approx(1.0, abs=0.02)


def test_isi_values_and_exponential_distribution():
    ds = spikes_dataset({0: [0.1, 0.15, 0.35], 1: [0.2, 0.6]}, ["A", "A"])
    intervals = isi(ds)
    np.testing.assert_allclose(np.sort(intervals.values), [0.05, 0.2, 0.4])
    assert intervals.attrs["units"] == "s"
    rate = 20.0
    hist = isi_histogram(poisson_dataset(seed=3, rate=rate), bin_size=0.005, max_isi=0.2)
    density = hist.sel(population="E")
    expected = rate * np.exp(-rate * hist["isi_bin"].values)
    np.testing.assert_allclose(density.values[:10], expected[:10], rtol=0.08)
    assert hist.attrs["units"] == "1/s" and len(hist.attrs["bin_edges"]) == 41


def test_burst_detection():
    # neuron 0: two bursts of 4 and 3 spikes (5 ms apart) and two isolated spikes
    bursts_0 = [0.100, 0.105, 0.110, 0.115, 0.300, 0.400, 0.405, 0.410, 0.700]
    ds = spikes_dataset({0: bursts_0, 1: [0.1, 0.2, 0.3]}, ["A", "A"])
    found = detect_bursts(ds, max_isi=0.01, min_spikes=3)
    np.testing.assert_array_equal(found["burst_neuron"], [0, 0])
    np.testing.assert_allclose(found["burst_start"], [0.1, 0.4])
    np.testing.assert_allclose(found["burst_stop"], [0.115, 0.41])
    np.testing.assert_array_equal(found["burst_n_spikes"], [4, 3])
    np.testing.assert_array_equal(found["n_bursts"], [2, 0])
    np.testing.assert_allclose(found["burst_spike_fraction"], [7 / 9, 0])
    assert detect_bursts(ds, max_isi=0.01, min_spikes=4).sizes["burst"] == 1
    with pytest.raises(ValueError, match="min_spikes"):
        detect_bursts(ds, min_spikes=1)


def test_window_restricts_intervals():
    ds = alternating_dataset()
    # [0, 0.45): neuron 1 keeps spikes 0, 0.1, 0.4 -> intervals 0.1, 0.3
    assert float(isi_cv(ds, t_stop=0.45)[1]) == pytest.approx(0.5)
    assert np.isnan(float(lv(ds, t_stop=0.15)[1]))


def test_regular_train_with_inexact_intervals_has_cv_zero():
    # 0.01 + 0.1 k is not exact in binary: the ISIs differ by ~1e-16 s, the CV must be ~0
    ds = spikes_dataset({0: 0.01 + 0.1 * np.arange(200)}, ["A"], duration=20.0)
    assert float(isi_cv(ds)[0]) < 1e-12 and float(lv(ds)[0]) < 1e-12
