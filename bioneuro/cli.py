"""The ``bioneuro`` command (also ``python -m bioneuro``).

Sub-commands: ``list``, ``run``, ``sweep``, ``characterise``, ``info``, ``plot``. Errors in
the input exit with status 2, failed builds or simulations with status 1; neither leaves an
output file behind (``sweep`` writes its finished points and exits with status 1 if some
failed).
"""

import argparse
import json
import os
import sys

import numpy as np

from bioneuro.errors import BioneuroError, SpecError

__all__ = ["main"]

CATALOGUES = ("models", "synapses", "cells", "plasticity", "regions", "protocols", "experiments")


def _first_line(obj):
    doc = getattr(obj, "description", "") or (getattr(obj, "__doc__", "") or "")
    return doc.strip().splitlines()[0] if doc.strip() else ""


def cmd_list(args):
    from bioneuro import registry

    kinds = [args.kind] if args.kind else list(CATALOGUES)
    for kind in kinds:
        entries = registry.entries(kind)
        print(f"{kind}:")
        if not entries:
            print("  (none yet)")
        width = max([22] + [len(name) + 1 for name in entries])
        for name in sorted(entries):
            entry = entries[name]
            tags = ",".join(getattr(entry, "tags", ()) or ())
            region = getattr(entry, "region", "")
            label = f"[{region}{'; ' if region and tags else ''}{tags}]" if tags or region \
                else ""
            print(f"  {name:<{width}} {label + ' ' if label else ''}{_first_line(entry)}")
    return 0


def cmd_characterise(args):
    import bioneuro as bn
    import bioneuro.models  # noqa: F401  (registers the models and cells)
    from bioneuro.analysis.characterisation import plot_characterisation
    from bioneuro.characterise import characterise
    from bioneuro.quantities import parse_quantity

    amplitudes = None
    if args.amplitudes:
        amplitudes = tuple(parse_quantity(a, "--amplitudes") for a in args.amplitudes)
        if len(args.models) > 1:
            amplitudes = {name: amplitudes for name in args.models}
    results = characterise(list(args.models), device=args.device, amplitudes=amplitudes,
                           n_amplitudes=args.n_amplitudes, seed=args.seed,
                           cache_dir=args.cache_dir)
    os.makedirs(args.output_dir, exist_ok=True)
    for label, ds in results.items():
        path = bn.save(ds, os.path.join(args.output_dir, f"characterise_{label}.nc"))
        figure = os.path.join(args.output_dir, f"characterise_{label}.{args.format}")
        plot_characterisation(ds, figure)
        rates = ", ".join(f"{r:.0f}" for r in ds["fi_rate"].values)
        print(f"{label}: f-I [{rates}] {ds['fi_rate'].attrs['units']}")
        if "psp_peak" in ds:
            for channel in ds["channel"].values:
                peak = float(ds["psp_peak"].sel(channel=channel)) * 1e3
                at = float(ds["psp_peak_time"].sel(channel=channel)) * 1e3
                print(f"  PSP {channel}: {peak:+.3f} mV at {at:.1f} ms")
        print(f"  wrote {path} and {figure}")
    return 0


def _parse_settings(items):
    import yaml

    settings = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SpecError("--set", item, "NAME=VALUE, e.g. E.tau_m='20 ms' or EE.weight=1nS")
        parsed = yaml.safe_load(value) if value.strip() else value
        settings[name.strip()] = parsed if isinstance(parsed, (int, float, dict, list)) \
            and not isinstance(parsed, bool) else value
    return settings


def summary_table(ds):
    """Per-population size, mean rate and CV of ISIs as text lines."""
    from bioneuro.analysis import population_isi_cv, population_mean_rates

    rates = population_mean_rates(ds)
    cvs = population_isi_cv(ds)
    sizes = json.loads(ds.attrs.get("populations", "{}"))
    width = max([14, *(len(pop) + 2 for pop in sizes)])
    lines = [f"{'population':<{width}}{'size':>8}{'rate (Hz)':>12}{'CV ISI':>9}"]
    for pop in sizes:
        rate = float(rates.sel(population=pop)) if pop in rates["population"] else 0.0
        cv = float(cvs.sel(population=pop)) if pop in cvs["population"] else float("nan")
        lines.append(f"{pop:<{width}}{sizes[pop]:>8}{rate:>12.2f}{cv:>9.2f}")
    return lines + plasticity_table(ds)


