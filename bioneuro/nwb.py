"""Export results to Neurodata Without Borders (NWB 2) files with pynwb.

Mapping of a bioneuro Dataset (`bioneuro.results`) onto an ``NWBFile``:

- spikes -> the ``units`` table, one unit per neuron of the populations whose spikes were
  recorded, with columns ``neuron_id``, ``population``, ``region``, ``cell_type`` and
  ``index`` (within the population);
- state traces -> one ``TimeSeries`` per state variable in the processing module
  ``simulation`` (columns are the recorded neurons, listed in the ``recorded_neurons``
  table), population rates -> ``TimeSeries`` ``population_rate``;
- connectivity (``recording.connectivity``) -> the ``synapses`` table (pre, post,
  projection, weight);
- the experiment spec (JSON) -> ``experiment_description``; the provenance attributes ->
  ``notes`` (JSON); ``session_id`` is the experiment's content hash.

Times are seconds from the start of the run (a continued run starts at its
``t_start_s``). Requires the ``interchange`` extra (pynwb, nwbinspector).

References
----------
Rübel O et al. (2022) The Neurodata Without Borders ecosystem for neurophysiological data
science. eLife 11:e78362. https://doi.org/10.7554/eLife.78362
"""

import datetime
import json
import uuid
from pathlib import Path

import numpy as np

from bioneuro.errors import ResultFileError, SpecError

__all__ = ["to_nwb"]

#: variables of a result file that are not state traces on (time, recorded_neuron)
_TRACE_DIMS = ("time", "recorded_neuron")


def _require_pynwb():
    try:
        import pynwb  # noqa: F401
    except ImportError:
        raise ImportError("NWB export needs pynwb: pip install 'bioneuro[interchange]'") \
            from None


def _spike_populations(ds):
    """Populations whose spikes the run recorded (from the experiment spec in the file)."""
    pops = list(dict.fromkeys(ds.population.values.tolist()))
    spec = json.loads(ds.attrs.get("experiment", "{}"))
    spikes = spec.get("recording", {}).get("spikes", "all")
    return pops if spikes == "all" else [p for p in pops if p in spikes]


def _session_start(ds):
    created = ds.attrs.get("created")
    if created:
        return datetime.datetime.fromisoformat(created)
    return datetime.datetime.now(datetime.timezone.utc)


def _units_table(ds, nwbfile):
    """Add one unit per neuron of the spike-recorded populations, spike times in bulk."""
    from hdmf.common import VectorData, VectorIndex
    from pynwb.misc import Units

    neurons = np.flatnonzero(np.isin(ds.population.values, _spike_populations(ds)))
    times = ds.spike_time.values
    ids = ds.spike_neuron.values.astype(np.int64)
    keep = np.isin(ids, neurons)
    times, ids = times[keep], ids[keep]
    order = np.lexsort((times, ids))
    counts = np.bincount(np.searchsorted(neurons, ids), minlength=len(neurons))
    spike_times = VectorData(name="spike_times", data=times[order],
                             description="spike times (s) of each unit")
    index = VectorIndex(name="spike_times_index", data=np.cumsum(counts).astype(np.int64),
                        target=spike_times)
    columns = [spike_times, index]
    for name, values, description in (
            ("neuron_id", neurons, "neuron id in the bioneuro result file"),
            ("population", ds.population.values[neurons], "population"),
            ("region", ds.region.values[neurons], "brain region"),
            ("cell_type", ds.cell_type.values[neurons], "cell type"),
            ("index", ds["index"].values[neurons], "index within the population")):
        data = values.astype(str) if values.dtype.kind in "OUS" else values.astype(np.int64)
        columns.append(VectorData(name=name, data=data, description=description))
    # spikes fall on the simulation's time grid
    nwbfile.units = Units(name="units", id=neurons.astype(np.int64), columns=columns,
                          description="simulated neurons (one unit per neuron)",
                          resolution=float(ds.attrs.get("dt_s", 1e-4)))


def _time_series(name, values, times, units, description):
    """A TimeSeries with a sampling rate when `times` are regular (NWB best practice)."""
    from pynwb import TimeSeries

    steps = np.diff(times)
    regular = len(times) > 1 and np.allclose(steps, steps[0], rtol=1e-9, atol=0)
    timing = {"starting_time": float(times[0]), "rate": float(1 / steps[0])} if regular \
        else {"timestamps": np.asarray(times, dtype=float)}
    return TimeSeries(name=name, data=values, unit=units or "n.a.",
                      description=description, **timing)


