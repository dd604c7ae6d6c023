"""Parsing and formatting of quantities (the YAML/CLI <-> Brian2 boundary)."""

import pytest
from brian2.units import cm, ms, mV, nS, pA, second, siemens

from bioneuro.errors import SpecError
from bioneuro.quantities import equation_unit, format_quantity, parse_quantity


@pytest.mark.parametrize("text, expected", [
    ("20 ms", 20 * ms), ("20*ms", 20 * ms), ("20ms", 20 * ms), ("-65 mV", -65 * mV),
    ("0.5", 0.5), ("16.2 pA", 16.2 * pA), ("1e-3 s", 1 * ms),
    ("5e-5 siemens/cm**2", 5e-5 * siemens / cm**2),
])
def test_parse(text, expected):
    assert parse_quantity(text, "x") == expected


@pytest.mark.parametrize("value", [20 * ms, -65 * mV, 0.27 * nS, 16.2 * pA, 0 * mV,
                                   5e-5 * siemens / cm**2, 1.0, 1 / 3 * second])
def test_format_round_trips_exactly(value):
    assert parse_quantity(format_quantity(value), "x") == value


def test_wrong_unit_names_field_and_expected_unit():
    with pytest.raises(SpecError) as err:
        parse_quantity("20 mV", "populations.E.parameters.tau_m", "ms")
    message = str(err.value)
    assert "populations.E.parameters.tau_m" in message and "20 mV" in message
    assert "ms" in message


def test_unknown_unit_and_code_are_rejected():
    with pytest.raises(SpecError, match="unknown unit 'foo'"):
        parse_quantity("3 foo", "x")
    with pytest.raises(SpecError):
        parse_quantity("__import__('os').system('true')", "x")


def test_equation_unit_uses_base_units():
    assert equation_unit("pF") == "farad"
    assert equation_unit("mV") == "volt"
    assert equation_unit("1") == "1"
