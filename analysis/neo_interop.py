"""Conversion between result Datasets and Neo ``SpikeTrain`` lists (for Elephant).

Neo is optional: install it (``pip install neo elephant``) to use these functions.
"""

import numpy as np
import xarray as xr
from bioneuro.analysis._spikes import neuron_coords, spike_positions
from bioneuro.analysis._time import recording_window

__all__ = ["to_neo", "from_neo"]


def _neo():
    try:
        import neo
        import quantities as pq
    except ImportError:
        raise ImportError("bioneuro.analysis.to_neo/from_neo need the 'neo' package "
                          "(pip install neo elephant)") from None
    return neo, pq


def to_neo(ds, t_start=None, t_stop=None, neurons=None):
    """Spikes of a result Dataset as Neo spike trains, one per neuron.

    Parameters
    ----------
    ds : xarray.Dataset
    t_start, t_stop : float (s) or Quantity, optional
        Window (default: the whole run); becomes each train's ``t_start``/``t_stop``.
    neurons : array of int, optional
        Neuron ids to convert (default: every neuron, silent ones included).

    Returns
    -------
    list of neo.SpikeTrain
        ``spiketrains`` in seconds, in the order of `neurons`, annotated with ``neuron``
        (id) and the neuron coordinates (``population``, ``region``, ``cell_type``,
        ``index``).

    Raises
    ------
    ImportError
        If neo is not installed.
    """
    neo, pq = _neo()
    start, stop = recording_window(ds, t_start, t_stop)
    t, pos = spike_positions(ds, start, stop)
    coords = neuron_coords(ds)
    ids = coords["neuron"][1]
    chosen = np.arange(len(ids)) if neurons is None else \
        np.array([int(np.flatnonzero(ids == n)[0]) for n in np.atleast_1d(neurons)], int)
    order = np.argsort(pos, kind="stable")
    bounds = np.searchsorted(pos[order], np.arange(len(ids) + 1))
    spiketrains = []
    for p in chosen:
        times = np.sort(t[order[bounds[p]:bounds[p + 1]]])
        notes = {k: v[1][p].item() if hasattr(v[1][p], "item") else v[1][p]
                 for k, v in coords.items()}
        spiketrains.append(neo.SpikeTrain(times * pq.s, t_start=start * pq.s,
                                          t_stop=stop * pq.s, **notes))
    return spiketrains


def from_neo(spiketrains, populations=None):
    """A minimal result Dataset from Neo spike trains (neuron ids = list positions).

    Parameters
    ----------
    spiketrains : list of neo.SpikeTrain
    populations : list of str, optional
        Population of each train (default: its ``population`` annotation, else ``"all"``).

    Returns
    -------
    xarray.Dataset
        ``spike_time`` (s), ``spike_neuron``, ``neuron`` with ``population``; attribute
        ``duration_s`` = the latest ``t_stop`` (windows start at the earliest ``t_start``
        stored as attribute ``t_start_s``).
    """
    _neo()
    times = [np.asarray(st.rescale("s").magnitude, float) for st in spiketrains]
    if populations is None:
        populations = [st.annotations.get("population", "all") for st in spiketrains]
    t = np.concatenate(times) if times else np.zeros(0)
    n = np.concatenate([np.full(len(x), k) for k, x in enumerate(times)]) if times \
        else np.zeros(0, int)
    order = np.lexsort((n, t))
    return xr.Dataset(
        {"spike_time": ("spike", t[order], {"units": "s", "long_name": "spike time"}),
         "spike_neuron": ("spike", n[order].astype(np.int32), {"long_name": "neuron id"})},
        coords={"neuron": np.arange(len(times)),
                "population": ("neuron", np.asarray(populations, dtype=object))},
        attrs={"duration_s": max((float(st.t_stop.rescale("s")) for st in spiketrains),
                                 default=0.0),
               "t_start_s": min((float(st.t_start.rescale("s")) for st in spiketrains),
                                default=0.0)})
