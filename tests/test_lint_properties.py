"""Properties of lint() on arbitrary text: it never raises, is deterministic, and every
span lies inside the file with start <= end."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_lint.draft import DraftError, read_text

PIECES = st.sampled_from([
    "Dear Ms. Okafor,", "Hi Sam,", "hey", "Thank you for the interview.", "Have you made a decision?",
    "I really need this job!!", "I'll give you a call.", "salary", "I have another offer.", "Best regards,",
    "Thanks,", "Jo", "(555) 014-2290", "> quoted line", "On Tue, Nov 3, 2026 at 9:14 AM Dana <d@x.org> wrote:",
    "-----Original Message-----", "😊", "e\u0301", "\u2028", "\x0c", "\r\n", "\r", "\n", "\n\n", "  ", "---",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map(" ".join)
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(text):
    return LINE_BREAK.split(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_lint_never_raises_and_spans_are_in_the_file(linter, text):
    try:
        draft = read_text(text, "prop.txt")
    except DraftError:
        return
    first = linter.lint_draft(draft)
    second = linter.lint_draft(read_text(text, "prop.txt"))
    assert [f.__dict__ for f in first.findings] == [f.__dict__ for f in second.findings]
    lines = _lines(draft.raw)
    for f in first.findings:
        assert 0 <= f.start <= f.end <= len(draft.text)
        assert (f.line, f.column) <= (f.end_line, f.end_column)
        assert 1 <= f.line <= len(lines) and 1 <= f.end_line <= len(lines)
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1
        assert 1 <= f.end_column <= len(lines[f.end_line - 1]) + 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_crlf_and_lf_give_the_same_findings(linter, text):
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        a = linter.lint_draft(read_text(lf, "a.txt"))
        b = linter.lint_draft(read_text(lf.replace("\n", "\r\n"), "b.txt"))
    except DraftError:
        return
    assert [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in a.findings] == \
           [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in b.findings]
