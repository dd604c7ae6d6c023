"""Continuous-time rate RNN units (CTRNN) and their task readout.

A hidden unit follows ``tau dx/dt = -x + I_rec + I_in/nu_in + x_bias + noise`` with rate
``r = f(x)`` (``tanh``, rectified linear ``relu`` or rectified ``tanh``, ``rtanh``) and a
constant input ``x_bias``. ``I_rec`` sums the recurrent input of named channels, one per
presynaptic population (``I_<channel>``, each written by one projection as a Brian2 summed
variable, so several populations may project onto the same one); channels listed as
inhibitory are subtracted (Dale's law: the weights stay non-negative and the sign belongs
to the presynaptic population). ``I_in`` is the input of a rate-source layer (signed rates
in Hz, scaled by ``nu_in``). The noise is an Ornstein-Uhlenbeck term of stationary
standard deviation ``sigma_x``.

With ``learning`` (a `bioneuro.models.plasticity.node_perturbation.NodePerturbation`) the
unit also carries what Miconi's node-perturbation rule needs: a running average ``xbar``
of ``x`` (time constant ``tau_bar``), random kicks of ``x`` (``run_regularly``) and the
reinforcement signal ``adv`` of the last trial (broadcast by the readout); at the end of
every trial ``x`` is reset.

The readout (`ctrnn_readout`) sums ``z = sum_j w_j r_j`` (minus an adaptive bias, see
there); with learning it also
integrates the absolute error ``|z - target/nu_in|`` over the response epoch (where the
target, a rate-table input in Hz, is non-zero), latches it as ``err_trial`` at the end
of each trial and computes ``adv = err_trial - err_bar``, the error relative to a running
average kept separately for each sign of the target (Miconi keeps one average per trial
type, so that the differing difficulty of the trial types is not mistaken for the effect
of the perturbations).

References
----------
Song, Yang & Wang (2016) Training excitatory-inhibitory recurrent neural networks for
cognitive tasks: a simple and flexible framework. PLoS Comput Biol 12:e1004792.
doi:10.1371/journal.pcbi.1004792
Miconi (2017) Biologically plausible learning in recurrent neural networks reproduces
neural dynamics observed during cognitive tasks. eLife 6:e20899. doi:10.7554/eLife.20899
"""

from brian2.units import Hz, ms

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.registry import register
from bioneuro.spec import NeuronModel, Parameter, Reference, Regularly

__all__ = ["TRANSFER", "ctrnn", "ctrnn_readout", "ctrnn_tanh", "ctrnn_relu", "SONG_2016",
           "MICONI_2017"]

#: transfer function name -> r = f(x)
#: (``rtanh``, rectified tanh: non-negative like ``relu``, as Dale's law needs, and bounded
#: like ``tanh``, so that learning cannot make the rates run away)
TRANSFER = {"tanh": "tanh(x)", "relu": "clip(x, 0, inf)", "rtanh": "tanh(clip(x, 0, inf))"}

SONG_2016 = Reference("Song, Yang & Wang (2016) Training excitatory-inhibitory recurrent "
                      "neural networks for cognitive tasks: a simple and flexible framework, "
                      "PLoS Comput Biol 12:e1004792", "10.1371/journal.pcbi.1004792")
MICONI_2017 = Reference("Miconi (2017) Biologically plausible learning in recurrent neural "
                        "networks reproduces neural dynamics observed during cognitive "
                        "tasks, eLife 6:e20899", "10.7554/eLife.20899")

_PARAMETERS = {
    "tau": Parameter("ms", 30 * ms, "time constant of x", low="0.01 ms"),
    "nu_in": Parameter("Hz", 1 * Hz, "rate scale of the input layer", low="0.001 Hz"),
    "sigma_x": Parameter("1", 0.0, "stationary standard deviation of the noise of x",
                         low=0.0),
    "x_bias": Parameter("1", 0.0, "constant input of x (bias)", low=-1e3, high=1e3),
}


def _learning_parameters(learning):
    return {
        "tau_bar": Parameter("ms", learning.tau_bar, "time constant of the running average "
                             "xbar", low="0.01 ms"),
        "a_pert": Parameter("1", learning.amplitude, "amplitude of the perturbations of x "
                            "(uniform in [-a_pert, a_pert])", low=0.0),
        "rate_pert": Parameter("Hz", learning.rate, "rate of perturbations per unit",
                               low="0 Hz", high=f"{1 / float(learning.perturbation_dt)} Hz"),
        "x_init": Parameter("1", learning.x_init, "x is reset to uniform [-x_init, x_init] "
                            "at the end of each trial", low=0.0),
    }


