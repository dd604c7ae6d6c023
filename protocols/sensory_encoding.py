"""Sensory encoding: images -> rates of an input layer; a scalar -> a population code.

Both present a sequence of stimuli (images, values), each during `presentation` followed by
a `pause` at the background rate; each presentation is a trial of the schedule (condition
``image_<k>`` / ``value=<x>``). The rates drive Poisson trains (a rate table, see
`bioneuro.protocols.spike_inputs`), and `decode` inverts the encoding from measured rates.

- `ImageEncoding`: one input neuron per pixel, with a Gaussian receptive field (a blurred
  image) or an ON-centre difference-of-Gaussians (centre-surround) receptive field
  (Rodieck 1965; Enroth-Cugell & Robson 1966). ``rate = background + max_rate *
  clip(RF * image, 0, 1)`` for intensities in [0, 1].
- `PopulationCode`: `size` neurons with Gaussian tuning curves whose preferred values tile
  ``[low, high]`` (``rate = background + max_rate exp(-(x - x_j)^2 / (2 width^2))``,
  distances wrapped for a circular variable such as an orientation or a direction);
  decoded by the centre of mass (population vector for a circular variable; Georgopoulos,
  Schwartz & Kettner 1986).
"""

from dataclasses import dataclass

import numpy as np
from bioneuro.protocols.spike_inputs import scheduled_rates_lowered
from bioneuro.protocols.stimulus import (
    Stimulus,
    array_field,
    count_field,
    drive_field,
    number_field,
    rate_field,
    time_field,
    with_unit,
)
from bioneuro.protocols.trials import Epoch, lay_out

from bioneuro.errors import SpecError, UnknownNameError
from bioneuro.quantities import parse_quantity, parse_unit, si_value
from bioneuro.spec import Reference, _check_name

__all__ = ["ImageEncoding", "PopulationCode", "RECEPTIVE_FIELDS"]

RECEPTIVE_FIELDS = ("gaussian", "centre_surround")
REFERENCES = (
    Reference("Rodieck (1965) Quantitative analysis of cat retinal ganglion cell response to "
              "visual stimuli, Vision Res 5:583", "10.1016/0042-6989(65)90033-7"),
    Reference("Enroth-Cugell & Robson (1966) The contrast sensitivity of retinal ganglion "
              "cells of the cat, J Physiol 187:517", "10.1113/jphysiol.1966.sp008107"),
    Reference("Georgopoulos, Schwartz & Kettner (1986) Neuronal population coding of movement "
              "direction, Science 233:1416", "10.1126/science.3749885"),
)


def _presentation_fields(stim):
    _check_name(stim.name, "protocol.name")
    for name in ("max_rate", "background_rate"):
        object.__setattr__(stim, name, rate_field(getattr(stim, name), stim.where(name)))
    object.__setattr__(stim, "presentation", time_field(stim.presentation,
                                                        stim.where("presentation"),
                                                        positive=True))
    object.__setattr__(stim, "pause", time_field(stim.pause, stim.where("pause")))
    object.__setattr__(stim, "start", time_field(stim.start, stim.where("start")))
    object.__setattr__(stim, "drive", drive_field(stim.drive, stim.where("drive")))


class _Presentations(Stimulus):
    """A sequence of rate maps, each presented then followed by a pause."""

    def epochs(self):
        epochs = [Epoch("presentation", self.presentation)]
        if si_value(self.pause) > 0:
            epochs.append(Epoch("pause", self.pause))
        return epochs

    def schedule(self):
        return lay_out(self.name, self.epochs(), self.conditions(), si_value(self.start))

    def end(self, duration):
        return self.schedule()[-1].stop

    def lower(self, circuit, duration, dt):
        rows, maps = self.schedule(), self.rates()
        background = si_value(self.background_rate)
        rates = [maps[row.trial] if row.epoch == "presentation" else background
                 for row in rows]
        return scheduled_rates_lowered(self.name, maps.shape[1], rows, rates, self.drive, dt)

    def decode_rates(self, rates):
        """``(rates - background) / max_rate`` (the encoded map in [0, 1])."""
        return (np.asarray(rates, dtype=float) - si_value(self.background_rate)) / \
            si_value(self.max_rate)


def _smoothing_matrix(n, sigma):
    """Row-normalised Gaussian smoothing over `n` pixels (normalised at the borders)."""
    x = np.arange(n)
    kernel = np.exp(-(x[:, None] - x[None, :]) ** 2 / (2 * sigma ** 2))
    return kernel / kernel.sum(axis=1, keepdims=True)


