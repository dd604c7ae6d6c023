"""How an experiment maps onto Brian2 objects, computed without creating any of them.

Populations that share a neuron model are merged into one ``NeuronGroup`` (each population is
a contiguous slice of it), so the state update of a model runs as one code object however
many populations use it; projections that differ only in their target population are merged
into one ``Synapses`` object (`merge_pathways`). The plan also computes every *run-time
value*: per-neuron parameters, initial values and the shared parameters of weight/delay
distributions. These are Brian2 group variables that a compiled standalone binary receives
through ``run_args``, which is why the `structure` of a plan, not its values, decides
whether code must be regenerated.
"""

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from bioneuro.spec import WEIGHT_DECLARATION, content_hash

__all__ = ["GroupPlan", "PopulationSlot", "Pathway", "NetworkPlan", "make_plan",
           "merge_pathways", "pathway_label", "delay_kind", "weight_is_shared"]

#: variable added to every neuron group: first time a state variable was non-finite
WATCH_VARIABLE = "t_nonfinite"
#: interval of the divergence check
WATCH_INTERVAL_MS = 10.0


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
    """One ``NeuronGroup``: a model and the populations that share it.

    `shared` names the parameters that have one value across the whole group; they are
    compiled as ``(shared, constant)`` variables, so expressions of them alone (such as
    ``exp(-dt/tau_m)`` of an exactly integrated membrane) are evaluated once per time step
    instead of once per neuron. The others are per-neuron arrays. Both kinds are set at run
    time; only switching a parameter between the two kinds needs a new build.
    """

    name: str
    model: object
    populations: list = field(default_factory=list)
    shared: frozenset = frozenset()
    #: ``(indices, times in s)`` of a ``SpikeGeneratorGroup`` (None: a ``NeuronGroup``)
    spikes: tuple = None

    @property
    def size(self):
        return sum(slot.size for slot in self.populations)

    def equations(self):
        return self.model.full_equations(self.shared)


@dataclass(frozen=True)
class Pathway:
    """One ``Synapses`` object: a projection, or several merged ones (`merge_pathways`).

    Attributes
    ----------
    name : str
        Name of the Brian2 object: ``syn_<projection>``, or for merged projections
        ``syn_`` and their `pathway_label`.
    projections : tuple of str
        The projections it holds, ordered by their place in the postsynaptic group.
    post_start, post_stop : int
        The slice of the postsynaptic group it targets (the union of its projections'
        contiguous slices).
    """

    name: str
    projections: tuple
    post_start: int
    post_stop: int

    @property
    def merged(self):
        return len(self.projections) > 1


