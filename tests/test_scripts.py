"""The scripts in scripts/ run (at a tiny scale) so they never rot."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import bioneuro as bn

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_demo_runs_and_writes_netcdf_and_figure(chdir_tmp):
    proc = subprocess.run([sys.executable, str(SCRIPTS / "demo.py"), "--device", "runtime",
                           "--experiment", "cuba", "--scale", "0.05", "--duration", "100 ms",
                           "--out-dir", "out"],
                          capture_output=True, text=True, cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    ds = bn.load(chdir_tmp / "out" / "cuba.nc")
    assert ds.sizes["neuron"] == 200
    png = (chdir_tmp / "out" / "cuba.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


@pytest.mark.slow
def test_default_demo_is_the_multi_region_loop(chdir_tmp, build_cache, monkeypatch):
    """The README's demo (default experiment) on the shared build of the loop's test."""
    monkeypatch.setenv("BIONEURO_CACHE_DIR", str(build_cache))
    proc = subprocess.run([sys.executable, str(SCRIPTS / "demo.py"), "--out-dir", "out"],
                          capture_output=True, text=True, cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    ds = bn.load(chdir_tmp / "out" / "sensorimotor_loop.nc")
    assert sorted(set(ds.neuron.region.values)) == ["cerebellum", "cortex", "pons",
                                                    "spinal_cord", "thalamus"]
    assert "spinal_cord" in proc.stdout and "command (Hz)" in proc.stdout


@pytest.mark.slow
def test_benchmark_suite_tiny(chdir_tmp, build_cache):
    """scripts/benchmark.py end to end on a 200-neuron CUBA network and small result files.

    The hand-written Brian2 cpp_standalone rows are skipped here (a second compilation of
    ~30 s); the hand-written script still runs, in Brian2's runtime mode.
    """
    proc = subprocess.run([sys.executable, str(SCRIPTS / "benchmark.py"), "--only", "cuba,io",
                           "--scale", "0.05", "--duration", "0.5", "--skip",
                           "brian2_standalone", "--cache-dir", str(build_cache),
                           "--json", "bench.json"],
                          capture_output=True, text=True, cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    assert "| bioneuro cpp_standalone, warm cache | 1 | 200 |" in proc.stdout  # seed 1
    data = json.loads((chdir_tmp / "bench.json").read_text())
    rows = {row["run"]: row for row in data["families"]["cuba"]["rows"]}
    cold, warm = (rows[f"bioneuro cpp_standalone, {c} cache"] for c in ("cold", "warm"))
    reference = rows["hand-written Brian2 runtime (numpy)"]
    # the warm run re-uses the binary, and the same seed gives the same network and spikes
    assert warm["cache_hit"] and warm["build_s"] < 1.0
    assert (warm["rate_E_Hz"], warm["rate_I_Hz"]) == (cold["rate_E_Hz"], cold["rate_I_Hz"])
    for row in (cold, warm, reference):
        assert row["neurons"] == 200
        assert row["build_s"] + row["simulation_s"] <= row["total_s"]
        assert row["peak_rss_MiB"] > 50  # a Python process with Brian2 imported
    # bioneuro against the independent hand-written network (a different random realisation):
    # over 8 seeds of this 200-neuron network the E rate ranged 3.1-8.8 Hz and the I rate
    # 4.6-6.1 Hz (NEST, 0.5 s), so single runs agree within a factor of 2; an error in a
    # weight's sign or size silences the network or makes it fire at > 50 Hz
    nest = [row for run, row in rows.items() if run.startswith("NEST")]
    assert len(nest) == 1 and "unavailable" not in nest[0], nest  # the test extra has NEST
    for other in (reference, nest[0]):
        for pop in ("E", "I"):
            ratio = cold[f"rate_{pop}_Hz"] / other[f"rate_{pop}_Hz"]
            assert 0.5 < ratio < 2.0, (other["run"], pop, ratio)
    # I/O: every codec reads back identical; compressed files are smaller than the data
    io = {(row["run"], row["compression"]): row for row in data["families"]["io"]["rows"]}
    assert len(io) == 6 and all(row["identical"] for row in io.values())
    spikes = io[("5e+04 spikes", "zlib")]  # float64 time + int32 neuron
    assert spikes["file_MB"] < spikes["data_MB"] == pytest.approx(5e4 * 12 / 1e6)
    assert {c["target"].split(",")[0] for c in data["checks"]} >= {
        "cuba 0.5 s: bioneuro warm total / NEST total", "netCDF write"}


def test_cell_gallery_script_runtime(chdir_tmp):
    """The gallery on two cheap cells (the full catalogue runs in the cell-type tests)."""
    proc = subprocess.run([sys.executable, str(SCRIPTS / "cell_gallery.py"),
                           "cortex_pv_fs", "cerebellum_granule", "--device", "runtime",
                           "--n-amplitudes", "3", "--out-dir", "g"],
                          capture_output=True, text=True, cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    assert "wrote 2 figures" in proc.stdout
    ds = bn.load(chdir_tmp / "g" / "cerebellum_granule.nc")
    assert ds.sizes["amplitude"] == 3 and ds["fi_rate"].attrs["units"] == "Hz"
    assert (chdir_tmp / "g" / "cortex_pv_fs.png").read_bytes()[:4] == b"\x89PNG"


def _benchmark_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark", SCRIPTS / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("model", ["cuba", "cobahh"])
def test_reference_per_projection_variant_is_the_same_network(model, tmp_path):
    """brian2_reference.py --projections (one Synapses per projection, a shared weight each)
    builds the network of Brian2's example: the same connection probability (in-degree 64 E
    + 16 I onto each of the 400 neurons) and, for the same seed, statistically the same
    activity (runtime mode, 0.1 s)."""
    out = {}
    for variant in ([], ["--projections"]):
        proc = subprocess.run([sys.executable, str(SCRIPTS / "brian2_reference.py"), "--model",
                               model, "--scale", "0.1", "--duration", "0.1", "--device",
                               "runtime", *variant], capture_output=True, text=True,
                              cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        out[bool(variant)] = json.loads(proc.stdout.strip().splitlines()[-1])
    for data in out.values():
        assert (data["n_E"], data["n_I"]) == (320, 80)
        for pre, n_pre in (("E", 320), ("I", 80)):
            # Bernoulli(p = 0.2) over n_pre x 400 pairs: within 5 standard deviations
            expected = 0.2 * n_pre * 400
            assert abs(data["n_synapses"][pre] - expected) < 5 * np.sqrt(expected * 0.8)
    for pop in ("E", "I"):  # different realisations: rates agree within a factor of 2
        rates = [out[v][f"rate_{pop}_Hz"] for v in (False, True)]
        assert min(rates) > 0 and max(rates) < 2 * min(rates), (pop, rates)


def test_benchmark_synaptic_events():
    """Synaptic events: each source population's spikes times its mean out-degree."""
    bench = _benchmark_module()
    reference = {"n_spikes_E": 10, "n_spikes_I": 4, "n_E": 32, "n_I": 8,
                 "n_synapses": {"E": 640, "I": 160}}  # out-degrees 20 and 20
    assert bench.synaptic_events(reference) == 10 * 20 + 4 * 20
    reference["n_synapses"]["I"] = 40  # out-degree 5
    assert bench.synaptic_events(reference) == 200 + 4 * 5
    assert bench.synaptic_events({"synaptic_events": 7.0}) == 7.0  # bioneuro counts its own


