"""Cortical, cerebellar and sensory cell types reproduce the observables they document.

The slow tests share one cpp_standalone build: the standard characterisation (current-step
sweep over each cell's ``current_range``, one PSP per synaptic channel) of every cell of
`bioneuro.models.cells.cortex`, `.cerebellum` and `.sensory`, with a 50 nS climbing-fibre
input to the Purkinje cell.
"""

import numpy as np
import pytest
from bioneuro.models.adex import adex_rheobase
from bioneuro.models.cells import cerebellum, cortex, sensory
from brian2.units import ms, nS, pA
from firing_patterns import spike_times

import bioneuro as bn
from bioneuro.characterise import characterise

CELLS = [cell for module in (cortex, cerebellum, sensory) for cell in
         (getattr(module, name) for name in module.__all__)]
T_ON, T_OFF = 0.1, 0.6   # characterise's default step (s)


def test_cells_are_registered_with_their_documentation():
    for cell in CELLS:
        assert bn.registry.get("cells", cell.name) is cell
        assert cell.description and cell.reproduces and cell.references
        assert cell.region in ("cortex", "cerebellum", "periphery")


def test_granule_input_resistance_and_rest():
    """D'Angelo et al. (1995): granule cells rest near -58 mV with an input resistance of
    about 2.3 GOhm. The preset takes E_L and g_L (1/0.43 nS) from there, so this is not an
    independent validation of those numbers: it checks that the simulated cell, whose AdEx
    spike current also flows below threshold, keeps them (rest within 1 uV, a 3 pA step
    depolarising by 3 pA x 2.3 GOhm within 1 %)."""
    pops = [bn.Population("rest", "cerebellum_granule", 1),
            bn.Population("step", "cerebellum_granule", 1, {"I_ext": 3 * pA})]
    exp = bn.Experiment("granule", bn.Circuit("granule", pops), recording=bn.Recording(
        spikes="all", state=[bn.StateProbe(p.name, ["v"], "all") for p in pops]),
        duration=150 * ms, dt=0.1 * ms)
    ds = bn.run(exp, device="runtime")
    assert ds["spike_time"].size == 0
    v_rest, v_step = ds["v"].values[-1]
    assert v_rest == pytest.approx(-0.058, abs=1e-6)
    assert (v_step - v_rest) / 3e-12 == pytest.approx(2.33e9, rel=0.01)


@pytest.fixture(scope="module")
def char(build_cache):
    return characterise(CELLS, device="cpp_standalone", cache_dir=build_cache,
                        psp_weights={"cerebellum_purkinje": {"cf": 50 * nS}})


def _step_neuron(ds, k):
    """Index of the neuron of the k-th step amplitude."""
    return int(np.flatnonzero(ds["population"].values == "step")[k])


def _adaptation(ds):
    """Last/first ISI ratio (first-ISI rate / last-ISI rate) where >= 3 spikes."""
    first, last = ds["fi_first_rate"].values, ds["fi_last_rate"].values
    spiking = ds["fi_rate"].values * (T_OFF - T_ON) >= 3
    return first[spiking] / last[spiking]


@pytest.mark.slow
def test_pyramidal_adapts_and_pv_does_not(char):
    """McCormick et al. (1985): regular-spiking pyramidal cells adapt, fast-spiking cells fire
    at high rates with little adaptation."""
    rs, fs = _adaptation(char["cortex_pyramidal_rs"]), _adaptation(char["cortex_pv_fs"])
    assert rs.size >= 5 and fs.size >= 5
    assert np.all(rs > 2.2)
    assert np.all(fs < 2.0)
    assert char["cortex_pv_fs"]["fi_last_rate"].values.max() > 100


@pytest.mark.slow
def test_sst_low_threshold_and_adapting(char):
    """Gibson et al. (1999), Izhikevich (2003) LTS: SST cells fire at a drive (2 mV) where PV
    cells are silent, and adapt (ratio > 3 at the top of the f-I curve)."""
    sst, pv = char["cortex_sst_lts"], char["cortex_pv_fs"]
    low = int(np.argmin(np.abs(sst["step_amplitude"].values - 2e-3)))
    assert sst["fi_rate"].values[low] > 0 and pv["fi_rate"].values[low] == 0
    assert _adaptation(sst)[-1] > 3


