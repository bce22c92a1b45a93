"""Fixes: the edits a rule's `fix:` describes, and applying them to a draft's text.

A rule says how to fix what it finds (rules are data):

    fix: {replace: "when you have a moment", safe: false}       # forbid: swap the matched words
    fix: {replace: {gonna: going to, thx: thanks}, safe: true}  # ... per lower-cased match
    fix: {delete: sentence, safe: false}                        # forbid: drop the sentence (or `match`)
    fix: {insert: "Thank you ...[ about the {role} role].", safe: false}   # require: add what is missing

The engine turns one into a Finding's `fix` dict:

    {"title": "Replace 'gonna' with 'going to'", "safe": true,
     "edits": [{"start", "end", "line", "column", "end_line", "end_column", "replacement"}]}

`start`/`end` are offsets into the file's decoded text (`Draft.raw`), lines and columns are
1-based code points like a finding's. The CLI (`--fix`, `--diff`) and the language server
apply the same dicts. Safe fixes only swap words and keep the meaning; deleting a sentence
or inserting generated text is unsafe and needs `--unsafe-fixes` (or a click in the editor).
A fix is never built for text that had to be decoded (an .eml body in base64,
quoted-printable or HTML): it could not be written back.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
import tempfile
from dataclasses import dataclass

from .regions import LINE_BREAK, iter_lines

PLACEHOLDERS = ("interviewer", "company", "role", "interview_date")
_FIELD = re.compile(r"{(\w*)}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_SENTENCE_END = ".!?"


class TemplateError(ValueError):
    pass


# --- insert templates --------------------------------------------------------------------


def check_template(template: str) -> None:
    """Raise TemplateError unless every {name} is a context value and brackets pair up."""
    for name in _FIELD.findall(template):
        if name not in PLACEHOLDERS:
            raise TemplateError(f"uses {{{name}}}, which is not available (use one of: {', '.join(PLACEHOLDERS)})")
    flat = _OPTIONAL.sub("", template)
    if "[" in flat or "]" in flat:
        raise TemplateError("has an unpaired or nested [ ]; an optional part is one [ ... ] with no brackets inside")


def _values(ctx) -> dict:
    out = {k: getattr(ctx, k, None) for k in PLACEHOLDERS}
    day = out["interview_date"]
    # "on Tuesday, March 3": the weekday helps the reader place the conversation.
    out["interview_date"] = f"{day:%A}, {day:%B} {day.day}" if isinstance(day, dt.date) else None
    return {k: " ".join(str(v).split()) for k, v in out.items() if v is not None and str(v).strip()}


def render_template(template: str, values: dict) -> str | None:
    """Fill a template; a [part] whose values are not all known is left out. None when a
    value outside any [part] is unknown."""

    def optional(m):
        part = m.group(1)
        return part.format(**values) if all(n in values for n in _FIELD.findall(part)) else ""

    text = _OPTIONAL.sub(optional, template)
    if any(n not in values for n in _FIELD.findall(text)):
        return None
    return " ".join(text.format(**values).split())


# --- building a finding's fix ------------------------------------------------------------


def build(spec, hit, draft, ctx) -> dict | None:
    """The fix dict for one hit of a rule, or None (no fix, or text that cannot be edited)."""
    fix = hit.fix or spec.fix
    if not fix:
        return None
    text = draft.text
    if "insert" in fix:
        body = draft.regions.get("body")
        sentence = render_template(fix["insert"], _values(ctx))
        if not body or not sentence:
            return None
        if fix.get("at", "start") == "start":
            at, replacement = body[0][0], sentence + " "
        else:
            at = body[-1][1]
            replacement = (". " if text[at - 1].isalnum() else " ") + sentence
        return _fix(draft, fix, f"Add {_quote(sentence)}", [(at, at, replacement)])
    start, end = _trim(text, hit.start, hit.end)
    if start >= end:
        return None
    original = text[start:end]
    if "replace" in fix:
        wanted = fix["replace"]
        if isinstance(wanted, dict):
            wanted = {" ".join(k.lower().split()): v for k, v in wanted.items()}.get(" ".join(original.lower().split()))
            if wanted is None:
                return None
        at_start = (hit.sentence is not None and _trim(text, *hit.sentence)[0] == start) or _after_sentence_end(text, start)
        replacement = _cased(original, wanted, at_start)
        if replacement == original:
            return None
        return _fix(draft, fix, f"Replace {_quote(original)} with {_quote(replacement)}", [(start, end, replacement)])
    if fix["delete"] == "sentence":
        if hit.sentence is None:
            return None
        start, end = _trim(text, *hit.sentence)
        title = f"Remove the sentence {_quote(' '.join(text[start:end].split()))}"
    else:
        title = f"Remove {_quote(original)}"
    s, e = _deletion(text, start, end)
    return _fix(draft, fix, title, [(s, e, "")])


def _fix(draft, fix, title, spans) -> dict | None:
    edits = []
    for start, end, replacement in spans:
        if not _in_file(draft, start, end):
            return None
        line, column, _ = draft.locate(start)
        end_line, end_column, _ = draft.locate(end)
        edits.append({"start": start, "end": end, "line": line, "column": column, "end_line": end_line,
                      "end_column": end_column, "replacement": replacement})
    return {"title": fix.get("title") or title, "safe": bool(fix["safe"]), "edits": edits}


def _in_file(draft, start: int, end: int) -> bool:
    # Only text that stands in the file as it is can be written back.
    if end > len(draft.raw):
        return False
    return not draft.piece_at(start).decoded and not draft.piece_at(max(end - 1, start)).decoded


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _after_sentence_end(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'\u201c\u2018(":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _cased(original: str, replacement: str, sentence_start: bool) -> str:
    """"Gonna" -> "Going to"; "ASAP" mid-sentence -> "when you have a moment"."""
    if not replacement:
        return replacement
    acronym = len(original) > 1 and original.isupper()
    if sentence_start or (original[:1].isupper() and not acronym):
        return replacement[0].upper() + replacement[1:]
    return replacement


def _deletion(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so that removing it leaves tidy spacing and no empty line."""
    e = end
    while e < len(text) and text[e] in " \t":
        e += 1
    line_start = start
    while line_start > 0 and text[line_start - 1] in " \t":
        line_start -= 1
    at_line_start = line_start == 0 or text[line_start - 1] in "\r\n"
    at_line_end = e == len(text) or text[e] in "\r\n"
    if at_line_start and at_line_end:
        # The sentence was the whole line: remove the line, and a paragraph break with it
        # when the line was a paragraph of its own.
        m = LINE_BREAK.match(text, e)
        e = m.end() if m else e
        blank_before = line_start == 0 or _blank_line_ends_at(text, line_start)
        blank_after = e == len(text) or LINE_BREAK.match(text, e)
        if blank_before and blank_after and m:
            after = LINE_BREAK.match(text, e)
            if after:
                e = after.end()
            elif line_start > 0:
                line_start = _previous_line_break(text, line_start)
        return line_start, e
    if at_line_end or (e < len(text) and not text[e].isalnum() and text[e] not in "\"'(\u201c"):
        # Nothing (or only punctuation) follows: take the space before instead of after.
        return line_start, end
    return start, e


