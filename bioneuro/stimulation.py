"""Lowering an experiment's protocol onto its circuit, before anything is built.

Every block of ``experiment.protocol`` (see `bioneuro.protocols.stimulus`) lowers to source
populations and projections, current mechanisms composed onto target populations, spike
times, rate tables and an epoch schedule. `expand` applies them: the result is an ordinary
experiment (whose circuit holds the sources and the composed models) plus the data that the
plan carries to the builder. All timing errors (overlapping epochs, a schedule longer than
the run, spikes after its end) are raised here, when the experiment is created.
"""

from dataclasses import dataclass, field

from bioneuro.errors import SpecError
from bioneuro.spec import Circuit, Experiment, PoissonInput, Population

__all__ = ["Stimulation", "expand", "protocol_item"]


@dataclass
class Stimulation:
    """An experiment with its protocol lowered.

    Attributes
    ----------
    experiment : Experiment
        Circuit with the stimulus sources and composed models; its protocol keeps only the
        `PoissonInput` s (built as Brian2 ``PoissonInput``).
    spike_times : dict
        ``{population: (indices, times in s)}`` of ``SpikeGeneratorGroup`` populations.
    rate_tables : dict
        ``{name: (rates in Hz (rows, neurons), row interval in s)}`` (``TimedArray`` s).
    epochs : list of EpochRow
        The schedule, sorted by start time.
    """

    experiment: Experiment
    spike_times: dict = field(default_factory=dict)
    rate_tables: dict = field(default_factory=dict)
    epochs: list = field(default_factory=list)


def protocol_item(value):
    """A protocol block (or `PoissonInput`) from a block or its dict form."""
    from bioneuro import registry

    if isinstance(value, PoissonInput) or hasattr(value, "lower"):
        return value
    if not isinstance(value, dict):
        raise SpecError("protocol", value, "a protocol block or a mapping with a 'kind'")
    kind = value.get("kind", "poisson_input")
    return registry.get("protocols", kind, "protocol.kind").from_dict(value)


def expand(experiment):
    """Lower `experiment`'s protocol; return a `Stimulation`."""
    from bioneuro.models.composition import compose
    from bioneuro.protocols.stimulus import Lowered
    from bioneuro.protocols.trials import check_no_overlap

    circuit = experiment.circuit
    lowered = Lowered()
    for item in experiment.protocol:
        if isinstance(item, PoissonInput):
            continue
        # a block may refer to the sources of earlier blocks (e.g. monitor their activity)
        known = circuit if not lowered.populations else Circuit(
            circuit.name, circuit.populations + tuple(lowered.populations))
        part = item.lower(known, float(experiment.duration), float(experiment.dt))
        taken = {p.name for p in known.populations}
        for pop in part.populations:
            if pop.name in taken:
                raise SpecError(f"protocol.{item.name}", pop.name,
                                "a block whose source populations are named unlike the "
                                "circuit's populations and other blocks' sources (rename it)")
        lowered.extend(part)
    mechanisms = {}
    for population, mechanism, values in lowered.mechanisms:
        mechanisms.setdefault(population, []).append((mechanism, values))
    populations = []
    for pop in circuit.populations:
        if pop.name in mechanisms:
            items = mechanisms[pop.name]
            model = compose(pop.model, *(m for m, _ in items))
            values = {k: v for _, vals in items for k, v in vals.items()}
            pop = Population(pop.name, model, pop.size, {**pop.parameters, **values},
                             pop.initial, pop.region, pop.cell_type)
        populations.append(pop)
    stimulated = Circuit(circuit.name, tuple(populations) + tuple(lowered.populations),
                         circuit.projections + tuple(lowered.projections), circuit.inputs,
                         circuit.description, circuit.references)
    check_no_overlap(lowered.epochs, float(experiment.duration))
    inputs = tuple(p for p in experiment.protocol if isinstance(p, PoissonInput))
    lowered_experiment = Experiment(experiment.name, stimulated, inputs, experiment.recording,
                                    experiment.duration, experiment.dt, experiment.seed,
                                    experiment.description)
    epochs = sorted(lowered.epochs, key=lambda r: (r.start, r.protocol))
    return Stimulation(lowered_experiment, lowered.spike_times, lowered.rate_tables, epochs)
