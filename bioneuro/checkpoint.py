"""Checkpoints: a run's final state in its result file, and runs that continue from it.

A run with ``save_state=True`` (``bioneuro run ... --save-state``) stores, next to its
results, the state at its end (variables named ``final_state__<object>__<variable>`` on
dimensions ``final_state__<object>``, one per Brian2 group):

- every neuron state variable (differential-equation variables, non-constant parameters,
  ``lastspike`` and ``not_refractory`` of refractory models);
- every synaptic state variable (weights ``w``, plasticity traces, ``lastupdate`` of
  event-driven rules) and the connectivity (``_synaptic_pre``/``_synaptic_post``, indices
  within the Brian2 groups);
- attributes ``final_state_t_s`` (the time reached), ``final_state_structure`` (what a
  continuation must share) and ``resume_segment`` (0 for a fresh run).

``bn.run(experiment, resume_from="run1.nc")`` continues it with the *same* compiled binary:
the binary draws its connectivity from the same seed, overwrites every state variable with
the saved values after connecting (from a file named in its environment, in the syntax of
Brian2's ``run_args``) and starts its clock at ``final_state_t_s``. Its monitors therefore
carry a time axis that continues the first run's, and `concat` joins the two datasets.

What is not carried over
------------------------
- Spikes in flight: spikes emitted less than one synaptic delay before the end of a run are
  in Brian2's spike queues, which are not state variables; they are lost at the boundary.
  With zero delays nothing is in flight.
- The random generator: Brian2 keeps the Mersenne-Twister state of standalone code private
  (``RandomGenerator::gen``), and the runtime device's NumPy state is not saved either. A
  continued run reseeds its generators with ``continuation_seed(seed, segment)``, so its
  noise is reproducible (same file, same seed -> same data) and is not a replay of the
  first run's, but it differs from the noise of an uninterrupted run: a noisy network
  agrees with an uninterrupted run statistically, not spike by spike.
- The divergence watch (``t_nonfinite``) restarts; monitors record the new segment only.
- Protocol schedules are in absolute time and validated against the run's own duration, so
  a continuation of the same experiment finds its spike trains in the past (spike generators
  skip them) and its rate tables at their last value: continue runs whose drive is
  stationary (Poisson inputs and sources, currents given as parameters).

Measured (``tests/test_checkpoint.py``, 0.5 s + 0.5 s against 1 s, cpp_standalone): with
zero delays the deterministic part (weights, spikes, traces) is bit for bit equal and the
connectivity identical; with 2 ms delays, 3 spikes in flight were lost, changing the final
weights by at most 8 % and on average 0.5 % of ``w_max``; the noisy part differed by
0.4 seed-to-seed standard deviations in mean weight.
"""

import json
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from bioneuro.errors import ResultFileError, SimulationError, SpecError

__all__ = ["ResumeState", "state_variables", "add_final_state", "read_checkpoint",
           "resume_state", "check_connectivity", "continuation_seed", "concat", "PREFIX"]

#: prefix of the final-state variables and dimensions in a result file
PREFIX = "final_state__"
#: prefix of the readouts holding a run's final state (`bioneuro.devices` reads them only
#: when asked for)
FINAL = "final:"
#: connectivity arrays: saved and compared, but not set (Brian2 makes them read-only)
CONNECTIVITY = ("_synaptic_pre", "_synaptic_post")
#: neuron variables of Brian2's refractoriness and of event-driven synapses
_CLOCK_VARIABLES = ("lastspike", "not_refractory", "lastupdate")
#: the divergence watch and the progress reporter are not state
_NOT_STATE = ("t_nonfinite", "progress_tick")


@dataclass
class ResumeState:
    """What a continued run needs: the values to set, its start time and its seed.

    Attributes
    ----------
    values : dict
        ``{"object.variable": array}`` in SI units, set after the synapses are connected.
    t_start : float
        Time (s) at which the continued run starts (the saved run's end).
    seed : int
        Seed of the continued run's generators, see `continuation_seed`.
    segment : int
        Index of the continued run in the chain (1 for the first continuation).
    connectivity : dict
        ``{"syn_X": (pre, post)}`` saved indices, compared with the regenerated ones.
    source : str
        Where the state came from (a file name), for messages and provenance.
    """

    values: dict
    t_start: float
    seed: int
    segment: int
    connectivity: dict = field(default_factory=dict)
    source: str = ""


def state_variables(owner):
    """Names of the variables of a Brian2 group that make up its state.

    Parameters
    ----------
    owner : brian2.NeuronGroup or brian2.Synapses
        A ``SpikeGeneratorGroup`` has none (its position in the spike list follows from the
        start time).

    Returns
    -------
    list of str
    """
    from brian2.equations.equations import DIFFERENTIAL_EQUATION, PARAMETER

    equations = getattr(owner, "equations", None)
    if equations is None:
        return []
    event_driven = getattr(owner, "event_driven", None)  # plasticity traces of Synapses
    everything = list(equations.values()) + list(event_driven.values() if event_driven
                                                 else [])
    names = [eq.varname for eq in everything
             if eq.type == DIFFERENTIAL_EQUATION
             or (eq.type == PARAMETER and "constant" not in eq.flags
                 and "shared" not in eq.flags)]
    # only the object's own variables (a Synapses object also sees its groups' lastspike)
    names += [n for n in _CLOCK_VARIABLES if n in owner.variables
              and getattr(owner.variables[n].owner, "name", None) == owner.name]
    if hasattr(owner, "source"):  # a Synapses object
        names += list(CONNECTIVITY)
    return sorted(n for n in set(names) if n not in _NOT_STATE)


