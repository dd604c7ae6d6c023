"""Cerebellar microzone: granular layer, molecular layer, Purkinje cells, olive and nuclei.

The template `cerebellum` wires the canonical cerebellar circuit (Eccles, Ito & Szentagothai
1967; Ito 1984):

- mossy fibres (``mf``) -> granule cells (``grc``, 4 mossy fibres each) and Golgi cells
  (``goc``); granule cells -> Golgi cells, Golgi cells -> granule cells (feedforward and
  feedback inhibition of the granular layer);
- parallel fibres (granule axons) -> Purkinje cells (``pc``, plastic: `pf_pc_ltd`) and
  molecular-layer interneurons (``mli``, basket/stellate cells) which inhibit Purkinje cells;
- inferior olive (``io``) -> Purkinje cells: one climbing fibre per Purkinje cell, through
  the cell's climbing-fibre conductance (channel ``cf``, the complex spike) and its
  climbing-fibre signal ``cf`` that gates PF->PC plasticity (channel ``climbing_fibre``);
- Purkinje cells -> deep cerebellar nucleus (``dcn``, inhibitory) and mossy-fibre
  collaterals -> nucleus (excitatory).

Mossy fibres are modelled as relays (`MOSSY_FIBRE`): each fires spontaneously at
``mf_rate`` and relays every spike it receives on its channel ``e`` (how a stimulus protocol
such as `eyeblink_conditioning` drives them: ``mossy_fibres=Drive("mf", "e", 1, "one_to_one")``).
The olive receives background excitation (``io_background``) that makes it fire at about
1 Hz; an unconditioned stimulus drives it through channel ``e``.

Temporal basis of the granular layer. Timed learning needs granule cells whose responses to a
sustained conditioned stimulus are spread in time (Buonomano & Mauk 1994; Medina & Mauk
2000; Yamazaki & Tanaka 2007). In the cerebellum the diversity arises from Golgi-cell
feedback and the slow components of mossy-fibre transmission; here it is represented
explicitly and reproducibly: each granule cell has a latency (`GRANULE_TIMED`'s parameter
``latency``, drawn per cell from ``Uniform(0, basis_span)``) that delays all four of its
mossy-fibre synapses (``delay=PostVariable("latency")``), and a strong, slow spike-frequency
adaptation (``grc_adaptation`` = 150 pA per spike, ``tau_w`` = 300 ms; standing for the
build-up of Golgi inhibition) ends its response after one spike. Each granule cell thus fires
once per trial, near its own latency after CS onset, and the population tiles
``[0, basis_span]`` at a nearly constant rate (about 2 Hz per cell in the tests); Golgi
cells keep background granule activity sparse.

What shapes the Purkinje pause. During a CS the parallel fibres excite Purkinje cells
directly and inhibit them through the molecular-layer interneurons (``mli_pc``). Because the
basis keeps the granule population rate constant during the CS, the two nearly cancel in an
untrained circuit (no pause: the Purkinje rate stays at or above its pre-CS rate, apart from
a dip after the CS-onset transient). Climbing-fibre-gated LTD with an eligibility time
constant ``pf_window`` = 50 ms then removes the direct excitation of the granule cells that
fire in the 50-100 ms before the US, so that the feedforward inhibition wins exactly there:
the learned pause is deepest in the 50 ms before the US and follows a change of the
interval (Jirenhed & Hesslow 2011; Medina & Mauk 2000). Measured in the tests (late probe
trials): deepest bin 25 ms before the US at ISI 300 ms and 500 ms, 23-31 % of the pre-CS
rate; the same circuit without LTD shows no bin below 73 %.

Sizes and in-degrees. `SIZES` are the population sizes at ``scale=1`` (a 1000-granule-cell
slab of a microzone; `scale` multiplies them). `CONVERGENCE` is the labelled in-degree table
(post x pre): the in-degree used, the published value and its source. Anatomical in-degrees
that are small (4 mossy fibres per granule cell, 1 climbing fibre per Purkinje cell) are
kept exactly; the huge ones (about 150,000 parallel fibres per Purkinje cell) are scaled
down, and their weights are set so that the activity matches the published rates. In-degrees
do not change with `scale`, so a population may not shrink below an in-degree
(`scale` >= 0.3).

The nucleus. Deep-nuclear cells are pacemakers (21 Hz alone, `cerebellum_dcn`) that fire
tonically at tens of Hz in vivo (Thach 1968; 0-177 Hz over 144 cells in anaesthetised mice,
Canto et al. 2016) under a massive but depressing Purkinje inhibition (Telgkamp & Raman
2002). The scaled-down convergence (10 Purkinje cells at 40-47 Hz onto each nuclear cell) is
set to a steady-state, depressed conductance (``pc_dcn`` = 1 nS) with mossy-fibre
collaterals of 3 nS: the nucleus fires at 17-21 Hz spontaneously (19 Hz mean, tests), and
about 2-3 times faster while the Purkinje cells pause. With the undepressed 3 nS (and 1 nS
collaterals) it fired at 5-9 Hz, below the in-vivo range.
"""

