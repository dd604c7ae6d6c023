"""Region templates take a `seed`: the circuit's default seed (`Circuit.seed`).

An experiment given no seed takes its circuit's, so a template seed fixes one instance of
the network (connectivity, per-neuron initial values, hence the spikes); an experiment seed
overrides it. Checked on the runtime device with a small Vogels-Abbott network (``cuba`` at
``scale = 0.05``: 160 + 40 neurons, connection probability 0.4, ~16,000 synapses), whose
neurons fire from their random initial potentials without any input (E_L above threshold).
"""

import numpy as np
import pytest
from bioneuro.regions import combine, cuba
from brian2.units import ms

import bioneuro as bn
from bioneuro import registry
from bioneuro.errors import SpecError


def _instance(circuit, **experiment):
    exp = bn.Experiment("seeded", circuit, duration=20 * ms, **experiment,
                        recording=bn.Recording(spikes="all", connectivity=True))
    ds = bn.run(exp, device="runtime")
    return exp.seed, (ds["synapse_pre"].values, ds["synapse_post"].values,
                      ds["spike_neuron"].values, ds["spike_time"].values)


def _same(a, b):
    return all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_template_seed_fixes_the_network_instance():
    seed_a, a = _instance(cuba(0.05, seed=3))
    seed_b, b = _instance(cuba(0.05, seed=3))
    seed_c, c = _instance(cuba(0.05, seed=4))
    assert (seed_a, seed_b, seed_c) == (3, 3, 4)
    assert a[2].size > 10                   # the network fires: the spikes are a real check
    assert _same(a, b)
    # another seed: other synapses (16,000 Bernoulli draws cannot coincide by chance) and
    # other spikes
    assert not np.array_equal(a[0], c[0]) or not np.array_equal(a[1], c[1])
    assert not _same(a[2:], c[2:])
    # an experiment's own seed overrides the template's: cuba(seed=3) run with seed 4 is
    # the cuba(seed=4) instance
    seed_d, d = _instance(cuba(0.05, seed=3), seed=4)
    assert seed_d == 4 and _same(c, d)


def test_every_template_takes_a_seed_that_round_trips():
    for name in registry.names("regions"):
        factory = registry.get("regions", name)
        circuit = factory(seed=5)
        assert circuit.seed == 5, name
        assert bn.Circuit.from_dict(circuit.to_dict()).seed == 5, name
        assert factory().seed is None, name
        assert bn.Experiment("e", circuit).seed == 5, name
    assert combine("pair", {"a": cuba(0.01), "b": cuba(0.01)}, seed=6).seed == 6
    # no template seed: the experiment default 0, and the circuit's dict is unchanged
    assert bn.Experiment("e", cuba(0.01)).seed == 0 and "seed" not in cuba(0.01).to_dict()


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, True, "1"])
def test_bad_seed_names_the_field(seed):
    with pytest.raises(SpecError, match="circuit.seed"):
        cuba(0.01, seed=seed)
