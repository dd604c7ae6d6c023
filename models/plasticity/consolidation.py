"""Gated Hebbian learning with synaptic scaling and two-variable synaptic consolidation.

A rule for rate neurons (``x = r_pre``, ``y = r_post``, dimensionless weights) combining
three processes on the visible efficacy ``w``, and a hidden slow variable ``u``::

    dw/dt = plastic (w_ref x y / (nu_ref^2 tau_hebb)          Hebbian growth
                     + w (1 - a/nu_target) / tau_scale         multiplicative synaptic scaling
                     + g_c (u - w))                            coupling to the hidden variable
    du/dt = plastic g_c (w - u) / c_ratio
    tau_rate da/dt = y - a                                     postsynaptic rate detector

- the scaling term is the rule of `bioneuro.models.plasticity.scaling` (van Rossum, Bi &
  Turrigiano 2000) with the spike-trace rate replaced by a low-pass ``a`` of the rate: it
  holds the postsynaptic rate near ``nu_target`` and, multiplying all weights of a neuron
  by the same factor, makes the Hebbian term competitive (weights grow along the inputs the
  neuron responds to while the others shrink: earlier associations are overwritten);
- the coupling to ``u`` is the two-variable case of the Benna & Fusi (2016) model of
  synaptic consolidation: the visible efficacy ``w`` (capacity 1) exchanges with a hidden
  variable ``u`` of capacity ``c_ratio`` through the conductance ``g_c``; ``u`` follows
  ``w`` with the time constant ``c_ratio/g_c`` and pulls ``w`` back towards its history, so
  what was learned long enough ago is kept. ``g_c = 0`` is the plain rule;
- ``plastic`` (0 or 1) gates learning: it is 1 while the postsynaptic variable ``gate``
  (Hz, added to the neuron by `learning_gate`) is positive. A rate table driving ``gate``
  switches learning on and off by phases of one run (training blocks, frozen probes), and
  its values are run-time values of a compiled binary.

All parameters are shared synapse parameters: ``g_c`` (the consolidation strength) and
the learning rates can change between runs of one build.
"""

from bioneuro.models.composition import Mechanism
from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from brian2.units import Hz, ms, second

from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["consolidated_hebbian", "learning_gate", "GATE_VARIABLE"]

#: postsynaptic variable (Hz) whose sign gates the rule
GATE_VARIABLE = "gate"

BENNA_FUSI_2016 = Reference("Benna & Fusi (2016) Computational principles of synaptic memory "
                            "consolidation, Nat Neurosci 19:1697", "10.1038/nn.4401")
VAN_ROSSUM_2000 = Reference("van Rossum, Bi & Turrigiano (2000) Stable Hebbian learning from "
                            "spike timing-dependent plasticity, J Neurosci 20:8812",
                            "10.1523/JNEUROSCI.20-23-08812.2000")
TURRIGIANO_1998 = Reference("Turrigiano, Leslie, Desai, Rutherford & Nelson (1998) "
                            "Activity-dependent scaling of quantal amplitude in neocortical "
                            "neurons, Nature 391:892", "10.1038/36103")


def learning_gate():
    """Mechanism adding the learning gate ``gate`` (Hz, a synaptic target) to a rate model.

    A projection (``rate_coupling``) onto target ``"gate"`` from a rate source whose rate is
    positive during learning and 0 otherwise turns `consolidated_hebbian` on and off.
    """
    return Mechanism(
        name="learning_gate",
        equations=f"{GATE_VARIABLE} : Hz",
        targets={GATE_VARIABLE: GATE_VARIABLE},
        description="Learning gate: plasticity of consolidated_hebbian synapses is on "
                    "while gate > 0.",
        references=(BENNA_FUSI_2016,))


def consolidated_hebbian(*, w_ref=1.0, tau_hebb=20 * second, nu_ref=10 * Hz,
                         nu_target=5 * Hz, tau_scale=200 * ms, tau_rate=100 * ms,
                         g_c=0 * Hz, c_ratio=60.0, name="consolidated_hebbian_rate"):
    """Gated Hebbian rule with synaptic scaling and consolidation (module docstring).

    Parameters
    ----------
    w_ref : float
        Weight scale of the Hebbian term (weights of rate couplings are dimensionless).
    tau_hebb : Quantity
        Hebbian learning time constant.
    nu_ref : Quantity
        Rate scale of the Hebbian term.
    nu_target : Quantity
        Target postsynaptic rate of synaptic scaling.
    tau_scale : Quantity
        Scaling time constant.
    tau_rate : Quantity
        Time constant of the postsynaptic rate detector ``a``.
    g_c : Quantity
        Coupling rate between the visible weight and the hidden variable (Hz; 0 Hz: no
        consolidation).
    c_ratio : float
        Capacity of the hidden variable relative to the visible one (``u`` follows ``w``
        with the time constant ``c_ratio/g_c``).
    name : str
    """
    model = "\n".join([
        "dw/dt = plastic*(w_ref*r_pre*r_post/(nu_ref**2*tau_hebb)"
        " + w*(1 - arate/nu_target)/tau_scale + g_c*(u - w)) : {weight_unit} (clock-driven)",
        "du/dt = plastic*g_c*(w - u)/c_ratio : {weight_unit} (clock-driven)",
        "darate/dt = (r_post - arate)/tau_rate : Hz (clock-driven)",
        f"plastic = int({GATE_VARIABLE}_post > 0*Hz) : 1",
        "{target}_post = w*r_pre : {target_unit} (summed)",
    ])
    return SynapseModel(
        name=name, model=model, on_pre="",
        parameters={
            "w_ref": weight_parameter(w_ref, "Hebbian weight scale"),
            "tau_hebb": Parameter("s", tau_hebb, "Hebbian learning time constant",
                                  low="1 ms", shared=True),
            "nu_ref": Parameter("Hz", nu_ref, "rate scale of the Hebbian term",
                                low="0.001 Hz", shared=True),
            "nu_target": Parameter("Hz", nu_target, "target postsynaptic rate (scaling)",
                                   low="0.001 Hz", shared=True),
            "tau_scale": Parameter("ms", tau_scale, "synaptic scaling time constant",
                                   low="1 ms", shared=True),
            "tau_rate": Parameter("ms", tau_rate, "postsynaptic rate-detector time constant",
                                  low="0.01 ms", shared=True),
            "g_c": Parameter("Hz", g_c, "consolidation coupling rate (0: plain rule)",
                             low="0 Hz", shared=True),
            "c_ratio": Parameter("1", c_ratio, "capacity of the hidden variable relative to "
                                 "the weight", low=1e-3, shared=True),
        },
        method="euler", weight_unit="1",
        description="Gated Hebbian rule for rate neurons with multiplicative synaptic "
                    "scaling towards nu_target and two-variable (Benna-Fusi) consolidation "
                    "of strength g_c.",
        references=(VAN_ROSSUM_2000, TURRIGIANO_1998, BENNA_FUSI_2016),
        tags=("plasticity", "rate-based", "homeostatic", "consolidation"),
    )


consolidated = register_rule(consolidated_hebbian())
