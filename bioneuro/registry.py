"""Named catalogues of models, synapses, cell types, regions, protocols and experiments.

Library modules register their entries with `register` when they are imported; `get` looks
names up and, for an unknown name, raises an error that lists the known names and suggests
the closest one.

Loading is by name: `get` imports only the module that defines the name, found in
`bioneuro.catalogue_index.INDEX` (so ``bioneuro run cuba`` does not build the Brian2
equations of every model, cell type and region of the library: about 1.2 s of every
process). `names`, `entries` and a name missing from the index import every module of the
catalogue's packages, so a stale index costs time, never a wrong answer; `write_index`
regenerates it (``tests/test_registry.py`` checks that it is current).
"""

import importlib
import pkgutil
import sys
from pathlib import Path

from bioneuro.errors import UnknownNameError

__all__ = ["KINDS", "register", "get", "names", "entries", "is_registered", "known",
           "catalogue_index", "write_index"]

#: catalogue name -> packages whose modules register its entries
KINDS = {
    "models": ("bioneuro.models",),
    "synapses": ("bioneuro.models",),
    "cells": ("bioneuro.models",),
    "plasticity": ("bioneuro.models",),
    "regions": ("bioneuro.regions",),
    "protocols": ("bioneuro.protocols",),
    "experiments": ("bioneuro.experiments",),
}

_CATALOGUES = {kind: {} for kind in KINDS}
#: catalogue -> name -> the module whose import registered it
_ORIGINS = {kind: {} for kind in KINDS}


def _check_kind(kind):
    if kind not in KINDS:
        raise UnknownNameError("catalogue", kind, KINDS)


def _import_package(name):
    """Import package `name` and every module below it."""
    package = importlib.import_module(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(info.name)


def _load(kind):
    _check_kind(kind)
    for package in KINDS[kind]:
        _import_package(package)


def _index():
    from bioneuro.catalogue_index import INDEX

    return INDEX


def _find(kind, name, load_all=True):
    """The entry `name` of catalogue `kind`, or None: registered already, else after
    importing the module the index names, else (`load_all`) after importing them all."""
    _check_kind(kind)
    catalogue = _CATALOGUES[kind]
    try:
        if name in catalogue:
            return catalogue[name]
    except TypeError:       # unhashable: not a name
        return None
    module = _index().get(kind, {}).get(name)
    if module is not None:
        importlib.import_module(module)
    if name not in catalogue and load_all:
        _load(kind)
    return catalogue.get(name)


def _registering_module():
    """Name of the module whose top-level code is running `register` (None if it is called
    from a function after import)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "<module>":
            return frame.f_globals.get("__name__")
        frame = frame.f_back
    return None


def register(kind, name, entry):
    """Add `entry` to catalogue `kind` under `name` and return it."""
    _check_kind(kind)
    existing = _CATALOGUES[kind].get(name)
    if existing is not None and existing is not entry:
        raise ValueError(f"{kind} {name!r} is registered twice")
    _CATALOGUES[kind][name] = entry
    _ORIGINS[kind].setdefault(name, _registering_module())
    return entry


def get(kind, name, field=None):
    """Look up `name` in catalogue `kind`.

    Raises
    ------
    UnknownNameError
        Naming the field, the unknown name, the known names and the closest match.
    """
    entry = _find(kind, name)
    if entry is None:
        raise UnknownNameError(field or kind, name, _CATALOGUES[kind])
    return entry


def known(kind, name, load_all=True):
    """True if `name` is in catalogue `kind`; with ``load_all=False`` only registered or
    indexed names count (no import of the whole catalogue)."""
    return _find(kind, name, load_all) is not None


def names(kind):
    """Sorted names in catalogue `kind`."""
    _load(kind)
    return sorted(_CATALOGUES[kind])


def entries(kind):
    """``{name: entry}`` of catalogue `kind`."""
    _load(kind)
    return dict(_CATALOGUES[kind])


def is_registered(kind, entry):
    """True if `entry` is the registered object of its name (compared by content)."""
    known_entry = _find(kind, getattr(entry, "name", None), load_all=False)
    return known_entry is not None and (known_entry is entry or known_entry == entry)


def catalogue_index():
    """``{kind: {name: module}}`` of every built-in entry: which module's import registers
    it (imports every catalogue)."""
    for kind in KINDS:
        _load(kind)
    return {kind: {name: _ORIGINS[kind][name] for name in sorted(_CATALOGUES[kind])
                   if (_ORIGINS[kind].get(name) or "").startswith("bioneuro.")}
            for kind in KINDS}


def write_index(path=None):
    """Write `catalogue_index` to ``bioneuro/catalogue_index.py`` (or `path`)."""
    path = Path(path or Path(__file__).with_name("catalogue_index.py"))
    lines = ['"""Which module registers each built-in catalogue entry (`bioneuro.registry`).',
             "",
             "Generated by ``bioneuro.registry.write_index()``; do not edit.",
             '"""', "", "INDEX = {"]
    for kind, origins in catalogue_index().items():
        lines.append(f"    {kind!r}: {{")
        lines += [f"        {name!r}: {module!r}," for name, module in origins.items()]
        lines.append("    },")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")
    return path
