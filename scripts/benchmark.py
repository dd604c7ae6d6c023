"""Benchmark suite: bioneuro against hand-written Brian2, NEST 3 and Brian2's runtime mode.

Every run is a fresh Python process, timed from the outside (wall time includes interpreter
start and imports) with its peak resident memory (``ru_maxrss`` from ``wait4``: the largest
process of the run's tree, so a cold build counts the compiler). "simulation" is each
simulator's own timer of the network run; "build" is everything before it (code generation
and compilation for Brian2, network construction for NEST). Mean rates show that the runs
are equivalent (different random realisations of the same network statistics). The bioneuro
processes import Brian2 as the ``bioneuro`` command does, without ``from pylab import *``.

Families (``--only``, comma-separated; default all):

- ``cuba``, ``cobahh``: Brette et al. (2007) benchmarks 1 and 3 (4000 neurons x ``--scale``,
  each ``--duration``): bioneuro cpp_standalone cold and warm cache, the hand-written Brian2
  script (``brian2_reference.py``: Brian2's example, structured as bioneuro builds it, and
  with ``--projections`` one ``Synapses`` per projection) cold and re-run, NEST 3
  (``nest_reference.py``) and the hand-written script in Brian2's runtime mode (NumPy
  target). The warm runs and the re-runs alternate over seeds 1..``--repeats``; the
  simulation target compares time per synaptic event over those seeds.
- ``scaling``: CUBA at 4k, 16k, 64k neurons (x ``--scale``) at fixed in-degree: time per
  simulated second and per synaptic event (spikes x out-degree), bioneuro and NEST.
- ``sweep``: a 10- and a 100-point `bn.sweep` of the excitatory leak potential (run-time values)
  (one binary), against one cold run.
- ``io``: netCDF write/read throughput and file size (``bn.save`` with each codec,
  ``bn.load``, ``bn.open_lazy``) for 1e6 spikes (12 bytes each, times on the 0.1 ms grid
  as in a run) and 1e7 state samples (x ``--scale``).
- ``microcircuit``: the Potjans & Diesmann (2014) microcircuit with N and K x each of
  ``--microcircuit-scales`` (default 0.1; ``0.1,1`` adds full scale, 77,169 neurons and
  ~0.3 billion synapses), ``--microcircuit-duration`` simulated seconds: build time (a
  build-only process), simulation time, real-time factor (simulation wall time / simulated
  time), peak memory of the build and of the run, and the mean rate of each population
  after the 0.2 s onset transient next to the full-scale NEST rates (``FULL_SCALE_RATES``).
  A scale whose estimated memory (`microcircuit_memory_estimate`) exceeds the memory
  available is reported as unavailable instead of being run.

A family is a function registered with ``@family(name, columns)`` that returns rows (dicts)
and appends target checks to ``suite.checks``; adding one is a new function.

Usage: ``python scripts/benchmark.py [--only cuba,cobahh,scaling,sweep,io,microcircuit]
[--scale 1] [--duration 1,10] [--repeats 1] [--skip brian2_standalone,nest,runtime]
[--cache-dir DIR] [--microcircuit-scales 0.1,1] [--microcircuit-duration 1.2]
[--json benchmark.json]``; prints markdown tables (one per family, then the targets) and
writes everything to the JSON file (after each family, so a stopped run keeps the finished
ones).
"""

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRANSIENT_S = 0.2  # onset transient of the microcircuit, left out of its rates

FAMILIES = {}

RUN_COLUMNS = (("run", "run", "{}"), ("seed", "seed", "{}"), ("neurons", "neurons", "{}"),
               ("duration_s", "T (s)", "{:g}"), ("build_s", "build (s)", "{:.2f}"),
               ("simulation_s", "simulation (s)", "{:.3f}"),
               ("ns_per_event", "ns per synaptic event", "{:.2f}"),
               ("total_s", "total (s)", "{:.2f}"),
               ("peak_rss_MiB", "peak RSS (MiB)", "{:.0f}"), ("rate_E_Hz", "E rate (Hz)", "{:.2f}"),
               ("rate_I_Hz", "I rate (Hz)", "{:.2f}"))


def family(name, columns):
    """Register ``function(suite) -> rows`` as the benchmark family `name`."""
    def register(function):
        FAMILIES[name] = (function, columns)
        return function
    return register


# ---------------------------------------------------------------------------------------
# running one measured process