def plasticity_table(ds):
    """Per monitored projection and weight sample: mean weight, its change, the fractions at
    the bounds, active synapses and the postsynaptic rate since the previous sample (like a
    training log). Empty without weight monitoring."""
    from bioneuro.quantities import parse_unit, preferred_unit

    if "weight_mean" not in ds:
        return []
    times = ds["weight_time"].values
    spike_t = ds["spike_time"].values
    spike_pop = ds["population"].values[ds["spike_neuron"].values] if spike_t.size else \
        np.zeros(0, dtype=object)
    sizes = json.loads(ds.attrs.get("populations", "{}"))
    lines = []
    for proj in ds["projection"].values:
        row = ds.sel(projection=proj)
        si_unit = parse_unit(str(row["weight_units"].values))
        shown = preferred_unit(1 * si_unit)
        scale = float(parse_unit(shown) / si_unit)
        post = str(row["projection_post"].values)
        lines.append(f"plasticity of {proj} (weights in {shown}; rate of {post}):")
        lines.append(f"  {'t (s)':>8}{'mean w':>11}{'change':>11}{'at low':>8}{'at high':>8}"
                     f"{'active':>8}{'rate (Hz)':>11}")
        previous, t_prev = np.nan, 0.0
        for k, t in enumerate(times):
            mean = float(row["weight_mean"].values[k]) / scale
            window = (spike_pop == post) & (spike_t >= t_prev) & (spike_t < t)
            rate = window.sum() / (sizes.get(post, 1) * (t - t_prev)) if t > t_prev else \
                np.nan
            lines.append(f"  {t:>8.3f}{mean:>11.4g}{mean - previous:>+11.3g}"
                         f"{float(row['weight_fraction_low'].values[k]):>8.2f}"
                         f"{float(row['weight_fraction_high'].values[k]):>8.2f}"
                         f"{int(row['n_active_synapses'].values[k]):>8d}{rate:>11.2f}")
            previous, t_prev = mean, t
    return lines


def cmd_run(args):
    import bioneuro as bn
    from bioneuro.quantities import parse_quantity

    duration = parse_quantity(args.duration, "--duration", "second") if args.duration else None
    dt = parse_quantity(args.dt, "--dt", "second") if args.dt else None
    if args.threads < 1:
        raise SpecError("--threads", args.threads, "an integer >= 1")
    ds = bn.run(_experiment(args), device=args.device, duration=duration, dt=dt, seed=args.seed,
                threads=args.threads, settings=_parse_settings(args.set),
                progress=not args.quiet, cache_dir=args.cache_dir, build_only=args.build_only,
                protocols=args.protocol, resume_from=args.resume, save_state=args.save_state)
    if ds is None:
        print(f"built (not run) with {args.device}")
        return 0
    output = args.output or f"{ds.attrs['experiment_name']}.nc"
    path = bn.save(ds, output)
    timing = ", ".join(f"{k[5:]} {ds.attrs[k]:.2f} s" for k in ("time_build_s", "time_run_s")
                       if k in ds.attrs)
    print(f"{ds.attrs['experiment_name']} on {args.device} "
          f"({ds.attrs['duration_s']:g} s simulated; {timing}; "
          f"build cache {'hit' if ds.attrs['build_cache_hit'] else 'miss'})")
    for line in summary_table(ds):
        print("  " + line)
    print(f"wrote {path}")
    return 0


