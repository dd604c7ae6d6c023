"""Postsynaptic kernels as equation fragments, composed onto neuron models.

One template per kernel, substituted per receptor channel (``e``, ``i``, ...), so the
excitatory and inhibitory blocks are never copied by hand.
"""


from bioneuro.spec import Parameter

__all__ = ["exp_current_kernel", "exp_conductance_kernel"]

_EXP_CURRENT = "d{I}/dt = -{I}/{tau} : amp"
_EXP_CONDUCTANCE = "d{g}/dt = -{g}/{tau} : siemens"


def _fragment(template, **names):
    """Fill the ``{placeholders}`` of a kernel template with a channel's variable names."""
    return template.format(**names)


def exp_current_kernel(channels, taus):
    """Exponentially decaying synaptic currents ``I_<ch>`` summed into ``I_syn``.

    Parameters
    ----------
    channels : sequence of str
        Channel names, e.g. ``("e", "i")``.
    taus : mapping of str to Quantity
        Default decay time constant per channel.

    Returns
    -------
    equations : str
        Kernel equations plus ``I_syn = I_e + I_i + ... : amp``.
    parameters : dict of str to Parameter
    targets : tuple of str
        The synaptic target variables (``I_e``, ...).
    """
    lines, params = [], {}
    for ch in channels:
        lines.append(_fragment(_EXP_CURRENT, I=f"I_{ch}", tau=f"tau_{ch}"))
        params[f"tau_{ch}"] = Parameter("ms", taus[ch], f"decay time constant of I_{ch}",
                                        low="0.01 ms")
    lines.append("I_syn = " + " + ".join(f"I_{ch}" for ch in channels) + " : amp")
    return "\n".join(lines), params, tuple(f"I_{ch}" for ch in channels)


def exp_conductance_kernel(channels, taus, reversals):
    """Exponentially decaying conductances ``g_<ch>`` with reversal potentials ``E_<ch>``.

    Returns the same triple as `exp_current_kernel`, with
    ``I_syn = g_e*(E_e - v) + g_i*(E_i - v) + ... : amp``.
    """
    lines, params = [], {}
    for ch in channels:
        lines.append(_fragment(_EXP_CONDUCTANCE, g=f"g_{ch}", tau=f"tau_{ch}"))
        params[f"tau_{ch}"] = Parameter("ms", taus[ch], f"decay time constant of g_{ch}",
                                        low="0.01 ms")
        params[f"E_{ch}"] = Parameter("mV", reversals[ch], f"reversal potential of g_{ch}")
    lines.append("I_syn = " + " + ".join(f"g_{ch}*(E_{ch} - v)" for ch in channels) + " : amp")
    return "\n".join(lines), params, tuple(f"g_{ch}" for ch in channels)
