"""Closed-loop reinforcement learning on cpp_standalone: reward-modulated STDP choosing
between two actions (with a reversal), and a TD(0) actor-critic on a two-armed bandit.

Each experiment compiles once; its control re-uses the build with run-time values (the
referee's ``shuffle`` flag; the TD-error projections' weight 0).
"""

from math import comb

import numpy as np
import pytest
import xarray as xr
from bioneuro.analysis.reinforcement import trial_outcomes

import bioneuro as bn
from bioneuro.errors import SpecError
from bioneuro.experiments.reinforcement import (
    CHOICE_RULE,
    actor_critic,
    two_action_choice,
)
from bioneuro.registry import names

N_TRIALS, PERIOD, WINDOW, DT = 200, 0.5, 0.1, 1e-3  # two_action_choice defaults (s)
REVERSAL = N_TRIALS // 2
W_MAX = float(CHOICE_RULE.parameters["w_max"].default)  # A
W_INIT = 150e-12  # A: mean of the uniform initial weights (100-200 pA)
LEARNED_A, LEARNED_B = slice(50, REVERSAL), slice(N_TRIALS - 40, N_TRIALS)
ETA_CRITIC, ETA_ACTOR, P_A, P_B = 0.05, 0.1, 0.8, 0.2  # actor_critic defaults


def _binomial_tail(n, k, p=0.5):
    """P(X >= k) for X ~ Binomial(n, p)."""
    return sum(comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1))


# -- fast checks --------------------------------------------------------------------------

def test_experiments_are_registered_and_check_their_arguments():
    assert {"two_action_choice", "actor_critic"} <= set(names("experiments"))
    assert {"choice_referee", "bandit_agent", "td_learner"} <= set(names("models"))
    with pytest.raises(SpecError, match="two_action_choice.n_trials"):
        two_action_choice(n_trials=1)
    with pytest.raises(SpecError, match="actor_critic.p_a"):
        actor_critic(p_a=1.5)


def test_trial_outcomes_drops_the_sample_before_the_first_decision():
    ds = xr.Dataset({"choice": (("time", "recorded_neuron"), [[-1.0], [0.0], [1.0]],
                                {"units": "1"})},
                    coords={"time": ("time", [0.0, 0.5, 1.0])})
    out = trial_outcomes(ds)
    assert out.choice.values.tolist() == [0.0, 1.0]
    assert out.trial_sample_time.values.tolist() == [0.5, 1.0]
    assert out.choice.attrs["units"] == "1"
    with pytest.raises(ValueError, match="'reward' is not in the dataset"):
        trial_outcomes(ds, ["reward"])


# -- two-action choice with reward-modulated STDP -----------------------------------------

@pytest.fixture(scope="module")
def choice_runs(build_cache):
    exp = two_action_choice()
    learned = bn.run(exp, device="cpp_standalone", cache_dir=build_cache, threads=1)
    shuffled = bn.run(exp, device="cpp_standalone", cache_dir=build_cache, threads=1,
                      settings={"referee.shuffle": 1})
    return learned, shuffled


def _mean_weights(ds):
    """Mean weight (A) onto action A and onto action B at every trial boundary."""
    w, proj = ds["weight_trace"].values, ds["traced_projection"].values
    return w[:, proj == "stimulus_a"].mean(1), w[:, proj == "stimulus_b"].mean(1)


def _accuracy(choice):
    """Fractions of choices of the rewarded action: A in trials 50-99 (before the
    reversal), B in the last 40 trials."""
    return np.mean(choice[LEARNED_A] == 0), np.mean(choice[LEARNED_B] == 1)


