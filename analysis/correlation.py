"""Variability and correlation: Fano factor, spike-count correlations, cross-correlograms,
and a synchrony measure of population activity."""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import require_grouping, spike_positions
from bioneuro.analysis._time import positive_seconds, recording_window
from bioneuro.analysis.rates import binned_spike_counts, instantaneous_rates

__all__ = ["fano_factor", "spike_count_correlation", "cross_correlogram", "synchrony"]


def fano_factor(data, bin_size=0.1, dim="time", t_start=None, t_stop=None):
    """Fano factor (variance / mean) of spike counts.

    Parameters
    ----------
    data : xarray.Dataset or xarray.DataArray
        A result Dataset: counts of every neuron in consecutive windows of `bin_size`;
        or a DataArray of counts (e.g. `trial_spike_counts`, dims ``trial`` x ``neuron``):
        the statistic along `dim`.
    bin_size : float (s) or Quantity
        Counting window for a Dataset (default 100 ms).
    dim : str
        Dimension of the repetitions (``"time"`` for a Dataset's windows; ``"trial"`` for
        trial counts).

    Returns
    -------
    xarray.DataArray
        Dimensionless, NaN where the mean count is 0. 1 for a Poisson process. The variance
        is the population one (``ddof=0``), as in Elephant's ``fanofactor`` (which takes the
        windows or trials as a list of spike trains).

    References
    ----------
    Fano (1947) Phys Rev 72:26; Teich et al. (1997) J Opt Soc Am A 14:529.
    """
    if isinstance(data, xr.Dataset):
        counts = binned_spike_counts(data, bin_size, t_start, t_stop)
        dim = "time"
    elif isinstance(data, xr.DataArray):
        counts = data
        if dim not in counts.dims:
            raise ValueError(f"dim: got {dim!r}; the counts have dims {counts.dims}")
    else:
        raise TypeError(f"fano_factor: expected a Dataset or DataArray, got "
                        f"{type(data).__name__}")
    counts = counts.astype(float)
    mean = counts.mean(dim)
    var = counts.var(dim)
    fano = (var / mean.where(mean > 0)).rename("fano_factor")
    fano.attrs = {"units": "1", "long_name": "Fano factor of spike counts"}
    if "bin_size" in counts.attrs and dim == "time":
        fano.attrs["bin_size"] = counts.attrs["bin_size"]
    return fano


