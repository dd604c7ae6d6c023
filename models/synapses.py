"""Static synapses: a spike adds the weight to the postsynaptic target variable.

The kernel (exponential current or conductance) lives in the postsynaptic neuron model, so
one static synapse serves every kernel; plasticity rules replace it per projection.
"""

from bioneuro.registry import register
from bioneuro.spec import SynapseModel

__all__ = ["static"]

static = register("synapses", "static", SynapseModel(
    name="static",
    model="w : {weight_unit}",
    on_pre="{target}_post += w",
    description="Fixed weight; each presynaptic spike increments the target variable by w.",
))