def measure(args, cwd=None):
    """Run ``python args...`` in a fresh process; return its JSON summary (last stdout line)
    with ``total_s`` (wall time of the process) and ``peak_rss_MiB``, or ``{"error": ...}``."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *map(str, args)], stdout=out, stderr=err,
                                cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        if proc.returncode != 0 or not lines:
            tail = err.read().strip().splitlines()[-3:]
            why = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else \
                f"exit {proc.returncode}"
            return {"error": why + "".join(f" | {line}" for line in tail)}
    data = json.loads(lines[-1])
    data["process_s"] = wall
    data["peak_rss_MiB"] = usage.ru_maxrss / 1024  # kiB on Linux
    return data


def _bioneuro_worker(spec):
    """Inside the measured process: run a built-in experiment once per settings entry."""
    start = time.perf_counter()
    from bioneuro.cli import import_brian2_without_pylab

    import_brian2_without_pylab()  # as the ``bioneuro`` command does (no pyplot)
    from brian2.units import second

    import bioneuro as bn
    from bioneuro import experiments

    exp = getattr(experiments, spec["model"])(scale=spec["scale"],
                                              duration=spec["duration"] * second)
    exp = exp.replace(recording=bn.Recording())  # spikes only, like the references
    runs, builds = [], None
    if spec.get("sweep"):  # bn.sweep over E_L of both populations' leak, one point each
        name, values = spec["sweep"]
        ds = bn.sweep(exp, {name: values}, seeds=[spec["seed"]], device="cpp_standalone",
                      threads=1, cache_dir=spec["cache"])
        dim = name.replace(".", "_")
        runs = [spike_summary(bn.sweep_point(ds, **{dim: value, "seed": spec["seed"]}))
                for value in ds[dim].values]
        builds = int(ds.attrs["sweep_builds"])
    for settings in [] if spec.get("sweep") else spec.get("settings") or [None]:
        ds = bn.run(exp, device="cpp_standalone", seed=spec["seed"], threads=1,
                    cache_dir=spec["cache"], settings=settings)
        runs.append(spike_summary(ds))
    print(json.dumps({"runs": runs, "builds": builds, "inside_s": time.perf_counter() - start}))


def spike_summary(ds):
    """Rates, spike counts, synapse counts, synaptic events and timings of one bioneuro run."""
    sizes = json.loads(ds.attrs["populations"])
    n_syn = json.loads(ds.attrs["n_synapses"])
    neuron = ds.spike_neuron.values
    n_exc = sizes["E"]
    spikes = {"E": int((neuron < n_exc).sum()), "I": int((neuron >= n_exc).sum())}
    duration = ds.attrs["duration_s"]
    # each spike of a presynaptic neuron is delivered to its out-degree targets
    events = sum(spikes[proj[0]] * count / sizes[proj[0]] for proj, count in n_syn.items())
    return {"neurons": sum(sizes.values()), "n_spikes_E": spikes["E"], "n_spikes_I": spikes["I"],
            "rate_E_Hz": spikes["E"] / sizes["E"] / duration,
            "rate_I_Hz": spikes["I"] / sizes["I"] / duration,
            "n_synapses": sum(n_syn.values()), "synaptic_events": events,
            "build_s": ds.attrs["time_build_s"], "simulation_s": ds.attrs["time_simulation_s"],
            "cache_hit": bool(ds.attrs["build_cache_hit"])}


def _io_worker(spec):
    """Inside the measured process: write and read one result file, timed."""
    import numpy as np
    import xarray as xr

    import bioneuro as bn
    from bioneuro.storage import FORMAT_VERSION

    rng = np.random.default_rng(1)
    n_neurons, duration = spec["neurons"], spec["duration_s"]
    coords = {"neuron": np.arange(n_neurons)}
    data = {}
    dt = 1e-4  # s, the simulation step: recorded times are Brian2's ``timestep * dt``
    if spec["kind"] == "spikes":
        # Poisson spikes, sorted by time, as a run's spike_time (float64) / spike_neuron
        # (int32)
        n = spec["count"]
        steps = np.sort(rng.integers(0, round(duration / dt), n))
        data["spike_time"] = ("spike", steps * dt, {"units": "s"})
        data["spike_neuron"] = ("spike", rng.integers(0, n_neurons, n).astype(np.int32),
                                {"units": "1"})
    else:
        # membrane traces of `probes` neurons (an Ornstein-Uhlenbeck process, 0.1 ms steps)
        probes = 100
        steps = spec["count"] // probes
        noise = rng.standard_normal((steps, probes)).astype(np.float64)
        v = np.empty_like(noise)
        v[0] = 0.0
        decay = np.exp(-0.1 / 20.0)
        for k in range(1, steps):
            v[k] = decay * v[k - 1] + 0.3 * noise[k]
        coords["time"] = ("time", np.arange(steps) * dt, {"units": "s"})
        coords["recorded_neuron"] = np.arange(probes)
        data["v"] = (("time", "recorded_neuron"), -0.06 + 1e-3 * v, {"units": "V"})
    ds = xr.Dataset(data, coords=coords, attrs={"bioneuro_format": FORMAT_VERSION, "dt_s": dt})
    nbytes = sum(var.nbytes for var in ds.data_vars.values())
    # the first netCDF write of a process loads the library and its filters: not throughput
    bn.save(ds.isel({dim: slice(0, 10) for dim in ds.dims}), Path(spec["folder"]) / "warm-up.nc")
    results = []
    for compression in spec["compressions"]:
        path = Path(spec["folder"]) / f"io-{spec['kind']}-{compression}.nc"
        t0 = time.perf_counter()
        bn.save(ds, path, compression=compression)
        t1 = time.perf_counter()
        loaded = bn.load(path)
        t2 = time.perf_counter()
        lazy = bn.open_lazy(path).load()
        t3 = time.perf_counter()
        same = all(np.array_equal(loaded[name].values, ds[name].values) and
                   np.array_equal(lazy[name].values, ds[name].values) for name in ds.data_vars)
        results.append({"compression": compression, "data_MB": nbytes / 1e6,
                        "file_MB": path.stat().st_size / 1e6, "identical": bool(same),
                        "write_s": t1 - t0, "read_s": t2 - t1, "lazy_read_s": t3 - t2,
                        "write_MB_s": nbytes / 1e6 / (t1 - t0),
                        "read_MB_s": nbytes / 1e6 / (t2 - t1),
                        "lazy_read_MB_s": nbytes / 1e6 / (t3 - t2)})
        path.unlink()
    print(json.dumps({"runs": results}))


def _microcircuit_worker(spec):
    """Inside the measured process: build (``build_only``) or run the PD14 microcircuit."""
    from bioneuro.analysis.rates import population_mean_rates
    from brian2.units import second

    import bioneuro as bn
    from bioneuro.experiments.cortex import microcircuit

    exp = microcircuit(spec["scale"], duration=spec["duration"] * second, seed=spec["seed"])
    start = time.perf_counter()
    if spec["build_only"]:
        bn.run(exp, device="cpp_standalone", threads=1, cache_dir=spec["cache"],
               build_only=True)
        print(json.dumps({"build_s": time.perf_counter() - start}))
        return
    ds = bn.run(exp, device="cpp_standalone", threads=1, cache_dir=spec["cache"])
    rates = population_mean_rates(ds, t_start=spec["transient"])
    print(json.dumps({"neurons": ds.sizes["neuron"], "n_spikes": ds.sizes["spike"],
                      "n_synapses": sum(json.loads(ds.attrs["n_synapses"]).values()),
                      "simulation_s": ds.attrs["time_simulation_s"],
                      "cache_hit": bool(ds.attrs["build_cache_hit"]),
                      "rates": {str(pop): float(rate) for pop, rate in
                                zip(rates.population.values, rates.values, strict=True)}}))


WORKERS = {"bioneuro": _bioneuro_worker, "io": _io_worker, "microcircuit": _microcircuit_worker}


# ---------------------------------------------------------------------------------------
# the suite


class Suite:
    """Options, a scratch folder, and the target checks collected by the families."""

    def __init__(self, args, scratch):
        self.args = args
        self.scratch = Path(scratch)
        self.checks = []
        self.skip = {name for name in args.skip.split(",") if name}
        self.nest_missing = None if importlib.util.find_spec("nest") else \
            "nest-simulator is not installed (pip install -e '.[benchmark]')"

    def bioneuro(self, model, duration, cache, scale=None, settings=None, seed=1, sweep=None):
        """bioneuro cpp_standalone in a fresh process; one row per settings entry, or per
        point of ``sweep=(setting, values)`` run through `bn.sweep`."""
        spec = {"model": model, "scale": self.args.scale if scale is None else scale,
                "duration": duration, "seed": seed, "cache": str(cache), "settings": settings,
                "sweep": sweep}
        data = measure([__file__, "--worker", "bioneuro", json.dumps(spec)])
        if "error" in data:
            raise RuntimeError(f"bioneuro {model}: {data['error']}")
        return data

    def reference(self, script, model, duration, scale=None, **options):
        """A hand-written reference script in a fresh process (``{"error": ...}`` if it fails)."""
        args = [HERE / script, "--model", model, "--duration", duration,
                "--scale", self.args.scale if scale is None else scale]
        for key, value in options.items():  # True: a flag without a value
            flag = f"--{key.replace('_', '-')}"
            args += [flag] if value is True else [flag, value]
        return measure(args)

    def nest(self, model, duration, scale=None):
        if self.nest_missing:
            return {"error": self.nest_missing}
        return self.reference("nest_reference.py", model, duration, scale)

    def check(self, name, value, target, met):
        self.checks.append({"target": name, "measured": value, "goal": target, "met": bool(met)})


def _row(run, duration, data, **extra):
    """A table row from a measured process (``total_s`` = wall time of the process)."""
    if "error" in data:
        return {"run": run, "duration_s": duration, "unavailable": data["error"], **extra}
    first = data["runs"][0] if "runs" in data else data
    build = first.get("build_s", first.get("total_s", 0) - first.get("simulation_s", 0))
    events = synaptic_events(first)
    return {"run": run, "duration_s": duration, "neurons": first.get("neurons",
                                                                     first.get("n_neurons")),
            "build_s": build, "simulation_s": first["simulation_s"],
            "total_s": data["process_s"], "peak_rss_MiB": data["peak_rss_MiB"],
            "rate_E_Hz": first["rate_E_Hz"], "rate_I_Hz": first["rate_I_Hz"],
            "n_spikes": first["n_spikes_E"] + first["n_spikes_I"],
            "synaptic_events": events, "ns_per_event": 1e9 * first["simulation_s"] / max(events, 1),
            **({"cache_hit": first["cache_hit"]} if "cache_hit" in first else {}), **extra}


def synaptic_events(run):
    """Synaptic events of one run (spikes times out-degree, summed over E and I sources).

    bioneuro's summary counts them per projection; in a reference summary each
    population's spikes reach its mean out-degree (synapses / neurons)."""
    if "synaptic_events" in run:
        return run["synaptic_events"]
    return sum(run[f"n_spikes_{pop}"] * run["n_synapses"][pop] / run[f"n_{pop}"]
               for pop in ("E", "I"))


