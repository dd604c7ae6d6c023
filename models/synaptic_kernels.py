"""Postsynaptic kernels and receptors as equation fragments, composed onto neuron models.

A *channel* is one kind of synaptic input of a neuron (``e``, ``i``, ``ampa``, ``nmda``, ...).
Each channel's equations come from one template per kernel shape, substituted with the
channel's names, so excitatory and inhibitory blocks are never copied by hand. A spike of a
projection onto channel ``ch`` increments the channel's *target* variable by the weight ``w``:

=========  ==============================================  ================================
kernel     response to one spike of weight ``w`` at 0      target (increment)
=========  ==============================================  ================================
``exp``    ``w exp(-t/tau)``                                ``g_ch`` (or ``I_ch``)
``alpha``  ``w (t/tau) exp(1 - t/tau)``: peak ``w`` at tau  ``x_ch`` (a hidden rise state)
``biexp``  ``w (e^{-t/tau_d} - e^{-t/tau_r}) / peak``:      ``x_ch``
           peak ``w`` at ``tau_r tau_d ln(tau_d/tau_r) /
           (tau_d - tau_r)``
=========  ==============================================  ================================

So ``w`` is always the *peak* current or conductance of a single response, whatever the
kernel. A conductance channel contributes ``g_ch * gate_ch * (E_ch - v)`` to ``I_syn``; the
gate is 1 except for NMDA's voltage-dependent Mg2+ block (Jahr & Stevens 1990).

References
----------
Rotter & Diesmann (1999) Exact digital simulation of time-invariant linear systems with
applications to neuronal modeling. Biol Cybern 81:381. doi:10.1007/s004220050570
Jahr & Stevens (1990) Voltage dependence of NMDA-activated macroscopic conductances predicted
by single-channel kinetics. J Neurosci 10:3178. doi:10.1523/JNEUROSCI.10-09-03178.1990
Brunel & Wang (2001) Effects of neuromodulation in a cortical network model of object working
memory dominated by recurrent inhibition. J Comput Neurosci 11:63. doi:10.1023/A:1011204814320
"""

import math
from dataclasses import dataclass
from types import MappingProxyType

from brian2.units import mM, ms, mV

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import equation_unit
from bioneuro.spec import Parameter, Reference

__all__ = ["Channel", "SynapticBlock", "synaptic_block", "current_channels",
           "conductance_channels", "exp_current_kernel", "exp_conductance_kernel",
           "RECEPTORS", "receptor_channels", "KERNELS", "psp_peak_time"]

KERNELS = ("exp", "alpha", "biexp")

# one template per kernel: {s} the response variable, {x} the rise state, {u} their unit
_TEMPLATES = {
    "exp": "d{s}/dt = -{s}/{tau} : {u}",
    "alpha": "d{s}/dt = (exp(1)*{x} - {s})/{tau} : {u}\nd{x}/dt = -{x}/{tau} : {u}",
    "biexp": ("d{s}/dt = -{s}/{tau_d} + {x}*{norm} : {u}\n"
              "d{x}/dt = -{x}/{tau_r} : {u}\n"
              # the factor that makes the peak of one response equal to w
              "{norm} = (1/{tau_r} - 1/{tau_d})/"
              "((({tau_r}/{tau_d})**({tau_r}/({tau_d} - {tau_r})) "
              "- ({tau_r}/{tau_d})**({tau_d}/({tau_d} - {tau_r})))) : Hz"),
}

#: NMDA Mg2+ block, Jahr & Stevens (1990) as used by Brunel & Wang (2001)
MG_BLOCK = "1/(1 + {Mg}/(3.57*mM)*exp(-0.062*{v}/mV))"

_JAHR_STEVENS = Reference("Jahr & Stevens (1990) Voltage dependence of NMDA-activated "
                          "macroscopic conductances predicted by single-channel kinetics, "
                          "J Neurosci 10:3178", "10.1523/JNEUROSCI.10-09-03178.1990")
_BRUNEL_WANG = Reference("Brunel & Wang (2001) Effects of neuromodulation in a cortical network "
                         "model of object working memory dominated by recurrent inhibition, "
                         "J Comput Neurosci 11:63", "10.1023/A:1011204814320")
