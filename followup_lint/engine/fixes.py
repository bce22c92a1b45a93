"""Fixes: the edits a rule's `fix:` describes, and applying them to a draft's text.

A rule says how to fix what it finds (rules are data):

    fix: {replace: "when you have a moment", safe: false}       # forbid: swap the matched words
    fix: {replace: {gonna: going to, thx: thanks}, safe: true}  # ... per lower-cased match
    fix: {delete: sentence, safe: false}                        # forbid: drop the sentence (or `match`)
    fix: {insert: "Thank you ...[ about the {role} role].", safe: false}   # require: add what is missing

The engine turns one into a Finding's `fix`, a model.findings.Fix:

    Fix(title="Replace 'gonna' with 'going to'", safe=True,
        edits=[Edit(start, end, line, column, end_line, end_column, replacement)])

`start`/`end` are offsets into the file's decoded text (`Draft.raw`), lines and columns are
1-based code points like a finding's. The CLI (`--fix`, `--diff`) and the language server
apply the same fixes; the JSON output and the cache write them as dicts of those fields. Safe fixes only swap words and keep the meaning; deleting a sentence
or inserting generated text is unsafe and needs `--unsafe-fixes` (or a click in the editor).
A fix is never built for text that had to be decoded (an .eml body in base64,
quoted-printable or HTML): it could not be written back.
"""

from __future__ import annotations

import datetime as dt
import re

from followup_lint.model.findings import Edit, Fix, apply_edits
from followup_lint.model.text import LINE_BREAK, iter_lines, trim
from followup_lint.rulefiles.templates import PLACEHOLDERS, render_template

_SENTENCE_END = ".!?"


def _values(ctx) -> dict:
    out = {k: getattr(ctx, k, None) for k in PLACEHOLDERS}
    day = out["interview_date"]
    # "on Tuesday, March 3": the weekday helps the reader place the conversation.
    out["interview_date"] = f"{day:%A}, {day:%B} {day.day}" if isinstance(day, dt.date) else None
    return {k: " ".join(str(v).split()) for k, v in out.items() if v is not None and str(v).strip()}


def build(spec, hit, draft, ctx) -> Fix | None:
    """The fix for one hit of a rule, or None (no fix, or text that cannot be edited)."""
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
            if text[at].islower():
                # The body's first word now follows a full stop: "... me. Is there ...".
                return _fix(draft, fix, f"Add {_quote(sentence, 200)}", [(at, at + 1, replacement + text[at].upper())])
        else:
            at = body[-1][1]
            replacement = (". " if text[at - 1].isalnum() else " ") + sentence
        return _fix(draft, fix, f"Add {_quote(sentence, 200)}", [(at, at, replacement)])
    span = trim(text, hit.start, hit.end)
    if span is None:
        return None
    start, end = span
    original = text[start:end]
    if "replace" in fix:
        wanted = fix["replace"]
        if isinstance(wanted, dict):
            wanted = {" ".join(k.lower().split()): v for k, v in wanted.items()}.get(" ".join(original.lower().split()))
            if wanted is None:
                return None
        sentence = trim(text, *hit.sentence) if hit.sentence is not None else None
        at_start = (sentence is not None and sentence[0] == start) or _after_sentence_end(text, start)
        replacement = _cased(original, wanted, at_start)
        if replacement == original:
            return None
        return _fix(draft, fix, f"Replace {_quote(original)} with {_quote(replacement)}", [(start, end, replacement)])
    if fix["delete"] == "sentence":
        sentence = trim(text, *hit.sentence) if hit.sentence is not None else None
        if sentence is None:
            return None
        start, end = sentence
        title = f"Remove the sentence {_quote(' '.join(text[start:end].split()))}"
        return _fix(draft, fix, title, [_sentence_deletion(text, start, end)])
    title = f"Remove {_quote(original)}"
    s, e = _deletion(text, start, end)
    return _fix(draft, fix, title, [(s, e, "")])


