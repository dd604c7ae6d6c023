"""`run`: experiment (or its name) -> simulation on a device -> labelled Dataset."""

import os
from dataclasses import fields

from brian2.units.fundamentalunits import Quantity

from bioneuro import registry
from bioneuro.checkpoint import (
    add_final_state,
    check_connectivity,
    read_checkpoint,
    resume_state,
)
from bioneuro.devices import simulate
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.memory import check_recording_memory
from bioneuro.plan import make_plan
from bioneuro.quantities import format_quantity
from bioneuro.results import assemble, check_finite
from bioneuro.spec import Experiment

__all__ = ["run", "resolve_experiment", "factory_arguments", "apply_settings",
           "add_protocols"]


def resolve_experiment(experiment, scale=None, arguments=None):
    """An `Experiment` from an `Experiment`, a built-in name, a YAML path or a dict.

    Parameters
    ----------
    experiment : Experiment, str, path or dict
    scale : float, optional
        Passed to a built-in experiment's factory (network size factor).
    arguments : dict, optional
        Further keyword arguments of a built-in experiment's factory, e.g.
        ``{"network": "ei_rnn"}`` for ``rnn_decision``; text values are converted as the
        factory's defaults (see `factory_arguments`).
    """
    text = str(experiment)
    if not isinstance(experiment, (Experiment, dict)) and not text.endswith((".yaml", ".yml")):
        kind = "experiments"
        if not registry.known("experiments", text, load_all=False):
            if registry.known("regions", text):
                kind = "regions"  # a region template: its circuit, default recording, 1 s
            elif not registry.known("experiments", text):
                raise UnknownNameError("experiment", text, sorted(
                    set(registry.names("experiments") + registry.names("regions"))))
        factory = registry.get(kind, text, "experiment")
        kwargs = factory_arguments(factory, arguments or {}, text)
        if scale is not None:
            kwargs["scale"] = scale
        built = factory(**kwargs)
        return Experiment(text, built) if kind == "regions" else built
    if scale not in (None, 1, 1.0):
        raise SpecError("scale", scale, "scale applies to built-in experiments only")
    if arguments:
        raise SpecError("arguments", sorted(arguments),
                        "factory arguments apply to built-in experiments only")
    if isinstance(experiment, Experiment):
        return experiment
    if isinstance(experiment, dict):
        return Experiment.from_dict(experiment)
    if not os.path.exists(text):
        raise SpecError("experiment", text, "an existing YAML file or a built-in name")
    return Experiment.from_file(text)


def factory_arguments(factory, arguments, name):
    """Check keyword arguments of a built-in factory and convert text values.

    A text value (from the command line) is converted as the parameter's default: a
    quantity in the default's unit, an integer, a number, ``true``/``false``, a
    comma-separated tuple of such items, or kept as text; a parameter whose default is
    ``None`` takes a number, a quantity or text. Other values pass unchanged.

    Parameters
    ----------
    factory : callable
        The experiment or region factory.
    arguments : dict
        ``{parameter: value}``.
    name : str
        The built-in's name, for error messages.

    Returns
    -------
    dict

    Raises
    ------
    UnknownNameError
        For a name that is not a parameter of the factory (``scale`` is given separately).
    SpecError
        For a text value that cannot be converted.
    """
    import inspect

    parameters = {key: par.default for key, par in inspect.signature(factory).parameters.items()
                  if key != "scale" and par.default is not inspect.Parameter.empty}
    converted = {}
    for key, value in arguments.items():
        if key not in parameters:
            raise UnknownNameError(f"{name} argument", key, parameters)
        converted[key] = _argument_value(value, parameters[key], f"{name} argument {key}")
    return converted


_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


def _argument_value(value, default, field):
    """`value` converted to the type of `default` when it is text (see `factory_arguments`)."""
    from bioneuro.quantities import parse_quantity

    if not isinstance(value, str):
        return value
    text = value.strip()
    if isinstance(default, Quantity):
        return parse_quantity(text, field, default.get_best_unit() if default.dim else None)
    if isinstance(default, bool):
        if text.lower() not in _TRUE + _FALSE:
            raise SpecError(field, value, "true or false")
        return text.lower() in _TRUE
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise SpecError(field, value, "an integer") from None
    if isinstance(default, float):
        try:
            return float(text)
        except ValueError:
            raise SpecError(field, value, "a number") from None
    if isinstance(default, tuple):
        items = [item for item in text.split(",") if item.strip()]
        if not items:
            raise SpecError(field, value, "comma-separated values, e.g. 0,0.128,0.512")
        like = default[0] if default else None
        return tuple(_argument_value(item, like, field) for item in items)
    if default is None:
        for convert in (int, float):
            try:
                return convert(text)
            except ValueError:
                pass
        try:
            return parse_quantity(text, field)
        except SpecError:
            return text
    return text


