"""Trial-aligned analysis: event tables, aligned spikes (rasters), trial spike counts, PSTHs.

Events come from the protocol's recorded epochs (an ``epoch`` dimension with
``epoch_trial``, ``epoch_name``, ``epoch_condition``, ``epoch_start``, ``epoch_stop`` in s)
or are given explicitly (``events=`` onset times, ``conditions=`` labels), so the functions
work on datasets without a trial schedule too.
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import neuron_coords, neuron_positions, spike_positions
from bioneuro.analysis._time import bin_edges, positive_seconds, seconds

__all__ = ["trial_table", "align_spikes", "trial_spike_counts", "psth"]

EPOCH_VARIABLES = ("epoch_trial", "epoch_name", "epoch_condition", "epoch_start", "epoch_stop")


def _as_seconds_array(values, name):
    if hasattr(values, "dim"):
        if str(values.dim) != "s":
            raise ValueError(f"{name}: got {values!r}; expected times (seconds)")
    return np.atleast_1d(np.asarray(values, dtype=float))


def trial_table(ds, events=None, conditions=None, epoch_name=None):
    """One row per trial: onset (s), duration (s), condition and trial number.

    Parameters
    ----------
    ds : xarray.Dataset
        With the protocol's ``epoch_*`` variables, unless `events` are given.
    events : array of float (s) or Quantity, optional
        Explicit onset times (one per trial); overrides the recorded epochs.
    conditions : array of str, optional
        Condition label of each event (default ``"all"``).
    epoch_name : str, optional
        Align to the start of the epochs with this name (e.g. ``"stimulus"``); needed when
        the schedule has several epoch names.

    Returns
    -------
    xarray.Dataset
        On ``trial``: ``trial_onset`` (s), ``trial_duration`` (s, NaN for explicit events),
        ``trial_condition``.
    """
    if events is not None:
        onset = _as_seconds_array(events, "events")
        duration = np.full(len(onset), np.nan)
        trial = np.arange(len(onset))
        labels = np.full(len(onset), "all", dtype=object) if conditions is None \
            else np.asarray(conditions, dtype=object)
    else:
        missing = [v for v in EPOCH_VARIABLES if v not in ds.variables]
        if missing:
            raise ValueError(f"events: not given and the dataset has no trial schedule "
                             f"(missing {', '.join(missing)}); pass events=[onsets in s]")
        names = np.asarray(ds["epoch_name"].values).astype(str)
        if epoch_name is None:
            unique = list(dict.fromkeys(names.tolist()))
            if len(unique) > 1:
                raise ValueError(f"epoch_name: not given and the schedule has several "
                                 f"epochs ({', '.join(unique)}); choose one to align to")
            epoch_name = unique[0] if unique else None
        pick = names == epoch_name
        if not pick.any():
            raise ValueError(f"epoch_name: got {epoch_name!r}; the schedule has "
                             f"{', '.join(sorted(set(names.tolist())))}")
        onset = np.asarray(ds["epoch_start"].values, float)[pick]
        duration = np.asarray(ds["epoch_stop"].values, float)[pick] - onset
        trial = np.asarray(ds["epoch_trial"].values)[pick]
        labels = np.asarray(ds["epoch_condition"].values).astype(str).astype(object)[pick]
        if conditions is not None:
            labels = np.asarray(conditions, dtype=object)
    if len(labels) != len(onset):
        raise ValueError(f"conditions: got {len(labels)} labels for {len(onset)} events")
    return xr.Dataset(
        {"trial_onset": ("trial", onset, {"units": "s", "long_name": "aligned event"}),
         "trial_duration": ("trial", duration, {"units": "s", "long_name": "epoch duration"}),
         "trial_condition": ("trial", labels, {"long_name": "condition"})},
        coords={"trial": ("trial", trial, {"long_name": "trial number"})},
        attrs={"epoch_name": "" if epoch_name is None else str(epoch_name)})


def _window(table, t_before, t_after):
    before = seconds(t_before, "t_before") or 0.0
    after = seconds(t_after, "t_after")
    if after is None:
        durations = table["trial_duration"].values
        if not len(durations) or not np.all(np.isfinite(durations)):
            raise ValueError("t_after: not given and the events have no recorded duration")
        after = float(durations.max())
    if not after > -before:
        raise ValueError(f"t_after: got {after} s; the window [-{before}, {after}) is empty")
    return before, after


def align_spikes(ds, events=None, conditions=None, epoch_name=None, t_before=0.1,
                 t_after=None):
    """Spikes relative to each trial's onset, for trial rasters.

    Parameters
    ----------
    ds : xarray.Dataset
    events, conditions, epoch_name
        See `trial_table`.
    t_before, t_after : float (s) or Quantity
        Window ``[onset - t_before, onset + t_after)``; `t_after` defaults to the longest
        recorded epoch.

    Returns
    -------
    xarray.Dataset
        On ``aligned_spike``: ``aligned_time`` (s from onset), ``aligned_neuron`` (id),
        ``aligned_trial`` (position along ``trial``); the trial table on ``trial``.
    """
    table = trial_table(ds, events, conditions, epoch_name)
    before, after = _window(table, t_before, t_after)
    t, pos = spike_positions(ds, -np.inf, np.inf)
    order = np.argsort(t, kind="stable")
    t, pos = t[order], pos[order]
    onsets = table["trial_onset"].values
    lo = np.searchsorted(t, onsets - before, side="left")
    hi = np.searchsorted(t, onsets + after, side="left")
    index = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)] or [[]])
    index = index.astype(np.int64)
    trial = np.repeat(np.arange(len(onsets)), hi - lo)
    ids = np.asarray(ds["neuron"].values)
    out = table.assign(
        aligned_time=("aligned_spike", t[index] - onsets[trial],
                      {"units": "s", "long_name": "time from trial onset"}),
        aligned_neuron=("aligned_spike", ids[pos[index]], {"long_name": "neuron id"}),
        aligned_trial=("aligned_spike", trial, {"long_name": "trial position"}))
    out.attrs.update(t_before=before, t_after=after)
    return out


def trial_spike_counts(ds, events=None, conditions=None, epoch_name=None, t_start=0.0,
                       t_stop=None):
    """Spike count of every neuron in a window relative to each trial's onset.

    Parameters
    ----------
    t_start, t_stop : float (s) or Quantity
        Window relative to the onset (default: the recorded epoch, ``[0, duration)``).

    Returns
    -------
    xarray.DataArray
        Counts on (``trial``, ``neuron``) with ``trial_condition``: the features for
        decoding and the input of ``fano_factor(counts, dim="trial")``.
    """
    start = seconds(t_start, "t_start") or 0.0
    aligned = align_spikes(ds, events, conditions, epoch_name, t_before=-start,
                           t_after=t_stop)
    n_trials, n_neurons = aligned.sizes["trial"], ds.sizes["neuron"]
    pos, _ = neuron_positions(ds, aligned["aligned_neuron"].values)
    flat = aligned["aligned_trial"].values * n_neurons + pos
    counts = np.bincount(flat.astype(np.int64), minlength=n_trials * n_neurons)
    return xr.DataArray(
        counts.reshape(n_trials, n_neurons), dims=("trial", "neuron"), name="trial_spike_count",
        coords={"trial": aligned["trial"], "trial_condition": aligned["trial_condition"],
                "trial_onset": aligned["trial_onset"], **neuron_coords(ds)},
        attrs={"units": "1", "long_name": "spike count per trial", "t_start": start,
               "t_stop": aligned.attrs["t_after"]})


def psth(ds, events=None, conditions=None, epoch_name=None, bin_size=0.01, t_before=0.1,
         t_after=None, by="population"):
    """Peri-stimulus time histogram per condition and population.

    Parameters
    ----------
    ds : xarray.Dataset
    events, conditions, epoch_name
        See `trial_table`.
    bin_size : float (s) or Quantity
        Default 10 ms.
    t_before, t_after : float (s) or Quantity
        Window around each onset (see `align_spikes`).
    by : str or None
        Neuron coordinate to average over (default ``"population"``); ``None``: per neuron.

    Returns
    -------
    xarray.DataArray
        Rate (Hz) on (``condition``, `by` or ``neuron``, ``time``), time relative to onset
        (bin centres, s), averaged over trials and neurons; coordinate ``n_trials``.
    """
    width = positive_seconds(bin_size, "bin_size")
    aligned = align_spikes(ds, events, conditions, epoch_name, t_before, t_after)
    before, after = aligned.attrs["t_before"], aligned.attrs["t_after"]
    edges = bin_edges(-before, after, width)
    labels = aligned["trial_condition"].values
    names = list(dict.fromkeys(labels.tolist()))
    neuron_pos, _ = neuron_positions(ds, aligned["aligned_neuron"].values)
    condition_of_spike = labels[aligned["aligned_trial"].values]
    times = aligned["aligned_time"].values
    n_bins, n = len(edges) - 1, ds.sizes["neuron"]
    rate = np.zeros((len(names), n, n_bins))
    n_trials = np.zeros(len(names), int)
    for k, name in enumerate(names):
        n_trials[k] = int((labels == name).sum())
        sel = condition_of_spike == name
        bins = np.floor((times[sel] - edges[0]) / width).astype(np.int64)
        ok = (bins >= 0) & (bins < n_bins)
        counts = np.bincount(neuron_pos[sel][ok] * n_bins + bins[ok], minlength=n * n_bins)
        rate[k] = counts.reshape(n, n_bins) / (n_trials[k] * width)
    out = xr.DataArray(
        rate, dims=("condition", "neuron", "time"), name="psth",
        coords={"condition": names, "n_trials": ("condition", n_trials),
                "time": ("time", 0.5 * (edges[:-1] + edges[1:]),
                         {"units": "s", "long_name": "time from onset (bin centre)"}),
                **neuron_coords(ds)})
    if by is not None:
        groups = list(dict.fromkeys(np.asarray(ds[by].values).tolist()))
        out = out.groupby(by).mean().sel({by: groups}).transpose("condition", by, "time")
    out.attrs = {"units": "Hz", "long_name": "peri-stimulus time histogram",
                 "bin_size": width, "t_before": before, "t_after": after,
                 "epoch_name": aligned.attrs["epoch_name"]}
    return out.rename("psth")
