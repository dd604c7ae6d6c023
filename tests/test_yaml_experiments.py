"""A YAML experiment runs exactly like the same experiment written in Python."""

import numpy as np
from brian2.units import ms

import bioneuro as bn
from bioneuro.experiments import cuba


def test_yaml_spec_equals_python_spec(tmp_path):
    exp = cuba(scale=0.05, duration=100 * ms, seed=7)
    path = tmp_path / "cuba_small.yaml"
    path.write_text(exp.to_yaml())
    from_python = bn.run(exp, device="runtime")
    from_yaml = bn.run(str(path), device="runtime")
    for name in ("spike_time", "spike_neuron", "v"):
        np.testing.assert_array_equal(from_python[name], from_yaml[name])
    assert from_python.attrs["experiment_hash"] == from_yaml.attrs["experiment_hash"]


def test_handwritten_yaml_with_inline_model_and_distributions(tmp_path):
    text = """
name: two_pops
duration: 50 ms
seed: 2
circuit:
  name: two_pops
  populations:
    - {name: A, model: lif_cond_exp, size: 20, parameters: {I_ext: 0.5 nA},
       initial: {v: {kind: uniform, low: -70 mV, high: -60 mV}}}
    - {name: B, model: lif_cond_exp, size: 10,
       parameters: {tau_m: {kind: normal, mean: 10 ms, std: 1 ms, low: 5 ms}}}
  projections:
    - {name: AB, pre: A, post: B, target: g_e, connectivity: {kind: fixed_indegree, k: 5},
       weight: {kind: lognormal, mean: 2 nS, std: 1 nS},
       delay: {kind: uniform, low: 1 ms, high: 3 ms}}
recording:
  connectivity: true
"""
    path = tmp_path / "two.yaml"
    path.write_text(text)
    ds = bn.run(str(path), device="runtime")
    assert ds.sizes["neuron"] == 30
    # fixed in-degree: every B neuron has exactly 5 inputs
    post = ds["synapse_post"].values
    assert np.all(np.bincount(post - 20, minlength=10) == 5)
    w = ds["weight"].values
    assert np.all(w > 0) and abs(w.mean() - 2e-9) < 0.6e-9
    a_rate = (ds["spike_neuron"] < 20).sum() / 20 / 0.05
    assert a_rate > 10  # 0.5 nA drives A above threshold