def cmd_export(args):
    from pathlib import Path

    if args.to == "nwb":
        from bioneuro.nwb import to_nwb

        if args.seed is not None or args.scale is not None or args.output_dir:
            raise SpecError("--seed/--scale/--output-dir", "given",
                            "options of --to sonata (an NWB export converts a result file)")
        path = to_nwb(args.source, args.output or Path(args.source).with_suffix(".nwb"))
    else:
        from bioneuro.sonata import to_sonata

        if args.output:
            raise SpecError("--output", args.output, "--output-dir for --to sonata")
        name = Path(args.source).stem
        path = to_sonata(args.source, args.output_dir or f"{name}_sonata", seed=args.seed,
                         scale=args.scale)
    print(f"wrote {path}")
    return 0


def _parse_arguments(items):
    """``--arg NAME=VALUE`` items -> ``{NAME: "VALUE"}`` (converted by the factory's
    defaults in `bioneuro.simulate.factory_arguments`)."""
    arguments = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SpecError("--arg", item, "NAME=VALUE, a keyword argument of the built-in "
                            "experiment, e.g. --arg network=ei_rnn or --arg isi=300ms")
        arguments[name.strip()] = value
    return arguments


def _experiment(args):
    """The experiment named on the command line, with its factory's ``--arg`` values."""
    from bioneuro.simulate import resolve_experiment

    return resolve_experiment(args.experiment, args.scale, _parse_arguments(args.arg))


def _parse_sweep_parameters(items):
    """``["E.tau_m=10ms,20ms", ...]`` -> ``{"E.tau_m": ["10ms", "20ms"], ...}``."""
    parameters = {}
    for item in items or ():
        name, sep, values = item.partition("=")
        if not sep or not name.strip() or not values.strip():
            raise SpecError("--param", item, "NAME=V1,V2,..., e.g. E.tau_m=10ms,20ms,30ms "
                            "or E.size=100,200")
        name = name.strip()
        parameters[name] = [_parse_settings([f"{name}={value.strip()}"])[name]
                            for value in values.split(",")]
    return parameters


def cmd_sweep(args):
    import warnings

    import bioneuro as bn
    from bioneuro.parameter_sweep import SweepWarning, sweep

    if args.threads < 1:
        raise SpecError("--threads", args.threads, "an integer >= 1")
    client = None
    if args.scheduler:
        from distributed import Client

        client = Client(args.scheduler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SweepWarning)  # failures are printed below
            ds = sweep(_experiment(args), _parse_sweep_parameters(args.param), seeds=args.seeds,
                       device=args.device, workers=args.workers, client=client,
                       output_dir=args.output_dir, cache_dir=args.cache_dir,
                       settings=_parse_settings(args.set), threads=args.threads,
                       max_memory=args.max_memory)
    finally:
        if client is not None:
            client.close()
    output = args.output or f"{ds.attrs['experiment_name']}_sweep.nc"
    path = bn.save(ds, output)
    dims = " x ".join(f"{d} ({ds.sizes[d]})" for d in
                      list(json.loads(ds.attrs["sweep_parameters"])) + ["seed"])
    print(f"sweep of {ds.attrs['experiment_name']} on {args.device}: {dims}; "
          f"{ds.attrs['sweep_completed']} of {ds.attrs['sweep_points']} points finished "
          f"({ds.attrs['sweep_resumed']} resumed), {ds.attrs['sweep_structures']} "
          f"structure(s), {ds.attrs['sweep_builds']} compiled")
    failures = json.loads(ds.attrs["sweep_failures"])
    for failure in failures:
        print(f"  failed: {failure['values']} seed {failure['seed']}: "
              f"{failure['error'].splitlines()[0]}", file=sys.stderr)
    print(f"wrote {path}")
    return 1 if failures else 0


