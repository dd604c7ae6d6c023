"""The result Dataset schema, netCDF round trip and atomic writes."""

import json

import numpy as np
import pytest
import xarray as xr
from brian2.units import ms

import bioneuro as bn
from bioneuro.experiments import coba


@pytest.fixture(scope="module")
def result():
    exp = coba(scale=0.05, duration=100 * ms)
    exp = exp.replace(recording=bn.Recording(
        state=[bn.StateProbe("E", ["v", "g_e"], (0, 3)), bn.StateProbe("I", ["v"], 1)],
        population_rates=["E", "I"], connectivity=True))
    return bn.run(exp, device="runtime", seed=4)


def test_neuron_coordinates(result):
    ds = result
    assert ds.sizes["neuron"] == 200
    assert list(np.unique(ds["population"].values)) == ["E", "I"]
    assert (ds["population"] == "E").sum() == 160
    assert ds["cell_type"].sel(neuron=170).item() == "inhibitory"
    assert ds["index"].sel(neuron=170).item() == 10
    assert set(ds["region"].values) == {"balanced_network"}


def test_spikes_sorted_with_units(result):
    ds = result
    t = ds["spike_time"].values
    assert np.all(np.diff(t) >= 0) and len(t) > 0
    assert ds["spike_neuron"].max() < ds.sizes["neuron"]
    assert ds["spike_time"].attrs["units"] == "s"


def test_traces_and_rates_and_connectivity(result):
    ds = result
    assert list(ds["recorded_neuron"].values) == [0, 3, 160]
    assert ds["v"].attrs["units"] == "V" and ds["g_e"].attrs["units"] == "S"
    # g_e was only recorded in E: NaN in the I column
    assert np.isnan(ds["g_e"].sel(recorded_neuron=160)).all()
    assert ds.sizes["time"] == 1000
    assert ds["population_rate"].attrs["units"] == "Hz"
    counts = json.loads(ds.attrs["n_synapses"])
    assert ds.sizes["synapse"] == sum(counts.values())
    ee = ds["synapse_projection"] == "EE"
    assert int(ee.sum()) == counts["EE"]
    assert (ds["synapse_pre"].where(ee, drop=True) < 160).all()
    assert ds["weight"].attrs["units"] == "S"
    np.testing.assert_allclose(ds["weight"].where(ee, drop=True), 6e-9)


def test_every_variable_has_units(result):
    for name, var in result.variables.items():
        if var.dtype.kind == "f":
            assert "units" in var.attrs, name


def test_provenance(result):
    attrs = result.attrs
    for key in ("bioneuro_version", "brian2_version", "numpy_version", "device", "seed",
                "dt_s", "duration_s", "experiment", "time_build_s", "time_run_s",
                "structure_hash", "git_revision"):
        assert key in attrs, key
    spec = bn.Experiment.from_dict(json.loads(attrs["experiment"]))
    assert spec.content_hash() == attrs["experiment_hash"]


def test_save_load_identical(result, tmp_path):
    path = bn.save(result, tmp_path / "run.nc")
    back = bn.load(path)
    assert back.identical(result)
    assert not list(tmp_path.glob(".run.nc*"))  # no temporary file left


@pytest.mark.parametrize("compression", ["zstd", "none"])
def test_save_codecs_load_identical(result, tmp_path, compression):
    """Every codec of bn.save is lossless (the benchmark's io family times them)."""
    path = bn.save(result, tmp_path / f"{compression}.nc", compression=compression)
    assert bn.load(path).identical(result)
    with pytest.raises(bn.SpecError, match="compression.*'gzip'.*zstd"):
        bn.save(result, tmp_path / "x.nc", compression="gzip")


def test_failed_save_leaves_no_file(result, tmp_path):
    bad = result.copy()
    bad.attrs["not_serialisable"] = {"a": 1}
    with pytest.raises((TypeError, ValueError)):
        bn.save(bad, tmp_path / "bad.nc")
    assert list(tmp_path.iterdir()) == []


def test_load_rejects_bad_files(tmp_path):
    garbage = tmp_path / "garbage.nc"
    garbage.write_bytes(b"this is not netCDF")
    with pytest.raises(bn.ResultFileError, match="garbage.nc"):
        bn.load(garbage)
    foreign = tmp_path / "foreign.nc"
    xr.Dataset({"x": ("a", [1, 2])}).to_netcdf(foreign)
    with pytest.raises(bn.ResultFileError, match="not a bioneuro result"):
        bn.load(foreign)
    with pytest.raises(bn.ResultFileError, match="no such"):
        bn.load(tmp_path / "missing.nc")


def test_mixed_weight_units_are_labelled_per_synapse():
    """pA onto a current-based and nS onto a conductance-based target: one weight array,
    each synapse labelled with its own unit (the values are SI: 30 pA = 3e-11 A)."""
    circuit = bn.Circuit("mixed", [
        bn.Population("A", "lif_curr_exp", 3), bn.Population("B", "lif_cond_exp", 2)], [
        bn.Projection("AA", "A", "A", "e", {"kind": "all_to_all"}, "30 pA"),
        bn.Projection("AB", "A", "B", "e", {"kind": "all_to_all"}, "2 nS")])
    exp = bn.Experiment("mixed", circuit, recording=bn.Recording(connectivity=True),
                        duration=1 * ms)
    ds = bn.run(exp, device="runtime")
    assert ds["weight"].attrs["units"] == "mixed (see synapse_weight_units)"
    units = ds["synapse_weight_units"].values
    projection = ds["synapse_projection"].values
    assert set(units[projection == "AA"]) == {"A"} and set(units[projection == "AB"]) == {"S"}
    np.testing.assert_allclose(ds["weight"].values[projection == "AA"], 30e-12)
    np.testing.assert_allclose(ds["weight"].values[projection == "AB"], 2e-9)
    assert int((projection == "AA").sum()) == 9 and int((projection == "AB").sum()) == 6


def test_a_variable_recorded_with_two_units_is_refused():
    """I_in is a current in lif_curr_exp and a voltage rate in izhikevich_curr_exp."""
    circuit = bn.Circuit("two_units", [bn.Population("A", "lif_curr_exp", 2),
                                       bn.Population("B", "izhikevich_curr_exp", 2)])
    recording = bn.Recording(state=[bn.StateProbe("A", ["I_in"]),
                                    bn.StateProbe("B", ["I_in"])])
    with pytest.raises(bn.SpecError, match=r"recording\.state\.B\.variables.*'I_in'.*'A'"):
        bn.Experiment("two_units", circuit, recording=recording)
