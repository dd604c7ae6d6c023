"""Learning with local rules as built-in experiments: Hebbian PCA and ICA, distal reward.

- ``hebbian_pca``: zero-mean Gaussian input vectors with a known covariance (seeded) are
  presented as the rates of an input layer (`protocols.RatePatterns`); one linear rate
  neuron learns with Oja's rule (Oja 1982) and converges to the first principal component
  with unit norm; ``n_components`` neurons learn with Sanger's generalised Hebbian algorithm
  (Sanger 1989) and converge to the leading principal components, in order, orthonormal.
- ``hebbian_ica``: two independent super-Gaussian sources (Laplace, clipped at 4 standard
  deviations), mixed by a known matrix and whitened; one linear neuron with the cubic
  nonlinear Hebbian rule ``dw ~ y^3 (x - y w)`` (Hyvarinen & Oja 1998) recovers one source.
- ``distal_reward``: the distal reward problem (Izhikevich 2007). Fifty presynaptic neurons
  fire at random (1 Hz) onto a LIF neuron with dopamine-modulated STDP (``da_stdp``).
  Every 4 s one of the first five inputs fires and the postsynaptic neuron is made to fire
  10 ms later; only the pairings of input 0 are followed, 1-3 s later, by a reward (a
  dopamine pulse), long after the eligibility window of STDP. Only synapse 0 grows to the
  upper bound. A control neuron receives the same spikes and as many rewards, after
  randomly chosen trials (shuffled reward): no synapse grows selectively.

The input generators (`pca_inputs`, `ica_sources`, `distal_reward_schedule`) are public so
analyses and tests can compare what was learned with the truth for the same seed. The
factories' `seed` draws the inputs (tables and spike trains, fixed in the experiment) and
seeds the simulation; ``run(..., seed=...)`` changes only the draws made in the simulation
(initial weights), so call the factory with another seed for other inputs.
"""

import numpy as np
from brian2.units import Hz, ms, nA, pA, second, uM

from bioneuro.errors import SpecError
from bioneuro.models.lif import lif_curr_exp
from bioneuro.models.plasticity.rate_based import rate_rule
from bioneuro.models.plasticity.reward import reward_stdp
from bioneuro.models.plasticity.sanger import (
    HYVARINEN_OJA_1998,
    OJA_1982,
    SANGER_1989,
    feedback_variables,
    generalised_hebbian,
)
from bioneuro.models.plasticity.signals import IZHIKEVICH_2007, dopamine_signal, with_signal
from bioneuro.models.rate import rate_linear
from bioneuro.protocols.conditioning import RewardSchedule
from bioneuro.protocols.rate_patterns import RatePatterns
from bioneuro.protocols.spike_inputs import SpikeTimes
from bioneuro.protocols.stimulus import Drive, count_field
from bioneuro.registry import register
from bioneuro.spec import Circuit, Experiment, Population, Recording

__all__ = ["hebbian_pca", "hebbian_ica", "distal_reward", "pca_inputs", "ica_sources",
           "distal_reward_schedule", "PCA_EIGENVALUES", "ICA_MIXING", "DISTAL_REWARD_RULE"]

#: eigenvalues of the input covariance of ``hebbian_pca`` (in units of nu_ref^2)
PCA_EIGENVALUES = (3.0, 1.5, 0.8, 0.4, 0.2, 0.1)
#: mixing matrix of the two sources of ``hebbian_ica``: a rotation by 40 degrees times a
#: symmetric positive matrix, so the whitened mixtures are the sources rotated by 40 degrees
ICA_MIXING = ((0.96, -0.22), (1.19, 0.73))
NU_REF = 10 * Hz

def _n_steps(interval, dt, field):
    steps = float(interval / dt)
    if steps < 1 or abs(steps - round(steps)) > 1e-6:
        raise SpecError(field, str(interval), f"a multiple of dt = {dt}")
    return int(round(steps))


