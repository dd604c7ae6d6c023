"""Up-front estimate of the memory a run's recordings need, and refusal of runs that do
not fit.

What a run records is known before it starts, except the number of spikes and of
synapses drawn at run time:

- spikes: 12 bytes per spike (a float64 time and an int32 neuron id, in Brian2's monitor
  as in the Dataset); the count is ``neurons x rate x duration`` with the *expected rate*
  given by the user, by default `DEFAULT_EXPECTED_RATE` (100 Hz, a planning bound above the
  mean rates of cortical network models, which lie between 0.1 and ~40 Hz, e.g. Potjans &
  Diesmann 2014, doi:10.1093/cercor/bhs358);
- state traces: ``samples x recorded neurons x variables x 8`` bytes (float64), with
  ``samples = duration / state_dt``;
- population rates: ``steps x populations x 8`` bytes plus the time axis;
- weights: ``samples x synapses x 8`` bytes per monitored variable, with the synapse count
  fixed by the connection rule or its expectation (``p x n_pre x n_post`` for a Bernoulli
  rule, ``n_pre x n_post`` as a bound for a condition); the final connectivity
  (``recording.connectivity``) adds 32 bytes per synapse.

While the Dataset is assembled, the raw arrays read from the simulation and the Dataset
coexist, so the *peak* is `PEAK_FACTOR` times the recorded bytes; a run is refused when
that peak exceeds ``max_memory`` (default: `DEFAULT_MEMORY_FRACTION` of the physical
memory).
"""

import math
import os
import re

import numpy as np

from bioneuro.errors import SpecError

__all__ = ["RecordingTooLargeError", "recording_estimate", "check_recording_memory",
           "default_max_memory", "parse_memory", "format_bytes", "DEFAULT_EXPECTED_RATE",
           "DEFAULT_MEMORY_FRACTION", "PEAK_FACTOR"]

#: spike rate (Hz) assumed for the estimate when none is given
DEFAULT_EXPECTED_RATE = 100.0
#: fraction of the physical memory a run may use by default
DEFAULT_MEMORY_FRACTION = 0.5
#: raw monitor arrays and the assembled Dataset coexist while results are read back
PEAK_FACTOR = 2
_SPIKE_BYTES = 12  # float64 time + int32 neuron id
_SYNAPSE_BYTES = 32  # pre, post (int64), weight (float64), projection label (pointer)
_MEMORY_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
                 "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


class RecordingTooLargeError(SpecError, MemoryError):
    """A run would record more than the memory limit allows (refused before it starts)."""


def format_bytes(n):
    """``'1.5 GB'`` style text of a byte count (decimal units)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} TB"


def parse_memory(value, field="max_memory"):
    """A memory amount in bytes from an int (bytes) or a string such as ``"4 GB"``/``"512MiB"``.

    ``None`` gives `default_max_memory`; ``float("inf")`` disables the check.
    """
    if value is None:
        return default_max_memory()
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if not value > 0:
            raise SpecError(field, value, "a positive number of bytes or a string such as "
                            "'4 GB'")
        return float(value)
    match = re.fullmatch(r"\s*([0-9.]+(?:[eE][-+]?\d+)?)\s*([A-Za-z]+)\s*", str(value))
    if not match or match.group(2).lower() not in _MEMORY_UNITS:
        raise SpecError(field, value, "bytes or a string such as '4 GB', '512 MiB' (units: "
                        "B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)")
    return float(match.group(1)) * _MEMORY_UNITS[match.group(2).lower()]


def default_max_memory():
    """`DEFAULT_MEMORY_FRACTION` of the machine's physical memory, in bytes."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX: no limit known
        return math.inf
    return DEFAULT_MEMORY_FRACTION * total


def _synapse_count(circuit, proj):
    pre, post = circuit.population(proj.pre), circuit.population(proj.post)
    return float(proj.connectivity.expected_synapse_count(pre.size, post.size,
                                                          proj.pre == proj.post))


