"""Read an .eml file (RFC 822 / MIME) into a Draft.

The analysed text always starts with the file's own header block, unchanged, so headers keep
their file lines. What follows depends on the body:

* verbatim: the chosen text/plain part is 7bit/8bit/binary and stands as-is in the file. Then
  `text` is the whole file (decoded with the part's charset) with everything that is neither
  the top header block nor that part blanked to spaces: one "file" piece, true lines/columns.
* decoded: base64, quoted-printable, HTML, or a part not found as-is. Then `text` is the header
  block followed by the decoded body, a "decoded" piece whose lines count from its own start.

An RFC 2047 encoded subject cannot be pointed at in the file, so its decoded value is appended
at the end as one more decoded piece (the encoded form stays in the `headers` region).
Malformed MIME never raises: the best text available is used, with a note.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser

from followup_lint.model.draft import Draft, DraftError, Piece, line_starts
from followup_lint.model.text import LINE_BREAK, Range, blank_out, iter_lines, trim
from followup_lint.read.decode import decode_bytes
from followup_lint.read.regions import check_regions, split_regions

VERBATIM_ENCODINGS = ("", "7bit", "8bit", "binary")
HEADER_NAMES = ("subject", "date", "from", "to")


@dataclass
class Body:
    """The text chosen to be the message body, and how it was stored in the file."""

    text: str
    kind: str  # "plain" | "html" | "raw" (MIME structure unusable: the raw body)
    cte: str  # Content-Transfer-Encoding, lower case; "" when absent
    charset: str
    encoded: str = ""  # the part's payload as written in the file (to find its line)


# The email package's header parser is superlinear in a field's length (a 700 KB subject
# of encoded-words took over 6 GB) and recursive in MIME nesting. It is given a copy of
# the file whose header fields are cut to HEADER_FIELD_LIMIT characters (at most
# HEADER_FIELDS of them); the draft's text keeps the header block as written.
HEADER_FIELD_LIMIT = 4_000
HEADER_FIELDS = 500
# Multipart declarations past which the MIME structure is not parsed (a real email has a
# handful; 1,000 nested ones exhausted the email package's recursion).
MULTIPART_LIMIT = 100
_MULTIPART = re.compile(rb"(?i)multipart/")
# Lines of a folded Subject read as the subject (a real one has two or three).
SUBJECT_LINES = 20
# Quote levels an HTML body's nested <blockquote>s are written with ("> " each).
HTML_QUOTE_DEPTH = 10


def read_eml(data: bytes, path: str) -> Draft:
    _refuse_unreadable(data, path)
    notes: list[str] = []
    parsable = _cap_headers(data, notes)
    body_notes: list[str] = []
    try:
        if len(_MULTIPART.findall(parsable, 0, 1 << 20)) > MULTIPART_LIMIT:
            raise RecursionError  # the email package recurses once per level, slowly
        msg = email.message_from_bytes(parsable, policy=email.policy.default)
        headers = header_values(msg, notes)
        body = find_body(msg, data, body_notes)
        notes.extend(defect_notes(msg))  # after decoding the body: damaged base64 is found then
    except RecursionError:  # MIME parts nested hundreds deep
        headers, body, body_notes = _raw_fallback(parsable, notes)
    notes.extend(body_notes)

    in_place = body is not None and body.kind != "html" and body.cte in VERBATIM_ENCODINGS
    built = (_build_verbatim(data, body) if in_place else None) or _build_decoded(data, body)
    text, raw, encoding, pieces, header_end, body_range = built

    subject, text, pieces = _subject(text, pieces, header_end, headers.get("subject", ""))
    regions: dict[str, list[Range]] = {}
    header_ranges = _subtract(text, (0, header_end), subject)
    if header_ranges:
        regions["headers"] = header_ranges
    if subject:
        regions["subject"] = subject
    regions.update(split_regions(text, *body_range))
    check_regions(regions, path)
    return Draft(
        path=path,
        format="eml",
        text=text,
        regions=regions,
        headers=headers,
        notes=notes,
        pieces=pieces,
        encoding=encoding,
        file_text=raw if raw != text else None,
    )


def _cap_headers(data: bytes, notes: list[str]) -> bytes:
    """`data` with each header field cut to HEADER_FIELD_LIMIT characters and at most
    HEADER_FIELDS fields, for the email package to parse (notes say what was cut)."""
    raw = data.decode("latin-1")
    header_end, body_start = header_block(raw)
    if header_end <= HEADER_FIELD_LIMIT:
        return data
    fields: list[list[str]] = []
    for line in LINE_BREAK.split(raw[:header_end]):
        if fields and line[:1] in (" ", "\t"):
            fields[-1].append(line)
        else:
            fields.append([line])
    out = []
    for field in fields[:HEADER_FIELDS]:
        text = "\n".join(field)
        if len(text) > HEADER_FIELD_LIMIT:
            name = text.split(":", 1)[0][:40]
            notes.append(
                f"the {name} header is {len(text):,} characters long; only its first {HEADER_FIELD_LIMIT:,} were read"
            )
            text = text[:HEADER_FIELD_LIMIT].rstrip("\r\n")
        out.append(text)
    if len(fields) > HEADER_FIELDS:
        notes.append(f"the email has {len(fields):,} header fields; only the first {HEADER_FIELDS} were read")
    return ("\n".join(out) + "\n" + raw[header_end:].lstrip(" \t")).encode("latin-1")


def _raw_fallback(parsable: bytes, notes: list[str]):
    """Headers and body when the MIME structure is too deep for the email package."""
    raw = parsable.decode("latin-1")
    _, body_start = header_block(raw)
    try:
        headers = header_values(email.message_from_bytes(parsable[:body_start], policy=email.policy.default), notes)
    except RecursionError:
        headers = {name: "" for name in HEADER_NAMES}
    text, encoding, _ = decode_bytes(parsable)
    body_notes = ["the email's MIME parts are nested too deep (or too many) to read; its raw body was read as text"]
    return headers, Body(text[header_block(text)[1] :], "raw", "", encoding), body_notes


def _refuse_unreadable(data: bytes, path: str) -> None:
    # Attachments may hold any bytes; a real email's header block never holds a NUL.
    _, body_start = header_block(data.decode("latin-1"))
    if b"\x00" in (data[:body_start] if body_start else data):
        raise DraftError(path, "binary file, not a draft (it contains NUL bytes)")
    if not decode_bytes(data, detect=False)[0].strip():
        raise DraftError(path, "empty draft: nothing to check")


# --- header block ------------------------------------------------------------------------------

_HEADER_FIELD = re.compile(r"[!-9;-~]+:")  # a field name is printable ASCII but ":"


def header_block(raw: str) -> tuple[int, int]:
    """(end of the last header line, start of the body) in the raw file text.

    The block ends at the first empty line, or at the first line that is not a header (a
    missing separator, which the email package tolerates too).
    """
    pos, last_end, first = 0, 0, True
    while pos < len(raw):
        m = LINE_BREAK.search(raw, pos)
        end, after = (m.start(), m.end()) if m else (len(raw), len(raw))
        line = raw[pos:end]
        if not line.strip():
            return last_end, after
        continuation = line[0] in " \t" and not first
        if not (_HEADER_FIELD.match(line) or continuation or (first and line.startswith("From "))):
            return last_end, pos
        last_end, pos, first = end, after, False
    return last_end, len(raw)


def header_values(msg: Message, notes: list[str]) -> dict[str, str]:
    """Subject, Date, From, To as decoded strings ("" when absent)."""
    values: dict[str, str] = {}
    for name in HEADER_NAMES:
        try:
            value = msg.get(name)
            values[name] = "" if value is None else str(value)
        except Exception:  # the header parser has choked on odd input before; never crash on it
            raw = next((v for k, v in msg.raw_items() if k.lower() == name), "")
            values[name] = " ".join(str(raw).split())
            notes.append(f"the {name.title()} header could not be decoded; read as written")
    values["subject"] = " ".join(values["subject"].split())  # one line, whatever it held
    return values


def defect_notes(msg: Message) -> list[str]:
    """One note naming the MIME problems the parser worked around, if any."""
    found: list[str] = []
    for part in msg.walk():
        for defect in part.defects:
            name = type(defect).__name__
            if name == "MultipartInvariantViolationDefect":
                continue  # a consequence of another defect, not news to the user
            words = re.sub(r"(?<!^)(?=[A-Z])", " ", name.removesuffix("Defect")).lower()
            if words not in found:
                found.append(words)
    return [f"malformed MIME: {', '.join(found)}"] if found else []


# --- choosing and decoding the body ------------------------------------------------------------


def choose_part(msg: Message) -> tuple[Message | None, str]:
    """The first text/plain part that is not an attachment, else the first text/html one."""
    html = None
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            return part, "plain"
        if ctype == "text/html" and html is None:
            html = part
    return (html, "html") if html is not None else (None, "")


def find_body(msg: Message, data: bytes, notes: list[str]) -> Body | None:
    part, kind = choose_part(msg)
    if part is None and msg.get_content_maintype() == "multipart" and not msg.is_multipart():
        # Declared multipart, but the parser found no parts: the boundary is missing or wrong.
        part, kind = _salvage_parts(data)
        if part is None:
            raw, encoding, _ = decode_bytes(data)
            notes.append("could not find the email's MIME parts; its raw body was read as text")
            return Body(raw[header_block(raw)[1] :], "raw", "", encoding)
        notes.append("found the email's parts by their boundary lines (the declared boundary is missing or wrong)")
    if part is None:
        notes.append("this email has no text part: nothing to check but its headers")
        return None
    text, charset = part_text(part, notes)
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    try:
        encoded = part.get_payload()
    except Exception:  # e.g. a NUL inside the charset name of an 8-bit part (found by fuzzing)
        encoded = ""
    if kind == "html":
        text = html_to_text(text)
        notes.append("HTML-only email reduced to text")
    return Body(text, kind, cte, charset, encoded if isinstance(encoded, str) else "")


_BOUNDARY_LINE = re.compile(rb"^--([^\s\"]+?)(?:--)?[ \t]*\r?$", re.M)


def _salvage_parts(data: bytes) -> tuple[Message | None, str]:
    """Parse the body again with the boundary its own "--xyz" lines use."""
    body = data[header_block(data.decode("latin-1"))[1] :]
    m = _BOUNDARY_LINE.search(body)
    if not m:
        return None, ""
    fixed = b'Content-Type: multipart/mixed; boundary="' + m.group(1) + b'"\r\n\r\n' + body
    return choose_part(email.message_from_bytes(fixed, policy=email.policy.default))


def part_text(part: Message, notes: list[str]) -> tuple[str, str]:
    """(decoded text, charset) of a leaf part; undecodable bytes are replaced, with a note."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: keep what is there
        payload = None
    if not isinstance(payload, bytes):
        payload = str(part.get_payload()).encode("utf-8", "replace")
    charset = _charset(part, notes)
    try:
        return payload.decode(charset), charset
    except UnicodeDecodeError:
        notes.append(f"the email body is not valid {charset}; undecodable bytes were replaced")
        return payload.decode(charset, "replace"), charset


