"""Spike-pairing protocols for plasticity rules (STDP windows, frequency dependence).

Each condition is one synapse between a presynaptic spike source and a postsynaptic
*clamped spiker*, a neuron whose spikes are imposed (as in a pairing experiment where the
postsynaptic cell is made to fire by current injection) and which receives the synapse's
output in a passive variable. The presynaptic neuron fires ``n_pairs`` spikes at
``frequency`` starting at ``t_post - delta_t``, the postsynaptic one at the same frequency
from ``t_post``; ``delta_t = t_post - t_pre``. All frequencies of a protocol run in one
experiment (one projection per frequency, one synapse per ``delta_t``), so a compiled build
serves the whole protocol.
"""

import numpy as np
import xarray as xr
from bioneuro.models.spike_sources import periodic_source
from brian2.units import Hz, ms, second

from bioneuro.errors import SpecError
from bioneuro.spec import Circuit, Experiment, NeuronModel, Population, Projection, Recording

__all__ = ["clamped_spiker", "pairing_circuit_parts", "pairing_experiment",
           "pairing_weight_change"]

#: spikes at imposed times (like `periodic_source`) plus a passive synaptic input variable
clamped_spiker = NeuronModel(
    name="clamped_spiker",
    equations="\n".join([periodic_source.equations, "g_in : siemens", "I_in : amp"]),
    parameters=dict(periodic_source.parameters),
    threshold=periodic_source.threshold,
    reset=periodic_source.reset,
    method="euler",
    synaptic_targets={"g": "g_in", "i": "I_in"},
    voltage="",
    description="Neuron with imposed regular spikes and passive synaptic input variables "
                "(conductance g_in, current I_in): the postsynaptic side of a pairing.",
    tags=("source", "protocol"),
)


def _grid(value, dt):
    return np.round(np.asarray(value / second) / float(dt / second)) * float(dt / second)


def pairing_circuit_parts(synapse, delta_t, frequencies, n_pairs, weight, *, target="g",
                          parameters=None, t_post=200 * ms, dt=0.1 * ms, prefix="pairing"):
    """Populations and projections of a pairing protocol, and its duration.

    Parameters
    ----------
    synapse : SynapseModel or str
        The plasticity rule.
    delta_t : Quantity (array)
        Evenly spaced spike-time differences ``t_post - t_pre``, rounded to the grid `dt`.
    frequencies : Quantity (array)
        Pairing frequencies (one projection ``<prefix>_<k>`` each).
    n_pairs : int
        Number of pairings.
    weight : Quantity
        Initial weight (in the unit of `target`).
    target : {"g", "i"}
        Conductance or current input of the postsynaptic clamped spiker.
    parameters : mapping, optional
        Overrides of the rule's parameters.
    t_post : Quantity
        First postsynaptic spike (after the earliest presynaptic one).
    prefix : str
        Prefix of the population and projection names (several protocols in one circuit).

    Returns
    -------
    populations : list of Population
    projections : list of Projection
    duration : Quantity
        Time needed by the slowest frequency (plus 200 ms).
    """
    delta = _grid(np.atleast_1d(delta_t), dt)
    freqs = np.atleast_1d(np.asarray(frequencies / Hz, dtype=float))
    first = float(_grid(t_post, dt))
    if first - delta.max() < 0:
        raise SpecError("pairing.t_post", t_post, f"a time >= max(delta_t) = {delta.max()} s")
    if n_pairs < 1:
        raise SpecError("pairing.n_pairs", n_pairs, "an integer >= 1")
    populations, projections = [], []
    for k, freq in enumerate(freqs):
        common = {"period": _grid(1 / freq * second, dt) * second, "n_spikes": int(n_pairs)}
        pre, post = f"{prefix}_pre_{k}", f"{prefix}_post_{k}"
        populations.append(Population(pre, periodic_source, len(delta), {
            **common, "t_first": _values((first - delta) * second)}))
        populations.append(Population(post, clamped_spiker, len(delta), {
            **common, "t_first": first * second}))
        projections.append(Projection(f"{prefix}_{k}", pre, post, target, "one_to_one",
                                      weight, synapse=synapse,
                                      parameters=dict(parameters or {})))
    longest = max(float(_grid(1 / f * second, dt)) for f in freqs)
    return populations, projections, (first + n_pairs * longest + 0.2) * second


def pairing_experiment(synapse, delta_t, frequencies, n_pairs, weight, *, name="pairing",
                       **options):
    """An experiment running one pairing protocol (see `pairing_circuit_parts`).

    Records the final weights (``recording.connectivity``); read them with
    `pairing_weight_change`.
    """
    pops, projs, duration = pairing_circuit_parts(synapse, delta_t, frequencies, n_pairs,
                                                  weight, prefix=name, **options)
    return Experiment(name, Circuit(name, tuple(pops), tuple(projs)),
                      recording=Recording(spikes=(), connectivity=True),
                      duration=duration, dt=options.get("dt", 0.1 * ms))


def _values(times):
    """Per-neuron times as a distribution (evenly spaced: linspace; one value: constant)."""
    values = np.asarray(times / second)
    if len(values) == 1:
        return values[0] * second
    if not np.allclose(np.diff(values), values[1] - values[0], atol=1e-12):
        raise SpecError("pairing.delta_t", values.tolist(), "evenly spaced time differences")
    return {"kind": "linspace", "start": values[0] * second, "stop": values[-1] * second}


def pairing_weight_change(ds, delta_t, frequencies, weight, prefix="pairing"):
    """Relative weight change ``w_final/w_0 - 1`` on (``frequency``, ``delta_t``) dims.

    Parameters
    ----------
    ds : xarray.Dataset
        Result of a run with ``recording.connectivity``.
    delta_t, frequencies, weight, prefix : as given to `pairing_circuit_parts`
    """
    dt = ds.attrs["dt_s"]
    delta = _grid(np.atleast_1d(delta_t), dt * second)
    freqs = np.atleast_1d(np.asarray(frequencies / Hz, dtype=float))
    w0 = float(np.asarray(weight))
    change = np.empty((len(freqs), len(delta)))
    for k in range(len(freqs)):
        sel = ds["synapse_projection"].values == f"{prefix}_{k}"
        order = np.argsort(ds["synapse_pre"].values[sel])
        change[k] = ds["weight"].values[sel][order] / w0 - 1
    return xr.DataArray(change, dims=("frequency", "delta_t"),
                        coords={"frequency": ("frequency", freqs, {"units": "Hz"}),
                                "delta_t": ("delta_t", delta, {"units": "s"})},
                        name="relative_weight_change",
                        attrs={"units": "1", "long_name": "relative weight change"})
