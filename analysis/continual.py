"""Sequential-task (continual learning) scores: probe accuracy per task, retention, and the
mean rate of a learning phase.

The Dataset holds rate traces of the output neurons (a state variable, ``r`` by default)
and a schedule of presentations (``epoch_*`` variables, e.g. from
`bioneuro.protocols.labelled_patterns.LabelledPatterns`): each row's ``epoch_name`` is its
phase (``train_A``, ``probe_after_A``, ...) and its ``epoch_condition`` is
``"<task>:<output>"``, the task and the index (within the output population) of the output
that should respond most. A probe row is correct when that output has the highest mean rate
over the last part of the row. Retention of a task (French 1999; the ratio of performance
after and before the interfering training, e.g. Zenke, Poole & Ganguli 2017):
``accuracy(task, after the later phase) / accuracy(task, after its own training)``.

References
----------
French (1999) Catastrophic forgetting in connectionist networks, Trends Cogn Sci 3:128.
doi:10.1016/S1364-6613(99)01294-2
Zenke, Poole & Ganguli (2017) Continual learning through synaptic intelligence, ICML,
PMLR 70:3987.
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._traces import population_traces

__all__ = ["probe_responses", "task_performance", "retention", "phase_mean_rate"]


def _output_traces(ds, variable, population):
    traces = population_traces(ds, variable, population)
    index = ds["index"].sel(neuron=traces["recorded_neuron"].values).values
    return traces.assign_coords(output=("recorded_neuron", index)).swap_dims(
        recorded_neuron="output")


def _rows(ds, phases):
    for name in ("epoch_name", "epoch_condition", "epoch_start", "epoch_stop"):
        if name not in ds.variables:
            raise ValueError(f"ds: no {name} (a dataset with a schedule of labelled rows is "
                             "needed)")
    names = np.asarray(ds["epoch_name"].values).astype(str)
    keep = np.isin(names, list(phases))
    return (names[keep], np.asarray(ds["epoch_condition"].values).astype(str)[keep],
            np.asarray(ds["epoch_start"].values, float)[keep],
            np.asarray(ds["epoch_stop"].values, float)[keep])


def probe_responses(ds, phases, variable="r", population="output", settle=0.5):
    """Mean output rates of each row of the `phases`, over its last ``1 - settle`` part.

    Parameters
    ----------
    ds : xarray.Dataset
    phases : sequence of str
        Epoch names whose rows are scored.
    variable : str
        Recorded rate variable.
    population : str
        Output population.
    settle : float
        Fraction of each row skipped at its start (transient), in [0, 1).

    Returns
    -------
    xarray.DataArray
        (``row``, ``output``) in the units of `variable`; coordinates ``phase``, ``task``,
        ``target`` (output index) on ``row``.
    """
    if not 0 <= settle < 1:
        raise ValueError(f"settle: got {settle!r}; expected a fraction in [0, 1)")
    traces = _output_traces(ds, variable, population)
    names, conditions, starts, stops = _rows(ds, phases)
    if not len(names):
        raise ValueError(f"phases: none of {list(phases)} in the schedule (epoch names: "
                         f"{sorted(set(np.asarray(ds['epoch_name'].values).astype(str)))})")
    time = traces["time"].values
    values = np.asarray(traces.transpose("time", "output").values, float)
    # sample i holds the rate during [time[i], time[i] + dt)
    first = np.searchsorted(time, starts + settle * (stops - starts) - 1e-12)
    last = np.searchsorted(time, stops - 1e-12)
    means = np.array([values[a:b].mean(axis=0) for a, b in zip(first, last, strict=True)])
    try:
        task, target = zip(*(c.split(":") for c in conditions), strict=True)
        target = np.asarray(target, int)
    except ValueError:
        raise ValueError("ds: epoch_condition must read '<task>:<output index>', got "
                         f"{sorted(set(conditions))[:4]}") from None
    return xr.DataArray(
        means, dims=("row", "output"),
        coords={"output": traces["output"].values, "phase": ("row", names),
                "task": ("row", np.asarray(task)), "target": ("row", target)},
        attrs={"units": traces.attrs.get("units", ""),
               "long_name": f"mean {variable} of {population} per probe row"})


def task_performance(ds, probes=None, variable="r", population="output", settle=0.5):
    """Accuracy of each task in each probe phase.

    Parameters
    ----------
    ds : xarray.Dataset
    probes : sequence of str, optional
        Probe phases, in order (default: the epoch names starting with ``probe``, in
        schedule order).
    variable, population, settle
        As in `probe_responses`.

    Returns
    -------
    xarray.DataArray
        ``accuracy`` (``probe``, ``task``): fraction of rows whose target output responds
        most (dimensionless); attribute ``chance`` = 1 / number of outputs.
    """
    if probes is None:
        names = np.asarray(ds["epoch_name"].values).astype(str) if "epoch_name" in ds else []
        probes = [n for n in dict.fromkeys(names.tolist() if len(names) else [])
                  if n.startswith("probe")]
    responses = probe_responses(ds, probes, variable, population, settle)
    outputs = responses["output"].values
    correct = outputs[np.argmax(responses.values, axis=1)] == responses["target"].values
    tasks = list(dict.fromkeys(responses["task"].values.tolist()))
    phase, task = responses["phase"].values, responses["task"].values
    accuracy = np.array([[correct[(phase == p) & (task == t)].mean() if
                          np.any((phase == p) & (task == t)) else np.nan for t in tasks]
                         for p in probes])
    return xr.DataArray(accuracy, dims=("probe", "task"),
                        coords={"probe": list(probes), "task": tasks}, name="accuracy",
                        attrs={"units": "1", "chance": 1.0 / len(outputs),
                               "long_name": "fraction of probe rows classified correctly"})


def retention(accuracy, task, learned, later):
    """``accuracy(task, later) / accuracy(task, learned)`` (dimensionless DataArray).

    Parameters
    ----------
    accuracy : xarray.DataArray
        From `task_performance`.
    task : str
    learned, later : str
        Probe phases after the task's own training and after the later training.
    """
    before = accuracy.sel(probe=learned, task=task)
    if not float(before) > 0:
        raise ValueError(f"learned: accuracy of task {task!r} at {learned!r} is "
                         f"{float(before)}; retention needs a task that was learned")
    return xr.DataArray(float(accuracy.sel(probe=later, task=task)) / float(before),
                        name="retention",
                        attrs={"units": "1", "long_name": f"retention of task {task}"})


def phase_mean_rate(ds, phase, variable="r", population="output", last_fraction=0.5):
    """Mean rate of the `population` over the last `last_fraction` of a phase.

    Parameters
    ----------
    ds : xarray.Dataset
    phase : str
        Epoch name (its rows must be contiguous, e.g. a training block).
    last_fraction : float
        Fraction of the phase, counted back from its end, in (0, 1].

    Returns
    -------
    xarray.DataArray
        Per output neuron (``output``), in the units of `variable`.
    """
    if not 0 < last_fraction <= 1:
        raise ValueError(f"last_fraction: got {last_fraction!r}; expected (0, 1]")
    traces = _output_traces(ds, variable, population)
    _, _, starts, stops = _rows(ds, [phase])
    if not len(starts):
        raise ValueError(f"phase: {phase!r} is not in the schedule")
    t_start, t_stop = starts.min(), stops.max()
    t_from = t_stop - last_fraction * (t_stop - t_start)
    time = traces["time"].values
    window = (time >= t_from - 1e-12) & (time < t_stop - 1e-12)
    return traces.isel(time=window).mean("time").assign_attrs(
        units=traces.attrs.get("units", ""),
        long_name=f"mean {variable} over the last {last_fraction:g} of {phase}")
