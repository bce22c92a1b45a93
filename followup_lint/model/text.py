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


# Characters a terminal acts on instead of showing: C0 and C1 controls, DEL, and the
# bidirectional overrides and isolates that reorder what is shown ("Trojan source"),
# plus lone surrogates, which cannot be written out at all.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: str, keep: str = "") -> str:
    """`text` safe to print on a terminal: control characters (escape sequences, line
    breaks, bidi overrides) shown as `\\x1b`, `\\n`, `\\u202e`, as git and ls show odd
    file names; the characters in `keep` are left alone. Ordinary text, including non-ASCII
    letters and emoji, is unchanged."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
