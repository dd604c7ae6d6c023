"""Export a built circuit to the SONATA network format (nodes and edges in HDF5 + CSV).

The experiment is instantiated on Brian2's runtime device (nothing is simulated): its
connectivity, weights and delays are drawn exactly as `bioneuro.run` draws them for the
same seed. Written into the output folder:

- ``nodes.h5``: one node population per bioneuro population (``node_id``,
  ``node_type_id``, ``node_group_id``, ``node_group_index``; group ``0`` holds
  ``neuron_id``, the id in bioneuro result files);
- ``node_types.csv`` (space separated): ``node_type_id pop_name model_type model_template
  cell_type region dynamics_params``; the parameters of each population are written to
  ``components/<population>.json`` in SI units;
- ``edges.h5``: one edge population per projection (``source_node_id``/``target_node_id``
  with their ``node_population`` attribute, ``edge_type_id``, ``edge_group_id``,
  ``edge_group_index``; group ``0`` holds ``syn_weight`` and ``delay`` in SI units: the
  weight's unit is the ``weight_unit`` column of ``edge_types.csv``, delays in s);
- ``edge_types.csv``: ``edge_type_id projection model_template target weight_unit``;
- ``circuit_config.json`` naming the files.

`read_sonata` reads such a folder back (node counts and every edge population).

References
----------
Dai K et al. (2020) The SONATA data format for efficient description of large-scale
network models. PLoS Comput Biol 16(2):e1007696. https://doi.org/10.1371/journal.pcbi.1007696
"""

import csv
import gc
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from bioneuro.errors import ResultFileError

__all__ = ["to_sonata", "read_sonata"]


def _require_h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError("SONATA export needs h5py: pip install 'bioneuro[interchange]'") \
            from None
    return h5py


def _instantiate(plan):
    """``{projection: (pre, post, weight, delay)}`` drawn on the runtime device.

    Indices are within the pre- and postsynaptic populations; weight and delay in SI.
    """
    import brian2
    from brian2.devices.device import get_device, reinit_devices, set_device
    from brian2.utils.logger import catch_logs

    from bioneuro.build import build_network
    from bioneuro.devices import apply_state

    if get_device().__class__.__name__ != "RuntimeDevice":
        set_device("runtime")
    reinit_devices()
    brian2.prefs.codegen.target = "numpy"
    brian2.seed(plan.experiment.seed)
    values = plan.run_values()
    try:
        built = build_network(plan, lambda objects: apply_state(objects, values))
        edges, syn, holder = {}, None, None
        for proj in plan.experiment.circuit.projections:
            syn = built.synapses[plan.pathway_of(proj.name).name]
            pre = np.asarray(syn.variables["_synaptic_pre"].get_value(), dtype=np.int64)
            post = np.asarray(syn.variables["_synaptic_post"].get_value(), dtype=np.int64)
            select = plan.projection_synapses(proj.name, post)  # of a merged pathway
            # one value of the pathway (a shared weight, `weight_is_shared`) or one per synapse
            weight = np.broadcast_to(np.asarray(syn.variables["w"].get_value(), dtype=float),
                                     pre.shape).copy()
            # a delay per synapse, one scalar delay of the pathway, or no pathway
            holder = syn if "delay" in syn.variables else getattr(syn, "pre", None)
            delay = np.zeros(len(pre)) if holder is None else np.broadcast_to(
                np.asarray(holder.variables["delay"].get_value(), dtype=float),
                pre.shape).copy()
            # Brian2 stores indices within the whole NeuronGroup of a population's slice
            edges[proj.name] = (pre[select] - plan.slot(proj.pre).start,
                                post[select] - plan.slot(proj.post).start, weight[select],
                                delay[select])
        with catch_logs():  # nothing is run: Brian2 would warn about unused objects
            del built, syn, holder
            gc.collect()
    finally:
        reinit_devices()
    return edges


