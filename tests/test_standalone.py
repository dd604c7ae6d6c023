"""cpp_standalone: equivalence with runtime, the build cache, run_args re-use, seeds,
concurrency and reproducibility. These compile C++ (a few seconds per distinct network)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from brian2.units import ms
from lif_dc import first_spike_time, lif_dc_experiment

import bioneuro as bn
from bioneuro.experiments import cuba

pytestmark = pytest.mark.slow

DC_CURRENTS = (0.5, 0.6, 0.3)


@pytest.fixture(scope="module")
def dc_standalone(build_cache):
    return bn.run(lif_dc_experiment(DC_CURRENTS), device="cpp_standalone",
                  cache_dir=build_cache)


def test_standalone_equals_runtime_spike_for_spike(dc_standalone):
    runtime = bn.run(lif_dc_experiment(DC_CURRENTS), device="runtime")
    np.testing.assert_array_equal(dc_standalone["spike_neuron"], runtime["spike_neuron"])
    np.testing.assert_allclose(dc_standalone["spike_time"], runtime["spike_time"], atol=1e-12)
    np.testing.assert_allclose(dc_standalone["v"], runtime["v"], rtol=0, atol=1e-12)


def test_cache_hit_skips_code_generation_and_compilation(dc_standalone, build_cache):
    build_dir = Path(dc_standalone.attrs["build_dir"])
    binary = build_dir / "main"
    before = {p: p.stat().st_mtime_ns for p in build_dir.rglob("*") if p.is_file()
              and "runs" not in p.parts}
    again = bn.run(lif_dc_experiment(DC_CURRENTS), device="cpp_standalone",
                   cache_dir=build_cache)
    assert again.attrs["build_cache_hit"] == 1
    assert again.attrs["time_codegen_s"] == 0 and again.attrs["time_compile_s"] == 0
    after = {p: p.stat().st_mtime_ns for p in build_dir.rglob("*") if p.is_file()
             and "runs" not in p.parts}
    assert after == before and binary in after  # nothing regenerated or relinked
    np.testing.assert_array_equal(again["spike_time"], dc_standalone["spike_time"])


def test_new_parameter_values_reuse_the_binary_and_are_applied(dc_standalone, build_cache):
    currents = (0.45, 0.8, 1.2)
    ds = bn.run(lif_dc_experiment(currents), device="cpp_standalone", cache_dir=build_cache)
    assert ds.attrs["build_cache_hit"] == 1
    assert ds.attrs["build_dir"] == dc_standalone.attrs["build_dir"]
    dt = ds.attrs["dt_s"]
    for k, current in enumerate(currents):
        first = ds["spike_time"].values[ds["spike_neuron"].values == k][0]
        assert first_spike_time(current) - dt - 1e-12 <= first <= first_spike_time(current)


def test_equal_values_across_populations_are_shared_unless_declared_varying(dc_standalone,
                                                                            build_cache):
    """A parameter equal in every population of a group compiles as a shared constant (a
    new structure); declared `varying` (as a sweep does), it stays per neuron and the run
    re-uses the heterogeneous run's binary."""
    uniform = bn.run(lif_dc_experiment((0.5, 0.5, 0.5)), device="cpp_standalone",
                     cache_dir=build_cache)
    assert uniform.attrs["build_dir"] != dc_standalone.attrs["build_dir"]
    varying = [(f"P{k}", "I_ext") for k in range(3)]
    reused = bn.run(lif_dc_experiment((0.5, 0.5, 0.5)), device="cpp_standalone",
                    cache_dir=build_cache, varying=varying)
    assert reused.attrs["build_dir"] == dc_standalone.attrs["build_dir"]
    assert reused.attrs["build_cache_hit"] == 1
    for ds in (uniform, reused):
        firsts = [ds["spike_time"].values[ds["spike_neuron"].values == k][0]
                  for k in range(3)]
        assert firsts[0] == firsts[1] == firsts[2]
    np.testing.assert_array_equal(uniform["spike_time"], reused["spike_time"])


@pytest.fixture(scope="module")
def small_cuba():
    return cuba(scale=0.25, duration=300 * ms)


def test_same_seed_same_data_other_seed_other_data(small_cuba, build_cache):
    a = bn.run(small_cuba, device="cpp_standalone", cache_dir=build_cache, seed=5)
    b = bn.run(small_cuba, device="cpp_standalone", cache_dir=build_cache, seed=5)
    c = bn.run(small_cuba, device="cpp_standalone", cache_dir=build_cache, seed=6)
    assert b.attrs["build_cache_hit"] == 1 and c.attrs["build_cache_hit"] == 1
    for name in ("spike_time", "spike_neuron", "v"):
        np.testing.assert_array_equal(a[name], b[name])
    assert a.attrs["n_synapses"] == b.attrs["n_synapses"] != c.attrs["n_synapses"]
    assert len(a["spike_time"]) != len(c["spike_time"]) or \
        not np.array_equal(a["spike_time"], c["spike_time"])


def test_runtime_and_standalone_rates_agree_statistically(small_cuba, build_cache):
    """Different RNG streams (numpy vs C++), so compare mean rates over seeds."""
    from bioneuro.analysis import population_mean_rates

    def mean_rates(device):
        rates = [population_mean_rates(bn.run(small_cuba, device=device, seed=s,
                                              cache_dir=build_cache)) for s in (1, 2, 3)]
        return {p: np.mean([float(r.sel(population=p)) for r in rates]) for p in ("E", "I")}

    runtime, standalone = mean_rates("runtime"), mean_rates("cpp_standalone")
    for pop in ("E", "I"):
        assert runtime[pop] > 1.0
        assert abs(runtime[pop] - standalone[pop]) / standalone[pop] < 0.25, (runtime, standalone)


