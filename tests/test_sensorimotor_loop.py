"""The multi-region sensorimotor loop: region labels, pathways that deliver, a lesion control.

One cpp_standalone build; the lesion (cortico-pontine weight 0) re-uses it with a run-time
value.
"""

import numpy as np
import pytest
from bioneuro.analysis import population_mean_rates

import bioneuro as bn
from bioneuro.experiments.sensorimotor import PATHWAYS, sensorimotor_loop

pytestmark = pytest.mark.slow

BASE, STIM = (0.2, 0.5), (0.5, 1.0)  # s: spontaneous window, motor-command window


@pytest.fixture(scope="module")
def runs(build_cache):
    exp = sensorimotor_loop()
    intact = bn.run(exp, device="cpp_standalone", cache_dir=build_cache)
    lesion = bn.run(exp, device="cpp_standalone", cache_dir=build_cache,
                    settings={"corticopontine.weight": "0 nS"})
    return intact, lesion


def _rate(ds, population, window):
    return float(population_mean_rates(ds, *window).sel(population=population))


def test_every_neuron_is_labelled_with_its_region(runs):
    intact, lesion = runs
    assert lesion.attrs["build_cache_hit"] == 1
    assert lesion.attrs["build_dir"] == intact.attrs["build_dir"]
    regions = intact.neuron.region.values
    assert sorted(set(regions)) == ["cerebellum", "cortex", "pons", "spinal_cord", "thalamus"]
    pops = intact.neuron.population.values
    assert set(regions[np.char.startswith(pops.astype(str), "cortex_")]) == {"cortex"}
    assert (regions == "cerebellum").sum() == 1220 and (regions == "spinal_cord").sum() == 30


def test_pontine_spikes_are_relayed_by_their_mossy_fibres(runs):
    """pons -> mossy fibres is one-to-one with weight 1 (a relay): every pontine spike is
    followed by a spike of its own fibre after exactly the pathway delay (2 ms, plus at most
    one time step for the relay's threshold test)."""
    ds = runs[0]
    pops = ds.neuron.population.values
    pons, mf = np.flatnonzero(pops == "pons_relay"), np.flatnonzero(pops == "cerebellum_mf")
    delay = float(PATHWAYS["pontine_mossy"][5])
    t, n = ds.spike_time.values, ds.spike_neuron.values
    relayed = total = 0
    for source, fibre in zip(pons, mf, strict=True):
        t_pons = t[(n == source) & (t < 1.4)]
        t_mf = t[n == fibre]
        total += len(t_pons)
        for spike in t_pons:
            lag = t_mf - spike
            relayed += np.any((lag >= delay - 1e-9) & (lag <= delay + 1e-4 + 1e-9))
    assert total > 500
    assert relayed == total


def test_motor_command_travels_along_the_loop(runs):
    """The command raises the pyramidal rate; the cortico-pontine, pontine-mossy and
    corticospinal pathways carry it to the pons, the mossy fibres and the motor pool, and the
    nucleo-thalamic pathway raises the motor thalamus (measured at seed 1: PYR 1.4 -> 2.9 Hz,
    pons 5.5 -> 26 Hz, mossy fibres 10 -> 31 Hz, DCN 10 -> 21 Hz, VL 17 -> 24 Hz, MN
    0.4 -> 0.9 Hz; the asserted factors leave room for other seeds)."""
    ds = runs[0]
    ratio = {pop: _rate(ds, pop, STIM) / max(_rate(ds, pop, BASE), 1e-9)
             for pop in ("cortex_PYR", "pons_relay", "cerebellum_mf", "cerebellum_dcn",
                         "thalamus_VL", "spinal_cord_MN")}
    assert ratio["cortex_PYR"] > 1.5
    assert ratio["pons_relay"] > 3 and ratio["cerebellum_mf"] > 2
    assert ratio["cerebellum_dcn"] > 1.3 and ratio["thalamus_VL"] > 1.1
    assert ratio["spinal_cord_MN"] > 1.3


def test_cortico_pontine_lesion_removes_the_cerebellar_response(runs):
    """Without the cortico-pontine projection the pons has no input (silent), the mossy
    fibres fire only spontaneously (5 Hz Poisson, `regions.cerebellum`), with or without
    the command, while the cortical response is unchanged in kind."""
    intact, lesion = runs
    assert _rate(lesion, "pons_relay", (0, 1.5)) == 0
    for window in (BASE, STIM):
        assert _rate(lesion, "cerebellum_mf", window) == pytest.approx(5, abs=2)
    assert _rate(lesion, "cortex_PYR", STIM) > 1.5 * _rate(lesion, "cortex_PYR", BASE)
    assert _rate(intact, "cerebellum_mf", STIM) > 3 * _rate(lesion, "cerebellum_mf", STIM)
