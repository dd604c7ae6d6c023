"""Connection rules of projections.

Each rule turns into the arguments of Brian2's ``Synapses.connect`` so that connectivity is
generated inside the compiled code with the run's seed: a different seed re-uses the same
binary. `FixedTotalNumber` has no such form in Brian2; it draws its pairs with NumPy, so its
pairs (and therefore its seed) are part of the generated code.
"""

import ast
from dataclasses import dataclass

import numpy as np
from brian2.core.functions import DEFAULT_CONSTANTS, DEFAULT_FUNCTIONS
from brian2.core.namespace import DEFAULT_UNITS
from brian2.utils.stringtools import get_identifiers

from bioneuro.errors import SpecError, UnknownNameError

__all__ = [
    "ConnectionRule",
    "Bernoulli",
    "FixedInDegree",
    "FixedOutDegree",
    "FixedTotalNumber",
    "OneToOne",
    "AllToAll",
    "Condition",
    "connection_rule",
]


class ConnectionRule:
    """Base class of connection rules."""

    kind = ""
    #: True if the generated code depends on the seed (pairs drawn in Python)
    seed_in_code = False

    def to_dict(self):
        data = {"kind": self.kind}
        data.update({k: v for k, v in self.__dict__.items()})
        return data

    def check_sizes(self, n_pre, n_post, same_population, field):
        """Raise `SpecError` if the rule cannot be realised for these population sizes."""

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        """Keyword arguments for `brian2.Synapses.connect`."""
        raise NotImplementedError

    def check_names(self, pre_variables, post_variables, field):
        """Raise `SpecError` if the rule's expressions use names the populations lack."""

    def synapse_count(self, n_pre, n_post, same_population):
        """Number of synapses if the rule fixes it (else ``None``: drawn at run time)."""
        return None

    def expected_synapse_count(self, n_pre, n_post, same_population):
        """Expected number of synapses: the fixed count, else an estimate (every pair for
        a rule whose probability is not known before the run)."""
        count = self.synapse_count(n_pre, n_post, same_population)
        return n_pre * n_post if count is None else count


def _autapse_condition(allow_autapses, same_population):
    return None if allow_autapses or not same_population else "i != j"


@dataclass(frozen=True)
class Bernoulli(ConnectionRule):
    """Each pair is connected independently with probability `p` (NEST ``pairwise_bernoulli``).

    Parameters
    ----------
    p : float
        Connection probability in ``[0, 1]``.
    allow_autapses : bool
        Allow ``i == j`` when pre and post are the same population.
    """

    p: float
    allow_autapses: bool = True
    kind = "bernoulli"

    def __post_init__(self):
        try:
            p = float(self.p)
        except (TypeError, ValueError):
            raise SpecError("connectivity.p", self.p, "a probability in [0, 1]") from None
        if not 0 <= p <= 1:
            raise SpecError("connectivity.p", self.p, "a probability in [0, 1]")
        object.__setattr__(self, "p", p)

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        condition = _autapse_condition(self.allow_autapses, same_population)
        return {"condition": condition or True, "p": float(self.p)}

    def expected_synapse_count(self, n_pre, n_post, same_population):
        return self.p * n_pre * n_post


@dataclass(frozen=True)
class FixedInDegree(ConnectionRule):
    """Every postsynaptic neuron receives exactly `k` synapses from distinct random sources.

    Parameters
    ----------
    k : int
        In-degree, ``0 <= k <= n_pre`` (``n_pre - 1`` without autapses).
    allow_autapses : bool
    """

    k: int
    allow_autapses: bool = True
    kind = "fixed_indegree"

    def __post_init__(self):
        if int(self.k) != self.k or self.k < 0:
            raise SpecError("connectivity.k", self.k, "a non-negative integer")

    def check_sizes(self, n_pre, n_post, same_population, field):
        limit = n_pre - (0 if self.allow_autapses or not same_population else 1)
        if self.k > limit:
            raise SpecError(f"{field}.k", self.k, f"at most {limit} (presynaptic candidates)")

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        if self.allow_autapses or not same_population:
            return {"i": f"k for k in sample(N_pre, size={int(self.k)})"}
        # sample from N_pre - 1 candidates and skip over the neuron itself
        return {"i": f"k + int(k >= j) for k in sample(N_pre - 1, size={int(self.k)})"}

    def synapse_count(self, n_pre, n_post, same_population):
        return int(self.k) * n_post


