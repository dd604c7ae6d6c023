"""Brainstem and spinal motor circuits as built-in experiments (`bioneuro.regions.brainstem`).

- ``motor_recruitment``: a motor pool under a common drive rising linearly from 0 to 30 nA
  in 2.5 s (a current ramp): units are recruited in order of size.
- ``half_centre``: the half-centre oscillator under its tonic drive, 10 s.
- ``prebotzinger``: the coupled pre-Botzinger pacemakers, 20 s.
- ``stretch_reflex``: a 0.5 s stretch of the extensor (a step of its Ia afferents' input
  current, i.e. of their rate) at 1 s, with a tonic descending drive to the antagonist
  (flexor) pool so that its reciprocal inhibition shows as a drop of its rate.
- ``brainstem`` (default): all four circuits in one network with all four protocols, 12 s.

Every experiment records all spikes; dt = 0.1 ms.
"""

from brian2.units import ms, nA, pA, second

from bioneuro.protocols.currents import CurrentRamp, CurrentStep
from bioneuro.regions import brainstem as regions
from bioneuro.registry import register
from bioneuro.spec import Experiment, Recording

__all__ = ["motor_recruitment", "half_centre", "prebotzinger", "stretch_reflex", "brainstem",
           "RAMP", "STRETCH", "DESCENDING"]

#: common drive of the motor pool: 0 -> 30 nA during [0.2 s, 2.7 s)
RAMP = CurrentRamp("common_drive", "MN", 30 * nA, 0.2 * second, 2.7 * second)
#: stretch of the extensor: +600 pA to its Ia afferents during [1 s, 1.5 s)
STRETCH = CurrentStep("stretch", "Ia_ext", 600 * pA, 1 * second, 1.5 * second)
#: tonic descending drive to the antagonist (flexor) pool
DESCENDING = CurrentStep("descending_drive", "MN_flex", 10 * nA)

_DT = 0.1 * ms


def _experiment(name, circuit, protocol, duration, seed, description):
    return Experiment(name, circuit, protocol=protocol, recording=Recording(spikes="all"),
                      duration=duration, dt=_DT, seed=seed, description=description)


def motor_recruitment(scale=0.1, duration=3 * second, seed=1):
    """Recruitment of a motor pool (30 units at ``scale=0.1``) by a rising common drive."""
    return _experiment("motor_recruitment", regions.motor_pool(scale), (RAMP,), duration,
                       seed, "Motor pool under a rising common drive: recruitment by size")


def half_centre(scale=0.2, duration=10 * second, seed=1):
    """Half-centre oscillator (2 x 20 neurons at ``scale=0.2``): alternating bursts."""
    return _experiment("half_centre", regions.half_centre(scale), (), duration, seed,
                       "Half-centre oscillator: alternating activity of flexor and extensor "
                       "half-centres")


def prebotzinger(scale=1.0, duration=20 * second, seed=1):
    """Pre-Botzinger network (50 pacemakers at ``scale=1``): synchronous population bursts."""
    return _experiment("prebotzinger", regions.prebotzinger(scale), (), duration, seed,
                       "Pre-Botzinger complex: synchronous population bursts")


def stretch_reflex(scale=0.1, duration=2 * second, seed=1):
    """Stretch reflex: extensor stretch at 1 s excites the extensor pool and inhibits the
    tonically active flexor pool."""
    return _experiment("stretch_reflex", regions.stretch_reflex(scale),
                       (STRETCH, DESCENDING), duration, seed,
                       "Stretch reflex: homonymous excitation and reciprocal inhibition")


def brainstem(scale=0.2, duration=12 * second, seed=1):
    """All brainstem/spinal circuits with their protocols in one run."""
    return _experiment("brainstem", regions.brainstem(scale), (RAMP, STRETCH, DESCENDING),
                       duration, seed, "Brainstem and spinal motor circuits: recruitment, "
                       "half-centre rhythm, pre-Botzinger bursts, stretch reflex")


for _factory in (motor_recruitment, half_centre, prebotzinger, stretch_reflex, brainstem):
    register("experiments", _factory.__name__, _factory)
