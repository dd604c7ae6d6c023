"""Brainstem and spinal motor circuits (`bioneuro.regions.brainstem`).

Structural checks run on the spec (fast). The activity checks share ONE cpp_standalone build
of the ``brainstem`` experiment (all four circuits side by side, scale 0.2, 12 s) and run it
twice: with the defaults, and with run-time changes (stronger half-centre inhibition, tonic
excitation of the pre-Botzinger network, a longer afferent conduction time) that re-use the
binary.
"""

import numpy as np
import pytest
from bioneuro.models.cells.brainstem import spinal_motoneuron_ff, spinal_motoneuron_s
from bioneuro.regions import brainstem as regions
from brian2.units import mV, nA, nS, pA, second

import bioneuro as bn
from bioneuro.errors import SpecError
from bioneuro.experiments import brainstem as experiments
from bioneuro.registry import names

SCALE = 0.2
#: extra afferent conduction time of the second run
EXTRA_DELAY_MS = 1.5


# -- structure -------------------------------------------------------------------------------


def test_templates_and_experiments_are_registered():
    for name in ("motor_pool", "half_centre", "prebotzinger", "stretch_reflex", "brainstem"):
        assert name in names("regions")
    for name in ("motor_recruitment", "half_centre", "prebotzinger", "stretch_reflex",
                 "brainstem"):
        assert name in names("experiments")


@pytest.mark.parametrize("scale", [0.1, 1.0])
def test_population_sizes_follow_scale(scale):
    circuit = regions.brainstem(scale)
    sizes = {p.name: p.size for p in circuit.populations}
    expected = {"MN": regions.POOL_SIZE, "MN_ext": regions.POOL_SIZE,
                "MN_flex": regions.POOL_SIZE, "HC_flex": regions.HALF_CENTRE_SIZE,
                "HC_ext": regions.HALF_CENTRE_SIZE, "preBotC": regions.PREBOTZINGER_SIZE,
                "Ia_ext": regions.AFFERENT_SIZE, "Ia_flex": regions.AFFERENT_SIZE,
                "IaIN_ext": regions.INTERNEURON_SIZE, "IaIN_flex": regions.INTERNEURON_SIZE}
    assert sizes == {k: round(v * scale) for k, v in expected.items()}


def test_every_population_is_labelled_with_region_and_cell_type():
    regions_of = {p.name: (p.region, p.cell_type) for p in regions.brainstem().populations}
    for name, (region, cell_type) in regions_of.items():
        assert cell_type, name
        expected = {"preBotC": "brainstem"}.get(name, "periphery" if name.startswith("Ia_")
                                                 else "spinal_cord")
        assert region == expected, name
    assert regions_of["preBotC"][1] == "brainstem_prebotzinger_pacemaker"
    assert regions_of["MN"][1] == "alpha_motoneuron"


def test_dale_law_one_sign_per_presynaptic_population():
    """Afferents, pacemakers excite (channel e, reversal 0 mV); Ia interneurons and half-centre
    neurons inhibit (channel i, reversal below rest); weights are positive conductances."""
    circuit = regions.brainstem(SCALE)
    signs = {}
    for proj in circuit.projections:
        post = circuit.population(proj.post)
        reversal = post.parameter_distribution("E_" + proj.target).value
        sign = 1 if reversal > post.parameter_distribution("E_L").value else -1
        signs.setdefault(proj.pre, set()).add(sign)
        assert proj.weight.value > 0 * nS
    assert {pre: s.pop() for pre, s in signs.items() if len(s) == 1} == {
        "HC_flex": -1, "HC_ext": -1, "preBotC": 1, "Ia_ext": 1, "Ia_flex": 1,
        "IaIN_ext": -1, "IaIN_flex": -1}


