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
- every variable carries ``units`` and ``long_name``; provenance lives in the attributes.
"""

import datetime
import json
import subprocess
from pathlib import Path

import numpy as np
import xarray as xr

from bioneuro.errors import SimulationError
from bioneuro.plan import WATCH_INTERVAL_MS, WATCH_VARIABLE, synapses_name
from bioneuro.quantities import unit_string
from bioneuro.storage import FORMAT_VERSION

__all__ = ["assemble", "check_finite"]




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
        key = f"{synapses_name(proj.name)}.N"
        if key in raw.arrays and raw.arrays[key].size:
            n_synapses[proj.name] = int(raw.arrays[key][0])
    if exp.recording.connectivity:
        pre_all, post_all, proj_all, w_all, units_all = [], [], [], [], set()
        for proj in exp.circuit.projections:
            name = synapses_name(proj.name)
            pre_slot, post_slot = plan.slot(proj.pre), plan.slot(proj.post)
            pre = raw.arrays[f"{name}._synaptic_pre"].astype(np.int64)
            post = raw.arrays[f"{name}._synaptic_post"].astype(np.int64)
            pre_all.append(_global_ids(plan, pre_slot.group, pre))
            post_all.append(_global_ids(plan, post_slot.group, post))
            proj_all.append(np.full(len(pre), proj.name, dtype=object))
            w_all.append(raw.arrays[f"{name}.w"])
            units_all.add(unit_string(exp.circuit.weight_unit(proj)))
        coords["synapse_pre"] = ("synapse", np.concatenate(pre_all) if pre_all else
                                 np.zeros(0, np.int64), {"long_name": "presynaptic neuron id"})
        coords["synapse_post"] = ("synapse", np.concatenate(post_all) if post_all else
                                  np.zeros(0, np.int64), {"long_name": "postsynaptic neuron id"})
        coords["synapse_projection"] = ("synapse", np.concatenate(proj_all) if proj_all else
                                        np.zeros(0, object), {"long_name": "projection"})
        units = units_all.pop() if len(units_all) == 1 else "mixed (see projection)"
        data["weight"] = ("synapse", np.concatenate(w_all) if w_all else np.zeros(0),
                          _attrs(units, "synaptic weight at the end of the run"))

    attrs = _provenance(plan, raw, n_synapses)
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    return ds


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

    exp = plan.experiment
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
        "populations": json.dumps({p.name: p.size for p in exp.circuit.populations}),
        "n_synapses": json.dumps(n_synapses),
    }
    for name, value in raw.timings.items():
        if value is not None:
            attrs[f"time_{name}"] = float(value)
    return attrs
