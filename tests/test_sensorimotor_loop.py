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


@pytest.fixture(scope="module")
def realisations(runs, build_cache):
    """The intact loop at seeds 1-4: four random realisations of its connectivity (the
    same binary)."""
    exp = sensorimotor_loop()
    return [runs[0]] + [bn.run(exp, device="cpp_standalone", cache_dir=build_cache, seed=s)
                        for s in (2, 3, 4)]


def _window_counts(ds, population):
    """Spike counts of `population` in the spontaneous and command windows, and the
    neuron-seconds of each window."""
    pops = ds.neuron.population.values.astype(str)
    ids = np.flatnonzero(pops == population)
    t = ds.spike_time.values[np.isin(ds.spike_neuron.values, ids)]
    (b0, b1), (s0, s1) = BASE, STIM
    return np.array([np.sum((t >= b0) & (t < b1)), np.sum((t >= s0) & (t < s1)),
                     (b1 - b0) * len(ids), (s1 - s0) * len(ids)], dtype=float)


def _rise_z(datasets, population):
    """Rate rise from the spontaneous to the command window over its standard error (the
    spike counts of both windows, summed over `datasets`, taken as Poisson): a two-sample
    z score."""
    nb, ns, tb, ts = sum(_window_counts(ds, population) for ds in datasets)
    return (ns / ts - nb / tb) / np.sqrt(max(ns, 1) / ts**2 + max(nb, 1) / tb**2)


def test_motor_command_travels_along_the_loop(realisations):
    """The command raises the pyramidal rate; the cortico-pontine and pontine-mossy pathways
    carry it to the pons and the mossy fibres in every realisation (seeds 1-4: PYR
    1.3-1.6 -> 2.6-2.9 Hz, pons 5.2-7.2 -> 22-25 Hz, mossy fibres 10-12 -> 27-31 Hz; rise
    over its standard error 9.4-11.7, 18-23 and 16-20).

    Through the cerebellum and the nucleo-thalamic pathway it raises the deep nuclei and
    the motor thalamus on average over the realisations, not in each: the 5 DCN cells (z
    0.9-3.4 per seed) and the 40 VL relay cells, whose response depends on how the few DCN
    cells happen to be wired (z 0.0, 9.3, 4.6 and 7.0 at seeds 1-4; measured pooled: DCN
    8.0 -> 16.6 Hz, z 5.0; VL 15.8 -> 24.0 Hz, z 10.3). The 30 motoneurons fire too
    rarely (0.28 -> 0.70 Hz pooled, 52 spikes, z 3.0) to resolve more than that the command
    does not lower their rate.

    Criterion: a rise of more than 3 standard errors of the Poisson counts (p < 0.002 by
    chance), per realisation or pooled over the four."""
    for population in ("cortex_PYR", "pons_relay", "cerebellum_mf"):
        for seed, ds in enumerate(realisations, 1):
            assert _rise_z([ds], population) > 3, (population, seed)
    for population in ("cerebellum_dcn", "thalamus_VL"):
        assert _rise_z(realisations, population) > 3, population
    assert _rise_z(realisations, "spinal_cord_MN") > -1


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
