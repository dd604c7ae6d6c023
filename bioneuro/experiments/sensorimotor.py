"""A sensorimotor loop of several regions as one built-in experiment: ``sensorimotor_loop``.

Regions (keys of `bioneuro.regions.combine`; every neuron's ``region`` label in the Dataset):

- ``cortex``: the pyramidal/PV/SST column (`bioneuro.regions.cortex.cortical_column`);
- ``pons``: pontine nuclei, excitatory relay cells (conductance-based LIF) that receive the
  cortico-pontine projection and give rise to mossy fibres (Brodal & Bjaalie 1992);
- ``cerebellum``: the cerebellar microzone (`bioneuro.regions.cerebellum.cerebellum`,
  plasticity off): its mossy fibres are the pontine axons (one fibre per pontine cell);
- ``thalamus``: motor thalamus (VL) relay cells (the ``thalamus_tc_relay`` cell type) driven
  by the deep cerebellar nucleus, projecting back to the pyramidal and PV cells (the
  cerebello-thalamo-cortical pathway, Bosch-Bouju et al. 2013);
- ``spinal_cord``: a motor pool (`bioneuro.regions.brainstem.motor_pool`) driven by the
  pyramidal cells (the corticospinal projection).

Protocol: a current step to the pyramidal cells during ``[stim_start, stim_stop)`` (a motor
command); before it the loop runs spontaneously. Every spike is recorded.
"""

from brian2.units import ms, mV, nA, nS, pF, second

from bioneuro.protocols.currents import CurrentStep
from bioneuro.regions.brainstem import motor_pool
from bioneuro.regions.cerebellum import cerebellum
from bioneuro.regions.composition import combine
from bioneuro.regions.cortex import cortical_column
from bioneuro.registry import register
from bioneuro.spec import Circuit, Experiment, Population, Projection, Recording, Reference

__all__ = ["sensorimotor_loop", "loop_circuit", "PATHWAYS"]

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
    "nuclear_thalamic": ("cerebellum.dcn", "thalamus.VL", "e", 5, 5 * nS, 3 * ms),
    "thalamocortical_pyr": ("thalamus.VL", "cortex.PYR", "e", 10, 3 * nS, 3 * ms),
    "thalamocortical_pv": ("thalamus.VL", "cortex.PV", "e", 10, 3 * nS, 3 * ms),
}


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


def loop_circuit(cortex_scale=0.2, n_thalamus=40, pool_scale=0.1):
    """The combined circuit: cortex, pons, cerebellum, thalamus, spinal cord.

    Parameters
    ----------
    cortex_scale : float
        Size factor of the cortical column (800 neurons at 0.2).
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
    cb = cerebellum(1.0, plasticity=False)
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
    return combine("sensorimotor_loop", regions, projections,
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
