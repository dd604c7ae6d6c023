"""Create the Brian2 network of a `NetworkPlan`.

Only this module creates Brian2 objects. The order of operations is what makes a compiled
standalone binary re-usable: groups are created first, then every run-time value is applied
(in standalone mode through ``device.apply_run_args()``, i.e. from the command line of the
binary), and only then are synapses connected and their weights drawn from distributions
whose parameters are those run-time values.
"""

from dataclasses import dataclass, field

import numpy as np
from brian2 import (
    Function,
    Network,
    NeuronGroup,
    PoissonInput,
    PopulationRateMonitor,
    SpikeGeneratorGroup,
    SpikeMonitor,
    StateMonitor,
    Synapses,
    TimedArray,
    defaultclock,
)
from brian2.devices.device import get_device
from brian2.units import Hz, ms, second
from brian2.utils.logger import BrianLogger

from bioneuro.errors import SpecError
from bioneuro.plan import (
    WATCH_INTERVAL_MS,
    WATCH_VARIABLE,
    delay_kind,
    weights_monitor_name,
)
from bioneuro.quantities import equation_unit, format_quantity
from bioneuro.weight_statistics import FIELDS, HEADER, HEADER_NAME, WeightStatistics

__all__ = ["BuiltNetwork", "build_network", "nonfinite"]


def _nonfinite_python(x):
    return (~np.isfinite(np.asarray(x, dtype=float))).astype(np.int32)


#: ``nonfinite(x)`` is 1 where ``x`` is NaN or infinite (x dimensionless)
nonfinite = Function(_nonfinite_python, arg_units=[1], return_unit=1,
                     arg_types=["float"], return_type="integer")
nonfinite.implementations.add_implementation(
    "cpp", {"support_code": "static inline int nonfinite(double x) { return !std::isfinite(x); }"},
    compiler_kwds={"headers": ["<cmath>"]})
nonfinite.implementations.add_implementation(
    "cython", "from libc.math cimport isfinite\n"
              "cdef int nonfinite(double x):\n    return 0 if isfinite(x) else 1\n")
nonfinite.implementations.add_implementation(
    "cuda", {"support_code": "__host__ __device__ static inline int nonfinite(double x)"
                             " { return !isfinite(x); }"})

def _progress_python(t, duration, final_tick):  # runtime runs use Brian2's own report
    return 0.0


#: ``progress(t, duration)`` prints ``bioneuro-progress <t> <duration> <cpu s>`` at most every
#: 10 s of CPU time and at the end. Called from a coarse run_regularly, it costs nothing
#: per time step, unlike Brian2's report (a clock read per object and step, ~20 % of a
#: small network's simulation time).
progress = Function(_progress_python, arg_units=[1, 1, 1], return_unit=1,
                    arg_types=["float", "float", "float"], return_type="float")
progress.implementations.add_implementation("cpp", {"support_code": """
static inline double progress(double t, double duration, double final_tick) {
    static const std::clock_t _start = std::clock();
    static double _last = 0.0;
    const double _elapsed = (double)(std::clock() - _start) / CLOCKS_PER_SEC;
    if (_elapsed - _last >= 10.0 || t >= final_tick) {
        _last = _elapsed;
        std::cout << "bioneuro-progress " << (t >= final_tick ? duration : t) << " "
                  << duration << " " << _elapsed
                  << std::endl;
    }
    return 0.0;
}
"""}, compiler_kwds={"headers": ["<ctime>", "<iostream>"]})

#: number of progress checks per run
PROGRESS_STEPS = 100

_NAMESPACE = {"nonfinite": nonfinite, "progress": progress}


@dataclass
class BuiltNetwork:
    """A Brian2 `Network` and the handles needed to read its results."""

    network: Network
    groups: dict
    synapses: dict
    spike_monitors: dict = field(default_factory=dict)  # name -> (group, start, stop)
    state_monitors: dict = field(default_factory=dict)  # name -> (group, indices, variables)
    rate_monitors: dict = field(default_factory=dict)   # name -> population
    weight_monitors: dict = field(default_factory=dict)  # name -> (projection, vars, cols)
    files: dict = field(default_factory=dict)           # extra project files: name -> text
    objects: dict = field(default_factory=dict)         # name -> Brian2 object


def _watch_code(model):
    """run_regularly code recording the first time any state variable is non-finite.

    Returns ``None`` for a model without differential equations (a spike source).
    """
    units = model.variable_units()
    checks = []
    for var in model.state_variables():
        unit = equation_unit(units[var])
        checks.append(f"nonfinite({var})" if unit == "1" else f"nonfinite({var}/{unit})")
    if not checks:
        return None
    flag = f"int(({' + '.join(checks)}) > 0)"
    return (f"{WATCH_VARIABLE} = {WATCH_VARIABLE} + int({WATCH_VARIABLE}/second < 0)"
            f"*{flag}*(t - {WATCH_VARIABLE})")