def _per_event(runs):
    """Simulation seconds per synaptic event over several runs."""
    return sum(r["simulation_s"] for r in runs) / sum(r["synaptic_events"] for r in runs)


def _mean_simulation(runs):
    return sum(r["simulation_s"] for r in runs) / len(runs)


def _hand_written_row(suite, model, duration, key, variant, run, seed):
    """A run of ``brian2_reference.py`` (`variant`: label and options) in the build folder
    of `key`; `run` completes the label (its cold build, or a re-run)."""
    label, options = variant
    return _row(f"{label}{run}", duration, suite.reference(
        "brian2_reference.py", model, duration, seed=seed,
        build_dir=suite.scratch / f"brian2-{key}-{model}-{duration:g}", **options), seed=seed)


def _comparison(suite, model, nest_model):
    """One model at each duration: bioneuro cold and warm, hand-written Brian2, NEST, runtime.

    The warm bioneuro runs and the re-runs of the hand-written script alternate over seeds
    1..repeats, so both see the same machine state. Each seed is another random
    realisation of the network; its spike count (and with it the synaptic events that
    dominate the cost) differs by up to ~10 % between realisations, so the simulation
    target compares time per synaptic event over all seeds; the ratio of mean
    simulation times is reported beside it."""
    rows = []
    seeds = range(1, suite.args.repeats + 1)
    for duration in suite.args.duration:
        tag = f"{model}-{duration:g}"
        cache = Path(suite.args.cache_dir) if suite.args.cache_dir else \
            suite.scratch / f"cache-{tag}"
        cold = _row("bioneuro cpp_standalone, cold cache", duration,
                    suite.bioneuro(model, duration, cache), seed=1)
        compare = "brian2_standalone" not in suite.skip
        # Brian2's example (two Synapses, constant weights; bioneuro merges its projections
        # the same way) and the network written with one Synapses per projection (a shared
        # weight each), to show what merging saves
        variants = {"example": ("hand-written Brian2", {}),
                    "projections": ("hand-written Brian2, one Synapses per projection",
                                    {"projections": True})} if compare else {}
        warm, others = [], []
        brian2 = {key: [_hand_written_row(suite, model, duration, key, variant,
                                          " cpp_standalone", 1)]  # the cold build
                  for key, variant in variants.items()}
        for seed in seeds:
            warm.append(_row("bioneuro cpp_standalone, warm cache", duration,
                             suite.bioneuro(model, duration, cache, seed=seed), seed=seed))
            for key, variant in variants.items():
                brian2[key].append(_hand_written_row(suite, model, duration, key, variant,
                                                     ", re-run in its build dir", seed))
        nest = {}
        if "nest" not in suite.skip:
            nest = _row(f"NEST {_nest_version(suite)} {nest_model}", duration,
                        suite.nest(model, duration), seed=1)
            others.append(nest)
        if "runtime" not in suite.skip:
            others.append(_row("hand-written Brian2 runtime (numpy)", duration,
                               suite.reference("brian2_reference.py", model, duration,
                                               device="runtime"), seed=1))
        rows += [cold, *warm, *[row for runs in brian2.values() for row in runs], *others]
        if "total_s" in nest and model == "cuba":
            best_warm = min(r["total_s"] for r in warm)
            suite.check(f"cuba {duration:g} s: bioneuro warm total / NEST total",
                        best_warm / nest["total_s"], "< 1", best_warm < nest["total_s"])
        span = f"seeds 1-{seeds[-1]}" if len(seeds) > 1 else "seed 1"
        for key, what, target in (
                ("example", "hand-written Brian2 (the example)", True),
                ("projections", "hand-written Brian2, one Synapses per projection", False)):
            reruns = [r for r in brian2.get(key, [])[1:] if "simulation_s" in r]
            if not reruns:
                continue
            ratio = _per_event(warm) / _per_event(reruns)
            suite.check(f"{model} {duration:g} s: bioneuro / {what}: simulation time per "
                        f"synaptic event ({span}, alternating)", ratio,
                        "<= 1.05" if target else "- (information)",
                        ratio <= 1.05 if target else True)
            suite.check(f"{model} {duration:g} s: same, mean simulation time (different "
                        f"realisations; information)", _mean_simulation(warm) /
                        _mean_simulation(reruns), "-", True)
    return rows


