"""Benchmark: bioneuro against a hand-written Brian2 script on the CUBA network.

Prints a markdown table and writes JSON. Rows (Brette et al. 2007 CUBA, 4000 neurons, 1 s):

(a) bioneuro cpp_standalone, cold build cache;
(b) the equivalent hand-written Brian2 cpp_standalone script (``brian2_cuba_reference.py``);
(c) bioneuro again, warm build cache (no code generation, no compilation);
(d) a parameter sweep of N values of the leak potential through ``run_args``, one binary.

Every run is a fresh Python process (wall time includes interpreter start and imports), so
(a), (b) and (c) are measured the same way; "simulation" is the binary's own timer of the
network run (Brian2's ``last_run_info``). Simulation times are averaged over ``--repeats``
seeds for (a) and (b), so both cover equivalent random networks; mean rates are listed to
show that the runs are equivalent.

Usage: ``python scripts/benchmark_core.py [--scale 1] [--duration 1] [--repeats 3]
[--sweep 10] [--json benchmark_core.json]``
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BIONEURO_RUN = """
import json, sys, time
start = time.perf_counter()
import bioneuro as bn
from bioneuro.experiments import cuba
from brian2.units import second
scale, duration, seeds, cache, sweep = json.loads(sys.argv[1])
exp = cuba(scale=scale, duration=duration * second)
exp = exp.replace(recording=bn.Recording())          # spikes only, like the reference
rows = []
values = [f"{-49 - 0.2 * k} mV" for k in range(sweep)] if sweep else [None]
for seed in seeds:
    for value in values:
        t0 = time.perf_counter()
        settings = {"E.E_L": value, "I.E_L": value} if value else None
        ds = bn.run(exp, device="cpp_standalone", seed=seed, cache_dir=cache,
                    settings=settings)
        n = ds.spike_neuron.values
        n_exc = ds.attrs["populations"] and json.loads(ds.attrs["populations"])["E"]
        rows.append({"build_s": ds.attrs["time_build_s"],
                     "simulation_s": ds.attrs["time_simulation_s"],
                     "call_s": time.perf_counter() - t0,
                     "cache_hit": int(ds.attrs["build_cache_hit"]),
                     "rate_E_Hz": float((n < n_exc).sum() / n_exc / duration),
                     "rate_I_Hz": float((n >= n_exc).sum() / (ds.sizes["neuron"] - n_exc)
                                        / duration)})
