"""The stimulus interface: what every protocol block is and what it lowers to.

A protocol block (a current step, a Poisson input, an STDP pairing, a task, ...) is a frozen,
validated spec. Before anything is built, `bioneuro.stimulation.expand` asks each block of an
experiment to `Stimulus.lower` itself onto the circuit. A block lowers to a `Lowered` of
five primitives that the builder knows how to create, all of which compile into standalone
code:

- populations (spike sources: ``poisson_source``, rate-table Poisson sources that read a
  Brian2 ``TimedArray``, explicit spike trains built as a ``SpikeGeneratorGroup``) and
  projections from them onto the circuit;
- current mechanisms composed onto a target population's model (their amplitudes and
  times are neuron parameters, i.e. run-time values of a compiled binary);
- spike times of generator populations; rate tables (``TimedArray`` values);
- the epoch schedule (trial, epoch, condition, start, stop) written into the Dataset.
"""

from dataclasses import MISSING, dataclass, field, fields

import numpy as np
from brian2.units.fundamentalunits import Quantity

from bioneuro.distributions import Distribution
from bioneuro.errors import SpecError
from bioneuro.quantities import format_quantity, parse_quantity, si_value
from bioneuro.spec import Projection, _check_fields, _check_keys, _check_name, _Spec

__all__ = ["Stimulus", "Lowered", "Drive", "EpochRow", "GENERATOR_TAG"]

#: tag of the neuron models whose populations are built as ``SpikeGeneratorGroup``
GENERATOR_TAG = "generator"


@dataclass(frozen=True)
class EpochRow:
    """One epoch of one trial: ``[start, stop)`` in seconds."""

    protocol: str
    trial: int
    epoch: str
    condition: str
    start: float
    stop: float


@dataclass
class Lowered:
    """The primitives a stimulus lowers to (see the module docstring).

    Attributes
    ----------
    populations, projections : list
        New `Population` and `Projection` specs.
    mechanisms : list of (str, Mechanism, dict)
        ``(population, mechanism, parameter values)`` to compose onto a population's model.
    spike_times : dict
        ``{population: (indices, times in s)}`` of generator populations.
    rate_tables : dict
        ``{table name: (rates in Hz, shape (rows, neurons), row interval in s)}``.
    epochs : list of EpochRow
    """

    populations: list = field(default_factory=list)
    projections: list = field(default_factory=list)
    mechanisms: list = field(default_factory=list)
    spike_times: dict = field(default_factory=dict)
    rate_tables: dict = field(default_factory=dict)
    epochs: list = field(default_factory=list)

    def extend(self, other):
        """Add `other`'s primitives to these (in place) and return self."""
        self.populations += other.populations
        self.projections += other.projections
        self.mechanisms += other.mechanisms
        self.spike_times.update(other.spike_times)
        self.rate_tables.update(other.rate_tables)
        self.epochs += other.epochs
        return self


# ------------------------------------------------------------------------- field checks
def _non_negative(value, where, unit, positive, noun):
    quantity = parse_quantity(value, where, unit)
    if si_value(quantity) < 0 or (positive and si_value(quantity) == 0) or \
            not np.isfinite(si_value(quantity)):
        raise SpecError(where, format_quantity(quantity),
                        f"a {noun} > 0 {unit}" if positive else f"a {noun} >= 0 {unit}")
    return quantity


def time_field(value, where, *, positive=False, optional=False):
    """A time (Quantity) >= 0 (> 0 with `positive`); ``None`` allowed with `optional`."""
    if value is None and optional:
        return None
    return _non_negative(value, where, "ms", positive, "time")


def rate_field(value, where, *, positive=False):
    """A rate (Quantity) >= 0 Hz (> 0 with `positive`)."""
    return _non_negative(value, where, "Hz", positive, "rate")


def count_field(value, where, low=1):
    """An integer >= `low`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer)) or \
            int(value) != value or value < low:
        raise SpecError(where, value, f"an integer >= {low}")
    return int(value)


def number_field(value, where, low=None, high=None):
    """A plain number within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or \
            not np.isfinite(value) or (low is not None and value < low) or \
            (high is not None and value > high):
        raise SpecError(where, value, f"a number in [{'-inf' if low is None else low}, "
                                      f"{'inf' if high is None else high}]")
    return float(value)


def array_field(value, where, unit=None, ndim=(1,)):
    """A float array (SI values) from a Quantity array, a list of quantities/strings or
    ``{"unit": ..., "values": [...]}``; dimensionless when `unit` is None."""
    if isinstance(value, dict):
        _check_keys(value, {"unit", "values"}, where)
        scale = parse_quantity(f"1 {value.get('unit', '1')}", where, unit)
        array = np.asarray(value.get("values", ()), dtype=float) * si_value(scale)
    elif isinstance(value, Quantity) or unit is None:
        if unit is not None:
            parse_quantity(value if np.ndim(value) == 0 else value[:1], where, unit)
        array = np.asarray(value, dtype=float)
    else:
        array = np.asarray([si_value(parse_quantity(v, where, unit)) for v in
                            np.asarray(value, dtype=object).ravel()], dtype=float)
        array = array.reshape(np.shape(np.asarray(value, dtype=object)))
    if array.ndim not in ndim or array.size == 0 or not np.all(np.isfinite(array)):
        raise SpecError(where, f"array of shape {array.shape}",
                        f"a non-empty finite array with {' or '.join(map(str, ndim))} "
                        "dimension(s)")
    return array


