"""Node perturbation with eligibility traces for rate RNNs (Miconi 2017).

Hidden units are kicked at random times (``x += U(-A, A)`` at rate ``rate``); a synapse
``j -> i`` accumulates over the trial the eligibility

    e_ij += S(r_j (x_i - xbar_i)),   S(u) = u^3 (supralinear: it keeps the large deviations
                                     the kicks cause and suppresses the small, correlated
                                     fluctuations of the network's own dynamics),

with ``xbar_i`` a running average of ``x_i`` (time constant ``tau_bar``). At the end of the
trial every weight changes by

    dW_ij = -eta e_ij (E - Ebar)

where ``E`` is the trial's error (the mean absolute error of the readout over the response
epoch) and ``Ebar`` its running average over past trials of the same type (decay ``alpha``
per trial; one average per sign of the target, kept by the readout), so a
perturbation that lowered the error below its expectation is reinforced. Miconi writes the
same rule with the reward ``R = -E``. The change is clipped to ``[-dw_max, dw_max]``
(Miconi clips it too) and the weight to ``[w_min, w_max]``. With Dale's law the weights
are magnitudes (``w_min = 0``) and inhibitory synapses (``sign = -1``: the presynaptic
population is subtracted from ``I_rec``) take the opposite change, since their effect on
``x_i`` has the opposite sign.

Everything runs in generated code: the eligibility is a clock-driven synapse variable
(``de/dt = S/tau_e``; with ``tau_e = dt`` it equals Miconi's per-step sum), the end-of-trial
update a ``run_regularly`` operation of the synapses (every ``trial``), the kicks a
``run_regularly`` operation of the hidden units (`bioneuro.models.ctrnn.ctrnn` with
``learning``), ``E - Ebar`` one of the readout (`bioneuro.models.ctrnn.ctrnn_readout`),
copied to the hidden units' ``adv`` by `error_broadcast`.

Reference: Miconi (2017) eLife 6:e20899, doi:10.7554/eLife.20899.
"""

from dataclasses import dataclass

from bioneuro.models.ctrnn import MICONI_2017
from bioneuro.protocols.stimulus import number_field, rate_field, time_field
from brian2.units import ms

from bioneuro.errors import SpecError
from bioneuro.spec import Parameter, Regularly, SynapseModel

__all__ = ["NodePerturbation", "node_perturbation", "error_broadcast"]


@dataclass(frozen=True)
class NodePerturbation:
    """Settings of node-perturbation learning (Miconi 2017).

    Parameters
    ----------
    trial : Quantity
        Trial duration: the weights change, the error is latched and ``x`` reset every
        `trial`.
    response : Quantity
        Duration of the response epoch over which the error is averaged.
    eta : float
        Learning rate.
    amplitude : float
        Perturbation amplitude ``A`` (kicks uniform in ``[-A, A]``).
    rate : Quantity
        Perturbation rate per unit (Miconi: 3 Hz).
    perturbation_dt : Quantity
        Interval of the perturbation draws (a kick happens with probability
        ``rate * perturbation_dt`` per draw).
    tau_bar : Quantity
        Time constant of the running average ``xbar`` (Miconi: 0.05 per 1 ms step, 20 ms).
    alpha : float
        Decay of the running error average per trial (Miconi: 0.33 ... here 0.8 by default).
    dw_max : float
        Largest weight change per trial.
    x_init : float
        ``x`` is reset to uniform ``[-x_init, x_init]`` at the end of each trial.
    """

    trial: object
    response: object
    eta: float = 0.1
    amplitude: float = 0.5
    rate: object = "3 Hz"
    perturbation_dt: object = "1 ms"
    tau_bar: object = "20 ms"
    alpha: float = 0.8
    dw_max: float = 3e-3
    x_init: float = 0.1

    def __post_init__(self):
        where = "learning"
        for name in ("trial", "response", "perturbation_dt", "tau_bar"):
            object.__setattr__(self, name, time_field(getattr(self, name), f"{where}.{name}",
                                                      positive=True))
        if float(self.response) > float(self.trial):
            raise SpecError(f"{where}.response", str(self.response),
                            f"a duration within the trial ({self.trial})")
        object.__setattr__(self, "rate", rate_field(self.rate, f"{where}.rate"))
        if float(self.rate * self.perturbation_dt) > 1:
            raise SpecError(f"{where}.rate", str(self.rate),
                            f"a rate of at most one kick per perturbation_dt "
                            f"({self.perturbation_dt})")
        for name, low, high in (("eta", 0, None), ("amplitude", 0, None), ("alpha", 0, 1),
                                ("dw_max", 0, None), ("x_init", 0, None)):
            object.__setattr__(self, name, number_field(getattr(self, name),
                                                        f"{where}.{name}", low, high))


