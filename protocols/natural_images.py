"""Natural-like images generated at run time, image patches and their whitening.

Receptive-field development is studied on patches of natural images (Olshausen & Field
1996; Brito & Gerstner 2016). To need no download, `natural_images` synthesises images
with the two statistics that matter for it:

- a ``1/f^2`` power spectrum (amplitude ``~ 1/f``; Field 1987): a Gaussian ``1/f^2``
  texture, overlaid by
- occluding, randomly oriented rectangles (a "dead leaves" model, Lee, Mumford & Huang
  2001): sharp oriented edges at random positions, sparse in a patch. Their half-sizes
  follow the scale-invariant law ``p(r) ~ r^-3`` between `r_min` and `r_max`, which keeps
  the ``1/f^2`` spectrum on the objects' scales (defaults: measured power slope -1.95
  for periods of 10-64 pixels; steeper, -2.6 up to periods of 4 pixels, where objects
  smaller than ``r_min = 3`` are missing; ``r_min = 1`` gives -2.05 up to 4 pixels).
  Each rectangle paints a uniform grey level (standard normal) plus a faint copy of
  the texture.

`image_patches` cuts square patches at random positions and removes each patch's mean
(the local luminance). `whiten` returns ZCA-whitened patches (Bell & Sejnowski 1997):
``x_w = U_K diag(lambda_K^-1/2) U_K^T x`` over the `n_components` leading principal
components (``U_K``, eigenvalues ``lambda_K`` of the patch covariance); the discarded
components are the high spatial frequencies, which carry little variance and would be
amplified most. On the retained subspace the whitened covariance is the identity.
All functions are deterministic for a given seed.

`PatchSequence` presents a table of patches (signed rates, like
`bioneuro.protocols.RatePatterns`) `repeats` times in a row: learning from many
presentations needs a table of only the distinct patches, which keeps the experiment's
dict form and the run-time arguments of a standalone binary small.

References
----------
Field (1987) J Opt Soc Am A 4:2379. doi:10.1364/JOSAA.4.002379
Lee, Mumford & Huang (2001) Int J Comput Vis 41:35. doi:10.1023/A:1011109015675
Bell & Sejnowski (1997) Vision Res 37:3327. doi:10.1016/S0042-6989(97)00121-1
Brito & Gerstner (2016) PLoS Comput Biol 12:e1005070. doi:10.1371/journal.pcbi.1005070
"""

from dataclasses import dataclass, replace

import numpy as np
from bioneuro.protocols.rate_patterns import RatePatterns
from bioneuro.protocols.stimulus import count_field

from bioneuro.errors import SpecError
from bioneuro.quantities import si_value
from bioneuro.registry import register

__all__ = ["natural_images", "image_patches", "whiten", "PatchSequence"]


def _positive(value, field):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating,
                                                         np.integer)) or not value > 0:
        raise SpecError(field, value, "a number > 0")
    return float(value)


def natural_images(n_images, size=128, seed=0, n_shapes=100, noise_weight=0.2,
                   r_min=3.0, r_max=None):
    """Images with a ``1/f^2`` power spectrum and occluding oriented edges.

    Parameters
    ----------
    n_images : int
    size : int
        Side of each (square) image, pixels (>= 8).
    seed : int
    n_shapes : int
        Occluding rectangles per image (painted largest first).
    noise_weight : float
        Standard deviation of the ``1/f^2`` Gaussian texture (the rectangles' grey levels
        have standard deviation 1).
    r_min, r_max : float
        Range of the rectangles' half-lengths, pixels (default ``r_max = size/2``); the
        half-widths are 0.3-1 times the half-lengths.

    Returns
    -------
    ndarray, shape (n_images, size, size)
        Dimensionless intensities, array rows = ``y``, columns = ``x``.
    """
    n_images = count_field(n_images, "natural_images.n_images")
    size = count_field(size, "natural_images.size", 8)
    n_shapes = count_field(n_shapes, "natural_images.n_shapes", 0)
    noise_weight = float(noise_weight)
    if not noise_weight >= 0:
        raise SpecError("natural_images.noise_weight", noise_weight, "a number >= 0")
    r_min = _positive(r_min, "natural_images.r_min")
    r_max = size / 2 if r_max is None else _positive(r_max, "natural_images.r_max")
    if r_max < r_min:
        raise SpecError("natural_images.r_max", r_max, f"a number >= r_min = {r_min}")
    rng = np.random.default_rng(seed)
    freq = np.hypot(np.fft.fftfreq(size)[:, None], np.fft.fftfreq(size)[None, :])
    freq[0, 0] = np.inf  # no mean component
    yy, xx = np.mgrid[0:size, 0:size]
    images = np.empty((n_images, size, size))
    for k in range(n_images):
        texture = np.fft.ifft2(np.fft.fft2(rng.standard_normal((size, size))) / freq).real
        texture *= noise_weight / texture.std()
        image = texture.copy()
        # inverse CDF of p(r) ~ r^-3 on [r_min, r_max]; the largest are painted first
        u = rng.uniform(size=n_shapes)
        half_lengths = np.sort((r_min ** -2 - u * (r_min ** -2 - r_max ** -2)) ** -0.5)[::-1]
        for half_length in half_lengths:
            cx, cy = rng.uniform(0, size, 2)
            half_width = half_length * rng.uniform(0.3, 1.0)
            angle = rng.uniform(0, np.pi)
            along = (xx - cx) * np.cos(angle) + (yy - cy) * np.sin(angle)
            across = (yy - cy) * np.cos(angle) - (xx - cx) * np.sin(angle)
            inside = (np.abs(along) < half_length) & (np.abs(across) < half_width)
            image[inside] = rng.standard_normal() + texture[inside]
        images[k] = image
    return images


