"""Docstrings of models, synapse models and cell types, generated from their metadata.

Every `NeuronModel`, `SynapseModel` and `CellType` carries a NumPy-style ``__doc__`` built
here from its own parameter table, so ``help``/``?`` in a notebook shows the description, each
parameter with its default, unit, allowed range and meaning, the synaptic channels and the
references, and the table can never drift from the values the builder uses.
"""

from bioneuro.quantities import display_quantity

__all__ = ["spec_docstring", "parameter_lines"]


def _show(value, unit):
    return f"{float(value):g}" if unit == "1" else display_quantity(value, unit)


def parameter_lines(parameters, header="Parameters"):
    """NumPy-style section listing `parameters` (mapping of name to `Parameter`).

    Each entry reads ``name : default [unit], range`` followed by the indented meaning.
    """
    if not parameters:
        return []
    lines = [header, "-" * len(header)]
    for name, par in parameters.items():
        low = "-inf" if par.low is None else _show(par.low, par.unit)
        high = "inf" if par.high is None else _show(par.high, par.unit)
        shared = ", shared" if par.shared else ""
        lines.append(f"{name} : {_show(par.default, par.unit)} [{par.unit}], "
                     f"range [{low}, {high}]{shared}")
        lines.append(f"    {par.description}")
    return lines


def _references(refs):
    if not refs:
        return []
    lines = ["References", "----------"]
    for ref in refs:
        lines.append(ref.citation + (f". doi:{ref.doi}" if ref.doi else ""))
    return lines


def spec_docstring(spec):
    """The generated docstring of a `NeuronModel`, `SynapseModel` or `CellType`."""
    kind = type(spec).__name__
    lines = [f"{spec.description or spec.name}", "", f"{kind} ``{spec.name}``"
             + (f" (tags: {', '.join(spec.tags)})" if spec.tags else "") + ".", ""]
    if kind == "CellType":
        lines += [f"Model ``{spec.model.name}`` in region ``{spec.region}``.",
                  f"Reproduces: {spec.reproduces}", ""]
        overrides = []
        for name, dist in spec.parameters.items():
            par = spec.model.parameters.get(name)
            value = _show(dist.value, par.unit) if hasattr(dist, "value") and par else \
                dist.to_dict()
            overrides.append(f"{name} = {value}")
        if overrides:
            lines += ["Parameter overrides", "-------------------"] + overrides + [""]
    else:
        lines += parameter_lines(spec.parameters) + [""]
    if kind == "NeuronModel" and spec.synaptic_targets:
        lines += ["Synaptic channels", "-----------------"]
        lines += [f"{ch} -> {var}" for ch, var in spec.synaptic_targets.items()] + [""]
    lines += _references(spec.references)
    return "\n".join(lines).rstrip() + "\n"