def _nest_version(suite):
    if suite.nest_missing:
        return "3"
    from importlib.metadata import version
    return version("nest-simulator")


@family("cuba", RUN_COLUMNS)
def cuba(suite):
    """CUBA (Brette et al. 2007, benchmark 1): all simulators side by side."""
    return _comparison(suite, "cuba", "iaf_psc_exp")


@family("cobahh", RUN_COLUMNS)
def cobahh(suite):
    """COBAHH (Brette et al. 2007, benchmark 3): all simulators side by side."""
    return _comparison(suite, "cobahh", "hh_cond_exp_traub")


SCALING_COLUMNS = (("run", "run", "{}"), ("neurons", "neurons", "{}"),
                   ("n_synapses", "synapses", "{}"), ("build_s", "build (s)", "{:.2f}"),
                   ("simulation_s", "simulation (s)", "{:.3f}"),
                   ("s_per_sim_s", "s per simulated s", "{:.3f}"),
                   ("ns_per_event", "ns per synaptic event", "{:.1f}"),
                   ("peak_rss_MiB", "peak RSS (MiB)", "{:.0f}"),
                   ("rate_E_Hz", "E rate (Hz)", "{:.2f}"))


@family("scaling", SCALING_COLUMNS)
def scaling(suite):
    """CUBA at 1x, 4x, 16x the neurons at fixed in-degree (80 inputs per neuron)."""
    duration = suite.args.scaling_duration
    rows = []
    for factor in (1, 4, 16):
        scale = suite.args.scale * factor
        data = suite.bioneuro("cuba", duration, suite.scratch / f"cache-scaling-{factor}",
                              scale=scale)
        run = data["runs"][0]
        rows.append(_scaling_row("bioneuro cpp_standalone, cold", duration, data,
                                 run["n_synapses"]))
        nest = suite.nest("cuba", duration, scale=scale)
        if "error" in nest:
            rows.append(_row(f"NEST {_nest_version(suite)} iaf_psc_exp", duration, nest))
            continue
        rows.append(_scaling_row(f"NEST {_nest_version(suite)} iaf_psc_exp", duration, nest,
                                 sum(nest["n_synapses"].values())))
    return rows


