"""AdEx, Izhikevich and two-compartment models: closed forms (runtime) and published firing
patterns (one cpp_standalone build for the whole module).

Sources: Naud, Marcille, Clopath & Gerstner (2008) Biol Cybern 99:335, Table 1 and Fig. 4
(AdEx firing patterns); Touboul & Brette (2008) Biol Cybern 99:319 (AdEx rheobase);
Izhikevich (2003) IEEE Trans Neural Netw 14:1569, Fig. 2 (neuro-computational classes).
"""

import math

import numpy as np
import pytest
from bioneuro.models.adex import NAUD_2008, adex_curr_exp, adex_rheobase
from bioneuro.models.composition import compose
from bioneuro.models.izhikevich import (
    IZHIKEVICH_2003,
    izhikevich_curr_exp,
    resting_state,
    saddle_node_drive,
)
from bioneuro.models.mechanisms import step_current
from bioneuro.models.two_compartment import attenuation
from brian2.units import ms, mV, nS, pA
from firing_patterns import classify, spike_times

import bioneuro as bn

T_ON, T_OFF = 100 * ms, 1100 * ms


def _run(populations, duration, dt=0.05 * ms, probes=(), projections=(), device="runtime",
         **options):
    exp = bn.Experiment("models_if", bn.Circuit("models_if", populations, projections),
                        recording=bn.Recording(spikes="all", state=probes),
                        duration=duration, dt=dt)
    return bn.run(exp, device=device, **options)


def _tonic():
    return {k: v for k, v in NAUD_2008["tonic"].items() if k != "I_step"}


# ---------------------------------------------------------------- closed forms (runtime)

def test_adex_rheobase_and_subthreshold_fixed_point():
    """Saddle-node regime (a = 2 nS < C/tau_w = 6.7 nS, Naud 'tonic' cell): silent at
    0.95 I_rh, firing at 1.05 I_rh; at 0.5 I_rh v settles on the root of the steady-state
    I-V relation I = (g_L + a)(v - E_L) - g_L Delta_T exp((v - V_T)/Delta_T)."""
    p = _tonic()
    i_rh = adex_rheobase(p["g_L"], p["E_L"], p["V_T"], p["Delta_T"], p["a"])
    assert float(i_rh / pA) == pytest.approx(12 * (18 + 2 * math.log(1.2)))
    factors = (0.5, 0.95, 1.05)
    pops = [bn.Population(f"n{k}", "adex_curr_exp", 1, {**p, "I_ext": f * i_rh},
                          {"v": p["E_L"]}) for k, f in enumerate(factors)]
    ds = _run(pops, 800 * ms, probes=[bn.StateProbe("n0", ["v"], "all")])
    counts = [spike_times(ds, k).size for k in range(3)]
    assert counts[0] == 0 and counts[1] == 0 and counts[2] > 0
    g_l, g_a, e_l, v_t, d_t = (float(p[k]) for k in ("g_L", "a", "E_L", "V_T", "Delta_T"))

    def excess(v):  # steady-state I-V minus the injected current
        return (g_l + g_a) * (v - e_l) - g_l * d_t * math.exp((v - v_t) / d_t) \
            - 0.5 * float(i_rh)

    lo, hi = e_l, v_t + d_t * math.log(1 + g_a / g_l)   # excess(lo) < 0 < excess(hi)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if excess(mid) < 0 else (lo, mid)
    assert float(ds["v"].values[-1, 0]) == pytest.approx(lo, abs=1e-6)


