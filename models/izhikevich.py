"""Izhikevich (2003) simple model of spiking neurons, with exponential synaptic drive.

The published equations are in millivolts and milliseconds::

    v' = 0.04 v^2 + 5 v + 140 - u + I,    u' = a (b v - u)
    if v >= 30: v <- c, u <- u + d

Here they carry units: ``v``, ``u``, the input ``I`` and ``c``, ``d`` are voltages (mV),
``a`` is a rate (1/ms), ``b`` is dimensionless and the quadratic is
``(0.04/mV v^2 + 5 v + 140 mV - u + I)/ms``, so every published number is used as printed.
The input (``I_in``, ``I_syn``) is a voltage drive as in the paper (its "current" ``I``).

Closed forms (no input): the fixed points solve ``0.04 v^2 + (5 - b) v + 140 = 0`` (mV), the
resting potential being the lower root ``v_rest = (-(5 - b) - sqrt((5 - b)^2 - 22.4))/0.08``
with ``u = b v_rest``; a constant drive ``I`` moves it to the lower root of
``0.04 v^2 + (5 - b) v + 140 + I = 0``, which disappears (saddle-node) at
``I = (5 - b)^2/0.16 - 140``. The Jacobian at rest is ``[[0.08 v + 5, -1], [a b, -a]]`` (per ms);
complex eigenvalues give damped subthreshold oscillations (the resonator, RZ). When ``a < b``
the rest loses stability before the saddle-node, in an Andronov-Hopf bifurcation where
``0.08 v + 5 = a``.

`IZHIKEVICH_2003` holds the seven classes of Fig. 2 (a, b, c, d): regular spiking (RS),
intrinsically bursting (IB), chattering (CH), fast spiking (FS), low-threshold spiking (LTS),
thalamo-cortical (TC) and resonator (RZ).
"""

import math
from types import MappingProxyType

from bioneuro.models.composition import point_neuron
from bioneuro.models.synaptic_kernels import current_channels, synaptic_block
from brian2.units import ms, mV

from bioneuro.spec import Parameter, Reference

__all__ = ["izhikevich_curr_exp", "IZHIKEVICH_2003", "IZHIKEVICH_REFERENCE", "resting_state",
           "saddle_node_drive"]

_MEMBRANE = """
dv/dt = (0.04/mV*v**2 + 5*v + 140*mV - u + I_syn + I_in)/ms : volt
du/dt = a*(b*v - u) : volt
"""

IZHIKEVICH_REFERENCE = Reference("Izhikevich (2003) Simple model of spiking neurons, IEEE "
                                 "Trans Neural Netw 14:1569", "10.1109/TNN.2003.820440")


def _abcd(a, b, c, d):
    return MappingProxyType({"a": a / ms, "b": b, "c": c * mV, "d": d * mV})


#: Izhikevich (2003) Fig. 2: (a, b, c, d) of each neuro-computational class
IZHIKEVICH_2003 = MappingProxyType({
    "RS": _abcd(0.02, 0.2, -65, 8),
    "IB": _abcd(0.02, 0.2, -55, 4),
    "CH": _abcd(0.02, 0.2, -50, 2),
    "FS": _abcd(0.1, 0.2, -65, 2),
    "LTS": _abcd(0.02, 0.25, -65, 2),
    "TC": _abcd(0.02, 0.25, -65, 0.05),
    "RZ": _abcd(0.1, 0.26, -65, 2),
})

def resting_state(parameters, drive=0 * mV):
    """Resting state ``(v, u)`` of the model under a constant `drive` (closed form).

    Parameters
    ----------
    parameters : mapping
        At least ``b`` (dimensionless), e.g. an entry of `IZHIKEVICH_2003`.
    drive : Quantity
        Constant input ``I`` (mV), below `saddle_node_drive`.

    Returns
    -------
    (Quantity, Quantity)
        The lower root ``v`` of ``0.04 v^2 + (5 - b) v + 140 + I = 0`` and ``u = b v`` (mV).
    """
    b = float(parameters["b"])
    disc = (5 - b) ** 2 - 0.16 * (140 + float(drive / mV))
    if disc < 0:
        raise ValueError(f"drive: {drive} is above the saddle-node drive "
                         f"{(5 - b) ** 2 / 0.16 - 140:.4g} mV (no resting state)")
    v = (-(5 - b) - math.sqrt(disc)) / 0.08
    return v * mV, b * v * mV


def saddle_node_drive(parameters):
    """Drive ``I = (5 - b)^2/0.16 - 140`` (mV) at which the resting state disappears."""
    return ((5 - float(parameters["b"])) ** 2 / 0.16 - 140) * mV


_PARAMETERS = {
    "a": Parameter("1/ms", 0.02 / ms, "recovery rate of u", low="0 /ms"),
    "b": Parameter("1", 0.2, "sensitivity of u to subthreshold v"),
    "c": Parameter("mV", -65 * mV, "reset potential"),
    "d": Parameter("mV", 8 * mV, "increment of u at each spike"),
    "V_peak": Parameter("mV", 30 * mV, "spike apex (v is reset when it reaches it)"),
}

izhikevich_curr_exp = point_neuron(
    "izhikevich_curr_exp", _MEMBRANE, _PARAMETERS,
    synaptic_block(current_channels("exp", {"e": 5 * ms, "i": 5 * ms}), current_unit="volt"),
    threshold="v >= V_peak", reset="v = c\nu += d", refractory="", method="euler",
    # the resting state of the default (RS) parameters: v = -70 mV, u = b v
    initial={"v": -70 * mV, "u": -14 * mV},
    description="Izhikevich (2003) quadratic model with recovery variable u (default: regular "
                "spiking) and exponential excitatory/inhibitory drive in mV.",
    references=(IZHIKEVICH_REFERENCE,),
    tags=("point", "integrate-and-fire", "quadratic"), input_unit="mV", current_unit="volt",
    current_range=(0 * mV, 20 * mV))