def _blank_line_ends_at(text: str, line_start: int) -> bool:
    """Is the line just above `line_start` empty (so line_start follows a paragraph break)?"""
    i = line_start - 1
    if i > 0 and text[i] == "\n" and text[i - 1] == "\r":
        i -= 1
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in "\r\n"


def _previous_line_break(text: str, line_start: int) -> int:
    i = line_start - 1
    if i > 0 and text[i] == "\n" and text[i - 1] == "\r":
        i -= 1
    return i


# --- choosing and applying ---------------------------------------------------------------


def choose(findings, unsafe: bool = False) -> list[dict]:
    """The fixes to apply together: safe ones (and unsafe ones if asked), in text order,
    leaving out any whose edits overlap one already chosen (a later pass picks it up)."""
    chosen: list[dict] = []
    taken: list[tuple[int, int]] = []
    candidates = [f.fix for f in findings if f.fix and (f.fix["safe"] or unsafe)]
    for fix in sorted(candidates, key=lambda x: min(e["start"] for e in x["edits"])):
        spans = [(e["start"], e["end"]) for e in fix["edits"]]
        if any(_overlap(a, b) for a in spans for b in taken):
            continue
        chosen.append(fix)
        taken.extend(spans)
    return chosen


def _overlap(a, b) -> bool:
    if a == b:
        return True  # the same edit twice, or two inserts at one place
    return a[0] < b[1] and b[0] < a[1]


