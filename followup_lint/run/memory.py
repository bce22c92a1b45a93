"""Giving freed memory back to the system while a long run lints.

Each batch of drafts allocates and frees many small blocks (tokens, arrays, findings).
glibc's allocator keeps freed blocks for reuse but returns few of the pages to the system,
so a process linting 10,000 drafts grew by some 8 MB per 1,000 drafts while the memory it
still used grew by about 1 MB (bench/results.md). `malloc_trim(0)` hands the free pages
back in about 2 ms, but the next batch then faults its working memory in again: trimming
after every 32-draft batch cost 4-17% of the CPU, after every 512 drafts it is about 1%.
A process's peak is set by the largest batch it lints (language/parsed.py TOK2VEC_BATCH),
which a trim does not lower; the trim gives back what fragmentation kept between batches.
Where there is no such call (macOS, Windows, musl) nothing is done.
"""

from __future__ import annotations

# Drafts linted between two trims, as each process counts them. A run of fewer drafts (a
# pre-commit hook's) never trims.
EVERY = 512

_state: dict = {"since": 0, "trim": None}


def drafts_linted(count: int) -> None:
    """Note that `count` drafts were linted; give free memory back every EVERY drafts."""
    _state["since"] += count
    if _state["since"] < EVERY:
        return
    _state["since"] = 0
    trim = _state["trim"]
    if trim is None:
        trim = _state["trim"] = _find_trim()
    if trim:
        trim(0)


def _find_trim():
    """libc's malloc_trim, or False where the C library has none."""
    try:
        import ctypes

        return getattr(ctypes.CDLL(None), "malloc_trim", None) or False
    except (OSError, AttributeError, ImportError):
        return False
