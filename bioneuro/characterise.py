"""Standard characterisation of a neuron model or cell type: current steps, f-I curve, PSPs.

One simulation characterises a model (one build on a standalone device, reused for every
model variant with the same equations):

- ``step`` population: ``n_amplitudes`` copies of the model, each with a current step of its
  own amplitude (``I_step`` swept by a `Linspace`) during ``[t_on, t_off)``. Spikes give the
  f-I curve (mean, first-interval and last-interval rates) and the rebound after the step;
  the membrane potential of a few copies gives the step responses.
- ``psp_<channel>`` populations: one resting neuron per synaptic channel, hit by one
  presynaptic spike (a `periodic_source`) at ``psp_time``; the voltage deflection and the
  channel's response variable give the PSP shape.

The measures (`bioneuro.analysis.characterisation`) are added to the returned Dataset, which
saves and loads like any run.
"""

import json

import numpy as np
from brian2.units import ms
from brian2.units.fundamentalunits import get_dimensions, get_unit

from bioneuro.distributions import Linspace
from bioneuro.errors import SpecError
from bioneuro.quantities import format_quantity, parse_quantity, si_value, unit_string
from bioneuro.spec import (
    Circuit,
    Experiment,
    Population,
    Projection,
    Recording,
    StateProbe,
    resolve_cell_or_model,
)

__all__ = ["characterise", "characterisation_experiment", "default_psp_weight"]

INHIBITORY_CHANNELS = ("i", "inh", "gaba_a", "gaba_b")


def default_psp_weight(unit, channel=""):
    """A small PSP weight for a target of `unit`: 50 pA, 1 nS, 1 uA/cm^2, 0.1 mS/cm^2, 0.5 mV
    or 0.5 (dimensionless, e.g. an alpha-kernel or NMDA gating variable).

    Current-based inputs are signed (NEST convention): the weight is negative for the
    inhibitory channels in `INHIBITORY_CHANNELS`. Raises `SpecError` for other units.
    """
    defaults = [parse_quantity(text, "psp_weight") for text in
                ("50 pA", "1 nS", "1 uA/cm**2", "0.1 mS/cm**2", "0.5 mV", "0.5")]
    table = {get_dimensions(q): q for q in defaults}
    dim = get_dimensions(unit)
    if dim not in table:
        raise SpecError("psp_weights", format_quantity(1 * unit),
                        "explicit psp_weights for targets of this unit")
    weight = table[dim]
    signed = dim in (get_dimensions(defaults[0]), get_dimensions(defaults[2]),
                     get_dimensions(defaults[4]))
    return -weight if signed and channel in INHIBITORY_CHANNELS else weight


def _response_variable(model, channel):
    """The variable whose time course is the channel's PSC/PSG (``g_x``/``I_x``)."""
    target = model.synaptic_targets[channel]
    if not target.startswith("x_"):
        return target
    units = model.variable_units()
    for prefix in ("g_", "I_"):
        if prefix + channel in units:
            return prefix + channel
    return target


def _resolve(item):
    base, cell = resolve_cell_or_model(item, "model")
    if "source" in base.tags:
        raise SpecError("model", base.name, "a neuron model (spike sources need no "
                        "characterisation)")
    return base, cell, (cell.name if cell is not None else base.name)


