"""Cell types of the Hodgkin-Huxley family against the published behaviour they reproduce.

One cpp_standalone build (module fixture) holds every population: current steps for the
thalamocortical relay, deep-nuclear and motor neurons, brief pulses for the motoneuron AHP,
the inferior olive with and without its T current, and the pre-Botzinger pacemaker swept
along its leak reversal and its tonic excitation (12 s, for burst periods of seconds).
"""

import numpy as np
import pytest
from bioneuro.models.composition import compose
from bioneuro.models.hh_calcium import hh_ahp_cond_exp
from bioneuro.models.mechanisms import step_current
from brian2.units import ms, mV, nA, nS, pA, second

import bioneuro as bn
from bioneuro.distributions import Linspace
from bioneuro.registry import get
from bioneuro.spec import CellType

T_ON, T_OFF = 0.2, 0.7                  # s, steps of the TC relay and motoneurons
DCN_ON, DCN_OFF = 0.5, 1.0              # s, after 0.5 s of spontaneous firing
PULSE_ON = 0.05                         # s, 1 ms pulse evoking one motoneuron spike
DURATION = 12.0                         # s, pacemaker bursts (period up to seconds)
PACEMAKER_FROM = 2.0                    # s, transient discarded for the pacemaker
TC_AMPS = np.linspace(-300, 300, 13)    # pA
DCN_AMPS = np.linspace(-400, 0, 5)      # pA
MN_AMPS = np.linspace(-5, 45, 26)       # nA
EL_SWEEP = np.linspace(-64, -54, 21)    # mV, includes Butera's Fig. 4A3 value -57.5 mV
G_TONIC_SWEEP = np.linspace(0, 0.8, 21)  # nS


def _stepped(name, cell_name, size, t_on, t_off, amplitude, **parameters):
    """A population of `cell_name` copies with a current step (amplitude may be swept)."""
    cell = get("cells", cell_name)
    model = compose(cell.model, step_current(0 * pA, t_on * second, t_off * second),
                    name=f"{cell.model.name}_step")
    return bn.Population(name, model, size, {**cell.parameters, "I_step": amplitude,
                                             **parameters}, cell.initial, cell_type=cell.name)


def _experiment():
    pops = [
        _stepped("tc", "thalamus_tc_relay", TC_AMPS.size, T_ON, T_OFF,
                 Linspace(TC_AMPS[0] * pA, TC_AMPS[-1] * pA)),
        _stepped("dcn", "cerebellum_dcn", DCN_AMPS.size, DCN_ON, DCN_OFF,
                 Linspace(DCN_AMPS[0] * pA, DCN_AMPS[-1] * pA)),
        # the olive with its T current removed (neuron 0) and intact (neuron 1)
        _stepped("io", "inferior_olive", 2, T_ON, T_OFF, 0 * pA,
                 g_T=Linspace(0 * nS, get("cells", "inferior_olive").parameters["g_T"].value)),
        bn.Population("pbc_el", "brainstem_prebotzinger_pacemaker", EL_SWEEP.size,
                      {"E_L": Linspace(EL_SWEEP[0] * mV, EL_SWEEP[-1] * mV)}),
        # Table 1 leak reversal, depolarised by the tonic excitation alone
        bn.Population("pbc_gtonic", "brainstem_prebotzinger_pacemaker", G_TONIC_SWEEP.size,
                      {"E_L": -65 * mV,
                       "g_tonic": Linspace(G_TONIC_SWEEP[0] * nS, G_TONIC_SWEEP[-1] * nS)}),
    ]
    for kind in ("s", "ff"):
        cell = f"spinal_motoneuron_{kind}"
        pops.append(_stepped(f"mn_{kind}", cell, MN_AMPS.size, T_ON, T_OFF,
                             Linspace(MN_AMPS[0] * nA, MN_AMPS[-1] * nA)))
        pops.append(_stepped(f"mn_{kind}_pulse", cell, 1, PULSE_ON, PULSE_ON + 1e-3, 300 * nA))
    probes = [bn.StateProbe(name, ["v"], (0,)) for name in
              ("tc", "mn_s", "mn_ff", "mn_s_pulse", "mn_ff_pulse")]
    return bn.Experiment("cells_hh", bn.Circuit("cells_hh", pops),
                         recording=bn.Recording(spikes="all", state=probes),
                         duration=DURATION * second, dt=0.025 * ms, seed=1)


@pytest.fixture(scope="module")
def run(build_cache):
    return bn.run(_experiment(), device="cpp_standalone", cache_dir=build_cache)


def _spikes(ds, population):
    """Spike times (s) of each neuron of `population`, in neuron order."""
    ids = np.flatnonzero(ds["population"].values == population)
    t, n = ds["spike_time"].values, ds["spike_neuron"].values
    return [np.sort(t[n == i]) for i in ids]


