"""Receptive fields: weight maps and spike-triggered averages on the input's geometry."""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import neuron_coords, neuron_positions, spike_positions
from bioneuro.analysis._time import recording_window

__all__ = ["to_grid", "from_grid", "weight_receptive_fields", "spike_triggered_average"]


def to_grid(data, shape, dim, grid_dims=("y", "x")):
    """Reshape dimension `dim` of `data` to a grid (row-major, as ``numpy.reshape``).

    Parameters
    ----------
    data : xarray.DataArray
    shape : tuple of int
        Grid shape, e.g. ``(28, 28)``; its product must equal the size of `dim`.
    dim : str
        The dimension holding the input units in row-major order (e.g. ``"pre"``).
    grid_dims : tuple of str
        Names of the grid dimensions (default ``("y", "x")``).

    Returns
    -------
    xarray.DataArray
        `dim` replaced by `grid_dims` (integer grid coordinates), in place.
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) != len(grid_dims):
        raise ValueError(f"shape: got {shape}; expected {len(grid_dims)} sizes for "
                         f"{grid_dims}")
    if int(np.prod(shape)) != data.sizes[dim]:
        raise ValueError(f"shape: got {shape} ({int(np.prod(shape))} units); dimension "
                         f"{dim!r} has {data.sizes[dim]}")
    axis = data.get_axis_num(dim)
    values = np.asarray(data.values)
    grid = values.reshape(values.shape[:axis] + shape + values.shape[axis + 1:])
    dims = data.dims[:axis] + tuple(grid_dims) + data.dims[axis + 1:]
    coords = {k: v for k, v in data.coords.items() if dim not in v.dims}
    coords.update({g: np.arange(s) for g, s in zip(grid_dims, shape, strict=True)})
    return xr.DataArray(grid, dims=dims, coords=coords, name=data.name,
                        attrs={**data.attrs, "flat_dim": dim})


def from_grid(data, grid_dims=("y", "x"), dim=None):
    """Inverse of `to_grid`: flatten `grid_dims` (row-major) back into one dimension."""
    dim = dim or data.attrs.get("flat_dim", "unit")
    order = [d for d in data.dims if d not in grid_dims]
    order.insert(data.get_axis_num(grid_dims[0]), dim)
    flat = data.stack({dim: list(grid_dims)}).drop_vars([dim, *grid_dims], errors="ignore")
    flat = flat.assign_coords({dim: np.arange(flat.sizes[dim])}).transpose(*order)
    flat.attrs = {k: v for k, v in data.attrs.items() if k != "flat_dim"}
    return flat


def weight_receptive_fields(ds, pre, post=None, shape=None, fill=0.0):
    """Weights from an input population onto each neuron, on the input's geometry.

    Parameters
    ----------
    ds : xarray.Dataset
        A result with connectivity (``weight``, ``synapse_pre``, ``synapse_post``).
    pre : str
        The input population; its ``index`` runs row-major over the grid.
    post : str, optional
        The receiving population (default: every target of `pre`).
    shape : tuple of int, optional
        Grid shape (default: square, if the population size is a square number).
    fill : float
        Value where there is no synapse (default 0; NaN to mark absent synapses).

    Returns
    -------
    xarray.DataArray
        Weights on (``neuron``, ``y``, ``x``) (summed over multiple synapses per pair), with
        the weight's units.
    """
    for name in ("weight", "synapse_pre", "synapse_post"):
        if name not in ds.variables:
            raise ValueError(f"weight_receptive_fields: the dataset lacks {name!r}; record "
                             "connectivity (Recording(connectivity=True))")
    pops = np.asarray(ds["population"].values)
    if pre not in set(pops.tolist()):
        raise ValueError(f"pre: got {pre!r}; populations are {sorted(set(pops.tolist()))}")
    ids = np.asarray(ds["neuron"].values)
    pre_ids = ids[pops == pre]
    if shape is None:
        side = int(round(np.sqrt(len(pre_ids))))
        if side * side != len(pre_ids):
            raise ValueError(f"shape: not given and population {pre!r} has {len(pre_ids)} "
                             "neurons (not a square)")
        shape = (side, side)
    syn_pre = np.asarray(ds["synapse_pre"].values)
    syn_post = np.asarray(ds["synapse_post"].values)
    weight = np.asarray(ds["weight"].values, float)
    use = np.isin(syn_pre, pre_ids)
    if post is not None:
        use &= np.isin(syn_post, ids[pops == post])
    targets = np.unique(syn_post[use]) if post is None else ids[pops == post]
    index_of = np.asarray(ds["index"].values) if "index" in ds.coords \
        else np.arange(len(ids)) - np.argmax(pops == pre)
    pre_index = index_of[neuron_positions(ds, syn_pre[use])[0]]
    row = np.searchsorted(targets, syn_post[use])
    flat = np.zeros((len(targets), len(pre_ids)))
    np.add.at(flat, (row, pre_index), weight[use])
    if fill != 0.0:
        present = np.zeros(flat.shape, bool)
        present[row, pre_index] = True
        flat[~present] = fill
    target_pos = neuron_positions(ds, targets)[0]
    coords = {k: (v[0], v[1][target_pos], v[2])
              for k, v in neuron_coords(ds).items()}
    out = xr.DataArray(flat, dims=("neuron", "pre"), coords=coords, name="receptive_field",
                       attrs={"units": ds["weight"].attrs.get("units", "1"),
                              "long_name": f"weights from {pre}"})
    return to_grid(out, shape, "pre")


def spike_triggered_average(ds, stimulus, neurons=None, n_lags=1, shape=None,
                            t_start=None, t_stop=None):
    """Average stimulus frame preceding each spike, per neuron.

    Parameters
    ----------
    ds : xarray.Dataset
    stimulus : xarray.DataArray
        Frames on ``time`` (frame onset, s; regular or not) with any feature dimensions
        (e.g. ``y``, ``x``, or a flat ``pixel``).
    neurons : array of int, optional
        Neuron ids (default: all).
    n_lags : int
        Frames before (and including) the one shown at the spike: lag 0 is the current
        frame, lag k the frame k steps earlier.
    shape : tuple of int, optional
        Reshape a single flat feature dimension to this grid (``y``, ``x``).

    Returns
    -------
    xarray.DataArray
        On (``neuron``, ``lag``, features), with coordinate ``n_spikes``.

    References
    ----------
    Chichilnisky (2001) Network 12:199-213.
    """
    if "time" not in stimulus.dims:
        raise ValueError(f"stimulus: needs a 'time' dimension (has {stimulus.dims})")
    start, stop = recording_window(ds, t_start, t_stop)
    t, pos = spike_positions(ds, start, stop)
    frames = np.asarray(stimulus.transpose("time", ...).values, float)
    onsets = np.asarray(stimulus["time"].values, float)
    frame = np.searchsorted(onsets, t, side="right") - 1
    ids = np.asarray(ds["neuron"].values)
    chosen = ids if neurons is None else np.atleast_1d(np.asarray(neurons))
    sta = np.full((len(chosen), n_lags) + frames.shape[1:], np.nan)
    n_spikes = np.zeros(len(chosen), int)
    for a, neuron in enumerate(chosen):
        own = frame[pos == np.flatnonzero(ids == neuron)[0]]
        for lag in range(n_lags):
            k = own - lag
            k = k[k >= 0]
            if len(k):
                sta[a, lag] = frames[k].mean(axis=0)
        n_spikes[a] = int((own >= 0).sum())
    features = [d for d in stimulus.transpose("time", ...).dims if d != "time"]
    out = xr.DataArray(
        sta, dims=("neuron", "lag", *features), name="spike_triggered_average",
        coords={"neuron": chosen, "n_spikes": ("neuron", n_spikes), "lag": np.arange(n_lags),
                **{d: stimulus[d] for d in features if d in stimulus.coords}},
        attrs={"units": stimulus.attrs.get("units", "1"),
               "long_name": "spike-triggered average"})
    if shape is not None:
        if len(features) != 1:
            raise ValueError(f"shape: the stimulus has feature dims {features}; reshape "
                             "needs exactly one")
        out = to_grid(out, shape, features[0])
    return out