def continuation_seed(seed, segment):
    """Seed of the generators of continuation `segment` of a run with seed `seed`.

    Deterministic, different for each segment and below 2**31 (a C ``unsigned long`` and a
    NumPy seed).
    """
    return int((int(seed) * 1_000_003 + 7919 * int(segment)) % 2**31)


def _structure(plan):
    """The part of a plan's structure that a saved state depends on."""
    structure = plan.structure()
    # "pathways" (merged projections) only where some are: saved states of networks
    # without them stay comparable
    return {key: structure[key] for key in ("groups", "projections", "spike_times",
                                             "pathways") if key in structure}


def add_final_state(ds, plan, raw, resume=None, save_state=True):
    """Add the final state of `raw` and the run's place in time to `ds` (in place).

    Parameters
    ----------
    ds : xarray.Dataset
        The assembled results of the run.
    plan : NetworkPlan
    raw : RawResults
        Read with the ``final_state`` option (or from a resumed run).
    resume : ResumeState, optional
        The state the run continued from.
    save_state : bool
        Add the final state (otherwise only the attributes that place the run in time).
    """
    t_start = resume.t_start if resume is not None else 0.0
    ds.attrs["t_start_s"] = t_start
    ds.attrs["resume_segment"] = resume.segment if resume is not None else 0
    if resume is not None:
        ds.attrs["resumed_from"] = resume.source
        ds.attrs["resume_seed"] = resume.seed
    keys = sorted(k for k in raw.arrays if k.startswith(FINAL))
    if not keys or not save_state:
        return ds
    for key in keys:
        obj, var = key[len(FINAL):].split(".", 1)
        values = raw.arrays[key]
        if values.dtype == bool:
            values = values.astype(np.int8)
        ds[f"{PREFIX}{obj}__{var}"] = (f"{PREFIX}{obj}", values, {
            "units": raw.units.get(key, "1"), "long_name": f"final value of {obj}.{var}",
            "brian_object": obj, "brian_variable": var})
    ds.attrs["final_state_t_s"] = t_start + float(np.asarray(plan.experiment.duration))
    ds.attrs["final_state_structure"] = json.dumps(_structure(plan), sort_keys=True)
    return ds


def read_checkpoint(source):
    """The Dataset holding a saved state: `source` is a result file or a Dataset.

    Raises
    ------
    ResultFileError
        If the file has no final state (it was not run with ``save_state=True``).
    """
    from bioneuro.storage import load

    ds = source if isinstance(source, xr.Dataset) else load(source)
    if "final_state_t_s" not in ds.attrs:
        raise ResultFileError(f"{source if not isinstance(source, xr.Dataset) else 'dataset'}"
                              ": no final state to resume from (run with save_state=True / "
                              "--save-state)")
    return ds