def test_izhikevich_resting_state_closed_form():
    """v -> lower root of 0.04 v^2 + (5 - b) v + 140 + I = 0 (mV), u -> b v, for every class
    without input and for RS under a drive below the saddle-node drive (4 mV)."""
    pops = []
    for name, abcd in IZHIKEVICH_2003.items():   # start 2 mV below the closed-form rest
        v0, u0 = resting_state(abcd)
        pops.append(bn.Population(name, izhikevich_curr_exp, 1, dict(abcd),
                                  {"v": v0 - 2 * mV, "u": u0}))
    v0, u0 = resting_state(IZHIKEVICH_2003["RS"], 3 * mV)
    pops.append(bn.Population("RS_driven", izhikevich_curr_exp, 1,
                              {**IZHIKEVICH_2003["RS"], "I_ext": 3 * mV},
                              {"v": v0 - 2 * mV, "u": u0}))
    ds = _run(pops, 1000 * ms, dt=0.1 * ms,
              probes=[bn.StateProbe(p.name, ["v", "u"], "all") for p in pops])
    assert ds["spike_time"].size == 0
    expected = [resting_state(IZHIKEVICH_2003[name]) for name in IZHIKEVICH_2003]
    expected.append(resting_state(IZHIKEVICH_2003["RS"], 3 * mV))
    for k, (v, u) in enumerate(expected):
        assert float(ds["v"].values[-1, k]) == pytest.approx(float(v), abs=1e-6)
        assert float(ds["u"].values[-1, k]) == pytest.approx(float(u), abs=1e-6)
    assert float(saddle_node_drive(IZHIKEVICH_2003["RS"]) / mV) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="drive"):
        resting_state(IZHIKEVICH_2003["RS"], 5 * mV)


def test_izhikevich_resonator_oscillates_at_the_linearised_frequency():
    """RZ (a = 0.1/ms, b = 0.26): complex eigenvalues of [[0.08 v + 5, -1], [a b, -a]] at rest
    give damped subthreshold oscillations (Izhikevich 2003, Fig. 2 'RZ'); after a small
    step the potential crosses its new rest at half-period intervals pi/omega. RS (real
    eigenvalues) crosses at most once."""
    drive = 0.1 * mV
    pops = []
    for name in ("RZ", "RS"):
        v0, u0 = resting_state(IZHIKEVICH_2003[name])
        pops.append(bn.Population(name, izhikevich_curr_exp, 1,
                                  {**IZHIKEVICH_2003[name], "I_ext": drive},
                                  {"v": v0, "u": u0}))
    ds = _run(pops, 400 * ms, dt=0.01 * ms,
              probes=[bn.StateProbe(p.name, ["v"], "all") for p in pops])
    assert ds["spike_time"].size == 0
    t = ds["time"].values
    crossings = {}
    for k, name in enumerate(("RZ", "RS")):
        v_rest = float(resting_state(IZHIKEVICH_2003[name], drive)[0])
        dev = ds["v"].values[:, k] - v_rest
        idx = np.flatnonzero(np.sign(dev[1:]) != np.sign(dev[:-1]))
        crossings[name] = t[idx]
    a = float(IZHIKEVICH_2003["RZ"]["a"] * ms)
    b = float(IZHIKEVICH_2003["RZ"]["b"])
    v_rest = float(resting_state(IZHIKEVICH_2003["RZ"], drive)[0] / mV)
    jac = np.array([[0.08 * v_rest + 5, -1.0], [a * b, -a]])
    omega = abs(np.linalg.eigvals(jac)[0].imag)          # rad/ms
    assert omega > 0
    half_periods = np.diff(crossings["RZ"]) * 1e3          # ms
    assert half_periods.size >= 3
    np.testing.assert_allclose(half_periods, math.pi / omega, rtol=0.03)
    # once the oscillation has decayed into the linear regime, to 0.1%
    np.testing.assert_allclose(half_periods[-6:], math.pi / omega, rtol=1e-3)
    assert crossings["RS"].size <= 1


