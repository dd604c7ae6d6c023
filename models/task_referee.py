"""Closed-loop decision and reward as neuron and synapse models (compiled with the network).

Reinforcement-learning tasks need an environment that reads the network's choice and
returns a reward within the same simulation. Here the environment is itself a one-neuron
population, a *referee*, whose threshold fires once per trial at the end of the decision
window and whose subexpressions compute the outcome from variables that synapses write
into it. Everything is Brian2 equations, thresholds, resets and synapse statements, so the
loop runs inside compiled standalone code (no Python ``network_operation``).

Trials last ``period``; the decision window is ``[k period, k period + window)`` and the
referee fires at ``k period + window``. Synapses act in the time step of the referee's
spike *before* its reset (Brian2's schedule: thresholds, synapses, resets), so the outcome
they deliver is the referee's subexpression evaluated on the trial's counts; the reset then
stores it in a state variable (recorded per trial) and clears the counts.

- ``trial_poisson_source``: Poisson spikes of rate ``rate`` during each decision window.
- ``choice_referee``: counts the spikes of two action populations (``count_a``,
  ``count_b`` channels, driven by `gated_count` synapses) and chooses the action with more
  spikes (a tie is broken at random); the outcome is 1 if the choice is the rewarded action
  (action A before ``t_reversal``, B from then on), or, with ``shuffle = 1``, a coin flip
  independent of the choice (the shuffled-reward control).
- ``gated_count``: adds ``w`` to a count of the referee for each spike inside the window.
- ``reward_gate``: on a referee spike adds ``w (outcome - baseline)`` to the target (a
  dopamine pulse after a rewarded choice, a dip of ``w baseline`` after an unrewarded one;
  ``baseline = 0``: pulses only).
- ``bandit_agent``: a two-armed bandit and the TD error of an actor-critic. It reads the
  critic's value ``V`` and the actor's action preferences ``h_a``, ``h_b`` (summed
  variables, `read_value` synapses), chooses B with the softmax probability
  ``pi_b = 1/(1 + exp(-(h_b - h_a)/temperature))``, is rewarded (``reward_size``) with
  probability ``p_a`` or ``p_b`` and computes the TD error ``delta = r - V`` (each trial is
  an episode whose next state is terminal: ``gamma V(terminal) = 0``).
- ``state_unit``: a state representation ``x`` (a constant, 1 by default).
- ``td_learner``: a critic or actor unit whose ``value`` is the summed weighted input of a
  `bioneuro.models.plasticity.td` projection; it fires one step after the agent delivers
  the TD error (``td_critic_signal``/``td_actor_signal`` synapses), which applies the
  weight update of its plastic input synapses (their ``on_post``).

Random numbers are drawn in the referee's reset for the next trial (a subexpression may
not call ``rand()``), so the outcome of a trial is fixed by the state before it.
"""

from bioneuro.models.plasticity.reward import FREMAUX_2016
from bioneuro.models.plasticity.td import FREMAUX_2013
from brian2.units import Hz, ms, second

from bioneuro.registry import register
from bioneuro.spec import NeuronModel, Parameter, Reference, SynapseModel

__all__ = ["trial_poisson_source", "choice_referee", "gated_count", "reward_gate",
           "bandit_agent", "state_unit", "td_learner", "read_value", "td_critic_signal",
           "td_actor_signal"]

_SUTTON_BARTO = Reference("Sutton & Barto (2018) Reinforcement Learning: An Introduction, "
                          "2nd ed., MIT Press, sections 2.8 and 13.5 (gradient bandit, "
                          "one-step actor-critic)", "")

#: trial timing parameters shared by the sources and referees
_TIMING = {
    "period": Parameter("ms", 500 * ms, "trial period", low="0.01 ms", shared=True),
    "window": Parameter("ms", 100 * ms, "decision window at the start of each trial",
                        low="0.01 ms", shared=True),
}


def _dimensionless(*names):
    """Declarations of dimensionless state variables (set by synapses and resets)."""
    return [f"{name} : 1" for name in names]


