"""Inter-spike-interval statistics."""

import numpy as np
import xarray as xr
from bioneuro.analysis._time import recording_window

__all__ = ["isi_cv", "population_isi_cv"]


def isi_cv(ds, t_start=None, t_stop=None, min_intervals=2):
    """Coefficient of variation (std / mean) of each neuron's inter-spike intervals.

    Parameters
    ----------
    ds : xarray.Dataset
    t_start, t_stop : float (s) or Quantity, optional
    min_intervals : int
        Neurons with fewer intervals get NaN.

    Returns
    -------
    xarray.DataArray
        Dimensionless CV on the ``neuron`` dimension (1 for a Poisson process, 0 for a
        regular one).
    """
    start, stop = recording_window(ds, t_start, t_stop)
    t = ds["spike_time"].values
    n = ds["spike_neuron"].values
    keep = (t >= start) & (t < stop)
    t, n = t[keep], n[keep]
    order = np.lexsort((t, n))
    t, n = t[order], n[order]
    cv = np.full(ds.sizes["neuron"], np.nan)
    if len(t) > 1:
        same = n[1:] == n[:-1]
        isi = np.diff(t)[same]
        owner = n[1:][same]
        count = np.bincount(owner, minlength=len(cv))
        total = np.bincount(owner, weights=isi, minlength=len(cv))
        total_sq = np.bincount(owner, weights=isi * isi, minlength=len(cv))
        valid = count >= max(min_intervals, 1)
        mean = total[valid] / count[valid]
        var = np.maximum(total_sq[valid] / count[valid] - mean * mean, 0.0)
        cv[valid] = np.sqrt(var) / mean
    return xr.DataArray(cv, dims="neuron",
                        coords={k: v for k, v in ds["neuron"].coords.items()},
                        name="isi_cv", attrs={"units": "1", "long_name": "CV of ISIs",
                                              "min_intervals": min_intervals})


def population_isi_cv(ds, t_start=None, t_stop=None, min_intervals=2):
    """Mean `isi_cv` per population over neurons with enough intervals (NaN if none)."""
    cv = isi_cv(ds, t_start, t_stop, min_intervals)
    mean = cv.groupby("population").mean(skipna=True)
    mean.attrs = {"units": "1", "long_name": "mean CV of ISIs"}
    return mean.rename("population_isi_cv")
