"""Choices and reaction times of two-alternative decisions read from population activity.

Decision rule (Wang 2002): during each trial's decision epoch the rate of each competing
population is measured in a sliding window (``window``, moved by ``step``); the trial's
choice is the first population whose rate reaches ``threshold`` (15 Hz in Wang 2002), and
its reaction time the end of that window relative to the epoch's onset. A trial in which
no population reaches the threshold before the epoch ends has no choice (``""``, reaction
time NaN). Conditions labelled ``coherence=<c>`` (`bioneuro.protocols.DecisionTask`) give
each trial its signed coherence.

Reference: Wang (2002) Probabilistic decision making by slow reverberation in cortical
circuits. Neuron 36:955. doi:10.1016/S0896-6273(02)01092-9
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import neuron_positions, require
from bioneuro.analysis._time import positive_seconds
from bioneuro.analysis.trials import trial_table

__all__ = ["decisions", "psychometric"]


def _rate_hz(value, name):
    if hasattr(value, "dim"):
        if str(value.dim) != "s^-1":
            raise ValueError(f"{name}: got {value!r}; expected a rate (Hz)")
        value = float(value)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: got {value!r}; expected a rate in Hz") from None
    if not value > 0:
        raise ValueError(f"{name}: got {value!r}; expected a rate > 0 Hz")
    return value


def _coherence(label):
    key, _, value = str(label).partition("=")
    try:
        return float(value) if key == "coherence" else np.nan
    except ValueError:
        return np.nan


def decisions(ds, populations=("A", "B"), threshold=15.0, window=0.05, step=0.005,
              epoch_name="stimulus"):
    """Choice and reaction time of every trial.

    Parameters
    ----------
    ds : xarray.Dataset
        Spikes of `populations` and a trial schedule (``epoch_*`` variables).
    populations : sequence of str
        The competing populations (values of the ``population`` coordinate).
    threshold : float (Hz) or Quantity
        Decision threshold on the windowed population rate.
    window, step : float (s) or Quantity
        Sliding-window length and its step.
    epoch_name : str
        The epoch during which a decision may be reached (measured from its onset).

    Returns
    -------
    xarray.Dataset
        On ``trial``: ``choice`` (population name, ``""`` without a decision),
        ``choice_index`` (position in `populations`, -1 without a decision),
        ``reaction_time`` (s), ``coherence`` (percent, NaN for other conditions),
        ``condition``, ``trial_onset`` (s).
    """
    require(ds, ("spike_time", "spike_neuron", "population"), "decisions")
    threshold = _rate_hz(threshold, "threshold")
    window = positive_seconds(window, "window")
    step = positive_seconds(step, "step")
    populations = [str(p) for p in ([populations] if isinstance(populations, str)
                                    else populations)]
    labels = np.asarray(ds["population"].values).astype(str)
    missing = [p for p in populations if p not in labels]
    if len(populations) < 2 or missing:
        raise ValueError(f"populations: got {populations}; expected at least two of "
                         f"{sorted(set(labels.tolist()))}")
    table = trial_table(ds, epoch_name=epoch_name)
    t = np.asarray(ds["spike_time"].values, dtype=float)
    pos, inside = neuron_positions(ds, ds["spike_neuron"].values)
    t, owner = t[inside], labels[pos[inside]]
    onsets = table["trial_onset"].values
    durations = table["trial_duration"].values
    n = len(onsets)
    choice = np.full(n, "", dtype=object)
    index = np.full(n, -1, dtype=np.int64)
    rt = np.full(n, np.nan)
    sizes = [int((labels == p).sum()) for p in populations]
    spikes = [np.sort(t[owner == p]) for p in populations]
    for k, (onset, duration) in enumerate(zip(onsets, durations, strict=True)):
        ends = onset + window + step * np.arange(int(np.floor((duration - window) / step
                                                              + 1e-9)) + 1)
        if not len(ends) or ends[0] > onset + duration + 1e-12:
            continue
        rates = np.array([(np.searchsorted(s, ends, "left")
                           - np.searchsorted(s, ends - window, "left")) / (size * window)
                          for s, size in zip(spikes, sizes, strict=True)])
        crossed = np.flatnonzero((rates >= threshold).any(axis=0))
        if len(crossed):
            first = crossed[0]
            index[k] = int(np.argmax(rates[:, first]))
            choice[k] = populations[index[k]]
            rt[k] = ends[first] - onset
    coherence = np.array([_coherence(c) for c in table["trial_condition"].values])
    return xr.Dataset(
        {"choice": ("trial", choice.astype(str), {"long_name": "chosen population"}),
         "choice_index": ("trial", index, {"long_name": "index of the chosen population "
                                           "(-1: no decision)"}),
         "reaction_time": ("trial", rt, {"units": "s", "long_name": "reaction time"}),
         "coherence": ("trial", coherence, {"units": "%", "long_name": "signed coherence"}),
         "condition": ("trial", table["trial_condition"].values.astype(str),
                       {"long_name": "condition"}),
         "trial_onset": ("trial", onsets, {"units": "s", "long_name": "decision epoch onset"})},
        coords={"trial": table["trial"]},
        attrs={"populations": ",".join(populations), "threshold_hz": threshold,
               "window_s": window, "step_s": step, "epoch_name": epoch_name})


def psychometric(choices):
    """Accuracy, choice probability and mean reaction time per coherence.

    Parameters
    ----------
    choices : xarray.Dataset
        The result of `decisions`.

    Returns
    -------
    xarray.Dataset
        On ``coherence``: ``n_trials``, ``decided`` (fraction of trials with a choice),
        ``p_first`` (fraction of decided trials choosing the first population),
        ``accuracy`` (fraction of decided trials choosing the population favoured by the
        coherence: the first for c > 0, the second for c < 0; at c = 0 the larger of the
        two fractions is not an accuracy, so ``p_first`` is reported instead and accuracy
        is NaN), ``reaction_time`` (mean over decided trials, s), ``reaction_time_sem`` (s).
    """
    require(choices, ("choice_index", "reaction_time", "coherence"), "psychometric")
    coh = np.asarray(choices["coherence"].values, float)
    index = np.asarray(choices["choice_index"].values)
    rt = np.asarray(choices["reaction_time"].values, float)
    levels = np.unique(coh[np.isfinite(coh)])
    out = {name: np.full(len(levels), np.nan) for name in
           ("n_trials", "decided", "p_first", "accuracy", "reaction_time",
            "reaction_time_sem")}
    for k, c in enumerate(levels):
        sel = coh == c
        done = sel & (index >= 0)
        out["n_trials"][k] = sel.sum()
        out["decided"][k] = done.sum() / sel.sum()
        if done.any():
            first = np.mean(index[done] == 0)
            out["p_first"][k] = first
            out["accuracy"][k] = first if c > 0 else (1 - first if c < 0 else np.nan)
            out["reaction_time"][k] = rt[done].mean()
            out["reaction_time_sem"][k] = rt[done].std(ddof=1) / np.sqrt(done.sum()) \
                if done.sum() > 1 else np.nan
    attrs = {"n_trials": {"long_name": "trials"},
             "decided": {"long_name": "fraction of trials with a decision"},
             "p_first": {"long_name": "P(choose the first population | decided)"},
             "accuracy": {"long_name": "fraction of correct decisions"},
             "reaction_time": {"units": "s", "long_name": "mean reaction time"},
             "reaction_time_sem": {"units": "s", "long_name": "standard error of the mean "
                                   "reaction time"}}
    return xr.Dataset({k: ("coherence", v, attrs[k]) for k, v in out.items()},
                      coords={"coherence": ("coherence", levels,
                                            {"units": "%", "long_name": "signed coherence"})},
                      attrs={"populations": choices.attrs.get("populations", "")})
