"""Analysis of bioneuro result Datasets (xarray in, labelled xarray out; no Brian2 import)."""

from bioneuro.analysis.intervals import isi_cv, population_isi_cv
from bioneuro.analysis.rates import (
    firing_rates,
    population_mean_rates,
    population_rate_histogram,
)

__all__ = ["firing_rates", "population_mean_rates", "population_rate_histogram", "isi_cv",
           "population_isi_cv"]