def _model_populations(base, cell, label, prefix, amplitudes, n_amplitudes, timing,
                       psp_weights, parameters, n_traces):
    """Populations, projections and probes characterising one model (names get `prefix`)."""
    from bioneuro.models.composition import compose
    from bioneuro.models.mechanisms import step_current

    t_on, t_off, psp_time = timing
    rng = tuple(amplitudes) if amplitudes is not None else (
        cell.current_range if cell is not None and cell.current_range else base.current_range)
    if not rng:
        raise SpecError("amplitudes", None, f"a (lowest, highest) step amplitude for {label} "
                        "(the model declares no current_range)")
    low, high = (parse_quantity(a, "amplitudes") for a in rng)
    overrides = {**(cell.parameters if cell is not None else {}), **dict(parameters or {})}
    initial = dict(cell.initial) if cell is not None else {}
    stepped = compose(base, step_current(low, t_on, t_off), name=f"{base.name}_step")
    step_params = {**overrides, "I_step": Linspace(low, high)}
    step = f"{prefix}step"
    pops = [Population(step, stepped, int(n_amplitudes), step_params, initial,
                       cell_type=label)]
    projections, probes = [], []
    watched = sorted({int(round(k)) for k in np.linspace(0, n_amplitudes - 1,
                                                         min(n_traces, n_amplitudes))})
    if base.voltage:
        probes.append(StateProbe(step, (base.voltage,), tuple(watched)))
    else:   # rate model: the output rate of every amplitude is the f-I curve
        probes.append(StateProbe(step, ("r",), "all"))
    psp_weights = dict(psp_weights or {})
    if "rate" not in base.tags:
        units = base.variable_units()
        for channel, target in base.synaptic_targets.items():
            weight = psp_weights.pop(channel, None)
            if weight is None:
                weight = default_psp_weight(units[target], channel)
            post, pre = f"{prefix}psp_{channel}", f"{prefix}spike_{channel}"
            pops.append(Population(post, base, 1, overrides, initial, cell_type=label))
            pops.append(Population(pre, "periodic_source", 1,
                                   {"t_first": psp_time, "n_spikes": 1}))
            projections.append(Projection(post, pre, post, channel, "one_to_one", weight))
            response = _response_variable(base, channel)
            probes.append(StateProbe(post, tuple(dict.fromkeys([base.voltage, response])),
                                     "all"))
    if psp_weights:
        raise SpecError("psp_weights", sorted(psp_weights),
                        f"channels of {base.name}: {', '.join(base.synaptic_targets)}")
    return pops, projections, probes, (low, high)


def characterisation_experiment(models, amplitudes=None, n_amplitudes=11, t_on=100 * ms,
                                t_off=600 * ms, after=300 * ms, psp_time=50 * ms,
                                psp_weights=None, parameters=None, dt=None, seed=0,
                                n_traces=5):
    """The `Experiment` that `characterise` runs.

    Parameters
    ----------
    models : str, NeuronModel, CellType or a list of them
        A model or cell type (or its registry name). With a list, one experiment holds every
        model (one build); the populations of model ``label`` are named ``<label>__step``,
        ``<label>__psp_<channel>``, ... .
    amplitudes : (Quantity, Quantity) or mapping of label to (Quantity, Quantity), optional
        Lowest and highest step amplitude (default: the cell's or model's ``current_range``).
    n_amplitudes : int
        Number of amplitudes (neurons) in the sweep.
    t_on, t_off : Quantity
        Step onset and offset.
    after : Quantity
        Simulated time after the step (rebound, recovery).
    psp_time : Quantity
        Time of the single presynaptic spike of the PSP populations.
    psp_weights : mapping of str to Quantity, optional
        Peak weight per channel (default: `default_psp_weight` of the target's unit); with a
        list of models, a mapping of label to such a mapping.
    parameters : mapping, optional
        Parameter overrides for every population of the model (with a list: per label).
    dt : Quantity, optional
        Time step (default 0.1 ms; 0.025 ms if any model is of Hodgkin-Huxley type).
    seed : int
    n_traces : int
        Number of step amplitudes whose membrane potential is recorded.
    """
    single = not isinstance(models, (list, tuple))
    resolved = [_resolve(item) for item in ([models] if single else models)]
    labels = [label for _, _, label in resolved]
    if len(set(labels)) != len(labels):
        raise SpecError("models", labels, "distinct models or cell types")
    if isinstance(n_amplitudes, bool) or int(n_amplitudes) != n_amplitudes or n_amplitudes < 2:
        raise SpecError("n_amplitudes", n_amplitudes, "an integer >= 2")
    t_on, t_off, after, psp_time = (parse_quantity(v, name, "second") for v, name in (
        (t_on, "t_on"), (t_off, "t_off"), (after, "after"), (psp_time, "psp_time")))
    if not 0 <= si_value(t_on) < si_value(t_off):
        raise SpecError("t_off", format_quantity(t_off), f"a time after t_on ({t_on})")

    def per_model(value, label, field_name):
        if single or value is None:
            return value
        if not isinstance(value, dict):
            raise SpecError(field_name, value, "a mapping of model/cell label to values "
                            "when several models are characterised")
        unknown = set(value) - set(labels)
        if unknown:
            raise SpecError(field_name, sorted(unknown), f"labels among {labels}")
        return value.get(label)

    pops, projections, probes, ranges = [], [], [], []
    for base, cell, label in resolved:
        p, pr, pb, rng = _model_populations(
            base, cell, label, "" if single else f"{label}__",
            per_model(amplitudes, label, "amplitudes"), n_amplitudes,
            (t_on, t_off, psp_time), per_model(psp_weights, label, "psp_weights"),
            per_model(parameters, label, "parameters"), n_traces)
        pops += p
        projections += pr
        probes += pb
        ranges.append(f"{label}: {format_quantity(rng[0])} to {format_quantity(rng[1])}")
    if dt is None:
        hh = any("hodgkin-huxley" in base.tags for base, _, _ in resolved)
        dt = 0.025 * ms if hh else 0.1 * ms
    duration = max(si_value(t_off + after), si_value(psp_time) + 0.3)
    name = f"characterise_{labels[0]}" if single else f"characterise_{len(labels)}_models"
    circuit = Circuit(name, tuple(pops), tuple(projections))
    return Experiment(
        name, circuit, recording=Recording(spikes="all", state=tuple(probes)),
        duration=f"{duration * 1e3:.6g} ms", dt=dt, seed=seed,
        description=f"Standard characterisation: current steps ({n_amplitudes} amplitudes; "
                    f"{'; '.join(ranges)}) during [{t_on}, {t_off}); one PSP per synaptic "
                    f"channel at {psp_time}.")


