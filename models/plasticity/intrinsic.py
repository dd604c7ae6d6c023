"""Intrinsic plasticity: a spike threshold that adapts to hold the rate at a target.

A `Mechanism` composing onto any library neuron model (``compose(model,
intrinsic_threshold())``): the threshold becomes ``V_th + theta_ip`` with::

    dtheta_ip/dt = -delta_ip nu_target_ip,   theta_ip += delta_ip at each spike

an integral controller: over a time ``T`` with ``n`` spikes the threshold moves by
``delta_ip (n - nu_target_ip T)``, so it settles where the neuron fires at
``nu_target_ip`` (the threshold rule of the SORN, Lazar, Pipa & Triesch 2009, in continuous
time; experimentally, intrinsic excitability scales with activity, Desai, Rutherford &
Turrigiano 1999).
"""

from bioneuro.models.composition import Mechanism
from brian2.units import Hz, mV

from bioneuro.spec import Parameter, Reference

__all__ = ["intrinsic_threshold"]


def intrinsic_threshold(delta=0.5 * mV, nu_target=5 * Hz):
    """Threshold intrinsic plasticity towards `nu_target`.

    Parameters
    ----------
    delta : Quantity
        Threshold increment per spike (sets the adaptation speed).
    nu_target : Quantity
        Target firing rate.
    """
    return Mechanism(
        name="intrinsic_plasticity",
        equations="dtheta_ip/dt = -delta_ip*nu_target_ip : volt",
        threshold_offset="theta_ip",
        reset="theta_ip += delta_ip",
        parameters={
            "delta_ip": Parameter("mV", delta, "threshold increment per spike", low="0 mV"),
            "nu_target_ip": Parameter("Hz", nu_target, "target firing rate", low="0 Hz"),
        },
        initial={"theta_ip": 0 * mV},
        # Brian2's linear ("exact") solver rejects the constant drift; exponential Euler
        # integrates it exactly
        time_dependent=True,
        description="Intrinsic plasticity: threshold theta_ip adapting to the target rate "
                    "nu_target_ip.",
        references=(
            Reference("Desai, Rutherford & Turrigiano (1999) Plasticity in the intrinsic "
                      "excitability of cortical pyramidal neurons, Nat Neurosci 2:515",
                      "10.1038/9165"),
            Reference("Lazar, Pipa & Triesch (2009) SORN: a self-organizing recurrent neural "
                      "network, Front Comput Neurosci 3:23", "10.3389/neuro.10.023.2009"),
        ))
