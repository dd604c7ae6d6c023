"""Trial-based protocols (plasticity induction, conditioning, tasks, sequences): delivered
spikes measured from the recording and the schedule recorded in the Dataset."""

import numpy as np
import pytest
from bioneuro.protocols import (
    ActivityReward,
    DecisionTask,
    Drive,
    EyeblinkConditioning,
    PairedPulse,
    RegularSpikes,
    RewardSchedule,
    STDPPairing,
    TaskSequence,
    Tetanus,
    ThetaBurst,
    WorkingMemoryTask,
)
from brian2.units import ms

import bioneuro as bn
from bioneuro.spec import Circuit, Experiment, Population, Recording, StateProbe

DT = 0.1e-3
CIRCUIT = Circuit("target", [Population("T", "lif_curr_exp", 2, {"V_th": "1 V"})])


def _run(protocol, duration, recording=None):
    exp = Experiment("trials", CIRCUIT, protocol, recording or Recording(), duration=duration)
    return bn.run(exp, device="runtime")


def spike_times(ds, population):
    mask = ds["population"].values[ds["spike_neuron"].values] == population
    return ds["spike_time"].values[mask]


def epochs_of(ds, protocol):
    mask = ds["epoch_protocol"].values == protocol
    return {name: ds[f"epoch_{name}"].values[mask]
            for name in ("trial", "name", "condition", "start", "stop")}


PLASTICITY = TaskSequence("induction", [
    STDPPairing("ltp", "10 ms", "50 Hz", 5, pre=Drive("T", "e", "10 pA")),
    STDPPairing("ltd", "-7.33 ms", "50 Hz", 5),
    PairedPulse("ppf", ["20 ms", "50 ms"], trial_interval="100 ms"),
    Tetanus("hfs", "100 Hz", "50 ms", n_trains=2, train_interval="100 ms"),
    ThetaBurst("tbs", intra_burst_rate="200 Hz", burst_rate="50 Hz", bursts_per_train=5),
], gap="10 ms")


@pytest.fixture(scope="module")
def induction():
    return _run([PLASTICITY], 800 * ms)


@pytest.mark.parametrize("name, delta, label", [("ltp", 10e-3, "10"), ("ltd", -7.3e-3, "-7.33")])
def test_stdp_pairing_delta_t_is_exact_to_the_time_step(induction, name, delta, label):
    pre, post = spike_times(induction, f"{name}_pre"), spike_times(induction, f"{name}_post")
    assert len(pre) == len(post) == 5
    np.testing.assert_allclose(post - pre, delta, rtol=0, atol=1e-12)  # -7.33 -> -7.3 ms
    np.testing.assert_allclose(np.diff(pre), 20e-3, atol=1e-12)
    epochs = epochs_of(induction, name)
    assert list(epochs["trial"]) == list(range(5))
    assert set(epochs["condition"]) == {f"delta_t={label} ms"}  # as specified
    # every pairing lies within its trial
    assert np.all((epochs["start"] <= np.minimum(pre, post) + 1e-12) &
                  (np.maximum(pre, post) < epochs["stop"]))


def test_sequence_places_blocks_one_after_another_with_the_gap(induction):
    blocks = [b.name for b in PLASTICITY.blocks]
    starts = [epochs_of(induction, b)["start"].min() for b in blocks]
    stops = [epochs_of(induction, b)["stop"].max() for b in blocks]
    np.testing.assert_allclose(np.array(starts[1:]) - np.array(stops[:-1]), 10e-3, atol=1e-12)
    assert np.all(np.diff(induction["epoch_start"].values) > 0)  # sorted, no overlap


def test_paired_pulse_tetanus_and_theta_burst_trains(induction):
    ppf = spike_times(induction, "ppf")
    np.testing.assert_allclose(ppf[1::2] - ppf[::2], [20e-3, 50e-3], atol=1e-12)
    assert list(epochs_of(induction, "ppf")["condition"]) == ["interval=20 ms",
                                                              "interval=50 ms"]
    hfs = spike_times(induction, "hfs")
    assert len(hfs) == 10 and hfs[5] - hfs[0] == pytest.approx(0.1)
    np.testing.assert_allclose(np.diff(hfs[:5]), 10e-3, atol=1e-12)
    tbs = spike_times(induction, "tbs").reshape(5, 4)
    np.testing.assert_allclose(np.diff(tbs, axis=1), 5e-3, atol=1e-12)
    np.testing.assert_allclose(np.diff(tbs[:, 0]), 20e-3, atol=1e-12)


