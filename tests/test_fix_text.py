"""Fixes never break the text around them (issue 18, item 4): every fix of every built-in
rule, applied on the rule's own `fires` examples, leaves whole sentences with their
punctuation and spacing, does not make the rule fire again in the same place, and brings in
no spelling or casing error."""

from __future__ import annotations

import re

import pytest

from followup_lint.engine import fixes
from followup_lint.read.draft import read_text
from followup_lint.rulefiles.examples import examples_of
from followup_lint.rulefiles.loader import builtin_rules

RULES = [r for r in builtin_rules() if r.type != "grammar"]  # grammar's fixes are LanguageTool's


def _fixes_of(linter, rule):
    for expect, i, text, context in examples_of(rule):
        if expect != "fires":
            continue
        draft = read_text(text, f"{rule.id}.txt")
        report = linter.lint_draft(draft, context)
        for f in report.findings:
            if f.rule == rule.id and f.fix:
                yield i, draft, context, report, f


def _junction_problems(before: str, after: str, edit: dict) -> list[str]:
    """What a reader would trip over where the edit joins the text it leaves."""
    at = edit.start
    left = after[: at + len(edit.replacement)]
    right = after[at + len(edit.replacement) :]
    problems = []
    l_line, r_line = left.rsplit("\n", 1)[-1], right.split("\n", 1)[0]
    if re.search(r"[ \t]$", l_line) and re.match(r"[ \t]", r_line):
        problems.append("two spaces")
    if edit.replacement == "" and l_line.strip() and re.search(r"[ \t]$", l_line) and re.match(r"[.,;:!?]", r_line):
        problems.append("a space before punctuation")
    if l_line.strip() and r_line.strip():
        prev = l_line.rstrip()[-1]
        nxt = r_line.lstrip()[:1]
        if edit.replacement == "" and prev.isalnum() and nxt[:1].isupper():
            problems.append("a sentence run into the next one")
    if re.search(r"(^|[.!?]\s+)[a-z]", after[max(at - 3, 0) : at + len(edit.replacement) + 3]) and not re.search(
        r"(^|[.!?]\s+)[a-z]", before[max(at - 3, 0) : edit.end + 3]
    ):
        problems.append("a sentence that starts in lower case")
    return problems


def _spelling(report) -> set:
    return {(f.message) for f in report.findings if f.rule == "spelling"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_fix_leaves_the_text_whole(linter, rule):
    bad, tried = [], 0
    for i, draft, context, report, finding in _fixes_of(linter, rule):
        tried += 1
        edits = finding.fix.edits
        after = fixes.apply(draft.raw, edits)
        where = f"{rule.id} fires[{i}] {finding.fix.title!r}"
        for edit in edits:
            bad += [f"{where}: {p}: {after!r}" for p in _junction_problems(draft.raw, after, edit)]
        if not after.strip():
            continue  # the example was that one sentence
        again = linter.lint_draft(read_text(after, f"{rule.id}.txt"), context)
        (edit,) = edits
        shift = len(edit.replacement) - (edit.end - edit.start)
        place = finding.start if finding.start < edit.start else max(finding.start + shift, edit.start)
        same = [
            f
            for f in again.findings
            if f.rule == rule.id
            and f.message == finding.message
            and (f.start == place or "insert" in str(rule.fix or ""))
        ]
        if same:
            bad.append(f"{where}: {rule.id} fires again: {same[0].message}: {after!r}")
        if _spelling(again) - _spelling(report):
            bad.append(f"{where}: a spelling error appeared: {_spelling(again) - _spelling(report)}")
        casing = [f for f in again.findings if f.rule == "too-casual" and "lower-case" in f.message]
        if len(casing) > len([f for f in report.findings if f.rule == "too-casual" and "lower-case" in f.message]):
            bad.append(f"{where}: a lower-case 'i' appeared: {after!r}")
    if rule.fix or any(p.get("fix") for p in rule.patterns):
        assert tried, f"{rule.id}: has a fix, but none of its fires examples got one"
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # the parser cuts "...candidate but I'm begging you please." in two: the period stays
        (
            "I know I'm probably not the best candidate but I'm begging you please. Any news at all would be amazing.",
            "I know I'm probably not the best candidate. Any news at all would be amazing.",
        ),
        ("I'm desperate to hear back. Any news at all would be amazing.", "Any news at all would be amazing."),
        ("Any news at all would be amazing. I'm desperate to hear back.", "Any news at all would be amazing."),
        (
            "Any news at all would be amazing. I'm desperate to hear back. Thanks again.",
            "Any news at all would be amazing. Thanks again.",
        ),
    ],
)
def test_removing_a_sentence_keeps_its_neighbours(linter, sentence, expected):
    text = f"Hi Sam,\n\nThank you for meeting with me on Monday about the analyst role. {sentence}\n\nBest,\nJo\n"
    draft = read_text(text, "d.txt")
    (finding,) = [f for f in linter.lint_draft(draft).findings if f.rule == "needy"]
    after = fixes.apply(draft.raw, finding.fix.edits)
    assert after == text.replace(sentence, expected)