@dataclass(frozen=True)
class FixedOutDegree(ConnectionRule):
    """Every presynaptic neuron makes exactly `k` synapses onto distinct random targets."""

    k: int
    allow_autapses: bool = True
    kind = "fixed_outdegree"

    def __post_init__(self):
        if int(self.k) != self.k or self.k < 0:
            raise SpecError("connectivity.k", self.k, "a non-negative integer")

    def check_sizes(self, n_pre, n_post, same_population, field):
        limit = n_post - (0 if self.allow_autapses or not same_population else 1)
        if self.k > limit:
            raise SpecError(f"{field}.k", self.k, f"at most {limit} (postsynaptic candidates)")

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        if self.allow_autapses or not same_population:
            return {"j": f"k for k in sample(N_post, size={int(self.k)})"}
        return {"j": f"k + int(k >= i) for k in sample(N_post - 1, size={int(self.k)})"}

    def synapse_count(self, n_pre, n_post, same_population):
        return int(self.k) * n_pre


@dataclass(frozen=True)
class FixedTotalNumber(ConnectionRule):
    """Exactly `n` synapses between uniformly drawn pairs (with multapses, NEST default).

    The pairs are drawn with NumPy from the run's seed and become part of the generated code,
    so each seed needs its own build.
    """

    n: int
    allow_autapses: bool = True
    kind = "fixed_total_number"
    seed_in_code = True

    def __post_init__(self):
        if int(self.n) != self.n or self.n < 0:
            raise SpecError("connectivity.n", self.n, "a non-negative integer")

    def check_sizes(self, n_pre, n_post, same_population, field):
        if same_population and not self.allow_autapses and n_pre < 2 and self.n > 0:
            raise SpecError(f"{field}.n", self.n, "0 when a one-neuron population has no autapses")

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        pre = rng.integers(0, n_pre, size=int(self.n), dtype=np.int32)
        post = rng.integers(0, n_post, size=int(self.n), dtype=np.int32)
        if same_population and not self.allow_autapses:
            clash = pre == post
            while clash.any():
                post[clash] = rng.integers(0, n_post, size=int(clash.sum()), dtype=np.int32)
                clash = pre == post
        order = np.lexsort((post, pre))
        return {"i": pre[order], "j": post[order]}

    def synapse_count(self, n_pre, n_post, same_population):
        return int(self.n)


@dataclass(frozen=True)
class OneToOne(ConnectionRule):
    """Neuron ``i`` of pre connects to neuron ``i`` of post (equal sizes)."""

    kind = "one_to_one"

    def check_sizes(self, n_pre, n_post, same_population, field):
        if n_pre != n_post:
            raise SpecError(field, f"{n_pre} -> {n_post} neurons",
                            "equal pre and post sizes for one_to_one")

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        return {"j": "i"}

    def synapse_count(self, n_pre, n_post, same_population):
        return n_pre


@dataclass(frozen=True)
class AllToAll(ConnectionRule):
    """Every pre neuron connects to every post neuron."""

    allow_autapses: bool = True
    kind = "all_to_all"

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        condition = _autapse_condition(self.allow_autapses, same_population)
        return {"condition": condition or True}

    def synapse_count(self, n_pre, n_post, same_population):
        autapses = same_population and not self.allow_autapses
        return n_pre * n_post - (n_pre if autapses else 0)


