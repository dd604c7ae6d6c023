"""Brian2's own CUBA example (Brette et al. 2007, benchmark 1), hand-written, as a reference.

The network of Brian2's ``examples/CUBA.py`` run in cpp_standalone mode, without bioneuro.
The benchmark script times it against bioneuro and the tests compare their rates.

Usage: ``python scripts/brian2_cuba_reference.py [--duration 1.0] [--seed 1] [--out FILE.json]
[--build-dir DIR] [--device cpp_standalone|runtime]``; prints a JSON summary (rates, timings).
"""

import argparse
import json
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=1.0, help="simulated seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build-dir", default="brian2_cuba_reference")
    parser.add_argument("--device", default="cpp_standalone",
                        choices=["cpp_standalone", "runtime"])
    parser.add_argument("--out", help="also write the summary to this JSON file")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    import brian2 as b2
    from brian2 import ms, mV, second

    if args.device == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=args.build_dir)
    else:
        b2.prefs.codegen.target = "numpy"
    b2.seed(args.seed)

    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    P = b2.NeuronGroup(4000, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                       method="exact")
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV  # excitatory synaptic weight (voltage)
    wi = (-20 * 4.5 / 10) * mV  # inhibitory synaptic weight
    Ce = b2.Synapses(P, P, on_pre="ge += we")
    Ci = b2.Synapses(P, P, on_pre="gi += wi")
    Ce.connect("i<3200", p=0.02)
    Ci.connect("i>=3200", p=0.02)
    s_mon = b2.SpikeMonitor(P)
    b2.run(args.duration * second)
    total = time.perf_counter() - start

    i = s_mon.i[:]
    summary = {
        "rate_E_Hz": float((i < 3200).sum() / 3200 / args.duration),
        "rate_I_Hz": float((i >= 3200).sum() / 800 / args.duration),
        "n_spikes": int(len(i)),
        "total_s": total,
    }
    if args.device == "cpp_standalone":
        summary["simulation_s"] = float(b2.device._last_run_time)
        compile_times = b2.device.timers.get("compile", {})
        summary["make_s"] = float(compile_times.get("make", 0.0))
    if args.out:
        with open(args.out, "w") as handle:
            json.dump(summary, handle)
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
