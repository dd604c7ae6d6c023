"""Injected currents: step, ramp, sine, pulse train and Ornstein-Uhlenbeck noise.

A current is a `Mechanism` composed onto the target population's model (any model with the
``I_in`` input line of `bioneuro.models.composition`): an expression of ``t`` whose
amplitude is a per-neuron parameter and whose times are shared parameters. All of them are
run-time values, so a compiled binary re-runs with other amplitudes and times, and an
amplitude given as a distribution (``{"kind": "linspace", ...}``) sweeps the amplitude over
the population's neurons in one run (the fast way to an f-I curve).

Each current is on during ``[start, stop)``, from the time step nearest to `start` to the
one before the step nearest to `stop`. The parameters of current ``<name>`` are called
``<name>_amplitude``, ``<name>_start``, ... in the composed model; the sum of all inputs is
the model's ``I_in`` (record it to see the delivered current).
"""

from dataclasses import dataclass, fields

import numpy as np
from bioneuro.models.composition import INPUT_CURRENT, Mechanism
from bioneuro.protocols.stimulus import (
    Lowered,
    Stimulus,
    count_field,
    number_field,
    rate_field,
    time_field,
)
from brian2.units import second
from brian2.units.fundamentalunits import get_dimensions

from bioneuro.distributions import Constant, distribution
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import equation_unit, format_quantity, preferred_unit, si_value
from bioneuro.spec import Parameter, Reference, _check_name

__all__ = ["CurrentStep", "CurrentRamp", "SineCurrent", "PulseTrainCurrent", "NoisyCurrent"]

_INPUT_UNITS = ("amp", "amp/meter**2", "volt")
_UHLENBECK = Reference("Uhlenbeck & Ornstein (1930) On the theory of the Brownian motion, "
                       "Phys Rev 36:823", "10.1103/PhysRev.36.823")


def _input(value, where):
    """A distribution of a current, a current density or a voltage-like input."""
    for unit in _INPUT_UNITS:
        try:
            return distribution(value, where, unit)
        except SpecError:
            continue
    raise SpecError(where, value, "a current (e.g. '100 pA'), a current density "
                                  "('1 uA/cm**2'), or a distribution of one")


def _unit_of(dist):
    """A quantity carrying the dimensions of distribution `dist`."""
    return next(iter(dist.code_parameters().values()))


def _zero_like(value, amplitude, where):
    """`value`, or 0 in the unit of `amplitude` when `value` is the number 0."""
    if isinstance(value, (int, float)) and value == 0:
        return 0 * _unit_of(_input(amplitude, where))
    return value


class _Current(Stimulus):
    """Shared behaviour: target population, window, composition onto the model."""

    #: fields that are input amplitudes (per-neuron distributions)
    _amplitudes = ("amplitude",)
    #: other fields that become shared parameters: name -> display unit
    _shared = {}
    stochastic = False

    def _check_common(self):
        _check_name(self.name, "protocol.name")
        _check_name(self.population, self.where("population"))
        for name in self._amplitudes:
            object.__setattr__(self, name, _input(getattr(self, name), self.where(name)))
        units = {get_dimensions(_unit_of(getattr(self, name))) for name in self._amplitudes}
        if len(units) > 1:
            raise SpecError(self.where(self._amplitudes[-1]), "mixed units",
                            "amplitudes in one unit")
        object.__setattr__(self, "start", time_field(self.start, self.where("start")))
        if "stop" in {f.name for f in fields(self)} and self.stop is not None:
            object.__setattr__(self, "stop", time_field(self.stop, self.where("stop")))
            if si_value(self.stop) < si_value(self.start):
                raise SpecError(self.where("stop"), format_quantity(self.stop),
                                f"a time >= start ({format_quantity(self.start)})")

    def stop_time(self, duration):
        """End of the current (s)."""
        return si_value(duration) if self.stop is None else si_value(self.stop)

    def end(self, duration):
        return self.stop_time(duration)

    def expression(self):  # pragma: no cover - every subclass overrides
        """The current as a Brian2 expression of ``t`` and the parameters ``<name>_*``."""
        raise NotImplementedError

    def shared_values(self, duration):
        """``{field: Quantity}`` of the shared parameters."""
        values = {"start": self.start, "stop": self.stop_time(duration) * second}
        values.update({name: getattr(self, name) for name in self._shared})
        return values

    def window(self):
        n = self.name
        return f"int(t >= {n}_start - 0.5*dt)*int(t < {n}_stop - 0.5*dt)"

    def lower(self, circuit, duration, dt):
        names = [p.name for p in circuit.populations]
        if self.population not in names:
            raise UnknownNameError(self.where("population"), self.population, names)
        pop = circuit.population(self.population)
        units = pop.model.variable_units()
        if INPUT_CURRENT not in units:
            raise SpecError(self.where("population"), self.population,
                            f"a population whose model has the input current {INPUT_CURRENT}"
                            f" (model {pop.model.name!r} has none)")
        unit = units[INPUT_CURRENT]
        for name in self._amplitudes:
            getattr(self, name).check_unit(unit, self.where(name))
        display = preferred_unit(1 * unit)
        parameters, values = {}, {}
        for name in self._amplitudes:
            dist = getattr(self, name)
            default = dist.value if isinstance(dist, Constant) else 0 * unit
            parameters[f"{self.name}_{name}"] = Parameter(display, default, f"{name} of "
                                                          f"current {self.name}")
            values[f"{self.name}_{name}"] = dist
        for name, value in self.shared_values(duration).items():
            disp = self._shared.get(name, "ms")
            parameters[f"{self.name}_{name}"] = Parameter(disp, value, f"{name} of current "
                                                          f"{self.name}", shared=True)
        equations = self.state_equations(equation_unit(unit))
        mechanism = Mechanism(
            name=self.name, equations=equations, current=self.expression(),
            parameters=parameters, initial=self.initial_values(unit), time_dependent=True,
            stochastic=self.stochastic, description=f"Injected current {self.name}.",
            references=self.references())
        return Lowered(mechanisms=[(self.population, mechanism, values)])

    def state_equations(self, unit):
        return ""

    def initial_values(self, unit):
        return {}

    def references(self):
        return ()

    def waveform(self, times, size, dt):
        """Scheduled current (SI values, shape ``(len(times), size)``) at `times` (s).

        The NumPy form of the generated expression, for a run with time step `dt` (s).
        """
        times = np.asarray(times, dtype=float)[:, None]
        amplitude = self.amplitude.sample(np.random.default_rng(0), size)[None, :]
        return amplitude * self.shape(times, dt) * self.window_mask(times, dt)

    def window_mask(self, times, dt):
        """1 where the current is on at `times` (s) in a run with time step `dt`."""
        stop = np.inf if self.stop is None else si_value(self.stop)
        return ((times >= si_value(self.start) - 0.5 * dt) &
                (times < stop - 0.5 * dt)).astype(float)


