"""Composing region circuits: names, region labels, inter-region projections that deliver."""

import numpy as np
import pytest
from bioneuro.regions import combine, cuba
from brian2.units import ms, mV, nA, pA
from lif_dc import first_spike_time, lif_dc_experiment

import bioneuro as bn
from bioneuro.errors import SpecError, UnknownNameError

DELAY = 2 * ms


def _relay_circuit():
    """`src`: DC-driven LIF neurons (closed-form periods); `dst`: silent LIF neurons that
    each receive one strong synapse from one `src` neuron."""
    src = lif_dc_experiment(currents=(0.5, 0.6)).circuit
    dst = bn.Circuit("relay", [bn.Population(name, "lif_curr_exp", 1,
                                             parameters={"tau_e": 1 * ms},
                                             initial={"v": -65 * mV})
                               for name in ("R0", "R1")])
    links = [bn.Projection(f"P{k}_to_R{k}", f"src.P{k}", f"dst.R{k}", "e", "one_to_one",
                           10 * nA, delay=DELAY) for k in (0, 1)]
    return combine("relay_loop", {"src": src, "dst": dst}, links)


def test_names_are_prefixed_and_regions_are_the_keys():
    circuit = combine("pair", {"a": cuba(0.01), "b": cuba(0.01)},
                      [bn.Projection("a_to_b", "a.E", "b.E", "e", "one_to_one", 10 * pA)])
    assert [p.name for p in circuit.populations] == ["a_E", "a_I", "b_E", "b_I"]
    assert [p.region for p in circuit.populations] == ["a", "a", "b", "b"]
    assert [p.cell_type for p in circuit.populations][:2] == ["excitatory", "inhibitory"]
    names = [p.name for p in circuit.projections]
    assert names == ["a_EE", "a_EI", "a_IE", "a_II", "b_EE", "b_EI", "b_IE", "b_II", "a_to_b"]
    inter = circuit.projections[-1]
    assert (inter.pre, inter.post) == ("a_E", "b_E")
    # the regions' own projections keep their rules and weights
    assert circuit.projections[0].connectivity == cuba(0.01).projections[0].connectivity
    assert circuit.n_neurons == 2 * cuba(0.01).n_neurons
    assert set(circuit.references) == set(cuba().references)


@pytest.mark.parametrize("end, message", [
    ("E", "'region.population'"), ("c.E", "'c'"), ("a.X", "'X'")])
def test_bad_projection_ends_are_named(end, message):
    with pytest.raises((SpecError, UnknownNameError)) as err:
        combine("pair", {"a": cuba(0.01)},
                [bn.Projection("bad", end, "a.E", "e", "one_to_one", 10 * pA)])
    assert "projections.bad.pre" in str(err.value) and message in str(err.value)


def test_empty_or_wrong_regions_are_refused():
    with pytest.raises(SpecError, match="at least one region"):
        combine("none", {})
    with pytest.raises(SpecError, match="regions.a"):
        combine("bad", {"a": "cuba"})


def test_inter_region_projection_relays_every_spike_after_its_delay():
    """Each `dst` neuron fires once per `src` spike, a fixed latency (>= the delay) later;
    `src` fires at its closed-form times, and the Dataset splits neurons by region."""
    ds = bn.run(bn.Experiment("relay", _relay_circuit(), duration=60 * ms, dt=0.1 * ms))
    region = ds.neuron.region.values
    assert sorted(set(region)) == ["dst", "src"]
    for k, current in enumerate((0.5, 0.6)):
        src_id = int(np.flatnonzero(ds.neuron.population.values == f"src_P{k}")[0])
        dst_id = int(np.flatnonzero(ds.neuron.population.values == f"dst_R{k}")[0])
        t_src = ds.spike_time.values[ds.spike_neuron.values == src_id]
        t_dst = ds.spike_time.values[ds.spike_neuron.values == dst_id]
        assert abs(t_src[0] - first_spike_time(current)) <= 0.1e-3 + 1e-9
        t_dst = t_dst[t_dst < 60e-3]
        n = min(len(t_src), len(t_dst))
        assert len(t_src) - n <= 1 and len(t_dst) == n >= 3
        latency = t_dst - t_src[:n]
        # a 10 nA current decaying with 1 ms (40 mV of charge on 250 pF) reaches threshold
        # within ~0.5 ms of its arrival, and only once: the latency is the same for every spike
        assert np.ptp(latency) < 1e-9 + 0.1e-3
        assert float(DELAY) <= latency[0] <= float(DELAY) + 1e-3