def _write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=" ", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def to_sonata(experiment, directory, seed=None, scale=None):
    """Write the circuit of `experiment` as a SONATA network into `directory`.

    Parameters
    ----------
    experiment : Experiment, str, path or dict
        As for `bioneuro.run` (a built-in name, a region, a YAML file, ...).
    directory : str or Path
        Output folder (created; the files appear there only once all are written).
    seed : int, optional
        Override the experiment's seed (it draws connectivity, weights and delays).
    scale : float, optional
        Network-size factor for built-in experiments.

    Returns
    -------
    Path
        The ``circuit_config.json`` file.
    """
    h5py = _require_h5py()
    from bioneuro.plan import make_plan
    from bioneuro.quantities import si_value, unit_string
    from bioneuro.simulate import resolve_experiment

    exp = resolve_experiment(experiment, scale)
    if seed is not None:
        exp = exp.replace(seed=seed)
    plan = make_plan(exp)
    circuit = plan.experiment.circuit
    edges = _instantiate(plan)
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        (tmp / "components").mkdir()
        node_rows = []
        with h5py.File(tmp / "nodes.h5", "w") as f:
            f.attrs["version"] = np.array([0, 1], dtype=np.uint32)
            f.attrs["magic"] = np.uint32(0x0A7A)
            for type_id, pop in enumerate(circuit.populations):
                slot = plan.slot(pop.name)
                grp = f.create_group(f"nodes/{pop.name}")
                grp["node_id"] = np.arange(pop.size, dtype=np.uint64)
                grp["node_type_id"] = np.full(pop.size, type_id, dtype=np.uint64)
                grp["node_group_id"] = np.zeros(pop.size, dtype=np.uint32)
                grp["node_group_index"] = np.arange(pop.size, dtype=np.uint64)
                grp.create_group("0")["neuron_id"] = np.arange(
                    slot.global_start, slot.global_start + pop.size, dtype=np.uint64)
                params = {name: pop.parameter_distribution(name).to_dict()
                          for name in pop.model.parameters}
                (tmp / "components" / f"{pop.name}.json").write_text(
                    json.dumps(params, indent=1, default=str))
                kind = "virtual" if not pop.model.state_variables() else "point_neuron"
                node_rows.append([type_id, pop.name, kind, f"bioneuro:{pop.model.name}",
                                  pop.cell_type or "NONE", pop.region or "NONE",
                                  f"{pop.name}.json"])
        _write_csv(tmp / "node_types.csv", ["node_type_id", "pop_name", "model_type",
                                            "model_template", "cell_type", "region",
                                            "dynamics_params"], node_rows)
        edge_rows = []
        with h5py.File(tmp / "edges.h5", "w") as f:
            f.attrs["version"] = np.array([0, 1], dtype=np.uint32)
            f.attrs["magic"] = np.uint32(0x0A7A)
            for type_id, proj in enumerate(circuit.projections):
                pre, post, weight, delay = edges[proj.name]
                grp = f.create_group(f"edges/{proj.name}")
                src = grp.create_dataset("source_node_id", data=pre.astype(np.uint64))
                src.attrs["node_population"] = proj.pre
                tgt = grp.create_dataset("target_node_id", data=post.astype(np.uint64))
                tgt.attrs["node_population"] = proj.post
                grp["edge_type_id"] = np.full(len(pre), type_id, dtype=np.uint64)
                grp["edge_group_id"] = np.zeros(len(pre), dtype=np.uint32)
                grp["edge_group_index"] = np.arange(len(pre), dtype=np.uint64)
                group = grp.create_group("0")
                group["syn_weight"] = weight
                group["delay"] = delay
                edge_rows.append([type_id, proj.name, f"bioneuro:{proj.synapse.name}",
                                  proj.target, unit_string(circuit.weight_unit(proj))])
        _write_csv(tmp / "edge_types.csv", ["edge_type_id", "projection", "model_template",
                                            "target", "weight_unit"], edge_rows)
        config = {
            "manifest": {"$NETWORK_DIR": "."},
            "components": {"point_neuron_models_dir": "$NETWORK_DIR/components"},
            "networks": {
                "nodes": [{"nodes_file": "$NETWORK_DIR/nodes.h5",
                           "node_types_file": "$NETWORK_DIR/node_types.csv"}],
                "edges": [{"edges_file": "$NETWORK_DIR/edges.h5",
                           "edge_types_file": "$NETWORK_DIR/edge_types.csv"}]},
            "bioneuro": {"experiment": plan.source.to_dict() if plan.source else {},
                         "seed": plan.experiment.seed,
                         "dt_s": si_value(plan.experiment.dt)},
        }
        (tmp / "circuit_config.json").write_text(json.dumps(config, indent=1, default=str))
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory / "circuit_config.json"


def read_sonata(directory):
    """Read a SONATA network written by `to_sonata` (or any nodes/edges pair).

    Parameters
    ----------
    directory : str or Path
        Folder holding ``circuit_config.json``.

    Returns
    -------
    dict
        ``{"nodes": {population: size}, "edges": {name: {"source", "target",
        "source_population", "target_population", "syn_weight", "delay"}}}``.
    """
    h5py = _require_h5py()
    directory = Path(directory)
    config_path = directory / "circuit_config.json"
    if not config_path.exists():
        raise ResultFileError(f"{directory}: no circuit_config.json (not a SONATA network)")
    config = json.loads(config_path.read_text())
    base = str(directory)

    def resolve(name):
        return Path(name.replace("$NETWORK_DIR", base))

    out = {"nodes": {}, "edges": {}}
    for entry in config["networks"]["nodes"]:
        with h5py.File(resolve(entry["nodes_file"]), "r") as f:
            for name, grp in f["nodes"].items():
                out["nodes"][name] = len(grp["node_id"])
    for entry in config["networks"]["edges"]:
        with h5py.File(resolve(entry["edges_file"]), "r") as f:
            for name, grp in f["edges"].items():
                out["edges"][name] = {
                    "source": grp["source_node_id"][()].astype(np.int64),
                    "target": grp["target_node_id"][()].astype(np.int64),
                    "source_population": grp["source_node_id"].attrs["node_population"],
                    "target_population": grp["target_node_id"].attrs["node_population"],
                    "syn_weight": grp["0/syn_weight"][()],
                    "delay": grp["0/delay"][()],
                }
    return out
