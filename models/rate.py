"""Rate neurons: ``tau_r dr/dt = -r + F(I)`` with a choice of transfer function ``F``.

``I = I_syn + I_in`` is a drive in Hz; ``I_syn = I_e + I_i`` collects the summed input of
`rate_coupling` projections (``I_e += w r_pre``, signed weights allowed on both channels).
With a constant drive the rate relaxes exponentially to the fixed point ``F(I)``.

Transfer functions (``rate_<f>``):

=============  ===============================================
``linear``     ``gain (I - theta)``
``relu``       ``gain max(I - theta, 0)`` (threshold-linear)
``sigmoid``    ``r_max / (1 + exp(-(I - theta)/width))``
``tanh``       ``r_max tanh(max(I - theta, 0)/width)``
=============  ===============================================

References
----------
Wilson & Cowan (1972) Excitatory and inhibitory interactions in localized populations of
model neurons. Biophys J 12:1. doi:10.1016/S0006-3495(72)86068-5
Dayan & Abbott (2001) Theoretical Neuroscience, MIT Press, ch. 7 (firing-rate models).
"""

from brian2.units import Hz, ms

from bioneuro.registry import register
from bioneuro.spec import NeuronModel, Parameter, Reference

__all__ = ["TRANSFER_FUNCTIONS", "rate_linear", "rate_relu", "rate_sigmoid", "rate_tanh"]

#: transfer function name -> expression of the drive ``I`` (Hz)
TRANSFER_FUNCTIONS = {
    "linear": "gain*(I - theta)",
    "relu": "gain*clip(I - theta, 0*Hz, inf*Hz)",
    "sigmoid": "r_max/(1 + exp(-(I - theta)/width))",
    "tanh": "r_max*tanh(clip(I - theta, 0*Hz, inf*Hz)/width)",
}

_PARAMETERS = {
    "tau_r": Parameter("ms", 10 * ms, "rate time constant", low="0.01 ms"),
    "theta": Parameter("Hz", 0 * Hz, "threshold of the transfer function"),
    "gain": Parameter("1", 1.0, "slope of the linear / threshold-linear transfer"),
    "r_max": Parameter("Hz", 100 * Hz, "maximal rate (sigmoid, tanh)", low="0 Hz"),
    "width": Parameter("Hz", 10 * Hz, "input scale of the sigmoid / tanh", low="0.001 Hz"),
    "I_ext": Parameter("Hz", 0 * Hz, "constant external drive"),
}
_USES = {"linear": ("gain",), "relu": ("gain",), "sigmoid": ("r_max", "width"),
         "tanh": ("r_max", "width")}
_REFERENCES = (
    Reference("Wilson & Cowan (1972) Excitatory and inhibitory interactions in localized "
              "populations of model neurons, Biophys J 12:1",
              "10.1016/S0006-3495(72)86068-5"),
    Reference("Dayan & Abbott (2001) Theoretical Neuroscience, MIT Press, ch. 7", ""),
)


def _rate_model(transfer):
    params = {k: v for k, v in _PARAMETERS.items()
              if k in ("tau_r", "theta", "I_ext") or k in _USES[transfer]}
    equations = "\n".join([
        "dr/dt = (F - r)/tau_r : Hz",
        f"F = {TRANSFER_FUNCTIONS[transfer]} : Hz",
        "I = I_syn + I_in : Hz",
        "I_in = I_ext : Hz",
        "I_syn = I_e + I_i : Hz",
        "I_e : Hz",
        "I_i : Hz",
    ])
    name = f"rate_{transfer}"
    return register("models", name, NeuronModel(
        name=name, equations=equations, parameters=params, method="euler",
        initial={"r": 0 * Hz}, synaptic_targets={"e": "I_e", "i": "I_i"}, voltage="",
        description=f"Rate neuron with a {transfer} transfer function "
                    f"(tau_r dr/dt = -r + {TRANSFER_FUNCTIONS[transfer]}).",
        references=_REFERENCES, tags=("rate",), current_range=(0 * Hz, 100 * Hz)))


rate_linear = _rate_model("linear")
rate_relu = _rate_model("relu")
rate_sigmoid = _rate_model("sigmoid")
rate_tanh = _rate_model("tanh")
