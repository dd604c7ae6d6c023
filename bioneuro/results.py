"""Labelled results: raw monitor arrays -> `xarray.Dataset` -> netCDF4 and back.

Schema (DESIGN.md section 6)
---------------------------
- ``neuron`` dimension over every neuron of the circuit, coordinates ``population``,
  ``region``, ``cell_type`` and ``index`` (index within its population);
- ``spike_time`` (s) and ``spike_neuron`` on the ``spike`` dimension, sorted by time, then neuron;
- state traces, one variable per state variable, on (``time``, ``recorded_neuron``), with
  ``recorded_neuron`` holding neuron ids;
- population rates ``population_rate`` (Hz) on (``rate_time``, ``rate_population``);
- with ``recording.connectivity``: ``synapse`` dimension with ``synapse_pre``,
  ``synapse_post`` (neuron ids), ``synapse_projection``, and ``weight``;
- with a trial-based protocol: its schedule on the ``epoch`` dimension, ``epoch_protocol``,
  ``epoch_trial``, ``epoch_name``, ``epoch_condition``, ``epoch_start`` and ``epoch_stop`` (s),
  sorted by start time;
- neurons of the protocol's source populations (spike inputs) are neurons like any other;
- with ``recording.weights_dt``: weight statistics of plastic projections on
  (``projection``, ``weight_time``): ``weight_mean``, ``weight_std``,
  ``weight_fraction_low``/``weight_fraction_high`` (within `BOUND_TOLERANCE` of the rule's
  bounds), ``n_active_synapses`` (all synapses, or the occupied sites of a rule with an
  ``active`` variable), and ``weight_histogram`` (+ ``weight_bin``), all reduced during the
  run for any connectivity rule (`bioneuro.weight_statistics`); with
  ``recording.weight_synapses`` also ``weight_trace`` on (``weight_time``,
  ``traced_synapse``);
- every variable carries ``units`` and ``long_name``; provenance lives in the attributes.
"""

import datetime
import json
import subprocess
from pathlib import Path

import numpy as np
import xarray as xr

from bioneuro.errors import SimulationError
from bioneuro.plan import (
    WATCH_INTERVAL_MS,
    WATCH_VARIABLE,
    synapses_name,
    weights_monitor_name,
)
from bioneuro.quantities import unit_string
from bioneuro.storage import FORMAT_VERSION
from bioneuro.weight_statistics import BOUND_TOLERANCE

__all__ = ["assemble", "check_finite", "BOUND_TOLERANCE"]


def _git_revision():
    try:
        here = Path(__file__).resolve().parent
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                              text=True, timeout=10)
        return proc.stdout.strip() if proc.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def check_finite(plan, raw):
    """Raise `SimulationError` naming population, variable and time of a divergence."""
    for gname, gplan in plan.groups.items():
        first = raw.arrays.get(f"{gname}.{WATCH_VARIABLE}")
        if first is None:
            continue
        bad = np.flatnonzero(first >= 0)
        if bad.size == 0:
            continue
        k = bad[np.argmin(first[bad])]
        slot = next(s for s in gplan.populations if s.start <= k < s.stop)
        variables = [var for var in gplan.model.state_variables()
                     if not np.isfinite(raw.arrays[f"{gname}.{var}"][k])]
        names = ", ".join(variables) or "a state variable"
        raise SimulationError(
            f"simulation diverged: population '{slot.name}' (neuron {k - slot.start}), "
            f"variable {names} became NaN/infinite at t = {first[k] * 1e3:.3f} ms "
            f"(checked every {WATCH_INTERVAL_MS:g} ms); reduce dt or check the parameters")


def _global_ids(plan, gname, group_indices):
    """Map indices within a NeuronGroup to neuron ids of the dataset."""
    ids = np.empty(len(group_indices), dtype=np.int64)
    for slot in plan.groups[gname].populations:
        mask = (group_indices >= slot.start) & (group_indices < slot.stop)
        ids[mask] = group_indices[mask] - slot.start + slot.global_start
    return ids


def _attrs(units, long_name):
    return {"units": units, "long_name": long_name}


