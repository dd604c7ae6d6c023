"""Trial-aligned analysis from a recorded epoch schedule and from explicit events."""

import numpy as np
import pytest
from analysis_data import spikes_dataset, with_epochs
from bioneuro.analysis import align_spikes, fano_factor, psth, trial_spike_counts, trial_table


def schedule_dataset():
    """4 trials (onsets 0.5, 1.5, 2.5, 3.5 s), conditions L R L R. Neuron 0 fires 15 ms
    after each 'L' onset, neuron 1 25 ms after each 'R' onset; neuron 2 (B) fires
    105 ms after every onset (mid-bin for 10 ms bins)."""
    onsets = np.array([0.5, 1.5, 2.5, 3.5])
    cond = ["L", "R", "L", "R"]
    spikes = {0: onsets[[0, 2]] + 0.015, 1: onsets[[1, 3]] + 0.025, 2: onsets + 0.105}
    ds = spikes_dataset(spikes, ["A", "A", "B"], duration=4.0)
    return with_epochs(ds, 4, cond), onsets, cond


def test_trial_table_from_epochs_and_explicit_events():
    ds, onsets, cond = schedule_dataset()
    with pytest.raises(ValueError, match="epoch_name"):
        trial_table(ds)          # two epoch names: baseline and stimulus
    table = trial_table(ds, epoch_name="stimulus")
    np.testing.assert_allclose(table["trial_onset"], onsets)
    np.testing.assert_allclose(table["trial_duration"], 0.3)
    assert list(table["trial_condition"].values) == cond
    base = trial_table(ds, epoch_name="baseline")
    np.testing.assert_allclose(base["trial_onset"], onsets - 0.2)
    explicit = trial_table(ds.drop_dims("epoch"), events=onsets, conditions=cond)
    np.testing.assert_allclose(explicit["trial_onset"], onsets)
    with pytest.raises(ValueError, match="events"):
        trial_table(ds.drop_dims("epoch"))
    with pytest.raises(ValueError, match="epoch_name"):
        trial_table(ds, epoch_name="delay")


def test_aligned_spikes_and_counts():
    ds, onsets, cond = schedule_dataset()
    aligned = align_spikes(ds, epoch_name="stimulus", t_before=0.05)
    assert aligned.attrs["t_after"] == pytest.approx(0.3)       # the epoch's duration
    assert aligned.sizes["aligned_spike"] == 8
    np.testing.assert_allclose(np.sort(np.unique(np.round(aligned["aligned_time"], 6))),
                               [0.015, 0.025, 0.105])
    counts = trial_spike_counts(ds, epoch_name="stimulus", t_start=0.0, t_stop=0.05)
    assert counts.dims == ("trial", "neuron")
    np.testing.assert_array_equal(counts.values, [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0]])
    assert list(counts["trial_condition"].values) == cond
    with pytest.raises(ValueError, match="t_after"):
        align_spikes(ds, events=onsets)      # explicit events carry no duration
    # neuron 2 fires once in every trial: Fano 0 across trials
    counts_all = trial_spike_counts(ds, epoch_name="stimulus")
    assert float(fano_factor(counts_all, dim="trial")[2]) == 0.0


def test_psth_by_condition_and_population():
    ds, onsets, cond = schedule_dataset()
    hist = psth(ds, epoch_name="stimulus", bin_size=0.01, t_before=0.05, t_after=0.15)
    assert hist.dims == ("condition", "population", "time")
    assert hist.attrs["units"] == "Hz" and hist["time"].attrs["units"] == "s"
    np.testing.assert_array_equal(hist["n_trials"], [2, 2])
    # condition L, population A (2 neurons): one spike per trial in the 10-20 ms bin ->
    # 2 spikes / (2 trials x 10 ms) / 2 neurons = 50 Hz
    left = hist.sel(condition="L", population="A")
    assert float(left.sel(time=0.015)) == pytest.approx(50.0)
    assert float(left.sum()) == pytest.approx(50.0)
    right = hist.sel(condition="R", population="A")
    assert float(right.sel(time=0.025)) == pytest.approx(50.0)
    assert float(hist.sel(condition="R", population="B").sel(time=0.105)) == \
        pytest.approx(100.0)
    per_neuron = psth(ds, events=onsets, conditions=cond, bin_size=0.01, t_before=0.05,
                      t_after=0.15, by=None)
    assert per_neuron.dims == ("condition", "neuron", "time")
    assert float(per_neuron.sel(condition="L", neuron=0).sel(time=0.015)) == \
        pytest.approx(100.0)
