"""Interchange: results -> NWB (checked by nwbinspector, read back with pynwb), circuits ->
SONATA (read back with h5py), and the ``bioneuro export`` / ``run --resume`` commands.

All runs use the runtime device (no build). The oracle of every round trip is the bioneuro
Dataset of the same experiment and seed.
"""

import csv
import json

import numpy as np
import pytest
from brian2.units import ms
from resume_circuit import resume_experiment

import bioneuro as bn
from bioneuro.cli import main

pynwb = pytest.importorskip("pynwb")
nwbinspector = pytest.importorskip("nwbinspector")
h5py = pytest.importorskip("h5py")

DELAY = 1.5 * ms


@pytest.fixture(scope="module")
def results():
    return bn.run(resume_experiment(40 * ms, DELAY))


@pytest.fixture(scope="module")
def nwb_file(results, tmp_path_factory):
    from bioneuro.nwb import to_nwb

    return to_nwb(results, tmp_path_factory.mktemp("nwb") / "probe.nwb",
                  institution="bioneuro tests", experimenter=["Tester, Test"])


def test_nwb_file_passes_nwbinspector(nwb_file):
    from nwbinspector import Importance, inspect_nwbfile

    messages = list(inspect_nwbfile(nwbfile_path=str(nwb_file)))
    # a simulation has no animal: the subject check is the one expected report
    serious = [m for m in messages if m.importance.value >= Importance.BEST_PRACTICE_VIOLATION
               .value and m.check_function_name != "check_subject_exists"]
    assert not serious, [(m.check_function_name, m.message) for m in serious]
    assert {m.check_function_name for m in messages} <= {
        "check_subject_exists", "check_processing_module_name"}


def test_nwb_file_reads_back_spikes_traces_and_metadata(nwb_file, results):
    ds = results
    with pynwb.NWBHDF5IO(str(nwb_file), "r") as io:
        nwbfile = io.read()
        units = nwbfile.units.to_dataframe()
        assert len(units) == ds.sizes["neuron"]  # every population's spikes are recorded
        for unit_id, row in units.iterrows():
            expected = np.sort(ds.spike_time.values[ds.spike_neuron.values == unit_id])
            assert np.array_equal(np.asarray(row["spike_times"]), expected)
            assert row["population"] == ds.population.values[unit_id]
            assert row["cell_type"] == ds.cell_type.values[unit_id]
            assert row["region"] == ds.region.values[unit_id]
        assert units.spike_times.map(len).sum() == ds.sizes["spike"] > 0
        module = nwbfile.processing["simulation"]
        v = module["v"]
        assert np.array_equal(np.asarray(v.data[:]), ds.v.values, equal_nan=True)
        assert v.rate == pytest.approx(1 / float(np.diff(ds.time.values)[0]))
        assert v.unit == "V"
        rows = module["recorded_neurons"].to_dataframe()
        assert list(rows.neuron_id) == list(ds.recorded_neuron.values)
        synapses = module["synapses"].to_dataframe()
        assert np.array_equal(synapses.weight.values, ds.weight.values)
        assert np.array_equal(synapses.pre.values, ds.synapse_pre.values)
        assert nwbfile.experiment_description == ds.attrs["experiment"]
        provenance = json.loads(nwbfile.notes)
        assert provenance["seed"] == ds.attrs["seed"]
        assert provenance["brian2_version"] == ds.attrs["brian2_version"]