def _scaling_row(run, duration, data, n_synapses):
    row = _row(run, duration, data, n_synapses=n_synapses)
    row["s_per_sim_s"] = row["simulation_s"] / duration
    return row


SWEEP_COLUMNS = (("run", "run", "{}"), ("points", "points", "{}"),
                 ("builds", "builds", "{}"), ("total_s", "total (s)", "{:.2f}"),
                 ("vs_cold", "total / one cold run", "{:.2f}"),
                 ("peak_rss_MiB", "peak RSS (MiB)", "{:.0f}"),
                 ("rate_E_Hz", "mean E rate (Hz)", "{:.2f}"))


@family("sweep", SWEEP_COLUMNS)
def sweep(suite):
    """CUBA with the leak potential swept through run-time settings: one build, N runs."""
    duration = suite.args.duration[0]
    one = suite.bioneuro("cuba", duration, suite.scratch / "cache-sweep-1")
    rows = [{"run": "one cold run", "points": 1, "builds": 1, "total_s": one["process_s"],
             "vs_cold": 1.0, "peak_rss_MiB": one["peak_rss_MiB"],
             "rate_E_Hz": one["runs"][0]["rate_E_Hz"]}]
    for points in (10, 100):
        values = [f"{-49 - 2.0 * k / points} mV" for k in range(points)]
        data = suite.bioneuro("cuba", duration, suite.scratch / f"cache-sweep-{points}",
                              sweep=("E.E_L", values))
        runs = data["runs"]
        ratio = data["process_s"] / one["process_s"]
        rows.append({"run": f"{points}-point bn.sweep, one process", "points": points,
                     "builds": data["builds"],
                     "total_s": data["process_s"], "vs_cold": ratio,
                     "peak_rss_MiB": data["peak_rss_MiB"],
                     "rate_E_Hz": sum(r["rate_E_Hz"] for r in runs) / len(runs)})
        if points == 10:
            suite.check("10-point sweep total / one cold run", ratio, "< 1.5", ratio < 1.5)
    return rows