def apply(text: str, edits) -> str:
    """Apply non-overlapping edits (offsets into `text`)."""
    for e in sorted(edits, key=lambda e: (e["start"], e["end"]), reverse=True):
        text = text[: e["start"]] + e["replacement"] + text[e["end"]:]
    return text


def edits_of(fixes) -> list[dict]:
    return [e for fix in fixes for e in fix["edits"]]


# --- ignoring a rule in the draft's front matter ------------------------------------------


def ignore_rule(draft, rule_id: str) -> dict | None:
    """The fix that adds `rule_id` to the draft's front matter `ignore:` (None for .eml,
    which has no front matter, or when it is already there)."""
    if draft.format == "eml":
        return None
    raw = draft.raw
    current = draft.front_matter.get("ignore")
    listed = current if isinstance(current, (list, tuple)) else str(current or "").split(",")
    if rule_id in [str(x).strip() for x in listed]:
        return None
    nl = _newline(raw)
    title = f"Ignore {rule_id} for this draft (front matter)"
    lines = list(iter_lines(raw))
    block = draft.regions.get("front-matter")
    if not block:
        return _raw_fix(draft, title, 0, 0, f"---{nl}ignore: [{rule_id}]{nl}---{nl}")
    key_line = draft.front_matter_lines.get("ignore")
    if key_line is None:
        close_start = max(s for s, _ in lines if s <= block[0][1])
        return _raw_fix(draft, title, close_start, close_start, f"ignore: [{rule_id}]{nl}")
    s, e = lines[key_line - 1]
    line = raw[s:e]
    colon = line.index(":") + 1
    value = re.sub(r"\s+#.*$", "", line[colon:]).rstrip()
    bare = value.strip()
    if bare.startswith("["):
        if not bare.endswith("]"):
            return None  # a list spread over lines: leave it to the user
        close = s + colon + value.rindex("]")
        inside = raw[s + colon + value.index("[") + 1:close]
        return _raw_fix(draft, title, close, close, (", " if inside.strip() else "") + rule_id)
    if bare[:1] in "\"'" and len(bare) > 1 and bare[-1] == bare[0]:
        close = s + colon + len(value) - 1  # "too-long" -> "too-long, pushy": still a comma list
        return _raw_fix(draft, title, close, close, f", {rule_id}")
    if value.strip() in ("", "~", "null"):
        items = []
        for ls, le in lines[key_line:]:
            if re.match(r"[ \t]*- ", raw[ls:le]):
                items.append((ls, le))
            elif raw[ls:le].strip():
                break
        if items:
            ls, le = items[-1]
            indent = re.match(r"[ \t]*", raw[ls:le]).group()
            return _raw_fix(draft, title, le, le, f"{nl}{indent}- {rule_id}")
        return _raw_fix(draft, title, s + colon, s + colon + len(value), f" [{rule_id}]")
    end = s + colon + len(value)
    return _raw_fix(draft, title, end, end, f", {rule_id}")


def _raw_fix(draft, title, start, end, replacement) -> dict:
    return _fix(draft, {"safe": True}, title, [(start, end, replacement)])


def _newline(text: str) -> str:
    m = LINE_BREAK.search(text)
    return m.group() if m else "\n"


# --- fixing files ------------------------------------------------------------------------


