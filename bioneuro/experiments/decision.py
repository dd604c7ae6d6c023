"""Decision making, working memory and attention in the Wang (2002) attractor network.

- ``decision_making``: trials of a two-alternative random-dot task (`DecisionTask`): during
  the stimulus epoch each neuron of ``A`` receives a Poisson train at ``mu0 (1 + c/100)``
  and each neuron of ``B`` one at ``mu0 (1 - c/100)`` (``mu0 = 40 Hz``, signed coherence
  ``c`` in percent). The choice and reaction time of every trial are read from the spikes
  by `bioneuro.analysis.decisions.decisions` (first population whose rate crosses 15 Hz).
  ``attention_gain`` multiplies the weight of the stimulus synapses onto ``A``: a
  neuromodulatory gain on one input, which biases choices towards ``A`` at zero coherence.
- ``working_memory``: the same network and trial layout with a cue (coherence 100 %: ``A``
  alone is driven, at ``2 mu0``) followed by a delay without stimulus; the cued population
  stays active through the delay (persistent activity) as long as recurrent NMDA is
  strong enough (``nmda_scale``).

Between trials a depolarising current pulse into the interneurons (``reset``) shuts off the
attractor, as in reaction-time versions of the model, so that every trial starts from the
spontaneous state.

All of these settings are run-time values: coherences (rate tables), ``attention_gain``
(a weight), ``nmda_scale`` and ``w_plus`` (weights and synapse parameters), the reset
current. Experiments with the same network scale, number of trials, trial timing and
duration therefore share one compiled binary (`bioneuro.sweep` over ``task.coherences``,
or several `bioneuro.run` calls with the same cache).
"""

from brian2.units import Hz, ms, nA

from bioneuro.errors import SpecError
from bioneuro.protocols.currents import PulseTrainCurrent
from bioneuro.protocols.stimulus import Drive, number_field
from bioneuro.protocols.tasks import DecisionTask
from bioneuro.quantities import si_value
from bioneuro.regions.decision import WANG_CONDUCTANCES, selective_size, wang2002
from bioneuro.registry import register
from bioneuro.spec import Experiment, Recording

__all__ = ["decision_making", "working_memory"]

#: amplitude of the reset pulse into each interneuron (about 2.5 times its rheobase)
RESET_CURRENT = 1 * nA


def _trials(name, coherences, n_repeats, scale, w_plus, nmda_scale, attention_gain, mu0,
            fixation, stimulus, response, reset, order_seed, dt, seed, description):
    """A `DecisionTask` on the Wang (2002) network, with a reset pulse after each trial."""
    scale = 1.0 if scale is None else scale
    circuit = wang2002(scale, w_plus=w_plus, nmda_scale=nmda_scale)
    g_ext = WANG_CONDUCTANCES["E"]["ext"]
    gain = number_field(attention_gain, f"{name}.attention_gain", low=0)
    task = DecisionTask("task", coherences, n_repeats, pool_size=selective_size(scale),
                        mu0=mu0, fixation=fixation, stimulus=stimulus, response=response,
                        inter_trial=reset, order="shuffled", order_seed=order_seed,
                        pool_a=Drive("A", "ampa", g_ext * gain, "one_to_one"),
                        pool_b=Drive("B", "ampa", g_ext, "one_to_one"))
    period = task.fixation + task.stimulus + task.response + task.inter_trial
    n_trials = len(task.trial_conditions())
    if si_value(task.inter_trial) <= 0:
        raise SpecError(f"{name}.reset", 0, "a reset pulse > 0 ms between trials")
    pulse = PulseTrainCurrent("reset", "I", RESET_CURRENT, 1 / period, task.inter_trial,
                              n_trials, start=period - task.inter_trial)
    return Experiment(name, circuit, (task, pulse), Recording(spikes=("A", "B")),
                      duration=n_trials * period, dt=dt, seed=seed, description=description)


def decision_making(coherences=(0.0, 12.8, 51.2), n_repeats=10, scale=None, w_plus=1.7,
                    attention_gain=1.0, nmda_scale=1.0, mu0=40 * Hz, fixation=200 * ms,
                    stimulus=1000 * ms, response=500 * ms, reset=300 * ms, order_seed=0,
                    dt=0.1 * ms, seed=1):
    """Two-alternative forced choice at several coherences (Wang 2002, Figs. 2-3).

    Parameters
    ----------
    coherences : sequence of float
        Signed coherences (percent; positive favours ``A``), one condition each.
    n_repeats : int
        Trials per coherence (shuffled order, `order_seed`).
    scale : float, optional
        Network-size factor (default 1: 1600 + 400 neurons).
    w_plus, nmda_scale : float
        See `bioneuro.regions.decision.wang2002`.
    attention_gain : float
        Gain on the stimulus synapses onto ``A`` (1: no attention).
    mu0 : Quantity
        Stimulus rate at zero coherence (per neuron).
    fixation, stimulus, response, reset : Quantity
        Trial epochs: spontaneous activity, stimulus, post-stimulus (the choice is held),
        and the reset pulse into the interneurons.
    order_seed : int
    dt : Quantity
    seed : int

    Returns
    -------
    Experiment
        Spikes of ``A`` and ``B``; the trial schedule in the ``epoch_*`` variables
        (conditions ``coherence=<c>``).
    """
    return _trials("decision_making", coherences, n_repeats, scale, w_plus, nmda_scale,
                   attention_gain, mu0, fixation, stimulus, response, reset, order_seed, dt,
                   seed, "Wang (2002) decision making: choices and reaction times of an "
                        "attractor network at several coherences.")


def working_memory(n_trials=4, scale=None, nmda_scale=1.0, w_plus=1.7, mu0=40 * Hz,
                   fixation=500 * ms, cue=500 * ms, delay=2000 * ms, reset=300 * ms,
                   dt=0.1 * ms, seed=1):
    """Persistent activity of a cued population through a delay (Wang 2002; Brunel & Wang
    2001).

    Parameters
    ----------
    n_trials : int
    scale : float, optional
    nmda_scale : float
        Factor on recurrent (pyramidal-to-pyramidal) NMDA; reduce it for the control
        without persistent activity.
    w_plus : float
    mu0 : Quantity
        The cue drives ``A`` at ``2 mu0`` (coherence 100 %).
    fixation, cue, delay, reset : Quantity
        Trial epochs (``fixation``, ``stimulus`` = cue, ``response`` = delay in the schedule).
    dt : Quantity
    seed : int
    """
    return _trials("working_memory", (100.0,), n_trials, scale, w_plus, nmda_scale, 1.0, mu0,
                   fixation, cue, delay, reset, 0, dt, seed,
                   "Wang (2002) working memory: a cue to population A, then a delay with "
                   "persistent activity.")


for _factory in (decision_making, working_memory):
    register("experiments", _factory.__name__, _factory)
