"""Models are checked for dimensional consistency when they are made (bioneuro.equation_units)."""

import pytest
from bioneuro.models.composition import compose
from bioneuro.models.lif import lif_cond_exp
from bioneuro.models.mechanisms import adaptation_current
from brian2.units import mV, nS, pA

import bioneuro as bn
from bioneuro.registry import get, names
from bioneuro.spec import NeuronModel, Parameter


def _model(equations, name="m"):
    return NeuronModel(name, equations, {"tau": Parameter("ms", "10 ms", "time constant"),
                                         "E": Parameter("mV", "-70 mV", "rest")})


def test_every_catalogue_model_is_consistent():
    for name in names("models"):  # each was checked when it was made; check again here
        assert get("models", name).brian_equations()


def test_a_mechanism_parameter_in_the_wrong_unit_is_refused_when_composed():
    # AdEx adaptation needs a conductance a: a*(v - E_L) is then a current like w_a
    assert compose(lif_cond_exp, adaptation_current(a=4 * nS, b=80 * pA))
    with pytest.raises(bn.SpecError, match=r"models\.lif_cond_exp_adaptation\.equations: "
                                           r"got 'w_a: .*V\^2.*'w_a' has unit A"):
        compose(lif_cond_exp, adaptation_current(a=4 * mV))


def test_wrong_rate_of_change_and_subexpression_are_named():
    assert _model("dv/dt = (E - v)/tau : volt")
    with pytest.raises(bn.SpecError, match=r"got 'dv/dt = E - v'; an expression in .* \(it is "
                                           r"in .*\)"):
        _model("dv/dt = E - v : volt")
    with pytest.raises(bn.SpecError, match=r"got 'I = v/tau'; an expression in A"):
        _model("dv/dt = (E - v)/tau : volt\nI = v/tau : amp")


def test_names_defined_at_build_time_are_left_to_brian2():
    # `drive(t)` is a protocol's TimedArray, unknown until the experiment is built
    assert _model("dv/dt = (E - v + drive(t))/tau : volt")
