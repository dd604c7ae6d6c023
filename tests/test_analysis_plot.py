"""Plots rendered to PNG and SVG files, checked for their artists (one raster point per
spike, one line per population, neuron or projection) and for axis labels with units."""

import matplotlib
import numpy as np
import pytest
import xarray as xr
from analysis_data import network_dataset, spikes_dataset, with_epochs
from bioneuro.analysis import (
    align_spikes,
    f_i_curve,
    fit_stdp_window,
    plot,
    power_spectrum,
    psth,
    stdp_window_model,
    to_grid,
)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MAGIC = {".png": b"\x89PNG", ".svg": b"<?xml"}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def saved(path):
    """The file exists, is not empty and starts as its format should."""
    data = path.read_bytes()
    return len(data) > 200 and data.startswith(MAGIC[path.suffix])


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_raster_has_one_point_per_spike(tmp_path, suffix):
    ds = network_dataset()
    fig, ax = plot.raster(ds, path=tmp_path / f"raster{suffix}")
    assert saved(tmp_path / f"raster{suffix}")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["E", "I"]
    assert sum(len(line.get_xdata()) for line in lines) == ds.sizes["spike"]
    e_points = lines[0].get_ydata()
    assert e_points.max() < 30 <= lines[1].get_ydata().min()      # I ids are 30..39
    assert ax.get_xlabel() == "time (ms)" and ax.get_ylabel() == "neuron id"
    by_region = plot.raster(ds, color_by="region")[1]
    assert len(by_region.get_lines()) == 1
    # the accessor draws the same raster
    assert sum(len(line.get_xdata()) for line in ds.bioneuro.raster()[1].get_lines()) == \
        ds.sizes["spike"]


def test_population_rates_and_membrane_traces(tmp_path):
    ds = network_dataset()
    fig, ax = plot.population_rates(ds, bin_size=0.01, path=tmp_path / "rates.svg")
    assert saved(tmp_path / "rates.svg")
    assert [line.get_label() for line in ax.get_lines()] == ["E", "I"]
    assert len(ax.get_lines()[0].get_xdata()) == 200          # 2 s in 10 ms bins
    assert ax.get_ylabel() == "rate (Hz)" and ax.get_xlabel() == "time (ms)"
    # the accessor draws the same curves
    via_accessor = ds.bioneuro.plot_rates(bin_size=0.01)[1].get_lines()
    for mine, theirs in zip(ax.get_lines(), via_accessor, strict=True):
        np.testing.assert_array_equal(mine.get_ydata(), theirs.get_ydata())
    fig, axes = plot.membrane_traces(ds, path=tmp_path / "traces.png")
    assert saved(tmp_path / "traces.png") and len(axes) == 2
    # top: a trace and a row of spike ticks per neuron; bottom: the adaptation current
    assert len(axes[0].get_lines()) == 4 and len(axes[1].get_lines()) == 2
    ticks = axes[0].get_lines()[1]
    assert len(ticks.get_xdata()) == int((ds["spike_neuron"] == 0).sum())
    assert axes[0].get_ylabel() == "v (mV)" and axes[1].get_ylabel() == "w (pA)"
    assert axes[1].get_xlabel() == "time (ms)"
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata().max(), -60.0, atol=0.01)


def test_weight_plots(tmp_path):
    times = np.linspace(0, 10, 6)
    rng = np.random.default_rng(3)
    trace = xr.DataArray(1e-9 * rng.uniform(0, 1, (6, 12)),
                         dims=("weight_time", "recorded_synapse"),
                         coords={"weight_time": ("weight_time", times, {"units": "s"}),
                                 "projection": ("recorded_synapse", ["EE"] * 8 + ["EI"] * 4)},
                         attrs={"units": "S"})
    fig, ax = plot.weight_evolution(trace, path=tmp_path / "evolution.png")
    assert saved(tmp_path / "evolution.png")
    assert [line.get_label() for line in ax.get_lines()] == ["EE", "EI"]
    assert len(ax.get_lines()[0].get_xdata()) == 6 and len(ax.collections) == 2   # s.d. bands
    assert ax.get_ylabel() == "weight (nS)" and ax.get_xlabel() == "time (ms)"
    fig, ax = plot.weight_histogram(trace, bins=5, path=tmp_path / "hist.svg")
    assert saved(tmp_path / "hist.svg")
    assert len(ax.get_lines()) == 2 and len(ax.get_lines()[0].get_xdata()) == 5
    assert ax.get_xlabel() == "weight (nS)" and ax.get_ylabel() == "synapses"