def test_sonata_round_trip_of_structure(tmp_path, results):
    from bioneuro.sonata import read_sonata, to_sonata

    config = to_sonata(resume_experiment(40 * ms, DELAY), tmp_path / "circuit")
    net = read_sonata(config.parent)
    exp = resume_experiment(40 * ms, DELAY)
    # the protocol's spike generator ('kick') is a population of the built circuit too
    circuit = exp.stimulation().experiment.circuit
    assert "kick" in net["nodes"]
    assert net["nodes"] == {p.name: p.size for p in circuit.populations}
    det = net["edges"]["det"]
    assert (det["source_population"], det["target_population"]) == ("drive", "target")
    # fixed in-degree 8 (closed form): every target neuron has exactly 8 inputs
    assert np.array_equal(np.bincount(det["target"], minlength=10), np.full(10, 8))
    assert len(net["edges"]["noisy"]["source"]) == 40 * 5  # all to all
    # same seed -> the same synapses and initial weights as a run (its Dataset's global ids)
    start = {p: int(np.flatnonzero(results.population.values == p)[0])
             for p in ("drive", "target", "noise", "noisy_target")}
    for name, (pre, post) in {"det": ("drive", "target"),
                              "noisy": ("noise", "noisy_target")}.items():
        mask = (results.synapse_projection == name).values
        edges = net["edges"][name]
        assert np.array_equal(edges["source"] + start[pre], results.synapse_pre.values[mask])
        assert np.array_equal(edges["target"] + start[post], results.synapse_post.values[mask])
        assert np.allclose(edges["delay"], float(DELAY))
    # weights are drawn at build time: compare with a run too short for plasticity to act
    first = bn.run(resume_experiment(0.1 * ms, DELAY))
    mask = (first.synapse_projection == "det").values
    assert np.array_equal(det["syn_weight"], first.weight.values[mask])
    with open(config.parent / "edge_types.csv", encoding="utf-8") as handle:
        edge_types = list(csv.DictReader(handle, delimiter=" "))
    assert [(r["projection"], r["weight_unit"]) for r in edge_types] == [
        ("det", "A"), ("noisy", "A"), ("kick_to_target", "A")]
    # the protocol's one-to-one drive: generator neuron k onto target neuron k
    kick = net["edges"]["kick_to_target"]
    assert np.array_equal(kick["source"], np.arange(10))
    assert np.array_equal(kick["target"], np.arange(10))
    with open(config.parent / "node_types.csv", encoding="utf-8") as handle:
        node_types = {r["pop_name"]: r for r in csv.DictReader(handle, delimiter=" ")}
    assert node_types["noise"]["model_type"] == "virtual"
    assert node_types["target"]["cell_type"] == "target"


def test_export_commands(chdir_tmp, capsys):
    assert main(["run", "cuba", "--device", "runtime", "--scale", "0.02", "--duration",
                 "10ms", "--save-state", "-o", "a.nc", "-q"]) == 0
    assert main(["run", "cuba", "--device", "runtime", "--scale", "0.02", "--duration",
                 "10ms", "--resume", "a.nc", "-o", "b.nc", "-q"]) == 0
    continued = bn.load(chdir_tmp / "b.nc")
    assert continued.attrs["t_start_s"] == pytest.approx(0.01)
    assert continued.attrs["resumed_from"] == "a.nc"
    assert np.all(continued.spike_time.values >= 0.01)
    assert main(["export", "b.nc", "--to", "nwb"]) == 0
    with pynwb.NWBHDF5IO(str(chdir_tmp / "b.nwb"), "r") as io:
        assert io.read().units.to_dataframe().spike_times.map(len).sum() == \
            continued.sizes["spike"]
    assert main(["export", "cuba", "--to", "sonata", "--scale", "0.02",
                 "--output-dir", "cuba_net"]) == 0
    exp = bn.simulate.resolve_experiment("cuba", 0.02)
    assert read_nodes(chdir_tmp / "cuba_net") == {p.name: p.size
                                                  for p in exp.circuit.populations}
    # bad input: a SONATA option with an NWB export, resuming another experiment
    assert main(["export", "b.nc", "--to", "nwb", "--output-dir", "x"]) == 2
    assert main(["run", "cuba", "--device", "runtime", "--scale", "0.04", "--duration",
                 "10ms", "--resume", "a.nc", "-q"]) == 2
    assert "population 'E'" in capsys.readouterr().err


def read_nodes(folder):
    from bioneuro.sonata import read_sonata

    return read_sonata(folder)["nodes"]