IO_COLUMNS = (("run", "data", "{}"), ("compression", "bn.save compression", "{}"),
              ("data_MB", "in memory (MB)", "{:.1f}"),
              ("file_MB", "file (MB)", "{:.1f}"), ("write_MB_s", "write (MB/s)", "{:.0f}"),
              ("read_MB_s", "bn.load (MB/s)", "{:.0f}"),
              ("lazy_read_MB_s", "bn.open_lazy + load (MB/s)", "{:.0f}"),
              ("identical", "read back identical", "{}"),
              ("peak_rss_MiB", "peak RSS (MiB)", "{:.0f}"))


@family("io", IO_COLUMNS)
def io(suite):
    """netCDF throughput for spikes and state traces (bn.save, bn.load, bn.open_lazy)."""
    rows = []
    for kind, count in (("spikes", 1e6), ("state samples", 1e7)):
        count = max(1000, round(count * suite.args.scale))
        spec = {"kind": "spikes" if kind == "spikes" else "state", "count": count,
                "neurons": 4000, "duration_s": 10.0, "compressions": ["zlib", "zstd", "none"],
                "folder": str(suite.scratch)}
        data = measure([__file__, "--worker", "io", json.dumps(spec)])
        if "error" in data:
            raise RuntimeError(f"io {kind}: {data['error']}")
        for run in data["runs"]:
            rows.append({"run": f"{count:.0e} {kind}", **run,
                         "peak_rss_MiB": data["peak_rss_MiB"]})
            suite.check(f"netCDF write, {count:.0e} {kind}, {run['compression']} (MB/s)",
                        run["write_MB_s"], "> 100", run["write_MB_s"] > 100)
    return rows


