"""Parameter sweeps: one experiment over a grid of settings and seeds -> one Dataset.

Execution
---------
Every point of the grid (each combination of swept values and seeds) is an experiment
(`bioneuro.simulate.apply_settings`). Points are grouped by the key of their standalone
build (`bioneuro.devices`): each distinct structure (population sizes, connectivity rules,
recordings, ...) is generated and compiled once, then all its points run the same binary
with their values passed through Brian2's ``run_args``; values of parameters, initial
values, weights and seeds never trigger a build. Points run in this process
(``workers=1``), in a pool of ``workers`` spawned processes (Brian2's device is
process-global, so each point runs in a process of its own), or on a Dask cluster
(``client=dask.distributed.Client(...)``). Every finished point is written atomically to
``output_dir`` as ``point-<hash>.nc`` (the hash of the point's full experiment and device),
so a sweep that is run again with the same ``output_dir`` loads the finished points instead
of running them (resume). A point that fails (invalid value, failed build, diverging
simulation, lost worker) is reported with its values and error; the others are kept.

Layout of the result
--------------------
- one dimension per swept setting, named after its path with ``.`` replaced by ``_``
  (``E.tau_m`` -> ``E_tau_m``), holding the values in SI with ``units``, ``long_name`` and
  ``setting`` (the path) attributes, followed by ``seed``;
- every variable of the single-run schema (`bioneuro.results`) with the sweep dimensions
  prepended, e.g. ``spike_time`` on (``E_tau_m``, ``seed``, ``spike``) and ``v`` on
  (``E_tau_m``, ``seed``, ``time``, ``recorded_neuron``); variables equal in all points
  (coordinates such as ``time`` or ``population``, or data no setting changed) keep their
  single-run form; when points failed, only coordinates are kept once, data variables are
  stacked (the failed points hold fill values and ``n_<dim>`` is 0 for them);
- a dimension whose length differs between points (always ``spike``; ``neuron`` when a size
  is swept) is padded at its end: NaN for floats, -1 for integers, ``""`` for strings; the
  variable ``n_<dim>`` gives each point's true length. An index coordinate whose values
  differ between points is stored as ``<dim>_value`` over the sweep dimensions;
- ``error`` (sweep dimensions): ``""`` for a finished point, else its error message;
  failed points hold fill values everywhere else;
- the run attributes of each point (``build_cache_hit``, ``build_dir``, ``created``,
  ``experiment``, ``experiment_hash``, the ``time_*`` timings, and any other that differs
  between points, e.g. ``populations`` when a size is swept) are variables over the sweep
  dimensions; attributes equal in all points stay attributes, next to the ``sweep_*``
  attributes (parameters, seeds, counts of points, failures, structures, builds and
  resumed points) and ``experiment``, the swept experiment before its settings.

`sweep_point` selects one point and strips the padding, giving back a single-run Dataset
that every analysis function accepts.
"""

import itertools
import json
import multiprocessing
import tempfile
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from bioneuro.errors import SpecError
from bioneuro.spec import content_hash

__all__ = ["sweep", "sweep_point", "sweep_dims", "run_point", "build_structure", "SweepWarning"]

_STANDALONE = ("cpp_standalone", "cuda_standalone")


#: run attributes always stored per point (others only where they differ between points)
_PER_POINT_ATTRIBUTES = ("build_cache_hit", "build_dir", "created", "experiment",
                         "experiment_hash")


class SweepWarning(UserWarning):
    """Some points of a sweep failed (the others are in the result)."""


@dataclass(frozen=True)
class _Axis:
    """One swept setting: its dimension name, setting path, values as given and in SI."""

    name: str
    path: str
    values: tuple
    coord: np.ndarray
    units: str


@dataclass
class _Point:
    index: tuple
    settings: dict
    seed: int
    task: dict = None
    key: str = None
    error: str = ""
    plan: object = None  # kept only until the memory check


def _error_text(exc):
    return f"{type(exc).__name__}: {exc}"


