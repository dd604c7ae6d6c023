"""Conditioning: delay eyeblink conditioning (cerebellum) and reward delivery to a
neuromodulator signal (on a fixed schedule, or triggered by network activity).

Eyeblink (delay) conditioning pairs a conditioned stimulus (CS, a tone: a rate increase of
the mossy fibres) with an unconditioned stimulus (US, an air puff: climbing-fibre spikes)
that starts one inter-stimulus interval (ISI) after CS onset; in delay conditioning the CS
lasts until the end of the US (Mauk & Donegan 1997). CS-alone probe trials, every
`probe_every` trials, show the learned response without the US.

A reward is a spike of a one-neuron source population whose `Drive` increments the
neuromodulator signal (any synaptic target variable, e.g. a dopamine trace of a
plasticity rule) by the reward's size after the drive's delay. `ActivityReward` fires that
source when a leaky count of the monitored population's spikes (time constant `window`)
exceeds `threshold`, at most once per `refractory`.
"""

from dataclasses import dataclass, replace

import numpy as np
from bioneuro.protocols.spike_inputs import (
    copies_lowered,
    generator_lowered,
    scheduled_rates_lowered,
)
from bioneuro.protocols.stimulus import (
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
from bioneuro.protocols.trials import Epoch, lay_out

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import si_value
from bioneuro.spec import NeuronModel, Parameter, Population, Projection, _check_name

__all__ = ["EyeblinkConditioning", "RewardSchedule", "ActivityReward", "ACTIVITY_TRIGGER"]

ACTIVITY_TRIGGER = NeuronModel(
    name="activity_trigger",
    equations="dcount/dt = -count/tau_window : 1",
    parameters={
        "tau_window": Parameter("ms", "100 ms", "time constant of the leaky spike count",
                                low="0.01 ms", shared=True),
        "n_threshold": Parameter("1", 10, "count that triggers", low=0, shared=True),
        "t_refractory": Parameter("ms", "0 ms", "shortest interval between triggers",
                                  low="0 ms", shared=True),
    },
    threshold="count > n_threshold", reset="count = 0", refractory="t_refractory",
    synaptic_targets=("count",), voltage="",
    description="Fires when a leaky count of input spikes exceeds n_threshold.",
    tags=("source",))


@dataclass(frozen=True, eq=False)
class EyeblinkConditioning(Stimulus):
    """Delay eyeblink conditioning: trials of baseline, CS, CS+US, after.

    Epochs per trial: ``baseline``, ``cs`` (CS alone, one ISI long), ``us`` (CS and US,
    `us_duration`), ``after``; conditions ``paired`` or ``cs_alone``. Lowered to
    ``<name>_mf`` (mossy fibres: Poisson at `mf_background_rate`, `mf_cs_rate` during the
    CS) and ``<name>_cf`` (climbing fibres: `cf_spikes` spikes at `cf_rate` from US onset of
    paired trials).

    Parameters
    ----------
    name : str
    n_trials : int
    isi : Quantity
        CS onset to US onset.
    us_duration, baseline, after, inter_trial, start : Quantity
    probe_every : int
        Every `probe_every`-th trial is CS alone (0: none).
    mf_size, cf_size : int
    mf_background_rate, mf_cs_rate, cf_rate : Quantity
    cf_spikes : int
    mossy_fibres, climbing_fibres : Drive, optional

    References
    ----------
    Mauk & Donegan (1997) A model of Pavlovian eyelid conditioning based on the synaptic
    organization of the cerebellum, Learn Mem 4:130, doi:10.1101/lm.4.1.130 (CS on mossy
    fibres, US on climbing fibres).
    """

    name: str
    n_trials: int = 10
    isi: object = "300 ms"
    us_duration: object = "20 ms"
    baseline: object = "200 ms"
    after: object = "300 ms"
    inter_trial: object = "0 ms"
    probe_every: int = 0
    mf_size: int = 20
    mf_background_rate: object = "5 Hz"
    mf_cs_rate: object = "50 Hz"
    cf_size: int = 1
    cf_spikes: int = 1
    cf_rate: object = "500 Hz"
    start: object = "0 ms"
    mossy_fibres: object = None
    climbing_fibres: object = None
    kind = "eyeblink_conditioning"

    def __post_init__(self):
        _check_name(self.name, "protocol.name")
        for name in ("isi", "us_duration"):
            object.__setattr__(self, name, time_field(getattr(self, name), self.where(name),
                                                      positive=True))
        for name in ("baseline", "after", "inter_trial", "start"):
            object.__setattr__(self, name, time_field(getattr(self, name), self.where(name)))
        for name in ("mf_background_rate", "mf_cs_rate"):
            object.__setattr__(self, name, rate_field(getattr(self, name), self.where(name)))
        object.__setattr__(self, "cf_rate", rate_field(self.cf_rate, self.where("cf_rate"),
                                                       positive=True))
        for name in ("n_trials", "mf_size", "cf_size", "cf_spikes"):
            object.__setattr__(self, name, count_field(getattr(self, name), self.where(name)))
        object.__setattr__(self, "probe_every", count_field(self.probe_every,
                                                            self.where("probe_every"), 0))
        if (self.cf_spikes - 1) / si_value(self.cf_rate) >= si_value(self.us_duration):
            raise SpecError(self.where("cf_spikes"), self.cf_spikes,
                            "a climbing-fibre burst within us_duration")
        for side in ("mossy_fibres", "climbing_fibres"):
            object.__setattr__(self, side, drive_field(getattr(self, side), self.where(side)))

    def conditions(self):
        """``paired`` or ``cs_alone`` of every trial."""
        return ["cs_alone" if self.probe_every and (k + 1) % self.probe_every == 0
                else "paired" for k in range(self.n_trials)]

    def schedule(self):
        epochs = [Epoch(n, getattr(self, f)) for n, f in
                  (("baseline", "baseline"), ("cs", "isi"), ("us", "us_duration"),
                   ("after", "after")) if si_value(getattr(self, f)) > 0]
        return lay_out(self.name, epochs, self.conditions(), si_value(self.start),
                       si_value(self.inter_trial))

    def end(self, duration):
        return self.schedule()[-1].stop

    def lower(self, circuit, duration, dt):
        rows = self.schedule()
        cs = si_value(self.mf_cs_rate)
        rates = [cs if row.epoch in ("cs", "us") else si_value(self.mf_background_rate)
                 for row in rows]
        lowered = scheduled_rates_lowered(f"{self.name}_mf", self.mf_size, rows, rates,
                                          self.mossy_fibres, dt)
        burst = np.arange(self.cf_spikes) / si_value(self.cf_rate)
        onsets = [row.start for row in rows if row.epoch == "us" and row.condition == "paired"]
        if not onsets:
            raise SpecError(self.where("probe_every"), self.probe_every,
                            "at least one paired trial")
        times = (np.asarray(onsets)[:, None] + burst[None, :]).ravel()
        lowered.extend(copies_lowered(f"{self.name}_cf", self.cf_size, times,
                                      self.climbing_fibres, duration, dt))
        return lowered


@dataclass(frozen=True, eq=False)
class RewardSchedule(Stimulus):
    """Rewards delivered at fixed times (a one-neuron source ``<name>``).

    Parameters
    ----------
    name : str
    times : Quantity array
        Delivery times (the signal changes after `signal`'s delay).
    signal : Drive
        The neuromodulator signal: target population and variable; the weight is the
        reward's size.
    """

    name: str
    times: object
    signal: object
    kind = "reward_schedule"
    _array_units = {"times": "s"}

    def __post_init__(self):
        _check_name(self.name, "protocol.name")
        times = array_field(self.times, self.where("times"), "second")
        if np.any(times < 0):
            raise SpecError(self.where("times"), f"{times.min():g} s", "times >= 0 s")
        object.__setattr__(self, "times", with_unit(np.sort(times), "s"))
        object.__setattr__(self, "signal", drive_field(self.signal, self.where("signal")))
        if self.signal is None:
            raise SpecError(self.where("signal"), None, "the drive of the neuromodulator signal")

    def end(self, duration):
        return float(np.asarray(self.times)[-1])

    def lower(self, circuit, duration, dt):
        return generator_lowered(self.name, 1, np.zeros(len(self.times)), np.asarray(self.times),
                                 self.signal, duration, dt)


@dataclass(frozen=True, eq=False)
class ActivityReward(Stimulus):
    """Rewards triggered by the activity of a population, delivered after a delay.

    Lowered to a one-neuron `ACTIVITY_TRIGGER` population ``<name>`` that counts the spikes
    of `monitored` (a leaky count, time constant `window`) and fires when the count exceeds
    `threshold`; its spikes increment `signal` after `delay`.

    Parameters
    ----------
    name : str
    monitored : str
        Population whose spikes are counted.
    threshold : float
        Count (spikes within about one `window`) that triggers a reward.
    window : Quantity
    delay : Quantity
        From trigger to delivery (>= 0).
    refractory : Quantity
        Shortest interval between rewards.
    signal : Drive
    """

    name: str
    monitored: str
    threshold: float
    signal: object
    window: object = "100 ms"
    delay: object = "0 ms"
    refractory: object = "0 ms"
    kind = "activity_reward"

    def __post_init__(self):
        _check_name(self.name, "protocol.name")
        _check_name(self.monitored, self.where("monitored"))
        object.__setattr__(self, "threshold", number_field(self.threshold,
                                                           self.where("threshold"), 0))
        object.__setattr__(self, "window", time_field(self.window, self.where("window"),
                                                      positive=True))
        for name in ("delay", "refractory"):
            object.__setattr__(self, name, time_field(getattr(self, name), self.where(name)))
        object.__setattr__(self, "signal", drive_field(self.signal, self.where("signal")))
        if self.signal is None:
            raise SpecError(self.where("signal"), None, "the drive of the neuromodulator signal")

    def lower(self, circuit, duration, dt):
        names = [p.name for p in circuit.populations]
        if self.monitored not in names:
            raise UnknownNameError(self.where("monitored"), self.monitored, names)
        trigger = Population(self.name, ACTIVITY_TRIGGER, 1, {
            "tau_window": self.window, "n_threshold": self.threshold,
            "t_refractory": self.refractory})
        lowered = source_lowered(trigger, replace(self.signal, delay=self.delay), self.name)
        lowered.projections.append(Projection(f"{self.name}_count", self.monitored, self.name,
                                              "count", "all_to_all", 1.0))
        return lowered
