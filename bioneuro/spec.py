"""Frozen, validated specifications: models, populations, projections, circuits, experiments.

Specs are plain data. They never hold Brian2 groups (only `bioneuro.build` creates those),
round-trip through dicts and YAML (`to_dict`/`from_dict`, `to_yaml`/`from_yaml`), and have a
stable content hash (`content_hash`).
"""

import hashlib
import json
import math
import re
from dataclasses import MISSING, dataclass, field, fields, replace
from types import MappingProxyType

import numpy as np
import yaml
from brian2.equations.equations import Equations
from brian2.units.fundamentalunits import Quantity, get_dimensions

from bioneuro.connectivity import connection_rule
from bioneuro.distributions import Constant, Distribution, distribution
from bioneuro.docstrings import spec_docstring
from bioneuro.equation_units import check_equation_units
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.exact_integration import check_exact_integration
from bioneuro.quantities import (
    check_quantity,
    display_quantity,
    equation_unit,
    format_quantity,
    parse_quantity,
    parse_unit,
    si_value,
    unit_string,
)

__all__ = [
    "Reference",
    "Parameter",
    "Regularly",
    "NeuronModel",
    "SynapseModel",
    "CellType",
    "Population",
    "Projection",
    "PoissonInput",
    "StateProbe",
    "Recording",
    "Circuit",
    "Experiment",
    "content_hash",
]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_INTEGRATION_METHODS = ("exact", "euler", "exponential_euler", "rk2", "rk4", "heun",
                        "milstein", "linear")


def _check_name(value, field_name):
    if not isinstance(value, str) or not _NAME.match(value):
        raise SpecError(field_name, value,
                        "a name made of letters, digits and '_', starting with a letter")
    return value


def _frozen_mapping(mapping):
    return MappingProxyType(dict(mapping))


def _check_keys(data, allowed, field_name, required=()):
    if not isinstance(data, dict):
        raise SpecError(field_name, data, "a mapping")
    for key in data:
        if key not in allowed:
            raise UnknownNameError(f"{field_name}.{key}", key, allowed)
    missing = [key for key in required if key not in data]
    if missing:
        raise SpecError(field_name, sorted(data), "a mapping with the fields "
                        f"{', '.join(required)} (missing: {', '.join(missing)})")


def _check_fields(data, cls, field_name):
    """`_check_keys` against the fields of the dataclass `cls` (required: those without a
    default)."""
    _check_keys(data, {f.name for f in fields(cls)}, field_name, required=[
        f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING])


def content_hash(data):
    """SHA-256 (hex) of the canonical JSON form of plain `data`."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class _Spec:
    """Shared behaviour: dict/YAML round trip and content hash."""

    def to_dict(self):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def to_yaml(self):
        """YAML text of `to_dict`."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False)

    def to_json(self):
        """Canonical JSON text of `to_dict`."""
        return json.dumps(self.to_dict(), sort_keys=True)

    def content_hash(self):
        """Stable SHA-256 of the spec's content (independent of Python object identity)."""
        return content_hash(self.to_dict())

    def replace(self, **changes):
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Reference(_Spec):
    """A literature reference.

    Parameters
    ----------
    citation : str
        Short citation, e.g. ``"Brette et al. (2007) J Comput Neurosci 23:349"``.
    doi : str
        DOI without the resolver prefix.
    """

    citation: str
    doi: str = ""

    def to_dict(self):
        return {"citation": self.citation, "doi": self.doi}

    @classmethod
    def from_dict(cls, data):
        if isinstance(data, str):
            return cls(data)
        _check_keys(data, {"citation", "doi"}, "reference")
        return cls(**data)


@dataclass(frozen=True)
class Parameter(_Spec):
    """A model parameter: a Brian2 group variable with a default value and an allowed range.

    Parameters
    ----------
    unit : str
        Brian2 unit of the values (``"mV"``, ``"nS"``, ``"1"``).
    default : Quantity
        Default value.
    description : str
        One line: what the parameter means.
    low, high : float or Quantity, optional
        Allowed range (inclusive); ``None`` means unbounded.
    shared : bool
        A single value for the whole group (``(shared, constant)``) instead of one per
        neuron/synapse.
    """

    unit: str
    default: Quantity
    description: str
    low: object = None
    high: object = None
    shared: bool = False

    def __post_init__(self):
        # a Parameter does not know its name: errors name it by its description
        where = f"parameter '{self.description}'"
        unit = parse_unit(self.unit, f"{where}.unit")
        object.__setattr__(self, "default", parse_quantity(self.default, where, unit))
        for bound in ("low", "high"):
            value = getattr(self, bound)
            if value is not None:
                object.__setattr__(self, bound, parse_quantity(value, f"{where}.{bound}", unit))
        self.check(self.default, where)

    @property
    def brian_unit(self):
        return parse_unit(self.unit)

    def allowed(self):
        """Human-readable allowed range."""
        low = "-inf" if self.low is None else display_quantity(self.low, self.unit)
        high = "inf" if self.high is None else display_quantity(self.high, self.unit)
        kind = "a dimensionless value" if self.unit == "1" else f"a value in {self.unit}"
        return f"{kind} within [{low}, {high}]"

    def check(self, values, field_name):
        """Raise `SpecError` if any of `values` (Quantity, array) is outside the range."""
        arr = Quantity(values)
        if get_dimensions(arr) != get_dimensions(self.brian_unit):
            raise SpecError(field_name, values, self.allowed())
        raw = np.asarray(arr, dtype=float)
        if not np.all(np.isfinite(raw)):
            raise SpecError(field_name, values, self.allowed() + " (finite)")
        if self.low is not None and np.any(raw < si_value(self.low)):
            raise SpecError(field_name, display_quantity(arr.min(), self.unit), self.allowed())
        if self.high is not None and np.any(raw > si_value(self.high)):
            raise SpecError(field_name, display_quantity(arr.max(), self.unit), self.allowed())

    def check_distribution(self, dist, field_name):
        """Raise `SpecError` if `dist` can produce values outside the allowed range."""
        dist.check_unit(self.brian_unit, field_name)
        if isinstance(dist, Constant):
            self.check(dist.value, field_name)
            return
        if dist.kind == "linspace":
            for value in dist.bounds:
                self.check(value, field_name)
            return
        bounds = {"uniform": ("low", "high"), "normal": ("low", "high")}.get(dist.kind, ())
        lower = getattr(dist, bounds[0]) if bounds else None
        upper = getattr(dist, bounds[1]) if bounds else None
        if self.low is not None and (lower is None or si_value(lower) < si_value(self.low)):
            if dist.kind != "lognormal" or si_value(self.low) > 0 or si_value(dist.mean) < 0:
                raise SpecError(field_name, dist.to_dict(),
                                f"a distribution bounded to {self.allowed()} (set 'low')")
        if self.high is not None and (upper is None or si_value(upper) > si_value(self.high)):
            if dist.kind != "lognormal" or si_value(self.high) < 0 or si_value(dist.mean) > 0:
                raise SpecError(field_name, dist.to_dict(),
                                f"a distribution bounded to {self.allowed()} (set 'high')")

    def to_dict(self):
        data = {"unit": self.unit, "default": format_quantity(self.default),
                "description": self.description}
        if self.low is not None:
            data["low"] = format_quantity(self.low)
        if self.high is not None:
            data["high"] = format_quantity(self.high)
        if self.shared:
            data["shared"] = True
        return data

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "parameter")
        return cls(**data)


