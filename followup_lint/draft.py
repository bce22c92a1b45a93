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

import codecs
import errno
import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field

import yaml

from .regions import LINE_BREAK, Range, iter_lines, split_regions, trim

__all__ = ["Draft", "DraftError", "Piece", "read_path", "read_bytes", "read_text", "FRONT_MATTER_KEYS"]

FRONT_MATTER_KEYS = (
    "kind", "interview_date", "send_date", "reply_promised_by", "setting",
    "interviewer", "company", "role", "ignore",
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


# --- reading -------------------------------------------------------------------------------


def read_path(
    path: str | os.PathLike, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Draft:
    """Read a draft file; every failure is a DraftError with a one-line message."""
    fs_path = os.fsdecode(os.fspath(path))
    shown = fs_path if display is None else display
    if os.path.isdir(fs_path):
        raise DraftError(shown, "is a directory, not a draft file")
    try:
        with open(fs_path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # never slurp a huge file just to refuse it
            if len(data) > max_bytes:
                raise DraftError(shown, too_big(max_bytes, os.fstat(fh.fileno()).st_size))
    except FileNotFoundError:
        if os.path.islink(fs_path):
            target = os.readlink(fs_path)
            raise DraftError(shown, f"broken symbolic link: it points to {target}, which does not exist") from None
        raise DraftError(shown, "no such file; check the path") from None
    except PermissionError:
        raise DraftError(shown, "permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise DraftError(shown, "is a directory, not a draft file") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise DraftError(shown, "symbolic link loop (the links lead in a circle); check where it points") from None
        raise DraftError(shown, f"cannot read the file: {e.strerror or e}") from None
    return read_bytes(data, shown, format=format_for(fs_path), max_bytes=max_bytes)


def too_big(max_bytes: int, size: int | None = None) -> str:
    what = f"is {size:,} bytes, over" if size is not None and size > max_bytes else "is larger than"
    return (f"{what} the {max_bytes:,}-byte limit for a draft; is it the right file? "
            "(`max-file-size:` in the config raises the limit)")


def read_bytes(data: bytes, path: str, *, format: str | None = None, max_bytes: int | None = None) -> Draft:
    """Read a draft from bytes; the format follows the suffix of `path` unless given."""
    fmt = format or format_for(path)
    if max_bytes is not None and len(data) > max_bytes:
        raise DraftError(path, too_big(max_bytes))
    if fmt == "eml":
        from .eml import read_eml  # imported here: eml builds on this module

        return read_eml(data, path)
    text, encoding, notes = decode_bytes(data)
    return _read_plain(text, path, fmt, encoding, notes)


def read_text(text: str, path: str = "<text>", *, format: str | None = None) -> Draft:
    """Read a draft that is already text (an editor buffer, a rule example)."""
    fmt = format or format_for(path)
    if fmt == "eml":
        return read_bytes(text.encode("utf-8", "replace"), path, format="eml")
    return _read_plain(text, path, fmt, "utf-8", [])


def format_for(path: str) -> str:
    suffix = os.path.splitext(str(path))[1].lower()
    return {".eml": "eml", ".md": "md", ".markdown": "md"}.get(suffix, "txt")


def decode_bytes(data: bytes, detect: bool = True) -> tuple[str, str, list[str]]:
    """(text, encoding, notes): UTF-8 (BOM dropped), UTF-16/32 with a BOM, else a fallback.

    The fallback is Windows-1252, what Notepad and Outlook on a Western Windows save,
    unless charset detection finds the draft's other letters are all in one non-Latin
    script (Cyrillic, Greek, Japanese...). Detection alone guesses wrong on Western text
    more often than not, and Windows-1252 never reads Cyrillic; together they are right
    most often (bench/charset_fallback.py measures it). The note says which was used.
    """
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError:
                note = f"not valid {encoding.upper()}: damaged characters were replaced"
                return data.decode(encoding, "replace"), encoding, [note]
    utf16 = _utf16_without_bom(data)
    if utf16:
        text, encoding = utf16
        return text, encoding, [f"read as {encoding.upper()}: the file has no byte-order mark"]
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8-sig"
    try:
        return data.decode("utf-8"), encoding, []
    except UnicodeDecodeError as e:
        line = len(re.findall(rb"\r\n|\r|\n", data[: e.start])) + 1
    advice = "; if letters look wrong, save the file as UTF-8"
    detected = detect_script_encoding(data) if detect else None
    if detected:
        text, codec = detected
        return text, codec, [f"read as {encoding_name(codec)} (detected): not valid UTF-8 (line {line}){advice}"]
    try:
        return data.decode("cp1252"), "cp1252", [f"read as Windows-1252: not valid UTF-8 (line {line}){advice}"]
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        note = f"read as Latin-1: not valid UTF-8 or Windows-1252 (line {line}){advice}"
        return data.decode("latin-1"), "latin-1", [note]


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM (some Windows tools): text whose every other byte is NUL.

    Latin text in UTF-16 has a NUL in the high byte of almost every character and almost
    never in the low byte; binary data has NULs anywhere.
    """
    if b"\x00" not in data[:4096] or len(data) % 2:
        return None
    sample = data[:4096]
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for high, low, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if high >= units * 0.5 and low <= units * 0.01:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return (text, codec) if "\x00" not in text else None
    return None


_ENCODING_NAMES = {"cp932": "Shift_JIS (Windows-31J)", "shift_jis": "Shift_JIS", "shift_jis_2004": "Shift_JIS",
                   "euc_jis_2004": "EUC-JP", "cp949": "EUC-KR (Windows-949)", "big5": "Big5",
                   "big5hkscs": "Big5-HKSCS"}


def encoding_name(codec: str) -> str:
    """The name people know an encoding by: cp1251 -> Windows-1251, koi8-r -> KOI8-R."""
    if codec in _ENCODING_NAMES:
        return _ENCODING_NAMES[codec]
    if re.fullmatch(r"cp125\d", codec):
        return "Windows-" + codec[2:]
    return codec.upper().replace("_", "-").replace("ISO8859", "ISO-8859")
# Scripts a Western fallback cannot produce; Japanese mixes kanji and kana, Korean hangul and hanja.
_SCRIPT_FAMILY = {"CYRILLIC": "CYRILLIC", "GREEK": "GREEK", "ARABIC": "ARABIC", "HEBREW": "HEBREW",
                  "THAI": "THAI", "CJK": "EAST ASIAN", "HIRAGANA": "EAST ASIAN", "KATAKANA": "EAST ASIAN",
                  "HANGUL": "EAST ASIAN"}


def detect_script_encoding(data: bytes) -> tuple[str, str] | None:
    """(text, codec) when charset detection reads the non-ASCII letters as one non-Latin
    script; None otherwise (then Windows-1252 is the better guess)."""
    try:
        import charset_normalizer
    except ImportError:  # a core dependency, but never worth a crash: Windows-1252 stands
        return None
    import unicodedata

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    families = set()
    for ch in {c for c in text if ord(c) > 127 and c.isalpha()}:
        name = unicodedata.name(ch, "")
        families.add(next((f for prefix, f in _SCRIPT_FAMILY.items() if name.startswith(prefix)), "OTHER"))
    if len(families) != 1 or "OTHER" in families:
        return None
    try:
        codec = codecs.lookup(best.encoding).name
        if data.decode(codec) != text:  # what a fix would write back must read the same
            return None
    except (LookupError, UnicodeDecodeError):
        return None
    return text, codec


# Control characters no text editor writes (tab, line breaks and form feed are text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")
# spaCy's parser refuses longer texts (nlp.max_length); a region this long is not an email.
MAX_REGION_CHARS = 1_000_000


def check_readable(text: str, path: str) -> None:
    """Refuse what is not a draft at all: binary data, or nothing but whitespace."""
    if "\x00" in text:
        raise DraftError(path, "binary file, not a draft (it contains NUL bytes)")
    if not text.strip():
        raise DraftError(path, "empty draft: nothing to check")
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > 8 and controls > len(sample) * 0.05:
        raise DraftError(path, f"binary file, not a draft ({controls:,} control characters in its first "
                               f"{len(sample):,} characters)")


def check_regions(regions: dict, path: str) -> None:
    """Refuse a region too long to analyse, whatever the byte limit lets through."""
    for name, ranges in regions.items():
        for s, e in ranges:
            if e - s > MAX_REGION_CHARS:
                raise DraftError(path, f"the {name} is {e - s:,} characters long, more than the "
                                       f"{MAX_REGION_CHARS:,} followup-lint can analyse; is it the right file?")


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
        headers["subject"] = text[value[0]:value[1]] if value else ""
        if value:
            regions["subject"] = [value]
    regions.update(split_regions(text, body_start))
    check_regions(regions, path)
    return Draft(path=path, format=fmt, text=text, regions=regions, front_matter=front_matter,
                 front_matter_lines=fm_lines, headers=headers, notes=notes, encoding=encoding,
                 file_text=raw if text != raw else None)


# --- front matter ----------------------------------------------------------------------------

_FM_OPEN = re.compile(r"---[ \t]*$")
_FM_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*$")


def parse_front_matter(text: str, path: str, starts: list[int], notes: list[str]):
    """(mapping, key lines, region range or None, offset where the message begins).

    A first line "---" opens YAML front matter, a "---" or "..." line closes it. A block
    that never closes is read as text (with a note): a draft may open with a rule of dashes.
    """
    lines = iter_lines(text)
    first = next(lines, None)
    if first is None or not _FM_OPEN.match(text[first[0]:first[1]]):
        return {}, {}, None, 0
    yaml_start = _next_line_start(text, first[1])
    for s, e in lines:
        if _FM_CLOSE.match(text[s:e]):
            mapping, key_lines = _load_yaml(text, yaml_start, s, path, starts, notes)
            return mapping, key_lines, trim(text, first[0], e), _next_line_start(text, e)
    notes.append("the '---' on line 1 is never closed by another '---' line, "
                 "so it was read as text, not front matter")
    return {}, {}, None, 0


def _next_line_start(text: str, line_end: int) -> int:
    m = LINE_BREAK.match(text, line_end)
    return m.end() if m else line_end


def _line_at(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset)


def _load_yaml(text: str, start: int, end: int, path: str, starts: list[int], notes: list[str]):
    """Parse the YAML between the --- lines, remembering the file line of every key."""
    source = text[start:end]

    def line_of(index: int) -> int:
        return _line_at(starts, start + min(max(index, 0), len(source)))

    def fail(index: int, what: str):
        raise DraftError(path, f"front matter {what}; fix it or remove the --- block", line_of(index))

    loader = None
    try:
        try:
            loader = yaml.SafeLoader(source)  # checks for unprintable characters already
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            fail(mark.index if mark else 0, f"is not valid YAML: {e.problem or e.context}")
        except yaml.reader.ReaderError as e:
            fail(e.position, f"is not valid YAML: character {e.character!r} is not allowed")
        except (yaml.YAMLError, RecursionError) as e:
            fail(0, f"is not valid YAML: {type(e).__name__}")
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            kind = {yaml.SequenceNode: "a list"}.get(type(node), "a single value")
            fail(node.start_mark.index, f"must be a mapping of 'key: value' lines, not {kind}")
        return _construct_mapping(loader, node, line_of, fail, notes)
    finally:
        if loader is not None:
            loader.dispose()


def _construct_mapping(loader, node, line_of, fail, notes):
    mapping: dict = {}
    key_lines: dict = {}
    try:
        loader.flatten_mapping(node)  # resolves "<<" merge keys
    except yaml.YAMLError as e:
        fail(node.start_mark.index, f"is not valid YAML: {getattr(e, 'problem', None) or e}")
    for key_node, value_node in node.value:
        try:
            key = loader.construct_object(key_node, deep=True)
            hash(key)
        except (yaml.YAMLError, TypeError, ValueError, OverflowError, RecursionError):
            fail(key_node.start_mark.index, "has a key that is not a plain name")
        try:
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, TypeError, ValueError, OverflowError, RecursionError) as e:
            # e.g. "interview_date: 2024-02-30" looks like a date but is not one
            reason = getattr(e, "problem", None) or str(e) or type(e).__name__
            fail(value_node.start_mark.index, f"value for {key!r} is not valid: {reason}")
        line = line_of(key_node.start_mark.index)
        mapping[key] = value
        key_lines[key] = line
        if key not in FRONT_MATTER_KEYS:
            notes.append(f"unknown front-matter key {key!r} (line {line})")
    return mapping, key_lines


# --- Subject line (.txt / .md) -----------------------------------------------------------------

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


# --- Markdown ----------------------------------------------------------------------------------
# Markup becomes spaces of the same length, so offsets stay 1:1 with the file and the
# language layer sees prose. Blockquote ">" markers stay: in an email they mean a quoted thread.

_MD_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_MD_FENCE = re.compile(r"[ \t]{0,3}(?:`{3,}|~{3,})")
_MD_RULE = re.compile(r"[ \t]{0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
_MD_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})(?=\s|$)")
_MD_HEADING_CLOSE = re.compile(r"\s(#+)[ \t]*$")
_MD_BULLET = re.compile(r"[ \t]*([-*+])[ \t]+")
_MD_CODE = re.compile(r"(`+)(.+?)\1")
# Link text stops at another "[": tried from each "[" of a long run, a scan to the line's
# end made reading quadratic (a line of 200,000 "[" took minutes).
_MD_LINK = re.compile(r"(!?\[)([^\[\]\r\n]*)(\]\([^)\s]*(?:\s+\"[^\"\r\n]*\")?\))")
# "*", "_", "**", "___" that open (before a word) or close (after one), never inside a word.
_MD_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*_])")


def blank_markdown(text: str, start: int = 0) -> str:
    """The text with Markdown markup after `start` blanked to spaces (lines and lengths kept)."""
    chars = list(text)

    def blank(s: int, e: int) -> None:
        for k in range(s, e):
            if chars[k] not in "\r\n":
                chars[k] = " "

    for m in _MD_COMMENT.finditer(text, start):
        blank(*m.span())
    for s, e in iter_lines(text, start):
        line = text[s:e]
        if _MD_FENCE.match(line) or _MD_RULE.match(line):
            blank(s, e)
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            blank(s + heading.start(1), s + heading.end(1))
            closing = _MD_HEADING_CLOSE.search(line, heading.end())
            if closing:
                blank(s + closing.start(1), s + closing.end(1))
        bullet = _MD_BULLET.match(line)
        if bullet:
            blank(s + bullet.start(1), s + bullet.end(1))
        code: list[Range] = []
        for m in _MD_CODE.finditer(line):
            blank(s + m.start(1), s + m.end(1))
            blank(s + m.end(2), s + m.end())
            code.append(m.span())

        def in_code(i: int) -> bool:
            return any(a <= i < b for a, b in code)

        for m in _MD_LINK.finditer(line):
            if not in_code(m.start()):
                blank(s + m.start(1), s + m.end(1))
                blank(s + m.start(3), s + m.end(3))
        for m in _MD_EMPHASIS.finditer(line):
            if not in_code(m.start()):
                blank(s + m.start(), s + m.end())
    return "".join(chars)
