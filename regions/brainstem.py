"""Brainstem and spinal motor circuits: motor pools, half-centre, pre-Botzinger, stretch reflex.

Templates (functions returning `bioneuro.spec.Circuit`; ``scale`` multiplies every
population size and divides per-synapse weights, so each neuron keeps its total input):

- `motor_pool`: alpha motoneurons whose membrane area spans type S to type FF (Henneman's
  size principle). All membrane densities are those of the ``spinal_motoneuron_s`` and
  ``spinal_motoneuron_ff`` cell types (Zengel et al. 1985 values); area, and with it every
  conductance and the capacitance, is evenly spaced from the smallest (neuron 0, S) to the
  largest (last neuron, FF), and the Ca2+ removal time (AHP duration) from 32 to 16 ms. Same
  densities mean the same voltage dynamics per unit current density, so the rheobase grows
  in proportion to the area and a common rising drive recruits the units in order of size.
- `half_centre`: Brown's (1911) half-centre oscillator: two populations of adapting neurons
  (AdEx with spike-triggered adaptation), each tonically driven, inhibiting each other.
  The active side adapts while the silent side's adaptation decays until it escapes the
  inhibition (Wang & Rinzel 1992; Skinner et al. 1994): the adaptation (``tau_w``, ``b``)
  and the inhibition strength set the period (about 2 s with the defaults; stronger
  inhibition, later escape, longer period).
- `prebotzinger`: Butera, Rinzel & Smith (1999b): pre-Botzinger pacemakers (their model 1,
  the ``brainstem_prebotzinger_pacemaker`` cell type) with a Gaussian spread of the
  persistent Na+ conductance, coupled all-to-all by excitatory synapses: synchronous
  population bursts every few seconds.
- `stretch_reflex`: Ia afferents of a stretched (extensor) muscle excite the homonymous motor
  pool monosynaptically (Eccles et al. 1957; Mendell & Henneman 1971) and, through Ia
  inhibitory interneurons, inhibit the antagonist (flexor) pool: reciprocal inhibition
  (Eccles, Fatt & Landgren 1956; Jankowska & Roberts 1972); the antagonist's Ia afferents
  mirror it. Afferent spikes are produced at the muscle; each projection's delay is the
  conduction time (``conduction_distance / conduction_velocity``) plus one synaptic delay.
- `brainstem`: the four circuits side by side in one network.

Every population is labelled with its region (``spinal_cord``, ``brainstem`` or
``periphery`` for the afferents) and cell type. `CONNECTIVITY` is the stretch reflex's
connection-probability table (``post`` x ``pre``, with the source of each entry);
`connectivity_table` returns it as labelled xarray data.
"""

from types import MappingProxyType

import numpy as np
from bioneuro.models.cells.brainstem import spinal_motoneuron_ff, spinal_motoneuron_s
from bioneuro.regions.scaling import check_scale, scaled_size
from brian2.units import meter, ms, mV, nS, pA, pF, second

from bioneuro.distributions import Constant, Linspace, Normal, Uniform
from bioneuro.errors import SpecError
from bioneuro.quantities import check_quantity
from bioneuro.registry import register
from bioneuro.spec import Circuit, Population, Projection, Reference

__all__ = ["motor_pool", "half_centre", "prebotzinger", "stretch_reflex", "brainstem",
           "CONNECTIVITY", "connectivity_table", "POOL_SIZE", "HALF_CENTRE_SIZE",
           "PREBOTZINGER_SIZE", "AFFERENT_SIZE", "INTERNEURON_SIZE"]

#: motoneurons of the cat medial gastrocnemius pool (Burke et al. 1977)
POOL_SIZE = 300
#: neurons per half-centre
HALF_CENTRE_SIZE = 100
#: pacemakers of the pre-Botzinger network (Butera et al. 1999b simulate 50 to 500)
PREBOTZINGER_SIZE = 50
#: Ia afferents per muscle nerve (cat medial gastrocnemius, Mendell & Henneman 1971)
AFFERENT_SIZE = 60
#: Ia inhibitory interneurons per muscle
INTERNEURON_SIZE = 40

