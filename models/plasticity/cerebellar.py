"""Parallel-fibre -> Purkinje cell plasticity gated by climbing fibres.

Parallel-fibre (PF) spikes leave an eligibility trace ``xpf`` (``tau_pf dxpf/dt = -xpf``,
``xpf += 1``); a climbing-fibre (CF) complex spike, seen by the synapse as the postsynaptic
pulse ``cf`` (see `signals.climbing_fibre_signal`), depresses the synapse in proportion to
the trace, multiplicatively::

    dw/dt = -A_LTD w xpf cf/tau_cf_post         (LTD when PF activity precedes a CF spike)
    PF spike: w += A_LTP w_max                  (weak LTP for PF activity alone)

so one CF spike ``T`` after a PF spike scales the weight by about
``exp(-A_LTD exp(-T/tau_pf))`` (for ``tau_cf << tau_pf``), a CF spike before the PF spike
does nothing, and PF activity without CF slowly potentiates (Ito 2001; Coesmans et al.
2004). The LTD window follows the PF-before-CF timing rule of cerebellar LTD (Wang, Denk &
Hausser 2000; Safo & Regehr 2008).
"""

from bioneuro.models.plasticity.rule import register_rule, weight_parameter
from brian2.units import ms, nS

from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["pf_purkinje", "pf_pc_ltd"]

_REFERENCES = (
    Reference("Ito (2001) Cerebellar long-term depression: characterization, signal "
              "transduction, and functional roles, Physiol Rev 81:1143",
              "10.1152/physrev.2001.81.3.1143"),
    Reference("Coesmans, Weber, De Zeeuw & Hansel (2004) Bidirectional parallel fiber "
              "plasticity in the cerebellum under climbing fiber control, Neuron 44:691",
              "10.1016/j.neuron.2004.10.031"),
    Reference("Wang, Denk & Hausser (2000) Coincidence detection in single dendritic spines "
              "mediated by calcium release, Nat Neurosci 3:1266", "10.1038/81792"),
    Reference("Safo & Regehr (2008) Timing dependence of the induction of cerebellar LTD, "
              "Neuropharmacology 54:213", "10.1016/j.neuropharm.2007.05.029"),
)


def pf_purkinje(w_max=2 * nS, A_LTD=0.5, A_LTP=0.001, tau_pf=100 * ms, name="pf_pc_ltd"):
    """PF -> Purkinje synapse model with CF-gated LTD and weak PF-alone LTP.

    Parameters
    ----------
    w_max : Quantity
        Upper weight bound.
    A_LTD : float
        LTD strength (log-fraction of the weight lost by a CF spike coinciding with a
        fresh PF trace).
    A_LTP : float
        LTP per PF spike (fraction of `w_max`).
    tau_pf : Quantity
        PF eligibility time constant (the LTD window).
    name : str

    The postsynaptic model must carry `climbing_fibre_signal` (``cf``, ``tau_cf``).
    """
    return SynapseModel(
        name=name,
        model="\n".join([
            "dw/dt = -A_LTD*w*xpf*cf_post/tau_cf_post : {weight_unit} (clock-driven)",
            "dxpf/dt = -xpf/tau_pf : 1 (clock-driven)",
        ]),
        on_pre="\n".join(["{target}_post += w", "xpf += 1",
                          "w = clip(w + A_LTP*w_max, 0*w_max, w_max)"]),
        parameters={
            "w_max": weight_parameter(w_max, "upper weight bound"),
            "A_LTD": Parameter("1", A_LTD, "LTD strength per CF spike", low=0, shared=True),
            "A_LTP": Parameter("1", A_LTP, "LTP per PF spike (fraction of w_max)", low=0,
                               shared=True),
            "tau_pf": Parameter("ms", tau_pf, "PF eligibility time constant (LTD window)",
                                low="0.01 ms", shared=True),
        },
        method="euler",
        description="PF->Purkinje plasticity: LTD when PF precedes a climbing-fibre spike, "
                    "weak LTP for PF activity alone.",
        references=_REFERENCES,
        tags=("plasticity", "cerebellum", "three-factor"),
    )


pf_pc_ltd = register_rule(pf_purkinje())
