"""Exception types raised by bioneuro.

Every error names the offending field, the value it received and what is allowed, so a
user can fix a spec or a command line without reading the source.
"""

import difflib

__all__ = [
    "BioneuroError",
    "SpecError",
    "UnknownNameError",
    "BuildError",
    "SimulationError",
    "ResultFileError",
    "closest_names",
]


class BioneuroError(Exception):
    """Base class of all bioneuro errors."""


class SpecError(BioneuroError, ValueError):
    """An experiment, circuit or model specification is invalid.

    Parameters
    ----------
    field : str
        Dotted path of the offending field, e.g. ``"populations.E.size"``.
    value : object
        The value that was given.
    allowed : str
        What would have been accepted.
    """

    def __init__(self, field, value, allowed):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: got {value!r}; {allowed}")


class UnknownNameError(SpecError, KeyError):
    """A name (model, parameter, population, ...) is not known.

    The message lists the known names and suggests the closest ones.
    """

    def __init__(self, field, value, known):
        self.known = sorted(known)
        suggestion = closest_names(value, self.known)
        allowed = "known: " + (", ".join(self.known) if self.known else "(none)")
        if suggestion:
            allowed += f"; did you mean {' or '.join(repr(s) for s in suggestion)}?"
        super().__init__(field, value, allowed)

    def __str__(self):  # KeyError would otherwise quote the message
        return self.args[0]


class BuildError(BioneuroError, RuntimeError):
    """Code generation or compilation of a standalone project failed.

    Parameters
    ----------
    message : str
        What failed, including the compiler's own output.
    build_dir : str
        The project directory, kept for inspection.
    """

    def __init__(self, message, build_dir):
        self.build_dir = str(build_dir)
        super().__init__(f"{message}\n(build directory: {self.build_dir})")


class SimulationError(BioneuroError, RuntimeError):
    """A simulation failed or diverged (produced NaN or infinite values)."""


class ResultFileError(BioneuroError, OSError):
    """A result file is missing, malformed or not a bioneuro file."""


def closest_names(name, known, n=2):
    """Return up to `n` entries of `known` that resemble `name`.

    Parameters
    ----------
    name : str
        The unknown name.
    known : iterable of str
        The valid names.
    n : int
        Maximum number of suggestions.
    """
    return difflib.get_close_matches(str(name), list(known), n=n, cutoff=0.5)