from types import MappingProxyType

import numpy as np
import xarray as xr
from bioneuro.models.composition import Mechanism, compose
from bioneuro.models.plasticity.cerebellar import pf_purkinje
from bioneuro.regions.scaling import check_scale, scaled_size
from brian2.units import Hz, ms, mV, nS, pA

from bioneuro.distributions import PostVariable, Uniform
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.registry import get, register
from bioneuro.spec import (
    CellType,
    Circuit,
    NeuronModel,
    Parameter,
    Population,
    Projection,
    Reference,
)

__all__ = ["cerebellum", "SIZES", "CONVERGENCE", "convergence_table", "MOSSY_FIBRE",
           "PURKINJE_PLASTIC", "GRANULE_TIMED", "SIGNS"]

REGION = "cerebellum"

_ECCLES_1967 = Reference("Eccles, Ito & Szentagothai (1967) The Cerebellum as a Neuronal "
                         "Machine, Springer", "10.1007/978-3-662-13147-3")
_BILLINGS = Reference("Billings, Piasini, Lorincz, Nusser & Silver (2014) Network structure "
                      "within the cerebellar input layer enables lossless sparse encoding, "
                      "Neuron 83:960", "10.1016/j.neuron.2014.07.020")
_SOLINAS = Reference("Solinas, Nieus & D'Angelo (2010) A realistic large-scale model of the "
                     "cerebellum granular layer predicts circuit spatio-temporal filtering "
                     "properties, Front Cell Neurosci 4:12", "10.3389/fncel.2010.00012")
_NAPPER_HARVEY = Reference("Napper & Harvey (1988) Number of parallel fiber synapses on an "
                           "individual Purkinje cell in the cerebellum of the rat, J Comp "
                           "Neurol 274:168", "10.1002/cne.902740204")
_PALAY = Reference("Palay & Chan-Palay (1974) Cerebellar Cortex: Cytology and Organization, "
                   "Springer", "10.1007/978-3-642-65581-4")
_ECCLES_CF = Reference("Eccles, Llinas & Sasaki (1966) The excitatory synaptic action of "
                       "climbing fibres on the Purkinje cells of the cerebellum, J Physiol "
                       "182:268", "10.1113/jphysiol.1966.sp007824")
_PERSON_RAMAN = Reference("Person & Raman (2012) Purkinje neuron synchrony elicits time-locked "
                          "spiking in the cerebellar nuclei, Nature 481:502",
                          "10.1038/nature10732")
_MEDINA_MAUK = Reference("Medina & Mauk (2000) Computer simulation of cerebellar information "
                         "processing, Nat Neurosci 3:1205", "10.1038/81486")
