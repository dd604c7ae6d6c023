"""Plasticity rules as specs, weight monitoring and the CLI plasticity table (runtime)."""

import numpy as np
import pytest
from bioneuro.models.lif import lif_cond_exp, lif_curr_exp
from bioneuro.models.plasticity import dopamine_signal, stdp, with_signal
from bioneuro.models.spike_sources import poisson_source
from bioneuro.protocols.pairing import pairing_experiment, pairing_weight_change
from brian2.units import Hz, ms, nS, pA
from plasticity_oracles import pair_stdp

import bioneuro as bn
from bioneuro import registry
from bioneuro.cli import plasticity_table
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.results import BOUND_TOLERANCE
from bioneuro.spec import SynapseModel


@pytest.mark.parametrize("name", registry.names("plasticity"))
def test_every_rule_is_a_documented_synapse_model(name):
    rule = registry.get("plasticity", name)
    assert isinstance(rule, SynapseModel) and "plasticity" in rule.tags
    assert registry.get("synapses", name) is rule  # usable by name in a projection
    assert rule.references and all(r.citation for r in rule.references)
    for pname, par in rule.parameters.items():
        assert par.shared and par.description
        assert not pname.endswith(("_pre", "_post"))  # Brian2 reserves these suffixes
    assert SynapseModel.from_dict(rule.to_dict()) == rule


def test_factory_rejects_unknown_variants_with_suggestion():
    with pytest.raises(UnknownNameError, match="additive"):
        stdp(weight_dependence="addtive")


def _circuit(synapse, post_model=lif_cond_exp, weight=0.5 * nS, rule="all_to_all",
             n_pre=20, rate=50 * Hz):
    pops = [bn.Population("src", poisson_source, n_pre, {"rate": rate}),
            bn.Population("post", post_model, 2, {"I_ext": 200 * pA} if
                          post_model is lif_curr_exp else {})]
    return bn.Circuit("c", pops, [bn.Projection("ee", "src", "post", "e", rule, weight,
                                                synapse=synapse)])


def test_weight_unit_of_rule_must_match_the_projection():
    with pytest.raises(SpecError, match="w_max"):
        _circuit("stdp_add", post_model=lif_curr_exp, weight=10 * pA)
    circuit = _circuit(stdp(w_max=100 * pA), post_model=lif_curr_exp, weight=10 * pA)
    assert circuit.projections[0].synapse.parameters["w_max"].unit == "pA"


def test_signal_adds_a_channel_for_the_third_factor():
    model = with_signal(lif_curr_exp, dopamine_signal())
    assert model.target_variable("dopamine") == "DA"
    assert "tau_DA" in model.parameters


def test_weight_recording_is_validated():
    circuit = _circuit("stdp_add")
    with pytest.raises(UnknownNameError):
        bn.Experiment("x", circuit, recording=bn.Recording(weights_dt=10 * ms,
                                                           weight_synapses={"nope": [0]}))
    with pytest.raises(SpecError, match="weights_dt"):
        bn.Recording(weight_synapses={"ee": [0]})
    with pytest.raises(SpecError, match="weights_dt"):
        bn.Experiment("x", circuit, recording=bn.Recording(weights_dt=0.01 * ms), dt=0.1 * ms)
    with pytest.raises(SpecError, match="weight_bins"):
        bn.Recording(weights_dt=10 * ms, weight_bins=0)


def test_standalone_weight_monitor_needs_a_fixed_synapse_count(tmp_path):
    exp = bn.Experiment("x", _circuit("stdp_add", rule={"kind": "bernoulli", "p": 0.5}),
                        recording=bn.Recording(weights_dt=10 * ms), duration=20 * ms)
    with pytest.raises(SpecError, match="fixed synapse count"):
        bn.run(exp, device="cpp_standalone", cache_dir=tmp_path)


def test_multiplicative_nearest_spike_window_matches_the_oracle():
    # Guetig et al. (2003) mu = 1 with symmetric nearest-spike pairing (Morrison et al. 2008)
    delta_t = np.array([-30, -10, 10, 30]) * ms
    exp = pairing_experiment("stdp_mult_nearest", delta_t, [20 * Hz], 3, 0.3 * nS)
    change = pairing_weight_change(bn.run(exp, device="runtime"), delta_t, [20 * Hz],
                                   0.3 * nS)
    for k, dt in enumerate(np.asarray(delta_t)):
        post = 0.2 + np.arange(3) * 0.05
        expected = pair_stdp(post - dt, post, 0.3, 1.0, 0.005, 0.00525, 0.02, 0.02, mu=1,
                             nearest=True)
        assert change.values[0, k] == pytest.approx(expected / 0.3 - 1, abs=1e-9)


