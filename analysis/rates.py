"""Firing rates from the spikes of a result Dataset.

Per neuron (`firing_rates`), per population (`population_mean_rates`), time-resolved per
neuron (`binned_spike_counts`, `instantaneous_rates`) and per population or for the whole
network (`population_rate`). Argument names follow Elephant (``t_start``, ``t_stop``,
``bin_size``, ``sampling_period``); times are seconds or Brian2 quantities; results are
labelled `xarray.DataArray` objects with ``units`` in their attributes.
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import (
    count_matrix,
    neuron_coords,
    require_grouping,
    spike_positions,
)
from bioneuro.analysis._time import bin_edges, positive_seconds, recording_window

__all__ = ["firing_rates", "population_mean_rates", "binned_spike_counts",
           "instantaneous_rates", "population_rate", "population_rate_histogram"]

KERNELS = ("gaussian", "exponential", "rectangular")


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
        Rate (Hz) on the ``neuron`` dimension, with the dataset's neuron coordinates
        (Elephant: ``mean_firing_rate``).
    """
    start, stop = recording_window(ds, t_start, t_stop)
    _, pos = spike_positions(ds, start, stop)
    counts = np.bincount(pos, minlength=ds.sizes["neuron"]).astype(float)
    return xr.DataArray(counts / (stop - start), dims="neuron", coords=neuron_coords(ds),
                        name="firing_rate",
                        attrs={"units": "Hz", "long_name": "mean firing rate",
                               "t_start": start, "t_stop": stop})


def population_mean_rates(ds, t_start=None, t_stop=None, by="population"):
    """Mean over neurons of `firing_rates`, per population (or per `by` coordinate).

    Parameters
    ----------
    by : str
        A neuron coordinate to group by: ``"population"`` (default), ``"region"``,
        ``"cell_type"``.

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on a `by` dimension.
    """
    require_grouping(ds, by, "population_mean_rates")
    rates = firing_rates(ds, t_start, t_stop)
    mean = rates.groupby(by).mean()
    mean.attrs = {"units": "Hz", "long_name": f"{by} mean firing rate",
                  "t_start": rates.attrs["t_start"], "t_stop": rates.attrs["t_stop"]}
    return mean.rename(f"{by}_mean_rate" if by != "population" else "population_mean_rate")


def _time_coord(edges):
    centres = 0.5 * (edges[:-1] + edges[1:])
    return ("time", centres, {"units": "s", "long_name": "bin centre"})


def binned_spike_counts(ds, bin_size=0.005, t_start=None, t_stop=None):
    """Spike counts of every neuron in consecutive bins (Elephant's ``BinnedSpikeTrain``).

    Parameters
    ----------
    ds : xarray.Dataset
    bin_size : float (s) or Quantity
    t_start, t_stop : float (s) or Quantity, optional
        Window; a remainder shorter than `bin_size` at its end is dropped.

    Returns
    -------
    xarray.DataArray
        Counts (int) on (``time``, ``neuron``); ``time`` holds bin centres (s).
    """
    width = positive_seconds(bin_size, "bin_size")
    start, stop = recording_window(ds, t_start, t_stop)
    edges = bin_edges(start, stop, width)
    t, pos = spike_positions(ds, start, edges[-1])
    counts = count_matrix(t, pos, edges, ds.sizes["neuron"])
    return xr.DataArray(counts, dims=("time", "neuron"),
                        coords={"time": _time_coord(edges), **neuron_coords(ds)},
                        name="spike_count",
                        attrs={"units": "1", "long_name": "spike count per bin",
                               "bin_size": width, "t_start": start, "t_stop": float(edges[-1])})


def _smooth(rate, dt, kernel, kernel_width):
    """Convolve binned rates (time first) with a unit-area kernel of width `kernel_width`."""
    if kernel not in KERNELS:
        raise ValueError(f"kernel: got {kernel!r}; expected one of {', '.join(KERNELS)}")
    from scipy import ndimage, signal

    if kernel == "gaussian":
        return ndimage.gaussian_filter1d(rate, kernel_width / dt, axis=0, mode="constant",
                                         truncate=5.0)
    if kernel == "rectangular":
        n = max(1, int(round(kernel_width / dt)))
        return ndimage.uniform_filter1d(rate, n, axis=0, mode="constant")
    # causal exponential: r' = -r/tau + spikes/tau, exact for piecewise-constant input
    decay = np.exp(-dt / kernel_width)
    return signal.lfilter([1 - decay], [1, -decay], rate, axis=0)


