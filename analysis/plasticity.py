"""Plasticity: STDP windows (with exponential fits) and the statistics of weights.

Weights come as final ``weight`` on ``synapse`` (with ``synapse_projection``), full traces
``weight_trace`` on (``weight_time``, ``recorded_synapse``) with a ``projection``
coordinate, or any DataArray of weights; the plasticity recording's own statistics
(``weight_mean``, ``weight_std``, ``weight_fraction_low``, ``weight_fraction_high``,
``n_active_synapses`` on (``projection``, ``weight_time``)) use the same names as
`weight_statistics` returns, so plots take either.
"""

import numpy as np
import xarray as xr

__all__ = ["stdp_window_model", "fit_stdp_window", "weight_statistics", "weight_histogram"]

STATISTICS = ("weight_mean", "weight_std", "weight_fraction_low", "weight_fraction_high",
              "n_active_synapses")
SYNAPSE_DIMS = ("synapse", "recorded_synapse")
PROJECTION_COORDS = ("projection", "synapse_projection")


def stdp_window_model(delta_t, a_plus, tau_plus, a_minus, tau_minus):
    """Exponential STDP window: ``A+ exp(-dt/tau+)`` for dt > 0, ``-A- exp(dt/tau-)`` else.

    ``delta_t = t_post - t_pre`` in seconds; time constants in seconds.
    """
    dt = np.asarray(delta_t, float)
    with np.errstate(over="ignore"):
        return np.where(dt > 0, a_plus * np.exp(-dt / tau_plus),
                        -a_minus * np.exp(dt / tau_minus))


def fit_stdp_window(delta_t, delta_w=None, weight_units=None, p0=None):
    """Fit the exponential STDP window to a pairing experiment's weight changes.

    Parameters
    ----------
    delta_t : array (s), Quantity array or xarray.DataArray
        Pairing intervals ``t_post - t_pre``. If `delta_w` is None, a DataArray of weight
        changes with a ``delta_t`` coordinate.
    delta_w : array or DataArray, optional
        Weight change of each pairing (any unit; relative changes are fine).
    weight_units : str, optional
        Units of `delta_w` (default: its ``units`` attribute, else ``"1"``).
    p0 : (A+, tau+, A-, tau-), optional
        Starting values; default from the data (largest changes, 20 ms).

    Returns
    -------
    xarray.Dataset
        0-d ``A_plus``, ``A_minus`` (weight units), ``tau_plus``, ``tau_minus`` (s), each
        with a ``*_stderr`` (standard error of the fit), and ``rms_residual``.

    References
    ----------
    Bi & Poo (1998) J Neurosci 18:10464-10472; Song, Miller & Abbott (2000) Nat Neurosci
    3:919-926.
    """
    from scipy.optimize import curve_fit

    if delta_w is None:
        if not (isinstance(delta_t, xr.DataArray) and "delta_t" in delta_t.coords):
            raise ValueError("delta_w: not given; pass delta_w, or a DataArray of weight "
                             "changes with a 'delta_t' coordinate as the first argument")
        delta_w, delta_t = delta_t, delta_t["delta_t"]
    units = weight_units or getattr(delta_w, "attrs", {}).get("units", "1")
    dt = np.asarray(delta_t, float).ravel()
    dw = np.asarray(delta_w, float).ravel()
    if dt.shape != dw.shape:
        raise ValueError(f"delta_w: {dw.size} values for {dt.size} intervals")
    ok = np.isfinite(dt) & np.isfinite(dw) & (dt != 0)
    dt, dw = dt[ok], dw[ok]
    if (dt > 0).sum() < 2 or (dt < 0).sum() < 2:
        raise ValueError("delta_t: need at least 2 pairings on each side of 0 to fit")
    if p0 is None:
        p0 = (max(abs(dw[dt > 0]).max(), 1e-12), 0.02, max(abs(dw[dt < 0]).max(), 1e-12), 0.02)
    params, cov = curve_fit(stdp_window_model, dt, dw, p0=p0, maxfev=20000)
    err = np.sqrt(np.diag(cov)) if np.all(np.isfinite(cov)) else np.full(4, np.nan)
    residual = float(np.sqrt(np.mean((stdp_window_model(dt, *params) - dw) ** 2)))
    out = {}
    for k, (name, unit, long_name) in enumerate((
            ("A_plus", units, "potentiation amplitude"),
            ("tau_plus", "s", "potentiation time constant"),
            ("A_minus", units, "depression amplitude"),
            ("tau_minus", "s", "depression time constant"))):
        out[name] = xr.DataArray(params[k], attrs={"units": unit, "long_name": long_name})
        out[f"{name}_stderr"] = xr.DataArray(err[k], attrs={"units": unit,
                                                            "long_name": "standard error"})
    out["rms_residual"] = xr.DataArray(residual, attrs={"units": units})
    return xr.Dataset(out, attrs={"model": "A+ exp(-dt/tau+) (dt>0); -A- exp(dt/tau-) (dt<0)",
                                  "n_pairings": int(len(dt))})


def _weights(data):
    """A weight DataArray (time-like dims first, synapse dim last) from a Dataset or array."""
    if isinstance(data, xr.Dataset):
        for name in ("weight_trace", "weight"):
            if name in data.data_vars:
                return data[name]
        raise ValueError("weights: the dataset has neither 'weight_trace' nor 'weight' "
                         f"(has {', '.join(map(str, data.data_vars))})")
    if not isinstance(data, xr.DataArray):
        data = xr.DataArray(np.asarray(data, float), dims="synapse")
    return data


def _synapse_dim(weights):
    dim = next((d for d in SYNAPSE_DIMS if d in weights.dims), None)
    if dim is None:
        dim = weights.dims[-1]
    return dim