_DESTEXHE = Reference("Destexhe, Mainen & Sejnowski (1998) Kinetic models of synaptic "
                      "transmission, in Methods in Neuronal Modeling (2nd ed), MIT Press, "
                      "pp 1-25", "10.7551/mitpress/4056.003.0004")


@dataclass(frozen=True)
class Channel:
    """One synaptic input channel.

    Parameters
    ----------
    name : str
        Channel name (``e``, ``ampa``, ...), used in variable and parameter names.
    kernel : {"exp", "alpha", "biexp"}
    tau : Quantity
        Decay time constant (``exp``, ``alpha``); for ``biexp`` the decay ``tau_d``.
    tau_rise : Quantity, optional
        Rise time constant (``biexp`` only), strictly below `tau`.
    reversal : Quantity, optional
        Reversal potential; given for a conductance channel, ``None`` for a current.
    gate : str
        Gating factor of a conductance (``"1"`` or `MG_BLOCK`).
    """

    name: str
    kernel: str
    tau: object
    tau_rise: object = None
    reversal: object = None
    gate: str = "1"

    def __post_init__(self):
        if self.kernel not in KERNELS:
            raise UnknownNameError(f"channels.{self.name}.kernel", self.kernel, KERNELS)
        if (self.kernel == "biexp") != (self.tau_rise is not None):
            raise SpecError(f"channels.{self.name}.tau_rise", self.tau_rise,
                            "a rise time for a 'biexp' kernel and none otherwise")
        if self.tau_rise is not None and not self.tau_rise < self.tau:
            raise SpecError(f"channels.{self.name}.tau_rise", self.tau_rise,
                            f"a rise time below the decay time {self.tau}")

    @property
    def target(self):
        """The variable a spike increments."""
        return (("g_" if self.reversal is not None else "I_") + self.name
                if self.kernel == "exp" else f"x_{self.name}")


@dataclass(frozen=True)
class SynapticBlock:
    """Equations, parameters and targets of a neuron's synaptic input.

    Attributes
    ----------
    equations : str
        Kernel equations and the total ``I_syn = ... : <current unit>``.
    parameters : mapping of str to Parameter
    targets : mapping of str to str
        Channel -> target variable.
    """

    equations: str
    parameters: object
    targets: object


def _response(channel):
    prefix = "g_" if channel.reversal is not None else "I_"
    return prefix + channel.name


def synaptic_block(channels, current_unit="amp", conductance_unit="siemens", voltage="v"):
    """Combine `channels` into one `SynapticBlock` summing into ``I_syn``.

    Parameters
    ----------
    channels : sequence of Channel
    current_unit, conductance_unit : str
        Brian2 units of ``I_syn`` and of conductances (``amp``/``siemens`` for a point
        neuron, ``amp/meter**2``/``siemens/meter**2`` for a density model, ``volt`` for a
        current expressed as a voltage drive as in Izhikevich 2003).
    voltage : str
        Membrane-potential variable in the driving force.
    """
    lines, params, targets, terms = [], {}, {}, []
    seen = set()
    for ch in channels:
        if ch.name in seen:
            raise SpecError("channels", ch.name, "unique channel names")
        seen.add(ch.name)
        is_conductance = ch.reversal is not None
        unit = conductance_unit if is_conductance else current_unit
        s, x = _response(ch), f"x_{ch.name}"
        names = {"s": s, "x": x, "u": unit, "tau": f"tau_{ch.name}",
                 "tau_d": f"tau_{ch.name}", "tau_r": f"tau_rise_{ch.name}",
                 "norm": f"norm_{ch.name}"}
        lines.append(_TEMPLATES[ch.kernel].format(**names))
        params[f"tau_{ch.name}"] = Parameter(
            "ms", ch.tau, f"{'decay ' if ch.kernel == 'biexp' else ''}time constant of the "
            f"{ch.name} {'conductance' if is_conductance else 'current'}", low="0.01 ms")
        if ch.kernel == "biexp":
            params[f"tau_rise_{ch.name}"] = Parameter(
                "ms", ch.tau_rise, f"rise time constant of the {ch.name} kernel "
                f"(below tau_{ch.name})", low="0.001 ms")
        if is_conductance:
            params[f"E_{ch.name}"] = Parameter("mV", ch.reversal,
                                               f"reversal potential of the {ch.name} channel")
            gate = ch.gate.format(v=voltage, Mg="Mg")
            if "Mg" in gate:
                params["Mg"] = Parameter("mM", 1 * mM, "extracellular Mg2+ concentration "
                                         "(NMDA block)", low="0 mM")
            factor = "" if gate == "1" else f"*{gate}"
            terms.append(f"{s}{factor}*(E_{ch.name} - {voltage})")
        else:
            terms.append(s)
        targets[ch.name] = ch.target
    if equation_unit(current_unit) != current_unit:
        raise SpecError("current_unit", current_unit, "a Brian2 unit name")
    lines.append("I_syn = " + (" + ".join(terms) if terms else f"0*{current_unit}")
                 + f" : {current_unit}")
    return SynapticBlock("\n".join(lines), MappingProxyType(params),
                         MappingProxyType(targets))


