"""Spec validation (every bad input names field, value and what is allowed), dict/YAML round
trips and the content hash."""

import subprocess
import sys

import pytest
from bioneuro.models.plasticity import stdp
from brian2.units import ms, mV, pA

import bioneuro as bn
from bioneuro.distributions import Normal, Uniform
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.experiments import cuba


def _pop(**kwargs):
    args = {"name": "E", "model": "lif_curr_exp", "size": 10}
    args.update(kwargs)
    return bn.Population(**args)


def test_unknown_model_lists_known_and_suggests_closest():
    with pytest.raises(UnknownNameError) as err:
        _pop(model="lif_cur_exp")
    message = str(err.value)
    assert "populations.E.model" in message and "'lif_cur_exp'" in message
    assert "lif_cond_exp" in message and "did you mean 'lif_curr_exp'" in message


def test_unknown_parameter_lists_valid_names():
    with pytest.raises(UnknownNameError) as err:
        _pop(parameters={"tau_mem": 10 * ms})
    assert "did you mean 'tau_m'" in str(err.value)
    assert "V_reset" in str(err.value)


def test_wrong_unit_names_parameter_and_expected_unit():
    with pytest.raises(SpecError) as err:
        _pop(parameters={"tau_m": 10 * mV})
    assert "populations.E.parameters.tau_m" in str(err.value)
    assert "expected a quantity in ms" in str(err.value)


@pytest.mark.parametrize("kwargs, field", [
    ({"parameters": {"tau_m": -5 * ms}}, "tau_m"),
    ({"parameters": {"tau_m": Uniform(-1 * ms, 5 * ms)}}, "tau_m"),
    ({"size": 0}, "size"),
    ({"size": 2.5}, "size"),
    ({"parameters": {"C_m": "0 pF"}}, "C_m"),
])
def test_impossible_values(kwargs, field):
    with pytest.raises(SpecError) as err:
        _pop(**kwargs)
    assert field in str(err.value)


def test_probability_outside_unit_interval():
    with pytest.raises(SpecError, match=r"connectivity.p: got 1.5; a probability in \[0, 1\]"):
        bn.Projection("EE", "E", "E", "I_e", {"kind": "bernoulli", "p": 1.5}, 1 * pA)


def test_negative_std_and_delay_are_rejected():
    with pytest.raises(SpecError, match="std"):
        Normal(1 * mV, -1 * mV)
    with pytest.raises(SpecError, match="delay"):
        bn.Projection("EE", "E", "E", "I_e", {"kind": "bernoulli", "p": 0.1}, 1 * pA,
                      delay=-1 * ms)


def test_projection_checked_against_circuit():
    pop = _pop()
    with pytest.raises(UnknownNameError, match="projections.EE.post"):
        bn.Circuit("c", [pop], [bn.Projection("EE", "E", "X", "I_e",
                                              {"kind": "bernoulli", "p": 0.1}, 1 * pA)])
    with pytest.raises(UnknownNameError, match="projections.EE.target.*I_e"):
        bn.Circuit("c", [pop], [bn.Projection("EE", "E", "E", "g_e",
                                              {"kind": "bernoulli", "p": 0.1}, 1 * pA)])
    with pytest.raises(SpecError, match="projections.EE.weight"):
        bn.Circuit("c", [pop], [bn.Projection("EE", "E", "E", "I_e",
                                              {"kind": "bernoulli", "p": 0.1}, 1 * mV)])
    with pytest.raises(SpecError, match="at most 10"):
        bn.Circuit("c", [pop], [bn.Projection("EE", "E", "E", "I_e",
                                              {"kind": "fixed_indegree", "k": 11}, 1 * pA)])