_YAMAZAKI = Reference("Yamazaki & Tanaka (2007) A spiking network model for passage-of-time "
                      "representation in the cerebellum, Eur J Neurosci 26:2279",
                      "10.1111/j.1460-9568.2007.05837.x")
_BUONOMANO_MAUK = Reference("Buonomano & Mauk (1994) Neural network model of the cerebellum: "
                            "temporal discrimination and the timing of motor responses, "
                            "Neural Comput 6:38", "10.1162/neco.1994.6.1.38")
_CHADDERTON = Reference("Chadderton, Margrie & Hausser (2004) Integration of quanta in "
                        "cerebellar granule cells during sensory processing, Nature 428:856",
                        "10.1038/nature02442")
_JIRENHED = Reference("Jirenhed & Hesslow (2011) Learning stimulus intervals - adaptive timing "
                      "of conditioned Purkinje cell responses, Cerebellum 10:523",
                      "10.1007/s12311-011-0264-3")
_ITO = Reference("Ito (2001) Cerebellar long-term depression: characterization, signal "
                 "transduction, and functional roles, Physiol Rev 81:1143",
                 "10.1152/physrev.2001.81.3.1143")

_THACH = Reference("Thach (1968) Discharge of Purkinje and cerebellar nuclear neurons during "
                   "rapidly alternating arm movements in the monkey, J Neurophysiol 31:785",
                   "10.1152/jn.1968.31.5.785")
_CANTO = Reference("Canto, Witter & De Zeeuw (2016) Whole-cell properties of cerebellar nuclei "
                   "neurons in vivo, PLoS One 11:e0165887", "10.1371/journal.pone.0165887")
_TELGKAMP_RAMAN = Reference("Telgkamp & Raman (2002) Depression of inhibitory synaptic "
                            "transmission between Purkinje cells and neurons of the cerebellar "
                            "nuclei, J Neurosci 22:8447",
                            "10.1523/JNEUROSCI.22-19-08447.2002")

REFERENCES = (_ECCLES_1967, _BILLINGS, _SOLINAS, _NAPPER_HARVEY, _PERSON_RAMAN, _MEDINA_MAUK,
              _YAMAZAKI, _BUONOMANO_MAUK, _CHADDERTON, _ITO, _JIRENHED, _THACH, _CANTO,
              _TELGKAMP_RAMAN)

#: weight of an unconditioned-stimulus spike onto the olive (fires every olivary neuron)
US_WEIGHT = 100 * nS

#: h conductance of the olivary neurons: below the oscillation threshold of the
#: `inferior_olive` preset (which oscillates at 3-10 Hz in vitro), so that the olive fires
#: at about 1 Hz in vivo (complex spikes, Armstrong & Rawson 1979) driven by its afferents
IO_G_H = 10 * nS

#: independent background afferents per olivary neuron
IO_AFFERENTS = 10

#: population sizes at scale 1
SIZES = MappingProxyType({"mf": 100, "grc": 1000, "goc": 10, "mli": 40, "pc": 10, "io": 5,
                          "dcn": 5})

#: sign of each population's synapses (Dale's law): the transmitter and a source
SIGNS = MappingProxyType({
    "mf": ("excitatory", "glutamate (Eccles et al. 1967)"),
    "grc": ("excitatory", "glutamate (Eccles et al. 1967)"),
    "io": ("excitatory", "glutamate (Eccles et al. 1967)"),
    "goc": ("inhibitory", "GABA/glycine (Eccles et al. 1967)"),
    "mli": ("inhibitory", "GABA (Eccles et al. 1967)"),
    "pc": ("inhibitory", "GABA (Ito 1984; Eccles et al. 1967)"),
    "dcn": ("excitatory", "glutamate (projection neurons; Ito 1984)"),
})


class _Convergence(tuple):
    """One row of the in-degree table: ``(k, published, source)``."""

    __slots__ = ()

    def __new__(cls, k, published, source):
        return super().__new__(cls, (k, published, source))

    k = property(lambda self: self[0])
    published = property(lambda self: self[1])
    source = property(lambda self: self[2])


