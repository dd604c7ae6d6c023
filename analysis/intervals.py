"""Inter-spike-interval statistics: ISI distributions, CV, CV2, LV and burst detection.

Every per-neuron measure returns a `xarray.DataArray` on ``neuron`` (NaN where a neuron has
too few intervals) carrying the dataset's neuron coordinates, so
``lv(ds).groupby("population").mean()`` gives population values.
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import (
    interval_arrays,
    neuron_coords,
    require_grouping,
    spike_positions,
)
from bioneuro.analysis._time import positive_seconds, recording_window

__all__ = ["isi", "isi_histogram", "isi_cv", "population_isi_cv", "cv2", "lv",
           "detect_bursts"]


def _intervals(ds, t_start, t_stop):
    start, stop = recording_window(ds, t_start, t_stop)
    return interval_arrays(*spike_positions(ds, start, stop))


def _per_neuron(ds, values, owner, min_count, name, long_name, extra=None):
    """Mean of `values` per owner (NaN where fewer than `min_count`) as a neuron DataArray."""
    n = ds.sizes["neuron"]
    count = np.bincount(owner, minlength=n)
    total = np.bincount(owner, weights=values, minlength=n)
    out = np.full(n, np.nan)
    valid = count >= max(min_count, 1)
    out[valid] = total[valid] / count[valid]
    return xr.DataArray(out, dims="neuron", coords=neuron_coords(ds), name=name,
                        attrs={"units": "1", "long_name": long_name, **(extra or {})})


def isi(ds, t_start=None, t_stop=None):
    """All inter-spike intervals, as a flat array with the neuron of each (Elephant: ``isi``).

    Returns
    -------
    xarray.DataArray
        Intervals (s) on an ``interval`` dimension, with coordinates ``interval_neuron``
        (neuron id) and ``interval_population``.
    """
    intervals, owner = _intervals(ds, t_start, t_stop)
    coords = neuron_coords(ds)
    return xr.DataArray(
        intervals, dims="interval", name="isi",
        coords={"interval_neuron": ("interval", coords["neuron"][1][owner]),
                "interval_population": ("interval", coords["population"][1][owner])
                if "population" in coords else ("interval", np.zeros(len(owner), int))},
        attrs={"units": "s", "long_name": "inter-spike interval"})


def isi_histogram(ds, bin_size=0.002, max_isi=0.2, by="population", t_start=None,
                  t_stop=None):
    """ISI distribution (probability density) per population.

    Parameters
    ----------
    bin_size, max_isi : float (s) or Quantity
        Histogram bins ``[0, bin_size, ..., max_isi]``; longer intervals count in the
        normalisation (density over all intervals) but not in any bin.
    by : str
        Neuron coordinate to pool neurons by.

    Returns
    -------
    xarray.DataArray
        Density (1/s) on (`by`, ``isi_bin``); ``isi_bin`` holds bin centres (s), the
        attribute ``bin_edges`` the edges.
    """
    require_grouping(ds, by, "isi_histogram")
    width = positive_seconds(bin_size, "bin_size")
    top = positive_seconds(max_isi, "max_isi")
    edges = np.arange(0.0, top + 0.5 * width, width)
    intervals, owner = _intervals(ds, t_start, t_stop)
    group_of = np.asarray(ds[by].values)
    groups = list(dict.fromkeys(group_of.tolist()))
    dens = np.zeros((len(groups), len(edges) - 1))
    for k, g in enumerate(groups):
        sel = intervals[group_of[owner] == g]
        if len(sel):
            dens[k] = np.histogram(sel, bins=edges)[0] / (len(sel) * width)
    return xr.DataArray(
        dens, dims=(by, "isi_bin"), name="isi_density",
        coords={by: groups, "isi_bin": ("isi_bin", 0.5 * (edges[:-1] + edges[1:]),
                                        {"units": "s", "long_name": "ISI bin centre"})},
        attrs={"units": "1/s", "long_name": "ISI probability density", "bin_edges": edges})


def isi_cv(ds, t_start=None, t_stop=None, min_intervals=2):
    """Coefficient of variation (std / mean) of each neuron's inter-spike intervals.

    The standard deviation is the population one (``ddof=0``), as in Elephant's
    ``cv`` (``scipy.stats.variation``).

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
    intervals, owner = _intervals(ds, t_start, t_stop)
    mean = _per_neuron(ds, intervals, owner, min_intervals, "isi_cv", "").values
    # two passes (deviations from each neuron's mean): no cancellation for regular trains
    deviation = intervals - np.nan_to_num(mean)[owner]
    var = _per_neuron(ds, deviation * deviation, owner, min_intervals, "isi_cv", "").values
    cv = np.sqrt(var) / mean
    return xr.DataArray(cv, dims="neuron", coords=neuron_coords(ds), name="isi_cv",
                        attrs={"units": "1", "long_name": "CV of ISIs",
                               "min_intervals": min_intervals})


def population_isi_cv(ds, t_start=None, t_stop=None, min_intervals=2, by="population"):
    """Mean `isi_cv` per population (or `by` coordinate) over neurons with enough intervals."""
    require_grouping(ds, by, "population_isi_cv")
    cv = isi_cv(ds, t_start, t_stop, min_intervals)
    mean = cv.groupby(by).mean(skipna=True)
    mean.attrs = {"units": "1", "long_name": "mean CV of ISIs"}
    return mean.rename(f"{by}_isi_cv")