def test_experiment_checks_duration_dt_seed_recording():
    circuit = bn.Circuit("c", [_pop()])
    with pytest.raises(SpecError, match="duration"):
        bn.Experiment("x", circuit, duration=-1 * ms)
    with pytest.raises(SpecError, match="dt"):
        bn.Experiment("x", circuit, duration=1 * ms, dt=2 * ms)
    with pytest.raises(SpecError, match="seed"):
        bn.Experiment("x", circuit, seed=-1)
    with pytest.raises(UnknownNameError, match="did you mean 'v'"):
        bn.Experiment("x", circuit, recording=bn.Recording(state=[bn.StateProbe("E", "vv")]))
    with pytest.raises(SpecError, match=r"duration: got '1\.05 ms'; a whole number of time "
                                        r"steps dt = 0\.1 ms"):
        bn.Experiment("x", circuit, duration=1.05 * ms, dt=0.1 * ms)
    with pytest.raises(SpecError, match="protocol: got 5; a list"):
        bn.Experiment("x", circuit, protocol=5)
    for neurons in ([1.7], ["x"], [True]):
        with pytest.raises(SpecError, match="recording.state.neurons.*integer indices"):
            bn.StateProbe("E", "v", neurons)


def test_malformed_yaml_is_a_spec_error():
    with pytest.raises(SpecError, match="valid YAML"):
        bn.Experiment.from_yaml("name: [unclosed\n  circuit: {")
    with pytest.raises(SpecError, match="mapping"):
        bn.Experiment.from_yaml("- just\n- a list\n")
    with pytest.raises(UnknownNameError, match="experiment.durration"):
        bn.Experiment.from_yaml("name: x\ndurration: 1 s\ncircuit: {}\n")
    # a missing required field is named, not a TypeError from the constructor
    with pytest.raises(SpecError, match=r"population: .*\(missing: model\)"):
        bn.Experiment.from_yaml("name: x\ncircuit: {name: c, populations: [{name: A, "
                                "size: 3}]}\n")
    with pytest.raises(SpecError, match=r"experiment: .*\(missing: circuit\)"):
        bn.Experiment.from_yaml("name: x\nduration: 1 s\n")
    with pytest.raises(SpecError, match=r"recording.state: .*\(missing: variables\)"):
        bn.Experiment.from_yaml("name: x\ncircuit: {name: c, populations: [{name: A, "
                                "model: lif_curr_exp, size: 3}]}\n"
                                "recording: {state: [{population: A}]}\n")


def test_dict_and_yaml_round_trip():
    exp = cuba(scale=0.1)
    again = bn.Experiment.from_dict(exp.to_dict())
    assert again.to_dict() == exp.to_dict()
    from_yaml = bn.Experiment.from_yaml(exp.to_yaml())
    assert from_yaml.content_hash() == exp.content_hash()
    # quantities survive exactly, not approximately
    assert from_yaml.circuit.projections[0].weight.value == exp.circuit.projections[0].weight.value


def test_content_hash_is_stable_and_sensitive():
    exp = cuba(scale=0.1)
    code = ("from bioneuro.experiments import cuba; "
            "print(cuba(scale=0.1).content_hash())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert other == exp.content_hash()
    assert exp.replace(seed=2).content_hash() != exp.content_hash()


@pytest.mark.parametrize("make, message", [
    (lambda: stdp(w_max=-1 * pA),
     "parameter 'upper weight bound': got '-1 pA'; a value in pA within [0 pA, inf]"),
    (lambda: stdp(tau_plus=5 * mV),
     "parameter 'potentiation window time constant': got '5 mV'; expected a quantity in ms"),
    (lambda: stdp(A_plus=-1),
     "parameter 'potentiation amplitude (fraction of w_max)': got '-1'; a dimensionless "
     "value within [0, inf]"),
])
def test_rule_factory_errors_name_the_parameter(make, message):
    """A bad factory argument is refused naming the parameter (by its description), the value
    and the allowed range (no '-0' bound, no unit '1' for dimensionless values)."""
    with pytest.raises(SpecError) as info:
        make()
    assert message in str(info.value)
