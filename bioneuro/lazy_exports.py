"""Lazy package attributes (PEP 562).

A package names its public objects and the modules that define them; a module is imported
when one of its objects is first used, not when the package is. This keeps ``import
bioneuro`` free of Brian2 and lets a run load only the catalogue modules it needs
(`bioneuro.registry`).
"""

import importlib

__all__ = ["lazy_exports"]


def lazy_exports(package, exports, extra=()):
    """``(__getattr__, __dir__)`` for a package whose attributes are imported on first use.

    Parameters
    ----------
    package : str
        The package's name (for the error message).
    exports : mapping of str to str
        Attribute name -> module that defines an object of that name.
    extra : iterable of str
        Further names listed by ``dir()`` (attributes the package defines itself).
    """
    names = sorted({*exports, *extra})

    def __getattr__(name):
        if name in exports:
            return getattr(importlib.import_module(exports[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return names

    return __getattr__, __dir__
