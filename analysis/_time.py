"""Time arguments of analysis functions: seconds as floats, or Brian2 quantities.

Analysis never imports Brian2 (it must run where only xarray is installed); a Brian2
`Quantity` is recognised by its ``dim`` attribute and converted to SI with ``float``.
"""

import numpy as np

__all__ = ["seconds", "positive_seconds", "recording_window", "bin_edges"]


def seconds(value, name):
    """`value` in seconds (float); accepts floats (s) or Brian2 time quantities."""
    if value is None:
        return None
    if hasattr(value, "dim"):
        if str(value.dim) != "s":
            raise ValueError(f"{name}: got {value!r}; expected a time (seconds)")
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: got {value!r}; expected seconds or a Brian2 time") from None


def positive_seconds(value, name):
    """Like `seconds`, but the value must be given and > 0 (bin sizes, kernel widths)."""
    out = seconds(value, name)
    if out is None or not out > 0:
        raise ValueError(f"{name}: got {value!r}; expected a positive time (s)")
    return out


def recording_window(ds, t_start=None, t_stop=None):
    """``(t_start, t_stop)`` in seconds, defaulting to the whole simulated time."""
    start = seconds(t_start, "t_start")
    stop = seconds(t_stop, "t_stop")
    start = 0.0 if start is None else start
    if stop is None:
        if "duration_s" not in ds.attrs:
            raise ValueError("t_stop: not given and the dataset has no 'duration_s' attribute")
        stop = float(ds.attrs["duration_s"])
    if not stop > start:
        raise ValueError(f"t_stop: got {stop} s; must be after t_start ({start} s)")
    return start, stop


def bin_edges(start, stop, bin_size):
    """Edges of the whole bins of width `bin_size` that fit in ``[start, stop]`` (seconds).

    As Elephant's ``BinnedSpikeTrain``: a remainder shorter than one bin is dropped.
    """
    n_bins = int(np.floor((stop - start) / bin_size + 1e-9))
    if n_bins < 1:
        raise ValueError(f"bin_size: got {bin_size} s; larger than the window "
                         f"[{start}, {stop}) s")
    return start + bin_size * np.arange(n_bins + 1)