def _fix(draft, fix, title, spans) -> Fix | None:
    edits = []
    for start, end, replacement in spans:
        if not _in_file(draft, start, end):
            return None
        line, column, _ = draft.locate(start)
        end_line, end_column, _ = draft.locate(end)
        edits.append(Edit(start, end, line, column, end_line, end_column, replacement))
    return Fix(fix.get("title") or title, bool(fix["safe"]), edits)


def _in_file(draft, start: int, end: int) -> bool:
    # Only text that stands in the file as it is can be written back.
    if end > len(draft.raw):
        return False
    return not draft.piece_at(start).decoded and not draft.piece_at(max(end - 1, start)).decoded


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def _after_sentence_end(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'\u201c\u2018(":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _cased(original: str, replacement: str, sentence_start: bool) -> str:
    """ "Gonna" -> "Going to"; "ASAP" mid-sentence -> "when you have a moment"."""
    if not replacement:
        return replacement
    acronym = len(original) > 1 and original.isupper()
    if sentence_start or (original[:1].isupper() and not acronym):
        return replacement[0].upper() + replacement[1:]
    return replacement


_CLOSERS = "\"')]\u201d\u2019"


def _ends_sentence(text: str, i: int) -> bool:
    """Does a sentence end just before offset `i` (white space, closing quotes and brackets
    aside), or does the line or the text start there?"""
    i -= 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] in "\r\n":
        return True
    while i >= 0 and text[i] in _CLOSERS:
        i -= 1
    return i >= 0 and text[i] in _SENTENCE_END + "\u2026:"


def _sentence_deletion(text: str, start: int, end: int) -> tuple[int, int, str]:
    """The edit that removes the sentence text[start:end] and leaves its neighbours whole.

    When the text before it is not a finished sentence (the parser split one sentence in
    two: "...the best candidate but I'm begging you."), the removed part's closing
    punctuation stays to close it: "...the best candidate." When the text after it starts
    in lower case, it now starts a sentence: its first letter is capitalised."""
    if not _ends_sentence(text, start):
        k = end
        while k > start and text[k - 1] in _SENTENCE_END + "\u2026" + _CLOSERS:
            k -= 1
        if k < end:
            s = start
            while s > 0 and text[s - 1] in " \t":
                s -= 1
            return s, k, ""
    s, e = _deletion(text, start, end)
    if e < len(text) and text[e].islower() and _ends_sentence(text, s) and not text[s:e].endswith(("\n", "\r")):
        return s, e + 1, text[e].upper()
    return s, e, ""


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


def choose(findings, unsafe: bool = False) -> list[Fix]:
    """The fixes to apply together: safe ones (and unsafe ones if asked), in text order,
    leaving out any whose edits overlap one already chosen (a later pass picks it up)."""
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    candidates = [f.fix for f in findings if f.fix and (f.fix.safe or unsafe)]
    for fix in sorted(candidates, key=lambda x: min(e.start for e in x.edits)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlap(a, b) for a in spans for b in taken):
            continue
        chosen.append(fix)
        taken.extend(spans)
    return chosen


def _overlap(a, b) -> bool:
    if a == b:
        return True  # the same edit twice, or two inserts at one place
    return a[0] < b[1] and b[0] < a[1]


# Applying edits is plain text work (rule examples' `fixed:` uses it too): model/findings.py.
apply = apply_edits


def edits_of(fixes) -> list[Edit]:
    return [e for fix in fixes for e in fix.edits]


def ignore_rule(draft, rule_id: str) -> Fix | None:
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
        inside = raw[s + colon + value.index("[") + 1 : close]
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


def _raw_fix(draft, title, start, end, replacement) -> Fix:
    return _fix(draft, {"safe": True}, title, [(start, end, replacement)])


def _newline(text: str) -> str:
    m = LINE_BREAK.search(text)
    return m.group() if m else "\n"
