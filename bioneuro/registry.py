"""Named catalogues of models, synapses, cell types, regions, protocols and experiments.

Library modules register their entries with `register`; `get` looks names up and, for an
unknown name, raises an error that lists the known names and suggests the closest one.
"""

import importlib

from bioneuro.errors import UnknownNameError

__all__ = ["KINDS", "register", "get", "names", "entries", "is_registered"]

#: catalogue name -> modules whose import registers its entries
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


def _load(kind):
    if kind not in KINDS:
        raise UnknownNameError("catalogue", kind, KINDS)
    for module in KINDS[kind]:
        importlib.import_module(module)


def register(kind, name, entry):
    """Add `entry` to catalogue `kind` under `name` and return it."""
    if kind not in _CATALOGUES:
        raise UnknownNameError("catalogue", kind, KINDS)
    existing = _CATALOGUES[kind].get(name)
    if existing is not None and existing is not entry:
        raise ValueError(f"{kind} {name!r} is registered twice")
    _CATALOGUES[kind][name] = entry
    return entry


def get(kind, name, field=None):
    """Look up `name` in catalogue `kind`.

    Raises
    ------
    UnknownNameError
        Naming the field, the unknown name, the known names and the closest match.
    """
    _load(kind)
    try:
        return _CATALOGUES[kind][name]
    except (KeyError, TypeError):
        raise UnknownNameError(field or kind, name, _CATALOGUES[kind]) from None


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
    _load(kind)
    known = _CATALOGUES[kind].get(getattr(entry, "name", None))
    return known is not None and (known is entry or known == entry)
