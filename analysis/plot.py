"""Figures of result Datasets and analysis results (matplotlib; Agg-safe).

Every function takes an optional ``ax`` (or draws a new figure), an optional ``path`` to
save to (PNG, SVG, PDF: by the file's extension), and returns ``(figure, axes)``. Axis
labels carry units; SI values are shown in readable units (ms, mV, pA, nS).
"""

import numpy as np
from bioneuro.analysis.rates import population_rate

__all__ = ["raster", "population_rates", "membrane_traces", "weight_evolution",
           "weight_histogram", "f_i_curve", "stdp_window", "receptive_fields", "psth",
           "trial_raster", "power_spectrum", "summary_figure", "group_colors"]

#: SI unit -> (factor, display unit)
DISPLAY_UNITS = {"s": (1e3, "ms"), "V": (1e3, "mV"), "A": (1e12, "pA"), "S": (1e9, "nS"),
                 "siemens": (1e9, "nS"), "volt": (1e3, "mV"), "amp": (1e12, "pA")}


def _pyplot():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "svg", "pdf") and \
            "inline" not in matplotlib.get_backend():
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _axes(ax, figsize=(8, 4)):
    if ax is not None:
        return ax.figure, ax
    return _pyplot().subplots(figsize=figsize)


def _finish(fig, path):
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def group_colors(names):
    """One colour per group name, in order: ``tab10`` up to 10 groups, ``tab20`` up to 20,
    then ``turbo`` (the default cycle repeats after 10, so two populations shared a
    colour in a figure of the 14-population sensorimotor loop)."""
    names = list(dict.fromkeys(str(n) for n in names))
    import matplotlib

    if len(names) <= 20:
        cmap = matplotlib.colormaps["tab10" if len(names) <= 10 else "tab20"]
        return {n: cmap(i) for i, n in enumerate(names)}
    cmap = matplotlib.colormaps["turbo"]
    return {n: cmap(i / (len(names) - 1)) for i, n in enumerate(names)}


def _display(units):
    """``(factor, label)`` to show values of SI `units`."""
    return DISPLAY_UNITS.get(units, (1.0, units or "1"))


def raster(ds, ax=None, color_by="population", max_spikes=200_000, markersize=1.0,
           path=None, colors=None):
    """Spike raster coloured by population (or region, cell type).

    Parameters
    ----------
    ds : xarray.Dataset
    color_by : str
        Neuron coordinate giving the colour groups (``"population"``, ``"region"``).
    max_spikes : int
        Plot at most this many spikes (evenly thinned) to keep files small.
    colors : mapping, optional
        Group name -> colour (default `group_colors` of the groups in neuron order).

    Returns
    -------
    (Figure, Axes)
        One line artist per group; their points are the spikes drawn.
    """
    from bioneuro.analysis._spikes import spike_positions

    fig, ax = _axes(ax)
    t, pos = spike_positions(ds, -np.inf, np.inf)
    step = max(1, int(np.ceil(len(t) / max_spikes)))
    t, pos = t[::step], pos[::step]
    ids = np.asarray(ds["neuron"].values)
    groups = np.asarray(ds[color_by].values)
    colors = colors or group_colors(groups.tolist())
    for group in dict.fromkeys(groups.tolist()):
        mask = groups[pos] == group
        ax.plot(t[mask] * 1e3, ids[pos[mask]], ".", ms=markersize, label=str(group),
                color=colors[str(group)])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron id")
    ax.set_xlim(0, float(ds.attrs.get("duration_s", t.max() if len(t) else 1)) * 1e3)
    ax.legend(loc="upper right", markerscale=8, fontsize="small", title=color_by)
    _finish(fig, path)
    return fig, ax


def population_rates(ds, ax=None, bin_size=0.005, kernel_width=None, by="population",
                     path=None, colors=None):
    """Population firing rates over time, one line per population (`population_rate`);
    `colors` maps group names to colours (default `group_colors`)."""
    fig, ax = _axes(ax)
    rates = population_rate(ds, bin_size, kernel_width=kernel_width, by=by)
    colors = colors or group_colors(rates[by].values.tolist())
    for group in rates[by].values:
        ax.plot(rates["time"] * 1e3, rates.sel({by: group}), label=str(group),
                color=colors[str(group)])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("rate (Hz)")
    ax.legend(loc="upper right", fontsize="small")
    _finish(fig, path)
    return fig, ax