def test_stretch_reflex_follows_its_connectivity_table():
    """Projections and probabilities are those of the labelled table (with sources), and the
    summed weight onto one neuron (the mean in-degree times the weight) is independent of
    the scale."""
    table = regions.connectivity_table()
    assert set(table.dims) == {"post", "pre"}
    assert "Mendell" in str(table.source.sel(post="MN_ext", pre="Ia_ext").item())
    for scale in (0.1, 1.0):
        circuit = regions.stretch_reflex(scale)
        projections = {(p.post, p.pre): p for p in circuit.projections}
        connected = {k for k, (p, _) in regions.CONNECTIVITY.items() if p > 0}
        assert set(projections) == connected
        for (post, pre), proj in projections.items():
            p = float(table.probability.sel(post=post, pre=pre))
            assert proj.connectivity.p == p
            n_pre = circuit.population(pre).size
            summed = p * n_pre * proj.weight.value
            total = {"Ia_": 800 * nS if post.startswith("MN") else 60 * nS}.get(pre[:3], 400 * nS)
            assert float(summed / total) == pytest.approx(1)
        assert table.probability.sel(post="MN_flex", pre="Ia_ext") == 0


def test_prebotzinger_in_degree_and_heterogeneity():
    circuit = regions.prebotzinger(0.2)
    (proj,) = circuit.projections
    n = circuit.population("preBotC").size
    assert proj.connectivity.synapse_count(n, n, True) == n * (n - 1)  # in-degree n - 1
    g_nap = circuit.population("preBotC").parameters["g_NaP"]
    assert g_nap.kind == "normal" and float(g_nap.std / g_nap.mean) == pytest.approx(0.1)


def test_motor_pool_sizes_span_s_to_ff():
    pop = regions.motor_pool(0.1).populations[0]
    for name in ("C_m", "g_L", "g_Na", "tau_Ca"):
        dist = pop.parameters[name]
        assert dist.start == spinal_motoneuron_s.parameters[name].value
        assert dist.stop == spinal_motoneuron_ff.parameters[name].value


def test_bad_arguments_are_refused_with_the_field():
    with pytest.raises(SpecError, match="scale"):
        regions.motor_pool(0)
    with pytest.raises(SpecError, match="half_centre.tau_w"):
        regions.half_centre(tau_w=-1 * second)
    with pytest.raises(SpecError, match="half_centre.g_inh"):
        regions.half_centre(g_inh=5 * mV)
    with pytest.raises(SpecError, match="prebotzinger.g_nap_cv"):
        regions.prebotzinger(g_nap_cv=0.5)
    with pytest.raises(SpecError, match="stretch_reflex.g_ia"):
        regions.stretch_reflex(g_ia=1 * nA)


# -- activity (one build) --------------------------------------------------------------------


def _spikes(ds, population):
    """``(times in s, index within the population)`` of `population`'s spikes."""
    mask = ds.population.values[ds.spike_neuron.values] == population
    return ds.spike_time.values[mask], ds["index"].values[ds.spike_neuron.values][mask]


def _onsets(times, gap):
    """Start times of activity episodes separated by silences longer than `gap` (s)."""
    times = np.sort(times)
    return times[np.r_[True, np.diff(times) > gap]] if len(times) else times


def _period(times, gap, after=1.0):
    """Median interval between episode onsets after the first `after` seconds."""
    onsets = _onsets(times, gap)
    return float(np.median(np.diff(onsets[onsets > after])))


@pytest.fixture(scope="module")
def runs(build_cache):
    exp = experiments.brainstem(scale=SCALE)
    default = bn.run(exp, device="cpp_standalone", cache_dir=build_cache)
    delay = exp.circuit.projections
    afferent_delay = next(p for p in delay if p.name == "Ia_ext_MN_ext").delay.value
    longer = afferent_delay + EXTRA_DELAY_MS * 1e-3 * second
    hc_weight = next(p for p in delay if p.name == "HC_flex_ext").weight.value
    changed = bn.run(exp, device="cpp_standalone", cache_dir=build_cache, settings={
        "HC_flex_ext.weight": 1.5 * hc_weight, "HC_ext_flex.weight": 1.5 * hc_weight,
        "preBotC.g_tonic": 0.1 * nS,
        "Ia_ext_MN_ext.delay": longer, "Ia_ext_IaIN_ext.delay": longer})
    return exp, default, changed


