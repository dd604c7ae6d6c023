"""The model-library building blocks against closed forms, on Brian2's runtime target.

One characterisation run (`bioneuro.characterise` with a list of models: one network) gives
the LIF f-I curve and the postsynaptic potential of every kernel shape; small experiments
check short-term plasticity, gap junctions and rate neurons.
"""

import math

import numpy as np
import pytest
from bioneuro.models.composition import compose, point_neuron
from bioneuro.models.lif import LIF_PARAMETERS, lif_cond_exp, lif_curr_alpha, lif_curr_exp
from bioneuro.models.mechanisms import gap_junction_input, step_current
from bioneuro.models.synaptic_kernels import current_channels, psp_peak_time, synaptic_block
from brian2.units import ms, mV, nS, pA

import bioneuro as bn
from bioneuro.characterise import characterise
from bioneuro.spec import Circuit, Experiment, Population, Projection, Recording, StateProbe

# LIF defaults (NEST iaf_psc_exp): C 250 pF, tau_m 10 ms, E_L = V_reset = -70 mV,
# V_th -55 mV, tau_ref 2 ms; so R = 40 MOhm and the rheobase is 15 mV / R = 375 pA
C = 250e-12
TAU_M = 10e-3
TAU_REF = 2e-3
DELTA_V = 15e-3
R = TAU_M / C
DT = 1e-4
PSP_WEIGHT = 50e-12  # default current PSP weight (bioneuro.characterise.default_psp_weight)

# a current-based LIF with bi-exponential kernels, assembled from the same template
lif_curr_biexp = point_neuron(
    "lif_curr_biexp", "dv/dt = (E_L - v)/tau_m + (I_syn + I_in)/C_m : volt (unless refractory)",
    LIF_PARAMETERS,
    synaptic_block(current_channels("biexp", {"e": 5 * ms, "i": 5 * ms},
                                    rises={"e": 1 * ms, "i": 1 * ms})),
    threshold="v > V_th", reset="v = V_reset", refractory="tau_ref",
    method="rk4",
    initial={"v": -70 * mV}, description="LIF with bi-exponential currents (test model).",
    references=lif_curr_exp.references, tags=("point",),
    current_range=(0 * pA, 1000 * pA), register=False)


@pytest.fixture(scope="module")
def library():
    return characterise([lif_curr_exp, lif_curr_alpha, lif_curr_biexp, lif_cond_exp],
                        device="runtime", n_amplitudes=11)


def lif_period(current):
    """Closed-form LIF inter-spike interval (s) under constant `current` (A) from reset at
    E_L: t_ref + tau_m ln(RI / (RI - (V_th - E_L))) (Lapicque; Brunel & van Rossum 2007)."""
    drive = R * current
    if drive <= DELTA_V:
        return math.inf
    return TAU_REF + TAU_M * math.log(drive / (drive - DELTA_V))


def test_lif_fi_curve_matches_closed_form(library):
    ds = library["lif_curr_exp"]
    amps = ds["step_amplitude"].values
    np.testing.assert_allclose(amps, np.linspace(0, 1e-9, 11))
    for k, current in enumerate(amps):
        period = lif_period(current)
        last = float(ds["fi_last_rate"][k])
        if math.isinf(period):
            assert last == 0 and float(ds["fi_rate"][k]) == 0, current
            continue
        # threshold crossings are detected on the time grid: intervals are multiples of dt
        assert abs(1 / last - period) <= DT + 1e-12, (current, 1 / last, period)
        # from rest (v = E_L = V_reset) the first spike comes after one charging time
        latency = float(ds["first_spike_latency"][k])
        assert period - TAU_REF - DT <= latency <= period - TAU_REF + DT
        # spike count in the 500 ms step: floor((T - latency)/period) + 1, to one spike
        expected = (math.floor((0.5 - latency) / period) + 1) / 0.5
        assert abs(float(ds["fi_rate"][k]) - expected) <= 1 / 0.5 + 1e-9
    assert ds["fi_rate"].attrs["units"] == "Hz"
    assert ds["step_amplitude"].attrs["units"] in ("A", "amp", "pA")


def _membrane_filter(tau):
    """Response (s) of the membrane (tau_m) to a unit exponential current of decay `tau`,
    as a function of t: tau tau_m/(tau_m - tau) (e^{-t/tau_m} - e^{-t/tau})."""
    return lambda t: tau * TAU_M / (TAU_M - tau) * (np.exp(-t / TAU_M) - np.exp(-t / tau))


