"""Pair-based spike-timing-dependent plasticity (STDP).

For a pair of a presynaptic spike at ``t_pre`` and a postsynaptic spike at ``t_post``
(``Delta t = t_post - t_pre``) the weight changes by::

    Delta w = +A_plus  w_max f_+(w) exp(-Delta t/tau_plus)    (Delta t > 0, potentiation)
    Delta w = -A_minus w_max f_-(w) exp(+Delta t/tau_minus)   (Delta t < 0, depression)

with the weight dependence of Guetig et al. (2003), ``f_+(w) = (1 - w/w_max)^mu`` and
``f_-(w) = (w/w_max)^mu``: ``mu = 0`` is the *additive* rule (Song, Miller & Abbott 2000),
whose weights are held in ``[0, w_max]`` by hard bounds (clipping); ``mu = 1`` is the
*multiplicative* rule (van Rossum, Bi & Turrigiano 2000; Rubin et al. 2001), whose
potentiation vanishes at ``w_max`` and depression at 0 (soft bounds). Intermediate ``mu``
interpolates (Guetig et al. 2003); ``mu`` is a run-time parameter.

Spike interactions (Morrison, Diesmann & Gerstner 2008):

- ``all_to_all``: every pre spike pairs with every post spike (traces add up: ``a += 1``);
- ``nearest``: each spike pairs only with the nearest earlier spike of the other side
  (symmetric nearest-spike; traces are reset: ``a = 1``).

The traces live in the synapse (Brian2 event-driven variables), so the rule composes with
any synaptic kernel: a pre spike adds ``w`` to the projection's target variable.
"""

from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from brian2.units import ms, nS

from bioneuro.errors import UnknownNameError
from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["stdp", "stdp_add", "stdp_add_nearest", "stdp_mult", "stdp_mult_nearest",
           "PAIRINGS", "WEIGHT_DEPENDENCES", "TRACE_UPDATE"]

#: weight dependence -> Guetig exponent mu
WEIGHT_DEPENDENCES = {"additive": 0.0, "multiplicative": 1.0}
#: spike interaction -> trace update on a spike
TRACE_UPDATE = {"all_to_all": "+= 1", "nearest": "= 1"}
PAIRINGS = tuple(TRACE_UPDATE)

SONG_2000 = Reference("Song, Miller & Abbott (2000) Competitive Hebbian learning through "
                      "spike-timing-dependent synaptic plasticity, Nat Neurosci 3:919",
                      "10.1038/78829")
BI_POO_1998 = Reference("Bi & Poo (1998) Synaptic modifications in cultured hippocampal "
                        "neurons: dependence on spike timing, synaptic strength, and "
                        "postsynaptic cell type, J Neurosci 18:10464",
                        "10.1523/JNEUROSCI.18-24-10464.1998")
_REFERENCES = (
    SONG_2000, BI_POO_1998,
    Reference("van Rossum, Bi & Turrigiano (2000) Stable Hebbian learning from spike "
              "timing-dependent plasticity, J Neurosci 20:8812",
              "10.1523/JNEUROSCI.20-23-08812.2000"),
    Reference("Guetig, Aharonov, Rotter & Sompolinsky (2003) Learning input correlations "
              "through nonlinear temporally asymmetric Hebbian plasticity, J Neurosci 23:3697",
              "10.1523/JNEUROSCI.23-09-03697.2003"),
    Reference("Morrison, Diesmann & Gerstner (2008) Phenomenological models of synaptic "
              "plasticity based on spike timing, Biol Cybern 98:459",
              "10.1007/s00422-008-0233-1"),
)


def stdp(w_max=1 * nS, *, weight_dependence="additive", pairing="all_to_all",
         A_plus=0.005, A_minus=0.00525, tau_plus=20 * ms, tau_minus=20 * ms, name=None):
    """Pair-based STDP synapse model.

    Parameters
    ----------
    w_max : Quantity
        Upper weight bound, in the unit of the projection's weight (``nS`` for a
        conductance kernel, ``pA`` for a current kernel).
    weight_dependence : {"additive", "multiplicative"}
        Default Guetig exponent ``mu`` (0: hard bounds, 1: soft bounds).
    pairing : {"all_to_all", "nearest"}
        Spike interaction.
    A_plus, A_minus : float
        Potentiation and depression amplitudes as fractions of `w_max` (defaults: Song,
        Miller & Abbott 2000, ``A_plus = 0.005``, ``A_minus/A_plus = 1.05``).
    tau_plus, tau_minus : Quantity
        Time constants of the potentiation and depression windows (20 ms; Song et al. 2000,
        close to Bi & Poo 1998's 16.8 ms and 33.7 ms).
    name : str, optional
        Model name (default ``stdp_<add|mult>[_nearest]``).
    """
    if weight_dependence not in WEIGHT_DEPENDENCES:
        raise UnknownNameError("stdp.weight_dependence", weight_dependence, WEIGHT_DEPENDENCES)
    if pairing not in TRACE_UPDATE:
        raise UnknownNameError("stdp.pairing", pairing, TRACE_UPDATE)
    update = TRACE_UPDATE[pairing]
    default = "stdp_" + weight_dependence[:4].rstrip("i") + ("_nearest" if pairing == "nearest"
                                                            else "")
    return SynapseModel(
        name=name or default,
        model="\n".join([
            "w : {weight_unit}",
            "dapre/dt = -apre/tau_plus : 1 (event-driven)",
            "dapost/dt = -apost/tau_minus : 1 (event-driven)",
        ]),
        on_pre="\n".join([
            "{target}_post += w",
            f"apre {update}",
            "w = clip(w - A_minus*w_max*apost*(w/w_max)**mu, 0*w_max, w_max)",
        ]),
        on_post="\n".join([
            f"apost {update}",
            "w = clip(w + A_plus*w_max*apre*(1 - w/w_max)**mu, 0*w_max, w_max)",
        ]),
        parameters={
            "w_max": weight_parameter(w_max, "upper weight bound"),
            "A_plus": Parameter("1", A_plus, "potentiation amplitude (fraction of w_max)",
                                low=0, shared=True),
            "A_minus": Parameter("1", A_minus, "depression amplitude (fraction of w_max)",
                                 low=0, shared=True),
            "tau_plus": Parameter("ms", tau_plus, "potentiation window time constant",
                                  low="0.01 ms", shared=True),
            "tau_minus": Parameter("ms", tau_minus, "depression window time constant",
                                   low="0.01 ms", shared=True),
            "mu": Parameter("1", WEIGHT_DEPENDENCES[weight_dependence],
                            "weight-dependence exponent (0 additive, 1 multiplicative)",
                            low=0, high=1, shared=True),
        },
        description=f"Pair-based STDP, {weight_dependence} weight dependence, "
                    f"{pairing.replace('_', '-')} spike pairing.",
        references=_REFERENCES,
        tags=("plasticity", "stdp"),
    )


stdp_add = register_rule(stdp())
stdp_add_nearest = register_rule(stdp(pairing="nearest"))
stdp_mult = register_rule(stdp(weight_dependence="multiplicative"))
stdp_mult_nearest = register_rule(stdp(weight_dependence="multiplicative", pairing="nearest"))