def _charset(part: Message, notes: list[str]) -> str:
    declared = part.get_content_charset()
    # "us-ascii" (or nothing) is often 8-bit text in practice; UTF-8 reads ASCII the same.
    if declared in (None, "us-ascii", "ascii", "ansi_x3.4-1968"):
        return "utf-8"
    try:
        b"".decode(declared)  # also refuses codecs that are not text encodings
        return codecs.lookup(declared).name
    except (LookupError, ValueError):
        notes.append(f"unknown charset {declared!r} in the email; read as UTF-8")
        return "utf-8"


# --- building the analysed text ----------------------------------------------------------------


def _build_verbatim(data: bytes, body: Body):
    """The file itself, blanked outside the header block and the body; None if not found as-is."""
    raw = data.decode(body.charset, "replace")
    header_end, body_start = header_block(raw)
    pos = _find_as_is(raw, body.text, body_start)
    if pos is None:
        return None
    end = pos + len(body.text)
    text = raw[:header_end] + blank_out(raw[header_end:pos]) + raw[pos:end] + blank_out(raw[end:])
    return text, raw, body.charset, [Piece(0, len(text))], header_end, (pos, end)


def _find_as_is(raw: str, body: str, start: int) -> int | None:
    """Where the body stands in the file: at the body start or just after a blank line."""
    if not body.strip():
        return None
    pos = raw.find(body, start)
    while pos >= 0:
        if pos == start or _after_blank_line(raw, pos):
            return pos
        pos = raw.find(body, pos + 1)
    return None


