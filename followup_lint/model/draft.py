"""A draft as read: its text, where each piece of it came from in the file, its regions and
front matter. `Draft.locate` turns an offset into the 1-based line and column of the file.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from followup_lint.model.text import LINE_BREAK, Range

FRONT_MATTER_KEYS = (
    "kind",
    "interview_date",
    "send_date",
    "reply_promised_by",
    "setting",
    "interviewer",
    "company",
    "role",
    "ignore",
)


DEFAULT_MAX_BYTES = 1_000_000


class DraftError(Exception):
    """A draft that cannot be read. str(e) is one line: what is wrong and what to do."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = " ".join(str(message).split())  # one line, whatever the cause said
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"

    def __reduce__(self):
        # survive pickling (a CLI may read files in worker processes)
        return type(self), (self.path, self.message, self.line)


@dataclass(frozen=True)
class Piece:
    """A stretch of `Draft.text` and where it came from.

    source == "file": the text has the file's own lines and columns (offset i of `text` is
    offset i of the decoded file). Anything else names what was decoded ("base64 body",
    "quoted-printable body", "HTML body", "RFC 2047 subject"); its lines count from 1 at
    `start`, and `file_line` is where its encoded form begins in the file, when known.
    """

    start: int
    end: int
    source: str = "file"
    file_line: int | None = None

    @property
    def decoded(self) -> bool:
        return self.source != "file"


def line_starts(text: str) -> list[int]:
    """Offsets where each line begins; "\\n", "\\r\\n" and a lone "\\r" end a line."""
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]


@dataclass
class Draft:
    """A draft read and split: the text to analyse, its regions, and what the file said.

    `regions` maps a region name to sorted, non-overlapping [start, end) ranges in `text`,
    trimmed of whitespace; no two regions overlap. Build a Draft with `read_*`; treat it as
    read-only afterwards (`region_of` uses an index made at construction).
    """

    path: str
    format: str
    text: str
    regions: dict[str, list[Range]] = field(default_factory=dict)
    front_matter: dict = field(default_factory=dict)
    front_matter_lines: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Source map; empty means the whole text is one "file" piece.
    pieces: list[Piece] = field(default_factory=list)
    # How the file's bytes were decoded ("utf-8", "utf-8-sig", "utf-16", "cp1252", a MIME charset…).
    encoding: str = "utf-8"
    # The whole decoded file, when `text` differs from it (markdown, .eml).
    file_text: str | None = None

    def __post_init__(self) -> None:
        if not self.pieces:
            self.pieces = [Piece(0, len(self.text))]
        self._starts = line_starts(self.text)
        self._piece_starts = [p.start for p in self.pieces]
        flat = sorted((s, e, name) for name, ranges in self.regions.items() for s, e in ranges)
        self._region_index = flat
        self._region_starts = [s for s, _, _ in flat]

    @property
    def raw(self) -> str:
        """The whole decoded file, line endings untouched (no BOM)."""
        return self.text if self.file_text is None else self.file_text

    def locate(self, offset: int) -> tuple[int, int, bool]:
        """(line, column, decoded) of a text offset: 1-based, columns in code points.

        In a decoded piece, line and column count within that piece's decoded text.
        `offset == len(text)` is allowed (the end of a span at the end of the text).
        """
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} outside the draft text (0..{len(self.text)})")
        index = bisect_right(self._starts, offset) - 1
        piece = self.piece_at(offset)
        if not piece.decoded:
            return index + 1, offset - self._starts[index] + 1, False
        # Count lines from the piece's own start (a decoded piece always begins a line).
        first = bisect_right(self._starts, piece.start) - 1
        line_start = max(self._starts[index], piece.start)
        return index - first + 1, offset - line_start + 1, True

    def piece_at(self, offset: int) -> Piece:
        """The source-map piece an offset lies in (to say "in the base64 body from line 9")."""
        return self.pieces[max(bisect_right(self._piece_starts, offset) - 1, 0)]

    def region_text(self, name: str) -> str:
        return "\n".join(self.text[s:e] for s, e in self.regions.get(name, []))

    def region_of(self, offset: int) -> str | None:
        i = bisect_right(self._region_starts, offset) - 1
        if i >= 0:
            start, end, name = self._region_index[i]
            if start <= offset < end:
                return name
        return None