def _axis(path, values):
    from brian2.units.fundamentalunits import get_dimensions

    from bioneuro.quantities import parse_quantity, unit_string

    field = f"parameters.{path}"
    if not isinstance(path, str) or not path.strip():
        raise SpecError("parameters", path, "setting paths such as 'E.tau_m' or 'EE.weight'")
    if path == "seed":
        raise SpecError("parameters", path, "repetitions over seeds are given by seeds=[...]")
    if isinstance(values, (str, bytes)) or not np.iterable(values):
        values = [values]
    values = tuple(values)
    if not values:
        raise SpecError(field, values, "a non-empty list of values")
    quantities = [parse_quantity(v, field) for v in values]
    dims = {get_dimensions(q) for q in quantities}
    if len(dims) > 1:
        raise SpecError(field, [str(v) for v in values], "values of one unit (got "
                        f"{', '.join(sorted(unit_string(q) for q in quantities))})")
    integral = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values)
    coord = np.array([float(np.asarray(q)) for q in quantities],
                     dtype=np.int64 if integral else np.float64)
    if len(np.unique(coord)) != len(coord):
        raise SpecError(field, [str(v) for v in values], "distinct values")
    return _Axis(path.replace(".", "_"), path, values, coord, unit_string(quantities[0]))


def _axes(parameters, seeds, default_seed):
    if not isinstance(parameters, dict):
        raise SpecError("parameters", parameters, "a dict {setting path: list of values}")
    axes = [_axis(path, values) for path, values in parameters.items()]
    names = [a.name for a in axes]
    for name in set(names):
        if names.count(name) > 1 or name == "seed":
            raise SpecError("parameters", [a.path for a in axes if a.name == name],
                            "paths that differ after replacing '.' by '_'")
    seeds = [default_seed] if seeds is None else list(np.atleast_1d(seeds))
    if not seeds or any(isinstance(s, (bool, np.bool_)) or int(s) != s or s < 0
                        for s in seeds) or len(set(seeds)) != len(seeds):
        raise SpecError("seeds", seeds, "distinct integers >= 0")
    return axes, [int(s) for s in seeds]


def _varying_parameters(exp, paths):
    """``(population, parameter)`` pairs the sweep `paths` change (``"*"``: a whole
    population), which `make_plan` keeps per neuron so that the points share a build, and
    ``(VARYING_PROJECTION, name)`` for each projection they change, which it keeps in a
    ``Synapses`` object of its own (`bioneuro.plan.merge_pathways`)."""
    from bioneuro.plan import VARYING_PROJECTION
    from bioneuro.simulate import _shortcut

    pairs = set()
    for path in paths:
        parts = _shortcut(exp, path).split(".")
        if parts[:2] == ["circuit", "projections"] and len(parts) >= 3:
            pairs.add((VARYING_PROJECTION, parts[2]))
            continue
        if parts[:2] != ["circuit", "populations"] or len(parts) < 3:
            continue
        if len(parts) >= 5 and parts[3] == "parameters":
            pairs.add((parts[2], parts[4]))
        elif len(parts) == 3 or parts[3] == "parameters":
            pairs.add((parts[2], "*"))
    return pairs


def _resolve(base, settings, axes, seeds, device, options, output_dir, run_options):
    """The points of the grid, each with its experiment, build key and task (or error)."""
    from bioneuro.devices import _build_key
    from bioneuro.plan import make_plan
    from bioneuro.simulate import apply_settings

    varying = _varying_parameters(base, [a.path for a in axes])

    points = []
    grid = itertools.product(*[range(len(a.values)) for a in axes], range(len(seeds)))
    for index in grid:
        values = {a.path: a.values[i] for a, i in zip(axes, index, strict=False)}
        point = _Point(index, values, seeds[index[-1]])
        points.append(point)
        try:
            exp = apply_settings(base.replace(seed=point.seed), {**settings, **values})
            plan = make_plan(exp, varying)
            # a standalone build key, else the structure (counted, never built)
            point.key = _build_key(plan, device, {"threads": run_options["threads"],
                                                  **options}) \
                if device in _STANDALONE else plan.structure_hash()
        except SpecError as exc:  # an impossible value: this point fails, not the sweep
            point.error = _error_text(exc)
            continue
        data = exp.to_dict()
        name = content_hash({"experiment": data, "device": device, "options": options})
        point.task = {"experiment": data, "device": device, "options": options,
                      "path": str(Path(output_dir) / f"point-{name[:20]}.nc"),
                      "varying": sorted(varying), **run_options}
        point.plan = plan
    return points


