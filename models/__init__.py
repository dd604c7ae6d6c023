"""Model library: neuron models, synaptic kernels, synapse models and cell types.

Importing this package registers every model in `bioneuro.registry`; look them up with
``bioneuro.registry.get("models", "lif_curr_exp")`` or list them with ``bioneuro list models``.
"""

from bioneuro.models.hh_traub import hh_traub_cond_exp
from bioneuro.models.lif import lif_cond_exp, lif_curr_exp
from bioneuro.models.synapses import static

__all__ = ["lif_curr_exp", "lif_cond_exp", "hh_traub_cond_exp", "static"]