@dataclass
class FixOutcome:
    path: str
    before: str | None = None       # the decoded file before and after
    after: str | None = None
    data: bytes | None = None       # the bytes to write, when something changed
    applied: int = 0                # fixes applied
    unsafe_left: int = 0            # unsafe fixes left for --unsafe-fixes
    refused: str | None = None      # why the file was not touched
    error: str | None = None        # why it could not be read or linted (one line, path first)

    @property
    def changed(self) -> bool:
        return self.data is not None


MAX_PASSES = 4  # a fix can uncover another (or two fixes overlap): lint again, a few times


def fix_bytes(linter, data: bytes, display: str, unsafe: bool = False, fmt: str | None = None) -> FixOutcome:
    """Lint and fix a draft given as the file's bytes; nothing is written."""
    from .draft import DraftError, read_bytes

    out = FixOutcome(display)
    try:
        draft = read_bytes(data, display, format=fmt, max_bytes=linter.config.max_file_size)
    except DraftError as exc:
        out.error = str(exc)
        return out
    reason = not_fixable(draft, data)
    report = linter.lint_draft(draft)
    if report.error is not None:
        out.error = report.error
        return out
    if reason:
        out.refused = reason if any(f.fix for f in report.findings) or draft.format == "eml" else None
        return out
    out.before = draft.raw
    current = data
    for _ in range(MAX_PASSES):
        chosen = choose(report.findings, unsafe)
        if not chosen:
            break
        text = apply(draft.raw, edits_of(chosen))
        try:
            current = encode_like(text, draft.encoding, data)
        except (UnicodeEncodeError, LookupError):
            out.refused = f"a fix adds characters the file's encoding ({draft.encoding}) cannot hold; fix it by hand"
            return FixOutcome(display, refused=out.refused)
        try:
            draft = read_bytes(current, display, format=fmt)
        except DraftError as exc:  # never write what would no longer read
            return FixOutcome(display, refused=f"fixing would leave an unreadable draft ({exc.message})")
        report = linter.lint_draft(draft)
        out.applied += len(chosen)
        if report.error is not None:
            return FixOutcome(display, refused=f"fixing would break the draft ({report.error})")
    out.unsafe_left = 0 if unsafe else sum(1 for f in report.findings if f.fix and not f.fix["safe"])
    if current != data:
        out.after, out.data = draft.raw, current
    return out


def fix_file(linter, path, display: str, unsafe: bool = False, write: bool = True) -> FixOutcome:
    from .draft import format_for

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        from .draft import DraftError, read_path

        try:  # read again for read_path's own words about what is wrong
            read_path(path, display=display)
        except DraftError as exc:
            return FixOutcome(display, error=str(exc))
        return FixOutcome(display, error=f"{display}: cannot read the file")
    out = fix_bytes(linter, data, display, unsafe, fmt=format_for(os.fspath(path)))
    if write and out.changed:
        write_atomic(path, out.data)
    return out


def not_fixable(draft, data: bytes) -> str | None:
    """Why a draft must not be rewritten, or None."""
    if any(p.decoded and p.source != "RFC 2047 subject" for p in draft.pieces):
        return "its body is encoded (base64, quoted-printable or HTML), so it is not rewritten; edit it in your mail program"
    try:
        exact = encode_like(draft.raw, draft.encoding, data) == data
    except (UnicodeEncodeError, LookupError):
        exact = False
    if not exact:
        return "it could not be read exactly (damaged or mixed characters), so it is not rewritten"
    return None


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF8, "utf-8"))


def encode_like(text: str, encoding: str, original: bytes) -> bytes:
    """Encode as the original file was: same encoding, same byte-order mark."""
    for bom, codec in _BOMS:
        if original.startswith(bom):
            return bom + text.encode(codec)
    return text.encode(encoding)


def write_atomic(path, data: bytes) -> None:
    """Replace the file's content in one step (a temporary file renamed over it), keeping
    its permission bits; a symlink keeps pointing at the file it names."""
    target = os.path.realpath(path)
    info = os.stat(target)
    folder, name = os.path.split(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        try:
            os.chown(tmp, info.st_uid, info.st_gid)
        except (PermissionError, AttributeError):
            pass  # not ours to give away; the content is what matters
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
