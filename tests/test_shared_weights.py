"""A constant weight that nothing writes is compiled as one scalar of the pathway.

`bioneuro.plan.weight_is_shared` decides it; the network must be the same one either way:
the same synapses, the same spikes, the same recorded weights, and checkpoints move between
the two forms.
"""

import numpy as np
import pytest
from bioneuro.models.lif import lif_curr_exp
from bioneuro.models.plasticity import stdp
from bioneuro.models.spike_sources import poisson_source
from bioneuro.models.synapses import gap_junction, static, tsodyks_markram
from brian2.units import Hz, ms, mV, nS, pA, second

import bioneuro as bn
from bioneuro.plan import make_plan, weight_is_shared

WEIGHT = 60 * pA


def _experiment(recording=None, synapse=static, weight=WEIGHT, duration=0.3 * second,
                delay=1 * ms):
    """40 Poisson sources at 30 Hz onto 20 LIF neurons, and the targets onto themselves."""
    pops = [bn.Population("src", poisson_source, 40, {"rate": 30 * Hz}),
            bn.Population("tgt", lif_curr_exp, 20, {"I_ext": 300 * pA},
                          initial={"v": {"kind": "uniform", "low": -70 * mV,
                                         "high": -55 * mV}})]
    projs = [bn.Projection("drive", "src", "tgt", "e", {"kind": "bernoulli",
                                                        "p": 0.3}, weight, delay=delay,
                           synapse=synapse),
             bn.Projection("recurrent", "tgt", "tgt", "e", {"kind": "bernoulli",
                                                            "p": 0.2}, 20 * pA)]
    return bn.Experiment("shared_weight_probe", bn.Circuit("shared_weight_probe", pops, projs),
                         recording=recording or bn.Recording(connectivity=True),
                         duration=duration, dt=0.1 * ms, seed=5)


def _shared(exp, name="drive"):
    proj = next(p for p in exp.circuit.projections if p.name == name)
    return weight_is_shared(proj, exp.recording, exp.circuit)


MONITORED = bn.Recording(connectivity=True, weights_dt=10 * ms, weight_projections=("drive",))


@pytest.mark.parametrize("label, exp, shared", [
    ("static, constant", _experiment(), True),
    ("short-term plasticity reads w only", _experiment(synapse=tsodyks_markram), True),
    ("a weight per synapse drawn from a distribution",
     _experiment(weight={"kind": "normal", "mean": 60 * pA, "std": 10 * pA}), False),
    ("plasticity writes w", _experiment(synapse=stdp(100 * pA)), False),
    ("recorded weights", _experiment(recording=MONITORED), False),
    ("a gap junction: no spike pathway", _experiment(synapse=gap_junction,
                                                     weight=1 * nS, delay=0 * ms), False),
])
def test_which_weights_are_shared(label, exp, shared):
    assert _shared(exp) is shared, label
    values = make_plan(exp).run_values()
    # a shared weight is itself the run-time value; otherwise its distribution's parameters
    assert ("syn_drive.w" in values) is shared
    assert any(k.startswith("syn_drive.weight_") for k in values) is not shared


def test_shared_and_per_synapse_weights_give_the_same_network():
    """Runtime: a shared weight and the same constant stored per synapse (forced by
    recording it) give the same synapses, the same weights and the same spikes."""
    shared = bn.run(_experiment(), device="runtime")
    stored = bn.run(_experiment(recording=MONITORED), device="runtime")
    for name in ("synapse_pre", "synapse_post", "synapse_projection"):
        np.testing.assert_array_equal(shared[name].values, stored[name].values)
    drive = (shared.synapse_projection == "drive").values
    assert drive.sum() > 100
    # every synapse reports the constant (in A: the weight unit of a current-based target)
    np.testing.assert_allclose(shared.weight.values[drive], float(WEIGHT), rtol=1e-12)
    np.testing.assert_array_equal(shared.weight.values, stored.weight.values)
    np.testing.assert_array_equal(shared.spike_time.values, stored.spike_time.values)
    np.testing.assert_array_equal(shared.spike_neuron.values, stored.spike_neuron.values)
    assert shared.spike_time.size > 50


def test_a_checkpoint_moves_between_shared_and_per_synapse_weights(tmp_path):
    """A state saved with the weight per synapse (recorded) continues in a run where it is
    shared, and the other way round; the continuation equals the uninterrupted run's
    second half only in time, so check the time axis and the weights."""
    half = 0.15 * second
    stored = bn.run(_experiment(recording=MONITORED, duration=half), device="runtime",
                    save_state=True)
    assert any(v.endswith("__w") for v in stored.data_vars)  # w saved per synapse
    path = bn.save(stored, tmp_path / "stored.nc")
    continued = bn.run(_experiment(duration=half), device="runtime", resume_from=path)
    assert continued.attrs["t_start_s"] == pytest.approx(0.15)
    assert continued.spike_time.values.min() >= 0.15
    drive = (continued.synapse_projection == "drive").values
    np.testing.assert_allclose(continued.weight.values[drive], float(WEIGHT), rtol=1e-12)

    shared = bn.run(_experiment(duration=half), device="runtime", save_state=True)
    assert not any(v.endswith("syn_drive__w") for v in shared.data_vars)
    path = bn.save(shared, tmp_path / "shared.nc")
    back = bn.run(_experiment(recording=MONITORED, duration=half), device="runtime",
                  resume_from=path)
    mask = (back.synapse_projection == "drive").values
    np.testing.assert_allclose(back.weight.values[mask], float(WEIGHT), rtol=1e-12)


@pytest.mark.slow
def test_standalone_reads_one_scalar_and_matches_per_synapse(build_cache):
    """cpp_standalone: the pathway's code reads one value, and the run equals the
    per-synapse build spike for spike."""
    shared = bn.run(_experiment(), device="cpp_standalone", cache_dir=build_cache)
    stored = bn.run(_experiment(recording=MONITORED), device="cpp_standalone",
                    cache_dir=build_cache)
    code = (next(p for p in build_cache.glob("cpp-*")
                 if (p / "manifest.json").exists() and
                 shared.attrs["build_dir"].endswith(p.name))
            / "code_objects" / "syn_drive_pre_codeobject.cpp").read_text()
    assert "const double w = _ptr_array_syn_drive_w[0];" in code
    np.testing.assert_array_equal(shared.weight.values, stored.weight.values)
    np.testing.assert_array_equal(shared.spike_time.values, stored.spike_time.values)
    np.testing.assert_array_equal(shared.spike_neuron.values, stored.spike_neuron.values)