def ctrnn(transfer="tanh", excitatory=("e",), inhibitory=("i",), learning=None, name=None):
    """A CTRNN hidden-unit model.

    Parameters
    ----------
    transfer : {"tanh", "relu"}
    excitatory, inhibitory : tuple of str
        Recurrent channels (variables ``I_<channel>``) added to / subtracted from ``I_rec``
        (default ``e`` and ``i``; a `rate_rnn` names one channel per presynaptic population).
    learning : NodePerturbation, optional
        Add the variables and operations of node-perturbation learning.
    name : str, optional
        Default ``ctrnn_<transfer>`` (``ctrnn_<transfer>_np`` with learning).
    """
    if transfer not in TRANSFER:
        raise UnknownNameError("ctrnn.transfer", transfer, TRANSFER)
    channels = tuple(excitatory) + tuple(inhibitory)
    for channel in channels:
        if channel in ("rec", "in"):
            raise SpecError("ctrnn.channels", channel, "names other than 'rec' and 'in'")
    terms = " + ".join(f"I_{c}" for c in excitatory) or "0"
    terms += "".join(f" - I_{c}" for c in inhibitory)
    lines = ["dx/dt = (-x + I_rec + I_in/nu_in + x_bias)/tau + sigma_x*sqrt(2/tau)*xi : 1",
             f"r = {TRANSFER[transfer]} : 1",
             f"I_rec = {terms} : 1",
             "I_in : Hz"] + [f"I_{c} : 1" for c in channels]
    params = dict(_PARAMETERS)
    targets = {c: f"I_{c}" for c in channels} | {"input": "I_in"}
    regularly = ()
    if learning is not None:
        lines += ["dxbar/dt = (x - xbar)/tau_bar : 1", "adv : 1"]
        params |= _learning_parameters(learning)
        targets["error"] = "adv"
        step = f"{float(learning.perturbation_dt / ms)!r}*ms"
        regularly = (
            Regularly(f"x += a_pert*(2*rand() - 1)*int(rand() < rate_pert*{step})",
                      learning.perturbation_dt, "start"),
            # after the weight update (order 0)
            Regularly("x = x_init*(2*rand() - 1)\nxbar = x", learning.trial, "end", order=1),
        )
    suffix = "_np" if learning is not None else ""
    return NeuronModel(
        name=name or f"ctrnn_{transfer}{suffix}", equations="\n".join(lines),
        parameters=params, method="euler", initial={"x": 0.0}, synaptic_targets=targets,
        voltage="", regularly=regularly,
        description=f"Continuous-time rate unit, tau dx/dt = -x + I_rec + I_in/nu_in + noise, "
                    f"r = {TRANSFER[transfer]}"
                    + (" (node-perturbation learning)" if learning is not None else "") + ".",
        references=(SONG_2016,) + ((MICONI_2017,) if learning is not None else ()),
        tags=("rate", "ctrnn"))


def ctrnn_readout(learning=None, name=None):
    """The linear readout ``z = I_z`` of a CTRNN (channel ``e``).

    With `learning`, the readout also has a ``target`` input (Hz, channel ``target``),
    integrates ``|z - target/nu_in|`` over the response epoch (``target != 0``, lasting
    ``learning.response``) into ``err_acc`` and latches it as ``err_trial`` (the mean
    absolute error of the trial) at the start of the next trial, together with the
    reinforcement signal ``adv = err_trial - err_bar_<sign>``: the error relative to the
    running average (decay ``alpha_err`` per trial) of the trials with the same sign of
    the target (``err_bar_pos``/``err_bar_neg``; the first trial of each sign only
    initialises its average, with ``adv = 0``).

    With `learning` the output is also ``z = I_z - z_bias``: an adaptive bias (threshold)
    that moves, at the end of each trial, by ``beta_bias`` (a run-time parameter, default 0:
    no bias) of the way towards the trial's mean ``I_z`` over the response epoch. With
    equally many trials of either sign the learned output averages zero over trials, so the
    bias removes only the constant part of ``I_z``. Non-negative (Dale's-law) rates make
    that part large: a fixed random readout of rectified units starts with an offset that
    puts every choice on one side (`bioneuro.experiments.rnn.rnn_decision`).
    """
    lines = ["z = I_z : 1", "I_z : 1"]
    params, targets, regularly = {}, {"e": "I_z"}, ()
    if learning is not None:
        lines = ["z = I_z - z_bias : 1", "I_z : 1", "z_bias : 1",
                 "dz_acc/dt = int(abs(target) > 0*Hz)*I_z/t_resp : 1",
                 "target : Hz",
                 "derr_acc/dt = int(abs(target) > 0*Hz)*abs(z - target/nu_in)/t_resp : 1",
                 "dsign_acc/dt = target/nu_in/t_resp : 1",
                 "err_trial : 1", "adv : 1"]
        lines += [f"{v}_{s} : 1" for v in ("err_bar", "seen") for s in ("pos", "neg")]
        params = {"nu_in": _PARAMETERS["nu_in"],
                  "t_resp": Parameter("ms", learning.response, "duration of the response "
                                      "epoch", low="0.01 ms"),
                  "alpha_err": Parameter("1", learning.alpha, "decay factor of the running "
                                         "error averages per trial", low=0.0, high=1.0),
                  "beta_bias": Parameter("1", 0.0, "fraction by which the bias z_bias moves "
                                         "towards the trial's mean output per trial",
                                         low=0.0, high=1.0)}
        targets["target"] = "target"
        code = ["is_pos = int(sign_acc > 0)", "is_neg = int(sign_acc < 0)",
                "adv = is_pos*seen_pos*(err_acc - err_bar_pos) + "
                "is_neg*seen_neg*(err_acc - err_bar_neg)"]
        for s in ("pos", "neg"):
            code += [f"err_bar_{s} += is_{s}*(err_acc - err_bar_{s})*(1 - alpha_err*seen_{s})",
                     f"seen_{s} += is_{s}*(1 - seen_{s})"]
        code += ["err_trial = err_acc", "err_acc = 0", "sign_acc = 0",
                 "z_bias += beta_bias*(z_acc - z_bias)", "z_acc = 0"]
        regularly = (Regularly("\n".join(code), learning.trial, "start"),)
    return NeuronModel(
        name=name or ("ctrnn_readout_np" if learning is not None else "ctrnn_readout"),
        equations="\n".join(lines), parameters=params, method="euler",
        synaptic_targets=targets, voltage="", regularly=regularly,
        description="Linear readout of a CTRNN" + (" with the per-trial absolute error"
                                                  if learning is not None else "") + ".",
        references=(SONG_2016,), tags=("rate", "ctrnn", "readout"))


ctrnn_tanh = register("models", "ctrnn_tanh", ctrnn("tanh"))
ctrnn_relu = register("models", "ctrnn_relu", ctrnn("relu"))
