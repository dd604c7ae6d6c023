"""Sensory afferents: slowly and rapidly adapting cutaneous mechanoreceptor afferents.

The transduced stimulus is the step current; both are AdEx point models. The slowly adapting
(SA) afferent fires throughout a sustained stimulus at a rate that grows with its intensity
(SA1/Merkel afferents); the rapidly adapting (RA) afferent signals stimulus onset only
(RA/Meissner afferents), through strong subthreshold adaptation: the "transient" parameter
set of Naud et al. (2008) with the adaptation conductance ``a`` raised from 10 to 80 nS (so
that no intensity of the range evokes sustained firing) and a 2 ms refractory period.
"""

from bioneuro.models.adex import NAUD_2008, NAUD_2008_REFERENCE
from bioneuro.models.composition import define_cell
from brian2.units import ms, mV, nS, pA, pF

from bioneuro.spec import Reference

__all__ = ["sensory_sa_afferent", "sensory_ra_afferent"]

_JOHNSON = Reference("Johnson (2001) The roles and functions of cutaneous mechanoreceptors, "
                     "Curr Opin Neurobiol 11:455", "10.1016/S0959-4388(00)00234-8")

sensory_sa_afferent = define_cell(
    "sensory_sa_afferent", "adex_cond_exp",
    parameters={"C_m": 200 * pF, "g_L": 10 * nS, "E_L": -70 * mV, "V_T": -50 * mV,
                "Delta_T": 2 * mV, "a": 0 * nS, "b": 20 * pA, "tau_w": 300 * ms,
                "V_reset": -58 * mV, "tau_ref": 1 * ms},
    initial={"v": -70 * mV},
    description="Slowly adapting (SA1-type) mechanoreceptor afferent: sustained firing whose "
                "rate grows with stimulus intensity.",
    reproduces="Sustained response to a maintained stimulus (spikes until its end) with a "
               "rate increasing monotonically with intensity (SA1 afferents, Johnson 2001).",
    region="periphery", references=(_JOHNSON,),
    current_range=(0 * pA, 1000 * pA), tags=("sensory", "afferent", "slowly-adapting"))

_TRANSIENT = {**{k: v for k, v in NAUD_2008["transient"].items() if k != "I_step"},
              "a": 80 * nS, "tau_ref": 2 * ms}
sensory_ra_afferent = define_cell(
    "sensory_ra_afferent", "adex_cond_exp", parameters=_TRANSIENT,
    initial={"v": _TRANSIENT["E_L"]},
    description="Rapidly adapting (RA-type) mechanoreceptor afferent: fires at stimulus "
                "onset only.",
    reproduces="Onset response: spikes only in the first 50 ms of a maintained stimulus, none "
               "during its sustained part (RA afferents, Johnson 2001).",
    region="periphery", references=(_JOHNSON, NAUD_2008_REFERENCE),
    current_range=(0 * pA, 1000 * pA), tags=("sensory", "afferent", "rapidly-adapting"))