def current_channels(kernel, taus, rises=None):
    """Current channels of one kernel shape, e.g. ``current_channels("exp", {"e": 2*ms})``."""
    rises = rises or {}
    return [Channel(name, kernel, tau, rises.get(name)) for name, tau in taus.items()]


def conductance_channels(kernel, taus, reversals, rises=None):
    """Conductance channels of one kernel shape with their reversal potentials."""
    rises = rises or {}
    return [Channel(name, kernel, tau, rises.get(name), reversals[name])
            for name, tau in taus.items()]


def exp_current_kernel(channels, taus, unit="amp"):
    """Block of exponentially decaying currents (targets ``I_<channel>``)."""
    return synaptic_block(current_channels("exp", {ch: taus[ch] for ch in channels}),
                          current_unit=unit)


def exp_conductance_kernel(channels, taus, reversals):
    """Block of exponentially decaying conductances (targets ``g_<channel>``)."""
    return synaptic_block(conductance_channels("exp", {ch: taus[ch] for ch in channels},
                                               reversals))


#: receptor kinetics (decay, rise or None, reversal, gate) and their sources
RECEPTORS = MappingProxyType({
    # Brunel & Wang (2001): AMPA 2 ms decay, NMDA 2 ms rise / 100 ms decay with the
    # Jahr-Stevens Mg block, GABA_A 5 ms decay; reversals 0 mV and -70 mV
    "ampa": (Channel("ampa", "exp", 2 * ms, None, 0 * mV), (_BRUNEL_WANG,)),
    "nmda": (Channel("nmda", "biexp", 100 * ms, 2 * ms, 0 * mV, MG_BLOCK),
             (_BRUNEL_WANG, _JAHR_STEVENS)),
    "gaba_a": (Channel("gaba_a", "exp", 5 * ms, None, -70 * mV), (_BRUNEL_WANG,)),
    # slow metabotropic inhibition: a bi-exponential fit of the kinetic scheme's response
    # (tens of ms rise, ~150 ms decay, K+ reversal), Destexhe et al. (1998)
    "gaba_b": (Channel("gaba_b", "biexp", 150 * ms, 30 * ms, -95 * mV), (_DESTEXHE,)),
})


def receptor_channels(names=("ampa", "nmda", "gaba_a", "gaba_b")):
    """The `Channel` of each named receptor and the references of their kinetics."""
    channels, refs = [], []
    for name in names:
        if name not in RECEPTORS:
            raise UnknownNameError("receptors", name, RECEPTORS)
        channel, sources = RECEPTORS[name]
        channels.append(channel)
        refs.extend(r for r in sources if r not in refs)
    return channels, tuple(refs)


def psp_peak_time(kernel, tau, tau_rise=None):
    """Time (s, float) of the peak of one kernel response (exp: 0; alpha: tau; biexp: closed
    form ``tau_r tau_d ln(tau_d/tau_r)/(tau_d - tau_r)``); arguments in seconds."""
    if kernel == "exp":
        return 0.0
    if kernel == "alpha":
        return tau
    return tau_rise * tau * math.log(tau / tau_rise) / (tau - tau_rise)