@dataclass(frozen=True)
class Condition(ConnectionRule):
    """A Brian2 condition string on ``i``, ``j`` and pre/post variables, with probability `p`.

    Parameters
    ----------
    condition : str
        E.g. ``"abs(i - j) <= 2"``.
    p : float or str
        Probability (may itself be an expression).
    """

    condition: str
    p: object = 1.0
    kind = "condition"

    def __post_init__(self):
        if not isinstance(self.condition, str) or not self.condition.strip():
            raise SpecError("connectivity.condition", self.condition,
                            "a non-empty Brian2 boolean expression")
        _check_syntax(self.condition, "connectivity.condition")
        if isinstance(self.p, str):
            _check_syntax(self.p, "connectivity.p")
        elif not 0 <= float(self.p) <= 1:
            raise SpecError("connectivity.p", self.p, "a probability in [0, 1] or an expression")

    def check_names(self, pre_variables, post_variables, field):
        """Every name in `condition` and `p` is ``i``, ``j``, ``N_pre``, ``N_post``, a Brian2
        function, constant or unit, or ``<variable>_pre`` / ``<variable>_post`` of the pre- /
        postsynaptic model."""
        ends = {"_pre": set(pre_variables) | _GROUP_VARIABLES,
                "_post": set(post_variables) | _GROUP_VARIABLES}
        for key in ("condition", "p"):
            expression = getattr(self, key)
            if not isinstance(expression, str):
                continue
            for name in sorted(get_identifiers(expression)):
                end = next((e for e in ends if name.endswith(e)), None)
                if end is not None and name[:-len(end)] in ends[end]:
                    continue
                if name in _CONNECT_NAMES or name in DEFAULT_FUNCTIONS \
                        or name in DEFAULT_CONSTANTS or name in DEFAULT_UNITS:
                    continue
                side = "pre" if end == "_pre" else "post" if end == "_post" else None
                known = sorted(ends["_" + side]) if side else sorted(_CONNECT_NAMES)
                raise SpecError(f"{field}.{key}", expression,
                                f"an expression whose name {name!r} is known: "
                                + (f"variables of the {side}synaptic model with the suffix "
                                   f"_{side} ({', '.join(known)})" if side else
                                   f"{', '.join(known)}, <variable>_pre, <variable>_post, "
                                   "Brian2 functions, constants and units"))

    def connect_arguments(self, n_pre, n_post, same_population, rng):
        p = self.p if isinstance(self.p, str) else float(self.p)
        return {"condition": self.condition, "p": p}

    def expected_synapse_count(self, n_pre, n_post, same_population):
        # an upper bound: the condition and an expression-valued p are known only in code
        return (1.0 if isinstance(self.p, str) else float(self.p)) * n_pre * n_post


#: names a connection expression may use besides model variables, functions, constants, units
_CONNECT_NAMES = {"i", "j", "N_pre", "N_post", "N_incoming", "N_outgoing", "True", "False"}
#: variables every NeuronGroup has besides its model's (usable with _pre / _post)
_GROUP_VARIABLES = {"i", "N", "lastspike", "not_refractory"}


def _check_syntax(expression, field):
    """`SpecError` naming `field` unless `expression` parses as a Python/Brian2 expression."""
    try:
        ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise SpecError(field, expression, f"a valid Brian2 expression ({error.msg} at "
                        f"column {error.offset})") from None


_RULES = {cls.kind: cls for cls in (Bernoulli, FixedInDegree, FixedOutDegree,
                                     FixedTotalNumber, OneToOne, AllToAll, Condition)}


def connection_rule(value, field="connectivity"):
    """A `ConnectionRule` from a rule, a dict like ``{"kind": "bernoulli", "p": 0.02}`` or the
    name of a rule without required parameters (``"one_to_one"``, ``"all_to_all"``)."""
    if isinstance(value, ConnectionRule):
        return value
    if isinstance(value, str) and value in _RULES:   # a rule without parameters, by name
        value = {"kind": value}
    if not isinstance(value, dict):
        raise SpecError(field, value, "a connection rule or a dict with a 'kind' of "
                        + ", ".join(sorted(_RULES)))
    data = dict(value)
    kind = data.pop("kind", None)
    if kind not in _RULES:
        raise UnknownNameError(f"{field}.kind", kind, _RULES)
    cls = _RULES[kind]
    fields = set(cls.__dataclass_fields__)
    for key in data:
        if key not in fields:
            raise UnknownNameError(f"{field}.{key}", key, fields)
    try:
        return cls(**data)
    except TypeError as exc:
        allowed = f"fields of {kind}: {', '.join(sorted(fields))} ({exc})"
        raise SpecError(field, value, allowed) from None
    except SpecError as exc:
        raise SpecError(f"{field}.{exc.field.split('.')[-1]}", exc.value, exc.allowed) from None
