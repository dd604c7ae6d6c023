"""Devices: Brian2 runtime, C++ standalone and CUDA standalone, with a build cache.

Standalone projects are cached under ``<cache>/<device>-<hash>/``, keyed by the hash of
everything that shapes the generated code (`NetworkPlan.structure`, device options, library
versions). A cached project carries ``manifest.json``, which names the binary's result files;
a cache hit therefore skips Brian2's code generation entirely and only runs the binary, with
the run-time values (parameters, initial values, distribution parameters) passed through
Brian2's ``run_args`` mechanism (``group.variable=value`` or ``=file`` on the command line)
and the seed through the ``BIONEURO_SEED`` environment variable. Builds take a file lock, so
concurrent runs of the same experiment build once; runs write to private result folders.
"""

import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock

from bioneuro.checkpoint import FINAL, state_variables
from bioneuro.compile import align_allocations, keep_result_files, make
from bioneuro.errors import BuildError, SimulationError, SpecError, UnknownNameError
from bioneuro.spec import content_hash

__all__ = ["DEVICES", "RawResults", "simulate", "default_cache_dir", "cuda_toolchain"]

DEVICES = ("runtime", "cpp_standalone", "cuda_standalone")
MANIFEST = "manifest.json"
SEED_ENV = "BIONEURO_SEED"
#: set for a run whose final state is read (the binary writes it only then)
FINAL_STATE_ENV = "BIONEURO_FINAL_STATE"

# Seeds every thread's generator from the environment at the very start of main(), so one
# binary serves every seed. Brian2's own seed() would write the seed into main.cpp.
_SEED_CODE = """
{{
    const char* _bioneuro_seed = getenv("{env}");
    unsigned long _seed = _bioneuro_seed ? strtoul(_bioneuro_seed, NULL, 10) : 0UL;
    for (int _i = 0; _i < {threads}; _i++)
        brian::_random_generators[_i].seed(_seed + _i);
}}
"""


#: environment variables of a resumed run (read by `_RESUME_CODE` and `_T_START_CODE`)
RESUME_ENV = "BIONEURO_RESUME"
RESUME_SEED_ENV = "BIONEURO_RESUME_SEED"
T_START_ENV = "BIONEURO_T_START"

# Runs after every synapse is connected: a resumed run overwrites the state with the saved
# one (``name=value`` lines, the syntax of Brian2's run_args, from the file named by the
# environment) and reseeds the generators, so its noise is not a replay of the first run's.
_RESUME_CODE = """
{{
    const char* _bioneuro_resume = getenv("{env}");
    if (_bioneuro_resume) {{
        std::ifstream _list(_bioneuro_resume);
        std::string _line;
        while (std::getline(_list, _line)) {{
            const size_t _eq = _line.find("=");
            if (_eq != std::string::npos)
                brian::set_variable_by_name(_line.substr(0, _eq), _line.substr(_eq + 1));
        }}
        const char* _resume_seed = getenv("{seed_env}");
        unsigned long _seed = _resume_seed ? strtoul(_resume_seed, NULL, 10) : 0UL;
        for (int _i = 0; _i < {threads}; _i++)
            brian::_random_generators[_i].seed(_seed + _i);
    }}
}}
"""

# Runs just before the network: a resumed run starts at the saved time. Its clocks read
# their time before the first tick (Brian2's set_interval sets only the time step), and a
# spike generator skips the spikes before that time (Brian2 would emit them all at once).
_T_START_CODE = """
{{
    const char* _bioneuro_t_start = getenv("{env}");
    if (_bioneuro_t_start) {{
        network.t = atof(_bioneuro_t_start);
        const int64_t _step = (int64_t)(network.t / {dt!r} + 0.5);
{clocks}
{generators}
    }}
}}
"""
_CLOCK_CODE = """        {name}.set_interval(network.t, network.t);
        {name}.t[0] = {name}.timestep[0] * {name}.dt[0];"""
