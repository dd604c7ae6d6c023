"""Assembling neuron models from parts, and composing mechanisms onto them.

Every spiking model of the library is written the same way: a membrane equation that adds two
currents, ``I_syn`` (from a `SynapticBlock` of kernels) and ``I_in`` (non-synaptic input),
where ``I_in`` is a subexpression ``I_in = I_ext : <unit>`` with ``I_ext`` a constant
parameter. A `Mechanism` (adaptation current, threshold adaptation, noise, a current step)
composes onto any such model: `compose` extends the ``I_in`` sum, the threshold, the reset
and the parameter table of a copy of the model, so mechanisms are written once and never
copied into the models that use them.
"""

import re
from dataclasses import dataclass, field
from types import MappingProxyType

from brian2.core.namespace import DEFAULT_CONSTANTS, DEFAULT_FUNCTIONS, DEFAULT_UNITS
from brian2.equations.equations import Equations
from brian2.utils.stringtools import get_identifiers

from bioneuro.errors import SpecError
from bioneuro.registry import register as register_entry
from bioneuro.spec import CellType, NeuronModel, Parameter

__all__ = ["point_neuron", "Mechanism", "compose", "define_cell", "INPUT_CURRENT"]

#: the subexpression every spiking model exposes for non-synaptic input
INPUT_CURRENT = "I_in"
_INPUT_LINE = re.compile(rf"^(\s*{INPUT_CURRENT}\s*=\s*)(.+?)(\s*:\s*[^:]+)$", re.MULTILINE)
_BUILTINS = (set(DEFAULT_UNITS) | set(DEFAULT_FUNCTIONS) | set(DEFAULT_CONSTANTS)
             | {"t", "dt", "i", "N", "t_in_timesteps", "xi", "lastspike", "not_refractory"})
_NON_EXACT = {"exact": "exponential_euler", "linear": "exponential_euler"}
_STOCHASTIC = ("euler", "heun", "milstein")


def point_neuron(name, membrane, parameters, block, *, threshold, reset, refractory, method,
                 initial, description, references, tags, current_unit="amp",
                 input_unit="pA", voltage="v", current_range=(), register=True):
    """Assemble (and register) a single-compartment model.

    Parameters
    ----------
    name : str
        ``<dynamics>_<input>_<kernel>``.
    membrane : str
        Equations of the dynamics; must use ``I_syn`` and ``I_in``.
    parameters : mapping of str to Parameter
        Parameters of the dynamics (the kernel's and ``I_ext`` are added).
    block : SynapticBlock
    current_unit : str
        Equation unit of ``I_syn``/``I_in`` (``amp``, ``amp/meter**2``, ``volt``).
    input_unit : str
        Display unit of the ``I_ext`` parameter (``pA``, ``uA/cm**2``, ``mV``).
    threshold, reset, refractory, method, initial, description, references, tags, voltage,
    current_range
        As in `NeuronModel`.
    register : bool
        Add the model to the ``models`` catalogue.
    """
    for needed in ("I_syn", INPUT_CURRENT):
        if needed not in get_identifiers(membrane):
            raise SpecError(f"models.{name}.equations", membrane, f"equations that use {needed}")
    params = dict(parameters)
    params.update(block.parameters)
    params["I_ext"] = Parameter(input_unit, f"0 {input_unit}", "constant external current")
    model = NeuronModel(
        name=name,
        equations="\n".join([membrane.strip(), f"{INPUT_CURRENT} = I_ext : {current_unit}",
                             block.equations]),
        parameters=params, threshold=threshold, reset=reset, refractory=refractory,
        method=method, initial=initial, synaptic_targets=block.targets,
        description=description, references=references, tags=tags, voltage=voltage,
        current_range=current_range)
    return register_entry("models", name, model) if register else model


