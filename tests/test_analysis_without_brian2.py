"""`bioneuro.analysis` works where Brian2 cannot be imported: a fresh interpreter whose
import system refuses brian2 loads every analysis module, reads a result file, computes
measures and draws a figure."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import importlib
    import importlib.abc
    import pkgutil
    import sys

    class NoBrian2(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "brian2" or name.startswith("brian2."):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, NoBrian2())
    try:
        import brian2  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("the blocker let brian2 through")

    import matplotlib
    matplotlib.use("Agg")
    import numpy as np
    import xarray as xr

    import bioneuro
    import bioneuro.analysis as analysis

    for module in pkgutil.iter_modules(analysis.__path__):
        importlib.import_module(f"bioneuro.analysis.{module.name}")

    times = np.array([0.1, 0.2, 0.3, 0.4, 0.15, 0.45])
    neurons = np.array([0, 0, 0, 0, 1, 1], dtype=np.int32)
    order = np.argsort(times, kind="stable")
    ds = xr.Dataset(
        {"spike_time": ("spike", times[order], {"units": "s"}),
         "spike_neuron": ("spike", neurons[order])},
        coords={"neuron": [0, 1], "population": ("neuron", ["E", "I"])},
        attrs={"duration_s": 0.5, "bioneuro_format": 1})
    path = sys.argv[1]
    bioneuro.save(ds, path + "/run.nc")
    loaded = bioneuro.load(path + "/run.nc")
    np.testing.assert_allclose(analysis.firing_rates(loaded), [8.0, 4.0])
    np.testing.assert_allclose(analysis.isi_cv(loaded)[0], 0.0, atol=1e-12)
    np.testing.assert_allclose(loaded.bioneuro.population_rates().sel(population="I"), 4.0)
    analysis.plot.raster(loaded, path=path + "/raster.png")
    blocked = sorted(m for m in sys.modules if m.split(".")[0] == "brian2")
    print("brian2 modules:", blocked)
    print("ok")
""")


def test_analysis_imports_and_runs_without_brian2(tmp_path):
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "brian2 modules: []" in proc.stdout and proc.stdout.rstrip().endswith("ok")
    assert (tmp_path / "raster.png").stat().st_size > 1000