def _check_memory(points, max_memory, expected_rate):
    from bioneuro.memory import PEAK_FACTOR, parse_memory, raise_too_large, recording_estimate

    limit = parse_memory(max_memory)
    total = None
    for point in points:
        if point.task is None:
            continue
        estimate = recording_estimate(point.plan, expected_rate)
        point.plan = None
        if estimate["peak"] > limit:
            raise_too_large(estimate, limit, f"sweep point {point.settings} (seed "
                            f"{point.seed})")
        total = estimate if total is None else {k: total[k] + estimate[k] for k in total}
    if total is not None and PEAK_FACTOR * total["total"] > limit:
        raise_too_large(total, limit, f"the combined sweep ({len(points)} points)")


# --------------------------------------------------------------------------- workers
def build_structure(task):
    """Generate and compile (or find in the cache) the binary of one sweep structure.

    Runs in a worker; returns ``{"build_dir", "cache_hit", "build_s"}`` or ``{"error"}``.
    """
    try:
        from bioneuro.devices import simulate
        from bioneuro.plan import make_plan
        from bioneuro.spec import Experiment

        varying = {tuple(pair) for pair in task["varying"]}
        raw = simulate(make_plan(Experiment.from_dict(task["experiment"]), varying),
                       task["device"],
                       cache_dir=task["cache_dir"], threads=task["threads"], build_only=True,
                       **task["options"])
        return {"build_dir": raw.build_dir, "cache_hit": raw.cache_hit,
                "build_s": raw.timings.get("build_s")}
    except Exception as exc:  # reported as the failure of the structure's points
        return {"error": _error_text(exc)}


def run_point(task):
    """Run one sweep point and save its Dataset to ``task["path"]`` (atomically).

    Runs in a worker; returns ``{"path"}`` or ``{"error"}`` (any exception of the point,
    so that one failing point does not stop the others).
    """
    try:
        from bioneuro.simulate import run
        from bioneuro.spec import Experiment
        from bioneuro.storage import save

        ds = run(Experiment.from_dict(task["experiment"]), device=task["device"],
                 cache_dir=task["cache_dir"], threads=task["threads"],
                 max_memory=task["max_memory"], expected_rate=task["expected_rate"],
                 varying=task["varying"], **task["options"])
        save(ds, task["path"], chunk_bytes=task["chunk_bytes"])
        return {"path": task["path"]}
    except Exception as exc:
        return {"error": _error_text(exc)}


class _InlineExecutor:
    """Runs each submitted call at once, in this process (``workers=1``)."""

    def submit(self, fn, *args):
        future = Future()
        future.set_result(fn(*args))
        return future


@contextmanager
def _executor(workers, client):
    if client is not None:
        yield client.get_executor(pure=False)
    elif workers == 1:
        yield _InlineExecutor()
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield pool


def _execute(points, device, workers, client):
    """Build each structure once, then run its points; returns the build records."""
    groups = {}
    for point in points:
        if point.task is not None and not Path(point.task["path"]).exists():
            groups.setdefault(point.key, []).append(point)
    builds = []
    with _executor(workers, client) as executor:
        pending = {}

        def submit_points(key):
            for point in groups[key]:
                pending[executor.submit(run_point, point.task)] = ("point", point)

        for key, members in groups.items():
            if device in _STANDALONE:
                pending[executor.submit(build_structure, members[0].task)] = ("build", key)
            else:
                submit_points(key)
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                kind, item = pending.pop(future)
                try:
                    out = future.result()
                except Exception as exc:  # a lost worker (crash, killed process)
                    out = {"error": _error_text(exc)}
                if kind == "point":
                    item.error = out.get("error", "")
                    continue
                builds.append(out)
                if "error" in out:
                    for point in groups[item]:
                        point.error = f"build failed: {out['error']}"
                else:
                    submit_points(item)
    return builds


# --------------------------------------------------------------------------- combining
def _fill(dtype):
    if dtype.kind == "f":
        return np.nan
    if dtype.kind in "iu":
        return -1
    if dtype.kind == "b":
        return False
    return ""


def _stack(name, runs, shape, sizes, sweep_dims, new_name=None):
    """`name` of every point on the sweep dims + its own dims, padded to `sizes`."""
    first = next(ds[name] for ds in runs.values() if name in ds.variables)
    dtype = first.dtype if first.dtype.kind in "fiub" else np.dtype(object)
    array = np.full(shape + tuple(sizes[d] for d in first.dims), _fill(dtype), dtype=dtype)
    for index, ds in runs.items():
        if name in ds.variables:
            values = ds[name].values
            array[index + tuple(slice(0, n) for n in values.shape)] = values
    return (new_name or name), (sweep_dims + first.dims, array, dict(first.attrs))