_SKIP_SPIKES_CODE = """        {{
            int32_t _k = 0;
            while (_k < (int32_t){timebins}.size() && {timebins}[_k] < _step) _k++;
            {lastindex}[0] = _k;
        }}"""


def default_cache_dir():
    """``$BIONEURO_CACHE_DIR``, else ``~/.cache/bioneuro``."""
    env = os.environ.get("BIONEURO_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "bioneuro"


@dataclass
class RawResults:
    """Arrays read back from a run, keyed ``"object.variable"``, plus run information."""

    arrays: dict
    device: str
    timings: dict = field(default_factory=dict)
    build_dir: str = ""
    cache_hit: bool = False
    built_only: bool = False
    #: unit strings of the final-state readouts (``"final:object.variable"``)
    units: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- readouts
def _readouts(plan, built):
    """``{key: (brian Variable, n_columns or None)}`` of everything a run reports."""
    from bioneuro.plan import WATCH_VARIABLE, synapses_name

    out = {}
    for name in built.spike_monitors:
        mon = built.objects[name]
        out[f"{name}.i"] = (mon.variables["i"], None)
        out[f"{name}.t"] = (mon.variables["t"], None)
    for name, (_, record, variables) in built.state_monitors.items():
        mon = built.objects[name]
        out[f"{name}.t"] = (mon.variables["t"], None)
        for var in variables:
            out[f"{name}.{var}"] = (mon.variables[var], len(record))
    for name in built.rate_monitors:
        mon = built.objects[name]
        out[f"{name}.t"] = (mon.variables["t"], None)
        out[f"{name}.rate"] = (mon.variables["rate"], None)
    for name, (_, variables, cols) in built.weight_monitors.items():
        mon = built.objects[name]
        out[f"{name}.t"] = (mon.variables["t"], None)
        for var in variables:  # (time, bin) statistics or (time, traced synapse) weights
            out[f"{name}.{var}"] = (mon.variables[var], cols)
    traced = [synapses_name(p) for p in plan.experiment.recording.weight_synapses]
    merged = {p.name for p in plan.pathways() if p.merged}
    for name, syn in built.synapses.items():
        out[f"{name}.N"] = (syn.variables["N"], None)
        if plan.experiment.recording.connectivity or name in traced:
            out[f"{name}._synaptic_pre"] = (syn.variables["_synaptic_pre"], None)
            out[f"{name}._synaptic_post"] = (syn.variables["_synaptic_post"], None)
            out[f"{name}.w"] = (syn.variables["w"], None)
        elif name in merged:  # the synapse count of each projection (`results`)
            out[f"{name}._synaptic_post"] = (syn.variables["_synaptic_post"], None)
    for name, gplan in plan.groups.items():
        if gplan.spikes is not None:  # a SpikeGeneratorGroup: nothing to watch
            continue
        group = built.groups[name]
        out[f"{name}.{WATCH_VARIABLE}"] = (group.variables[WATCH_VARIABLE], None)
        for var in gplan.model.state_variables():
            out[f"{name}.{var}"] = (group.variables[var], None)
    for name, owner in {**built.groups, **built.synapses}.items():
        for var in state_variables(owner):
            out[f"{FINAL}{name}.{var}"] = (owner.variables[var], None)
    return out


def _final_units(readouts):
    """``{final-state key: unit string}`` of `readouts`."""
    from brian2.units.fundamentalunits import get_unit

    from bioneuro.quantities import unit_string

    return {key: unit_string(get_unit(var.dim)) for key, (var, _) in readouts.items()
            if key.startswith(FINAL)}


# --------------------------------------------------------------------------- runtime
def apply_state(objects, values):
    """Set ``{"object.variable": SI value or array}`` on Brian2 objects (runtime device)."""
    for key, value in values.items():
        obj, var = key.split(".", 1)
        owner = objects[obj]
        if var not in owner.variables:  # a scalar delay lives in the pathway
            owner = owner.pre
        variable = owner.variables[var]
        variable.set_value(np.broadcast_to(np.asarray(value, dtype=variable.dtype),
                                           (variable.size,)))


def _run_runtime(plan, progress, options, resume):
    import brian2
    from brian2.devices.device import get_device, reinit_devices, set_device

    from bioneuro.build import build_network

    if get_device().__class__.__name__ != "RuntimeDevice":
        set_device("runtime")
    reinit_devices()
    brian2.prefs.codegen.target = options.get("codegen_target", "numpy")
    brian2.seed(plan.experiment.seed)
    values = plan.run_values()

    def apply(objects):
        # set the raw (SI) values directly: Brian2's attribute access refuses synaptic
        # variables before connect(), but the shared ones must be set before the weights
        # are drawn from them
        apply_state(objects, values)

    def restore(objects):
        apply_state(objects, resume.values)
        brian2.seed(resume.seed)

    start = time.perf_counter()
    built = build_network(plan, apply, after_connect=restore if resume else None)
    if resume:
        built.network.t_ = resume.t_start
    built_at = time.perf_counter()
    built.network.run(plan.experiment.duration, namespace={},
                      report="stderr" if progress else None, report_period=10 * brian2.second)
    ran_at = time.perf_counter()
    readouts = _readouts(plan, built)
    arrays = {key: np.array(var.get_value(), copy=True) for key, (var, _) in readouts.items()}
    reinit_devices()
    return RawResults(arrays, "runtime",
                      {"build_s": built_at - start, "run_s": ran_at - built_at},
                      units=_final_units(readouts))


# --------------------------------------------------------------------------- standalone
def _versions():
    import brian2

    versions = {"python": platform.python_version(), "numpy": np.__version__,
                "brian2": brian2.__version__}
    try:
        import brian2cuda

        versions["brian2cuda"] = brian2cuda.__version__
    except ImportError:
        pass
    from bioneuro import __version__

    versions["bioneuro"] = __version__
    versions["bioneuro_code"] = _code_fingerprint()
    return versions


def _code_fingerprint():
    """Hash of the modules that generate code: editing them invalidates cached builds."""
    import hashlib

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("build.py", "plan.py", "devices.py", "compile.py", "cuda.py", "checkpoint.py",
                 "weight_statistics.py"):
        path = here / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: Brian2 preferences that change generated or compiled code (they may come from a
#: ``brian_preferences`` file, so they are part of the cache key)
_CODE_PREFS = ("codegen.cpp.extra_compile_args_gcc", "codegen.cpp.extra_link_args",
               "codegen.cpp.define_macros", "codegen.cpp.include_dirs",
               "codegen.cpp.library_dirs", "codegen.cpp.libraries",
               "codegen.cpp.headers", "core.default_float_dtype")


def _build_key(plan, device, options):
    import brian2

    prefs = {name: repr(brian2.prefs[name]) for name in _CODE_PREFS}
    # brian2cuda writes the seed into the generated code (cuRAND); C++ reads it at run time
    seed = plan.experiment.seed if device == "cuda_standalone" else None
    return content_hash({"structure": plan.structure(), "device": device, "seed": seed,
                         "options": {k: v for k, v in options.items()
                                     if k not in ("build_only", "make_jobs", "cache_dir",
                                                   "final_state")},
                         "prefs": prefs, "versions": _versions(),
                         "machine": platform.machine(), "cxx": _compiler_id()})


@functools.lru_cache(maxsize=None)
def _compiler_id():
    """First line of ``c++ --version`` (asked once per process: it is part of every key)."""
    try:
        return subprocess.run(["c++", "--version"], capture_output=True, text=True,
                              timeout=30).stdout.splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


@contextmanager
def _standalone_device(kind, options):
    """Activate a fresh standalone device; restore the runtime device afterwards."""
    import brian2
    from brian2.devices.device import get_device, reinit_devices, set_device

    reinit_devices()
    if kind == "cuda_standalone":
        from bioneuro.cuda import configure_cuda

        configure_cuda(options)
    set_device(kind, build_on_run=False)
    threads = int(options.get("threads", 1))
    brian2.prefs.devices.cpp_standalone.openmp_threads = 0 if threads <= 1 else threads
    cpp = brian2.prefs.codegen.cpp
    extra = list(options.get("extra_compile_args", ()))
    if extra:  # Brian2 drops flags the compiler rejects
        cpp.extra_compile_args_gcc = list(cpp.extra_compile_args_gcc) + extra
    headers = list(options.get("headers", ()))
    if headers:  # e.g. for user-defined C++ functions
        cpp.headers = list(cpp.headers) + headers
    try:
        yield get_device()
    finally:
        get_device().reinit()
        set_device("runtime")
        reinit_devices()


def _generate_and_compile(plan, kind, build_dir, options, values):
    """Generate the project of `plan` into `build_dir`, compile it, write the manifest."""
    import brian2

    from bioneuro.build import build_network

    timings = {}
    start = time.perf_counter()
    threads = max(1, int(options.get("threads", 1)))
    with _standalone_device(kind, options) as device:
        if kind == "cpp_standalone":
            device.insert_code("main", _SEED_CODE.format(env=SEED_ENV, threads=threads))
        else:
            brian2.seed(plan.experiment.seed)
        try:
            resume_code = _RESUME_CODE.format(env=RESUME_ENV, seed_env=RESUME_SEED_ENV,
                                              threads=threads)
            built = build_network(plan, lambda objects: device.apply_run_args(),
                                  report_progress=kind == "cpp_standalone",
                                  after_connect=lambda objects: device.insert_code(
                                      "main", resume_code) if kind == "cpp_standalone"
                                  else None)
            if kind == "cpp_standalone":
                device.code_lines["before_network_run"].append(_t_start_code(plan, built,
                                                                             device))
            built.network.run(plan.experiment.duration, namespace={})
            readouts = _readouts(plan, built)
            device.build(directory=str(build_dir), compile=False, run=False,
                         with_output=False)
            for fname, text in built.files.items():  # e.g. headers of bioneuro's functions
                (Path(build_dir) / fname).write_text(text)
        except SpecError:  # a spec the device cannot realise
            raise
        except Exception as exc:  # Brian2 raises many types while generating code
            raise BuildError(f"code generation failed: {type(exc).__name__}: {exc}",
                             build_dir) from exc
        manifest = {
            "device": kind,
            "results": {key: [device.get_array_filename(var), np.dtype(var.dtype).str, cols]
                        for key, (var, cols) in readouts.items()},
            "run_values": sorted(values),
            "units": _final_units(readouts),
        }
    if kind == "cpp_standalone":  # the binary writes only what a run reads
        files = {key: entry[0] for key, entry in manifest["results"].items()}
        keep_result_files(build_dir, [f for k, f in files.items() if not k.startswith(FINAL)],
                          on_request=[f for k, f in files.items() if k.startswith(FINAL)],
                          env=FINAL_STATE_ENV)
        align_allocations(build_dir)
    timings["codegen_s"] = time.perf_counter() - start
    timings["compile_s"] = make(build_dir, options.get("make_jobs", os.cpu_count() or 1),
                               precompile=kind == "cpp_standalone")
    tmp = Path(build_dir) / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest))
    os.replace(tmp, Path(build_dir) / MANIFEST)
    return manifest, timings


