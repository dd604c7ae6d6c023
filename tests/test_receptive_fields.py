"""Receptive-field development (Brito & Gerstner 2016, doi:10.1371/journal.pcbi.1005070).

Fast: the shape measures on hand-made fields with known answers (plane waves, Gabors,
white noise), the image generator (power-spectrum slope), the whitening (identity
covariance), the cycled patch presentation. Slow: one cpp_standalone build holding both
networks, whose learned fields are compared with the eigenvectors of the patch covariance
(linear rule) and with white noise (nonlinear rule).
"""

import numpy as np
import pytest
import xarray as xr
from bioneuro.analysis.receptive_fields import (
    component_alignment,
    localisation,
    orientation_tuning,
    receptive_field_grid,
)
from bioneuro.models.rate import rate_linear
from bioneuro.protocols import Drive
from bioneuro.protocols.natural_images import (
    PatchSequence,
    image_patches,
    natural_images,
    whiten,
)
from brian2.units import Hz, ms

import bioneuro as bn
from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.experiments.receptive_fields import patch_inputs, receptive_fields
from bioneuro.spec import Circuit, Experiment, Population


def _fields(values):
    values = np.asarray(values, dtype=float)
    return xr.DataArray(values, dims=("unit", "y", "x"),
                        coords={"unit": np.arange(len(values))})


def _gabor(size, angle, sigma, wavelength, phase=0.0):
    """Gabor centred on the grid, wave vector at `angle` from +x towards +y (rows)."""
    y, x = np.mgrid[0:size, 0:size] - (size - 1) / 2
    along = x * np.cos(angle) + y * np.sin(angle)
    return np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2)) * \
        np.cos(2 * np.pi * along / wavelength + phase)


def _white_noise(n_units, size, seed=0):
    return np.random.default_rng(seed).uniform(-0.1, 0.1, (n_units, size, size))


# ------------------------------------------------------------------------- analysis
def test_plane_waves_have_their_orientation_exactly():
    # a plane wave on the FFT grid puts all power at +-k: selectivity 1, orientation = the
    # angle of k (closed form)
    size = 16
    y, x = np.mgrid[0:size, 0:size]
    waves, angles = [], []
    for kx, ky in ((2, 0), (0, 3), (2, 1), (1, -2), (3, 3)):
        waves.append(np.cos(2 * np.pi * (kx * x + ky * y) / size + 0.3))
        angles.append(np.mod(np.arctan2(ky, kx), np.pi))
    tuning = orientation_tuning(_fields(waves))
    np.testing.assert_allclose(tuning["selectivity"].values, 1.0, atol=1e-12)
    # orientations are modulo pi: compare on the circle of doubled angles
    difference = np.angle(np.exp(2j * (tuning["orientation"].values - angles)))
    np.testing.assert_allclose(difference, 0, atol=1e-12)
    assert tuning["orientation"].attrs["units"] == "rad"


def test_gabors_are_localised_and_oriented_at_their_angle_and_noise_is_not():
    size, sigma = 16, 1.5
    angles = np.deg2rad([0, 30, 60, 90, 120, 150])
    gabors = _fields([_gabor(size, a, sigma, wavelength=4.0) for a in angles])
    tuning = orientation_tuning(gabors)
    # the envelope (width 1.5 px against a 4 px wavelength) spreads the power over
    # neighbouring orientations symmetrically: the mean angle stays exact up to the grid's
    # discreteness (measured <= 0.6 deg)
    error = np.angle(np.exp(2j * (tuning["orientation"].values - angles))) / 2
    assert np.abs(np.rad2deg(error)).max() < 2
    assert tuning["selectivity"].min() > 0.8  # measured 0.87
    # energy within 3 px of the peak: for the Gaussian envelope alone 1 - exp(-3^2 /
    # sigma^2) = 0.98; the carrier moves little of it
    assert localisation(gabors, radius=3).min() > 0.95
    noise = _fields(_white_noise(4000, size))
    # white noise: the disc's share of the grid's pixels, averaged over peak positions
    # (independent count: pixels of the disc that lie inside the grid)
    yy, xx = np.mgrid[0:size, 0:size]
    share = np.mean([np.sum((yy - py) ** 2 + (xx - px) ** 2 <= 9) / size ** 2
                     for py in range(size) for px in range(size)])
    assert float(localisation(noise, radius=3).mean()) == pytest.approx(share, abs=0.01)
    # white noise: the selectivity of n independent powers ~ n^-1/2 (here 256^-1/2 = 0.06,
    # times ~1.5 for the exponential spread of the powers)
    assert float(orientation_tuning(noise)["selectivity"].mean()) < 0.15


