"""A small plastic circuit for the checkpoint tests: one deterministic and one noisy part.

``det``: 20 LIF neurons driven by constant currents (phases from heterogeneous initial
voltages) project with additive STDP onto 10 LIF neurons through a fixed in-degree of 8;
nothing after the connectivity draws a random number, so a continued run can reproduce an
uninterrupted one exactly. ``noisy``: 40 Poisson sources at 20 Hz onto 5 LIF neurons with
the same rule; their spikes come from the generator, which a continued run reseeds.
``kick``: a spike-train protocol (a Brian2 ``SpikeGeneratorGroup``) onto the targets.
"""

from bioneuro.models.lif import lif_curr_exp
from bioneuro.models.plasticity import stdp
from bioneuro.models.spike_sources import poisson_source
from bioneuro.protocols import Drive, RegularSpikes
from brian2.units import Hz, ms, mV, pA

import bioneuro as bn

RULE = stdp(100 * pA, A_plus=0.01, A_minus=0.0105, name="resume_stdp")


def resume_experiment(duration, delay=0 * ms, state=True, kick_stop=None):
    """The circuit for `duration`; a regular 25 Hz 'kick' train (a spike generator, one
    spike per target neuron) drives the deterministic targets until `kick_stop` (default:
    the end of the run), so a continued run must skip the generator's past spikes."""
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
    kick = RegularSpikes("kick", 10, 25 * Hz, start=0 * ms,
                         stop=duration if kick_stop is None else kick_stop,
                         drive=Drive("target", "e", 60 * pA, "one_to_one"))
    return bn.Experiment("resume_probe", bn.Circuit("resume_probe", pops, projs),
                         protocol=(kick,), recording=recording, duration=duration,
                         dt=0.1 * ms, seed=11)
