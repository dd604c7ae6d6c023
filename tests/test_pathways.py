"""Projections that differ only in their target slice are one ``Synapses`` object.

`bioneuro.plan.merge_pathways` merges projections from one population onto adjacent
populations of one ``NeuronGroup`` when everything else is equal (model, target, Bernoulli
probability, constant weight, delay and synapse parameters), as Brian2's CUBA example
connects its excitatory cells with one ``Synapses`` object onto both populations. The
network must stay the same network: every pair connected with its projection's probability,
results and exports reported per projection, the same dynamics, sweeps over a projection
still sharing one build, and checkpoints that say when they cannot continue.
"""

import json

import numpy as np
import pytest
from bioneuro.models.lif import lif_curr_exp
from brian2.units import ms, mV, pA, second

import bioneuro as bn
from bioneuro.connectivity import FixedInDegree
from bioneuro.errors import SpecError
from bioneuro.experiments import cuba
from bioneuro.plan import VARYING_PROJECTION, make_plan, pathway_label
from bioneuro.simulate import apply_settings
from bioneuro.sonata import _instantiate

BOTH = (("EE", "EI"), ("IE", "II"))


def _small_cuba(**settings):
    """CUBA at 400 neurons (p = 0.2: the in-degree of the full network), 50 ms."""
    return apply_settings(cuba(scale=0.1, duration=50 * ms, seed=3), settings)


def _with_projection(exp, name, **changes):
    projections = tuple(p.replace(**changes) if p.name == name else p
                        for p in exp.circuit.projections)
    return exp.replace(circuit=exp.circuit.replace(projections=projections))


def _with_middle_population(exp):
    """A third population of the same model between E and I: no projection's targets are
    adjacent any more."""
    pops = list(exp.circuit.populations)
    pops.insert(1, pops[0].replace(name="M", size=10))
    return exp.replace(circuit=exp.circuit.replace(populations=tuple(pops)))


MONITORED = {"recording.weights_dt": 10 * ms, "recording.weight_projections": ["EE"]}


@pytest.mark.parametrize("label, exp, varying, merged", [
    ("CUBA: E onto E and I, I onto E and I", _small_cuba(), (), BOTH),
    ("another weight", _small_cuba(**{"EI.weight": 20 * pA}), (), (("IE", "II"),)),
    ("another delay", _small_cuba(**{"II.delay": 1 * ms}), (), (("EE", "EI"),)),
    ("another probability", _small_cuba(**{"EE.connectivity.p": 0.1}), (), (("IE", "II"),)),
    ("a weight per synapse", _small_cuba(**{"EE.weight": {"kind": "normal", "mean": "16.2 pA",
                                                          "std": "2 pA"}}), (), (("IE", "II"),)),
    ("recorded weights", _small_cuba(**MONITORED), (), (("IE", "II"),)),
    ("a swept projection", _small_cuba(), {(VARYING_PROJECTION, "II")}, (("EE", "EI"),)),
    ("no autapses onto its own population", _small_cuba(**{"EE.connectivity.allow_autapses":
                                                            False}), (), (("IE", "II"),)),
    ("fixed in-degree", _with_projection(_small_cuba(), "EI",
                                         connectivity=FixedInDegree(8)), (), (("IE", "II"),)),
    ("targets not adjacent", _with_middle_population(_small_cuba()), (), ()),
])
def test_which_projections_are_merged(label, exp, varying, merged):
    plan = make_plan(exp, varying)
    assert plan.merged == merged, label
    names = [p.name for p in plan.pathways()]
    for members in merged:
        assert "syn_" + "__".join(members) in names
    # every projection is in exactly one pathway, and its values are the pathway's
    assert sorted(n for p in plan.pathways() for n in p.projections) == \
        sorted(p.name for p in exp.circuit.projections)
    values = plan.run_values()
    for pathway in plan.pathways():
        assert f"{pathway.name}.delay" in values, label
    assert ("syn_EE.delay" in values) is (("EE", "EI") not in merged)


def test_pathway_labels_stay_short():
    assert pathway_label(["EE"]) == "EE"
    assert pathway_label(["EE", "EI"]) == "EE__EI"
    many = [f"cortex_layer_{k}_pyramidal_to_target" for k in range(12)]
    label = pathway_label(many)
    assert label.startswith("cortex_layer_0_pyramidal_to_target__and_11_more_")
    assert len(label) < 100 and label != pathway_label(many[:-1] + ["other"])


def test_a_merged_pathway_connects_each_projection_with_its_probability():
    """Runtime, CUBA at 400 neurons: each projection's synapses lie within its pre- and
    postsynaptic populations and their number is Binomial(n_pre * n_post, p) (within 4.5
    standard deviations, four projections); attributes and connectivity agree."""
    exp = _small_cuba(**{"recording.connectivity": True})
    plan = make_plan(exp)
    assert plan.merged == BOTH
    ds = bn.run(exp, device="runtime")
    counts = json.loads(ds.attrs["n_synapses"])
    populations = {p.name: p.size for p in exp.circuit.populations}
    first = {"E": 0, "I": populations["E"]}
    for proj in exp.circuit.projections:
        mine = (ds.synapse_projection == proj.name).values
        assert mine.sum() == counts[proj.name]
        pre, post = ds.synapse_pre.values[mine], ds.synapse_post.values[mine]
        assert pre.min() >= first[proj.pre] and pre.max() < first[proj.pre] + \
            populations[proj.pre]
        assert post.min() >= first[proj.post] and post.max() < first[proj.post] + \
            populations[proj.post]
        pairs = populations[proj.pre] * populations[proj.post]
        p = proj.connectivity.p
        assert abs(counts[proj.name] - p * pairs) < 4.5 * np.sqrt(pairs * p * (1 - p)), \
            proj.name
        np.testing.assert_allclose(ds.weight.values[mine], float(proj.weight.value))
        # no pair twice
        assert len(set(zip(pre, post, strict=True))) == len(pre)