@dataclass(frozen=True, eq=False)
class ImageEncoding(_Presentations):
    """Images (or image patches) -> Poisson rates of one input neuron per pixel.

    Parameters
    ----------
    name : str
    images : array
        Intensities in [0, 1], shape ``(rows, cols)`` or ``(n_images, rows, cols)``.
    max_rate, background_rate : Quantity
    receptive_field : {"gaussian", "centre_surround"}
    sigma : float
        Centre width (pixels, > 0).
    surround_sigma : float
        Surround width (pixels, > sigma) of the centre-surround field.
    presentation, pause, start : Quantity
    drive : Drive, optional
        Projection of the input layer onto the circuit (neuron ``r * cols + c`` encodes
        pixel ``(r, c)``).
    """

    name: str
    images: object
    max_rate: object = "100 Hz"
    background_rate: object = "0 Hz"
    receptive_field: str = "gaussian"
    sigma: float = 1.0
    surround_sigma: float = 3.0
    presentation: object = "200 ms"
    pause: object = "0 ms"
    start: object = "0 ms"
    drive: object = None
    kind = "image_encoding"

    def __post_init__(self):
        _presentation_fields(self)
        images = array_field(self.images, self.where("images"), ndim=(2, 3))
        if images.ndim == 2:
            images = images[None]
        if images.min() < 0 or images.max() > 1:
            raise SpecError(self.where("images"), f"values in [{images.min():g}, "
                            f"{images.max():g}]", "intensities in [0, 1]")
        object.__setattr__(self, "images", images)
        if self.receptive_field not in RECEPTIVE_FIELDS:
            raise UnknownNameError(self.where("receptive_field"), self.receptive_field,
                                   RECEPTIVE_FIELDS)
        object.__setattr__(self, "sigma", number_field(self.sigma, self.where("sigma"), 1e-3))
        object.__setattr__(self, "surround_sigma", number_field(
            self.surround_sigma, self.where("surround_sigma"), self.sigma * (1 + 1e-9)))

    @property
    def size(self):
        return int(np.prod(self.images.shape[1:]))

    def conditions(self):
        return [f"image_{k}" for k in range(len(self.images))]

    def filtered(self):
        """Receptive-field responses, shape ``(n_images, rows, cols)`` (before clipping)."""
        rows, cols = self.images.shape[1:]

        def blur(sigma):
            left, right = _smoothing_matrix(rows, sigma), _smoothing_matrix(cols, sigma)
            return np.einsum("ij,kjl,ml->kim", left, self.images, right)

        response = blur(self.sigma)
        if self.receptive_field == "centre_surround":
            response = response - blur(self.surround_sigma)
        return response

    def rates(self):
        """Rates (Hz) of every image and neuron, shape ``(n_images, size)``."""
        encoded = np.clip(self.filtered(), 0, 1).reshape(len(self.images), -1)
        return si_value(self.background_rate) + si_value(self.max_rate) * encoded

    def decode(self, rates):
        """The encoded images (clipped receptive-field responses) from rates of shape
        ``(n_images, size)``."""
        return self.decode_rates(rates).reshape(self.images.shape)


@dataclass(frozen=True, eq=False)
class PopulationCode(_Presentations):
    """A scalar encoded by Gaussian tuning curves, presented as a sequence of values.

    Parameters
    ----------
    name : str
    size : int
        Neurons, preferred values evenly spaced over ``[low, high]`` (over ``[low, high)``
        for a circular variable).
    values : sequence
        Values presented in turn (in `unit`).
    low, high : float or Quantity
        Range of preferred values (in `unit`).
    width : float or Quantity
        Tuning width (standard deviation, in `unit`, > 0).
    unit : str
        Unit of the encoded variable (``"1"`` for a dimensionless one such as an angle in
        degrees).
    circular : bool
        Distances wrap with period ``high - low``.
    max_rate, background_rate, presentation, pause, start : Quantity
    drive : Drive, optional
    """

    name: str
    size: int
    values: object
    low: object
    high: object
    width: object
    unit: str = "1"
    circular: bool = False
    max_rate: object = "50 Hz"
    background_rate: object = "0 Hz"
    presentation: object = "200 ms"
    pause: object = "0 ms"
    start: object = "0 ms"
    drive: object = None
    kind = "population_code"

    def __post_init__(self):
        _presentation_fields(self)
        object.__setattr__(self, "size", count_field(self.size, self.where("size"), 2))
        parse_unit(self.unit, self.where("unit"))
        for name in ("low", "high", "width"):
            object.__setattr__(self, name, parse_quantity(getattr(self, name), self.where(name),
                                                          self.unit))
        values = array_field(self.values, self.where("values"), self.unit)
        object.__setattr__(self, "values", with_unit(values, self.unit))
        low, high, width = (self.number(n) for n in ("low", "high", "width"))
        if not low < high or not width > 0:
            raise SpecError(self.where("high"), high, f"low < high (low = {low:g} "
                            f"{self.unit}) and a width > 0")
        object.__setattr__(self, "circular", bool(self.circular))

    def number(self, name):
        """Field `name` (``values``, ``low``, ``high``, ``width``) as numbers in `unit`."""
        return np.asarray(getattr(self, name)) / si_value(1 * parse_unit(self.unit))

    def to_dict(self):
        data = super().to_dict()
        data["values"] = {"unit": self.unit, "values": self.number("values").tolist()}
        return data

    def preferred(self):
        """Preferred values of the neurons (in `unit`)."""
        low, high = self.number("low"), self.number("high")
        if self.circular:
            return low + (high - low) * np.arange(self.size) / self.size
        return np.linspace(low, high, self.size)

    def _distance(self, x):
        d = np.asarray(x, dtype=float)[..., None] - self.preferred()
        if self.circular:
            period = self.number("high") - self.number("low")
            d = (d + period / 2) % period - period / 2
        return d

    def tuning(self, x):
        """Rates (Hz) of every neuron for values `x` (in `unit`), shape ``x.shape + (size,)``."""
        return si_value(self.background_rate) + si_value(self.max_rate) * np.exp(
            -self._distance(x) ** 2 / (2 * self.number("width") ** 2))

    def conditions(self):
        return [f"value={v:g}" for v in self.number("values")]

    def rates(self):
        return self.tuning(self.number("values"))

    def decode(self, rates):
        """Values (in `unit`) from rates of shape ``(..., size)``: centre of mass of the
        rates above background (population vector for a circular variable)."""
        weights = np.clip(self.decode_rates(rates), 0, None)
        if self.circular:
            low = self.number("low")
            period = self.number("high") - low
            angles = 2 * np.pi * (self.preferred() - low) / period
            vector = weights @ np.exp(1j * angles)
            return low + (np.angle(vector) % (2 * np.pi)) * period / (2 * np.pi)
        return weights @ self.preferred() / weights.sum(axis=-1)
