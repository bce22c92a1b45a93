"""Offsets and lines in a draft's text. Line breaks are \r\n, \r or \n (as editors count them);
ranges are (start, end) code-point offsets, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Range = tuple[int, int]


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def iter_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[Range]:
    """Yield (start, end) of each line in text[start:end], without its line break."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        m = LINE_BREAK.search(text, pos, end)
        if m is None:
            yield pos, end
            return
        yield pos, m.start()
        pos = m.end()


def blank_out(text: str) -> str:
    """The same text with every character but line breaks turned into a space.

    Used to hide markup or MIME scaffolding while keeping every offset, line and column.
    """
    return re.sub(r"[^\r\n]", " ", text)


def trim(text: str, start: int, end: int) -> Range | None:
    """Shrink [start, end) to exclude surrounding whitespace; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