def _fan_out(duration=0.2 * second):
    """Ten LIF cells driven by different constant currents, all-to-all onto two target
    populations of the same model placed after them (one NeuronGroup: slices 10-15 and
    16-21). Nothing is random in Brian2: all-to-all wiring, initial values drawn by NumPy."""
    drive = {"kind": "uniform", "low": 300 * pA, "high": 600 * pA}
    rest = {"v": {"kind": "uniform", "low": -70 * mV, "high": -55 * mV}}
    pops = [bn.Population("src", lif_curr_exp, 10, {"I_ext": drive}, initial=rest),
            bn.Population("A", lif_curr_exp, 6, {"I_ext": 300 * pA}, initial=rest),
            bn.Population("B", lif_curr_exp, 6, {"I_ext": 300 * pA}, initial=rest)]
    projs = [bn.Projection(name, "src", post, "e", {"kind": "bernoulli", "p": 1.0},
                           150 * pA, delay=1.5 * ms)
             for name, post in (("to_A", "A"), ("to_B", "B"))]
    return bn.Experiment("fan_out", bn.Circuit("fan_out", pops, projs),
                         recording=bn.Recording(connectivity=True), duration=duration,
                         dt=0.1 * ms, seed=2)


def test_merged_and_separate_pathways_give_the_same_network():
    """The same all-to-all wiring compiled as one pathway and (a swept projection) as two
    gives the same synapses and exactly the same spikes."""
    exp = _fan_out()
    assert make_plan(exp).merged == (("to_A", "to_B"),)
    merged = bn.run(exp, device="runtime")
    separate = bn.run(exp, device="runtime", varying=[(VARYING_PROJECTION, "to_A")])
    assert merged.attrs["n_synapses"] == separate.attrs["n_synapses"] == \
        '{"to_A": 60, "to_B": 60}'
    for name in ("synapse_pre", "synapse_post", "synapse_projection", "weight"):
        a, b = merged[name].values, separate[name].values
        order_a = np.lexsort((merged.synapse_post.values, merged.synapse_pre.values))
        order_b = np.lexsort((separate.synapse_post.values, separate.synapse_pre.values))
        np.testing.assert_array_equal(a[order_a], b[order_b], err_msg=name)
    targets = merged.spike_neuron.values >= 10
    assert targets.sum() > 50  # the targets (below rheobase alone) fire with the input
    np.testing.assert_array_equal(merged.spike_time.values, separate.spike_time.values)
    np.testing.assert_array_equal(merged.spike_neuron.values, separate.spike_neuron.values)


def test_sonata_export_splits_a_merged_pathway():
    exp = _small_cuba()
    plan = make_plan(exp)
    edges = _instantiate(plan)
    ds = bn.run(exp.replace(recording=bn.Recording(connectivity=True)), device="runtime")
    sizes = {p.name: p.size for p in exp.circuit.populations}
    for proj in exp.circuit.projections:
        pre, post, weight, delay = edges[proj.name]
        assert len(pre) == int((ds.synapse_projection == proj.name).sum())
        assert 0 <= pre.min() and pre.max() < sizes[proj.pre]
        assert 0 <= post.min() and post.max() < sizes[proj.post]
        np.testing.assert_allclose(weight, float(proj.weight.value))
        np.testing.assert_allclose(delay, float(proj.delay.value))


def test_a_sweep_over_a_merged_projection_shares_one_structure():
    """Sweeping EE's weight keeps EE in a pathway of its own at every point (else the
    point whose weight equals EI's would merge and need another build)."""
    from bioneuro.parameter_sweep import _varying_parameters

    base = _small_cuba()
    varying = _varying_parameters(base, ["EE.weight", "E.tau_m"])
    assert (VARYING_PROJECTION, "EE") in varying and ("E", "tau_m") in varying
    plans = [make_plan(apply_settings(base, {"EE.weight": w}), varying)
             for w in (10 * pA, 16.2 * pA)]
    assert [p.merged for p in plans] == [(("IE", "II"),)] * 2
    assert plans[0].structure_hash() == plans[1].structure_hash()
    # without the sweep, equal values merge: another structure
    assert make_plan(base).structure_hash() != plans[1].structure_hash()
    ds = bn.sweep(base, {"EE.weight": [10 * pA, 16.2 * pA]}, device="runtime")
    assert ds.sizes["EE_weight"] == 2 and ds.attrs["sweep_failed"] == 0


def test_a_checkpoint_of_merged_pathways_resumes(tmp_path):
    """A saved state of merged pathways continues the same network (the connectivity is
    regenerated and compared); a continuation that would split them (it records EE's
    weights) is refused, naming the difference."""
    half = _small_cuba(**{"duration": 30 * ms})
    first = bn.run(half, device="runtime", save_state=True)
    assert "final_state__syn_EE__EI___synaptic_post" in first.data_vars
    path = bn.save(first, tmp_path / "first.nc")
    continued = bn.run(half, device="runtime", resume_from=path)
    assert continued.attrs["t_start_s"] == pytest.approx(0.03)
    assert continued.spike_time.size > 0 and continued.spike_time.values.min() >= 0.03
    with pytest.raises(SpecError, match="pathways"):
        bn.run(_small_cuba(**{"duration": 30 * ms, **MONITORED}), device="runtime",
               resume_from=path)
