"""Parsing, checking and formatting of Brian2 quantities.

Specs hold Brian2 `Quantity` objects. Files (YAML, JSON provenance) hold strings such as
``"20 ms"`` or ``"0.27 nS"``; this module converts between the two without ``eval``.
"""

import ast
import math
import numbers
import re

import numpy as np
from brian2.units import allunits, stdunits
from brian2.units.fundamentalunits import (
    DIMENSIONLESS,
    Quantity,
    Unit,
    get_dimensions,
    get_unit,
)

from bioneuro.errors import SpecError

__all__ = [
    "parse_quantity",
    "parse_unit",
    "check_quantity",
    "format_quantity",
    "unit_string",
    "si_value",
]

_UNITS = {name: getattr(module, name) for module in (allunits, stdunits) for name in dir(module)
          if isinstance(getattr(module, name), Unit)}
# the short symbols Brian2 prints (V, S, A, F, Hz, ...) parse back too
_UNITS.update({str(unit): unit for unit in list(_UNITS.values())
               if str(unit).isidentifier() and str(unit) not in _UNITS})
_UNITS["1"] = Unit(1)


# a number glued to a unit: "20ms", "1e-3s" (atomic group: the number is never shortened)
_GLUED = re.compile(r"^((?>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))([A-Za-z]\S*)$")


