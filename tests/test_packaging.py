"""The package list in setup.cfg matches the folders on disk; mapped packages install
inside the bioneuro namespace."""

import configparser
import importlib
import importlib.util
from pathlib import Path

import bioneuro

REPO = Path(__file__).resolve().parent.parent


def _config():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    return config


def _listed(config, key):
    return [line.strip() for line in config["options"][key].splitlines() if line.strip()]


def test_package_list_matches_folders_on_disk():
    config = _config()
    mapping = dict(line.split(" = ") for line in _listed(config, "package_dir"))
    on_disk = set()
    for package, folder in mapping.items():
        root = REPO / folder
        for init in root.rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            rel = init.parent.relative_to(root)
            on_disk.add(".".join([package, *rel.parts]) if rel.parts else package)
    # sub-packages of a mapped folder must not be claimed by another mapping twice
    assert set(_listed(config, "packages")) == on_disk


def test_mapped_folders_import_from_the_repository_folders():
    for name, folder in (("models", "models"), ("regions", "regions"),
                         ("protocols", "protocols"), ("analysis", "analysis")):
        module = importlib.import_module(f"bioneuro.{name}")
        assert Path(module.__file__).resolve().parent == REPO / folder


def test_no_top_level_models_package_is_installed():
    for bare in ("models", "regions", "protocols", "analysis"):
        spec = importlib.util.find_spec(bare)
        assert spec is None or REPO / bare != Path(spec.origin).resolve().parent, bare


def test_console_script_and_pins():
    config = _config()
    assert "bioneuro = bioneuro.cli:main" in config["options.entry_points"]["console_scripts"]
    requires = config["options"]["install_requires"]
    assert "brian2 == 2.8.0" in requires and "< 2.3" in requires
    assert bioneuro.__version__ == config["metadata"]["version"]


def test_no_exported_name_is_hidden_by_a_submodule():
    """``bioneuro.<name>`` is resolved lazily (`bioneuro.__getattr__`); importing a
    submodule of the same name would bind the module there instead of the function (as
    ``from bioneuro.sweep import ...`` did to ``bn.sweep``)."""
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(bioneuro.__path__)}
    assert not submodules & set(bioneuro._EXPORTS)
    importlib.import_module("bioneuro.parameter_sweep")
    assert callable(bioneuro.sweep) and callable(bioneuro.sweep_point)

