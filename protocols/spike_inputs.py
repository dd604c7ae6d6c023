"""Spike inputs: Poisson (homogeneous, inhomogeneous, correlated), regular and burst trains,
explicit spike times.

Each input is a source population (recorded like any population, so the delivered spikes
are in the Dataset) with an optional `Drive` projecting it onto the circuit.

- Random inputs draw their spikes inside the simulation (``rand() < rate*dt`` per step, the
  Bernoulli approximation of a Poisson process, exact as ``rate*dt -> 0``) with the run's
  seeded generator, so one compiled binary serves every seed. A homogeneous rate is a
  per-neuron run-time value; an inhomogeneous rate is a Brian2 ``TimedArray`` (a table of
  rates, one row per `interval`).
- Deterministic trains are ``SpikeGeneratorGroup`` s: their spikes fall on the time step
  nearest to each scheduled time, exactly.
- `CorrelatedPoisson` is the single-interaction-process model (Kuhn, Aertsen & Rotter 2003):
  every train is the union of an independent Poisson train of rate ``(1 - c) r`` and a
  common train of rate ``c r`` shared by the whole group, so spike counts of any two
  trains in any window have correlation coefficient ``c``.
"""

import math
from dataclasses import dataclass

import numpy as np
from bioneuro.protocols.stimulus import (
    GENERATOR_TAG,
    Stimulus,
    array_field,
    count_field,
    drive_field,
    number_field,
    rate_field,
    source_lowered,
    time_field,
    with_unit,
)

from bioneuro.distributions import Constant, distribution
from bioneuro.errors import SpecError
from bioneuro.quantities import format_quantity, si_value
from bioneuro.spec import (
    NeuronModel,
    Parameter,
    Population,
    Projection,
    Reference,
    _check_name,
)

__all__ = ["PoissonSpikes", "InhomogeneousPoisson", "CorrelatedPoisson", "RegularSpikes",
           "BurstSpikes", "SpikeTimes", "SPIKE_GENERATOR", "rate_table_lowered",
           "scheduled_rates_lowered", "generator_lowered"]

_KUHN = Reference("Kuhn, Aertsen & Rotter (2003) Higher-order statistics of input ensembles "
                  "and the response of simple model neurons, Neural Comput 15:67",
                  "10.1162/089976603321043702")

_RATE = Parameter("Hz", "0 Hz", "rate of a Poisson train", low="0 Hz")

#: model of the populations built as a ``SpikeGeneratorGroup`` (explicit spike times)
SPIKE_GENERATOR = NeuronModel(
    name="spike_generator", equations="", parameters={}, voltage="",
    description="Explicit spike times (a Brian2 SpikeGeneratorGroup).",
    tags=("source", GENERATOR_TAG))

CORRELATED_SOURCE = NeuronModel(
    name="correlated_poisson_source",
    equations="common : 1",
    parameters={
        "rate": Parameter("Hz", "10 Hz", "firing rate of each train", low="0 Hz"),
        "correlation": Parameter("1", 0.1, "pairwise spike-count correlation", low=0, high=1,
                                 shared=True),
        "t_start": Parameter("ms", "0 ms", "start of firing", low="0 ms", shared=True),
        "t_stop": Parameter("ms", "1 s", "end of firing", low="0 ms", shared=True),
    },
    # a spike of the common train (one step earlier) sets `common` in every member
    threshold="t >= t_start and t < t_stop and "
              "(common > 0 or rand() < (1 - correlation)*rate*dt)",
    reset="common = 0",
    synaptic_targets=("common",),
    voltage="",
    description="Member of a correlated Poisson group (single interaction process).",
    references=(_KUHN,),
    tags=("source",))


def _window(stim, duration):
    start = si_value(stim.start)
    stop = si_value(duration) if stim.stop is None else si_value(stim.stop)
    if stop < start:
        raise SpecError(stim.where("stop"), format_quantity(stim.stop),
                        f"a time >= start ({format_quantity(stim.start)})")
    return start, stop


