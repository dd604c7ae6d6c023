"""Trials and epochs: a sequence of named epochs repeated over trials with per-trial
conditions, laid out in time.

A trial-based protocol (a task, a conditioning protocol, a pairing protocol) lays out its
trials with `lay_out`; the resulting `EpochRow` s go into the Dataset as the variables
``epoch_protocol``, ``epoch_trial``, ``epoch_name``, ``epoch_condition``, ``epoch_start`` and
``epoch_stop`` (s) on the ``epoch`` dimension, so analysis can align spikes to epochs and
split trials by condition without re-deriving the schedule.
"""

from dataclasses import dataclass

import numpy as np
from bioneuro.protocols.stimulus import EpochRow, time_field

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import format_quantity, si_value
from bioneuro.spec import _check_keys, _check_name, _Spec

__all__ = ["Epoch", "epochs_field", "trial_order", "lay_out", "check_no_overlap",
           "ORDERS"]

#: how trials of several conditions are ordered
ORDERS = ("blocked", "interleaved", "shuffled")


@dataclass(frozen=True)
class Epoch(_Spec):
    """A named part of a trial.

    Parameters
    ----------
    name : str
        ``baseline``, ``cue``, ``stimulus``, ``delay``, ``response``, ...
    duration : Quantity
        > 0.
    """

    name: str
    duration: object

    def __post_init__(self):
        _check_name(self.name, "epoch.name")
        object.__setattr__(self, "duration",
                           time_field(self.duration, f"epochs.{self.name}.duration",
                                      positive=True))

    def to_dict(self):
        return {"name": self.name, "duration": format_quantity(self.duration)}

    @classmethod
    def from_dict(cls, data):
        _check_keys(data, {"name", "duration"}, "epoch")
        return cls(**data)


def epochs_field(value, where):
    """A tuple of `Epoch` from epochs, dicts or ``(name, duration)`` pairs (unique names)."""
    epochs = []
    for item in value:
        if isinstance(item, Epoch):
            epochs.append(item)
        elif isinstance(item, dict):
            epochs.append(Epoch.from_dict(item))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            epochs.append(Epoch(*item))
        else:
            raise SpecError(where, item, "an epoch {name, duration} or a (name, duration) pair")
    names = [e.name for e in epochs]
    if not epochs or len(set(names)) != len(names):
        raise SpecError(where, names, "at least one epoch, with unique names")
    return tuple(epochs)


def trial_order(n_conditions, n_repeats, order, seed):
    """Condition index of every trial.

    Parameters
    ----------
    n_conditions, n_repeats : int
    order : {"blocked", "interleaved", "shuffled"}
        ``blocked``: all repeats of condition 0, then of 1, ...; ``interleaved``: 0, 1, ...,
        0, 1, ...; ``shuffled``: a random permutation drawn with `seed` (a protocol
        parameter, independent of the experiment's seed so the schedule, hence the
        compiled code, does not change with the simulation's seed).
    seed : int
    """
    if order not in ORDERS:
        raise UnknownNameError("order", order, ORDERS)
    if order == "blocked":
        return np.repeat(np.arange(n_conditions), n_repeats)
    trials = np.tile(np.arange(n_conditions), n_repeats)
    if order == "shuffled":
        trials = np.random.default_rng(seed).permutation(trials)
    return trials


def lay_out(protocol, epochs, conditions, start, inter_trial=0.0):
    """Epoch rows of consecutive trials.

    Parameters
    ----------
    protocol : str
        Name of the protocol block.
    epochs : sequence of Epoch
    conditions : sequence of str
        Condition label of each trial (one trial per entry).
    start, inter_trial : float
        Start of the first trial and gap between trials (s).

    Returns
    -------
    list of EpochRow
    """
    # boundaries rounded to 1 ps: sums of durations must not drift off the time grid
    rows, t = [], round(float(start), 12)
    for trial, condition in enumerate(conditions):
        for epoch in epochs:
            stop = round(t + si_value(epoch.duration), 12)
            rows.append(EpochRow(protocol, trial, epoch.name, str(condition), t, stop))
            t = stop
        t = round(t + inter_trial, 12)
    return rows


def check_no_overlap(rows, duration):
    """Raise `SpecError` if epochs of one protocol overlap or any epoch ends after
    `duration` (s).

    Epochs of *different* protocols may overlap: several trial-based blocks can run at
    once, each with its own schedule rows (told apart by ``epoch_protocol``).
    """
    tolerance = 1e-12
    for protocol in dict.fromkeys(r.protocol for r in rows):
        ordered = sorted((r for r in rows if r.protocol == protocol),
                         key=lambda r: (r.start, r.stop))
        for first, second in zip(ordered, ordered[1:], strict=False):
            if second.start < first.stop - tolerance:
                raise SpecError(f"protocol.{protocol}", f"epoch {second.epoch!r} of trial "
                                f"{second.trial} at {second.start:g} s",
                                f"epochs that do not overlap (epoch {first.epoch!r} of "
                                f"trial {first.trial} lasts until {first.stop:g} s)")
    last = max(rows, key=lambda r: r.stop, default=None)
    if last is not None and last.stop > duration * (1 + 1e-9) + tolerance:
        raise SpecError(f"protocol.{last.protocol}", f"schedule ending at {last.stop:g} s",
                        f"a schedule within the experiment's duration ({duration:g} s)")
