"""Labelled rate patterns: `RatePatterns` whose rows carry a phase and a label.

Sequential-task protocols (train task A, probe, train task B, probe) present one table of
input vectors; which rows belong to which phase and which class each row shows must reach
the Dataset so the analysis can score the probes. `LabelledPatterns` is a `RatePatterns`
with a ``phases`` and a ``labels`` entry per row; row ``k`` becomes one epoch of the
schedule (``epoch_name`` = its phase, ``epoch_condition`` = its label, ``epoch_trial`` =
``k``), written to the Dataset's ``epoch_*`` variables.
"""

from dataclasses import dataclass

import numpy as np
from bioneuro.protocols.rate_patterns import RatePatterns
from bioneuro.protocols.stimulus import EpochRow

from bioneuro.errors import SpecError
from bioneuro.quantities import si_value
from bioneuro.registry import register

__all__ = ["LabelledPatterns"]


@dataclass(frozen=True, eq=False)
class LabelledPatterns(RatePatterns):
    """`RatePatterns` with a phase name and a label per row (module docstring).

    Parameters
    ----------
    name, rates, interval, start, drive, variables
        As in `RatePatterns`.
    phases : tuple of str
        Phase of each row (``"train_A"``, ``"probe_after_A"``, ...).
    labels : tuple of str
        Label (class) of each row.
    """

    phases: tuple = ()
    labels: tuple = ()
    kind = "labelled_patterns"

    def __post_init__(self):
        super().__post_init__()
        n_rows = np.shape(self.rates)[0]
        for field in ("phases", "labels"):
            values = tuple(str(v) for v in np.atleast_1d(getattr(self, field)))
            if len(values) != n_rows or not all(values):
                raise SpecError(self.where(field), f"{len(values)} entries",
                                f"one non-empty name per row of rates ({n_rows})")
            object.__setattr__(self, field, values)

    def lower(self, circuit, duration, dt):
        lowered = super().lower(circuit, duration, dt)
        start, interval = si_value(self.start), si_value(self.interval)
        lowered.epochs += [EpochRow(self.name, k, phase, label, start + k * interval,
                                    start + (k + 1) * interval)
                           for k, (phase, label) in enumerate(zip(self.phases, self.labels,
                                                                  strict=True))]
        return lowered


register("protocols", LabelledPatterns.kind, LabelledPatterns)
