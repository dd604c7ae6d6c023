"""Result files: compressed netCDF4, written atomically, read back identical.

This module needs only xarray and netCDF4 (no Brian2), so result files can be read and
analysed on any machine.
"""

import os
import tempfile
from pathlib import Path

import xarray as xr

# registers the ``ds.bioneuro`` accessor on every Dataset that is loaded or run
import bioneuro.analysis.accessor  # noqa: F401
from bioneuro.errors import ResultFileError, SpecError

__all__ = ["save", "load", "open_lazy", "FORMAT_VERSION", "DEFAULT_CHUNK_BYTES",
           "chunk_shape"]

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


#: codecs of `save`: netCDF4 variable encodings (zstd needs the HDF5 zstd filter, which
#: the netCDF4 wheels (>= 1.6) ship, to read the file back; blosc_lz4 was left out: its
#: filter fails with an HDF error on small uncompressible chunks)
COMPRESSION = {
    "zlib": {"zlib": True, "complevel": 4},
    "zstd": {"compression": "zstd", "complevel": 1},
    "none": {},
}


def _encoding(ds, chunk_bytes, compression):
    if compression not in COMPRESSION:
        raise SpecError("compression", compression, f"one of {sorted(COMPRESSION)}")
    enc = {}
    for name, var in ds.variables.items():
        if var.dtype.kind in "fiu" and var.ndim:
            enc[name] = dict(COMPRESSION[compression])
            if all(var.shape):  # netCDF chunks are at least 1 long
                enc[name]["chunksizes"] = chunk_shape(var.shape, var.dtype.itemsize,
                                                      chunk_bytes)
    return enc


def save(ds, path, chunk_bytes=DEFAULT_CHUNK_BYTES, compression="zlib"):
    """Write `ds` to a compressed, chunked netCDF4 file, atomically.

    The data go to a temporary file in the same folder, which is renamed onto `path` only
    when complete: an interrupted save never leaves a file that looks finished. Numeric
    variables are stored in compressed chunks of at most `chunk_bytes` (uncompressed), so
    `open_lazy` reads a large recording chunk by chunk.

    Parameters
    ----------
    ds : xarray.Dataset
    path : str or Path
    chunk_bytes : int
        Uncompressed bytes per stored chunk (default `DEFAULT_CHUNK_BYTES`).
    compression : {"zlib", "zstd", "none"}
        ``zlib`` (deflate level 4; readable by every netCDF4 tool) is the default. ``zstd``
        writes several times faster with somewhat larger files but needs the HDF5 zstd filter
        to read (netCDF4-python's wheels include it; plain netCDF-C builds may not); ``none``
        writes at disk speed. ``scripts/benchmark.py --only io`` measures all three.

    Returns
    -------
    Path
    """
    path = Path(path)
    encoding = _encoding(ds, chunk_bytes, compression)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
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