def pca_inputs(n_samples, seed, eigenvalues=PCA_EIGENVALUES):
    """Gaussian input vectors with a known covariance.

    Parameters
    ----------
    n_samples : int
    seed : int
    eigenvalues : sequence of float
        Eigenvalues of the covariance (decreasing), one per input dimension.

    Returns
    -------
    samples : ndarray, shape (n_samples, n)
        Zero-mean samples (units of the rate scale nu_ref).
    components : ndarray, shape (n, n)
        Row ``k``: the unit eigenvector of eigenvalue ``k`` (a random orthonormal basis).
    """
    n_samples = count_field(n_samples, "pca_inputs.n_samples")
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.ndim != 1 or lam.size < 2 or np.any(lam <= 0) or np.any(np.diff(lam) >= 0):
        raise SpecError("pca_inputs.eigenvalues", list(np.atleast_1d(lam)),
                        "at least two positive, strictly decreasing eigenvalues")
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((lam.size, lam.size)))
    samples = (rng.standard_normal((n_samples, lam.size)) * np.sqrt(lam)) @ basis.T
    return samples, basis.T


def ica_sources(n_samples, seed, mixing=ICA_MIXING):
    """Independent super-Gaussian sources, their mixtures and the whitened mixtures.

    The sources are Laplace-distributed, clipped at 4 (in units of the Laplace scale) and
    scaled to unit variance (excess kurtosis about 1); the whitening matrix is the
    symmetric (ZCA) inverse square root of the mixtures' sample covariance.

    Returns
    -------
    sources : ndarray, shape (n_samples, 2)
    whitened : ndarray, shape (n_samples, 2)
        Whitened mixtures (identity sample covariance).
    """
    n_samples = count_field(n_samples, "ica_sources.n_samples", 10)
    rng = np.random.default_rng(seed)
    sources = np.clip(rng.laplace(size=(n_samples, 2)), -4, 4)
    sources = (sources - sources.mean(0)) / sources.std(0)
    mixtures = sources @ np.asarray(mixing, dtype=float).T
    values, vectors = np.linalg.eigh(np.cov(mixtures.T))
    whitening = vectors @ np.diag(values ** -0.5) @ vectors.T
    return sources, (mixtures - mixtures.mean(0)) @ whitening.T


def _rate_population(name, size, dt):
    # tau_r = dt: with Euler steps the rate equals its drive of the previous step
    return Population(name, rate_linear, size, {"tau_r": dt})


def hebbian_pca(n_samples=1500, n_components=3, interval=20 * ms, tau_w=2 * second,
                dt=1 * ms, seed=1, scale=None):
    """Oja's rule and Sanger's rule extracting principal components of Gaussian input.

    The same input vectors (`pca_inputs`) are presented to two networks of linear rate
    neurons (``tau_r = dt``: each rate follows its input one step later): one neuron with
    Oja's rule (``oja``) and `n_components` neurons with Sanger's rule (``sanger``).

    Parameters
    ----------
    n_samples : int
        Input vectors, each shown for `interval` (the run lasts ``n_samples * interval``).
    n_components : int
        Outputs of the Sanger network (at most the input dimension, 6).
    interval : Quantity
        Presentation time of one vector (a multiple of `dt`).
    tau_w : Quantity
        Learning time constant (learning rate per vector ``interval/tau_w``).
    dt : Quantity
    seed : int
    scale : float, optional
        Multiplies `n_samples` (``bioneuro run --scale``).
    """
    if scale is not None:
        n_samples = max(1, int(round(n_samples * scale)))
    n_samples = count_field(n_samples, "hebbian_pca.n_samples")
    n_inputs = len(PCA_EIGENVALUES)
    n_components = count_field(n_components, "hebbian_pca.n_components")
    if n_components > n_inputs:
        raise SpecError("hebbian_pca.n_components", n_components,
                        f"an integer in [1, {n_inputs}] (the input dimension)")
    _n_steps(interval, dt, "hebbian_pca.interval")
    rates = pca_inputs(n_samples, seed)[0] * NU_REF
    initial = {"kind": "uniform", "low": -0.3, "high": 0.3}
    circuit = Circuit("hebbian_pca", (_rate_population("oja", 1, dt),
                                      _rate_population("sanger", n_components, dt)),
                      description="Oja's and Sanger's rules on Gaussian input with a known "
                                  "covariance.", references=(OJA_1982, SANGER_1989))
    oja = rate_rule("oja", tau_w=tau_w, nu_ref=NU_REF, name="oja_pca")
    sanger = generalised_hebbian(n_components, tau_w=tau_w, nu_ref=NU_REF)
    protocol = (RatePatterns("inputs_oja", rates, interval,
                             drive=Drive("oja", "e", initial, synapse=oja)),
                RatePatterns("inputs_sanger", rates, interval,
                             drive=Drive("sanger", "e", initial, synapse=sanger),
                             variables=feedback_variables(n_components)))
    n_weights = {"inputs_oja_to_oja": n_inputs,
                 "inputs_sanger_to_sanger": n_inputs * n_components}
    return Experiment("hebbian_pca", circuit, protocol, _weight_recording(n_weights, interval),
                      duration=n_samples * interval, dt=dt, seed=seed,
                      description=circuit.description)


