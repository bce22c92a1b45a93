"""Issue 13, judgement round on blind set C: pushy, phone-call, value-missing and kind
inference, interest/thanks-missing, self-focused, spelling of technical words. Each case is
written for this test (not copied from the issue or from a blind draft) and failed before
the change it guards."""

import pytest
from body_drafts import lint_body

from followup_lint.read.draft import read_text


def _rules(linter, body, **context):
    report = lint_body(linter, body, **context)
    return {f.rule for f in report.findings}, report


# ---------------------------------------------------------------- pushy
PUSHY = [
    # resentment at the silence
    "Nobody in your office has bothered to reply to me.",
    # a date they gave, now passed
    "You told me I would hear by the 12th, and that was almost a week ago now.",
    "It's already long past the day your recruiter named.",
    # how long the wait has been, in other shapes
    "It's been like a month and still nothing.",
    "Complete silence for two weeks after three interviews.",
    "There has been no word in eleven days.",
    # counting one's own notes, the subject carried by a coordinated verb
    "I sat the assessment in May, wrote twice in June and got nothing back.",
    # a demand for a counter-offer made into a condition
    "Whether I sign with you rests on one thing: it depends on whether you can top their figure.",
    "I'd expect you to beat their base salary.",
    "You will have to match their bonus or I walk.",
    # demands phrased as conditions or ultimatums
    "I need to hear where I stand before Friday.",
    "Unless somebody answers me by the 20th, I will escalate this to your board.",
    "When might I get an answer?",
    "I am not going to keep waiting indefinitely.",
]

NOT_PUSHY = [
    # an honest deadline from another offer, and the writer's own decision
    "Another company has made me an offer and I need to respond by the 14th, so I wanted you to hear it from me first.",
    "I wanted to talk to you before making any decision about it.",
    "I would like to make my decision with your plans in mind.",
    # asking to match, as negotiation
    "Would you consider matching their salary if you decide to offer me the job?",
    "I'd need you to come near their package, if that is at all possible.",
    # near misses of the new families
    "The site went quiet for months before I took it over.",
    "I'll put in whatever hours it takes during the stock take.",
    "Unless I hear otherwise, I'll send the signed forms on Thursday.",
]


@pytest.mark.parametrize("body", PUSHY)
def test_pushy_fires_on_new_families(linter, body):
    rules, _ = _rules(linter, body, kind="check-in")
    assert "pushy" in rules


@pytest.mark.parametrize("body", NOT_PUSHY)
def test_pushy_stays_quiet_on_near_misses(linter, body):
    rules, _ = _rules(linter, body, kind="check-in")
    assert "pushy" not in rules


def test_a_coordinated_verb_shares_its_subject():
    from followup_lint.language.pipeline import load, subject_of

    doc = load()("I met the panel in May, followed up twice and heard nothing.")
    followed = next(t for t in doc if t.lower_ == "followed")
    assert subject_of(followed) == "i"


# ---------------------------------------------------------------- phone-call
PHONE = [
    "I'll give you a short ring on Tuesday if that's alright.",
    "I'll try your mobile number later today.",
    "I dialled the main switchboard this morning.",
]

NOT_PHONE = [
    "I had honestly expected a phone call from someone by now.",
    "Not one person called after the final round.",
    "I was at least hoping for the courtesy of a quick call.",
]


@pytest.mark.parametrize("body", PHONE)
def test_phone_call_fires_when_the_candidate_rings(linter, body):
    rules, _ = _rules(linter, body, kind="check-in")
    assert "phone-call" in rules


@pytest.mark.parametrize("body", NOT_PHONE)
def test_phone_call_quiet_on_a_call_the_candidate_expected(linter, body):
    rules, _ = _rules(linter, body, kind="check-in")
    assert "phone-call" not in rules


