"""Checkpoint and continue: a run of 2T equals a run of T continued for T.

The circuit (tests/resume_circuit.py) has a deterministic part, which a continued run must
reproduce exactly, and a noisy part, whose continuation draws new random numbers (Brian2 does
not expose its generator state) and must agree statistically. Standalone: two builds (the
duration is compiled in), shared by every run of the module.
"""

import numpy as np
import pytest
from brian2.units import ms, second
from resume_circuit import resume_experiment

import bioneuro as bn
from bioneuro.checkpoint import concat, continuation_seed
from bioneuro.errors import ResultFileError, SpecError

T = 0.5 * second


def _split_and_full(tmp_path, device, duration, delay, **kwargs):
    """(uninterrupted run of 2*duration, first half, its continuation)."""
    full = bn.run(resume_experiment(2 * duration, delay, kick_stop=duration), device=device,
                  **kwargs)
    first = bn.run(resume_experiment(duration, delay), device=device, save_state=True,
                   **kwargs)
    path = bn.save(first, tmp_path / f"first_{device}_{float(delay / ms):g}.nc")
    second_half = bn.run(resume_experiment(duration, delay), device=device, resume_from=path,
                         **kwargs)
    return full, first, second_half


def _projection(ds, name):
    return ds.weight.values[(ds.synapse_projection == name).values]


def _spikes(ds, population):
    mask = (ds.population.values[ds.spike_neuron.values] == population)
    return ds.spike_time.values[mask], ds.spike_neuron.values[mask]


# --------------------------------------------------------------------------- runtime
@pytest.fixture(scope="module")
def runtime_runs(tmp_path_factory):
    return _split_and_full(tmp_path_factory.mktemp("runtime"), "runtime", 50 * ms, 0 * ms)


def test_runtime_continuation_reproduces_the_deterministic_part(runtime_runs):
    full, first, second_half = runtime_runs
    assert second_half.attrs["t_start_s"] == pytest.approx(0.05)
    assert second_half.attrs["resume_segment"] == 1
    # no random number after connecting: the same arithmetic in the same order, so equal
    assert np.array_equal(_projection(full, "det"), _projection(second_half, "det"))
    joined = concat([first, second_half])
    assert np.array_equal(_spikes(full, "target")[0], _spikes(joined, "target")[0])
    assert np.array_equal(full.v.values, joined.v.values)
    assert np.array_equal(full.time.values, joined.time.values)


def test_resume_refuses_a_different_structure(runtime_runs, tmp_path):
    full, first, _ = runtime_runs
    path = bn.save(first, tmp_path / "state.nc")
    exp = resume_experiment(50 * ms)
    bigger = exp.replace(circuit=exp.circuit.replace(populations=tuple(
        p.replace(size=6) if p.name == "noisy_target" else p
        for p in exp.circuit.populations)))
    with pytest.raises(SpecError, match="population 'noisy_target' has 5 neurons there, 6"):
        bn.run(bigger, resume_from=path)
    static = exp.replace(circuit=exp.circuit.replace(projections=tuple(
        p.replace(synapse="static") if p.name == "det" else p
        for p in exp.circuit.projections)))
    with pytest.raises(SpecError, match=r"projections\[det\]\.synapse"):
        bn.run(static, resume_from=path)
    with pytest.raises(SpecError, match="seed of the saved run"):
        bn.run(exp, resume_from=path, seed=12)
    no_state = bn.save(full, tmp_path / "no_state.nc")  # run without save_state
    with pytest.raises(ResultFileError, match="no final state"):
        bn.run(exp, resume_from=no_state)


def test_final_state_is_saved_with_units_and_reads_back(runtime_runs, tmp_path):
    _, first, _ = runtime_runs
    back = bn.load(bn.save(first, tmp_path / "state.nc"))
    w = back["final_state__syn_det__w"]
    assert w.attrs["units"] == "A" and w.attrs["brian_variable"] == "w"
    # the saved weights are the run's final weights (recording.connectivity)
    assert np.array_equal(w.values, _projection(first, "det"))
    assert "final_state__syn_det__lastupdate" in back and "final_state__syn_det__apre" in back
    assert back.attrs["final_state_t_s"] == pytest.approx(0.05)