_HENNEMAN = Reference("Henneman (1957) Relation between size of neurons and their "
                      "susceptibility to discharge, Science 126:1345",
                      "10.1126/science.126.3287.1345")
_ZENGEL = Reference("Zengel, Reid, Sypert & Munson (1985) Membrane electrical properties and "
                    "prediction of motor-unit type of medial gastrocnemius motoneurons in the "
                    "cat, J Neurophysiol 53:1323", "10.1152/jn.1985.53.5.1323")
_BURKE = Reference("Burke, Strick, Kanda, Kim & Walmsley (1977) Anatomy of medial gastrocnemius "
                   "and soleus motor nuclei in cat spinal cord, J Neurophysiol 40:667",
                   "10.1152/jn.1977.40.3.667")
_BROWN = Reference("Brown (1911) The intrinsic factors in the act of progression in the "
                   "mammal, Proc R Soc Lond B 84:308", "10.1098/rspb.1911.0077")
_WANG_RINZEL = Reference("Wang & Rinzel (1992) Alternating and synchronous rhythms in "
                         "reciprocally inhibitory model neurons, Neural Comput 4:84",
                         "10.1162/neco.1992.4.1.84")
_SKINNER = Reference("Skinner, Kopell & Marder (1994) Mechanisms for oscillation and frequency "
                     "control in reciprocally inhibitory model neural networks, "
                     "J Comput Neurosci 1:69", "10.1007/BF00962719")
_BUTERA_II = Reference("Butera, Rinzel & Smith (1999b) Models of respiratory rhythm generation "
                       "in the pre-Botzinger complex. II. Populations of coupled pacemaker "
                       "neurons, J Neurophysiol 82:398", "10.1152/jn.1999.82.1.398")
_ECCLES_1956 = Reference("Eccles, Fatt & Landgren (1956) Central pathway for direct inhibitory "
                         "action of impulses in largest afferent nerve fibres to muscle, "
                         "J Neurophysiol 19:75", "10.1152/jn.1956.19.1.75")
_ECCLES_1957 = Reference("Eccles, Eccles & Lundberg (1957) The convergence of monosynaptic "
                         "excitatory afferents on to many different species of alpha "
                         "motoneurones, J Physiol 137:22", "10.1113/jphysiol.1957.sp005794")
_MENDELL = Reference("Mendell & Henneman (1971) Terminals of single Ia fibers: location, "
                     "density, and distribution within a pool of 300 homonymous motoneurons, "
                     "J Neurophysiol 34:171", "10.1152/jn.1971.34.1.171")
_JANKOWSKA = Reference("Jankowska & Roberts (1972) Synaptic actions of single interneurones "
                       "mediating reciprocal Ia inhibition of motoneurones, J Physiol 222:623",
                       "10.1113/jphysiol.1972.sp009818")
_ASSUMED = Reference("assumed: no single measured value; chosen so that the pathway is "
                     "reliably activated at every scale")

#: stretch-reflex connection probabilities: {(post, pre): (p, source)}; "ext"/"flex" are the
#: stretched (homonymous) muscle and its antagonist
CONNECTIVITY = MappingProxyType({
    ("MN_ext", "Ia_ext"): (0.93, _MENDELL),     # 93 % of homonymous motoneurons
    ("MN_flex", "Ia_flex"): (0.93, _MENDELL),
    ("MN_ext", "Ia_flex"): (0.0, _ECCLES_1956),  # antagonist: inhibition only, disynaptic
    ("MN_flex", "Ia_ext"): (0.0, _ECCLES_1956),
    ("IaIN_ext", "Ia_ext"): (0.5, _JANKOWSKA),
    ("IaIN_flex", "Ia_flex"): (0.5, _JANKOWSKA),
    ("MN_flex", "IaIN_ext"): (0.5, _ASSUMED),
    ("MN_ext", "IaIN_flex"): (0.5, _ASSUMED),
})


