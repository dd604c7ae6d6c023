"""Multi-area cortex: E/I areas wired by an area-by-area specification, with inputs to chosen
areas and readout populations listening to chosen areas.

Every area holds an excitatory and an inhibitory population of current-based LIF neurons
(the neuron of Potjans & Diesmann 2014) in a 4:1 ratio by default, obeying Dale's law:
every projection from ``<area>_E`` is excitatory (positive weights onto the ``e`` channel),
every projection from ``<area>_I`` inhibitory (negative weights onto ``i``). All neurons get
a subthreshold Poisson background, so areas idle at low rates until driven.

Between areas, `area_connectivity` gives for each (post area, pre area) one of

- ``"feedforward"``: excitatory cells of the lower area target E and I cells of the higher
  one (strong, ``P_FEEDFORWARD``);
- ``"feedback"``: excitatory cells of the higher area target mostly the I cells of the lower
  one (``P_FEEDBACK_I``) and weakly its E cells (``P_FEEDBACK_E``), the inhibition-dominated
  top-down pathway of Markov et al. (2014) hierarchies;
- ``""``: no connection.

The default is a hierarchy in the order of `areas` (feedforward up the chain, feedback down
it). An input area receives a population ``<area>_input`` of Poisson sources (active during
``[stimulus_start, stimulus_stop)``); a readout area projects onto a population
``<area>_readout`` of LIF neurons.
"""

import numbers

import numpy as np
import xarray as xr
from bioneuro.protocols.stimulus import count_field
from bioneuro.regions.scaling import check_scale, scaled_size
from brian2.units import Hz, ms, mV, pA, pF, second

from bioneuro.distributions import Normal
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.registry import register
from bioneuro.spec import Circuit, PoissonInput, Population, Projection, Reference

__all__ = ["multi_area", "area_connectivity", "PATHWAYS"]

REFERENCES = (
    Reference("Potjans & Diesmann (2014) The cell-type specific cortical microcircuit, "
              "Cereb Cortex 24:785 (neuron and synapse parameters)", "10.1093/cercor/bhs358"),
    Reference("Markov et al. (2014) Anatomy of hierarchy: feedforward and feedback pathways in "
              "macaque visual cortex, J Comp Neurol 522:225", "10.1002/cne.23458"),
    Reference("Joglekar, Mejias, Yang & Wang (2018) Inter-areal balanced amplification "
              "enhances signal propagation in a large-scale circuit model of the primate "
              "cortex, Neuron 98:222", "10.1016/j.neuron.2018.02.031"),
)

PATHWAYS = ("feedforward", "feedback", "")
NEURON = {"C_m": 250 * pF, "tau_m": 10 * ms, "E_L": -65 * mV, "V_th": -50 * mV,
          "V_reset": -65 * mV, "tau_ref": 2 * ms, "tau_e": 0.5 * ms, "tau_i": 0.5 * ms}
#: PSC of a 0.15 mV PSP (Potjans & Diesmann 2014) and multiples of it
J = 87.8 * pA
J_LOCAL, G_LOCAL, J_AREA = 2 * J, -5.0, 4 * J
P_LOCAL, P_FEEDFORWARD, P_FEEDBACK_I, P_FEEDBACK_E = 0.1, 0.1, 0.05, 0.02
#: background: Poisson inputs per neuron (8 Hz each): an 11 mV mean depolarisation
N_BACKGROUND, BACKGROUND_RATE = 800, 8 * Hz
DELAY_LOCAL, DELAY_AREA = 1.5 * ms, 3 * ms


def area_connectivity(areas, pathways=None):
    """Area-by-area pathway table (post x pre) of ``"feedforward"``/``"feedback"``/``""``.

    Parameters
    ----------
    areas : sequence of str
        Area names, lowest first.
    pathways : mapping of (pre, post) to str, optional
        Explicit pathways; default: a hierarchy in the order of `areas`.
    """
    areas = list(areas)
    table = np.full((len(areas), len(areas)), "", dtype=object)
    if pathways is None:
        pathways = {}
        for low, high in zip(areas[:-1], areas[1:], strict=True):
            pathways[(low, high)] = "feedforward"
            pathways[(high, low)] = "feedback"
    for (pre, post), kind in dict(pathways).items():
        for name in (pre, post):
            if name not in areas:
                raise UnknownNameError("pathways.area", name, areas)
        if kind not in PATHWAYS:
            raise UnknownNameError(f"pathways.{pre}.{post}", kind, PATHWAYS)
        if pre == post and kind:
            raise SpecError(f"pathways.{pre}.{post}", kind, "'' (within-area wiring is local)")
        table[areas.index(post), areas.index(pre)] = kind
    return xr.DataArray(table, coords={"post": areas, "pre": areas}, dims=("post", "pre"),
                        name="pathway", attrs={"long_name": "inter-areal pathway",
                                               "source": "Markov et al. (2014) hierarchy "
                                                         "(feedforward up, feedback down)"})


def _bernoulli(p, scale):
    return {"kind": "bernoulli", "p": min(1.0, p / scale)}


