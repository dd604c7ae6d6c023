"""Triplet spike-timing-dependent plasticity (Pfister & Gerstner 2006).

Two presynaptic traces (``r_1`` with ``tau_plus``, ``r_2`` with ``tau_x``) and two
postsynaptic traces (``o_1`` with ``tau_minus``, ``o_2`` with ``tau_y``); with ``w_ref`` the
weight scale of the amplitudes::

    pre spike:   w -= w_ref o_1 (A2_minus + A3_minus r_2(t - eps))
    post spike:  w += w_ref r_1 (A2_plus + A3_plus o_2(t - eps))

then the traces of the spiking side are incremented (all-to-all interactions: ``+= 1``) or
reset (nearest-spike: ``= 1``). The weights are kept in ``[0, w_max]``. The triplet terms make
potentiation grow with the postsynaptic rate, which reproduces the frequency dependence of
pairing in visual cortex (Sjostrom, Turrigiano & Nelson 2001) and triplet/quadruplet
protocols in hippocampal cultures (Wang et al. 2005), and maps onto a BCM rule.

Published parameter sets (Pfister & Gerstner 2006, Table 4; ``tau_plus = 16.8 ms`` and
``tau_minus = 33.7 ms`` throughout), available as `PARAMETER_SETS` and the registered models
``triplet_<visual|hippocampal>_<all_to_all|nearest>[_minimal]``. The *minimal* models drop
the terms whose amplitude the fit set to zero (``tau_x`` is then irrelevant; kept at 101 ms).
"""

from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from bioneuro.models.plasticity.stdp import TRACE_UPDATE
from brian2.units import ms, nS

from bioneuro.errors import UnknownNameError
from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["triplet", "PARAMETER_SETS", "PFISTER_GERSTNER_2006", "SJOSTROM_2001"]

PFISTER_GERSTNER_2006 = Reference("Pfister & Gerstner (2006) Triplets of spikes in a model of "
                                  "spike timing-dependent plasticity, J Neurosci 26:9673",
                                  "10.1523/JNEUROSCI.1425-06.2006")
SJOSTROM_2001 = Reference("Sjostrom, Turrigiano & Nelson (2001) Rate, timing, and "
                          "cooperativity jointly determine cortical synaptic plasticity, "
                          "Neuron 32:1149", "10.1016/S0896-6273(01)00542-6")
WANG_2005 = Reference("Wang, Gerkin, Nauen & Bi (2005) Coactivation and timing-dependent "
                      "integration of synaptic potentiation and depression, Nat Neurosci 8:187",
                      "10.1038/nn1387")

_NAMES = ("tau_x", "tau_y", "A2_plus", "A3_plus", "A2_minus", "A3_minus")
#: (data set, pairing, minimal) -> (tau_x ms, tau_y ms, A2+, A3+, A2-, A3-); P&G 2006 Table 4
_TABLE_4 = {
    ("visual", "all_to_all", False): (101, 125, 5e-10, 6.2e-3, 7e-3, 2.3e-4),
    ("visual", "all_to_all", True): (101, 125, 0.0, 6.5e-3, 7.1e-3, 0.0),
    ("visual", "nearest", False): (714, 40, 8.8e-11, 5.3e-2, 6.6e-3, 3.1e-3),
    ("visual", "nearest", True): (101, 40, 0.0, 5e-2, 8e-3, 0.0),
    ("hippocampal", "all_to_all", False): (946, 27, 6.1e-3, 6.7e-3, 1.6e-3, 1.4e-3),
    ("hippocampal", "all_to_all", True): (101, 40, 5.3e-3, 8e-3, 3.5e-3, 0.0),
    ("hippocampal", "nearest", False): (575, 47, 4.6e-3, 9.1e-3, 3e-3, 7.5e-9),
    ("hippocampal", "nearest", True): (101, 48, 4.6e-3, 9.1e-3, 3e-3, 0.0),
}
#: published parameter sets: (data set, pairing, minimal) -> {parameter: value}
PARAMETER_SETS = {key: {name: value * ms if name.startswith("tau") else value
                        for name, value in zip(_NAMES, values, strict=True)}
                  for key, values in _TABLE_4.items()}