def connectivity_table():
    """The stretch reflex's connection probabilities as labelled data.

    Returns
    -------
    xarray.Dataset
        ``probability`` and ``source`` (citation with DOI) on dims ``post`` x ``pre``;
        pairs absent from `CONNECTIVITY` have probability 0 and source ``"not connected"``.
    """
    import xarray as xr

    posts = sorted({post for post, _ in CONNECTIVITY})
    pres = sorted({pre for _, pre in CONNECTIVITY})
    prob = np.zeros((len(posts), len(pres)))
    source = np.full((len(posts), len(pres)), "not connected", dtype=object)
    for (post, pre), (p, ref) in CONNECTIVITY.items():
        prob[posts.index(post), pres.index(pre)] = p
        source[posts.index(post), pres.index(pre)] = \
            f"{ref.citation} (doi:{ref.doi})" if ref.doi else ref.citation
    return xr.Dataset(
        {"probability": (("post", "pre"), prob, {"units": "1",
                                                  "long_name": "connection probability"}),
         "source": (("post", "pre"), source.astype(str))},
        coords={"post": posts, "pre": pres})


def _size(base, scale):
    return scaled_size(base, check_scale(scale))


def _positive(value, field, unit):
    check_quantity(value, field, unit)
    if not float(value / unit) > 0:
        raise SpecError(field, value, f"a positive value in {unit}")
    return value


# -- motor pool -------------------------------------------------------------------------------


def _pool_population(name, n, region="spinal_cord"):
    small, large = spinal_motoneuron_s.parameters, spinal_motoneuron_ff.parameters
    parameters = {key: small[key] if small[key] == large[key] or n == 1 else
                  Linspace(small[key].value, large[key].value) for key in small}
    return Population(name, "hh_ahp_cond_exp", n, parameters=parameters,
                      initial={"v": -70 * mV}, region=region, cell_type="alpha_motoneuron")


def motor_pool(scale=1.0, name="MN", seed=None):
    """A motor pool whose motoneurons span the sizes of type S to type FF motor units.

    Neuron ``k`` of ``n`` has the membrane area ``A_S + (A_FF - A_S) k/(n - 1)`` with
    ``A_S = 3.1e-3 cm^2`` and ``A_FF = 8.3e-3 cm^2`` (input resistance 1.6 to 0.6 MOhm:
    Zengel et al. 1985); the densities (and so the current density at threshold) are shared,
    so the rheobase is proportional to the area (Henneman 1957 size principle).

    Parameters
    ----------
    scale : float
        Size factor: ``round(300 scale)`` motoneurons (cat medial gastrocnemius, Burke et al.
        1977).
    name : str
        Population name.

    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
    """
    n = _size(POOL_SIZE, scale)
    return Circuit(
        "motor_pool", [_pool_population(name, n)],
        description="Motor pool spanning type S to type FF motoneurons (size principle)",
        references=(_HENNEMAN, _ZENGEL, _BURKE), seed=seed)


# -- half-centre oscillator -------------------------------------------------------------------

_HALF_CENTRE_CELL = {"C_m": 200 * pF, "g_L": 10 * nS, "E_L": -70 * mV, "V_T": -50 * mV,
                     "Delta_T": 2 * mV, "a": 0 * nS, "V_reset": -58 * mV, "tau_ref": 2 * ms}