def _local(area, scale):
    projs = []
    for pre in ("E", "I"):
        for post in ("E", "I"):
            projs.append(Projection(
                f"{area}_{pre}{post}", f"{area}_{pre}", f"{area}_{post}",
                "e" if pre == "E" else "i", _bernoulli(P_LOCAL, scale),
                J_LOCAL if pre == "E" else G_LOCAL * J_LOCAL, DELAY_LOCAL))
    return projs


def multi_area(areas=("V1", "V2", "V4"), scale=1.0, n_exc=400, ei_ratio=4.0, pathways=None,
               inputs=("V1",), readouts=("V4",), stimulus_rate=20 * Hz,
               stimulus_start=0.3 * second, stimulus_stop=0.6 * second, n_readout=20,
               seed=None):
    """Several E/I areas with feedforward/feedback wiring, inputs and readouts.

    Parameters
    ----------
    areas : sequence of str
        Area names, lowest in the hierarchy first.
    scale : float
        Factor on population sizes; connection probabilities grow as ``1/scale`` (capped at
        1) so in-degrees are kept.
    n_exc : int
        Excitatory neurons per area at ``scale = 1``.
    ei_ratio : float
        Excitatory : inhibitory size ratio (4 by default).
    pathways : mapping of (pre, post) to str, optional
        Inter-areal pathways (`area_connectivity`); default: a feedforward/feedback chain.
    inputs, readouts : sequence of str
        Areas receiving a Poisson stimulus population, areas read out.
    stimulus_rate : Quantity
        Rate of each stimulus source during ``[stimulus_start, stimulus_stop)``.
    n_readout : int
        Neurons of each readout population.
    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
        Populations ``<area>_E``, ``<area>_I`` (region = area), ``<area>_input``,
        ``<area>_readout``; projections ``<area>_<pre><post>`` (local),
        ``<pre area>_to_<post area>_<E|I>`` (inter-areal), ``<area>_stim_<E|I>``,
        ``<area>_readout_in``; background inputs ``bg_<population>``.
    """
    areas = list(areas)
    if len(set(areas)) != len(areas) or not areas:
        raise SpecError("areas", areas, "distinct area names")
    scale = check_scale(scale)
    n_exc = count_field(n_exc, "n_exc")
    n_readout = count_field(n_readout, "n_readout")
    if isinstance(ei_ratio, bool) or not isinstance(ei_ratio, numbers.Real) or not ei_ratio > 0:
        raise SpecError("ei_ratio", ei_ratio, "a positive E:I size ratio")
    for field, chosen in (("inputs", inputs), ("readouts", readouts)):
        for area in chosen:
            if area not in areas:
                raise UnknownNameError(field, area, areas)
    table = area_connectivity(areas, pathways)
    n_e = scaled_size(n_exc, scale)
    n_i = scaled_size(n_exc / ei_ratio, scale)
    initial = {"v": Normal(-60 * mV, 3 * mV)}
    pops, projs = [], []
    for area in areas:
        for kind, size in (("E", n_e), ("I", n_i)):
            cell = "excitatory" if kind == "E" else "inhibitory"
            pops.append(Population(f"{area}_{kind}", "lif_curr_exp", size, NEURON, initial,
                                   region=area, cell_type=cell))
        projs += _local(area, scale)
    for post in areas:
        for pre in areas:
            kind = table.sel(post=post, pre=pre).item()
            if not kind:
                continue
            targets = {"feedforward": {"E": P_FEEDFORWARD, "I": P_FEEDFORWARD},
                       "feedback": {"E": P_FEEDBACK_E, "I": P_FEEDBACK_I}}[kind]
            for target, p in targets.items():
                projs.append(Projection(
                    f"{pre}_to_{post}_{target}", f"{pre}_E", f"{post}_{target}", "e",
                    _bernoulli(p, scale), J_AREA, DELAY_AREA))
    for area in inputs:
        pops.append(Population(f"{area}_input", "poisson_source", n_e,
                               {"rate": stimulus_rate, "t_start": stimulus_start,
                                "t_stop": stimulus_stop}, region=area, cell_type="stimulus"))
        for target in ("E", "I"):
            projs.append(Projection(f"{area}_stim_{target}", f"{area}_input",
                                    f"{area}_{target}", "e", _bernoulli(P_FEEDFORWARD, scale),
                                    J_AREA, DELAY_AREA))
    for area in readouts:
        pops.append(Population(f"{area}_readout", "lif_curr_exp", n_readout, NEURON, initial,
                               region=area, cell_type="readout"))
        projs.append(Projection(f"{area}_readout_in", f"{area}_E", f"{area}_readout", "e",
                                _bernoulli(2 * P_FEEDFORWARD, scale), J_AREA, DELAY_AREA))
    background = [PoissonInput(f"bg_{p.name}", p.name, "e", N_BACKGROUND, BACKGROUND_RATE, J)
                  for p in pops if p.model.name == "lif_curr_exp"]
    return Circuit("multi_area", pops, projs, background,
                   description=f"Multi-area cortex ({', '.join(areas)}): E/I areas, "
                               f"inputs to {', '.join(inputs)}, readout of "
                               f"{', '.join(readouts)}", references=REFERENCES, seed=seed)


register("regions", "multi_area", multi_area)