def _pairs(ds, t_start, t_stop):
    """Consecutive interval pairs ``(I_i, I_i+1, owner)`` within each neuron."""
    intervals, owner = _intervals(ds, t_start, t_stop)
    same = owner[1:] == owner[:-1]
    return intervals[:-1][same], intervals[1:][same], owner[1:][same]


def cv2(ds, t_start=None, t_stop=None, min_intervals=2):
    """Local coefficient of variation CV2 of each neuron (Holt et al. 1996).

    ``CV2 = mean_i 2 |I_i+1 - I_i| / (I_i+1 + I_i)``: 0 for a regular train, 1 for a
    Poisson process, insensitive to slow rate changes.

    Parameters
    ----------
    min_intervals : int
        Neurons with fewer intervals (at least 2) get NaN.

    Returns
    -------
    xarray.DataArray
        Dimensionless, on ``neuron`` (Elephant: ``cv2``).

    References
    ----------
    Holt, Softky, Koch & Douglas (1996) J Neurophysiol 75:1806-1814.
    """
    first, second, owner = _pairs(ds, t_start, t_stop)
    local = 2.0 * np.abs(second - first) / (second + first)
    return _per_neuron(ds, local, owner, max(min_intervals, 2) - 1, "cv2", "CV2 of ISIs",
                       {"min_intervals": min_intervals})


def lv(ds, t_start=None, t_stop=None, min_intervals=2):
    """Local variation LV of each neuron's intervals (Shinomoto et al. 2003).

    ``LV = 3 mean_i ((I_i - I_i+1) / (I_i + I_i+1))^2``: 0 for a regular train, 1 for a
    Poisson process, > 1 for bursty firing.

    Returns
    -------
    xarray.DataArray
        Dimensionless, on ``neuron`` (Elephant: ``lv``).

    References
    ----------
    Shinomoto, Shima & Tanji (2003) Neural Comput 15:2823-2842.
    """
    first, second, owner = _pairs(ds, t_start, t_stop)
    local = 3.0 * ((first - second) / (first + second)) ** 2
    return _per_neuron(ds, local, owner, max(min_intervals, 2) - 1, "lv",
                       "local variation of ISIs", {"min_intervals": min_intervals})


def detect_bursts(ds, max_isi=0.01, min_spikes=3, t_start=None, t_stop=None):
    """Bursts by the max-interval method: runs of spikes with all ISIs <= `max_isi`.

    Parameters
    ----------
    max_isi : float (s) or Quantity
        Largest interval inside a burst (default 10 ms).
    min_spikes : int
        Fewest spikes in a burst (default 3).

    Returns
    -------
    xarray.Dataset
        On a ``burst`` dimension: ``burst_neuron`` (id), ``burst_start``, ``burst_stop``
        (first and last spike, s), ``burst_n_spikes``; on ``neuron``: ``n_bursts`` and
        ``burst_spike_fraction`` (fraction of the neuron's spikes inside bursts).

    References
    ----------
    Cotterill et al. (2016) J Neurophysiol 116:306-321 (review of burst detectors).
    """
    limit = positive_seconds(max_isi, "max_isi")
    if int(min_spikes) < 2:
        raise ValueError(f"min_spikes: got {min_spikes!r}; expected an integer >= 2")
    start, stop = recording_window(ds, t_start, t_stop)
    t, pos = spike_positions(ds, start, stop)
    order = np.lexsort((t, pos))
    t, pos = t[order], pos[order]
    close = (pos[1:] == pos[:-1]) & (np.diff(t) <= limit)
    edges = np.diff(np.concatenate([[0], close.astype(np.int8), [0]]))
    first = np.flatnonzero(edges == 1)      # first spike of a run of close links
    last = np.flatnonzero(edges == -1)      # last spike of that run
    n_spikes = last - first + 1
    keep = n_spikes >= int(min_spikes)
    first, last, n_spikes = first[keep], last[keep], n_spikes[keep]
    n = ds.sizes["neuron"]
    owner = pos[first]
    coords = neuron_coords(ds)
    total = np.bincount(pos, minlength=n)
    in_bursts = np.bincount(owner, weights=n_spikes, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(total > 0, in_bursts / np.maximum(total, 1), np.nan)
    return xr.Dataset(
        {"burst_neuron": ("burst", coords["neuron"][1][owner], {"long_name": "neuron id"}),
         "burst_start": ("burst", t[first], {"units": "s", "long_name": "first spike"}),
         "burst_stop": ("burst", t[last], {"units": "s", "long_name": "last spike"}),
         "burst_n_spikes": ("burst", n_spikes, {"units": "1", "long_name": "spikes"}),
         "n_bursts": ("neuron", np.bincount(owner, minlength=n),
                      {"units": "1", "long_name": "number of bursts"}),
         "burst_spike_fraction": ("neuron", fraction,
                                  {"units": "1", "long_name": "fraction of spikes in bursts"})},
        coords=coords, attrs={"max_isi": limit, "min_spikes": int(min_spikes),
                              "t_start": start, "t_stop": stop})
