"""Firing rates from the spikes of a result Dataset.

Follows Elephant's argument names (``t_start``, ``t_stop``, ``bin_size``); times are seconds
or Brian2 quantities; results are labelled `xarray.DataArray` objects with ``units``.
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._time import recording_window, seconds

__all__ = ["firing_rates", "population_mean_rates", "population_rate_histogram"]


def _window_spikes(ds, t_start, t_stop):
    t = ds["spike_time"].values
    n = ds["spike_neuron"].values
    keep = (t >= t_start) & (t < t_stop)
    return t[keep], n[keep]


def firing_rates(ds, t_start=None, t_stop=None):
    """Mean firing rate of every neuron in ``[t_start, t_stop)``.

    Parameters
    ----------
    ds : xarray.Dataset
        A bioneuro result (``spike_time``, ``spike_neuron``, ``neuron`` coordinates).
    t_start, t_stop : float (s) or Quantity, optional
        Window; defaults to the whole run.

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on the ``neuron`` dimension, with the dataset's neuron coordinates.
    """
    start, stop = recording_window(ds, t_start, t_stop)
    _, n = _window_spikes(ds, start, stop)
    counts = np.bincount(n, minlength=ds.sizes["neuron"]).astype(float)
    rates = xr.DataArray(counts / (stop - start), dims="neuron",
                         coords={k: v for k, v in ds["neuron"].coords.items()},
                         name="firing_rate",
                         attrs={"units": "Hz", "long_name": "mean firing rate",
                                "t_start": start, "t_stop": stop})
    return rates


def population_mean_rates(ds, t_start=None, t_stop=None):
    """Mean over neurons of `firing_rates`, per population.

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on a ``population`` dimension.
    """
    rates = firing_rates(ds, t_start, t_stop)
    mean = rates.groupby("population").mean()
    mean.attrs = {"units": "Hz", "long_name": "population mean firing rate",
                  "t_start": rates.attrs["t_start"], "t_stop": rates.attrs["t_stop"]}
    return mean.rename("population_mean_rate")


def population_rate_histogram(ds, bin_size=0.005, t_start=None, t_stop=None):
    """Time-resolved population rate: spikes per bin / (neurons x bin size).

    Parameters
    ----------
    ds : xarray.Dataset
    bin_size : float (s) or Quantity
        Bin width (default 5 ms).
    t_start, t_stop : float (s) or Quantity, optional

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on (``time``, ``population``), ``time`` at bin centres (s).
    """
    width = seconds(bin_size, "bin_size")
    if not width or width <= 0:
        raise ValueError(f"bin_size: got {bin_size!r}; expected a positive time")
    start, stop = recording_window(ds, t_start, t_stop)
    edges = np.arange(start, stop + width * 0.5, width)
    if len(edges) < 2:
        raise ValueError(f"bin_size: got {width} s; larger than the window {stop - start} s")
    t, n = _window_spikes(ds, start, edges[-1])
    populations = list(dict.fromkeys(ds["population"].values.tolist()))
    pop_of_neuron = ds["population"].values
    sizes = {p: int((pop_of_neuron == p).sum()) for p in populations}
    data = np.empty((len(edges) - 1, len(populations)))
    for k, pop in enumerate(populations):
        counts, _ = np.histogram(t[pop_of_neuron[n] == pop], bins=edges)
        data[:, k] = counts / (sizes[pop] * width)
    centres = 0.5 * (edges[:-1] + edges[1:])
    return xr.DataArray(
        data, dims=("time", "population"),
        coords={"time": ("time", centres, {"units": "s", "long_name": "bin centre"}),
                "population": populations},
        name="population_rate",
        attrs={"units": "Hz", "long_name": "population firing rate", "bin_size": width})
