"""Generalised Hebbian algorithm (Sanger's rule), linear and nonlinear, for rate neurons.

For ``M`` linear output neurons ``y_i = sum_j w_ij x_j``, Sanger's rule::

    tau_w dw_ij/dt = w_ref f(y_i) (x_j - sum_{k <= i} w_kj y_k / w_ref) / nu_ref^2

with ``f(y) = y`` extracts the leading ``M`` principal components of the input, in order,
as orthonormal weight vectors (Sanger 1989): output 0 follows Oja's rule, and each further
output learns Oja's rule on the input minus the reconstruction from the outputs before it.
With ``f(y) = y^3 / nu_ref^2`` (``nonlinearity="cubic"``) and whitened input, the rule is
a nonlinear Hebbian rule whose stable weight vectors maximise the kurtosis of ``y``: for
super-Gaussian sources it recovers independent components (one-unit rule ``dw ~ y^3 (x -
y w)``: the gradient of ``E[y^4]`` on the unit sphere; Hyvarinen & Oja 1998; Karhunen et
al. 1997 for the hierarchical, deflationary form).

The lower-triangular term ``sum_{k <= i} w_kj y_k`` is the local ``w_ij y_i`` plus a sum
over the outputs ``k < i`` for each *input* ``j``: the rule writes the partial sums into
``M - 1`` variables ``sanger_0 ... sanger_{M-2}`` of the presynaptic neurons
(``sanger_m_pre = sum_{k <= m} w_kj y_k``, Brian2 summed variables on the presynaptic
side), and synapse ``(j, i)`` reads ``sanger_{i-1}_pre``. With ``M >= 2`` the presynaptic
population therefore needs those variables: compose `sanger_feedback` onto its model
(``compose(rate_linear, sanger_feedback(M))``), or declare them in a
`bioneuro.protocols.RatePatterns` source (``variables=feedback_variables(M)``); with
``M = 1`` the rule is local (Oja's rule, or its cubic form).
"""

from bioneuro.models.composition import Mechanism
from bioneuro.models.plasticity.rule import weight_parameter
from brian2.units import Hz, second

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["generalised_hebbian", "sanger_feedback", "NONLINEARITIES", "feedback_variable",
           "feedback_variables"]

#: postsynaptic factor f(y) of the rule
NONLINEARITIES = {"linear": "r_post", "cubic": "r_post**3/nu_ref**2",
                  "saturating": "r_post**3/(nu_ref**2 + r_post**2)"}

SANGER_1989 = Reference("Sanger (1989) Optimal unsupervised learning in a single-layer linear "
                        "feedforward neural network, Neural Netw 2:459",
                        "10.1016/0893-6080(89)90044-0")
HYVARINEN_OJA_1998 = Reference("Hyvarinen & Oja (1998) Independent component analysis by "
                               "general nonlinear Hebbian-like learning rules, Signal "
                               "Process 64:301", "10.1016/S0165-1684(97)00197-7")
KARHUNEN_1997 = Reference("Karhunen, Oja, Wang, Vigario & Joutsensalo (1997) A class of "
                          "neural networks for independent component analysis, IEEE Trans "
                          "Neural Netw 8:486", "10.1109/72.572090")
OJA_1982 = Reference("Oja (1982) A simplified neuron model as a principal component "
                     "analyzer, J Math Biol 15:267", "10.1007/BF00275687")


def feedback_variable(m):
    """Name of the presynaptic variable holding ``sum_{k <= m} w_kj y_k``."""
    return f"sanger_{m}"


def feedback_variables(n_components):
    """Names of the presynaptic variables a rule with `n_components` outputs writes."""
    return tuple(feedback_variable(m) for m in range(n_components - 1))


def _check_components(n_components, where):
    if isinstance(n_components, bool) or not isinstance(n_components, int) or n_components < 1:
        raise SpecError(where, n_components, "an integer >= 1")