@pytest.mark.slow
def test_choice_is_made_and_rewarded_inside_the_simulation(choice_runs):
    """Oracle from the recorded spikes: in each trial the referee chose the population
    that fired more in the decision window, and rewarded exactly the choices of the
    rewarded action (A before the reversal, B after)."""
    ds = choice_runs[0]
    assert choice_runs[1].attrs["build_cache_hit"] == 1
    out = trial_outcomes(ds)
    assert out.sizes["trial"] == N_TRIALS
    pops = ds.neuron.population.values
    step = np.round(ds.spike_time.values / DT).astype(int)
    in_window = step % round(PERIOD / DT) < round(WINDOW / DT)
    trial = step // round(PERIOD / DT)
    counts = [np.bincount(trial[in_window & np.isin(ds.spike_neuron.values,
                                                   np.flatnonzero(pops == pop))],
                          minlength=N_TRIALS)[:N_TRIALS] for pop in ("action_a", "action_b")]
    decided = counts[0] != counts[1]
    assert decided.sum() > 0.9 * N_TRIALS
    np.testing.assert_array_equal(out.choice.values[decided], (counts[1] > counts[0])[decided])
    rewarded_action = (np.arange(N_TRIALS) >= REVERSAL).astype(float)
    np.testing.assert_array_equal(out.rewarded.values, out.choice.values == rewarded_action)


@pytest.mark.slow
def test_choice_accuracy_rises_above_chance_and_follows_the_reversal(choice_runs):
    """Izhikevich (2007, instrumental conditioning) and Fremaux & Gerstner (2016): rewarded
    choices strengthen the synapses onto the chosen group until it wins every trial.
    Chance is 1/2; P(>= 40 of 50) = 1.2e-5 and P(>= 32 of 40) = 9e-5 under Binomial(n,
    1/2), so 0.8 in both scored windows is far beyond chance (measured: 1.0 and 0.975)."""
    out = trial_outcomes(choice_runs[0])
    before, after = _accuracy(out.choice.values)
    assert _binomial_tail(50, 40) < 1e-4 and _binomial_tail(40, 32) < 1e-3
    assert before >= 0.8
    assert after >= 0.8
    # the first trials are near chance: the synapses start unbiased (measured 0.8 of the
    # first 5 trials are A by the coin of the random initial weights, so only bound it)
    assert np.mean(out.rewarded.values) > 0.6  # measured 0.715


@pytest.mark.slow
def test_weights_grow_only_onto_the_rewarded_action(choice_runs):
    """Until the reversal only the synapses onto A grow (measured +94 pA, about the room to
    grow w_max - w_init = 100 pA); those onto B, whose neurons are silenced by the
    inhibition of the winner, stay within 10 pA (measured -3 pA). After the reversal
    the dopamine dips depress A and the rewards of B choices strengthen B (measured:
    A 244 -> 145 pA, B 147 -> 200 pA)."""
    wa, wb = _mean_weights(choice_runs[0])
    assert len(wa) == N_TRIALS + 1
    assert wa[0] == pytest.approx(W_INIT, abs=10e-12)
    assert wb[0] == pytest.approx(W_INIT, abs=10e-12)
    assert wa[REVERSAL] - wa[0] > 0.5 * (W_MAX - W_INIT)
    assert abs(wb[REVERSAL] - wb[0]) < 10e-12
    assert wb[-1] - wb[REVERSAL] > 25e-12
    assert wa[-1] < wa[REVERSAL] - 50e-12


@pytest.mark.slow
def test_shuffled_reward_control_does_not_learn(choice_runs):
    """With the reward a coin flip independent of the choice (as many rewards on
    average), the dopamine carries no information about the action: choices stay near
    chance (measured 0.5 and 0.3 in the scored windows; the weights random-walk, so the
    choices are correlated across trials and no binomial bound applies, hence the wide
    margin below the learned 0.8) and the weights onto A and B move together (measured
    difference of the changes 10 pA at the reversal, against 97 pA when learning)."""
    learned, shuffled = (trial_outcomes(ds) for ds in choice_runs)
    assert np.mean(_accuracy(shuffled.choice.values)) < 0.7
    assert np.mean(_accuracy(learned.choice.values)) - np.mean(
        _accuracy(shuffled.choice.values)) > 0.3
    # the coin: 200 flips, sd 0.035; 0.12 is 3.4 sd
    assert np.mean(shuffled.rewarded.values) == pytest.approx(0.5, abs=0.12)
    wa, wb = _mean_weights(choice_runs[1])
    assert abs((wa[REVERSAL] - wa[0]) - (wb[REVERSAL] - wb[0])) < 25e-12


