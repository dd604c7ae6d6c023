"""Continual learning of two interfering tasks: plain plasticity forgets, consolidation keeps.

``continual_learning``: an input layer of rate sources (40 inputs) projects onto four
threshold-linear rate neurons (``output``) through `consolidated_hebbian` synapses:
Hebbian growth, multiplicative synaptic scaling towards ``nu_target`` (homeostasis) and a
hidden, slowly following variable (Benna & Fusi 2016 consolidation, strength ``g_c``).

- Task A: four classes, each a sparse binary prototype (10 of the 40 inputs at 20 Hz;
  disjoint across classes); class ``k`` is associated with output ``k``.
- Task B: four new prototypes, each made of half the inputs of A-prototype ``k+1`` and half
  of ``k+2`` (mod 4), associated with output ``k`` again: learning B re-uses the inputs of
  A with other outputs, the interference that makes plain Hebbian learning forget.
- Training presents exemplars (the prototype with one active input swapped for an inactive
  one) with a teacher (``teacher``: +10 Hz onto the correct output, -50 Hz onto the others)
  and the learning gate on. Probes present fixed exemplars of both tasks with the teacher
  and the gate off (frozen weights).
- Schedule (one run): ``probe_initial``, ``train_A``, ``probe_after_A``, ``train_B``,
  ``probe_after_B``; the rows' phases and labels (``A:0`` ... ``B:3``: task and output)
  are the Dataset's ``epoch_name`` and ``epoch_condition``; output rates are recorded
  every step.

`bioneuro.analysis.continual.task_performance` scores each probe (accuracy per task) and the
retention of task A. The consolidation strength ``g_c`` is a synapse parameter: the plain
and the consolidating conditions share one compiled build.
"""

import numpy as np
from brian2.units import Hz, ms

from bioneuro.errors import SpecError
from bioneuro.models.composition import compose
from bioneuro.models.plasticity.consolidation import (
    GATE_VARIABLE,
    consolidated_hebbian,
    learning_gate,
)
from bioneuro.models.rate import rate_relu
from bioneuro.protocols.labelled_patterns import LabelledPatterns
from bioneuro.protocols.rate_patterns import RatePatterns
from bioneuro.protocols.stimulus import Drive, count_field
from bioneuro.quantities import parse_quantity, si_value
from bioneuro.registry import register
from bioneuro.spec import Circuit, Experiment, Population, Recording, StateProbe

__all__ = ["continual_learning", "continual_patterns", "PHASES", "TASKS",
           "CONSOLIDATION_RULE"]

#: phases of the schedule, in order
PHASES = ("probe_initial", "train_A", "probe_after_A", "train_B", "probe_after_B")
TASKS = ("A", "B")
N_INPUTS, N_CLASSES, N_ACTIVE = 40, 4, 10
INPUT_RATE = 20 * Hz
TEACHER_RATE, TEACHER_INHIBITION = 10 * Hz, 50 * Hz
#: the rule with the defaults of ``continual_learning`` (``g_c`` set per run)
CONSOLIDATION_RULE = consolidated_hebbian(name="consolidated_hebbian_continual")


