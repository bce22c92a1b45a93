"""Read a draft (.txt, .md or .eml) into text, regions with exact offsets, and context.

This layer only reads and splits text; it never parses language. Everything downstream
points at the draft through character offsets into `Draft.text`, and `Draft.locate` turns
an offset into the line and column the user sees in the file.

How `text` relates to the file:
  * .txt: `text` is the decoded file, character for character.
  * .md: the same, with markup characters replaced by spaces (same length, same lines).
  * .eml: the file's header block comes first, unchanged; then either the body as it stands in
    the file (other MIME parts blanked to spaces), or, when the body had to be decoded
    (base64, quoted-printable, HTML), the decoded body. An RFC 2047 subject is appended decoded.
`pieces` is the source map: the leading "file" piece has the file's own geometry; any
"decoded" piece after it has lines and columns of its own (see `locate`).
"""

from __future__ import annotations

import os
import re

from followup_lint.model.draft import DEFAULT_MAX_BYTES, FRONT_MATTER_KEYS, Draft, DraftError, Piece, line_starts
from followup_lint.model.text import Range, iter_lines, trim
from followup_lint.read.decode import check_readable, decode_bytes
from followup_lint.read.files import read_file_bytes, too_big
from followup_lint.read.frontmatter import _next_line_start, parse_front_matter
from followup_lint.read.markdown import blank_markdown
from followup_lint.read.regions import check_regions, split_regions

__all__ = [
    "Draft",
    "DraftError",
    "Piece",
    "read_path",
    "read_bytes",
    "read_file_bytes",
    "read_text",
    "FRONT_MATTER_KEYS",
]


def read_path(path: str | os.PathLike, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Draft:
    """Read a draft file; every failure is a DraftError with a one-line message."""
    draft = read_path_and_bytes(path, display, max_bytes)[1]
    if isinstance(draft, DraftError):
        raise draft
    return draft


def read_path_and_bytes(
    path: str | os.PathLike, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes | None, Draft | DraftError]:
    """The bytes of a draft file (None when they could not be read) and the draft read from
    them, or the DraftError that says why not. The results cache keys a report by the bytes,
    a report of bytes that are not a draft (binary, another encoding) included."""
    fs_path = os.fsdecode(os.fspath(path))
    shown = fs_path if display is None else display
    try:
        if os.path.isdir(fs_path):
            raise DraftError(shown, "is a directory, not a draft file")
        data = read_file_bytes(fs_path, shown, max_bytes)
    except DraftError as exc:
        return None, exc
    try:
        return data, read_bytes(data, shown, format=format_for(fs_path), max_bytes=max_bytes)
    except DraftError as exc:
        return data, exc


def read_bytes(data: bytes, path: str, *, format: str | None = None, max_bytes: int | None = None) -> Draft:
    """Read a draft from bytes; the format follows the suffix of `path` unless given."""
    fmt = format or format_for(path)
    if max_bytes is not None and len(data) > max_bytes:
        raise DraftError(path, too_big(max_bytes))
    if fmt == "eml":
        from followup_lint.read.eml import read_eml  # imported here: eml builds on this module

        return read_eml(data, path)
    text, encoding, notes = decode_bytes(data)
    return _read_plain(text, path, fmt, encoding, notes)


def read_text(text: str, path: str = "<text>", *, format: str | None = None) -> Draft:
    """Read a draft that is already text (an editor buffer, a rule example)."""
    fmt = format or format_for(path)
    if fmt == "eml":
        return read_bytes(text.encode("utf-8", "replace"), path, format="eml")
    notes: list[str] = []
    if _SURROGATE.search(text):
        # A str from Python or an editor can hold lone surrogates, which are not text (and
        # which spaCy cannot encode): each becomes U+FFFD, so every offset stays the same.
        count = len(_SURROGATE.findall(text))
        text = _SURROGATE.sub("\ufffd", text)
        notes.append(f"{count} lone surrogate code point(s) (not valid Unicode) were read as U+FFFD")
    return _read_plain(text, path, fmt, "utf-8", notes)


_SURROGATE = re.compile("[\ud800-\udfff]")


def format_for(path: str) -> str:
    suffix = os.path.splitext(str(path))[1].lower()
    return {".eml": "eml", ".md": "md", ".markdown": "md"}.get(suffix, "txt")


def _read_plain(raw: str, path: str, fmt: str, encoding: str, notes: list[str]) -> Draft:
    check_readable(raw, path)
    starts = line_starts(raw)
    regions: dict[str, list[Range]] = {}
    front_matter, fm_lines, fm_range, body_start = parse_front_matter(raw, path, starts, notes)
    if fm_range:
        regions["front-matter"] = [fm_range]
    text = blank_markdown(raw, body_start) if fmt == "md" else raw
    headers: dict[str, str] = {}
    subject = subject_line(text, body_start)
    if subject:
        label, value, body_start = subject
        regions["headers"] = [label]
        headers["subject"] = text[value[0] : value[1]] if value else ""
        if value:
            regions["subject"] = [value]
    regions.update(split_regions(text, body_start))
    check_regions(regions, path)
    return Draft(
        path=path,
        format=fmt,
        text=text,
        regions=regions,
        front_matter=front_matter,
        front_matter_lines=fm_lines,
        headers=headers,
        notes=notes,
        encoding=encoding,
        file_text=raw if text != raw else None,
    )


_SUBJECT = re.compile(r"[ \t]*(subject:)", re.I)


def subject_line(text: str, start: int) -> tuple[Range, Range | None, int] | None:
    """A "Subject: …" first line: (label range, value range or None, where the rest begins)."""
    for s, e in iter_lines(text, start):
        if not text[s:e].strip():
            continue
        m = _SUBJECT.match(text, s, e)
        if not m:
            return None
        label = (m.start(1), m.end(1))
        return label, trim(text, m.end(1), e), _next_line_start(text, e)
    return None