def _common_fields(stim):
    _check_name(stim.name, "protocol.name")
    object.__setattr__(stim, "size", count_field(stim.size, stim.where("size")))
    object.__setattr__(stim, "drive", drive_field(stim.drive, stim.where("drive")))


def _window_fields(stim):
    object.__setattr__(stim, "start", time_field(stim.start, stim.where("start")))
    object.__setattr__(stim, "stop", time_field(stim.stop, stim.where("stop"), optional=True))
    if stim.stop is not None and si_value(stim.stop) < si_value(stim.start):
        raise SpecError(stim.where("stop"), format_quantity(stim.stop),
                        f"a time >= start ({format_quantity(stim.start)})")


@dataclass(frozen=True, eq=False)
class _RateWindow(Stimulus):
    """Fields shared by the trains of one rate within a window."""

    name: str
    size: int
    rate: object
    start: object = "0 ms"
    stop: object = None
    drive: object = None

    def __post_init__(self):
        _common_fields(self)
        _window_fields(self)

    def end(self, duration):
        return si_value(duration) if self.stop is None else si_value(self.stop)


@dataclass(frozen=True, eq=False)
class PoissonSpikes(_RateWindow):
    """Independent Poisson trains of a constant rate during ``[start, stop)``.

    Parameters
    ----------
    name : str
        Name of the source population.
    size : int
        Number of trains.
    rate : Quantity or distribution
        Rate (Hz, >= 0), per train when a distribution.
    start, stop : Quantity
        Window (``stop=None``: until the end of the run).
    drive : Drive, optional
        Projection onto the circuit.
    """

    kind = "poisson_spikes"

    def __post_init__(self):
        super().__post_init__()
        rate = distribution(self.rate, self.where("rate"), "Hz")
        _RATE.check_distribution(rate, self.where("rate"))
        object.__setattr__(self, "rate", rate)

    def lower(self, circuit, duration, dt):
        start, stop = _window(self, duration)
        pop = Population(self.name, "poisson_source", self.size,
                         {"rate": self.rate, "t_start": f"{start!r} second",
                          "t_stop": f"{stop!r} second"})
        return source_lowered(pop, self.drive, self.name)


@dataclass(frozen=True, eq=False)
class CorrelatedPoisson(PoissonSpikes):
    """Poisson trains of rate `rate` with pairwise spike-count correlation `correlation`.

    Lowered to two populations: ``<name>`` (the trains) and ``<name>_common`` (the shared
    component, one train of rate ``correlation * rate``). See the module docstring.

    Parameters
    ----------
    name : str
    size : int
    rate : Quantity
        Rate of each train (one rate for the group).
    start, stop : Quantity
    drive : Drive, optional
    correlation : float
        Pairwise correlation coefficient of spike counts, in [0, 1].
    """

    correlation: float = 0.0
    kind = "correlated_poisson"

    def __post_init__(self):
        super().__post_init__()
        if not isinstance(self.rate, Constant):
            raise SpecError(self.where("rate"), self.rate.to_dict(), "one rate for the group")
        object.__setattr__(self, "rate", self.rate.value)
        object.__setattr__(self, "correlation",
                           number_field(self.correlation, self.where("correlation"), 0, 1))

    def lower(self, circuit, duration, dt):
        start, stop = _window(self, duration)
        window = {"t_start": f"{start!r} second", "t_stop": f"{stop!r} second"}
        common = Population(f"{self.name}_common", "poisson_source", 1,
                            {"rate": self.rate * self.correlation, **window})
        members = Population(self.name, CORRELATED_SOURCE, self.size,
                             {"rate": self.rate, "correlation": self.correlation, **window})
        lowered = source_lowered(members, self.drive, self.name)
        lowered.populations.insert(0, common)
        lowered.projections.append(Projection(f"{self.name}_common_spikes", common.name,
                                              members.name, "common", "all_to_all", 1.0))
        return lowered


