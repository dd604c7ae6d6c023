"""Connection rules and value distributions, built by Brian2 (runtime target) and checked
against their definitions."""

import numpy as np
import pytest
from brian2.units import ms, mV, nA, nS

import bioneuro as bn
from bioneuro.distributions import (
    Linspace,
    LogNormal,
    Normal,
    PostVariable,
    Uniform,
    distribution,
)
from bioneuro.errors import SpecError, UnknownNameError


def _connect(rule, n_pre=30, n_post=20, same=False, weight=1 * nS, seed=1):
    pops = [bn.Population("A", "lif_cond_exp", n_pre)]
    if not same:
        pops.append(bn.Population("B", "lif_cond_exp", n_post))
    post = "A" if same else "B"
    circuit = bn.Circuit("c", pops, [bn.Projection("P", "A", post, "g_e", rule, weight)])
    exp = bn.Experiment("c", circuit, recording=bn.Recording(connectivity=True),
                        duration=1 * ms, seed=seed)
    ds = bn.run(exp, device="runtime")
    offset = 0 if same else n_pre
    return ds["synapse_pre"].values, ds["synapse_post"].values - offset, ds["weight"].values


def test_one_to_one_and_all_to_all():
    pre, post, _ = _connect({"kind": "one_to_one"}, 20, 20)
    assert list(pre) == list(post) == list(range(20))
    pre, post, _ = _connect({"kind": "all_to_all", "allow_autapses": False}, 15, same=True)
    assert len(pre) == 15 * 14 and not np.any(pre == post)


def test_fixed_in_and_out_degree_without_autapses():
    pre, post, _ = _connect({"kind": "fixed_indegree", "k": 7, "allow_autapses": False}, 25,
                            same=True)
    assert np.all(np.bincount(post, minlength=25) == 7) and not np.any(pre == post)
    assert len(set(zip(pre, post, strict=True))) == len(pre)  # no multapses
    pre, post, _ = _connect({"kind": "fixed_outdegree", "k": 4}, 30, 20)
    assert np.all(np.bincount(pre, minlength=30) == 4)


def test_fixed_total_number_and_condition():
    pre, post, _ = _connect({"kind": "fixed_total_number", "n": 123}, 30, 20)
    assert len(pre) == 123 and pre.max() < 30 and post.max() < 20
    pre, post, _ = _connect({"kind": "condition", "condition": "abs(i - j) <= 1"}, 10, same=True)
    assert len(pre) == 10 + 2 * 9 and np.all(np.abs(pre - post) <= 1)


def test_bernoulli_count_is_binomial():
    pre, _, _ = _connect({"kind": "bernoulli", "p": 0.1}, 100, 100)
    # 10000 pairs, p = 0.1: mean 1000, sd 30
    assert abs(len(pre) - 1000) < 5 * 30


def test_weight_distributions_drawn_in_generated_code():
    _, _, w = _connect({"kind": "all_to_all"}, 60, 50,
                       weight=Normal(2 * nS, 1 * nS, low=0 * nS, high=3 * nS))
    high = float(3 * nS)
    assert w.min() >= 0 and w.max() <= high and np.any(w == high)
    assert abs(np.median(w) - 2e-9) < 0.1e-9
    _, _, w = _connect({"kind": "all_to_all"}, 60, 50, weight=LogNormal(2 * nS, 1 * nS))
    assert abs(w.mean() - 2e-9) < 0.1e-9 and abs(w.std() - 1e-9) < 0.15e-9


@pytest.mark.parametrize("dist, mean, std", [
    (Uniform(-70 * mV, -50 * mV), -0.060, 0.020 / np.sqrt(12)),
    (Normal(5 * ms, 1 * ms), 0.005, 0.001),
    (LogNormal(10 * ms, 5 * ms), 0.010, 0.005),
    (LogNormal(-2 * nS, 1 * nS), -2e-9, 1e-9),
])
def test_sampling_moments(dist, mean, std):
    values = dist.sample(np.random.default_rng(0), 200_000)
    assert values.mean() == pytest.approx(mean, rel=0.01)
    assert values.std() == pytest.approx(std, rel=0.02)


