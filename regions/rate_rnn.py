"""Continuous-time rate RNNs: vanilla, excitatory-inhibitory (Dale's law), multi-area.

Every template returns a `Circuit` of CTRNN units (`bioneuro.models.ctrnn`,
``tau dx/dt = -x + I_rec + I_in/nu_in + noise``, ``r = f(x)``) and a linear ``readout``:

- `ctrnn`: one population ``hidden``, signed Gaussian recurrent weights
  ``N(0, g^2/K)`` (``K`` the expected in-degree), ``tanh`` units;
- `ei_rnn`: Dale's law (Song, Yang & Wang 2016): populations ``E`` and ``I`` in a
  configurable ratio (4:1), every weight a non-negative magnitude whose sign is fixed by
  the presynaptic population (``E`` projections add to ``I_rec``, ``I`` projections
  subtract), uniform magnitudes with the inhibitory mean scaled by ``n_E/n_I`` (balanced
  mean input), rectified-linear units; only ``E`` units project to the readout;
- `multi_area_rnn`: several such areas, dense within an area and sparse (probability
  ``p_between``) along the given inter-areal pathways; the inputs of an experiment drive
  the first area and the readout listens to the last.

Each area's time constants are drawn from a distribution (default uniform 20-50 ms):
heterogeneous ``tau`` per unit. The population coordinates of a run's Dataset carry the
area (``region``) and the cell class (``cell_type``). `connectivity_table` returns the
area/population connection probabilities and signs as labelled data (dims ``post``,
``pre``); `weight_matrix` (in ``analysis.rnn``) the realised weights and mask of a run.

With ``learning`` (a `NodePerturbation`) the recurrent projections learn by node
perturbation (Miconi 2017): the hidden units are perturbed, the readout measures the
trial's error and broadcasts it (``readout -> hidden`` projections of channel ``error``),
and the recurrent weights change at the end of each trial, clipped at zero with Dale's law.
"""

import numpy as np
import xarray as xr
from bioneuro.models.ctrnn import MICONI_2017, SONG_2016, TRANSFER, ctrnn_readout
from bioneuro.models.ctrnn import ctrnn as ctrnn_unit
from bioneuro.models.plasticity.node_perturbation import (
    NodePerturbation,
    error_broadcast,
    node_perturbation,
)
from bioneuro.protocols.stimulus import count_field, number_field

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.registry import register
from bioneuro.spec import Circuit, Population, Projection

__all__ = ["rate_rnn", "ctrnn", "ei_rnn", "multi_area_rnn", "connectivity_table",
           "hidden_populations", "TAU_DEFAULT", "NodePerturbation"]

#: default distribution of the unit time constants
TAU_DEFAULT = {"kind": "uniform", "low": "20 ms", "high": "50 ms"}


def _split(size, dale, ei_ratio, where):
    size = count_field(size, where, 2 if dale else 1)
    if not dale:
        return {"": size}
    n_e = int(round(size * ei_ratio / (1 + ei_ratio)))
    if not 1 <= n_e < size:
        raise SpecError(where, size, f"a size giving at least one E and one I unit at the "
                                     f"E:I ratio {ei_ratio}")
    return {"E": n_e, "I": size - n_e}


