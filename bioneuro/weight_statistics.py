"""Weight statistics computed inside the simulation, for any connectivity rule.

Every ``recording.weights_dt`` a monitored projection's ``Synapses`` hand the weights of
their active synapses to a collector (one pass over the synapses, ``run_regularly``); a small
``NeuronGroup`` of statistics (one neuron per histogram bin) then reduces them to the mean,
the standard deviation, the fractions at the bounds, the number of active synapses and the
histogram, which a ``StateMonitor`` records. The synapse count need not be known when the
code is generated (a ``bernoulli`` or ``condition`` rule draws it in the compiled code) and
no weight matrix is stored per sample time: memory is one transient buffer of the current
weights plus ``weight_bins`` numbers per sample. Individual synapses are recorded only when
``recording.weight_synapses`` names them.

The same reduction runs in C++ (standalone; a header written into the project) and in
Python (runtime device, numpy target). Conventions:

- bounds ``[low, high]`` are the rule's ``w_min`` (else 0) and ``w_max``; a weight within
  `BOUND_TOLERANCE` of the range of a bound counts as at that bound;
- the histogram spans ``[low, high]``; a rule without ``w_max`` has its bins fixed at the
  first sample with active synapses, over ``[min, max]`` of its weights; weights outside the
  range count in the edge bins;
- with no active synapse the mean, spread and fractions are NaN.
"""

import numpy as np
from brian2 import Function, NeuronGroup, StateMonitor

__all__ = ["BOUND_TOLERANCE", "FIELDS", "HEADER", "HEADER_NAME", "WeightStatistics",
           "reduce_weights", "histogram_edges"]

#: a weight within this fraction of the bound range of a bound counts as "at the bound"
BOUND_TOLERANCE = 0.01
#: variables of the statistics group, in the order of the reduction's output
FIELDS = ("n_active", "mean", "std", "fraction_low", "fraction_high", "edge_low",
          "edge_high", "count")
HEADER_NAME = "bioneuro_weight_statistics.h"


def histogram_edges(weights, low, high, n_bins):
    """Bin edges: ``[low, high]``, or ``[min, max]`` of `weights` without an upper bound
    (`high` NaN); ``None`` when unbounded and `weights` is empty."""
    if np.isfinite(high):
        lo, hi = low, high
    elif len(weights):
        lo, hi = float(np.min(weights)), float(np.max(weights))
    else:
        return None
    if not hi > lo:
        hi = lo + (abs(lo) if lo != 0 else 1.0)
    return np.linspace(lo, hi, n_bins + 1)


def reduce_weights(weights, low, high, n_bins, edges=None):
    """Statistics of one sample of active-synapse weights (SI values).

    Parameters
    ----------
    weights : 1-d array
        Weights of the active synapses.
    low, high : float
        Bounds of the rule (`high` NaN: none).
    n_bins : int
    edges : array, optional
        Histogram edges fixed earlier (default `histogram_edges`).

    Returns
    -------
    values : dict
        ``FIELDS[:-1]`` -> float and ``"count"`` -> int array of `n_bins`.
    edges : array or None
    """
    weights = np.asarray(weights, dtype=float)
    n = len(weights)
    out = dict.fromkeys(FIELDS[:-1], np.nan)
    out["n_active"] = float(n)
    if n:
        out["mean"] = float(np.mean(weights))
        out["std"] = float(np.std(weights))
        if np.isfinite(high):
            tol = BOUND_TOLERANCE * (high - low)
            out["fraction_low"] = float(np.sum(weights <= low + tol)) / n
            out["fraction_high"] = float(np.sum(weights >= high - tol)) / n
    if edges is None:
        edges = histogram_edges(weights, low, high, n_bins)
    if edges is None:
        out["count"] = np.zeros(n_bins)
    else:
        out["edge_low"], out["edge_high"] = float(edges[0]), float(edges[-1])
        out["count"] = np.histogram(np.clip(weights, edges[0], edges[-1]), bins=edges)[0]
    return out, edges


