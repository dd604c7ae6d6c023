"""The same spike trains give the same numbers here as in Elephant (skipped without it).

Trains go to Elephant through `to_neo`, so the conversion is checked on the way.
"""

import numpy as np
import pytest
from analysis_data import poisson_dataset, spikes_dataset
from bioneuro.analysis import (
    binned_spike_counts,
    cv2,
    fano_factor,
    firing_rates,
    from_neo,
    isi_cv,
    lv,
    spike_count_correlation,
    to_neo,
)

elephant = pytest.importorskip("elephant")
pq = pytest.importorskip("quantities")
from elephant import statistics  # noqa: E402
from elephant.conversion import BinnedSpikeTrain  # noqa: E402
from elephant.spike_train_correlation import correlation_coefficient  # noqa: E402


@pytest.fixture(scope="module")
def trains():
    """20 s of 17 Poisson neurons at 20 Hz (E) and, in I, a regular train (10 Hz, spikes on
    5 ms bin edges), 160 uniform spikes and a bursty train (triplets 4 ms apart)."""
    ds = poisson_dataset(seed=21, n=17, rate=20.0, duration=20.0, populations=["E"] * 17)
    spikes = {int(n): ds["spike_time"].values[ds["spike_neuron"].values == n]
              for n in range(17)}
    rng = np.random.default_rng(22)
    spikes[17] = np.arange(0.01, 20.0, 0.1)
    spikes[18] = np.sort(rng.uniform(0, 20, 160))
    bursts = np.sort(rng.uniform(0, 19.9, 40))
    spikes[19] = np.sort(np.concatenate([bursts, bursts + 0.004, bursts + 0.008]))
    ds = spikes_dataset(spikes, ["E"] * 17 + ["I"] * 3, duration=20.0)
    return ds, to_neo(ds)


def test_to_neo_keeps_every_spike_and_window(trains):
    ds, spiketrains = trains
    assert len(spiketrains) == ds.sizes["neuron"]
    assert sum(len(st) for st in spiketrains) == ds.sizes["spike"]
    assert all(st.t_start == 0 * pq.s and st.t_stop == 20 * pq.s for st in spiketrains)
    assert [st.annotations["population"] for st in spiketrains] == list(ds["population"].values)
    back = from_neo(spiketrains)
    np.testing.assert_allclose(back["spike_time"], ds["spike_time"])
    np.testing.assert_array_equal(back["spike_neuron"], ds["spike_neuron"])


def test_rates_as_elephant(trains):
    ds, spiketrains = trains
    expected = [float(statistics.mean_firing_rate(st).rescale("Hz")) for st in spiketrains]
    np.testing.assert_allclose(firing_rates(ds), expected, rtol=1e-12)
    window = [float(statistics.mean_firing_rate(st, t_start=5 * pq.s, t_stop=12 * pq.s)
                    .rescale("Hz")) for st in spiketrains]
    np.testing.assert_allclose(firing_rates(ds, t_start=5.0, t_stop=12.0), window, rtol=1e-12)


def test_cv_cv2_lv_as_elephant(trains):
    ds, spiketrains = trains
    intervals = [statistics.isi(st).rescale("s").magnitude for st in spiketrains]
    np.testing.assert_allclose(isi_cv(ds), [statistics.cv(i) for i in intervals], rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_allclose(cv2(ds), [statistics.cv2(i) for i in intervals], rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_allclose(lv(ds), [statistics.lv(i) for i in intervals], rtol=1e-9,
                               atol=1e-12)
    assert float(lv(ds)[19]) > 1.5 > float(lv(ds)[5]) and float(lv(ds)[17]) < 1e-9


def test_fano_factor_as_elephant(trains):
    ds, spiketrains = trains
    # Elephant takes the repetitions (here 200 ms windows) as a list of trains
    edges = np.arange(0, 20.0 + 1e-9, 0.2)
    expected = [statistics.fanofactor([st.time_slice(a * pq.s, b * pq.s)
                                       for a, b in zip(edges[:-1], edges[1:], strict=True)])
                for st in spiketrains]
    np.testing.assert_allclose(fano_factor(ds, bin_size=0.2), expected, rtol=1e-9)


def test_binned_counts_and_correlations_as_elephant(trains):
    ds, spiketrains = trains
    binned = BinnedSpikeTrain(spiketrains, bin_size=5 * pq.ms)
    counts = binned_spike_counts(ds, bin_size=0.005)
    np.testing.assert_array_equal(counts.values.T, binned.to_array())
    np.testing.assert_allclose(spike_count_correlation(ds, bin_size=0.005),
                               correlation_coefficient(binned), atol=1e-12)


def test_poisson_values_agree_with_theory_in_both():
    ds = poisson_dataset(seed=23, n=10, rate=30.0, duration=30.0)
    spiketrains = to_neo(ds)
    ours = float(isi_cv(ds).mean())
    theirs = np.mean([statistics.cv(statistics.isi(st)) for st in spiketrains])
    assert ours == pytest.approx(theirs, rel=1e-9) and ours == pytest.approx(1.0, abs=0.03)