def _projection_labels(weights, dim):
    coord = next((c for c in PROJECTION_COORDS if c in weights.coords
                  and weights[c].dims == (dim,)), None)
    if coord is None:
        return np.full(weights.sizes[dim], "all", dtype=object)
    return np.asarray(weights[coord].values).astype(object)


def weight_statistics(data, w_min=None, w_max=None, active_threshold=0.0, tolerance=1e-9):
    """Weight statistics per projection (and per time of a weight trace).

    Parameters
    ----------
    data : xarray.Dataset or xarray.DataArray
        A Dataset with the recorded statistics (returned as they are), or with
        ``weight_trace`` / ``weight``; or a DataArray of weights (synapses on ``synapse``
        or ``recorded_synapse``, optionally over ``weight_time``).
    w_min, w_max : float, optional
        The rule's bounds (weight units) for the fractions at bounds; NaN if not given.
    active_threshold : float
        Synapses with a weight above it count as active.
    tolerance : float
        Relative distance to a bound that counts as "at" it.

    Returns
    -------
    xarray.Dataset
        ``weight_mean``, ``weight_std``, ``weight_fraction_low``, ``weight_fraction_high``
        and ``n_active_synapses`` on (``projection``[, ``weight_time``]).
    """
    if isinstance(data, xr.Dataset) and all(s in data.data_vars for s in STATISTICS[:2]):
        return data[[s for s in STATISTICS if s in data.data_vars]]
    weights = _weights(data)
    dim = _synapse_dim(weights)
    labels = _projection_labels(weights, dim)
    names = list(dict.fromkeys(labels.tolist()))
    units = weights.attrs.get("units", "1")
    values = np.moveaxis(np.asarray(weights.values, float), weights.get_axis_num(dim), -1)
    span = tolerance * max(abs(w_max or 0.0), abs(w_min or 0.0), 1e-300)
    stats = {s: [] for s in STATISTICS}
    for name in names:
        w = values[..., labels == name]
        stats["weight_mean"].append(np.nanmean(w, axis=-1))
        stats["weight_std"].append(np.nanstd(w, axis=-1))
        low = np.mean(w <= w_min + span, axis=-1) if w_min is not None \
            else np.full(w.shape[:-1], np.nan)
        high = np.mean(w >= w_max - span, axis=-1) if w_max is not None \
            else np.full(w.shape[:-1], np.nan)
        stats["weight_fraction_low"].append(low)
        stats["weight_fraction_high"].append(high)
        stats["n_active_synapses"].append(np.sum(w > active_threshold, axis=-1))
    other = [d for d in weights.dims if d != dim]
    dims = ("projection", *other)
    coords = {"projection": names, **{d: weights[d] for d in other if d in weights.coords}}
    attrs = {"weight_mean": (units, "mean weight"), "weight_std": (units, "weight s.d."),
             "weight_fraction_low": ("1", "fraction of synapses at the lower bound"),
             "weight_fraction_high": ("1", "fraction of synapses at the upper bound"),
             "n_active_synapses": ("1", f"synapses with weight > {active_threshold}")}
    return xr.Dataset(
        {s: (dims, np.asarray(v), {"units": attrs[s][0], "long_name": attrs[s][1]})
         for s, v in stats.items()}, coords=coords,
        attrs={"w_min": np.nan if w_min is None else w_min,
               "w_max": np.nan if w_max is None else w_max})


def weight_histogram(data, bins=20, weight_range=None, density=False):
    """Histogram of weights per projection (and per time of a weight trace).

    Parameters
    ----------
    data : xarray.Dataset or xarray.DataArray
        A Dataset with a recorded ``weight_histogram`` (returned as it is), or weights as
        in `weight_statistics`.
    bins : int or array
        Number of bins or their edges (weight units).
    weight_range : (float, float), optional
        Range of the bins (default: the weights' range).
    density : bool
        Probability density instead of counts.

    Returns
    -------
    xarray.DataArray
        Counts (or density) on (``projection``[, ``weight_time``], ``weight_bin``);
        ``weight_bin`` holds bin centres, ``weight_bin_low``/``weight_bin_high`` the edges.
    """
    if isinstance(data, xr.Dataset) and "weight_histogram" in data.data_vars:
        return data["weight_histogram"]
    weights = _weights(data)
    dim = _synapse_dim(weights)
    labels = _projection_labels(weights, dim)
    names = list(dict.fromkeys(labels.tolist()))
    values = np.moveaxis(np.asarray(weights.values, float), weights.get_axis_num(dim), -1)
    edges = np.histogram_bin_edges(values[np.isfinite(values)], bins=bins, range=weight_range)
    lead = values.shape[:-1]
    out = np.zeros((len(names), *lead, len(edges) - 1))
    for k, name in enumerate(names):
        w = values[..., labels == name].reshape(-1, int((labels == name).sum()))
        for j, row in enumerate(w):
            out[k].reshape(-1, len(edges) - 1)[j] = np.histogram(row, edges, density=density)[0]
    other = [d for d in weights.dims if d != dim]
    units = weights.attrs.get("units", "1")
    centre_attrs = {"units": units, "long_name": "weight (bin centre)"}
    return xr.DataArray(
        out, dims=("projection", *other, "weight_bin"), name="weight_histogram",
        coords={"projection": names, **{d: weights[d] for d in other if d in weights.coords},
                "weight_bin": ("weight_bin", 0.5 * (edges[:-1] + edges[1:]), centre_attrs),
                "weight_bin_low": ("weight_bin", edges[:-1], {"units": units}),
                "weight_bin_high": ("weight_bin", edges[1:], {"units": units})},
        attrs={"units": f"1/({units})" if density else "1",
               "long_name": "weight density" if density else "synapses per bin"})
