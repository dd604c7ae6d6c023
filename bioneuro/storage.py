"""Result files: compressed netCDF4, written atomically, read back identical.

This module needs only xarray and netCDF4 (no Brian2), so result files can be read and
analysed on any machine.
"""

import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import xarray as xr

# registers the ``ds.bioneuro`` accessor on every Dataset that is loaded or run
import bioneuro.analysis.accessor  # noqa: F401
from bioneuro.errors import ResultFileError, SpecError

__all__ = ["save", "load", "open_lazy", "FORMAT_VERSION", "DEFAULT_CHUNK_BYTES",
           "DEFAULT_COMPRESSION", "COMPRESSION", "chunk_shape", "time_grid_encoding"]

#: version of the Dataset layout written by bioneuro (attribute ``bioneuro_format``)
FORMAT_VERSION = 1
#: uncompressed size of one stored chunk (HDF5 advises chunks of ~1 MB; larger ones cost
#: memory per read, smaller ones per-chunk overhead)
DEFAULT_CHUNK_BYTES = 4 * 2**20


def chunk_shape(shape, itemsize, chunk_bytes=DEFAULT_CHUNK_BYTES):
    """Chunk shape of at most `chunk_bytes`: trailing axes whole while they fit, the first
    axis that does not fit split, the leading ones in steps of 1 (row-major slabs)."""
    chunks = list(shape)
    size = itemsize
    for axis in reversed(range(len(shape))):
        if size * shape[axis] <= chunk_bytes:
            size *= shape[axis]
            continue
        chunks[axis] = max(1, chunk_bytes // size)
        chunks[:axis] = [1] * axis
        break
    return tuple(int(c) for c in chunks)


#: codecs of `save`: netCDF4 variable encodings (netCDF4-python applies the HDF5 shuffle
#: filter, bytes of equal significance together, before deflate only). Measured on 1e6
#: spikes and 1e7 membrane-potential samples (``scripts/benchmark.py --only io``): deflate
#: level 1 compresses as well as level 4 (file 0.54 / 0.78 of the data against 0.53 /
#: 0.78) and writes faster; zstd level 1 writes ~5x faster than deflate with somewhat
#: larger files. zstd needs the HDF5 zstd filter to read, which the netCDF4 wheels
#: (>= 1.6) ship and load themselves (``xarray.open_dataset`` and ``netCDF4.Dataset`` read
#: the files as they are); plain netCDF-C builds may lack it. blosc_lz4 was left out: its
#: filter fails with an HDF error on uncompressible chunks.
COMPRESSION = {
    "zlib": {"zlib": True, "complevel": 1, "shuffle": True},
    "zstd": {"compression": "zstd", "complevel": 1},
    "none": {},
}
#: default codec of `save`
DEFAULT_COMPRESSION = "zstd"


def time_grid_encoding(values, dt):
    """Integer storage of times that lie on the simulation grid, or None.

    Brian2 records times as ``timestep * dt``: such a variable is stored as its integer
    time steps with the CF attribute ``scale_factor = dt`` (4 bytes instead of 8, and
    steps compress far better than floats), which netCDF readers (xarray, netCDF4) decode
    as ``steps * dt``, the same float64 product. Returns the encoding only when that
    decoding reproduces every value exactly, so the file is read back identical.

    Parameters
    ----------
    values : numpy.ndarray
        Times (s), float64.
    dt : float
        Simulation time step (s).

    Returns
    -------
    dict or None
        ``{"dtype", "scale_factor", "_FillValue"}`` for the netCDF4 encoding.
    """
    if values.dtype != np.float64 or not values.size or not dt > 0:
        return None
    with np.errstate(all="ignore"):
        steps = np.rint(values / dt)
    if not np.all(np.isfinite(steps)) or np.abs(steps).max() >= 2**53:
        return None
    if not np.array_equal(steps * dt, values):
        return None
    dtype = "int32" if np.abs(steps).max() < 2**31 else "int64"
    return {"dtype": dtype, "scale_factor": float(dt), "_FillValue": None}


def _encoding(ds, chunk_bytes, compression):
    if compression not in COMPRESSION:
        raise SpecError("compression", compression, f"one of {sorted(COMPRESSION)}")
    dt = ds.attrs.get("dt_s")
    enc = {}
    for name, var in ds.variables.items():
        if var.dtype.kind in "fiu" and var.ndim:
            enc[name] = dict(COMPRESSION[compression])
            if all(var.shape):  # netCDF chunks are at least 1 long
                enc[name]["chunksizes"] = chunk_shape(var.shape, var.dtype.itemsize,
                                                      chunk_bytes)
            if dt is not None and var.attrs.get("units") == "s":
                enc[name].update(time_grid_encoding(var.values, float(dt)) or {})
    return enc


def save(ds, path, chunk_bytes=DEFAULT_CHUNK_BYTES, compression=DEFAULT_COMPRESSION):
    """Write `ds` to a compressed, chunked netCDF4 file, atomically.

    The data go to a temporary file in the same folder, which is renamed onto `path` only
    when complete: an interrupted save never leaves a file that looks finished. Numeric
    variables are stored in compressed chunks of at most `chunk_bytes` (uncompressed), so
    `open_lazy` reads a large recording chunk by chunk. Times on the simulation grid
    (``units`` ``s``, multiples of the attribute ``dt_s``: spike times, trace time axes) are
    stored as integer steps with a ``scale_factor`` (`time_grid_encoding`), losslessly.
    Encodings a Dataset carries from an earlier `load` are not re-used: the file is always
    written as described here.

    Parameters
    ----------
    ds : xarray.Dataset
    path : str or Path
    chunk_bytes : int
        Uncompressed bytes per stored chunk (default `DEFAULT_CHUNK_BYTES`).
    compression : {"zstd", "zlib", "none"}
        ``zstd`` (level 1, the default) writes ~5x faster than ``zlib`` (deflate level 1)
        with files ~10-40 % larger; it needs the HDF5 zstd filter to read, which the
        netCDF4 wheels include (``bn.load``, ``xarray.open_dataset``, ``netCDF4.Dataset``
        read it; a netCDF-C build without the plugin does not). ``zlib`` files are readable
        by every netCDF4 tool; ``none`` writes at disk speed. Measured throughputs: README,
        section Performance (``scripts/benchmark.py --only io``).

    Returns
    -------
    Path
    """
    path = Path(path)
    ds = ds.copy(deep=False)  # new variables: their encodings from a file are dropped
    for var in ds.variables.values():
        var.encoding = {}
    encoding = _encoding(ds, chunk_bytes, compression)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with warnings.catch_warnings():  # integer time steps: every value checked finite
            warnings.filterwarnings("ignore", "saving variable .* as an integer dtype "
                                    "without any _FillValue", xr.SerializationWarning)
            ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4", encoding=encoding)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def _open(path, lazy, chunks=None):
    path = Path(path)
    if not path.exists():
        raise ResultFileError(f"{path}: no such result file")
    try:
        opener = xr.open_dataset if lazy else xr.load_dataset
        kwargs = {"chunks": {} if chunks is None else chunks} if lazy else {}
        ds = opener(path, engine="netcdf4", decode_times=False, decode_timedelta=False,
                    **kwargs)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ResultFileError(f"{path}: not a readable netCDF4 file ({exc})") from None
    if "bioneuro_format" not in ds.attrs:
        ds.close()
        raise ResultFileError(f"{path}: a netCDF file, but not a bioneuro result "
                              "(attribute 'bioneuro_format' missing)")
    return ds


def load(path):
    """Read a result file written by `save` into memory (identical to what was saved)."""
    return _open(path, lazy=False)


def open_lazy(path, chunks=None):
    """Open a result file lazily (dask-backed arrays; requires dask).

    Parameters
    ----------
    path : str or Path
    chunks : dict, optional
        Chunk sizes per dimension, e.g. ``{"spike": 1_000_000, "time": 10_000}`` (as
        `xarray.open_dataset`); default: the file's own chunking.
    """
    return _open(path, lazy=True, chunks=chunks)