#: bytes per synapse of a cpp_standalone network with per-synapse weights and delays:
#: pre/post indices (int32, 2 x 4), weight and delay (float64, 2 x 8), the spike queue's
#: copy of index and delay, std::vector growth. Measured: the binary of the microcircuit at
#: N, K x 0.1 (2.99e6 synapses) peaked at 113 MiB (``ru_maxrss``), 37-40 bytes per synapse
#: including its neuron arrays; full scale: ~12 GB for 2.99e8 synapses
BYTES_PER_SYNAPSE = 40
#: Python with Brian2 and xarray imported, the binary's neuron arrays and the spikes
BASE_MEMORY = 1e9
#: `bioneuro.regions.potjans_diesmann.POPULATIONS` (the driver does not import Brian2)
PD14_POPULATIONS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
MICROCIRCUIT_COLUMNS = (
    ("run", "run", "{}"), ("scale", "N, K x", "{:g}"), ("neurons", "neurons", "{}"),
    ("n_synapses", "synapses", "{:.3g}"), ("estimate_GB", "est. memory (GB)", "{:.1f}"),
    ("build_s", "build (s)", "{:.1f}"), ("simulation_s", "simulation (s)", "{:.2f}"),
    ("real_time_factor", "real-time factor", "{:.1f}"), ("total_s", "total (s)", "{:.1f}"),
    ("build_rss_MiB", "build peak RSS (MiB)", "{:.0f}"),
    ("peak_rss_MiB", "run peak RSS (MiB)", "{:.0f}"),
    *((f"rate_{pop}_Hz", f"{pop} (Hz)", "{:.2f}") for pop in PD14_POPULATIONS),
    ("max_rate_ratio", "max rate ratio", "{:.2f}"))


def microcircuit_memory_estimate(scale):
    """Expected synapses of the PD14 microcircuit with N and K x `scale`, and the bytes a
    cpp_standalone run needs (`BYTES_PER_SYNAPSE` each plus `BASE_MEMORY`)."""
    from bioneuro.experiments.cortex import microcircuit

    circuit = microcircuit(scale).circuit
    synapses = sum(p.connectivity.expected_synapse_count(
        circuit.population(p.pre).size, circuit.population(p.post).size, p.pre == p.post)
        for p in circuit.projections)
    return synapses, synapses * BYTES_PER_SYNAPSE + BASE_MEMORY


def available_memory():
    """Bytes of memory available to a new process (``MemAvailable``), or None if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def microcircuit_row(scale, duration, build, run, reference):
    """A table row from the build-only and the run process of one scale, with each
    population's rate and the largest ratio (either way) to the `reference` rates."""
    rates = run["rates"]
    ratios = [max(rates[pop] / reference[pop], reference[pop] / rates[pop])
              if rates[pop] > 0 else float("inf") for pop in PD14_POPULATIONS]
    sim = run["simulation_s"]
    return {"run": f"bioneuro cpp_standalone, N x {scale:g}", "scale": scale,
            "duration_s": duration, "neurons": run["neurons"],
            "n_synapses": run["n_synapses"], "build_s": build["build_s"],
            "simulation_s": sim, "real_time_factor": sim / duration,
            "total_s": build["process_s"] + run["process_s"],
            "build_rss_MiB": build["peak_rss_MiB"], "peak_rss_MiB": run["peak_rss_MiB"],
            **{f"rate_{pop}_Hz": rates[pop] for pop in PD14_POPULATIONS},
            "max_rate_ratio": max(ratios), "n_spikes": run["n_spikes"]}


@family("microcircuit", MICROCIRCUIT_COLUMNS)
def microcircuit(suite):
    """Potjans & Diesmann (2014) microcircuit: build, run, memory and rates vs NEST."""
    from bioneuro.regions.potjans_diesmann import FULL_SCALE_RATES

    reference = {str(pop): float(rate) for pop, rate in
                 zip(FULL_SCALE_RATES.population.values, FULL_SCALE_RATES.values, strict=True)}
    duration = suite.args.microcircuit_duration
    rows = [{"run": "NEST full scale (Potjans & Diesmann 2014; NEST example)", "scale": 1.0,
             **{f"rate_{pop}_Hz": reference[pop] for pop in PD14_POPULATIONS}}]
    for scale in suite.args.microcircuit_scales:
        synapses, estimate = microcircuit_memory_estimate(scale)
        available = available_memory()
        run = f"bioneuro cpp_standalone, N x {scale:g}"
        if available is not None and estimate > available:
            rows.append({"run": run, "scale": scale, "n_synapses": synapses,
                         "estimate_GB": estimate / 1e9, "unavailable":
                         f"needs ~{estimate / 1e9:.1f} GB, {available / 1e9:.1f} GB available"})
            continue
        spec = {"scale": scale, "duration": duration, "seed": 1, "transient": TRANSIENT_S,
                "cache": str(suite.scratch / f"cache-microcircuit-{scale:g}")}
        build = measure([__file__, "--worker", "microcircuit",
                         json.dumps({**spec, "build_only": True})])
        data = build if "error" in build else measure(
            [__file__, "--worker", "microcircuit", json.dumps({**spec, "build_only": False})])
        if "error" in data:
            rows.append({"run": run, "scale": scale, "unavailable": data["error"]})
            continue
        row = microcircuit_row(scale, duration, build, data, reference)
        row["estimate_GB"] = estimate / 1e9
        rows.append(row)
        suite.check(f"microcircuit N x {scale:g}: largest population rate ratio to NEST "
                    "full scale", row["max_rate_ratio"], "< 2", row["max_rate_ratio"] < 2)
    return rows


