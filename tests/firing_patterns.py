"""Firing-pattern classification from inter-spike intervals (ISIs), for the model tests.

The categories follow Naud et al. (2008, Fig. 4 and sec. 3) and Izhikevich (2003, Fig. 2):
an *initial transient* (tonic start, initial burst, delay: first spike later than twice the
mean ISI) and a *steady state* (tonic, adapting, accelerating, bursting, irregular).
Intervals are in seconds.

- A *burst gap* exists when the sorted ISIs jump by more than `GAP_RATIO` between two
  neighbours: the ISIs below the jump are intra-burst intervals, the ones above it gaps.
- *Periodic* with period ``p``: ``|isi[k + p] - isi[k]|`` stays within `PERIOD_TOLERANCE` of
  the mean ISI over the steady part (regular bursting has ``p`` = spikes per burst, tonic
  firing ``p = 1``; irregular firing has no period up to `MAX_PERIOD`).
"""

import numpy as np

GAP_RATIO = 3.0
PERIOD_TOLERANCE = 0.1
MAX_PERIOD = 6


def spike_times(ds, neuron, t_start=0.0, t_stop=np.inf):
    """Sorted spike times (s) of one neuron (its index in ``ds``) within [t_start, t_stop)."""
    t = ds["spike_time"].values[ds["spike_neuron"].values == neuron]
    return np.sort(t[(t >= t_start) & (t < t_stop)])


def burst_split(isi):
    """Threshold between intra-burst ISIs and gaps, or None without a jump > GAP_RATIO."""
    s = np.sort(isi)
    if s.size < 2:
        return None
    ratios = s[1:] / s[:-1]
    k = int(np.argmax(ratios))
    return float(np.sqrt(s[k] * s[k + 1])) if ratios[k] > GAP_RATIO else None


def period(isi):
    """Smallest p <= MAX_PERIOD with isi[k + p] ~ isi[k] throughout, or None."""
    tol = PERIOD_TOLERANCE * np.mean(isi)
    for p in range(1, MAX_PERIOD + 1):
        if isi.size > 2 * p and np.max(np.abs(isi[p:] - isi[:-p])) <= tol:
            return p
    return None


def classify(times, t_on):
    """Name the firing pattern of spike `times` evoked by a step starting at `t_on`.

    Returns one of ``silent``, ``transient``, ``tonic``, ``adapting``, ``accelerating``,
    ``initial_burst``, ``bursting``, ``irregular`` and the flag ``delayed`` (first spike later
    than twice the mean ISI after step onset).
    """
    if times.size <= 2:
        return ("transient" if times.size else "silent"), False
    isi = np.diff(times)
    delayed = bool(times[0] - t_on > 2 * np.mean(isi))
    split = burst_split(isi)
    # steady state: drop the first half of the intervals (the initial transient)
    steady = isi[isi.size // 2:]
    if split is not None:
        short = np.flatnonzero(isi < split)
        if short.max() < np.flatnonzero(isi > split).min():
            return "initial_burst", delayed
        return ("bursting" if period(steady) else "irregular"), delayed
    if period(steady) is None:
        return "irregular", delayed
    if isi[-1] > 2 * isi[0]:
        return "adapting", delayed
    if isi[-1] < 0.7 * isi[0]:
        return "accelerating", delayed
    return "tonic", delayed
