"""Receptive fields: weight maps and spike-triggered averages on the input's geometry, and
their shape: localisation, orientation selectivity, alignment with principal components."""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import neuron_coords, neuron_positions, spike_positions
from bioneuro.analysis._time import recording_window

__all__ = ["to_grid", "from_grid", "weight_receptive_fields", "spike_triggered_average",
           "receptive_field_grid", "localisation", "orientation_tuning",
           "component_alignment"]


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


def receptive_field_grid(ds, pre, post, shape=None):
    """Weight vectors from an input grid onto each unit of `post`, as images.

    Parameters
    ----------
    ds : xarray.Dataset
        A result with connectivity (see `weight_receptive_fields`).
    pre, post : str
        Input population (its ``index`` runs row-major over the grid) and receiving one.
    shape : tuple of int, optional
        Grid shape (default: square).

    Returns
    -------
    xarray.DataArray
        On (``unit``, ``y``, ``x``): ``unit`` = index within `post`, ``y``/``x`` = pixel
        row/column of the input grid; the weight's units.
    """
    fields = weight_receptive_fields(ds, pre, post, shape)
    units = np.asarray(fields["index"].values) if "index" in fields.coords \
        else np.arange(fields.sizes["neuron"])
    fields = fields.drop_vars([c for c in fields.coords if "neuron" in fields[c].dims])
    return fields.rename(neuron="unit").assign_coords(unit=units)


def _field_values(fields):
    """``(values (n_units, ny, nx), unit coordinate)`` of fields on (unit, y, x)."""
    missing = [d for d in ("unit", "y", "x") if d not in fields.dims]
    if missing or fields.ndim != 3:
        raise ValueError(f"fields: got dims {fields.dims}; expected ('unit', 'y', 'x')")
    values = np.asarray(fields.transpose("unit", "y", "x").values, dtype=float)
    return values, fields["unit"]


def localisation(fields, radius=2.5):
    """Fraction of each field's energy (squared weights) within `radius` of its peak.

    Parameters
    ----------
    fields : xarray.DataArray
        On (``unit``, ``y``, ``x``), e.g. from `receptive_field_grid`.
    radius : float
        Disc radius, pixels, around the pixel of largest squared weight.

    Returns
    -------
    xarray.DataArray
        On ``unit``, in [0, 1]. A field confined to the disc gives 1; spatially white
        noise gives about the disc's share of the grid's pixels (``pi radius^2 / n`` away
        from the border).
    """
    values, units = _field_values(fields)
    energy = values ** 2
    _, ny, nx = values.shape
    yy, xx = np.mgrid[0:ny, 0:nx]
    out = np.full(len(values), np.nan)
    for k, field in enumerate(energy):
        total = field.sum()
        if total > 0:
            py, px = np.unravel_index(np.argmax(field), field.shape)
            out[k] = field[(yy - py) ** 2 + (xx - px) ** 2 <= radius ** 2].sum() / total
    return xr.DataArray(out, dims=("unit",), coords={"unit": units}, name="localisation",
                        attrs={"units": "1", "radius_px": float(radius),
                               "long_name": f"energy fraction within {radius:g} px of "
                                            "the peak"})


def orientation_tuning(fields):
    """Orientation selectivity and preferred orientation from each field's 2-D spectrum.

    With ``P(k)`` the power of the field's discrete Fourier transform at wave vector
    ``k = (k_x, k_y)`` (the zero frequency excluded) and ``theta_k`` its angle from the
    ``x`` axis towards ``+y`` (increasing row index), the selectivity is the length of
    the power-weighted mean of ``exp(2 i theta_k)`` and the orientation half its angle
    (the spectrum is symmetric under ``k -> -k``, hence the doubled angle, as for the
    circular variance of orientation tuning curves; Ringach et al. 2002, doi:10.1523/
    JNEUROSCI.22-13-05639.2002).

    Parameters
    ----------
    fields : xarray.DataArray
        On (``unit``, ``y``, ``x``).

    Returns
    -------
    xarray.Dataset
        On ``unit``: ``selectivity`` in [0, 1] (1: all power along one axis through the
        origin, e.g. a plane wave or a Gabor whose envelope is broad compared with its
        wavelength; spatially white noise on ``n`` pixels: of order ``n^-1/2``) and
        ``orientation`` in [0, pi) (rad): the direction of the preferred *wave vector*,
        perpendicular to the stripes/edge.
    """
    values, units = _field_values(fields)
    _, ny, nx = values.shape
    ky = np.fft.fftfreq(ny)[:, None] * np.ones((1, nx))
    kx = np.ones((ny, 1)) * np.fft.fftfreq(nx)[None, :]
    nonzero = (kx != 0) | (ky != 0)
    phase = np.exp(2j * np.arctan2(ky, kx))[nonzero]
    power = np.abs(np.fft.fft2(values)) ** 2
    power = power[:, nonzero]
    total = power.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (power * phase).sum(axis=1) / total
    coords = {"unit": units}
    return xr.Dataset(
        {"selectivity": ("unit", np.abs(mean), {"units": "1",
                                                "long_name": "orientation selectivity"}),
         "orientation": ("unit", np.mod(np.angle(mean) / 2, np.pi),
                         {"units": "rad", "long_name": "preferred wave-vector "
                                                       "orientation (from +x towards +y)"})},
        coords=coords)


def component_alignment(fields, components):
    """Absolute cosine between each field and each given component vector.

    Parameters
    ----------
    fields : xarray.DataArray
        On (``unit``, ``y``, ``x``).
    components : array, shape (n_components, ny * nx)
        Component vectors (e.g. eigenvectors of the input covariance, as rows), flattened
        row-major like the grid.

    Returns
    -------
    xarray.DataArray
        On (``unit``, ``component``): ``|<w, c>| / (|w| |c|)``; the squares summed over
        an orthonormal set give the fraction of the field's energy in their span.
    """
    values, units = _field_values(fields)
    flat = values.reshape(len(values), -1)
    components = np.atleast_2d(np.asarray(components, dtype=float))
    if components.shape[1] != flat.shape[1]:
        raise ValueError(f"components: got {components.shape[1]} values per component; "
                         f"the fields have {flat.shape[1]} pixels")
    cos = np.abs(flat @ components.T) / np.outer(np.linalg.norm(flat, axis=1),
                                                 np.linalg.norm(components, axis=1))
    return xr.DataArray(cos, dims=("unit", "component"),
                        coords={"unit": units, "component": np.arange(len(components))},
                        name="component_alignment",
                        attrs={"units": "1", "long_name": "|cosine| with component"})