@dataclass
class NetworkPlan:
    """The mapping of an experiment onto Brian2 objects, plus its run-time values.

    `experiment` is the experiment with its protocol lowered (see `bioneuro.stimulation`);
    `source` the experiment as given (written into the results' provenance).
    """

    experiment: object
    groups: dict
    slots: dict
    source: object = None
    rate_tables: dict = field(default_factory=dict)
    epochs: list = field(default_factory=list)
    #: groups of projections, each compiled as one ``Synapses`` object (`merge_pathways`)
    merged: tuple = ()

    def slot(self, population):
        return self.slots[population]

    def group_of(self, population):
        return self.groups[self.slots[population].group]

    # -- run-time values --------------------------------------------------------------
    def rng(self, *labels):
        """A NumPy generator seeded by the experiment's seed and `labels`.

        Each (population, variable) or projection gets its own stream, so adding a population
        does not change the values drawn for the others.
        """
        key = zlib.crc32(".".join(labels).encode())
        return np.random.default_rng([self.experiment.seed, key])

    # derived once: a plan is not changed after `make_plan`
    @cached_property
    def _pathway_of(self):
        projections = {p.name: p for p in self.experiment.circuit.projections}
        owner = {name: members for members in self.merged for name in members}
        index = {}
        for proj in self.experiment.circuit.projections:
            members = owner.get(proj.name, (proj.name,))
            if members[0] == proj.name:  # made with the first of its group
                posts = [self.slots[projections[m].post] for m in members]
                pathway = Pathway(synapses_name(pathway_label(members)), members,
                                  posts[0].start, posts[-1].stop)
                index.update(dict.fromkeys(members, pathway))
        return index

    @cached_property
    def _shared_weights(self):
        return _shared_weights(self.experiment)

    def pathways(self):
        """The ``Synapses`` objects of the network, as `Pathway` s, in projection order."""
        return list(dict.fromkeys(self._pathway_of.values()))

    def pathway_of(self, projection):
        """The `Pathway` that holds `projection` (a name)."""
        return self._pathway_of[projection]

    def projection_synapses(self, projection, post):
        """Which synapses of its pathway belong to `projection` (a name).

        Parameters
        ----------
        post : array of int
            The pathway's ``_synaptic_post`` (indices within the postsynaptic group).

        Returns
        -------
        slice or array of bool
            ``slice(None)`` (all) for a projection compiled on its own; for merged
            projections (`merge_pathways`) the synapses onto the projection's slice.
        """
        if not self.pathway_of(projection).merged:
            return slice(None)
        proj = next(p for p in self.experiment.circuit.projections if p.name == projection)
        slot = self.slots[proj.post]
        return (post >= slot.start) & (post < slot.stop)

    def shared_weights(self):
        """Names of the projections whose weight is one scalar (`weight_is_shared`)."""
        return self._shared_weights

    def run_values(self):
        """``{"group.variable": float or 1-d float64 array}`` in SI units.

        Every value a standalone binary must receive: all neuron parameters, all initial
        values that are specified, and the shared parameters of synapses (weight and delay
        distributions, synapse-model parameters).
        """
        values = {}
        for group in self.groups.values():
            model = group.model
            for name in model.parameters:
                parts = []
                for slot in group.populations:
                    pop = self.experiment.circuit.population(slot.name)
                    dist = pop.parameter_distribution(name)
                    parts.append(dist.sample(self.rng(slot.name, "parameter", name), slot.size))
                array = np.concatenate(parts)
                shared = model.parameters[name].shared or name in group.shared
                values[f"{group.name}.{name}"] = float(array[0]) if shared else array
            initial_vars = set()
            for slot in group.populations:
                initial_vars.update(self.experiment.circuit.population(slot.name)
                                    .initial_distributions())
            for var in sorted(initial_vars):
                parts = []
                for slot in group.populations:
                    dists = self.experiment.circuit.population(slot.name).initial_distributions()
                    if var in dists:
                        parts.append(dists[var].sample(self.rng(slot.name, "initial", var),
                                                       slot.size))
                    else:
                        parts.append(np.zeros(slot.size))
                values[f"{group.name}.{var}"] = np.concatenate(parts)
        shared = self.shared_weights()
        projections = {p.name: p for p in self.experiment.circuit.projections}
        for pathway in self.pathways():
            # the projections of a merged pathway have the same values (`merge_pathways`)
            proj, name = projections[pathway.projections[0]], pathway.name
            if proj.name in shared:
                values[f"{name}.w"] = float(np.asarray(proj.weight.value))
            else:
                for suffix, value in proj.weight.code_parameters().items():
                    values[f"{name}.weight_{suffix}"] = float(np.asarray(value))
            if delay_kind(proj) == "scalar":
                values[f"{name}.delay"] = float(np.asarray(proj.delay.value))
            elif delay_kind(proj) == "distribution":
                for suffix, value in proj.delay.code_parameters().items():
                    values[f"{name}.delay_{suffix}"] = float(np.asarray(value))
            for par in proj.synapse.parameters:
                values[f"{name}.{par}"] = float(np.asarray(proj.parameter_value(par)))
        return values

    def table_values(self):
        """``{"<table>.values": float64 array}``: the rate tables (Hz), row-major.

        A standalone binary reads them from its command line (Brian2 ``run_args`` of a
        ``TimedArray``), so new rates of the same shape re-use a compiled build. The
        spike times of ``SpikeGeneratorGroup`` s cannot be passed this way (Brian2 2.8
        declares its ``spike_time``/``neuron_index`` read-only, and only writeable arrays
        can be set from the command line): they stay part of the `structure`.
        """
        return {f"{name}.values": np.ascontiguousarray(table, dtype=np.float64).ravel()
                for name, (table, _) in self.rate_tables.items()}

    def state_probes(self):
        """``{group: (record, {variable: requested indices})}`` of the state recordings.

        `record` is the sorted union of indices (within the group) that a group's
        StateMonitor records; each variable lists the indices it was asked for.
        """
        probes = {}
        for probe in self.experiment.recording.state:
            slot = self.slots[probe.population]
            record, requested = probes.setdefault(slot.group, (set(), {}))
            indices = [slot.start + i for i in probe.indices(slot.size)]
            record.update(indices)
            for var in probe.variables:
                requested.setdefault(var, []).extend(indices)
        return {group: (sorted(record), requested)
                for group, (record, requested) in probes.items()}

    # -- structure ---------------------------------------------------------------------
    def structure(self):
        """Everything that shapes generated code (and nothing that is a run-time value)."""
        exp = self.experiment
        groups = []
        for group in self.groups.values():
            model = group.model
            groups.append({
                "name": group.name, "size": group.size,
                "equations": group.equations(), "threshold": model.threshold,
                "reset": model.reset, "refractory": model.refractory, "method": model.method,
                "populations": [[s.name, s.start, s.stop] for s in group.populations],
            })
            if model.regularly:
                groups[-1]["regularly"] = [r.to_dict() for r in model.regularly]
        projections = []
        for proj in exp.circuit.projections:
            pre, post = self.slots[proj.pre], self.slots[proj.post]
            rule = proj.connectivity
            item = {
                "name": proj.name, "pre": [pre.group, pre.start, pre.stop],
                "post": [post.group, post.start, post.stop],
                "target": exp.circuit.target_variable(proj),
                "synapse": proj.synapse.to_dict(), "connectivity": rule.to_dict(),
                "weight": proj.weight.structure(), "delay": proj.delay.structure(),
            }
            if rule.seed_in_code:
                item["seed"] = exp.seed
            projections.append(item)
        merged = {"pathways": [list(m) for m in self.merged]} if self.merged else {}
        return {
            "groups": groups,
            "spike_times": {g.name: _array_hash(*g.spikes) for g in self.groups.values()
                            if g.spikes is not None},
            # the values of a rate table are run-time values (`table_values`): only the
            # shape and row interval shape the code
            "rate_tables": {name: [list(np.shape(table)), interval]
                            for name, (table, interval) in self.rate_tables.items()},
            "projections": projections,
            "inputs": [i.to_dict() for i in exp.inputs],
            "recording": exp.recording.to_dict(),
            "duration": float(np.asarray(exp.duration)),
            "dt": float(np.asarray(exp.dt)),
            **merged,
        }

    def structure_hash(self):
        return content_hash(self.structure())