# --------------------------------------------------------------------------- standalone
@pytest.fixture(scope="module")
def standalone_runs(tmp_path_factory, build_cache):
    folder = tmp_path_factory.mktemp("standalone")
    kwargs = {"cache_dir": build_cache, "threads": 1}
    runs = {delay: _split_and_full(folder, "cpp_standalone", T, delay * ms, **kwargs)
            for delay in (0, 2)}
    # seed-to-seed spread of the uninterrupted run (the same binary: the seed is run time)
    runs["seeds"] = [bn.run(resume_experiment(2 * T, kick_stop=T), device="cpp_standalone",
                            seed=seed, **kwargs) for seed in (12, 13, 14, 15)]
    return runs


@pytest.mark.slow
def test_continued_run_reuses_the_binary_and_continues_the_time_axis(standalone_runs):
    full, first, second_half = standalone_runs[0]
    assert second_half.attrs["build_dir"] == first.attrs["build_dir"]
    assert second_half.attrs["build_cache_hit"] == 1
    assert second_half.time.values[0] == pytest.approx(float(T))
    assert second_half.spike_time.values.min() >= float(T)
    joined = concat([first, second_half])
    assert np.array_equal(joined.time.values, full.time.values)
    assert np.array_equal(joined.rate_time.values, full.rate_time.values)
    assert second_half.attrs["resume_seed"] == continuation_seed(11, 1)


@pytest.mark.slow
def test_continued_run_equals_uninterrupted_run(standalone_runs):
    full, first, second_half = standalone_runs[0]
    # connectivity: regenerated from the seed, exactly (every projection)
    for coord in ("synapse_pre", "synapse_post", "synapse_projection"):
        assert np.array_equal(full[coord].values, second_half[coord].values)
    # deterministic part (zero delay, no random numbers): bit for bit
    assert np.array_equal(_projection(full, "det"), _projection(second_half, "det"))
    joined = concat([first, second_half])
    assert np.array_equal(_spikes(full, "target")[0], _spikes(joined, "target")[0])
    assert np.array_equal(full.v.values, joined.v.values)
    # noisy part: the continuation's noise is a new draw, so its mean weight and rate
    # differ from the uninterrupted run's as two seeds do; sigma is the seed-to-seed
    # spread of the uninterrupted run, and only half the run is redrawn, so 4 sigma
    # bounds the difference of two independent draws (sqrt(2) sigma) with a margin
    seeds = standalone_runs["seeds"]
    sigma_w = np.std([_projection(d, "noisy").mean() for d in seeds], ddof=1)
    diff_w = abs(_projection(full, "noisy").mean() - _projection(second_half, "noisy").mean())
    assert diff_w < 4 * sigma_w

    def rate(ds):
        return ds.population_rate.sel(rate_population="noisy_target").mean().item()

    sigma_r = np.std([rate(d) for d in seeds], ddof=1)
    assert abs(rate(full) - rate(joined)) < 4 * sigma_r
    print(f"noisy mean weight: |split - full| = {diff_w:.3g} A, seed sigma {sigma_w:.3g} A; "
          f"rate: |split - full| = {abs(rate(full) - rate(joined)):.3g} Hz, "
          f"seed sigma {sigma_r:.3g} Hz")


@pytest.mark.slow
def test_spikes_in_flight_are_lost_at_the_boundary(standalone_runs):
    full, first, second_half = standalone_runs[2]
    # spikes emitted in the last 2 ms of the first run are in Brian2's spike queue, which
    # is not state: their effect on the deterministic part is the whole discrepancy
    t_end = float(T)
    pre_times, _ = _spikes(first, "drive")
    in_flight = np.sum(pre_times > t_end - 0.002)
    diff = np.abs(_projection(full, "det") - _projection(second_half, "det"))
    w_max = 100e-12
    print(f"delay 2 ms: {in_flight} spikes in flight, weight discrepancy max "
          f"{diff.max() / w_max:.3g} w_max, mean {diff.mean() / w_max:.3g} w_max")
    assert in_flight > 0 and diff.max() > 0
    # with zero delay (test above) the same circuit is exact, so the discrepancy is the
    # lost spikes' doing; it stays a small fraction of the weight range
    assert diff.mean() < 0.02 * w_max