@pytest.fixture(scope="module")
def monitored():
    circuit = _circuit(stdp(w_max=1 * nS, A_plus=0.05, A_minus=0.06),
                       weight={"kind": "uniform", "low": 0 * nS, "high": 1 * nS},
                       rate=80 * Hz)
    circuit = circuit.replace(populations=[circuit.populations[0], circuit.populations[1]
                                           .replace(parameters={"tau_e": 5 * ms})])
    recording = bn.Recording(weights_dt=50 * ms, weight_bins=5,
                             weight_synapses={"ee": list(range(40))})
    return bn.run(bn.Experiment("mon", circuit, recording=recording, duration=500 * ms),
                  device="runtime")


def test_weight_statistics_agree_with_the_synapse_weights(monitored):
    traces = monitored["weight_trace"].values
    stats = monitored.sel(projection="ee")
    assert traces.shape == (10, 40) and monitored["weight_time"].values[1] == \
        pytest.approx(0.05)
    np.testing.assert_allclose(stats["weight_mean"].values, traces.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(stats["weight_std"].values, traces.std(axis=1), rtol=1e-12)
    tol = BOUND_TOLERANCE * 1e-9
    np.testing.assert_allclose(stats["weight_fraction_high"].values,
                               (traces >= 1e-9 - tol).mean(axis=1))
    np.testing.assert_allclose(stats["weight_fraction_low"].values, (traces <= tol).mean(axis=1))
    assert np.any(stats["weight_fraction_low"].values > 0)  # depression reached the bound
    expected = [np.histogram(np.clip(row, 0, 1e-9), bins=np.linspace(0, 1e-9, 6))[0]
                for row in traces]
    np.testing.assert_array_equal(stats["weight_histogram"].values, expected)
    assert monitored["weight_mean"].attrs["units"] == "S"
    assert list(monitored["traced_post"].values[:2]) == [20, 21]


def test_plasticity_table_reads_like_a_training_log(monitored):
    lines = plasticity_table(monitored)
    assert lines[0].startswith("plasticity of ee (weights in nS")
    rows = lines[2:]
    assert len(rows) == 10
    mean = float(monitored["weight_mean"].values[0, 3]) * 1e9
    previous = float(monitored["weight_mean"].values[0, 2]) * 1e9
    fields = rows[3].split()
    assert float(fields[1]) == pytest.approx(mean, rel=1e-3)
    assert float(fields[2]) == pytest.approx(mean - previous, abs=1e-3)
    post = monitored["population"].values[monitored["spike_neuron"].values] == "post"
    t = monitored["spike_time"].values
    rate = np.sum(post & (t >= 0.1) & (t < 0.15)) / (2 * 0.05)
    assert float(fields[-1]) == pytest.approx(rate, abs=0.01)


def test_spiking_hebbian_rule_integrates_the_trace_rates():
    # tau_w dw/dt = w_ref nu_pre nu_post / nu_ref^2 with spike-train traces
    # (tau_rate dnu/dt = -nu, nu += 1/tau_rate per spike), Euler steps as in Brian2:
    # the state update of a step uses the traces before that step's spikes
    exp = pairing_experiment("hebbian_spiking", [5 * ms], [20 * Hz], 10, 1 * nS)
    change = pairing_weight_change(bn.run(exp, device="runtime"), [5 * ms], [20 * Hz],
                                   1 * nS)
    dt, tau_rate, tau_w, nu_ref = 1e-4, 0.1, 10.0, 10.0
    steps = int(round(float(exp.duration) / dt))
    post_steps = {2000 + 500 * k for k in range(10)}
    pre_steps = {s - 50 for s in post_steps}
    w, nu_pre, nu_post = 1.0, 0.0, 0.0
    for step in range(steps):
        w += dt * nu_pre * nu_post / nu_ref**2 / tau_w
        nu_pre -= dt * nu_pre / tau_rate
        nu_post -= dt * nu_post / tau_rate
        nu_pre += (step in pre_steps) / tau_rate
        nu_post += (step in post_steps) / tau_rate
    assert change.values[0, 0] == pytest.approx(w - 1, rel=1e-3)
    assert w - 1 > 0.01