def closed_form_psp(kernel):
    """Closed-form PSP v(t) - E_L (V) of the LIF to one current kernel of peak PSP_WEIGHT."""
    if kernel == "exp":
        return lambda t: PSP_WEIGHT / C * _membrane_filter(2e-3)(t)
    if kernel == "alpha":
        tau = 2e-3
        k = 1 / tau - 1 / TAU_M

        def alpha(t):  # e/tau * int_0^t s e^{-s/tau} e^{-(t-s)/tau_m} ds
            return (PSP_WEIGHT / C * math.e / tau * np.exp(-t / TAU_M)
                    * (1 - np.exp(-k * t) * (1 + k * t)) / k**2)
        return alpha
    tau_d, tau_r = 5e-3, 1e-3
    t_peak = psp_peak_time("biexp", tau_d, tau_r)
    norm = math.exp(-t_peak / tau_d) - math.exp(-t_peak / tau_r)
    return lambda t: PSP_WEIGHT / C / norm * (_membrane_filter(tau_d)(t)
                                              - _membrane_filter(tau_r)(t))


@pytest.mark.parametrize("label,kernel", [("lif_curr_exp", "exp"),
                                          ("lif_curr_alpha", "alpha"),
                                          ("lif_curr_biexp", "biexp")])
def test_current_psp_matches_closed_form(library, label, kernel):
    ds = library[label]
    t = np.arange(1, 200000) * 1e-6   # 1 us grid up to 200 ms
    psp = closed_form_psp(kernel)(t)
    k = int(np.argmax(psp))
    peak, peak_time = psp[k], t[k]
    measured = ds["psp_peak"].sel(channel="e")
    np.testing.assert_allclose(float(measured), peak, rtol=0.01)
    # the spike reaches the target one step after it is emitted; the peak is on the grid
    assert abs(float(ds["psp_peak_time"].sel(channel="e")) - peak_time) <= 2 * DT
    # inhibitory current channel: the mirror image (signed weights, NEST convention)
    np.testing.assert_allclose(float(ds["psp_peak"].sel(channel="i")), -peak, rtol=0.01)
    assert measured.attrs["units"] in ("V", "volt", "mV")


@pytest.mark.parametrize("label,kernel,tau,rise", [
    ("lif_curr_exp", "exp", 2e-3, None), ("lif_curr_alpha", "alpha", 2e-3, None),
    ("lif_curr_biexp", "biexp", 5e-3, 1e-3)])
def test_synaptic_current_peaks_at_weight(library, label, kernel, tau, rise):
    """Each kernel is peak-normalised: one spike of weight w gives a current of peak w at
    the closed-form peak time (exp 0, alpha tau, biexp t_r t_d ln(t_d/t_r)/(t_d - t_r))."""
    ds = library[label]
    nid = int(np.flatnonzero(ds["population"].values == "psp_e")[0])
    current = ds["I_e"].sel(recorded_neuron=nid).values
    time = ds["time"].values
    k = int(np.argmax(current))
    # the closed-form peak falls between grid points: the sampled peak is within one step
    np.testing.assert_allclose(current[k], PSP_WEIGHT, rtol=0.02)
    assert current[k] <= PSP_WEIGHT * (1 + 1e-9)
    arrival = time[np.argmax(current > 0)] - DT
    assert abs(time[k] - arrival - psp_peak_time(kernel, tau, rise)) <= DT + 1e-9


def test_conductance_psp_small_signal_limit():
    """A small conductance g(t) = w e^{-t/tau_e} at rest acts as a current w (E_e - E_L) g(t)/w
    (the driving force changes by < 0.1%): the PSP is the current-kernel closed form.

    Run at dt = 0.01 ms: exponential Euler holds g constant over a step, so the NEST default
    tau_e = 0.2 ms at dt = 0.1 ms overestimates the charge of a fast EPSC by ~27%
    (dt / (tau (1 - e^{-dt/tau}))); use dt <= tau_e / 10 for PSP-accurate fast conductances."""
    ds = characterise("lif_cond_exp", device="runtime", n_amplitudes=2, t_on=1 * ms,
                      t_off=2 * ms, after=0 * ms, psp_time=1 * ms, dt=0.01 * ms)
    weight, drive = 1e-9, 70e-3   # default conductance PSP weight 1 nS; E_e - E_L = 70 mV
    t = np.arange(1, 50000) * 1e-6
    psp = weight * drive / C * _membrane_filter(0.2e-3)(t)
    np.testing.assert_allclose(float(ds["psp_peak"].sel(channel="e")), psp.max(), rtol=0.03)
    # inhibition towards E_i = -85 mV: 15 mV driving force, tau_i = 2 ms
    psp_i = -weight * 15e-3 / C * _membrane_filter(2e-3)(t)
    np.testing.assert_allclose(float(ds["psp_peak"].sel(channel="i")), psp_i.min(), rtol=0.03)


