"""Measures of the standard model characterisation (`bioneuro.characterise`).

The characterisation run holds a ``step`` population (one neuron per step amplitude, in
amplitude order) and, per synaptic channel ``c``, a one-neuron ``psp_c`` population hit by one
presynaptic spike. Its protocol timing is stored as JSON in ``ds.attrs["characterisation"]``
(``t_on``, ``t_off``, ``psp_time`` in s and the name of the ``voltage`` variable; an empty
``voltage`` means a rate model whose output ``r`` is recorded instead of spikes).

Measures (all labelled, with ``units``):

- on the ``amplitude`` dimension (coordinate ``step_amplitude``): ``fi_rate`` (spikes in the
  step / step duration), ``fi_first_rate`` and ``fi_last_rate`` (inverse first and last
  inter-spike interval in the step; 0 with fewer than two spikes), ``first_spike_latency``
  (from step onset; NaN without a spike) and ``rebound_spikes`` (spikes after the step);
  for rate models ``fi_rate`` is the mean output rate over the last fifth of the step;
- on the ``channel`` dimension: ``psp_peak`` (signed peak deviation of the membrane potential
  from its value at the presynaptic spike) and ``psp_peak_time`` (time from the spike to the
  peak).
"""

import json

import numpy as np

__all__ = ["characterisation_measures", "plot_characterisation"]


def _protocol(ds):
    try:
        return json.loads(ds.attrs["characterisation"])
    except KeyError:
        raise ValueError("ds: not a characterisation run (no 'characterisation' attribute); "
                         "expected the Dataset returned by bioneuro.characterise") from None


def _population_ids(ds, name):
    ids = np.flatnonzero(ds["population"].values == name)
    if ids.size == 0:
        raise ValueError(f"ds: no population '{name}' in the characterisation run")
    return ids


def _spike_measures(ds, ids, t_on, t_off):
    t = ds["spike_time"].values
    n = ds["spike_neuron"].values
    out = {key: np.zeros(ids.size) for key in ("rate", "first", "last", "rebound")}
    out["latency"] = np.full(ids.size, np.nan)
    for k, nid in enumerate(ids):
        times = t[n == nid]
        inside = times[(times >= t_on) & (times < t_off)]
        out["rate"][k] = inside.size / (t_off - t_on)
        if inside.size:
            out["latency"][k] = inside[0] - t_on
        if inside.size >= 2:
            isi = np.diff(inside)
            out["first"][k], out["last"][k] = 1.0 / isi[0], 1.0 / isi[-1]
        out["rebound"][k] = np.count_nonzero(times >= t_off)
    return out


def _rate_model_measures(ds, ids, t_on, t_off):
    time = ds["time"].values
    window = (time >= t_off - 0.2 * (t_off - t_on)) & (time < t_off)
    r = ds["r"].sel(recorded_neuron=ids).values
    return r[window].mean(axis=0)


def _psp_measures(ds, voltage, psp_time):
    channels = sorted(p[len("psp_"):] for p in np.unique(ds["population"].values)
                      if str(p).startswith("psp_"))
    peaks, peak_times = [], []
    time = ds["time"].values
    for channel in channels:
        nid = _population_ids(ds, f"psp_{channel}")[0]
        v = ds[voltage].sel(recorded_neuron=nid).values
        start = np.searchsorted(time, psp_time)
        dev = v[start:] - v[start]
        k = int(np.argmax(np.abs(dev)))
        peaks.append(dev[k])
        peak_times.append(time[start + k] - time[start])
    return channels, np.asarray(peaks), np.asarray(peak_times)