def delay_kind(projection):
    """How `projection`'s delay is implemented.

    ``None`` for a synapse without a spike pathway (a gap junction, a rate coupling),
    ``"scalar"`` for one delay of the whole pathway (a run-time value), ``"distribution"``
    for a delay per synapse drawn from the projection's distribution.
    """
    from bioneuro.distributions import Constant

    if not projection.synapse.on_pre:
        return None
    return "scalar" if isinstance(projection.delay, Constant) else "distribution"


#: a statement or equation that assigns the weight
_WEIGHT_ASSIGNED = re.compile(r"^\s*(w|dw\s*/\s*dt)\s*([-+*/]?=)")


def weight_is_shared(projection, recording, circuit):
    """True if `projection`'s weight is compiled as one scalar of the pathway.

    A constant weight (`Constant`) that no code of the synapse model writes is the same for
    every synapse during the whole run, so it is declared ``(shared, constant)``: a spike
    reads one value (hoisted out of the loop over its synapses) instead of one per synapse,
    and the synapses need 8 bytes less each (Brian2's own CUBA example writes the weight as
    a constant of the namespace for the same reason). It is a run-time value like any
    other: a sweep over the weight still re-uses the binary.

    Weights stay per synapse when they are recorded (`Recording.weight_monitored`), for
    synapse models without a spike pathway (gap junctions, rate couplings: ``(summed)``
    variables) and when any equation or statement assigns ``w`` (plasticity).

    Parameters
    ----------
    projection : Projection
    recording : Recording
    circuit : Circuit

    Returns
    -------
    bool
    """
    from bioneuro.distributions import Constant

    synapse = projection.synapse
    if not isinstance(projection.weight, Constant) or not synapse.on_pre \
            or "(summed)" in synapse.model \
            or projection.name in recording.weight_monitored(circuit):
        return False
    if len(WEIGHT_DECLARATION.findall(synapse.model)) != 1:
        return False
    lines = synapse.model.splitlines()
    code = [line for text in (synapse.on_pre, synapse.on_post,
                              *(op.code for op in synapse.regularly))
            for line in (text or "").splitlines()]
    return not any(_WEIGHT_ASSIGNED.match(line) for line in lines + code)


