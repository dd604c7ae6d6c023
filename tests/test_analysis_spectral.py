"""Spectra: the peak of a sine-modulated rate, and of a sampled sine."""

import numpy as np
import pytest
import xarray as xr
from analysis_data import spikes_dataset
from bioneuro.analysis import dominant_frequency, power_spectrum


def modulated_dataset(freq=12.0, n=60, duration=10.0, seed=9):
    """Inhomogeneous Poisson trains with rate 20 (1 + sin(2 pi f t)) Hz (thinning)."""
    rng = np.random.default_rng(seed)
    spikes = {}
    for i in range(n):
        t = np.sort(rng.uniform(0, duration, rng.poisson(40.0 * duration)))
        keep = rng.uniform(0, 40.0, len(t)) < 20.0 * (1 + np.sin(2 * np.pi * freq * t))
        spikes[i] = t[keep]
    return spikes_dataset(spikes, ["E"] * (n // 2) + ["I"] * (n - n // 2), duration)


def test_sine_modulated_rate_peaks_at_the_sine_frequency():
    ds = modulated_dataset(freq=12.0)
    psd = power_spectrum(ds, bin_size=0.001)
    assert psd.dims == ("frequency",) and psd["frequency"].attrs["units"] == "Hz"
    assert psd.attrs["units"] == "(Hz)^2/Hz"
    assert float(dominant_frequency(psd)) == pytest.approx(12.0, abs=0.5)
    per_pop = dominant_frequency(power_spectrum(ds, bin_size=0.001, by="population"))
    np.testing.assert_allclose(per_pop.sel(population=["E", "I"]), [12.0, 12.0], atol=0.5)
    assert "peak_power" in per_pop.coords


def test_sampled_sine_and_band_limits():
    t = np.arange(0, 8, 0.001)
    signal = xr.DataArray(np.sin(2 * np.pi * 40 * t) + 0.5 * np.sin(2 * np.pi * 7 * t),
                          dims="time", coords={"time": t}, attrs={"units": "V"})
    psd = power_spectrum(signal, segment_length=2.0)
    assert psd.attrs["units"] == "(V)^2/Hz"
    assert float(dominant_frequency(psd)) == pytest.approx(40.0, abs=0.5)
    assert float(dominant_frequency(psd, f_max=20)) == pytest.approx(7.0, abs=0.5)
    # Parseval: the integral of the one-sided PSD is the variance (0.5 + 0.125)
    df = float(psd["frequency"][1] - psd["frequency"][0])
    assert float(psd.sum()) * df == pytest.approx(0.625, rel=0.05)
    with pytest.raises(ValueError, match="f_min"):
        dominant_frequency(psd, f_min=900)
    # arguments with the wrong unit or sign are named, Brian2 quantities are understood
    from brian2.units import Hz, mV, second
    assert float(dominant_frequency(psd, f_max=20 * Hz)) == pytest.approx(7.0, abs=0.5)
    assert power_spectrum(signal, segment_length=2 * second).equals(psd)
    for kwargs, name in (({"segment_length": 5 * mV}, "segment_length"),
                         ({"segment_length": -5}, "segment_length"),
                         ({"detrend": "quadratic"}, "detrend")):
        with pytest.raises(ValueError, match=name):
            power_spectrum(signal, **kwargs)
    for kwargs, name in (({"f_min": 5 * mV}, "f_min"), ({"f_max": -1}, "f_max"),
                         ({"f_min": 30, "f_max": 20}, "f_max")):
        with pytest.raises(ValueError, match=name):
            dominant_frequency(psd, **kwargs)
