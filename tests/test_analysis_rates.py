"""Rates: per neuron, per population/region, binned, kernel-smoothed, population rate."""

import numpy as np
import pytest
from analysis_data import poisson_dataset, spikes_dataset
from bioneuro.analysis import (
    binned_spike_counts,
    firing_rates,
    instantaneous_rates,
    population_mean_rates,
    population_rate,
    population_rate_histogram,
)


def test_binned_counts_of_known_spikes():
    ds = spikes_dataset({0: [0.001, 0.002, 0.011], 1: [0.012], 2: []}, ["A", "A", "B"],
                        duration=0.025)
    counts = binned_spike_counts(ds, bin_size=0.01)
    # a 5 ms remainder is dropped, as in Elephant's BinnedSpikeTrain
    assert counts.dims == ("time", "neuron") and counts.sizes["time"] == 2
    np.testing.assert_array_equal(counts.values, [[2, 0, 0], [1, 1, 0]])
    np.testing.assert_allclose(counts["time"], [0.005, 0.015])
    assert counts["time"].attrs["units"] == "s" and counts.attrs["bin_size"] == 0.01


def test_population_rate_by_group_and_overall():
    ds = spikes_dataset({0: [0.001, 0.002, 0.011], 1: [0.012], 2: [0.015]}, ["A", "A", "B"],
                        duration=0.02, regions=["r1", "r1", "r1"])
    by_pop = population_rate(ds, 0.01, by="population")
    np.testing.assert_allclose(by_pop.sel(population="A"), [100, 100])
    np.testing.assert_allclose(by_pop.sel(population="B"), [0, 100])
    overall = population_rate(ds, 0.01)
    assert overall.dims == ("time",)
    np.testing.assert_allclose(overall, [2 / 3 / 0.01, 3 / 3 / 0.01])
    np.testing.assert_allclose(population_rate(ds, 0.01, by="region").sel(region="r1"),
                               overall)
    assert population_rate_histogram(ds, 0.01).identical(by_pop)
    assert by_pop.attrs["units"] == "Hz"


def test_mean_rates_by_region():
    ds = spikes_dataset({0: np.arange(0, 1, 0.1), 1: np.arange(0, 1, 0.05), 2: []},
                        ["A", "A", "B"], regions=["x", "y", "y"])
    np.testing.assert_allclose(population_mean_rates(ds, by="region").sel(region=["x", "y"]),
                               [10, 10])


@pytest.mark.parametrize("kernel", ["gaussian", "exponential", "rectangular"])
def test_kernel_rates_conserve_spikes_and_follow_poisson_rate(kernel):
    ds = poisson_dataset(seed=1, n=20, rate=15.0, duration=20.0)
    rates = instantaneous_rates(ds, sampling_period=0.001, kernel_width=0.02, kernel=kernel)
    assert rates.dims == ("time", "neuron") and rates.attrs["units"] == "Hz"
    # unit-area kernels: the time-average equals the mean rate (edges lose < 1 %)
    np.testing.assert_allclose(rates.mean("time"), firing_rates(ds), rtol=0.01)
    smooth = population_rate(ds, 0.001, kernel_width=0.02, kernel=kernel)
    assert float(smooth.mean()) == pytest.approx(15.0, rel=0.03)
    assert smooth.attrs["kernel_width"] == 0.02


def test_kernel_shape_of_single_spike():
    ds = spikes_dataset({0: [0.5]}, ["A"], duration=1.0)
    rate = instantaneous_rates(ds, 0.001, 0.01, "gaussian").isel(neuron=0)
    # a Gaussian of sigma 10 ms, unit area, centred on the spike's bin
    assert float(rate.idxmax("time")) == pytest.approx(0.5005)
    assert float(rate.max()) == pytest.approx(1 / (np.sqrt(2 * np.pi) * 0.01), rel=0.01)
    assert float(rate.sum()) * 0.001 == pytest.approx(1.0, rel=1e-6)


def test_bad_arguments_name_the_field():
    ds = spikes_dataset({0: [0.1]}, ["A"])
    with pytest.raises(ValueError, match="kernel"):
        instantaneous_rates(ds, kernel="box")
    with pytest.raises(ValueError, match="kernel_width"):
        instantaneous_rates(ds, kernel_width=-1)
    with pytest.raises(ValueError, match="bin_size"):
        binned_spike_counts(ds, bin_size=2.0)
    with pytest.raises(ValueError, match="spike_time"):
        firing_rates(ds.drop_vars("spike_time"))
    # a misspelt grouping names itself and the neuron coordinates it may be
    from bioneuro.analysis import isi_histogram, population_isi_cv, synchrony
    for function in (population_mean_rates, population_rate, population_isi_cv,
                     isi_histogram, synchrony):
        with pytest.raises(ValueError, match=r"by='regio' is not a coordinate of 'neuron' "
                                             r"\(allowed: .*population"):
            function(ds, by="regio")


def test_spikes_on_bin_edges_go_to_the_following_bin():
    # 0.01 + 0.1 k lands on a 5 ms edge; computed in floating point some fall ~1e-17 s
    # below it: all belong to bin 2 + 20 k (Elephant's BinnedSpikeTrain does the same)
    ds = spikes_dataset({0: 0.01 + 0.1 * np.arange(50)}, ["A"], duration=5.0)
    counts = binned_spike_counts(ds, bin_size=0.005).isel(neuron=0).values
    np.testing.assert_array_equal(np.flatnonzero(counts), 2 + 20 * np.arange(50))
