"""The cerebellum template (`bioneuro.regions.cerebellum`) and its experiments.

Spec-level checks (sizes, in-degrees against the labelled table, Dale's law, labels) run
without a simulation. The simulation checks share ONE cpp_standalone build: the built-in
``eyeblink`` experiment with a spontaneous period (first 2 s, no stimulus), a training block
at ISI 300 ms and a retraining block at ISI 500 ms (the ISI is part of the protocol's rate
table, so both blocks live in one experiment rather than in two builds).
"""

import numpy as np
import pytest
from bioneuro.regions.cerebellum import CONVERGENCE, SIGNS, SIZES, cerebellum, convergence_table
from brian2.units import ms, nS, second

import bioneuro as bn
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.experiments.cerebellum import EYEBLINK_TIMING, eyeblink
from bioneuro.registry import get

ISI_A, ISI_B = 0.3, 0.5          # s
SPONTANEOUS = 2.0                # s before the first trial
N_TRIALS = 20                    # per block
EXCITATORY = {"e", "cf", "climbing_fibre"}


# -- structure (no simulation) -------------------------------------------------------------

def test_population_sizes_follow_scale_and_labels():
    for scale in (1.0, 2.0):
        circuit = cerebellum(scale)
        for name, size in SIZES.items():
            pop = circuit.population(name)
            assert pop.size == max(1, round(size * scale))
            assert pop.region == ("brainstem" if name == "io" else "cerebellum")
            assert pop.cell_type
    circuit = cerebellum()
    assert circuit.population("pc").cell_type == "cerebellum_purkinje"
    assert circuit.population("grc").cell_type == "cerebellum_granule"
    assert circuit.population("mli").cell_type == "cerebellum_mli"
    assert circuit.population("dcn").cell_type == "cerebellum_dcn"
    assert circuit.population("io").cell_type == "inferior_olive"


def test_in_degrees_match_the_labelled_table():
    circuit = cerebellum()
    table = convergence_table()
    for proj in circuit.projections:
        if (proj.post, proj.pre) in CONVERGENCE and proj.connectivity.kind == "fixed_indegree":
            assert proj.connectivity.k == CONVERGENCE[(proj.post, proj.pre)].k
            assert table["in_degree"].sel(post=proj.post, pre=proj.pre) == proj.connectivity.k
    # the anatomical constants kept exactly (Eccles 1967; Billings et al. 2014)
    assert CONVERGENCE[("grc", "mf")].k == 4
    assert CONVERGENCE[("pc", "io")].k == 1
    for (post, pre), row in CONVERGENCE.items():
        assert row.source.doi and table["source"].sel(post=post, pre=pre).item()


def test_dales_law_each_population_has_one_sign():
    circuit = cerebellum()
    for proj in circuit.projections:
        if proj.pre not in SIGNS:
            continue
        sign = "excitatory" if proj.target in EXCITATORY else "inhibitory"
        assert sign == SIGNS[proj.pre][0], proj.name
        assert float(np.asarray(proj.weight.value if hasattr(proj.weight, "value")
                                else proj.weight.structure().get("value", 1))) >= 0
    # the signs agree with the cell types' own tags
    for pop, cell in (("grc", "cerebellum_granule"), ("goc", "cerebellum_golgi"),
                      ("pc", "cerebellum_purkinje"), ("mli", "cerebellum_mli")):
        assert SIGNS[pop][0] in get("cells", cell).tags


def test_bad_arguments_are_refused():
    with pytest.raises(SpecError, match="scale"):
        cerebellum(0.1)     # granule layer below the Purkinje in-degree
    with pytest.raises(SpecError, match="scale"):
        cerebellum(-1)
    with pytest.raises(UnknownNameError):
        cerebellum(weights={"pf_pcc": 1 * nS})
    with pytest.raises(SpecError, match="seed"):
        cerebellum(seed=-1)


def test_experiments_are_registered_and_round_trip():
    assert "cerebellum" in bn.registry.names("experiments")
    assert "eyeblink" in bn.registry.names("experiments")
    exp = eyeblink(isi=300 * ms, n_trials=2)
    assert bn.Experiment.from_dict(exp.to_dict()).content_hash() == exp.content_hash()
    assert "cerebellum" in bn.registry.names("regions")


# -- one cpp_standalone run ----------------------------------------------------------------

@pytest.fixture(scope="module")
def run(build_cache):
    exp = eyeblink(isi=ISI_A * second, second_isi=ISI_B * second, n_trials=N_TRIALS,
                   spontaneous=SPONTANEOUS * second)
    exp = exp.replace(recording=bn.Recording(spikes="all", connectivity=True))
    return bn.run(exp, device="cpp_standalone", cache_dir=build_cache, threads=1)


def _ids(ds, population):
    return np.flatnonzero(ds["population"].values == population)