def half_centre(scale=1.0, tau_w=0.5 * second, b=25 * pA, g_inh=60 * nS, drive=300 * pA,
                seed=None):
    """Brown's half-centre: two adapting populations with reciprocal inhibition.

    Each side has ``round(100 scale)`` AdEx neurons (tonic-spiking parameters of Naud et al.
    2008 with pure spike-triggered adaptation, ``a = 0``, rheobase 180 pA), a tonic drive
    spread uniformly over ``drive +- 10 %`` (so that the neurons of a side do not fire in
    lockstep) and all-to-all inhibition from the other side with a total conductance `g_inh`
    per neuron (each synapse ``g_inh / n``). The flexor side starts active.

    The rhythm works by release (Wang & Rinzel 1992; Skinner et al. 1994): the active side's
    adaptation builds up until it cancels the drive above rheobase (``drive - 180 pA``), the
    side falls silent and releases the other, whose adaptation has meanwhile decayed with
    `tau_w`; a half period is that decay, ``T/2 = tau_w ln(w_off / w_on)`` (adaptation at
    the end and the start of a burst). With the gain ``b * tau_w`` fixed, `tau_w` sets the
    period (1.4, 2.1, 2.8 s at 0.25, 0.5, 1 s, tests/test_half_centre_period.py); with `b`
    fixed, a longer `tau_w` lets the adaptation reach the release threshold sooner and
    shortens it (1.2 s at 1 s); stronger inhibition lengthens it.

    Parameters
    ----------
    scale : float
        Size factor.
    tau_w : Quantity
        Adaptation time constant: the slow time scale of the rhythm (see above).
    b : Quantity
        Adaptation increment per spike (``b * tau_w``: adaptation per unit rate).
    g_inh : Quantity
        Summed inhibitory weight onto one neuron (conductance jump if the whole other side
        fires at once).
    drive : Quantity
        Mean tonic current.

    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
        Populations ``HC_flex`` and ``HC_ext``, projections ``HC_flex_ext``,
        ``HC_ext_flex``.
    """
    n = _size(HALF_CENTRE_SIZE, scale)
    _positive(tau_w, "half_centre.tau_w", ms)
    _positive(g_inh, "half_centre.g_inh", nS)
    check_quantity(b, "half_centre.b", pA)
    check_quantity(drive, "half_centre.drive", pA)
    cell = {**_HALF_CENTRE_CELL, "tau_w": tau_w, "b": b,
            "I_ext": Uniform(0.9 * drive, 1.1 * drive)}
    # the flexor side starts depolarised and unadapted, the extensor side adapted
    starts = {"flex": {"v": -55 * mV, "w_a": 0 * pA},
              "ext": {"v": -70 * mV, "w_a": 0.5 * drive}}
    pops = [Population(f"HC_{side}", "adex_cond_exp", n, parameters=cell,
                       initial=starts[side], region="spinal_cord",
                       cell_type="half_centre_interneuron") for side in ("flex", "ext")]
    projections = [
        Projection(f"HC_{pre}_{post}", f"HC_{pre}", f"HC_{post}", "i", "all_to_all",
                   g_inh / n, delay=1 * ms)
        for pre, post in (("flex", "ext"), ("ext", "flex"))]
    return Circuit("half_centre", pops, projections,
                   description="Half-centre oscillator: reciprocal inhibition between two "
                               "adapting populations (Brown 1911)",
                   references=(_BROWN, _WANG_RINZEL, _SKINNER), seed=seed)


# -- pre-Botzinger complex --------------------------------------------------------------------


