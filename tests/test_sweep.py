"""Parameter sweeps (`bioneuro.sweep`, in `bioneuro.parameter_sweep`), the memory estimate
and refusal (`bioneuro.memory`) and chunked result files (`bioneuro.storage`).

The standalone tests share the cpp_standalone build of `lif_dc.lif_dc_experiment` (also used
by tests/test_standalone.py): sweeping ``P0.I_ext`` and the seed only changes run-time
values. Swept population sizes add one build (P0 with 2 neurons).
"""

import json

import numpy as np
import pytest
import xarray as xr
from brian2.units import Hz, nA
from lif_dc import TAU_REF, first_spike_time, lif_dc_experiment

import bioneuro as bn
from bioneuro.cli import _parse_sweep_parameters, main
from bioneuro.memory import RecordingTooLargeError, recording_estimate
from bioneuro.parameter_sweep import SweepWarning, sweep, sweep_point
from bioneuro.simulate import apply_settings
from bioneuro.storage import chunk_shape

CURRENTS = (0.7 * nA, 0.8 * nA, 0.9 * nA)
SEEDS = [1, 2]
# P0 starts anywhere below threshold, drawn from the seed: its first spike depends on the
# seed, its inter-spike interval (reset to E_L) does not
NOISY_START = {"P0.v": {"kind": "uniform", "low": "-70 mV", "high": "-56 mV"}}


def _experiment():
    return apply_settings(lif_dc_experiment(), NOISY_START)


def _data(ds):
    """The simulated data of a sweep result (not the run timings and counts)."""
    data = ds[["spike_time", "spike_neuron", "v", "n_spike", "error"]]
    data.attrs = {}
    return data


@pytest.fixture(scope="module")
def current_sweep(build_cache, tmp_path_factory):
    folder = tmp_path_factory.mktemp("current_sweep")
    return sweep(_experiment(), {"P0.I_ext": CURRENTS}, seeds=SEEDS, device="cpp_standalone",
                 cache_dir=build_cache, output_dir=folder)


# --------------------------------------------------------------------------- layout, input
def test_with_one_finished_point_the_data_keep_their_sweep_dims():
    """A failed point must not make the finished point's spikes look like every point's:
    data variables stay on the sweep dims (the failed point is fill, n_spike 0)."""
    with pytest.warns(SweepWarning, match=r"1 of 2 sweep points failed"):
        ds = sweep(_experiment(), {"P0.size": [1, 0]}, seeds=[3], device="runtime")
    assert ds["spike_time"].dims == ("P0_size", "seed", "spike")
    assert ds["v"].dims[:2] == ("P0_size", "seed")
    failed = ds["spike_time"].sel(P0_size=0, seed=3)
    assert bool(failed.isnull().all())
    n = ds["n_spike"].sel(seed=3)
    assert int(n.sel(P0_size=0)) == 0 and int(n.sel(P0_size=1)) > 0
    point = sweep_point(ds, P0_size=1)
    assert point.sizes["spike"] == int(n.sel(P0_size=1))
    assert not np.isnan(point["spike_time"].values).any()


def test_bad_sweep_definitions_are_refused_naming_the_field():
    exp = _experiment()
    with pytest.raises(bn.SpecError, match=r"parameters\.P0\.I_ext.*one unit"):
        sweep(exp, {"P0.I_ext": [0.5 * nA, "3 ms"]}, device="runtime")
    with pytest.raises(bn.SpecError, match=r"parameters\.P0\.I_ext.*distinct values"):
        sweep(exp, {"P0.I_ext": ["0.5 nA", 0.5 * nA]}, device="runtime")
    with pytest.raises(bn.SpecError, match=r"parameters: got 'seed'.*seeds="):
        sweep(exp, {"seed": [1, 2]}, device="runtime")
    with pytest.raises(bn.SpecError, match="seeds.*distinct integers"):
        sweep(exp, {"P0.I_ext": CURRENTS}, seeds=[1, 1], device="runtime")
    with pytest.raises(bn.SpecError, match="workers.*integer >= 1"):
        sweep(exp, {"P0.I_ext": CURRENTS}, workers=0, device="runtime")
    with pytest.raises(bn.UnknownNameError, match="device.*cpp_standalone"):
        sweep(exp, {"P0.I_ext": CURRENTS}, device="gpu")