def _rates(ds, population, t0, t1):
    t, n = ds["spike_time"].values, ds["spike_neuron"].values
    ids = _ids(ds, population)
    sel = (t >= t0) & (t < t1)
    return np.bincount(n[sel], minlength=ds.sizes["neuron"])[ids] / (t1 - t0)


@pytest.mark.slow
def test_dataset_labels_and_in_degrees(run):
    for name in SIZES:
        ids = _ids(run, name)
        assert ids.size == SIZES[name]
        assert set(run["region"].values[ids]) == {"brainstem" if name == "io" else "cerebellum"}
    assert set(run["cell_type"].values[_ids(run, "pc")]) == {"cerebellum_purkinje"}
    proj = run["synapse_projection"].values
    post = run["synapse_post"].values
    for (post_pop, pre_pop), row in CONVERGENCE.items():
        name = {("grc", "mf"): "mf_grc", ("grc", "goc"): "goc_grc", ("goc", "mf"): "mf_goc",
                ("goc", "grc"): "grc_goc", ("pc", "grc"): "pf_pc", ("mli", "grc"): "pf_mli",
                ("pc", "mli"): "mli_pc", ("pc", "io"): "cf_pc", ("dcn", "pc"): "pc_dcn",
                ("dcn", "mf"): "mf_dcn"}[(post_pop, pre_pop)]
        counts = np.bincount(post[proj == name], minlength=SIZES[post_pop])
        assert np.all(counts == row.k), name   # fixed in-degrees are exact
    assert np.all(run["weight"].values >= 0)   # conductances: the sign is the channel's


@pytest.mark.slow
def test_spontaneous_activity_in_published_ranges(run):
    t0, t1 = 0.5, SPONTANEOUS      # first 0.5 s discarded (initial transient)
    pc = _rates(run, "pc", t0, t1).mean()
    # Purkinje simple spikes: tens of Hz, 30-100 Hz in vivo (Zhou et al. 2014, Raman & Bean
    # 1999 in vitro); the model's mean must fall in that range
    assert 30 < pc < 100
    # sparse granule activity: most cells silent or below a few Hz (Chadderton et al.
    # 2004: spontaneous rate about 0.5 Hz in vivo); mean below 2 Hz, >20 % silent
    grc = _rates(run, "grc", t0, t1)
    assert grc.mean() < 2 and np.mean(grc == 0) > 0.2
    # complex spikes (olivary events, bursts merged within 30 ms): about 1 Hz (0.5-2 Hz,
    # Armstrong & Rawson 1979); with 5 neurons x 1.5 s (about 7 events) the Poisson error is
    # about 40 %, so the tolerance is 0.3-3 Hz
    t, n = run["spike_time"].values, run["spike_neuron"].values
    events = 0
    for i in _ids(run, "io"):
        ti = np.sort(t[(n == i) & (t >= t0) & (t < t1)])
        events += int(ti.size and 1 + np.sum(np.diff(ti) > 0.03))
    cs_rate = events / (_ids(run, "io").size * (t1 - t0))
    assert 0.3 < cs_rate < 3


def _probe_psth(ds, block, population, bins):
    """Population rate (Hz) of `population` aligned to CS onset, over the probe (CS-alone)
    trials of the second half of `block`."""
    sel = (ds["epoch_protocol"].values == block) & (ds["epoch_name"].values == "cs")
    onsets = ds["epoch_start"].values[sel]
    probe = ds["epoch_condition"].values[sel] == "cs_alone"
    late = np.arange(onsets.size) >= onsets.size // 2
    onsets = onsets[probe & late]
    ids = _ids(ds, population)
    t, n = ds["spike_time"].values, ds["spike_neuron"].values
    ts = t[np.isin(n, ids)]
    counts = sum(np.histogram(ts - o, bins)[0] for o in onsets)
    return counts / (onsets.size * ids.size * np.diff(bins))


@pytest.mark.slow
def test_probe_pause_and_nuclear_rebound_follow_the_interval(run):
    bins = np.arange(-0.2, 0.8, 0.05)
    centres = bins[:-1] + 0.025
    minima = []
    for block, isi in (("train", ISI_A), ("retrain", ISI_B)):
        pc = _probe_psth(run, block, "pc", bins)
        dcn = _probe_psth(run, block, "dcn", bins)
        baseline = pc[centres < 0].mean()
        window = (centres > 0) & (centres < isi + EYEBLINK_TIMING["after"] / second / 2)
        t_min = centres[window][np.argmin(pc[window])]
        # a pause: the rate falls below half of the pre-CS rate
        assert pc[window].min() < 0.5 * baseline
        # its minimum lies near the interval: within 100 ms (two bins) of the US time
        assert abs(t_min - isi) <= 0.1, (block, t_min)
        # the nucleus is released: its rate during the pause at least doubles
        pause = window & (pc < 0.5 * baseline)
        assert dcn[pause].mean() > 2 * dcn[centres < 0].mean()
        minima.append(t_min)
    # the pause moves later with the longer interval
    assert minima[1] > minima[0]