def _parameters(mapping, field_name):
    result = {}
    for name, value in dict(mapping).items():
        _check_name(name, f"{field_name}.{name}")
        result[name] = value if isinstance(value, Parameter) else Parameter.from_dict(value)
    return _frozen_mapping(result)


def _references(items):
    return tuple(r if isinstance(r, Reference) else Reference.from_dict(r) for r in items)


#: Brian2 scheduling slots a `Regularly` operation may run in
_SLOTS = ("start", "groups", "thresholds", "synapses", "resets", "end")


@dataclass(frozen=True)
class Regularly(_Spec):
    """Code run on a model's group at regular intervals (Brian2 ``run_regularly``).

    Discrete operations that equations cannot express (a random kick of a state
    variable, a weight update at the end of each trial) compile into standalone code this
    way, without a Python ``network_operation``.

    Parameters
    ----------
    code : str
        Brian2 abstract code (statements on the group's variables).
    dt : Quantity
        Interval (> 0); the first run is at t = 0.
    when : str
        Scheduling slot (one of ``start, groups, thresholds, synapses, resets, end``).
    order : int
        Order within the slot (lower first; summed variables of the slot run at the
        target's order - 1).
    """

    code: str
    dt: object
    when: str = "start"
    order: int = 0

    def __post_init__(self):
        if not isinstance(self.code, str) or not self.code.strip():
            raise SpecError("regularly.code", self.code, "non-empty Brian2 statements")
        dt = parse_quantity(self.dt, "regularly.dt", "ms")
        if not si_value(dt) > 0:
            raise SpecError("regularly.dt", format_quantity(dt), "a positive time")
        object.__setattr__(self, "dt", dt)
        if self.when not in _SLOTS:
            raise UnknownNameError("regularly.when", self.when, _SLOTS)
        if isinstance(self.order, bool) or not isinstance(self.order, (int, np.integer)):
            raise SpecError("regularly.order", self.order, "an integer")
        object.__setattr__(self, "order", int(self.order))

    def to_dict(self):
        return {"code": self.code, "dt": format_quantity(self.dt), "when": self.when,
                "order": self.order}

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "regularly")
        return cls(**data)


def _regularly_dict(items):
    """``{"regularly": [...]}``, or ``{}`` without operations (keeps older models' dicts
    and hashes unchanged)."""
    return {"regularly": [r.to_dict() for r in items]} if items else {}


def _regularly(items):
    return tuple(r if isinstance(r, Regularly) else Regularly.from_dict(r) for r in items)