# -- TD(0) actor-critic on a two-armed bandit ---------------------------------------------

@pytest.fixture(scope="module")
def bandit_runs(build_cache):
    exp = actor_critic()
    learned = bn.run(exp, device="cpp_standalone", cache_dir=build_cache, threads=1)
    no_dopamine = bn.run(exp, device="cpp_standalone", cache_dir=build_cache, threads=1,
                         settings={f"{name}.weight": 0
                                   for name in ("td_critic", "td_actor_a", "td_actor_b")})
    return trial_outcomes(learned), trial_outcomes(no_dopamine)


def _td_oracle(choice, reward):
    """Independent replay of the TD(0) actor-critic on the recorded choices and rewards:
    value V and preferences h start at 0; after each trial delta = r - V,
    V += eta_c delta, h_b += eta_a delta (1[B] - pi_b), h_a -= the same."""
    value, h, values, pis = 0.0, np.zeros(2), [], []
    for chose_b, r in zip(choice, reward, strict=True):
        pi_b = 1 / (1 + np.exp(-(h[1] - h[0])))
        values.append(value)
        pis.append(pi_b)
        delta = r - value
        value += ETA_CRITIC * delta
        h += ETA_ACTOR * delta * (chose_b - pi_b) * np.array([-1.0, 1.0])
    return np.array(values), np.array(pis)


@pytest.mark.slow
def test_td_learning_matches_an_independent_replay(bandit_runs):
    """The compiled loop (choice, reward, TD error broadcast, weight updates one step later)
    reproduces the TD(0) recursion exactly (float rounding only)."""
    out = bandit_runs[0]
    values, pis = _td_oracle(out.choice.values, out.reward.values)
    np.testing.assert_allclose(out.prediction.values, values, atol=1e-12)
    np.testing.assert_allclose(out.delta.values, out.reward.values - values, atol=1e-12)
    np.testing.assert_allclose(out.p_choose_b.values, pis, atol=1e-12)


@pytest.mark.slow
def test_critic_value_converges_to_the_expected_reward(bandit_runs):
    """V -> E[r] = sum_a pi(a) p_a r: p_A r = 0.8 once the policy picks A. With learning
    rate eta the stationary fluctuation of V is sd = sqrt(eta/(2 - eta) p(1-p)) = 0.064;
    averaged over the last 200 trials (correlation time 1/eta = 20 trials) the sd of the
    mean is ~0.028, so 0.1 is a 3.5-sd tolerance (measured 0.789 against the expected
    reward 0.788 of the arms actually chosen)."""
    out = bandit_runs[0]
    last = slice(-200, None)
    expected = np.where(out.choice.values[last] == 0, P_A, P_B).mean()
    assert out.prediction.values[last].mean() == pytest.approx(expected, abs=0.1)
    assert out.prediction.values[last].mean() == pytest.approx(P_A * 1.0, abs=0.1)


@pytest.mark.slow
def test_actor_learns_to_choose_the_better_arm(bandit_runs):
    """Chance is 1/2 (the preferences start equal); P(>= 180 of 200) = 1e-33 under
    Binomial(200, 1/2), so 0.9 is far beyond chance (measured 0.98; final pi(B) 0.015)."""
    out = bandit_runs[0]
    assert _binomial_tail(200, 180) < 1e-20
    assert np.mean(out.choice.values[-200:] == 0) >= 0.9
    assert out.p_choose_b.values[-1] < 0.1


@pytest.mark.slow
def test_without_the_td_signal_nothing_is_learned(bandit_runs):
    """With the TD-error projections' weight 0 the agent still draws rewards but neither
    the critic nor the actor changes: V stays 0, the policy stays 1/2, and the choices
    are coin flips (600 trials: sd 0.02; measured 0.503 A)."""
    learned, control = bandit_runs
    assert np.all(control.prediction.values == 0)
    assert np.all(control.p_choose_b.values == 0.5)
    assert np.mean(control.choice.values == 0) == pytest.approx(0.5, abs=0.08)
    assert np.mean(control.reward.values) < np.mean(learned.reward.values) - 0.1