def test_two_compartment_steady_state_attenuation():
    """Somatic current: dendrite/soma depolarisation = g_c/(g_c + g_L_d); dendritic current:
    soma/dendrite = g_c/(g_c + g_L); input resistances (g_L_d + g_c)/D, (g_L + g_c)/D with
    D = g_L g_L_d + g_c (g_L + g_L_d)."""
    gc_values = (2 * nS, 5 * nS, 20 * nS)
    current = 50 * pA
    pops = []
    for k, g_c in enumerate(gc_values):
        pops.append(bn.Population(f"soma{k}", "two_compartment_cond_exp", 1,
                                  {"g_c": g_c, "I_ext": current}))
        pops.append(bn.Population(f"dend{k}", "two_compartment_cond_exp", 1,
                                  {"g_c": g_c, "I_ext_d": current}))
    ds = _run(pops, 400 * ms, dt=0.1 * ms,
              probes=[bn.StateProbe(p.name, ["v", "v_d"], "all") for p in pops])
    assert ds["spike_time"].size == 0
    e_l, g_l, g_ld = -0.070, 5 * nS, 10 * nS   # the model's defaults
    for k, g_c in enumerate(gc_values):
        d = float(g_l * g_ld + g_c * (g_l + g_ld))
        soma_v, soma_vd = (ds[x].values[-1, 2 * k] - e_l for x in ("v", "v_d"))
        dend_v, dend_vd = (ds[x].values[-1, 2 * k + 1] - e_l for x in ("v", "v_d"))
        assert soma_vd / soma_v == pytest.approx(attenuation(g_c, g_ld), rel=1e-4)
        assert dend_v / dend_vd == pytest.approx(attenuation(g_c, g_l), rel=1e-4)
        assert soma_v == pytest.approx(float(current * (g_ld + g_c)) / d, rel=1e-4)
        assert dend_vd == pytest.approx(float(current * (g_l + g_c)) / d, rel=1e-4)


# ---------------------------------------------------------------- published patterns (cpp)

def _populations():
    """Naud 2008 patterns (AdEx, step of the table), Izhikevich 2003 classes (10 mV step;
    RS/LTS at 3 mV; TC/RS released from a -10 mV step) and a two-compartment neuron with
    one proximal and one distal input spike."""
    adex = compose(adex_curr_exp, step_current(0 * pA, T_ON, T_OFF), name="adex_curr_exp_step")
    izh = compose(izhikevich_curr_exp, step_current(0 * mV, T_ON, T_OFF),
                  name="izhikevich_curr_exp_step")
    pops = [bn.Population(f"naud_{name}", adex, 1, dict(p), {"v": p["E_L"]})
            for name, p in NAUD_2008.items()]
    steps = [(name, 10) for name in IZHIKEVICH_2003] + [("RS", 3), ("LTS", 3), ("TC", -10),
                                                         ("RS", -10)]
    for name, drive in steps:
        v0, u0 = resting_state(IZHIKEVICH_2003[name])
        pops.append(bn.Population(f"izh_{name}_{drive}".replace("-", "m"), izh, 1,
                                  {**IZHIKEVICH_2003[name], "I_step": drive * mV},
                                  {"v": v0, "u": u0}))
    pops += [bn.Population(f"tc_{site}", "two_compartment_cond_exp", 1) for site in
             ("prox", "dist")]
    pops.append(bn.Population("cortex_input", "periodic_source", 1,
                              {"t_first": 50 * ms, "n_spikes": 1}))
    projections = [bn.Projection(f"to_{site}", "cortex_input", f"tc_{site}", f"e_{site}",
                                 "one_to_one", 5 * nS) for site in ("prox", "dist")]
    return pops, projections


@pytest.fixture(scope="module")
def patterns(build_cache):
    pops, projections = _populations()
    ds = _run(pops, T_OFF + 300 * ms, projections=projections,
              probes=[bn.StateProbe(f"tc_{s}", ["v", "v_d"], "all") for s in ("prox", "dist")],
              device="cpp_standalone", cache_dir=build_cache)
    index = {name: int(np.flatnonzero(ds["population"].values == name)[0])
             for name in np.unique(ds["population"].values)}
    return ds, index


def _pattern(patterns, population, t_off=float(T_OFF)):
    ds, index = patterns
    return classify(spike_times(ds, index[population], float(T_ON), t_off), float(T_ON))