def test_cli_parameter_syntax():
    assert _parse_sweep_parameters(["E.tau_m=10ms,20ms, 30 ms", "E.size=100,200"]) == {
        "E.tau_m": ["10ms", "20ms", "30 ms"], "E.size": [100, 200]}
    with pytest.raises(bn.SpecError, match="--param.*NAME=V1,V2"):
        _parse_sweep_parameters(["E.tau_m"])
    # input errors exit with status 2 before anything runs
    assert main(["sweep", "no_such_experiment", "--param", "E.tau_m=10ms"]) == 2


# --------------------------------------------------------------------------- memory
def test_memory_refusal_names_the_estimate_limit_and_remedies():
    exp = _experiment()
    # state: 500 samples (50 ms / 0.1 ms) x (3 recorded v + the time axis) x 8 B = 16 kB;
    # spikes at the default 100 Hz: 3 neurons x 100 Hz x 0.05 s x 12 B = 180 B
    estimate = recording_estimate(exp)
    assert estimate["state"] == 500 * 4 * 8
    assert estimate["spikes"] == pytest.approx(3 * 100 * 0.05 * 12)
    with pytest.raises(RecordingTooLargeError) as info:
        bn.run(exp, device="runtime", max_memory="10 kB")
    message = str(info.value)
    assert "max_memory: got '10 kB'" in message
    assert "16 kB" in message and "state 16 kB" in message  # the estimate, by part
    assert "recording.state_dt" in message and "raise max_memory" in message
    # each of the 6 points fits in 40 kB (peak 2 x 16.2 kB), all of them together do not
    with pytest.raises(RecordingTooLargeError, match=r"the combined sweep \(6 points\)"):
        sweep(exp, {"P0.I_ext": CURRENTS}, seeds=SEEDS, device="runtime", max_memory=40e3)
    with pytest.raises(bn.SpecError, match="max_memory.*'4 GB'"):
        bn.run(exp, device="runtime", max_memory="four")


# --------------------------------------------------------------------------- chunked files
def test_chunk_shape_by_hand():
    # 8 kB chunks: a 1-d float64 array in runs of 1024 values; (time, neuron) float64 with
    # 5 neurons (40 B per row) in slabs of 8192 // 40 = 204 rows; rows too long for one
    # chunk are split along their last axis, earlier axes in steps of 1
    assert chunk_shape((10_000,), 8, 8192) == (1024,)
    assert chunk_shape((2000, 5), 8, 8192) == (204, 5)
    assert chunk_shape((3, 4, 5000), 8, 8192) == (1, 1, 1024)
    assert chunk_shape((10, 5), 8, 8192) == (10, 5)


def test_chunked_file_opens_lazily_equal_to_eager_load(tmp_path):
    rng = np.random.default_rng(0)
    n_spikes, n_time = 10_000, 2000
    ds = xr.Dataset(
        {"spike_time": ("spike", np.sort(rng.uniform(0, 1, n_spikes)), {"units": "s"}),
         "spike_neuron": ("spike", rng.integers(0, 5, n_spikes).astype(np.int32)),
         "v": (("time", "recorded_neuron"), rng.normal(-0.065, 0.005, (n_time, 5)),
               {"units": "V"})},
        coords={"time": ("time", np.arange(n_time) * 1e-4, {"units": "s"})},
        attrs={"bioneuro_format": 1})
    path = bn.save(ds, tmp_path / "big.nc", chunk_bytes=8192)
    lazy = bn.open_lazy(path)
    # stored chunks as computed by hand in test_chunk_shape_by_hand (int32: 2048 per chunk)
    assert lazy["spike_time"].encoding["chunksizes"] == (1024,)
    assert lazy["spike_neuron"].encoding["chunksizes"] == (2048,)
    assert lazy["v"].encoding["chunksizes"] == (204, 5)
    assert lazy["spike_time"].chunks == ((1024,) * 9 + (784,),)  # dask follows the file
    assert lazy["v"].chunks[0] == (204,) * 9 + (164,)
    eager = bn.load(path)
    assert lazy.compute().identical(eager)
    assert eager.identical(ds)