#: in-degrees ``(post, pre) -> (k used, published value, source)``
CONVERGENCE = MappingProxyType({
    ("grc", "mf"): _Convergence(4, "4 mossy fibres per granule cell", _BILLINGS),
    ("grc", "goc"): _Convergence(4, "4 Golgi-cell inputs per granule cell", _SOLINAS),
    ("goc", "mf"): _Convergence(20, "tens of mossy fibres (scaled down)", _SOLINAS),
    ("goc", "grc"): _Convergence(50, "hundreds of parallel fibres (scaled down)", _SOLINAS),
    ("pc", "grc"): _Convergence(300, "about 150,000 parallel fibres (scaled down)",
                                _NAPPER_HARVEY),
    ("mli", "grc"): _Convergence(100, "hundreds of parallel fibres (scaled down)", _PALAY),
    ("pc", "mli"): _Convergence(10, "tens of basket/stellate cells (scaled down)", _PALAY),
    ("pc", "io"): _Convergence(1, "exactly 1 climbing fibre per Purkinje cell", _ECCLES_CF),
    ("dcn", "pc"): _Convergence(10, "about 40 Purkinje cells per nuclear cell (scaled "
                                    "down)", _PERSON_RAMAN),
    ("dcn", "mf"): _Convergence(10, "mossy-fibre collaterals (scaled down)", _PALAY),
})


def convergence_table():
    """The in-degree table as a labelled `xarray.Dataset` on ``(post, pre)``: ``in_degree``
    (NaN: no projection), ``published`` (the literature value) and ``source``."""
    posts = list(SIZES)
    pres = list(SIZES)
    k = np.full((len(posts), len(pres)), np.nan)
    published = np.full(k.shape, "", dtype=object)
    source = np.full(k.shape, "", dtype=object)
    for (post, pre), row in CONVERGENCE.items():
        i, j = posts.index(post), pres.index(pre)
        k[i, j], published[i, j] = row.k, row.published
        source[i, j] = f"{row.source.citation} doi:{row.source.doi}"
    coords = {"post": posts, "pre": pres}
    return xr.Dataset(
        {"in_degree": (("post", "pre"), k, {"units": "1", "long_name": "in-degree used"}),
         "published": (("post", "pre"), published),
         "source": (("post", "pre"), source)}, coords=coords)


#: mossy fibre: a spontaneously firing relay (spikes arriving on channel ``e`` pass through)
MOSSY_FIBRE = NeuronModel(
    name="mossy_fibre_relay",
    equations="x : 1",
    parameters={"rate": Parameter("Hz", 5 * Hz, "spontaneous firing rate", low="0 Hz")},
    threshold="x > 0.5 or rand() < rate*dt",
    reset="x = 0",
    synaptic_targets={"e": "x"},
    method="euler",
    voltage="",
    description="Mossy fibre: Poisson spontaneous firing at `rate`; relays every spike "
                "received on channel e (weight 1).",
    references=(_ECCLES_1967,),
    tags=("source", "relay", "cerebellum"),
)

_CF_SIGNAL = Mechanism(
    name="climbing_fibre",
    equations="dcf/dt = -cf/tau_cf : 1",
    initial={"cf": 0},
    targets={"climbing_fibre": "cf"},
    description="Climbing-fibre signal cf for PF->PC plasticity (decays with the "
                "climbing-fibre conductance's tau_cf; each CF spike adds 1, so cf/tau_cf "
                "integrates to one per complex spike).",
    references=(_ITO,),
)

#: Purkinje cell carrying the climbing-fibre signal that gates `pf_pc_ltd`
PURKINJE_PLASTIC = CellType(
    "cerebellum_purkinje",
    compose(get("cells", "cerebellum_purkinje").model, _CF_SIGNAL,
            name="adex_cond_exp_cf_signal"),
    parameters=dict(get("cells", "cerebellum_purkinje").parameters),
    initial=dict(get("cells", "cerebellum_purkinje").initial),
    description=get("cells", "cerebellum_purkinje").description,
    reproduces=get("cells", "cerebellum_purkinje").reproduces,
    region=REGION,
    references=get("cells", "cerebellum_purkinje").references,
)


