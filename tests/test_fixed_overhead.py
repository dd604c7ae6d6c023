"""The fixed (per-process) overhead of a run is cut without changing what is checked.

Each shortcut here skips work whose answer is already known: the symbolic solution of an
exactly integrated model when no two of its parameters are (nearly) equal, a second parse
of a model's equations, a second construction of Brian2's unit namespace. The tests check
that the answer is the one the full computation gives (an independent oracle: Brian2's
parse, the symbolic solution itself) and that the work is indeed skipped.
"""

import itertools
import subprocess
import sys

import pytest
from bioneuro.models.lif import lif_curr_exp
from brian2 import Equations
from brian2.units import ms, mV, nS

import bioneuro as bn
from bioneuro.errors import SpecError
from bioneuro.exact_integration import (
    RELATIVE_SEPARATION,
    check_exact_integration,
    singular_parameter_pairs,
)


def test_exact_check_skips_the_symbolic_solution_without_equal_values():
    """CUBA's populations (Brette et al. 2007: tau_e 5 ms, tau_i 10 ms, tau_m 20 ms; the
    refractory period, 5 ms, equals tau_e but is not a name of the equations) need no
    SymPy solution: `singular_parameter_pairs` is not consulted."""
    from bioneuro.experiments import cuba

    before = singular_parameter_pairs.cache_info()
    exp = cuba(scale=0.05)
    assert {p.parameters["tau_ref"].value == p.parameters["tau_e"].value
            for p in exp.circuit.populations} == {True}
    after = singular_parameter_pairs.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)


@pytest.mark.parametrize("tau_e", [5 * ms, 20 * ms * (1 + RELATIVE_SEPARATION / 2),
                                   20 * ms * (1 + 10 * RELATIVE_SEPARATION), 20 * ms])
def test_exact_check_agrees_with_the_full_check(tau_e):
    """Oracle: the check without the shortcut (every singular pair of the solution compared)
    refuses exactly the values the shortcut refuses."""
    values = {name: par.default for name, par in lif_curr_exp.parameters.items()}
    values.update(tau_m=20 * ms, tau_e=tau_e, tau_i=3 * ms, V_reset=-70 * mV, E_L=-70 * mV)
    singular = singular_parameter_pairs(lif_curr_exp.equations,
                                        tuple(sorted(lif_curr_exp.parameters)))
    expected = any(abs(float(values[a]) - float(values[b]))
                   <= RELATIVE_SEPARATION * max(abs(float(values[a])), abs(float(values[b])))
                   for a, b in singular)
    try:
        check_exact_integration(lif_curr_exp, values, "p")
        refused = False
    except SpecError as error:
        refused = True
        assert "p.tau_e" in str(error) or "p.tau_m" in str(error)
    # 5 ms and 1e-5 apart are accepted, 0 and 5e-7 apart refused (V_reset == E_L, a pair
    # that is not in the solution, never is)
    assert refused == expected == (abs(float(tau_e) - 0.02) <= 0.02 * RELATIVE_SEPARATION)


def test_model_equations_parsed_once_and_current():
    """`NeuronModel.brian_equations` is parsed once per model and equals Brian2's own
    parse of `full_equations`; a changed model (``replace``) is parsed anew."""
    first = lif_curr_exp.brian_equations()
    assert first is lif_curr_exp.brian_equations()
    assert first == Equations(lif_curr_exp.full_equations())
    extra = dict(lif_curr_exp.parameters,
                 g_extra=bn.Parameter("nS", 1 * nS, "unused conductance"))
    changed = lif_curr_exp.replace(parameters=extra)
    assert "g_extra" in changed.brian_equations().names
    assert "g_extra" not in first.names
    assert changed.variable_units()["g_extra"] == Equations(
        changed.full_equations())["g_extra"].unit


def test_unit_check_namespace_is_shared_but_not_mutated():
    """The units namespace is built once; a model's variables do not leak into it (a later
    model with a variable of the same name and another unit is checked on its own)."""
    from bioneuro.equation_units import _default_namespace, _namespace

    eqs = [Equations("dx/dt = -x / tau : volt\ntau : second"),
           Equations("dx/dt = -x / tau : amp\ntau : second")]
    for a, b in itertools.permutations(eqs):
        assert _namespace(a)["x"].dim == a["x"].dim
        assert _namespace(b)["x"].dim == b["x"].dim
    assert "x" not in _default_namespace() and "tau" not in _default_namespace()
    bn.NeuronModel("amp_leak", "dI/dt = -I / tau_w : amp", {"tau_w": bn.Parameter(
        "ms", 10 * ms, "decay")}, voltage="")
    with pytest.raises(SpecError, match="amp_volt"):
        bn.NeuronModel("amp_volt", "dI/dt = -I / tau_w * volt : amp", {"tau_w": bn.Parameter(
            "ms", 10 * ms, "decay")}, voltage="")


def test_command_imports_brian2_without_pylab():
    """The ``bioneuro`` command skips Brian2's ``from pylab import *`` (matplotlib's pyplot,
    ~0.5 s) and leaves ``pylab`` importable; in a fresh interpreter, as the command runs."""
    code = (
        "import sys\n"
        "from bioneuro.cli import import_brian2_without_pylab\n"
        "import_brian2_without_pylab()\n"
        "import brian2\n"
        "assert 'matplotlib.pyplot' not in sys.modules and not hasattr(brian2, 'plot')\n"
        "assert brian2.exp is brian2.numpy_.exp  # Brian2's unit-aware functions\n"
        "import pylab\n"
        "assert callable(pylab.plot)\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
