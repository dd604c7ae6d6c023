"""Plasticity induction protocols: STDP pairing, paired pulses, tetanus, theta burst.

Each protocol is a set of trials of deterministic spike trains, built as
``SpikeGeneratorGroup`` s (spikes on the time step nearest to each scheduled time, so a
pairing's ``delta_t`` is exact to the step) and recorded with their schedule (one trial per
pairing, pulse pair or train).

References
----------
Bi & Poo (1998) J Neurosci 18:10464 (STDP: 60 pairings at 1 Hz); Sjöström, Turrigiano &
Nelson (2001) Neuron 32:1149 (frequency dependence of STDP); Zucker & Regehr (2002) Annu
Rev Physiol 64:355 (paired-pulse facilitation); Bliss & Collingridge (1993) Nature 361:31
(tetanic LTP, 100 Hz for 1 s); Larson, Wong & Lynch (1986) Brain Res 368:347 (theta burst:
bursts of 4 spikes at 100 Hz repeated at 5 Hz).
"""

from dataclasses import dataclass

import numpy as np
from bioneuro.protocols.spike_inputs import copies_lowered, generator_lowered
from bioneuro.protocols.stimulus import (
    EpochRow,
    Stimulus,
    array_field,
    count_field,
    drive_field,
    rate_field,
    time_field,
    with_unit,
)
from brian2.units import second

from bioneuro.errors import SpecError
from bioneuro.quantities import format_quantity, parse_quantity, si_value
from bioneuro.spec import _check_name

__all__ = ["STDPPairing", "PairedPulse", "Tetanus", "ThetaBurst"]


def _ms(seconds):
    return f"{seconds * 1e3:g} ms"


class _Trials(Stimulus):
    """Trials of one spike train copied onto `size` neurons (subclasses define `trials`)."""

    def _check_common(self):
        _check_name(self.name, "protocol.name")
        object.__setattr__(self, "size", count_field(self.size, self.where("size")))
        object.__setattr__(self, "drive", drive_field(self.drive, self.where("drive")))
        object.__setattr__(self, "start", time_field(self.start, self.where("start")))

    def trials(self):  # pragma: no cover - every subclass overrides
        """``[(start, stop, spike times, condition)]`` of every trial, in s."""
        raise NotImplementedError

    def end(self, duration):
        return self.trials()[-1][1]

    def epochs(self):
        return [EpochRow(self.name, k, self.epoch_name, condition, start, stop)
                for k, (start, stop, _, condition) in enumerate(self.trials())]

    def lower(self, circuit, duration, dt):
        times = np.concatenate([spikes for _, _, spikes, _ in self.trials()])
        lowered = copies_lowered(self.name, self.size, times, self.drive, duration, dt)
        lowered.epochs += self.epochs()
        return lowered