def _set_path(data, path, value):
    """Set ``a.b.c`` in nested dict/list `data` (lists indexed by their items' names)."""
    node = data
    parts = path.split(".")
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            names = [item.get("name") for item in node if isinstance(item, dict)]
            if part not in names:
                raise UnknownNameError(f"--set {path}", part, [n for n in names if n])
            node = node[names.index(part)]
            if last:
                raise SpecError(f"--set {path}", value, "a field of the named item")
            continue
        if not isinstance(node, dict):
            raise SpecError(f"--set {path}", value, "a path into the experiment's fields")
        if last:
            node[part] = value
            return
        if part not in node:
            node[part] = {}
        node = node[part]


def _shortcut(exp, path):
    """Expand ``E.tau_m`` / ``EE.weight`` into full dotted paths of the experiment dict."""
    head, _, rest = path.partition(".")
    if head in [p.name for p in exp.protocol] and rest:
        return f"protocol.{head}.{rest}"
    pops = [p.name for p in exp.circuit.populations]
    projs = [p.name for p in exp.circuit.projections]
    if head in pops and rest:
        pop = exp.circuit.population(head)
        field = rest.split(".")[0]
        if field in pop.model.parameters:
            return f"circuit.populations.{head}.parameters.{rest}"
        if field in pop.model.state_variables():
            return f"circuit.populations.{head}.initial.{rest}"
        if field in ("size", "region", "cell_type"):
            return f"circuit.populations.{head}.{rest}"
        raise UnknownNameError(f"--set {path}", field, list(pop.model.parameters)
                               + pop.model.state_variables() + ["size"])
    if head in projs and rest:
        return f"circuit.projections.{head}.{rest}"
    if rest and head not in {f.name for f in fields(exp)}:  # neither a field nor a name
        raise UnknownNameError(f"--set {path}", head, pops + projs
                               + [p.name for p in exp.protocol]
                               + [f.name for f in fields(exp)])
    return path


def _nest(settings, prefix):
    """``{"a.b": v}`` entries under `prefix` as a nested dict ``{"a": {"b": v}}``."""
    nested = {}
    for path, value in settings.items():
        if path.startswith(prefix + "."):
            node = nested
            *parents, last = path[len(prefix) + 1:].split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = format_quantity(value) if isinstance(value, Quantity) else value
    return nested