def _after_blank_line(raw: str, pos: int) -> bool:
    """Whether pos begins a line and the line before it is empty (a MIME part's body start)."""
    before = raw[max(pos - 4, 0) : pos]
    m = re.search(r"(?:\r\n|\r|\n)\Z", before)
    if not m:
        return False
    return re.search(r"(?:\r\n|\r|\n)\Z", before[: m.start()]) is not None


def _build_decoded(data: bytes, body: Body | None):
    """The file's header block, then the decoded body as a piece of its own."""
    raw, encoding, _ = decode_bytes(data, detect=False)  # the body is decoded already
    header_end, body_start = header_block(raw)
    text = raw[:body_start]
    if text and text[-1] not in "\r\n":
        text += "\n"  # a decoded piece must begin a line of its own
    pieces = [Piece(0, len(text))]
    if body is None or not body.text.strip():
        return text, raw, encoding, pieces, header_end, (len(text), len(text))
    start = len(text)
    text += body.text if body.text[-1:] in ("\r", "\n") else body.text + "\n"
    if body.kind == "html":
        source = "HTML body"
    elif body.cte in ("base64", "quoted-printable"):
        source = f"{body.cte} body"
    else:
        source = "decoded body"  # a plain part that could not be found as-is in the file
    pieces.append(Piece(start, len(text), source, _file_line(raw, body.encoded, body_start)))
    return text, raw, encoding, pieces, header_end, (start, start + len(body.text))