def _train_experiment(name, post_model, projection, duration, probe_vars, post_params=None):
    pops = (Population("pre", "periodic_source", 1,
                       {"t_first": 10 * ms, "period": 50 * ms, "n_spikes": 10}),
            Population("post", post_model, 1, post_params or {}))
    return Experiment(name, Circuit(name, pops, (projection,)),
                      recording=Recording(spikes="all",
                                          state=(StateProbe("post", probe_vars, "all"),)),
                      duration=duration, dt=0.1 * ms, seed=1)


def tsodyks_markram_amplitudes(n, interval, U, tau_rec, tau_fac):
    """Relative PSC amplitudes u_n x_n of a regular train (Tsodyks, Pawelzik & Markram 1998;
    the form of the Brian2 example): between spikes x -> 1 with tau_rec and u -> U with
    tau_fac; at a spike the release u x is used, then x -= u x and u += U (1 - u)."""
    u, x, out = U, 1.0, []
    for _ in range(n):
        out.append(u * x)
        x -= u * x
        u += U * (1 - u)
        x = 1 - (1 - x) * math.exp(-interval / tau_rec)
        u = U + (u - U) * math.exp(-interval / tau_fac)
    return np.array(out)


@pytest.mark.parametrize("params", [
    {"U_stp": 0.5, "tau_rec": 800 * ms, "tau_fac": 0.01 * ms},   # depressing (TM 1998)
    {"U_stp": 0.1, "tau_rec": 100 * ms, "tau_fac": 1000 * ms},   # facilitating
])
def test_tsodyks_markram_train(params):
    proj = Projection("syn", "pre", "post", "e", "one_to_one", 100 * pA,
                      synapse="tsodyks_markram", parameters=params)
    ds = bn.run(_train_experiment("stp", "lif_curr_exp", proj, "520 ms", ("I_e",)),
                device="runtime")
    current = ds["I_e"].isel(recorded_neuron=0).values
    time = ds["time"].values
    # I_e decays with 2 ms between spikes 50 ms apart: each jump is the PSC amplitude
    spike_steps = [int(np.argmin(np.abs(time - (0.010 + 0.050 * n)))) for n in range(10)]
    jumps = np.array([current[k:k + 3].max() for k in spike_steps])
    expected = 100e-12 * tsodyks_markram_amplitudes(
        10, 0.05, params["U_stp"], float(params["tau_rec"]), float(params["tau_fac"]))
    np.testing.assert_allclose(jumps, expected, rtol=1e-6, atol=1e-16)
    if params["tau_fac"] < 1 * ms:
        # pure depression reaches x_ss = (1 - e^{-T/tau_rec}) / (1 - (1 - U) e^{-T/tau_rec})
        e = math.exp(-0.05 / 0.8)
        x_ss = (1 - e) / (1 - 0.5 * e)
        assert jumps[-1] / jumps[0] == pytest.approx(x_ss, rel=0.05)
    else:
        assert jumps[3] > jumps[0]


def test_gap_junction_coupling_coefficient():
    """Two passive cells coupled by a conductance g_c: a current injected into one gives the
    steady-state coupling coefficient dV2/dV1 = g_c / (g_c + g_L) (Bennett & Zukin 2004)."""
    model = compose(lif_curr_exp, step_current(100 * pA, 0 * ms, 1000 * ms),
                    gap_junction_input(pA), name="lif_gap_step")
    g_c = 10 * nS
    passive = {"V_th": 100 * mV}
    pops = (Population("a", model, 1, passive), Population("b", model, 1,
                                                           {**passive, "I_step": 0 * pA}))
    projs = (Projection("ab", "a", "b", "gap", "all_to_all", g_c, synapse="gap_junction"),
             Projection("ba", "b", "a", "gap", "all_to_all", g_c, synapse="gap_junction"))
    exp = Experiment("gap", Circuit("gap", pops, projs),
                     recording=Recording(spikes="all", state=(StateProbe("a", ("v",), "all"),
                                                              StateProbe("b", ("v",), "all"))),
                     duration="200 ms", dt=0.1 * ms)
    ds = bn.run(exp, device="runtime")
    v = ds["v"].isel(time=-1).values + 70e-3
    g_l = C / TAU_M
    assert v[1] / v[0] == pytest.approx(float(g_c) / (float(g_c) + g_l), rel=1e-3)
    # and the injected cell's input resistance is lowered by the coupling: 1/(g_L + g_c/... )
    r_in = (g_l + float(g_c)) / (g_l * (g_l + 2 * float(g_c)))
    assert v[0] == pytest.approx(100e-12 * r_in, rel=1e-3)