_LATENCY = Mechanism(
    name="latency",
    parameters={"latency": Parameter("ms", 0 * ms, "conduction latency of the cell's "
                                     "mossy-fibre inputs (its place in the temporal basis)",
                                     low="0 ms")},
    description="Latency of the mossy-fibre input, one per granule cell (the delay of all "
                "its mossy-fibre synapses).",
    references=(_MEDINA_MAUK, _YAMAZAKI),
)

_GRANULE = get("cells", "cerebellum_granule")

#: granule cell with a latency (per cell) of its mossy-fibre input: the temporal basis
GRANULE_TIMED = CellType(
    "cerebellum_granule",
    compose(_GRANULE.model, _LATENCY, name="adex_cond_exp_latency"),
    parameters=dict(_GRANULE.parameters),
    initial=dict(_GRANULE.initial),
    description=_GRANULE.description,
    reproduces=_GRANULE.reproduces,
    region=REGION,
    references=_GRANULE.references,
)


def _sizes(scale):
    scale = check_scale(scale)
    sizes = {name: scaled_size(n, scale) for name, n in SIZES.items()}
    for (post, pre), row in CONVERGENCE.items():
        if row.k > sizes[pre]:
            raise SpecError("scale", scale,
                            f"a factor keeping {pre!r} at least as large as its in-degree "
                            f"{row.k} onto {post!r} (scale >= {row.k / SIZES[pre]:.2f})")
    return sizes


def _indegree(post, pre):
    return {"kind": "fixed_indegree", "k": CONVERGENCE[(post, pre)].k}


