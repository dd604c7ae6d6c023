"""The layered cortical microcircuit of Potjans & Diesmann (2014), with van Albada downscaling.

Eight populations (L2/3, L4, L5, L6 x excitatory/inhibitory) of identical current-based LIF
neurons with exponential synaptic currents (NEST ``iaf_psc_exp``: C_m = 250 pF, tau_m = 10
ms, E_L = V_reset = -65 mV, V_th = -50 mV, tau_ref = 2 ms, tau_syn = 0.5 ms). Connection
probabilities, population sizes, external in-degrees, weights and delays are those of the
NEST reference implementation (``pynest/examples/Potjans_2014/network_params.py``), i.e. of
PD14 Tables 4-5:

- weights: a 0.15 mV excitatory PSP, i.e. an 87.81 pA PSC (`psc_from_psp`), inhibitory
  weights ``g = -4`` times larger, the L4E -> L2/3E weight doubled; every weight normally
  distributed with a relative standard deviation of 0.1 (clipped at 0 so signs never flip;
  NEST redraws instead, but a weight 10 standard deviations from its mean is never drawn);
- delays: normal, 1.5 +- 0.75 ms from excitatory and 0.75 +- 0.375 ms from inhibitory
  neurons, clipped below at 0.1 ms (the NEST resolution). NEST *redraws* delays below the
  bound (``nest.math.redraw``); clipping puts those 3.1 % of the excitatory and 4.2 % of the
  inhibitory delays at exactly 0.1 ms, so the mean delays are 1.509 ms and 0.756 ms instead
  of the truncated normal's 1.554 ms and 0.785 ms (closed forms of the clipped and the
  truncated normal), a 3-4 % shorter mean delay. Brian2's generated synapse code has no
  redraw loop, hence clipping;
- background: ``K_ext`` Poisson sources of 8 Hz per neuron, or the equal mean current (DC).

In-degrees follow the NEST reference: the total number of synapses of a projection is
``K_tot = ln(1 - p) / ln(1 - 1/(N_pre N_post))`` (PD14 Eq. 1), the in-degree ``K_tot/N_post``.
NEST draws ``K_tot`` pairs (``fixed_total_number``, with multapses); here each pair connects
with probability ``K/N_pre`` (``bernoulli``), which has the same mean in-degree and nearly the
same (binomial) in-degree distribution but is generated inside the compiled code from the
run's seed (``fixed_total_number`` would put every pair into the code).

Downscaling (van Albada, Helias & Diesmann 2015): ``scale`` multiplies the population sizes
and ``k_scale`` (default: ``scale``) the in-degrees, recurrent and external. With ``k_scale <
1`` the weights grow by ``1/sqrt(k_scale)`` (keeping the input variance) and each neuron gets
a DC current ``tau_syn (1 - sqrt(k_scale)) sum_pre J K r_full`` (plus the same for the
external input) that restores the mean input, computed from the full-scale rates
`FULL_SCALE_RATES` (NEST's ``full_mean_rates``). Scaling only ``scale`` (``k_scale = 1``)
needs no compensation but is limited by ``K <= N_pre``.
"""

import math

import numpy as np
import xarray as xr
from bioneuro.regions.scaling import scaled_size
from brian2.units import Hz, ms, mV, pA, pF

from bioneuro.distributions import Normal
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.registry import register
from bioneuro.spec import Circuit, PoissonInput, Population, Projection, Reference

__all__ = ["potjans_diesmann", "POPULATIONS", "CONNECTION_PROBABILITIES", "FULL_SIZES",
           "EXTERNAL_INDEGREES", "FULL_SCALE_RATES", "in_degrees", "weights", "psc_from_psp",
           "dc_compensation"]

POTJANS_DIESMANN_2014 = Reference(
    "Potjans & Diesmann (2014) The cell-type specific cortical microcircuit: relating "
    "structure and activity in a full-scale spiking network model, Cereb Cortex 24:785",
    "10.1093/cercor/bhs358")
VAN_ALBADA_2015 = Reference(
    "van Albada, Helias & Diesmann (2015) Scalability of asynchronous networks is limited by "
    "one-to-one mapping between effective connectivity and correlations, PLoS Comput Biol "
    "11:e1004490", "10.1371/journal.pcbi.1004490")
