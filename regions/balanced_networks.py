"""Balanced E/I networks of the Brette et al. (2007) simulator benchmarks.

Benchmarks 1-3 of Brette et al. (2007), built on the sparsely connected network of Vogels &
Abbott (2005): 4000 neurons (80 % excitatory, 20 % inhibitory), each pair connected with
probability 0.02, no external input. Parameters as in Brian2's own ``CUBA.py`` and
``COBAHH.py`` examples and the Brian benchmark ``COBA``.

``scale`` multiplies both population sizes; the connection probability becomes
``0.02 / scale`` (capped at 1), so every neuron keeps its mean in-degree (64 excitatory and
16 inhibitory inputs) and thus its mean input. ``seed`` is the circuit's default seed
(`bioneuro.spec.Circuit`): experiments on it draw connectivity and initial values with it
unless given their own.
"""

from bioneuro.regions.scaling import check_scale, scaled_size
from brian2.units import ms, mV, nS, pA, pF

from bioneuro.distributions import Normal, Uniform
from bioneuro.registry import register
from bioneuro.spec import Circuit, Population, Projection, Reference

__all__ = ["cuba", "coba", "cobahh"]

N_EXC, N_INH, P_CONNECT = 3200, 800, 0.02

REFERENCES = (
    Reference("Brette et al. (2007) Simulation of networks of spiking neurons: a review of "
              "tools and strategies, J Comput Neurosci 23:349", "10.1007/s10827-007-0038-6"),
    Reference("Vogels & Abbott (2005) Signal propagation and logic gating in networks of "
              "integrate-and-fire neurons, J Neurosci 25:10786", "10.1523/JNEUROSCI.3508-05.2005"),
)


def _sizes(scale):
    scale = check_scale(scale)
    n_exc, n_inh = scaled_size(N_EXC, scale), scaled_size(N_INH, scale)
    return n_exc, n_inh, min(1.0, P_CONNECT / scale)


def _network(name, model, parameters, initial, targets, weights, scale, seed, description):
    n_exc, n_inh, p = _sizes(scale)
    pops = [Population(pop, model, size, parameters=parameters, initial=initial,
                       region="balanced_network", cell_type=cell)
            for pop, size, cell in (("E", n_exc, "excitatory"), ("I", n_inh, "inhibitory"))]
    projections = [
        Projection(f"{pre}{post}", pre, post, targets[pre], {"kind": "bernoulli", "p": p},
                   weights[pre])
        for pre in ("E", "I") for post in ("E", "I")
    ]
    return Circuit(name, pops, projections, description=description, references=REFERENCES,
                   seed=seed)


def cuba(scale=1.0, seed=None):
    """Benchmark 1: current-based LIF network (Brian2 ``CUBA.py``).

    Brian2's example writes ``dv/dt = (ge + gi - (v - El))/taum`` with voltage-valued
    synaptic variables; here the same dynamics use currents, ``I = ge*C_m/tau_m``, with
    ``C_m = 200 pF`` and ``tau_m = 20 ms``: a 1.62 mV excitatory jump is 16.2 pA, a -9 mV
    inhibitory jump is -90 pA.
    """
    parameters = {"C_m": 200 * pF, "tau_m": 20 * ms, "E_L": -49 * mV, "V_th": -50 * mV,
                  "V_reset": -60 * mV, "tau_ref": 5 * ms, "tau_e": 5 * ms, "tau_i": 10 * ms}
    return _network("cuba", "lif_curr_exp", parameters,
                    {"v": Uniform(-60 * mV, -50 * mV)}, {"E": "I_e", "I": "I_i"},
                    {"E": 16.2 * pA, "I": -90 * pA}, scale, seed,
                    "Vogels-Abbott current-based benchmark network (Brette et al. 2007, "
                    "benchmark 1)")


def coba(scale=1.0, seed=None):
    """Benchmark 2: conductance-based LIF network (Brian ``COBA``; weights in nS)."""
    parameters = {"C_m": 200 * pF, "tau_m": 20 * ms, "E_L": -60 * mV, "V_th": -50 * mV,
                  "V_reset": -60 * mV, "tau_ref": 5 * ms, "tau_e": 5 * ms, "tau_i": 10 * ms,
                  "E_e": 0 * mV, "E_i": -80 * mV}
    initial = {"v": Normal(-65 * mV, 5 * mV), "g_e": Normal(40 * nS, 15 * nS),
               "g_i": Normal(200 * nS, 120 * nS)}
    return _network("coba", "lif_cond_exp", parameters, initial, {"E": "g_e", "I": "g_i"},
                    {"E": 6 * nS, "I": 67 * nS}, scale, seed,
                    "Vogels-Abbott conductance-based benchmark network (Brette et al. 2007, "
                    "benchmark 2)")


def cobahh(scale=1.0, seed=None):
    """Benchmark 3: Hodgkin-Huxley (Traub-Miles) network (Brian2 ``COBAHH.py``)."""
    initial = {"v": Normal(-65 * mV, 5 * mV), "g_e": Normal(40 * nS, 15 * nS),
               "g_i": Normal(200 * nS, 120 * nS)}
    return _network("cobahh", "hh_traub_cond_exp", {}, initial, {"E": "g_e", "I": "g_i"},
                    {"E": 6 * nS, "I": 67 * nS}, scale, seed,
                    "Hodgkin-Huxley benchmark network (Brette et al. 2007, benchmark 3)")


for _factory in (cuba, coba, cobahh):
    register("regions", _factory.__name__, _factory)