def sweep_table(ds):
    """One line per sweep point: its values, then each population's rate or the error."""
    import itertools

    from bioneuro.analysis import population_mean_rates
    from bioneuro.parameter_sweep import sweep_dims, sweep_point

    dims = sweep_dims(ds)
    sizes = json.loads(ds.attrs.get("populations", "{}"))
    header = "".join(f"{d:>14}" for d in dims) + "".join(f"{p + ' (Hz)':>14}" for p in sizes)
    lines = [header]
    for values in itertools.product(*(ds[d].values for d in dims)):
        selection = dict(zip(dims, values, strict=True))
        row = "".join(f"{v:>14g}" if isinstance(v, float) else f"{v!s:>14}" for v in values)
        error = str(ds["error"].sel(selection).item())
        if error:
            lines.append(row + "  failed: " + error)
            continue
        rates = population_mean_rates(sweep_point(ds, **selection))
        lines.append(row + "".join(
            f"{float(rates.sel(population=p)) if p in rates['population'] else 0.0:>14.2f}"
            for p in sizes))
    return lines


def _point_selection(ds, items):
    """``--point NAME=VALUE`` options as a `sweep_point` selection (SI values)."""
    from bioneuro.parameter_sweep import sweep_dims

    dims = sweep_dims(ds)
    selection = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or name.strip() not in dims:
            raise SpecError("--point", item, "NAME=VALUE with NAME one of " + ", ".join(dims))
        try:
            selection[name.strip()] = float(value)
        except ValueError:
            raise SpecError(f"--point {name.strip()}", value, "a number (SI units, as in the "
                            "file's coordinate, e.g. 0.02 for 20 ms)") from None
    missing = [d for d in dims if d not in selection and ds.sizes[d] > 1]
    if missing:
        raise SpecError("--point", ", ".join(items or []) or "(none)", "NAME=VALUE for each "
                        "sweep dimension: " + "; ".join(
                            f"{d} in {', '.join(f'{v:g}' for v in ds[d].values)}"
                            for d in missing))
    return selection


def cmd_info(args):
    import bioneuro as bn

    ds = bn.load(args.path)
    print(f"{args.path}: {ds.attrs.get('title', '')}")
    from bioneuro.parameter_sweep import sweep_dims

    if sweep_dims(ds):
        print("points (mean rate per population):")
        for line in sweep_table(ds):
            print("  " + line)
    else:
        print("populations:")
        for line in summary_table(ds):
            print("  " + line)
    print("variables:")
    for name, var in ds.data_vars.items():
        dims = ", ".join(f"{d}={ds.sizes[d]}" for d in var.dims)
        print(f"  {name:<18} ({dims}) [{var.attrs.get('units', '?')}] "
              f"{var.attrs.get('long_name', '')}")
    print("provenance:")
    for key in sorted(ds.attrs):
        if key in ("experiment", "title"):
            continue
        value = ds.attrs[key]
        print(f"  {key:<18} {value}")
    print(f"  {'experiment':<18} {len(ds.attrs.get('experiment', ''))} characters of JSON "
          "(the full spec)")
    return 0