#: the referee fires once per trial, in the step at the end of the decision window
_DECISION = "abs(t % period - window) < 0.5*dt"
#: a time step inside the decision window (of the neuron itself, of the postsynaptic one)
_IN_WINDOW = "t % period < window - 0.5*dt"
_IN_WINDOW_POST = "t % period_post < window_post - 0.5*dt"

trial_poisson_source = register("models", "trial_poisson_source", NeuronModel(
    name="trial_poisson_source",
    equations="",
    parameters={"rate": Parameter("Hz", 20 * Hz, "firing rate in the decision window",
                                  low="0 Hz"), **_TIMING},
    threshold=f"{_IN_WINDOW} and rand() < rate*dt",
    method="euler",
    voltage="",
    description="Spike source: Poisson spikes of rate `rate` during the decision window "
                "of each trial.",
    tags=("source", "task"),
))

choice_referee = register("models", "choice_referee", NeuronModel(
    name="choice_referee",
    equations="\n".join(_dimensionless("n_a", "n_b", "tie", "lottery", "choice", "rewarded") + [
        "chose_b = int(n_b > n_a) + int(n_b == n_a)*int(tie < 0.5) : 1",
        "rewarded_action = int(t >= t_reversal) : 1",
        "outcome = (1 - shuffle)*(1 - abs(chose_b - rewarded_action))"
        " + shuffle*int(lottery < 0.5) : 1",
    ]),
    parameters={
        **_TIMING,
        "t_reversal": Parameter("s", 1e9 * second, "time from which action B (not A) is "
                                "rewarded", low="0 s", shared=True),
        "shuffle": Parameter("1", 0, "1: reward a coin flip independent of the choice "
                             "(control); 0: reward the rewarded action", low=0, high=1,
                             shared=True),
    },
    threshold=_DECISION,
    reset="\n".join(["choice = chose_b", "rewarded = outcome", "n_a = 0", "n_b = 0",
                     "tie = rand()", "lottery = rand()"]),
    method="euler",
    initial={"choice": -1, "rewarded": -1,
             "tie": {"kind": "uniform", "low": 0, "high": 1},
             "lottery": {"kind": "uniform", "low": 0, "high": 1}},
    synaptic_targets={"count_a": "n_a", "count_b": "n_b"},
    voltage="",
    description="Two-action referee: chooses the action population with more spikes in "
                "the decision window and rewards the rewarded action (choice 0: A, 1: B).",
    references=(FREMAUX_2016,),
    tags=("task", "reinforcement"),
))

gated_count = register("synapses", "gated_count", SynapseModel(
    name="gated_count",
    model="w : {weight_unit}",
    on_pre=f"{{target}}_post += w*int({_IN_WINDOW_POST})",
    description="Spike counter: adds w to the referee's count for each spike in the "
                "decision window.",
    tags=("task",),
))

reward_gate = register("synapses", "reward_gate", SynapseModel(
    name="reward_gate",
    model="w : {weight_unit}",
    on_pre="{target}_post += w*(outcome_pre - baseline)",
    parameters={"baseline": Parameter("1", 0, "outcome subtracted before scaling (a dip "
                                      "of w*baseline after an unrewarded choice)",
                                      low=0, high=1, shared=True)},
    description="Reward delivery: a referee spike adds w*(outcome - baseline) to the "
                "target (dopamine).",
    references=(FREMAUX_2016,),
    tags=("task", "reinforcement"),
))

