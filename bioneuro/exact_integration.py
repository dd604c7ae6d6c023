"""Where Brian2's exact (linear) integrator divides by zero, and the check that refuses it.

Brian2 integrates linear equations with ``method="exact"`` by solving them symbolically with
free parameters. For a LIF membrane driven by an exponential synaptic current the solution
(Rotter & Diesmann 1999, doi:10.1007/s004220050570) contains

    I_e * tau_e * tau_m * (exp(-dt/tau_m) - exp(-dt/tau_e)) / (C_m * (tau_e - tau_m)),

which is 0/0 when ``tau_m == tau_e``: every neuron's ``v`` becomes NaN in the first step.
NEST's ``iaf_psc_exp`` handles that case with a separate propagator; Brian2's generated code
does not. The singular pairs are read from the model's own solution (the factors of the
update expressions' denominators that are differences of two parameters), so the check
follows the equations rather than a hand-kept list, and populations whose values make such
a pair (nearly) equal are refused with the field, the values and what is allowed.
"""

from functools import lru_cache

import sympy
from brian2.equations.equations import Equations
from brian2.parsing.sympytools import str_to_sympy
from brian2.stateupdaters.exact import linear

from bioneuro.errors import SpecError
from bioneuro.quantities import display_quantity, si_value

__all__ = ["singular_parameter_pairs", "check_exact_integration", "RELATIVE_SEPARATION"]

#: smallest relative difference ``|a - b| / max(|a|, |b|)`` accepted for a singular pair. The
#: numerator of the solution is a difference of exponentials of relative size ``dt/tau * r``
#: for a relative separation ``r``; at ``r = 1e-6`` and ``dt/tau = 1e-3`` it keeps ~7 of the
#: 16 significant digits of double precision.
RELATIVE_SEPARATION = 1e-6


@lru_cache(maxsize=None)
def singular_parameter_pairs(equations, parameters):
    """Pairs of parameters whose equality makes the exact solution of `equations` singular.

    Parameters
    ----------
    equations : str
        Brian2 equations, integrated with ``method="exact"``.
    parameters : tuple of str
        The model's parameter names (only pairs of these are reported).

    Returns
    -------
    tuple of (str, str)
        Sorted pairs ``(a, b)`` such that ``a - b`` divides an update expression.
    """
    update = linear(Equations(equations), variables=None)
    names = set(parameters)
    pairs = set()
    for line in update.splitlines():
        if "=" not in line:
            continue
        expression = sympy.together(str_to_sympy(line.split("=", 1)[1].strip()))
        for factor, _power in sympy.factor_list(sympy.denom(expression))[1]:
            symbols = sorted(str(s) for s in factor.free_symbols)
            if len(symbols) != 2 or not set(symbols) <= names:
                continue
            a, b = (sympy.Symbol(s, real=True) for s in symbols)
            factor = factor.subs({sympy.Symbol(s): sympy.Symbol(s, real=True) for s in symbols})
            if sympy.expand(factor - (a - b)) == 0 or sympy.expand(factor + (a - b)) == 0:
                pairs.add(tuple(symbols))
    return tuple(sorted(pairs))


def check_exact_integration(model, values, where, set_here=()):
    """Refuse constant parameter values for which `model`'s exact update divides by zero.

    Parameters
    ----------
    model : NeuronModel
        A model; nothing is checked unless its method is ``"exact"``.
    values : mapping of str to Quantity
        The population's constant parameter values (defaults filled in by the caller).
    where : str
        Field prefix for the error, e.g. ``"populations.E.parameters"``.
    set_here : collection of str
        Names the population sets itself (rather than taking the model's default): the error
        names one of these when it can.

    Raises
    ------
    SpecError
        Naming the pair, both values and what is allowed.
    """
    if model.method != "exact":
        return
    for a, b in singular_parameter_pairs(model.equations, tuple(sorted(model.parameters))):
        if a not in values or b not in values:
            continue
        va, vb = si_value(values[a]), si_value(values[b])
        scale = max(abs(va), abs(vb))
        if scale > 0 and abs(va - vb) <= RELATIVE_SEPARATION * scale:
            if a not in set_here and b in set_here:
                a, b = b, a
            unit = model.parameters[a].unit
            raise SpecError(
                f"{where}.{a}", f"{display_quantity(values[a], unit)} "
                f"(= {b} {display_quantity(values[b], unit)})",
                f"a value that differs from {b} by more than {RELATIVE_SEPARATION:g} "
                f"(relative): {model.name!r} is integrated exactly, and its solution divides "
                f"by {a} - {b} (use values that differ, or a model integrated with "
                "exponential_euler)")
