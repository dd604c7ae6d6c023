"""User-defined trial templates (epochs x trials x condition table), several trial-based
blocks in one run, and rate tables passed at run time (one cpp_standalone build)."""

import numpy as np
import pytest
import yaml
from bioneuro.protocols import Tetanus, TrialTemplate
from bioneuro.protocols.stimulus import EpochRow
from bioneuro.protocols.trials import check_no_overlap

import bioneuro as bn
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.spec import Circuit, Experiment, Population

CIRCUIT = Circuit("target", [Population("T", "lif_curr_exp", 2, {"V_th": "1 V"})])
CUE_SIZE, FLASH_SIZE = 200, 100

PROTOCOL = """
- kind: trial_template
  name: task
  sources: {cue: {size: 200}}
  epochs:
    - {name: baseline, duration: 100 ms}
    - {name: stimulus, duration: 200 ms, rates: {cue: cue_rate}}
    - {name: delay, duration: 100 ms, rates: {cue: 5 Hz}}
  conditions: {weak: {cue_rate: 10 Hz}, strong: {cue_rate: 40 Hz}}
  n_repeats: 3
  order: interleaved
- kind: trial_template
  name: probe
  sources: {flash: {size: 100}}
  epochs:
    - {name: flash, duration: 50 ms, rates: {flash: 20 Hz}}
    - {name: pause, duration: 250 ms}
  n_repeats: 7
  start: 25 ms
"""


def _experiment(weak="10 Hz", strong="40 Hz"):
    protocol = yaml.safe_load(PROTOCOL)
    protocol[0]["conditions"] = {"weak": {"cue_rate": weak}, "strong": {"cue_rate": strong}}
    return Experiment("template_trials", CIRCUIT, protocol,
                      {"spikes": ["task_cue", "probe_flash"]}, duration="2.4 s", seed=2)


def test_template_round_trips_through_yaml_and_lays_out_its_trials():
    exp = _experiment()
    assert Experiment.from_yaml(exp.to_yaml()) == exp
    task = exp.protocol[0]
    assert isinstance(task, TrialTemplate)
    rows = task.schedule()
    # 2 conditions x 3 repeats, interleaved; 3 epochs of 0.4 s per trial
    assert [r.condition for r in rows[::3]] == ["weak", "strong"] * 3
    assert [r.epoch for r in rows[:3]] == ["baseline", "stimulus", "delay"]
    assert rows[-1].stop == pytest.approx(2.4)
    assert task.rate("cue", "stimulus", "strong") == 40.0
    assert task.rate("cue", "baseline", "strong") == 0.0  # background
    assert task.rate("cue", "delay", "weak") == 5.0


@pytest.mark.parametrize("change, error, message", [
    (lambda p: p[0]["epochs"][0].update(duration="-10 ms"), SpecError, "a time > 0 ms"),
    (lambda p: p[0]["epochs"][0].update(duration="10 mV"), SpecError,
     "protocol.task.epochs.baseline.duration: got '10 mV'"),
    (lambda p: p[0]["conditions"]["weak"].update(cue_rate="-1 Hz"), SpecError,
     "conditions.weak.cue_rate.*a rate >= 0 Hz"),
    (lambda p: p[0]["conditions"]["weak"].update(cue_rate="3 ms"), SpecError,
     "expected a quantity in Hz"),
    (lambda p: p[0]["epochs"][1]["rates"].update(cue="cue_rte"), UnknownNameError,
     "cue_rate"),
    (lambda p: p[0]["epochs"][1]["rates"].update(led="5 Hz"), UnknownNameError,
     "epochs.stimulus.rates.led"),
    (lambda p: p[0]["conditions"]["strong"].update(other="1 Hz"), SpecError,
     "the variables of the other conditions"),
    (lambda p: p[0]["epochs"].append({"name": "baseline", "duration": "1 ms"}), SpecError,
     "unique names"),
    (lambda p: p[0].update(n_repeats=4), SpecError, "within the experiment's duration"),
])
def test_template_errors_name_the_field_before_anything_is_built(change, error, message):
    protocol = yaml.safe_load(PROTOCOL)
    change(protocol)
    with pytest.raises(error, match=message):
        Experiment("bad", CIRCUIT, protocol, duration="2.4 s")


def test_overlap_is_checked_within_a_protocol_not_across_protocols():
    rows = [EpochRow("a", 0, "x", "c", 0.0, 0.2), EpochRow("b", 0, "y", "c", 0.1, 0.3)]
    check_no_overlap(rows, 1.0)  # two schedules at once
    with pytest.raises(SpecError, match="protocol.a.*epochs that do not overlap"):
        check_no_overlap(rows + [EpochRow("a", 1, "x", "c", 0.15, 0.25)], 1.0)
    # two trial-based blocks overlapping in time are accepted, each with its own rows
    exp = Experiment("two", CIRCUIT, [Tetanus("a", train_duration="100 ms"),
                                      Tetanus("b", train_duration="100 ms", start="50 ms")],
                     duration="500 ms")
    protocols = [r.protocol for r in exp.stimulation().epochs]
    assert sorted(set(protocols)) == ["a", "b"]


def _counts(ds, population, rows):
    """Spikes of `population` inside the epochs `rows` (start, stop) and their total time."""
    ids = ds["neuron"].values[ds["population"].values == population]
    t = ds["spike_time"].values[np.isin(ds["spike_neuron"].values, ids)]
    n = sum(int(np.sum((t >= a) & (t < b))) for a, b in rows)
    return n, sum(b - a for a, b in rows)


def _delivered(ds, protocol, population, size, epoch, condition=None):
    """Measured rate (Hz) of `population` in the epochs `epoch` (of `condition`)."""
    sel = (ds["epoch_protocol"].values == protocol) & (ds["epoch_name"].values == epoch)
    if condition is not None:
        sel &= ds["epoch_condition"].values == condition
    rows = list(zip(ds["epoch_start"].values[sel], ds["epoch_stop"].values[sel], strict=True))
    n, total = _counts(ds, population, rows)
    return n, n / (size * total), size * total


def _assert_rate(ds, protocol, population, size, epoch, rate, condition=None):
    n, measured, exposure = _delivered(ds, protocol, population, size, epoch, condition)
    if rate == 0:
        assert n == 0
        return
    # Poisson count: within 4 standard deviations (sqrt(expected count))
    expected = rate * exposure
    assert abs(n - expected) < 4 * np.sqrt(expected), (protocol, epoch, condition, measured)


@pytest.fixture(scope="module")
def runs(build_cache):
    first = bn.run(_experiment(), device="cpp_standalone", cache_dir=build_cache)
    # same table shapes, new condition values: the compiled binary is re-used
    second = bn.run(_experiment("20 Hz", "60 Hz"), device="cpp_standalone",
                    cache_dir=build_cache)
    return first, second


@pytest.mark.slow
def test_template_delivers_the_scheduled_rates_per_condition(runs):
    ds = runs[0]
    task = ds["epoch_protocol"].values == "task"
    assert task.sum() == 18 and set(ds["epoch_condition"].values[task]) == {"weak", "strong"}
    for condition, rate in (("weak", 10.0), ("strong", 40.0)):
        _assert_rate(ds, "task", "task_cue", CUE_SIZE, "stimulus", rate, condition)
        _assert_rate(ds, "task", "task_cue", CUE_SIZE, "baseline", 0.0, condition)
        _assert_rate(ds, "task", "task_cue", CUE_SIZE, "delay", 5.0, condition)


@pytest.mark.slow
def test_two_trial_based_blocks_run_at_once_with_their_own_schedules(runs):
    ds = runs[0]
    probe = ds["epoch_protocol"].values == "probe"
    assert probe.sum() == 14 and ds["epoch_start"].values[probe][0] == pytest.approx(0.025)
    # the probe's flashes overlap the task's epochs
    task = ~probe
    starts, stops = ds["epoch_start"].values, ds["epoch_stop"].values
    assert np.any((starts[probe][:, None] < stops[task][None]) &
                  (starts[task][None] < stops[probe][:, None]) &
                  (starts[probe][:, None] != starts[task][None]))
    _assert_rate(ds, "probe", "probe_flash", FLASH_SIZE, "flash", 20.0)
    _assert_rate(ds, "probe", "probe_flash", FLASH_SIZE, "pause", 0.0)


@pytest.mark.slow
def test_new_rate_values_reuse_the_compiled_binary(runs):
    first, second = runs
    assert second.attrs["build_cache_hit"] == 1
    assert second.attrs["build_dir"] == first.attrs["build_dir"]
    assert second.attrs["structure_hash"] == first.attrs["structure_hash"]
    # the new values were delivered (the binary read them from its command line)
    for condition, rate in (("weak", 20.0), ("strong", 60.0)):
        _assert_rate(second, "task", "task_cue", CUE_SIZE, "stimulus", rate, condition)
    _assert_rate(second, "task", "task_cue", CUE_SIZE, "delay", 5.0)