# ------------------------------------------------------------------------- rate tables
def table_model(table):
    """Source model reading its rates from the ``TimedArray`` called `table`."""
    return NeuronModel(name=f"{table}_source", equations="", parameters={}, voltage="",
                       threshold=f"rand() < {table}(t, i)*dt",
                       description=f"Poisson source with rates from table {table}.",
                       tags=("source",))


def rate_table(segments, size, dt):
    """A rate table (rows x `size`, Hz) and its row interval (s) from piecewise segments.

    Parameters
    ----------
    segments : list of (start, stop, rates)
        Times in s; `rates` broadcast to `size` (Hz). Outside the segments the rate is 0.
    size : int
    dt : float
        Simulation step (s): segment boundaries are rounded to it.

    The row interval is the largest multiple of `dt` dividing every boundary, so a table
    of long epochs stays small.
    """
    boundaries = [int(round(t / dt)) for seg in segments for t in seg[:2]]
    step = 0
    for value in boundaries:
        step = math.gcd(step, value)
    step = max(step, 1)
    rows = max(boundaries) // step + 1  # a last row of zeros: TimedArray holds it after the end
    table = np.zeros((rows, size))
    for start, stop, rates in segments:
        first, last = int(round(start / dt)) // step, int(round(stop / dt)) // step
        table[first:last] = np.broadcast_to(np.asarray(rates, dtype=float), (size,))
    return table, step * dt


def rate_table_lowered(name, size, segments, drive, dt):
    """`Lowered` of a Poisson population whose rates follow `segments` (see `rate_table`)."""
    table_name = f"rates_{name}"
    table, interval = rate_table(segments, size, dt)
    if np.any(table < 0) or not np.all(np.isfinite(table)):
        raise SpecError(f"protocol.{name}.rates", "negative or non-finite rates",
                        "rates >= 0 Hz")
    if np.any(table * dt > 1):
        raise SpecError(f"protocol.{name}.rates", f"{table.max():g} Hz",
                        f"rates below 1/dt = {1 / dt:g} Hz")
    lowered = source_lowered(Population(name, table_model(table_name), size), drive, name)
    lowered.rate_tables[table_name] = (table, interval)
    return lowered


def scheduled_rates_lowered(name, size, rows, rates, drive, dt):
    """`Lowered` of a Poisson population whose rates (Hz, broadcast to `size`) are
    ``rates[k]`` during epoch ``rows[k]`` (0 outside the schedule); the epochs included."""
    segments = [(row.start, row.stop, rate) for row, rate in zip(rows, rates, strict=True)]
    lowered = rate_table_lowered(name, size, segments, drive, dt)
    lowered.epochs += list(rows)
    return lowered


