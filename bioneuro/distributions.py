"""Value distributions for parameters, initial values, weights and delays.

A distribution is sampled in two ways:

* `sample` draws values with a `numpy.random.Generator` when the number of values is known
  in Python (neuron parameters and initial values); the values reach a standalone binary
  through Brian2's ``run_args``, so changing them never recompiles;
* `code` returns a Brian2 expression whose numbers are *shared variables* of the group
  (``w_mean``, ``w_std``, ...), for per-synapse values whose count is only known inside the
  generated code. Those shared variables are again set through ``run_args``.

Only the kind of a distribution (and whether it is clipped) shapes generated code.
"""

import math
from dataclasses import dataclass

import numpy as np
from brian2.units.fundamentalunits import Quantity, get_unit

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import format_quantity, parse_quantity, si_value

__all__ = ["Distribution", "Constant", "Uniform", "Normal", "LogNormal", "Linspace",
           "PostVariable", "distribution"]


class Distribution:
    """Base class: a frozen description of how values are drawn."""

    kind = ""
    #: names of the fields that are quantities, in order
    _quantity_fields = ()

    def to_dict(self):
        """Plain-data form: a string for a constant, else ``{"kind": ..., field: "1 mV"}``."""
        data = {"kind": self.kind}
        for name in self._quantity_fields:
            value = getattr(self, name)
            if value is not None:
                data[name] = format_quantity(value)
        return data

    def check_unit(self, unit, field):
        """Raise `SpecError` unless every quantity of this distribution has `unit`'s dims."""
        from bioneuro.quantities import check_quantity

        for name in self._quantity_fields:
            value = getattr(self, name)
            if value is not None:
                check_quantity(value, f"{field}.{name}", unit)

    # -- per-variable shared parameters used by `code` --------------------------------
    def code_parameters(self):
        """``{suffix: Quantity}`` of the shared variables that `code` refers to."""
        return {name: getattr(self, name) for name in self._quantity_fields
                if getattr(self, name) is not None}

    def structure(self):
        """What of this distribution shapes generated code (its kind and clipping)."""
        return {"kind": self.kind,
                "fields": [n for n in self._quantity_fields if getattr(self, n) is not None]}


@dataclass(frozen=True)
class Constant(Distribution):
    """The same value everywhere.

    Parameters
    ----------
    value : Quantity
    """

    value: Quantity
    kind = "constant"
    _quantity_fields = ("value",)

    def to_dict(self):
        return format_quantity(self.value)

    def sample(self, rng, n):
        return np.full(n, si_value(self.value))

    def code(self, prefix):
        return f"{prefix}_value"


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on ``[low, high)``.

    Parameters
    ----------
    low, high : Quantity
        Bounds, same dimensions, ``low <= high``.
    """

    low: Quantity
    high: Quantity
    kind = "uniform"
    _quantity_fields = ("low", "high")

    def __post_init__(self):
        if si_value(self.high) < si_value(self.low):
            raise SpecError("uniform.high", format_quantity(self.high),
                            f"a value >= low ({format_quantity(self.low)})")

    def sample(self, rng, n):
        low, high = si_value(self.low), si_value(self.high)
        return low + (high - low) * rng.random(n)

    def code(self, prefix):
        return f"{prefix}_low + ({prefix}_high - {prefix}_low)*rand()"


@dataclass(frozen=True)
class Normal(Distribution):
    """Gaussian with optional clipping to ``[low, high]``.

    Parameters
    ----------
    mean, std : Quantity
        ``std >= 0``.
    low, high : Quantity, optional
        Values outside are clipped to the bound (not redrawn).
    """

    mean: Quantity
    std: Quantity
    low: Quantity = None
    high: Quantity = None
    kind = "normal"
    _quantity_fields = ("mean", "std", "low", "high")

    def __post_init__(self):
        if si_value(self.std) < 0:
            raise SpecError("normal.std", format_quantity(self.std), "a value >= 0")
        bounded = self.low is not None and self.high is not None
        if bounded and si_value(self.high) < si_value(self.low):
            raise SpecError("normal.high", format_quantity(self.high),
                            f"a value >= low ({format_quantity(self.low)})")

    def sample(self, rng, n):
        values = si_value(self.mean) + si_value(self.std) * rng.standard_normal(n)
        low = -np.inf if self.low is None else si_value(self.low)
        high = np.inf if self.high is None else si_value(self.high)
        return np.clip(values, low, high)

    def code_parameters(self):
        params = {"mean": self.mean, "std": self.std}
        if self.low is not None or self.high is not None:
            # a missing bound is an effectively infinite one, so one expression serves both
            params["low"] = self.low if self.low is not None else -1e300 * _unit_of(self.mean)
            params["high"] = self.high if self.high is not None else 1e300 * _unit_of(self.mean)
        return params

    def code(self, prefix):
        expr = f"{prefix}_mean + {prefix}_std*randn()"
        if self.low is not None or self.high is not None:
            return f"clip({expr}, {prefix}_low, {prefix}_high)"
        return expr

    def structure(self):
        return {"kind": self.kind, "clipped": self.low is not None or self.high is not None}


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Log-normal with the given mean and standard deviation of the values themselves.

    Parameters
    ----------
    mean : Quantity
        Mean of the values, ``> 0``.
    std : Quantity
        Standard deviation of the values, ``>= 0``.

    Notes
    -----
    With ``sigma**2 = log(1 + std**2/mean**2)`` and ``mu = log(mean) - sigma**2/2``, a value is
    ``exp(mu + sigma*N(0, 1))``; the sign of `mean` is kept so inhibitory weights can be
    given as negative values.
    """

    mean: Quantity
    std: Quantity
    kind = "lognormal"
    _quantity_fields = ("mean", "std")

    def __post_init__(self):
        if si_value(self.mean) == 0:
            raise SpecError("lognormal.mean", format_quantity(self.mean), "a non-zero value")
        if si_value(self.std) < 0:
            raise SpecError("lognormal.std", format_quantity(self.std), "a value >= 0")

    @property
    def sigma(self):
        """Standard deviation of the underlying Gaussian (dimensionless)."""
        ratio = si_value(self.std) / si_value(self.mean)
        return math.sqrt(math.log1p(ratio * ratio))

    def sample(self, rng, n):
        mean = si_value(self.mean)
        sigma = self.sigma
        median = abs(mean) * math.exp(-sigma * sigma / 2)
        return math.copysign(1.0, mean) * median * np.exp(sigma * rng.standard_normal(n))

    def code_parameters(self):
        sigma = self.sigma
        median = self.mean * math.exp(-sigma * sigma / 2)
        return {"median": median, "sigma": Quantity(sigma)}

    def code(self, prefix):
        return f"{prefix}_median*exp({prefix}_sigma*randn())"