def rate_rnn(areas=(("hidden", 50),), *, dale=False, ei_ratio=4.0, transfer=None,
             tau=None, g=1.5, pathways=None, p_between=0.2, n_outputs=1, learning=None,
             name="rate_rnn", seed=None, x_bias=0.0, readout_gain=1.0,
             readout_adaptation=0.0):
    """A rate RNN of one or more areas with a linear readout.

    Parameters
    ----------
    areas : sequence of (str, int)
        Area names and sizes (units per area, E and I together).
    dale : bool
        Split each area into ``<area>_E`` and ``<area>_I`` (Dale's law) or keep one
        population ``<area>`` with signed weights.
    ei_ratio : float
        E:I ratio of the unit counts (default 4, i.e. 80 % E).
    transfer : {"tanh", "relu", "rtanh"}, optional
        Default ``relu`` with Dale's law (rates must be non-negative for the sign to hold),
        ``tanh`` otherwise; ``rtanh`` (rectified tanh) is non-negative and bounded.
    tau : Distribution, Quantity or dict, optional
        Time constants of the units (default `TAU_DEFAULT`); or a mapping area -> one.
    g : float
        Gain of the recurrent weights: their standard deviation (vanilla) or E mean
        (Dale) is ``g/sqrt(K)`` with ``K`` the expected in-degree.
    pathways : sequence of (str, str), optional
        Inter-areal projections ``(pre area, post area)``; default a feedforward chain in
        the order of `areas` plus feedback down it.
    p_between : float
        Connection probability along the pathways (within an area: 1).
    n_outputs : int
        Readout units.
    learning : NodePerturbation, optional
        Node-perturbation learning of the recurrent weights.
    name : str
    seed : int, optional
        Default seed of experiments made of the circuit (`Circuit.seed`).
    x_bias : float
        Constant input of every hidden unit (``x_bias`` of `bioneuro.models.ctrnn.ctrnn`).
    readout_gain : float
        The readout weights are ``N(0, readout_gain^2/n)`` with ``n`` the units read.
    readout_adaptation : float
        With `learning`: the readout's adaptive bias moves by this fraction per trial
        towards the trial's mean output (``beta_bias`` of
        `bioneuro.models.ctrnn.ctrnn_readout`; 0: no bias).
    """
    areas = [(str(a), s) for a, s in areas]
    if not areas:
        raise SpecError("rate_rnn.areas", [], "at least one (name, size) pair")
    if len({a for a, _ in areas}) != len(areas):
        raise SpecError("rate_rnn.areas", [a for a, _ in areas], "distinct area names")
    ei_ratio = number_field(ei_ratio, "rate_rnn.ei_ratio", 1e-3)
    g = number_field(g, "rate_rnn.g", 0.0)
    p_between = number_field(p_between, "rate_rnn.p_between", 0.0, 1.0)
    n_outputs = count_field(n_outputs, "rate_rnn.n_outputs")
    x_bias = number_field(x_bias, "rate_rnn.x_bias", -1e3, 1e3)
    readout_gain = number_field(readout_gain, "rate_rnn.readout_gain", 0.0)
    readout_adaptation = number_field(readout_adaptation, "rate_rnn.readout_adaptation", 0.0,
                                      1.0)
    transfer = transfer or ("relu" if dale else "tanh")
    if transfer not in TRANSFER:
        raise UnknownNameError("rate_rnn.transfer", transfer, TRANSFER)
    if learning is not None and not isinstance(learning, NodePerturbation):
        learning = NodePerturbation(**dict(learning))
    names = [a for a, _ in areas]
    if pathways is None:
        pathways = [p for low, high in zip(names[:-1], names[1:], strict=False)
                    for p in ((low, high), (high, low))]
    for pre, post in pathways:
        for area in (pre, post):
            if area not in names:
                raise UnknownNameError("rate_rnn.pathways", area, names)
    probability = {(a, a): 1.0 for a in names} | {tuple(p): p_between for p in pathways}
    taus = tau if isinstance(tau, dict) and "kind" not in tau else {a: tau for a in names}
    # populations: <area> or <area>_E / <area>_I
    pops = {}  # name -> (area, class, size)
    for area, size in areas:
        for cls, n in _split(size, dale, ei_ratio, f"rate_rnn.areas.{area}").items():
            pops[f"{area}_{cls}" if cls else area] = (area, cls, n)
    excitatory = tuple(p for p, (_, cls, _) in pops.items() if cls != "I")
    inhibitory = tuple(p for p, (_, cls, _) in pops.items() if cls == "I")
    unit = ctrnn_unit(transfer, excitatory, inhibitory, learning, name=f"{name}_unit")
    labels = {"": "ctrnn_unit", "E": "excitatory", "I": "inhibitory"}
    populations = [Population(p, unit, n, {"tau": taus.get(area) or TAU_DEFAULT,
                                           "x_bias": x_bias},
                              {"x": {"kind": "uniform", "low": -0.1, "high": 0.1}},
                              region=area, cell_type=labels[cls])
                   for p, (area, cls, n) in pops.items()]
    readout = ctrnn_readout(learning, name=f"{name}_readout")
    adaptation = {"beta_bias": readout_adaptation} if learning is not None else {}
    populations.append(Population("readout", readout, n_outputs, adaptation,
                                  region=names[-1], cell_type="readout"))
    in_degree = {a: sum(probability.get((b, a), 0.0) * s for b, s in areas) for a in names}
    projections = []
    for pre, (pre_area, pre_cls, _) in pops.items():
        for post, (post_area, _, _) in pops.items():
            p = probability.get((pre_area, post_area), 0.0)
            if p == 0:
                continue
            scale = g / np.sqrt(max(in_degree[post_area], 1.0))
            if not dale:
                weight = {"kind": "normal", "mean": 0.0, "std": scale}
            else:
                mean = scale * (ei_ratio if pre_cls == "I" else 1.0)
                weight = {"kind": "uniform", "low": 0.0, "high": 2 * mean}
            sign = -1 if pre_cls == "I" else 1
            synapse, rates = "rate_coupling", {}
            if learning is not None:
                synapse = node_perturbation(learning, dale=dale, sign=sign,
                                            name=f"{name}_np_{pre}")
                rates = {"eta": learning.eta, "dw_max": learning.dw_max}  # run-time values
            projections.append(Projection(
                f"{pre}_to_{post}", pre, post, pre,
                {"kind": "bernoulli", "p": p, "allow_autapses": False} if p < 1 or pre == post
                else "all_to_all", weight, synapse=synapse, parameters=rates))
    last = names[-1]
    for pre, (area, cls, n_pre) in pops.items():
        if area == last and cls != "I":
            projections.append(Projection(f"{pre}_to_readout", pre, "readout", "e",
                                          "all_to_all",
                                          {"kind": "normal", "mean": 0.0,
                                           "std": readout_gain / np.sqrt(n_pre)},
                                          synapse="rate_coupling"))
        if learning is not None:
            projections.append(Projection(f"error_to_{pre}", "readout", pre, "error",
                                          "all_to_all", 1.0 / n_outputs,
                                          synapse=error_broadcast))
    kind = "multi-area " if len(areas) > 1 else ""
    return Circuit(name, tuple(populations), tuple(projections),
                   description=f"{kind}{'E-I (Dale) ' if dale else ''}continuous-time rate "
                               f"RNN ({transfer})"
                               + (" with node-perturbation learning" if learning else "") + ".",
                   references=(SONG_2016,) + ((MICONI_2017,) if learning else ()), seed=seed)