def test_per_neuron_parameters_are_heterogeneous_and_reproducible():
    pop = bn.Population("A", "lif_curr_exp", 500,
                        parameters={"tau_m": Normal(10 * ms, 2 * ms, low=1 * ms)})
    from bioneuro.plan import make_plan

    exp = bn.Experiment("h", bn.Circuit("h", [pop]), duration=1 * ms, seed=9)
    values = make_plan(exp).run_values()["neurons_0.tau_m"]
    again = make_plan(exp).run_values()["neurons_0.tau_m"]
    other = make_plan(exp.replace(seed=10)).run_values()["neurons_0.tau_m"]
    assert np.array_equal(values, again) and not np.array_equal(values, other)
    assert values.min() >= 1e-3 and abs(values.mean() - 0.010) < 0.0005


def test_post_variable_delay_is_the_postsynaptic_cells_value():
    # the presynaptic cell (LIF, I_ext = 1 nA) first fires at tau_m ln(40/25) = 4.7 ms and
    # next at 11.4 ms; each postsynaptic cell receives it through a synapse whose delay is
    # its own tau_ref (1..5 ms) and a 1 uS weight that fires it within ~0.2 ms, so its first
    # spike comes its delay after the first presynaptic one (tolerance: two 0.1 ms steps
    # plus that rise time)
    delays = np.linspace(1e-3, 5e-3, 9)
    pops = [bn.Population("A", "lif_cond_exp", 1, parameters={"I_ext": 1 * nA}),
            bn.Population("B", "lif_cond_exp", delays.size,
                          parameters={"tau_ref": Linspace(1 * ms, 5 * ms)})]
    proj = bn.Projection("P", "A", "B", "e", {"kind": "all_to_all"}, 1000 * nS,
                         delay=PostVariable("tau_ref"))
    exp = bn.Experiment("d", bn.Circuit("d", pops, [proj]), duration=12 * ms,
                        recording=bn.Recording(spikes="all"))
    ds = bn.run(exp, device="runtime")
    t, n = ds["spike_time"].values, ds["spike_neuron"].values
    t_pre = t[n == 0].min()
    first = np.array([t[n == k].min() for k in range(1, delays.size + 1)])
    assert t_pre == pytest.approx(4.7e-3, abs=0.2e-3)
    assert np.allclose(first - t_pre, delays, atol=0.4e-3)


def test_post_variable_must_name_a_post_variable_in_the_fields_unit():
    pops = [bn.Population("A", "lif_cond_exp", 2), bn.Population("B", "lif_cond_exp", 2)]
    with pytest.raises(UnknownNameError, match="latency"):
        bn.Circuit("c", pops, [bn.Projection("P", "A", "B", "e", {"kind": "all_to_all"},
                                             1 * nS, delay=PostVariable("latency"))])
    with pytest.raises(SpecError, match="tau_ref"):
        bn.Circuit("c", pops, [bn.Projection("P", "A", "B", "e", {"kind": "all_to_all"},
                                             PostVariable("tau_ref"))])
    assert distribution({"kind": "post", "variable": "tau_ref"}, "delay", "ms") == \
        PostVariable("tau_ref")


@pytest.mark.parametrize("condition, p, message", [
    ("abs(i - j <= 1", 1.0, "a valid Brian2 expression"),
    ("abs(i - k) <= 1", 1.0, "name 'k' is known"),
    ("v_pre > v_post", "exp(-abs(i - j)/width)", "name 'width' is known"),
    ("V_th_pre > -50*mV and tau_x_post > 0*ms", 1.0, "name 'tau_x_post'"),
])
def test_bad_condition_is_refused_when_the_circuit_is_made(condition, p, message):
    """A condition rule's expressions are parsed and their names resolved against the pre-
    and postsynaptic models when the circuit is specified, not at code generation."""
    pops = [bn.Population("A", "lif_cond_exp", 5), bn.Population("B", "lif_cond_exp", 5)]
    rule = {"kind": "condition", "condition": condition, "p": p}
    with pytest.raises(bn.SpecError, match="projections.P.connectivity") as info:
        bn.Circuit("c", pops, [bn.Projection("P", "A", "B", "g_e", rule, 1 * nS)])
    assert message in str(info.value)
    good = {"kind": "condition", "condition": "abs(i - j) <= 1 and V_th_pre > -60*mV",
            "p": "exp(-abs(i - j)/N_post)"}
    bn.Circuit("c", pops, [bn.Projection("P", "A", "B", "g_e", good, 1 * nS)])
