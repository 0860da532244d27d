"""The C heap's share of the 1.5 GB budget (issue 15): fewer malloc arenas, and freed memory
handed back after each turn.

glibc gives every thread that contends for the heap an arena of its own (up to 8 per core) and
keeps freed memory in them for reuse. The voice loop's threads (recognition, two voices, Qwen,
the executor) each left tens of MB behind: with two arenas and a trim after each turn, the voice
process held about 70 MB less after a dozen turns. Elsewhere than glibc both calls do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)
ARENAS = 2


@functools.cache
def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both are glibc's; musl and macOS lack them
    except (OSError, AttributeError, TypeError):
        return None
    return libc


def limit_arenas(n: int = ARENAS) -> bool:
    """Before the model threads start: later threads share `n` arenas. True if it took effect."""
    libc = _libc()
    return bool(libc and libc.mallopt(M_ARENA_MAX, n))


def trim() -> bool:
    """Give the heap's free pages back to the system (a few ms). True if any were released."""
    libc = _libc()
    return bool(libc and libc.malloc_trim(0))


MADV_DONTNEED = 4  # madvise's advice number (sys/mman.h, Linux)


def drop_file_pages(path: str) -> int:
    """Drop from this process the resident pages of every clean mapping of `path`; returns the MB
    of mappings so advised.

    llama.cpp maps the GGUF with MAP_POPULATE, so all of it is resident at once, though a
    decision never reads most of the token-embedding table (one row per token said): the Qwen
    file went from 462 to 396 MB resident over 40 requests (2026-12-03, Xeon). Chromium's
    library (QtWebEngineCore) keeps the code it ran once at start-up. The pages stay in the
    page cache and come back on first use, so only the RSS changes. A mapping with a page of
    its own (written, or relocated like a library's RELRO) is left alone: dropping such a page
    would lose the change. Linux only; elsewhere 0.
    """
    libc = _libc()
    if libc is None:
        return 0
    real = os.path.realpath(path)
    try:
        with open("/proc/self/smaps", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return 0
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    mappings: list[list] = []  # [start, end, clean]
    for line in lines:
        fields = line.split()
        if not fields[0].endswith(":"):  # a mapping's header line
            match = len(fields) >= 6 and fields[5] == real and "w" not in fields[1]
            start, end = (int(x, 16) for x in fields[0].split("-"))
            mappings.append([start, end, match])
        elif fields[0] == "Anonymous:" and int(fields[1]) and mappings:
            mappings[-1][2] = False
    dropped = 0
    for start, end, clean in mappings:
        if clean and libc.madvise(start, end - start, MADV_DONTNEED) == 0:
            dropped += end - start
    return dropped >> 20


def mapped_file(prefix: str) -> str | None:
    """The path of a file this process maps whose name starts with `prefix` (a library), or None."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            for line in f:
                fields = line.split(maxsplit=5)
                if len(fields) == 6 and os.path.basename(fields[5].strip()).startswith(prefix):
                    return fields[5].strip()
    except OSError:
        pass
    return None