def hidden_populations(circuit):
    """Names of the hidden (CTRNN unit) populations of a `rate_rnn` circuit, in order."""
    return [p.name for p in circuit.populations if "ctrnn" in p.model.tags
            and "readout" not in p.model.tags]


def connectivity_table(circuit):
    """Connection probability and sign between the hidden populations (``post x pre``).

    Returns
    -------
    xarray.Dataset
        ``probability`` and ``sign`` (+1 excitatory / signed, -1 inhibitory, 0 absent) on
        dims (``post``, ``pre``), with the ``post_area``/``pre_area`` and
        ``post_class``/``pre_class`` coordinates.
    """
    names = hidden_populations(circuit)
    prob = np.zeros((len(names), len(names)))
    sign = np.zeros((len(names), len(names)), dtype=np.int64)
    for proj in circuit.projections:
        if proj.pre in names and proj.post in names:
            i, j = names.index(proj.post), names.index(proj.pre)
            prob[i, j] = getattr(proj.connectivity, "p", 1.0)
            inhibitory = circuit.population(proj.pre).cell_type == "inhibitory"
            sign[i, j] = -1 if inhibitory else 1
    area = [circuit.population(n).region for n in names]
    cls = [circuit.population(n).cell_type for n in names]
    coords = {"post": names, "pre": names, "post_area": ("post", area),
              "pre_area": ("pre", area), "post_class": ("post", cls), "pre_class": ("pre", cls)}
    return xr.Dataset(
        {"probability": (("post", "pre"), prob, {"long_name": "connection probability",
                                                 "units": "1"}),
         "sign": (("post", "pre"), sign, {"long_name": "sign of the presynaptic population "
                                                       "(Dale's law)", "units": "1"})},
        coords=coords)


def ctrnn(n_hidden=50, tau=None, g=1.5, transfer="tanh", n_outputs=1, learning=None, scale=1.0,
          seed=None):
    """Vanilla CTRNN: one population ``hidden`` with signed recurrent weights."""
    return rate_rnn((("hidden", max(1, int(round(n_hidden * scale)))),), tau=tau, g=g,
                    transfer=transfer, n_outputs=n_outputs, learning=learning, name="ctrnn",
                    seed=seed)


def ei_rnn(n_hidden=50, ei_ratio=4.0, tau=None, g=1.0, transfer="relu", n_outputs=1,
           learning=None, scale=1.0, seed=None, **kw):
    """Excitatory-inhibitory CTRNN obeying Dale's law (Song, Yang & Wang 2016); `kw`:
    ``x_bias``, ``readout_gain``, ``readout_adaptation`` of `rate_rnn`."""
    return rate_rnn((("hidden", max(2, int(round(n_hidden * scale)))),), dale=True,
                    ei_ratio=ei_ratio, tau=tau, g=g, transfer=transfer, n_outputs=n_outputs,
                    learning=learning, name="ei_rnn", seed=seed, **kw)


def multi_area_rnn(areas=(("A1", 40), ("A2", 40)), dale=True, ei_ratio=4.0, tau=None,
                   g=1.0, pathways=None, p_between=0.2, n_outputs=1, learning=None,
                   scale=1.0, seed=None, **kw):
    """Multi-area CTRNN: dense areas, sparse inter-areal pathways (inputs to the first
    area, readout from the last)."""
    areas = tuple((a, max(2, int(round(s * scale)))) for a, s in areas)
    return rate_rnn(areas, dale=dale, ei_ratio=ei_ratio, tau=tau, g=g, pathways=pathways,
                    p_between=p_between, n_outputs=n_outputs, learning=learning,
                    name="multi_area_rnn", seed=seed, **kw)


for _factory in (ctrnn, ei_rnn, multi_area_rnn):
    register("regions", _factory.__name__, _factory)
