"""Figures of result Datasets (matplotlib, non-interactive backend safe)."""

import numpy as np
from bioneuro.analysis.rates import population_rate_histogram

__all__ = ["raster", "population_rates", "summary_figure"]


def _axes(ax):
    if ax is not None:
        return ax.figure, ax
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(8, 4))


def raster(ds, ax=None, max_spikes=200_000, markersize=1.0):
    """Spike raster coloured by population.

    Parameters
    ----------
    ds : xarray.Dataset
    ax : matplotlib Axes, optional
    max_spikes : int
        Plot at most this many spikes (evenly thinned) to keep files small.

    Returns
    -------
    (Figure, Axes)
    """
    fig, ax = _axes(ax)
    t = ds["spike_time"].values
    n = ds["spike_neuron"].values
    step = max(1, int(np.ceil(len(t) / max_spikes)))
    t, n = t[::step], n[::step]
    pops = ds["population"].values
    for pop in dict.fromkeys(pops.tolist()):
        mask = pops[n] == pop
        ax.plot(t[mask] * 1e3, n[mask], ".", ms=markersize, label=pop)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron id")
    ax.set_xlim(0, float(ds.attrs.get("duration_s", t.max() if len(t) else 1)) * 1e3)
    ax.legend(loc="upper right", markerscale=8, fontsize="small")
    return fig, ax


def population_rates(ds, ax=None, bin_size=0.005):
    """Population firing rates over time (histogram of `bin_size` s)."""
    fig, ax = _axes(ax)
    rates = population_rate_histogram(ds, bin_size)
    for pop in rates["population"].values:
        ax.plot(rates["time"] * 1e3, rates.sel(population=pop), label=str(pop))
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("rate (Hz)")
    ax.legend(loc="upper right", fontsize="small")
    return fig, ax


def summary_figure(ds, path=None, bin_size=0.005):
    """Raster (top) and population rates (bottom); saved to `path` (PNG/SVG) if given."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True,
                                      gridspec_kw={"height_ratios": [2, 1]})
    raster(ds, ax=top)
    population_rates(ds, ax=bottom, bin_size=bin_size)
    top.set_xlabel("")
    top.set_title(ds.attrs.get("title", ""))
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig
