"""Continual learning: task A, then an interfering task B (bioneuro.experiments.continual).

The slow tests run ``continual_learning`` three times on one cpp_standalone build (the
consolidation strength and the Hebbian time constant are run-time values): plain
plasticity, plasticity with two-variable consolidation (Benna & Fusi 2016,
doi:10.1038/nn.4401), and synaptic scaling alone (van Rossum, Bi & Turrigiano 2000,
doi:10.1523/JNEUROSCI.20-23-08812.2000).
"""

import numpy as np
import pytest
import xarray as xr
from bioneuro.analysis.continual import (
    phase_mean_rate,
    probe_responses,
    retention,
    task_performance,
)
from bioneuro.models.plasticity.consolidation import consolidated_hebbian
from bioneuro.protocols.labelled_patterns import LabelledPatterns
from brian2.units import Hz, ms, second

import bioneuro as bn
from bioneuro import registry
from bioneuro.errors import SpecError
from bioneuro.experiments.continual import (
    N_ACTIVE,
    PHASES,
    TEACHER_RATE,
    continual_learning,
    continual_patterns,
)
from bioneuro.spec import Experiment

NU_TARGET = float(consolidated_hebbian().parameters["nu_target"].default)  # 5 Hz
CHANCE = 0.25  # four outputs


# ------------------------------------------------------------------------- fast checks
def test_tasks_interfere_by_construction():
    table = continual_patterns(8, 2, seed=3)
    protos = table["prototypes"]
    a, b = protos[0], protos[1]
    assert np.all(a.sum(1) == N_ACTIVE) and np.all(b.sum(1) == N_ACTIVE)
    assert np.all(a @ a.T == N_ACTIVE * np.eye(4))  # task A: disjoint prototypes
    overlap = b @ a.T  # B_k takes half of A_{k+1} and half of A_{k+2}
    for k in range(4):
        assert overlap[k, (k + 1) % 4] == overlap[k, (k + 2) % 4] == N_ACTIVE // 2
        assert overlap[k, k] == 0
    phases = np.array(table["phases"])
    assert list(dict.fromkeys(phases)) == list(PHASES)
    training = np.char.startswith(phases.astype(str), "train")
    # gate and teacher only in training rows; probes identical in all three probe phases
    np.testing.assert_array_equal(table["gate"][:, 0], training.astype(float))
    assert not table["teacher"][~training].any()
    assert np.all(table["teacher"][training].max(1) == float(TEACHER_RATE))
    probes = [table["inputs"][phases == p] for p in PHASES if p.startswith("probe")]
    np.testing.assert_array_equal(probes[0], probes[2])
    # exemplars: the prototype with one active input moved (10 active, 9 shared)
    first = table["inputs"][0] / table["inputs"][0].max()
    assert first.sum() == N_ACTIVE and first @ a[0] == N_ACTIVE - 1
    again = continual_patterns(8, 2, seed=3)  # same seed -> same data
    np.testing.assert_array_equal(table["inputs"], again["inputs"])


def test_continual_experiment_round_trips_and_refuses_bad_values():
    exp = continual_learning(n_train=8, n_probe=1)
    assert "continual_learning" in registry.names("experiments")
    assert "consolidated_hebbian_rate" in registry.names("plasticity")
    assert Experiment.from_dict(exp.to_dict()).to_dict() == exp.to_dict()
    assert float(exp.duration) == pytest.approx((3 * 8 + 2 * 8) * 0.02)
    with pytest.raises(SpecError, match="continual_learning.consolidation"):
        continual_learning(consolidation=-1 * Hz)
    with pytest.raises(SpecError, match="continual_learning.consolidation"):
        continual_learning(consolidation=1 * second)
    with pytest.raises(SpecError, match="continual_learning.n_train"):
        continual_learning(n_train=10)
    with pytest.raises(SpecError, match="continual_learning.interval"):
        continual_learning(interval=1.5 * ms)
    with pytest.raises(SpecError, match="protocol.p.labels"):
        LabelledPatterns("p", np.ones((3, 2)) * Hz, 5 * ms, phases=("a", "a", "b"),
                         labels=("A:0", "A:1"))


def _toy_dataset():
    """Two outputs, rows of 10 ms: a training row then four probe rows whose rates are
    set by hand (first half of each row: a transient that `settle` skips)."""
    dt, n = 1e-3, 50
    r = np.zeros((n, 2))
    # probe rows (label -> rates in the second half): A:0 right, A:1 wrong, B:0 wrong,
    # B:1 right
    for row, rates in enumerate(([3.0, 1.0], [2.0, 1.0], [0.2, 0.5], [1.0, 4.0]), start=1):
        r[row * 10 + 5:(row + 1) * 10] = rates
        r[row * 10:row * 10 + 5] = np.array(rates[::-1]) * 3  # transient, opposite ranking
    r[:10] = 7.0
    epochs = {"epoch_name": ["train_A", "probe_1", "probe_1", "probe_2", "probe_2"],
              "epoch_condition": ["A:0", "A:0", "A:1", "B:0", "B:1"],
              "epoch_start": np.arange(5) * 0.01, "epoch_stop": np.arange(1, 6) * 0.01}
    return xr.Dataset(
        {"r": (("time", "recorded_neuron"), r, {"units": "Hz"}),
         **{k: ("epoch", np.asarray(v)) for k, v in epochs.items()}},
        coords={"time": np.arange(n) * dt, "recorded_neuron": [0, 1],
                "recorded_population": ("recorded_neuron", ["output", "output"]),
                "neuron": [0, 1], "index": ("neuron", [0, 1])})


def test_task_performance_scores_hand_made_rows():
    ds = _toy_dataset()
    responses = probe_responses(ds, ["probe_1", "probe_2"])
    np.testing.assert_allclose(responses.values, [[3, 1], [2, 1], [0.2, 0.5], [1, 4]])
    assert list(responses["task"].values) == ["A", "A", "B", "B"]
    acc = task_performance(ds)  # probes found by name, in order
    assert list(acc["probe"].values) == ["probe_1", "probe_2"]
    # probe_1 has only task A rows (1 of 2 right), probe_2 only task B rows (1 of 2)
    assert float(acc.sel(probe="probe_1", task="A")) == 0.5
    assert np.isnan(float(acc.sel(probe="probe_1", task="B")))
    assert float(acc.sel(probe="probe_2", task="B")) == 0.5
    assert acc.attrs["chance"] == 0.5 and acc.attrs["units"] == "1"
    # without skipping the transient (3x the reversed rates) every ranking flips
    whole = probe_responses(ds, ["probe_1", "probe_2"], settle=0.0)
    np.testing.assert_allclose(whole.values, [[3, 5], [2.5, 3.5], [0.85, 0.55], [6.5, 3.5]])
    assert float(phase_mean_rate(ds, "train_A").mean()) == 7.0
    with pytest.raises(ValueError, match="retention needs a task that was learned"):
        retention(acc.fillna(0), "B", "probe_1", "probe_2")
    assert float(retention(acc, "A", "probe_1", "probe_1")) == 1.0
    with pytest.raises(ValueError, match="phases"):
        probe_responses(ds, ["probe_9"])
    with pytest.raises(ValueError, match="population"):
        probe_responses(ds, ["probe_1"], population="hidden")


# ------------------------------------------------------------------------- learning
@pytest.fixture(scope="module")
def runs(build_cache):
    """Plain, consolidating and scaling-only runs of one build (run-time values only)."""
    settings = {"plain": {"patterns.drive.parameters.g_c": "0 Hz"},
                "consolidation": {"patterns.drive.parameters.g_c": "10 Hz"},
                # Hebbian term switched off (tau_hebb = 10^6 s): synaptic scaling alone
                "scaling": {"patterns.drive.parameters.g_c": "0 Hz",
                            "patterns.drive.parameters.tau_hebb": "1e6 s"}}
    return {name: bn.run("continual_learning", device="cpp_standalone", threads=1,
                         cache_dir=build_cache, settings=values)
            for name, values in settings.items()}


@pytest.mark.slow
def test_one_build_serves_every_condition(runs):
    assert runs["consolidation"].attrs["build_cache_hit"]
    assert runs["scaling"].attrs["build_cache_hit"]
    # before any learning the conditions are the same network (same seed, same data)
    first = runs["plain"]["time"] < 64 * 0.02
    xr.testing.assert_identical(runs["plain"]["r"].where(first, drop=True),
                                runs["consolidation"]["r"].where(first, drop=True))


@pytest.mark.slow
def test_plain_plasticity_forgets_task_a_and_consolidation_keeps_it(runs):
    plain, consolidated = (task_performance(runs[k]) for k in ("plain", "consolidation"))
    for acc in (plain, consolidated):
        # Task A learned and, later, task B learned: accuracy >= chance + 0.5 (measured
        # 1.0 for both tasks in both conditions; 32 probe rows per task, so one error
        # costs 0.03). Before training, chance level (measured 0.34 and 0.19).
        assert float(acc.sel(probe="probe_after_A", task="A")) >= CHANCE + 0.5
        assert float(acc.sel(probe="probe_after_B", task="B")) >= CHANCE + 0.5
        assert float(acc.sel(probe="probe_initial").max()) <= CHANCE + 0.2
    kept = {k: float(retention(acc, "A", "probe_after_A", "probe_after_B"))
            for k, acc in (("plain", plain), ("consolidation", consolidated))}
    # Plain: B's prototypes re-use the inputs of A_{k+1} and A_{k+2} with output k, so
    # after B an A pattern drives the wrong output: retention far below 1 (measured 0.0,
    # below chance/accuracy-after-A = 0.25). Consolidation: the hidden variable still
    # holds A when B is learned (time constant c_ratio/g_c = 6 s, one training phase), so
    # the weights mix A and B (measured retention 1.0; seeds 2-4: plain 0.15, 0.06, 0.03,
    # consolidation 0.91, 0.94, 1.0). Stated margins: plain < 0.5, consolidation higher
    # by at least 0.4.
    assert kept["plain"] < 0.5
    assert kept["consolidation"] >= kept["plain"] + 0.4


@pytest.mark.slow
def test_synaptic_scaling_holds_the_rate_at_its_target(runs):
    # Scaling alone: tau_scale dw/dt = w (1 - a/nu_target) multiplies all weights of an
    # output by one factor until the mean of a (the low-pass of the rate) is nu_target:
    # over a window T, ln w changes by (T - int a/nu_target)/tau_scale, so a stationary
    # weight means a mean detector rate of exactly nu_target. The weights start ~100x too
    # small (teacher alone: 2.5 Hz) and converge within ~2 s (ln w grows at 2.5/s).
    # Tolerance over the last half of each phase (T = 3 s): the detector lags the rate,
    # mean(r) - mean(a) = tau_rate (a(end) - a(start))/T, and a swings by ~10 Hz between
    # presentations (a target row drives the output at ~20 Hz, the others silence it):
    # up to 0.1 s * 10 Hz / 3 s = 0.33 Hz = 7 %; the fluctuating ln w adds a term of the
    # same kind. Measured deviations: 0.3-3.3 %.
    for phase in ("train_A", "train_B"):
        rate = phase_mean_rate(runs["scaling"], phase)
        np.testing.assert_allclose(rate.values, NU_TARGET, rtol=0.07, err_msg=str(rate.values))
    # With Hebbian learning the fixed point moves above the target by tau_scale times the
    # relative Hebbian growth rate of the weights: for the learned prototype (10 inputs at
    # 20 Hz, equal weights) a/nu_target - 1 = (tau_scale/tau_hebb) 10 (D + 10 Hz)/D with
    # (D + 10 Hz)/4 = a, i.e. 17.5 %; homeostasis still holds the rate within 25 % of the
    # target (measured 5.5-5.9 Hz for 5 Hz)
    for phase in ("train_A", "train_B"):
        rate = phase_mean_rate(runs["plain"], phase)
        assert np.all(rate.values > NU_TARGET) and np.all(rate.values < 1.25 * NU_TARGET)
