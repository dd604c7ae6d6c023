"""Compile a generated cpp_standalone project quickly.

Brian2 writes one C++ file per code object (a network with 64 projections has ~330), and
each file spends most of its compile time parsing the same headers (the standard library,
``objects.h`` with every array declaration: ~67,000 lines). Before ``make`` runs, the project
is given

- a precompiled header ``bioneuro_pch.h`` holding those headers, included first by every
  code object (measured on a Potjans-Diesmann build: 0.96 s -> 0.49 s per file), and
- an empty ``make.deps``: the dependency scan (``g++ -MM`` over all files, serial, ~20 s for
  330 files) only serves incremental rebuilds, and a cached build directory is never rebuilt
  incrementally (its key changes with its code).

The generated code itself is unchanged; if the header cannot be precompiled, it is included
as an ordinary header and only the speed-up is lost.

`align_allocations` gives the binary an allocator that starts every block of 1 KiB or more
on a 64-byte (cache-line) boundary. With the C library's 16-byte alignment, where the
neuron and synapse arrays start within a cache line depends on the heap allocations made
before them, among them the strings of the command line: the same CUBA binary (Brette et
al. 2007, 4000 neurons) ran its 10 s between 0.70 and 0.76 s depending only on the length
of its results-folder path (period 32 characters, reproducible over repeats). Aligned, it
runs at the fast end whatever the path (a layout effect of the kind described by
Mytkowicz et al. 2009, Producing wrong data without doing anything obviously wrong!,
ASPLOS, doi:10.1145/1508244.1508275).

`keep_result_files` trims what the binary writes at its end: Brian2 writes every array
(for a network with per-synapse weights and delays, ~24 bytes per synapse: 7 GB per run of
the full-scale Potjans-Diesmann microcircuit), while a run reads only the arrays named in
its manifest.
"""

import re
import subprocess
import time
from pathlib import Path

from bioneuro.errors import BuildError

__all__ = ["make", "keep_result_files", "align_allocations", "PCH_HEADER", "ALLOCATION_SOURCE"]

PCH_HEADER = "bioneuro_pch.h"

_PCH_TEXT = """// bioneuro: headers shared by every code object, precompiled once per project
#include <algorithm>
#include <climits>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>
#include "objects.h"
#include "brianlib/common_math.h"
"""

_PCH_RULE = f"""
{PCH_HEADER}.gch: {PCH_HEADER}
\t$(CXX) $(CXXFLAGS) -x c++-header $< -o $@
"""


def _add_precompiled_header(build_dir):
    """Write the header and its make rule; include it first in every code object."""
    build_dir = Path(build_dir)
    if not (build_dir / "objects.h").exists() or not (build_dir / "makefile").exists():
        return False
    (build_dir / PCH_HEADER).write_text(_PCH_TEXT)
    makefile = build_dir / "makefile"
    text = makefile.read_text()
    if _PCH_RULE not in text:
        makefile.write_text(text + _PCH_RULE)
    include = f'#include "{PCH_HEADER}"\n'
    for source in sorted((build_dir / "code_objects").glob("*.cpp")):
        code = source.read_text()
        if not code.startswith(include):
            source.write_text(include + code)
    return True


ALLOCATION_SOURCE = "bioneuro_allocation.cpp"

#: bytes from which an allocation starts on a cache line (below: the C library's malloc)
ALIGNED_FROM = 1024
#: the alignment (bytes): one cache line of x86-64 and most ARM cores
CACHE_LINE = 64

_ALLOCATION_TEXT = f"""// bioneuro: the replaceable global allocation functions of the C++
// standard ([new.delete]); blocks of {ALIGNED_FROM} bytes or more start on a {CACHE_LINE}-byte
// cache line, so the arrays' placement within cache lines does not depend on earlier
// allocations
#include <cstdlib>
#include <new>

static void* bioneuro_allocate(std::size_t n) {{
    void* p = nullptr;
    if (n >= {ALIGNED_FROM}) {{
        if (posix_memalign(&p, {CACHE_LINE}, n) != 0)
            p = nullptr;
    }} else {{
        p = std::malloc(n ? n : 1);
    }}
    return p;
}}

static void* bioneuro_allocate_or_throw(std::size_t n) {{
    void* p = bioneuro_allocate(n);
    if (!p)
        throw std::bad_alloc();
    return p;
}}

void* operator new(std::size_t n) {{ return bioneuro_allocate_or_throw(n); }}
void* operator new[](std::size_t n) {{ return bioneuro_allocate_or_throw(n); }}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {{
    return bioneuro_allocate(n);
}}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {{
    return bioneuro_allocate(n);
}}
// posix_memalign's blocks are released by free, like malloc's
void operator delete(void* p) noexcept {{ std::free(p); }}
void operator delete[](void* p) noexcept {{ std::free(p); }}
void operator delete(void* p, const std::nothrow_t&) noexcept {{ std::free(p); }}
void operator delete[](void* p, const std::nothrow_t&) noexcept {{ std::free(p); }}
#if __cpp_sized_deallocation
void operator delete(void* p, std::size_t) noexcept {{ std::free(p); }}
void operator delete[](void* p, std::size_t) noexcept {{ std::free(p); }}
#endif
"""