@dataclass(frozen=True, eq=False)
class InhomogeneousPoisson(Stimulus):
    """Poisson trains whose rate changes every `interval` following a table.

    Parameters
    ----------
    name : str
    size : int
    rates : Quantity array
        Rates (Hz, >= 0): shape ``(rows,)`` (the same for every train) or
        ``(rows, size)``. Row ``k`` applies during ``[start + k interval,
        start + (k + 1) interval)``; the rate is 0 before and after.
    interval : Quantity
        Duration of a row (> 0).
    start : Quantity
    drive : Drive, optional

    See `from_function` for a rate given as a function of time.
    """

    name: str
    size: int
    rates: object
    interval: object
    start: object = "0 ms"
    drive: object = None
    kind = "inhomogeneous_poisson"
    _array_units = {"rates": "Hz"}

    def __post_init__(self):
        _common_fields(self)
        rates = array_field(self.rates, self.where("rates"), "Hz", ndim=(1, 2))
        if rates.ndim == 2 and rates.shape[1] != self.size:
            raise SpecError(self.where("rates"), f"shape {rates.shape}",
                            f"(rows,) or (rows, size={self.size})")
        if np.any(rates < 0):
            raise SpecError(self.where("rates"), f"{rates.min():g} Hz", "rates >= 0 Hz")
        object.__setattr__(self, "rates", with_unit(rates, "Hz"))
        object.__setattr__(self, "interval",
                           time_field(self.interval, self.where("interval"), positive=True))
        object.__setattr__(self, "start", time_field(self.start, self.where("start")))

    @classmethod
    def from_function(cls, name, size, function, stop, interval, start="0 ms", drive=None):
        """Sample ``function(t)`` (Quantity array of times -> rates in Hz) every `interval`
        from `start` to `stop` (at the middle of each interval)."""
        t0 = time_field(start, f"protocol.{name}.start")
        step = time_field(interval, f"protocol.{name}.interval", positive=True)
        n = int(round(si_value(time_field(stop, f"protocol.{name}.stop") - t0) / si_value(step)))
        if n < 1:
            raise SpecError(f"protocol.{name}.stop", format_quantity(stop),
                            "a time at least one interval after start")
        times = t0 + (np.arange(n) + 0.5) * step
        return cls(name, size, function(times), step, t0, drive)

    def end(self, duration):
        return si_value(self.start) + len(self.rates) * si_value(self.interval)

    def lower(self, circuit, duration, dt):
        t0, step = si_value(self.start), si_value(self.interval)
        segments = [(t0 + k * step, t0 + (k + 1) * step, row)
                    for k, row in enumerate(np.asarray(self.rates))]
        return rate_table_lowered(self.name, self.size, segments, self.drive, dt)


# ------------------------------------------------------------------------- spike trains
def generator_lowered(name, size, indices, times, drive, duration, dt):
    """`Lowered` of a ``SpikeGeneratorGroup`` of `size` neurons emitting (indices, times)."""
    times = np.asarray(times, dtype=float)
    indices = np.asarray(indices, dtype=np.int64)
    late = times >= duration
    if np.any(late):
        raise SpecError(f"protocol.{name}", f"a spike at {times[late].min():g} s",
                        f"spike times before the end of the run ({duration:g} s)")
    steps = np.round(times / dt).astype(np.int64)
    order = np.lexsort((steps, indices))
    same = np.diff(steps[order]) == 0
    if np.any(same & (np.diff(indices[order]) == 0)):
        raise SpecError(f"protocol.{name}", "two spikes of one train in one time step",
                        f"spike intervals of at least dt = {dt:g} s")
    lowered = source_lowered(Population(name, SPIKE_GENERATOR, size), drive, name)
    lowered.spike_times[name] = (indices, steps * dt)
    return lowered


def copies_lowered(name, size, times, drive, duration, dt):
    """`Lowered` of a generator of `size` neurons that all emit the spike `times` (s)."""
    times = np.asarray(times, dtype=float)
    return generator_lowered(name, size, np.repeat(np.arange(size), len(times)),
                             np.tile(times, size), drive, duration, dt)


class _Train(Stimulus):
    """A deterministic train copied onto `size` neurons (subclasses define `train`)."""

    def train(self, duration):  # pragma: no cover - every subclass overrides
        """Spike times (s) of one neuron."""
        raise NotImplementedError

    def lower(self, circuit, duration, dt):
        times = self.train(duration)
        if len(times) == 0:
            raise SpecError(self.where("start"), format_quantity(self.start),
                            "a train with at least one spike within the run")
        return copies_lowered(self.name, self.size, times, self.drive, duration, dt)