def recording_estimate(experiment, expected_rate=None):
    """Bytes the recordings of `experiment` will occupy in its result Dataset.

    Parameters
    ----------
    experiment : Experiment or NetworkPlan
    expected_rate : Quantity or float, optional
        Expected mean spike rate of the recorded neurons (Hz; default
        `DEFAULT_EXPECTED_RATE`).

    Returns
    -------
    dict
        ``{"spikes", "state", "rates", "weights", "connectivity", "total"}`` in bytes and
        ``"peak"`` (`PEAK_FACTOR` x total).
    """
    from bioneuro.plan import NetworkPlan, make_plan
    from bioneuro.quantities import parse_quantity, si_value

    plan = experiment if isinstance(experiment, NetworkPlan) else make_plan(experiment)
    exp = plan.experiment
    rate = DEFAULT_EXPECTED_RATE if expected_rate is None else \
        si_value(parse_quantity(expected_rate, "expected_rate", "Hz"))
    if rate < 0:
        raise SpecError("expected_rate", expected_rate, "a rate >= 0 Hz")
    duration, dt = si_value(exp.duration), si_value(exp.dt)
    rec, circuit = exp.recording, exp.circuit
    n_steps = math.ceil(duration / dt - 1e-9)
    spiking = sum(circuit.population(p).size for p in rec.spike_populations(circuit))
    out = {"spikes": spiking * rate * duration * _SPIKE_BYTES}
    probes = plan.state_probes()
    n_recorded = sum(len(record) for record, _ in probes.values())
    n_vars = len({var for _, requested in probes.values() for var in requested})
    state_dt = dt if rec.state_dt is None else si_value(rec.state_dt)
    n_samples = math.ceil(duration / state_dt - 1e-9) if probes else 0
    out["state"] = n_samples * (n_recorded * n_vars + 1) * 8 if probes else 0
    n_rates = len(rec.population_rates)
    out["rates"] = n_steps * (n_rates + 1) * 8 if n_rates else 0
    monitored = rec.weight_monitored(circuit)
    if monitored:
        n_weight_samples = math.ceil(duration / si_value(rec.weights_dt) - 1e-9)
        n_syn = sum(_synapse_count(circuit, p) for p in circuit.projections
                    if p.name in monitored)
        out["weights"] = n_weight_samples * n_syn * 8
    else:
        out["weights"] = 0
    out["connectivity"] = sum(_synapse_count(circuit, p) for p in circuit.projections) * \
        _SYNAPSE_BYTES if rec.connectivity else 0
    out["total"] = sum(out.values())
    out["peak"] = PEAK_FACTOR * out["total"]
    return out


def check_recording_memory(experiment, max_memory=None, expected_rate=None, what="this run"):
    """Refuse (raise `RecordingTooLargeError`) if the recordings would not fit in memory.

    Parameters
    ----------
    experiment : Experiment or NetworkPlan
    max_memory : int, float or str, optional
        Limit in bytes or as text (``"4 GB"``); default `default_max_memory`.
    expected_rate : Quantity, optional
        See `recording_estimate`.
    what : str
        How the message names the refused work.

    Returns
    -------
    dict
        The estimate (see `recording_estimate`).
    """
    limit = parse_memory(max_memory)
    estimate = recording_estimate(experiment, expected_rate)
    if estimate["peak"] > limit:
        raise_too_large(estimate, limit, what)
    return estimate


def raise_too_large(estimate, limit, what):
    """Raise `RecordingTooLargeError` for `estimate` (as `recording_estimate`) over `limit`."""
    parts = ", ".join(f"{key} {format_bytes(estimate[key])}" for key in
                      ("spikes", "state", "rates", "weights", "connectivity") if estimate[key])
    raise RecordingTooLargeError(
        "max_memory", format_bytes(limit),
        f"{what} would record about {format_bytes(estimate['total'])} ({parts}; peak "
        f"{format_bytes(estimate['peak'])} while the results are assembled), more than the "
        "limit; reduce it by recording fewer neurons or variables (recording.spikes, "
        "recording.state), a coarser recording.state_dt or weights_dt, a shorter duration, "
        "or split the run; or raise max_memory (an expected_rate below the default "
        f"{DEFAULT_EXPECTED_RATE:g} Hz lowers the spike estimate)")