@pytest.mark.parametrize("transfer", ["linear", "relu", "sigmoid", "tanh"])
def test_rate_neuron_fixed_point(transfer):
    """tau dr/dt = -r + f(I): the steady state of a constant input is f(I)."""
    res = characterise(f"rate_{transfer}", device="runtime", n_amplitudes=5)
    model = bn.registry.get("models", f"rate_{transfer}")
    amps = res["step_amplitude"].values
    params = {k: float(p.default) for k, p in model.parameters.items()}
    f = {"linear": lambda x: params["gain"] * (x - params["theta"]),
         "relu": lambda x: params["gain"] * np.maximum(x, 0),
         "sigmoid": lambda x: params["r_max"] / (1 + np.exp(-(x - params["theta"])
                                                             / params["width"])),
         "tanh": lambda x: params["r_max"] * np.tanh(np.maximum(x, 0) / params["width"])}
    np.testing.assert_allclose(res["fi_rate"].values, f[transfer](amps), rtol=1e-3, atol=1e-3)


def test_psp_weights_unknown_channel_is_named():
    with pytest.raises(bn.SpecError, match="psp_weights.*channels of lif_curr_exp"):
        characterise("lif_curr_exp", psp_weights={"ampa": 1 * nS})


def test_characterise_needs_a_range_for_each_label():
    with pytest.raises(bn.SpecError, match="amplitudes"):
        characterise(["lif_curr_exp", "rate_relu"], amplitudes=(0 * pA, 1 * pA))



@pytest.mark.slow
def test_every_model_compiles_and_runs_standalone(build_cache):
    """Every registered neuron model on cpp_standalone (one build per group of unit-compatible
    recordings: izhikevich records a voltage-valued I_e): each produces a finite f-I
    curve and PSPs; the LIF f-I curve still matches its closed form."""
    models = [name for name, model in bn.registry.entries("models").items()
              # spike sources, task machinery and the CTRNN units (network units whose input
              # is a summed target, with no 'I_in = ...' line a current step composes onto)
              if not {"source", "task", "ctrnn"} & set(model.tags)]
    results = characterise(models, device="cpp_standalone", n_amplitudes=11,
                           cache_dir=build_cache)
    assert set(results) == set(models)
    for name, ds in results.items():
        assert np.all(np.isfinite(ds["fi_rate"].values)), name
        assert ds["fi_rate"].max() > 0, f"{name} never fires/responds over its current_range"
        if "psp_peak" in ds:
            assert np.all(np.isfinite(ds["psp_peak"].values)), name
    # HH models set dt = 0.025 ms for the whole build: compare with the runtime values on the
    # closed form instead of spike for spike
    ds = results["lif_curr_exp"]
    for k, current in enumerate(ds["step_amplitude"].values):
        period = lif_period(current)
        last = float(ds["fi_last_rate"][k])
        assert (last == 0) if math.isinf(period) else abs(1 / last - period) <= 0.025e-3 + 1e-12


def test_models_recording_one_name_in_two_units_get_separate_builds():
    """izhikevich_curr_exp's I_e is a voltage drive (Izhikevich 2003), lif_curr_exp's a
    current: one Dataset cannot hold both, so they are characterised in separate builds."""
    from bioneuro.characterise import _resolve, _unit_compatible_groups, characterisation_experiment

    names = ["lif_curr_exp", "izhikevich_curr_exp", "lif_cond_exp", "adex_curr_exp"]
    groups = _unit_compatible_groups(names, [_resolve(n) for n in names])
    assert groups == [["lif_curr_exp", "lif_cond_exp", "adex_curr_exp"],
                      ["izhikevich_curr_exp"]]
    with pytest.raises(bn.SpecError, match="I_e"):
        characterisation_experiment(["lif_curr_exp", "izhikevich_curr_exp"])
    with pytest.raises(bn.SpecError, match="parameters"):
        characterise(["lif_curr_exp", "izhikevich_curr_exp"],
                     parameters={"lif_curr_xp": {"tau_m": 10 * ms}})


def test_task_machinery_is_not_characterised():
    with pytest.raises(bn.SpecError, match="model: got 'choice_referee'.*task referees"):
        characterise("choice_referee")
