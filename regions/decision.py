"""The attractor network of Wang (2002) for two-alternative decisions and working memory.

``N_E = 1600`` pyramidal cells and ``N_I = 400`` interneurons (``lif_cond_nmda_sat``),
all-to-all connected. A fraction ``f = 0.15`` of the pyramidal cells forms each of the two
selective populations ``A`` and ``B``; the rest (``NS``) is non-selective. Recurrent
excitation (AMPA + saturating NMDA, ``ampa_nmda_sat``) is potentiated within a selective
population (``w_plus = 1.7``) and depressed between selective populations and from ``NS``
onto them (``w_minus = 1 - f (w_plus - 1)/(1 - f)``, so the mean input stays that of the
unstructured network); all other weights are 1. Every neuron receives 800 independent
Poisson trains at 3 Hz (2.4 kHz) through AMPA synapses (``g_ext``). Parameters are those of
Wang (2002), Experimental Procedures (conductances for 1600 + 400 cells).

``scale`` multiplies every population size and divides every recurrent conductance by the
same factor, so each neuron keeps its mean recurrent input (the background is per neuron and
does not change); smaller networks have larger finite-size fluctuations.

Run-time values (set without a new build): ``w_plus`` and ``nmda_scale`` (both enter
weights and synapse parameters only).
"""

from bioneuro.models.nmda_saturation import BRUNEL_WANG_2001, WANG_2002, ampa_nmda_sat
from bioneuro.protocols.stimulus import number_field
from bioneuro.regions.scaling import check_scale, scaled_size
from brian2.units import Hz, ms, nF, nS

from bioneuro.errors import SpecError
from bioneuro.registry import register
from bioneuro.spec import Circuit, PoissonInput, Population, Projection

__all__ = ["wang2002", "WANG_CONDUCTANCES", "N_E", "N_I", "F_SELECTIVE", "selective_size"]

N_E, N_I, F_SELECTIVE = 1600, 400, 0.15
#: background: 800 Poisson trains at 3 Hz onto every neuron
N_EXT, RATE_EXT = 800, 3 * Hz

#: Wang (2002) peak conductances for N_E = 1600, N_I = 400 (all-to-all), onto pyramidal
#: cells (E) and interneurons (I)
WANG_CONDUCTANCES = {
    "E": {"ext": 2.1 * nS, "ampa": 0.05 * nS, "nmda": 0.165 * nS, "gaba": 1.3 * nS},
    "I": {"ext": 1.62 * nS, "ampa": 0.04 * nS, "nmda": 0.13 * nS, "gaba": 1.0 * nS},
}
# Wang (2002) interneuron: C_m 0.2 nF, g_L 20 nS (tau_m 10 ms), refractory 1 ms
_INTERNEURON = {"C_m": 0.2 * nF, "tau_m": 10 * ms, "tau_ref": 1 * ms}


def selective_size(scale=1.0):
    """Size of each selective population (``A``, ``B``) at `scale`."""
    return scaled_size(F_SELECTIVE * N_E, check_scale(scale))


def wang2002(scale=1.0, w_plus=1.7, nmda_scale=1.0, seed=None):
    """Two selective pyramidal populations competing through shared inhibition.

    Parameters
    ----------
    scale : float
        Network-size factor (> 0); conductances are divided by it.
    w_plus : float
        Relative strength of recurrent excitation within ``A`` and within ``B`` (Wang 2002:
        1.7; at 1 the network is unstructured and has no attractors).
    nmda_scale : float
        Factor on the NMDA conductance of the excitatory connections between pyramidal
        cells (1: Wang 2002; below about 0.9 the selective attractors, hence persistent
        activity, are lost).
    seed : int, optional
        Default seed of experiments on this circuit (`bioneuro.spec.Circuit.seed`).

    Returns
    -------
    Circuit
        Populations ``A``, ``B``, ``NS`` (pyramidal) and ``I``; projections
        ``<pre>_<post>``; background inputs ``bg_<population>``.
    """
    scale = check_scale(scale)
    w_plus = number_field(w_plus, "wang2002.w_plus", low=0)
    nmda_scale = number_field(nmda_scale, "wang2002.nmda_scale", low=0)
    f = F_SELECTIVE
    if w_plus > 1 / f:
        raise SpecError("wang2002.w_plus", w_plus, f"a value <= 1/f = {1 / f:g} "
                        "(w_minus must stay >= 0)")
    w_minus = 1 - f * (w_plus - 1) / (1 - f)
    n_sel = selective_size(scale)
    n_ns = scaled_size(N_E, scale) - 2 * n_sel
    n_inh = scaled_size(N_I, scale)
    pops = [Population(name, "lif_cond_nmda_sat", size, region="decision",
                       cell_type="pyramidal")
            for name, size in (("A", n_sel), ("B", n_sel), ("NS", n_ns))]
    pops.append(Population("I", "lif_cond_nmda_sat", n_inh, _INTERNEURON, region="decision",
                           cell_type="interneuron"))
    structure = {("A", "A"): w_plus, ("B", "B"): w_plus, ("A", "B"): w_minus,
                 ("B", "A"): w_minus, ("NS", "A"): w_minus, ("NS", "B"): w_minus}
    projections = []
    for pre in ("A", "B", "NS"):
        for post in ("A", "B", "NS", "I"):
            g = WANG_CONDUCTANCES["I" if post == "I" else "E"]
            ratio = g["nmda"] / g["ampa"] * (1.0 if post == "I" else nmda_scale)
            projections.append(Projection(
                f"{pre}_{post}", pre, post, "ampa", "all_to_all",
                structure.get((pre, post), 1.0) * g["ampa"] / scale, synapse=ampa_nmda_sat,
                parameters={"nmda_ratio": float(ratio)}))
    for post in ("A", "B", "NS", "I"):
        g = WANG_CONDUCTANCES["I" if post == "I" else "E"]
        projections.append(Projection(f"I_{post}", "I", post, "gaba", "all_to_all",
                                      g["gaba"] / scale))
    inputs = [PoissonInput(f"bg_{pop.name}", pop.name, "ampa", N_EXT, RATE_EXT,
                           WANG_CONDUCTANCES["I" if pop.name == "I" else "E"]["ext"])
              for pop in pops]
    return Circuit("wang2002", tuple(pops), tuple(projections), tuple(inputs),
                   description="Wang (2002) attractor network: two selective pyramidal "
                               "populations with recurrent AMPA/saturating-NMDA excitation "
                               "and shared GABAergic inhibition.",
                   references=(WANG_2002, BRUNEL_WANG_2001), seed=seed)


register("regions", "wang2002", wang2002)