def with_unit(array, unit):
    """A Quantity array of SI values `array` with the dimensions of `unit` (fields keep
    their units, so a spec validates again after `replace`)."""
    return Quantity(np.asarray(array, dtype=float), dim=parse_quantity(f"1 {unit}", "unit").dim)


def plain(value, unit=None):
    """Plain-data (YAML) form of a field value."""
    if isinstance(value, _Spec):
        return value.to_dict()
    if isinstance(value, Distribution):
        return value.to_dict()
    if isinstance(value, Quantity) and np.ndim(value) == 0:
        return format_quantity(value)
    if isinstance(value, np.ndarray):
        data = np.asarray(value).tolist()
        return {"unit": unit, "values": data} if unit else data
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


# ------------------------------------------------------------------------- drive
@dataclass(frozen=True)
class Drive(_Spec):
    """How a stimulus' source population drives the circuit: a projection's fields.

    Parameters
    ----------
    population : str
        Target population of the circuit.
    target : str
        Synaptic channel or variable of the target's model (``"e"``, ``"g_e"``, ...).
    weight : Quantity, str or distribution
        In the unit of the target variable.
    connectivity : str or dict
        Connection rule (default ``"all_to_all"``; ``"one_to_one"`` for equal sizes).
    delay : Quantity
    synapse : str or SynapseModel
        Synapse model (a plasticity rule for a pairing protocol).
    parameters : mapping
        Overrides of the synapse model's parameters.
    """

    population: str
    target: str
    weight: object
    connectivity: object = "all_to_all"
    delay: object = "0 ms"
    synapse: object = "static"
    parameters: object = field(default_factory=dict)

    def __post_init__(self):
        _check_name(self.population, "drive.population")

    def projection(self, name, source):
        """The `Projection` from population `source` (named `name`)."""
        return Projection(name, source, self.population, self.target, self.connectivity,
                          self.weight, self.delay, self.synapse, dict(self.parameters))

    def to_dict(self):
        proj = self.projection("drive", "source").to_dict()
        return {k: proj[k] for k in ("target", "weight", "connectivity", "delay", "synapse")
                } | {"population": self.population, "parameters": proj.get("parameters", {})}

    @classmethod
    def from_dict(cls, data):
        if isinstance(data, Drive):
            return data
        _check_fields(data, cls, "drive")
        return cls(**data)


def drive_field(value, where):
    """``None`` or a `Drive` (from a dict)."""
    if value is None:
        return None
    try:
        return Drive.from_dict(value)
    except TypeError as exc:
        raise SpecError(where, value, f"a drive with population, target and weight ({exc})") \
            from None


# ------------------------------------------------------------------------- base class
class Stimulus(_Spec):
    """Base of every protocol block (a frozen dataclass with a `name`).

    Subclasses set `kind` (their catalogue name), validate their fields in ``__post_init__``
    and implement `lower` and `end`.
    """

    kind = ""
    #: fields holding arrays, with the unit their plain form is written in
    _array_units = {}

    def __eq__(self, other):
        # by content: fields may hold arrays, which dataclass equality cannot compare
        return type(other) is type(self) and other.to_dict() == self.to_dict()

    def __hash__(self):
        return hash(self.to_json())

    def where(self, name):
        """Dotted field path for error messages."""
        return f"protocol.{self.name}.{name}"

    def lower(self, circuit, duration, dt):  # pragma: no cover - every subclass overrides
        """The `Lowered` primitives of this stimulus on `circuit` (`duration`, `dt` in s)."""
        raise NotImplementedError

    def end(self, duration):
        """Time (s) at which the stimulus is over (`duration` for open-ended ones)."""
        return si_value(duration)

    def to_dict(self):
        data = {"kind": self.kind}
        for item in fields(self):
            data[item.name] = plain(getattr(self, item.name), self._array_units.get(item.name))
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data.pop("kind", None)
        _check_keys(data, {f.name for f in fields(cls)}, f"protocol.{cls.kind}")
        required = [f.name for f in fields(cls) if f.default is MISSING
                    and f.default_factory is MISSING]
        missing = [name for name in required if name not in data]
        if missing:
            raise SpecError(f"protocol.{data.get('name', cls.kind)}", sorted(data),
                            f"the fields {', '.join(required)} of a {cls.kind} "
                            f"(missing: {', '.join(missing)})")
        return cls(**data)



def source_lowered(population, drive, name):
    """`Lowered` of one source population (and its projection when `drive` is given)."""
    lowered = Lowered(populations=[population])
    if drive is not None:
        lowered.projections.append(drive.projection(f"{name}_to_{drive.population}",
                                                    population.name))
    return lowered