def instantaneous_rates(ds, sampling_period=0.001, kernel_width=0.005, kernel="gaussian",
                        t_start=None, t_stop=None):
    """Kernel-smoothed firing rate of every neuron (Elephant's ``instantaneous_rate``).

    Spikes are counted in bins of `sampling_period` and convolved with a unit-area kernel,
    so the time average of the result equals the mean rate (up to edge losses).

    Parameters
    ----------
    ds : xarray.Dataset
    sampling_period : float (s) or Quantity
    kernel_width : float (s) or Quantity
        Standard deviation (``"gaussian"``), time constant (``"exponential"``, causal) or
        full width (``"rectangular"``).
    kernel : {"gaussian", "exponential", "rectangular"}
    t_start, t_stop : float (s) or Quantity, optional

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on (``time``, ``neuron``).

    References
    ----------
    Nawrot, Aertsen & Rotter (1999) J Neurosci Methods 94:81-92.
    """
    width = positive_seconds(kernel_width, "kernel_width")
    counts = binned_spike_counts(ds, sampling_period, t_start, t_stop)
    dt = counts.attrs["bin_size"]
    rate = _smooth(counts.values / dt, dt, kernel, width)
    out = counts.copy(data=rate).rename("instantaneous_rate")
    out.attrs = {**counts.attrs, "units": "Hz", "long_name": "instantaneous firing rate",
                 "kernel": kernel, "kernel_width": width, "sampling_period": dt}
    del out.attrs["bin_size"]
    return out


def population_rate(ds, bin_size=0.001, kernel_width=None, kernel="gaussian", by=None,
                    t_start=None, t_stop=None):
    """Time-resolved population rate: spikes per bin / (neurons x bin size).

    Parameters
    ----------
    ds : xarray.Dataset
    bin_size : float (s) or Quantity
        Bin width (default 1 ms).
    kernel_width : float (s) or Quantity, optional
        Smooth with a kernel of this width (see `instantaneous_rates`); default: none.
    kernel : {"gaussian", "exponential", "rectangular"}
    by : str, optional
        A neuron coordinate (``"population"``, ``"region"``): one rate per group; default
        ``None``: one rate for all neurons of the dataset.
    t_start, t_stop : float (s) or Quantity, optional

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on ``time`` (bin centres, s), and `by` if given.
    """
    if by is not None:
        require_grouping(ds, by, "population_rate")
    counts = binned_spike_counts(ds, bin_size, t_start, t_stop)
    width = counts.attrs["bin_size"]
    if by is None:
        rate = counts.sum("neuron") / (counts.sizes["neuron"] * width)
    else:
        groups = list(dict.fromkeys(counts[by].values.tolist()))
        rate = (counts.groupby(by).sum() / (counts[by].groupby(by).count() * width))
        rate = rate.sel({by: groups}).transpose("time", by)
    rate = rate.astype(float)
    attrs = {"units": "Hz", "long_name": "population firing rate", "bin_size": width,
             "t_start": counts.attrs["t_start"], "t_stop": counts.attrs["t_stop"]}
    if kernel_width is not None:
        smooth_width = positive_seconds(kernel_width, "kernel_width")
        rate = rate.copy(data=_smooth(rate.values, width, kernel, smooth_width))
        attrs.update(kernel=kernel, kernel_width=smooth_width)
    rate.attrs = attrs
    return rate.rename("population_rate")


def population_rate_histogram(ds, bin_size=0.005, t_start=None, t_stop=None):
    """Population rate per population in bins of `bin_size` (default 5 ms).

    The same as ``population_rate(ds, bin_size, by="population")``.

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on (``time``, ``population``), ``time`` at bin centres (s).
    """
    return population_rate(ds, bin_size, by="population", t_start=t_start, t_stop=t_stop)