def test_component_alignment_is_the_cosine():
    basis = np.linalg.qr(np.random.default_rng(1).standard_normal((16, 16)))[0].T
    fields = _fields(basis[:3].reshape(3, 4, 4) * [[[2.0]], [[-1.0]], [[0.5]]])
    cos = component_alignment(fields, basis[:5])
    np.testing.assert_allclose(cos.values, np.eye(3, 5), atol=1e-12)
    mixed = _fields((0.6 * basis[0] + 0.8 * basis[1]).reshape(1, 4, 4))
    np.testing.assert_allclose(component_alignment(mixed, basis[:2]).values, [[0.6, 0.8]])
    with pytest.raises(ValueError, match="components"):
        component_alignment(fields, basis[:2, :9])
    with pytest.raises(ValueError, match="fields"):
        localisation(fields.rename(unit="neuron"))


def test_plot_draws_each_unit_field(tmp_path):
    from bioneuro.analysis import plot

    fields = _fields([_gabor(8, a, 1.5, 4.0) for a in (0.0, 1.0, 2.0)])
    fig, axes = plot.receptive_fields(fields, path=tmp_path / "fields.png")
    shown = [ax for ax in axes.ravel() if ax.get_visible()]
    assert len(shown) == 3 and (tmp_path / "fields.png").stat().st_size > 0
    for k, ax in enumerate(shown):
        np.testing.assert_array_equal(ax.images[0].get_array(), fields.values[k])


# ------------------------------------------------------------------------- inputs
def test_generated_images_have_a_natural_power_spectrum():
    images = natural_images(8, 128, seed=4)
    np.testing.assert_array_equal(images, natural_images(8, 128, seed=4))  # same seed
    power = np.mean(np.abs(np.fft.fft2(images - images.mean(axis=(1, 2),
                                                             keepdims=True))) ** 2, axis=0)
    freq = np.hypot(np.fft.fftfreq(128)[:, None], np.fft.fftfreq(128)[None, :])
    band = (freq > 2 / 128) & (freq < 0.1)  # periods 10-64 px: object scales r_min-r_max
    slope = np.polyfit(np.log(freq[band]), np.log(power[band]), 1)[0]
    # natural images: power ~ f^-2 (Field 1987, doi:10.1364/JOSAA.4.002379; exponent
    # 1.88 +- 0.43 over 276 images, van der Schaaf & van Hateren 1996,
    # doi:10.1016/0042-6989(96)00002-8); measured -1.95 here
    assert -2.3 < slope < -1.7
    with pytest.raises(SpecError, match="natural_images.r_max"):
        natural_images(1, 32, r_min=4.0, r_max=2.0)


def test_patches_and_whitening():
    images = natural_images(4, 64, seed=2)
    patches = image_patches(images, 5000, 8, seed=3)
    np.testing.assert_allclose(patches.mean(axis=1), 0, atol=1e-12)  # mean removed
    whitened, matrix = whiten(patches)
    # patch-mean removal leaves 63 dimensions: covariance = identity on them, 0 on the
    # constant patch (exact for the sample covariance)
    values = np.linalg.eigvalsh(np.cov(whitened.T))
    np.testing.assert_allclose(values[1:], 1.0, atol=1e-8)
    assert abs(values[0]) < 1e-8
    np.testing.assert_allclose(matrix, matrix.T, atol=1e-12)  # ZCA: symmetric
    reduced, _ = whiten(patches, 16)
    values = np.linalg.eigvalsh(np.cov(reduced.T))
    np.testing.assert_allclose(values[-16:], 1.0, atol=1e-8)
    np.testing.assert_allclose(values[:-16], 0.0, atol=1e-8)
    with pytest.raises(SpecError, match="whiten.n_components"):
        whiten(patches, 64)
    with pytest.raises(SpecError, match="image_patches.patch_size"):
        image_patches(images, 10, 65)