def test_concurrent_runs_build_once(tmp_path):
    """Two processes start the same new experiment at once: one builds, both succeed."""
    cache = tmp_path / "cache"
    code = (
        "import sys, bioneuro as bn; from lif_dc import lif_dc_experiment; "
        "from brian2.units import ms; "
        f"ds = bn.run(lif_dc_experiment((0.7, 0.9), duration=20*ms), device='cpp_standalone', "
        f"cache_dir=r'{cache}'); "
        "print(ds.attrs['build_cache_hit'], len(ds.spike_time))"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent))
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    results = sorted(out.split() for out, _ in outputs)
    assert [r[0] for r in results] == ["0", "1"]  # exactly one build
    assert results[0][1] == results[1][1]
    assert len([d for d in cache.iterdir() if d.is_dir()]) == 1


def test_failed_compile_reports_compiler_message_and_build_dir(tmp_path):
    with pytest.raises(bn.BuildError) as err:
        bn.run(lif_dc_experiment((0.5,), duration=5 * ms), device="cpp_standalone",
               cache_dir=tmp_path, headers=['"no_such_header_bioneuro.h"'])
    message = str(err.value)
    assert "compilation failed" in message and "no_such_header_bioneuro.h" in message
    assert str(tmp_path) in message and Path(err.value.build_dir).is_dir()
    # the failed build is not mistaken for a cached one
    assert not (Path(err.value.build_dir) / "manifest.json").exists()


def test_manifest_lists_result_files(dc_standalone):
    manifest = json.loads((Path(dc_standalone.attrs["build_dir"]) / "manifest.json").read_text())
    assert "spikes_neurons_0.t" in manifest["results"]
    assert "neurons_0.I_ext" in manifest["run_values"]


def test_binary_writes_only_the_results_a_run_reads(small_cuba, build_cache, tmp_path):
    """Brian2's binary writes every array (weights, delays, indices of each synapse);
    bioneuro's writes the manifest's readouts, and the final state only on request."""
    from bioneuro.checkpoint import FINAL
    from bioneuro.devices import FINAL_STATE_ENV

    ds = bn.run(small_cuba, device="cpp_standalone", cache_dir=build_cache, seed=5)
    build_dir = Path(ds.attrs["build_dir"])
    results = json.loads((build_dir / "manifest.json").read_text())["results"]
    every_run = {f for key, (f, _, _) in results.items() if not key.startswith(FINAL)}
    final = {f for key, (f, _, _) in results.items() if key.startswith(FINAL)}
    assert any("_synaptic_pre" in f for f in final)
    for env, expected in (({}, every_run), ({FINAL_STATE_ENV: "1"}, every_run | final)):
        out = tmp_path / f"out{len(env)}"
        out.mkdir()
        subprocess.run([str(build_dir / "main"), "--results_dir", f"{out}{os.sep}"],
                       cwd=build_dir, env={**os.environ, **env}, check=True,
                       capture_output=True)
        assert {p.name for p in out.iterdir()} == expected | {"last_run_info.txt"}


_ALIGNMENT_PROBE = r"""
#include <cstdint>
#include <cstdio>
#include <vector>
int main() {
    int misaligned = 0;
    std::vector<std::vector<double>*> kept;
    for (int k = 1; k < 200; k++) {
        char* small = new char[3 * k];                  // moves the heap by odd amounts
        double* array = new double[128 + k];            // >= 1 KiB, as Brian2's arrays
        kept.push_back(new std::vector<double>(200 + k));  // std::allocator -> new
        misaligned += ((std::uintptr_t)array % 64 != 0)
                      + ((std::uintptr_t)kept.back()->data() % 64 != 0);
        if (k % 3 == 0) delete[] small;
        if (k % 5 == 0) delete[] array;
    }
    std::printf("%d\n", misaligned);
}
"""


@pytest.mark.parametrize("aligned", [True, False])
def test_arrays_start_on_a_cache_line_whatever_was_allocated_before(tmp_path, aligned):
    """`align_allocations` compiles bioneuro's ``operator new`` into a project: blocks of
    1 KiB or more start on 64-byte lines after any earlier allocations (without it, the
    C library's 16-byte alignment leaves most of them elsewhere: the control)."""
    from bioneuro.compile import ALLOCATION_SOURCE, align_allocations

    (tmp_path / "probe.cpp").write_text(_ALIGNMENT_PROBE)
    (tmp_path / "makefile").write_text("PROGRAM = probe\n\nSRCS = probe.cpp\n")
    sources = ["probe.cpp"]
    if aligned:
        assert align_allocations(tmp_path)
        assert align_allocations(tmp_path)  # idempotent: listed once
        srcs = (tmp_path / "makefile").read_text().splitlines()[2]
        assert srcs == f"SRCS = {ALLOCATION_SOURCE} probe.cpp"
        sources.append(ALLOCATION_SOURCE)
    subprocess.run(["g++", "-O2", "-std=c++11", *sources, "-o", "probe"], cwd=tmp_path,
                   check=True, capture_output=True)
    out = subprocess.run(["./probe"], cwd=tmp_path, check=True, capture_output=True,
                         text=True).stdout
    misaligned = int(out)
    if aligned:
        assert misaligned == 0
    else:
        assert misaligned > 100  # of 398 blocks


def test_a_project_without_a_source_list_is_left_unchanged(tmp_path):
    from bioneuro.compile import align_allocations

    (tmp_path / "makefile").write_text("all:\n\tnvcc -o main main.cu\n")
    assert not align_allocations(tmp_path)
    assert (tmp_path / "makefile").read_text() == "all:\n\tnvcc -o main main.cu\n"
    assert not align_allocations(tmp_path / "missing")
