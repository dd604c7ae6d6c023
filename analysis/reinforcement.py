"""Per-trial outcomes of closed-loop reinforcement-learning tasks.

The referee of a task (`bioneuro.models.task_referee`) keeps the choice and outcome of the last
trial in state variables; the built-in experiments record them once per trial period
(``state_dt = period``), the first sample (t = 0) before any decision. `trial_outcomes`
turns those traces into one row per trial.
"""

import numpy as np
import xarray as xr

__all__ = ["trial_outcomes", "OUTCOME_VARIABLES"]

#: state variables of the referees that describe a trial's outcome
OUTCOME_VARIABLES = ("choice", "rewarded", "reward", "delta", "prediction", "p_choose_b")


def trial_outcomes(ds, variables=None):
    """One row per trial of the referee's recorded outcome variables.

    Parameters
    ----------
    ds : xarray.Dataset
        A run of ``two_action_choice`` or ``actor_critic`` (state traces on ``time`` x
        ``recorded_neuron``, one referee neuron, sampled once per trial).
    variables : sequence of str, optional
        Default: those of `OUTCOME_VARIABLES` that were recorded.

    Returns
    -------
    xarray.Dataset
        On ``trial`` (0, 1, ...): each variable (units kept) and ``trial_sample_time`` (s),
        the time of the sample after the trial's decision.

    Raises
    ------
    ValueError
        If a variable is missing or was recorded from more than one neuron.
    """
    if variables is None:
        variables = [v for v in OUTCOME_VARIABLES if v in ds.data_vars]
    if not variables:
        raise ValueError(f"variables: none of {list(OUTCOME_VARIABLES)} in the dataset; "
                         f"pass the referee's recorded variables")
    data = {}
    for name in variables:
        if name not in ds.data_vars:
            raise ValueError(f"variables: {name!r} is not in the dataset (recorded: "
                             f"{sorted(ds.data_vars)})")
        trace = ds[name]
        if trace.dims != ("time", "recorded_neuron") or trace.sizes["recorded_neuron"] != 1:
            raise ValueError(f"variables: {name!r} has dims {dict(trace.sizes)}; expected a "
                             f"trace of one referee neuron on (time, recorded_neuron)")
        data[name] = ("trial", trace.values[1:, 0], dict(trace.attrs))
    times = np.asarray(ds["time"].values[1:], dtype=float)
    coords = {"trial": ("trial", np.arange(len(times)), {"long_name": "trial index"}),
              "trial_sample_time": ("trial", times,
                                    {"units": "s", "long_name": "sample after the decision"})}
    return xr.Dataset(data, coords=coords)
