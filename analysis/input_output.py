"""Input/output relations: f-I curves from a current sweep, rheobase and gain.

A sweep runs N copies of a cell at N step amplitudes in one run; the amplitude of each
neuron comes from a neuron coordinate (default ``amplitude``) or is given explicitly.
"""

import numpy as np
import xarray as xr
from bioneuro.analysis.rates import firing_rates

__all__ = ["f_i_curve", "rheobase", "gain"]


def _amplitudes(ds, amplitudes, coord):
    """Per-neuron amplitudes (array) and their unit string."""
    if amplitudes is None:
        if coord not in ds.coords:
            raise ValueError(f"amplitudes: not given and the dataset has no neuron coordinate "
                             f"{coord!r}; pass amplitudes=[one per neuron]")
        amplitudes = ds[coord]
    if isinstance(amplitudes, str):
        return _amplitudes(ds, None, amplitudes)
    if isinstance(amplitudes, xr.DataArray):
        return np.asarray(amplitudes.values, float), amplitudes.attrs.get("units", "A")
    if hasattr(amplitudes, "dim"):     # a Brian2 quantity array, in SI units
        return np.atleast_1d(np.asarray(amplitudes, float)), str(amplitudes.dim)
    return np.atleast_1d(np.asarray(amplitudes, float)), "A"


def f_i_curve(ds, amplitudes=None, t_start=None, t_stop=None, coord="amplitude"):
    """Firing rate against injected current (or any swept input) of a step sweep.

    Parameters
    ----------
    ds : xarray.Dataset
        One neuron per amplitude (or several: their rates are averaged).
    amplitudes : array, Quantity array, DataArray or str, optional
        The amplitude of every neuron along ``neuron`` (SI units, A by default; a Brian2
        quantity keeps its unit); or the name of a neuron coordinate. Default: the
        coordinate `coord`.
    t_start, t_stop : float (s) or Quantity, optional
        The step window (skip the onset transient with `t_start`).

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on ``amplitude`` (sorted, with its units), coordinate ``n_neurons``.
    """
    values, units = _amplitudes(ds, amplitudes, coord)
    if len(values) != ds.sizes["neuron"]:
        raise ValueError(f"amplitudes: got {len(values)} values for "
                         f"{ds.sizes['neuron']} neurons")
    rates = firing_rates(ds, t_start, t_stop)
    curve = xr.DataArray(rates.values, dims="amplitude", coords={"amplitude": values})
    grouped = curve.groupby("amplitude")
    out = grouped.mean().assign_coords(n_neurons=("amplitude", grouped.count().values))
    out["amplitude"].attrs = {"units": units, "long_name": "input amplitude"}
    out.attrs = {"units": "Hz", "long_name": "firing rate", **{
        k: rates.attrs[k] for k in ("t_start", "t_stop")}}
    return out.rename("f_i_curve")


def _suprathreshold(curve, threshold):
    amps = np.asarray(curve["amplitude"].values, float)
    rates = np.asarray(curve.values, float)
    above = rates > threshold
    return amps, rates, above


def gain(curve, threshold=0.0, n_points=None):
    """Slope of the supra-threshold part of an f-I curve (least squares).

    Parameters
    ----------
    curve : xarray.DataArray
        An `f_i_curve`.
    threshold : float (Hz)
        Points with a rate above it are supra-threshold.
    n_points : int, optional
        Fit only the first `n_points` supra-threshold points (the initial slope).

    Returns
    -------
    xarray.DataArray
        0-d slope in Hz per amplitude unit (e.g. ``Hz/A``); NaN with fewer than 2 points.
    """
    amps, rates, above = _suprathreshold(curve, threshold)
    amps, rates = amps[above][:n_points], rates[above][:n_points]
    slope = np.polyfit(amps, rates, 1)[0] if len(amps) >= 2 else np.nan
    units = curve["amplitude"].attrs.get("units", "A")
    return xr.DataArray(slope, name="gain", attrs={
        "units": f"Hz/{units}", "long_name": "f-I gain", "threshold": threshold})


def rheobase(curve, threshold=0.0, method="extrapolate", n_points=None):
    """Smallest input that makes the cell fire.

    Parameters
    ----------
    curve : xarray.DataArray
        An `f_i_curve`.
    threshold : float (Hz)
        Rates above it count as firing.
    method : {"extrapolate", "first"}
        ``"extrapolate"``: where the line fitted to the supra-threshold points (see `gain`)
        crosses the threshold rate, limited to the interval between the last silent and
        the first firing amplitude; ``"first"``: the first firing amplitude.

    Returns
    -------
    xarray.DataArray
        0-d amplitude with the units of the curve's ``amplitude``; NaN if it never fires.
    """
    if method not in ("extrapolate", "first"):
        raise ValueError(f"method: got {method!r}; expected 'extrapolate' or 'first'")
    amps, rates, above = _suprathreshold(curve, threshold)
    value = np.nan
    if above.any():
        first = int(np.argmax(above))
        value = amps[first]
        if method == "extrapolate" and above.sum() >= 2:
            slope, intercept = np.polyfit(amps[above][:n_points], rates[above][:n_points], 1)
            if slope > 0:
                low = amps[first - 1] if first > 0 else -np.inf
                value = float(np.clip((threshold - intercept) / slope, low, amps[first]))
    units = curve["amplitude"].attrs.get("units", "A")
    return xr.DataArray(value, name="rheobase", attrs={
        "units": units, "long_name": "rheobase", "method": method, "threshold": threshold})