def _trace(ds, population):
    """Time (s) and membrane potential (V) of neuron 0 of `population`."""
    nid = int(np.flatnonzero(ds["population"].values == population)[0])
    return ds["time"].values, ds["v"].sel(recorded_neuron=nid).values


def _count(times, start, stop):
    return int(np.count_nonzero((times >= start) & (times < stop)))


def _bursts(times, gap):
    """Start times of the groups of spikes separated by more than `gap` (s)."""
    return times[np.r_[True, np.diff(times) > gap]] if times.size else times


def _mode(times):
    """Activity mode after the transient and the burst frequency (Hz, 0 unless bursting).

    ``silent``: no spike; ``beating``: regular spikes (max/min ISI <= 5) through the whole
    window; ``bursting``: groups of spikes separated by intervals far longer than those
    inside them, at least one whole cycle; ``undetermined``: a period longer than the window.
    """
    times = times[times >= PACEMAKER_FROM]
    if times.size == 0:
        return "silent", 0.0
    isi = np.diff(times)
    if (times.size > 2 and isi.max() / isi.min() <= 5 and times[0] < PACEMAKER_FROM + 1
            and times[-1] > DURATION - 1):
        return "beating", 0.0
    if times.size > 2 and isi.max() / isi.min() > 5:
        starts = _bursts(times, np.sqrt(isi.max() * isi.min()))[1:]  # whole bursts only
        if starts.size >= 2:
            return "bursting", (starts.size - 1) / (starts[-1] - starts[0])
    return "undetermined", 0.0


# -- thalamocortical relay (Jahnsen & Llinas 1984; McCormick & Huguenard 1992) -------------

@pytest.mark.slow
def test_tc_relay_is_silent_at_rest_and_fires_tonically_when_depolarised(run):
    time, v = _trace(run, "tc")
    rest = v[np.searchsorted(time, T_ON) - 1]
    assert -0.076 < rest < -0.068  # relay cells rest near -70 mV
    trains = _spikes(run, "tc")
    assert all(_count(t, 0.05, T_ON) == 0 for t in trains)   # silent at rest
    for amp, t in zip(TC_AMPS, trains, strict=True):
        inside = t[(t >= T_ON) & (t < T_OFF)]
        if amp >= 100:   # tonic mode: regular single spikes, no burst
            assert inside.size >= 5, amp
            isi = np.diff(inside)
            assert isi.min() > 0.015 and np.std(isi[1:]) / np.mean(isi[1:]) < 0.2, amp
        if amp <= 0:
            assert inside.size == 0, amp


@pytest.mark.slow
def test_tc_relay_rebound_burst_after_hyperpolarisation(run):
    trains = _spikes(run, "tc")
    bursts = 0
    for amp, t in zip(TC_AMPS, trains, strict=True):
        rebound = t[(t >= T_OFF) & (t < T_OFF + 0.06)]
        if amp <= -200:  # de-inactivated T current: LTS crowned by 2-6 fast spikes
            assert 2 <= rebound.size <= 6, amp
            assert 1 / np.diff(rebound).min() > 150, amp
            bursts += 1
        if amp >= 0:
            assert rebound.size <= 1, amp
    assert bursts >= 2


# -- deep cerebellar nucleus (Aizenman & Linden 1999; Llinas & Muhlethaler 1988) -----------

@pytest.mark.slow
def test_dcn_fires_spontaneously_and_rebounds_after_inhibition(run):
    trains = _spikes(run, "dcn")
    for amp, t in zip(DCN_AMPS, trains, strict=True):
        spontaneous = _count(t, 0.1, DCN_ON) / (DCN_ON - 0.1)
        assert 5 < spontaneous < 40, amp
        after = t[t >= DCN_OFF]
        if amp <= -300:
            assert _count(t, DCN_ON + 0.05, DCN_OFF) == 0  # silenced by the step
            rebound_rate = 1 / (after[1] - after[0])
            assert rebound_rate > 4 * spontaneous, (amp, rebound_rate, spontaneous)
            assert after[0] - DCN_OFF < 0.05   # the rebound starts at release


# -- inferior olive (Llinas & Yarom 1981, 1986) --------------------------------------------

@pytest.mark.slow
def test_inferior_olive_oscillates_through_its_t_current(run):
    without_t, with_t = _spikes(run, "io")
    assert _count(without_t, 0.3, DURATION) == 0
    with_t = with_t[with_t >= 0.3]
    cycles = _bursts(with_t, 0.05)       # one low-threshold spike (and its burst) per cycle
    period = np.diff(cycles)
    assert 3 < 1 / np.mean(period) < 10
    assert np.std(period) / np.mean(period) < 0.1   # a regular oscillation
    assert 1 <= with_t.size / cycles.size <= 8     # each LTS crowned by a few fast spikes


# -- motoneurons: size principle (Henneman 1957; Zengel et al. 1985) -----------------------

