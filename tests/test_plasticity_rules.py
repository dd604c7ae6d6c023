"""Plasticity rules as specs, weight monitoring and the CLI plasticity table (runtime)."""

import numpy as np
import pytest
from bioneuro.models.lif import lif_cond_exp, lif_curr_exp
from bioneuro.models.plasticity import dopamine_signal, stdp, with_signal
from bioneuro.models.plasticity.rate_based import rate_rule
from bioneuro.models.spike_sources import poisson_source
from bioneuro.protocols.pairing import pairing_experiment, pairing_weight_change
from brian2.units import Hz, ms, nS, pA, second
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


def _oracle_statistics(weights, low, high, edges):
    """Statistics of a (time, synapse) weight array computed directly (numpy)."""
    weights = np.atleast_2d(weights)
    out = {"weight_mean": weights.mean(axis=1), "weight_std": weights.std(axis=1),
           "n_active_synapses": np.full(len(weights), weights.shape[1]),
           "weight_histogram": [np.histogram(np.clip(row, edges[0], edges[-1]), edges)[0]
                                for row in weights]}
    if high is not None:
        tol = BOUND_TOLERANCE * (high - low)
        out["weight_fraction_low"] = (weights <= low + tol).mean(axis=1)
        out["weight_fraction_high"] = (weights >= high - tol).mean(axis=1)
    return out


@pytest.fixture(scope="module")
def standalone_statistics(build_cache):
    # random connectivity (synapse count drawn in the compiled code): bounded STDP on a
    # bernoulli rule, an unbounded Hebbian rule on a condition rule; an all-to-all Oja
    # projection traces every synapse (the full-recording oracle at every sample)
    hebb = rate_rule("hebbian", "spiking", w_ref=10 * pA, tau_rate=2 * ms, tau_w=0.2 * second,
                     name="hebbian_pA")
    oja = rate_rule("oja", "spiking", w_ref=50 * pA, tau_w=0.5 * second, name="oja_pA")
    pops = [bn.Population("src", poisson_source, 30, {"rate": 60 * Hz, "t_stop": 300 * ms}),
            bn.Population("post", lif_curr_exp, 3, {"tau_e": 5 * ms})]
    uniform = {"kind": "uniform", "low": 0 * pA, "high": 100 * pA}
    projs = [bn.Projection("bern", "src", "post", "e", {"kind": "bernoulli", "p": 0.5},
                           uniform, synapse=stdp(w_max=100 * pA, A_plus=0.05, A_minus=0.06)),
             bn.Projection("cond", "src", "post", "e",
                           {"kind": "condition", "condition": "i % 3 == j"}, uniform,
                           synapse=hebb),
             bn.Projection("full", "src", "post", "e", "all_to_all", uniform, synapse=oja)]
    recording = bn.Recording(spikes=("post",), connectivity=True, weights_dt=50 * ms,
                             weight_bins=6, weight_synapses={"full": list(range(90))})
    exp = bn.Experiment("wstats", bn.Circuit("c", pops, projs), recording=recording,
                        duration=400 * ms, seed=5)
    return bn.run(exp, device="cpp_standalone", cache_dir=build_cache)


@pytest.mark.slow
def test_standalone_statistics_of_random_connectivity_match_the_final_weights(
        standalone_statistics):
    ds = standalone_statistics
    assert ds.attrs["device"] == "cpp_standalone"
    assert "post" in set(ds["population"].values[ds["spike_neuron"].values])
    # inputs stop at 300 ms: the sample at 350 ms holds the final weights
    # (recording.connectivity), the oracle; Hebbian traces decay with tau_rate = 2 ms
    last = ds.sel(weight_time=0.35, method="nearest")
    for name, bounds in (("bern", (0.0, 100e-12)), ("cond", None)):
        sel = ds["synapse_projection"].values == name
        final = ds["weight"].values[sel]
        stats = last.sel(projection=name)
        centres = stats["weight_bin_center"].values
        half = (centres[1] - centres[0]) / 2
        edges = np.append(centres - half, centres[-1] + half)
        expected = _oracle_statistics(final, *(bounds or (0.0, None)), edges)
        assert int(stats["n_active_synapses"]) == sel.sum() > 0
        for var, value in expected.items():
            # one rounding of the sums (1e-12) and of the bin centres
            np.testing.assert_allclose(stats[var].values, np.ravel(value), rtol=1e-9,
                                       atol=0, err_msg=f"{name}.{var}")
    # the bounded rule's bins span its bounds; STDP moved the weights
    assert ds.sel(projection="bern")["weight_bin_center"].values[0] == pytest.approx(
        100e-12 / 12)
    mean = ds.sel(projection="bern")["weight_mean"].values
    assert abs(mean[-1] - mean[0]) > 1e-12
    assert np.all(np.isnan(ds.sel(projection="cond")["weight_fraction_high"].values))
    assert ds.sel(projection="bern")["weight_histogram"].values.sum(axis=1).tolist() == \
        [int((ds["synapse_projection"].values == "bern").sum())] * ds.sizes["weight_time"]


@pytest.mark.slow
def test_standalone_statistics_match_a_full_recording_at_every_sample(standalone_statistics):
    ds = standalone_statistics
    traces = ds["weight_trace"].values  # every synapse of "full", (time, synapse)
    assert traces.shape == (8, 90)
    # unbounded rule: bins fixed over [min, max] of the first sample
    edges = np.linspace(traces[0].min(), traces[0].max(), 7)
    expected = _oracle_statistics(traces, 0.0, None, edges)
    stats = ds.sel(projection="full")
    for var, value in expected.items():
        np.testing.assert_allclose(stats[var].values, np.asarray(value), rtol=1e-9,
                                   err_msg=var)
    np.testing.assert_allclose(stats["weight_bin_center"].values,
                               0.5 * (edges[1:] + edges[:-1]), rtol=1e-12)
    assert np.ptp(stats["weight_mean"].values) > 1e-13  # the weights changed


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
