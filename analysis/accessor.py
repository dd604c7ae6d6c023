"""The ``ds.bioneuro`` accessor: common analyses and plots as methods of a result Dataset.

Registered when `bioneuro.analysis` is imported (and so by `bioneuro.load`,
`bioneuro.open_lazy` and `bioneuro.run`)::

    ds = bioneuro.load("cuba.nc")
    ds.bioneuro.rates()              # Hz per neuron
    ds.bioneuro.raster(path="raster.png")
"""

import xarray as xr

__all__ = ["BioneuroAccessor"]


@xr.register_dataset_accessor("bioneuro")
class BioneuroAccessor:
    """Analyses of a bioneuro result; every method forwards to `bioneuro.analysis`."""

    def __init__(self, ds):
        self._ds = ds

    # measures ---------------------------------------------------------------------------
    def rates(self, t_start=None, t_stop=None):
        """Mean rate per neuron (Hz); see `rates.firing_rates`."""
        from bioneuro.analysis.rates import firing_rates

        return firing_rates(self._ds, t_start, t_stop)

    def population_rates(self, t_start=None, t_stop=None, by="population"):
        """Mean rate per population (Hz); see `rates.population_mean_rates`."""
        from bioneuro.analysis.rates import population_mean_rates

        return population_mean_rates(self._ds, t_start, t_stop, by)

    def population_rate(self, bin_size=0.001, kernel_width=None, by="population", **kw):
        """Time-resolved population rate (Hz); see `rates.population_rate`."""
        from bioneuro.analysis.rates import population_rate

        return population_rate(self._ds, bin_size, kernel_width, by=by, **kw)

    def cv(self, **kw):
        """CV of ISIs per neuron; see `intervals.isi_cv`."""
        from bioneuro.analysis.intervals import isi_cv

        return isi_cv(self._ds, **kw)

    def cv2(self, **kw):
        """CV2 per neuron; see `intervals.cv2`."""
        from bioneuro.analysis.intervals import cv2

        return cv2(self._ds, **kw)

    def lv(self, **kw):
        """Local variation per neuron; see `intervals.lv`."""
        from bioneuro.analysis.intervals import lv

        return lv(self._ds, **kw)

    def fano_factor(self, bin_size=0.1, **kw):
        """Fano factor of spike counts per neuron; see `correlation.fano_factor`."""
        from bioneuro.analysis.correlation import fano_factor

        return fano_factor(self._ds, bin_size, **kw)

    def synchrony(self, **kw):
        """Golomb's chi; see `correlation.synchrony`."""
        from bioneuro.analysis.correlation import synchrony

        return synchrony(self._ds, **kw)

    def power_spectrum(self, bin_size=0.001, by="population", **kw):
        """Welch spectrum of the population rate; see `spectral.power_spectrum`."""
        from bioneuro.analysis.spectral import power_spectrum

        return power_spectrum(self._ds, bin_size, by=by, **kw)

    def psth(self, **kw):
        """Trial-aligned rates per condition; see `trials.psth`."""
        from bioneuro.analysis.trials import psth

        return psth(self._ds, **kw)

    def to_neo(self, **kw):
        """Neo spike trains (needs neo); see `neo_interop.to_neo`."""
        from bioneuro.analysis.neo_interop import to_neo

        return to_neo(self._ds, **kw)

    # plots ------------------------------------------------------------------------------
    def raster(self, **kw):
        """Raster coloured by population; see `plot.raster`. Returns (fig, ax)."""
        from bioneuro.analysis import plot

        return plot.raster(self._ds, **kw)

    def plot_rates(self, **kw):
        """Population rates over time; see `plot.population_rates`. Returns (fig, ax)."""
        from bioneuro.analysis import plot

        return plot.population_rates(self._ds, **kw)

    def traces(self, **kw):
        """Membrane traces with spikes; see `plot.membrane_traces`."""
        from bioneuro.analysis import plot

        return plot.membrane_traces(self._ds, **kw)

    def summary(self, path=None, **kw):
        """Summary figure (raster, rates, CV, spectrum); see `plot.summary_figure`."""
        from bioneuro.analysis import plot

        return plot.summary_figure(self._ds, path, **kw)