def align_allocations(build_dir):
    """Compile `ALLOCATION_SOURCE` (cache-line aligned ``new``) into a generated project.

    Parameters
    ----------
    build_dir : path
        A generated, not yet compiled cpp_standalone project.

    Returns
    -------
    bool
        False (project unchanged) if its makefile has no ``SRCS =`` line.
    """
    build_dir = Path(build_dir)
    makefile = build_dir / "makefile"
    text = makefile.read_text() if makefile.exists() else ""
    if not re.search(r"^SRCS = ", text, re.M):
        return False
    (build_dir / ALLOCATION_SOURCE).write_text(_ALLOCATION_TEXT)
    if not re.search(rf"^SRCS = .*\b{re.escape(ALLOCATION_SOURCE)}\b", text, re.M):
        makefile.write_text(re.sub(r"^SRCS = ", f"SRCS = {ALLOCATION_SOURCE} ", text,
                                   count=1, flags=re.M))
    return True


def make(build_dir, jobs, precompile=True):
    """Compile the project in `build_dir` with ``make -j<jobs>``; return the wall time (s).

    `precompile` adds the precompiled header and skips the dependency scan (cpp_standalone
    projects; brian2cuda's nvcc projects are compiled as generated).

    Raises
    ------
    BuildError
        With the compiler's error lines and the build directory.
    """
    start = time.perf_counter()
    build_dir = Path(build_dir)
    if precompile and _add_precompiled_header(build_dir):
        # failure only costs the speed-up: the header still works as an ordinary include
        subprocess.run(["make", f"{PCH_HEADER}.gch"], cwd=build_dir, capture_output=True)
        (build_dir / "make.deps").write_text("")
    proc = subprocess.run(["make", f"-j{jobs}"], cwd=build_dir, capture_output=True, text=True)
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).strip()
        errors = [line for line in output.splitlines() if "error" in line.lower()]
        summary = "\n".join((errors or output.splitlines())[-20:])
        raise BuildError(f"compilation failed (make exit code {proc.returncode}):\n{summary}",
                         build_dir)
    return time.perf_counter() - start


_WRITE_ARRAYS = re.compile(r"^void _write_arrays\(\)\n\{\n(.*?)^\}\n", re.S | re.M)
_BLOCK_START = re.compile(r"^    ofstream outfile_\w+;$", re.M)
_FILENAME = re.compile(r'results_dir \+ "([^"]+)"')
_RUN_INFO = "last_run_info.txt"


def keep_result_files(build_dir, filenames, on_request=(), env="BIONEURO_FINAL_STATE"):
    """Make the binary of a cpp_standalone project write only `filenames` (and
    ``last_run_info.txt``) into its results folder, and `on_request` only when the
    environment variable `env` is set.

    Each array is written by one block of ``_write_arrays()`` in ``objects.cpp``, opening
    ``results_dir + "<file name>"``; the blocks of other files are removed, those of
    `on_request` run under ``if (getenv(env))``. The project is left unchanged (returns
    False) unless every file named has its block.

    Parameters
    ----------
    build_dir : path
        A generated, not yet compiled cpp_standalone project.
    filenames : collection of str
        Result files every run reads.
    on_request : collection of str
        Result files read by some runs only (e.g. the final state for a checkpoint).
    env : str
        Environment variable that requests `on_request`.
    """
    path = Path(build_dir) / "objects.cpp"
    code = path.read_text() if path.exists() else ""
    match = _WRITE_ARRAYS.search(code)
    if match is None:
        return False
    body = match.group(1)
    starts = [m.start() for m in _BLOCK_START.finditer(body)]
    if not starts:
        return False
    blocks = [body[a:b] for a, b in zip(starts, starts[1:] + [len(body)], strict=True)]
    always, optional = set(filenames) | {_RUN_INFO}, set(on_request) - set(filenames)
    kept, written = [], set()
    for block in blocks:
        name = _FILENAME.search(block)
        name = name.group(1) if name is not None else None
        if name in always:
            kept.append(block)
        elif name in optional:
            kept.append(f'    if (getenv("{env}")) {{\n{block}    }}\n')
        else:
            continue
        written.add(name)
    if not (always - {_RUN_INFO}) | optional <= written:
        return False
    new_body = body[:starts[0]] + "".join(kept)
    path.write_text("#include <cstdlib>\n" + code[:match.start(1)] + new_body +
                    code[match.end(1):])
    return True
