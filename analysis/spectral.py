"""Spectra of population activity: Welch power spectrum and dominant frequency."""

import numpy as np
import xarray as xr
from bioneuro.analysis._time import positive_seconds
from bioneuro.analysis.rates import population_rate

__all__ = ["power_spectrum", "dominant_frequency"]

TIME_DIMS = ("time", "rate_time", "weight_time")


def power_spectrum(data, bin_size=0.001, segment_length=None, by=None, dim=None,
                   detrend="constant", t_start=None, t_stop=None):
    """Power spectral density by Welch's method (Hann windows, 50 % overlap).

    Parameters
    ----------
    data : xarray.Dataset or xarray.DataArray
        A result Dataset: the spectrum of its population rate (`population_rate` with
        `bin_size` and `by`); or a regularly sampled signal (a rate, a membrane potential).
    bin_size : float (s) or Quantity
        Sampling period of the population rate of a Dataset (default 1 ms: up to 500 Hz).
    segment_length : float (s), optional
        Welch segment length; default: the signal split in about 8 segments
        (resolution ``1 / segment_length``).
    by : str, optional
        For a Dataset: one spectrum per population (``"population"``) or region.
    dim : str, optional
        The time dimension of a DataArray (default: the first of ``time``,
        ``rate_time``, ``weight_time`` it has).
    detrend : {"constant", "linear", False}
        Removed from each segment (the mean by default, so the 0 Hz bin holds no rate).

    Returns
    -------
    xarray.DataArray
        One-sided PSD on ``frequency`` (Hz), units ``(signal units)^2/Hz``.

    References
    ----------
    Welch (1967) IEEE Trans Audio Electroacoust 15:70-73.
    """
    from scipy import signal

    if isinstance(data, xr.Dataset):
        data = population_rate(data, bin_size, by=by, t_start=t_start, t_stop=t_stop)
        dim = "time"
    if not isinstance(data, xr.DataArray):
        raise TypeError(f"power_spectrum: expected a Dataset or DataArray, got "
                        f"{type(data).__name__}")
    if dim is None:
        dim = next((d for d in TIME_DIMS if d in data.dims), None)
        if dim is None:
            raise ValueError(f"dim: not given and none of {TIME_DIMS} in {data.dims}")
    times = np.asarray(data[dim].values, float)
    if len(times) < 8:
        raise ValueError(f"power_spectrum: {len(times)} samples along {dim!r}; need >= 8")
    dt = float(np.median(np.diff(times)))
    n = len(times)
    nperseg = n if n < 64 else max(64, n // 4)   # 50 % overlap: ~7 segments
    if segment_length is not None:
        length = positive_seconds(segment_length, "segment_length")
        nperseg = min(n, max(8, int(round(length / dt))))
    if detrend not in ("constant", "linear", False):
        raise ValueError(f"detrend: got {detrend!r}; expected 'constant', 'linear' or False")
    values = np.moveaxis(np.asarray(data.transpose(dim, ...).values, float), 0, -1)
    freq, psd = signal.welch(values, fs=1.0 / dt, nperseg=nperseg, detrend=detrend, axis=-1)
    other = [d for d in data.transpose(dim, ...).dims if d != dim]
    units = data.attrs.get("units", "1")
    return xr.DataArray(
        psd, dims=(*other, "frequency"), name="power_spectrum",
        coords={**{d: data[d] for d in other if d in data.coords},
                "frequency": ("frequency", freq, {"units": "Hz", "long_name": "frequency"})},
        attrs={"units": f"({units})^2/Hz", "long_name": "power spectral density (Welch)",
               "sampling_period": dt, "segment_length": nperseg * dt})


def _hertz(value, name):
    """`value` (float in Hz or a Brian2 frequency) as a float >= 0, or None."""
    if value is None:
        return None
    if hasattr(value, "dim") and str(value.dim) != "s^-1":
        raise ValueError(f"{name}: got {value!r}; expected a frequency (Hz)")
    try:
        hertz = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: got {value!r}; expected a frequency (Hz)") from None
    if not hertz >= 0:
        raise ValueError(f"{name}: got {value!r}; expected a frequency >= 0 Hz")
    return hertz


def dominant_frequency(psd, f_min=1.0, f_max=None):
    """Frequency of the largest spectral peak in ``[f_min, f_max]`` Hz.

    Parameters
    ----------
    psd : xarray.DataArray
        A `power_spectrum` (``frequency`` dimension), or a Dataset/rate to compute it from.
    f_min, f_max : float (Hz)
        Search band; `f_min` (default 1 Hz) keeps the slow drift out.

    Returns
    -------
    xarray.DataArray
        Frequency (Hz), reduced over ``frequency``; attribute ``power`` not kept per
        element, see the returned ``peak_power`` coordinate.
    """
    if not (isinstance(psd, xr.DataArray) and "frequency" in psd.dims):
        psd = power_spectrum(psd)
    f_min, f_max = _hertz(f_min, "f_min"), _hertz(f_max, "f_max")
    if f_max is not None and f_max <= f_min:
        raise ValueError(f"f_max: got {f_max!r}; expected a frequency above f_min = {f_min!r}")
    band = psd.sel(frequency=slice(f_min, f_max))
    if band.sizes["frequency"] == 0:
        raise ValueError(f"f_min/f_max: no frequency in [{f_min}, {f_max}] Hz "
                         f"(spectrum up to {float(psd['frequency'].max()):g} Hz)")
    index = band.fillna(-np.inf).argmax("frequency")
    peak = band["frequency"].isel(frequency=index).drop_vars("frequency", errors="ignore")
    power = band.isel(frequency=index).drop_vars("frequency", errors="ignore")
    out = peak.assign_coords(peak_power=power).rename("dominant_frequency")
    out.attrs = {"units": "Hz", "long_name": "dominant frequency", "f_min": f_min,
                 "f_max": np.nan if f_max is None else f_max}
    return out
