"""A sensorimotor loop of several regions as one built-in experiment: ``sensorimotor_loop``.

Regions (keys of `bioneuro.regions.combine`; every neuron's ``region`` label in the Dataset):

- ``cortex``: the pyramidal/PV/SST column (`bioneuro.regions.cortex.cortical_column`);
- ``pons``: pontine nuclei, excitatory relay cells (conductance-based LIF) that receive the
  cortico-pontine projection and give rise to mossy fibres (Brodal & Bjaalie 1992);
- ``cerebellum``: the cerebellar microzone (`bioneuro.regions.cerebellum.cerebellum`,
  plasticity off) at twice its default size (10 deep-nuclear cells): its mossy fibres are
  the pontine axons (one fibre per pontine cell);
- ``thalamus``: motor thalamus (VL) relay cells (the ``thalamus_tc_relay`` cell type), each
  driven by 5 of the 10 deep-nuclear cells and by independent Poisson afferents standing for
  its non-cerebellar inputs (corticothalamic layer 6, brainstem; `THALAMIC_BACKGROUND`),
  projecting back to the pyramidal and PV cells (the cerebello-thalamo-cortical pathway,
  Bosch-Bouju et al. 2013). The nuclear-thalamic conductance (1 nS) is set for the nuclei's
  tonic rate (24-30 Hz in the loop): the relay cells fire at 16-18 Hz, 8-9 Hz of it from
  the background. Without the background and with every relay cell contacted by
  every nuclear cell, the relay cells were identical: same model, same initial state, same
  input, hence 40 copies of one spike train;
- ``spinal_cord``: a motor pool (`bioneuro.regions.brainstem.motor_pool`) driven by the
  pyramidal cells (the corticospinal projection).

Protocol: a current step to the pyramidal cells during ``[stim_start, stim_stop)`` (a motor
command); before it the loop runs spontaneously. Every spike is recorded.
"""

from brian2.units import Hz, ms, mV, nA, nS, pF, second

from bioneuro.protocols.currents import CurrentStep
from bioneuro.regions.brainstem import motor_pool
from bioneuro.regions.cerebellum import cerebellum
from bioneuro.regions.composition import combine
from bioneuro.regions.cortex import cortical_column
from bioneuro.registry import register
from bioneuro.spec import (
    Circuit,
    Experiment,
    PoissonInput,
    Population,
    Projection,
    Recording,
    Reference,
)

__all__ = ["sensorimotor_loop", "loop_circuit", "PATHWAYS", "THALAMIC_BACKGROUND"]

REFERENCES = (
    Reference("Brodal & Bjaalie (1992) Organization of the pontine nuclei, Neurosci Res "
              "13:83", "10.1016/0168-0102(92)90092-Q"),
    Reference("Bosch-Bouju, Hyland & Parr-Brownlie (2013) Motor thalamus integration of "
              "cortical, cerebellar and basal ganglia information, Front Comput Neurosci "
              "7:163", "10.3389/fncom.2013.00163"),
    Reference("Lemon (2008) Descending pathways in motor control, Annu Rev Neurosci 31:195",
              "10.1146/annurev.neuro.31.060407.125547"),
)

#: inter-region projections: name -> (pre, post, target, in-degree, weight, delay)
PATHWAYS = {
    "corticospinal": ("cortex.PYR", "spinal_cord.MN", "e", 50, 100 * nS, 10 * ms),
    "corticopontine": ("cortex.PYR", "pons.relay", "e", 50, 4 * nS, 5 * ms),
    "pontine_mossy": ("pons.relay", "cerebellum.mf", "e", None, 1, 2 * ms),
    "nuclear_thalamic": ("cerebellum.dcn", "thalamus.VL", "e", 5, 1 * nS, 3 * ms),
    "thalamocortical_pyr": ("thalamus.VL", "cortex.PYR", "e", 10, 3 * nS, 3 * ms),
    "thalamocortical_pv": ("thalamus.VL", "cortex.PV", "e", 10, 3 * nS, 3 * ms),
}

