"""Rate RNNs trained without backpropagation: node perturbation on a perceptual decision.

``rnn_decision``: a continuous-time rate RNN (`bioneuro.regions.rate_rnn`: vanilla
``ctrnn``, Dale's-law ``ei_rnn`` or ``multi_area_rnn``) learns the two-alternative
perceptual decision of `bioneuro.protocols.rate_tasks.RateDecision` (the sign of the
coherence of two noisy evidence channels, reported by a linear readout during the response
epoch) with Miconi's (2017) node-perturbation rule: random kicks of the hidden units,
eligibility traces ``e_ij += (r_j (x_i - xbar_i))^3`` and, at the end of every trial,
``dW_ij = -eta e_ij (E - Ebar)`` with the trial's error ``E`` and its running average.
Input and readout weights are fixed; only the recurrent weights learn. Everything
(trial schedule, perturbations, eligibility, weight update) is generated code, so the
experiment runs on ``cpp_standalone``; many trials make one run.

The Dataset holds the readout ``z`` and the latched per-trial error ``err_trial`` (state
traces of population ``readout``), the hidden rates ``r`` (for an offline decoder), the
recurrent weights (statistics every 50 trials, final values) and the trial schedule
(epochs with the coherence as condition); `bioneuro.analysis.rnn.trial_outcomes` turns
them into per-trial error, choice and correctness, `learning_curve` into a learning curve.
"""

from brian2.units import ms

from bioneuro.errors import UnknownNameError
from bioneuro.models.plasticity.node_perturbation import NodePerturbation
from bioneuro.protocols.rate_tasks import RateDecision
from bioneuro.protocols.stimulus import Drive, count_field
from bioneuro.regions.rate_rnn import ctrnn, ei_rnn, hidden_populations, multi_area_rnn
from bioneuro.registry import register
from bioneuro.spec import Experiment, Recording, StateProbe

__all__ = ["rnn_decision", "NETWORKS", "TASK", "DALE"]

NETWORKS = {"ctrnn": ctrnn, "ei_rnn": ei_rnn, "multi_area_rnn": multi_area_rnn}
#: epoch durations of the decision task (one trial: 300 ms)
TASK = {"fixation": 20 * ms, "stimulus": 180 * ms, "response": 100 * ms, "bin": 10 * ms}
#: settings of the Dale's-law networks (``ei_rnn``, ``multi_area_rnn``) in `rnn_decision`:
#: bounded non-negative units (rectified tanh) held in their linear range by a constant
#: input, a readout with an adaptive bias (a random readout of non-negative rates starts
#: with an offset: with ReLU units and no bias, seed 1 chose +1 on all of 1200 trials) and
#: a gain of 3 (rectified rates are ~3x smaller than tanh ones: with gain 1 the output
#: stayed at |z| ~ 0.15), and a learning rate and largest change 3x those of ``ctrnn``
DALE = {"transfer": "rtanh", "x_bias": 0.5, "readout_gain": 3.0, "readout_adaptation": 0.2,
        "eta": 1e-2, "dw_max": 3e-3}


def rnn_decision(n_trials=1200, network="ctrnn", n_hidden=40, coherences=(-0.4, -0.2, 0.2,
                 0.4), noise=0.5, eta=None, amplitude=2.0, dw_max=None, g=1.2,
                 w_in=1.0, record_hidden=True, dt=1 * ms, seed=1, scale=None):
    """Perceptual decision learned by node perturbation in a rate RNN.

    Parameters
    ----------
    n_trials : int
        Trials (a multiple of the number of coherences; each trial lasts 300 ms).
    network : {"ctrnn", "ei_rnn", "multi_area_rnn"}
        Region template (``multi_area_rnn``: two areas of `n_hidden` units; the evidence
        enters the first, the readout listens to the second). With Dale's law the
        evidence drives, and the readout reads, the excitatory units, and the network
        takes the settings `DALE` (rectified-tanh units with a constant input, a readout
        of gain 3 with an adaptive bias, larger `eta` and `dw_max`). With the ``ctrnn``
        settings (ReLU units, fixed readout) they did not learn within 1200 trials (seed
        1: every choice +1). With `DALE`, ``ei_rnn`` (40 units, 1200 trials) went from
        accuracy 0.80/0.27/0.23 in the first 100 trials to 0.98/0.86/0.88 in the last
        (seeds 1/2/3); ``multi_area_rnn`` only to 0.72/0.66/0.56 (from 0.48/0.56/0.36).
    n_hidden : int
        Hidden units (per area).
    coherences : tuple of float
        Signed coherences of the task.
    noise : float
        Standard deviation of the evidence per 10 ms bin (units of the mean evidence).
    eta, amplitude, dw_max : float
        Learning rate, perturbation amplitude and largest weight change per trial
        (`NodePerturbation`; default `eta` 3e-3 and `dw_max` 1e-3 for ``ctrnn``, 1e-2 and
        3e-3 with Dale's law). Larger changes (``dw_max = 1e-2``) learned within 300
        trials and then destabilised the network: the recurrent weights grew, the units
        saturated and the error returned to its initial level.
    g : float
        Recurrent gain.
    w_in : float
        Standard deviation of the (fixed, Gaussian) input weights.
    record_hidden : bool
        Record the hidden rates every 10 ms (for decoding).
    dt : Quantity
    seed : int
        Seeds the network (weights, initial values, perturbations) and the task's trial
        order and noise.
    scale : float, optional
        Multiplies `n_trials` (``bioneuro run --scale``).
    """
    if network not in NETWORKS:
        raise UnknownNameError("rnn_decision.network", network, NETWORKS)
    n_cond = len(coherences)
    if scale is not None:
        n_trials = n_cond * max(1, int(round(n_trials * scale / n_cond)))
    n_trials = count_field(n_trials, "rnn_decision.n_trials", n_cond)
    trial = sum(TASK[k] for k in ("fixation", "stimulus", "response"))
    settings = DALE if network != "ctrnn" else {}
    eta = settings.get("eta", 3e-3) if eta is None else eta
    dw_max = settings.get("dw_max", 1e-3) if dw_max is None else dw_max
    learning = NodePerturbation(trial, TASK["response"], eta=eta, amplitude=amplitude,
                                dw_max=dw_max)
    extra = {k: v for k, v in settings.items() if k not in ("eta", "dw_max")}
    size = {"areas": (("A1", n_hidden), ("A2", n_hidden))} if network == "multi_area_rnn" \
        else {"n_hidden": n_hidden}
    circuit = NETWORKS[network](g=g, learning=learning, **size, **extra)
    hidden = hidden_populations(circuit)
    task = RateDecision(
        "decision", Drive(hidden[0], "input", {"kind": "normal", "mean": 0.0, "std": w_in},
                          synapse="rate_coupling"),
        coherences=coherences, n_repeats=-(-n_trials // n_cond), noise=noise,
        order_seed=seed, noise_seed=seed, **TASK)
    probes = [StateProbe("readout", ("z", "err_trial"), "all")]
    if record_hidden:
        probes += [StateProbe(p, ("r",), "all") for p in hidden]
    plastic = tuple(p.name for p in circuit.projections if "plasticity" in p.synapse.tags)
    recording = Recording(spikes=(), state=tuple(probes), state_dt=TASK["bin"],
                          connectivity=True, weights_dt=50 * trial,
                          weight_projections=plastic)
    return Experiment("rnn_decision", circuit, (task,), recording,
                      duration=task.n_trials * trial, dt=dt, seed=seed,
                      description=f"Perceptual decision learned by node perturbation "
                                  f"(Miconi 2017) in a {network}.")


register("experiments", "rnn_decision", rnn_decision)
