"""The shared matcher (language/patterns.py, _MatcherHub) belongs to one rule set: a process
that builds rule set after rule set (the language server when a config or pack is edited,
the test suite) must not keep the patterns of the ones it dropped. It used to keep one hub
per vocab that every rule set added to and nothing emptied, so each reload made every lint
slower. Counted in patterns, not time."""

from __future__ import annotations

import gc

HELLO = "Subject: Thank you\n\nHi Sam,\n\nThank you for the interview today. I enjoyed it.\n\nBest,\nJo\n"

RULE = """\
id: said-thanks-{n}
title: Says thanks
severity: info
type: forbid
message: "says thanks"
rationale: >
  A test rule whose id changes with every edit of its pack, so a lint shows which build it ran.
patterns:
  - tokens: [{{LOWER: thank}}, {{LOWER: you}}]
  - phrases: ["the interview"]
examples:
  fires: ["Thank you for the interview."]
  passes: ["Best, Jo"]
"""

CONFIG = "packs: [./house]\n"


def _write(folder, n, edit=None):
    house = folder / "house"
    house.mkdir(exist_ok=True)
    (house / "pack.yaml").write_text("name: house\ndescription: A pack the test edits.\n", encoding="utf-8")
    for old in house.glob("said-*.yaml"):
        old.unlink()
    (house / f"said-thanks-{n}.yaml").write_text(RULE.format(n=n), encoding="utf-8")
    config = CONFIG + (f"# edit {edit}\n" if edit else "")
    (folder / ".followup-lint.yaml").write_text(config, encoding="utf-8")


def _live_patterns() -> int:
    """Patterns held by every matcher hub still alive in this process."""
    from followup_lint.language.patterns import _MatcherHub

    gc.collect()
    hubs = [o for o in gc.get_objects() if isinstance(o, _MatcherHub)]
    return sum(len(h.matcher) + len(h.phrases) + len(h.anchored) for h in hubs)


def _rules_fire(report, n) -> bool:
    return any(f.rule == f"house/said-thanks-{n}" for f in report.findings)


def test_rule_sets_built_and_dropped_leave_no_patterns_behind(tmp_path):
    """Edit a pack (and touch the config, as an editor's save does) six times in one
    session: each edit builds a new rule set; the patterns alive afterwards are those of
    the one rule set in use, not six."""
    from followup_lint.run.session import Session

    _write(tmp_path, 0)
    draft = tmp_path / "note.txt"
    draft.write_text(HELLO, encoding="utf-8")

    before = _live_patterns()
    session = Session()
    assert _rules_fire(session.lint_path(draft), 0)
    one = _live_patterns() - before
    assert one > 100, "the built-in packs' patterns joined a hub"
    for n in range(1, 7):
        _write(tmp_path, n, edit=n)
        report = session.lint_path(draft)
        assert _rules_fire(report, n) and not _rules_fire(report, n - 1)
        assert len(session.linters) == 1
    # The same count as one rule set (a little slack for a pattern more or less in a pack).
    assert _live_patterns() - before <= one + 10
    del session, report
    assert _live_patterns() - before <= 10


def test_two_rule_sets_alive_at_once_each_find_their_own(tmp_path):
    """Two sessions with different packs, alive together, each match with their own hub."""
    from followup_lint.run.session import Session

    sessions = []
    for n in (1, 2):
        folder = tmp_path / f"s{n}"
        folder.mkdir()
        _write(folder, n)
        (folder / "note.txt").write_text(HELLO, encoding="utf-8")
        sessions.append((n, folder / "note.txt", Session()))
    for _ in range(2):
        for n, path, session in sessions:
            report = session.lint_path(path)
            assert _rules_fire(report, n) and not _rules_fire(report, 3 - n)