@pytest.mark.slow
def test_one_build_serves_both_runs(runs):
    _, default, changed = runs
    assert changed.attrs["build_cache_hit"] == 1


@pytest.mark.slow
def test_motor_pool_recruited_in_order_of_size(runs):
    """Henneman's size principle under a common ramp (0 -> 30 nA in 2.5 s).

    Recruitment threshold = ramp current at the first spike. Same membrane densities make the
    threshold current density the same, so thresholds are proportional to area: the rank
    correlation with size must be exactly 1 (the drive is noise-free, so no tolerance is
    needed), and the largest/smallest threshold ratio equals the area ratio 8.3/3.1 = 2.68
    within 10 % (the ramp, in current density, is slower for the large cells, which
    accommodate slightly: measured 2.54). The smallest units' threshold is of the order of
    the type-S rheobase (5 nA, Zengel et al. 1985), the largest of type FF (20 nA).
    """
    exp, ds, _ = runs
    times, index = _spikes(ds, "MN")
    n = exp.circuit.population("MN").size
    first = np.array([times[index == k].min() for k in range(n)])
    ramp = experiments.RAMP
    slope = float(ramp.amplitude.value / nA) / float((ramp.stop - ramp.start) / second)
    threshold = (first - float(ramp.start / second)) * slope          # nA
    area = np.linspace(3.1e-3, 8.3e-3, n)
    rank = np.argsort(np.argsort(threshold))
    spearman = np.corrcoef(rank, np.arange(n))[0, 1]
    assert spearman == 1.0
    assert np.all(np.diff(threshold) > 0)
    assert threshold[-1] / threshold[0] == pytest.approx(area[-1] / area[0], rel=0.1)
    assert 2.5 < threshold[0] < 10 and 10 < threshold[-1] < 30


@pytest.mark.slow
def test_half_centres_alternate(runs):
    """Anti-phase: binned activities of the two sides are strongly anti-correlated at zero
    lag (r < -0.6; an in-phase or independent pair gives r >= 0) and one side is active
    while the other is silent in at least 85 % of the active bins (switch transitions,
    ~ one 50 ms bin each, make up the rest)."""
    _, ds, _ = runs
    bins = np.arange(1.0, 12.0 + 1e-9, 0.05)
    flex = np.histogram(_spikes(ds, "HC_flex")[0], bins)[0]
    ext = np.histogram(_spikes(ds, "HC_ext")[0], bins)[0]
    r = np.corrcoef(flex, ext)[0, 1]
    assert r < -0.6
    active = (flex > 0) | (ext > 0)
    exclusive = (flex > 0) ^ (ext > 0)
    assert exclusive.sum() / active.sum() > 0.85


@pytest.mark.slow
def test_half_centre_period_grows_with_inhibition(runs):
    """Release from inhibition by escape (Wang & Rinzel 1992; Skinner et al. 1994): the
    silent side fires again once its adaptation has decayed below the level its inhibition
    allows, so stronger inhibition postpones the escape and lengthens the period. x1.5
    inhibition: period longer by more than 20 % (measured about 2 s -> 3 s). The rhythm is
    regular: cycle periods within 25 % of their median."""
    _, default, changed = runs
    p_default = _period(_spikes(default, "HC_flex")[0], 0.2)
    p_strong = _period(_spikes(changed, "HC_flex")[0], 0.2)
    assert 0.5 < p_default < 5
    assert p_strong > 1.2 * p_default
    onsets = _onsets(_spikes(default, "HC_flex")[0], 0.2)
    cycles = np.diff(onsets[onsets > 1.0])
    assert np.all(np.abs(cycles / p_default - 1) < 0.25)


