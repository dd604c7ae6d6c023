"""Built-in experiments of the cerebellum template (`bioneuro.regions.cerebellum`).

- ``cerebellum``: spontaneous activity of the microzone (mossy fibres at their spontaneous
  rate, the olive at about 1 Hz), all spikes recorded.
- ``eyeblink``: delay eyeblink conditioning (Mauk & Donegan 1997): a tone (CS, a rate
  increase of every mossy fibre) co-terminates with an air puff (US, a spike that drives the
  inferior olive, hence a climbing-fibre volley to every Purkinje cell) one inter-stimulus
  interval (ISI) after CS onset; every `probe_every`-th trial is CS alone. With
  `second_isi`, a second block of trials retrains the same circuit at a new ISI (the learned
  Purkinje pause follows it). A spontaneous period (`spontaneous`) precedes the trials.

Learning is accelerated: the eyeblink default PF-alone LTP (``A_LTP = 0.1`` of ``w_max``
per PF spike) is 100x the rule's default and LTD (``A_LTD = 0.5`` per climbing-fibre
spike; the olive fires about 3 spikes per US) is set against it, so that synapses active
just before the US depress within a few trials while the others stay near ``w_max``: tens
of trials, not the hundreds of a real training schedule, shape the pause.
"""

from brian2.units import Hz, ms, second

from bioneuro.errors import SpecError
from bioneuro.protocols.conditioning import EyeblinkConditioning
from bioneuro.protocols.stimulus import Drive
from bioneuro.quantities import si_value
from bioneuro.regions import cerebellum as template
from bioneuro.registry import register
from bioneuro.spec import Experiment, Recording

__all__ = ["cerebellum", "eyeblink", "EYEBLINK_TIMING"]

#: epochs of one eyeblink trial besides the ISI: baseline, US, after (and the gap)
EYEBLINK_TIMING = {"baseline": 200 * ms, "us_duration": 20 * ms, "after": 300 * ms,
                   "inter_trial": 0 * ms}


def cerebellum(scale=1.0, duration=2 * second, dt=0.1 * ms, seed=1):
    """Spontaneous activity of the cerebellar microzone (`regions.cerebellum`), all spikes."""
    circuit = template.cerebellum(scale, plasticity=False)
    return Experiment("cerebellum", circuit, recording=Recording(spikes="all"),
                      duration=duration, dt=dt, seed=seed,
                      description="Spontaneous activity of a cerebellar microzone")


def _block(name, isi, n_trials, probe_every, start, n_mf, cs_rate):
    return EyeblinkConditioning(
        name, n_trials=n_trials, isi=isi, probe_every=probe_every, start=start,
        mf_size=n_mf, mf_background_rate=0 * Hz, mf_cs_rate=cs_rate, cf_size=1,
        cf_spikes=1, mossy_fibres=Drive("mf", "e", 1.0, "one_to_one"),
        climbing_fibres=Drive("io", "e", template.US_WEIGHT), **EYEBLINK_TIMING)


def eyeblink(isi=300 * ms, n_trials=40, second_isi=None, probe_every=4,
             spontaneous=2 * second, scale=1.0, dt=0.1 * ms, seed=1, cs_rate=40 * Hz,
             pf_ltd=0.5, pf_ltp=0.1):
    """Delay eyeblink conditioning of the cerebellar microzone.

    Parameters
    ----------
    isi : Quantity
        CS onset to US onset of the (first) training block.
    n_trials : int
        Trials per block (every `probe_every`-th one CS alone).
    second_isi : Quantity, optional
        ISI of a second block of `n_trials` trials right after the first.
    probe_every : int
    spontaneous : Quantity
        Time before the first trial (spontaneous activity).
    scale, dt, seed
        As for `cerebellum`.
    cs_rate : Quantity
        Mossy-fibre rate added by the CS (Hz).
    pf_ltd, pf_ltp : float
        PF->PC learning rates (accelerated, see the module docstring).

    Returns
    -------
    Experiment
        Records all spikes; the trial schedule goes into the Dataset's ``epoch_*``
        variables (blocks ``train`` and ``retrain``).
    """
    circuit = template.cerebellum(scale, pf_ltd=pf_ltd, pf_ltp=pf_ltp)
    n_mf = circuit.population("mf").size
    blocks = [_block("train", isi, n_trials, probe_every, spontaneous, n_mf, cs_rate)]
    end = blocks[0].end(None)
    if second_isi is not None:
        blocks.append(_block("retrain", second_isi, n_trials, probe_every, end * second,
                             n_mf, cs_rate))
        end = blocks[1].end(None)
    if si_value(spontaneous) < 0:
        raise SpecError("spontaneous", spontaneous, "a time >= 0 s")
    return Experiment("eyeblink", circuit, protocol=blocks, recording=Recording(spikes="all"),
                      duration=end * second, dt=dt, seed=seed,
                      description="Delay eyeblink conditioning of a cerebellar microzone")


register("experiments", "cerebellum", cerebellum)
register("experiments", "eyeblink", eyeblink)