def cerebellum(scale=1.0, seed=None, plasticity=True, mf_rate=5 * Hz,
               basis_span=500 * ms, pf_ltd=0.5, pf_ltp=0.001, pf_w_max=3 * nS,
               pf_window=50 * ms, weights=None):
    """Cerebellar microzone (see the module docstring for the circuit and its sources).

    Parameters
    ----------
    scale : float
        Multiplies every population size (`SIZES`); in-degrees stay (`CONVERGENCE`).
    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`): it draws
        the connectivity, the granule latencies and the initial values unless the
        experiment has its own.
    plasticity : bool
        PF->PC synapses follow `pf_pc_ltd` (climbing-fibre-gated LTD, weak PF-alone LTP);
        ``False``: static synapses at their initial weight.
    mf_rate : Quantity
        Spontaneous mossy-fibre rate (Hz).
    basis_span : Quantity
        Span of the granule-layer latencies (the longest interval that can be learned).
    pf_ltd, pf_ltp : float
        `pf_pc_ltd`'s ``A_LTD`` and ``A_LTP`` (learning rates).
    pf_w_max : Quantity
        Upper bound of the plastic PF->PC weights (nS).
    pf_window : Quantity
        `pf_pc_ltd`'s eligibility time constant ``tau_pf``: how long before a climbing-fibre
        spike parallel-fibre activity is depressed (sets the lead of the learned pause
        over the US).
    weights : mapping, optional
        Overrides of the projection weights by projection name (`default_weights`).

    Returns
    -------
    Circuit
    """
    sizes = _sizes(scale)
    w = dict(default_weights())
    for name, value in dict(weights or {}).items():
        if name not in w:
            raise UnknownNameError("weights", name, w)
        w[name] = value
    pops = [
        Population("mf", MOSSY_FIBRE, sizes["mf"], {"rate": mf_rate}, region=REGION,
                   cell_type="mossy_fibre"),
        Population("grc", GRANULE_TIMED, sizes["grc"],
                   {"b": w["grc_adaptation"], "tau_w": 300 * ms,
                    "latency": Uniform(0 * ms, basis_span)},
                   {"v": Uniform(-65 * mV, -55 * mV)}, region=REGION),
        Population("goc", "cerebellum_golgi", sizes["goc"],
                   initial={"v": Uniform(-60 * mV, -50 * mV)}, region=REGION),
        Population("mli", "cerebellum_mli", sizes["mli"],
                   initial={"v": Uniform(-65 * mV, -52 * mV)}, region=REGION),
        Population("pc", PURKINJE_PLASTIC, sizes["pc"],
                   initial={"v": Uniform(-68 * mV, -56 * mV)}, region=REGION),
        Population("io", "inferior_olive", sizes["io"], {"g_h": IO_G_H}, region="brainstem"),
        Population("dcn", "cerebellum_dcn", sizes["dcn"], region=REGION),
        Population("io_aff", "poisson_source", IO_AFFERENTS * sizes["io"],
                   {"rate": w["io_background_rate"]}, region="brainstem",
                   cell_type="olivary_afferent"),
    ]
    n_pc_per_io = -(-sizes["pc"] // sizes["io"])
    one_cf = {"kind": "condition", "condition": f"i == j // {n_pc_per_io}"}
    pf_synapse = pf_purkinje(w_max=pf_w_max, A_LTD=pf_ltd, A_LTP=pf_ltp,
                             tau_pf=pf_window) if plasticity \
        else "static"
    projs = [
        Projection("mf_grc", "mf", "grc", "e", _indegree("grc", "mf"), w["mf_grc"],
                   delay=PostVariable("latency")),
        Projection("goc_grc", "goc", "grc", "i", _indegree("grc", "goc"), w["goc_grc"]),
        Projection("mf_goc", "mf", "goc", "e", _indegree("goc", "mf"), w["mf_goc"]),
        Projection("grc_goc", "grc", "goc", "e", _indegree("goc", "grc"), w["grc_goc"]),
        Projection("pf_pc", "grc", "pc", "e", _indegree("pc", "grc"),
                   w["pf_pc"], synapse=pf_synapse),
        Projection("pf_mli", "grc", "mli", "e", _indegree("mli", "grc"), w["pf_mli"]),
        Projection("mli_pc", "mli", "pc", "i", _indegree("pc", "mli"), w["mli_pc"]),
        Projection("cf_pc", "io", "pc", "cf", one_cf, w["cf_pc"]),
        Projection("cf_signal", "io", "pc", "climbing_fibre", one_cf, 1.0),
        Projection("pc_dcn", "pc", "dcn", "i", _indegree("dcn", "pc"), w["pc_dcn"]),
        Projection("mf_dcn", "mf", "dcn", "e", _indegree("dcn", "mf"), w["mf_dcn"]),
        Projection("aff_io", "io_aff", "io", "e",
                   {"kind": "fixed_indegree", "k": IO_AFFERENTS}, w["io_background"]),
    ]
    return Circuit("cerebellum", pops, projs,
                   description="Cerebellar microzone: granular layer with Golgi inhibition, "
                               "molecular layer, Purkinje cells with climbing fibres from the "
                               "inferior olive, deep cerebellar nucleus",
                   references=REFERENCES, seed=seed)


def default_weights():
    """Default synaptic weights (conductances) by projection name, plus the granule
    adaptation increment and the olive's background input."""
    return {
        "mf_grc": 0.35 * nS, "goc_grc": 0.15 * nS, "mf_goc": 0.05 * nS, "grc_goc": 0.2 * nS,
        "pf_pc": 2.7 * nS, "pf_mli": 0.5 * nS, "mli_pc": 5.5 * nS, "cf_pc": 50 * nS,
        "pc_dcn": 1 * nS, "mf_dcn": 3 * nS, "grc_adaptation": 150 * pA,
        "io_background": 0.5 * nS, "io_background_rate": 10 * Hz,
    }


register("regions", "cerebellum", cerebellum)
