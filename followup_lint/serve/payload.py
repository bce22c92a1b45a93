"""What the page gets and sends: reports as JSON with UTF-16 positions, and draft files
split into the parts the writer's view edits (and joined again on Save).

Positions. The linter counts in code points (Python str offsets); the page's JavaScript
counts in UTF-16 code units, where an emoji outside the Basic Multilingual Plane is two.
Every offset the page gets has been converted here (`Utf16`), so `text.slice(start, end)`
in the browser is exactly the finding's span. Accented letters are one unit either way;
a letter written with a combining accent is two code points in both.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left

import yaml

from . import engine

_NEWLINE = re.compile(r"\r\n|\r|\n")


class Utf16:
    """Code-point offset -> UTF-16 offset in one text (identity when all is in the BMP)."""

    def __init__(self, text: str):
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset) if self.astral else offset


def utf16_to_index(text: str, unit: int) -> int:
    """The inverse, for tests and tools: UTF-16 offset -> code-point offset."""
    count = 0
    for i, ch in enumerate(text):
        if count >= unit:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def report(linter, text: str, context: dict, errors: dict, fmt: str = "txt") -> dict:
    """Lint the page's draft; the answer the writer's view renders."""
    out = {
        "error": None,
        "field_errors": errors,
        "score": None,
        "verdict": None,
        "kind": None,
        "kind_source": None,
        "findings": [],
        "fix_all": [],
        "notes": [],
        "schedule": None,
        "today": engine.today(linter).isoformat(),
    }
    limit = linter.config.max_file_size
    if len(text.encode("utf-8", "surrogatepass")) > limit:  # as a draft file of that size would be
        out["error"] = f"the draft is over {limit:,} bytes (max-file-size); shorten it"
        return out
    result, draft = engine.lint_text(linter, text, context, fmt)
    problem = engine.error_text(result)
    if problem is not None:
        out["error"] = problem.split(": ", 1)[-1] if problem.startswith("draft.") else problem
        out["schedule"] = engine.schedule(linter, context, context.get("kind"))
        return out
    units = Utf16(draft.raw)

    def edits(items):
        return [{"start": units(e["start"]), "end": units(e["end"]), "replacement": e["replacement"]} for e in items]

    for i, f in enumerate(result.findings):
        info = engine.rule_info(linter, f.rule)
        fix = engine.fix_dict(f.fix)
        out["findings"].append(
            {
                "id": i,
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message,
                "suggestion": f.suggestion,
                "title": f.title or info["title"],
                "why": info["why"],
                "source": info["source"],
                "start": units(f.start),
                "end": units(f.end),
                "line": f.line,
                "column": f.column,
                "region": f.region,
                "fix": dict(fix, edits=edits(fix["edits"])) if fix else None,
            }
        )
    out.update(
        score=result.score,
        verdict=result.verdict,
        kind=result.kind,
        kind_source=result.kind_source,
        notes=list(result.notes),
        fix_all=edits(engine.fix_all(result.findings)),
        schedule=engine.schedule(linter, context, result.kind),
    )
    return out


# --- draft files <-> the writer's view ------------------------------------------------------


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lf(text: str) -> str:
    return _NEWLINE.sub("\n", text)


def open_draft(path, display: str, max_bytes: int) -> dict:
    """A draft file as the writer's view shows it: subject, body, the context its front
    matter states, and what Save needs to write it back."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    draft = engine.read_file(path, display, max_bytes)
    front = draft.front_matter or {}
    context = {}
    for key in engine.FORM_KEYS:
        value = front.get(key)
        if value is not None and value != "":
            context[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    ignore = front.get("ignore")
    if isinstance(ignore, str):
        ignore = [s.strip() for s in ignore.split(",") if s.strip()]
    context["ignore"] = [str(i) for i in ignore] if isinstance(ignore, (list, tuple)) else []
    out = {
        "path": display,
        "format": draft.format,
        "sha": sha(data),
        "context": context,
        "writable": draft.format in ("txt", "md"),
        "notes": list(draft.notes),
    }
    if draft.format == "eml":
        text = _lf(draft.text)
        head_end = text.find("\n\n")
        out.update(
            subject=draft.headers.get("subject", "") or "",
            body=text[head_end + 2 :].strip("\n") + "\n" if head_end >= 0 else "",
            why_readonly="a saved email (.eml) is not rewritten here; copy the email into your mail program",
        )
        return out
    head, subject, body = split_plain(draft.raw)
    out.update(subject=subject, body=body)
    return out


def split_plain(raw: str) -> tuple[str, str, str]:
    """(front matter block as written, subject, body) of a .txt/.md draft, with LF line
    breaks; the blank lines between the subject line and the body are not kept."""
    text = _lf(raw)
    head_end = _front_matter_end(text)
    found = engine.subject_line(text, head_end)
    if not found:
        return text[:head_end], "", text[head_end:]
    _label, value, rest = found
    subject = text[value[0] : value[1]] if value else ""
    body = text[rest:].lstrip("\n")
    return text[:head_end], subject, body


def _front_matter_end(text: str) -> int:
    lines = text.split("\n")
    if not lines or not re.fullmatch(r"---[ \t]*", lines[0]):
        return 0
    offset = len(lines[0]) + 1
    for line in lines[1:]:
        offset += len(line) + 1
        if re.fullmatch(r"(?:---|\.\.\.)[ \t]*", line):
            return min(offset, len(text))
    return 0


def join_plain(head: str, subject: str, body: str) -> str:
    """The draft the page builds, with a front matter block in front (LF line breaks)."""
    subject = " ".join(subject.split())
    return head + (f"Subject: {subject}\n\n" if subject else "") + body


def update_front_matter(head: str, context: dict) -> str:
    """The front matter block with the form's context written into it. Lines of keys the
    form did not change are left as they are (comments too); a cleared field's line goes;
    a new field is added before the closing line."""
    lines = head.split("\n")[:-1] if head else []
    try:
        old = yaml.safe_load("\n".join(lines[1:-1])) if lines else {}
    except yaml.YAMLError:
        old = {}
    old = old if isinstance(old, dict) else {}
    added = []
    for key in engine.FORM_KEYS:
        value = " ".join(str(context.get(key) or "").split())
        if value in ("auto",) or (key == "setting" and value == "unknown"):
            value = ""
        before = old.get(key)
        before = before.isoformat() if hasattr(before, "isoformat") else ("" if before is None else str(before))
        if value == before:
            continue
        at = next((i for i, line in enumerate(lines[1:-1], 1) if re.match(rf"{re.escape(key)}[ \t]*:", line)), None)
        new_line = _yaml_line(key, value) if value else None
        if at is not None:
            if new_line is None:
                del lines[at]
            else:
                lines[at] = new_line
        elif new_line is not None:
            added.append(new_line)
    if not lines:
        return "---\n" + "".join(line + "\n" for line in added) + "---\n" if added else ""
    lines[-1:-1] = added
    return "\n".join(lines) + "\n"


def _yaml_line(key: str, value: str) -> str:
    if key in engine.DATE_KEYS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{key}: {value}"
    dumped = yaml.safe_dump({key: value}, default_flow_style=False, allow_unicode=True, width=10_000).strip()
    return dumped


def save_draft(path, display: str, subject: str, body: str, context: dict, base_sha: str, max_bytes: int) -> dict:
    """Write the writer's view back to its file: atomically, in the file's own encoding and
    line breaks, and only if the file has not changed since the page opened it."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if sha(data) != base_sha:
        raise engine.DraftProblem("the file changed on disk since you opened it; reload it before saving")
    draft = engine.read_file(path, display, max_bytes)
    if draft.format not in ("txt", "md"):
        raise engine.DraftProblem("a saved email (.eml) is not rewritten here")
    head, _, _ = split_plain(draft.raw)
    # Each part keeps the file's own line breaks (a file may mix them: LF front matter
    # written by a tool above a CRLF message).
    breaks = [m.group() for m in _NEWLINE.finditer(draft.raw)]
    lines_in_head = head.count("\n")
    head_nl = breaks[0] if breaks else "\n"
    body_nl = breaks[lines_in_head] if len(breaks) > lines_in_head else head_nl
    text = update_front_matter(head, context).replace("\n", head_nl) + join_plain("", subject, _lf(body)).replace(
        "\n", body_nl
    )
    try:
        new = engine.encode_like(text, draft.encoding, data)
    except (UnicodeEncodeError, LookupError):
        raise engine.DraftProblem(
            f"the text has characters the file's encoding ({draft.encoding}) cannot hold"
        ) from None
    engine.check_bytes(new, display, draft.format, max_bytes)  # never write what would not read back
    if new != data:
        engine.write_atomic(path, new)
    return {"path": display, "sha": sha(new), "changed": new != data}
