"""Independent event-by-event NumPy implementations of STDP rules (test oracles).

They follow the published update equations directly (spike lists, exponentially decaying
traces evaluated at event times), sharing no code with the Brian2 equation strings.
"""

import numpy as np


def _events(pre, post):
    """Time-sorted (time, is_post) events; a pre and a post spike at the same time are
    processed pre first (Brian2 runs the pre pathway before the post pathway)."""
    events = [(t, 0) for t in pre] + [(t, 1) for t in post]
    return sorted(events)


def pair_stdp(pre, post, w0, w_max, A_plus, A_minus, tau_plus, tau_minus, mu=0.0,
              nearest=False):
    """Final weight of pair-based STDP (Song et al. 2000; Guetig et al. 2003 weight
    dependence; all-to-all or symmetric nearest-spike interactions; times in s)."""
    w, a_pre, a_post, last = w0, 0.0, 0.0, 0.0
    for t, is_post in _events(pre, post):
        a_pre *= np.exp(-(t - last) / tau_plus)
        a_post *= np.exp(-(t - last) / tau_minus)
        last = t
        if is_post:
            a_post = 1.0 if nearest else a_post + 1
            w = min(max(w + A_plus * w_max * a_pre * (1 - w / w_max) ** mu, 0), w_max)
        else:
            a_pre = 1.0 if nearest else a_pre + 1
            w = min(max(w - A_minus * w_max * a_post * (w / w_max) ** mu, 0), w_max)
    return w


def triplet_stdp(pre, post, w0, w_ref, w_max, p):
    """Final weight of all-to-all triplet STDP (Pfister & Gerstner 2006, eqs. 3-4)."""
    w, r1, r2, o1, o2, last = w0, 0.0, 0.0, 0.0, 0.0, 0.0
    for t, is_post in _events(pre, post):
        gap = t - last
        r1 *= np.exp(-gap / p["tau_plus"])
        r2 *= np.exp(-gap / p["tau_x"])
        o1 *= np.exp(-gap / p["tau_minus"])
        o2 *= np.exp(-gap / p["tau_y"])
        last = t
        if is_post:
            w = min(max(w + w_ref * r1 * (p["A2_plus"] + p["A3_plus"] * o2), 0), w_max)
            o1, o2 = o1 + 1, o2 + 1
        else:
            w = min(max(w - w_ref * o1 * (p["A2_minus"] + p["A3_minus"] * r2), 0), w_max)
            r1, r2 = r1 + 1, r2 + 1
    return w