def image_patches(images, n_patches, patch_size=8, seed=0):
    """Square patches cut at random positions, each minus its own mean.

    Parameters
    ----------
    images : ndarray, shape (n_images, height, width)
    n_patches : int
    patch_size : int
        Side of a patch, pixels.
    seed : int

    Returns
    -------
    ndarray, shape (n_patches, patch_size**2)
        Patches flattened row-major (pixel ``y * patch_size + x``).
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 3:
        raise SpecError("image_patches.images", f"shape {images.shape}",
                        "an array of shape (n_images, height, width)")
    n_patches = count_field(n_patches, "image_patches.n_patches")
    patch_size = count_field(patch_size, "image_patches.patch_size", 2)
    if patch_size > min(images.shape[1:]):
        raise SpecError("image_patches.patch_size", patch_size,
                        f"an integer <= the image side {min(images.shape[1:])}")
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(images), n_patches)
    top = rng.integers(0, images.shape[1] - patch_size + 1, n_patches)
    left = rng.integers(0, images.shape[2] - patch_size + 1, n_patches)
    rows = top[:, None, None] + np.arange(patch_size)[None, :, None]
    cols = left[:, None, None] + np.arange(patch_size)[None, None, :]
    patches = images[which[:, None, None], rows, cols].reshape(n_patches, -1)
    return patches - patches.mean(axis=1, keepdims=True)


def whiten(patches, n_components=None):
    """ZCA whitening over the leading principal components.

    Parameters
    ----------
    patches : ndarray, shape (n_samples, n_pixels)
    n_components : int, optional
        Principal components kept (default: all with a non-zero eigenvalue).

    Returns
    -------
    whitened : ndarray, shape (n_samples, n_pixels)
        Centred, whitened patches: covariance ``U_K U_K^T`` (the identity on the kept
        subspace).
    matrix : ndarray, shape (n_pixels, n_pixels)
        The whitening matrix ``U_K diag(lambda_K^-1/2) U_K^T`` (symmetric).
    """
    patches = np.asarray(patches, dtype=float)
    if patches.ndim != 2 or patches.shape[0] < 2:
        raise SpecError("whiten.patches", f"shape {patches.shape}",
                        "an array of shape (n_samples >= 2, n_pixels)")
    centred = patches - patches.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred.T))
    values, vectors = values[::-1], vectors[:, ::-1]
    n_nonzero = int(np.sum(values > 1e-9 * values[0]))
    if n_components is None:
        n_components = n_nonzero
    n_components = count_field(n_components, "whiten.n_components")
    if n_components > n_nonzero:
        raise SpecError("whiten.n_components", n_components,
                        f"an integer <= {n_nonzero} (the non-zero eigenvalues)")
    kept = vectors[:, :n_components]
    matrix = kept @ np.diag(values[:n_components] ** -0.5) @ kept.T
    return centred @ matrix.T, matrix


@dataclass(frozen=True, eq=False)
class PatchSequence(RatePatterns):
    """Rate patterns (e.g. image patches) presented `repeats` times in a row.

    Parameters
    ----------
    name, rates, interval, start, drive, variables
        As in `bioneuro.protocols.RatePatterns`: row ``k`` of `rates` is shown during
        ``[start + (m n + k) interval, start + (m n + k + 1) interval)`` for each repeat
        ``m`` (``n`` rows).
    repeats : int
        Presentations of the whole table (>= 1); the rates are 0 after the last.
    """

    repeats: int = 1
    kind = "patch_sequence"

    def __post_init__(self):
        super().__post_init__()
        if isinstance(self.repeats, bool) or not isinstance(self.repeats, (int, np.integer)) \
                or self.repeats < 1:
            raise SpecError(self.where("repeats"), self.repeats, "an integer >= 1")
        object.__setattr__(self, "repeats", int(self.repeats))

    def end(self, duration):
        return si_value(self.start) + self.repeats * len(self.rates) * si_value(self.interval)

    def lower(self, circuit, duration, dt):
        lowered = super().lower(circuit, duration, dt)
        table = f"rates_{self.name}"
        start, period = si_value(self.start), len(self.rates) * si_value(self.interval)
        # the table has start/interval rows of zeros before the patches: time within the
        # table = start + (time since start) modulo one pass; 0 outside the presentations
        cycled = (f"{table}({start!r}*second + (t - {start!r}*second) % ({period!r}*second), "
                  f"i)*int(t >= {start!r}*second)*int(t < {self.end(duration)!r}*second)")
        population = lowered.populations[0]
        model = population.model
        model = replace(model, name=f"{table}_cycled_source",
                        equations=model.equations.replace(f"{table}(t, i)", cycled))
        lowered.populations[0] = replace(population, model=model)
        return lowered


register("protocols", PatchSequence.kind, PatchSequence)