bandit_agent = register("models", "bandit_agent", NeuronModel(
    name="bandit_agent",
    equations="\n".join(_dimensionless("V", "h_a", "h_b", "u_choice", "u_reward", "choice",
                                        "reward", "delta", "prediction", "p_choose_b") + [
        "pi_b = 1/(1 + exp(-(h_b - h_a)/temperature)) : 1",
        "chose_b = int(u_choice < pi_b) : 1",
        "reward_now = reward_size*(int(u_reward < p_a)*(1 - chose_b)"
        " + int(u_reward < p_b)*chose_b) : 1",
        "delta_now = reward_now - V : 1",
    ]),
    parameters={
        **_TIMING,
        "p_a": Parameter("1", 0.8, "reward probability of action A", low=0, high=1,
                         shared=True),
        "p_b": Parameter("1", 0.2, "reward probability of action B", low=0, high=1,
                         shared=True),
        "reward_size": Parameter("1", 1.0, "reward of a rewarded trial", shared=True),
        "temperature": Parameter("1", 1.0, "softmax temperature of the policy",
                                 low=1e-6, shared=True),
    },
    threshold=_DECISION,
    reset="\n".join(["choice = chose_b", "reward = reward_now", "delta = delta_now",
                     "prediction = V", "p_choose_b = pi_b",
                     "u_choice = rand()", "u_reward = rand()"]),
    method="euler",
    initial={"choice": -1, "p_choose_b": 0.5,
             "u_choice": {"kind": "uniform", "low": 0, "high": 1},
             "u_reward": {"kind": "uniform", "low": 0, "high": 1}},
    synaptic_targets={"value": "V", "preference_a": "h_a", "preference_b": "h_b"},
    voltage="",
    description="Two-armed bandit with a softmax policy over the actor's preferences and "
                "the TD error delta = r - V of the critic (choice 0: A, 1: B).",
    references=(_SUTTON_BARTO, FREMAUX_2013),
    tags=("task", "reinforcement"),
))

state_unit = register("models", "state_unit", NeuronModel(
    name="state_unit",
    equations="",
    parameters={"x": Parameter("1", 1.0, "state representation (input of the TD synapses)")},
    method="euler",
    voltage="",
    description="State representation x of an actor-critic (a constant input).",
    tags=("source", "reinforcement"),
))

td_learner = register("models", "td_learner", NeuronModel(
    name="td_learner",
    equations="\n".join(_dimensionless("value", "td", "eligibility", "pending")),
    parameters={"action": Parameter("1", 0, "action of an actor unit (0: A, 1: B); "
                                    "ignored by a critic", low=0, high=1)},
    threshold="pending > 0.5",
    reset="pending = 0",
    method="euler",
    synaptic_targets={"value": "value", "td": "td"},
    voltage="",
    description="Critic or actor unit: value = summed weighted input; fires when a TD "
                "error arrives, applying its input synapses' updates.",
    references=(FREMAUX_2013,),
    tags=("task", "reinforcement"),
))

read_value = register("synapses", "read_value", SynapseModel(
    name="read_value",
    model="w : {weight_unit}\n{target}_post = w*value_pre : {target_unit} (summed)",
    on_pre="",
    description="Continuous read-out: the target is w times the presynaptic unit's value "
                "(summed).",
    tags=("reinforcement",),
))

td_critic_signal = register("synapses", "td_critic_signal", SynapseModel(
    name="td_critic_signal",
    model="w : {weight_unit}",
    on_pre="\n".join(["{target}_post = w*delta_now_pre", "eligibility_post = 1",
                      "pending_post = 1"]),
    description="TD error w*delta of the agent to a critic unit (postsynaptic factor 1).",
    references=(FREMAUX_2013,),
    tags=("reinforcement",),
))

td_actor_signal = register("synapses", "td_actor_signal", SynapseModel(
    name="td_actor_signal",
    model="w : {weight_unit}",
    on_pre="\n".join([
        "{target}_post = w*delta_now_pre",
        # 1[chosen] - pi(action), the gradient of log pi(choice) with respect to the
        # unit's preference: chose_b - pi_b for action B (1), its negative for A (0)
        "eligibility_post = (2*action_post - 1)*(chose_b_pre - pi_b_pre)",
        "pending_post = 1"]),
    description="TD error w*delta of the agent to an actor unit, with the policy-gradient "
                "factor 1[chosen] - pi(action).",
    references=(_SUTTON_BARTO, FREMAUX_2013),
    tags=("reinforcement",),
))
