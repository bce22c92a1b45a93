"""Issue 13, judgement round 4 (set D): interest-missing, value-missing, thanks-missing and
kind inference. Each case is written for this test (not copied from the issue or from a
blind draft) and failed before the change it guards."""

import pytest
from body_drafts import lint_body

from followup_lint.read.draft import read_text


def _rules(linter, body, **context):
    report = lint_body(linter, body, **context)
    return {f.rule for f in report.findings}, report


# ---------------------------------------------------------------- interest-missing
INTEREST = [
    # the job named by another noun
    "Thanks for showing me round the kitchen. i really want that sous chef spot.",
    # the place where the writer would rather be
    "Thank you for the tour. Harlow Press is honestly where I'd prefer to be next year.",
    # gladness about accepting or bringing one's work to them
    "Thank you for the interview. I would be happy to accept the post if it were offered.",
    "Thank you for the tour. I'd be delighted to bring my scheduling experience to your team.",
    "Thank you for the interview. I'd be glad to bring five years of triage work to Northgate.",
    # the job as a pronoun, wanted hard
    "Thank you for meeting me. I want this so badly.",
]

NO_INTEREST = [
    # more conversation, not the job
    "Thank you for the call. I'd welcome the chance to continue our discussion some time.",
    # a career plan elsewhere
    "Thank you for the interview. Long term I hope to move into product design.",
    # somebody else's wanting
    "Thank you for the interview. It seems strange that people who want to join your firm wait so long.",
    # a field of study, not wanting the job
    "Thank you for the interview. The project touches on my research interests in soil science.",
]


@pytest.mark.parametrize("body", INTEREST)
def test_interest_in_new_shapes_counts(linter, body):
    rules, _ = _rules(linter, body, kind="thank-you")
    assert "interest-missing" not in rules


@pytest.mark.parametrize("body", NO_INTEREST)
def test_talk_plans_others_and_research_interests_are_not_interest(linter, body):
    rules, _ = _rules(linter, body, kind="thank-you")
    assert "interest-missing" in rules


# ---------------------------------------------------------------- kind inference
KINDS = [
    # the subject line names the kind
    (
        "Subject: Checking in - payroll clerk\n\nHi Sam,\n\nI now have an offer from a bank, though I prefer your team.\n"
        "I can send my certificates if useful.\n\nJo",
        "check-in",
    ),
    (
        "Subject: Thanks for Friday\n\nHi Sam,\n\nI wanted to follow up on our talk last Friday with a note about my"
        " background in logistics.\n\nJo",
        "thank-you",
    ),
    # another offer mentioned as an aside in a note asking for news
    ("hey sam, any news on the barista job? btw i got another offer so let me know", "check-in"),
    # the silence named, and a question whether they have decided
    ("wow, still nothing?? guess nobody reads these", "check-in"),
    ("hi, have you picked someone for the role yet?", "check-in"),
]


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_kind_from_subject_asides_and_silence(linter, text, kind):
    report = linter.lint_draft(read_text(text, "d.txt"), {"setting": "corporate"})
    assert report.kind == kind


# ---------------------------------------------------------------- value-missing
NO_VALUE = [
    # a comparison of desire read as "need anything"
    "Is there any news on the clerk role? I want it more than anything.",
    # an earlier step recalled, nothing offered now
    "Is there any news on the clerk role? I sent my writing sample the day after we met.",
    # a public review threatened
    "Is there any news on the clerk role? Otherwise I'll share my experience online for other applicants.",
]


@pytest.mark.parametrize("body", NO_VALUE)
def test_desire_recall_and_threats_are_not_value(linter, body):
    rules, _ = _rules(linter, body, kind="check-in")
    assert "value-missing" in rules


# ---------------------------------------------------------------- thanks-missing
def _draft_rules(linter, text, kind):
    report = linter.lint_draft(read_text(text, "d.eml" if text.startswith("Subject") else "d.txt"), {"kind": kind})
    return {f.rule for f in report.findings}


NO_THANKS = [
    # thanks only in the subject of an earlier message in the thread
    "Subject: Fwd: Thank you for Monday\n\nHi Sam,\n\nIs the planner role still open?\n\nJo\n",
    # appreciation denied, or a concession
    "Hi Sam,\n\nI really don't appreciate waiting three weeks. Where do things stand?\n\nJo\n",
    "Hi Sam,\n\nI appreciate that you have many applicants, but a reply would be courteous.\n\nJo\n",
]

THANKS = [
    "hi sam, tysm for the chat earlier, still keen on the role\n\njo\n",
    "Hi Sam,\n\nI appreciate that you stayed late to meet me on Tuesday.\n\nJo\n",
]


@pytest.mark.parametrize("text", NO_THANKS)
def test_thread_subjects_denials_and_concessions_are_no_thanks(linter, text):
    assert "thanks-missing" in _draft_rules(linter, text, "check-in")


@pytest.mark.parametrize("text", THANKS)
def test_texted_and_clausal_thanks_count(linter, text):
    assert "thanks-missing" not in _draft_rules(linter, text, "check-in")
