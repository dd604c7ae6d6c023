"""Tasks for learning work: two-alternative perceptual decision, cue-delay working memory,
and sequences of task blocks (curriculum / continual-learning order).

- `DecisionTask` (Wang 2002): two pools of Poisson inputs; with signed coherence ``c``
  (percent) the pools fire at ``mu0 (1 + c/100)`` (pool A) and ``mu0 (1 - c/100)``
  (pool B) during the stimulus epoch (``mu0 = 40 Hz``), at the background rate otherwise.
- `WorkingMemoryTask` (Compte et al. 2000): a cue at one of `cue_values`, encoded by a
  Gaussian population code, is shown during the cue epoch and must be held through the
  delay.
- `TaskSequence`: blocks (any protocol blocks with a `start`) one after another, in the
  given order.

Trial order (blocked, interleaved or shuffled with `order_seed`) is part of the protocol,
not of the simulation's seed.

References
----------
Wang (2002) Probabilistic decision making by slow reverberation in cortical circuits, Neuron
36:955, doi:10.1016/S0896-6273(02)01092-9.
Compte, Brunel, Goldman-Rakic & Wang (2000) Synaptic mechanisms and network dynamics
underlying spatial working memory in a cortical network model, Cereb Cortex 10:910,
doi:10.1093/cercor/10.9.910.
"""

from dataclasses import dataclass, fields, replace

import numpy as np
from bioneuro.protocols.sensory_encoding import PopulationCode
from bioneuro.protocols.spike_inputs import scheduled_rates_lowered
from bioneuro.protocols.stimulus import (
    Lowered,
    Stimulus,
    array_field,
    count_field,
    drive_field,
    rate_field,
    time_field,
)
from bioneuro.protocols.trials import ORDERS, Epoch, lay_out, trial_order
from brian2.units import second

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import si_value
from bioneuro.spec import _check_name

__all__ = ["DecisionTask", "WorkingMemoryTask", "TaskSequence"]



def _trial_fields(stim, epoch_names):
    _check_name(stim.name, "protocol.name")
    for name in epoch_names:
        object.__setattr__(stim, name, time_field(getattr(stim, name), stim.where(name)))
    for name in ("start", "inter_trial"):
        object.__setattr__(stim, name, time_field(getattr(stim, name), stim.where(name)))
    object.__setattr__(stim, "n_repeats", count_field(stim.n_repeats, stim.where("n_repeats")))
    if stim.order not in ORDERS:
        raise UnknownNameError(stim.where("order"), stim.order, ORDERS)
    object.__setattr__(stim, "order_seed", count_field(stim.order_seed,
                                                       stim.where("order_seed"), 0))


class _Task(Stimulus):
    """Trials of named epochs with one condition per trial (subclasses: `epoch_fields`,
    `condition_labels`)."""

    epoch_fields = ()

    def trial_conditions(self):
        """Index into `condition_labels` of every trial."""
        return trial_order(len(self.condition_labels()), self.n_repeats, self.order,
                           self.order_seed)

    def schedule(self):
        epochs = [Epoch(name, getattr(self, name)) for name in self.epoch_fields
                  if si_value(getattr(self, name)) > 0]
        labels = self.condition_labels()
        return lay_out(self.name, epochs, [labels[k] for k in self.trial_conditions()],
                       si_value(self.start), si_value(self.inter_trial))

    def end(self, duration):
        return self.schedule()[-1].stop


@dataclass(frozen=True, eq=False)
class DecisionTask(_Task):
    """Two-alternative forced choice with coherence-controlled inputs to two pools.

    Lowered to ``<name>_A`` and ``<name>_B`` (`pool_size` Poisson trains each).

    Parameters
    ----------
    name : str
    coherences : sequence of float
        Signed coherences in percent (-100 to 100; positive favours A), one condition each
        (a single number: one condition, e.g. a sweep point).
    n_repeats : int
        Trials per coherence.
    pool_size : int
    mu0, background_rate : Quantity
    fixation, stimulus, response, inter_trial, start : Quantity
    order : {"blocked", "interleaved", "shuffled"}
    order_seed : int
    pool_a, pool_b : Drive, optional
    """

    name: str
    coherences: object = (0.0, 3.2, 6.4, 12.8, 25.6, 51.2)
    n_repeats: int = 10
    pool_size: int = 100
    mu0: object = "40 Hz"
    background_rate: object = "0 Hz"
    fixation: object = "500 ms"
    stimulus: object = "1 s"
    response: object = "500 ms"
    inter_trial: object = "0 ms"
    start: object = "0 ms"
    order: str = "shuffled"
    order_seed: int = 0
    pool_a: object = None
    pool_b: object = None
    kind = "decision_task"
    epoch_fields = ("fixation", "stimulus", "response")

    def __post_init__(self):
        _trial_fields(self, self.epoch_fields)
        if si_value(self.stimulus) <= 0:
            raise SpecError(self.where("stimulus"), 0, "a stimulus epoch > 0 ms")
        coherences = array_field(tuple(np.atleast_1d(self.coherences)), self.where("coherences"))
        if np.any(np.abs(coherences) > 100):
            raise SpecError(self.where("coherences"), coherences.tolist(),
                            "coherences in [-100, 100] percent")
        object.__setattr__(self, "coherences", tuple(float(c) for c in coherences))
        object.__setattr__(self, "pool_size", count_field(self.pool_size,
                                                          self.where("pool_size")))
        for name in ("mu0", "background_rate"):
            object.__setattr__(self, name, rate_field(getattr(self, name), self.where(name)))
        for side in ("pool_a", "pool_b"):
            object.__setattr__(self, side, drive_field(getattr(self, side), self.where(side)))

    def condition_labels(self):
        return [f"coherence={c:g}" for c in self.coherences]

    def pool_rates(self, coherence):
        """Stimulus rates (Hz) of pools A and B at `coherence` (percent)."""
        mu0 = si_value(self.mu0)
        return mu0 * (1 + coherence / 100), mu0 * (1 - coherence / 100)

    def lower(self, circuit, duration, dt):
        rows = self.schedule()
        coherence = dict(zip(self.condition_labels(), self.coherences, strict=True))
        background = si_value(self.background_rate)
        lowered = Lowered()
        for side, drive in ((0, self.pool_a), (1, self.pool_b)):
            rates = [self.pool_rates(coherence[row.condition])[side]
                     if row.epoch == "stimulus" else background for row in rows]
            pool = scheduled_rates_lowered(f"{self.name}_{'AB'[side]}", self.pool_size, rows,
                                           rates, drive, dt)
            if side:
                pool.epochs = []  # one schedule for both pools
            lowered.extend(pool)
        return lowered


