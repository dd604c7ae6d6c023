"""Cortical cell types: regular-spiking pyramidal cell, PV fast-spiking and SST
low-threshold-spiking interneurons.

- ``cortex_pyramidal_rs``: the adaptive exponential IF fit of Brette & Gerstner (2005) to a
  regular-spiking pyramidal neuron (their Table 1), with conductance synapses.
- ``cortex_pv_fs``: the fast-spiking (FS) class of Izhikevich (2003), the model of
  parvalbumin-positive basket cells: high rates with little adaptation.
- ``cortex_sst_lts``: the low-threshold-spiking (LTS) class of Izhikevich (2003), the model of
  somatostatin-positive interneurons (Gibson, Beierlein & Connors 1999): lower rheobase than
  RS and strong adaptation.

The Izhikevich cells take their input as a voltage drive (mV), as in the paper.
"""

from bioneuro.models.adex import BRETTE_GERSTNER_2005
from bioneuro.models.composition import define_cell
from bioneuro.models.izhikevich import IZHIKEVICH_2003, IZHIKEVICH_REFERENCE, resting_state
from brian2.units import mV, pA

from bioneuro.spec import Reference

__all__ = ["cortex_pyramidal_rs", "cortex_pv_fs", "cortex_sst_lts"]

_MCCORMICK = Reference("McCormick, Connors, Lighthall & Prince (1985) Comparative "
                       "electrophysiology of pyramidal and sparsely spiny stellate neurons of "
                       "the neocortex, J Neurophysiol 54:782", "10.1152/jn.1985.54.4.782")
_GIBSON = Reference("Gibson, Beierlein & Connors (1999) Two networks of electrically coupled "
                    "inhibitory neurons in neocortex, Nature 402:75", "10.1038/47035")

cortex_pyramidal_rs = define_cell(
    "cortex_pyramidal_rs", "adex_cond_exp",
    description="Regular-spiking, adapting neocortical pyramidal cell (AdEx fit of "
                "Brette & Gerstner 2005).",
    reproduces="Spike-frequency adaptation of regular-spiking pyramidal cells (McCormick et "
               "al. 1985): last/first inter-spike-interval ratio above 2.2 at every step "
               "amplitude evoking 3 or more spikes (fast-spiking cells: below 2).",
    region="cortex", references=(BRETTE_GERSTNER_2005, _MCCORMICK),
    current_range=(0 * pA, 2000 * pA), tags=("excitatory", "pyramidal", "regular-spiking"))


def _izhikevich_cell(name, cls, description, reproduces, references, tags):
    v_rest, u_rest = resting_state(IZHIKEVICH_2003[cls])
    return define_cell(
        name, "izhikevich_curr_exp", parameters=dict(IZHIKEVICH_2003[cls]),
        initial={"v": v_rest, "u": u_rest}, description=description, reproduces=reproduces,
        region="cortex", references=(IZHIKEVICH_REFERENCE,) + references,
        current_range=(0 * mV, 20 * mV), tags=("inhibitory", "interneuron") + tags)


cortex_pv_fs = _izhikevich_cell(
    "cortex_pv_fs", "FS",
    "Parvalbumin-positive fast-spiking basket cell (Izhikevich 2003 FS class).",
    "Fast spiking with little adaptation (McCormick et al. 1985; Izhikevich 2003 Fig. 2): "
    "above 100 Hz at the top of the f-I curve, last/first inter-spike-interval ratio below 2 "
    "at every amplitude.", (_MCCORMICK,), ("parvalbumin", "fast-spiking"))

cortex_sst_lts = _izhikevich_cell(
    "cortex_sst_lts", "LTS",
    "Somatostatin-positive low-threshold-spiking interneuron (Izhikevich 2003 LTS class).",
    "Low threshold and adaptation (Gibson et al. 1999; Izhikevich 2003 Fig. 2): fires "
    "under a 2 mV drive, below the onset of the FS and RS classes (b = 0.2: saddle-node at "
    "4 mV), and adapts (last/first inter-spike-interval ratio above 3 at the top of the f-I "
    "curve).", (_GIBSON,), ("somatostatin", "low-threshold"))