@dataclass(frozen=True)
class NeuronModel(_Spec):
    """A neuron model: Brian2 equations + threshold/reset/refractoriness + parameter table.

    Parameters
    ----------
    name : str
        Registry name following ``<dynamics>_<input>_<kernel>``, e.g. ``lif_curr_exp``.
    equations : str
        Brian2 equation string. Parameters are *not* declared in it; the builder adds each
        parameter as a ``(constant)`` (or ``(shared, constant)``) group variable.
    parameters : mapping of str to Parameter
        Parameter table (the single source of defaults, units, meanings and ranges).
    threshold, reset : str
        Brian2 threshold condition and reset statements (empty: none).
    refractory : str
        Brian2 refractoriness: an expression such as ``"tau_ref"`` (a parameter) or ``""``.
    method : str
        Integration method.
    initial : mapping of str to Distribution
        Default initial values of state variables.
    synaptic_targets : mapping of str to str, or tuple of str
        The variables that projections may drive, by *channel* name (``{"e": "g_e",
        "ampa": "x_ampa"}``). A projection's ``target`` may name the channel or the
        variable; a plain tuple of variable names makes each variable its own channel.
        Channels let a region say "excitatory" without knowing which kernel variable a
        spike increments (``g_e`` for an exponential kernel, ``x_e`` for an alpha kernel).
    description : str
    references : tuple of Reference
    tags : tuple of str
    voltage : str
        The membrane-potential variable (used by characterisation, gap junctions, plots);
        empty for a model without one (a spike source, a rate neuron).
    current_range : tuple of two Quantity, optional
        Step-current amplitudes spanning the model's f-I curve with default parameters
        (lowest, highest); the default sweep of `bioneuro.characterise`.
    regularly : tuple of Regularly
        Operations run on the group at regular intervals (``run_regularly``).
    """

    name: str
    equations: str
    parameters: object
    threshold: str = ""
    reset: str = ""
    refractory: str = ""
    method: str = "exact"
    initial: object = field(default_factory=dict)
    synaptic_targets: tuple = ()
    description: str = ""
    references: tuple = ()
    tags: tuple = ()
    voltage: str = "v"
    current_range: tuple = ()
    regularly: tuple = ()

    def __post_init__(self):
        _check_name(self.name, "model.name")
        object.__setattr__(self, "regularly", _regularly(self.regularly))
        object.__setattr__(self, "parameters", _parameters(self.parameters,
                                                           f"models.{self.name}.parameters"))
        object.__setattr__(self, "references", _references(self.references))
        object.__setattr__(self, "tags", tuple(self.tags))
        targets = self.synaptic_targets
        if not hasattr(targets, "items"):
            targets = {name: name for name in targets}
        object.__setattr__(self, "synaptic_targets", _frozen_mapping(targets))
        if self.method not in _INTEGRATION_METHODS:
            raise UnknownNameError(f"models.{self.name}.method", self.method, _INTEGRATION_METHODS)
        # parsed once (Brian2's parse of a model costs ~20-60 ms; a model is asked for its
        # equations, variables and units many times while circuits are made)
        object.__setattr__(self, "_equations", None)
        eqs = self.brian_equations()
        object.__setattr__(self, "_equations", eqs)
        check_equation_units(eqs, f"models.{self.name}.equations")
        units = self.variable_units()
        for channel, target in self.synaptic_targets.items():
            _check_name(channel, f"models.{self.name}.synaptic_targets")
            if target not in units or target in self.parameters:
                raise UnknownNameError(f"models.{self.name}.synaptic_targets.{channel}", target,
                                       [n for n in eqs.names if n not in self.parameters])
        if self.voltage and self.voltage not in units:
            raise UnknownNameError(f"models.{self.name}.voltage", self.voltage, eqs.names)
        if self.current_range:
            if len(self.current_range) != 2:
                raise SpecError(f"models.{self.name}.current_range", self.current_range,
                                "two currents (lowest, highest)")
            low, high = (parse_quantity(v, f"models.{self.name}.current_range")
                         for v in self.current_range)
            if get_dimensions(low) != get_dimensions(high) or not si_value(low) < si_value(high):
                raise SpecError(f"models.{self.name}.current_range",
                                [format_quantity(low), format_quantity(high)],
                                "two currents of one unit with lowest < highest")
            object.__setattr__(self, "current_range", (low, high))
        initial = {}
        for var, value in dict(self.initial).items():
            if var not in eqs.diff_eq_names and var not in eqs.names:
                raise UnknownNameError(f"models.{self.name}.initial", var, eqs.diff_eq_names)
            initial[var] = distribution(value, f"models.{self.name}.initial.{var}", units[var])
        object.__setattr__(self, "initial", _frozen_mapping(initial))
        object.__setattr__(self, "__doc__", spec_docstring(self))

    def full_equations(self, shared=()):
        """Equation string including the parameter declarations.

        Parameters
        ----------
        shared : collection of str
            Parameters to declare ``(shared, constant)`` (one value for the whole group)
            in addition to those that are always shared.
        """
        lines = [self.equations.strip()]
        for name, par in self.parameters.items():
            flags = "shared, constant" if par.shared or name in shared else "constant"
            lines.append(f"{name} : {equation_unit(par.unit)} ({flags})")
        return "\n".join(lines)

    def brian_equations(self):
        """Parsed `brian2.Equations` including parameters; raises `SpecError` if malformed."""
        parsed = getattr(self, "_equations", None)
        if parsed is not None:
            return parsed
        try:
            return Equations(self.full_equations())
        except Exception as exc:  # Brian2 raises several types for parse errors
            raise SpecError(f"models.{self.name}.equations", self.equations,
                            f"valid Brian2 equations ({exc})") from None

    def variable_units(self):
        """``{name: Unit}`` of every state variable, subexpression and parameter."""
        eqs = self.brian_equations()
        return {name: eq.unit for name, eq in eqs.items()}

    def state_variables(self):
        """Names of the differential-equation variables."""
        return sorted(self.brian_equations().diff_eq_names)

    def target_variable(self, target, field_name="target"):
        """The variable a projection's `target` (a channel or variable name) drives."""
        if target in self.synaptic_targets:
            return self.synaptic_targets[target]
        if target in self.synaptic_targets.values():
            return target
        raise UnknownNameError(field_name, target, list(self.synaptic_targets) + [
            v for v in self.synaptic_targets.values() if v not in self.synaptic_targets])

    def to_dict(self):
        return {
            "name": self.name,
            "equations": self.equations,
            "parameters": {k: v.to_dict() for k, v in self.parameters.items()},
            "threshold": self.threshold,
            "reset": self.reset,
            "refractory": self.refractory,
            "method": self.method,
            "initial": {k: v.to_dict() for k, v in self.initial.items()},
            "synaptic_targets": dict(self.synaptic_targets),
            "description": self.description,
            "references": [r.to_dict() for r in self.references],
            "tags": list(self.tags),
            "voltage": self.voltage,
            "current_range": [format_quantity(v) for v in self.current_range],
        } | _regularly_dict(self.regularly)

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "model")
        return cls(**data)


#: the declaration of the per-synapse weight in a synapse model's equations
WEIGHT_DECLARATION = re.compile(r"^[ \t]*w[ \t]*:[ \t]*\{weight_unit\}(?=[ \t]*$)", re.M)


@dataclass(frozen=True)
class SynapseModel(_Spec):
    """A synapse model (static synapse or plasticity rule) as Brian2 strings.

    The placeholders ``{target}`` (the postsynaptic variable the projection drives),
    ``{target_unit}`` (its unit) and ``{weight_unit}`` (the unit of ``w``: the target's
    unit unless `weight_unit` says otherwise) are substituted by the builder, so one rule
    serves current- and conductance-based kernels alike.

    Parameters
    ----------
    name : str
    model : str
        Synapse equations; must declare the weight ``w``.
    on_pre, on_post : str
        Statements on pre-/postsynaptic spikes.
    parameters : mapping of str to Parameter
        Declared as ``(shared, constant)`` synapse variables unless ``shared=False``.
    method : str
    description : str
    references : tuple of Reference
    weight_unit : str
        Unit of the weight ``w`` when it differs from the target's unit (a gap junction's
        weight is a conductance that drives a current); empty: the target's unit.
    tags : tuple of str
    regularly : tuple of Regularly
        Operations run on the synapses at regular intervals (``run_regularly``), e.g. a
        weight update at the end of each trial.
    """

    name: str
    model: str
    on_pre: str
    on_post: str = ""
    parameters: object = field(default_factory=dict)
    method: str = "exact"
    description: str = ""
    references: tuple = ()
    weight_unit: str = ""
    tags: tuple = ()
    regularly: tuple = ()

    def __post_init__(self):
        _check_name(self.name, "synapse.name")
        object.__setattr__(self, "regularly", _regularly(self.regularly))
        object.__setattr__(self, "parameters", _parameters(self.parameters,
                                                           f"synapses.{self.name}.parameters"))
        object.__setattr__(self, "references", _references(self.references))
        object.__setattr__(self, "tags", tuple(self.tags))
        if "{target}" not in self.model + self.on_pre + self.on_post:
            raise SpecError(f"synapses.{self.name}.on_pre", self.on_pre,
                            "statements (or a summed variable) that use the '{target}' "
                            "placeholder")
        if self.weight_unit:
            parse_unit(self.weight_unit, f"synapses.{self.name}.weight_unit")
        object.__setattr__(self, "__doc__", spec_docstring(self))

    def weight_unit_for(self, target_unit):
        """The unit (a Brian2 unit) of ``w`` when the target variable has `target_unit`."""
        return parse_unit(self.weight_unit) if self.weight_unit else target_unit

    def substituted(self, target, weight_unit, target_unit=None, shared_weight=False):
        """``(model, on_pre, on_post)`` with the placeholders filled in.

        `weight_unit` and `target_unit` are equation-unit strings (``target_unit`` defaults
        to `weight_unit`). `shared_weight` declares ``w`` ``(shared, constant)``: one value of
        the pathway (see `bioneuro.plan.NetworkPlan.shared_weights`).
        """
        target_unit = target_unit or weight_unit

        def fill(text):
            return (text.replace("{target}", target).replace("{weight_unit}", weight_unit)
                    .replace("{target_unit}", target_unit))

        model = self.model
        if shared_weight:
            model = WEIGHT_DECLARATION.sub(r"\g<0> (shared, constant)", model, count=1)
        lines = [fill(model).strip()]
        for name, par in self.parameters.items():
            flags = "shared, constant" if par.shared else "constant"
            lines.append(f"{name} : {equation_unit(fill(par.unit))} ({flags})")
        return "\n".join(line for line in lines if line), fill(self.on_pre), fill(self.on_post)

    def to_dict(self):
        return {
            "name": self.name,
            "model": self.model,
            "on_pre": self.on_pre,
            "on_post": self.on_post,
            "parameters": {k: v.to_dict() for k, v in self.parameters.items()},
            "method": self.method,
            "description": self.description,
            "references": [r.to_dict() for r in self.references],
            "weight_unit": self.weight_unit,
            "tags": list(self.tags),
        } | _regularly_dict(self.regularly)

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "synapse")
        return cls(**data)