#: non-cerebellar afferents of every motor-thalamus relay cell: 20 independent Poisson
#: sources of 5 Hz, 1 nS each. Alone (nuclear-thalamic weight 0) they drive the relay cells
#: at 8-9 Hz; with the nuclei (24-30 Hz in the loop), 16-18 Hz (seeds 1-8). They make the
#: cells' spike trains differ, so that the population rate averages over cells.
THALAMIC_BACKGROUND = PoissonInput("thalamic_background", "thalamus.VL", "e", 20, 5 * Hz,
                                   1 * nS)


def _pons(n):
    relay = Population("relay", "lif_cond_exp", n,
                       parameters={"C_m": 200 * pF, "tau_m": 20 * ms, "E_L": -65 * mV,
                                   "V_th": -50 * mV, "V_reset": -65 * mV, "tau_ref": 2 * ms,
                                   "tau_e": 5 * ms, "tau_i": 10 * ms},
                       initial={"v": -65 * mV}, cell_type="pontine_relay")
    return Circuit("pontine_nuclei", [relay], references=REFERENCES[:1])


def _thalamus(n):
    return Circuit("motor_thalamus", [Population("VL", "thalamus_tc_relay", n)],
                   references=REFERENCES[1:2])


def loop_circuit(cortex_scale=0.2, cerebellum_scale=2.0, n_thalamus=40, pool_scale=0.1):
    """The combined circuit: cortex, pons, cerebellum, thalamus, spinal cord.

    Parameters
    ----------
    cortex_scale : float
        Size factor of the cortical column (800 neurons at 0.2).
    cerebellum_scale : float
        Size factor of the cerebellar microzone (2440 neurons, 10 deep-nuclear cells and
        200 mossy fibres, hence 200 pontine cells, at 2). At 1 its 5 nuclear cells all
        received the same 10 Purkinje cells, and whether the nuclei (and the thalamus)
        responded to the command depended on the realisation.
    n_thalamus : int
        Number of motor-thalamus relay cells.
    pool_scale : float
        Size factor of the motor pool (30 motoneurons at 0.1).

    Returns
    -------
    Circuit
        Populations named ``<region>_<population>`` (e.g. ``cortex_PYR``), projections of
        each region plus the `PATHWAYS`.
    """
    cb = cerebellum(cerebellum_scale, plasticity=False)
    regions = {"cortex": cortical_column(cortex_scale),
               "pons": _pons(cb.population("mf").size),
               "cerebellum": cb,
               "thalamus": _thalamus(n_thalamus),
               "spinal_cord": motor_pool(pool_scale)}
    projections = [
        Projection(name, pre, post, target,
                   "one_to_one" if k is None else {"kind": "fixed_indegree", "k": k},
                   weight, delay=delay)
        for name, (pre, post, target, k, weight, delay) in PATHWAYS.items()]
    return combine("sensorimotor_loop", regions, projections, inputs=(THALAMIC_BACKGROUND,),
                   description="Sensorimotor loop: cortex -> spinal motor pool; cortex -> "
                               "pons -> mossy fibres -> cerebellum -> nuclei -> motor "
                               "thalamus -> cortex")


def sensorimotor_loop(duration=1.5 * second, dt=0.1 * ms, seed=1, stim_start=0.5 * second,
                      stim_stop=1.0 * second, stim_amplitude=1 * nA):
    """Spontaneous loop activity, then a motor command (current step to the pyramidal cells).

    Parameters
    ----------
    duration, dt : Quantity
    seed : int
    stim_start, stim_stop : Quantity
        The command's window.
    stim_amplitude : Quantity
        Current added to every pyramidal cell during the command (nA).
    """
    circuit = loop_circuit()
    command = CurrentStep("motor_command", "cortex_PYR", stim_amplitude, stim_start, stim_stop)
    return Experiment("sensorimotor_loop", circuit, protocol=(command,),
                      recording=Recording(spikes="all"), duration=duration, dt=dt, seed=seed,
                      description=circuit.description)


register("experiments", "sensorimotor_loop", sensorimotor_loop)
