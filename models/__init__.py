"""Model library: neuron models, synaptic kernels, mechanisms, synapse models and cell types.

Importing this package registers every model in `bioneuro.registry`; look them up with
``bioneuro.registry.get("models", "lif_curr_exp")`` or list them with ``bioneuro list models``.
"""

from bioneuro.models import task_referee  # noqa: F401  (registers the task models)
from bioneuro.models.adex import adex_cond_exp, adex_cond_exp_cf, adex_curr_exp
from bioneuro.models.butera import butera_cond_exp, butera_nap_cond_exp
from bioneuro.models.ctrnn import ctrnn_relu, ctrnn_tanh  # noqa: F401
from bioneuro.models.hh_calcium import hh_ahp_cond_exp, hh_lts_cond_exp
from bioneuro.models.hh_squid import hh_squid_cond_exp
from bioneuro.models.hh_traub import hh_traub_cond_exp
from bioneuro.models.izhikevich import izhikevich_curr_exp
from bioneuro.models.lif import (
    lif_cond_alpha,
    lif_cond_exp,
    lif_cond_receptor,
    lif_curr_alpha,
    lif_curr_exp,
    lif_relref_curr_exp,
)
from bioneuro.models.nmda_saturation import ampa_nmda_sat, lif_cond_nmda_sat  # noqa: F401
from bioneuro.models.rate import rate_linear, rate_relu, rate_sigmoid, rate_tanh
from bioneuro.models.spike_sources import periodic_source, poisson_source
from bioneuro.models.synapses import gap_junction, rate_coupling, static, tsodyks_markram
from bioneuro.models.two_compartment import two_compartment_cond_exp
from bioneuro.models.wang_buzsaki import wang_buzsaki_cond_exp

__all__ = ["lif_curr_exp", "lif_curr_alpha", "lif_cond_exp", "lif_cond_alpha",
           "lif_cond_receptor", "lif_relref_curr_exp", "hh_traub_cond_exp", "rate_linear",
           "rate_relu", "rate_sigmoid", "rate_tanh", "periodic_source", "poisson_source",
           "static", "tsodyks_markram", "gap_junction", "rate_coupling", "adex_curr_exp",
           "adex_cond_exp", "adex_cond_exp_cf", "izhikevich_curr_exp",
           "two_compartment_cond_exp", "hh_squid_cond_exp", "wang_buzsaki_cond_exp",
           "butera_cond_exp", "butera_nap_cond_exp", "hh_lts_cond_exp", "hh_ahp_cond_exp"]
from bioneuro.models import (
    cells,  # noqa: F401,E402  (registers the cell types)
    plasticity,  # noqa: F401,E402  (registers the plasticity rules)
)
