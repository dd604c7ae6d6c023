"""Stimulus protocols: specs of the inputs applied in an experiment.

Blocks (catalogue ``protocols``; ``bioneuro list protocols``), by module:

- `currents`: current step, ramp, sine, pulse train, Ornstein-Uhlenbeck noise (amplitudes
  may be per-neuron sweeps: an f-I curve in one run);
- `spike_inputs`: homogeneous, inhomogeneous and correlated Poisson trains, regular and
  burst trains, explicit spike times (and `bioneuro.spec.PoissonInput`);
- `sensory_encoding`: images / patches -> input-layer rates (Gaussian or centre-surround
  receptive fields); population coding of a scalar;
- `plasticity_protocols`: STDP pairing, paired pulses, tetanus, theta burst;
- `conditioning`: delay eyeblink conditioning; reward delivery (schedule or triggered by
  activity);
- `tasks`: two-alternative decision, cue-delay working memory, sequences of task blocks;
- `trial_template`: user-defined epochs x trials x condition table driving Poisson sources.

Every block is a frozen, validated spec with a dict/YAML form ``{"kind": ..., ...}`` that
lowers onto a circuit (`stimulus.Stimulus.lower`) into objects compiling into standalone
code. Trial-based blocks record their schedule (`trials`) in the Dataset's ``epoch_*``
variables.
"""

from bioneuro.protocols.conditioning import ActivityReward, EyeblinkConditioning, RewardSchedule
from bioneuro.protocols.currents import (
    CurrentRamp,
    CurrentStep,
    NoisyCurrent,
    PulseTrainCurrent,
    SineCurrent,
)
from bioneuro.protocols.plasticity_protocols import PairedPulse, STDPPairing, Tetanus, ThetaBurst
from bioneuro.protocols.rate_patterns import RatePatterns
from bioneuro.protocols.rate_tasks import RateDecision  # noqa: F401 (registers itself)
from bioneuro.protocols.sensory_encoding import ImageEncoding, PopulationCode
from bioneuro.protocols.spike_inputs import (
    BurstSpikes,
    CorrelatedPoisson,
    InhomogeneousPoisson,
    PoissonSpikes,
    RegularSpikes,
    SpikeTimes,
)
from bioneuro.protocols.stimulus import Drive
from bioneuro.protocols.tasks import DecisionTask, TaskSequence, WorkingMemoryTask
from bioneuro.protocols.trial_template import TrialTemplate
from bioneuro.protocols.trials import Epoch

from bioneuro.registry import register
from bioneuro.spec import PoissonInput

BLOCKS = (CurrentStep, CurrentRamp, SineCurrent, PulseTrainCurrent, NoisyCurrent,
          PoissonSpikes, InhomogeneousPoisson, CorrelatedPoisson, RegularSpikes, BurstSpikes,
          SpikeTimes, ImageEncoding, PopulationCode, STDPPairing, PairedPulse, Tetanus,
          ThetaBurst, EyeblinkConditioning, RewardSchedule, ActivityReward, DecisionTask,
          WorkingMemoryTask, TaskSequence, RatePatterns, TrialTemplate)

__all__ = ["PoissonInput", "Drive", "Epoch", "BLOCKS"] + [b.__name__ for b in BLOCKS]

register("protocols", "poisson_input", PoissonInput)
for _block in BLOCKS:
    register("protocols", _block.kind, _block)
from bioneuro.protocols.labelled_patterns import LabelledPatterns  # noqa: E402,F401
