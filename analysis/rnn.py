"""Rate-RNN task learning: per-trial outcomes, learning curves, weight matrices, decoding.

Works on the Dataset of a run with a trial schedule whose response epoch is called
``response`` and whose conditions are ``c=<signed coherence>`` (`RateDecision`), a
readout population with traces ``z`` and ``err_trial``, and (for decoding) hidden traces
``r`` (e.g. ``rnn_decision``).
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._traces import population_traces
from bioneuro.analysis.decoding import cross_validate
from bioneuro.analysis.trials import trial_table

__all__ = ["trial_outcomes", "learning_curve", "weight_matrix", "trial_activity",
           "decode_choice", "plot_learning_curve"]


def _traces(ds, variable, population):
    """``(times in s, values time x units)`` of `variable` of `population`."""
    data = population_traces(ds, variable, population)
    return np.asarray(ds["time"].values, float), np.asarray(data.values, float)


def _window_means(times, values, starts, stops):
    """Mean of `values` (time x units) over the samples in each ``[start, stop)``."""
    lo = np.searchsorted(times, starts - 1e-9)
    hi = np.searchsorted(times, stops - 1e-9)
    return np.array([values[a:b].mean(axis=0) if b > a else np.full(values.shape[1], np.nan)
                     for a, b in zip(lo, hi, strict=True)])


def trial_outcomes(ds, readout="readout", epoch_name="response"):
    """Per-trial coherence, error, choice and correctness of a decision task.

    Parameters
    ----------
    ds : xarray.Dataset
    readout : str
        Readout population (traces ``z`` and ``err_trial``).
    epoch_name : str
        The response epoch.

    Returns
    -------
    xarray.Dataset
        On ``trial``: ``coherence``; ``target`` (its sign); ``error`` (mean ``|z - target|``
        over the response epoch, from the recorded ``z`` samples); ``error_network`` (the
        error the network itself computed at every step and latched at the end of the
        trial; NaN for a trial ending with the run); ``choice`` (sign of the mean ``z``);
        ``correct``.
    """
    table = trial_table(ds, epoch_name=epoch_name)
    labels = np.asarray(table["trial_condition"].values).astype(str)
    try:
        coherence = np.array([float(label.split("=", 1)[1]) for label in labels])
    except (IndexError, ValueError):
        raise ValueError(f"conditions: expected labels 'c=<coherence>', got "
                         f"{labels[:3].tolist()}") from None
    starts = np.asarray(table["trial_onset"].values, float)
    stops = starts + np.asarray(table["trial_duration"].values, float)
    times, z = _traces(ds, "z", readout)
    target = np.sign(coherence)
    z = z.mean(axis=1)  # several readout units: their mean
    lo = np.searchsorted(times, starts - 1e-9)
    hi = np.searchsorted(times, stops - 1e-9)
    windows = [slice(a, b) for a, b in zip(lo, hi, strict=True)]
    z_mean = np.array([z[w].mean() if w.stop > w.start else np.nan for w in windows])
    error = np.array([np.abs(z[w] - target[k]).mean() if w.stop > w.start else np.nan
                      for k, w in enumerate(windows)])
    _, latched = _traces(ds, "err_trial", readout)
    at_end = np.searchsorted(times, stops - 1e-9)
    network = np.where(at_end < len(times),
                       latched[np.minimum(at_end, len(times) - 1)].mean(axis=1), np.nan)
    choice = np.sign(z_mean)
    trial = table["trial"].values
    return xr.Dataset(
        {"coherence": ("trial", coherence, {"units": "1", "long_name": "signed coherence"}),
         "target": ("trial", target, {"units": "1", "long_name": "target output"}),
         "error": ("trial", error, {"units": "1", "long_name": "mean |z - target| over the "
                                                               "response epoch (sampled z)"}),
         "error_network": ("trial", network, {"units": "1", "long_name": "error computed by "
                                                                         "the network"}),
         "choice": ("trial", choice, {"units": "1", "long_name": "sign of the mean readout"}),
         "correct": ("trial", choice == target, {"long_name": "choice equals target"})},
        coords={"trial": trial})


def learning_curve(outcomes, window=50):
    """Error and accuracy averaged over consecutive blocks of `window` trials.

    Returns
    -------
    xarray.Dataset
        On ``block`` (coordinate: the block's first trial): ``error`` and ``accuracy``.
    """
    n = outcomes.sizes["trial"] // int(window)
    if n < 1:
        raise ValueError(f"window: got {window}; expected at most {outcomes.sizes['trial']} "
                         f"trials")
    cut = slice(0, n * int(window))

    def blocks(values):
        return np.asarray(values, float)[cut].reshape(n, int(window))

    return xr.Dataset(
        {"error": ("block", np.nanmean(blocks(outcomes["error"].values), axis=1),
                   {"units": "1", "long_name": "mean error per block"}),
         "accuracy": ("block", blocks(outcomes["correct"].values).mean(axis=1),
                      {"units": "1", "long_name": "fraction correct per block"})},
        coords={"block": ("block", np.arange(n) * int(window),
                          {"long_name": "first trial of the block"})},
        attrs={"window": int(window)})


def weight_matrix(ds, populations):
    """Final weights among `populations` as a dense ``post x pre`` matrix.

    Absent synapses are NaN, so ``weight_matrix(...).notnull()`` is the realised
    connectivity mask. Neurons are labelled by ``pre_population``/``post_population``,
    ``pre_area``/``post_area`` (the ``region``) and ``pre_class``/``post_class``
    (the ``cell_type``).
    """
    if "weight" not in ds:
        raise ValueError("ds: no final weights (record with connectivity=True)")
    pops = np.asarray(ds["population"].values).astype(str)
    ids = np.flatnonzero(np.isin(pops, list(populations)))
    index = {nid: k for k, nid in enumerate(ds["neuron"].values[ids])}
    matrix = np.full((len(ids), len(ids)), np.nan)
    pre = np.asarray(ds["synapse_pre"].values)
    post = np.asarray(ds["synapse_post"].values)
    keep = np.isin(pre, list(index)) & np.isin(post, list(index))
    rows = [index[p] for p in post[keep]]
    cols = [index[p] for p in pre[keep]]
    matrix[rows, cols] = np.asarray(ds["weight"].values, float)[keep]
    coords = {}
    for side in ("pre", "post"):
        coords[side] = (side, ds["neuron"].values[ids])
        coords[f"{side}_population"] = (side, pops[ids])
        coords[f"{side}_area"] = (side, np.asarray(ds["region"].values)[ids])
        coords[f"{side}_class"] = (side, np.asarray(ds["cell_type"].values)[ids])
    return xr.DataArray(matrix, dims=("post", "pre"), coords=coords, name="weight",
                        attrs={"units": ds["weight"].attrs.get("units", "1"),
                               "long_name": "final weight (NaN: no synapse)"})


def trial_activity(ds, populations, epoch_name="response", variable="r"):
    """Mean of `variable` of the units of `populations` over each trial's epoch
    (``trial x neuron``; the features of an offline decoder)."""
    table = trial_table(ds, epoch_name=epoch_name)
    starts = np.asarray(table["trial_onset"].values, float)
    stops = starts + np.asarray(table["trial_duration"].values, float)
    parts, names = [], []
    for pop in populations:
        times, values = _traces(ds, variable, pop)
        parts.append(_window_means(times, values, starts, stops))
        names += [pop] * values.shape[1]
    data = np.concatenate(parts, axis=1)
    return xr.DataArray(data, dims=("trial", "neuron"),
                        coords={"trial": table["trial"].values,
                                "population": ("neuron", np.array(names, dtype=object))},
                        name=variable, attrs={"units": ds[variable].attrs.get("units", "1")})


def decode_choice(ds, populations, trials=None, n_folds=5, seed=0, alpha=1e-2):
    """Cross-validated accuracy of a linear (softmax) decoder of the target (sign of the
    coherence) from the hidden activity averaged over the response epoch.

    Parameters
    ----------
    trials : slice or index array, optional
        Trials to use (e.g. the last ones, after learning).
    """
    features = trial_activity(ds, populations)
    target = np.sign(trial_outcomes(ds)["coherence"].values)
    if trials is not None:
        features, target = features.isel(trial=trials), target[trials]
    return cross_validate(features, target, "softmax", n_folds=n_folds, seed=seed,
                          alpha=alpha)


def plot_learning_curve(curve, ax=None, path=None):
    """Error and accuracy per block of a `learning_curve` (twin axes)."""
    from bioneuro.analysis.plot import _axes, _finish

    fig, ax = _axes(ax)
    trials = curve["block"].values + curve.attrs.get("window", 1) / 2
    ax.plot(trials, curve["error"].values, color="C3", label="error")
    ax.set_xlabel("trial")
    ax.set_ylabel("mean |z - target|", color="C3")
    twin = ax.twinx()
    twin.plot(trials, curve["accuracy"].values, color="C0", label="accuracy")
    twin.axhline(0.5, color="C0", linestyle=":", linewidth=1)
    twin.set_ylabel("fraction correct", color="C0")
    twin.set_ylim(0, 1.05)
    return _finish(fig, path), ax