def _model_subset(ds, prefix):
    """The part of a multi-model characterisation run that belongs to one model, with the
    population prefix removed and neurons renumbered from 0."""
    pops = ds["population"].values.astype(str)
    ids = np.flatnonzero(np.char.startswith(pops, prefix))
    new_id = np.full(ds.sizes["neuron"], -1)
    new_id[ids] = np.arange(ids.size)
    sub = ds.isel(neuron=ids)
    sub = sub.assign_coords(neuron=("neuron", np.arange(ids.size), ds["neuron"].attrs),
                            population=("neuron", np.char.replace(pops[ids], prefix, "")
                                        .astype(object), ds["population"].attrs))
    spikes = np.isin(ds["spike_neuron"].values, ids)
    sub = sub.isel(spike=spikes)
    sub["spike_neuron"] = ("spike", new_id[ds["spike_neuron"].values[spikes]].astype(np.int32),
                           ds["spike_neuron"].attrs)
    recorded = np.isin(ds["recorded_neuron"].values, ids)
    sub = sub.isel(recorded_neuron=recorded)
    rec_pops = ds["recorded_population"].values[recorded].astype(str)
    sub = sub.assign_coords(
        recorded_neuron=("recorded_neuron", new_id[ds["recorded_neuron"].values[recorded]],
                         ds["recorded_neuron"].attrs),
        recorded_population=("recorded_neuron", np.char.replace(rec_pops, prefix, "")
                             .astype(object), ds["recorded_population"].attrs))
    # state variables of other models are all-NaN here
    empty = [v for v in sub.data_vars if sub[v].dims == ("time", "recorded_neuron")
             and bool(sub[v].isnull().all())]
    sub = sub.drop_vars(empty)
    sub.attrs["experiment"] = f"characterise_{prefix[:-2]}"
    return sub


