"""The CUDA path compiles: a small network, one of whose projections is plastic (additive
STDP), is generated and built with brian2cuda's cuda_standalone device, without a GPU (build
only). Skipped without brian2cuda or nvcc."""

from pathlib import Path

import pytest
from bioneuro.models.plasticity import stdp
from brian2.units import ms, pA

import bioneuro as bn
from bioneuro.devices import cuda_toolchain
from bioneuro.experiments import cuba

pytestmark = [pytest.mark.slow, pytest.mark.cuda,
              pytest.mark.skipif(not cuda_toolchain(), reason="needs brian2cuda and nvcc")]


def _cuba_with_stdp():
    """CUBA at 40 neurons (nvcc time dominates anyway) with plastic E->E synapses."""
    exp = cuba(scale=0.01, duration=10 * ms)
    projections = tuple(p.replace(synapse=stdp(w_max=50 * pA)) if p.name == "EE" else p
                        for p in exp.circuit.projections)
    return exp.replace(circuit=exp.circuit.replace(projections=projections))


def test_cuda_standalone_builds_without_gpu(build_cache):
    exp = _cuba_with_stdp()
    result = bn.run(exp, device="cuda_standalone", build_only=True, cache_dir=build_cache)
    assert result is None
    build_dirs = sorted(build_cache.glob("cuda-*/"), key=lambda p: p.stat().st_mtime)
    build_dirs = [d for d in build_dirs if d.is_dir() and (d / "manifest.json").exists()]
    assert build_dirs, "no CUDA build in the cache"
    build = build_dirs[-1]
    binary = build / "main"
    assert binary.exists() and binary.stat().st_size > 0
    assert any(Path(build, "code_objects").glob("*.cu"))
    # the rule's postsynaptic pathway (potentiation on post spikes) was compiled
    assert any(Path(build, "code_objects").glob("syn_EE_post_codeobject*.cu"))
    # a second build-only call is a cache hit: nothing is regenerated
    mtime = binary.stat().st_mtime_ns
    assert bn.run(exp, device="cuda_standalone", build_only=True, cache_dir=build_cache) is None
    assert binary.stat().st_mtime_ns == mtime