@dataclass(frozen=True, eq=False)
class STDPPairing(Stimulus):
    """Pairs of a presynaptic and a postsynaptic spike, ``t_post - t_pre = delta_t``.

    Lowered to two one-neuron generators, ``<name>_pre`` and ``<name>_post``; `pre` drives
    the synapse under study (with a plasticity rule as its synapse model), `post` makes the
    postsynaptic neuron fire (a strong input). Pairing ``k`` is the trial
    ``[start + k / frequency, start + (k + 1) / frequency)``; its first spike is at the trial's
    start (the presynaptic one for ``delta_t >= 0``).

    Parameters
    ----------
    name : str
    delta_t : Quantity
        Post minus pre spike time; ``|delta_t|`` below the pairing period.
    frequency : Quantity
        Pairing repetition rate (Bi & Poo 1998: 1 Hz).
    n_pairings : int
        (Bi & Poo 1998: 60.)
    start : Quantity
        Start of the first pairing.
    pre, post : Drive, optional
    """

    name: str
    delta_t: object
    frequency: object = "1 Hz"
    n_pairings: int = 60
    start: object = "0 ms"
    pre: object = None
    post: object = None
    kind = "stdp_pairing"

    def __post_init__(self):
        _check_name(self.name, "protocol.name")
        delta = si_value(parse_quantity(self.delta_t, self.where("delta_t"), "second"))
        object.__setattr__(self, "frequency", rate_field(self.frequency,
                                                         self.where("frequency"),
                                                         positive=True))
        object.__setattr__(self, "n_pairings", count_field(self.n_pairings,
                                                           self.where("n_pairings")))
        object.__setattr__(self, "start", time_field(self.start, self.where("start")))
        period = 1 / si_value(self.frequency)
        if abs(delta) >= period:
            raise SpecError(self.where("delta_t"), _ms(delta),
                            f"|delta_t| below the pairing period {_ms(period)}")
        object.__setattr__(self, "delta_t", delta * second)
        for side in ("pre", "post"):
            object.__setattr__(self, side, drive_field(getattr(self, side), self.where(side)))

    def pre_times(self):
        """Presynaptic spike times (s)."""
        first = si_value(self.start) + max(0.0, -si_value(self.delta_t))
        return first + np.arange(self.n_pairings) / si_value(self.frequency)

    def end(self, duration):
        return self.epochs()[-1].stop

    def epochs(self):
        period, delta = 1 / si_value(self.frequency), si_value(self.delta_t)
        first = min(0.0, delta)
        return [EpochRow(self.name, k, "pairing", f"delta_t={_ms(delta)}", t + first,
                         t + first + period) for k, t in enumerate(self.pre_times())]

    def lower(self, circuit, duration, dt):
        # both on the time grid first: every pairing's interval is delta_t rounded to dt
        pre = np.round(self.pre_times() / dt) * dt
        post = pre + np.round(si_value(self.delta_t) / dt) * dt
        lowered = generator_lowered(f"{self.name}_pre", 1, np.zeros(len(pre)), pre, self.pre,
                                    duration, dt)
        lowered.extend(generator_lowered(f"{self.name}_post", 1, np.zeros(len(pre)), post,
                                         self.post, duration, dt))
        lowered.epochs += self.epochs()
        return lowered


@dataclass(frozen=True, eq=False)
class PairedPulse(_Trials):
    """Pairs of spikes separated by each of `intervals`, one pair per trial.

    Parameters
    ----------
    name : str
    intervals : Quantity array
        Inter-pulse intervals (conditions), each > 0 and shorter than `trial_interval`.
    n_repeats : int
        Trials per interval.
    trial_interval : Quantity
        Time from one pair to the next (recovery between trials).
    start : Quantity
    size : int
    drive : Drive, optional
    """

    name: str
    intervals: object
    n_repeats: int = 1
    trial_interval: object = "1 s"
    start: object = "0 ms"
    size: int = 1
    drive: object = None
    kind = "paired_pulse"
    epoch_name = "pair"
    _array_units = {"intervals": "s"}

    def __post_init__(self):
        self._check_common()
        intervals = array_field(self.intervals, self.where("intervals"), "second")
        object.__setattr__(self, "trial_interval", time_field(
            self.trial_interval, self.where("trial_interval"), positive=True))
        if np.any(intervals <= 0) or np.any(intervals >= si_value(self.trial_interval)):
            raise SpecError(self.where("intervals"), intervals.tolist(),
                            "intervals > 0 s and shorter than trial_interval")
        object.__setattr__(self, "intervals", with_unit(intervals, "s"))
        object.__setattr__(self, "n_repeats", count_field(self.n_repeats,
                                                          self.where("n_repeats")))

    def trials(self):
        period, t0 = si_value(self.trial_interval), si_value(self.start)
        intervals = np.repeat(np.asarray(self.intervals), self.n_repeats)
        return [(t0 + k * period, t0 + (k + 1) * period, np.array([0.0, isi]) + t0 + k * period,
                 f"interval={_ms(isi)}") for k, isi in enumerate(intervals)]