def test_pairing_pre_spikes_drive_the_target(induction):
    rec = Recording(state=[StateProbe("T", ("I_e",), 1)])
    ds = _run([STDPPairing("p", "5 ms", "50 Hz", 2, start="3 ms",
                           pre=Drive("T", "e", "10 pA"))], 50 * ms, rec)
    jumps = ds["time"].values[np.flatnonzero(np.diff(ds["I_e"].values[:, 0]) > 5e-12) + 1]
    np.testing.assert_allclose(jumps, [3.1e-3, 23.1e-3], atol=1e-12)  # next step


def test_eyeblink_conditioning_cs_on_mossy_fibres_us_on_climbing_fibres():
    stim = EyeblinkConditioning("eb", n_trials=3, isi="150 ms", baseline="100 ms",
                                after="100 ms", probe_every=3, mf_size=200,
                                mf_background_rate="5 Hz", mf_cs_rate="60 Hz",
                                cf_spikes=2, cf_rate="500 Hz")
    ds = _run([stim], 1200 * ms)
    epochs = epochs_of(ds, "eb")
    assert list(epochs["condition"][epochs["name"] == "cs"]) == ["paired", "paired",
                                                                 "cs_alone"]
    us = epochs["start"][(epochs["name"] == "us") & (epochs["condition"] == "paired")]
    np.testing.assert_allclose(us, [0.25, 0.62], atol=1e-12)  # baseline + ISI per trial
    expected_cf = np.sort(np.concatenate([us, us + 2e-3]))
    np.testing.assert_allclose(spike_times(ds, "eb_cf"), expected_cf, atol=1e-12)
    mf = spike_times(ds, "eb_mf")
    for name, rate in (("cs", 60.0), ("baseline", 5.0)):
        rows = epochs["name"] == name
        count = sum(np.sum((mf >= a) & (mf < b)) for a, b in
                    zip(epochs["start"][rows], epochs["stop"][rows], strict=True))
        expected = 200 * rate * np.sum(epochs["stop"][rows] - epochs["start"][rows])
        assert abs(count - expected) < 4 * np.sqrt(expected)


def test_reward_on_a_schedule_and_triggered_by_activity():
    signal = Drive("T", "e", "50 pA", delay="4 ms")
    burst = RegularSpikes("activity", 5, "200 Hz", "60 ms", "100 ms")
    rewards = [RewardSchedule("fixed", ["10 ms", "30 ms"], signal),
               burst,
               ActivityReward("earned", "activity", 12, Drive("T", "i", "-50 pA", delay="0 ms"),
                              window="20 ms", delay="8 ms", refractory="100 ms")]
    rec = Recording(state=[StateProbe("T", ("I_e", "I_i"), 1)])
    ds = _run(rewards, 150 * ms, rec)
    np.testing.assert_allclose(spike_times(ds, "fixed"), [10e-3, 30e-3], atol=1e-12)
    t = ds["time"].values
    up = t[np.flatnonzero(np.diff(ds["I_e"].values[:, 0]) > 25e-12) + 1]
    np.testing.assert_allclose(up, [14.1e-3, 34.1e-3], atol=1e-12)  # after the 4 ms delay
    earned = spike_times(ds, "earned")
    # volleys of 5 spikes every 5 ms from 60 ms; the count decays by exp(-5/20) between
    # volleys: 5, 8.89, 11.92, 14.29 -> exceeds 12 after the 4th volley (75 ms), read by
    # the trigger's threshold one step later; the refractory period allows no second one
    count, volley = 0.0, 0
    while count <= 12:
        count, volley = count * np.exp(-5 / 20) + 5, volley + 1
    assert volley == 4
    np.testing.assert_allclose(earned, [60e-3 + 5e-3 * (volley - 1) + DT], atol=1e-12)
    down = t[np.flatnonzero(np.diff(ds["I_i"].values[:, 0]) < -25e-12) + 1]
    np.testing.assert_allclose(down, earned + 8e-3 + DT, atol=1e-12)