@dataclass(frozen=True)
class CellType(_Spec):
    """A named cell type: a model, parameter overrides and the data the preset reproduces.

    A population may name a cell type instead of a model (``model: purkinje``): it then uses
    the cell's model, starts from the cell's parameters (which its own override) and is
    labelled with the cell type in results.

    Parameters
    ----------
    name : str
    model : NeuronModel or str
    parameters : mapping of str to Quantity or distribution
        Overrides of the model's defaults.
    initial : mapping of str to Quantity
        Initial values (e.g. a resting potential other than the model's default).
    description : str
        One line.
    reproduces : str
        The observable the preset reproduces and the published value (for the docs and the
        tests that check it).
    region : str
        Where the cell lives (``cortex``, ``thalamus``, ``cerebellum``, ``brainstem``, ...).
    current_range : tuple of two Quantity, optional
        Step amplitudes spanning this cell's f-I curve (default: the model's).
    references : tuple of Reference
    tags : tuple of str
    """

    name: str
    model: object
    parameters: object = field(default_factory=dict)
    initial: object = field(default_factory=dict)
    description: str = ""
    reproduces: str = ""
    region: str = ""
    current_range: tuple = ()
    references: tuple = ()
    tags: tuple = ()

    def __post_init__(self):
        _check_name(self.name, "cell.name")
        where = f"cells.{self.name}"
        model = _resolve_model(self.model, "models", f"{where}.model")
        object.__setattr__(self, "model", model)
        # validated as a population of the model would be
        probe = Population(self.name, model, 1, self.parameters, self.initial)
        object.__setattr__(self, "parameters", probe.parameters)
        object.__setattr__(self, "initial", probe.initial)
        object.__setattr__(self, "references", _references(self.references))
        object.__setattr__(self, "tags", tuple(self.tags))
        rng = self.current_range or model.current_range
        if rng:
            rng = replace(model, current_range=tuple(rng)).current_range
        object.__setattr__(self, "current_range", tuple(rng))
        object.__setattr__(self, "__doc__", spec_docstring(self))

    def to_dict(self):
        return {
            "name": self.name,
            "model": _model_to_dict(self.model, "models"),
            "parameters": {k: v.to_dict() for k, v in self.parameters.items()},
            "initial": {k: v.to_dict() for k, v in self.initial.items()},
            "description": self.description,
            "reproduces": self.reproduces,
            "region": self.region,
            "current_range": [format_quantity(v) for v in self.current_range],
            "references": [r.to_dict() for r in self.references],
            "tags": list(self.tags),
        }

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "cell")
        return cls(**data)


def resolve_cell_or_model(value, field_name):
    """``(NeuronModel, CellType or None)`` for a model/cell name, a model or a cell."""
    from bioneuro import registry

    if isinstance(value, CellType):
        return value.model, value
    if isinstance(value, str) and not registry.known("models", value, load_all=False) and \
            registry.known("cells", value):
        cell = registry.get("cells", value, field_name)
        return cell.model, cell
    return _resolve_model(value, "models", field_name), None


def _resolve_model(value, kind, field_name):
    from bioneuro import registry

    if isinstance(value, (NeuronModel, SynapseModel)):
        return value
    if isinstance(value, str):
        return registry.get(kind, value, field_name)
    if isinstance(value, dict):
        cls = NeuronModel if kind == "models" else SynapseModel
        return cls.from_dict(value)
    raise SpecError(field_name, value, f"a registered {kind} name or a model mapping")


def _model_to_dict(model, kind):
    """A registered model is written by name; a custom one in full."""
    from bioneuro import registry

    if registry.is_registered(kind, model):
        return model.name
    return model.to_dict()


@dataclass(frozen=True)
class Population(_Spec):
    """A group of neurons of one model.

    Parameters
    ----------
    name : str
    model : NeuronModel, CellType or str
        The model, or a cell type, or the registry name of either (a cell type brings its
        model, parameter presets and `cell_type` label).
    size : int
        Number of neurons, >= 1.
    parameters : mapping of str to Distribution/Quantity
        Overrides of the model's parameter defaults (per-neuron distributions allowed).
    initial : mapping of str to Distribution/Quantity
        Initial values of state variables (overriding the model's defaults).
    region, cell_type : str
        Labels carried into the results.
    """

    name: str
    model: object
    size: int
    parameters: object = field(default_factory=dict)
    initial: object = field(default_factory=dict)
    region: str = ""
    cell_type: str = ""

    def __post_init__(self):
        _check_name(self.name, "population.name")
        where = f"populations.{self.name}"
        model, cell = resolve_cell_or_model(self.model, f"{where}.model")
        object.__setattr__(self, "model", model)
        if cell is not None:  # a cell type: its presets, then this population's overrides
            object.__setattr__(self, "parameters", {**cell.parameters, **dict(self.parameters)})
            object.__setattr__(self, "initial", {**cell.initial, **dict(self.initial)})
            object.__setattr__(self, "cell_type", self.cell_type or cell.name)
        if isinstance(self.size, bool) or not isinstance(self.size, (int, float)) \
                or int(self.size) != self.size or self.size < 1:
            raise SpecError(f"{where}.size", self.size, "an integer >= 1")
        object.__setattr__(self, "size", int(self.size))
        params = {}
        for name, value in dict(self.parameters).items():
            if name not in model.parameters:
                raise UnknownNameError(f"{where}.parameters.{name}", name, model.parameters)
            par = model.parameters[name]
            dist = distribution(value, f"{where}.parameters.{name}", par.brian_unit)
            par.check_distribution(dist, f"{where}.parameters.{name}")
            params[name] = dist
        object.__setattr__(self, "parameters", _frozen_mapping(params))
        constants = {name: par.default for name, par in model.parameters.items()}
        constants.update({name: dist.value for name, dist in params.items()
                          if isinstance(dist, Constant)})
        check_exact_integration(model, constants, f"{where}.parameters", set_here=params)
        units = model.variable_units()
        initial = {}
        for var, value in dict(self.initial).items():
            if var not in units or var in model.parameters:
                raise UnknownNameError(f"{where}.initial.{var}", var,
                                       [v for v in model.state_variables()])
            initial[var] = distribution(value, f"{where}.initial.{var}", units[var])
        object.__setattr__(self, "initial", _frozen_mapping(initial))

    def parameter_distribution(self, name):
        """The distribution of parameter `name` (override or model default)."""
        if name in self.parameters:
            return self.parameters[name]
        return Constant(self.model.parameters[name].default)

    def initial_distributions(self):
        """``{variable: Distribution}``: model defaults updated by this population's values."""
        values = dict(self.model.initial)
        values.update(self.initial)
        return values

    def to_dict(self):
        data = {"name": self.name, "model": _model_to_dict(self.model, "models"),
                "size": self.size}
        if self.parameters:
            data["parameters"] = {k: v.to_dict() for k, v in self.parameters.items()}
        if self.initial:
            data["initial"] = {k: v.to_dict() for k, v in self.initial.items()}
        if self.region:
            data["region"] = self.region
        if self.cell_type:
            data["cell_type"] = self.cell_type
        return data

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "population")
        return cls(**data)