def _recorded_units(base):
    """Dimensions of the variables a characterisation records for model `base`."""
    units = base.variable_units()
    names = [base.voltage or "r"]
    if "rate" not in base.tags:
        names += [_response_variable(base, channel) for channel in base.synaptic_targets]
    return {name: get_dimensions(units[name]) for name in names if name in units}


def _unit_compatible_groups(models, resolved):
    """Split `models` into groups whose recorded variables of one name share one unit.

    A Dataset holds one array (one unit) per state variable, so models recording e.g. ``I_e``
    as a current (``lif_curr_exp``) and as a voltage drive (``izhikevich_curr_exp``) are
    characterised in separate builds; all others share one build.
    """
    groups = []   # (members, {name: dimensions})
    for item, (base, _, _) in zip(models, resolved, strict=True):
        dims = _recorded_units(base)
        for members, seen in groups:
            if all(seen.get(name, d) == d for name, d in dims.items()):
                members.append(item)
                seen.update(dims)
                break
        else:
            groups.append(([item], dict(dims)))
    return [members for members, _ in groups]


def _only(value, members, labels, single):
    """A per-label mapping without the entries of `labels` outside `members` (unknown labels
    are kept, for `characterisation_experiment` to refuse them)."""
    if single or not isinstance(value, dict):
        return value
    return {label: v for label, v in value.items() if label in members or label not in labels}


def characterise(models, device="runtime", amplitudes=None, n_amplitudes=11, t_on=100 * ms,
                 t_off=600 * ms, after=300 * ms, psp_time=50 * ms, psp_weights=None,
                 parameters=None, dt=None, seed=0, cache_dir=None, **device_options):
    """Run the standard characterisation of a model (or of several in one build).

    Several models share one build, except where two would record a variable of the same name
    in different units (one Dataset array has one unit): those run in separate builds.

    Parameters are those of `characterisation_experiment`, plus `device`, `cache_dir` and
    device options (``threads``, ...) as in `bioneuro.run`.

    Returns
    -------
    xarray.Dataset or dict of str to xarray.Dataset
        For one model, the run's recording plus ``step_amplitude`` (on ``amplitude``),
        ``fi_rate``, ``fi_first_rate``, ``fi_last_rate``, ``first_spike_latency``,
        ``rebound_spikes`` and, per synaptic channel, ``psp_peak`` and ``psp_peak_time``
        (see `bioneuro.analysis.characterisation`); for a list, one such Dataset per model
        or cell label.
    """
    from bioneuro.analysis.characterisation import characterisation_measures
    from bioneuro.simulate import run

    single = not isinstance(models, (list, tuple))
    resolved = [_resolve(item) for item in ([models] if single else models)]
    labels = [label for _, _, label in resolved]
    groups = [models] if single else _unit_compatible_groups(list(models), resolved)
    runs = {}
    for group in groups:
        members = labels if single else [labels[list(models).index(m)] for m in group]
        per_group = [_only(value, members, labels, single)
                     for value in (amplitudes, psp_weights, parameters)]
        exp = characterisation_experiment(group, per_group[0], n_amplitudes, t_on, t_off,
                                          after, psp_time, per_group[1], per_group[2], dt,
                                          seed)
        ds = run(exp, device=device, cache_dir=cache_dir, **device_options)
        runs.update({label: (exp, ds) for label in members})
    results = {}
    for label in labels:
        exp, ds = runs[label]
        prefix = "" if single else f"{label}__"
        step = exp.circuit.population(f"{prefix}step")
        amps = step.parameters["I_step"]
        part = ds if single else _model_subset(ds, prefix)
        part.attrs["characterisation"] = json.dumps({
            "t_on": si_value(step.parameter_distribution("t_step_on").value),
            "t_off": si_value(step.parameter_distribution("t_step_off").value),
            "psp_time": si_value(parse_quantity(psp_time, "psp_time", "second")),
            "voltage": step.model.voltage, "label": label})
        results[label] = characterisation_measures(
            part, amps.sample(None, step.size),
            unit_string(get_unit(get_dimensions(amps.start))))
    return results[labels[0]] if single else results