@pytest.mark.slow
def test_granule_silent_non_adapting_fast(char):
    """D'Angelo et al. (1995): silent at rest, regular firing without adaptation, > 100 Hz
    with a few tens of pA; the onset current lies where the EIF rheobase
    g_L (V_T - E_L - Delta_T) predicts."""
    ds = char["cerebellum_granule"]
    amps, rate = ds["step_amplitude"].values, ds["fi_rate"].values
    p = cerebellum.cerebellum_granule.parameters
    i_rh = float(adex_rheobase(*(p[k].value for k in ("g_L", "E_L", "V_T", "Delta_T"))))
    assert rate[0] == 0 and spike_times(ds, _step_neuron(ds, 0)).size == 0
    assert np.all(rate[amps < i_rh] == 0) and np.all(rate[amps > 1.3 * i_rh] > 0)
    assert np.all(_adaptation(ds) < 1.2)
    assert rate.max() > 100


@pytest.mark.slow
def test_golgi_spontaneous_pacemaking(char):
    """Dieudonne (1998): Golgi cells fire spontaneously at a few Hz."""
    rate = char["cerebellum_golgi"]["fi_rate"].values[0]   # no step current
    assert 3 <= rate <= 12


@pytest.mark.slow
def test_molecular_layer_interneuron_spontaneous_firing(char):
    """Hausser & Clark (1997), Carter & Regehr (2002): basket/stellate cells fire
    spontaneously in vitro, at about 5-30 Hz."""
    rate = char["cerebellum_mli"]["fi_rate"].values[0]   # no step current
    assert 5 <= rate <= 30


@pytest.mark.slow
def test_purkinje_simple_spikes_in_tens_of_hz(char):
    """Raman & Bean (1999), Hausser & Clark (1997): spontaneous simple spiking at tens of Hz."""
    rate = char["cerebellum_purkinje"]["fi_rate"].values[0]
    assert 20 <= rate <= 100


@pytest.mark.slow
def test_purkinje_complex_spike_on_climbing_fibre_input(char):
    """Eccles et al. (1966): a climbing-fibre input evokes a burst (complex spike) followed by
    a pause in simple spiking."""
    ds = char["cerebellum_purkinje"]
    neuron = int(np.flatnonzero(ds["population"].values == "psp_cf")[0])
    times = spike_times(ds, neuron)
    cf_time = 0.05
    before = np.diff(times[(times > 0.0) & (times < cf_time)])
    burst = times[(times >= cf_time) & (times < cf_time + 0.010)]
    assert burst.size >= 3
    pause = times[times > burst[-1]][0] - burst[-1]
    assert pause > 1.5 * before[-1]
    assert np.all(np.diff(burst) < 0.005)


@pytest.mark.slow
def test_slowly_adapting_afferent_sustained_and_graded(char):
    """Johnson (2001): SA1 afferents fire throughout a maintained stimulus at a rate growing
    with its intensity."""
    ds = char["sensory_sa_afferent"]
    amps, rate = ds["step_amplitude"].values, ds["fi_rate"].values
    p = sensory.sensory_sa_afferent.parameters
    i_rh = float(adex_rheobase(*(p[k].value for k in ("g_L", "E_L", "V_T", "Delta_T"))))
    driven = np.flatnonzero(amps >= 1.5 * i_rh)
    assert driven.size >= 5 and np.all(np.diff(rate[driven]) > 0)
    for k in driven:
        assert spike_times(ds, _step_neuron(ds, k), T_OFF - 0.1, T_OFF).size > 0


@pytest.mark.slow
def test_rapidly_adapting_afferent_fires_at_onset_only(char):
    """Johnson (2001): RA afferents signal stimulus onset, not its sustained part."""
    ds = char["sensory_ra_afferent"]
    responses = [spike_times(ds, _step_neuron(ds, k), T_ON, T_OFF)
                 for k in range(ds.sizes["amplitude"])]
    assert sum(r.size > 0 for r in responses) >= 5
    for r in responses:
        assert np.all(r < T_ON + 0.05)
