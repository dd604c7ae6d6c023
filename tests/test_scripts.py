"""The scripts in scripts/ run (at a tiny scale) so they never rot."""

import json
import subprocess
import sys
from pathlib import Path

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
    assert "| bioneuro cpp_standalone, warm cache | 200 |" in proc.stdout
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