@dataclass(frozen=True)
class Projection(_Spec):
    """Synapses from one population onto a target variable of another.

    Parameters
    ----------
    name : str
    pre, post : str
        Population names.
    target : str
        Postsynaptic variable incremented by a spike (one of the post model's
        ``synaptic_targets``).
    connectivity : ConnectionRule or dict
    weight : Distribution, Quantity or str
        In the unit of `target`.
    delay : Distribution, Quantity or str
        Transmission delay (>= 0).
    synapse : SynapseModel or str
        Synapse model (default ``"static"``).
    parameters : mapping of str to Quantity
        Overrides of the synapse model's parameters.
    """

    name: str
    pre: str
    post: str
    target: str
    connectivity: object
    weight: object
    delay: object = "0 ms"
    synapse: object = "static"
    parameters: object = field(default_factory=dict)

    def __post_init__(self):
        _check_name(self.name, "projection.name")
        where = f"projections.{self.name}"
        object.__setattr__(self, "connectivity",
                           connection_rule(self.connectivity, f"{where}.connectivity"))
        synapse = _resolve_model(self.synapse, "synapses", f"{where}.synapse")
        object.__setattr__(self, "synapse", synapse)
        delay = distribution(self.delay, f"{where}.delay", "ms")
        _check_non_negative(delay, f"{where}.delay")
        object.__setattr__(self, "delay", delay)
        if not synapse.on_pre and not (isinstance(delay, Constant) and si_value(delay.value) == 0):
            raise SpecError(f"{where}.delay", delay.to_dict(),
                            f"0 ms: synapse {synapse.name!r} has no spike pathway to delay")
        params = {}
        for name, value in dict(self.parameters).items():
            if name not in synapse.parameters:
                raise UnknownNameError(f"{where}.parameters.{name}", name, synapse.parameters)
            par = synapse.parameters[name]
            quantity = parse_quantity(value, f"{where}.parameters.{name}", par.brian_unit)
            par.check(quantity, f"{where}.parameters.{name}")
            params[name] = quantity
        object.__setattr__(self, "parameters", _frozen_mapping(params))
        # the weight's unit depends on the post population: checked by Circuit

    def bind_weight(self, unit):
        """Return a copy whose weight is a `Distribution` checked against `unit`."""
        weight = distribution(self.weight, f"projections.{self.name}.weight", unit)
        object.__setattr__(self, "weight", weight)
        return self

    def parameter_value(self, name):
        """Value of synapse parameter `name` (override or default)."""
        return self.parameters.get(name, self.synapse.parameters[name].default)

    def to_dict(self):
        weight = self.weight.to_dict() if isinstance(self.weight, Distribution) else (
            format_quantity(self.weight) if isinstance(self.weight, Quantity) else self.weight)
        data = {"name": self.name, "pre": self.pre, "post": self.post, "target": self.target,
                "connectivity": self.connectivity.to_dict(), "weight": weight,
                "delay": self.delay.to_dict(),
                "synapse": _model_to_dict(self.synapse, "synapses")}
        if self.parameters:
            data["parameters"] = {k: format_quantity(v) for k, v in self.parameters.items()}
        return data

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "projection")
        return cls(**data)


def _check_post_variable(dist, post_model, unit, field_name):
    """A `PostVariable` must name a variable of the post model with `unit`'s dimensions."""
    units = post_model.variable_units()
    if dist.variable not in units:
        raise UnknownNameError(f"{field_name}.variable", dist.variable, units)
    expected = parse_unit(unit) if isinstance(unit, str) else unit
    if get_dimensions(units[dist.variable]) != get_dimensions(expected):
        raise SpecError(f"{field_name}.variable", dist.variable,
                        f"a variable in {unit} ({dist.variable!r} is in "
                        f"{units[dist.variable]})")


def _check_non_negative(dist, field_name):
    if dist.kind == "post":      # the post variable's own range is checked with its model
        return
    low = {"constant": "value", "uniform": "low", "normal": "low"}.get(dist.kind)
    if dist.kind == "linspace":
        raise SpecError(field_name, dist.to_dict(), "a constant or random delay")
    value = getattr(dist, low) if low else None
    if dist.kind == "lognormal":
        value = dist.mean
    if value is None or si_value(value) < 0:
        raise SpecError(field_name, dist.to_dict(), "non-negative values (a distribution "
                        "whose lower bound is >= 0)")


@dataclass(frozen=True)
class PoissonInput(_Spec):
    """Independent Poisson spike sources driving a target variable of a population.

    Implemented with Brian2's `PoissonInput` (binomial number of input spikes per step):
    each neuron of `population` receives `n` independent sources of rate `rate`, each spike
    adding `weight` to `target`.

    Parameters
    ----------
    name : str
    population : str
    target : str
    n : int
        Number of sources per neuron, >= 1.
    rate : Quantity
        Rate of each source (Hz, >= 0).
    weight : Quantity
        Increment of `target` per input spike.
    """

    name: str
    population: str
    target: str
    n: int
    rate: object
    weight: object

    def __post_init__(self):
        _check_name(self.name, "input.name")
        where = f"inputs.{self.name}"
        if isinstance(self.n, bool) or int(self.n) != self.n or self.n < 1:
            raise SpecError(f"{where}.n", self.n, "an integer >= 1")
        object.__setattr__(self, "n", int(self.n))
        rate = parse_quantity(self.rate, f"{where}.rate", "Hz")
        if si_value(rate) < 0:
            raise SpecError(f"{where}.rate", format_quantity(rate), "a rate >= 0 Hz")
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "weight", parse_quantity(self.weight, f"{where}.weight"))

    def to_dict(self):
        return {"kind": "poisson_input", "name": self.name, "population": self.population,
                "target": self.target, "n": self.n, "rate": format_quantity(self.rate),
                "weight": format_quantity(self.weight)}

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        kind = data.pop("kind", "poisson_input")
        if kind != "poisson_input":
            raise UnknownNameError("inputs.kind", kind, ["poisson_input"])
        _check_fields(data, cls, "input")
        return cls(**data)