def assemble(plan, raw):
    """Build the result `xarray.Dataset` of a run.

    Parameters
    ----------
    plan : NetworkPlan
    raw : RawResults
    """
    exp = plan.experiment
    pops = exp.circuit.populations
    population = np.concatenate([np.full(p.size, p.name, dtype=object) for p in pops])
    coords = {
        "neuron": ("neuron", np.arange(exp.circuit.n_neurons, dtype=np.int64),
                   {"long_name": "neuron id"}),
        "population": ("neuron", population, {"long_name": "population"}),
        "region": ("neuron", np.concatenate([np.full(p.size, p.region, dtype=object)
                                             for p in pops]), {"long_name": "brain region"}),
        "cell_type": ("neuron", np.concatenate([np.full(p.size, p.cell_type, dtype=object)
                                                for p in pops]), {"long_name": "cell type"}),
        "index": ("neuron", np.concatenate([np.arange(p.size, dtype=np.int64) for p in pops]),
                  {"long_name": "index within population"}),
    }
    data = {}

    # spikes
    times, neurons = [np.zeros(0)], [np.zeros(0, dtype=np.int64)]
    monitors = sorted(k[:-2] for k in raw.arrays if k.startswith("spikes_") and k.endswith(".i"))
    for mon in monitors:
        gname, offset = _spike_monitor_owner(plan, mon)
        idx = raw.arrays[f"{mon}.i"].astype(np.int64) + offset
        neurons.append(_global_ids(plan, gname, idx))
        times.append(raw.arrays[f"{mon}.t"])
    t = np.concatenate(times)
    n = np.concatenate(neurons)
    order = np.lexsort((n, t))
    data["spike_time"] = ("spike", t[order], _attrs("s", "spike time"))
    data["spike_neuron"] = ("spike", n[order].astype(np.int32),
                            {"long_name": "neuron id of the spike", "units": "1"})

    # state traces
    trace_ids, trace_blocks, trace_time = [], [], None
    probes = plan.state_probes()
    for gname, gplan in plan.groups.items():
        mon = f"state_{gname}"
        if f"{mon}.t" not in raw.arrays:
            continue
        record, requested = probes[gname]
        trace_time = raw.arrays[f"{mon}.t"]
        ids = _global_ids(plan, gname, np.asarray(record))
        units = gplan.model.variable_units()
        block = {}
        for key in raw.arrays:
            if key.startswith(mon + "."):
                var = key[len(mon) + 1:]
                if var != "t":
                    values = raw.arrays[key].astype(float)
                    # a variable requested only for some of the group's recorded neurons
                    values[:, ~np.isin(record, requested[var])] = np.nan
                    block[var] = (values, unit_string(units[var]))
        trace_ids.append(ids)
        trace_blocks.append(block)
    if trace_blocks:
        ids = np.concatenate(trace_ids)
        variables = {}
        offset = 0
        for group_ids, block in zip(trace_ids, trace_blocks, strict=True):
            for var, (values, units) in block.items():
                if var not in variables:
                    variables[var] = (np.full((len(trace_time), len(ids)), np.nan), units)
                variables[var][0][:, offset:offset + len(group_ids)] = values[:len(trace_time)]
            offset += len(group_ids)
        coords["time"] = ("time", trace_time, _attrs("s", "time of state sample"))
        coords["recorded_neuron"] = ("recorded_neuron", ids, {"long_name": "neuron id"})
        coords["recorded_population"] = ("recorded_neuron", population[ids],
                                         {"long_name": "population"})
        for var, (values, units) in variables.items():
            data[var] = (("time", "recorded_neuron"), values,
                         _attrs(units, f"state variable {var}"))

    # population rates
    rate_pops = [p for p in exp.recording.population_rates]
    if rate_pops:
        rate_t = raw.arrays[f"rate_{rate_pops[0]}.t"]
        rates = np.stack([raw.arrays[f"rate_{p}.rate"][:len(rate_t)] for p in rate_pops], axis=1)
        coords["rate_time"] = ("rate_time", rate_t, _attrs("s", "time of rate sample"))
        coords["rate_population"] = ("rate_population", np.array(rate_pops, dtype=object),
                                     {"long_name": "population"})
        data["population_rate"] = (("rate_time", "rate_population"), rates,
                                   _attrs("Hz", "instantaneous population rate"))

    # connectivity
    n_synapses = {}
    for proj in exp.circuit.projections:
        pathway = plan.pathway_of(proj.name)
        key = f"{pathway.name}.N"
        if key in raw.arrays and raw.arrays[key].size:
            n_synapses[proj.name] = int(raw.arrays[key][0]) if not pathway.merged else \
                int(np.count_nonzero(plan.projection_synapses(
                    proj.name, raw.arrays[f"{pathway.name}._synaptic_post"])))
    if exp.recording.connectivity:
        pre_all, post_all, proj_all, w_all, units_all = [], [], [], [], []
        for proj in exp.circuit.projections:
            name = plan.pathway_of(proj.name).name
            pre_slot, post_slot = plan.slot(proj.pre), plan.slot(proj.post)
            pre = raw.arrays[f"{name}._synaptic_pre"].astype(np.int64)
            post = raw.arrays[f"{name}._synaptic_post"].astype(np.int64)
            select = plan.projection_synapses(proj.name, post)
            # a shared weight (`NetworkPlan.shared_weights`) is one value for every synapse
            w_all.append(np.broadcast_to(raw.arrays[f"{name}.w"], pre.shape)[select])
            pre, post = pre[select], post[select]
            pre_all.append(_global_ids(plan, pre_slot.group, pre))
            post_all.append(_global_ids(plan, post_slot.group, post))
            proj_all.append(np.full(len(pre), proj.name, dtype=object))
            units_all.append(np.full(len(pre), unit_string(exp.circuit.weight_unit(proj)),
                                     dtype=object))
        coords["synapse_pre"] = ("synapse", np.concatenate(pre_all) if pre_all else
                                 np.zeros(0, np.int64), {"long_name": "presynaptic neuron id"})
        coords["synapse_post"] = ("synapse", np.concatenate(post_all) if post_all else
                                  np.zeros(0, np.int64), {"long_name": "postsynaptic neuron id"})
        coords["synapse_projection"] = ("synapse", np.concatenate(proj_all) if proj_all else
                                        np.zeros(0, object), {"long_name": "projection"})
        synapse_units = np.concatenate(units_all) if units_all else np.zeros(0, object)
        distinct = sorted(set(synapse_units))
        units = distinct[0] if len(distinct) == 1 else "mixed (see synapse_weight_units)"
        if len(distinct) > 1:  # pA onto current-based and nS onto conductance-based targets
            coords["synapse_weight_units"] = ("synapse", synapse_units,
                                              {"long_name": "unit of the synapse's weight"})
        data["weight"] = ("synapse", np.concatenate(w_all) if w_all else np.zeros(0),
                          _attrs(units, "synaptic weight at the end of the run"))

    data.update(_epochs(plan.epochs))
    _weight_statistics(plan, raw, data, coords)

    attrs = _provenance(plan, raw, n_synapses)
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    return ds