# --------------------------------------------------------------------------- standalone sweeps
@pytest.mark.slow
def test_sweep_builds_once_and_equals_individual_runs(current_sweep, build_cache):
    ds = current_sweep
    assert ds.sizes["P0_I_ext"] == 3 and ds.sizes["seed"] == 2
    assert ds["P0_I_ext"].attrs["units"] == "A" and ds["P0_I_ext"].attrs["setting"] == \
        "P0.I_ext"
    np.testing.assert_allclose(ds["P0_I_ext"], [0.7e-9, 0.8e-9, 0.9e-9], rtol=1e-12)
    # one structure, built before the points ran: every point found the binary in the cache
    assert ds.attrs["sweep_structures"] == 1 and ds.attrs["sweep_failed"] == 0
    assert len(set(ds["build_dir"].values.ravel())) == 1
    assert (ds["build_cache_hit"] == 1).all()
    for k, current in enumerate(CURRENTS):
        for seed in SEEDS:
            single = bn.run(_experiment(), device="cpp_standalone", cache_dir=build_cache,
                            settings={"P0.I_ext": current}, seed=seed)
            point = sweep_point(ds, P0_I_ext=float(ds["P0_I_ext"][k]), seed=seed)
            assert single.attrs["build_dir"] == point.attrs["build_dir"]
            for name in ("spike_time", "spike_neuron", "v", "population"):
                np.testing.assert_array_equal(point[name].values, single[name].values)
            assert point.attrs["experiment_hash"] == single.attrs["experiment_hash"]


@pytest.mark.slow
def test_sweep_points_follow_the_lif_closed_form(current_sweep):
    ds = current_sweep
    dt = 1e-4
    rates = []
    for k, current in enumerate(CURRENTS):
        point_rates = []
        for seed in SEEDS:
            point = sweep_point(ds, P0_I_ext=float(ds["P0_I_ext"][k]), seed=seed)
            times = point["spike_time"].values[point["spike_neuron"].values == 0]
            # after each reset to E_L the period is tau_ref + t* (Lapicque; see lif_dc.py);
            # Brian2 stamps a spike with the start of the step in which v crosses, so every
            # spike time lies within one step before the true crossing and each interval
            # within one step of the period
            period = float(TAU_REF) + first_spike_time(float(current / nA))
            isi = np.diff(times)
            assert len(isi) >= 4
            assert np.all(np.abs(isi - period) < dt + 1e-9), (current, seed, isi, period)
            point_rates.append(len(times))
        rates.append(np.mean(point_rates))
    # a stronger current drives P0 faster (f-I curve is monotonic above rheobase)
    assert rates[0] < rates[1] < rates[2]
    # the seed draws P0's start: its first spike moves; P1 and P2 (fixed start) never change
    first = ds["spike_time"].where(ds["spike_neuron"] == 0).min("spike")
    assert np.all(first.sel(seed=1).values != first.sel(seed=2).values)
    others = ds["spike_time"].where(ds["spike_neuron"] > 0)
    reference = others.isel(P0_I_ext=0, seed=0).dropna("spike").values
    for k in range(3):
        for j in range(2):
            np.testing.assert_array_equal(others.isel(P0_I_ext=k, seed=j).dropna("spike"),
                                          reference)


@pytest.mark.slow
def test_memory_estimate_matches_the_recorded_bytes(current_sweep):
    point = sweep_point(current_sweep, P0_I_ext=0.7e-9, seed=1)
    exp = bn.Experiment.from_dict(json.loads(point.attrs["experiment"]))
    n_spikes = point.sizes["spike"]
    duration = point.attrs["duration_s"]
    estimate = recording_estimate(exp, expected_rate=n_spikes / (3 * duration) * Hz)
    assert estimate["state"] == point["v"].nbytes + point["time"].nbytes
    assert estimate["spikes"] == pytest.approx(point["spike_time"].nbytes +
                                               point["spike_neuron"].nbytes, rel=1e-12)


@pytest.mark.slow
def test_process_pool_gives_identical_data(current_sweep, build_cache):
    pooled = sweep(_experiment(), {"P0.I_ext": CURRENTS}, seeds=SEEDS,
                   device="cpp_standalone", cache_dir=build_cache, workers=2)
    xr.testing.assert_identical(_data(pooled), _data(current_sweep))


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_data(current_sweep, build_cache):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = sweep(_experiment(), {"P0.I_ext": CURRENTS}, seeds=SEEDS,
                        device="cpp_standalone", cache_dir=build_cache, client=client)
    xr.testing.assert_identical(_data(on_dask), _data(current_sweep))