def sanger_feedback(n_components):
    """Mechanism adding the feedback variables ``sanger_0 ...`` (Hz) to a presynaptic model.

    Parameters
    ----------
    n_components : int
        Number of output neurons of the `generalised_hebbian` projections it feeds.
    """
    _check_components(n_components, "sanger_feedback.n_components")
    if n_components < 2:
        raise SpecError("sanger_feedback.n_components", n_components,
                        "an integer >= 2 (one output needs no feedback)")
    names = feedback_variables(n_components)
    return Mechanism(
        name=f"sanger{n_components}",
        equations="\n".join(f"{name} : Hz" for name in names),
        targets={name: name for name in names},
        description=f"Feedback variables sanger_0..{n_components - 2} (reconstructions "
                    "of the input by the first outputs) of Sanger's rule",
        references=(SANGER_1989,))


def generalised_hebbian(n_components, nonlinearity="linear", *, w_ref=1.0,
                        tau_w=10 * second, nu_ref=10 * Hz, name=None):
    """Sanger's generalised Hebbian rule between rate neurons (see the module docstring).

    Parameters
    ----------
    n_components : int
        Number of postsynaptic neurons (outputs ``0 .. n_components - 1``).
    nonlinearity : {"linear", "cubic", "saturating"}
        Postsynaptic factor ``f(y)``: ``y`` (principal components) or ``y^3/nu_ref^2``
        (independent components of whitened, super-Gaussian input), or
        ``y^3/(nu_ref^2 + y^2)``: cubic for small ``y`` and linear for large ``y``, so
        rare large outputs (edges in image patches) do not destabilise learning; on
        whitened input it ascends ``E[y^2/2 - log(1 + y^2)/2]``, i.e. seeks sparse
        (super-Gaussian) outputs.
    w_ref : float
        Weight scale (weights of rate couplings are dimensionless).
    tau_w : Quantity
        Learning time constant.
    nu_ref : Quantity
        Rate scale (input and output rates in units of `nu_ref`).
    name : str, optional
        Default ``sanger_<nonlinearity>_<n_components>``.
    """
    _check_components(n_components, "generalised_hebbian.n_components")
    if nonlinearity not in NONLINEARITIES:
        raise UnknownNameError("generalised_hebbian.nonlinearity", nonlinearity,
                               NONLINEARITIES)
    reconstruction = " + ".join(["w/w_ref*r_post"] + [
        f"int(j == {m + 1})*{feedback_variable(m)}_pre" for m in range(n_components - 1)])
    lines = [f"dw/dt = w_ref*{NONLINEARITIES[nonlinearity]}*(r_pre - reconstruction)"
             "/nu_ref**2/tau_w : {weight_unit} (clock-driven)",
             f"reconstruction = {reconstruction} : Hz",
             "{target}_post = w*r_pre : {target_unit} (summed)"]
    lines += [f"{feedback_variable(m)}_pre = w/w_ref*r_post*int(j <= {m}) : Hz (summed)"
              for m in range(n_components - 1)]
    refs = (SANGER_1989, OJA_1982) if nonlinearity == "linear" else (
        HYVARINEN_OJA_1998, KARHUNEN_1997, SANGER_1989)
    return SynapseModel(
        name=name or f"sanger_{nonlinearity}_{n_components}",
        model="\n".join(lines), on_pre="",
        parameters={
            "w_ref": weight_parameter(w_ref, "weight scale"),
            "tau_w": Parameter("s", tau_w, "learning time constant", low="1 ms", shared=True),
            "nu_ref": Parameter("Hz", nu_ref, "rate scale", low="0.001 Hz", shared=True),
        },
        method="euler", weight_unit="1",
        description=f"Generalised Hebbian algorithm ({nonlinearity}, {n_components} outputs): "
                    "tau_w dw_ij/dt = w_ref f(y_i)(x_j - sum_{k<=i} w_kj y_k/w_ref)/nu_ref^2.",
        references=refs,
        tags=("plasticity", "rate-based", "sanger"),
    )
