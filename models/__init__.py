"""Model library: neuron models, synaptic kernels, mechanisms, synapse models and cell types.

Every module registers its models in `bioneuro.registry` when it is imported; look them up
with ``bioneuro.registry.get("models", "lif_curr_exp")`` (which imports only the module
that defines the name) or list them with ``bioneuro list models`` (which imports them all).
The names below are attributes of this package, imported on first use.
"""

from bioneuro.lazy_exports import lazy_exports

_EXPORTS = {
    **dict.fromkeys(["adex_cond_exp", "adex_cond_exp_cf", "adex_curr_exp"],
                    "bioneuro.models.adex"),
    **dict.fromkeys(["butera_cond_exp", "butera_nap_cond_exp"], "bioneuro.models.butera"),
    **dict.fromkeys(["hh_ahp_cond_exp", "hh_lts_cond_exp"], "bioneuro.models.hh_calcium"),
    **dict.fromkeys(["ctrnn_relu", "ctrnn_tanh"], "bioneuro.models.ctrnn"),
    "hh_squid_cond_exp": "bioneuro.models.hh_squid",
    "hh_traub_cond_exp": "bioneuro.models.hh_traub",
    "izhikevich_curr_exp": "bioneuro.models.izhikevich",
    **dict.fromkeys(["lif_cond_alpha", "lif_cond_exp", "lif_cond_receptor", "lif_curr_alpha",
                     "lif_curr_exp", "lif_relref_curr_exp"], "bioneuro.models.lif"),
    **dict.fromkeys(["ampa_nmda_sat", "lif_cond_nmda_sat"], "bioneuro.models.nmda_saturation"),
    **dict.fromkeys(["rate_linear", "rate_relu", "rate_sigmoid", "rate_tanh"],
                    "bioneuro.models.rate"),
    **dict.fromkeys(["periodic_source", "poisson_source"], "bioneuro.models.spike_sources"),
    **dict.fromkeys(["gap_junction", "rate_coupling", "static", "tsodyks_markram"],
                    "bioneuro.models.synapses"),
    "two_compartment_cond_exp": "bioneuro.models.two_compartment",
    "wang_buzsaki_cond_exp": "bioneuro.models.wang_buzsaki",
}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