def prebotzinger(scale=1.0, g_coupling=1.2 * nS, g_nap_cv=0.1, g_tonic=0 * nS, seed=None):
    """Butera et al. (1999b) network of coupled pre-Botzinger pacemaker neurons.

    ``round(50 scale)`` ``brainstem_prebotzinger_pacemaker`` neurons (Butera et al. 1999
    model 1) with ``g_NaP`` drawn from a normal distribution of mean 2.8 nS and coefficient
    of variation `g_nap_cv` (clipped to +- 3 SD), coupled all-to-all (no autapses) by
    excitatory synapses (reversal 0 mV, 5 ms decay) of total weight `g_coupling` per neuron.

    Parameters
    ----------
    scale : float
        Size factor.
    g_coupling : Quantity
        Summed excitatory weight onto one neuron (each synapse ``g_coupling/(n - 1)``).
    g_nap_cv : float
        Coefficient of variation of ``g_NaP``.
    g_tonic : Quantity
        Tonic excitatory conductance (the "depolarising input" that speeds the rhythm up).

    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
        Population ``preBotC``, projection ``preBotC_preBotC``.
    """
    n = _size(PREBOTZINGER_SIZE, scale)
    check_quantity(g_coupling, "prebotzinger.g_coupling", nS)
    check_quantity(g_tonic, "prebotzinger.g_tonic", nS)
    if not 0 <= g_nap_cv < 0.33:
        raise SpecError("prebotzinger.g_nap_cv", g_nap_cv, "a coefficient of variation in "
                        "[0, 0.33) (g_NaP must stay positive within +- 3 SD)")
    g_nap = 2.8 * nS
    spread = Normal(g_nap, g_nap_cv * g_nap, low=g_nap * (1 - 3 * g_nap_cv),
                    high=g_nap * (1 + 3 * g_nap_cv)) if g_nap_cv > 0 else Constant(g_nap)
    pop = Population("preBotC", "brainstem_prebotzinger_pacemaker", n,
                     parameters={"g_NaP": spread, "g_tonic": g_tonic},
                     initial={"v": Uniform(-65 * mV, -55 * mV), "h_NaP": Uniform(0.4, 0.7)},
                     region="brainstem")
    projections = []
    if n > 1:
        projections.append(Projection(
            "preBotC_preBotC", "preBotC", "preBotC", "e", {"kind": "all_to_all",
                                                          "allow_autapses": False},
            g_coupling / (n - 1), delay=1 * ms))
    return Circuit("prebotzinger", [pop], projections,
                   description="Pre-Botzinger complex: heterogeneous bursting pacemakers with "
                               "excitatory coupling (Butera et al. 1999b)",
                   references=(_BUTERA_II,), seed=seed)


# -- stretch reflex ---------------------------------------------------------------------------

_AFFERENT = {"C_m": 200 * pF, "g_L": 10 * nS, "E_L": -70 * mV, "V_T": -50 * mV,
             "Delta_T": 2 * mV, "a": 0 * nS, "b": 20 * pA, "tau_w": 300 * ms,
             "V_reset": -58 * mV, "tau_ref": 1 * ms}


