"""Cognitive tasks for rate networks, as rate tables: a perceptual decision on noisy evidence.

`RateDecision` is the two-alternative perceptual decision of rate-RNN studies (Song, Yang
& Wang 2016, Fig. 2; Mante et al. 2013), presented to a rate network rather than to
spiking pools (compare `DecisionTask`). Every trial has three epochs:

- ``fixation``: no input;
- ``stimulus``: two input channels carry noisy evidence, ``u_1 = mean (1 + c) + noise``,
  ``u_2 = mean (1 - c) + noise`` (one Gaussian draw of standard deviation `noise` per
  `bin`, per channel), with a signed coherence ``c`` from `coherences`;
- ``response``: the evidence stays on and the readout's target is ``sign(c)``.

Inputs and target are in units of `nu_ref` (rate tables in Hz: `RatePatterns`). The inputs
drive the circuit through `input` (a `Drive` onto a ``ctrnn`` population's ``input``
channel); the target reaches the readout population's ``target`` channel. The trial
schedule (one condition per trial, shuffled with `order_seed`) is written into the Dataset
as epochs, condition ``c=<coherence>``. Noise and order are protocol parameters
(`noise_seed`, `order_seed`), independent of the simulation's seed.
"""

from dataclasses import dataclass

import numpy as np
from bioneuro.protocols.rate_patterns import RatePatterns
from bioneuro.protocols.stimulus import (
    Drive,
    Stimulus,
    count_field,
    drive_field,
    number_field,
    time_field,
)
from bioneuro.protocols.trials import Epoch, lay_out, trial_order
from brian2.units import Hz

from bioneuro.errors import SpecError
from bioneuro.quantities import parse_quantity, si_value
from bioneuro.registry import register
from bioneuro.spec import _check_name

__all__ = ["RateDecision", "decision_conditions"]


def decision_conditions(coherences, n_repeats, order_seed):
    """Signed coherence of every trial (each of `coherences` `n_repeats` times, shuffled)."""
    coherences = np.asarray(coherences, dtype=float)
    return coherences[trial_order(len(coherences), n_repeats, "shuffled", order_seed)]


