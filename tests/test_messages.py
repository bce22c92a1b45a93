"""Every text a person reads about a rule reads right (issue 18, items 3 and 7): each
message, suggestion and fix title of every built-in rule, rendered on its `fires` examples
with and without context, the explain texts (--explain, the editor's hover) and the SARIF
help text, has no unfilled `{...}`, no doubled word and no empty or dangling parenthesis."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.engine.linter import Linter
from followup_lint.formats import sarif
from followup_lint.formats.explain import explain_finding, explain_rule
from followup_lint.read.draft import read_text
from followup_lint.rulefiles.config import Config
from followup_lint.rulefiles.examples import examples_of
from followup_lint.rulefiles.loader import builtin_rules

sys.path.insert(0, str(Path(__file__).parent))
import lt_stub  # noqa: E402

RICH = {
    "interviewer": "Dana Whitfield",
    "company": "Larkspur Health",
    "role": "Patient Services Coordinator",
    "interview_date": dt.date(2026, 11, 10),
}

HOLE = re.compile(r"\{[\w!:.%]*\}")
DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
EMPTY_PARENS = re.compile(r"\(\s*\)|\(\s|\s\)")
# a word that needs another after it, left hanging before "or", "and" or a closing mark:
# "(the day after the reply promised by or a week ...)"
DANGLING = re.compile(r"\b(by|the|a|an|of|to|for|on|at|with|about|after|until)\s*(\bor\b|\band\b|[),;])", re.IGNORECASE)


# Draft text a message quotes ('for for', "the the") is the draft's, not ours: left out.
QUOTED = re.compile(r"(?<![A-Za-z])'[^']*'(?![A-Za-z])|\"[^\"]*\"|“[^”]*”")


def problems(text: str) -> list[str]:
    found = []
    text = QUOTED.sub("'…'", text)
    if m := HOLE.search(text):
        found.append(f"unfilled {m.group()}")
    if m := DOUBLED.search(text):
        found.append(f"doubled word {m.group()!r}")
    if m := EMPTY_PARENS.search(text):
        found.append(f"empty or loose parenthesis {m.group()!r}")
    if text.count("(") != text.count(")"):
        found.append("unbalanced parentheses")
    if m := DANGLING.search(text):
        found.append(f"dangling {m.group()!r}")
    return found


@pytest.fixture(scope="module")
def full_linter():
    """The built-in rules, grammar included (against the stand-in LanguageTool server)."""
    pytest.importorskip("language_tool_python")
    server, url = lt_stub.start()
    yield Linter(Config(grammar={"server": url}))
    server.shutdown()


def _rendered(linter, rule):
    """(where, text) for every text a finding of `rule` shows, over its fires examples, each
    with its own context, with a full context (names, role, dates) and with none."""
    for expect, i, text, context in examples_of(rule):
        if expect != "fires":
            continue
        for label, ctx in (("own", context), ("rich", {**RICH, **context}), ("none", {})):
            report = linter.lint_draft(read_text(text, f"{rule.id}.txt"), ctx)
            for f in report.findings:
                if f.rule != rule.id:
                    continue
                where = f"{rule.id} fires[{i}] context={label}"
                yield where + " message", f.message
                yield where + " suggestion", f.suggestion
                if f.fix:
                    yield where + " fix", f.fix.title
                yield where + " hover", explain_finding(f, rule, markdown=False)


def _prose_of_explain(text: str) -> str:
    # The examples quote drafts as they are (typos and doubled words included): not checked.
    return text.split("\nFires on")[0]


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_every_text_of_every_rule_reads_right(full_linter, rule):
    texts = list(_rendered(full_linter, rule))
    assert any(where.endswith("message") for where, _ in texts), f"{rule.id}: no fires example fired"
    texts.append(("explain", _prose_of_explain(explain_rule(rule))))
    texts.append(("explain --verbose", _prose_of_explain(explain_rule(rule, verbose=True))))
    help_ = sarif._help(rule)
    texts += [
        ("sarif help text", help_["text"]),
        ("sarif help markdown", help_["markdown"]),
        ("title", rule.title),
        ("rationale", rule.rationale),
    ]
    bad = [f"{where}: {p}: {text!r}" for where, text in texts for p in problems(text)]
    assert not bad, "\n".join(bad)


def test_the_checks_catch_the_holes_the_issue_found():
    assert problems("{advice}To leave one of LanguageTool's rules out")
    assert problems(
        "the earliest good date is Fri 13 Nov (the day after the reply promised by or a week after the interview)."
    )
    assert problems("Thank you for for meeting me")
    assert problems("within 2 days ()")
    assert not problems(
        "This check-in goes out 2 days too early; the earliest good date is Tue 17 Nov 2026, "
        "a week after the interview."
    )


def test_too_early_names_the_bound_it_used(linter):
    draft = "Hi Sam,\n\nChecking in on the role; happy to share a sample.\n\nBest,\nJo"
    by_week = {"kind": "check-in", "interview_date": dt.date(2026, 11, 10), "send_date": dt.date(2026, 11, 14)}
    by_promise = dict(by_week, reply_promised_by=dt.date(2026, 11, 20), send_date=dt.date(2026, 11, 18))
    one_day = dict(by_week, send_date=dt.date(2026, 11, 16))
    messages = {}
    for name, ctx in (("week", by_week), ("promise", by_promise), ("one", one_day)):
        (f,) = [f for f in linter.lint_draft(read_text(draft, "d.txt"), ctx).findings if f.rule == "too-early"]
        messages[name] = f.message
    assert messages["week"] == (
        "This check-in goes out 3 days too early; the earliest good date is "
        "Tue 17 Nov 2026, a week after the interview."
    )
    assert messages["promise"] == (
        "This check-in goes out 3 days too early; the earliest good date is "
        "Sat 21 Nov 2026, the day after the date they said you would hear. "
        "That is a Saturday; Mon 23 Nov 2026 is the next working day."
    )  # issue 18, item 12
    assert messages["one"].startswith("This check-in goes out 1 day too early;")


def test_explain_shows_the_pipeline_only_when_asked(no_config_env):
    runner = CliRunner()
    plain = runner.invoke(lint_command, ["--explain", "pushy"])
    assert plain.exit_code == 0 and "Pipeline:" not in plain.output
    verbose = runner.invoke(lint_command, ["--explain", "pushy", "--verbose"])
    assert verbose.exit_code == 0 and "Pipeline: " in verbose.output
    listed = runner.invoke(lint_command, ["--list-rules", "--format", "json"])
    assert '"needs"' in listed.output
    grammar = runner.invoke(lint_command, ["--explain", "grammar"])
    assert "{advice}" not in grammar.output and "How to fix" in grammar.output
