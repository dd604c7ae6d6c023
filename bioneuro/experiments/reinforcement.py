"""Reinforcement learning in closed loop: reward-modulated STDP and a TD actor-critic.

The environment of each task is a one-neuron referee population (`bioneuro.models.task_referee`)
that reads the network's choice and returns the reward inside the simulation, so the whole
loop compiles to standalone code. The referee stores the choice and the outcome of every
trial in state variables; the recording samples them once per trial (see `trial_outcomes`).

- ``two_action_choice``: a Poisson stimulus population projects with dopamine-modulated
  STDP (``da_stdp``, Izhikevich 2007) onto two action populations of LIF neurons that
  inhibit each other. In each trial the stimulus fires for the decision window; the action
  population with more spikes is the choice; a rewarded choice is followed by a dopamine
  pulse to both action populations (and, with ``reward_baseline > 0``, an unrewarded choice
  by a dip). Action A is rewarded until the reversal, action B after it. The eligibility
  traces of the synapses onto the chosen (more active) population are the largest, so the
  reward strengthens its synapses and its choice becomes more likely (Fremaux & Gerstner
  2016). Setting ``referee.shuffle`` to 1 (a run-time value) makes the reward a coin flip
  independent of the choice: the shuffled-reward control.
- ``actor_critic``: a two-armed bandit (reward probabilities 0.8 and 0.2) learned by a
  TD(0) actor-critic: a critic unit's value ``V`` and two actor units' preferences are
  weighted sums of a state unit; the TD error ``delta = r - V`` of each trial is the third
  factor of both the critic's synapse and the actor's synapses
  (`bioneuro.models.plasticity.td`). The critic's value converges to the expected reward
  of the policy, ``p r`` for the arm it ends up choosing.
"""

from brian2.units import Hz, ms, pA, second, uM

from bioneuro.errors import SpecError
from bioneuro.models.lif import lif_curr_exp
from bioneuro.models.plasticity.reward import FREMAUX_2016, reward_stdp
from bioneuro.models.plasticity.signals import IZHIKEVICH_2007, dopamine_signal, with_signal
from bioneuro.models.plasticity.td import FREMAUX_2013, td_rule
from bioneuro.models.task_referee import bandit_agent, choice_referee, td_learner
from bioneuro.protocols.stimulus import count_field
from bioneuro.registry import register
from bioneuro.spec import (
    Circuit,
    Experiment,
    Population,
    Projection,
    Recording,
    StateProbe,
)

__all__ = ["two_action_choice", "actor_critic", "CHOICE_RULE", "N_STIMULUS", "N_ACTION"]


#: stimulus and action population sizes of ``two_action_choice``
N_STIMULUS, N_ACTION = 50, 10
#: dopamine-modulated STDP of ``two_action_choice`` (current-based weights; eligibility
#: time constant shorter than the trial period so that trials do not share eligibility)
CHOICE_RULE = reward_stdp(w_ref=50 * pA, w_max=250 * pA, A_plus=1.0, A_minus=1.0,
                          tau_c=200 * ms, kappa=10 / (uM * second), name="da_stdp_choice")


def _trials(n_trials, scale, field):
    """`n_trials` (times `scale`, the CLI's ``--scale``), checked: an integer >= 2."""
    if scale is not None:
        n_trials = max(2, int(round(n_trials * scale)))
    return count_field(n_trials, field, low=2)


def _referee_recording(population, variables, period, spikes=()):
    # sampled at k*period: after the decision of trial k - 1 (at k*period - period + window);
    # the runs last n_trials*period + dt, so the last sample follows the last trial
    return dict(spikes=spikes, state=(StateProbe(population, variables),), state_dt=period)