def spike_count_correlation(ds, bin_size=0.01, t_start=None, t_stop=None):
    """Pearson correlation of every pair of neurons' binned spike counts.

    Parameters
    ----------
    ds : xarray.Dataset
    bin_size : float (s) or Quantity
        Counting bin (default 10 ms).

    Returns
    -------
    xarray.DataArray
        Correlation coefficients on (``neuron_i``, ``neuron_j``), 1 on the diagonal, NaN
        for neurons without spikes (Elephant: ``correlation_coefficient``).
    """
    counts = binned_spike_counts(ds, bin_size, t_start, t_stop).values.astype(float)
    centred = counts - counts.mean(axis=0)
    norm = np.sqrt((centred * centred).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = (centred.T @ centred) / np.outer(norm, norm)
    ids = np.asarray(ds["neuron"].values)
    coords = {"neuron_i": ids, "neuron_j": ids}
    if "population" in ds.coords:
        pops = np.asarray(ds["population"].values)
        coords.update(population_i=("neuron_i", pops), population_j=("neuron_j", pops))
    return xr.DataArray(corr, dims=("neuron_i", "neuron_j"), coords=coords,
                        name="spike_count_correlation",
                        attrs={"units": "1", "long_name": "spike-count correlation",
                               "bin_size": positive_seconds(bin_size, "bin_size")})


def _neuron_times(ds, neuron, t, pos, name):
    ids = np.asarray(ds["neuron"].values)
    where = np.flatnonzero(ids == int(neuron))
    if not len(where):
        raise ValueError(f"{name}: got {neuron!r}; not a neuron id of the dataset "
                         f"(ids {ids.min()}..{ids.max()})")
    return np.sort(t[pos == where[0]])


def cross_correlogram(ds, neuron_i, neuron_j, bin_size=0.001, max_lag=0.05, t_start=None,
                      t_stop=None):
    """Cross-correlogram of two neurons: counts of spike pairs by lag ``t_j - t_i``.

    A peak at a positive lag means neuron `neuron_j` tends to fire after `neuron_i`. With
    ``neuron_i == neuron_j`` this is the autocorrelogram, without the zero-lag self pairs.

    Parameters
    ----------
    neuron_i, neuron_j : int
        Neuron ids.
    bin_size : float (s) or Quantity
        Lag resolution (default 1 ms); bins are centred on multiples of `bin_size`.
    max_lag : float (s) or Quantity
        Largest lag shown (default 50 ms).

    Returns
    -------
    xarray.DataArray
        Pair counts on ``lag`` (s); attributes ``n_spikes_i``, ``n_spikes_j``. Elephant's
        ``cross_correlation_histogram`` computes the same from binned trains.

    References
    ----------
    Perkel, Gerstein & Moore (1967) Biophys J 7:419-440.
    """
    width = positive_seconds(bin_size, "bin_size")
    n_lags = int(round(positive_seconds(max_lag, "max_lag") / width))
    start, stop = recording_window(ds, t_start, t_stop)
    t, pos = spike_positions(ds, start, stop)
    ti = _neuron_times(ds, neuron_i, t, pos, "neuron_i")
    tj = _neuron_times(ds, neuron_j, t, pos, "neuron_j")
    reach = (n_lags + 0.5) * width
    lo = np.searchsorted(tj, ti - reach, side="left")
    hi = np.searchsorted(tj, ti + reach, side="left")
    per_spike = hi - lo
    first = np.repeat(lo - np.concatenate([[0], np.cumsum(per_spike)[:-1]]), per_spike)
    j_index = first + np.arange(per_spike.sum())
    i_index = np.repeat(np.arange(len(ti)), per_spike)
    if int(neuron_i) == int(neuron_j):
        keep = j_index != i_index
        i_index, j_index = i_index[keep], j_index[keep]
    lags = tj[j_index] - ti[i_index]
    k = np.round(lags / width).astype(np.int64)
    k = k[np.abs(k) <= n_lags]
    counts = np.bincount(k + n_lags, minlength=2 * n_lags + 1)
    return xr.DataArray(counts, dims="lag", name="cross_correlogram",
                        coords={"lag": ("lag", np.arange(-n_lags, n_lags + 1) * width,
                                        {"units": "s", "long_name": "lag t_j - t_i"})},
                        attrs={"units": "1", "long_name": "spike pairs per lag bin",
                               "neuron_i": int(neuron_i), "neuron_j": int(neuron_j),
                               "n_spikes_i": len(ti), "n_spikes_j": len(tj),
                               "bin_size": width})


def _chi(x):
    """Golomb's chi of columns of `x` (time x units), NaN-free columns only."""
    x = x[:, np.all(np.isfinite(x), axis=0)]
    if x.shape[1] < 2:
        return np.nan
    individual = x.var(axis=0).mean()
    return float(np.sqrt(x.mean(axis=1).var() / individual)) if individual > 0 else np.nan


def synchrony(ds, bin_size=0.005, kernel_width=None, variable=None, by=None, t_start=None,
              t_stop=None):
    """Synchrony measure chi of population activity (Golomb 2007).

    ``chi^2 = Var_t(mean_i x_i(t)) / mean_i Var_t(x_i(t))``: 1 when all neurons do the
    same, about ``1/sqrt(N)`` for N independent neurons.

    Parameters
    ----------
    ds : xarray.Dataset
    bin_size : float (s) or Quantity
        Spike-count bin (or sampling period with `kernel_width`), default 5 ms.
    kernel_width : float (s) or Quantity, optional
        Smooth each neuron's rate with a Gaussian kernel of this width first.
    variable : str, optional
        Use a recorded state variable (e.g. ``"v"`` on (``time``, ``recorded_neuron``))
        instead of spikes, as in Golomb's original definition.
    by : str, optional
        Neuron coordinate (``"population"``): one value per group.

    Returns
    -------
    xarray.DataArray
        Dimensionless chi in [0, 1] (0-d, or on `by`).

    References
    ----------
    Golomb (2007) Scholarpedia 2(1):1347, "Neuronal synchrony measures";
    Golomb & Rinzel (1993) Phys Rev E 48:4810.
    """
    if variable is not None:
        if variable not in ds.data_vars:
            raise ValueError(f"variable: got {variable!r}; the dataset has "
                             f"{', '.join(map(str, ds.data_vars))}")
        traces = ds[variable]
        start, stop = recording_window(ds, t_start, t_stop)
        traces = traces.sel(time=slice(start, stop))
        unit_dim = next(d for d in traces.dims if d != "time")
        group = f"recorded_{by}" if by is not None else None
        if group is not None:
            require_grouping(ds, group, "synchrony", dim=unit_dim)
        data = traces.transpose("time", unit_dim)
    else:
        if by is not None:
            require_grouping(ds, by, "synchrony")
        if kernel_width is None:
            data = binned_spike_counts(ds, bin_size, t_start, t_stop)
        else:
            data = instantaneous_rates(ds, bin_size, kernel_width, "gaussian", t_start, t_stop)
        unit_dim, group = "neuron", by
    attrs = {"units": "1", "long_name": "synchrony chi (Golomb 2007)"}
    if by is None:
        return xr.DataArray(_chi(np.asarray(data.values, float)), name="synchrony",
                            attrs=attrs)
    labels = np.asarray(data[group].values)
    groups = list(dict.fromkeys(labels.tolist()))
    values = [_chi(np.asarray(data.values, float)[:, labels == g]) for g in groups]
    return xr.DataArray(values, dims=by, coords={by: groups}, name="synchrony", attrs=attrs)


