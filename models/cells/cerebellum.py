"""Cerebellar cell types: granule, Golgi, Purkinje and molecular-layer interneurons (AdEx).

Passive properties of the granule cell follow D'Angelo et al. (1995) (about 3 pF, 2.3 GOhm,
resting near -58 mV, as in the granule layer model of Yamazaki & Tanaka 2007); the Golgi and
Purkinje cells are intrinsic pacemakers (Dieudonne 1998; Raman & Bean 1999), represented by a
constant intrinsic depolarising current ``I_ext`` (standing for the persistent and resurgent
Na+ currents that drive pacemaking) on an adapting AdEx neuron. The Purkinje model has a
climbing-fibre conductance channel ``cf``: one climbing-fibre spike (a large, few-ms
conductance) evokes a complex spike, a high-frequency burst followed by a pause in simple
spiking (Eccles, Llinas & Sasaki 1966). Molecular-layer interneurons (basket and stellate
cells) are small, spontaneously active inhibitory cells (Hausser & Clark 1997; Carter &
Regehr 2002).
"""

from bioneuro.models.composition import define_cell
from brian2.units import ms, mV, nS, pA, pF

from bioneuro.spec import Reference

__all__ = ["cerebellum_granule", "cerebellum_golgi", "cerebellum_purkinje", "cerebellum_mli"]

_DANGELO = Reference("D'Angelo, De Filippi, Rossi & Taglietti (1995) Synaptic excitation of "
                     "individual rat cerebellar granule cells in situ: evidence for the role of "
                     "NMDA receptors, J Physiol 484:397", "10.1113/jphysiol.1995.sp020673")
_YAMAZAKI = Reference("Yamazaki & Tanaka (2007) A spiking network model for passage-of-time "
                      "representation in the cerebellum, Eur J Neurosci 26:2279",
                      "10.1111/j.1460-9568.2007.05837.x")
_DIEUDONNE = Reference("Dieudonne (1998) Submillisecond kinetics and low efficacy of "
                       "parallel fibre-Golgi cell synaptic currents in the rat cerebellum, "
                       "J Physiol 510:845", "10.1111/j.1469-7793.1998.845bj.x")
_RAMAN_BEAN = Reference("Raman & Bean (1999) Ionic currents underlying spontaneous action "
                        "potentials in isolated cerebellar Purkinje neurons, J Neurosci 19:1663",
                        "10.1523/JNEUROSCI.19-05-01663.1999")
_HAUSSER_CLARK = Reference("Hausser & Clark (1997) Tonic synaptic inhibition modulates neuronal "
                           "output pattern and spatiotemporal synaptic integration, Neuron "
                           "19:665", "10.1016/S0896-6273(00)80379-7")
_ECCLES = Reference("Eccles, Llinas & Sasaki (1966) The excitatory synaptic action of climbing "
                    "fibres on the Purkinje cells of the cerebellum, J Physiol 182:268",
                    "10.1113/jphysiol.1966.sp007824")
_CARTER_REGEHR = Reference("Carter & Regehr (2002) Quantal events shape cerebellar interneuron "
                          "firing, Nat Neurosci 5:1309", "10.1038/nn970")


def _adex_cell(name, model, parameters, *, description, reproduces, references, current_range,
               tags):
    """A cerebellar AdEx cell (slope factor 2 mV, no subthreshold adaptation, starting at
    its leak reversal)."""
    return define_cell(
        name, model, parameters={"Delta_T": 2 * mV, "a": 0 * nS, **parameters},
        initial={"v": parameters["E_L"]}, description=description, reproduces=reproduces,
        region="cerebellum", references=references, current_range=current_range, tags=tags)


cerebellum_granule = _adex_cell(
    "cerebellum_granule", "adex_cond_exp",
    {"C_m": 3.1 * pF, "g_L": 0.43 * nS, "E_L": -58 * mV, "V_T": -42 * mV, "b": 0 * pA,
     "V_reset": -65 * mV, "tau_ref": 1.5 * ms},
    description="Cerebellar granule cell: compact, high input resistance, silent at rest, "
                "non-adapting repetitive firing.",
    reproduces="Silent at rest near -58 mV; input resistance 1/g_L = 2.3 GOhm (D'Angelo et "
               "al. 1995); repetitive firing without adaptation (last/first interval ratio "
               "below 1.2) above 100 Hz with a few tens of pA.",
    references=(_DANGELO, _YAMAZAKI), current_range=(0 * pA, 40 * pA),
    tags=("excitatory", "granule"))

cerebellum_golgi = _adex_cell(
    "cerebellum_golgi", "adex_cond_exp",
    {"C_m": 28 * pF, "g_L": 2.3 * nS, "E_L": -55 * mV, "V_T": -50 * mV, "b": 5 * pA,
     "tau_w": 100 * ms, "V_reset": -60 * mV, "tau_ref": 2 * ms, "I_ext": 10 * pA},
    description="Cerebellar Golgi cell: slow spontaneous pacemaker with adaptation.",
    reproduces="Spontaneous pacemaker firing at a few Hz (1-10 Hz in slices, Dieudonne "
               "1998); the model fires at 3-12 Hz without input.",
    references=(_DIEUDONNE, _YAMAZAKI), current_range=(0 * pA, 100 * pA),
    tags=("inhibitory", "golgi", "pacemaker"))

cerebellum_purkinje = _adex_cell(
    "cerebellum_purkinje", "adex_cond_exp_cf",
    {"C_m": 100 * pF, "g_L": 5 * nS, "E_L": -68 * mV, "V_T": -55 * mV, "b": 100 * pA,
     "tau_w": 50 * ms, "V_reset": -60 * mV, "tau_ref": 1 * ms, "I_ext": 400 * pA},
    description="Cerebellar Purkinje cell: spontaneous simple spiking; complex spike (burst "
                "and pause) on a climbing-fibre input (channel cf).",
    reproduces="Spontaneous simple spikes in the tens of Hz (Raman & Bean 1999; Hausser & "
               "Clark 1997: about 20-100 Hz); one strong climbing-fibre conductance (50 nS) "
               "evokes a complex spike: at least 3 spikes within 10 ms followed by a pause "
               "longer than 1.5 simple-spike intervals (Eccles et al. 1966).",
    references=(_RAMAN_BEAN, _HAUSSER_CLARK, _ECCLES), current_range=(0 * pA, 1000 * pA),
    tags=("inhibitory", "purkinje", "pacemaker"))

cerebellum_mli = _adex_cell(
    "cerebellum_mli", "adex_cond_exp",
    {"C_m": 12 * pF, "g_L": 1 * nS, "E_L": -60 * mV, "V_T": -50 * mV, "b": 10 * pA,
     "tau_w": 50 * ms, "V_reset": -65 * mV, "tau_ref": 1.5 * ms, "I_ext": 12 * pA},
    description="Cerebellar molecular-layer interneuron (basket/stellate cell): small, "
                "spontaneously firing, inhibits Purkinje cells.",
    reproduces="Spontaneous firing at 5-30 Hz without synaptic input (Hausser & Clark 1997; "
               "Carter & Regehr 2002); input resistance 1/g_L = 1 GOhm.",
    references=(_HAUSSER_CLARK, _CARTER_REGEHR), current_range=(0 * pA, 60 * pA),
    tags=("inhibitory", "basket", "stellate", "interneuron", "pacemaker"))
