"""Properties of lint on arbitrary drafts: it never raises, is deterministic, every span
lies inside the file with start <= end, and lines are counted the way editors count them
(only "\\n", "\\r\\n" and a lone "\\r" end a line; U+2028, U+0085, form feed and vertical
tab do not, though Python's str.splitlines says they do). The same holds for arbitrary
mixtures of email parts, and a draft saved with CRLF gives the findings LF gives.

FOLLOWUP_LINT_PROPERTY_SCALE=N multiplies the number of examples, for a long run."""

from __future__ import annotations

import base64
import os
import quopri

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from followup_lint.model.draft import DraftError
from followup_lint.read.draft import read_bytes, read_text

PIECES = st.sampled_from(
    [
        "Dear Ms. Okafor,",
        "Hi Sam,",
        "hey",
        "Thank you for the interview.",
        "Have you made a decision?",
        "I really need this job!!",
        "I'll give you a call.",
        "salary",
        "I have another offer.",
        "Best regards,",
        "Thanks,",
        "Jo",
        "(555) 014-2290",
        "> quoted line",
        "On Tue, Nov 3, 2026 at 9:14 AM Dana <d@x.org> wrote:",
        "-----Original Message-----",
        "😊",
        "👩🏽‍💻",
        "e\u0301",
        "n\u0303o",
        "\u2028",
        "\u2029",
        "\x85",
        "\x0b",
        "\x0c",
        "\x1c",
        "\r\n",
        "\r",
        "\n",
        "\n\n",
        "  ",
        "\t",
        "---",
        "Subject: hi",
        "definately",
        "gonna",
        "ASAP",
        "\u200b",
        "\ufeff",
        "\u00a0",
        "Zoë",
        "ﬁ",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map(" ".join)
# FOLLOWUP_LINT_PROPERTY_SCALE=50 runs fifty times the examples: a long run outside CI.
SCALE = int(os.environ.get("FOLLOWUP_LINT_PROPERTY_SCALE", "1"))
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def editor_positions(text: str) -> list[tuple[int, int]]:
    """(line, column) of every offset 0..len(text), one character at a time, ending lines
    only at "\\n", "\\r\\n" and a lone "\\r"; columns count code points."""
    out, line, col = [], 1, 1
    for i, ch in enumerate(text):
        out.append((line, col))
        if ch == "\n" or (ch == "\r" and text[i + 1 : i + 2] != "\n"):
            line, col = line + 1, 1
        else:
            col += 1
    out.append((line, col))
    return out


def facts(report):
    return [
        (
            f.rule,
            f.severity,
            f.start,
            f.end,
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            f.decoded,
            f.message,
            f.region,
            repr(f.fix),
        )
        for f in report.findings
    ]


def check_report(draft, report) -> None:
    assert report.error is None or "\n" not in str(report.error)
    positions = editor_positions(draft.text)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(draft.text), f
        assert (f.line, f.column) <= (f.end_line, f.end_column), f
        if not f.decoded:
            # In the file's own text: exactly where an editor shows the offset.
            assert (f.line, f.column) == positions[f.start], (f, draft.text)
            assert (f.end_line, f.end_column) == positions[f.end], (f, draft.text)
        else:
            piece = draft.piece_at(f.start)
            assert piece.decoded and f.line >= 1 and f.column >= 1, f


@settings(max_examples=100 * SCALE, **SETTINGS)
@given(TEXT, st.sampled_from(["prop.txt", "prop.md"]))
def test_lint_never_raises_and_spans_are_where_editors_put_them(linter, text, path):
    try:
        draft = read_text(text, path)
    except DraftError as exc:
        assert "\n" not in str(exc)
        return
    first = linter.lint_draft(draft)
    second = linter.lint_draft(read_text(text, path))
    assert facts(first) == facts(second)
    assert first.score == second.score and first.notes == second.notes
    check_report(draft, first)


@settings(max_examples=50 * SCALE, **SETTINGS)
@given(TEXT)
def test_crlf_and_lf_give_the_same_findings(linter, text):
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        a = linter.lint_draft(read_text(lf, "a.txt"))
        b = linter.lint_draft(read_text(lf.replace("\n", "\r\n"), "b.txt"))
        c = linter.lint_draft(read_text(lf.replace("\n", "\r"), "c.txt"))
    except DraftError:
        return

    def where(report):
        return [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in report.findings]

    assert where(a) == where(b) == where(c)
    assert a.score == b.score == c.score


def test_separators_that_are_not_line_breaks(linter):
    """U+2028 and a form feed keep the finding on line 3, as an editor shows it."""
    text = "Hi Sam,\n\nThank you.\u2028 I enjoyed it.\x0c Have you made a decision?\n"
    report = linter.lint_draft(read_text(text, "sep.txt"))
    pushy = next(f for f in report.findings if f.rule == "pushy")
    assert (pushy.line, pushy.column) == (3, text.split("\n")[2].index("made") + 1)
    assert len(text.splitlines()) == 5  # where Python alone would put it on line 4 or 5


# --- arbitrary mixtures of email parts ---------------------------------------------------------

CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "us-ascii", "x-unknown", "utf-16"]


@st.composite
def leaf(draw):
    body = draw(TEXT)
    ctype = draw(st.sampled_from(["text/plain", "text/plain", "text/html", "application/pdf", "image/png"]))
    charset = draw(st.sampled_from(CHARSETS))
    cte = draw(st.sampled_from(["", "7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "bogus"]))
    codec = charset if charset not in ("x-unknown", "us-ascii") else "utf-8"
    raw = body.encode(codec, "replace") if codec != "utf-16" else body.encode("utf-16")
    if ctype == "text/html":
        raw = b"<html><body><p>" + raw.replace(b"\n", b"<br>") + b"</p><blockquote>quoted</blockquote></body></html>"
    if cte == "base64":
        payload = base64.encodebytes(raw)
        if draw(st.booleans()):
            payload = payload[: draw(st.integers(0, len(payload)))] + draw(st.sampled_from([b"", b"!!", b"="]))
    elif cte == "quoted-printable":
        payload = quopri.encodestring(raw) + draw(st.sampled_from([b"", b"=", b"=ZZ", b"=\n"]))
    else:
        payload = raw
    head = f"Content-Type: {ctype}; charset={charset}\n"
    if cte:
        head += f"Content-Transfer-Encoding: {cte}\n"
    if draw(st.booleans()) and ctype not in ("text/plain", "text/html"):
        head += "Content-Disposition: attachment; filename=x.bin\n"
    return head.encode() + b"\n" + payload


@st.composite
def emails(draw):
    subject = draw(
        st.sampled_from(["Thank you", "=?utf-8?B?VGhhbmsgeW91IPCfmIo=?=", "=?bogus?Q?x?=", "", "Re: Re: hi\n\tfolded"])
    )
    date = draw(st.sampled_from(["Tue, 10 Nov 2026 09:00:00 +0000", "not a date", "Mon, 31 Feb 2026 9:00", ""]))
    headers = f"From: Jo <jo@example.org>\nTo: sam@example.org\nSubject: {subject}\n"
    if date:
        headers += f"Date: {date}\n"
    parts = draw(st.lists(leaf(), min_size=1, max_size=4))
    if len(parts) == 1 and draw(st.booleans()):
        return headers.encode() + parts[0]
    boundary = draw(st.sampled_from(["b1", "==frontier==", "x y"]))
    declared = draw(st.sampled_from([boundary, boundary, "other", None]))
    ctype = draw(st.sampled_from(["multipart/alternative", "multipart/mixed", "multipart/related"]))
    head = headers + f"MIME-Version: 1.0\nContent-Type: {ctype}"
    head += f'; boundary="{declared}"\n' if declared else "\n"
    body = b"".join(b"--" + boundary.encode() + b"\n" + p + b"\n" for p in parts)
    if draw(st.booleans()):
        body += b"--" + boundary.encode() + b"--\n"
    return head.encode() + b"\n" + body


@settings(max_examples=50 * SCALE, **SETTINGS)
@given(emails())
def test_any_mixture_of_email_parts(linter, data):
    try:
        draft = read_bytes(data, "prop.eml")
    except DraftError as exc:
        assert "\n" not in str(exc)
        return
    first = linter.lint_draft(draft)
    second = linter.lint_draft(read_bytes(data, "prop.eml"))
    assert facts(first) == facts(second)
    check_report(draft, first)


@settings(max_examples=50 * SCALE, **SETTINGS)
@given(emails())
def test_email_with_crlf_gives_the_same_findings(linter, data):
    # A UTF-16 part's line breaks are bytes of its text: a CR added there changes the text
    # (and for an 8-bit part, the bytes around it), not its line ends.
    assume(b"\x00" not in data and b"charset=utf-16" not in data)
    lf = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        a = linter.lint_draft(read_bytes(lf, "a.eml"))
        b = linter.lint_draft(read_bytes(lf.replace(b"\n", b"\r\n"), "b.eml"))
    except DraftError:
        return
    assert [(f.rule, f.line, f.column, f.end_line, f.end_column, f.decoded) for f in a.findings] == [
        (f.rule, f.line, f.column, f.end_line, f.end_column, f.decoded) for f in b.findings
    ]
