"""The catalogues (`bioneuro.registry`): lookup by name imports only the defining module, the
name index is current, and a name missing from the index is still found."""

import subprocess
import sys

import pytest

from bioneuro import registry
from bioneuro.catalogue_index import INDEX
from bioneuro.errors import UnknownNameError


def _python(code):
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_index_is_current():
    """Every built-in entry is indexed under the module whose import registers it. After
    adding or moving one, regenerate: ``python -c "from bioneuro.registry import
    write_index; write_index()"``."""
    assert registry.catalogue_index() == INDEX


def test_lookup_by_name_imports_only_the_defining_module():
    """Resolving ``cuba`` and its model loads the benchmark family and the LIF models, not
    the rest of the library (other model families, cell types, regions, experiments)."""
    loaded = _python(
        "import sys\n"
        "from bioneuro.simulate import resolve_experiment\n"
        "from bioneuro import registry\n"
        "exp = resolve_experiment('cuba', scale=0.05)\n"
        "assert registry.get('cells', 'cerebellum_dcn').name == 'cerebellum_dcn'\n"
        "print(' '.join(m for m in sys.modules if m.startswith('bioneuro.')))")
    assert {"bioneuro.experiments.benchmarks", "bioneuro.models.lif",
            "bioneuro.models.cells.olivo_nuclear"} <= set(loaded)
    for module in ("bioneuro.models.adex", "bioneuro.models.izhikevich",
                   "bioneuro.models.plasticity", "bioneuro.models.cells.cortex",
                   "bioneuro.regions.potjans_diesmann", "bioneuro.experiments.rnn",
                   "bioneuro.experiments.sensorimotor"):
        assert module not in loaded


def test_a_name_missing_from_the_index_is_found_by_loading_everything(monkeypatch):
    """A stale index costs time, never a wrong answer."""
    import bioneuro.catalogue_index

    monkeypatch.setattr(bioneuro.catalogue_index, "INDEX", {})
    assert registry.get("models", "hh_traub_cond_exp").name == "hh_traub_cond_exp"
    assert registry.known("experiments", "sensorimotor_loop")
    with pytest.raises(UnknownNameError, match="lif_curr_exp"):
        registry.get("models", "lif_cur_exp")     # the closest known name is suggested
    assert not registry.known("models", ["not", "a", "name"])


def test_package_attributes_are_imported_on_first_use():
    names = _python(
        "import sys\n"
        "import bioneuro.models as models, bioneuro.regions as regions\n"
        "before = 'bioneuro.models.adex' in sys.modules\n"
        "print(before, models.adex_curr_exp.name, regions.combine.__name__,"
        " 'adex_curr_exp' in dir(models))")
    assert names == ["False", "adex_curr_exp", "combine", "True"]
    import bioneuro.models

    with pytest.raises(ImportError, match="lif_curr_exq"):
        from bioneuro.models import lif_curr_exq  # noqa: F401
    assert bioneuro.models.lif_curr_exp.name == "lif_curr_exp"