def _add_regularly(group, operations):
    """Add a model's `Regularly` operations to its group (or synapses)."""
    for k, op in enumerate(operations):
        group.run_regularly(op.code, dt=op.dt, when=op.when, order=op.order,
                            name=f"{group.name}_regularly_{k}")


def build_network(plan, apply_run_values, report_progress=False, after_connect=None):
    """Create every Brian2 object of `plan` and return a `BuiltNetwork`.

    Parameters
    ----------
    plan : NetworkPlan
    apply_run_values : callable
        Called with ``{name: Brian2 group}`` after the groups exist and before anything
        uses their values: it sets the run-time values (directly on the runtime device, or
        by calling ``device.apply_run_args()`` in standalone mode).
    report_progress : bool
        Add the `progress` reporter (C++ standalone only).
    after_connect : callable, optional
        Called with ``{name: Brian2 group}`` once every synapse is connected and its
        weights and delays are set: the hook where a resumed run overwrites the state
        (see `bioneuro.checkpoint`).
    """
    exp = plan.experiment
    defaultclock.dt = exp.dt
    objects = {}
    groups = {}
    # rate tables of stimuli (read by their source groups' thresholds)
    namespace = dict(_NAMESPACE)
    for tname, (table, interval) in plan.rate_tables.items():
        namespace[tname] = TimedArray(table * Hz, dt=interval * second, name=tname)
    neuron_groups = [n for n, g in plan.groups.items() if g.spikes is None]
    for name, gplan in plan.groups.items():
        model = gplan.model
        if gplan.spikes is not None:
            indices, times = gplan.spikes
            groups[name] = objects[name] = SpikeGeneratorGroup(
                gplan.size, indices, times * second, name=name)
            continue
        eqs = gplan.equations() + f"\n{WATCH_VARIABLE} : second"
        reporter = report_progress and name == neuron_groups[0]
        if reporter:
            eqs += "\nprogress_tick : 1 (shared)"
        group = NeuronGroup(
            gplan.size, eqs,
            threshold=model.threshold or None,
            reset=model.reset or None,
            refractory=model.refractory or False,
            method=model.method,
            namespace=dict(namespace),
            name=name,
        )
        group.t_nonfinite = -1 * second
        watch = _watch_code(model)
        if watch:
            group.run_regularly(watch, dt=WATCH_INTERVAL_MS * ms, when="end",
                                name=f"{name}_watch")
        if reporter:
            duration = float(exp.duration)
            interval = max(float(exp.dt), duration / PROGRESS_STEPS)
            final_tick = duration - 1.5 * interval
            group.run_regularly(f"progress_tick = progress(t/second, {duration!r}, "
                                f"{final_tick!r})",
                                dt=interval * second, when="end", name="progress_report")
        _add_regularly(group, model.regularly)
        groups[name] = objects[name] = group

    def view(population):
        slot = plan.slot(population)
        if plan.groups[slot.group].spikes is not None:  # not sliceable, always whole
            return groups[slot.group]
        return groups[slot.group][slot.start:slot.stop]

    synapses = {}
    shared_weights = plan.shared_weights()
    projections = {p.name: p for p in exp.circuit.projections}
    pathways = plan.pathways()
    for pathway in pathways:
        # the projections of a merged pathway agree in everything used here
        proj = projections[pathway.projections[0]]
        target = exp.circuit.target_variable(proj)
        weight_unit = equation_unit(exp.circuit.weight_unit(proj))
        target_unit = equation_unit(plan.group_of(proj.post).model.variable_units()[target])
        shared = proj.name in shared_weights  # w is itself a run-time scalar
        model, on_pre, on_post = proj.synapse.substituted(target, weight_unit, target_unit,
                                                          shared_weight=shared)
        distributions = [] if shared else [("weight", proj.weight, weight_unit)]
        if delay_kind(proj) == "distribution":
            distributions.append(("delay", proj.delay, "second"))
        extra = []
        for prefix, dist, dist_unit in distributions:
            for suffix in dist.code_parameters():
                par_unit = "1" if suffix == "sigma" else dist_unit
                extra.append(f"{prefix}_{suffix} : {par_unit} (shared, constant)")
        # a constant delay is one scalar of the pathway (set at run time like any value);
        # without the keyword Brian2 keeps a delay per synapse and a slower spike queue
        delay = {"delay": proj.delay.value} if delay_kind(proj) == "scalar" else {}
        post = groups[plan.slot(proj.post).group][pathway.post_start:pathway.post_stop]
        syn = Synapses(view(proj.pre), post, model="\n".join([model] + extra),
                       on_pre=on_pre or None, on_post=on_post or None,
                       method=proj.synapse.method,
                       namespace=dict(namespace), name=pathway.name, **delay)
        _add_regularly(syn, proj.synapse.regularly)
        synapses[pathway.name] = objects[pathway.name] = syn

    apply_run_values({**groups, **synapses})

    for pathway in pathways:
        proj = projections[pathway.projections[0]]
        syn = synapses[pathway.name]
        pre = plan.slot(proj.pre)
        rng = plan.rng(proj.name, "connectivity")
        # a merged pathway: a Bernoulli rule over all its targets (no autapse condition)
        same = proj.pre == proj.post and not pathway.merged
        syn.connect(**proj.connectivity.connect_arguments(
            pre.size, pathway.post_stop - pathway.post_start, same, rng))
        if proj.name not in shared_weights:
            syn.w = proj.weight.code("weight")
        if delay_kind(proj) == "distribution":
            syn.delay = proj.delay.code("delay")
    if after_connect is not None:
        after_connect({**groups, **synapses})

    for item in exp.inputs:
        name = f"input_{item.name}"
        # Brian2 2.8's PoissonInput takes no name: the key names it in the network
        objects[name] = PoissonInput(view(item.population), exp.circuit.target_variable(item),
                                     item.n, item.rate, weight=item.weight)

    built = BuiltNetwork(None, groups, synapses, objects=objects)
    rec = exp.recording
    spike_pops = rec.spike_populations(exp.circuit)
    for gname, gplan in plan.groups.items():
        if not gplan.model.threshold and gplan.spikes is None:  # no spikes (a rate model)
            continue
        members = [s for s in gplan.populations if s.name in spike_pops]
        if len(members) == len(gplan.populations):
            mname = f"spikes_{gname}"
            objects[mname] = SpikeMonitor(groups[gname], name=mname)
            built.spike_monitors[mname] = (gname, 0, gplan.size)
        else:
            for slot in members:
                mname = f"spikes_{slot.name}"
                objects[mname] = SpikeMonitor(view(slot.name), name=mname)
                built.spike_monitors[mname] = (gname, slot.start, slot.stop)

    for gname, (record, requested) in plan.state_probes().items():
        mname = f"state_{gname}"
        variables = list(requested)
        objects[mname] = StateMonitor(groups[gname], variables, record=record,
                                      dt=rec.state_dt, name=mname)
        built.state_monitors[mname] = (gname, record, variables)

    for pop in rec.population_rates:
        mname = f"rate_{pop}"
        objects[mname] = PopulationRateMonitor(view(pop), name=mname)
        built.rate_monitors[mname] = pop

    monitored = rec.weight_monitored(exp.circuit)
    if monitored and get_device().__class__.__name__ == "CUDAStandaloneDevice":
        raise SpecError("recording.weights_dt", format_quantity(rec.weights_dt),
                        "None on cuda_standalone (weight statistics are reduced by C++ "
                        "host code; use cpp_standalone or the runtime device)")
    statistics = WeightStatistics(rec.weight_bins, rec.weights_dt) if monitored else None
    for proj_name in monitored:
        proj = next(p for p in exp.circuit.projections if p.name == proj_name)
        syn = synapses[plan.pathway_of(proj_name).name]  # never merged: recorded
        mname = weights_monitor_name(proj_name)
        params = proj.synapse.parameters
        # structural rules mark occupied sites with an `active` subexpression
        group, monitor = statistics.monitor(
            syn, f"{mname}_stats", equation_unit(exp.circuit.weight_unit(proj)),
            low="w_min" if "w_min" in params else "",
            high="w_max" if "w_max" in params else "",
            active="1.0*active" if "active" in syn.variables else "1.0")
        objects[group.name] = group
        objects[monitor.name] = monitor
        built.weight_monitors[monitor.name] = (proj_name, list(FIELDS), rec.weight_bins)
        built.files[HEADER_NAME] = HEADER
        indices = rec.weight_synapses.get(proj_name, ())
        if indices:
            # indices beyond the (run-time) synapse count are reported after the run
            BrianLogger.suppress_name("cannot_check_statemonitor_indices")
            objects[mname] = StateMonitor(syn, ["w"], record=list(indices),
                                          dt=rec.weights_dt, name=mname)
            built.weight_monitors[mname] = (proj_name, ["w"], len(indices))

    built.network = Network(list(objects.values()), name="network")
    return built