def membrane_traces(ds, neurons=None, variable="v", adaptation="auto", spikes=True,
                    path=None):
    """Recorded state traces with spike marks, and the adaptation current below.

    Parameters
    ----------
    ds : xarray.Dataset
        With ``variable`` on (``time``, ``recorded_neuron``).
    neurons : array of int, optional
        Neuron ids (default: all recorded, at most 5).
    variable : str
        The membrane potential variable.
    adaptation : str, None or "auto"
        Second panel's variable (``"auto"``: ``w`` if recorded).
    spikes : bool
        Mark spike times with vertical ticks above the traces.

    Returns
    -------
    (Figure, list of Axes)
        One line per neuron and panel.
    """
    plt = _pyplot()
    if variable not in ds.data_vars:
        raise ValueError(f"variable: got {variable!r}; recorded are "
                         f"{', '.join(map(str, ds.data_vars))}")
    if adaptation == "auto":
        adaptation = "w" if "w" in ds.data_vars else None
    recorded = np.asarray(ds["recorded_neuron"].values)
    chosen = recorded[:5] if neurons is None else np.atleast_1d(neurons)
    panels = [variable] + ([adaptation] if adaptation else [])
    fig, axes = plt.subplots(len(panels), 1, figsize=(8, 2.5 * len(panels)), sharex=True,
                             squeeze=False)
    axes = list(axes[:, 0])
    time_ms = np.asarray(ds["time"].values) * 1e3
    for ax, name in zip(axes, panels, strict=True):
        factor, unit = _display(ds[name].attrs.get("units", ""))
        for neuron in chosen:
            trace = ds[name].sel(recorded_neuron=neuron).values * factor
            line, = ax.plot(time_ms, trace, lw=0.8, label=f"neuron {neuron}")
            if spikes and name == variable and "spike_time" in ds:
                times = ds["spike_time"].values[ds["spike_neuron"].values == neuron]
                top = np.nanmax(trace) if np.isfinite(trace).any() else 0.0
                ax.plot(times * 1e3, np.full(len(times), top), "|", color=line.get_color(),
                        ms=8)
        ax.set_ylabel(f"{name} ({unit})")
    axes[0].legend(loc="upper right", fontsize="small")
    axes[-1].set_xlabel("time (ms)")
    fig.tight_layout()
    _finish(fig, path)
    return fig, axes


def weight_evolution(data, ax=None, path=None, **options):
    """Mean weight (+- s.d. band) per projection over time (`weight_statistics`)."""
    from bioneuro.analysis.plasticity import weight_statistics

    stats = weight_statistics(data, **options)
    fig, ax = _axes(ax)
    factor, unit = _display(stats["weight_mean"].attrs.get("units", ""))
    time = next(d for d in stats["weight_mean"].dims if d != "projection")
    t = np.asarray(stats[time].values)
    tfactor, tunit = _display(stats[time].attrs.get("units", "s"))
    for proj in stats["projection"].values:
        mean = stats["weight_mean"].sel(projection=proj).values * factor
        std = stats["weight_std"].sel(projection=proj).values * factor
        ax.plot(t * tfactor, mean, label=str(proj))
        ax.fill_between(t * tfactor, mean - std, mean + std, alpha=0.25)
    ax.set_xlabel(f"time ({tunit})")
    ax.set_ylabel(f"weight ({unit})")
    ax.legend(loc="best", fontsize="small")
    _finish(fig, path)
    return fig, ax


def weight_histogram(data, ax=None, time_index=-1, bins=20, path=None):
    """Weight distribution per projection (step lines; the last time of a trace)."""
    from bioneuro.analysis.plasticity import weight_histogram as histogram

    hist = histogram(data, bins=bins)
    extra = [d for d in hist.dims if d not in ("projection", "weight_bin")]
    if extra:
        hist = hist.isel({extra[0]: time_index})
    fig, ax = _axes(ax)
    factor, unit = _display(hist["weight_bin"].attrs.get("units", ""))
    for proj in hist["projection"].values:
        ax.step(hist["weight_bin"] * factor, hist.sel(projection=proj), where="mid",
                label=str(proj))
    ax.set_xlabel(f"weight ({unit})")
    ax.set_ylabel("synapses" if hist.attrs.get("units") == "1" else "density")
    ax.legend(loc="best", fontsize="small")
    _finish(fig, path)
    return fig, ax


