"""A small plastic circuit for the checkpoint tests: one deterministic and one noisy part.

``det``: 20 LIF neurons driven by constant currents (phases from heterogeneous initial
voltages) project with additive STDP onto 10 LIF neurons through a fixed in-degree of 8;
nothing after the connectivity draws a random number, so a continued run can reproduce an
uninterrupted one exactly. ``noisy``: 40 Poisson sources at 20 Hz onto 5 LIF neurons with
the same rule; their spikes come from the generator, which a continued run reseeds.
"""

from bioneuro.models.lif import lif_curr_exp
from bioneuro.models.plasticity import stdp
from bioneuro.models.spike_sources import poisson_source
from brian2.units import Hz, ms, mV, pA

import bioneuro as bn

RULE = stdp(100 * pA, A_plus=0.01, A_minus=0.0105, name="resume_stdp")


def resume_experiment(duration, delay=0 * ms, state=True):
    pops = [bn.Population("drive", lif_curr_exp, 20, {"I_ext": 420 * pA},
                          initial={"v": {"kind": "uniform", "low": -70 * mV,
                                         "high": -56 * mV}},
                          region="test", cell_type="driver"),
            bn.Population("target", lif_curr_exp, 10, {"I_ext": 370 * pA},
                          region="test", cell_type="target"),
            bn.Population("noise", poisson_source, 40, {"rate": 20 * Hz}, region="test",
                          cell_type="poisson"),
            bn.Population("noisy_target", lif_curr_exp, 5, {"I_ext": 300 * pA},
                          region="test", cell_type="target")]
    projs = [bn.Projection("det", "drive", "target", "e", {"kind": "fixed_indegree", "k": 8},
                           {"kind": "uniform", "low": 20 * pA, "high": 80 * pA}, delay=delay,
                           synapse=RULE),
             bn.Projection("noisy", "noise", "noisy_target", "e", "all_to_all", 50 * pA,
                           delay=delay, synapse=RULE)]
    recording = bn.Recording(connectivity=True, population_rates=("target", "noisy_target"),
                             state=(bn.StateProbe("target", ("v",), (0, 1)),)
                             if state else ())
    return bn.Experiment("resume_probe", bn.Circuit("resume_probe", pops, projs),
                         recording=recording, duration=duration, dt=0.1 * ms, seed=11)