NAUD_EXPECTED = {
    # Naud et al. (2008) Fig. 4 / Table 1: steady-state pattern and delayed onset
    "tonic": ("tonic", False),
    "adapting": ("adapting", False),
    "initial_burst": ("initial_burst", False),
    "regular_bursting": ("bursting", False),
    "delayed_accelerating": ("accelerating", True),
    "delayed_regular_bursting": ("bursting", True),
    "transient": ("transient", False),
    "irregular": ("irregular", False),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(NAUD_2008))
def test_adex_naud_2008_firing_patterns(patterns, name):
    assert _pattern(patterns, f"naud_{name}") == NAUD_EXPECTED[name]


IZHIKEVICH_EXPECTED = {
    # Izhikevich (2003) Fig. 2 under a step of 10 (mV here)
    "RS": "adapting",        # regular spiking: a few fast spikes, then the period grows
    "IB": "initial_burst",   # intrinsically bursting: a burst, then tonic spikes
    "CH": "bursting",        # chattering: repetitive bursts
    "LTS": "adapting",       # low-threshold spiking: high-frequency train with adaptation
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(IZHIKEVICH_EXPECTED))
def test_izhikevich_2003_classes(patterns, name):
    assert _pattern(patterns, f"izh_{name}_10")[0] == IZHIKEVICH_EXPECTED[name]


@pytest.mark.slow
def test_izhikevich_fs_fast_without_adaptation(patterns):
    """FS: periodic trains of very high frequency practically without adaptation (last/first
    ISI < 2, against > 2 for RS, > 3 for LTS)."""
    ds, index = patterns
    isi = {name: np.diff(spike_times(ds, index[f"izh_{name}_10"], float(T_ON), float(T_OFF)))
           for name in ("FS", "RS", "LTS")}
    assert _pattern(patterns, "izh_FS_10")[0] == "tonic"
    assert 1 / isi["FS"][-1] > 100
    assert isi["FS"][-1] / isi["FS"][0] < 2 < isi["RS"][-1] / isi["RS"][0]
    assert isi["LTS"][-1] / isi["LTS"][0] > 3


@pytest.mark.slow
def test_izhikevich_lts_fires_below_the_rs_rheobase(patterns):
    """LTS (b = 0.25) fires repetitively under a drive of 3 mV, where RS (saddle-node drive
    4 mV) gives at most the single spike of the onset transient."""
    ds, index = patterns
    assert spike_times(ds, index["izh_LTS_3"], float(T_ON), float(T_OFF)).size >= 5
    assert spike_times(ds, index["izh_RS_3"], float(T_ON), float(T_OFF)).size <= 1


@pytest.mark.slow
def test_izhikevich_tc_rebound_burst(patterns):
    """TC: released from hyperpolarisation, a rebound burst (Izhikevich 2003, Fig. 2 'TC');
    RS under the same protocol does not fire."""
    ds, index = patterns
    rebound = spike_times(ds, index["izh_TC_m10"], float(T_OFF))
    assert rebound.size >= 2 and rebound[0] - float(T_OFF) < 0.02
    assert np.diff(rebound)[0] < 0.01
    assert spike_times(ds, index["izh_TC_m10"]).size == rebound.size  # silent before
    assert spike_times(ds, index["izh_RS_m10"]).size == 0


@pytest.mark.slow
def test_two_compartment_distal_input_attenuated_at_the_soma(patterns):
    """A distal EPSP is large in the dendrite and attenuated at the soma; a proximal EPSP is
    the other way round."""
    ds, index = patterns
    peak = {}
    for site in ("prox", "dist"):
        k = list(ds["recorded_neuron"].values).index(index[f"tc_{site}"])
        peak[site] = {x: float(np.max(ds[x].values[:, k]) + 0.070) for x in ("v", "v_d")}
    assert peak["dist"]["v_d"] > peak["dist"]["v"] > 0
    assert peak["prox"]["v"] > peak["prox"]["v_d"] > 0
    assert peak["dist"]["v"] < peak["prox"]["v"]
