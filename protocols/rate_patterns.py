"""Rate patterns: a sequence of input vectors presented as the rates of a rate-source layer.

Rate networks (``bioneuro.models.rate``) learn from continuous input vectors rather than
from spikes: samples of a Gaussian with a known covariance (principal component analysis),
mixtures of independent sources (independent component analysis), image patches
(receptive-field development). `RatePatterns` presents such samples, row ``k`` of `rates`
during ``[start + k interval, start + (k + 1) interval)``, as the rate ``r`` of a source
population (one neuron per input dimension, 0 before and after the table). The table is a
Brian2 ``TimedArray`` read by the source's equations, so it compiles into standalone code.

The rates are *signed*: like the rate of a ``rate_linear`` neuron they are deviations from
a baseline, so zero-mean inputs need no offset. The source's `Drive` (default synapse
``rate_coupling``; any rate-based plasticity rule) makes it the presynaptic layer of a
projection onto the circuit.
"""

from dataclasses import dataclass

import numpy as np
from bioneuro.protocols.stimulus import (
    Stimulus,
    array_field,
    count_field,
    drive_field,
    source_lowered,
    time_field,
    with_unit,
)

from bioneuro.errors import SpecError
from bioneuro.quantities import si_value
from bioneuro.spec import NeuronModel, Population, _check_name

__all__ = ["RatePatterns", "rate_source"]


def rate_source(table, variables=()):
    """Rate-source model whose rate ``r`` (Hz) is row ``t // interval``, column ``i`` of the
    ``TimedArray`` called `table`, with extra variables `variables` (Hz)."""
    equations = "\n".join([f"r = {table}(t, i) : Hz"] + [f"{v} : Hz" for v in variables])
    return NeuronModel(name=f"{table}_source", equations=equations,
                       parameters={}, method="euler", voltage="",
                       synaptic_targets={v: v for v in variables},
                       description=f"Rate source reading its (signed) rates from table "
                                   f"{table}.",
                       tags=("source", "rate"))


@dataclass(frozen=True, eq=False)
class RatePatterns(Stimulus):
    """Input vectors presented one after the other as the rates of a rate-source layer.

    Parameters
    ----------
    name : str
        Also the name of the source population.
    rates : Quantity array
        Signed rates (Hz), shape ``(n_patterns, size)``: row ``k`` is shown during
        ``[start + k interval, start + (k + 1) interval)``.
    interval : Quantity
        Presentation time of one pattern (> 0; a multiple of the simulation dt).
    start : Quantity
    drive : Drive, optional
        Projection of the source layer onto the circuit (rate-neuron target, e.g.
        ``{"population": "out", "target": "e", "weight": ..., "synapse": "oja_rate"}``).
    variables : tuple of str
        Extra variables (Hz) of the source neurons, written by the drive's rule as
        presynaptic summed variables (e.g. the feedback of Sanger's rule,
        `bioneuro.models.plasticity.sanger.feedback_variables`).
    """

    name: str
    rates: object
    interval: object
    start: object = "0 ms"
    drive: object = None
    variables: tuple = ()
    kind = "rate_patterns"
    _array_units = {"rates": "Hz"}

    def __post_init__(self):
        _check_name(self.name, "protocol.name")
        rates = array_field(self.rates, self.where("rates"), "Hz", ndim=(2,))
        object.__setattr__(self, "rates", with_unit(rates, "Hz"))
        object.__setattr__(self, "interval", time_field(self.interval, self.where("interval"),
                                                        positive=True))
        object.__setattr__(self, "start", time_field(self.start, self.where("start")))
        object.__setattr__(self, "drive", drive_field(self.drive, self.where("drive")))
        variables = (self.variables,) if isinstance(self.variables, str) else \
            tuple(self.variables)
        for name in variables:
            _check_name(name, self.where("variables"))
            if name in ("r", "t", "i", "dt"):
                raise SpecError(self.where("variables"), name, "names other than r, t, i, dt")
        object.__setattr__(self, "variables", variables)

    @property
    def size(self):
        """Number of input dimensions (source neurons)."""
        return count_field(np.shape(self.rates)[1], self.where("rates"))

    def end(self, duration):
        return si_value(self.start) + len(self.rates) * si_value(self.interval)

    def lower(self, circuit, duration, dt):
        interval, start = si_value(self.interval), si_value(self.start)
        for value, field in ((interval, "interval"), (start, "start")):
            if abs(value / dt - round(value / dt)) > 1e-6:
                raise SpecError(self.where(field), f"{value:g} s",
                                f"a multiple of dt = {dt:g} s")
        if self.end(duration) > duration * (1 + 1e-9):
            raise SpecError(self.where("rates"), f"{len(self.rates)} patterns",
                            f"patterns that end ({self.end(duration):g} s) before the end "
                            f"of the run ({duration:g} s)")
        first = int(round(start / interval)) if start else 0
        if abs(start - first * interval) > 1e-6 * dt:
            raise SpecError(self.where("start"), f"{start:g} s",
                            "a multiple of interval (the table's row duration)")
        # rows of zeros before the start and one after the end (a TimedArray holds its
        # last row after the end)
        rates = np.asarray(self.rates, dtype=float)
        table = np.zeros((first + len(rates) + 1, self.size))
        table[first:first + len(rates)] = rates
        table_name = f"rates_{self.name}"
        lowered = source_lowered(Population(self.name, rate_source(table_name, self.variables),
                                            self.size),
                                 self.drive, self.name)
        lowered.rate_tables[table_name] = (table, interval)
        return lowered