def node_perturbation(learning, dale=False, sign=1, name=None):
    """The node-perturbation synapse of a recurrent CTRNN projection.

    Parameters
    ----------
    learning : NodePerturbation
    dale : bool
        Weights are non-negative magnitudes (``w_min = 0``); otherwise signed
        (``w_min = -w_max``).
    sign : {1, -1}
        Sign of the presynaptic population in the postsynaptic ``I_rec`` (-1: an inhibitory
        channel).
    name : str, optional

    Notes
    -----
    ``eta`` and ``dw_max`` default to the `NodePerturbation` defaults whatever `learning`
    says: a projection sets them (``Projection.parameters``, as `rate_rnn` does), so that
    they stay run-time values and runs with another learning rate re-use the build.
    """
    if sign not in (1, -1):
        raise SpecError("node_perturbation.sign", sign, "1 or -1")
    update = ("w = clip(w - dale_sign*clip(eta*elig*adv_post, -dw_max, dw_max), w_min, "
              "w_max)\nelig = 0")
    return SynapseModel(
        name=name or f"node_perturbation{'_dale' if dale else ''}{'_inh' if sign < 0 else ''}",
        model="\n".join(["w : 1",
                         "{target}_post = w*r_pre : {target_unit} (summed)",
                         "delig/dt = (r_pre*(x_post - xbar_post))**3/tau_e : 1 (clock-driven)"]),
        on_pre="",
        parameters={
            "eta": Parameter("1", NodePerturbation.eta, "learning rate", low=0.0,
                             shared=True),
            "dw_max": Parameter("1", NodePerturbation.dw_max, "largest weight change per "
                                "trial", low=0.0, shared=True),
            "w_min": Parameter("1", 0.0 if dale else -10.0, "lower weight bound",
                               low=-1e3, shared=True),
            "w_max": Parameter("1", 10.0, "upper weight bound", low=0.0, shared=True),
            "tau_e": Parameter("ms", 1 * ms, "eligibility time scale (e is Miconi's sum "
                               "when tau_e = dt)", low="0.001 ms", shared=True),
            "dale_sign": Parameter("1", float(sign), "sign of the presynaptic "
                                       "population in I_rec", low=-1.0, high=1.0,
                                       shared=True),
        },
        method="euler",
        regularly=(Regularly(update, learning.trial, "end", order=0),),
        description="Node perturbation with eligibility traces: e += (r_pre (x - xbar))^3, "
                    "dw = -eta e (E - Ebar) at the end of each trial.",
        references=(MICONI_2017,),
        tags=("plasticity", "reward", "node_perturbation"),
    )


#: copies the readout's reinforcement signal ``adv`` (times w) into the hidden units
error_broadcast = SynapseModel(
    name="error_broadcast", model="w : 1\n{target}_post = w*adv_pre : 1 (summed)",
    on_pre="", description="Copies the readout's reinforcement signal adv = E - Ebar "
                           "(times w) into the target variable of the hidden units.",
    references=(MICONI_2017,))
