"""Receptive-field development from natural-like image patches (Brito & Gerstner 2016).

Image patches (`bioneuro.protocols.natural_images`: ``1/f^2`` images with occluding
oriented edges, generated from the seed, no download) are presented one after the other,
the whole set `repeats` times (`natural_images.PatchSequence`), as the signed rates of an
input layer (one source neuron per pixel, row-major) to linear rate neurons whose weights
learn:

- ``linear``: Sanger's generalised Hebbian rule (Sanger 1989; unit 0 follows Oja's rule)
  on the raw (mean-removed) patches: the weight vectors converge to the leading principal
  components of the patches, which for a ``1/f^2`` spectrum are global, Fourier-like
  patterns (not localised);
- ``nonlinear``: the same network with a nonlinear postsynaptic factor
  ``f(y) = y^3/(nu_ref^2 + y^2)`` (``generalised_hebbian(..., "saturating")``) on
  ZCA-whitened patches. Brito & Gerstner (2016) show that nonlinear Hebbian learning on
  whitened natural input finds localised, oriented receptive fields for a wide range of
  nonlinearities; competition between the units comes from the rule's decorrelating
  feedback (each unit learns on the input minus the reconstruction from the units before
  it: the hierarchical, deflationary form of Karhunen et al. 1997), which keeps the units
  from learning the same field.

``rule="both"`` puts both networks, on the same patches, into one experiment (one build).
The learned fields are the final weights (``weight`` on ``synapse``; input neuron ``k`` is
pixel ``(y, x) = divmod(k, patch_size)``); `bioneuro.analysis.receptive_fields.
receptive_field_grid` arranges them on (``unit``, ``y``, ``x``), and `localisation`,
`orientation_tuning`, `component_alignment` measure them. `patch_inputs` returns the
presented patches and the eigenvectors of their covariance for the same seed.
"""

import numpy as np
from brian2.units import Hz, ms, second

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.models.plasticity.sanger import (
    KARHUNEN_1997,
    SANGER_1989,
    feedback_variables,
    generalised_hebbian,
)
from bioneuro.models.rate import rate_linear
from bioneuro.protocols.natural_images import (
    PatchSequence,
    image_patches,
    natural_images,
    whiten,
)
from bioneuro.protocols.stimulus import Drive, count_field
from bioneuro.registry import register
from bioneuro.spec import Circuit, Experiment, Population, Recording, Reference

__all__ = ["receptive_fields", "patch_inputs", "RULES", "NU_REF"]

#: rule -> (postsynaptic nonlinearity of `generalised_hebbian`, whitened input)
RULES = {"linear": ("linear", False), "nonlinear": ("saturating", True)}
#: rate scale: one unit of the (whitened or normalised) patch values
NU_REF = 10 * Hz

_BRITO = Reference("Brito & Gerstner (2016) Nonlinear Hebbian learning as a unifying "
                   "principle in receptive field formation, PLoS Comput Biol 12:e1005070",
                   "10.1371/journal.pcbi.1005070")


def patch_inputs(n_patches, seed, patch_size=8, n_components=16, n_images=20,
                 image_size=128):
    """The patches `receptive_fields` presents, for a seed.

    Parameters
    ----------
    n_patches : int
    seed : int
        Draws the images and the patch positions.
    patch_size : int
        Side of a patch, pixels.
    n_components : int
        Principal components kept by the whitening.
    n_images, image_size : int
        Images generated (`natural_images`) and their side, pixels.

    Returns
    -------
    dict
        ``raw``: mean-removed patches scaled so that their total variance (trace of the
        covariance) is 4, the input of the linear rule (``n_patches x patch_size**2``);
        ``whitened``: their ZCA whitening over `n_components` components, the input of
        the nonlinear rule; both rounded to 0.001 (keeps the experiment's dict form
        short; 1000 times below their standard deviation). ``components``: rows =
        eigenvectors of the covariance of ``raw``, by decreasing ``eigenvalues``.
    """
    images = natural_images(n_images, image_size, seed)
    patches = image_patches(images, n_patches, patch_size, seed + 1)
    patches = patches - patches.mean(axis=0)
    # total variance 4: the outputs of the linear rule stay of order nu_ref
    raw = np.round(patches / np.sqrt(np.trace(np.cov(patches.T)) / 4), 3)
    values, vectors = np.linalg.eigh(np.cov(raw.T))
    whitened = np.round(whiten(patches, n_components)[0], 3)
    return {"raw": raw, "whitened": whitened, "components": vectors[:, ::-1].T,
            "eigenvalues": values[::-1]}


