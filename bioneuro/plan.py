"""How an experiment maps onto Brian2 objects, computed without creating any of them.

Populations that share a neuron model are merged into one ``NeuronGroup`` (each population is
a contiguous slice of it), so the state update of a model runs as one code object however
many populations use it. The plan also computes every *run-time value*: per-neuron parameters,
initial values and the shared parameters of weight/delay distributions. These are Brian2
group variables that a compiled standalone binary receives through ``run_args``, which is why
the `structure` of a plan, not its values, decides whether code must be regenerated.
"""

import zlib
from dataclasses import dataclass, field

import numpy as np

from bioneuro.spec import content_hash

__all__ = ["GroupPlan", "PopulationSlot", "NetworkPlan", "make_plan"]

#: variable added to every neuron group: first time a state variable was non-finite
WATCH_VARIABLE = "t_nonfinite"
#: interval of the divergence check
WATCH_INTERVAL_MS = 1.0


@dataclass(frozen=True)
class PopulationSlot:
    """Where a population lives: its group, its slice of the group and of the dataset."""

    name: str
    group: str
    start: int  # first index within the group
    stop: int
    global_start: int  # first neuron id in the results' `neuron` dimension

    @property
    def size(self):
        return self.stop - self.start


@dataclass
class GroupPlan:
    """One ``NeuronGroup``: a model and the populations that share it."""

    name: str
    model: object
    populations: list = field(default_factory=list)

    @property
    def size(self):
        return sum(slot.size for slot in self.populations)


@dataclass
class NetworkPlan:
    """The mapping of an experiment onto Brian2 objects, plus its run-time values."""

    experiment: object
    groups: dict
    slots: dict

    def slot(self, population):
        return self.slots[population]

    def group_of(self, population):
        return self.groups[self.slots[population].group]

    # -- run-time values --------------------------------------------------------------
    def _rng(self, *labels):
        """A generator independent of every other (population, variable) stream."""
        key = zlib.crc32(".".join(labels).encode())
        return np.random.default_rng([self.experiment.seed, key])

    def run_values(self):
        """``{"group.variable": float or 1-d float64 array}`` in SI units.

        Every value a standalone binary must receive: all neuron parameters, all initial
        values that are specified, and the shared parameters of synapses (weight and delay
        distributions, synapse-model parameters).
        """
        values = {}
        for group in self.groups.values():
            model = group.model
            for name, par in model.parameters.items():
                parts = []
                for slot in group.populations:
                    pop = self.experiment.circuit.population(slot.name)
                    dist = pop.parameter_distribution(name)
                    parts.append(dist.sample(self._rng(slot.name, "parameter", name), slot.size))
                array = np.concatenate(parts)
                values[f"{group.name}.{name}"] = float(array[0]) if par.shared else array
            initial_vars = set()
            for slot in group.populations:
                initial_vars.update(self.experiment.circuit.population(slot.name)
                                    .initial_distributions())
            for var in sorted(initial_vars):
                parts = []
                for slot in group.populations:
                    dists = self.experiment.circuit.population(slot.name).initial_distributions()
                    if var in dists:
                        parts.append(dists[var].sample(self._rng(slot.name, "initial", var),
                                                       slot.size))
                    else:
                        parts.append(np.zeros(slot.size))
                values[f"{group.name}.{var}"] = np.concatenate(parts)
        for proj in self.experiment.circuit.projections:
            name = synapses_name(proj.name)
            for prefix, dist in (("weight", proj.weight), ("delay", proj.delay)):
                for suffix, value in dist.code_parameters().items():
                    values[f"{name}.{prefix}_{suffix}"] = float(np.asarray(value))
            for par in proj.synapse.parameters:
                values[f"{name}.{par}"] = float(np.asarray(proj.parameter_value(par)))
        return values

    # -- structure ---------------------------------------------------------------------
    def structure(self):
        """Everything that shapes generated code (and nothing that is a run-time value)."""
        exp = self.experiment
        groups = []
        for group in self.groups.values():
            model = group.model
            groups.append({
                "name": group.name, "size": group.size,
                "equations": model.full_equations(), "threshold": model.threshold,
                "reset": model.reset, "refractory": model.refractory, "method": model.method,
                "populations": [[s.name, s.start, s.stop] for s in group.populations],
            })
        projections = []
        for proj in exp.circuit.projections:
            pre, post = self.slots[proj.pre], self.slots[proj.post]
            rule = proj.connectivity
            item = {
                "name": proj.name, "pre": [pre.group, pre.start, pre.stop],
                "post": [post.group, post.start, post.stop], "target": proj.target,
                "synapse": proj.synapse.to_dict(), "connectivity": rule.to_dict(),
                "weight": proj.weight.structure(), "delay": proj.delay.structure(),
            }
            if rule.seed_in_code:
                item["seed"] = exp.seed
            projections.append(item)
        return {
            "groups": groups,
            "projections": projections,
            "inputs": [i.to_dict() for i in exp.inputs],
            "recording": exp.recording.to_dict(),
            "duration": float(np.asarray(exp.duration)),
            "dt": float(np.asarray(exp.dt)),
        }

    def structure_hash(self):
        return content_hash(self.structure())


def group_name(index):
    return f"neurons_{index}"


def synapses_name(projection):
    return f"syn_{projection}"


def make_plan(experiment):
    """Group the populations of `experiment` by neuron model and lay out their indices."""
    groups, slots, keys = {}, {}, {}
    global_start = 0
    for pop in experiment.circuit.populations:
        key = content_hash(pop.model.to_dict())
        shared = {n: pop.parameter_distribution(n).to_dict()
                  for n, p in pop.model.parameters.items() if p.shared}
        if shared:  # shared parameters must agree inside a group
            key = content_hash([key, shared])
        if key not in keys:
            keys[key] = group_name(len(groups))
            groups[keys[key]] = GroupPlan(keys[key], pop.model)
        group = groups[keys[key]]
        start = group.size
        slot = PopulationSlot(pop.name, group.name, start, start + pop.size, global_start)
        group.populations.append(slot)
        slots[pop.name] = slot
        global_start += pop.size
    return NetworkPlan(experiment, groups, slots)