def two_action_choice(n_trials=200, reversal=True, period=500 * ms, window=100 * ms,
                      stimulus_rate=20 * Hz, reward=0.5 * uM, reward_baseline=0.5,
                      inhibition=-500 * pA, dt=1 * ms, seed=1, scale=None):
    """Two-action choice learned with reward-modulated STDP, with a reversal.

    Parameters
    ----------
    n_trials : int
        Trials of `period` each (the run lasts ``n_trials * period``).
    reversal : bool
        Reward action B instead of A from trial ``n_trials // 2`` on.
    period, window : Quantity
        Trial period and decision window (stimulus on, spikes counted) at its start.
    stimulus_rate : Quantity
        Poisson rate of each of the 50 stimulus neurons in the window.
    reward : Quantity
        Dopamine increment after a rewarded choice (concentration).
    reward_baseline : float
        Outcome subtracted before scaling: after an unrewarded choice dopamine dips by
        ``reward * reward_baseline`` (0: pulses only; then no reversal can be learned,
        since nothing depresses the synapses onto the chosen action).
    inhibition : Quantity
        Weight of the mutual inhibition between the action populations (current, < 0).
    dt : Quantity
    seed : int
    scale : float, optional
        Multiplies `n_trials`.
    """
    n_trials = _trials(n_trials, scale, "two_action_choice.n_trials")
    timing = {"period": period, "window": window}
    action = with_signal(lif_curr_exp, dopamine_signal(100 * ms))
    t_reversal = (n_trials // 2) * period if reversal else 1e9 * second
    circuit = Circuit("two_action_choice", (
        Population("stimulus", "trial_poisson_source", N_STIMULUS,
                   {"rate": stimulus_rate, **timing}),
        Population("action_a", action, N_ACTION),
        Population("action_b", action, N_ACTION),
        Population("referee", choice_referee, 1, {**timing, "t_reversal": t_reversal}),
    ), (
        Projection("stimulus_a", "stimulus", "action_a", "e", "all_to_all",
                   {"kind": "uniform", "low": 100 * pA, "high": 200 * pA},
                   synapse=CHOICE_RULE),
        Projection("stimulus_b", "stimulus", "action_b", "e", "all_to_all",
                   {"kind": "uniform", "low": 100 * pA, "high": 200 * pA},
                   synapse=CHOICE_RULE),
        Projection("inhibition_ab", "action_a", "action_b", "i", "all_to_all", inhibition),
        Projection("inhibition_ba", "action_b", "action_a", "i", "all_to_all", inhibition),
        Projection("count_a", "action_a", "referee", "count_a", "all_to_all", 1,
                   synapse="gated_count"),
        Projection("count_b", "action_b", "referee", "count_b", "all_to_all", 1,
                   synapse="gated_count"),
        Projection("reward_a", "referee", "action_a", "dopamine", "all_to_all", reward,
                   synapse="reward_gate", parameters={"baseline": reward_baseline}),
        Projection("reward_b", "referee", "action_b", "dopamine", "all_to_all", reward,
                   synapse="reward_gate", parameters={"baseline": reward_baseline}),
    ), description="Two-action choice: reward-modulated STDP from a stimulus onto two "
                   "mutually inhibiting action populations; the rewarded action reverses "
                   "at mid-session.", references=(IZHIKEVICH_2007, FREMAUX_2016))
    n_syn = N_STIMULUS * N_ACTION
    names = ("stimulus_a", "stimulus_b")
    recording = Recording(**_referee_recording("referee", ("choice", "rewarded"), period,
                                               spikes=("action_a", "action_b")),
                          connectivity=True, weights_dt=period, weight_projections=names,
                          weight_synapses={name: tuple(range(n_syn)) for name in names})
    return Experiment("two_action_choice", circuit, (), recording,
                      duration=n_trials * period + dt, dt=dt,
                      seed=seed, description=circuit.description)


def actor_critic(n_trials=600, p_a=0.8, p_b=0.2, eta_critic=0.05, eta_actor=0.1,
                 period=10 * ms, dt=1 * ms, seed=1, scale=None):
    """A two-armed bandit learned by a TD(0) actor-critic.

    Parameters
    ----------
    n_trials : int
    p_a, p_b : float
        Reward probabilities of actions A and B (reward 1).
    eta_critic, eta_actor : float
        Learning rates of the critic's and the actor's synapses.
    period : Quantity
        Trial period (the decision at its middle).
    dt : Quantity
    seed : int
    scale : float, optional
        Multiplies `n_trials`.
    """
    n_trials = _trials(n_trials, scale, "actor_critic.n_trials")
    for field, p in (("p_a", p_a), ("p_b", p_b)):
        if not 0 <= p <= 1:
            raise SpecError(f"actor_critic.{field}", p, "a probability in [0, 1]")
    timing = {"period": period, "window": period / 2}
    zero = {"kind": "constant", "value": 0}
    # each unit: its plastic input from the state, its read-out by the agent, its TD signal
    units = (("critic", "value", td_rule(eta_critic, name="td_critic"), "td_critic_signal"),
             ("actor_a", "preference_a", td_rule(eta_actor, name="td_actor"),
              "td_actor_signal"),
             ("actor_b", "preference_b", td_rule(eta_actor, name="td_actor"),
              "td_actor_signal"))
    projections = []
    for unit, readout, rule, signal in units:
        projections += [
            Projection(f"state_{unit}", "state", unit, "value", "all_to_all", zero,
                       synapse=rule),
            Projection(readout, unit, "agent", readout, "all_to_all", 1, synapse="read_value"),
            Projection(f"td_{unit}", "agent", unit, "td", "all_to_all", 1, synapse=signal)]
    circuit = Circuit("actor_critic", (
        Population("state", "state_unit", 1),
        Population("critic", td_learner, 1),
        Population("actor_a", td_learner, 1, {"action": 0}),
        Population("actor_b", td_learner, 1, {"action": 1}),
        Population("agent", bandit_agent, 1, {**timing, "p_a": p_a, "p_b": p_b}),
    ), tuple(projections), description="Two-armed bandit (reward probabilities p_a, p_b) "
       "learned by a TD(0) actor-critic whose TD error is the third factor of every synapse.",
        references=(FREMAUX_2013,))
    names = ("state_critic", "state_actor_a", "state_actor_b")
    recording = Recording(**_referee_recording(
        "agent", ("choice", "reward", "delta", "prediction", "p_choose_b"), period),
        connectivity=True, weights_dt=period, weight_projections=names,
        weight_synapses={name: (0,) for name in names})
    return Experiment("actor_critic", circuit, (), recording, duration=n_trials * period + dt,
                      dt=dt, seed=seed, description=circuit.description)


for _factory in (two_action_choice, actor_critic):
    register("experiments", _factory.__name__, _factory)