@dataclass(frozen=True, eq=False)
class RateDecision(Stimulus):
    """Two-alternative perceptual decision on noisy evidence for a rate network.

    Parameters
    ----------
    name : str
        Also the prefix of the source populations (``<name>_input``, ``<name>_target``).
    input : Drive
        Projection of the two evidence channels onto the network (target ``input``).
    readout : str
        Readout population (its ``target`` channel receives ``sign(c)``).
    coherences : tuple of float
        Signed coherences (non-zero), one condition each.
    n_repeats : int
        Trials per coherence.
    fixation, stimulus, response : Quantity
        Epoch durations (multiples of `bin`).
    bin : Quantity
        Duration of one noise sample (a row of the rate tables).
    mean, noise : float
        Mean evidence and its standard deviation per bin (units of `nu_ref`).
    nu_ref : Quantity
        Rate of one input unit.
    start : Quantity
    order_seed, noise_seed : int
    """

    name: str
    input: object
    readout: str = "readout"
    coherences: tuple = (-0.4, -0.2, -0.1, 0.1, 0.2, 0.4)
    n_repeats: int = 10
    fixation: object = "20 ms"
    stimulus: object = "180 ms"
    response: object = "100 ms"
    bin: object = "10 ms"
    mean: float = 1.0
    noise: float = 0.5
    nu_ref: object = "1 Hz"
    start: object = "0 ms"
    order_seed: int = 0
    noise_seed: int = 0
    kind = "rate_decision"

    def __post_init__(self):
        _check_name(self.name, "protocol.name")
        _check_name(self.readout, self.where("readout"))
        object.__setattr__(self, "input", drive_field(self.input, self.where("input")))
        if self.input is None:
            raise SpecError(self.where("input"), None, "a drive onto the network's input")
        coherences = tuple(number_field(c, self.where("coherences"), -1.0, 1.0)
                           for c in np.atleast_1d(self.coherences))
        if not coherences or any(c == 0 for c in coherences):
            raise SpecError(self.where("coherences"), list(coherences),
                            "non-zero signed coherences in [-1, 1]")
        object.__setattr__(self, "coherences", coherences)
        object.__setattr__(self, "n_repeats", count_field(self.n_repeats,
                                                          self.where("n_repeats")))
        for name in ("fixation", "stimulus", "response", "bin"):
            object.__setattr__(self, name, time_field(getattr(self, name), self.where(name),
                                                      positive=True))
        object.__setattr__(self, "start", time_field(self.start, self.where("start")))
        for name in ("fixation", "stimulus", "response"):
            rows = si_value(getattr(self, name)) / si_value(self.bin)
            if abs(rows - round(rows)) > 1e-6:
                raise SpecError(self.where(name), str(getattr(self, name)),
                                f"a multiple of bin = {self.bin}")
        object.__setattr__(self, "mean", number_field(self.mean, self.where("mean")))
        object.__setattr__(self, "noise", number_field(self.noise, self.where("noise"), 0.0))
        nu_ref = parse_quantity(self.nu_ref, self.where("nu_ref"), "Hz")
        if not si_value(nu_ref) > 0:
            raise SpecError(self.where("nu_ref"), str(nu_ref), "a rate > 0 Hz")
        object.__setattr__(self, "nu_ref", nu_ref)
        for name in ("order_seed", "noise_seed"):
            object.__setattr__(self, name, count_field(getattr(self, name), self.where(name),
                                                       0))

    @property
    def epochs(self):
        return (Epoch("fixation", self.fixation), Epoch("stimulus", self.stimulus),
                Epoch("response", self.response))

    @property
    def trial_duration(self):
        """Duration of one trial (s)."""
        return sum(si_value(e.duration) for e in self.epochs)

    @property
    def n_trials(self):
        return len(self.coherences) * self.n_repeats

    def conditions(self):
        """Signed coherence of every trial."""
        return decision_conditions(self.coherences, self.n_repeats, self.order_seed)

    def tables(self):
        """``(inputs, target)``: rows of `bin`, in units of `nu_ref`; shapes
        ``(n_trials * rows, 2)`` and ``(n_trials * rows,)``."""
        rows = [int(round(si_value(e.duration) / si_value(self.bin))) for e in self.epochs]
        per_trial = sum(rows)
        coherence = np.repeat(self.conditions(), per_trial)
        phase = np.tile(np.repeat([0, 1, 2], rows), self.n_trials)
        on = phase > 0
        rng = np.random.default_rng(self.noise_seed)
        noise = self.noise * rng.standard_normal((len(phase), 2))
        inputs = on[:, None] * (self.mean * (1 + np.outer(coherence, [1, -1])) + noise)
        target = np.where(phase == 2, np.sign(coherence), 0.0)
        return inputs, target

    def end(self, duration):
        return si_value(self.start) + self.n_trials * self.trial_duration

    def lower(self, circuit, duration, dt):
        inputs, target = self.tables()
        nu = si_value(self.nu_ref) * Hz
        lowered = RatePatterns(f"{self.name}_input", inputs * nu, self.bin, self.start,
                               drive=self.input).lower(circuit, duration, dt)
        teacher = Drive(self.readout, "target", 1.0, "all_to_all", synapse="rate_coupling")
        lowered.extend(RatePatterns(f"{self.name}_target", target[:, None] * nu, self.bin,
                                    self.start, drive=teacher).lower(circuit, duration, dt))
        labels = [f"c={c:+g}" for c in self.conditions()]
        lowered.epochs += lay_out(self.name, self.epochs, labels, si_value(self.start))
        return lowered


register("protocols", RateDecision.kind, RateDecision)