def characterisation_measures(ds, amplitudes, amplitude_units):
    """Add the characterisation measures to the Dataset of a characterisation run.

    Parameters
    ----------
    ds : xarray.Dataset
        Result of the `bioneuro.characterisation_experiment` run, with its protocol attribute.
    amplitudes : array_like
        Step amplitude of each ``step`` neuron, in SI units, in neuron order.
    amplitude_units : str
        Display units of the amplitudes (e.g. ``"pA"``, ``"uA/cm**2"``); the values stay SI
        and the ``units`` attribute names the SI unit of that dimension.

    Returns
    -------
    xarray.Dataset
        A copy of `ds` with the measures listed in the module docstring.
    """
    proto = _protocol(ds)
    t_on, t_off = float(proto["t_on"]), float(proto["t_off"])
    ids = _population_ids(ds, "step")
    amplitudes = np.asarray(amplitudes, dtype=float)
    if amplitudes.shape != ids.shape:
        raise ValueError(f"amplitudes: got {amplitudes.size} values for {ids.size} step "
                         "neurons; expected one per neuron")
    out = ds.copy()
    out = out.assign_coords(step_amplitude=("amplitude", amplitudes, {
        "units": _si_units(amplitude_units), "display_units": amplitude_units,
        "long_name": "step current amplitude"}))
    attrs = {"t_start": t_on, "t_stop": t_off}
    if proto.get("voltage"):
        m = _spike_measures(ds, ids, t_on, t_off)
        out["fi_rate"] = ("amplitude", m["rate"], {"units": "Hz", "long_name":
                          "mean firing rate during the step", **attrs})
        out["fi_first_rate"] = ("amplitude", m["first"], {"units": "Hz", "long_name":
                                "inverse first inter-spike interval", **attrs})
        out["fi_last_rate"] = ("amplitude", m["last"], {"units": "Hz", "long_name":
                               "inverse last inter-spike interval", **attrs})
        out["first_spike_latency"] = ("amplitude", m["latency"], {
            "units": "s", "long_name": "first spike latency from step onset"})
        out["rebound_spikes"] = ("amplitude", m["rebound"], {
            "units": "1", "long_name": "spikes after the step offset"})
        channels, peaks, peak_times = _psp_measures(ds, proto["voltage"], proto["psp_time"])
        if channels:
            out = out.assign_coords(channel=("channel", np.array(channels, dtype=object)))
            out["psp_peak"] = ("channel", peaks, {
                "units": ds[proto["voltage"]].attrs.get("units", ""),
                "long_name": "peak deviation of the membrane potential after one spike"})
            out["psp_peak_time"] = ("channel", peak_times, {
                "units": "s", "long_name": "time from presynaptic spike to PSP peak"})
    else:
        out["fi_rate"] = ("amplitude", _rate_model_measures(ds, ids, t_on, t_off), {
            "units": "Hz", "long_name": "output rate at the end of the step", **attrs})
    return out


def _si_units(display):
    """SI unit string of a display unit (current or current density)."""
    return "A/m**2" if "/" in display else "A"


def plot_characterisation(ds, path=None):
    """Figure of a characterisation: step responses, f-I curve and PSPs.

    Parameters
    ----------
    ds : xarray.Dataset
        Output of `bioneuro.characterise`.
    path : str or Path, optional
        Save the figure there (PNG, SVG, PDF by suffix).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    proto = _protocol(ds)
    voltage = proto.get("voltage") or "r"
    scale, display = _display_scale(ds["step_amplitude"].attrs["display_units"])
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), layout="constrained")
    ids = _population_ids(ds, "step")
    traced = [nid for nid in ds["recorded_neuron"].values if nid in set(ids)]
    units = ds[voltage].attrs.get("units", "")
    vscale = 1e3 if units == "V" else 1.0
    vunits = "mV" if units == "V" else units
    for nid in traced:
        k = int(np.flatnonzero(ids == nid)[0])
        amp = ds["step_amplitude"].values[k] * scale
        axes[0].plot(ds["time"].values * 1e3, ds[voltage].sel(recorded_neuron=nid).values
                     * vscale, lw=0.8, label=f"{amp:.3g} {display}")
    axes[0].set(xlabel="time (ms)", ylabel=f"{voltage} ({vunits})", title="step responses")
    axes[0].legend(fontsize=7)
    amps = ds["step_amplitude"].values * scale
    axes[1].plot(amps, ds["fi_rate"].values, "o-", label="mean")
    if "fi_first_rate" in ds:
        axes[1].plot(amps, ds["fi_first_rate"].values, "^--", label="first ISI")
        axes[1].plot(amps, ds["fi_last_rate"].values, "v--", label="last ISI")
    axes[1].set(xlabel=f"step amplitude ({display})", ylabel="rate (Hz)", title="f-I curve")
    axes[1].legend(fontsize=7)
    if "channel" in ds.dims:
        t0 = float(proto["psp_time"])
        time = ds["time"].values
        window = (time >= t0 - 0.005) & (time < t0 + 0.2)
        for channel in ds["channel"].values:
            nid = _population_ids(ds, f"psp_{channel}")[0]
            v = ds[voltage].sel(recorded_neuron=nid).values[window]
            axes[2].plot((time[window] - t0) * 1e3, (v - v[0]) * vscale, label=str(channel))
        axes[2].set(xlabel="time after spike (ms)", ylabel=f"PSP ({vunits})", title="PSPs")
        axes[2].legend(fontsize=7)
    else:
        axes[2].set_axis_off()
    fig.suptitle(ds.attrs.get("experiment", "characterisation"))
    if path is not None:
        fig.savefig(path)
    return fig


def _display_scale(display):
    """Factor from SI to the display unit of the amplitudes."""
    factors = {"pA": 1e12, "nA": 1e9, "uA": 1e6, "mA": 1e3, "A": 1.0,
               "uA/cm**2": 1e2, "mA/cm**2": 1e-1, "nA/cm**2": 1e5, "A/m**2": 1.0}
    if display not in factors:
        return 1.0, _si_units(display)
    return factors[display], display
