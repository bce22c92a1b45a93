"""The tool must not contradict itself: every piece of advice it prints (a rule's
suggestion and the sentences it quotes, the "How to fix" part of --explain, the text a fix
inserts, the `schedule` check-in advice), placed in an otherwise good draft, fires no rule.
A writer who follows the advice and is then told off by the same tool stops trusting it.

What is tested is what a writer would paste: the sentences a suggestion quotes as a model,
the sentence a fix inserts and the check-in advice lines. Instructions that name the mistake
to remove ("take out anything rude") are about the draft, not part of it.
"""

import re

import pytest

from followup_lint.engine.schedule import CHECKIN_SHOULD
from followup_lint.read.draft import read_text
from followup_lint.rulefiles.loader import builtin_rules
from followup_lint.rulefiles.templates import render_template

BASE = (
    "Hi Dana,\n\nThank you for meeting with me on Monday to talk about the coordinator role. "
    "I enjoyed hearing how your team plans the spring intake. {advice} I remain very interested in the "
    "role and would be glad to send references if that would help.\n\nBest regards,\nSam Lee\n"
)
CONTEXT = {
    "interviewer": "Dana Whitfield",
    "company": "Larkspur Health",
    "role": "Patient Services Coordinator",
    "setting": "corporate",
}
# Advice that names what not to do, by design, and is not a sentence a writer would send.
QUOTED = re.compile(r"[\"“]([^\"”]{12,})[\"”]")


def _as_sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _advice():
    values = {k: v for k, v in CONTEXT.items() if k != "setting"}
    for rule in builtin_rules():
        if rule.type == "grammar":
            continue
        if rule.suggestion:
            for quoted in QUOTED.findall(rule.suggestion):
                yield f"{rule.id}: quoted in the suggestion", _as_sentence(quoted)
        for fix in [rule.fix] + [p.get("fix") for p in rule.patterns or ()]:
            if fix and "insert" in fix:
                yield f"{rule.id}: inserted by its fix", render_template(fix["insert"], values)
    for line in CHECKIN_SHOULD:
        # The advice is addressed to the writer; as a sentence of the draft it reads "I will ...".
        if line.startswith("not "):
            continue  # the list of what to leave out names the mistakes themselves
        yield "schedule: check-in advice", _as_sentence("I wanted to " + line.split(":")[0])


CASES = list(_advice())


@pytest.mark.parametrize("kind", ["thank-you", "check-in"])
@pytest.mark.parametrize("where,advice", CASES, ids=[f"{w}-{i}" for i, (w, _a) in enumerate(CASES)])
def test_advice_fires_no_rule(linter, where, advice, kind):
    draft = read_text(BASE.format(advice=advice), "advice.txt")
    report = linter.lint_draft(draft, dict(CONTEXT, kind=kind))
    assert report.error is None
    fired = [(f.rule, f.message) for f in report.findings if f.rule not in ("too-long",)]
    assert fired == [], f"{where}: {advice!r} set off {fired}"


def test_the_good_draft_is_clean(linter):
    draft = read_text(BASE.format(advice=""), "advice.txt")
    report = linter.lint_draft(draft, dict(CONTEXT, kind="thank-you"))
    assert report.findings == [] and report.verdict == "ready"