@dataclass(frozen=True)
class Mechanism:
    """A piece of dynamics that composes onto any model assembled by `point_neuron`.

    Parameters
    ----------
    name : str
        Short name (``adaptation``, ``ou_noise``, ...), appended to the composed model's name.
    equations : str
        Extra equations; ``{v}`` stands for the model's membrane potential.
    current : str
        Expression added to the model's input current ``I_in``.
    voltage_noise : str
        Term added to the right-hand side of ``d{v}/dt`` (white noise must sit in a
        differential equation, Brian2 forbids ``xi`` in subexpressions).
    threshold_offset : str
        Added to ``V_th`` in the model's threshold (the threshold must use ``V_th``).
    reset : str
        Statements appended to the model's reset.
    parameters : mapping of str to Parameter
    initial : mapping of str to Quantity
    targets : mapping of str to str
        Synaptic channels the mechanism adds (channel -> variable it defines), e.g. the
        summed ``I_gap`` that gap-junction projections drive.
    time_dependent : bool
        The mechanism depends on ``t`` explicitly (an exactly integrated model switches to
        exponential Euler, which is exact for input that is constant over a step).
    stochastic : bool
        Uses ``xi`` (the model switches to a stochastic integration method).
    description : str
    references : tuple of Reference
    """

    name: str
    equations: str = ""
    current: str = ""
    voltage_noise: str = ""
    threshold_offset: str = ""
    reset: str = ""
    parameters: object = field(default_factory=dict)
    initial: object = field(default_factory=dict)
    targets: object = field(default_factory=dict)
    time_dependent: bool = False
    stochastic: bool = False
    description: str = ""
    references: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "initial", MappingProxyType(dict(self.initial)))
        object.__setattr__(self, "targets", MappingProxyType(dict(self.targets)))


def _check_identifiers(model, mechanism, known):
    texts = [mechanism.current, mechanism.voltage_noise, mechanism.threshold_offset,
             mechanism.reset]
    used = set().union(*(get_identifiers(t) for t in texts))
    if mechanism.equations:
        used |= set(Equations(mechanism.equations.format(v=model.voltage)).identifiers)
    unknown = sorted(n for n in used if n not in known and n not in _BUILTINS
                     and not n.startswith("xi_"))
    if unknown:
        raise SpecError(f"mechanisms.{mechanism.name}", unknown,
                        f"names defined by model {model.name!r} or by the mechanism "
                        f"(known: {', '.join(sorted(known))})")