@pytest.mark.slow
def test_prebotzinger_population_bursts(runs):
    """Butera et al. (1999b): coupled heterogeneous pacemakers burst synchronously, at
    0.1-1 Hz intrinsic frequencies (period 1-10 s), and tonic excitation raises the
    burst frequency.

    Synchrony: every cell fires in every population burst and starts it within a quarter
    period of the cells' median onset. For unsynchronised cells (independent phases) each
    onset would pass with probability 1/2, so all of them (10 cells x >= 3 bursts) pass by
    chance with probability < 1e-9. Cells with a larger g_NaP lead by a few hundred ms.
    """
    exp, default, changed = runs
    times, index = _spikes(default, "preBotC")
    period = _period(times, 0.3)
    assert 1.0 < period < 10.0
    # population bursts after the initial one and complete before the end of the run
    bursts = _onsets(times, 0.3)
    bursts = bursts[(bursts > 2.0) & (bursts < float(exp.duration / second) - 1.0)]
    assert len(bursts) >= 3
    for onset in bursts:
        first = [times[(index == k) & (times >= onset) & (times < onset + period / 2)].min()
                 for k in range(exp.circuit.population("preBotC").size)]
        assert np.all(np.abs(np.array(first) - np.median(first)) < period / 4)
    faster = _period(_spikes(changed, "preBotC")[0], 0.3)
    assert faster < 0.95 * period


@pytest.mark.slow
def test_stretch_reflex_monosynaptic_excitation_and_reciprocal_inhibition(runs):
    """A stretch (afferent rate step at 1 s) excites the homonymous pool through the
    monosynaptic path and inhibits the antagonist through Ia interneurons.

    - the afferents' rate rises several-fold (spindle Ia response to stretch);
    - the extensor pool, silent before, fires; its first spike comes after the first
      afferent spike by the conduction + synaptic delay (2 ms) plus the rise of the composite
      EPSP to threshold, which is shorter than the motoneuron's membrane time constant
      (5 ms) for a synchronous volley;
    - the latency moves one-for-one with the conduction time (second run: +1.5 ms, exact
      to one time step since everything upstream is identical): the response is carried by
      the monosynaptic path;
    - the antagonist (flexor) pool, tonically active, drops its rate by more than half.
    """
    exp, default, changed = runs
    start, stop = (float(t / second) for t in (experiments.STRETCH.start,
                                               experiments.STRETCH.stop))
    dt = float(exp.dt / second)

    def rate(ds, pop, a, b):
        t = _spikes(ds, pop)[0]
        return ((t >= a) & (t < b)).sum() / exp.circuit.population(pop).size / (b - a)

    assert rate(default, "Ia_ext", start, stop) > 4 * rate(default, "Ia_ext", 0.5, start)
    assert rate(default, "MN_ext", 0.5, start) == 0
    assert rate(default, "MN_ext", start, stop) > 2
    afferent_delay = float(next(p for p in exp.circuit.projections
                                if p.name == "Ia_ext_MN_ext").delay.value / second)

    def latency(ds):
        ia = _spikes(ds, "Ia_ext")[0]
        mn = _spikes(ds, "MN_ext")[0]
        return mn[mn >= start].min() - ia[ia >= start].min()

    central = latency(default) - afferent_delay
    assert 0 < central < 5e-3
    shift = latency(changed) - latency(default)
    assert shift == pytest.approx(EXTRA_DELAY_MS * 1e-3, abs=1.01 * dt)
    before, during = rate(default, "MN_flex", 0.5, start), rate(default, "MN_flex", start, stop)
    assert before > 1 and during < 0.5 * before


def test_experiments_build_specs_with_their_protocols():
    for name in ("motor_recruitment", "half_centre", "prebotzinger", "stretch_reflex",
                 "brainstem"):
        exp = getattr(experiments, name)()
        assert exp.name == name and exp.duration > 0 * second
    assert {p.name for p in experiments.brainstem().protocol} == {
        "common_drive", "stretch", "descending_drive"}
    assert experiments.STRETCH.amplitude.value == 600 * pA