def test_patch_sequence_repeats_its_table():
    rates = np.array([[1.0, -2.0], [3.0, 4.0]]) * Hz
    block = PatchSequence("p", rates, 2 * ms, repeats=2,
                          drive=Drive("y", "e", 1.0, "one_to_one", synapse="rate_coupling"))
    assert block.end(1) == pytest.approx(0.008)
    assert PatchSequence.from_dict(block.to_dict()).to_dict() == block.to_dict()
    with pytest.raises(SpecError, match="protocol.p.repeats"):
        PatchSequence("p", rates, 2 * ms, repeats=0)
    circuit = Circuit("c", (Population("y", rate_linear, 2, {"tau_r": 0.1 * ms}),))
    exp = Experiment("e", circuit, (block,),
                     recording={"spikes": [], "state": [{"population": "y",
                                                         "variables": ["r"],
                                                         "neurons": "all"}]},
                     duration=10 * ms, dt=0.1 * ms)
    ds = bn.run(exp, device="runtime")
    r, t = ds["r"].values, ds["time"].values
    # tau_r = dt: the rate is the table one step later; the rows cycle, then 0
    for t0, row in ((0.001, [1, -2]), (0.003, [3, 4]), (0.005, [1, -2]), (0.007, [3, 4]),
                    (0.009, [0, 0])):
        np.testing.assert_allclose(r[np.argmin(np.abs(t - t0))], row, atol=1e-9)


def test_experiment_arguments_are_checked():
    with pytest.raises(UnknownNameError, match="receptive_fields.rule"):
        receptive_fields("cubic", n_patches=20)
    with pytest.raises(SpecError, match="receptive_fields.interval"):
        receptive_fields(n_patches=20, interval=1 * ms)
    with pytest.raises(SpecError, match="receptive_fields.n_units"):
        receptive_fields(n_patches=20, n_units=65)
    exp = receptive_fields("both", n_patches=20, repeats=3)
    assert float(exp.duration) == pytest.approx(3 * 20 * 0.004)
    assert {p.name for p in exp.circuit.populations} == {"linear", "nonlinear"}


# ------------------------------------------------------------------------- learning
@pytest.fixture(scope="module")
def learned(build_cache):
    ds = bn.run(receptive_fields("both"), device="cpp_standalone", cache_dir=build_cache)
    return ds, patch_inputs(10_000, seed=1)


@pytest.mark.slow
def test_linear_rule_learns_the_principal_components(learned):
    ds, inputs = learned
    fields = receptive_field_grid(ds, "patches_linear", "linear")
    assert fields.dims == ("unit", "y", "x") and fields.shape == (3, 8, 8)
    cos = component_alignment(fields, inputs["components"][:3]).values
    # Sanger (1989): unit k -> +-(eigenvector k) of the patch covariance. Eigenvalues 0.88
    # and 0.85 (the two gradient-like components of an isotropic spectrum) are close, so
    # units 0 and 1 align slowly: criterion |cos| > 0.95 (the criterion for PCA),
    # measured 0.99, 1.00, 1.00
    assert np.all(np.diag(cos) > 0.95), cos
    # and they are global (Brito & Gerstner 2016: linear Hebbian learning gives no
    # localised fields): mean localisation below the nonlinear rule's criterion 0.45
    # (measured 0.36, against 0.62 for the nonlinear rule)
    assert float(localisation(fields).mean()) < 0.45


@pytest.mark.slow
def test_nonlinear_rule_learns_localised_oriented_fields(learned):
    ds, _ = learned
    fields = receptive_field_grid(ds, "patches_nonlinear", "nonlinear")
    assert fields.shape == (8, 8, 8)
    assert fields.attrs["units"] == "1"
    loc = localisation(fields)  # energy within 2.5 px of the peak
    selectivity = orientation_tuning(fields)["selectivity"]
    # white noise like the initial weights (uniform, 8x8): localisation 0.27 and
    # selectivity 0.15 on average, the mean of 8 fields scattering by 0.03 (measured on
    # 20000 fields). Brito & Gerstner (2016, Fig 2) find localised, oriented fields for
    # nonlinear Hebbian learning on whitened patches; here the means reach 0.62 and 0.51
    # (measured). Criteria: > 0.45 and > 0.35, more than 6 standard deviations above noise.
    noise = _fields(_white_noise(8, 8, seed=5))
    assert float(localisation(noise).mean()) < 0.4
    assert float(loc.mean()) > 0.45, loc.values
    assert float(selectivity.mean()) > 0.35, selectivity.values
    # every unit learned a different field (the decorrelating feedback): |cos| < 0.5
    # (measured at most 0.13)
    flat = fields.values.reshape(8, -1)
    flat = flat / np.linalg.norm(flat, axis=1, keepdims=True)
    assert np.abs(flat @ flat.T - np.eye(8)).max() < 0.5