def cmd_plot(args):
    """Summary figure (raster, rates, CV, spectrum) of a result file, and its table."""
    from pathlib import Path

    import bioneuro as bn
    from bioneuro.analysis.plot import summary_figure

    ds = bn.load(args.path)
    output = Path(args.output or Path(args.path).with_suffix(".png"))
    if output.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise SpecError("--output", str(output), "a .png, .svg or .pdf file")
    from bioneuro.parameter_sweep import sweep_dims, sweep_point

    if sweep_dims(ds):  # one point of a sweep, chosen with --point
        ds = sweep_point(ds, **_point_selection(ds, args.point))
    elif args.point:
        raise SpecError("--point", args.point[0], "nothing: the file is a single run, not a "
                        "sweep")
    summary_figure(ds, output, bin_size=args.bin_size)
    for line in summary_table(ds):
        print("  " + line)
    print(f"wrote {output}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="bioneuro", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_list = sub.add_parser("list", help="list models, cells, regions, experiments, ...")
    p_list.add_argument("kind", nargs="?", choices=CATALOGUES)
    p_list.set_defaults(func=cmd_list)

    p_run = sub.add_parser("run", help="run an experiment (built-in name, region or YAML file)")
    p_run.add_argument("experiment", help="experiment name, region name or YAML file")
    p_run.add_argument("--protocol", action="append", metavar="NAME",
                       help="add a protocol block (bioneuro list protocols) or a YAML file of "
                            "blocks; set its fields with --set NAME.FIELD=VALUE, e.g. "
                            "--protocol current_step --set current_step.population=E "
                            "--set current_step.amplitude=200pA")
    p_run.add_argument("--device", default="cpp_standalone",
                       choices=["runtime", "cpp_standalone", "cuda_standalone"])
    p_run.add_argument("--duration", help="simulated time, e.g. 1s or '500 ms'")
    p_run.add_argument("--dt", help="integration step, e.g. 0.1ms")
    p_run.add_argument("--seed", type=int)
    p_run.add_argument("--scale", type=float, help="network size factor (built-ins)")
    p_run.add_argument("--threads", type=int, default=1, help="OpenMP threads (default 1)")
    p_run.add_argument("--arg", action="append", metavar="NAME=VALUE",
                       help="a keyword argument of the built-in experiment's factory, e.g. "
                            "--arg network=ei_rnn (bioneuro list experiments)")
    p_run.add_argument("--set", action="append", metavar="NAME=VALUE",
                       help="change a value, e.g. --set E.tau_m='25 ms' --set EE.weight=20pA")
    p_run.add_argument("-o", "--output", help="netCDF file to write (default NAME.nc)")
    p_run.add_argument("--build-only", action="store_true",
                       help="generate and compile only (cuda_standalone without a GPU)")
    p_run.add_argument("--cache-dir", help="build cache (default $BIONEURO_CACHE_DIR or "
                                            "~/.cache/bioneuro)")
    p_run.add_argument("-q", "--quiet", action="store_true", help="no progress report")
    p_run.add_argument("--save-state", action="store_true",
                       help="store the final state in the result file (to continue it)")
    p_run.add_argument("--resume", metavar="FILE",
                       help="continue the run saved in FILE (written with --save-state)")
    p_run.set_defaults(func=cmd_run)

    p_export = sub.add_parser("export", help="export a result file to NWB or an "
                              "experiment's circuit to SONATA")
    p_export.add_argument("source", help="result file (--to nwb) or experiment name, region "
                          "or YAML file (--to sonata)")
    p_export.add_argument("--to", required=True, choices=["nwb", "sonata"])
    p_export.add_argument("-o", "--output", help="NWB file (default: SOURCE with .nwb)")
    p_export.add_argument("--output-dir", help="SONATA folder (default: NAME_sonata)")
    p_export.add_argument("--seed", type=int, help="SONATA: seed drawing the connectivity")
    p_export.add_argument("--scale", type=float, help="SONATA: network size factor")
    p_export.set_defaults(func=cmd_export)

    p_sweep = sub.add_parser("sweep", help="run an experiment over a grid of settings and "
                             "seeds into one netCDF file")
    p_sweep.add_argument("experiment", help="experiment name, region name or YAML file")
    p_sweep.add_argument("--param", action="append", metavar="NAME=V1,V2,...", required=True,
                         help="a swept setting, e.g. --param E.tau_m=10ms,20ms,30ms "
                              "--param E.size=100,200 (one dimension each)")
    p_sweep.add_argument("--seeds", type=int, nargs="+", help="repetitions (seed dimension)")
    p_sweep.add_argument("--workers", type=int, default=1, help="local processes (default 1)")
    p_sweep.add_argument("--scheduler", metavar="ADDRESS",
                         help="run the points on this Dask scheduler (e.g. tcp://host:8786)")
    p_sweep.add_argument("--device", default="cpp_standalone",
                         choices=["runtime", "cpp_standalone", "cuda_standalone"])
    p_sweep.add_argument("--set", action="append", metavar="NAME=VALUE",
                         help="a fixed change applied to every point")
    p_sweep.add_argument("--scale", type=float, help="network size factor (built-ins)")
    p_sweep.add_argument("--arg", action="append", metavar="NAME=VALUE",
                         help="a keyword argument of the built-in experiment's factory, "
                              "e.g. --arg network=ei_rnn (bioneuro list experiments)")
    p_sweep.add_argument("--threads", type=int, default=1, help="OpenMP threads per point")
    p_sweep.add_argument("--max-memory", help="refuse sweeps recording more, e.g. 8GB "
                                              "(default half the physical memory)")
    p_sweep.add_argument("-o", "--output", help="netCDF file (default NAME_sweep.nc)")
    p_sweep.add_argument("--output-dir", help="folder of the per-point files; running the "
                                              "sweep again with it resumes")
    p_sweep.add_argument("--cache-dir", help="build cache")
    p_sweep.set_defaults(func=cmd_sweep)

    p_char = sub.add_parser("characterise", help="standard characterisation of models or "
                            "cell types (f-I curve, PSPs) into NAME.nc and a figure")
    p_char.add_argument("models", nargs="+", metavar="MODEL",
                        help="model or cell names (bioneuro list models|cells)")
    p_char.add_argument("--device", default="runtime",
                        choices=["runtime", "cpp_standalone", "cuda_standalone"])
    p_char.add_argument("--amplitudes", nargs=2, metavar=("LOW", "HIGH"),
                        help="step amplitudes, e.g. 0pA 500pA (default: the model's range)")
    p_char.add_argument("--n-amplitudes", type=int, default=11)
    p_char.add_argument("--seed", type=int, default=0)
    p_char.add_argument("--output-dir", default=".", help="where files are written")
    p_char.add_argument("--format", default="png", choices=["png", "svg", "pdf"])
    p_char.add_argument("--cache-dir", help="build cache for standalone devices")
    p_char.set_defaults(func=cmd_characterise)

    p_info = sub.add_parser("info", help="describe a result file")
    p_info.add_argument("path")
    p_info.set_defaults(func=cmd_info)

    p_plot = sub.add_parser("plot", help="draw a summary figure of a result file")
    p_plot.add_argument("path")
    p_plot.add_argument("-o", "--output", help="figure file, .png/.svg/.pdf (default "
                                               "PATH with .png)")
    p_plot.add_argument("--bin-size", type=float, default=0.005,
                        help="population-rate bin in seconds (default 0.005)")
    p_plot.add_argument("--point", action="append", metavar="NAME=VALUE",
                        help="for a sweep file: the point to draw, one per sweep dimension "
                             "(SI values as in the file, e.g. E_tau_m=0.02; a dimension of "
                             "length 1 may be left out)")
    p_plot.set_defaults(func=cmd_plot)
    return parser


def import_brian2_without_pylab():
    """Import Brian2 without the ``pylab`` namespace it copies for ``from brian2 import *``.

    Brian2's ``__init__`` runs ``from pylab import *`` when matplotlib is installed (~0.5 s:
    all of pyplot; a sixth of a warm ``bioneuro run``) and numpy's names otherwise. The
    command writes no such star import, so it takes the numpy branch; ``pylab`` and
    matplotlib import as usual afterwards. Library use (``import bioneuro``) is unchanged.
    """
    if "brian2" in sys.modules or "pylab" in sys.modules:
        return
    sys.modules["pylab"] = None  # makes ``import pylab`` raise ImportError
    try:
        import brian2  # noqa: F401
    except ImportError:
        pass  # `bioneuro info` / `plot` on results work without Brian2
    finally:
        del sys.modules["pylab"]


def main(argv=None):
    import_brian2_without_pylab()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SpecError as exc:
        print(f"bioneuro: error: {exc}", file=sys.stderr)
        return 2
    except BioneuroError as exc:
        print(f"bioneuro: error: {exc}", file=sys.stderr)
        return 1
    finally:
        # Brian2 installs a hook that writes a debug log for every uncaught exception
        if sys.excepthook is not sys.__excepthook__:
            sys.excepthook = sys.__excepthook__


if __name__ == "__main__":
    sys.exit(main())