def _file_line(raw: str, encoded: str, start: int) -> int | None:
    """The file line where an encoded payload begins, found by its first line."""
    first = next((raw_line for raw_line in re.split(r"\r\n|\r|\n", encoded) if raw_line.strip()), "")
    pos = raw.find(first, start) if first else -1
    return None if pos < 0 else len(line_starts(raw[:pos]))


_SUBJECT_HEADER = re.compile(r"subject:[ \t]*", re.I)
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?")


def _subject(text: str, pieces: list[Piece], header_end: int, decoded: str):
    """Subject ranges: the value as written in the header, or a decoded piece at the end."""
    spans = list(iter_lines(text, 0, header_end))
    for index, (s, e) in enumerate(spans):
        m = _SUBJECT_HEADER.match(text, s, e)
        if not m:
            continue
        lines = [(m.end(), e)]
        for s2, e2 in spans[index + 1 :]:  # folded continuation lines
            if text[s2:e2][:1] not in (" ", "\t") or len(lines) >= SUBJECT_LINES:
                break
            lines.append((s2, e2))
        if not any(_ENCODED_WORD.search(text, a, b) for a, b in lines):
            return [r for r in (trim(text, a, b) for a, b in lines) if r], text, pieces
        if not decoded.strip():
            return [], text, pieces
        return _append_subject(text, pieces, decoded, len(line_starts(text[:s])))
    return [], text, pieces


def _append_subject(text: str, pieces: list[Piece], decoded: str, file_line: int):
    last = pieces[-1]
    if text and text[-1] not in "\r\n":
        text += "\n"
        pieces = pieces[:-1] + [Piece(last.start, len(text), last.source, last.file_line)]
    start = len(text)
    text += decoded
    pieces = pieces + [Piece(start, len(text), "RFC 2047 subject", file_line)]
    return [trim(text, start, len(text))], text, pieces


def _subtract(text: str, block: Range, holes: list[Range]) -> list[Range]:
    """The block's trimmed ranges once the holes (subject value) are cut out of it."""
    out, pos = [], block[0]
    for s, e in sorted(h for h in holes if block[0] <= h[0] < block[1]):
        out.append((pos, s))
        pos = e
    out.append((pos, block[1]))
    return [r for r in (trim(text, s, e) for s, e in out) if r]


# --- HTML ----------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "table",
    "hr",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
    "address",
}
_SKIP_TAGS = {"script", "style", "head", "title", "template"}


class _HTMLText(HTMLParser):
    """Collects the readable text of an HTML body, one line per block; quotes get "> "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current = ""
        self.current_quote = 0
        self.quote = self.skip = self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.newline()
        self.quote += tag == "blockquote"
        self.pre += tag == "pre"

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(self.skip - 1, 0)
        elif tag in _BLOCK_TAGS and tag not in ("br", "hr"):
            self.newline()
            if tag == "p":
                self.lines.append("")  # a paragraph ends with a blank line, as in plain text
        self.quote = max(self.quote - (tag == "blockquote"), 0)
        self.pre = max(self.pre - (tag == "pre"), 0)

    def handle_data(self, data):
        if self.skip:
            return
        chunks = re.split(r"\r\n|\r|\n", data) if self.pre else [re.sub(r"\s+", " ", data)]
        for i, chunk in enumerate(chunks):
            if i:
                self.newline()
            if not self.current:
                chunk = chunk.lstrip()
                self.current_quote = self.quote
            self.current += chunk

    def newline(self) -> None:
        line = self.current.rstrip()
        self.lines.append("> " * min(self.current_quote, HTML_QUOTE_DEPTH) + line if line else "")
        self.current = ""


def html_to_text(html: str) -> str:
    try:
        text = _parse_html(html)
    except Exception:  # html.parser asserts on some broken declarations ("<![e ", found by fuzzing)
        try:
            text = _parse_html(html.replace("<!", "&lt;!"))
        except Exception:
            text = re.sub(r"<[^>]*>", " ", html)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _parse_html(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    parser.newline()
    return "\n".join(parser.lines)