def _epochs(rows):
    """The schedule's variables on the ``epoch`` dimension (none without a schedule)."""
    if not rows:
        return {}

    def column(attr, dtype):
        return np.array([getattr(r, attr) for r in rows], dtype=dtype)

    return {
        "epoch_protocol": ("epoch", column("protocol", object),
                           {"long_name": "protocol block of the epoch"}),
        "epoch_trial": ("epoch", column("trial", np.int64),
                        {"long_name": "trial index within its protocol", "units": "1"}),
        "epoch_name": ("epoch", column("epoch", object), {"long_name": "epoch name"}),
        "epoch_condition": ("epoch", column("condition", object),
                            {"long_name": "condition of the trial"}),
        "epoch_start": ("epoch", column("start", float), _attrs("s", "epoch start")),
        "epoch_stop": ("epoch", column("stop", float), _attrs("s", "epoch stop")),
    }


def _weight_statistics(plan, raw, data, coords):
    """Add the weight statistics of monitored projections to `data`/`coords`.

    The statistics were reduced during the run (`bioneuro.weight_statistics`); this reads
    them and the traced synapses.
    """
    exp = plan.experiment
    rec = exp.recording
    names = rec.weight_monitored(exp.circuit)
    if not names:
        return
    n_bins = rec.weight_bins
    first = f"{weights_monitor_name(names[0])}_stats_monitor"
    times = raw.arrays[f"{first}.t"]
    n_t = len(times)

    def field(name, var):
        values = raw.arrays[f"{weights_monitor_name(name)}_stats_monitor.{var}"]
        return np.asarray(values, dtype=float).reshape(-1, n_bins)[:n_t]

    stats = {key: np.stack([field(n, key)[:, 0] for n in names]) for key in
             ("mean", "std", "fraction_low", "fraction_high")}
    n_active = np.stack([field(n, "n_active")[:, 0] for n in names]).astype(np.int64)
    hist = np.stack([field(n, "count") for n in names]).astype(np.int64)
    centres = np.full((len(names), n_bins), np.nan)
    units, traces, trace_coords = [], [], {"projection": [], "index": [], "pre": [],
                                           "post": []}
    for k, name in enumerate(names):
        proj = next(p for p in exp.circuit.projections if p.name == name)
        units.append(unit_string(exp.circuit.weight_unit(proj)))
        low, high = field(name, "edge_low")[:, 0], field(name, "edge_high")[:, 0]
        fixed = np.flatnonzero(np.isfinite(low))
        if fixed.size:  # the edges, fixed at the first sample with weights
            edges = np.linspace(low[fixed[0]], high[fixed[0]], n_bins + 1)
            centres[k] = 0.5 * (edges[1:] + edges[:-1])
        indices = rec.weight_synapses.get(name, ())
        if indices:
            n_syn = raw.arrays.get(f"{synapses_name(name)}.N")
            if n_syn is not None and n_syn.size and max(indices) >= int(n_syn[0]):
                raise SimulationError(f"recording.weight_synapses.{name}: index "
                                      f"{max(indices)} >= {int(n_syn[0])} synapses")
            mon = weights_monitor_name(name)
            traces.append(raw.arrays[f"{mon}.w"].reshape(-1, len(indices))[:n_t])
            slot_pre, slot_post = plan.slot(proj.pre), plan.slot(proj.post)
            syn = synapses_name(name)
            pre = raw.arrays.get(f"{syn}._synaptic_pre")
            post = raw.arrays.get(f"{syn}._synaptic_post")
            trace_coords["projection"] += [name] * len(indices)
            trace_coords["index"] += list(indices)
            trace_coords["pre"] += list(_global_ids(plan, slot_pre.group, pre[list(indices)])
                                        if pre is not None else [-1] * len(indices))
            trace_coords["post"] += list(_global_ids(plan, slot_post.group,
                                                     post[list(indices)])
                                         if post is not None else [-1] * len(indices))
    unit = units[0] if len(set(units)) == 1 else "mixed (see weight_units)"
    post_pops = [next(p.post for p in exp.circuit.projections if p.name == n) for n in names]
    coords["weight_time"] = ("weight_time", times, _attrs("s", "time of weight sample"))
    coords["projection"] = ("projection", np.array(names, dtype=object),
                            {"long_name": "monitored plastic projection"})
    coords["projection_post"] = ("projection", np.array(post_pops, dtype=object),
                                 {"long_name": "postsynaptic population"})
    coords["weight_units"] = ("projection", np.array(units, dtype=object),
                              {"long_name": "unit of the projection's weights"})
    coords["weight_bin"] = ("weight_bin", np.arange(n_bins), {"long_name": "histogram bin"})
    coords["weight_bin_center"] = (("projection", "weight_bin"), centres,
                                   _attrs(unit, "weight at the centre of the bin"))
    dims = ("projection", "weight_time")
    data["weight_mean"] = (dims, stats["mean"], _attrs(unit, "mean weight of active synapses"))
    data["weight_std"] = (dims, stats["std"], _attrs(unit, "std of the weights of active "
                                                           "synapses"))
    data["weight_fraction_low"] = (dims, stats["fraction_low"], _attrs(
        "1", f"fraction of active synapses within {BOUND_TOLERANCE:g} of the range of the "
        "lower bound"))
    data["weight_fraction_high"] = (dims, stats["fraction_high"], _attrs(
        "1", f"fraction of active synapses within {BOUND_TOLERANCE:g} of the range of the "
        "upper bound"))
    data["n_active_synapses"] = (dims, n_active, _attrs("1", "number of active synapses"))
    data["weight_histogram"] = (dims + ("weight_bin",), hist,
                                _attrs("1", "number of active synapses per weight bin"))
    if traces:
        coords["traced_synapse"] = ("traced_synapse", np.arange(len(trace_coords["index"])),
                                    {"long_name": "traced synapse"})
        for key, long_name in (("projection", "projection"), ("index", "synapse index "
                               "within the projection"), ("pre", "presynaptic neuron id"),
                               ("post", "postsynaptic neuron id")):
            values = np.array(trace_coords[key], dtype=object if key == "projection"
                              else np.int64)
            coords[f"traced_{key}"] = ("traced_synapse", values, {"long_name": long_name})
        data["weight_trace"] = (("weight_time", "traced_synapse"), np.concatenate(traces, 1),
                                _attrs(unit, "weight of a traced synapse"))