def f_i_curve(curve, ax=None, path=None):
    """Firing rate against input amplitude (an `input_output.f_i_curve`)."""
    fig, ax = _axes(ax, (5, 4))
    factor, unit = _display(curve["amplitude"].attrs.get("units", "A"))
    ax.plot(curve["amplitude"] * factor, curve, "o-")
    ax.set_xlabel(f"input amplitude ({unit})")
    ax.set_ylabel("firing rate (Hz)")
    _finish(fig, path)
    return fig, ax


def stdp_window(delta_t, delta_w, fit=None, ax=None, path=None):
    """Weight change against ``t_post - t_pre`` with the fitted exponential window."""
    from bioneuro.analysis.plasticity import stdp_window_model

    fig, ax = _axes(ax, (5, 4))
    dt = np.asarray(delta_t, float)
    ax.plot(dt * 1e3, np.asarray(delta_w, float), "o", ms=4, label="pairings")
    if fit is not None:
        grid = np.linspace(dt.min(), dt.max(), 400)
        grid = grid[grid != 0]
        curve = stdp_window_model(grid, *(float(fit[k]) for k in
                                          ("A_plus", "tau_plus", "A_minus", "tau_minus")))
        ax.plot(grid * 1e3, curve, "-", label="exponential fit")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    ax.set_xlabel("t_post - t_pre (ms)")
    units = getattr(delta_w, "attrs", {}).get("units", "")
    ax.set_ylabel(f"weight change ({units})" if units else "weight change")
    ax.legend(loc="best", fontsize="small")
    _finish(fig, path)
    return fig, ax


def receptive_fields(fields, ncols=8, max_fields=64, cmap="RdBu_r", path=None):
    """Grid of receptive-field images (from `weight_receptive_fields` or an STA).

    Parameters
    ----------
    fields : xarray.DataArray
        On (``neuron``, ``y``, ``x``) or (``unit``, ``y``, ``x``) (from
        `receptive_fields.receptive_field_grid`); other leading dims: the first entry is
        shown.

    Returns
    -------
    (Figure, ndarray of Axes)
        One image per field; colour scale symmetric around 0, shared by all.
    """
    plt = _pyplot()
    if "unit" in fields.dims:
        fields = fields.rename(unit="neuron")
    while fields.ndim > 3:
        fields = fields.isel({next(d for d in fields.dims if d not in
                                   ("neuron", "y", "x")): 0})
    n = min(fields.sizes["neuron"], max_fields)
    cols = min(ncols, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(1.4 * cols, 1.4 * rows), squeeze=False)
    limit = float(np.nanmax(np.abs(fields.values))) or 1.0
    image = None
    for k, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= n:
            ax.set_visible(False)
            continue
        image = ax.imshow(fields.isel(neuron=k).transpose("y", "x").values, cmap=cmap,
                          vmin=-limit, vmax=limit)
        ax.set_title(str(fields["neuron"].values[k]), fontsize="small")
    if image is not None:
        bar = fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8)
        bar.set_label(f"{fields.attrs.get('long_name', 'value')} "
                      f"({fields.attrs.get('units', '1')})")
    _finish(fig, path)
    return fig, axes


def psth(histogram, ax=None, path=None):
    """Trial-aligned rates: one line per condition and population (a `trials.psth`)."""
    fig, ax = _axes(ax)
    group = next(d for d in histogram.dims if d not in ("condition", "time"))
    for condition in histogram["condition"].values:
        for member in histogram[group].values:
            label = f"{condition} / {member}" if histogram.sizes[group] > 1 else str(condition)
            ax.plot(histogram["time"] * 1e3,
                    histogram.sel(condition=condition, **{group: member}), label=label)
    ax.axvline(0, color="0.5", lw=0.8, ls="--")
    ax.set_xlabel("time from onset (ms)")
    ax.set_ylabel("rate (Hz)")
    ax.legend(loc="upper right", fontsize="small")
    _finish(fig, path)
    return fig, ax


