"""Spike sources as neuron models: populations that emit prescribed spikes.

A source is a population like any other, so it can be the presynaptic side of any projection
(with any synapse model, plastic ones included, unlike Brian2's `PoissonInput`), it is
recorded like any population, and its parameters are run-time values of a compiled binary.

- ``periodic_source``: ``n_spikes`` spikes every ``period`` from ``t_first`` (per neuron), on
  the time step nearest to each scheduled time. One spike (``n_spikes = 1``) tests a PSP;
  two sources offset by ``delta_t`` make an STDP pairing protocol.
- ``poisson_source``: independent Poisson spike trains of rate ``rate`` (per neuron) during
  ``[t_start, t_stop)``; each step fires with probability ``rate*dt``.
"""

from brian2.units import Hz, ms, second

from bioneuro.registry import register
from bioneuro.spec import NeuronModel, Parameter

__all__ = ["periodic_source", "poisson_source"]

periodic_source = register("models", "periodic_source", NeuronModel(
    name="periodic_source",
    equations="n_fired : 1",
    parameters={
        "t_first": Parameter("ms", 0 * ms, "time of the first spike", low="0 ms"),
        "period": Parameter("ms", 100 * ms, "interval between spikes", low="0.001 ms"),
        "n_spikes": Parameter("1", 1, "number of spikes", low=0),
    },
    # the step nearest to t_first + n*period, at most n_spikes times
    threshold="t >= t_first + n_fired*period - 0.5*dt and n_fired < n_spikes",
    reset="n_fired += 1",
    method="euler",
    voltage="",
    description="Spike source: n_spikes regular spikes every period from t_first.",
    tags=("source",),
))

poisson_source = register("models", "poisson_source", NeuronModel(
    name="poisson_source",
    equations="",
    parameters={
        "rate": Parameter("Hz", 10 * Hz, "firing rate", low="0 Hz"),
        "t_start": Parameter("ms", 0 * ms, "start of firing", low="0 ms", shared=True),
        "t_stop": Parameter("s", 1e9 * second, "end of firing", low="0 ms", shared=True),
    },
    threshold="t >= t_start and t < t_stop and rand() < rate*dt",
    method="euler",
    voltage="",
    description="Spike source: independent Poisson trains of rate `rate` in [t_start, t_stop).",
    tags=("source",),
))