# ---------------------------------------------------------------- kind inference (value-missing applies to check-ins)
KIND_CASES = [
    # the wait or the silence named, in angry or terse drafts
    ("Hi Ana,\n\nI have been waiting nearly three weeks for any word at all.\n\nKim\n", "check-in"),
    ("Hi Ana,\n\nWhat exactly is happening with my application for the clerk post?\n\nKim\n", "check-in"),
    ("Hi Ana,\n\nWhat is going on with the clerk vacancy? Nothing since the panel.\n\nKim\n", "check-in"),
    ("Hi Ana,\n\nI sat the panel on the 2nd and have heard nothing.\n\nKim\n", "check-in"),
    ("Hi Ana,\n\nso it's been 3 weeks now.\n\nKim\n", "check-in"),
    # another offer as an aside in a note about the wait
    (
        "Hi Ana,\n\nI haven't heard back since the panel. I have also had an offer from a hotel in the meantime, "
        "but I'd still prefer the clerk post.\n\nKim\n",
        "check-in",
    ),
    # another offer made with the verb
    ("Hi Ana,\n\nA rival chain has offered me the supervisor position at a higher rate.\n\nKim\n", "offer-update"),
    # thanks phrased as appreciation; a decision mentioned helpfully inside a thank-you
    (
        "Hi Ana,\n\nI wanted to express my appreciation for the opportunity to meet the team today.\n\nKim\n",
        "thank-you",
    ),
    (
        "Hi Ana,\n\nThank you for meeting me this morning. I'm happy to send references when you make your decision."
        "\n\nKim\n",
        "thank-you",
    ),
    # an offer from years ago is no offer-update
    (
        "Hi Ana,\n\nThank you for the chat today. The hotel offered me a manager post two years ago, and I turned it "
        "down to finish my degree.\n\nKim\n",
        "thank-you",
    ),
]


@pytest.mark.parametrize("text,kind", KIND_CASES)
def test_kind_inferred_from_new_cues(linter, text, kind):
    report = linter.lint_draft(read_text(text, "d.txt"), {"setting": "corporate"})
    assert report.kind == kind, report.kind_evidence


# ---------------------------------------------------------------- interest-missing
INTEREST_STATED = [
    "Thank you for the interview. I would still like the bookkeeper position.",
    "Thank you for the interview. I'd rather go to Alderway than anywhere else I've applied.",
    "thanks for the interview!! i still want it tbh",
    "Thank you for the interview. I'd love to have the chance to join your crew.",
]

INTEREST_NOT_STATED = [
    "Thank you for the interview. I want to know what has happened with the shortlist.",
    "Thank you for the interview. My old manager would be keen to learn how your panel works.",
    "Thank you for the interview. I remain interested in the role for the time being.",
    "Thank you for the interview. I won't sit waiting like the last time I applied to a chain.",
]


@pytest.mark.parametrize("body", INTEREST_STATED)
def test_interest_stated_as_wanting_counts(linter, body):
    rules, _ = _rules(linter, body, kind="thank-you")
    assert "interest-missing" not in rules


@pytest.mark.parametrize("body", INTEREST_NOT_STATED)
def test_curiosity_and_time_limited_interest_do_not_count(linter, body):
    rules, _ = _rules(linter, body, kind="thank-you")
    assert "interest-missing" in rules


# ---------------------------------------------------------------- thanks-missing
THANKS_NOT_GIVEN = [
    # a bare thanks closing a request
    "is the packer job still open? thanks so much Sam",
    "Any word on the packer role? Thanks!",
    # sarcastic thanks for what never came
    "Thanks so much for the swift reply to my application. Sixteen days and counting. I still want the role.",
]

THANKS_GIVEN = [
    "I enjoyed seeing the packing line and I'm keen on the role. Thank you so much!",
    "Thank you for the prompt reply about the shift pattern. I'm keen on the role.",
]


@pytest.mark.parametrize("body", THANKS_NOT_GIVEN)
def test_bare_or_sarcastic_thanks_is_no_thanks(linter, body):
    rules, _ = _rules(linter, body, kind="check-in")
    assert "thanks-missing" in rules


@pytest.mark.parametrize("body", THANKS_GIVEN)
def test_real_thanks_still_counts(linter, body):
    rules, _ = _rules(linter, body, kind="check-in")
    assert "thanks-missing" not in rules


def test_closing_condition_is_in_the_schema_and_docs():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    schema = json.loads((root / "followup_lint/schema/rule.schema.json").read_text())
    assert "closing" in schema["$defs"]["condition"]["properties"]
    assert "`closing: true`" in (root / "docs/writing-rules.md").read_text()


# ---------------------------------------------------------------- spelling on technical drafts
def test_a_coined_stem_after_a_hyphen_prefix_is_a_term_not_a_slip(linter):
    body = "Thank you for explaining the multi-omic pipeline and the non-GAAP reporting. I am keen on the reserch role."
    text = f"Hi Sam,\n\n{body}\n\nBest regards,\nJo Park\n"
    report = linter.lint_draft(read_text(text, "d.txt"), {"setting": "corporate", "kind": "thank-you"})
    flagged = {text[f.start : f.end].lower() for f in report.findings if f.rule == "spelling"}
    assert flagged == {"reserch"}