@dataclass(frozen=True, eq=False)
class CurrentStep(_Current):
    """A current step of `amplitude` during ``[start, stop)``.

    Parameters
    ----------
    name : str
    population : str
        Target population (its model must have the ``I_in`` input line).
    amplitude : Quantity or distribution
        In the unit of the model's input (pA for point neurons, uA/cm**2 for density
        models); a distribution sets one amplitude per neuron (a linspace sweep).
    start, stop : Quantity
        ``stop=None``: until the end of the run.
    """

    name: str
    population: str
    amplitude: object
    start: object = "0 ms"
    stop: object = None
    kind = "current_step"

    def __post_init__(self):
        self._check_common()

    def expression(self):
        return f"{self.name}_amplitude*{self.window()}"

    def shape(self, times, dt):
        return np.ones_like(times)


@dataclass(frozen=True, eq=False)
class CurrentRamp(_Current):
    """A current rising linearly from `initial` at `start` to `amplitude` at `stop`.

    Parameters
    ----------
    name, population : str
    amplitude : Quantity or distribution
        Value reached at `stop`.
    start, stop : Quantity
        ``stop > start``.
    initial : Quantity
        Value at `start` (same unit as `amplitude`).
    """

    name: str
    population: str
    amplitude: object
    start: object
    stop: object
    initial: object = 0.0
    kind = "current_ramp"
    _amplitudes = ("amplitude", "initial")

    def __post_init__(self):
        object.__setattr__(self, "initial", _zero_like(self.initial, self.amplitude,
                                                       self.where("amplitude")))
        if self.stop is None:
            raise SpecError(self.where("stop"), None, "the end time of the ramp")
        self._check_common()
        if si_value(self.stop) <= si_value(self.start):
            raise SpecError(self.where("stop"), format_quantity(self.stop),
                            f"a time > start ({format_quantity(self.start)})")

    def expression(self):
        n = self.name
        return (f"({n}_initial + ({n}_amplitude - {n}_initial)*(t - {n}_start)"
                f"/({n}_stop - {n}_start))*{self.window()}")

    def waveform(self, times, size, dt):
        times = np.asarray(times, dtype=float)[:, None]
        rng = np.random.default_rng(0)
        high = self.amplitude.sample(rng, size)[None, :]
        low = self.initial.sample(rng, size)[None, :]
        start, stop = si_value(self.start), si_value(self.stop)
        return (low + (high - low) * (times - start) / (stop - start)) * \
            self.window_mask(times, dt)


