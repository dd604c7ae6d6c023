"""Dimensional consistency of a model's equations, checked when the model is defined.

Brian2 checks the units of equations only when a group is about to run, and reports a
mismatch as an error of the generated object (``neurons_0``). Models here are checked when
they are made (`bioneuro.spec.NeuronModel`, so also every model a mechanism is composed
into): for each differential equation ``dx/dt = f`` the dimension of ``f`` must be that of
``x`` per second, for each subexpression that of its declared unit. A mechanism built with
a parameter in the wrong unit (``adaptation_current(a=4*mV)``: ``a_w (v - E_L)`` in V^2 for
a current ``w_a``) is refused there, naming the model, the equation and both units.

Names the equations take from elsewhere (functions and tables added by protocols at build
time) are not known yet; equations using them are left to Brian2's own check at run time.
"""

from brian2.core.namespace import DEFAULT_CONSTANTS, DEFAULT_FUNCTIONS, DEFAULT_UNITS
from brian2.core.variables import Constant, Variable
from brian2.equations.equations import DIFFERENTIAL_EQUATION, PARAMETER
from brian2.parsing.expressions import parse_expression_dimensions
from brian2.units.allunits import second
from brian2.units.fundamentalunits import DIMENSIONLESS, DimensionMismatchError

from bioneuro.errors import SpecError

__all__ = ["check_equation_units"]

_TIME = second.dim
#: names every Brian2 group provides
_GROUP_VARIABLES = {"t": _TIME, "dt": _TIME, "t_in_timesteps": DIMENSIONLESS,
                    "i": DIMENSIONLESS, "N": DIMENSIONLESS}


def _namespace(equations):
    variables = {name: Variable(name=name, dimensions=dim)
                 for name, dim in _GROUP_VARIABLES.items()}
    variables.update({name: Constant(name, float(unit), dimensions=unit.dim)
                      for name, unit in DEFAULT_UNITS.items()})
    variables.update(DEFAULT_CONSTANTS)
    variables.update(DEFAULT_FUNCTIONS)
    for name in equations.stochastic_variables:  # white noise xi: 1/sqrt(s)
        variables[name] = Variable(name=name, dimensions=(second ** -0.5).dim)
    for name, eq in equations.items():
        variables[name] = Variable(name=name, dimensions=eq.dim)
    return variables


def check_equation_units(equations, where):
    """Raise `SpecError` if an equation of `equations` mixes dimensions.

    Parameters
    ----------
    equations : brian2.Equations
        The model's equations, parameters included (their declared units).
    where : str
        Field for the error, e.g. ``"models.adex_curr_exp.equations"``.
    """
    variables = _namespace(equations)
    for name, eq in equations.items():
        if eq.type == PARAMETER:
            continue
        code = str(eq.expr.code)
        expected = eq.dim / _TIME if eq.type == DIFFERENTIAL_EQUATION else eq.dim
        try:
            found = parse_expression_dimensions(code, variables)
        except DimensionMismatchError as exc:
            raise SpecError(where, f"{name}: {code}", f"dimensionally consistent equations "
                            f"({exc.desc if hasattr(exc, 'desc') else exc})") from None
        except (KeyError, SyntaxError, ValueError, TypeError):
            continue  # a name defined at build time (a protocol's table): Brian2 checks it
        if found != expected:
            kind = f"d{name}/dt" if eq.type == DIFFERENTIAL_EQUATION else name
            raise SpecError(where, f"{kind} = {code}",
                            f"an expression in {_show(expected)} (it is in {_show(found)})")


def _show(dimensions):
    text = str(dimensions)
    return "a dimensionless quantity" if dimensions is DIMENSIONLESS or text == "1" else text