def _traces(ds, module):
    """State traces, population rates and the recorded-neuron table."""
    from hdmf.common import DynamicTable, VectorData

    if "time" in ds.dims and ds.sizes["time"]:
        ids = ds.recorded_neuron.values
        module.add(DynamicTable(name="recorded_neurons", description="columns of the state "
                                "traces", id=np.arange(len(ids)), columns=[
                                    VectorData(name="neuron_id", data=ids.astype(np.int64),
                                               description="neuron id"),
                                    VectorData(name="population",
                                               data=ds.population.values[ids].astype(str),
                                               description="population")]))
        for name, var in ds.data_vars.items():
            if var.dims == _TRACE_DIMS:
                module.add(_time_series(name, var.values, ds.time.values,
                                        var.attrs.get("units"),
                                        f"{var.attrs.get('long_name', name)}; columns: the "
                                        "rows of recorded_neurons"))
    if "population_rate" in ds and ds.sizes["rate_time"]:
        pops = ", ".join(ds.rate_population.values.astype(str))
        module.add(_time_series("population_rate", ds.population_rate.values,
                                ds.rate_time.values, "Hz",
                                f"instantaneous population rate; columns: {pops}"))


def _synapses(ds, module):
    from hdmf.common import DynamicTable, VectorData

    if "synapse_pre" not in ds.coords:
        return
    columns = [VectorData(name=name, data=data, description=description)
               for name, data, description in (
                   ("pre", ds.synapse_pre.values.astype(np.int64), "presynaptic neuron id"),
                   ("post", ds.synapse_post.values.astype(np.int64), "postsynaptic neuron id"),
                   ("projection", ds.synapse_projection.values.astype(str), "projection"),
                   ("weight", ds.weight.values.astype(float),
                    f"weight at the end of the run ({ds.weight.attrs.get('units', '')})"))]
    if "synapse_weight_units" in ds.coords:
        columns.append(VectorData(name="weight_unit",
                                  data=ds.synapse_weight_units.values.astype(str),
                                  description="unit of the weight column, per synapse"))
    module.add(DynamicTable(name="synapses", description="synapses of the circuit",
                            id=np.arange(ds.sizes["synapse"]), columns=columns))


def to_nwb(ds, path, institution=None, experimenter=None, subject=None):
    """Write the results `ds` (or a result file) to an NWB file.

    Parameters
    ----------
    ds : xarray.Dataset or path
        Results of `bioneuro.run` (or the path of a result file).
    path : str or Path
        The ``.nwb`` file to write (written to a temporary name, then renamed).
    institution, experimenter : str, optional
        NWB metadata.
    subject : pynwb.file.Subject, optional
        The animal a model stands for, if any. A simulation has none by default, so
        nwbinspector reports its one animal-specific check, ``check_subject_exists``.

    Returns
    -------
    Path
    """
    _require_pynwb()
    from pynwb import NWBHDF5IO, NWBFile

    from bioneuro import __version__
    from bioneuro.storage import load

    if not hasattr(ds, "attrs"):
        ds = load(ds)
    if "bioneuro_format" not in ds.attrs:
        raise ResultFileError("not a bioneuro result (attribute 'bioneuro_format' missing)")
    path = Path(path)
    if path.suffix != ".nwb":
        raise SpecError("output", str(path), "a file name ending in .nwb")
    provenance = {k: v.item() if hasattr(v, "item") else v for k, v in ds.attrs.items()
                  if k not in ("experiment", "final_state_structure")}
    nwbfile = NWBFile(
        session_description=ds.attrs.get("title", "bioneuro simulation"),
        identifier=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bioneuro:{ds.attrs.get('experiment_hash')}:"
                                  f"{ds.attrs.get('seed')}:{ds.attrs.get('created')}")),
        session_start_time=_session_start(ds),
        session_id=str(ds.attrs.get("experiment_hash", "")),
        experiment_description=ds.attrs.get("experiment", ""),
        notes=json.dumps(provenance, default=str),
        source_script=f"bioneuro {__version__} (Brian2 {ds.attrs.get('brian2_version', '')})",
        source_script_file_name="bioneuro",
        institution=institution, experimenter=experimenter,
        keywords=["simulation", "bioneuro", "Brian2"], subject=subject)
    _units_table(ds, nwbfile)
    module = nwbfile.create_processing_module(
        "simulation", f"simulated recordings of experiment '{ds.attrs.get('experiment_name')}'"
        f" on {ds.attrs.get('device')}")
    _traces(ds, module)
    _synapses(ds, module)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.nwb")
    try:
        with NWBHDF5IO(str(tmp), "w") as io:
            io.write(nwbfile)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