def _first_difference(saved, now, path="structure"):
    """Path and values of the first difference between two JSON-like trees, or None."""
    if isinstance(saved, dict) and isinstance(now, dict):
        for key in sorted(set(saved) | set(now)):
            if key not in saved or key not in now:
                return f"{path}.{key}", saved.get(key, "(absent)"), now.get(key, "(absent)")
            diff = _first_difference(saved[key], now[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(saved, list) and isinstance(now, list):
        if len(saved) != len(now):
            return f"{path} (length)", len(saved), len(now)
        for k, (a, b) in enumerate(zip(saved, now, strict=True)):
            label = a.get("name", k) if isinstance(a, dict) else k
            diff = _first_difference(a, b, f"{path}[{label}]")
            if diff:
                return diff
        return None
    return None if saved == now else (path, saved, now)


def _check_structure(ds, plan, source):
    """Raise `SpecError` naming the first way `plan` differs from the saved run."""
    saved_pops = json.loads(ds.attrs.get("populations", "{}"))
    now_pops = {p.name: p.size for p in plan.experiment.circuit.populations}
    for name in sorted(set(saved_pops) | set(now_pops)):
        if saved_pops.get(name) != now_pops.get(name):
            raise SpecError("resume_from", source,
                            f"the same populations as the saved run: population '{name}' has "
                            f"{saved_pops.get(name, 'no')} neurons there, "
                            f"{now_pops.get(name, 'no')} in this experiment")
    saved = json.loads(ds.attrs["final_state_structure"])
    now = json.loads(json.dumps(_structure(plan), sort_keys=True))
    saved_projs = [p["name"] for p in saved["projections"]]
    now_projs = [p["name"] for p in now["projections"]]
    if saved_projs != now_projs:
        raise SpecError("resume_from", source,
                        f"the same projections as the saved run: {saved_projs} there, "
                        f"{now_projs} in this experiment")
    diff = _first_difference(saved, now)
    if diff:
        path, was, is_now = diff
        raise SpecError("resume_from", source,
                        f"the structure of the saved run: {path} is {was!r} there, "
                        f"{is_now!r} in this experiment")


def resume_state(source, plan, label=None):
    """Check that `plan` can continue the run saved in `source`; return its `ResumeState`.

    Parameters
    ----------
    source : path or xarray.Dataset
        A result file written with ``save_state=True``.
    plan : NetworkPlan
        The continuation (same populations, models, projections and seed; its duration and
        recording may differ).
    label : str, optional
        Name of the source in messages and provenance (default: the file name).

    Raises
    ------
    SpecError
        Naming the first mismatch between the saved run and `plan`.
    """
    ds = read_checkpoint(source)
    if label is None:
        label = str(source) if not isinstance(source, xr.Dataset) else "dataset"
    _check_structure(ds, plan, label)
    if int(ds.attrs["seed"]) != plan.experiment.seed:
        raise SpecError("seed", plan.experiment.seed,
                        f"the seed of the saved run ({int(ds.attrs['seed'])}), which draws "
                        "its connectivity")
    if float(ds.attrs["dt_s"]) != float(np.asarray(plan.experiment.dt)):
        raise SpecError("dt", plan.experiment.dt,
                        f"the time step of the saved run ({ds.attrs['dt_s']} s)")
    values, connectivity = {}, {}
    # a constant weight saved per synapse (it was recorded) is one scalar of a continuation
    # that does not record it (`weight_is_shared`), set from the same constant
    shared = {plan.pathway_of(name).name for name in plan.shared_weights()}
    for name, var in ds.data_vars.items():
        if not name.startswith(PREFIX):
            continue
        obj, variable = var.attrs["brian_object"], var.attrs["brian_variable"]
        if variable == "w" and obj in shared:
            continue
        if variable in CONNECTIVITY:
            connectivity.setdefault(obj, {})[variable] = var.values
        else:
            values[f"{obj}.{variable}"] = var.values
    segment = int(ds.attrs.get("resume_segment", 0)) + 1
    return ResumeState(values, float(ds.attrs["final_state_t_s"]),
                       continuation_seed(plan.experiment.seed, segment), segment,
                       {obj: (c["_synaptic_pre"], c["_synaptic_post"])
                        for obj, c in connectivity.items()}, label)


def check_connectivity(resume, raw):
    """Raise `SimulationError` unless the continued run regenerated the saved synapses."""
    for obj, (pre, post) in resume.connectivity.items():
        new_pre = raw.arrays.get(f"{FINAL}{obj}._synaptic_pre")
        new_post = raw.arrays.get(f"{FINAL}{obj}._synaptic_post")
        if new_pre is None or not (np.array_equal(pre, new_pre)
                                   and np.array_equal(post, new_post)):
            raise SimulationError(f"resumed from {resume.source}: the synapses of {obj} "
                                  "differ from the saved ones (the connectivity must be "
                                  "regenerated identically from the seed)")


#: dimensions along which consecutive runs are joined
TIME_DIMS = ("spike", "time", "rate_time", "weight_time")


def concat(datasets):
    """Join the results of a run and its continuations into one Dataset.

    Spikes, state traces, population rates and weight statistics are concatenated along
    their time dimensions; everything else (the final state, the connectivity) comes from
    the last run. The runs must follow each other (`resume_segment` and times increasing).

    Parameters
    ----------
    datasets : sequence of xarray.Dataset

    Returns
    -------
    xarray.Dataset
    """
    datasets = list(datasets)
    for before, after in zip(datasets[:-1], datasets[1:], strict=True):
        end = float(before.attrs.get("t_start_s", 0.0)) + float(before.attrs["duration_s"])
        start = float(after.attrs.get("t_start_s", 0.0))
        if not np.isclose(start, end, rtol=0, atol=0.5 * float(before.attrs["dt_s"])):
            raise SpecError("datasets", f"t_start_s = {start}",
                            f"consecutive runs: the previous run ended at {end} s")
    last = datasets[-1]
    parts = {}
    for dim in TIME_DIMS:
        if all(dim in d.dims for d in datasets):
            names = [n for n, v in last.data_vars.items() if dim in v.dims]
            parts[dim] = xr.concat([d[names] for d in datasets], dim=dim,
                                   data_vars="minimal", coords="minimal",
                                   compat="override", join="override")
    out = last.drop_dims(list(parts))
    for part in parts.values():
        out = out.merge(part, compat="override", join="outer")
    out.attrs = dict(last.attrs)
    out.attrs["t_start_s"] = float(datasets[0].attrs.get("t_start_s", 0.0))
    out.attrs["duration_s"] = sum(float(d.attrs["duration_s"]) for d in datasets)
    return out
