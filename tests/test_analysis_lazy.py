"""A result file opened lazily (dask-backed, in small chunks) gives the same numbers as the
same file loaded into memory."""

import numpy as np
import pytest
import xarray as xr
from analysis_data import network_dataset, with_epochs
from bioneuro.analysis import (
    binned_spike_counts,
    cross_correlogram,
    cv2,
    detect_bursts,
    fano_factor,
    firing_rates,
    isi_cv,
    lv,
    population_mean_rates,
    population_rate,
    power_spectrum,
    psth,
    spike_count_correlation,
    synchrony,
    to_neo,
)

pytest.importorskip("dask")

MEASURES = {
    "firing_rates": lambda ds: firing_rates(ds, t_start=0.5),
    "population_mean_rates": population_mean_rates,
    "isi_cv": isi_cv,
    "cv2": cv2,
    "lv": lv,
    "fano_factor": lambda ds: fano_factor(ds, bin_size=0.1),
    "binned_spike_counts": lambda ds: binned_spike_counts(ds, 0.01),
    "population_rate": lambda ds: population_rate(ds, 0.002, kernel_width=0.01,
                                                  by="population"),
    "spike_count_correlation": lambda ds: spike_count_correlation(ds, 0.02),
    "cross_correlogram": lambda ds: cross_correlogram(ds, 0, 5, max_lag=0.02),
    "power_spectrum": lambda ds: power_spectrum(ds, by="population"),
    "synchrony": lambda ds: synchrony(ds, by="population"),
    "synchrony_of_v": lambda ds: synchrony(ds, variable="v"),
    "psth": lambda ds: psth(ds, epoch_name="stimulus", bin_size=0.02),
    "bursts": lambda ds: detect_bursts(ds, max_isi=0.05, min_spikes=2),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    import bioneuro as bn

    path = tmp_path_factory.mktemp("lazy") / "run.nc"
    bn.save(with_epochs(network_dataset(4.0), 3, ["L", "R", "L"]), path)
    eager = bn.load(path)
    lazy = bn.open_lazy(path, chunks={"spike": 100, "time": 500})
    plain = xr.open_dataset(path, chunks={"spike": 250}, engine="netcdf4")
    yield eager, lazy, plain
    lazy.close()
    plain.close()


def test_the_lazy_files_are_dask_backed(files):
    eager, lazy, plain = files
    assert lazy["spike_time"].chunks[0][0] == 100 and len(lazy["spike_time"].chunks[0]) > 10
    assert lazy["v"].chunks[0][0] == 500
    assert plain["spike_neuron"].chunks is not None
    assert eager["spike_time"].chunks is None


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_measures_agree_on_eager_and_lazy_data(files, name):
    eager, lazy, plain = files
    expected = MEASURES[name](eager)
    for ds in (lazy, plain):
        got = MEASURES[name](ds)
        xr.testing.assert_allclose(got.load(), expected, rtol=1e-12)
        assert got.attrs == expected.attrs


def test_accessor_and_neo_on_lazy_data(files):
    eager, lazy, _ = files
    np.testing.assert_allclose(lazy.bioneuro.rates(), eager.bioneuro.rates())
    np.testing.assert_allclose(lazy.bioneuro.cv(), eager.bioneuro.cv(), equal_nan=True)
    pytest.importorskip("neo")
    assert [len(st) for st in to_neo(lazy)] == [len(st) for st in to_neo(eager)]