@dataclass(frozen=True, eq=False)
class RegularSpikes(_Train, _RateWindow):
    """Regular trains: a spike every ``1/rate`` from `start` until `stop` (excluded).

    Parameters
    ----------
    name : str
    size : int
    rate : Quantity
        > 0.
    start, stop : Quantity
    drive : Drive, optional
    """

    kind = "regular_spikes"

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "rate", rate_field(self.rate, self.where("rate"),
                                                    positive=True))

    def train(self, duration):
        start, stop = _window(self, duration)
        period = 1 / si_value(self.rate)
        return start + period * np.arange(int(math.ceil((stop - start) / period - 1e-9)))


@dataclass(frozen=True, eq=False)
class BurstSpikes(_Train):
    """Burst trains: bursts of `spikes_per_burst` spikes at `intra_burst_rate`, one burst
    every ``1/burst_rate`` from `start` until `stop` (bursts starting before `stop`).

    Parameters
    ----------
    name : str
    size : int
    burst_rate : Quantity
        Bursts per second (> 0).
    spikes_per_burst : int
    intra_burst_rate : Quantity
        Spike frequency within a burst; the burst must be shorter than its period.
    start, stop : Quantity
    drive : Drive, optional
    """

    name: str
    size: int
    burst_rate: object
    spikes_per_burst: int
    intra_burst_rate: object
    start: object = "0 ms"
    stop: object = None
    drive: object = None
    kind = "burst_spikes"

    def __post_init__(self):
        _common_fields(self)
        _window_fields(self)
        for name in ("burst_rate", "intra_burst_rate"):
            object.__setattr__(self, name, rate_field(getattr(self, name), self.where(name),
                                                      positive=True))
        object.__setattr__(self, "spikes_per_burst",
                           count_field(self.spikes_per_burst, self.where("spikes_per_burst")))
        burst = (self.spikes_per_burst - 1) / si_value(self.intra_burst_rate)
        if burst >= 1 / si_value(self.burst_rate):
            raise SpecError(self.where("burst_rate"), format_quantity(self.burst_rate),
                            f"bursts shorter than their period (a burst lasts {burst:g} s)")

    def train(self, duration):
        start, stop = _window(self, duration)
        period = 1 / si_value(self.burst_rate)
        onsets = start + period * np.arange(int(math.ceil((stop - start) / period - 1e-9)))
        within = np.arange(self.spikes_per_burst) / si_value(self.intra_burst_rate)
        return (onsets[:, None] + within[None, :]).ravel()


@dataclass(frozen=True, eq=False)
class SpikeTimes(Stimulus):
    """Explicit spike times, one sequence per neuron.

    Parameters
    ----------
    name : str
    times : sequence of Quantity arrays
        ``times[k]`` are the spike times of neuron ``k`` (at most one per time step).
    drive : Drive, optional
    """

    name: str
    times: tuple
    drive: object = None
    kind = "spike_times"

    def __post_init__(self):
        _check_name(self.name, "protocol.name")
        trains = tuple(array_field(t, f"{self.where('times')}[{k}]", "second")
                       for k, t in enumerate(self.times))
        if not trains:
            raise SpecError(self.where("times"), [], "at least one train")
        for k, train in enumerate(trains):
            if np.any(train < 0):
                raise SpecError(f"{self.where('times')}[{k}]", f"{train.min():g} s",
                                "times >= 0 s")
        object.__setattr__(self, "times", tuple(with_unit(t, "s") for t in trains))
        object.__setattr__(self, "drive", drive_field(self.drive, self.where("drive")))

    @property
    def size(self):
        return len(self.times)

    def to_dict(self):
        data = super().to_dict()
        data["times"] = [{"unit": "s", "values": np.asarray(t).tolist()} for t in self.times]
        return data

    def end(self, duration):
        return max(float(np.max(t)) for t in self.times)

    def lower(self, circuit, duration, dt):
        indices = np.concatenate([np.full(len(t), k) for k, t in enumerate(self.times)])
        times = np.concatenate([np.asarray(t) for t in self.times])
        return generator_lowered(self.name, self.size, indices, times,
                                 self.drive, si_value(duration), si_value(dt))
