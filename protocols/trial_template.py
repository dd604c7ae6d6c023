"""A user-defined trial template: named epochs x trials x per-trial conditions.

The user names Poisson *sources* (size, optional drive onto the circuit), *epochs* (name,
duration, and the rate each source fires at during the epoch) and a *condition table*
(condition label -> named rate values). An epoch's rate is either a fixed rate
(``"5 Hz"``) or the name of a condition variable (``"cue_rate"``), which takes the value of
the trial's condition. Trials (`n_repeats` per condition, ordered blocked, interleaved or
shuffled) are laid out from `start`, `inter_trial` apart, and recorded in the Dataset's
schedule (``epoch_protocol`` = the block's name, ``epoch_trial``, ``epoch_name``,
``epoch_condition``, ``epoch_start``, ``epoch_stop``). Sources not named by an epoch fire
at `background_rate` during it (and at 0 Hz outside the schedule).

Example (YAML)::

    - kind: trial_template
      name: task
      sources: {cue: {size: 20, drive: {population: E, target: e, weight: 0.5 nS}}}
      epochs:
        - {name: baseline, duration: 200 ms}
        - {name: stimulus, duration: 500 ms, rates: {cue: cue_rate}}
        - {name: delay, duration: 300 ms}
      conditions: {weak: {cue_rate: 10 Hz}, strong: {cue_rate: 40 Hz}}
      n_repeats: 3
      order: interleaved
"""

from dataclasses import dataclass

from bioneuro.protocols.spike_inputs import scheduled_rates_lowered
from bioneuro.protocols.stimulus import (
    Lowered,
    Stimulus,
    count_field,
    drive_field,
    rate_field,
    time_field,
)
from bioneuro.protocols.tasks import _trial_fields
from bioneuro.protocols.trials import Epoch, epochs_field, lay_out, trial_order

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import format_quantity, parse_quantity, si_value
from bioneuro.spec import _check_keys, _check_name, _frozen_mapping

__all__ = ["TrialTemplate"]


def _mapping(value, where):
    if not hasattr(value, "items"):
        raise SpecError(where, value, "a mapping")
    return dict(value.items())