def _t_start_code(plan, built, device):
    """C++ code starting a resumed run at the time given by the environment."""
    generators = [_SKIP_SPIKES_CODE.format(
        timebins=device.get_array_name(built.groups[name].variables["_timebins"],
                                       access_data=False),
        lastindex=device.get_array_name(built.groups[name].variables["_lastindex"]))
        for name, gplan in plan.groups.items() if gplan.spikes is not None]
    clocks = set()
    pending = list(built.network.objects)
    while pending:
        obj = pending.pop()
        clocks.add(obj.clock.name)
        pending.extend(obj.contained_objects)
    return _T_START_CODE.format(env=T_START_ENV, dt=float(np.asarray(plan.experiment.dt)),
                                clocks="\n".join(_CLOCK_CODE.format(name=name)
                                                  for name in sorted(clocks)),
                                generators="\n".join(generators))


def _resume_environment(resume, manifest, folder):
    """Write a resumed run's state files and their list; return its environment."""
    lines = []
    for key, value in sorted(resume.values.items()):
        entry = manifest["results"].get(FINAL + key)
        if entry is None:  # defensive: checkpoint.resume_state checks the structure
            raise SimulationError(f"the build has no state variable {key} to resume")
        path = Path(folder) / f"resume.{key}.dat"
        np.ascontiguousarray(value, dtype=np.dtype(entry[1])).tofile(path)
        lines.append(f"{key}={path}")
    listing = Path(folder) / "resume_args.txt"
    listing.write_text("\n".join(lines) + "\n")
    return {RESUME_ENV: str(listing), RESUME_SEED_ENV: str(resume.seed),
            T_START_ENV: repr(float(resume.t_start))}


