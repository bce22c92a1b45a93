"""What every draft the readers return must satisfy; a violation is a crash for the fuzzer.

Shared by fuzz_eml.py and fuzz_front_matter.py (not a test module: pytest never collects it).
"""

from __future__ import annotations

import datetime as dt
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from followup_lint.model import context as context_mod  # noqa: E402
from followup_lint.model.draft import Draft, DraftError  # noqa: E402

TODAY = dt.date(2026, 11, 12)


def check_error(exc: DraftError) -> None:
    """A refusal is one line naming the file."""
    text = str(exc)
    assert "\n" not in text and "\r" not in text, repr(text)
    assert text.startswith(exc.path), repr(text)
    assert exc.message.strip(), repr(text)


def check_draft(draft: Draft) -> None:
    text = draft.text
    n = len(text)
    pieces = draft.pieces
    assert pieces[0].start == 0 and pieces[-1].end == n, (pieces, n)
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:])), pieces
    spans = sorted((s, e, name) for name, ranges in draft.regions.items() for s, e in ranges)
    for s, e, name in spans:
        assert 0 <= s < e <= n, (name, s, e, n)
        assert not text[s].isspace() and not text[e - 1].isspace(), (name, text[s:e])
    for (s1, e1, a), (s2, e2, b) in zip(spans, spans[1:]):
        assert e1 <= s2, f"{a} {s1}-{e1} overlaps {b} {s2}-{e2}"
    for s, e, name in spans:
        assert draft.region_of(s) == name, (name, s)
        for offset in (s, e):
            line, column, _ = draft.locate(offset)
            assert line >= 1 and column >= 1, (offset, line, column)
    assert draft.locate(n)[0] >= 1
    lines = draft.raw.count("\n") + draft.raw.count("\r") - draft.raw.count("\r\n") + 1
    for key, line in draft.front_matter_lines.items():
        assert 1 <= line <= lines, (key, line, lines)
    assert all("\n" not in note for note in draft.notes), draft.notes
    for value in draft.headers.values():
        assert isinstance(value, str), draft.headers
    # What reading hands on to the rest of the pipeline: the context must build or refuse.
    try:
        context_mod.build(draft.front_matter, {}, {}, headers=draft.headers, today=TODAY)
    except context_mod.ContextError as exc:
        assert "\n" not in str(exc), repr(str(exc))


def seed_dir(name: str, globs: list[str]) -> str:
    """fuzz/work/<name>, filled with the repository's examples the first time."""
    import glob
    import shutil

    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)
    work = os.path.join(os.path.dirname(os.path.abspath(__file__)), "work", name)
    os.makedirs(work, exist_ok=True)
    if not os.listdir(work):
        for pattern in globs:
            for path in glob.glob(os.path.join(root, pattern)):
                shutil.copy(path, work)
    return work
