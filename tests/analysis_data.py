"""Hand-made result datasets (the layout of bioneuro.results) for the analysis tests."""

import numpy as np
import xarray as xr


def spikes_dataset(spikes, populations, duration=1.0, regions=None):
    """A minimal result: `spikes` maps neuron id -> spike times (s)."""
    times = np.concatenate([np.asarray(t, float) for t in spikes.values()] or [[]])
    neurons = np.concatenate([np.full(len(t), n) for n, t in spikes.items()] or [[]])
    order = np.lexsort((neurons, times))
    pops = np.array(populations, dtype=object)
    index = np.zeros(len(pops), int)
    for pop in set(pops.tolist()):
        index[pops == pop] = np.arange((pops == pop).sum())
    coords = {"neuron": np.arange(len(pops)), "population": ("neuron", pops),
              "index": ("neuron", index)}
    if regions is not None:
        coords["region"] = ("neuron", np.array(regions, dtype=object))
    return xr.Dataset(
        {"spike_time": ("spike", times[order], {"units": "s"}),
         "spike_neuron": ("spike", neurons[order].astype(np.int32))},
        coords=coords, attrs={"duration_s": float(duration), "bioneuro_format": 1})


def poisson_train(rng, rate, duration, refractory=0.0):
    """Homogeneous Poisson spike times (s) at `rate` Hz on [0, duration)."""
    n = rng.poisson(rate * duration)
    t = np.sort(rng.uniform(0, duration, n))
    if refractory:
        keep = np.concatenate([[True], np.diff(t) > refractory])
        t = t[keep]
    return t


def poisson_dataset(seed=0, n=50, rate=20.0, duration=50.0, populations=None):
    rng = np.random.default_rng(seed)
    pops = populations or ["E"] * n
    return spikes_dataset({i: poisson_train(rng, rate, duration) for i in range(n)}, pops,
                          duration)


def with_epochs(ds, trials, conditions, onset0=0.5, period=1.0, stim=0.3):
    """Add a protocol schedule: each trial a 'baseline' then a 'stimulus' epoch."""
    rows = []
    for k in range(trials):
        start = onset0 + k * period
        rows.append((k, "baseline", conditions[k], start - 0.2, start))
        rows.append((k, "stimulus", conditions[k], start, start + stim))
    trial, name, cond, start, stop = map(np.array, zip(*rows, strict=True))
    return ds.assign(
        epoch_trial=("epoch", trial.astype(int)),
        epoch_name=("epoch", name.astype(object)),
        epoch_condition=("epoch", cond.astype(object)),
        epoch_start=("epoch", start.astype(float), {"units": "s"}),
        epoch_stop=("epoch", stop.astype(float), {"units": "s"}))


def network_dataset(duration=2.0):
    """30 E and 10 I Poisson neurons with v and w traces of 2 E neurons (ids 0 and 1)."""
    ds = poisson_dataset(seed=31, n=40, rate=10.0, duration=duration,
                         populations=["E"] * 30 + ["I"] * 10)
    ds = ds.assign_coords(region=("neuron", ["cortex"] * 40))
    time = np.arange(0, duration, 0.001)
    v = -0.065 + 0.005 * np.sin(2 * np.pi * 5 * time)[:, None] * np.array([1.0, 0.5])
    w = 1e-11 * np.cumsum(np.ones((len(time), 2)), axis=0) / len(time)
    return ds.assign(
        v=(("time", "recorded_neuron"), v, {"units": "V"}),
        w=(("time", "recorded_neuron"), w, {"units": "A"})).assign_coords(
        time=("time", time, {"units": "s"}), recorded_neuron=[0, 1])
