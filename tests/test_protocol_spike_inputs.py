"""Spike inputs: delivered spikes measured from the recording (Poisson rate and ISI CV within
statistical tolerance, table rates per segment, deterministic trains exact to the step)."""

import numpy as np
import pytest
from bioneuro.protocols import (
    BurstSpikes,
    Drive,
    InhomogeneousPoisson,
    PoissonSpikes,
    RegularSpikes,
    SpikeTimes,
)
from brian2.units import Hz, ms, second

import bioneuro as bn
from bioneuro.spec import Circuit, Experiment, Population, Recording, StateProbe

DT = 0.1e-3


def _run(protocol, duration=200 * ms, recording=None, seed=1):
    circuit = Circuit("target", [Population("T", "lif_curr_exp", 2)])
    exp = Experiment("inputs", circuit, protocol, recording or Recording(),
                     duration=duration, seed=seed)
    return bn.run(exp, device="runtime")


def spikes_of(ds, population):
    """(index within population, time) of the population's spikes."""
    mask = ds["population"].values[ds["spike_neuron"].values] == population
    first = np.flatnonzero(ds["population"].values == population)[0]
    return ds["spike_neuron"].values[mask] - first, ds["spike_time"].values[mask]


def test_homogeneous_poisson_rate_and_cv():
    n, rate, duration = 200, 40.0, 0.4
    ds = _run([PoissonSpikes("P", n, rate * Hz)], duration=duration * second)
    index, times = spikes_of(ds, "P")
    expected = n * rate * duration
    assert abs(len(times) - expected) < 4 * np.sqrt(expected)  # 4 sd of a Poisson count
    isis = np.concatenate([np.diff(times[index == k]) for k in range(n)])
    cv = isis.std() / isis.mean()
    # geometric ISIs on the dt grid: CV = sqrt(1 - rate*dt) ~ 1; sd of the estimate ~ 0.03
    assert cv == pytest.approx(np.sqrt(1 - rate * DT), abs=0.1)


def test_poisson_window_and_per_neuron_rates():
    stim = PoissonSpikes("P", 50, {"kind": "linspace", "start": "0 Hz", "stop": "80 Hz"},
                         "50 ms", "150 ms")
    index, times = spikes_of(_run([stim]), "P")
    assert times.min() >= 0.05 and times.max() < 0.15
    assert not np.any(index == 0)  # rate 0 Hz
    low, high = np.sum(index < 25), np.sum(index >= 25)
    assert high > 2 * low


def test_inhomogeneous_poisson_follows_its_table():
    n = 100
    rates = np.array([5.0, 60.0, 0.0, 20.0]) * Hz
    stim = InhomogeneousPoisson("R", n, rates, 100 * ms, start=20 * ms)
    _, times = spikes_of(_run([stim], duration=450 * ms), "R")
    edges = 0.02 + 0.1 * np.arange(5)
    counts = np.histogram(times, edges)[0]
    expected = n * np.asarray(rates) * 0.1
    assert np.all(np.abs(counts - expected) <= 4 * np.sqrt(expected) + 1e-9)
    assert times.min() >= 0.02 and times.max() < 0.42


def test_rate_as_a_function_of_time():
    stim = InhomogeneousPoisson.from_function(
        "F", 200, lambda t: 30 * Hz * (1 + np.sin(2 * np.pi * 5 * Hz * t)), 400 * ms, 10 * ms)
    _, times = spikes_of(_run([stim], duration=400 * ms), "F")
    counts = np.histogram(times, np.arange(0, 0.41, 0.1))[0]  # one period is 200 ms
    # first quarter periods above the mean rate, third quarters below
    assert counts[0] > 200 * 30 * 0.1 > counts[1]