def _same(a, b):
    return a.dims == b.dims and a.shape == b.shape and a.equals(b)


def _combine(runs, shape, sweep_dims):
    """Stack the finished points' Datasets `runs` ({grid index: Dataset})."""
    done = list(runs.values())
    sizes = {}
    for ds in done:
        for dim, n in ds.sizes.items():
            sizes[dim] = max(sizes.get(dim, 0), n)
    names = sorted(set().union(*(set(ds.variables) for ds in done)))
    is_coord = set().union(*(set(ds.coords) for ds in done))
    # with failed points, a data variable equal in the finished ones is not the sweep's
    # value: it is stacked (failed points padded) so that it keeps the sweep dims
    all_done = len(done) == int(np.prod(shape))
    data, coords = {}, {}
    for name in names:
        present = [ds.variables[name] for ds in done if name in ds.variables]
        if (all_done or name in is_coord) and len(present) == len(done) \
                and all(_same(present[0], v) for v in present[1:]):
            (coords if name in is_coord else data)[name] = present[0]
            continue
        if name in sizes:  # an index coordinate that differs between points
            longest = max(present, key=len)
            if all(np.array_equal(v.values, longest.values[:len(v)]) for v in present):
                coords[name] = longest  # the others are its prefixes: keep it as the index
                continue
            key, var = _stack(name, runs, shape, sizes, sweep_dims, f"{name}_value")
            coords[key] = var
            continue
        key, var = _stack(name, runs, shape, sizes, sweep_dims)
        (coords if name in is_coord else data)[key] = var
    stacked_dims = {d for var in data.values() if isinstance(var, tuple) for d in var[0]}
    for dim, n in sizes.items():
        if any(ds.sizes.get(dim, 0) != n for ds in done) or \
                (not all_done and dim in stacked_dims):
            counts = np.zeros(shape, dtype=np.int64)
            for index, ds in runs.items():
                counts[index] = ds.sizes.get(dim, 0)
            data[f"n_{dim}"] = (sweep_dims, counts, {
                "units": "1", "long_name": f"number of valid entries along '{dim}' (the "
                "rest is padding)"})
    return data, coords


def _provenance(runs, shape, sweep_dims, data):
    """Attributes equal in all points, and per-point variables of the others."""
    done = list(runs.values())
    keys = sorted(set().union(*(ds.attrs for ds in done)) - {"seed"})
    attrs, moved = {}, {}
    for key in keys:
        values = [ds.attrs.get(key) for ds in done]
        per_point = key.startswith("time_") or key in _PER_POINT_ATTRIBUTES
        if not per_point and all(_equal_attr(values[0], v) for v in values[1:]):
            attrs[key] = values[0]
            continue
        numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                      for v in values)
        integral = numeric and all(isinstance(v, (int, np.integer)) for v in values)
        dtype = np.int64 if integral else np.float64 if numeric else object
        array = np.full(shape, _fill(np.dtype(dtype)), dtype=dtype)
        for index, ds in runs.items():
            value = ds.attrs.get(key)
            if value is not None:
                array[index] = value if numeric else str(value)
        name = key if key not in data else f"point_{key}"
        data[name] = (sweep_dims, array, {"long_name": f"run attribute '{key}' of each point"})
        moved[name] = key
    attrs["sweep_point_attributes"] = json.dumps(moved)
    return attrs


def _equal_attr(a, b):
    return type(a) is type(b) and np.array_equal(np.asarray(a), np.asarray(b))


