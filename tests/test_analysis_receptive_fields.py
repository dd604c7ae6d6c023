"""Receptive fields: reshaping to the input geometry, weight maps from connectivity, and the
spike-triggered average of a cell driven through a known linear filter."""

import numpy as np
import pytest
import xarray as xr
from analysis_data import spikes_dataset
from bioneuro.analysis import from_grid, spike_triggered_average, to_grid, weight_receptive_fields


def test_to_grid_is_row_major_and_from_grid_inverts_it():
    flat = xr.DataArray(np.arange(12.0).reshape(2, 6), dims=("neuron", "pre"),
                        coords={"neuron": [7, 9]}, attrs={"units": "S"})
    grid = to_grid(flat, (2, 3), "pre")
    assert grid.dims == ("neuron", "y", "x")
    np.testing.assert_array_equal(grid.sel(neuron=9).values, [[6, 7, 8], [9, 10, 11]])
    np.testing.assert_array_equal(grid["x"], [0, 1, 2])
    assert grid.attrs["units"] == "S" and grid.attrs["flat_dim"] == "pre"
    back = from_grid(grid)
    assert back.dims == ("neuron", "pre")
    np.testing.assert_array_equal(back.values, flat.values)
    assert back.attrs == {"units": "S"}
    with pytest.raises(ValueError, match="shape"):
        to_grid(flat, (4, 2), "pre")


def connectivity_dataset():
    """3x3 input grid (ids 0-8, row-major) onto 2 output neurons (ids 9, 10): neuron 9
    receives the centre row (weights 1, 2, 3 nS), neuron 10 the left column (4, 5, 6 nS)
    plus a second synapse from the corner (1 nS more)."""
    ds = spikes_dataset({}, ["input"] * 9 + ["out"] * 2)
    pre = [3, 4, 5, 0, 3, 6, 0]
    post = [9, 9, 9, 10, 10, 10, 10]
    weight = np.array([1, 2, 3, 4, 5, 6, 1]) * 1e-9
    return ds.assign(weight=("synapse", weight, {"units": "S"})).assign_coords(
        synapse_pre=("synapse", pre), synapse_post=("synapse", post),
        synapse_projection=("synapse", ["in_out"] * 7))


def test_weight_maps_on_the_input_grid():
    fields = weight_receptive_fields(connectivity_dataset(), "input", shape=(3, 3))
    assert fields.dims == ("neuron", "y", "x")
    np.testing.assert_array_equal(fields["neuron"], [9, 10])
    np.testing.assert_allclose(fields.sel(neuron=9).values * 1e9,
                               [[0, 0, 0], [1, 2, 3], [0, 0, 0]])
    np.testing.assert_allclose(fields.sel(neuron=10).values * 1e9,
                               [[5, 0, 0], [5, 0, 0], [6, 0, 0]])   # corner: 4 + 1 summed
    assert fields.attrs["units"] == "S"
    assert list(fields["population"].values) == ["out", "out"]
    absent = weight_receptive_fields(connectivity_dataset(), "input", post="out",
                                     fill=np.nan)
    assert int(np.isnan(absent.sel(neuron=9)).sum()) == 6        # square by default
    with pytest.raises(ValueError, match="pre"):
        weight_receptive_fields(connectivity_dataset(), "retina")
    with pytest.raises(ValueError, match="weight"):
        weight_receptive_fields(connectivity_dataset().drop_vars("weight"), "input")


def test_spike_triggered_average_of_hand_picked_frames():
    frames = np.arange(8.0).reshape(4, 2)                 # 4 frames of 2 pixels, 100 ms each
    stimulus = xr.DataArray(frames, dims=("time", "pixel"),
                            coords={"time": [0.0, 0.1, 0.2, 0.3]}, attrs={"units": "1"})
    ds = spikes_dataset({0: [0.15, 0.35], 1: [0.05]}, ["A", "A"], duration=0.4)
    sta = spike_triggered_average(ds, stimulus, n_lags=2)
    assert sta.dims == ("neuron", "lag", "pixel")
    np.testing.assert_allclose(sta.sel(neuron=0, lag=0), (frames[1] + frames[3]) / 2)
    np.testing.assert_allclose(sta.sel(neuron=0, lag=1), (frames[0] + frames[2]) / 2)
    np.testing.assert_allclose(sta.sel(neuron=1, lag=0), frames[0])
    assert np.isnan(sta.sel(neuron=1, lag=1)).all()       # no frame before the first
    np.testing.assert_array_equal(sta["n_spikes"], [2, 1])


def test_spike_triggered_map_recovers_a_known_filter():
    # Gaussian white-noise frames (5 ms) on a 6x6 grid; the cell spikes in a frame when the
    # frame's projection on an oriented filter exceeds 1 (a thresholded linear model): its
    # STA is proportional to the filter (Chichilnisky 2001), and earlier frames average 0.
    rng = np.random.default_rng(11)
    y, x = np.mgrid[0:6, 0:6]
    kernel = np.exp(-((x - 2.5) ** 2 + (y - 2.5) ** 2) / 4) * np.cos(1.2 * (x - 2.5))
    kernel /= np.linalg.norm(kernel)
    n_frames, frame = 20000, 0.005
    frames = rng.normal(size=(n_frames, 36))
    fire = np.flatnonzero(frames @ kernel.ravel() > 1.0)
    ds = spikes_dataset({0: fire * frame + 0.002}, ["V1"], duration=n_frames * frame)
    stimulus = xr.DataArray(frames, dims=("time", "pixel"),
                            coords={"time": np.arange(n_frames) * frame})
    sta = spike_triggered_average(ds, stimulus, n_lags=2, shape=(6, 6))
    assert sta.dims == ("neuron", "lag", "y", "x") and int(sta["n_spikes"][0]) == len(fire)
    current = sta.sel(neuron=0, lag=0).values
    match = np.corrcoef(current.ravel(), kernel.ravel())[0, 1]
    assert match > 0.97
    previous = sta.sel(neuron=0, lag=1).values
    assert np.abs(previous).max() < 0.2 * np.abs(current).max()
    with pytest.raises(ValueError, match="time"):
        spike_triggered_average(ds, stimulus.rename(time="frame"))
