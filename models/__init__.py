"""Model library: neuron models, synaptic kernels, mechanisms, synapse models and cell types.

Importing this package registers every model in `bioneuro.registry`; look them up with
``bioneuro.registry.get("models", "lif_curr_exp")`` or list them with ``bioneuro list models``.
"""

from bioneuro.models.hh_traub import hh_traub_cond_exp
from bioneuro.models.lif import (
    lif_cond_alpha,
    lif_cond_exp,
    lif_cond_receptor,
    lif_curr_alpha,
    lif_curr_exp,
    lif_relref_curr_exp,
)
from bioneuro.models.rate import rate_linear, rate_relu, rate_sigmoid, rate_tanh
from bioneuro.models.spike_sources import periodic_source, poisson_source
from bioneuro.models.synapses import gap_junction, rate_coupling, static, tsodyks_markram

__all__ = ["lif_curr_exp", "lif_curr_alpha", "lif_cond_exp", "lif_cond_alpha",
           "lif_cond_receptor", "lif_relref_curr_exp", "hh_traub_cond_exp", "rate_linear",
           "rate_relu", "rate_sigmoid", "rate_tanh", "periodic_source", "poisson_source",
           "static", "tsodyks_markram", "gap_junction", "rate_coupling"]
from bioneuro.models import cells  # noqa: F401,E402  (registers the cell types)