@dataclass(frozen=True, eq=False)
class Tetanus(_Trials):
    """Trains of `frequency` lasting `train_duration`, `n_trains` of them every
    `train_interval` (high-frequency stimulation: 100 Hz for 1 s).

    Parameters
    ----------
    name : str
    frequency : Quantity
    train_duration : Quantity
    n_trains : int
    train_interval : Quantity
        Onset-to-onset, >= `train_duration`.
    start : Quantity
    size : int
    drive : Drive, optional
    """

    name: str
    frequency: object = "100 Hz"
    train_duration: object = "1 s"
    n_trains: int = 1
    train_interval: object = "20 s"
    start: object = "0 ms"
    size: int = 1
    drive: object = None
    kind = "tetanus"
    epoch_name = "train"

    def __post_init__(self):
        self._check_common()
        object.__setattr__(self, "frequency", rate_field(self.frequency,
                                                         self.where("frequency"),
                                                         positive=True))
        for name in ("train_duration", "train_interval"):
            object.__setattr__(self, name, time_field(getattr(self, name), self.where(name),
                                                      positive=True))
        object.__setattr__(self, "n_trains", count_field(self.n_trains, self.where("n_trains")))
        if si_value(self.train_interval) < si_value(self.train_duration):
            raise SpecError(self.where("train_interval"), format_quantity(self.train_interval),
                            f"an interval >= train_duration "
                            f"({format_quantity(self.train_duration)})")

    def trials(self):
        t0, period = si_value(self.start), si_value(self.train_interval)
        length, f = si_value(self.train_duration), si_value(self.frequency)
        spikes = np.arange(int(np.ceil(length * f - 1e-9))) / f
        return [(t0 + k * period, t0 + k * period + length, t0 + k * period + spikes,
                 f"frequency={f:g} Hz") for k in range(self.n_trains)]


@dataclass(frozen=True, eq=False)
class ThetaBurst(_Trials):
    """Theta-burst stimulation: bursts of `spikes_per_burst` at `intra_burst_rate`,
    `bursts_per_train` bursts at `burst_rate`, `n_trains` trains every `train_interval`.

    Defaults: Larson, Wong & Lynch (1986), 4 spikes at 100 Hz, bursts at 5 Hz, 10 bursts.

    Parameters
    ----------
    name : str
    spikes_per_burst : int
    intra_burst_rate, burst_rate : Quantity
    bursts_per_train, n_trains : int
    train_interval : Quantity
        Onset-to-onset, longer than a train.
    start : Quantity
    size : int
    drive : Drive, optional
    """

    name: str
    spikes_per_burst: int = 4
    intra_burst_rate: object = "100 Hz"
    burst_rate: object = "5 Hz"
    bursts_per_train: int = 10
    n_trains: int = 1
    train_interval: object = "10 s"
    start: object = "0 ms"
    size: int = 1
    drive: object = None
    kind = "theta_burst"
    epoch_name = "train"

    def __post_init__(self):
        self._check_common()
        for name in ("intra_burst_rate", "burst_rate"):
            object.__setattr__(self, name, rate_field(getattr(self, name), self.where(name),
                                                      positive=True))
        for name in ("spikes_per_burst", "bursts_per_train", "n_trains"):
            object.__setattr__(self, name, count_field(getattr(self, name), self.where(name)))
        object.__setattr__(self, "train_interval", time_field(
            self.train_interval, self.where("train_interval"), positive=True))
        burst = (self.spikes_per_burst - 1) / si_value(self.intra_burst_rate)
        if burst >= 1 / si_value(self.burst_rate):
            raise SpecError(self.where("burst_rate"), format_quantity(self.burst_rate),
                            f"bursts shorter than their period (a burst lasts {_ms(burst)})")
        if self.train_length() > si_value(self.train_interval):
            raise SpecError(self.where("train_interval"), format_quantity(self.train_interval),
                            f"an interval >= the train's length {_ms(self.train_length())}")

    def train_length(self):
        return self.bursts_per_train / si_value(self.burst_rate)

    def trials(self):
        t0, period = si_value(self.start), si_value(self.train_interval)
        onsets = np.arange(self.bursts_per_train) / si_value(self.burst_rate)
        within = np.arange(self.spikes_per_burst) / si_value(self.intra_burst_rate)
        train = (onsets[:, None] + within[None, :]).ravel()
        return [(t0 + k * period, t0 + k * period + self.train_length(),
                 t0 + k * period + train, "theta_burst") for k in range(self.n_trains)]