def _spike_monitor_owner(plan, mon):
    """``(group name, offset within the group)`` of spike monitor `mon`."""
    suffix = mon[len("spikes_"):]
    if suffix in plan.groups:
        return suffix, 0
    slot = plan.slot(suffix)
    return slot.group, slot.start


def _provenance(plan, raw, n_synapses):
    import brian2

    from bioneuro import __version__

    exp = plan.source or plan.experiment
    attrs = {
        "title": f"bioneuro run of experiment '{exp.name}'",
        "Conventions": "CF-1.10",
        "bioneuro_format": FORMAT_VERSION,
        "bioneuro_version": __version__,
        "brian2_version": brian2.__version__,
        "numpy_version": np.__version__,
        "xarray_version": xr.__version__,
        "experiment_name": exp.name,
        "experiment": exp.to_json(),
        "experiment_hash": exp.content_hash(),
        "structure_hash": plan.structure_hash(),
        "device": raw.device,
        "seed": exp.seed,
        "dt_s": float(np.asarray(exp.dt)),
        "duration_s": float(np.asarray(exp.duration)),
        "build_cache_hit": int(raw.cache_hit),
        "build_dir": raw.build_dir,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_revision": _git_revision(),
        "populations": json.dumps({p.name: p.size
                                   for p in plan.experiment.circuit.populations}),
        "n_synapses": json.dumps(n_synapses),
    }
    for name, value in raw.timings.items():
        if value is not None:
            attrs[f"time_{name}"] = float(value)
    return attrs