def _shared_weights(experiment):
    return frozenset(p.name for p in experiment.circuit.projections
                     if weight_is_shared(p, experiment.recording, experiment.circuit))


#: longest label of merged projections made by joining their names
_LONGEST_JOINED_LABEL = 80


def pathway_label(projections):
    """The label of a pathway of `projections` (names): the name of a single projection,
    else the names joined by ``__`` (``EE__EI``); beyond 80 characters the first name, the
    number of the others and a checksum of all (names of generated files stay short)."""
    joined = "__".join(projections)
    if len(projections) == 1 or len(joined) <= _LONGEST_JOINED_LABEL:
        return joined
    return f"{projections[0]}__and_{len(projections) - 1}_more_{zlib.crc32(joined.encode()):08x}"


def group_name(index):
    return f"neurons_{index}"


def synapses_name(projection):
    return f"syn_{projection}"


def _array_hash(*arrays):
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    return digest.hexdigest()


def weights_monitor_name(projection):
    return f"weights_{projection}"


def make_plan(experiment, varying=()):
    """Lower `experiment`'s protocol, group its populations by neuron model (each spike
    generator in a group of its own) and lay out their indices.

    Parameters
    ----------
    experiment : Experiment
    varying : collection of (str, str)
        ``(population, parameter)`` pairs whose values change between runs that must share
        a build (a sweep's axes; ``"*"`` for every parameter of a population): they stay
        per-neuron variables (see `_uniform_parameters`); ``(VARYING_PROJECTION, name)``
        keeps a projection in a ``Synapses`` object of its own (see `merge_pathways`).
    """
    stimulation = experiment.stimulation()
    source, experiment = experiment, stimulation.experiment
    groups, slots, keys = {}, {}, {}
    global_start = 0
    for pop in experiment.circuit.populations:
        key = content_hash(pop.model.to_dict())
        if pop.name in stimulation.spike_times:
            key = content_hash([key, pop.name])
        shared = {n: pop.parameter_distribution(n).to_dict()
                  for n, p in pop.model.parameters.items() if p.shared}
        if shared:  # shared parameters must agree inside a group
            key = content_hash([key, shared])
        if key not in keys:
            keys[key] = group_name(len(groups))
            groups[keys[key]] = GroupPlan(keys[key], pop.model,
                                          spikes=stimulation.spike_times.get(pop.name))
        group = groups[keys[key]]
        start = group.size
        slot = PopulationSlot(pop.name, group.name, start, start + pop.size, global_start)
        group.populations.append(slot)
        slots[pop.name] = slot
        global_start += pop.size
    varying = set(varying)
    for group in groups.values():
        group.shared = frozenset(_uniform_parameters(experiment, group, varying))
    return NetworkPlan(experiment, groups, slots, source, stimulation.rate_tables,
                       stimulation.epochs, merge_pathways(experiment, slots, varying))


#: the `make_plan` ``varying`` entry of a projection: ``(VARYING_PROJECTION, name)``
VARYING_PROJECTION = "projection:"