@dataclass(frozen=True, eq=False)
class TrialTemplate(Stimulus):
    """Trials of user-defined epochs and conditions driving named Poisson sources.

    Lowered to one population ``<name>_<source>`` per source (Poisson trains whose rate
    follows the schedule, a Brian2 ``TimedArray``).

    Parameters
    ----------
    name : str
    sources : mapping of str to mapping
        Source name -> ``{"size": int, "drive": Drive or its dict (optional)}``.
    epochs : sequence of mapping
        ``{"name": str, "duration": Quantity > 0, "rates": {source: rate or condition
        variable}}`` in trial order (``rates`` optional).
    conditions : mapping of str to mapping
        Condition label -> ``{variable: rate}``; every condition defines the same
        variables. Default: one condition ``"default"`` without variables.
    n_repeats : int
        Trials per condition.
    order : {"blocked", "interleaved", "shuffled"}
    order_seed : int
        Seed of a shuffled order (a protocol parameter, independent of the run's seed).
    background_rate : Quantity
        Rate of a source during the epochs that do not name it.
    inter_trial, start : Quantity
    """

    name: str
    sources: object
    epochs: object
    conditions: object = None
    n_repeats: int = 1
    order: str = "interleaved"
    order_seed: int = 0
    background_rate: object = "0 Hz"
    inter_trial: object = "0 ms"
    start: object = "0 ms"
    kind = "trial_template"

    def __post_init__(self):
        _trial_fields(self, ())  # name, start, inter_trial, n_repeats, order, order_seed
        sources = {}
        for source, spec in _mapping(self.sources, self.where("sources")).items():
            where = self.where(f"sources.{source}")
            _check_name(source, where)
            spec = _mapping(spec, where)
            _check_keys(spec, {"size", "drive"}, where)
            sources[source] = _frozen_mapping({
                "size": count_field(spec.get("size"), f"{where}.size"),
                "drive": drive_field(spec.get("drive"), f"{where}.drive")})
        if not sources:
            raise SpecError(self.where("sources"), {}, "at least one source")
        object.__setattr__(self, "sources", _frozen_mapping(sources))
        conditions = {"default": {}} if self.conditions is None else \
            _mapping(self.conditions, self.where("conditions"))
        if not conditions:
            raise SpecError(self.where("conditions"), {}, "at least one condition")
        table, variables = {}, None
        for label, values in conditions.items():
            where = self.where(f"conditions.{label}")
            values = _mapping(values, where)
            if variables is None:
                variables = sorted(values)
            elif sorted(values) != variables:
                raise SpecError(where, sorted(values),
                                f"the variables of the other conditions ({variables})")
            table[str(label)] = _frozen_mapping(
                {k: rate_field(v, f"{where}.{k}") for k, v in values.items()})
        object.__setattr__(self, "conditions", _frozen_mapping(table))
        epochs = []
        for item in self.epochs:
            if isinstance(item, Epoch):
                item = {"name": item.name, "duration": item.duration}
            item = _mapping(item, self.where("epochs"))
            if "epoch" in item:  # the normalised form (re-validation after `replace`)
                item = {"name": item["epoch"].name, "duration": item["epoch"].duration,
                        "rates": item["rates"]}
            _check_keys(item, {"name", "duration", "rates"}, self.where("epochs"))
            rates = {}
            for source, value in _mapping(item.get("rates", {}),
                                          self.where("epochs")).items():
                where = self.where(f"epochs.{item.get('name')}.rates.{source}")
                if source not in sources:
                    raise UnknownNameError(where, source, list(sources))
                if isinstance(value, str) and value in variables:
                    rates[source] = value  # a condition variable
                elif isinstance(value, str) and value.isidentifier():
                    raise UnknownNameError(where, value, variables)
                else:
                    rates[source] = format_quantity(rate_field(value, where))
            duration = time_field(item.get("duration"),
                                  self.where(f"epochs.{item.get('name')}.duration"),
                                  positive=True)
            epochs.append((item.get("name"), duration, _frozen_mapping(rates)))
        parsed = epochs_field([(n, d) for n, d, _ in epochs], self.where("epochs"))
        object.__setattr__(self, "epochs", tuple(
            _frozen_mapping({"epoch": epoch, "rates": rates})
            for epoch, (_, _, rates) in zip(parsed, epochs, strict=True)))
        object.__setattr__(self, "background_rate",
                           rate_field(self.background_rate, self.where("background_rate")))

    def schedule(self):
        """The `EpochRow` s of every trial."""
        labels = list(self.conditions)
        trials = trial_order(len(labels), self.n_repeats, self.order, self.order_seed)
        return lay_out(self.name, [e["epoch"] for e in self.epochs],
                       [labels[k] for k in trials], si_value(self.start),
                       si_value(self.inter_trial))

    def rate(self, source, epoch, condition):
        """Rate (Hz) of `source` during `epoch` of a trial of `condition`."""
        value = next(e for e in self.epochs if e["epoch"].name == epoch)["rates"].get(source)
        if value is None:
            return si_value(self.background_rate)
        if value in self.conditions[condition]:
            return si_value(self.conditions[condition][value])
        return si_value(parse_quantity(value, "rate", "Hz"))

    def end(self, duration):
        return self.schedule()[-1].stop

    def lower(self, circuit, duration, dt):
        rows = self.schedule()
        lowered = Lowered()
        for k, (source, spec) in enumerate(self.sources.items()):
            rates = [self.rate(source, row.epoch, row.condition) for row in rows]
            part = scheduled_rates_lowered(f"{self.name}_{source}", spec["size"], rows, rates,
                                           spec["drive"], dt)
            if k:
                part.epochs = []  # one schedule for all sources
            lowered.extend(part)
        return lowered

    def to_dict(self):
        return {
            "kind": self.kind, "name": self.name,
            "sources": {s: {"size": v["size"]} | ({"drive": v["drive"].to_dict()}
                                                  if v["drive"] is not None else {})
                        for s, v in self.sources.items()},
            "epochs": [{"name": e["epoch"].name,
                        "duration": format_quantity(e["epoch"].duration),
                        "rates": dict(e["rates"])} for e in self.epochs],
            "conditions": {label: {k: format_quantity(v) for k, v in values.items()}
                           for label, values in self.conditions.items()},
            "n_repeats": self.n_repeats, "order": self.order, "order_seed": self.order_seed,
            "background_rate": format_quantity(self.background_rate),
            "inter_trial": format_quantity(self.inter_trial),
            "start": format_quantity(self.start),
        }