@dataclass(frozen=True)
class Linspace(Distribution):
    """Evenly spaced values from `start` to `stop` (inclusive) over a population's neurons.

    Not random: neuron ``k`` of ``n`` gets ``start + (stop - start) k/(n - 1)``. One run of
    ``n`` copies of a cell then sweeps a parameter (a step amplitude for an f-I curve, a
    conductance for a bifurcation diagram). Only for neuron parameters and initial values,
    whose count is known before the build.

    Parameters
    ----------
    start, stop : Quantity
        Values of the first and last neuron (same dimensions; either order).
    """

    start: Quantity
    stop: Quantity
    kind = "linspace"
    _quantity_fields = ("start", "stop")

    def sample(self, rng, n):
        return np.linspace(si_value(self.start), si_value(self.stop), n)

    def code(self, prefix):
        raise SpecError(prefix, self.to_dict(), "a random or constant distribution (a "
                        "linspace sweep is for neuron parameters and initial values only)")

    @property
    def bounds(self):
        """``(lowest, highest)`` value."""
        return tuple(sorted((self.start, self.stop), key=si_value))


@dataclass(frozen=True)
class PostVariable(Distribution):
    """Each synapse takes the value of a variable of its postsynaptic neuron.

    For per-synapse values that must be equal for all synapses onto one neuron, such as a
    conduction latency that belongs to the receiving cell (the cerebellar granule-cell
    latencies of `bioneuro.regions.cerebellum`). The variable is a parameter or state
    variable of the post population's model (its values, drawn per neuron, reach a
    standalone binary as run-time values); `bioneuro.spec.Circuit` checks that it exists
    and has the projection field's unit. Only in generated code (synapse weights and
    delays).

    Parameters
    ----------
    variable : str
        Name of the postsynaptic model's variable (``"latency"``).
    """

    variable: str
    kind = "post"

    def __post_init__(self):
        if not isinstance(self.variable, str) or not self.variable.isidentifier():
            raise SpecError("post.variable", self.variable, "a variable name (identifier)")

    def to_dict(self):
        return {"kind": self.kind, "variable": self.variable}

    def check_unit(self, unit, field):
        """The variable's unit is the post model's: checked by `bioneuro.spec.Circuit`."""

    def code_parameters(self):
        return {}

    def sample(self, rng, n):
        raise SpecError("post.variable", self.variable, "a random or constant distribution "
                        "(a postsynaptic variable is for synapse weights and delays only)")

    def code(self, prefix):
        return f"{self.variable}_post"

    def structure(self):
        return {"kind": self.kind, "variable": self.variable}


_KINDS = {cls.kind: cls for cls in (Constant, Uniform, Normal, LogNormal, Linspace)}


def distribution(value, field, unit):
    """Build a `Distribution` from a quantity, a string or a dict, checking its unit.

    Parameters
    ----------
    value : Distribution, Quantity, str, number or dict
        ``-65*mV``, ``"-65 mV"``, ``{"kind": "uniform", "low": "-70 mV", "high": "-50 mV"}``.
    field : str
        Dotted field name for error messages.
    unit : Unit or str
        Unit the values must have.
    """
    if isinstance(value, Distribution):
        dist = value
    elif isinstance(value, dict):
        data = dict(value)
        kind = data.pop("kind", None)
        if kind == PostVariable.kind:
            if set(data) != {"variable"}:
                raise SpecError(field, value, "{'kind': 'post', 'variable': NAME}")
            return PostVariable(data["variable"])
        if kind not in _KINDS:
            raise UnknownNameError(f"{field}.kind", kind, [*_KINDS, PostVariable.kind])
        cls = _KINDS[kind]
        allowed = set(cls._quantity_fields)
        for key in data:
            if key not in allowed:
                raise UnknownNameError(f"{field}.{key}", key, allowed)
        try:
            dist = cls(**{k: parse_quantity(v, f"{field}.{k}", unit) for k, v in data.items()})
        except TypeError as exc:
            raise SpecError(field, value, f"fields of a {kind} distribution: "
                            f"{', '.join(cls._quantity_fields)} ({exc})") from None
        except SpecError as exc:
            raise SpecError(f"{field}.{exc.field.split('.')[-1]}", exc.value, exc.allowed) from None
    else:
        dist = Constant(parse_quantity(value, field, unit))
    dist.check_unit(unit, field)
    return dist


def _unit_of(value):
    return get_unit(Quantity(value).dim)
