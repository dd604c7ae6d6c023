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
                           "--scale", "0.05", "--duration", "100 ms", "--out-dir", "out"],
                          capture_output=True, text=True, cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    ds = bn.load(chdir_tmp / "out" / "cuba.nc")
    assert ds.sizes["neuron"] == 200
    png = (chdir_tmp / "out" / "cuba.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


@pytest.mark.slow
def test_benchmark_script_tiny(chdir_tmp, build_cache):
    proc = subprocess.run([sys.executable, str(SCRIPTS / "benchmark_core.py"), "--scale", "0.1",
                           "--duration", "0.2", "--sweep", "2", "--repeats", "1",
                           "--json", "bench.json"],
                          capture_output=True, text=True, cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    assert "| (a) bioneuro cold" in proc.stdout
    data = json.loads((chdir_tmp / "bench.json").read_text())
    assert data["rows"]["(c) bioneuro warm cache"]["build_s"] < \
        data["rows"]["(a) bioneuro cold"]["build_s"]


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