class _PythonCollector:
    """State of the Python implementation (runtime device): one buffer per slot."""

    def __init__(self, n_bins):
        self.n_bins = n_bins
        self.samples, self.bounds, self.edges, self.results, self.times = {}, {}, {}, {}, {}

    def collect(self, slot, w, active, low, high):
        slot = int(np.ravel(slot)[0])
        w, active = np.broadcast_arrays(np.asarray(w, float), np.asarray(active, float))
        self.samples[slot] = w[active > 0.5].copy()
        self.bounds[slot] = (float(np.ravel(low)[0]), float(np.ravel(high)[0]))
        return np.zeros(np.shape(w))

    def value(self, slot, field, index, t):
        slot, field, t = int(np.ravel(slot)[0]), int(np.ravel(field)[0]), float(np.ravel(t)[0])
        if self.times.get(slot) != t:
            low, high = self.bounds.get(slot, (0.0, np.nan))
            high = high if high >= low else np.nan
            values, edges = reduce_weights(self.samples.pop(slot, np.zeros(0)), low, high,
                                           self.n_bins, self.edges.get(slot))
            if edges is not None:
                self.edges[slot] = edges
            self.results[slot], self.times[slot] = values, t
        values = self.results[slot]
        if field == len(FIELDS) - 1:
            return values["count"][np.asarray(index, dtype=int)].astype(float)
        return np.full(np.shape(index), values[FIELDS[field]])


#: C++ implementation: inline functions with static buffers shared by the two code objects
#: (a header: Brian2 wraps support code in an anonymous namespace, one per code object).
#: The histogram follows numpy.histogram on numpy.linspace edges exactly.
HEADER = r"""
#ifndef BIONEURO_WEIGHT_STATISTICS_H
#define BIONEURO_WEIGHT_STATISTICS_H
#include <vector>
#include <cmath>
#include <limits>
#include <algorithm>

struct bioneuro_weight_slot {
    std::vector<double> weights;
    double low = 0.0, high = -1.0, last_t = -1.0;
    bool edges_fixed = false;
    std::vector<double> edges;
    double values[7];
    std::vector<double> counts;
};

inline std::vector<bioneuro_weight_slot>& bioneuro_weight_slots() {
    static std::vector<bioneuro_weight_slot> slots;
    return slots;
}

inline bioneuro_weight_slot& bioneuro_weight_slot_at(int slot) {
    std::vector<bioneuro_weight_slot>& slots = bioneuro_weight_slots();
    if ((int)slots.size() <= slot) slots.resize(slot + 1);
    return slots[slot];
}

inline double bioneuro_weight_collect(int slot, double w, double active, double low,
                                      double high) {
    bioneuro_weight_slot& s = bioneuro_weight_slot_at(slot);
    s.low = low;
    s.high = high;
    if (active > 0.5) s.weights.push_back(w);
    return 0.0;
}

inline void bioneuro_weight_reduce(bioneuro_weight_slot& s, int n_bins) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double>& w = s.weights;
    const size_t n = w.size();
    const bool bounded = s.high >= s.low;
    for (int k = 1; k < 7; k++) s.values[k] = nan;
    s.values[0] = (double)n;
    if (n) {
        double sum = 0.0;
        for (size_t k = 0; k < n; k++) sum += w[k];
        const double mean = sum / n;
        double var = 0.0;
        for (size_t k = 0; k < n; k++) var += (w[k] - mean) * (w[k] - mean);
        s.values[1] = mean;
        s.values[2] = std::sqrt(var / n);
        if (bounded) {
            const double tol = @BOUND_TOLERANCE@ * (s.high - s.low);
            size_t at_low = 0, at_high = 0;
            for (size_t k = 0; k < n; k++) {
                at_low += w[k] <= s.low + tol;
                at_high += w[k] >= s.high - tol;
            }
            s.values[3] = (double)at_low / n;
            s.values[4] = (double)at_high / n;
        }
    }
    if (!s.edges_fixed && (bounded || n)) {
        double lo = s.low, hi = s.high;
        if (!bounded) {
            lo = *std::min_element(w.begin(), w.end());
            hi = *std::max_element(w.begin(), w.end());
        }
        if (!(hi > lo)) hi = lo + (lo != 0.0 ? std::fabs(lo) : 1.0);
        s.edges.resize(n_bins + 1);
        const double step = (hi - lo) / n_bins;
        for (int k = 0; k < n_bins; k++) s.edges[k] = k * step + lo;
        s.edges[n_bins] = hi;
        s.edges_fixed = true;
    }
    s.counts.assign(n_bins, 0.0);
    if (!s.edges.empty()) {
        const double first = s.edges[0], last = s.edges[n_bins];
        s.values[5] = first;
        s.values[6] = last;
        for (size_t k = 0; k < n; k++) {
            const double x = std::min(std::max(w[k], first), last);
            int b = (int)(((x - first) / (last - first)) * n_bins);
            if (b >= n_bins) b = n_bins - 1;
            if (x < s.edges[b]) b--;
            else if (b != n_bins - 1 && x >= s.edges[b + 1]) b++;
            s.counts[b] += 1.0;
        }
    }
    s.weights.clear();
}

inline double bioneuro_weight_value(int slot, int field, int index, double t, int n_bins) {
    bioneuro_weight_slot& s = bioneuro_weight_slot_at(slot);
    if (s.last_t != t) {
        bioneuro_weight_reduce(s, n_bins);
        s.last_t = t;
    }
    return field == 7 ? s.counts[index] : s.values[field];
}
#endif
""".replace("@BOUND_TOLERANCE@", repr(BOUND_TOLERANCE))


