"""f-I curves, gain and rheobase of a hand-made current sweep with a known threshold-linear
response: rate = GAIN (I - RHEOBASE) above RHEOBASE, silent below."""

import numpy as np
import pytest
from analysis_data import spikes_dataset
from bioneuro.analysis import f_i_curve, gain, rheobase

GAIN = 0.2e12          # Hz/A (0.2 Hz/pA)
RHEOBASE = 125e-12     # A
AMPLITUDES = np.arange(0, 501, 50) * 1e-12      # 0..500 pA; rates 0 or 5, 15, ... 75 Hz
ONSET, DURATION = 0.1, 10.1     # s: the 10 s step window holds whole numbers of spikes


def regular_train(rate, start, stop):
    """Spikes at `rate` Hz in [start, stop), half an interval after `start`."""
    if rate <= 0:
        return np.zeros(0)
    return start + (np.arange(int(round(rate * (stop - start)))) + 0.5) / rate


def sweep(copies=1, onset_spikes=0):
    """One neuron per amplitude (`copies` each, the second copy 2 Hz faster) with an
    `amplitude` coordinate in A; `onset_spikes` extra spikes in the first 100 ms."""
    amps = np.repeat(AMPLITUDES, copies)
    spikes = {}
    for k, amp in enumerate(amps):
        rate = max(0.0, GAIN * (amp - RHEOBASE)) + (2.0 if k % copies else 0.0) * (amp > RHEOBASE)
        onset = np.linspace(0.01, 0.09, onset_spikes)
        spikes[k] = np.concatenate([onset, regular_train(rate, ONSET, DURATION)])
    ds = spikes_dataset(spikes, ["step"] * len(amps), DURATION)
    return ds.assign_coords(amplitude=("neuron", amps, {"units": "A"}))


def expected_rates():
    return np.maximum(0, GAIN * (AMPLITUDES - RHEOBASE))


def test_f_i_curve_gain_and_rheobase_recover_the_known_response():
    ds = sweep()
    curve = f_i_curve(ds, t_start=ONSET)
    assert curve.dims == ("amplitude",)
    np.testing.assert_allclose(curve["amplitude"], AMPLITUDES)
    np.testing.assert_allclose(curve.values, expected_rates(), atol=1e-9)
    assert curve.attrs["units"] == "Hz" and curve["amplitude"].attrs["units"] == "A"
    np.testing.assert_array_equal(curve["n_neurons"], 1)
    slope = gain(curve)
    assert float(slope) == pytest.approx(GAIN, rel=1e-9)
    assert slope.attrs["units"] == "Hz/A"
    # the fitted line crosses 0 Hz at 125 pA, between the last silent (100 pA) and first
    # firing (150 pA) amplitude; "first" gives the first firing amplitude
    assert float(rheobase(curve)) == pytest.approx(RHEOBASE, rel=1e-9)
    assert float(rheobase(curve, method="first")) == pytest.approx(150e-12)
    assert rheobase(curve).attrs["units"] == "A"


def test_onset_window_copies_and_explicit_amplitudes():
    # 3 onset spikes in [0, 100 ms) inflate the whole-run rate but not the step window's
    ds = sweep(copies=2, onset_spikes=3)
    whole = f_i_curve(ds)
    window = f_i_curve(ds, t_start=ONSET)
    assert float(whole.sel(amplitude=0.0)) == pytest.approx(3 / DURATION)
    assert float(window.sel(amplitude=0.0)) == 0.0
    # two copies per amplitude, the second 2 Hz faster above rheobase: the mean is +1 Hz
    np.testing.assert_array_equal(window["n_neurons"], 2)
    np.testing.assert_allclose(window.values, expected_rates() + (AMPLITUDES > RHEOBASE),
                               atol=1e-9)
    assert float(gain(window)) == pytest.approx(GAIN, rel=1e-9)
    # amplitudes as a Brian2 quantity array keep their unit; as a coordinate name too
    from brian2.units import pA

    as_quantity = f_i_curve(ds, amplitudes=np.repeat(AMPLITUDES, 2) / 1e-12 * pA,
                            t_start=ONSET)
    assert as_quantity.identical(window)
    assert f_i_curve(ds.rename({"amplitude": "I_step"}), "I_step", t_start=ONSET).identical(
        window)


def test_initial_gain_of_a_saturating_curve_and_a_silent_cell():
    ds = sweep()
    curve = f_i_curve(ds, t_start=ONSET)
    saturating = curve.copy(data=np.minimum(curve.values, 25.0))   # flat from 250 pA on
    assert float(gain(saturating, n_points=3)) == pytest.approx(GAIN, rel=1e-9)
    assert float(gain(saturating)) < 0.5 * GAIN
    silent = curve.copy(data=np.zeros(len(curve)))
    assert np.isnan(float(gain(silent))) and np.isnan(float(rheobase(silent)))


def test_bad_arguments_name_the_field():
    ds = sweep()
    with pytest.raises(ValueError, match="amplitudes"):
        f_i_curve(ds.drop_vars("amplitude"))
    with pytest.raises(ValueError, match="amplitudes"):
        f_i_curve(ds, amplitudes=AMPLITUDES[:3])
    with pytest.raises(ValueError, match="method"):
        rheobase(f_i_curve(ds), method="midpoint")
