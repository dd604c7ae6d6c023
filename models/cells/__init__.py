"""Cell types: named presets of a library model with the published data they reproduce.

Each module holds the cells of one region and registers them in the ``cells`` catalogue
(`bioneuro.registry.get("cells", name)`, ``bioneuro list cells``). A cell type names its
model, parameter overrides, initial values, region, the observable it reproduces and its
sources; use it wherever a model is expected: ``Population("pyr", "cortex_pyramidal_rs", 80)``.
A module is imported when one of its cells is first looked up (`bioneuro.registry`).
"""