def compose(model, *mechanisms, name=None, description=None, register=False):
    """Return a copy of `model` with `mechanisms` added.

    Parameters
    ----------
    model : NeuronModel
        A model with an ``I_in = ... : <unit>`` input line (every `point_neuron` model).
    *mechanisms : Mechanism
    name : str, optional
        Name of the composed model (default ``<model>_<mech1>_<mech2>...``).
    description : str, optional
    register : bool
        Add the composed model to the ``models`` catalogue.

    Raises
    ------
    SpecError
        If the model has no input line, a parameter name clashes, a mechanism uses a name the
        model does not define, or a threshold offset meets a threshold without ``V_th``.
    """
    equations, threshold, reset = model.equations, model.threshold, model.reset
    params, initial = dict(model.parameters), dict(model.initial)
    method, tags, refs = model.method, list(model.tags), list(model.references)
    targets = dict(model.synaptic_targets)
    match = _INPUT_LINE.search(equations)
    if match is None:
        raise SpecError(f"models.{model.name}.equations", model.equations,
                        f"equations with an input line '{INPUT_CURRENT} = ... : <unit>'")
    known = set(model.variable_units())
    for mech in mechanisms:
        clash = (set(mech.parameters) | set(_defined(mech, model.voltage))) & known
        if clash:
            raise SpecError(f"mechanisms.{mech.name}", sorted(clash),
                            f"names not already defined by model {model.name!r}")
        _check_identifiers(model, mech, known | set(mech.parameters)
                           | set(_defined(mech, model.voltage)))
        known |= set(mech.parameters) | set(_defined(mech, model.voltage))
        if mech.equations:
            equations += "\n" + mech.equations.format(v=model.voltage).strip()
        if mech.current:
            equations = _INPUT_LINE.sub(lambda m, c=mech.current: f"{m.group(1)}{m.group(2)} "
                                        f"+ {c}{m.group(3)}", equations, count=1)
        if mech.voltage_noise:
            equations = _add_voltage_term(equations, model.voltage, mech.voltage_noise,
                                          model.name)
        if mech.threshold_offset:
            if not re.search(r"\bV_th\b", threshold):
                raise SpecError(f"models.{model.name}.threshold", threshold,
                                f"a threshold using V_th (for mechanism {mech.name!r})")
            threshold = re.sub(r"\bV_th\b", f"(V_th + {mech.threshold_offset})", threshold)
        if mech.reset:
            reset = "\n".join(s for s in (reset, mech.reset) if s)
        params.update(mech.parameters)
        initial.update(mech.initial)
        clash = set(mech.targets) & set(targets)
        if clash:
            raise SpecError(f"mechanisms.{mech.name}.targets", sorted(clash),
                            f"channels not already defined by model {model.name!r}")
        targets.update(mech.targets)
        if mech.time_dependent:
            method = _NON_EXACT.get(method, method)
        if mech.stochastic and method not in _STOCHASTIC:
            method = "heun"
        tags.append(mech.name)
        refs.extend(r for r in mech.references if r not in refs)
    composed = NeuronModel(
        name=name or "_".join([model.name] + [m.name for m in mechanisms]),
        equations=equations, parameters=params, threshold=threshold, reset=reset,
        refractory=model.refractory, method=method, initial=initial,
        synaptic_targets=targets,
        description=description or (model.description + " With " + ", ".join(
            m.description[:1].lower() + m.description[1:].rstrip(".") for m in mechanisms)
            + "."),
        references=tuple(refs), tags=tuple(tags), voltage=model.voltage,
        current_range=model.current_range)
    return register_entry("models", composed.name, composed) if register else composed


def _defined(mechanism, voltage):
    """Names a mechanism's equations define (Brian2's parse: continuation lines are not
    definitions)."""
    if not mechanism.equations.strip():
        return []
    return list(Equations(mechanism.equations.format(v=voltage)).names)


def _add_voltage_term(equations, voltage, term, model_name):
    pattern = re.compile(rf"^(\s*d{voltage}/dt\s*=\s*)(.+?)(\s*:\s*[^:]+)$", re.MULTILINE)
    if not pattern.search(equations):
        raise SpecError(f"models.{model_name}.equations", equations,
                        f"a differential equation for {voltage}")
    return pattern.sub(lambda m: f"{m.group(1)}{m.group(2)} + {term}{m.group(3)}", equations,
                       count=1)


def define_cell(name, model, *, parameters=None, initial=None, description, reproduces,
                region, references, current_range=(), tags=(), register=True):
    """Create (and register in the ``cells`` catalogue) a named cell type.

    Parameters
    ----------
    name : str
        Cell-type name, e.g. ``"cortex_pyramidal_rs"``.
    model : NeuronModel or str
        The model (or its registry name) the preset parameterises.
    parameters, initial : mapping, optional
        Overrides of the model's parameter defaults and initial values.
    description : str
        One line.
    reproduces : str
        The observable and the published value the preset reproduces (checked by a test).
    region : str
        ``cortex``, ``thalamus``, ``cerebellum``, ``brainstem``, ``spinal_cord``,
        ``periphery``, ...
    references : tuple of Reference
        Sources of the parameters and of the reproduced data.
    current_range : (Quantity, Quantity), optional
        Step amplitudes spanning the cell's f-I curve in the characterisation.
    tags : tuple of str
    register : bool
    """
    cell = CellType(name=name, model=model, parameters=dict(parameters or {}),
                    initial=dict(initial or {}), description=description,
                    reproduces=reproduces, region=region, current_range=tuple(current_range),
                    references=tuple(references), tags=tuple(tags))
    return register_entry("cells", name, cell) if register else cell
