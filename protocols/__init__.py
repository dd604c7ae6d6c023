"""Stimulus protocols: specs of the inputs applied in an experiment.

Blocks (catalogue ``protocols``; ``bioneuro list protocols``), by module:

- `currents`: current step, ramp, sine, pulse train, Ornstein-Uhlenbeck noise (amplitudes
  may be per-neuron sweeps);
- `spike_inputs`: homogeneous, inhomogeneous and correlated Poisson trains, regular and
  burst trains, explicit spike times (and `bioneuro.spec.PoissonInput`);

Every block is a frozen, validated spec with a dict/YAML form ``{"kind": ..., ...}``; it
lowers onto a circuit (`stimulus.Stimulus.lower`) into objects that compile into standalone
code. Trial-based blocks record their schedule (`trials`) in the Dataset.
"""

from bioneuro.protocols.currents import (
    CurrentRamp,
    CurrentStep,
    NoisyCurrent,
    PulseTrainCurrent,
    SineCurrent,
)
from bioneuro.protocols.spike_inputs import (
    BurstSpikes,
    CorrelatedPoisson,
    InhomogeneousPoisson,
    PoissonSpikes,
    RegularSpikes,
    SpikeTimes,
)
from bioneuro.protocols.stimulus import Drive
from bioneuro.protocols.trials import Epoch

from bioneuro.registry import register
from bioneuro.spec import PoissonInput

BLOCKS = (CurrentStep, CurrentRamp, SineCurrent, PulseTrainCurrent, NoisyCurrent,
          PoissonSpikes, InhomogeneousPoisson, CorrelatedPoisson, RegularSpikes, BurstSpikes,
          SpikeTimes)

__all__ = ["PoissonInput", "Drive", "Epoch", "BLOCKS"] + [b.__name__ for b in BLOCKS]

register("protocols", "poisson_input", PoissonInput)
for _block in BLOCKS:
    register("protocols", _block.kind, _block)