class WeightStatistics:
    """The Brian2 objects computing one run's weight statistics.

    Parameters
    ----------
    n_bins : int
        Histogram bins.
    interval : Quantity
        Sampling interval.
    """

    def __init__(self, n_bins, interval):
        self.n_bins = int(n_bins)
        self.interval = interval
        python = _PythonCollector(self.n_bins)
        self.collect = Function(python.collect, arg_units=[1] * 5, return_unit=1,
                                arg_types=["integer", "float", "float", "float", "float"],
                                return_type="float", stateless=False)
        self.collect.implementations.add_implementation(
            "cpp", {"support_code": "", "hashdefine_code": ""},
            name="bioneuro_weight_collect", compiler_kwds={"headers": [f'"{HEADER_NAME}"']})
        self.value = Function(python.value, arg_units=[1, 1, 1, 1], return_unit=1,
                              arg_types=["integer", "integer", "integer", "float"],
                              return_type="float", stateless=False)
        self.value.implementations.add_implementation(
            "cpp", {"support_code": f"static inline double bioneuro_weight_value_{self.n_bins}"
                                    f"(int slot, int field, int index, double t) {{ return "
                                    f"bioneuro_weight_value(slot, field, index, t, "
                                    f"{self.n_bins}); }}"},
            name=f"bioneuro_weight_value_{self.n_bins}",
            compiler_kwds={"headers": [f'"{HEADER_NAME}"']})
        self.slots = 0

    def monitor(self, synapses, name, weight_unit, low, high, active):
        """Add the collector of `synapses` and return ``(group, monitor)``.

        Parameters
        ----------
        synapses : brian2.Synapses
        name : str
            Name of the statistics group; its monitor is ``<name>_monitor``.
        weight_unit : str
            Equation unit of ``w`` (``"1"``: dimensionless).
        low, high : str
            Code of the bounds (in the unit of ``w``); ``""``: 0 and no upper bound.
        active : str
            Floating-point code that is 1 for an occupied synapse.
        """
        slot = self.slots
        self.slots += 1

        def si(code):
            return code if weight_unit == "1" else f"({code})/({weight_unit})"

        low_code = si(low) if low else "0.0"
        high_code = si(high) if high else f"{low_code} - 1.0"  # below low: no upper bound
        # any order before the statistics group (both run at the start of the step)
        synapses.run_regularly(
            f"collected_weight = bioneuro_collect({slot}, {si('w')}, {active}, {low_code}, "
            f"{high_code})",
            dt=self.interval, when="start", order=-2, name=f"{name}_collect")
        synapses.namespace["bioneuro_collect"] = self.collect
        lines = [f"{var} = bioneuro_weight_value({slot}, {k}, i, t/second)"
                 for k, var in enumerate(FIELDS)]
        group = NeuronGroup(self.n_bins, "\n".join(f"{var} : 1" for var in FIELDS),
                            namespace={"bioneuro_weight_value": self.value}, name=name)
        group.run_regularly("\n".join(lines), dt=self.interval, when="start", order=-1,
                            name=f"{name}_reduce")
        monitor = StateMonitor(group, list(FIELDS), record=True, dt=self.interval,
                               name=f"{name}_monitor")
        return group, monitor