def _format_run_arg(key, value, folder):
    if np.ndim(value) == 0:
        value = float(value)
        if not np.isfinite(value):
            raise SimulationError(f"run-time value {key} = {value} is not finite")
        return f"{key}={value!r}"
    path = Path(folder) / f"{key}.dat"
    np.ascontiguousarray(value, dtype=np.float64).tofile(path)
    return f"{key}={path}"


def _print_progress(line, t_start=0.0):
    """Turn a ``bioneuro-progress t duration cpu`` line of the binary into a report."""
    try:
        t, duration, elapsed = (float(x) for x in line.split()[1:4])
    except ValueError:
        return
    t = min(max(t - t_start, 0.0), duration)  # a continued run starts at t_start
    sys.stderr.write(f"{t:.3g} s of {duration:.3g} s simulated ({100 * t / duration:.0f} %) "
                     f"in {elapsed:.1f} s CPU\n")


def _run_binary(build_dir, manifest, plan, values, options, progress, resume=None):
    """Run a compiled project with the plan's run-time values; read its result files."""
    build_dir = Path(build_dir)
    results_dir = build_dir / "runs" / uuid.uuid4().hex
    results_dir.mkdir(parents=True)
    try:
        expected = set(manifest["run_values"])
        if set(values) != expected:  # defensive: the key should make this impossible
            raise BuildError(f"run-time values {sorted(set(values) ^ expected)} do not match "
                             "the cached build", build_dir)
        args = [_format_run_arg(k, v, results_dir) for k, v in sorted(values.items())]
        env = dict(os.environ)
        env[SEED_ENV] = str(plan.experiment.seed)
        if resume is not None:
            env.update(_resume_environment(resume, manifest, results_dir))
        threads = max(1, int(options.get("threads", 1)))
        env["OMP_NUM_THREADS"] = str(threads)
        final = options.get("final_state") or resume is not None
        if final:
            env[FINAL_STATE_ENV] = "1"
        cmd = [str(build_dir / "main"), "--results_dir", str(results_dir) + os.sep] + args
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=build_dir, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=env)
        lines = []
        for line in proc.stdout:
            if line.startswith("bioneuro-progress "):
                if progress:
                    _print_progress(line, resume.t_start if resume is not None else 0.0)
                continue
            lines.append(line)
        proc.wait()
        elapsed = time.perf_counter() - start
        output = "".join(lines)
        if proc.returncode != 0 or "Cannot set unknown variable" in output or \
                "does not match expected size" in output:
            raise SimulationError(f"the compiled simulation failed (exit code "
                                  f"{proc.returncode}) in {build_dir}:\n{output[-2000:]}")
        arrays = {}
        for key, (fname, dtype, cols) in manifest["results"].items():
            if key.startswith(FINAL) and not final:
                continue
            path = results_dir / fname
            data = np.fromfile(path, dtype=np.dtype(dtype)) if path.exists() else \
                np.zeros(0, dtype=np.dtype(dtype))
            arrays[key] = data.reshape(-1, cols) if cols else data
        sim_time = None
        info = results_dir / "last_run_info.txt"
        if info.exists():
            sim_time = float(info.read_text().split()[0])
        return arrays, {"run_s": elapsed, "simulation_s": sim_time}
    finally:
        shutil.rmtree(results_dir, ignore_errors=True)


