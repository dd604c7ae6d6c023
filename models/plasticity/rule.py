"""How a plasticity rule is declared: weight-unit parameters and registration.

A rule's weight ``w`` has the unit of the projection's target (``{weight_unit}``), so its
bounds and scales are parameters in that unit; the rule factories take them as Quantities
(``stdp(w_max=2*nS)`` for a conductance kernel, ``stdp(w_max=50*pA)`` for a current kernel)
and the registered defaults use conductances. Weight-unit parameters are named ``w_*``
(``w_max``, ``w_ref``, ...): a circuit checks their dimensions against the projection's
weight.
"""

from bioneuro.quantities import preferred_unit
from bioneuro.registry import register
from bioneuro.spec import Parameter

__all__ = ["weight_parameter", "register_rule"]


def weight_parameter(value, description, low=None):
    """A shared rule parameter in the unit of the weight (display unit from `value`).

    Parameters
    ----------
    value : Quantity
        Default value; its dimensions fix the unit (the rule then suits kernels whose
        weight has these dimensions).
    description : str
    low : Quantity, optional
        Lower bound of the allowed range (default 0).
    """
    return Parameter(preferred_unit(value), value, description,
                     low=0 * value if low is None else low, shared=True)


def register_rule(model):
    """Register `model` in the ``plasticity`` catalogue and as a synapse model."""
    register("plasticity", model.name, model)
    return register("synapses", model.name, model)
