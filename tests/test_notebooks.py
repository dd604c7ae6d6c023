"""The notebooks in notebooks/ run top to bottom (at a small scale) so they never rot.

Small-scale values are appended to each notebook's cell tagged ``parameters``; its own
assertions (measures against identities and closed forms) then run in the kernel.
"""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

SMALL = {
    "balanced_network_analysis.ipynb": {"SCALE": 0.1, "DURATION_MS": 1000,
                                        "DEVICE": "runtime", "SEED": 1},
    "characterisation_and_stdp.ipynb": {"N_AMPLITUDES": 17, "DEVICE": "runtime"},
}
FIGURES = {
    "balanced_network_analysis.ipynb": ["raster_rates.png", "rate_histogram.png",
                                        "cv_histogram.png", "spectrum.png",
                                        "correlations.png", "traces.png"],
    "characterisation_and_stdp.ipynb": ["f_i_curves.png", "psps.png", "stdp_window.png"],
}


def test_every_notebook_has_small_parameters():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(SMALL)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SMALL))
def test_notebook_runs(name, tmp_path, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "one cell tagged 'parameters'"
    values = {**SMALL[name], "OUT_DIR": str(tmp_path / "out")}
    tagged[0].source += "".join(f"\n{key} = {value!r}" for key, value in values.items())
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors
    for figure in FIGURES[name]:
        assert (tmp_path / "out" / figure).stat().st_size > 5000, figure
    assert os.listdir(tmp_path / "out")
