"""Analysis functions on hand-made datasets with known answers."""

import numpy as np
import pytest
import xarray as xr
from bioneuro.analysis import (
    firing_rates,
    isi_cv,
    population_isi_cv,
    population_mean_rates,
    population_rate_histogram,
)


def hand_made(spikes, populations, duration=1.0):
    """A minimal result dataset: `spikes` maps neuron id -> spike times (s)."""
    times = np.concatenate([np.asarray(t, float) for t in spikes.values()] or [[]])
    neurons = np.concatenate([np.full(len(t), n) for n, t in spikes.items()] or [[]])
    order = np.lexsort((neurons, times))
    return xr.Dataset(
        {"spike_time": ("spike", times[order]),
         "spike_neuron": ("spike", neurons[order].astype(np.int32))},
        coords={"neuron": np.arange(len(populations)),
                "population": ("neuron", np.array(populations, dtype=object))},
        attrs={"duration_s": duration})


def test_rates_of_regular_trains():
    ds = hand_made({0: np.arange(0, 1, 0.1), 1: np.arange(0, 1, 0.05), 2: []},
                   ["A", "A", "B"])
    rates = firing_rates(ds)
    np.testing.assert_allclose(rates, [10, 20, 0])
    assert rates.attrs["units"] == "Hz"
    pop = population_mean_rates(ds)
    assert float(pop.sel(population="A")) == pytest.approx(15)
    assert float(pop.sel(population="B")) == 0
    # window: [0.5, 1) holds 5 and 10 spikes
    np.testing.assert_allclose(firing_rates(ds, t_start=0.5), [10, 20, 0])


def test_cv_known_values():
    regular = np.arange(0.0, 1.0, 0.1)
    # intervals 0.1 and 0.3 alternating: mean 0.2, std 0.1 -> CV 0.5
    alternating = np.cumsum([0.0, 0.1, 0.3, 0.1, 0.3])
    ds = hand_made({0: regular, 1: alternating, 2: [0.5]}, ["A", "A", "A"], duration=1.0)
    cv = isi_cv(ds)
    assert cv[0] == pytest.approx(0, abs=1e-12)
    assert cv[1] == pytest.approx(0.5)
    assert np.isnan(cv[2])
    assert float(population_isi_cv(ds).sel(population="A")) == pytest.approx(0.25)


def test_poisson_cv_is_one():
    rng = np.random.default_rng(0)
    t = np.cumsum(rng.exponential(0.01, 20000))
    ds = hand_made({0: t[t < 100]}, ["A"], duration=100.0)
    assert float(isi_cv(ds)[0]) == pytest.approx(1.0, abs=0.03)


def test_population_rate_histogram():
    ds = hand_made({0: [0.001, 0.002, 0.011], 1: [0.012]}, ["A", "A"], duration=0.02)
    hist = population_rate_histogram(ds, bin_size=0.01)
    # bin 0: 2 spikes / (2 neurons * 10 ms) = 100 Hz; bin 1: 2 spikes -> 100 Hz
    np.testing.assert_allclose(hist.sel(population="A"), [100, 100])
    np.testing.assert_allclose(hist["time"], [0.005, 0.015])


def test_brian2_quantities_accepted_and_bad_windows_rejected():
    from brian2.units import ms

    ds = hand_made({0: np.arange(0, 1, 0.1)}, ["A"])
    np.testing.assert_allclose(firing_rates(ds, t_start=500 * ms), [10])
    with pytest.raises(ValueError, match="t_stop"):
        firing_rates(ds, t_start=0.5, t_stop=0.2)
    with pytest.raises(ValueError, match="bin_size"):
        population_rate_histogram(ds, bin_size=0)
