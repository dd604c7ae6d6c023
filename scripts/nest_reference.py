"""The CUBA and COBAHH benchmark networks written directly in NEST 3, as a reference.

The networks of Brette et al. (2007), benchmarks 1 and 3 (doi:10.1007/s10827-007-0038-6),
with the neuron and synapse models and parameters of bioneuro's ``cuba`` and ``cobahh``
experiments (``regions/balanced_networks.py``), built with NEST's own models:

- ``cuba``: ``iaf_psc_exp`` (C_m 200 pF, tau_m 20 ms, E_L -49 mV, V_th -50 mV, V_reset
  -60 mV, t_ref 5 ms, tau_syn 5/10 ms), current jumps of 16.2 pA (E) and -90 pA (I), as
  NEST's ``brunel_exp_multisynapse`` / Brette et al. CUBA examples; V_m uniform in
  [-60, -50] mV.
- ``cobahh``: ``hh_cond_exp_traub`` (Traub & Miles kinetics, 20000 um^2: C_m 200 pF, g_L 10 nS,
  g_Na 20 uS, g_K 6 uS, E_L -60, E_Na 50, E_K -90, V_T -63 mV, t_ref 3 ms), conductance jumps
  of 6 nS (E) and 67 nS (I, negative weight in NEST), E_ex 0 mV, E_in -80 mV, tau_syn 5/10 ms;
  V_m ~ N(-65, 5) mV, m = n = 0, h = 1; initial g_ex ~ N(40, 15) nS and g_in ~ N(200, 120) nS
  (truncated at 0) are delivered by one input spike at t = 0.1 ms, since NEST does not expose
  them as settable state.

Connectivity: every pair independently with probability ``0.02 / scale`` (NEST
``pairwise_bernoulli``, autapses allowed, as Brian2's ``connect(p=...)``), so the in-degree stays
64 excitatory + 16 inhibitory at every scale. NEST's minimum delay is one step (0.1 ms):
Brian2's zero-delay spike also first changes the membrane at the next step.

Differences that remain: NEST integrates ``hh_cond_exp_traub`` with an adaptive
Runge-Kutta-Fehlberg (GSL) solver and detects a spike at the peak of the action potential
(V_m >= V_T + 30 mV and falling), bioneuro with exponential Euler and an upward crossing of
-20 mV. One thread (``local_num_threads`` 1).

Usage: ``python scripts/nest_reference.py [--model cuba|cobahh] [--scale 1] [--duration 1]
[--seed 1]``; prints a JSON summary: build (network construction) and simulation seconds,
rates, spike and synapse counts.
"""

import argparse
import json
import os
import time

N_EXC, N_INH, P_CONNECT = 3200, 800, 0.02

MODELS = {
    "cuba": {
        "neuron": "iaf_psc_exp",
        "params": {"C_m": 200.0, "tau_m": 20.0, "E_L": -49.0, "V_th": -50.0,
                   "V_reset": -60.0, "t_ref": 5.0, "tau_syn_ex": 5.0, "tau_syn_in": 10.0,
                   "I_e": 0.0},
        "weights": {"E": 16.2, "I": -90.0},  # pA
    },
    "cobahh": {
        "neuron": "hh_cond_exp_traub",
        "params": {"C_m": 200.0, "g_L": 10.0, "g_Na": 20000.0, "g_K": 6000.0, "E_L": -60.0,
                   "E_Na": 50.0, "E_K": -90.0, "V_T": -63.0, "E_ex": 0.0, "E_in": -80.0,
                   "tau_syn_ex": 5.0, "tau_syn_in": 10.0, "t_ref": 3.0, "I_e": 0.0},
        "weights": {"E": 6.0, "I": -67.0},  # nS
    },
}


def _initialise(nest, model, neurons):
    if model == "cuba":
        neurons.set({"V_m": nest.random.uniform(-60.0, -50.0)})
        return
    neurons.set({"V_m": nest.random.normal(-65.0, 5.0), "Act_m": 0.0, "Act_n": 0.0,
                 "Inact_h": 1.0})
    # hh_cond_exp_traub does not expose g_ex/g_in as settable state: the initial
    # conductances arrive as one input spike at the first step, with weights drawn from the
    # same normal distributions (truncated at 0 nS; a negative NEST weight means inhibitory)
    kick = nest.Create("spike_generator", params={"spike_times": [0.1]})
    for sign, mean, std in ((1.0, 40.0, 15.0), (-1.0, 200.0, 120.0)):
        weight = nest.math.redraw(nest.random.normal(mean, std), min=0.0, max=1e9)
        nest.Connect(kick, neurons, "all_to_all",
                     {"synapse_model": "static_synapse", "weight": sign * weight,
                      "delay": 0.1})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="cuba", choices=sorted(MODELS))
    parser.add_argument("--scale", type=float, default=1.0, help="network-size factor")
    parser.add_argument("--duration", type=float, default=1.0, help="simulated seconds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    os.environ.setdefault("PYNEST_QUIET", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread, as the Brian2 runs
    import nest

    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": 1, "rng_seed": args.seed,
                          "print_time": False})
    spec = MODELS[args.model]
    n_exc, n_inh = max(1, round(N_EXC * args.scale)), max(1, round(N_INH * args.scale))
    p = min(1.0, P_CONNECT / args.scale)

    built_from = time.perf_counter()
    pops = {"E": nest.Create(spec["neuron"], n_exc, params=spec["params"]),
            "I": nest.Create(spec["neuron"], n_inh, params=spec["params"])}
    both = pops["E"] + pops["I"]
    _initialise(nest, args.model, both)
    for pre in ("E", "I"):
        nest.Connect(pops[pre], both, {"rule": "pairwise_bernoulli", "p": p},
                     {"synapse_model": "static_synapse", "weight": spec["weights"][pre],
                      "delay": 0.1})
    recorder = nest.Create("spike_recorder")
    nest.Connect(both, recorder)
    nest.Prepare()  # allocates buffers; part of network construction
    built_at = time.perf_counter()
    nest.Run(args.duration * 1000.0)
    simulated_at = time.perf_counter()
    nest.Cleanup()

    senders = recorder.get("events")["senders"]
    first_inh = pops["I"][0].global_id
    n_spikes_e = int((senders < first_inh).sum())
    summary = {
        "model": args.model, "n_neurons": n_exc + n_inh, "n_E": n_exc, "n_I": n_inh,
        "rate_E_Hz": n_spikes_e / n_exc / args.duration,
        "rate_I_Hz": (len(senders) - n_spikes_e) / n_inh / args.duration,
        "n_spikes_E": n_spikes_e, "n_spikes_I": int(len(senders) - n_spikes_e),
        "n_synapses": {pre: len(nest.GetConnections(pops[pre], both)) for pre in ("E", "I")},
        "build_s": built_at - built_from,
        "simulation_s": simulated_at - built_at,
        "total_s": time.perf_counter() - start,
        "nest_version": nest.__version__,
    }
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
