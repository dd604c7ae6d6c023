"""Docs of the model library: generated docstrings agree with the metadata, and the CLI lists
and characterises models (runtime target)."""

import re
import subprocess
import sys

import bioneuro.models  # noqa: F401  (registers everything)
import numpy as np
import pytest
import xarray as xr

from bioneuro import registry

ENTRY = re.compile(r"^(\w+) : (.+?) \[(.+?)\], range \[(.+?), (.+?)\]")


def _documented(doc):
    """name -> default (a number in the parameter's unit) read back from the docstring."""
    section = doc.split("Parameters\n----------\n", 1)[1].split("\n\n", 1)[0]
    table = {}
    for line in section.splitlines():
        match = ENTRY.match(line)
        if match:
            # the number, in the parameter's own unit (given in brackets)
            table[match.group(1)] = float(match.group(2).split()[0])
    return table


@pytest.mark.parametrize("kind", ["models", "synapses"])
def test_docstring_parameter_tables_match_metadata(kind):
    checked = 0
    for name, spec in registry.entries(kind).items():
        if not spec.parameters:
            continue
        table = _documented(spec.__doc__)
        assert list(table) == list(spec.parameters), name
        for par_name, par in spec.parameters.items():
            expected = float(np.asarray(par.default / par.brian_unit))
            np.testing.assert_allclose(table[par_name], expected, rtol=1e-5,
                                       err_msg=f"{name}.{par_name}")
        assert spec.description.splitlines()[0] in spec.__doc__
        checked += 1
    assert checked >= 10


def test_cell_docstrings_name_model_region_and_observable():
    cells = registry.entries("cells")
    assert len(cells) >= 14
    for name, cell in cells.items():
        doc = cell.__doc__
        assert f"Model ``{cell.model.name}`` in region ``{cell.region}``" in doc, name
        assert cell.reproduces and cell.reproduces in doc, name
        assert cell.references, f"cell {name} cites no source"
        for par_name in cell.parameters:
            assert f"\n{par_name} = " in doc, (name, par_name)


def _cli(*args, cwd=None):
    exe = [sys.executable, "-m", "bioneuro", *args]
    return subprocess.run(exe, capture_output=True, text=True, cwd=cwd, timeout=600)


def test_list_models_and_cells_show_tags_and_descriptions():
    out = _cli("list", "models")
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.strip().startswith("lif_curr_exp "))
    assert "point,integrate-and-fire" in line and "exponentially decaying" in line
    out = _cli("list", "cells")
    line = next(x for x in out.stdout.splitlines()
                if x.strip().startswith("cerebellum_purkinje "))
    assert "[cerebellum;" in line and "Purkinje" in line


def test_cli_characterise_writes_dataset_and_figure(tmp_path):
    out = _cli("characterise", "lif_curr_exp", "rate_relu", "--n-amplitudes", "3",
               "--output-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    ds = xr.open_dataset(tmp_path / "characterise_lif_curr_exp.nc")
    # 0, 500, 1000 pA: silent below the 375 pA rheobase; above it the closed form
    # 1/(t_ref + tau_m ln(RI/(RI - 15 mV))) with R = 40 MOhm (see test_model_library)
    rates = [0] + [1 / (2e-3 + 10e-3 * np.log(40e6 * i / (40e6 * i - 15e-3)))
                   for i in (500e-12, 1000e-12)]
    np.testing.assert_allclose(ds["fi_rate"].values, rates, atol=2)
    assert (tmp_path / "characterise_rate_relu.png").stat().st_size > 1000
    assert "PSP e: +0.267 mV at 4.1 ms" in out.stdout


def test_cli_characterise_unknown_model_is_named(tmp_path):
    out = _cli("characterise", "lif_curr_expo", "--output-dir", str(tmp_path))
    assert out.returncode == 2
    assert "lif_curr_expo" in out.stderr and "lif_curr_exp" in out.stderr
    assert not list(tmp_path.iterdir())
