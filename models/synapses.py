"""Synapse models without long-term plasticity.

- ``static``: a spike adds ``w`` to the postsynaptic target (the kernel lives in the neuron).
- ``tsodyks_markram``: short-term depression and facilitation (Tsodyks, Pawelzik & Markram
  1998): each spike releases ``u x`` of the resources; ``x`` recovers with ``tau_rec``, the
  utilisation ``u`` relaxes to ``U`` with ``tau_fac``. For a regular train of interval ``T``
  without facilitation (``u = U``), the release ``x_n`` tends to
  ``x* = (1 - e^{-T/tau_rec}) / (1 - (1 - U) e^{-T/tau_rec})``.
- ``gap_junction``: electrical coupling ``I_gap = w (v_pre - v_post)`` summed over
  connections (make it symmetric with a projection each way).
- ``rate_coupling``: continuous input ``I_e = sum w r_pre`` between rate neurons.

The kernel (exponential current or conductance) lives in the postsynaptic neuron model, so
one synapse model serves every kernel; plasticity rules replace it per projection.
"""

from brian2.units import ms

from bioneuro.registry import register
from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["static", "tsodyks_markram", "gap_junction", "rate_coupling"]

static = register("synapses", "static", SynapseModel(
    name="static",
    model="w : {weight_unit}",
    on_pre="{target}_post += w",
    description="Fixed weight; each presynaptic spike increments the target variable by w.",
))

# y_stp = 1 - x (used resources) and f_stp = u - U (facilitation) both start at 0, Brian2's
# default for new synapses, so no per-synapse initialisation is needed
tsodyks_markram = register("synapses", "tsodyks_markram", SynapseModel(
    name="tsodyks_markram",
    model="\n".join([
        "w : {weight_unit}",
        "dy_stp/dt = -y_stp/tau_rec : 1 (event-driven)",
        "df_stp/dt = -f_stp/tau_fac : 1 (event-driven)",
    ]),
    on_pre="\n".join([
        "{target}_post += w*(U_stp + f_stp)*(1 - y_stp)",
        "y_stp += (U_stp + f_stp)*(1 - y_stp)",
        "f_stp += U_stp*(1 - U_stp - f_stp)",
    ]),
    parameters={
        "U_stp": Parameter("1", 0.5, "utilisation of resources by a spike (release "
                           "probability at rest)", low=0, high=1, shared=True),
        "tau_rec": Parameter("ms", 800 * ms, "recovery time constant of resources",
                             low="0.01 ms", shared=True),
        "tau_fac": Parameter("ms", 0.01 * ms, "facilitation time constant (tiny: "
                             "pure depression)", low="0.01 ms", shared=True),
    },
    description="Tsodyks-Markram short-term depression and facilitation.",
    references=(Reference("Tsodyks, Pawelzik & Markram (1998) Neural networks with dynamic "
                          "synapses, Neural Comput 10:821", "10.1162/089976698300017502"),
                Reference("Markram, Wang & Tsodyks (1998) Differential signaling via the same "
                          "axon of neocortical pyramidal neurons, PNAS 95:5323",
                          "10.1073/pnas.95.9.5323")),
    tags=("short-term plasticity",),
))

gap_junction = register("synapses", "gap_junction", SynapseModel(
    name="gap_junction",
    model="w : {weight_unit}\n{target}_post = w*(v_pre - v_post) : {target_unit} (summed)",
    on_pre="",
    weight_unit="nS",
    description="Electrical synapse: current w*(v_pre - v_post) into the target (summed).",
    references=(Reference("Bennett & Zukin (2004) Electrical coupling and neuronal "
                          "synchronization in the mammalian brain, Neuron 41:495",
                          "10.1016/S0896-6273(04)00043-1"),),
    tags=("electrical",),
))

rate_coupling = register("synapses", "rate_coupling", SynapseModel(
    name="rate_coupling",
    model="w : {weight_unit}\n{target}_post = w*r_pre : {target_unit} (summed)",
    on_pre="",
    weight_unit="1",
    description="Continuous coupling of rate neurons: the target sums w*r_pre.",
    tags=("rate",),
))