def trial_raster(aligned, ax=None, markersize=2.0, path=None):
    """Raster of trial-aligned spikes (an `align_spikes` result), trials stacked, coloured
    by condition; y = trial position + neuron rank / number of neurons."""
    fig, ax = _axes(ax)
    neurons = np.unique(aligned["aligned_neuron"].values)
    rank = np.searchsorted(neurons, aligned["aligned_neuron"].values) / max(len(neurons), 1)
    trial = aligned["aligned_trial"].values
    labels = aligned["trial_condition"].values
    for condition in dict.fromkeys(labels.tolist()):
        mask = labels[trial] == condition
        ax.plot(aligned["aligned_time"].values[mask] * 1e3, trial[mask] + rank[mask], ".",
                ms=markersize, label=str(condition))
    ax.axvline(0, color="0.5", lw=0.8, ls="--")
    ax.set_xlabel("time from onset (ms)")
    ax.set_ylabel("trial")
    ax.legend(loc="upper right", markerscale=4, fontsize="small")
    _finish(fig, path)
    return fig, ax


def power_spectrum(psd, ax=None, f_max=None, path=None, colors=None):
    """Power spectral density on a log scale (a `spectral.power_spectrum`); `colors` maps
    group names to colours (default `group_colors`)."""
    fig, ax = _axes(ax, (5, 4))
    psd = psd.sel(frequency=slice(None, f_max))
    others = [d for d in psd.dims if d != "frequency"]
    series = [(str(v), psd.sel({others[0]: v})) for v in psd[others[0]].values] if others \
        else [("all", psd)]
    colors = colors or group_colors(label for label, _ in series)
    for label, values in series:
        ax.semilogy(psd["frequency"], values, label=label, color=colors[label])
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel(f"PSD ({psd.attrs.get('units', '')})")
    ax.legend(loc="upper right", fontsize="small")
    _finish(fig, path)
    return fig, ax


def _per_population(values):
    """``(population, values)`` of a per-neuron DataArray, populations in neuron order."""
    groups = np.asarray(values["population"].values).astype(str)
    return [(pop, values.values[groups == pop]) for pop in dict.fromkeys(groups.tolist())]


def summary_figure(ds, path=None, bin_size=0.005):
    """Raster, population rates, ISI CV distribution and rate spectrum of a run.

    Every panel gives a population the same colour (`group_colors`); one legend, right of
    the panels, names them.

    Returns
    -------
    Figure
        Saved to `path` (PNG/SVG) if given.
    """
    from bioneuro.analysis.intervals import isi_cv
    from bioneuro.analysis.rates import firing_rates
    from bioneuro.analysis.spectral import power_spectrum as spectrum

    plt = _pyplot()
    colors = group_colors(ds["population"].values.tolist())
    fig = plt.figure(figsize=(12, 7), layout="constrained")
    grid = fig.add_gridspec(3, 3, height_ratios=[2, 1, 1.2])
    top = fig.add_subplot(grid[0, :])
    middle = fig.add_subplot(grid[1, :], sharex=top)
    raster(ds, ax=top, colors=colors)
    population_rates(ds, ax=middle, bin_size=bin_size, colors=colors)
    top.set_xlabel("")
    top.set_title(ds.attrs.get("title", ""))
    cv_ax = fig.add_subplot(grid[2, 0])
    for pop, values in _per_population(isi_cv(ds)):
        values = values[np.isfinite(values)]
        if len(values):
            cv_ax.hist(values, bins=20, range=(0, 2), histtype="step", label=pop,
                       color=colors[pop])
    cv_ax.set_xlabel("CV of ISIs (1)")
    cv_ax.set_ylabel("neurons")
    rate_ax = fig.add_subplot(grid[2, 1])
    for pop, values in _per_population(firing_rates(ds)):
        rate_ax.hist(values, bins=20, histtype="step", label=pop, color=colors[pop])
    rate_ax.set_xlabel("firing rate (Hz)")
    rate_ax.set_ylabel("neurons")
    psd_ax = fig.add_subplot(grid[2, 2])
    try:
        power_spectrum(spectrum(ds, bin_size=0.001, by="population"), ax=psd_ax, f_max=250,
                       colors=colors)
    except ValueError:      # too short a run for a spectrum
        psd_ax.set_visible(False)
    for ax in fig.axes:
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    handles = [plt.Line2D([], [], color=color, lw=2) for color in colors.values()]
    fig.legend(handles, list(colors), loc="outside right upper", fontsize="small",
               title="population")
    _finish(fig, path)
    return fig
