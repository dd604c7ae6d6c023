"""Fano factor, spike-count correlations, cross-correlograms and synchrony."""

import numpy as np
import pytest
from analysis_data import poisson_dataset, poisson_train, spikes_dataset
from bioneuro.analysis import (
    cross_correlogram,
    fano_factor,
    spike_count_correlation,
    synchrony,
)


def test_fano_of_poisson_is_one_and_of_regular_is_zero():
    ds = poisson_dataset(seed=4, n=40, rate=20.0, duration=50.0)
    fano = fano_factor(ds, bin_size=0.1)
    assert fano.dims == ("neuron",) and fano.attrs["units"] == "1"
    assert float(fano.mean()) == pytest.approx(1.0, abs=0.05)
    regular = spikes_dataset({0: np.arange(0.005, 10, 0.01)}, ["A"], duration=10.0)
    assert float(fano_factor(regular, bin_size=0.1)[0]) == pytest.approx(0.0, abs=1e-12)


def test_fano_of_counts_along_trials():
    import xarray as xr

    counts = xr.DataArray([[2, 5], [4, 5], [6, 5]], dims=("trial", "neuron"))
    # neuron 0: mean 4, var 8/3 -> 2/3; neuron 1: constant -> 0
    np.testing.assert_allclose(fano_factor(counts, dim="trial"), [2 / 3, 0])
    with pytest.raises(ValueError, match="dim"):
        fano_factor(counts, dim="time")


def test_count_correlation_of_shared_and_independent_trains():
    rng = np.random.default_rng(5)
    shared = poisson_train(rng, 20.0, 50.0)
    ds = spikes_dataset({0: shared, 1: shared + 0.0001, 2: poisson_train(rng, 20.0, 50.0),
                         3: []}, ["A"] * 4, duration=50.0)
    corr = spike_count_correlation(ds, bin_size=0.01)
    assert corr.dims == ("neuron_i", "neuron_j")
    assert float(corr[0, 0]) == pytest.approx(1.0)
    assert float(corr[0, 1]) > 0.95
    assert abs(float(corr[0, 2])) < 0.05
    assert np.isnan(float(corr[3, 0]))


def test_cross_correlogram_peak_at_known_lag():
    rng = np.random.default_rng(6)
    source = poisson_train(rng, 10.0, 100.0)
    follower = source + 0.007                # neuron 1 fires 7 ms after neuron 0
    ds = spikes_dataset({0: source, 1: follower[follower < 100]}, ["A", "A"],
                        duration=100.0)
    ccg = cross_correlogram(ds, 0, 1, bin_size=0.001, max_lag=0.03)
    assert ccg.sizes["lag"] == 61 and ccg["lag"].attrs["units"] == "s"
    assert float(ccg.idxmax("lag")) == pytest.approx(0.007)
    assert int(ccg.max()) >= len(source) - 1
    reverse = cross_correlogram(ds, 1, 0, bin_size=0.001, max_lag=0.03)
    assert float(reverse.idxmax("lag")) == pytest.approx(-0.007)
    auto = cross_correlogram(ds, 0, 0, bin_size=0.001, max_lag=0.03)
    # self pairs left out: the zero-lag bin holds only chance pairs (~ n rate bin = 10)
    assert int(auto.sel(lag=0.0)) < 30 and np.array_equal(auto.values, auto.values[::-1])
    with pytest.raises(ValueError, match="neuron_j"):
        cross_correlogram(ds, 0, 9)


def test_synchrony_chi_limits():
    rng = np.random.default_rng(7)
    n = 25
    shared = poisson_train(rng, 20.0, 20.0)
    identical = spikes_dataset({i: shared for i in range(n)}, ["A"] * n, duration=20.0)
    assert float(synchrony(identical, bin_size=0.005)) == pytest.approx(1.0)
    independent = poisson_dataset(seed=8, n=n, rate=20.0, duration=20.0)
    chi = float(synchrony(independent, bin_size=0.005))
    assert chi == pytest.approx(1 / np.sqrt(n), rel=0.1)
    both = spikes_dataset({**{i: shared for i in range(n)},
                           **{n + i: poisson_train(rng, 20.0, 20.0) for i in range(n)}},
                          ["sync"] * n + ["async"] * n, duration=20.0)
    by_pop = synchrony(both, by="population", kernel_width=0.005)
    assert float(by_pop.sel(population="sync")) == pytest.approx(1.0)
    assert float(by_pop.sel(population="async")) < 0.35


def test_synchrony_of_state_traces():
    import xarray as xr

    t = np.arange(0, 1, 0.001)
    same = np.sin(2 * np.pi * 5 * t)
    v = np.stack([same, same, same], axis=1)
    ds = xr.Dataset({"v": (("time", "recorded_neuron"), v)},
                    coords={"time": t, "recorded_neuron": [0, 1, 2]},
                    attrs={"duration_s": 1.0})
    assert float(synchrony(ds, variable="v")) == pytest.approx(1.0)
    shifted = np.stack([np.sin(2 * np.pi * 5 * t + p) for p in (0, 2 * np.pi / 3,
                                                                4 * np.pi / 3)], axis=1)
    assert float(synchrony(ds.assign(v=(("time", "recorded_neuron"), shifted)),
                           variable="v")) < 0.01