@pytest.mark.slow
def test_sizes_build_once_each_failures_are_kept_and_reruns_resume(build_cache, tmp_path):
    def run_sweep():
        with pytest.warns(SweepWarning, match=r"1 of 3 sweep points failed"):
            return sweep(_experiment(), {"P0.size": [1, 2, 0]}, device="cpp_standalone",
                         cache_dir=build_cache, output_dir=tmp_path)

    ds = run_sweep()
    # size 0 fails its validation; 1 and 2 are two structures with one build each
    assert ds.attrs["sweep_structures"] == 2 and ds.attrs["sweep_completed"] == 2
    assert len(set(ds["build_dir"].sel(P0_size=[1, 2]).values.ravel())) == 2
    error = str(ds["error"].sel(P0_size=0, seed=3).item())
    assert "populations.P0.size: got 0; an integer >= 1" in error
    failures = json.loads(ds.attrs["sweep_failures"])
    assert failures == [{"values": {"P0.size": "0"}, "seed": 3, "error": error}]
    assert list(ds["n_neuron"].values.ravel()) == [3, 4, 0]
    # the neuron dimension is padded: P0's second neuron exists only at size 2
    assert list(ds["population"].sel(P0_size=2, seed=3).values) == ["P0", "P0", "P1", "P2"]
    assert list(ds["population"].sel(P0_size=1, seed=3).values) == ["P0", "P1", "P2", ""]
    two = sweep_point(ds, P0_size=2)
    period = float(TAU_REF) + first_spike_time(0.5)  # P0's current in lif_dc_experiment
    for neuron in (0, 1):
        isi = np.diff(two["spike_time"].values[two["spike_neuron"].values == neuron])
        assert len(isi) >= 2 and np.all(np.abs(isi - period) < 1e-4 + 1e-9)  # as above
    # P1 (neuron id 2 at size 2, 1 at size 1) fires the same train in both structures
    one = sweep_point(ds, P0_size=1)
    np.testing.assert_array_equal(two["spike_time"].values[two["spike_neuron"].values == 2],
                                  one["spike_time"].values[one["spike_neuron"].values == 1])

    files = sorted(tmp_path.glob("point-*.nc"))
    assert len(files) == 2
    stamps = {f: f.stat().st_mtime_ns for f in files}
    again = run_sweep()
    # resumed: both finished points are read back, nothing is built or run again (the point
    # files are untouched and their recorded run times are the first run's)
    assert again.attrs["sweep_resumed"] == 2 and again.attrs["sweep_builds"] == 0
    assert {f: f.stat().st_mtime_ns for f in tmp_path.glob("point-*.nc")} == stamps
    xr.testing.assert_identical(again["time_run_s"], ds["time_run_s"])
    xr.testing.assert_equal(again[["spike_time", "v", "error"]],
                            ds[["spike_time", "v", "error"]])


@pytest.mark.slow
def test_cli_sweep_writes_the_same_points(current_sweep, build_cache, tmp_path, capsys):
    spec = tmp_path / "lif_dc.yaml"
    spec.write_text(_experiment().to_yaml())
    out = tmp_path / "sweep.nc"
    status = main(["sweep", str(spec), "--param", "P0.I_ext=0.7nA,0.9nA", "--seeds", "2",
                   "--device", "cpp_standalone", "--cache-dir", str(build_cache),
                   "--output", str(out)])
    assert status == 0
    assert "2 of 2 points finished" in capsys.readouterr().out
    ds = bn.load(out)
    for current in (0.7e-9, 0.9e-9):
        np.testing.assert_array_equal(
            sweep_point(ds, P0_I_ext=current, seed=2)["spike_time"].values,
            sweep_point(current_sweep, P0_I_ext=current, seed=2)["spike_time"].values)

    # `bioneuro info` lists every point with its populations' rates (spike count of the
    # point / duration, read back independently here); `plot` draws the point --point names
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for current in (0.7e-9, 0.9e-9):
        point = sweep_point(ds, P0_I_ext=current, seed=2)
        rate = np.sum(point["spike_neuron"].values == 0) / point.attrs["duration_s"]
        row = next(line.split() for line in lines if line.split()[:2] == [f"{current:g}", "2"])
        assert float(row[2]) == pytest.approx(rate, abs=0.01)
    assert main(["plot", str(out), "-o", str(tmp_path / "all.png")]) != 0
    assert "--point" in capsys.readouterr().err
    assert main(["plot", str(out), "--point", "P0_I_ext=9e-10", "-o",
                 str(tmp_path / "point.png")]) == 0
    assert (tmp_path / "point.png").stat().st_size > 0