print(json.dumps({"rows": rows, "total_s": time.perf_counter() - start}))
"""


def _bioneuro(scale, duration, seeds, cache, sweep=0):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", BIONEURO_RUN,
                          json.dumps([scale, duration, list(seeds), str(cache), sweep])],
                         capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - start
    data = json.loads(out.strip().splitlines()[-1])
    data["wall_s"] = wall
    return data


def _reference(duration, seed, build_dir):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, str(HERE / "brian2_cuba_reference.py"),
                          "--duration", str(duration), "--seed", str(seed),
                          "--build-dir", str(build_dir)],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    data["wall_s"] = time.perf_counter() - start
    return data


def _mean(values):
    values = list(values)
    return sum(values) / len(values)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="network size factor for bioneuro (the reference is 4000)")
    parser.add_argument("--duration", type=float, default=1.0, help="simulated seconds")
    parser.add_argument("--repeats", type=int, default=3, help="seeds averaged for (a), (b)")
    parser.add_argument("--sweep", type=int, default=10, help="values in sweep (d)")
    parser.add_argument("--json", default="benchmark_core.json")
    args = parser.parse_args(argv)
    seeds = list(range(1, args.repeats + 1))

    with tempfile.TemporaryDirectory(prefix="bioneuro-bench-") as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        # (a) cold: first seed builds; further seeds re-use the binary (sim time averaged)
        cold = _bioneuro(args.scale, args.duration, [seeds[0]], cache)
        cold_more = _bioneuro(args.scale, args.duration, seeds[1:], cache) if seeds[1:] \
            else {"rows": []}
        # (c) warm: an unchanged experiment again, in a new process
        warm = _bioneuro(args.scale, args.duration, [seeds[0]], cache)
        # (d) sweep through run_args (one process, one binary)
        sweep = _bioneuro(args.scale, args.duration, [seeds[0]], cache, sweep=args.sweep)
        # (b) hand-written Brian2: first run compiles, later seeds re-use the build dir
        reference = [_reference(args.duration, s, tmp / "brian2_cuba") for s in seeds]

    a_rows = cold["rows"] + cold_more["rows"]
    rows = {
        "(a) bioneuro cold": {
            "build_s": cold["rows"][0]["build_s"], "total_s": cold["wall_s"],
            "simulation_s": _mean(r["simulation_s"] for r in a_rows),
            "rate_E_Hz": _mean(r["rate_E_Hz"] for r in a_rows),
            "rate_I_Hz": _mean(r["rate_I_Hz"] for r in a_rows)},
        "(b) hand-written Brian2": {
            "build_s": reference[0]["total_s"] - reference[0]["simulation_s"],
            "total_s": reference[0]["wall_s"],
            "simulation_s": _mean(r["simulation_s"] for r in reference),
            "rate_E_Hz": _mean(r["rate_E_Hz"] for r in reference),
            "rate_I_Hz": _mean(r["rate_I_Hz"] for r in reference)},
        "(c) bioneuro warm cache": {
            "build_s": warm["rows"][0]["build_s"], "total_s": warm["wall_s"],
            "simulation_s": warm["rows"][0]["simulation_s"],
            "rate_E_Hz": warm["rows"][0]["rate_E_Hz"], "rate_I_Hz": warm["rows"][0]["rate_I_Hz"]},
        f"(d) sweep, {args.sweep} values": {
            "build_s": sum(r["build_s"] for r in sweep["rows"]), "total_s": sweep["wall_s"],
            "simulation_s": sum(r["simulation_s"] for r in sweep["rows"]),
            "rate_E_Hz": _mean(r["rate_E_Hz"] for r in sweep["rows"]),
            "rate_I_Hz": _mean(r["rate_I_Hz"] for r in sweep["rows"]),
            "builds": sum(1 - r["cache_hit"] for r in sweep["rows"])},
    }
    a, b = rows["(a) bioneuro cold"], rows["(b) hand-written Brian2"]
    c, d = rows["(c) bioneuro warm cache"], rows[f"(d) sweep, {args.sweep} values"]
    ratios = {
        "(a)/(b) simulation (target <= 1.05)": a["simulation_s"] / b["simulation_s"],
        "(a)/(b) total": a["total_s"] / b["total_s"],
        "(c)/(a) total (target <= 0.20)": c["total_s"] / a["total_s"],
        "(d)/(a) total (target <= 1.5)": d["total_s"] / a["total_s"],
    }

    print(f"CUBA, scale {args.scale} ({round(4000 * args.scale)} neurons), "
          f"{args.duration:g} s simulated, {args.repeats} seed(s), {os.cpu_count()} cores\n")
    print("| run | build (s) | simulation (s) | total wall (s) | E rate (Hz) | I rate (Hz) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        print(f"| {name} | {row['build_s']:.2f} | {row['simulation_s']:.3f} | "
              f"{row['total_s']:.2f} | {row['rate_E_Hz']:.2f} | {row['rate_I_Hz']:.2f} |")
    print("\n| ratio | value |\n|---|---:|")
    for name, value in ratios.items():
        print(f"| {name} | {value:.3f} |")
    print(f"\nsweep (d) compiled {d['builds']} time(s) for {args.sweep} values")
    Path(args.json).write_text(json.dumps({"rows": rows, "ratios": ratios,
                                           "args": vars(args)}, indent=2))
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
