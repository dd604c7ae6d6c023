"""Exactly integrated models refuse the parameter values where their solution is 0/0.

Closed form of the limit (Rotter & Diesmann 1999, doi:10.1007/s004220050570): a LIF membrane
with ``tau_m == tau_e == tau`` and an initial synaptic current ``I0`` (no other input) follows
``v(t) - E_L = (I0 tau / C_m) (t / tau) exp(-t / tau)``; for ``tau_e != tau_m`` it is
``I0 tau_e tau_m / (C_m (tau_e - tau_m)) (exp(-t/tau_e) - exp(-t/tau_m))``.
"""

import numpy as np
import pytest
from bioneuro.models.lif import lif_curr_alpha, lif_curr_exp
from brian2.units import ms, mV, pA, pF

import bioneuro as bn
from bioneuro.errors import SpecError
from bioneuro.exact_integration import singular_parameter_pairs

C_M, TAU, E_L, I0 = 250 * pF, 10 * ms, -70 * mV, 100 * pA


def _population(tau_e, name="P"):
    return bn.Population(name, "lif_curr_exp", 1,
                         parameters={"C_m": C_M, "tau_m": TAU, "tau_e": tau_e, "E_L": E_L,
                                     "V_th": 0 * mV},
                         initial={"v": E_L, "I_e": I0})


@pytest.mark.parametrize("model", [lif_curr_exp, lif_curr_alpha])
def test_singular_pairs_are_read_from_the_solution(model):
    pairs = singular_parameter_pairs(model.equations, tuple(sorted(model.parameters)))
    assert pairs == (("tau_e", "tau_m"), ("tau_i", "tau_m"))


def test_equal_time_constants_are_refused_with_both_values():
    with pytest.raises(SpecError) as error:
        _population(TAU)
    message = str(error.value)
    assert "populations.P.parameters.tau_e" in message
    assert "10 ms" in message and "tau_m" in message and "exponential_euler" in message


def test_model_defaults_take_part_in_the_check():
    # lif_curr_exp's default tau_i is 2 ms: setting tau_m to it is the same singularity
    with pytest.raises(SpecError, match="tau_m"):
        bn.Population("Q", "lif_curr_exp", 1, parameters={"tau_m": 2 * ms})


def test_nearly_equal_time_constants_approach_the_alpha_limit():
    """1e-4 apart: accepted, and the PSP is the alpha-shaped limit to 1e-3 of its peak."""
    pops = [_population(TAU * (1 + 1e-4))]
    circuit = bn.Circuit("near_singular", pops)
    recording = bn.Recording(state=[bn.StateProbe("P", ["v"], 1)])
    experiment = bn.Experiment("near_singular", circuit, recording=recording,
                               duration=60 * ms, dt=0.1 * ms, seed=1)
    ds = bn.run(experiment, device="runtime")
    t = ds["time"].values
    v = ds["v"].sel(recorded_neuron=0).values
    tau = float(TAU)
    expected = float(E_L) + float(I0 * TAU / C_M) * (t / tau) * np.exp(-t / tau)
    peak = float(I0 * TAU / C_M) / np.e  # 1.47 mV at t = tau
    assert np.all(np.isfinite(v))
    np.testing.assert_allclose(v, expected, rtol=0, atol=1e-3 * peak)
