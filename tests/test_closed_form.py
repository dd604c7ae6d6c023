"""Tier 1 (closed form) on Brian2's runtime target: LIF under constant current."""

import math

import numpy as np
import pytest
from lif_dc import TAU_REF, closed_form_v, first_spike_time, lif_dc_experiment

import bioneuro as bn

CURRENTS = (0.5, 0.6, 0.3)  # nA; 0.3 nA x 40 MOhm = 12 mV < 15 mV: below rheobase


@pytest.fixture(scope="module")
def runtime_result():
    return bn.run(lif_dc_experiment(CURRENTS), device="runtime")


def test_membrane_follows_closed_form(runtime_result):
    ds = runtime_result
    for k, current in enumerate(CURRENTS):
        trace = ds["v"].sel(recorded_neuron=k)
        t_first = first_spike_time(current)
        before = ds["time"].values < min(t_first, 0.05) - 1e-4
        expected = np.array([closed_form_v(t, current) for t in ds["time"].values[before]])
        np.testing.assert_allclose(trace.values[before], expected, rtol=0, atol=1e-12)


def test_first_spike_time_and_period(runtime_result):
    ds = runtime_result
    dt = ds.attrs["dt_s"]
    for k, current in enumerate(CURRENTS):
        spikes = ds["spike_time"].values[ds["spike_neuron"].values == k]
        t_first = first_spike_time(current)
        if math.isinf(t_first):
            assert len(spikes) == 0
            continue
        # the spike is recorded in the step whose update crosses threshold
        assert t_first - dt - 1e-12 <= spikes[0] <= t_first + 1e-12
        period = float(TAU_REF) + t_first
        np.testing.assert_allclose(np.diff(spikes), period, atol=dt + 1e-12)
