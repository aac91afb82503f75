"""Keeping memory down (issue 11: peak memory): the C heap's free pages given back to the
operating system (:func:`trim`), large intermediate data kept in a file (:func:`spill_file`).

Python's small objects live in arenas it maps and unmaps itself, but every larger buffer —
a photo's pixels, a stream, qpdf's and Pillow's own allocations — comes from the C
library's ``malloc``. When such buffers are freed, glibc keeps the pages for later
``malloc`` calls unless they sit at the very top of the heap; Python's arenas never reuse
them. So after rendering a 16-page issue about 10–15 MB stay resident that nothing will
use, and the verification that follows (millions of small objects, in new arenas) peaks
that much higher. :func:`trim` returns them (glibc ``malloc_trim(0)``; each thread's heap
too). Elsewhere (macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import sys


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim`` or None where the C library has none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_size_t,)
    function.restype = ctypes.c_int
    return function


def trim() -> bool:
    """Give the C heap's free pages back to the system; True when some memory was
    released, False when none was or the platform cannot (the process is unchanged)."""
    function = _malloc_trim()
    return bool(function(0)) if function is not None else False


def spill_file():
    """A binary file for data kept out of memory (a PDF draft, a page's streams): an unnamed
    temporary file, deleted when closed — or, when no temporary directory is usable, an
    in-memory buffer (the same results, the memory saving lost)."""
    import io
    import tempfile

    try:
        return tempfile.TemporaryFile(prefix="paperlayout-")
    except OSError:
        return io.BytesIO()
