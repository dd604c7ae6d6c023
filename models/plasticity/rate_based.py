"""Rate-based Hebbian rules: plain/covariance Hebb, Oja's rule and BCM with a sliding threshold.

Each rule is one expression ``F(x, y, w)`` of a presynaptic rate ``x``, a postsynaptic rate
``y`` and the weight, with ``tau_w dw/dt = w_ref F``, written once and instantiated twice:

- for rate neurons (``*_rate``), coupled like `rate_coupling` (the target sums ``w r_pre``):
  ``x = r_pre``, ``y = r_post``;
- for spiking neurons (``*_spiking``), with rates estimated by exponential traces of the
  spike trains (``tau_rate dnu/dt = -nu``, ``nu += 1/tau_rate`` per spike): ``x = nupre``,
  ``y = nupost``; a presynaptic spike adds ``w`` to the target.

Rules (rates in units of ``nu_ref``):

=============  =====================================================  ===========================
``hebbian``    ``(y - theta_y)(x - theta_x)``                    Hebb 1949; Sejnowski 1977
``oja``        ``y (x - y w/w_ref)``: the weight vector converges to   Oja 1982
               the first principal component, with unit norm
``bcm``        ``x y (y - theta_M)``, ``tau_theta dtheta_M/dt =``      Bienenstock, Cooper & Munro
               ``y^2/nu_ref - theta_M`` (sliding threshold)            1982; Intrator & Cooper 1992
=============  =====================================================  ===========================

The plain Hebbian rule (thresholds 0) grows without bound; Oja's and BCM are stable.
"""

from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from brian2.units import Hz, ms, second

from bioneuro.errors import UnknownNameError
from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["rate_rule", "RULES", "NEURONS"]

#: rule -> F(x, y, w) (dimensionless, rates divided by nu_ref)
RULES = {
    "hebbian": "({y} - theta_y)*({x} - theta_x)/nu_ref**2",
    "oja": "{y}*({x} - {y}*w/w_ref)/nu_ref**2",
    "bcm": "{x}*{y}*({y} - theta_M)/nu_ref**3",
}
NEURONS = ("rate", "spiking")

_REFERENCES = {
    "hebbian": (Reference("Hebb (1949) The Organization of Behavior, Wiley", ""),
                Reference("Sejnowski (1977) Storing covariance with nonlinearly interacting "
                          "neurons, J Math Biol 4:303", "10.1007/BF00275079")),
    "oja": (Reference("Oja (1982) A simplified neuron model as a principal component "
                      "analyzer, J Math Biol 15:267", "10.1007/BF00275687"),),
    "bcm": (Reference("Bienenstock, Cooper & Munro (1982) Theory for the development of "
                      "neuron selectivity, J Neurosci 2:32",
                      "10.1523/JNEUROSCI.02-01-00032.1982"),
            Reference("Intrator & Cooper (1992) Objective function formulation of the BCM "
                      "theory of visual cortical plasticity, Neural Netw 5:3",
                      "10.1016/S0893-6080(05)80003-6")),
}
_DAYAN_ABBOTT = Reference("Dayan & Abbott (2001) Theoretical Neuroscience, MIT Press, ch. 8", "")


def rate_rule(rule, neurons="rate", *, w_ref=None, tau_w=10 * second, nu_ref=10 * Hz,
              tau_theta=1 * second, tau_rate=100 * ms, name=None):
    """A rate-based plasticity rule for rate or spiking neurons.

    Parameters
    ----------
    rule : {"hebbian", "oja", "bcm"}
    neurons : {"rate", "spiking"}
        Rate neurons (continuous coupling ``w r_pre``) or spiking neurons (trace rates).
    w_ref : Quantity or float, optional
        Weight scale (default 1 for rate neurons, whose weights are dimensionless; 1 nS for
        spiking neurons).
    tau_w : Quantity
        Learning time constant.
    nu_ref : Quantity
        Rate scale.
    tau_theta : Quantity
        BCM threshold time constant (must be shorter than `tau_w` for stability).
    tau_rate : Quantity
        Rate-estimation trace (spiking neurons).
    name : str, optional
        Default ``<rule>_<neurons>``.
    """
    from brian2.units import nS

    if rule not in RULES:
        raise UnknownNameError("rate_rule.rule", rule, RULES)
    if neurons not in NEURONS:
        raise UnknownNameError("rate_rule.neurons", neurons, NEURONS)
    rate = neurons == "rate"
    if w_ref is None:
        w_ref = 1.0 if rate else 1 * nS
    x, y = ("r_pre", "r_post") if rate else ("nupre", "nupost")
    drift = RULES[rule].format(x=x, y=y)
    lines = [f"dw/dt = w_ref*{drift}/tau_w : {{weight_unit}} (clock-driven)"]
    params = {
        "w_ref": weight_parameter(w_ref, "weight scale"),
        "tau_w": Parameter("s", tau_w, "learning time constant", low="1 ms", shared=True),
        "nu_ref": Parameter("Hz", nu_ref, "rate scale", low="0.001 Hz", shared=True),
    }
    if rule == "hebbian":
        params["theta_x"] = Parameter("Hz", 0 * Hz, "presynaptic rate threshold "
                                        "(covariance rule)", shared=True)
        params["theta_y"] = Parameter("Hz", 0 * Hz, "postsynaptic rate threshold "
                                         "(covariance rule)", shared=True)
    if rule == "bcm":
        lines.append(f"dtheta_M/dt = ({y}**2/nu_ref - theta_M)/tau_theta : Hz (clock-driven)")
        params["tau_theta"] = Parameter("s", tau_theta, "sliding-threshold time constant",
                                        low="1 ms", shared=True)
    if rate:
        lines.append("{target}_post = w*r_pre : {target_unit} (summed)")
        on_pre, on_post = "", ""
    else:
        lines += ["dnupre/dt = -nupre/tau_rate : Hz (clock-driven)",
                  "dnupost/dt = -nupost/tau_rate : Hz (clock-driven)"]
        params["tau_rate"] = Parameter("ms", tau_rate, "rate-estimation time constant",
                                       low="0.01 ms", shared=True)
        on_pre = "{target}_post += w\nnupre += 1/tau_rate"
        on_post = "nupost += 1/tau_rate"
    return SynapseModel(
        name=name or f"{rule}_{neurons}",
        model="\n".join(lines), on_pre=on_pre, on_post=on_post, parameters=params,
        method="euler",
        weight_unit="1" if rate else "",
        description=f"{rule.upper() if rule == 'bcm' else rule.capitalize()} rule for "
                    f"{neurons} neurons (tau_w dw/dt = w_ref*{RULES[rule].format(x='x', y='y')}).",
        references=_REFERENCES[rule] + (_DAYAN_ABBOTT,),
        tags=("plasticity", "rate-based", rule),
    )


for _rule in RULES:
    for _neurons in NEURONS:
        register_rule(rate_rule(_rule, _neurons))