@dataclass(frozen=True, eq=False)
class SineCurrent(_Current):
    """``offset + amplitude sin(2 pi frequency (t - start) + phase)`` during
    ``[start, stop)``.

    Parameters
    ----------
    name, population : str
    amplitude : Quantity or distribution
    frequency : Quantity
        > 0.
    start, stop : Quantity
    offset : Quantity
        Same unit as `amplitude`.
    phase : float
        Radians.
    """

    name: str
    population: str
    amplitude: object
    frequency: object
    start: object = "0 ms"
    stop: object = None
    offset: object = 0.0
    phase: float = 0.0
    kind = "sine_current"
    _amplitudes = ("amplitude", "offset")
    _shared = {"frequency": "Hz", "phase": "1"}

    def __post_init__(self):
        object.__setattr__(self, "offset", _zero_like(self.offset, self.amplitude,
                                                      self.where("amplitude")))
        self._check_common()
        object.__setattr__(self, "frequency", rate_field(self.frequency,
                                                         self.where("frequency"),
                                                         positive=True))
        object.__setattr__(self, "phase", number_field(self.phase, self.where("phase")))

    def expression(self):
        n = self.name
        return (f"({n}_offset + {n}_amplitude*sin(2*pi*{n}_frequency*(t - {n}_start) + "
                f"{n}_phase))*{self.window()}")

    def waveform(self, times, size, dt):
        times = np.asarray(times, dtype=float)[:, None]
        rng = np.random.default_rng(0)
        amplitude = self.amplitude.sample(rng, size)[None, :]
        offset = self.offset.sample(rng, size)[None, :]
        wave = np.sin(2 * np.pi * si_value(self.frequency) * (times - si_value(self.start))
                      + self.phase)
        return (offset + amplitude * wave) * self.window_mask(times, dt)


@dataclass(frozen=True, eq=False)
class PulseTrainCurrent(_Current):
    """`n_pulses` rectangular pulses of `amplitude` and `width` at `frequency` from `start`.

    Parameters
    ----------
    name, population : str
    amplitude : Quantity or distribution
    frequency : Quantity
        Pulse repetition rate (> 0).
    width : Quantity
        Pulse duration (> 0, shorter than the period).
    n_pulses : int
    start : Quantity
    """

    name: str
    population: str
    amplitude: object
    frequency: object
    width: object
    n_pulses: int
    start: object = "0 ms"
    kind = "pulse_train_current"
    _shared = {"period": "ms", "width": "ms"}

    @property
    def stop(self):
        return self.start + self.n_pulses / self.frequency

    def __post_init__(self):
        self._check_common()
        object.__setattr__(self, "frequency", rate_field(self.frequency,
                                                         self.where("frequency"),
                                                         positive=True))
        object.__setattr__(self, "width", time_field(self.width, self.where("width"),
                                                     positive=True))
        object.__setattr__(self, "n_pulses", count_field(self.n_pulses,
                                                         self.where("n_pulses")))
        if si_value(self.width) >= 1 / si_value(self.frequency):
            raise SpecError(self.where("width"), format_quantity(self.width),
                            f"a pulse shorter than the period {1 / si_value(self.frequency):g} s")

    @property
    def period(self):
        return 1 / self.frequency

    def expression(self):
        n = self.name
        return f"{n}_amplitude*int((t - {n}_start + 0.5*dt) % {n}_period < {n}_width)" \
               f"*{self.window()}"

    def shape(self, times, dt):
        phase = np.mod(times - si_value(self.start) + 0.5 * dt, si_value(self.period))
        return (phase < si_value(self.width)).astype(float)


@dataclass(frozen=True, eq=False)
class NoisyCurrent(_Current):
    """Ornstein-Uhlenbeck current with stationary mean `mean`, std `sigma` and correlation
    time `tau` during ``[start, stop)``.

    ``dI/dt = (mean - I)/tau + sigma sqrt(2/tau) xi`` (Uhlenbeck & Ornstein 1930): the
    stationary autocovariance is ``sigma**2 exp(-|s|/tau)``. The current starts at `mean`
    and is integrated by the model's stochastic method (Heun for an exactly integrated
    model), with the run's seeded generator.

    Parameters
    ----------
    name, population : str
    mean, sigma : Quantity or distribution
        Per neuron when distributions (``sigma >= 0``).
    tau : Quantity
        > 0.
    start, stop : Quantity
    """

    name: str
    population: str
    mean: object
    sigma: object
    tau: object
    start: object = "0 ms"
    stop: object = None
    kind = "noisy_current"
    _amplitudes = ("mean", "sigma")
    _shared = {"tau": "ms"}
    stochastic = True

    def __post_init__(self):
        self._check_common()
        object.__setattr__(self, "tau", time_field(self.tau, self.where("tau"), positive=True))
        unit = _unit_of(self.sigma)
        Parameter(preferred_unit(unit), 0 * unit, "std", low=0 * unit).check_distribution(
            self.sigma, self.where("sigma"))

    def state_equations(self, unit):
        n = self.name
        return (f"dI_{n}/dt = ({n}_mean - I_{n})/{n}_tau + {n}_sigma*sqrt(2/{n}_tau)*xi_{n}"
                f" : {unit}")

    def initial_values(self, unit):
        mean = self.mean.value if isinstance(self.mean, Constant) else 0 * unit
        return {f"I_{self.name}": mean}

    def expression(self):
        return f"I_{self.name}*{self.window()}"

    def references(self):
        return (_UHLENBECK,)