def add_protocols(exp, protocols, settings=None):
    """`exp` with protocol blocks appended, and the settings not used by them.

    Parameters
    ----------
    exp : Experiment
    protocols : sequence of str, dict or protocol block
        A catalogue name (``bioneuro list protocols``: the block is named after it and its
        fields come from the settings ``NAME.FIELD``, e.g. ``current_step.amplitude``), a
        YAML file holding one block or a list of blocks, a dict or a block.
    settings : dict, optional
        ``{path: value}``; those starting with a protocol's name are consumed.
    """
    import yaml

    from bioneuro.stimulation import protocol_item

    settings = dict(settings or {})
    blocks = []
    for item in protocols or ():
        if isinstance(item, str) and item.endswith((".yaml", ".yml")):
            if not os.path.exists(item):
                raise SpecError("--protocol", item, "an existing YAML file or a protocol name")
            with open(item, encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
            blocks += [protocol_item(d) for d in (data if isinstance(data, list) else [data])]
        elif isinstance(item, str):
            registry.get("protocols", item, "--protocol")
            fields = _nest(settings, item)
            settings = {k: v for k, v in settings.items() if not k.startswith(item + ".")}
            blocks.append(protocol_item({"kind": item, "name": item, **fields}))
        else:
            blocks.append(protocol_item(item))
    if blocks:
        exp = exp.replace(protocol=exp.protocol + tuple(blocks))
    return exp, settings


def apply_settings(exp, settings):
    """A copy of `exp` with ``{path: value}`` settings applied and validated.

    Paths are dotted field names of `Experiment.to_dict` (``duration``,
    ``circuit.populations.E.parameters.tau_m``) or shortcuts: ``E.tau_m`` (population
    parameter or initial value), ``EE.weight`` (projection field).
    """
    if not settings:
        return exp
    data = exp.to_dict()
    data["circuit"]["populations"] = [dict(p) for p in data["circuit"]["populations"]]
    for path, value in settings.items():
        if isinstance(value, Quantity):
            value = format_quantity(value)
        _set_path(data, _shortcut(exp, path), value)
    return Experiment.from_dict(data)


def run(experiment, device="runtime", duration=None, dt=None, seed=None, scale=None,
        threads=1, settings=None, progress=False, cache_dir=None, build_only=False,
        protocols=None, max_memory=None, expected_rate=None, resume_from=None,
        save_state=False, varying=(), **device_options):
    """Simulate an experiment and return its labelled results.

    Parameters
    ----------
    experiment : Experiment, str, path or dict
        An experiment, a built-in name (``"cuba"``), or a YAML file.
    device : {"runtime", "cpp_standalone", "cuda_standalone"}
    duration, dt : Quantity, optional
        Override the experiment's simulated time and step.
    seed : int, optional
        Override the experiment's seed.
    scale : float, optional
        Network-size factor for built-in experiments.
    threads : int
        OpenMP threads for ``cpp_standalone`` (default 1).
    settings : dict, optional
        ``{path: value}`` changes, see `apply_settings`.
    progress : bool
        Report simulation progress on stderr.
    cache_dir : path, optional
        Standalone build cache.
    build_only : bool
        Standalone devices: generate and compile (or find in the cache) but do not run, as
        for ``cuda_standalone`` on a machine without a GPU; returns ``None``.
    protocols : sequence, optional
        Protocol blocks to add (names, YAML files, dicts or blocks; see `add_protocols`).
    max_memory : int or str, optional
        Refuse the run up front (`bioneuro.memory.RecordingTooLargeError`, naming the
        estimate) if its recordings would need more memory; bytes or ``"4 GB"``; default
        half the physical memory (see `bioneuro.memory`).
    expected_rate : Quantity, optional
        Mean spike rate assumed by that estimate (default 100 Hz).
    resume_from : path or xarray.Dataset, optional
        Continue a run saved with ``save_state=True`` (see `bioneuro.checkpoint`): same
        structure and seed (taken from the file unless given), time continuing from its
        end, the same compiled binary.
    save_state : bool
        Store the final state in the results (variables ``final_state__*``), so that the
        run can be continued.
    varying : collection of (str, str)
        ``(population, parameter)`` pairs whose values you will change between runs that
        should share one compiled binary; they stay per-neuron variables (`make_plan`;
        `bioneuro.sweep` passes its axes). Other parameters equal in every population of a
        Brian2 group are compiled as shared constants, which is much faster. A pair
        ``(bioneuro.plan.VARYING_PROJECTION, name)`` says the same of a projection's values
        (weight, delay, synapse parameters): it keeps a ``Synapses`` object of its own
        instead of being merged with projections of equal values
        (`bioneuro.plan.merge_pathways`).

    Returns
    -------
    xarray.Dataset
        See `bioneuro.results` for the schema.
    """
    exp = resolve_experiment(experiment, scale)
    changes = {}
    saved = None
    if resume_from is not None:
        saved = read_checkpoint(resume_from)
        if seed is None:
            seed = int(saved.attrs["seed"])
    if duration is not None:
        changes["duration"] = duration
    if dt is not None:
        changes["dt"] = dt
    if seed is not None:
        changes["seed"] = seed
    if changes:
        exp = exp.replace(**changes)
    exp, settings = add_protocols(exp, protocols, settings)
    exp = apply_settings(exp, settings)
    plan = make_plan(exp, {tuple(pair) for pair in varying})
    if not build_only:
        check_recording_memory(plan, max_memory, expected_rate)
    resume = None
    if saved is not None:
        resume = resume_state(saved, plan, label=str(resume_from)
                              if not hasattr(resume_from, "attrs") else "dataset")
    if save_state:
        device_options["final_state"] = True
    raw = simulate(plan, device, progress=progress, cache_dir=cache_dir, threads=threads,
                   build_only=build_only, resume=resume, **device_options)
    if raw.built_only:
        return None
    check_finite(plan, raw)
    if resume is not None:
        check_connectivity(resume, raw)
    return add_final_state(assemble(plan, raw), plan, raw, resume, save_state)