DATA_SETS = ("visual", "hippocampal")


def triplet(w_ref=1 * nS, w_max=10 * nS, *, data_set="visual", pairing="all_to_all",
            minimal=False, name=None):
    """Triplet STDP synapse model with a published parameter set.

    Parameters
    ----------
    w_ref : Quantity
        Weight scale of the amplitudes (``Delta w = w_ref A ...``): with initial weight
        ``w_ref``, ``Delta w / w_ref`` is the relative change the paper fits.
    w_max : Quantity
        Upper weight bound (same unit as `w_ref`).
    data_set : {"visual", "hippocampal"}
        Visual cortex (Sjostrom et al. 2001) or hippocampal culture (Wang et al. 2005) fit.
    pairing : {"all_to_all", "nearest"}
    minimal : bool
        The minimal model of the fit.
    name : str, optional
    """
    if data_set not in DATA_SETS:
        raise UnknownNameError("triplet.data_set", data_set, DATA_SETS)
    if pairing not in TRACE_UPDATE:
        raise UnknownNameError("triplet.pairing", pairing, TRACE_UPDATE)
    values = PARAMETER_SETS[(data_set, pairing, bool(minimal))]
    update = TRACE_UPDATE[pairing]
    bounded = "clip({}, 0*w_max, w_max)"
    params = {
        "w_ref": weight_parameter(w_ref, "weight scale of the amplitudes"),
        "w_max": weight_parameter(w_max, "upper weight bound"),
        "tau_plus": Parameter("ms", 16.8 * ms, "fast presynaptic trace (pair LTP)",
                              low="0.01 ms", shared=True),
        "tau_minus": Parameter("ms", 33.7 * ms, "fast postsynaptic trace (pair LTD)",
                               low="0.01 ms", shared=True),
    }
    meanings = {"tau_x": "slow presynaptic trace (triplet LTD)",
                "tau_y": "slow postsynaptic trace (triplet LTP)",
                "A2_plus": "pair potentiation amplitude", "A3_plus": "triplet potentiation "
                "amplitude", "A2_minus": "pair depression amplitude",
                "A3_minus": "triplet depression amplitude"}
    for key, value in values.items():
        if key.startswith("tau"):
            params[key] = Parameter("ms", value, meanings[key], low="0.01 ms", shared=True)
        else:
            params[key] = Parameter("1", value, meanings[key], low=0, shared=True)
    default = f"triplet_{data_set}_{pairing}" + ("_minimal" if minimal else "")
    return SynapseModel(
        name=name or default,
        model="\n".join([
            "w : {weight_unit}",
            "dr_1/dt = -r_1/tau_plus : 1 (event-driven)",
            "dr_2/dt = -r_2/tau_x : 1 (event-driven)",
            "do_1/dt = -o_1/tau_minus : 1 (event-driven)",
            "do_2/dt = -o_2/tau_y : 1 (event-driven)",
        ]),
        on_pre="\n".join([
            "{target}_post += w",
            "w = " + bounded.format("w - w_ref*o_1*(A2_minus + A3_minus*r_2)"),
            f"r_1 {update}",
            f"r_2 {update}",
        ]),
        on_post="\n".join([
            "w = " + bounded.format("w + w_ref*r_1*(A2_plus + A3_plus*o_2)"),
            f"o_1 {update}",
            f"o_2 {update}",
        ]),
        parameters=params,
        description=f"Triplet STDP (Pfister & Gerstner 2006), {data_set} "
                    f"{'minimal ' if minimal else ''}{pairing.replace('_', '-')} set.",
        references=(PFISTER_GERSTNER_2006,
                    SJOSTROM_2001 if data_set == "visual" else WANG_2005),
        tags=("plasticity", "stdp", "triplet"),
    )


for _key in _TABLE_4:
    register_rule(triplet(data_set=_key[0], pairing=_key[1], minimal=_key[2]))
