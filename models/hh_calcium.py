"""Traub-Miles Hodgkin-Huxley neurons with calcium-dependent currents, and area scaling.

Two compositions of `bioneuro.models.hh_traub.hh_traub_cond_exp` with the currents of
`bioneuro.models.ion_channels`, shared by the cell types that need them:

- ``hh_lts_cond_exp``: + T-type Ca2+ and h currents (low-threshold spikes, rebound bursts:
  thalamocortical relay, deep cerebellar nucleus and inferior olive cells);
- ``hh_ahp_cond_exp``: + high-threshold Ca2+ with a Ca2+ pool and the Ca2+-activated K+
  (AHP) current (spike-frequency adaptation and the long afterhyperpolarisation of
  motoneurons).

Cell types are usually described by membrane densities (uF/cm^2, mS/cm^2) and a size;
`area_parameters` turns those into the point-neuron parameters of these models.
"""

from bioneuro.models.composition import compose
from bioneuro.models.hh_traub import hh_traub_cond_exp
from bioneuro.models.ion_channels import (
    calcium_activated_potassium,
    h_current,
    high_threshold_calcium,
    low_threshold_calcium,
)
from brian2.units import amp, farad, meter, nS, siemens
from brian2.units.fundamentalunits import get_dimensions

from bioneuro.errors import SpecError

__all__ = ["hh_lts_cond_exp", "hh_ahp_cond_exp", "area_parameters"]

hh_lts_cond_exp = compose(
    hh_traub_cond_exp, low_threshold_calcium(g=500 * nS), h_current(g=5 * nS),
    name="hh_lts_cond_exp", register=True,
    description="Traub-Miles Hodgkin-Huxley neuron with T-type calcium and h currents "
                "(low-threshold spikes, rebound bursts).")

hh_ahp_cond_exp = compose(
    hh_traub_cond_exp, high_threshold_calcium(), calcium_activated_potassium(),
    name="hh_ahp_cond_exp", register=True,
    description="Traub-Miles Hodgkin-Huxley neuron with a high-threshold calcium current, a "
                "calcium pool and the calcium-activated potassium (AHP) current.")

_DENSITIES = tuple(get_dimensions(unit / meter**2) for unit in (farad, siemens, amp))


def area_parameters(area, **values):
    """Point-neuron parameters from membrane densities and a membrane area.

    Parameters
    ----------
    area : Quantity
        Membrane area (um^2, cm^2).
    **values : Quantity or float
        Parameter values. Densities (capacitance, conductance or current per area: uF/cm^2,
        mS/cm^2, uA/cm^2) are multiplied by `area`, and so is a ``vol_Ca`` given as a length
        (the effective depth of the submembrane Ca2+ shell); other values are returned as
        they are.

    Returns
    -------
    dict of str to Quantity
        E.g. ``area_parameters(1e-4*cm**2, g_L=0.3*msiemens/cm**2, E_L=-65*mV)`` gives
        ``{"g_L": 30 nS, "E_L": -65 mV}``.
    """
    if get_dimensions(area) != get_dimensions(meter**2):
        raise SpecError("area", area, "a membrane area (e.g. um**2, cm**2)")
    out = {}
    for name, value in values.items():
        dim = get_dimensions(value)
        if dim in _DENSITIES or (name == "vol_Ca" and dim == get_dimensions(meter)):
            value = value * area
        out[name] = value
    return out