def test_decision_task_pool_rates_follow_coherence():
    task = DecisionTask("dm", coherences=(0.0, 50.0), n_repeats=2, pool_size=100,
                        fixation="50 ms", stimulus="200 ms", response="50 ms",
                        order="shuffled", order_seed=3)
    ds = _run([task], 1200 * ms)
    epochs = epochs_of(ds, "dm")
    stimulus = epochs["name"] == "stimulus"
    assert sorted(epochs["condition"][stimulus]) == ["coherence=0"] * 2 + ["coherence=50"] * 2
    for pool, sign in (("dm_A", 1), ("dm_B", -1)):
        times = spike_times(ds, pool)
        for a, b, condition in zip(epochs["start"][stimulus], epochs["stop"][stimulus],
                                   epochs["condition"][stimulus], strict=True):
            expected = 100 * 40 * (1 + sign * float(condition.split("=")[1]) / 100) * (b - a)
            count = np.sum((times >= a) & (times < b))
            assert abs(count - expected) < 4 * np.sqrt(expected)
        silent = ~stimulus
        assert sum(np.sum((times >= a) & (times < b)) for a, b in
                   zip(epochs["start"][silent], epochs["stop"][silent], strict=True)) == 0
    again = DecisionTask("dm", coherences=(0.0, 50.0), n_repeats=2, order_seed=3)
    assert list(again.trial_conditions()) == list(task.trial_conditions())


def test_working_memory_cue_is_decoded_and_the_delay_is_silent():
    task = WorkingMemoryTask("wm", size=32, cue_values=(90.0, 270.0), n_repeats=1,
                             width=20.0, max_rate="200 Hz", fixation="50 ms", cue="200 ms",
                             delay="100 ms", response="0 ms", order="blocked")
    ds = _run([task], 700 * ms)
    epochs = epochs_of(ds, "wm")
    first = np.flatnonzero(ds["population"].values == "wm")[0]
    mask = ds["population"].values[ds["spike_neuron"].values] == "wm"
    neuron, times = ds["spike_neuron"].values[mask] - first, ds["spike_time"].values[mask]
    code = task.code()
    for a, b, condition, name in zip(epochs["start"], epochs["stop"], epochs["condition"],
                                     epochs["name"], strict=True):
        inside = (times >= a) & (times < b)
        if name != "cue":
            assert inside.sum() == 0
            continue
        rates = np.bincount(neuron[inside], minlength=32) / (b - a)
        assert code.decode(rates) == pytest.approx(float(condition.split("=")[1]), abs=10)


@pytest.mark.parametrize("protocol, message", [
    (lambda: [DecisionTask("d", coherences=(0,), n_repeats=1)],
     "within the experiment's duration"),
    (lambda: [Tetanus("a", train_duration="1 s")], "before the end of the run"),
    (lambda: [STDPPairing("p", "2 s")], "below the pairing period"),
    (lambda: [DecisionTask("d", fixation="-10 ms")], "a time >= 0 ms"),
    (lambda: [DecisionTask("d", coherences=(120,))], "coherences in \\[-100, 100\\]"),
    (lambda: [DecisionTask("d", order="random")], "known: blocked, interleaved, shuffled"),
    (lambda: [EyeblinkConditioning("e", isi="10 mV")],
     "protocol.e.isi: got '10 mV'; expected a quantity in ms"),
    (lambda: [ActivityReward("r", "X", 3, Drive("T", "e", "1 pA"))], "protocol.r.monitored"),
    (lambda: [TaskSequence("s", [RegularSpikes("r", 1, "5 Hz")])], "blocks that end"),
])
def test_bad_schedules_fail_before_build(protocol, message):
    with pytest.raises(bn.SpecError, match=message):
        Experiment("bad", CIRCUIT, protocol(), duration=500 * ms)