def _evaluate(node, text):
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, text)
    if isinstance(node, ast.Constant) and isinstance(node.value, numbers.Real):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in _UNITS:
            return _UNITS[node.id]
        raise ValueError(f"unknown unit {node.id!r}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand, text)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div, ast.Pow)):
        left = _evaluate(node.left, text)
        right = _evaluate(node.right, text)
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if not isinstance(right, numbers.Real):
            raise ValueError("exponents must be plain numbers")
        return left**right
    raise ValueError(f"unsupported expression {ast.dump(node)[:40]}")


def _parse_text(text):
    """Parse ``"20 ms"``, ``"20*ms"``, ``"-65 mV"``, ``"0.5"``, ``"1 nA/mV"``."""
    text = text.strip()
    # "20ms" -> "20 ms" (command-line style)
    glued = _GLUED.match(text)
    if glued:
        text = f"{glued.group(1)} {glued.group(2)}"
    # "20 ms" -> "20 * ms": a number followed by whitespace and a unit expression
    parts = text.split(None, 1)
    if len(parts) == 2 and parts[1][0] not in "*/":
        try:
            float(parts[0])
            text = f"{parts[0]} * ({parts[1]})"
        except ValueError:
            pass
    tree = ast.parse(text, mode="eval")
    return _evaluate(tree, text)


def parse_unit(unit, field="unit"):
    """Return the Brian2 `Unit` named by `unit` (``"mV"``, ``"nS"``, ``"1"``, ``"amp"``).

    Parameters
    ----------
    unit : str or Unit
        A unit name or unit expression.
    field : str
        Name of the field, for error messages.
    """
    if isinstance(unit, Unit):
        return unit
    if isinstance(unit, Quantity):
        return get_unit(unit.dim)
    try:
        value = _parse_text(str(unit))
    except (SyntaxError, ValueError, TypeError) as exc:
        raise SpecError(field, unit, f"a Brian2 unit name such as 'mV' or 'nS' ({exc})") from None
    if isinstance(value, numbers.Real):
        if value != 1:
            raise SpecError(field, unit, "a unit, not a number")
        return Unit(1)
    return value


def parse_quantity(value, field, unit=None):
    """Convert `value` into a Brian2 `Quantity`, checking its dimensions.

    Parameters
    ----------
    value : Quantity, str, or number
        ``20*ms``, ``"20 ms"``, ``"20*ms"``; a plain number only for dimensionless
        quantities.
    field : str
        Dotted name of the field, used in error messages.
    unit : Unit or str, optional
        Expected unit (only its dimensions matter). Without it, any dimensions are accepted.

    Returns
    -------
    Quantity

    Raises
    ------
    SpecError
        If `value` cannot be parsed or has the wrong dimensions.
    """
    expected = None if unit is None else parse_unit(unit, field + ".unit")
    if isinstance(value, str):
        try:
            parsed = _parse_text(value)
        except (SyntaxError, ValueError, TypeError, ZeroDivisionError) as exc:
            allowed = "a number with a unit such as '20 ms'"
            if expected is not None:
                name = unit_string(expected)
                allowed = f"a quantity in {name} such as '1 {name}'"
            raise SpecError(field, value, f"{allowed} ({exc})") from None
    elif isinstance(value, (Quantity, numbers.Real, np.ndarray)) and not isinstance(value, bool):
        parsed = value
    else:
        raise SpecError(field, value, "a Brian2 quantity or a string such as '20 ms'")
    quantity = Quantity(parsed)
    if expected is not None:
        check_quantity(quantity, field, expected)
    return quantity


def check_quantity(value, field, unit):
    """Raise `SpecError` unless `value` has the dimensions of `unit` (a Unit or its name)."""
    unit = parse_unit(unit, field + ".unit")
    expected_dim = get_dimensions(unit)
    if get_dimensions(value) != expected_dim:
        got = unit_string(get_unit(get_dimensions(value)))
        raise SpecError(
            field, display_quantity(value) if isinstance(value, Quantity) else value,
            f"expected a quantity in {unit_string(unit)} (dimensions {expected_dim or '1'}),"
            f" got dimensions {got}")


def unit_string(unit):
    """Short SI string of a unit or of a quantity's dimensions (``'V'``, ``'S'``, ``'1'``)."""
    if isinstance(unit, Quantity) and not isinstance(unit, Unit):
        unit = get_unit(unit.dim)
    if get_dimensions(unit) is DIMENSIONLESS and float(unit) == 1:
        return "1"
    return str(unit)


def display_quantity(value, unit=None):
    """Short human-readable form (``'0.01 ms'``) for messages; not for round trips."""
    value = Quantity(value)
    unit = parse_unit(unit) if unit is not None else (
        Unit(1) if value.dim is DIMENSIONLESS else value.get_best_unit())
    number = float(np.asarray(value / unit)) + 0.0   # + 0.0: no "-0"
    text = unit_string(unit)
    return f"{number:.6g}" if text == "1" else f"{number:.6g} {text}"


def si_value(value):
    """Float value of `value` in SI base units."""
    return float(np.asarray(value))


_BASE_UNITS = ("metre", "kilogram", "second", "amp", "kelvin", "mole", "candela")


def _si_unit_expression(dim):
    terms = []
    for name, exponent in zip(_BASE_UNITS, dim._dims, strict=True):
        if exponent == 1:
            terms.append(name)
        elif exponent != 0:
            terms.append(f"{name}**{exponent:g}")
    return " * ".join(terms)


def format_quantity(value):
    """Format a scalar quantity as an exactly re-parsable string such as ``'20. ms'``.

    The most readable unit is used when it represents the value exactly and parses back;
    otherwise the value is written in SI base units.
    """
    value = Quantity(value)
    if value.dim is DIMENSIONLESS:
        return repr(float(value))
    number = float(np.asarray(value))
    if number != 0 and math.isfinite(number):
        best = value.get_best_unit()
        scaled = float(np.asarray(value / best))
        text = f"{scaled!r} {best}"
        try:
            if scaled * float(best) == number and _parse_text(text) == value:
                return text
        except (SyntaxError, ValueError, TypeError):
            pass
    unit = get_unit(value.dim)
    text = f"{number!r} {unit}"
    try:
        if _parse_text(text) == value:
            return text
    except (SyntaxError, ValueError, TypeError):
        pass
    return f"{number!r} * {_si_unit_expression(value.dim)}"


_SI_BASE = ("metre", "kilogram", "second", "amp", "kelvin", "mole", "candle")


def equation_unit(unit):
    """Unit name accepted in a Brian2 equation string (``farad`` for ``pF``, ``1``)."""
    dim = get_dimensions(parse_unit(unit))
    if dim is DIMENSIONLESS:
        return "1"
    name = repr(get_unit(dim))
    if re.fullmatch(r"\w+", name) and not re.search(r"metre\d", name):
        return name
    # Brian2's equation parser rejects the names of derived units such as 'metre3' or
    # 'amp / (meter ** 2)': write a product of base units instead
    return " * ".join(base if power == 1 else f"{base} ** {power:g}" for base, power in
                      zip(_SI_BASE, dim._dims, strict=True) if power)


#: display units a modeller expects for common dimensions (first match wins)
_PREFERRED = ("mV", "pA", "nS", "ms", "Hz", "pF", "uA/cm**2", "mS/cm**2", "uF/cm**2", "mM",
              "Mohm", "um")


def preferred_unit(value):
    """The conventional display unit (a string) for `value`'s dimensions.

    ``pA`` for a current, ``uA/cm**2`` for a current density, ``mV``, ``nS``, ``ms``, ...;
    ``"1"`` for a dimensionless value; else the SI unit expression.
    """
    dim = get_dimensions(value)
    if dim is DIMENSIONLESS:
        return "1"
    for name in _PREFERRED:
        if get_dimensions(parse_unit(name)) == dim:
            return name
    return equation_unit(value)
