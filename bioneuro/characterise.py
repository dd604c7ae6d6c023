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


def characterisation_experiment(model, amplitudes=None, n_amplitudes=11, t_on=100 * ms,
                                t_off=600 * ms, after=300 * ms, psp_time=50 * ms,
                                psp_weights=None, parameters=None, dt=None, seed=0,
                                n_traces=5):
    """The `Experiment` that `characterise` runs.

    Parameters
    ----------
    model : str, NeuronModel or CellType
        A model or cell type (or its registry name).
    amplitudes : (Quantity, Quantity), optional
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
        Peak weight per channel (default: `default_psp_weight` of the target's unit).
    parameters : mapping, optional
        Parameter overrides for every population of the model.
    dt : Quantity, optional
        Time step (default 0.1 ms; 0.025 ms for Hodgkin-Huxley-type models).
    seed : int
    n_traces : int
        Number of step amplitudes whose membrane potential is recorded.
    """
    from bioneuro.models.composition import compose
    from bioneuro.models.mechanisms import step_current

    base, cell = resolve_cell_or_model(model, "model")
    if "source" in base.tags:
        raise SpecError("model", base.name, "a neuron model (spike sources need no "
                        "characterisation)")
    label = cell.name if cell is not None else base.name
    rng = tuple(amplitudes) if amplitudes is not None else (
        cell.current_range if cell is not None and cell.current_range else base.current_range)
    if not rng:
        raise SpecError("amplitudes", None, f"a (lowest, highest) step amplitude for {label} "
                        "(the model declares no current_range)")
    low, high = (parse_quantity(a, "amplitudes") for a in rng)
    if isinstance(n_amplitudes, bool) or int(n_amplitudes) != n_amplitudes or n_amplitudes < 2:
        raise SpecError("n_amplitudes", n_amplitudes, "an integer >= 2")
    t_on, t_off, after, psp_time = (parse_quantity(v, name, "second") for v, name in (
        (t_on, "t_on"), (t_off, "t_off"), (after, "after"), (psp_time, "psp_time")))
    if not 0 <= si_value(t_on) < si_value(t_off):
        raise SpecError("t_off", format_quantity(t_off), f"a time after t_on ({t_on})")
    overrides = {**(cell.parameters if cell is not None else {}), **dict(parameters or {})}
    initial = dict(cell.initial) if cell is not None else {}
    stepped = compose(base, step_current(low, t_on, t_off), name=f"{base.name}_step")
    step_params = {**overrides, "I_step": Linspace(low, high)}
    pops = [Population("step", stepped, int(n_amplitudes), step_params, initial,
                       cell_type=label)]
    projections, probes = [], []
    watched = sorted({int(round(k)) for k in np.linspace(0, n_amplitudes - 1,
                                                         min(n_traces, n_amplitudes))})
    if base.voltage:
        probes.append(StateProbe("step", (base.voltage,), tuple(watched)))
    else:   # rate model: the output rate of every amplitude is the f-I curve
        probes.append(StateProbe("step", ("r",), "all"))
    psp_weights = dict(psp_weights or {})
    if "rate" not in base.tags:
        units = base.variable_units()
        for channel, target in base.synaptic_targets.items():
            weight = psp_weights.pop(channel, None)
            if weight is None:
                weight = default_psp_weight(units[target], channel)
            pops.append(Population(f"psp_{channel}", base, 1, overrides, initial,
                                   cell_type=label))
            pops.append(Population(f"spike_{channel}", "periodic_source", 1,
                                   {"t_first": psp_time, "n_spikes": 1}))
            projections.append(Projection(f"psp_{channel}", f"spike_{channel}",
                                          f"psp_{channel}", channel, "one_to_one", weight))
            response = _response_variable(base, channel)
            probes.append(StateProbe(f"psp_{channel}",
                                     tuple(dict.fromkeys([base.voltage, response])), "all"))
    if psp_weights:
        raise SpecError("psp_weights", sorted(psp_weights),
                        f"channels of {base.name}: {', '.join(base.synaptic_targets)}")
    if dt is None:
        dt = 0.025 * ms if "hodgkin-huxley" in base.tags else 0.1 * ms
    duration = max(si_value(t_off + after), si_value(psp_time) + 0.3)
    circuit = Circuit(f"characterise_{label}", tuple(pops), tuple(projections))
    return Experiment(
        f"characterise_{label}", circuit,
        recording=Recording(spikes="all", state=tuple(probes)),
        duration=f"{duration * 1e3:.6g} ms", dt=dt, seed=seed,
        description=f"Standard characterisation of {label}: current steps "
                    f"{format_quantity(low)} to {format_quantity(high)} "
                    f"({n_amplitudes} amplitudes) during [{t_on}, {t_off}); one PSP per "
                    f"channel at {psp_time}.")


def characterise(model, device="runtime", amplitudes=None, n_amplitudes=11, t_on=100 * ms,
                 t_off=600 * ms, after=300 * ms, psp_time=50 * ms, psp_weights=None,
                 parameters=None, dt=None, seed=0, cache_dir=None, **device_options):
    """Run the standard characterisation of `model` and return its Dataset with measures.

    Parameters are those of `characterisation_experiment`, plus `device`, `cache_dir` and
    device options (``threads``, ...) as in `bioneuro.run`.

    Returns
    -------
    xarray.Dataset
        The run's recording plus ``step_amplitude`` (on ``amplitude``), ``fi_rate``,
        ``fi_first_rate``, ``fi_last_rate``, ``rebound_spikes`` and, per synaptic channel,
        ``psp_peak``, ``psp_peak_time`` (see `bioneuro.analysis.characterisation`).
    """
    from bioneuro.analysis.characterisation import characterisation_measures
    from bioneuro.simulate import run

    exp = characterisation_experiment(model, amplitudes, n_amplitudes, t_on, t_off, after,
                                      psp_time, psp_weights, parameters, dt, seed)
    ds = run(exp, device=device, cache_dir=cache_dir, **device_options)
    step = exp.circuit.population("step")
    amps = step.parameters["I_step"]
    protocol = {"t_on": si_value(exp.circuit.population("step").parameter_distribution(
        "t_step_on").value), "t_off": si_value(step.parameter_distribution("t_step_off").value),
        "psp_time": si_value(parse_quantity(psp_time, "psp_time", "second")),
        "voltage": step.model.voltage}
    ds.attrs["characterisation"] = json.dumps(protocol)
    return characterisation_measures(ds, amps.sample(None, step.size),
                                     unit_string(get_unit(get_dimensions(amps.start))))

