"""A cortical column of pyramidal cells and PV and SST interneurons in the asynchronous
irregular (AI) regime.

Three populations of conductance-based LIF neurons (the sparse balanced network of Vogels &
Abbott 2005 / Brette et al. 2007 benchmark 2, whose parameters are known to sustain AI
activity), with the interneurons split by class and wired by class-specific rules (Pfeffer et
al. 2013; Tremblay, Lee & Rudy 2016):

- ``PYR`` (80 %): recurrent excitation onto every population;
- ``PV`` (12 %): fast-spiking (tau_m 10 ms, tau_ref 1 ms); driven by the external input as
  well as by PYR, so it provides *feedforward* inhibition; inhibits PYR and PV;
- ``SST`` (8 %): driven only locally by PYR (no external drive), so it provides *feedback*
  (lateral) inhibition; inhibits PYR and PV, not SST.

The PV:SST ratio 60:40 follows the interneuron census of Rudy et al. (2011) with the 5-HT3a
class left out. Each pair is connected with probability 0.02 (``0.02/scale`` below full size),
so a PYR or PV cell receives on average 64 excitatory and 16 inhibitory local inputs, the
balance of the benchmark network with its weights (6 nS, 67 nS), plus `n_external` Poisson
inputs. An SST cell, inhibited by no one here, fires faster than the others (20-40 Hz).

Why LIF variants and not the cell presets ``cortex_pyramidal_rs`` (AdEx), ``cortex_pv_fs``
and ``cortex_sst_lts`` (Izhikevich)? The Izhikevich presets take their input as a voltage
drive (mV) with no conductance channel, so they cannot share the conductance synapses whose
balance defines the AI state, and the AdEx preset's strong spike-triggered adaptation (b =
80.5 pA) moves the balanced fixed point away from the benchmark's calibrated one. The LIF
variants keep the class differences that matter for the circuit (PV faster and briefly
refractory, SST a lower threshold) while the network stays in the calibrated regime.
"""

from bioneuro.regions.scaling import check_scale, scaled_size
from brian2.units import Hz, ms, mV, nS, pF

from bioneuro.distributions import Normal, Uniform
from bioneuro.registry import register
from bioneuro.spec import Circuit, PoissonInput, Population, Projection, Reference

__all__ = ["cortical_column", "COLUMN_SIZES", "COLUMN_WIRING", "P_CONNECT"]

REFERENCES = (
    Reference("Vogels & Abbott (2005) Signal propagation and logic gating in networks of "
              "integrate-and-fire neurons, J Neurosci 25:10786", "10.1523/JNEUROSCI.3508-05.2005"),
    Reference("Brette et al. (2007) Simulation of networks of spiking neurons: a review of "
              "tools and strategies, J Comput Neurosci 23:349", "10.1007/s10827-007-0038-6"),
    Reference("Pfeffer, Xue, He, Huang & Scanziani (2013) Inhibition of inhibition in visual "
              "cortex: the logic of connections between molecularly distinct interneurons, "
              "Nat Neurosci 16:1068", "10.1038/nn.3446"),
    Reference("Rudy, Fishell, Lee & Hjerling-Leffler (2011) Three groups of interneurons "
              "account for nearly 100% of neocortical GABAergic neurons, Dev Neurobiol "
              "71:45", "10.1002/dneu.20853"),
    Reference("Tremblay, Lee & Rudy (2016) GABAergic interneurons in the neocortex: from "
              "cellular properties to circuits, Neuron 91:260", "10.1016/j.neuron.2016.06.033"),
)

#: full-size population sizes (4000 neurons, 80 % excitatory)
COLUMN_SIZES = {"PYR": 3200, "PV": 480, "SST": 320}
#: (pre, post) -> True where connected (Pfeffer et al. 2013: PV cells inhibit PYR and each
#: other, SST cells inhibit PYR and PV but not SST; VIP cells, which inhibit SST, are omitted)
COLUMN_WIRING = {("PYR", "PYR"): True, ("PYR", "PV"): True, ("PYR", "SST"): True,
                 ("PV", "PYR"): True, ("PV", "PV"): True, ("PV", "SST"): False,
                 ("SST", "PYR"): True, ("SST", "PV"): True, ("SST", "SST"): False}
#: connection probability at full size (benchmark network)
P_CONNECT = 0.02
WEIGHTS = {"PYR": 6 * nS, "PV": 67 * nS, "SST": 67 * nS}
#: external drive: only PYR and PV cells receive it (PV: feedforward inhibition); SST cells
#: are recruited by local PYR cells (feedback inhibition)
EXTERNAL = ("PYR", "PV")
_COMMON = {"C_m": 200 * pF, "E_L": -60 * mV, "V_reset": -60 * mV, "V_th": -50 * mV,
           "tau_e": 5 * ms, "tau_i": 10 * ms, "E_e": 0 * mV, "E_i": -80 * mV}
CELLS = {
    "PYR": ("pyramidal", dict(_COMMON, tau_m=20 * ms, tau_ref=5 * ms)),
    "PV": ("pv_fast_spiking", dict(_COMMON, tau_m=10 * ms, tau_ref=1 * ms)),
    "SST": ("sst_low_threshold", dict(_COMMON, tau_m=20 * ms, V_th=-52 * mV, tau_ref=5 * ms)),
}


def cortical_column(scale=0.25, n_external=50, external_rate=3 * Hz,
                    external_weight=6 * nS, seed=None):
    """Pyramidal/PV/SST column in the asynchronous irregular regime.

    Parameters
    ----------
    scale : float
        Factor on the population sizes (4000 neurons at 1); connection probabilities grow
        as ``0.02/scale`` (capped at 1) so in-degrees, hence the balance, are kept.
    n_external : int
        Poisson inputs per PYR and PV neuron (the external drive).
    external_rate : Quantity
        Rate of each external input (Hz).
    external_weight : Quantity
        Conductance increment per external spike (nS).
    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
        Populations ``PYR``, ``PV``, ``SST`` (region ``cortex``), projections
        ``<pre>_<post>``, inputs ``ext_PYR``, ``ext_PV``.
    """
    scale = check_scale(scale)
    p = min(1.0, P_CONNECT / scale)
    initial = {"v": Uniform(-60 * mV, -50 * mV), "g_e": Normal(4 * nS, 1.5 * nS, low=0 * nS),
               "g_i": Normal(20 * nS, 12 * nS, low=0 * nS)}
    pops = [Population(name, "lif_cond_exp", scaled_size(size, scale),
                       parameters=CELLS[name][1], initial=initial, region="cortex",
                       cell_type=CELLS[name][0])
            for name, size in COLUMN_SIZES.items()]
    projections = [
        Projection(f"{pre}_{post}", pre, post, "e" if pre == "PYR" else "i",
                   {"kind": "bernoulli", "p": p}, WEIGHTS[pre])
        for (pre, post), connected in COLUMN_WIRING.items() if connected]
    inputs = [PoissonInput(f"ext_{pop}", pop, "e", n_external, external_rate, external_weight)
              for pop in EXTERNAL]
    return Circuit("cortical_column", pops, projections, inputs,
                   description="Cortical column: pyramidal cells, PV (feedforward) and SST "
                               "(feedback) interneurons, external Poisson drive; asynchronous "
                               "irregular regime", references=REFERENCES, seed=seed)


register("regions", "cortical_column", cortical_column)
