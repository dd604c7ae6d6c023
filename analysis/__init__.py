"""Analysis of bioneuro result Datasets (xarray in, labelled xarray out; no Brian2 import).

One module per family: `rates`, `intervals`, `correlation`, `spectral`, `trials`,
`input_output`, `plasticity`, `receptive_fields`, `decoding`, `plot`, `neo_interop`, and
the ``ds.bioneuro`` accessor (registered on import). Times are seconds or Brian2
quantities; argument names follow Elephant (``t_start``, ``t_stop``, ``bin_size``).
"""

from bioneuro.analysis import accessor  # noqa: F401  (registers ds.bioneuro)
from bioneuro.analysis.correlation import (
    cross_correlogram,
    fano_factor,
    spike_count_correlation,
    synchrony,
)
from bioneuro.analysis.decisions import decisions, psychometric
from bioneuro.analysis.decoding import cross_validate, fit_ridge, fit_softmax, predict
from bioneuro.analysis.input_output import f_i_curve, gain, rheobase
from bioneuro.analysis.intervals import (
    cv2,
    detect_bursts,
    isi,
    isi_cv,
    isi_histogram,
    lv,
    population_isi_cv,
)
from bioneuro.analysis.neo_interop import from_neo, to_neo
from bioneuro.analysis.plasticity import (
    fit_stdp_window,
    stdp_window_model,
    weight_histogram,
    weight_statistics,
)
from bioneuro.analysis.rates import (
    binned_spike_counts,
    firing_rates,
    instantaneous_rates,
    population_mean_rates,
    population_rate,
    population_rate_histogram,
)
from bioneuro.analysis.receptive_fields import (
    from_grid,
    spike_triggered_average,
    to_grid,
    weight_receptive_fields,
)
from bioneuro.analysis.spectral import dominant_frequency, power_spectrum
from bioneuro.analysis.trials import align_spikes, psth, trial_spike_counts, trial_table

__all__ = [
    "firing_rates", "population_mean_rates", "binned_spike_counts", "instantaneous_rates",
    "population_rate", "population_rate_histogram",
    "isi", "isi_histogram", "isi_cv", "population_isi_cv", "cv2", "lv", "detect_bursts",
    "fano_factor", "spike_count_correlation", "cross_correlogram", "synchrony",
    "power_spectrum", "dominant_frequency",
    "trial_table", "align_spikes", "trial_spike_counts", "psth",
    "f_i_curve", "gain", "rheobase",
    "stdp_window_model", "fit_stdp_window", "weight_statistics", "weight_histogram",
    "to_grid", "from_grid", "weight_receptive_fields", "spike_triggered_average",
    "fit_ridge", "fit_softmax", "predict", "cross_validate",
    "to_neo", "from_neo",
    "decisions", "psychometric",
]