@dataclass(frozen=True)
class Circuit(_Spec):
    """Populations, projections and background inputs.

    Parameters
    ----------
    name : str
    populations : tuple of Population
    projections : tuple of Projection
    inputs : tuple of PoissonInput
    description : str
    references : tuple of Reference
    seed : int, optional
        Default seed of the experiments made of this circuit (a region template's
        ``seed``): an `Experiment` given no seed takes it, so the template seed fixes the
        connectivity, the per-neuron values and the input spikes of the instance. It is not
        part of the generated code (a standalone binary serves every seed). ``None``: the
        experiment's default (0).
    """

    name: str
    populations: tuple
    projections: tuple = ()
    inputs: tuple = ()
    description: str = ""
    references: tuple = ()
    seed: int | None = None

    def __post_init__(self):
        _check_name(self.name, "circuit.name")
        if self.seed is not None:
            object.__setattr__(self, "seed", _check_seed(self.seed, "circuit.seed"))
        pops = tuple(p if isinstance(p, Population) else Population.from_dict(p)
                     for p in self.populations)
        if not pops:
            raise SpecError("circuit.populations", [], "at least one population")
        _unique([p.name for p in pops], "populations")
        object.__setattr__(self, "populations", pops)
        by_name = {p.name: p for p in pops}
        projs = []
        for proj in self.projections:
            proj = proj if isinstance(proj, Projection) else Projection.from_dict(proj)
            where = f"projections.{proj.name}"
            for end in ("pre", "post"):
                if getattr(proj, end) not in by_name:
                    raise UnknownNameError(f"{where}.{end}", getattr(proj, end), by_name)
            post_model = by_name[proj.post].model
            variable = post_model.target_variable(proj.target, f"{where}.target")
            unit = proj.synapse.weight_unit_for(post_model.variable_units()[variable])
            for name, par in proj.synapse.parameters.items():
                # rule parameters named w_* (bounds, scales) are in the unit of the weight
                if name.startswith("w_") and \
                        get_dimensions(par.brian_unit) != get_dimensions(unit):
                    raise SpecError(f"{where}.synapse", proj.synapse.name,
                                    f"a synapse model whose {name} has the dimensions of the "
                                    f"weight of target {proj.target!r} ({unit}), not "
                                    f"{par.unit} (make one with the rule's factory)")
            proj = replace(proj).bind_weight(unit)
            for field_name, dist, dist_unit in (("weight", proj.weight, unit),
                                                ("delay", proj.delay, "second")):
                if dist.kind == "post":
                    _check_post_variable(dist, post_model, dist_unit, f"{where}.{field_name}")
            pre, post = by_name[proj.pre], by_name[proj.post]
            proj.connectivity.check_sizes(pre.size, post.size, proj.pre == proj.post,
                                          f"{where}.connectivity")
            proj.connectivity.check_names(pre.model.variable_units(),
                                          post.model.variable_units(), f"{where}.connectivity")
            projs.append(proj)
        _unique([p.name for p in projs], "projections")
        object.__setattr__(self, "projections", tuple(projs))
        inputs = []
        for item in self.inputs:
            item = item if isinstance(item, PoissonInput) else PoissonInput.from_dict(item)
            where = f"inputs.{item.name}"
            if item.population not in by_name:
                raise UnknownNameError(f"{where}.population", item.population, by_name)
            model = by_name[item.population].model
            variable = model.target_variable(item.target, f"{where}.target")
            check_quantity(item.weight, f"{where}.weight", model.variable_units()[variable])
            inputs.append(item)
        _unique([i.name for i in inputs], "inputs")
        object.__setattr__(self, "inputs", tuple(inputs))
        object.__setattr__(self, "references", _references(self.references))

    def population(self, name):
        """The population called `name`."""
        for pop in self.populations:
            if pop.name == name:
                return pop
        raise UnknownNameError("population", name, [p.name for p in self.populations])

    @property
    def n_neurons(self):
        return sum(p.size for p in self.populations)

    def target_variable(self, item):
        """The postsynaptic variable a projection or input drives (its target resolved)."""
        pop = self.population(item.post if isinstance(item, Projection) else item.population)
        return pop.model.target_variable(item.target)

    def weight_unit(self, projection):
        """Brian2 unit of `projection`'s weight ``w``."""
        model = self.population(projection.post).model
        unit = model.variable_units()[model.target_variable(projection.target)]
        return projection.synapse.weight_unit_for(unit)

    def to_dict(self):
        return {
            "name": self.name,
            "populations": [p.to_dict() for p in self.populations],
            "projections": [p.to_dict() for p in self.projections],
            "inputs": [i.to_dict() for i in self.inputs],
            "description": self.description,
            "references": [r.to_dict() for r in self.references],
            **({} if self.seed is None else {"seed": self.seed}),
        }

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "circuit")
        return cls(**data)