def test_f_i_curve_and_stdp_window(tmp_path):
    amps = np.arange(0, 201, 50) * 1e-12
    spikes = {k: np.arange(0, 1, 1 / (10 * k)) if k else [] for k in range(5)}
    ds = spikes_dataset(spikes, ["step"] * 5).assign_coords(amplitude=("neuron", amps,
                                                                       {"units": "A"}))
    fig, ax = plot.f_i_curve(f_i_curve(ds), path=tmp_path / "fi.png")
    assert saved(tmp_path / "fi.png")
    line, = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [0, 50, 100, 150, 200])     # pA
    np.testing.assert_allclose(line.get_ydata(), [0, 10, 20, 30, 40])
    assert ax.get_xlabel() == "input amplitude (pA)" and ax.get_ylabel() == "firing rate (Hz)"
    dt = np.concatenate([-np.arange(50, 0, -10), np.arange(10, 51, 10)]) * 1e-3
    dw = stdp_window_model(dt, 1.0, 0.017, 0.5, 0.034)
    fig, ax = plot.stdp_window(dt, dw, fit_stdp_window(dt, dw), path=tmp_path / "stdp.svg")
    assert saved(tmp_path / "stdp.svg")
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["pairings", "exponential fit"] and len(labels) == 4  # + 2 axes
    assert len(ax.get_lines()[0].get_xdata()) == 10
    assert ax.get_xlabel() == "t_post - t_pre (ms)"


def test_receptive_field_grid(tmp_path):
    flat = xr.DataArray(np.arange(5 * 16.0).reshape(5, 16) - 40, dims=("neuron", "pre"),
                        coords={"neuron": np.arange(5)},
                        attrs={"units": "S", "long_name": "weights from input"})
    fig, axes = plot.receptive_fields(to_grid(flat, (4, 4), "pre"), ncols=3,
                                      path=tmp_path / "fields.png")
    assert saved(tmp_path / "fields.png")
    assert axes.shape == (2, 3)
    shown = [ax for ax in axes.ravel() if ax.get_visible()]
    assert len(shown) == 5 and all(len(ax.get_images()) == 1 for ax in shown)
    assert shown[2].get_images()[0].get_array().shape == (4, 4)
    colorbar = fig.axes[-1]
    assert colorbar.get_ylabel() == "weights from input (S)"


def test_trial_plots_and_spectrum(tmp_path):
    ds = with_epochs(network_dataset(4.0), 3, ["L", "R", "L"])
    fig, ax = plot.psth(psth(ds, epoch_name="stimulus", bin_size=0.02, t_before=0.1),
                        path=tmp_path / "psth.png")
    assert saved(tmp_path / "psth.png")
    assert len(ax.get_lines()) == 2 * 2 + 1            # condition x population, onset line
    assert ax.get_xlabel() == "time from onset (ms)" and ax.get_ylabel() == "rate (Hz)"
    aligned = align_spikes(ds, epoch_name="stimulus", t_before=0.1)
    fig, ax = plot.trial_raster(aligned, path=tmp_path / "trials.svg")
    assert saved(tmp_path / "trials.svg")
    assert sum(len(line.get_xdata()) for line in ax.get_lines()[:-1]) == \
        aligned.sizes["aligned_spike"]
    fig, ax = plot.power_spectrum(power_spectrum(ds, by="population"), f_max=200,
                                  path=tmp_path / "psd.png")
    assert saved(tmp_path / "psd.png") and len(ax.get_lines()) == 2
    assert ax.get_xlabel() == "frequency (Hz)" and ax.get_ylabel() == "PSD ((Hz)^2/Hz)"
    assert ax.get_lines()[0].get_xdata().max() <= 200


def test_group_colours_stay_distinct_beyond_the_default_cycle():
    # the default cycle has 10 colours; the sensorimotor loop has 14 populations
    for n in (3, 14, 25):
        colors = plot.group_colors([f"p{i}" for i in range(n)])
        assert len(colors) == n and len(set(colors.values())) == n


def test_summary_figure_and_plot_command(tmp_path, capsys):
    import bioneuro as bn
    from bioneuro.cli import main

    ds = network_dataset()
    fig = plot.summary_figure(ds, tmp_path / "summary.svg")
    assert saved(tmp_path / "summary.svg") and len(fig.axes) == 5
    raster_ax = fig.axes[0]
    assert sum(len(line.get_xdata()) for line in raster_ax.get_lines()) == ds.sizes["spike"]
    # one legend for the figure, and a population has one colour in every panel
    populations = list(dict.fromkeys(ds["population"].values.astype(str)))
    assert [t.get_text() for t in fig.legends[0].get_texts()] == populations
    assert all(ax.get_legend() is None for ax in fig.axes)
    for panel in (fig.axes[0], fig.axes[1]):
        assert {line.get_label(): line.get_color() for line in panel.get_lines()} == \
            plot.group_colors(populations)
    bn.save(ds, tmp_path / "run.nc")
    assert main(["plot", str(tmp_path / "run.nc"), "-o", str(tmp_path / "run.png")]) == 0
    assert saved(tmp_path / "run.png") and "wrote" in capsys.readouterr().out
    assert main(["plot", str(tmp_path / "run.nc"), "-o", str(tmp_path / "run.jpg")]) == 2
    assert "--output" in capsys.readouterr().err
    assert not (tmp_path / "run.jpg").exists()