def stretch_reflex(scale=1.0, g_ia=800 * nS, g_ia_in=60 * nS,
                   g_in_mn=400 * nS, resting_rate_current=240 * pA,
                   conduction_distance=0.15 * meter, conduction_velocity=100 * meter / second,
                   synaptic_delay=0.5 * ms, seed=None):
    """Monosynaptic stretch reflex with reciprocal Ia inhibition of the antagonist.

    Populations: Ia afferents of the stretched extensor and of its antagonist
    (``Ia_ext``, ``Ia_flex``; ``round(60 scale)`` each, the slowly adapting afferent model of
    ``sensory_sa_afferent`` whose input current stands for the spindle's receptor current),
    their motor pools (``MN_ext``, ``MN_flex``: `motor_pool`, ``round(300 scale)`` each) and
    Ia inhibitory interneurons (``IaIN_ext``, ``IaIN_flex``; ``round(40 scale)`` each,
    conductance-based LIF). Connection probabilities: `CONNECTIVITY`. A stretch of a muscle is
    a step of its afferents' input current (a step of their rate).

    Parameters
    ----------
    scale : float
        Size factor; per-synapse weights are the summed weights below divided by the
        expected number of inputs, so each neuron's input does not depend on `scale`.
    g_ia : Quantity
        Summed Ia conductance onto one motoneuron (the same at every size, so the
        composite EPSP is largest in the small, type S, motoneurons: Burke 1968).
    g_ia_in : Quantity
        Summed Ia conductance onto one Ia interneuron.
    g_in_mn : Quantity
        Summed inhibitory conductance of the Ia interneurons onto one motoneuron.
    resting_rate_current : Quantity
        Mean afferent input current at rest (spread +- 20 %): resting discharge of a few Hz.
    conduction_distance, conduction_velocity : Quantity
        Afferent path from muscle to spinal cord and its conduction velocity (cat group Ia:
        70 to 120 m/s).
    synaptic_delay : Quantity
        Delay of one central synapse.

    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
    """
    n_aff = _size(AFFERENT_SIZE, scale)
    n_in = _size(INTERNEURON_SIZE, scale)
    for field, value, unit in (("g_ia", g_ia, nS), ("g_ia_in", g_ia_in, nS),
                               ("g_in_mn", g_in_mn, nS), ("synaptic_delay", synaptic_delay, ms),
                               ("conduction_distance", conduction_distance, meter),
                               ("conduction_velocity", conduction_velocity, meter / second)):
        _positive(value, f"stretch_reflex.{field}", unit)
    check_quantity(resting_rate_current, "stretch_reflex.resting_rate_current", pA)
    afferent_delay = conduction_distance / conduction_velocity + synaptic_delay
    pops = []
    for side in ("ext", "flex"):
        pops.append(Population(
            f"Ia_{side}", "sensory_sa_afferent", n_aff,
            parameters={**_AFFERENT, "I_ext": Uniform(0.8 * resting_rate_current,
                                                     1.2 * resting_rate_current)},
            initial={"v": Uniform(-70 * mV, -52 * mV)}, region="periphery",
            cell_type="ia_afferent"))
    for side in ("ext", "flex"):
        pops.append(_pool_population(f"MN_{side}", _size(POOL_SIZE, scale)))
    for side in ("ext", "flex"):
        pops.append(Population(
            f"IaIN_{side}", "lif_cond_exp", n_in,
            parameters={"C_m": 250 * pF, "tau_m": 10 * ms, "E_L": -70 * mV, "V_th": -55 * mV,
                        "V_reset": -70 * mV, "tau_ref": 1 * ms, "tau_e": 2 * ms,
                        "tau_i": 5 * ms},
            region="spinal_cord", cell_type="ia_inhibitory_interneuron"))
    sizes = {p.name: p.size for p in pops}
    projections = []
    for (post, pre), (p, _) in CONNECTIVITY.items():
        if p == 0:
            continue
        if pre.startswith("Ia_"):
            total, target, delay = (g_ia if post.startswith("MN") else g_ia_in), "e", \
                afferent_delay
        else:
            total, target, delay = g_in_mn, "i", synaptic_delay
        projections.append(Projection(f"{pre}_{post}", pre, post, target,
                                      {"kind": "bernoulli", "p": p},
                                      total / (p * sizes[pre]), delay=delay))
    return Circuit(
        "stretch_reflex", pops, projections,
        description="Monosynaptic stretch reflex with reciprocal Ia inhibition of the "
                    "antagonist pool",
        references=(_ECCLES_1956, _ECCLES_1957, _MENDELL, _JANKOWSKA, _HENNEMAN),
        seed=seed)


# -- all of them ------------------------------------------------------------------------------


def brainstem(scale=1.0, seed=None):
    """The brainstem and spinal circuits of this module side by side in one network.

    `motor_pool` (``MN``), `half_centre` (``HC_flex``, ``HC_ext``), `prebotzinger`
    (``preBotC``) and `stretch_reflex` (``Ia_*``, ``MN_*``, ``IaIN_*``), unconnected to one
    another, at one `scale`; `seed` is the circuit's default seed
    (`bioneuro.spec.Circuit.seed`).
    """
    parts = [motor_pool(scale), half_centre(scale), prebotzinger(scale),
             stretch_reflex(scale)]
    return Circuit(
        "brainstem", [p for c in parts for p in c.populations],
        [p for c in parts for p in c.projections], [i for c in parts for i in c.inputs],
        description="Brainstem and spinal motor circuits: motor pool, half-centre "
                    "oscillator, pre-Botzinger network, stretch reflex",
        references=tuple(dict.fromkeys(r for c in parts for r in c.references)), seed=seed)


for _factory in (motor_pool, half_centre, prebotzinger, stretch_reflex, brainstem):
    register("regions", _factory.__name__, _factory)