@dataclass(frozen=True, eq=False)
class WorkingMemoryTask(_Task):
    """Cue-delay working memory: a cue encoded by a population code, then a delay.

    Lowered to ``<name>`` (`size` Poisson trains with Gaussian tuning, circular by
    default: preferred values over ``[low, high)``).

    Parameters
    ----------
    name : str
    size : int
    cue_values : sequence of float
        Cue positions (e.g. angles in degrees), one condition each.
    n_repeats : int
    width : float
        Tuning width (same unit as the cues).
    low, high : float
    circular : bool
    max_rate, background_rate : Quantity
    fixation, cue, delay, response, inter_trial, start : Quantity
    order : {"blocked", "interleaved", "shuffled"}
    order_seed : int
    drive : Drive, optional
    """

    name: str
    size: int = 64
    cue_values: object = (0.0, 90.0, 180.0, 270.0)
    n_repeats: int = 5
    width: float = 18.0
    low: float = 0.0
    high: float = 360.0
    circular: bool = True
    max_rate: object = "40 Hz"
    background_rate: object = "0 Hz"
    fixation: object = "500 ms"
    cue: object = "250 ms"
    delay: object = "3 s"
    response: object = "500 ms"
    inter_trial: object = "0 ms"
    start: object = "0 ms"
    order: str = "shuffled"
    order_seed: int = 0
    drive: object = None
    kind = "working_memory_task"
    epoch_fields = ("fixation", "cue", "delay", "response")

    def __post_init__(self):
        _trial_fields(self, self.epoch_fields)
        if si_value(self.cue) <= 0:
            raise SpecError(self.where("cue"), 0, "a cue epoch > 0 ms")
        code = self.code()  # validates size, cue values, tuning and rates
        object.__setattr__(self, "cue_values", tuple(code.number("values").tolist()))
        for name in ("width", "low", "high"):
            object.__setattr__(self, name, float(code.number(name)))
        for name in ("max_rate", "background_rate"):
            object.__setattr__(self, name, getattr(code, name))
        object.__setattr__(self, "drive", drive_field(self.drive, self.where("drive")))

    def code(self):
        """The `PopulationCode` of the cues."""
        return PopulationCode(self.name, self.size, tuple(self.cue_values), self.low,
                              self.high, self.width, circular=self.circular,
                              max_rate=self.max_rate, background_rate=self.background_rate,
                              presentation=self.cue)

    def condition_labels(self):
        return [f"cue={c:g}" for c in self.cue_values]

    def lower(self, circuit, duration, dt):
        rows = self.schedule()
        cue = dict(zip(self.condition_labels(), self.code().rates(), strict=True))
        background = si_value(self.background_rate)
        rates = [cue[row.condition] if row.epoch == "cue" else background for row in rows]
        return scheduled_rates_lowered(self.name, self.size, rows, rates, self.drive, dt)


@dataclass(frozen=True, eq=False)
class TaskSequence(Stimulus):
    """Blocks run one after another (curriculum / continual-learning order).

    Block ``k`` starts `gap` after block ``k - 1`` ends (the first at `start`); each
    block keeps its own name (``epoch_protocol`` in the schedule).

    Parameters
    ----------
    name : str
    blocks : sequence of protocol blocks (or their dict form)
        Blocks with a `start` field and a defined end (trial-based blocks, or inputs with
        a `stop`).
    gap, start : Quantity
    """

    name: str
    blocks: tuple
    gap: object = "0 ms"
    start: object = "0 ms"
    kind = "task_sequence"

    def __post_init__(self):
        from bioneuro.stimulation import protocol_item

        _check_name(self.name, "protocol.name")
        for name in ("gap", "start"):
            object.__setattr__(self, name, time_field(getattr(self, name), self.where(name)))
        blocks = tuple(protocol_item(b) for b in self.blocks)
        if not blocks:
            raise SpecError(self.where("blocks"), [], "at least one block")
        t = si_value(self.start)
        placed = []
        for block in blocks:
            if "start" not in {f.name for f in fields(block)}:
                raise SpecError(self.where("blocks"), block.name, "blocks with a start time")
            block = replace(block, start=float(t) * second)
            placed.append(block)
            t = block.end(np.inf) + si_value(self.gap)
            if not np.isfinite(t):
                raise SpecError(self.where("blocks"), block.name,
                                "blocks that end (trial-based blocks or inputs with a stop)")
        names = [b.name for b in placed]
        if len(set(names)) != len(names):
            raise SpecError(self.where("blocks"), names, "blocks with unique names")
        object.__setattr__(self, "blocks", tuple(placed))

    def end(self, duration):
        return self.blocks[-1].end(duration)

    def lower(self, circuit, duration, dt):
        lowered = Lowered()
        for block in self.blocks:
            lowered.extend(block.lower(circuit, duration, dt))
        return lowered
