"""Spikes of a result Dataset as in-memory arrays, shared by the analysis families.

Datasets opened lazily (dask-backed, `bioneuro.open_lazy`) are read here once, so every
measure gives the same answer on eager and lazy data. Spike ``spike_neuron`` values are
neuron ids; they are mapped to positions along the dataset's ``neuron`` dimension, so a
dataset restricted to some neurons (``ds.sel(neuron=...)``) keeps only their spikes.
"""

import numpy as np
import xarray as xr

__all__ = ["neuron_coords", "neuron_positions", "spike_positions", "interval_arrays",
           "count_matrix", "require", "require_grouping"]

#: Bin-position tolerance of `count_matrix` (fraction of a bin)
ROUNDING = 1e-8


def require(ds, names, what):
    """Raise a ValueError naming the variables `what` needs and which are missing."""
    if not isinstance(ds, xr.Dataset):
        raise TypeError(f"{what}: expected an xarray.Dataset with {', '.join(names)}; "
                        f"got {type(ds).__name__}")
    missing = [n for n in names if n not in ds.variables]
    if missing:
        raise ValueError(f"{what}: the dataset lacks {', '.join(missing)} "
                         f"(has {', '.join(sorted(map(str, ds.variables)))})")


def require_grouping(ds, by, what, dim="neuron"):
    """Raise a ValueError naming `by` and the coordinates of `dim` that it may be."""
    if by not in ds.coords or ds[by].dims != (dim,):
        allowed = sorted(str(name) for name, coord in ds.coords.items()
                         if coord.dims == (dim,) and name != dim)
        raise ValueError(f"{what}: by={by!r} is not a coordinate of {dim!r} "
                         f"(allowed: {', '.join(allowed)})")


def neuron_coords(ds):
    """Coordinates along ``neuron`` as in-memory arrays (dask-backed ones are computed)."""
    return {k: (v.dims, np.asarray(v.values), v.attrs) for k, v in ds["neuron"].coords.items()}


def spike_positions(ds, start, stop):
    """``(times, positions)`` of the spikes in ``[start, stop)`` seconds.

    ``positions`` index the ``neuron`` dimension; spikes of neurons absent from the dataset
    are dropped.
    """
    require(ds, ("spike_time", "spike_neuron"), "spikes")
    t = np.asarray(ds["spike_time"].values, dtype=float)
    ids = np.asarray(ds["spike_neuron"].values, dtype=np.int64)
    keep = (t >= start) & (t < stop)
    t, ids = t[keep], ids[keep]
    pos, inside = neuron_positions(ds, ids)
    return t[inside], pos[inside]


def neuron_positions(ds, ids):
    """Positions along ``neuron`` of neuron `ids`, and a mask of the ids the dataset has."""
    ids = np.asarray(ids, dtype=np.int64)
    neuron_ids = np.asarray(ds["neuron"].values, dtype=np.int64)
    if np.array_equal(neuron_ids, np.arange(len(neuron_ids))):
        inside = (ids >= 0) & (ids < len(neuron_ids))
        return np.where(inside, ids, 0), inside
    if not len(neuron_ids):
        return np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
    order = np.argsort(neuron_ids)
    where = np.minimum(np.searchsorted(neuron_ids, ids, sorter=order), len(neuron_ids) - 1)
    pos = order[where]
    return pos, neuron_ids[pos] == ids


def interval_arrays(t, pos):
    """Inter-spike intervals and their owners (positions), grouped by neuron in time order.

    Returns
    -------
    isi : ndarray (s)
    owner : ndarray of int
    """
    order = np.lexsort((t, pos))
    t, pos = t[order], pos[order]
    same = pos[1:] == pos[:-1]
    return np.diff(t)[same], pos[1:][same]


def count_matrix(t, pos, edges, n_neurons):
    """Spike counts, shape (bins, neurons), of spikes at `t` of neurons `pos`."""
    width = edges[1] - edges[0]
    position = (t - edges[0]) / width
    k = np.floor(position).astype(np.int64)
    # a spike within ROUNDING (relative) below an edge lies on it, in the following bin,
    # as Elephant's BinnedSpikeTrain does (its default tolerance, 1e-8)
    k[1.0 - (position - k) < ROUNDING] += 1
    # spikes on the last edge (or rounding just below a bin) stay in range
    inside = (k >= 0) & (k < len(edges) - 1) & (t < edges[-1])
    flat = k[inside] * n_neurons + pos[inside]
    counts = np.bincount(flat, minlength=(len(edges) - 1) * n_neurons)
    return counts.reshape(len(edges) - 1, n_neurons)