def _assemble(base, points, runs, axes, seeds, builds, device, resumed):
    shape = tuple(len(a.values) for a in axes) + (len(seeds),)
    sweep_dims = tuple(a.name for a in axes) + ("seed",)
    data, coords = _combine(runs, shape, sweep_dims) if runs else ({}, {})
    attrs = _provenance(runs, shape, sweep_dims, data) if runs else {}
    errors = np.full(shape, "", dtype=object)
    failures = []
    for point in points:
        errors[point.index] = point.error
        if point.error:
            failures.append({"values": {k: str(v) for k, v in point.settings.items()},
                             "seed": point.seed, "error": point.error})
    data["error"] = (sweep_dims, errors, {"long_name": "error of a failed point ('' if it "
                                                       "finished)"})
    for axis in axes:
        coords[axis.name] = (axis.name, axis.coord, {
            "units": axis.units, "long_name": f"swept setting {axis.path}",
            "setting": axis.path})
    coords["seed"] = ("seed", np.array(seeds, dtype=np.int64),
                      {"units": "1", "long_name": "random seed"})
    from bioneuro import __version__
    from bioneuro.storage import FORMAT_VERSION

    attrs.update({
        "title": f"bioneuro sweep of experiment '{base.name}'",
        "bioneuro_format": FORMAT_VERSION, "bioneuro_version": __version__,
        "experiment": base.to_json(), "experiment_name": base.name, "device": device,
        "sweep_parameters": json.dumps({a.name: {"setting": a.path, "units": a.units,
                                                 "values": [str(v) for v in a.values]}
                                        for a in axes}),
        "sweep_seeds": json.dumps(seeds),
        "sweep_points": len(points),
        "sweep_completed": len(runs),
        "sweep_failed": len(failures),
        "sweep_failures": json.dumps(failures),
        "sweep_resumed": resumed,
        "sweep_structures": len({p.key for p in points if p.task is not None}),
        "sweep_builds": sum(1 for b in builds if "error" not in b and not b["cache_hit"]),
    })
    attrs.pop("seed", None)
    return xr.Dataset(data, coords=coords, attrs=attrs)


def sweep(experiment, parameters, seeds=None, device="cpp_standalone", workers=1,
          client=None, output_dir=None, cache_dir=None, settings=None, threads=1,
          scale=None, max_memory=None, expected_rate=None, chunk_bytes=None,
          **device_options):
    """Run `experiment` over a grid of settings and seeds; return one Dataset.

    Parameters
    ----------
    experiment : Experiment, str, path or dict
        As for `bioneuro.run` (built-in name, YAML file, ...).
    parameters : dict
        ``{setting path: values}``: paths as for `bioneuro.run`'s ``settings``
        (``"E.tau_m"``, ``"EE.weight"``, ``"E.size"``, ``"duration"``); values are
        quantities (``[10*ms, 20*ms]``), strings (``["10 ms", "20 ms"]``) or numbers (sizes),
        one unit per setting. Values of parameters, initial values, weights and delays
        re-use one compiled binary; sizes, connectivity rules, recordings and ``duration``
        change the generated code and build once per distinct structure.
    seeds : sequence of int, optional
        Repetitions (the ``seed`` dimension); default: the experiment's seed.
    device : {"runtime", "cpp_standalone", "cuda_standalone"}
    workers : int
        Local processes running points in parallel (1: in this process). They are
        spawned, so a script calling `sweep` with ``workers > 1`` needs the usual
        ``if __name__ == "__main__":`` guard.
    client : dask.distributed.Client, optional
        Run the points on this Dask cluster instead (``workers`` is ignored). With workers
        on other machines, `output_dir` and `cache_dir` must be on a shared file system.
    output_dir : path, optional
        Where each finished point is saved (``point-<hash>.nc``); running the sweep again
        with it skips the finished points. Default: a temporary folder, removed afterwards.
    cache_dir : path, optional
        Standalone build cache.
    settings : dict, optional
        ``{path: value}`` applied to every point (before the swept values).
    threads : int
        OpenMP threads per point.
    scale : float, optional
        Network-size factor of a built-in experiment.
    max_memory : int or str, optional
        Memory limit (bytes or ``"8 GB"``; default half the physical memory): the sweep is
        refused before anything runs if one point, or all points combined, would need more
        (see `bioneuro.memory`).
    expected_rate : Quantity, optional
        Mean spike rate assumed by the memory estimate (default 100 Hz).
    chunk_bytes : int, optional
        Chunk size of the point files (see `bioneuro.storage.save`).
    **device_options
        As for `bioneuro.run`.

    Returns
    -------
    xarray.Dataset
        See the module documentation for the layout. Failed points are listed in the
        ``error`` variable and the ``sweep_failures`` attribute, and a `SweepWarning`
        summarises them.
    """
    from bioneuro.devices import DEVICES
    from bioneuro.errors import UnknownNameError
    from bioneuro.simulate import resolve_experiment
    from bioneuro.storage import DEFAULT_CHUNK_BYTES, load

    if device not in DEVICES:
        raise UnknownNameError("device", device, DEVICES)
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise SpecError("workers", workers, "an integer >= 1")
    base = resolve_experiment(experiment, scale)
    axes, seeds = _axes(parameters, seeds, base.seed)
    with tempfile.TemporaryDirectory(prefix="bioneuro-sweep-") as scratch:
        folder = Path(output_dir or scratch).absolute()
        folder.mkdir(parents=True, exist_ok=True)
        run_options = {"cache_dir": None if cache_dir is None else str(Path(cache_dir)
                                                                        .absolute()),
                       "threads": threads, "max_memory": max_memory,
                       "expected_rate": expected_rate,
                       "chunk_bytes": chunk_bytes or DEFAULT_CHUNK_BYTES}
        points = _resolve(base, dict(settings or {}), axes, seeds, device, device_options,
                          folder, run_options)
        _check_memory(points, max_memory, expected_rate)
        resumed = sum(1 for p in points if p.task and Path(p.task["path"]).exists())
        builds = _execute(points, device, workers, client)
        runs = {p.index: load(p.task["path"]) for p in points
                if not p.error and p.task is not None}
    ds = _assemble(base, points, runs, axes, seeds, builds, device, resumed)
    if ds.attrs["sweep_failed"]:
        lines = [f"{f['values']} seed {f['seed']}: {f['error'].splitlines()[0]}"
                 for f in json.loads(ds.attrs["sweep_failures"])]
        warnings.warn(f"{len(lines)} of {len(points)} sweep points failed (the others are "
                      "kept):\n  " + "\n  ".join(lines), SweepWarning, stacklevel=2)
    return ds


