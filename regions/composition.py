"""Compose several region circuits into one circuit with named inter-region projections.

Each region keeps its own populations, projections and background inputs; their names are
prefixed with the region's key (``cortex`` + ``E`` -> ``cortex_E``) so that two regions may
both have a population called ``E``. Every population's ``region`` label becomes its key, so
a run's Dataset can be split by region even when two keys hold the same template (the
template's own label, e.g. ``spinal_cord`` inside a ``brainstem`` template, is replaced;
the ``cell_type`` label is kept).

Inter-region projections name their ends as ``"region.population"``::

    loop = combine("loop", {"cortex": cortex(0.1), "brainstem": motor_pool()},
                   [Projection("cortex_to_motor", "cortex.L5E", "brainstem.MN", "e",
                               FixedInDegree(20), 0.5 * nS, delay=5 * ms)])
"""

from dataclasses import replace

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.spec import Circuit, PoissonInput, Projection

__all__ = ["combine", "qualified_name"]


def qualified_name(region, population):
    """The name of `population` of `region` inside a combined circuit."""
    return f"{region}_{population}"


def _resolve_end(end, regions, field_name):
    region, sep, population = str(end).partition(".")
    if not sep:
        raise SpecError(field_name, end, "'region.population' (e.g. 'cortex.L5E')")
    if region not in regions:
        raise UnknownNameError(field_name, region, regions)
    known = [p.name for p in regions[region].populations]
    if population not in known:
        raise UnknownNameError(field_name, population, known)
    return qualified_name(region, population)


def combine(name, regions, projections=(), inputs=(), description="", seed=None):
    """One `Circuit` made of several region circuits and projections between them.

    Parameters
    ----------
    name : str
        Name of the combined circuit.
    regions : mapping of str to Circuit
        Region key -> circuit (a region template's result). Keys prefix every population,
        projection and input name of that circuit.
    projections : sequence of Projection or dict
        Inter-region projections whose ``pre`` and ``post`` are ``"region.population"``;
        their own names are kept as given.
    inputs : sequence of PoissonInput or dict
        Extra background inputs whose ``population`` is ``"region.population"``.
    description : str
    seed : int, optional
        Default seed of experiments on the combined circuit (`bioneuro.spec.Circuit.seed`).
        One experiment draws every region's connectivity and values from one seed, so the
        regions' own seeds are not used.

    Returns
    -------
    Circuit
        With the union of the regions' references.

    Raises
    ------
    SpecError, UnknownNameError
        For an empty `regions`, a key that is not a valid name, or an unknown region or
        population in a projection end.
    """
    regions = dict(regions)
    if not regions:
        raise SpecError("regions", regions, "at least one region circuit")
    populations, projs, extra, references = [], [], [], []
    for key, circuit in regions.items():
        if not isinstance(circuit, Circuit):
            raise SpecError(f"regions.{key}", type(circuit).__name__, "a Circuit")
        for pop in circuit.populations:
            populations.append(replace(pop, name=qualified_name(key, pop.name),
                                       region=key))
        for proj in circuit.projections:
            projs.append(replace(proj, name=qualified_name(key, proj.name),
                                 pre=qualified_name(key, proj.pre),
                                 post=qualified_name(key, proj.post)))
        for item in circuit.inputs:
            extra.append(replace(item, name=qualified_name(key, item.name),
                                 population=qualified_name(key, item.population)))
        references += [r for r in circuit.references if r not in references]
    for proj in projections:
        proj = proj if isinstance(proj, Projection) else Projection.from_dict(proj)
        where = f"projections.{proj.name}"
        projs.append(replace(proj, pre=_resolve_end(proj.pre, regions, f"{where}.pre"),
                             post=_resolve_end(proj.post, regions, f"{where}.post")))
    for item in inputs:
        item = item if isinstance(item, PoissonInput) else PoissonInput.from_dict(item)
        extra.append(replace(item, population=_resolve_end(
            item.population, regions, f"inputs.{item.name}.population")))
    description = description or "Regions " + ", ".join(
        f"{key} ({circuit.name})" for key, circuit in regions.items())
    return Circuit(name, populations, projs, extra, description=description,
                   references=references, seed=seed)
