"""Time arguments of analysis functions: seconds as floats, or Brian2 quantities.

Analysis never imports Brian2 (it must run where only xarray is installed); a Brian2
`Quantity` is recognised by its ``dim`` attribute and converted to SI with ``float``.
"""

__all__ = ["seconds", "recording_window"]


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