def _motoneuron_measures(ds, kind):
    trains = _spikes(ds, f"mn_{kind}")
    rheobase = next(a for a, t in zip(MN_AMPS, trains, strict=True) if _count(t, T_ON, T_OFF) > 0)
    time, v = _trace(ds, f"mn_{kind}")
    rest = v[np.searchsorted(time, T_ON) - 1]
    r_in = (v[np.searchsorted(time, T_OFF) - 1] - rest) / (MN_AMPS[0] * 1e-9)
    time, v = _trace(ds, f"mn_{kind}_pulse")
    spike = _spikes(ds, f"mn_{kind}_pulse")[0]
    assert spike.size == 1
    base = v[np.searchsorted(time, PULSE_ON) - 1]
    late = time > spike[0] + 2e-3
    trough = int(np.argmin(np.where(late, v, np.inf)))
    depth = base - v[trough]
    recovered = np.flatnonzero((time > time[trough]) & (v > base - 0.1 * depth))
    return {"rheobase_nA": rheobase, "r_in_Mohm": r_in / 1e6, "ahp_depth_mV": depth * 1e3,
            "ahp_ms": (time[recovered[0]] - spike[0]) * 1e3}


@pytest.mark.slow
def test_motoneurons_follow_the_size_principle(run):
    s, ff = _motoneuron_measures(run, "s"), _motoneuron_measures(run, "ff")
    # recruitment order: the small S cell has the lower rheobase and higher input resistance
    assert s["rheobase_nA"] < ff["rheobase_nA"]
    assert s["r_in_Mohm"] > 2 * ff["r_in_Mohm"]
    assert s["ahp_ms"] > 1.5 * ff["ahp_ms"]
    # cat medial gastrocnemius means (Zengel et al. 1985): S about 1.6 MOhm, 5 nA, 160 ms;
    # FF about 0.6 MOhm, 20 nA, 80 ms
    assert 1.2 < s["r_in_Mohm"] < 2.0 and 0.4 < ff["r_in_Mohm"] < 0.8
    assert 2 < s["rheobase_nA"] < 10 and 12 < ff["rheobase_nA"] < 30
    assert 110 < s["ahp_ms"] < 220 and 55 < ff["ahp_ms"] < 110
    assert s["ahp_depth_mV"] > 2 and ff["ahp_depth_mV"] > 2


# -- pre-Botzinger pacemaker (Butera, Rinzel & Smith 1999, model 1) ------------------------

@pytest.mark.slow
def test_pacemaker_modes_along_the_leak_reversal(run):
    modes = [_mode(t) for t in _spikes(run, "pbc_el")]
    names = [m for m, _ in modes]
    # silence, bursting and beating in that order as the cell is depolarised (their Fig. 4);
    # near the silent edge burst periods exceed the 10 s window
    order = {"silent": 0, "undetermined": 1, "bursting": 2, "beating": 3}
    assert [order[m] for m in names] == sorted(order[m] for m in names)
    assert names[0] == "silent" and names[-1] == "beating"
    assert names[list(EL_SWEEP).index(-57.5)] == "bursting"      # their Fig. 4A3
    freqs = [f for m, f in modes if m == "bursting"]
    assert len(freqs) >= 4
    # burst frequency rises with depolarisation, within 0.05 to > 1 Hz (their abstract)
    assert np.all(np.diff(freqs) > 0)
    assert 0.05 <= freqs[0] < 0.3 and 0.5 < freqs[-1] < 2


@pytest.mark.slow
def test_pacemaker_bursts_in_a_g_tonic_window_and_beats_above_it(run):
    names = [_mode(t)[0] for t in _spikes(run, "pbc_gtonic")]
    assert names[0] == "silent"        # Table 1 leak reversal, no drive
    bursting = [g for g, m in zip(G_TONIC_SWEEP, names, strict=True) if m == "bursting"]
    beating = [g for g, m in zip(G_TONIC_SWEEP, names, strict=True) if m == "beating"]
    assert len(bursting) >= 3 and max(bursting) < min(beating)
    assert names[-1] == "beating" and all(m == "beating" for m in names[names.index("beating"):])


@pytest.mark.slow
def test_pacemaker_spike_frequency_decays_within_a_burst(run):
    t = _spikes(run, "pbc_el")[list(EL_SWEEP).index(-57.5)]
    t = t[t >= PACEMAKER_FROM]
    isi = np.diff(t)
    gaps = np.flatnonzero(isi > np.sqrt(isi.max() * isi.min()))
    burst = isi[gaps[0] + 1:gaps[1]]        # the intervals of one whole burst
    assert burst.size >= 3
    assert burst[0] < burst[-1]


def test_cells_document_their_source():
    for name in ("thalamus_tc_relay", "cerebellum_dcn", "inferior_olive",
                 "brainstem_prebotzinger_pacemaker", "spinal_motoneuron_s",
                 "spinal_motoneuron_ff"):
        cell = get("cells", name)
        assert isinstance(cell, CellType)
        assert cell.references and cell.reproduces and cell.region and cell.current_range
    assert get("cells", "spinal_motoneuron_s").model is hh_ahp_cond_exp