def test_benchmark_microcircuit_rows_and_memory_estimate():
    """The microcircuit family's table row and memory estimate (no simulation)."""
    from bioneuro.regions.potjans_diesmann import FULL_SIZES, POPULATIONS, in_degrees

    bench = _benchmark_module()
    assert bench.PD14_POPULATIONS == POPULATIONS
    # expected synapses: sum of in-degree x post size (PD14 Eq. 1 with the template's
    # rounding; at full scale ~0.3 billion, Potjans & Diesmann 2014 Table 5)
    for scale in (0.1, 1.0):
        sizes = np.array([max(1, round(n * scale)) for n in FULL_SIZES.values])
        expected = float((in_degrees(scale).values * sizes[:, None]).sum())
        synapses, memory = bench.microcircuit_memory_estimate(scale)
        assert synapses == pytest.approx(expected, rel=1e-3)
        assert memory == synapses * bench.BYTES_PER_SYNAPSE + bench.BASE_MEMORY
    assert 2.9e8 < bench.microcircuit_memory_estimate(1.0)[0] < 3.1e8
    reference = dict.fromkeys(POPULATIONS, 4.0)
    rates = dict(reference, L5E=2.0, L6I=6.0)  # ratios 2 (below) and 1.5 (above)
    row = bench.microcircuit_row(
        0.1, 0.5, {"build_s": 30.0, "process_s": 40.0, "peak_rss_MiB": 500.0},
        {"neurons": 7717, "n_synapses": 3e6, "simulation_s": 1.5, "n_spikes": 10,
         "rates": rates, "process_s": 5.0, "peak_rss_MiB": 200.0}, reference)
    assert row["real_time_factor"] == 3.0 and row["total_s"] == 45.0
    assert row["max_rate_ratio"] == 2.0 and row["rate_L6I_Hz"] == 6.0
    with pytest.raises(SystemExit):  # no rates after the 0.2 s transient
        bench.main(["--only", "microcircuit", "--microcircuit-duration", "0.2"])