NEST_MICROCIRCUIT = Reference(
    "NEST reference implementation of the microcircuit (Rothe, Bos, van Albada, Senk et al.), "
    "nest-simulator pynest/examples/Potjans_2014/network_params.py and helpers.py",
    "")
HANUSCHKIN_2010 = Reference(
    "Hanuschkin, Kunkel, Helias, Morrison & Diesmann (2010) A general and efficient method "
    "for incorporating precise spike times in globally time-driven simulations, Front "
    "Neuroinform 4:113 (PSP maximum of an exponential PSC, Eq. 5)", "10.3389/fninf.2010.00113")
REFERENCES = (POTJANS_DIESMANN_2014, VAN_ALBADA_2015, NEST_MICROCIRCUIT, HANUSCHKIN_2010)

POPULATIONS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
_LAYER = {"L23": "L2/3", "L4": "L4", "L5": "L5", "L6": "L6"}
_SOURCE = {"source": "Potjans & Diesmann (2014) Table 5; NEST network_params.py",
           "doi": POTJANS_DIESMANN_2014.doi}


def _table(values, dims, name, long_name, units="1"):
    coords = {dim: list(POPULATIONS) for dim in dims}
    return xr.DataArray(np.array(values, dtype=float), coords=coords, dims=dims, name=name,
                        attrs={"long_name": long_name, "units": units, **_SOURCE})


