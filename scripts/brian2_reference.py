"""Brian2's own CUBA and COBAHH examples (Brette et al. 2007), hand-written, as references.

The networks of Brian2's ``examples/CUBA.py`` and ``examples/COBAHH.py`` (Brette et al.
2007, benchmarks 1 and 3, doi:10.1007/s10827-007-0038-6), written directly in Brian2 without
bioneuro, in cpp_standalone or runtime mode. ``--scale`` multiplies the 4000 neurons and
divides the connection probability 0.02, keeping the in-degree (as bioneuro's templates).
COBAHH starts from m = n = 0, h = 1 as bioneuro's ``hh_traub_cond_exp`` (the example leaves
h at 0; the difference lasts a few milliseconds). The benchmark script times these against
bioneuro, and the tests compare their rates.

``--projections`` writes the network with one ``Synapses`` object per projection (E->E,
E->I, I->E, I->I, onto the target population's subgroup) whose constant weight is one
``(shared, constant)`` variable ``w`` set before the run, instead of the examples' two
objects with the weight as a namespace constant. That is how bioneuro compiled the network
before it merged projections that differ only in their target population
(`bioneuro.plan.merge_pathways`); the benchmark times both structures to show what the
merge saves.

Usage: ``python scripts/brian2_reference.py [--model cuba|cobahh] [--scale 1] [--duration 1]
[--seed 1] [--build-dir DIR] [--device cpp_standalone|runtime] [--projections]
[--out FILE.json]``; prints a
JSON summary (rates, spike and synapse counts, timings).
"""

import argparse
import json
import time

N_EXC, N_INH, P_CONNECT = 3200, 800, 0.02

CUBA = """
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
"""

COBAHH = """
dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpha_m*(1-m)-beta_m*m : 1
dn/dt = alpha_n*(1-n)-beta_n*n : 1
dh/dt = alpha_h*(1-h)-beta_h*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
"""


def _per_projection(b2, P, n_exc, p, namespace, weight_unit):
    """One ``Synapses`` per projection, onto target subgroups, with a shared constant weight
    (``w``, set to the example's ``we`` / ``wi``; E onto ``ge``, I onto ``gi``)."""
    pops = {"E": P[:n_exc], "I": P[n_exc:]}
    synapses = {"E": [], "I": []}
    for pre, target, weight in (("E", "ge", "we"), ("I", "gi", "wi")):
        for post in ("E", "I"):
            syn = b2.Synapses(pops[pre], pops[post],
                              model=f"w : {weight_unit} (shared, constant)",
                              on_pre=f"{target} += w", namespace=namespace)
            syn.connect(p=p)
            syn.w = namespace[weight]
            synapses[pre].append(syn)
    return synapses


def _cuba(b2, n, n_exc, p, projections=False):
    from brian2 import ms, mV

    namespace = {"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "Vt": -50 * mV,
                 "Vr": -60 * mV, "El": -49 * mV,
                 "we": (60 * 0.27 / 10) * mV,    # excitatory synaptic weight (voltage)
                 "wi": (-20 * 4.5 / 10) * mV}    # inhibitory synaptic weight
    P = b2.NeuronGroup(n, CUBA, threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                       method="exact", namespace=namespace)
    P.v = "Vr + rand() * (Vt - Vr)"
    if projections:
        return P, _per_projection(b2, P, n_exc, p, namespace, "volt")
    synapses = [b2.Synapses(P, P, on_pre="ge += we", namespace=namespace),
                b2.Synapses(P, P, on_pre="gi += wi", namespace=namespace)]
    synapses[0].connect(f"i<{n_exc}", p=p)
    synapses[1].connect(f"i>={n_exc}", p=p)
    return P, {"E": synapses[:1], "I": synapses[1:]}


def _cobahh(b2, n, n_exc, p, projections=False):
    from brian2 import cm, ms, msiemens, mV, nS, siemens, ufarad, umetre

    area = 20000 * umetre ** 2
    namespace = {"Cm": (1 * ufarad * cm ** -2) * area, "gl": (5e-5 * siemens * cm ** -2) * area,
                 "El": -60 * mV, "EK": -90 * mV, "ENa": 50 * mV,
                 "g_na": (100 * msiemens * cm ** -2) * area,
                 "g_kd": (30 * msiemens * cm ** -2) * area, "VT": -63 * mV,
                 "taue": 5 * ms, "taui": 10 * ms, "Ee": 0 * mV, "Ei": -80 * mV,
                 "we": 6 * nS, "wi": 67 * nS}
    P = b2.NeuronGroup(n, COBAHH, threshold="v>-20*mV", refractory=3 * ms,
                       method="exponential_euler", namespace=namespace)
    P.v = "El + (randn() * 5 - 5)*mV"
    P.ge = "(randn() * 1.5 + 4) * 10.*nS"
    P.gi = "(randn() * 12 + 20) * 10.*nS"
    P.h = 1
    if projections:
        return P, _per_projection(b2, P, n_exc, p, namespace, "siemens")
    synapses = [b2.Synapses(P[:n_exc], P, on_pre="ge+=we", namespace=namespace),
                b2.Synapses(P[n_exc:], P, on_pre="gi+=wi", namespace=namespace)]
    for syn in synapses:
        syn.connect(p=p)
    return P, {"E": synapses[:1], "I": synapses[1:]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="cuba", choices=["cuba", "cobahh"])
    parser.add_argument("--scale", type=float, default=1.0, help="network-size factor")
    parser.add_argument("--duration", type=float, default=1.0, help="simulated seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build-dir", default="brian2_reference")
    parser.add_argument("--device", default="cpp_standalone",
                        choices=["cpp_standalone", "runtime"])
    parser.add_argument("--projections", action="store_true",
                        help="one Synapses per projection with a shared weight each, as "
                             "bioneuro builds the network")
    parser.add_argument("--out", help="also write the summary to this JSON file")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    import brian2 as b2
    from brian2 import second

    if args.device == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=args.build_dir)
    else:
        b2.prefs.codegen.target = "numpy"
    b2.seed(args.seed)
    n_exc, n_inh = max(1, round(N_EXC * args.scale)), max(1, round(N_INH * args.scale))
    p = min(1.0, P_CONNECT / args.scale)
    P, synapses = (_cuba if args.model == "cuba" else _cobahh)(b2, n_exc + n_inh, n_exc, p,
                                                              args.projections)
    s_mon = b2.SpikeMonitor(P)
    net = b2.Network(P, s_mon, *synapses["E"], *synapses["I"])
    net.run(args.duration * second)
    total = time.perf_counter() - start

    i = s_mon.i[:]
    summary = {
        "model": args.model, "n_neurons": n_exc + n_inh, "n_E": n_exc, "n_I": n_inh,
        "rate_E_Hz": float((i < n_exc).sum() / n_exc / args.duration),
        "rate_I_Hz": float((i >= n_exc).sum() / n_inh / args.duration),
        "n_spikes_E": int((i < n_exc).sum()), "n_spikes_I": int((i >= n_exc).sum()),
        "n_synapses": {pre: sum(int(syn.N[:]) for syn in synapses[pre]) for pre in ("E", "I")},
        "simulation_s": float(b2.device._last_run_time),  # the run loop (binary's timer)
        "total_s": total,
    }
    if args.out:
        with open(args.out, "w") as handle:
            json.dump(summary, handle)
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