def _network(rule, n_units, patches, repeats, interval, tau_w, dt):
    nonlinearity, _ = RULES[rule]
    population = Population(rule, rate_linear, n_units, {"tau_r": dt})
    synapse = generalised_hebbian(n_units, nonlinearity, tau_w=tau_w, nu_ref=NU_REF,
                                  name=f"rf_{rule}")
    initial = {"kind": "uniform", "low": -0.1, "high": 0.1}
    source = PatchSequence(f"patches_{rule}", patches * NU_REF, interval,
                           drive=Drive(rule, "e", initial, synapse=synapse),
                           variables=feedback_variables(n_units), repeats=repeats)
    return population, source


def receptive_fields(rule="nonlinear", n_units=None, n_patches=10_000, repeats=10,
                     patch_size=8,
                     n_components=16, interval=4 * ms, tau_w=2 * second, dt=1 * ms,
                     seed=1, scale=None):
    """Receptive fields developing under linear or nonlinear Hebbian learning.

    Parameters
    ----------
    rule : {"nonlinear", "linear", "both"}
        Learning rule and input (see the module docstring); ``"both"``: the two networks
        side by side (populations ``linear`` and ``nonlinear``).
    n_units : int, optional
        Output units per network (default 8 for ``nonlinear``, 3 for ``linear``).
    n_patches : int
        Distinct patches, each shown for `interval`.
    repeats : int
        Passes through the patches (the run lasts ``repeats * n_patches * interval``).
    patch_size : int
        Side of a patch, pixels (``patch_size**2`` input neurons).
    n_components : int
        Principal components kept by the whitening (``nonlinear``).
    interval : Quantity
        Presentation time of one patch (a multiple of `dt`, at least ``2 dt``). The rate
        neurons answer one step late (``tau_r = dt``), and the rule's feedback variables
        (presynaptic summed variables) hold the outputs of the step before, so the first
        steps of each patch pair values of different patches. With ``2 dt`` the third
        linear unit stayed in the span of the first two (|cos| with eigenvector 3 below
        0.1, measured); the default ``4 dt`` gives |cos| > 0.99.
    tau_w : Quantity
        Learning time constant (learning rate per step ``dt/tau_w``).
    dt : Quantity
    seed : int
        Draws the images, the patches and the initial weights.
    scale : float, optional
        Multiplies `repeats` (``bioneuro run --scale``).

    References
    ----------
    Brito & Gerstner (2016) PLoS Comput Biol 12:e1005070. doi:10.1371/journal.pcbi.1005070
    """
    rules = ("linear", "nonlinear") if rule == "both" else (rule,)
    if rule != "both" and rule not in RULES:
        raise UnknownNameError("receptive_fields.rule", rule, (*RULES, "both"))
    if scale is not None:
        repeats = max(1, int(round(repeats * scale)))
    n_patches = count_field(n_patches, "receptive_fields.n_patches", 10)
    repeats = count_field(repeats, "receptive_fields.repeats")
    steps = float(interval / dt)
    if steps < 2 - 1e-9 or abs(steps - round(steps)) > 1e-6:
        raise SpecError("receptive_fields.interval", str(interval),
                        f"a multiple of dt = {dt}, at least 2 dt")
    inputs = patch_inputs(n_patches, seed, patch_size, n_components)
    populations, protocol, projections = [], [], []
    for name in rules:
        units = n_units if n_units is not None else (8 if name == "nonlinear" else 3)
        units = count_field(units, "receptive_fields.n_units")
        if units > patch_size ** 2:
            raise SpecError("receptive_fields.n_units", units,
                            f"an integer <= patch_size**2 = {patch_size ** 2}")
        patches = inputs["whitened" if RULES[name][1] else "raw"]
        population, source = _network(name, units, patches, repeats, interval, tau_w, dt)
        populations.append(population)
        protocol.append(source)
        projections.append(f"patches_{name}_to_{name}")
    circuit = Circuit(
        "receptive_fields", tuple(populations),
        description=f"Receptive-field development ({', '.join(rules)} Hebbian learning) "
                    f"on {patch_size}x{patch_size} patches of natural-like images.",
        references=(_BRITO, SANGER_1989, KARHUNEN_1997))
    recording = Recording(spikes=(), connectivity=True, weights_dt=n_patches * interval,
                          weight_projections=tuple(projections))
    return Experiment("receptive_fields", circuit, tuple(protocol), recording,
                      duration=repeats * n_patches * interval, dt=dt, seed=seed,
                      description=circuit.description)


register("experiments", "receptive_fields", receptive_fields)