def sweep_dims(ds):
    """The sweep dimensions of a `sweep` result (swept settings, then ``seed``); empty for a
    single run's Dataset."""
    if "sweep_parameters" not in ds.attrs:
        return []
    return list(json.loads(ds.attrs["sweep_parameters"])) + ["seed"]


def sweep_point(ds, **selection):
    """One point of a sweep result as a single-run Dataset (padding removed).

    Parameters
    ----------
    ds : xarray.Dataset
        A result of `sweep`.
    **selection
        A value for every sweep dimension (``E_tau_m=0.02, seed=1``; SI values, matched
        to a relative 1e-9); a dimension of length 1 may be left out.
    """
    dims = sweep_dims(ds)
    for dim in dims:
        if dim not in selection and ds.sizes[dim] == 1:
            selection[dim] = ds[dim].values[0]
    missing = [d for d in dims if d not in selection]
    unknown = [d for d in selection if d not in dims]
    if missing or unknown:
        raise SpecError("selection", selection, f"one value for each sweep dimension "
                        f"({', '.join(dims)})")
    index = {}
    for dim, value in selection.items():  # SI values match to rounding (0.9e-9 A = 0.9 nA)
        found = np.flatnonzero(np.isclose(ds[dim].values, float(value), rtol=1e-9, atol=0))
        if len(found) != 1:
            raise SpecError(f"selection.{dim}", value, "one of " + ", ".join(
                f"{v:g}" for v in ds[dim].values))
        index[dim] = int(found[0])
    point = ds.isel(index)
    if point["error"].item():
        raise SpecError("selection", selection, "a finished point (this one failed: "
                        f"{point['error'].item()})")
    for name in [v for v in point.data_vars if v.startswith("n_") and v[2:] in point.dims]:
        point = point.isel({name[2:]: slice(0, int(point[name]))}).drop_vars(name)
    for name in [c for c in point.coords if c.endswith("_value") and c[:-6] in point.dims]:
        point = point.assign_coords({name[:-6]: point[name].values}).drop_vars(name)
    # the run attributes that differ between points become attributes again
    moved = json.loads(ds.attrs.get("sweep_point_attributes", "{}"))
    attrs = {k: v for k, v in ds.attrs.items() if not k.startswith("sweep_")}
    attrs.update({key: point[name].item() for name, key in moved.items()})
    attrs["seed"] = int(point["seed"])
    point = point.drop_vars(["error", *moved])
    point.attrs = attrs
    return point