def _weight_recording(n_weights, interval):
    """Final weights, and every weight of the projections `n_weights` (name -> count)
    sampled every 50 presentations."""
    return Recording(spikes=(), connectivity=True, weights_dt=50 * interval,
                     weight_projections=tuple(n_weights),
                     weight_synapses={k: tuple(range(n)) for k, n in n_weights.items()})


def hebbian_ica(n_samples=4000, interval=10 * ms, tau_w=5 * second, dt=1 * ms, seed=1,
                scale=None):
    """The one-unit cubic nonlinear Hebbian rule separating two mixed sources.

    Parameters
    ----------
    n_samples : int
        Whitened mixture vectors, each shown for `interval`.
    interval, tau_w, dt, seed, scale
        As in `hebbian_pca`.
    """
    if scale is not None:
        n_samples = max(10, int(round(n_samples * scale)))
    n_samples = count_field(n_samples, "hebbian_ica.n_samples", 10)
    _n_steps(interval, dt, "hebbian_ica.interval")
    _, whitened = ica_sources(n_samples, seed)
    rule = generalised_hebbian(1, "cubic", tau_w=tau_w, nu_ref=NU_REF, name="nonlinear_oja")
    circuit = Circuit("hebbian_ica", (_rate_population("output", 1, dt),),
                      description="Cubic nonlinear Hebbian rule on whitened mixtures of two "
                                  "super-Gaussian sources.", references=(HYVARINEN_OJA_1998,))
    patterns = RatePatterns("mixtures", whitened * NU_REF, interval,
                            drive=Drive("output", "e", {"kind": "uniform", "low": -1.0,
                                                        "high": 1.0},
                                        synapse=rule))
    recording = _weight_recording({"mixtures_to_output": 2}, interval)
    return Experiment("hebbian_ica", circuit, (patterns,), recording,
                      duration=n_samples * interval, dt=dt, seed=seed,
                      description=circuit.description)