def _check_seed(seed, field_name):
    """`seed` as an int in [0, 2**32) (NumPy integers accepted), else a SpecError."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or \
            not 0 <= seed < 2**32:
        raise SpecError(field_name, seed, "an integer in [0, 2**32)")
    return int(seed)


def _unique(names, field_name):
    seen = set()
    for name in names:
        if name in seen:
            raise SpecError(field_name, name, "unique names")
        seen.add(name)


@dataclass(frozen=True)
class StateProbe(_Spec):
    """Record state variables of some neurons of a population.

    Parameters
    ----------
    population : str
    variables : tuple of str
    neurons : int, tuple of int or "all"
        The first `neurons` neurons (int), explicit indices within the population, or every
        neuron of the population.
    """

    population: str
    variables: tuple
    neurons: object = 1

    def __post_init__(self):
        variables = (self.variables,) if isinstance(self.variables, str) else tuple(self.variables)
        if not variables:
            raise SpecError("recording.state.variables", [], "at least one variable")
        object.__setattr__(self, "variables", variables)
        if isinstance(self.neurons, (list, tuple)):
            if not all(isinstance(i, (int, np.integer)) and not isinstance(i, bool)
                       or isinstance(i, float) and i.is_integer() for i in self.neurons):
                raise SpecError("recording.state.neurons", list(self.neurons),
                                "distinct non-negative integer indices")
            neurons = tuple(int(i) for i in self.neurons)
            if not neurons or min(neurons) < 0 or len(set(neurons)) != len(neurons):
                raise SpecError("recording.state.neurons", self.neurons,
                                "distinct non-negative indices")
            object.__setattr__(self, "neurons", neurons)
        elif self.neurons == "all":
            pass
        elif isinstance(self.neurons, bool) or not isinstance(self.neurons, (int, float)) \
                or int(self.neurons) != self.neurons or self.neurons < 1:
            raise SpecError("recording.state.neurons", self.neurons,
                            "a count >= 1, a list of indices or 'all'")
        else:
            object.__setattr__(self, "neurons", int(self.neurons))

    def indices(self, size):
        """Indices within a population of `size` neurons."""
        if self.neurons == "all":
            return tuple(range(size))
        if isinstance(self.neurons, int):
            return tuple(range(min(self.neurons, size)))
        return self.neurons

    def to_dict(self):
        neurons = list(self.neurons) if isinstance(self.neurons, tuple) else self.neurons
        return {"population": self.population, "variables": list(self.variables),
                "neurons": neurons}

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "recording.state")
        return cls(**data)


@dataclass(frozen=True)
class Recording(_Spec):
    """What a run records.

    Parameters
    ----------
    spikes : tuple of str or "all"
        Populations whose spikes are recorded.
    state : tuple of StateProbe
        State-variable traces.
    state_dt : Quantity, optional
        Sampling interval of the traces (default: the simulation dt).
    population_rates : tuple of str
        Populations whose instantaneous population rate (every step) is recorded.
    connectivity : bool
        Record the synapses (pre, post) and their final weights.
    weights_dt : Quantity, optional
        Sample the weights of plastic projections every `weights_dt` and store their
        statistics over time (mean, std, fraction at the bounds, number of active synapses,
        histogram); ``None``: no weight monitoring.
    weight_projections : "plastic" or tuple of str
        The monitored projections: those whose synapse model is tagged ``plasticity``, or
        the named ones.
    weight_bins : int
        Number of histogram bins (between the rule's bounds ``0`` and ``w_max``, else the
        range of the weights at the first sample).
    weight_synapses : mapping of str to tuple of int
        Synapse indices (within a projection) whose individual weights are also stored.
    """

    spikes: object = "all"
    state: tuple = ()
    state_dt: object = None
    population_rates: tuple = ()
    connectivity: bool = False
    weights_dt: object = None
    weight_projections: object = "plastic"
    weight_bins: int = 20
    weight_synapses: object = field(default_factory=dict)

    def __post_init__(self):
        if self.spikes != "all":
            spikes = (self.spikes,) if isinstance(self.spikes, str) else tuple(self.spikes)
            object.__setattr__(self, "spikes", spikes)
        if isinstance(self.state, (str, dict, StateProbe)) or not isinstance(self.state,
                                                                            (list, tuple)):
            raise SpecError("recording.state", self.state, "a list of state probes")
        object.__setattr__(self, "state", tuple(
            s if isinstance(s, StateProbe) else StateProbe.from_dict(s) for s in self.state))
        if self.state_dt is not None:
            state_dt = parse_quantity(self.state_dt, "recording.state_dt", "ms")
            if si_value(state_dt) <= 0:
                raise SpecError("recording.state_dt", format_quantity(state_dt), "a positive time")
            object.__setattr__(self, "state_dt", state_dt)
        rates = self.population_rates
        object.__setattr__(self, "population_rates",
                           (rates,) if isinstance(rates, str) else tuple(rates))
        object.__setattr__(self, "connectivity", bool(self.connectivity))
        if self.weights_dt is not None:
            weights_dt = parse_quantity(self.weights_dt, "recording.weights_dt", "ms")
            if si_value(weights_dt) <= 0:
                raise SpecError("recording.weights_dt", format_quantity(weights_dt),
                                "a positive time")
            object.__setattr__(self, "weights_dt", weights_dt)
        if self.weight_projections != "plastic":
            projs = self.weight_projections
            object.__setattr__(self, "weight_projections",
                               (projs,) if isinstance(projs, str) else tuple(projs))
        if isinstance(self.weight_bins, bool) or not isinstance(self.weight_bins, int) \
                or self.weight_bins < 1:
            raise SpecError("recording.weight_bins", self.weight_bins, "an integer >= 1")
        traced = {}
        for proj, indices in dict(self.weight_synapses).items():
            indices = tuple(int(i) for i in np.atleast_1d(indices))
            if not indices or min(indices) < 0 or len(set(indices)) != len(indices):
                raise SpecError(f"recording.weight_synapses.{proj}", list(indices),
                                "distinct non-negative synapse indices")
            traced[proj] = indices
        if traced and self.weights_dt is None:
            raise SpecError("recording.weights_dt", None,
                            "a sampling interval (weight_synapses are sampled every weights_dt)")
        object.__setattr__(self, "weight_synapses", _frozen_mapping(traced))

    def weight_monitored(self, circuit):
        """Names of the projections whose weights are monitored (none without weights_dt)."""
        if self.weights_dt is None:
            return []
        if self.weight_projections == "plastic":
            names = [p.name for p in circuit.projections if "plasticity" in p.synapse.tags]
        else:
            names = list(self.weight_projections)
        return names + [p for p in self.weight_synapses if p not in names]

    def spike_populations(self, circuit):
        return [p.name for p in circuit.populations] if self.spikes == "all" else list(self.spikes)

    def validate(self, circuit):
        """Raise `UnknownNameError` for names not in `circuit`."""
        names = [p.name for p in circuit.populations]
        for pop in self.spike_populations(circuit) + list(self.population_rates):
            if pop not in names:
                raise UnknownNameError("recording.spikes/population_rates", pop, names)
        recorded_units = {}
        for probe in self.state:
            if probe.population not in names:
                raise UnknownNameError("recording.state.population", probe.population, names)
            pop = circuit.population(probe.population)
            units = pop.model.variable_units()
            for var in probe.variables:
                if var not in units:
                    raise UnknownNameError(f"recording.state.{probe.population}.variables",
                                           var, units)
                # one Dataset variable per name: all its columns must share one unit
                unit = unit_string(units[var])
                first = recorded_units.setdefault(var, (probe.population, unit))
                if first[1] != unit:
                    raise SpecError(
                        f"recording.state.{probe.population}.variables", var,
                        f"a variable whose unit (here {unit}) matches that of {var!r} in "
                        f"population {first[0]!r} ({first[1]}): the Dataset holds one {var!r} "
                        "array with one unit; record it in separate runs")
            indices = probe.indices(pop.size)
            if max(indices) >= pop.size:
                raise SpecError(f"recording.state.{probe.population}.neurons", max(indices),
                                f"indices below the population size {pop.size}")
        projections = [p.name for p in circuit.projections]
        names = list(self.weight_synapses)
        if self.weight_projections != "plastic":
            names += list(self.weight_projections)
        for name in names:
            if name not in projections:
                raise UnknownNameError("recording.weight_projections/weight_synapses", name,
                                       projections)

    def to_dict(self):
        data = {"spikes": self.spikes if self.spikes == "all" else list(self.spikes),
                "state": [s.to_dict() for s in self.state],
                "population_rates": list(self.population_rates),
                "connectivity": self.connectivity}
        if self.state_dt is not None:
            data["state_dt"] = format_quantity(self.state_dt)
        if self.weights_dt is not None:
            data["weights_dt"] = format_quantity(self.weights_dt)
            data["weight_projections"] = self.weight_projections if \
                self.weight_projections == "plastic" else list(self.weight_projections)
            data["weight_bins"] = self.weight_bins
            data["weight_synapses"] = {k: list(v) for k, v in self.weight_synapses.items()}
        return data

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "recording")
        return cls(**data)


@dataclass(frozen=True)
class Experiment(_Spec):
    """A circuit, its stimulus protocol, what to record, for how long, with which seed.

    Parameters
    ----------
    name : str
    circuit : Circuit
    protocol : tuple of PoissonInput or protocol blocks
        Stimuli of this experiment (in addition to the circuit's own inputs): the blocks of
        `bioneuro.protocols` (currents, spike inputs, pairing, conditioning, tasks) or
        their dict form ``{"kind": ..., ...}``.
    recording : Recording
    duration : Quantity
        Simulated time (> 0).
    dt : Quantity
        Integration step (> 0, at most `duration`).
    seed : int, optional
        Seed of every random draw (connectivity, initial values, input spikes); ``None``
        (default): the circuit's `Circuit.seed` if it has one, else 0.
    description : str
    """

    name: str
    circuit: object
    protocol: tuple = ()
    recording: object = field(default_factory=Recording)
    duration: object = "1 s"
    dt: object = "0.1 ms"
    seed: int | None = None
    description: str = ""

    def __post_init__(self):
        _check_name(self.name, "experiment.name")
        circuit = self.circuit if isinstance(self.circuit, Circuit) else Circuit.from_dict(
            self.circuit)
        object.__setattr__(self, "circuit", circuit)
        from bioneuro.stimulation import protocol_item

        if isinstance(self.protocol, (str, dict)) or not isinstance(self.protocol,
                                                                    (list, tuple)):
            raise SpecError("protocol", self.protocol, "a list of protocol items")
        protocol = tuple(protocol_item(p) for p in self.protocol)
        _unique([p.name for p in protocol], "protocol")
        inputs = tuple(p for p in protocol if isinstance(p, PoissonInput))
        # validated together with the circuit's own inputs
        Circuit(circuit.name, circuit.populations, (), circuit.inputs + inputs)
        object.__setattr__(self, "protocol", protocol)
        recording = self.recording if isinstance(self.recording, Recording) else \
            Recording.from_dict(self.recording or {})
        object.__setattr__(self, "recording", recording)
        duration = parse_quantity(self.duration, "duration", "second")
        dt = parse_quantity(self.dt, "dt", "second")
        if not si_value(duration) > 0:
            raise SpecError("duration", format_quantity(duration), "a positive time")
        if not si_value(dt) > 0 or si_value(dt) > si_value(duration):
            raise SpecError("dt", format_quantity(dt), "a positive time not above duration")
        steps = si_value(duration) / si_value(dt)
        if abs(steps - round(steps)) > 1e-6 * steps:
            raise SpecError("duration", format_quantity(duration),
                            f"a whole number of time steps dt = {display_quantity(dt, 'ms')}")
        state_dt = recording.state_dt
        if state_dt is not None and si_value(state_dt) < si_value(dt) * (1 - 1e-9):
            raise SpecError("recording.state_dt", format_quantity(recording.state_dt),
                            f"a sampling interval >= dt ({format_quantity(dt)})")
        weights_dt = recording.weights_dt
        if weights_dt is not None and si_value(weights_dt) < si_value(dt) * (1 - 1e-9):
            raise SpecError("recording.weights_dt", format_quantity(weights_dt),
                            f"a sampling interval >= dt ({format_quantity(dt)})")
        object.__setattr__(self, "duration", duration)
        object.__setattr__(self, "dt", dt)
        seed = self.seed
        if seed is None:
            seed = 0 if circuit.seed is None else circuit.seed
        object.__setattr__(self, "seed", _check_seed(seed, "seed"))
        if steps > 2**31 - 1 or not math.isfinite(steps):
            raise SpecError("duration", format_quantity(duration), "at most 2**31 - 1 steps")
        # stimuli lower onto the circuit (sources, currents, schedule) before any build;
        # the recording may name the populations they add
        if len(inputs) == len(protocol):
            recording.validate(circuit)
        else:
            from bioneuro.stimulation import expand

            stimulation = expand(self)
            recording.validate(stimulation.experiment.circuit)
            object.__setattr__(self, "_stimulation", stimulation)

    def stimulation(self):
        """The `bioneuro.stimulation.Stimulation` of this experiment (its protocol lowered
        onto the circuit)."""
        from bioneuro.stimulation import Stimulation

        return getattr(self, "_stimulation", None) or Stimulation(self)

    @property
    def inputs(self):
        """The circuit's inputs followed by the protocol's `PoissonInput` s."""
        return self.circuit.inputs + tuple(p for p in self.protocol
                                           if isinstance(p, PoissonInput))

    def to_dict(self):
        return {
            "name": self.name,
            "description": self.description,
            "circuit": self.circuit.to_dict(),
            "protocol": [p.to_dict() for p in self.protocol],
            "recording": self.recording.to_dict(),
            "duration": format_quantity(self.duration),
            "dt": format_quantity(self.dt),
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, data):
        _check_fields(data, cls, "experiment")
        return cls(**data)

    @classmethod
    def from_yaml(cls, text, source="<string>"):
        """Parse an experiment from YAML text (``yaml.safe_load``; never ``eval``)."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SpecError(source, "<malformed YAML>", f"valid YAML ({exc})") from None
        if not isinstance(data, dict):
            raise SpecError(source, type(data).__name__, "a YAML mapping with experiment fields")
        return cls.from_dict(data)

    @classmethod
    def from_file(cls, path):
        """Read an experiment from a YAML file."""
        with open(path, encoding="utf-8") as handle:
            return cls.from_yaml(handle.read(), source=str(path))