def _run_standalone(plan, kind, progress, options, cache_dir, resume):
    key = _build_key(plan, kind, options)
    cache_dir = Path(cache_dir or default_cache_dir()).absolute()  # the binary runs in it
    build_dir = cache_dir / f"{kind.split('_')[0]}-{key[:20]}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    timings = {"codegen_s": 0.0, "compile_s": 0.0}
    # drawn once: they can be large (one value per neuron); rate tables are set at run time
    values = {**plan.run_values(), **plan.table_values()}
    start = time.perf_counter()
    with FileLock(str(build_dir) + ".lock"):
        manifest_path = build_dir / MANIFEST
        cache_hit = manifest_path.exists()
        if cache_hit:
            manifest = json.loads(manifest_path.read_text())
        else:
            if build_dir.exists():  # an earlier, interrupted build
                shutil.rmtree(build_dir)
            manifest, timings = _generate_and_compile(plan, kind, build_dir, options, values)
    timings["build_s"] = time.perf_counter() - start
    if options.get("build_only"):
        return RawResults({}, kind, timings, str(build_dir), cache_hit, built_only=True)
    arrays, run_timings = _run_binary(build_dir, manifest, plan, values, options, progress,
                                      resume)
    timings.update(run_timings)
    return RawResults(arrays, kind, timings, str(build_dir), cache_hit,
                      units=manifest.get("units", {}))