def test_regular_and_burst_trains_are_exact_to_the_time_step():
    regular = RegularSpikes("reg", 3, "40 Hz", "10.02 ms", "110 ms")
    burst = BurstSpikes("bur", 1, "10 Hz", 4, "100 Hz", "5 ms", "200 ms")
    ds = _run([regular, burst], duration=220 * ms)
    index, times = spikes_of(ds, "reg")
    expected = 0.010 + 0.025 * np.arange(4)  # nearest step to 10.02 ms is 10.0 ms
    for k in range(3):
        np.testing.assert_allclose(times[index == k], expected, atol=1e-12)
    _, times = spikes_of(ds, "bur")
    onsets = 0.005 + 0.1 * np.arange(2)
    np.testing.assert_allclose(times, (onsets[:, None] + 0.01 * np.arange(4)).ravel(),
                               atol=1e-12)


def test_explicit_spike_times_drive_the_target():
    times = [[1.0, 20.0, 20.1] * ms, [5.0] * ms]
    drive = Drive("T", "e", "100 pA", "one_to_one")
    rec = Recording(state=[StateProbe("T", ("I_e",), "all")])
    ds = _run([SpikeTimes("S", times, drive)], duration=30 * ms, recording=rec)
    index, spike_times = spikes_of(ds, "S")
    np.testing.assert_allclose(spike_times[index == 0], [1e-3, 20e-3, 20.1e-3], atol=1e-12)
    np.testing.assert_allclose(spike_times[index == 1], [5e-3], atol=1e-12)
    current = ds["I_e"].values
    # a spike at 1 ms raises neuron 0's (only neuron 0's) synaptic current by the weight,
    # recorded at the next step
    step = int(round(1e-3 / DT))
    assert current[step, 0] == 0 and current[step + 1, 0] == pytest.approx(100e-12)
    assert np.all(current[:int(round(5e-3 / DT)) + 1, 1] == 0)


@pytest.mark.parametrize("make, message", [
    (lambda: PoissonSpikes("P", 5, "-1 Hz"), "within \\[0 Hz, inf\\]"),
    (lambda: PoissonSpikes("P", 5, "10 mV"), "expected a quantity in Hz"),
    (lambda: PoissonSpikes("P", 0, "10 Hz"), "protocol.P.size"),
    (lambda: RegularSpikes("P", 1, "10 Hz", "50 ms", "20 ms"), "a time >= start"),
    (lambda: BurstSpikes("P", 1, "50 Hz", 5, "100 Hz"), "bursts shorter than"),
    (lambda: InhomogeneousPoisson("P", 2, [1, 2], "10 ms"), "expected a quantity in Hz"),
    (lambda: InhomogeneousPoisson("P", 2, [-1, 2] * Hz, "10 ms"), "rates >= 0 Hz"),
    (lambda: InhomogeneousPoisson("P", 2, [1, 2] * Hz, "0 ms"), "a time > 0 ms"),
    (lambda: SpikeTimes("P", [[1.0, 1.01] * ms]), "two spikes of one train in one time step"),
    (lambda: SpikeTimes("P", [[1.0, 900] * ms]), "before the end of the run"),
    (lambda: PoissonSpikes("P", 5, "10 Hz", drive=Drive("T", "x", "1 pA")), "target"),
    (lambda: PoissonSpikes("P", 5, "10 Hz", drive=Drive("T", "e", "1 nS")),
     "expected a quantity in A"),
    (lambda: PoissonSpikes("T", 5, "10 Hz"), "protocol.T: got .T.; a block whose source"),
])
def test_bad_spike_inputs_fail_before_build(make, message):
    circuit = Circuit("target", [Population("T", "lif_curr_exp", 2)])
    with pytest.raises(bn.SpecError, match=message):
        Experiment("bad", circuit, [make()], duration=200 * ms)


def test_same_seed_same_spikes_other_seed_other_spikes():
    stim = [PoissonSpikes("P", 20, "50 Hz")]
    a, b, c = (_run(stim, duration=50 * ms, seed=s) for s in (4, 4, 5))
    np.testing.assert_array_equal(a["spike_time"], b["spike_time"])
    assert not np.array_equal(a["spike_time"].values, c["spike_time"].values) or \
        len(a["spike_time"]) != len(c["spike_time"])