#: connection probability, post (rows) x pre (columns); PD14 Table 5
CONNECTION_PROBABILITIES = _table(
    [[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
     [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
     [0.0077, 0.0059, 0.0497, 0.1350, 0.0067, 0.0003, 0.0453, 0.0],
     [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
     [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
     [0.0548, 0.0269, 0.0257, 0.0022, 0.0600, 0.3158, 0.0086, 0.0],
     [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
     [0.0364, 0.0010, 0.0034, 0.0005, 0.0277, 0.0080, 0.0658, 0.1443]],
    ("post", "pre"), "connection_probability", "connection probability")
#: full-scale population sizes; PD14 Table 5
FULL_SIZES = _table([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948], ("population",),
                    "n_neurons", "number of neurons (full scale)")
#: external (background) in-degrees; PD14 Table 5
EXTERNAL_INDEGREES = _table([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100],
                            ("population",), "external_indegree",
                            "number of external Poisson inputs per neuron (full scale)")
#: mean rates of the full-scale network simulated with NEST (``full_mean_rates`` of the
#: NEST example): the reference of the tests and of the DC compensation
FULL_SCALE_RATES = xr.DataArray(
    [0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523], coords={"population": list(
        POPULATIONS)}, dims=("population",), name="rate",
    attrs={"long_name": "mean firing rate of the full-scale network", "units": "Hz",
           "source": "NEST pynest/examples/Potjans_2014/network_params.py full_mean_rates "
                     "(full-scale NEST simulation of PD14)", "doi": NEST_MICROCIRCUIT.doi})

NEURON = {"C_m": 250 * pF, "tau_m": 10 * ms, "E_L": -65 * mV, "V_th": -50 * mV,
          "V_reset": -65 * mV, "tau_ref": 2 * ms, "tau_e": 0.5 * ms, "tau_i": 0.5 * ms}
PSP_EXC, G_INH, WEIGHT_REL_STD = 0.15 * mV, -4.0, 0.1
DELAY_MEAN = {"E": 1.5 * ms, "I": 0.75 * ms}
DELAY_REL_STD, DELAY_MIN = 0.5, 0.1 * ms
BACKGROUND_RATE = 8 * Hz
#: population-specific initial membrane potentials (mean, sd) that avoid the onset burst
#: (NEST ``V0_type = 'optimized'``, Han-Jia Jiang 2019)
V0_OPTIMIZED = {"L23E": (-68.28, 5.36), "L23I": (-63.16, 4.57), "L4E": (-63.33, 4.74),
                "L4I": (-63.45, 4.94), "L5E": (-63.11, 4.94), "L5I": (-61.66, 4.55),
                "L6E": (-66.72, 5.46), "L6I": (-61.43, 4.48)}
BACKGROUNDS = ("poisson", "dc")


def psc_from_psp(psp, C_m=NEURON["C_m"], tau_m=NEURON["tau_m"], tau_syn=NEURON["tau_e"]):
    """PSC amplitude whose PSP (of an ``iaf_psc_exp`` neuron) peaks at `psp`.

    The PSP of an exponential current ``J exp(-t/tau_s)`` peaks at
    ``J tau_m tau_s/(C_m (tau_s - tau_m)) (x**tau_m - x**tau_s)`` with
    ``x = (tau_m/tau_s)**(1/(tau_s - tau_m))`` (Hanuschkin et al. 2010, Eq. 5).

    Parameters
    ----------
    psp : Quantity
        Peak postsynaptic potential (volt).
    C_m, tau_m, tau_syn : Quantity
        Membrane capacitance, membrane and synaptic time constants.

    Returns
    -------
    Quantity
        PSC amplitude (amp): 87.81 pA for 0.15 mV with the PD14 neuron.
    """
    tm, ts = float(tau_m / ms), float(tau_syn / ms)
    sub = 1.0 / (ts - tm)
    frac = (tm / ts) ** sub
    psp_per_pa = tm * ts / float(C_m / pF) * sub * (frac ** tm - frac ** ts)  # mV per pA
    return float(psp / mV) / psp_per_pa * pA


def _full_in_degrees():
    n = FULL_SIZES.values
    prod = np.outer(n, n)  # post x pre
    total = np.log(1.0 - CONNECTION_PROBABILITIES.values) / np.log((prod - 1.0) / prod)
    return total / n[:, None]


def in_degrees(k_scale=1.0):
    """Mean in-degree of each projection (post x pre), scaled by `k_scale`, rounded.

    ``K = k_scale * ln(1 - p) / ln(1 - 1/(N_pre N_post)) / N_post`` with full-scale sizes
    (PD14 Eq. 1; NEST ``num_synapses_from_conn_probs``).
    """
    k = np.round(_full_in_degrees() * k_scale)
    return xr.DataArray(k.astype(int), coords=CONNECTION_PROBABILITIES.coords,
                        dims=("post", "pre"), name="in_degree",
                        attrs={"long_name": "in-degree", "units": "1", "k_scale": k_scale,
                               **_SOURCE})


def weights(k_scale=1.0):
    """Mean PSC amplitude of each projection (post x pre, pA), scaled by ``1/sqrt(k_scale)``.

    ``J = 87.81 pA`` from excitatory, ``-4 J`` from inhibitory populations, ``2 J`` for
    L4E -> L2/3E (PD14 Table 5).
    """
    j = float(psc_from_psp(PSP_EXC) / pA)
    table = np.where([p.endswith("E") for p in POPULATIONS], j, G_INH * j)
    table = np.tile(table, (len(POPULATIONS), 1))
    table[POPULATIONS.index("L23E"), POPULATIONS.index("L4E")] *= 2
    return xr.DataArray(table / math.sqrt(k_scale), coords=CONNECTION_PROBABILITIES.coords,
                        dims=("post", "pre"), name="weight",
                        attrs={"long_name": "mean PSC amplitude", "units": "pA",
                               "k_scale": k_scale, **_SOURCE})


def dc_compensation(k_scale, background="poisson"):
    """DC current per population (pA) that restores the mean input when in-degrees shrink.

    van Albada et al. (2015): with in-degrees ``k_scale K`` and weights ``J/sqrt(k_scale)``
    the mean input falls by ``(1 - sqrt(k_scale)) tau_syn sum_pre J K r``; the full-scale
    rates `FULL_SCALE_RATES` stand for ``r`` (NEST
    ``adjust_weights_and_input_to_synapse_scaling``). With a DC background the external
    input is itself a DC, ``tau_syn K_ext J nu_bg``.
    """
    tau = float(NEURON["tau_e"] / ms) * 1e-3
    j_full = weights(1.0).values
    rec = (j_full * _full_in_degrees() * FULL_SCALE_RATES.values[None, :]).sum(axis=1)
    ext = float(psc_from_psp(PSP_EXC) / pA) * EXTERNAL_INDEGREES.values * \
        float(BACKGROUND_RATE / Hz)
    dc = tau * (1 - math.sqrt(k_scale)) * rec
    dc = dc + (tau * ext if background == "dc" else tau * (1 - math.sqrt(k_scale)) * ext)
    return xr.DataArray(dc, coords={"population": list(POPULATIONS)}, dims=("population",),
                        name="dc", attrs={"long_name": "compensating DC current",
                                          "units": "pA", "k_scale": k_scale,
                                          "doi": VAN_ALBADA_2015.doi})


def _check_scale(value, field):
    try:
        ok = 0 < float(value) <= 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise SpecError(field, value, "a factor in (0, 1]")
    return float(value)


def potjans_diesmann(scale=0.1, k_scale=None, background="poisson", v0="optimized",
                     seed=None):
    """The PD14 microcircuit as a circuit spec (77,169 neurons at ``scale = 1``).

    Parameters
    ----------
    scale : float
        Factor on the population sizes, in (0, 1].
    k_scale : float, optional
        Factor on the in-degrees (recurrent and external), in (0, 1]; default `scale`.
        Below 1, weights grow by ``1/sqrt(k_scale)`` and a DC keeps the mean input (van
        Albada et al. 2015).
    background : {"poisson", "dc"}
        ``K_ext`` independent 8 Hz Poisson inputs per neuron, or their mean current.
    v0 : {"optimized", "original"}
        Initial membrane potentials: population-specific normals (NEST's optimized
        values) or N(-58 mV, 10 mV) for all (PD14).
    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
        Populations ``L23E`` ... ``L6I`` (region ``cortex``, cell types
        ``L2/3_excitatory`` ...), one Bernoulli projection ``<pre>_to_<post>`` per
        non-zero (rounded, scaled) in-degree, and the background inputs ``bg_<pop>``
        (none with ``background="dc"``).

    References
    ----------
    Potjans & Diesmann (2014), DOI 10.1093/cercor/bhs358; van Albada, Helias & Diesmann
    (2015), DOI 10.1371/journal.pcbi.1004490.
    """
    scale = _check_scale(scale, "scale")
    k_scale = scale if k_scale is None else _check_scale(k_scale, "k_scale")
    if background not in BACKGROUNDS:
        raise UnknownNameError("background", background, BACKGROUNDS)
    if v0 not in ("optimized", "original"):
        raise UnknownNameError("v0", v0, ("optimized", "original"))
    sizes = {p: scaled_size(n, scale) for p, n in zip(POPULATIONS, FULL_SIZES.values,
                                                      strict=True)}
    k, w = in_degrees(k_scale), weights(k_scale)
    dc = dc_compensation(k_scale, background)
    k_ext = np.round(EXTERNAL_INDEGREES.values * k_scale).astype(int)
    w_ext = psc_from_psp(PSP_EXC) / math.sqrt(k_scale)
    pops, inputs = [], []
    for idx, name in enumerate(POPULATIONS):
        mean, sd = V0_OPTIMIZED[name] if v0 == "optimized" else (-58.0, 10.0)
        kind = "excitatory" if name.endswith("E") else "inhibitory"
        params = dict(NEURON, I_ext=float(dc.values[idx]) * pA)
        pops.append(Population(name, "lif_curr_exp", sizes[name], parameters=params,
                               initial={"v": Normal(mean * mV, sd * mV)}, region="cortex",
                               cell_type=f"{_LAYER[name[:-1]]}_{kind}"))
        if background == "poisson":
            inputs.append(PoissonInput(f"bg_{name}", name, "e", int(k_ext[idx]),
                                       BACKGROUND_RATE, w_ext))
    projections = []
    for post in POPULATIONS:
        for pre in POPULATIONS:
            k_pp = int(k.sel(post=post, pre=pre))
            if k_pp == 0:
                continue
            if k_pp > sizes[pre]:
                raise SpecError("scale", scale, f"a size factor with N({pre}) >= its in-degree "
                                f"{k_pp} onto {post} (lower k_scale too)")
            mean = float(w.sel(post=post, pre=pre)) * pA
            std = abs(mean) * WEIGHT_REL_STD
            excitatory = pre.endswith("E")
            weight = Normal(mean, std, low=0 * pA) if excitatory else \
                Normal(mean, std, high=0 * pA)
            d = DELAY_MEAN["E" if excitatory else "I"]
            projections.append(Projection(
                f"{pre}_to_{post}", pre, post, "e" if excitatory else "i",
                {"kind": "bernoulli", "p": k_pp / sizes[pre]}, weight,
                Normal(d, d * DELAY_REL_STD, low=DELAY_MIN)))
    return Circuit("potjans_diesmann", pops, projections, inputs,
                   description=f"Potjans & Diesmann (2014) cortical microcircuit, "
                               f"N x {scale:g}, K x {k_scale:g}, {background} background",
                   references=REFERENCES, seed=seed)


register("regions", "potjans_diesmann", potjans_diesmann)