def continual_patterns(n_train, n_probe, seed):
    """Input rows of the schedule, their phases and labels (see the module docstring).

    Parameters
    ----------
    n_train : int
        Training presentations per task (a multiple of 4: every class equally often, in
        random order).
    n_probe : int
        Probe exemplars per class and task (the same exemplars in every probe).
    seed : int

    Returns
    -------
    dict
        ``inputs``: rates (Hz, rows x 40); ``teacher``: signed teacher rates (Hz, rows x 4);
        ``gate``: learning gate (Hz, rows x 1); ``phases``, ``labels``: one per row;
        ``prototypes``: array (task, class, input) of 0/1.
    """
    n_train = count_field(n_train, "continual_learning.n_train", N_CLASSES)
    if n_train % N_CLASSES:
        raise SpecError("continual_learning.n_train", n_train, "a multiple of 4")
    n_probe = count_field(n_probe, "continual_learning.n_probe")
    rng = np.random.default_rng(seed)
    groups = rng.permutation(N_INPUTS).reshape(N_CLASSES, N_ACTIVE)
    half = N_ACTIVE // 2
    prototypes = np.zeros((len(TASKS), N_CLASSES, N_INPUTS))
    for k in range(N_CLASSES):
        prototypes[0, k, groups[k]] = 1
        prototypes[1, k, groups[(k + 1) % N_CLASSES][:half]] = 1
        prototypes[1, k, groups[(k + 2) % N_CLASSES][half:]] = 1

    def exemplar(task, k):
        row = prototypes[task, k].copy()
        row[rng.choice(np.flatnonzero(row == 1))] = 0
        row[rng.choice(np.flatnonzero(row == 0))] = 1
        return row

    probes = [(t, k, exemplar(t, k)) for t in range(len(TASKS)) for k in range(N_CLASSES)
              for _ in range(n_probe)]
    rows = []  # (phase, task, class, input row, training?)
    for phase in PHASES:
        if phase.startswith("probe"):
            rows += [(phase, t, k, x, False) for t, k, x in probes]
        else:
            task = TASKS.index(phase[-1])
            order = rng.permutation(np.repeat(np.arange(N_CLASSES), n_train // N_CLASSES))
            rows += [(phase, task, k, exemplar(task, k), True) for k in order]
    teacher = np.zeros((len(rows), N_CLASSES))
    for n, (_, _, k, _, training) in enumerate(rows):
        if training:
            teacher[n] = -float(TEACHER_INHIBITION)
            teacher[n, k] = float(TEACHER_RATE)
    return {"inputs": np.array([r[3] for r in rows]) * float(INPUT_RATE),
            "teacher": teacher,
            "gate": np.array([[1.0 if r[4] else 0.0] for r in rows]),
            "phases": tuple(r[0] for r in rows),
            "labels": tuple(f"{TASKS[r[1]]}:{r[2]}" for r in rows),
            "prototypes": prototypes}


def continual_learning(consolidation=10 * Hz, n_train=300, n_probe=8, interval=20 * ms,
                       w_init=1e-3, dt=1 * ms, seed=1, scale=None):
    """Tasks A then B learned by gated Hebbian plasticity with scaling and consolidation.

    Parameters
    ----------
    consolidation : Quantity
        Consolidation coupling rate ``g_c`` of the rule (0 Hz: plain plasticity). A
        run-time value: conditions differing only in it share one build.
    n_train : int
        Training presentations per task (a multiple of 4).
    n_probe : int
        Probe exemplars per class and task.
    interval : Quantity
        Presentation time of one row (a multiple of `dt`).
    w_init : float
        Upper bound of the uniform initial weights (from 0).
    dt : Quantity
    seed : int
        Draws the prototypes, exemplars and order, and seeds the run.
    scale : float, optional
        Multiplies `n_train` (``bioneuro run --scale``).
    """
    if scale is not None:
        n_train = N_CLASSES * max(1, int(round(n_train * scale / N_CLASSES)))
    g_c = parse_quantity(consolidation, "continual_learning.consolidation", "Hz")
    if si_value(g_c) < 0:
        raise SpecError("continual_learning.consolidation", str(g_c), "a rate >= 0 Hz")
    steps = float(interval / dt)
    if steps < 1 or abs(steps - round(steps)) > 1e-6:
        raise SpecError("continual_learning.interval", str(interval), f"a multiple of dt = {dt}")
    if not 0 < w_init < 1:
        raise SpecError("continual_learning.w_init", w_init, "a number in (0, 1)")
    table = continual_patterns(n_train, n_probe, seed)
    output = Population("output", compose(rate_relu, learning_gate()), N_CLASSES,
                        {"tau_r": dt})
    circuit = Circuit("continual_learning", (output,),
                      description="Two interfering pattern-association tasks learned in "
                                  "sequence by gated Hebbian plasticity with synaptic "
                                  "scaling and two-variable consolidation.",
                      references=CONSOLIDATION_RULE.references)
    initial = {"kind": "uniform", "low": 0.0, "high": float(w_init)}
    protocol = (
        LabelledPatterns("patterns", table["inputs"] * Hz, interval,
                         drive=Drive("output", "e", initial, synapse=CONSOLIDATION_RULE,
                                     parameters={"g_c": g_c}),
                         phases=table["phases"], labels=table["labels"]),
        RatePatterns("teacher", table["teacher"] * Hz, interval,
                     drive=Drive("output", "i", 1.0, "one_to_one", synapse="rate_coupling")),
        RatePatterns("learning", table["gate"] * Hz, interval,
                     drive=Drive("output", GATE_VARIABLE, 1.0, synapse="rate_coupling")),
    )
    n_rows = len(table["phases"])
    recording = Recording(spikes=(), state=(StateProbe("output", ("r",), "all"),),
                          connectivity=True)
    return Experiment("continual_learning", circuit, protocol, recording,
                      duration=n_rows * interval, dt=dt, seed=seed,
                      description=circuit.description)


register("experiments", "continual_learning", continual_learning)
