"""Recorded state traces of one population, shared by the analysis families."""

import numpy as np

__all__ = ["population_traces"]


def population_traces(ds, variable, population):
    """`variable` (on ``time`` x ``recorded_neuron``) of the recorded neurons of `population`.

    Raises ValueError naming the variable or the population (and the recorded ones) when
    the Dataset has no such trace or no recorded neuron of that population.
    """
    if variable not in ds.data_vars or "time" not in ds[variable].dims:
        raise ValueError(f"variable: {variable!r} is not a state trace of the dataset (state "
                         f"variables: {sorted(v for v in ds.data_vars if 'time' in ds[v].dims)})")
    pops = np.asarray(ds["recorded_population"].values).astype(str)
    pick = np.flatnonzero(pops == population)
    if not pick.size:
        raise ValueError(f"population: no recorded neuron of {population!r} (recorded: "
                         f"{', '.join(sorted(set(pops.tolist())))})")
    return ds[variable].isel(recorded_neuron=pick)
