"""Configuration of brian2cuda's ``cuda_standalone`` device, including build-only use.

On a machine without a GPU the CUDA project can still be generated and compiled (CI does this
to prove the CUDA path builds). The recipe, measured with CUDA 13 and brian2cuda 1.0a7:

* curand comes from the PyPI package ``nvidia-curand`` (headers and ``libcurand.so.10`` in
  ``site-packages/nvidia/cu13``); the link step's ``-lcurand`` needs an unversioned
  ``libcurand.so``, which is a symlink in a folder of the build cache;
* CUDA 13 requires C++17, both for nvcc and for the host compiler;
* without a GPU, GPU detection is switched off and a compute capability is given
  (9.0: H100/H200), and the project is built with ``run=False``.
"""

import os
import shutil
from pathlib import Path

from bioneuro.errors import BuildError

__all__ = ["configure_cuda", "curand_dirs", "DEFAULT_COMPUTE_CAPABILITY"]

DEFAULT_COMPUTE_CAPABILITY = 9.0


def curand_dirs():
    """``(include_dir, lib_dir)`` of the ``nvidia-curand`` wheel, or ``None``."""
    try:
        import nvidia
    except ImportError:
        return None
    for base in getattr(nvidia, "__path__", []):
        for sub in sorted(Path(base).glob("cu*"), reverse=True):
            include, lib = sub / "include", sub / "lib"
            if (include / "curand.h").exists() and list(lib.glob("libcurand.so*")):
                return include, lib
    return None


def _link_folder(lib_dir, cache_dir):
    """A folder with an unversioned ``libcurand.so`` symlink (for ``-lcurand``)."""
    if (lib_dir / "libcurand.so").exists():
        return lib_dir
    target = sorted(lib_dir.glob("libcurand.so.*"))[0]
    folder = Path(cache_dir) / "cuda-lib"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "libcurand.so"
    if not link.exists() or link.resolve() != target.resolve():
        tmp = folder / f".libcurand.so.{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(target)
        os.replace(tmp, link)
    return folder


def _cuda_path(nvcc):
    """The CUDA installation: ``$CUDA_PATH``, ``/usr/local/cuda`` or nvcc's parent folder."""
    for candidate in (os.environ.get("CUDA_PATH"), "/usr/local/cuda"):
        if candidate and (Path(candidate) / "bin" / "nvcc").exists():
            return str(Path(candidate).resolve())
    return str(Path(nvcc).resolve().parent.parent)


def configure_cuda(options):
    """Import brian2cuda and set its preferences (before ``set_device('cuda_standalone')``).

    Parameters
    ----------
    options : dict
        ``build_only`` (no GPU: skip detection), ``compute_capability`` (float, default 9.0
        when building only), ``gpu_id``, ``cache_dir`` (where the curand link folder goes).
    """
    try:
        import brian2cuda  # noqa: F401  (registers the device and its preferences)
    except ImportError:
        raise BuildError("cuda_standalone needs brian2cuda: pip install -e '.[cuda]'",
                         "(none)") from None
    import brian2

    nvcc = shutil.which("nvcc")
    if nvcc is None:
        raise BuildError("cuda_standalone needs the CUDA compiler nvcc on the PATH", "(none)")
    prefs = brian2.prefs
    backend = prefs.devices.cuda_standalone.cuda_backend
    backend.cuda_path = _cuda_path(nvcc)
    backend.extra_compile_args_nvcc = ["-w", "-use_fast_math", "-std=c++17"]
    prefs.codegen.cpp.extra_compile_args_gcc = [
        flag for flag in prefs.codegen.cpp.extra_compile_args_gcc
        if not flag.startswith("-std=")] + ["-std=c++17"]
    if options.get("build_only"):
        backend.detect_gpus = False
        backend.gpu_id = int(options.get("gpu_id", 0))
        backend.compute_capability = float(options.get("compute_capability",
                                                       DEFAULT_COMPUTE_CAPABILITY))
    elif "compute_capability" in options:
        backend.compute_capability = float(options["compute_capability"])
    dirs = curand_dirs()
    if dirs is not None:
        include, lib = dirs
        link_dir = _link_folder(lib, options.get("cache_dir") or Path.home() / ".cache"
                                / "bioneuro")
        prefs.codegen.cpp.include_dirs = list(prefs.codegen.cpp.include_dirs) + [str(include)]
        prefs.codegen.cpp.library_dirs = list(prefs.codegen.cpp.library_dirs) + [
            str(link_dir)]
        prefs.codegen.cpp.runtime_library_dirs = list(
            prefs.codegen.cpp.runtime_library_dirs) + [str(lib)]
