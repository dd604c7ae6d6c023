"""Network-size factors of the region templates: checking `scale`, scaling a population."""

import numbers

from bioneuro.errors import SpecError

__all__ = ["check_scale", "scaled_size"]


def check_scale(scale, field="scale"):
    """`scale` as a float, or `SpecError` naming `field` unless it is a number > 0."""
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0:
        raise SpecError(field, scale, "a positive network-size factor")
    return float(scale)


def scaled_size(size, scale):
    """``size`` neurons at ``scale = 1`` -> ``round(size * scale)``, at least 1."""
    return max(1, int(round(size * scale)))
