"""Injected currents: the delivered current (the model's I_in, recorded) equals the
scheduled waveform at every time step; OU noise has its stationary statistics; bad specs
fail before anything is built."""

import numpy as np
import pytest
from bioneuro.protocols import (
    CurrentRamp,
    CurrentStep,
    NoisyCurrent,
    PulseTrainCurrent,
    SineCurrent,
)
from brian2.units import ms, pA

import bioneuro as bn
from bioneuro.spec import Circuit, Experiment, Population, Recording, StateProbe

DT = 0.1e-3
CURRENTS = (
    CurrentStep("step", "A", {"kind": "linspace", "start": "100 pA", "stop": "500 pA"},
                "10.03 ms", "40 ms"),
    CurrentRamp("ramp", "B", "300 pA", "5 ms", "45 ms", initial="-100 pA"),
    SineCurrent("sine", "C", "80 pA", "50 Hz", "2 ms", "48 ms", offset="20 pA", phase=0.3),
    PulseTrainCurrent("pulses", "D", "250 pA", "200 Hz", "1.5 ms", 6, "3 ms"),
)


def _experiment(protocol, populations, duration=50 * ms, seed=0):
    circuit = Circuit("currents", [Population(name, "lif_curr_exp", size,
                                              {"V_th": "1 V"})  # never spikes
                                   for name, size in populations])
    probes = [StateProbe(name, ("I_in",), "all") for name, _ in populations]
    return Experiment("currents", circuit, protocol, Recording(state=probes),
                      duration=duration, dt=DT * 1e3 * ms, seed=seed)


@pytest.fixture(scope="module")
def deterministic():
    exp = _experiment(CURRENTS, [("A", 5), ("B", 1), ("C", 1), ("D", 1)])
    return bn.run(exp, device="runtime")


@pytest.mark.parametrize("index", range(len(CURRENTS)))
def test_injected_current_equals_scheduled_waveform(deterministic, index):
    stim = CURRENTS[index]
    ds = deterministic
    columns = ds["recorded_population"].values == stim.population
    recorded = ds["I_in"].values[:, columns]
    expected = stim.waveform(ds["time"].values, columns.sum(), DT)
    np.testing.assert_allclose(recorded, expected, rtol=1e-9, atol=1e-18)
    assert np.abs(expected).max() > 50e-12  # the stimulus is on at some point


def test_step_edges_fall_on_the_nearest_time_step(deterministic):
    ds = deterministic
    on = ds["I_in"].values[:, 0] != 0
    times = ds["time"].values[on]
    # the step starts on the time step nearest to 10.03 ms and stops before 40.0 ms
    assert times[0] == pytest.approx(10.0e-3) and times[-1] == pytest.approx(39.9e-3)
    amplitudes = ds["I_in"].values[on][0, :5]  # the five neurons of A
    np.testing.assert_allclose(amplitudes, np.linspace(100e-12, 500e-12, 5))


def test_pulse_train_has_n_pulses_of_the_given_width(deterministic):
    ds = deterministic
    column = np.flatnonzero(ds["recorded_population"].values == "D")[0]
    on = (ds["I_in"].values[:, column] > 0).astype(int)
    onsets = np.flatnonzero(np.diff(on) == 1) + 1
    assert len(onsets) == 6
    np.testing.assert_allclose(np.diff(ds["time"].values[onsets]), 5e-3, atol=1e-12)
    assert on.sum() == 6 * 15  # 1.5 ms = 15 steps per pulse


def test_ornstein_uhlenbeck_current_statistics():
    """Stationary mean, std and correlation time (autocorrelation exp(-s/tau) at s = tau)."""
    noise = NoisyCurrent("noise", "N", "50 pA", "30 pA", "5 ms", "0 ms")
    ds = bn.run(_experiment([noise], [("N", 200)], duration=200 * ms, seed=3),
                device="runtime")
    current = ds["I_in"].values[int(0.05 / DT):]  # after 10 correlation times
    assert current.mean() == pytest.approx(50e-12, abs=2e-12)
    assert current.std() == pytest.approx(30e-12, rel=0.05)
    lag = int(5e-3 / DT)
    centred = current - current.mean()
    rho = (centred[:-lag] * centred[lag:]).mean() / centred.var()
    assert rho == pytest.approx(np.exp(-1), abs=0.06)


def test_amplitude_sweep_yields_an_f_i_curve_in_one_run():
    """Per-neuron amplitudes: rates rise with amplitude, silent below rheobase
    (lif_curr_exp: rheobase (V_th - E_L)/R = 15 mV / 40 MOhm = 375 pA)."""
    step = CurrentStep("fi", "F", {"kind": "linspace", "start": "0 pA", "stop": "1000 pA"})
    circuit = Circuit("fi", [Population("F", "lif_curr_exp", 11)])
    ds = bn.run(Experiment("fi", circuit, [step], duration=200 * ms), device="runtime")
    counts = np.bincount(ds["spike_neuron"].values, minlength=11)
    amplitudes = np.linspace(0, 1000, 11)
    assert np.all(counts[amplitudes < 375] == 0) and np.all(counts[amplitudes > 400] > 0)
    assert np.all(np.diff(counts[amplitudes > 400]) >= 0)


@pytest.mark.parametrize("make, message", [
    (lambda: CurrentStep("s", "A", "100 mV"), "expected a quantity in A"),
    (lambda: CurrentStep("s", "A", "100 ms"), "a current"),
    (lambda: CurrentStep("s", "A", "1 pA", "-5 ms"), "a time >= 0 ms"),
    (lambda: CurrentStep("s", "A", "1 pA", "20 ms", "10 ms"), "a time >= start"),
    (lambda: CurrentRamp("r", "A", "1 pA", "20 ms", "20 ms"), "a time > start"),
    (lambda: SineCurrent("s", "A", "1 pA", "-3 Hz"), "a rate > 0 Hz"),
    (lambda: PulseTrainCurrent("p", "A", "1 pA", "100 Hz", "10 ms", 3), "shorter than"),
    (lambda: NoisyCurrent("n", "A", "0 pA", "-1 pA", "5 ms"), "protocol.n.sigma"),
    (lambda: CurrentStep("s", "Z", 5 * pA), "protocol.s.population: got 'Z'; known: A"),
])
def test_bad_currents_fail_before_build(make, message):
    with pytest.raises(bn.SpecError, match=message.replace("(", r"\(")):
        _experiment([make()], [("A", 1)])


def test_yaml_round_trip_of_a_current_protocol(tmp_path):
    exp = _experiment(CURRENTS, [("A", 5), ("B", 1), ("C", 1), ("D", 1)])
    path = tmp_path / "currents.yaml"
    path.write_text(exp.to_yaml())
    again = Experiment.from_file(path)
    assert again.content_hash() == exp.content_hash()
    assert again.protocol == exp.protocol