def simulate(plan, device="runtime", progress=False, cache_dir=None, resume=None,
             **options):
    """Run `plan` on `device` and return its `RawResults`.

    Parameters
    ----------
    plan : NetworkPlan
    device : {"runtime", "cpp_standalone", "cuda_standalone"}
    progress : bool
        Print Brian2's progress report (to stderr).
    cache_dir : path, optional
        Build cache (default `default_cache_dir`).
    **options
        ``threads`` (OpenMP threads, default 1), ``build_only`` (generate and compile,
        do not run: CUDA on a machine without a GPU), ``extra_compile_args`` (compiler
        flags; Brian2 drops those the compiler rejects), ``headers`` (extra C++ headers,
        e.g. ``['"my_functions.h"']``), ``codegen_target`` (runtime: ``numpy`` or
        ``cython``), ``final_state`` (also read the final state of every state
        variable, readouts ``"final:object.variable"``).
    resume : bioneuro.checkpoint.ResumeState, optional
        Continue from a saved state: the same binary overwrites the state after connecting
        the synapses, reseeds its generators and starts at the saved time.
    """
    if resume is not None and device == "cuda_standalone":
        raise SpecError("resume_from", resume.source, "a run on the runtime or "
                        "cpp_standalone device (brian2cuda keeps its state on the GPU)")
    if device not in DEVICES:
        raise UnknownNameError("device", device, DEVICES)
    if device == "runtime":
        if options.get("build_only"):
            raise SpecError("build_only", True, "a standalone device (nothing is built for "
                            "the runtime device)")
        return _run_runtime(plan, progress, options, resume)
    if device == "cuda_standalone":
        options.setdefault("cache_dir", str(cache_dir or default_cache_dir()))
    return _run_standalone(plan, device, progress, options, cache_dir, resume)


def cuda_toolchain():
    """True if CUDA code can be generated and compiled here (brian2cuda and nvcc present)."""
    try:
        import brian2cuda  # noqa: F401
    except ImportError:
        return False
    return shutil.which("nvcc") is not None


