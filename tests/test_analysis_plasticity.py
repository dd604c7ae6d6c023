"""STDP window fits that recover known amplitudes and time constants; weight statistics,
histograms and fractions at the bounds of hand-made weight sets."""

import numpy as np
import pytest
import xarray as xr
from bioneuro.analysis import (
    fit_stdp_window,
    stdp_window_model,
    weight_histogram,
    weight_statistics,
)

# Bi & Poo (1998) pairing data fitted by exponentials: tau+ = 16.8 ms, tau- = 33.7 ms
# (Bi & Poo 2001, Annu Rev Neurosci 24:139, fig. 1); amplitudes as relative changes.
TRUE = {"A_plus": 0.777, "tau_plus": 0.0168, "A_minus": 0.273, "tau_minus": 0.0337}


def pairing_intervals():
    return np.concatenate([-np.arange(100, 0, -5), np.arange(5, 101, 5)]) * 1e-3   # s


def true_window(dt):
    return stdp_window_model(dt, *(TRUE[k] for k in ("A_plus", "tau_plus", "A_minus",
                                                      "tau_minus")))


def test_window_model_signs_and_values():
    dt = np.array([-0.0337, -0.001, 0.001, 0.0168])
    w = true_window(dt)
    np.testing.assert_allclose(w[[0, 3]], [-0.273 / np.e, 0.777 / np.e])
    assert w[1] < 0 < w[2]


def test_fit_recovers_exact_parameters():
    dt = pairing_intervals()
    fit = fit_stdp_window(dt, true_window(dt), weight_units="1")
    for name, value in TRUE.items():
        assert float(fit[name]) == pytest.approx(value, rel=1e-6), name
    assert float(fit["rms_residual"]) < 1e-9
    assert fit["tau_plus"].attrs["units"] == "s" and fit["A_plus"].attrs["units"] == "1"
    assert fit.attrs["n_pairings"] == len(dt)


def test_fit_of_noisy_pairings_is_within_its_standard_errors():
    rng = np.random.default_rng(3)
    dt = np.repeat(pairing_intervals(), 5)                  # 5 pairings per interval
    dw = xr.DataArray(true_window(dt) + rng.normal(0, 0.05, len(dt)), dims="pairing",
                      coords={"delta_t": ("pairing", dt)}, attrs={"units": "1"})
    fit = fit_stdp_window(dw)                               # delta_t from the coordinate
    for name, value in TRUE.items():
        err = float(fit[f"{name}_stderr"])
        assert 0 < err < 0.25 * value, name
        assert abs(float(fit[name]) - value) < 3 * err, name
    assert float(fit["rms_residual"]) == pytest.approx(0.05, rel=0.15)


def test_fit_needs_both_sides():
    dt = np.array([0.005, 0.01, 0.02, -0.01])
    with pytest.raises(ValueError, match="delta_t"):
        fit_stdp_window(dt, true_window(dt))
    with pytest.raises(ValueError, match="delta_w"):
        fit_stdp_window(dt, np.ones(3))
    with pytest.raises(ValueError, match="delta_w"):
        fit_stdp_window(dt)


def final_weights():
    """EE: bounds 0 and 1 nS, 2 of 5 at each bound; EI: 3 synapses, none at a bound."""
    w = np.array([0.0, 0.0, 0.5, 1.0, 1.0, 0.2, 0.4, 0.6]) * 1e-9
    return xr.Dataset(
        {"weight": ("synapse", w, {"units": "S"})},
        coords={"synapse_projection": ("synapse", ["EE"] * 5 + ["EI"] * 3)})


def test_weight_statistics_and_fractions_at_bounds():
    stats = weight_statistics(final_weights(), w_min=0.0, w_max=1e-9)
    ee, ei = stats.sel(projection="EE"), stats.sel(projection="EI")
    assert float(ee["weight_mean"]) == pytest.approx(0.5e-9)
    assert float(ee["weight_std"]) == pytest.approx(np.std([0, 0, 0.5, 1, 1]) * 1e-9)
    assert float(ee["weight_fraction_low"]) == pytest.approx(0.4)
    assert float(ee["weight_fraction_high"]) == pytest.approx(0.4)
    assert int(ee["n_active_synapses"]) == 3
    assert float(ei["weight_mean"]) == pytest.approx(0.4e-9)
    assert float(ei["weight_fraction_low"]) == 0 and float(ei["weight_fraction_high"]) == 0
    assert int(ei["n_active_synapses"]) == 3
    assert stats["weight_mean"].attrs["units"] == "S"
    assert stats["weight_fraction_high"].attrs["units"] == "1"
    # without bounds the fractions are unknown
    assert np.isnan(weight_statistics(final_weights())["weight_fraction_low"]).all()


def test_statistics_and_histograms_of_a_weight_trace():
    # 4 synapses drift apart to the bounds: all 0.5 at t=0, then 2 at 0 and 2 at 1
    times = np.array([0.0, 1.0, 2.0])
    values = np.array([[0.5, 0.5, 0.5, 0.5], [0.25, 0.25, 0.75, 0.75], [0.0, 0.0, 1.0, 1.0]])
    trace = xr.DataArray(values, dims=("weight_time", "recorded_synapse"),
                         coords={"weight_time": ("weight_time", times, {"units": "s"}),
                                 "projection": ("recorded_synapse", ["EE"] * 4)},
                         attrs={"units": "1"})
    stats = weight_statistics(xr.Dataset({"weight_trace": trace}), w_min=0.0, w_max=1.0)
    assert stats["weight_mean"].dims == ("projection", "weight_time")
    np.testing.assert_allclose(stats["weight_mean"].sel(projection="EE"), 0.5)
    np.testing.assert_allclose(stats["weight_std"].sel(projection="EE"), [0, 0.25, 0.5])
    np.testing.assert_allclose(stats["weight_fraction_high"].sel(projection="EE"),
                               [0, 0, 0.5])
    np.testing.assert_array_equal(stats["n_active_synapses"].sel(projection="EE"),
                                  [4, 4, 2])
    hist = weight_histogram(trace, bins=4, weight_range=(0.0, 1.0))
    assert hist.dims == ("projection", "weight_time", "weight_bin")
    np.testing.assert_allclose(hist["weight_bin"], [0.125, 0.375, 0.625, 0.875])
    np.testing.assert_array_equal(hist.sel(projection="EE").values,
                                  [[0, 0, 4, 0], [0, 2, 0, 2], [2, 0, 0, 2]])
    density = weight_histogram(trace, bins=4, weight_range=(0.0, 1.0), density=True)
    np.testing.assert_allclose(density.sum("weight_bin") * 0.25, 1.0)
    # a recorded histogram or recorded statistics are returned as they are
    recorded = xr.Dataset({"weight_histogram": hist, **stats.data_vars})
    assert weight_histogram(recorded).identical(hist)
    assert weight_statistics(recorded).equals(stats)


def test_histogram_per_projection_of_final_weights():
    hist = weight_histogram(final_weights(), bins=[0, 0.25e-9, 0.75e-9, 1.01e-9])
    np.testing.assert_array_equal(hist.sel(projection="EE"), [2, 1, 2])
    np.testing.assert_array_equal(hist.sel(projection="EI"), [1, 2, 0])
    assert hist["weight_bin"].attrs["units"] == "S"