# ---------------------------------------------------------------------------------------
# output


def markdown_table(rows, columns):
    """Rows as a markdown table; a row with ``unavailable`` shows the reason instead."""
    lines = ["| " + " | ".join(header for _, header, _ in columns) + " |",
             "|" + "|".join("---" if k == 0 else "---:" for k in range(len(columns))) + "|"]
    for row in rows:
        cells = ["" if row.get(key) is None else fmt.format(row[key]) for key, _, fmt in columns]
        if "unavailable" in row:
            cells[0] += f" (unavailable: {row['unavailable']})"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _floats(text):
    return [float(x) for x in text.split(",") if x]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FAMILIES),
                        help=f"comma-separated families of {sorted(FAMILIES)}")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="network-size factor (1: 4000 neurons; also scales I/O counts)")
    parser.add_argument("--duration", type=_floats, default=[1.0, 10.0],
                        help="simulated seconds, comma-separated (default 1,10)")
    parser.add_argument("--scaling-duration", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=1, help="warm re-runs per comparison")
    parser.add_argument("--cache-dir", help="bioneuro build cache for cuba/cobahh "
                        "(default: a fresh one, so the first run is cold)")
    parser.add_argument("--skip", default="", help="comparison runs to leave out, "
                        "comma-separated: brian2_standalone, nest, runtime")
    parser.add_argument("--microcircuit-scales", type=_floats, default=[0.1],
                        help="N and K factors of the microcircuit family, comma-separated "
                        "(default 0.1; 1 is full scale, ~0.3 billion synapses)")
    parser.add_argument("--microcircuit-duration", type=float, default=1.2,
                        help="simulated seconds of the microcircuit (> the 0.2 s transient)")
    parser.add_argument("--json", default="benchmark.json")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.microcircuit_duration > TRANSIENT_S:
        parser.error(f"--microcircuit-duration must exceed the {TRANSIENT_S} s transient")
    if not all(0 < s <= 1 for s in args.microcircuit_scales):
        parser.error(f"--microcircuit-scales: factors in (0, 1], got {args.microcircuit_scales}")
    if args.worker:
        return WORKERS[args.worker[0]](json.loads(args.worker[1]))
    names = [n for n in args.only.split(",") if n]
    unknown = sorted(set(names) - set(FAMILIES))
    if unknown:
        parser.error(f"--only: unknown families {unknown}; known: {sorted(FAMILIES)}")

    report = {"machine": {"cpus": os.cpu_count(), "load_average_start": os.getloadavg(),
                          "python": platform.python_version(), "platform": platform.platform()},
              "args": {k: v for k, v in vars(args).items() if k != "worker"}, "families": {}}
    with tempfile.TemporaryDirectory(prefix="bioneuro-bench-") as scratch:
        suite = Suite(args, scratch)
        for name in names:
            function, columns = FAMILIES[name]
            start = time.perf_counter()
            rows = function(suite)
            report["families"][name] = {"rows": rows, "seconds": time.perf_counter() - start}
            report["checks"] = suite.checks
            Path(args.json).write_text(json.dumps(report, indent=2))  # kept if a later one fails
            print(f"\n### {name}: {function.__doc__.splitlines()[0]}\n")
            print(markdown_table(rows, columns), flush=True)
    report["machine"]["load_average_end"] = os.getloadavg()
    if suite.checks:
        print("\n### targets\n")
        print(markdown_table([{**c, "met": "yes" if c["met"] else "no"} for c in suite.checks],
                             (("target", "target", "{}"), ("measured", "measured", "{:.3g}"),
                              ("goal", "goal", "{}"), ("met", "met", "{}"))))
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(f"\n{os.cpu_count()} cores, load average {report['machine']['load_average_start'][0]:.1f}"
          f" at start; wrote {args.json}")


if __name__ == "__main__":
    main()
