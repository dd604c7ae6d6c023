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
from bioneuro.experiments.cerebellum import eyeblink
from bioneuro.quantities import si_value
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
        assert si_value(proj.weight.value) > 0     # conductances: the channel sets the sign
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
        first = _ids(run, post_pop)[0]       # synapse_post holds neuron ids of the dataset
        counts = np.bincount(post[proj == name] - first, minlength=SIZES[post_pop])
        assert np.all(counts == row.k), name   # fixed in-degrees are exact
    assert np.all(run["weight"].values >= 0)   # conductances: the sign is the channel's


@pytest.mark.slow
def test_spontaneous_activity_in_published_ranges(run):
    t0, t1 = 0.5, SPONTANEOUS      # first 0.5 s discarded (initial transient)
    pc = _rates(run, "pc", t0, t1).mean()
    # Purkinje simple spikes: tens of Hz, 30-100 Hz in vivo (Zhou et al. 2014, Raman & Bean
    # 1999 in vitro); the model's mean must fall in that range
    assert 30 < pc < 100
    # basket/stellate cells with their parallel-fibre input: 5-30 Hz (Hausser & Clark 1997
    # in vitro; the sparse granule input adds little)
    assert 5 < _rates(run, "mli", t0, t1).mean() < 30
    # sparse granule activity: Chadderton et al. (2004) measured 0.5 +- 0.1 Hz spontaneous
    # firing in vivo; 1000 cells x 1.5 s give the mean to ~5 %, the tolerance (a factor 3)
    # covers the model's dependence on the mossy-fibre rate; and no cell fires tonically
    # (fewer than 2 % above 5 Hz)
    grc = _rates(run, "grc", t0, t1)
    assert 0.17 < grc.mean() < 1.5 and np.mean(grc > 5) < 0.02
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
    trials of the second half of `block` (after 10 training trials)."""
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


BINS = np.arange(-0.2, 0.8, 0.05)      # s, 50 ms bins around CS onset
CENTRES = BINS[:-1] + 0.025


def _pause(ds, block, isi):
    """(PC rate / pre-CS rate at the deepest bin, deficit-weighted mean time of the pause,
    DCN rate during the pause / pre-CS DCN rate) in the late probe trials of `block`."""
    pc = _probe_psth(ds, block, "pc", BINS)
    dcn = _probe_psth(ds, block, "dcn", BINS)
    base = pc[CENTRES < 0].mean()
    window = (CENTRES > 0) & (CENTRES < isi + 0.15)
    deficit = np.clip(base - pc[window], 0, None)
    centre = (CENTRES[window] * deficit).sum() / deficit.sum()
    paused = window & (pc < 0.6 * base)
    return pc[window].min() / base, centre, dcn[paused].mean() / dcn[CENTRES < 0].mean()


@pytest.mark.slow
def test_probe_trials_show_a_purkinje_pause_and_nuclear_release(run):
    # trained Purkinje cells pause during the CS (Jirenhed, Bengtsson & Hesslow 2007: the
    # simple-spike rate falls to a fraction of baseline before the US); with 3 probe trials x
    # 10 cells per block the 50 ms-bin rate has a Poisson error of ~25 %, so "a pause" is a
    # bin below 60 % of the pre-CS rate
    for block, isi in (("train", ISI_A), ("retrain", ISI_B)):
        depth, centre, release = _pause(run, block, isi)
        assert depth < 0.6, block
        # the pause lies within the CS-US interval (before the US, plus one 50 ms bin)
        assert 0 < centre < isi + 0.05, block
        # the nucleus is released from Purkinje inhibition: its rate at least 1.5x the
        # pre-CS rate during the pause (disinhibition and rebound, the conditioned response)
        assert release > 1.5, block


@pytest.mark.slow
def test_pause_moves_later_when_the_interval_is_lengthened(run):
    # retraining at 500 ms after 300 ms moves the pause later; the deficit-weighted time is
    # averaged over the whole pause, so its Poisson error is a few ms; require > 30 ms
    _, centre_a, _ = _pause(run, "train", ISI_A)
    _, centre_b, _ = _pause(run, "retrain", ISI_B)
    assert centre_b - centre_a > 0.03


@pytest.mark.slow
def test_climbing_fibre_gated_ltd_selects_the_parallel_fibres_active_before_the_us(run):
    # after retraining at ISI_B, PF->PC synapses of granule cells firing in the 150 ms
    # before the US (the LTD eligibility window, tau_pf = 100 ms) are depressed relative to
    # those of granule cells silent then (Ito 2001; Wang, Denk & Hausser 2000). Each group
    # holds hundreds of synapses; require the mean of the active group below 75 % of the
    # silent group's
    t, n = run["spike_time"].values, run["spike_neuron"].values
    sel = (run["epoch_protocol"].values == "retrain") & (run["epoch_name"].values == "cs")
    onsets = run["epoch_start"].values[sel]
    grc = _ids(run, "grc")
    in_window = np.zeros(grc.size)
    for onset in onsets:
        hit = np.isin(n, grc) & (t >= onset + ISI_B - 0.15) & (t < onset + ISI_B)
        in_window += np.bincount(n[hit] - grc[0], minlength=grc.size)
    in_window /= onsets.size
    pf = run["synapse_projection"].values == "pf_pc"
    pre = run["synapse_pre"].values[pf] - grc[0]
    w = run["weight"].values[pf]
    active, silent = w[in_window[pre] >= 0.6], w[in_window[pre] < 0.1]
    assert active.size > 100 and silent.size > 100
    assert active.mean() < 0.75 * silent.mean()