def distal_reward_schedule(n_trials, seed, n_inputs=50, n_paired=5, trial_period=4 * second,
                           input_rate=1 * Hz, post_rate=1 * Hz):
    """Spike and reward times of ``distal_reward`` (seconds).

    Trial ``k`` starts at ``0.5 s + k trial_period``: input ``paired[k]`` (one of the first
    `n_paired` inputs, each equally often, in random order) fires, and the postsynaptic
    neurons are made to fire 10 ms later. Trials pairing input 0 are rewarded 1-3 s later
    (uniform); the control is rewarded as often, after randomly chosen trials, whichever
    input they paired.

    Returns
    -------
    dict
        ``pre``: list of spike-time arrays of the inputs (`input_rate` Poisson plus their
        pairings); ``teacher``: spike times forcing the postsynaptic spikes (10 ms after
        each pairing and Poisson at `post_rate`); ``paired``: the input paired in each
        trial; ``rewards``; ``shuffled``: the control's reward times.
    """
    n_trials = count_field(n_trials, "distal_reward.n_trials")
    n_paired = count_field(n_paired, "distal_reward.n_paired")
    if n_trials % n_paired or n_paired > n_inputs:
        raise SpecError("distal_reward.n_trials", n_trials,
                        f"a multiple of n_paired = {n_paired} (<= n_inputs = {n_inputs})")
    rng = np.random.default_rng(seed)
    period = float(trial_period)
    duration = n_trials * period
    starts = 0.5 + period * np.arange(n_trials)
    paired = rng.permutation(np.repeat(np.arange(n_paired), n_trials // n_paired))

    def poisson(rate):
        return np.round(np.sort(rng.uniform(0, duration - 0.01,
                                            rng.poisson(rate * duration))), 3)

    # at most one spike per 1 ms step (np.union1d rounds duplicates away)
    pre = [np.union1d(poisson(float(input_rate)), starts[paired == k]) for k in range(n_inputs)]
    teacher = np.union1d(poisson(float(post_rate)), np.round(starts + 0.010, 3))
    delays = rng.uniform(1.0, 3.0, n_trials)
    rewarded = paired == 0
    control = np.zeros(n_trials, bool)
    control[rng.choice(n_trials, int(rewarded.sum()), replace=False)] = True
    return {"pre": pre, "teacher": teacher, "paired": paired,
            "rewards": np.round(starts + delays, 3)[rewarded],
            "shuffled": np.round(starts + delays, 3)[control]}


#: dopamine-modulated STDP of ``distal_reward`` (current-based weights)
DISTAL_REWARD_RULE = reward_stdp(w_ref=50 * pA, w_max=100 * pA, kappa=10 / (uM * second),
                                 name="da_stdp_distal")


def distal_reward(n_trials=75, n_inputs=50, w_init=50 * pA, dt=1 * ms, seed=1, scale=None):
    """The distal reward problem solved by dopamine-modulated STDP (Izhikevich 2007).

    Parameters
    ----------
    n_trials : int
        Pre-post pairings, one every 4 s, of the first five inputs in turn (a multiple of
        5); those of input 0 are rewarded 1-3 s later (a 0.5 uM dopamine pulse, tau_DA =
        200 ms).
    n_inputs : int
        Presynaptic neurons (1 Hz Poisson).
    w_init : Quantity
        Initial weight of every plastic synapse (bounds 0 and 100 pA).
    dt : Quantity
    seed : int
    scale : float, optional
        Multiplies `n_trials`.
    """
    if scale is not None:
        n_trials = 5 * max(1, int(round(n_trials * scale / 5)))
    n_inputs = count_field(n_inputs, "distal_reward.n_inputs", 2)
    schedule = distal_reward_schedule(n_trials, seed, n_inputs)
    model = with_signal(lif_curr_exp, dopamine_signal())
    circuit = Circuit("distal_reward", (
        Population("post", model, 1), Population("control", model, 1)),
        description="Distal reward problem: dopamine-modulated STDP with an eligibility "
                    "trace (one rewarded synapse among many; a shuffled-reward control).",
        references=(IZHIKEVICH_2007,))
    protocol = []
    # the rewarded neuron and the control receive identical input and teacher spikes
    for post in ("post", "control"):
        protocol += [
            SpikeTimes(f"pre_{post}", [t * second for t in schedule["pre"]],
                       drive=Drive(post, "e", w_init, synapse=DISTAL_REWARD_RULE)),
            SpikeTimes(f"teacher_{post}", [schedule["teacher"] * second],
                       drive=Drive(post, "e", 4 * nA)),
        ]
    protocol += [
        RewardSchedule("reward", schedule["rewards"] * second,
                       Drive("post", "dopamine", 0.5 * uM)),
        RewardSchedule("shuffled_reward", schedule["shuffled"] * second,
                       Drive("control", "dopamine", 0.5 * uM)),
    ]
    names = ("pre_post_to_post", "pre_control_to_control")
    recording = Recording(spikes=("post", "control"), connectivity=True,
                          weights_dt=1 * second, weight_projections=names,
                          weight_synapses={name: tuple(range(n_inputs)) for name in names})
    return Experiment("distal_reward", circuit, tuple(protocol), recording,
                      duration=n_trials * 4 * second, dt=dt, seed=seed,
                      description=circuit.description)


for _factory in (hebbian_pca, hebbian_ica, distal_reward):
    register("experiments", _factory.__name__, _factory)