def _pathway_key(proj, experiment, slots, shared, varying):
    """What projections must share to be one ``Synapses`` object, or None if `proj` cannot
    be merged (see `merge_pathways`)."""
    from bioneuro.connectivity import Bernoulli

    rule = proj.connectivity
    if proj.name not in shared or (VARYING_PROJECTION, proj.name) in varying \
            or delay_kind(proj) != "scalar" or not isinstance(rule, Bernoulli) \
            or (not rule.allow_autapses and proj.pre == proj.post):
        return None
    values = [float(np.asarray(proj.weight.value)), float(np.asarray(proj.delay.value))]
    values += [float(np.asarray(proj.parameter_value(par))) for par in proj.synapse.parameters]
    return content_hash([proj.pre, slots[proj.post].group,
                         experiment.circuit.target_variable(proj), proj.synapse.to_dict(),
                         float(rule.p), values])


def merge_pathways(experiment, slots, varying=frozenset()):
    """Groups of projections that are compiled as one ``Synapses`` object.

    Projections from one population onto adjacent populations of one ``NeuronGroup`` that
    differ in nothing else (the same synapse model and target variable, Bernoulli
    connectivity of the same probability, and the same constant values of the weight, the
    delay and every synapse parameter) are one pathway to Brian2: one spike queue and one
    code object instead of one per projection, as Brian2's own CUBA example connects its
    excitatory neurons with one ``Synapses`` object onto both populations. Each pair is
    still connected independently with the projection's probability, and results,
    connectivity, SONATA export and checkpoints report the projections separately (by the
    slice of the postsynaptic group a synapse targets); only the random draw of a given
    seed differs from separate objects.

    Only weights compiled as one shared scalar (`weight_is_shared`: constant, not written,
    not recorded) qualify, and never a projection that a sweep varies (``varying`` holds
    ``(VARYING_PROJECTION, name)``), so that its points keep sharing one build.

    Parameters
    ----------
    experiment : Experiment
    slots : dict
        ``{population: PopulationSlot}``.
    varying : collection of tuple

    Returns
    -------
    tuple of tuple of str
        The groups of two or more projection names, each ordered by postsynaptic slice.
    """
    shared = _shared_weights(experiment)
    candidates = {}
    for proj in experiment.circuit.projections:
        key = _pathway_key(proj, experiment, slots, shared, varying)
        if key is not None:
            candidates.setdefault(key, []).append(proj)
    names = {p.name for p in experiment.circuit.projections}
    merged = []
    for members in candidates.values():
        members.sort(key=lambda p: slots[p.post].start)
        run = [members[0]]
        for proj in members[1:] + [None]:  # runs of adjacent postsynaptic slices
            if proj is not None and slots[proj.post].start == slots[run[-1].post].stop:
                run.append(proj)
                continue
            if len(run) > 1 and pathway_label([p.name for p in run]) not in names:
                merged.append(tuple(p.name for p in run))
            run = [proj]
    order = {p.name: k for k, p in enumerate(experiment.circuit.projections)}
    return tuple(sorted(merged, key=lambda m: min(order[n] for n in m)))


def _uniform_parameters(experiment, group, varying=frozenset()):
    """Parameters given by one constant for the whole group: ``(shared, constant)``.

    Brian2 evaluates expressions of shared constants once per time step instead of once per
    neuron (for an exactly integrated LIF group, six ``exp`` calls per neuron and step: the
    CUBA benchmark simulates 14 times faster). A parameter qualifies when every population
    of the group gives it by a `Constant` of the same value, unless a ``(population,
    parameter)`` pair in `varying` says it changes between runs sharing a build (a sweep
    axis: those stay per neuron, so the points re-use one binary). In a group of one
    population any constant qualifies, since its value is passed at run time either way.
    """
    from bioneuro.distributions import Constant

    pops = [experiment.circuit.population(slot.name) for slot in group.populations]
    shared = []
    for name in group.model.parameters:
        dists = [pop.parameter_distribution(name) for pop in pops]
        if not all(isinstance(d, Constant) for d in dists):
            continue
        if any((pop.name, name) in varying or (pop.name, "*") in varying for pop in pops) \
                and len(pops) > 1:
            continue
        if len({float(np.asarray(d.value)) for d in dists}) == 1:
            shared.append(name)
    return shared
