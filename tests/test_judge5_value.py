"""Issue 13, judgement round 5: self-focused and value-missing families. Each case is written
for this test (not copied from the issue or from a blind draft) and failed before the change
it guards."""

import pytest
from body_drafts import lint_body


def _findings(linter, body, rule, **context):
    return [f for f in lint_body(linter, body, **context).findings if f.rule == rule]


# ---------------------------------------------------------------- self-focused
# A plea or a brag is about the writer even when "you" and "your" appear in it: the reader
# acting on the writer, a courtesy clause, the writer's wish to work there, a description of
# the writer.
SELF_FOCUSED = [
    "thanks again for the interview. i really need this job, i have been out of work since may and my "
    "savings are almost gone. i know i can do it and i will work harder than anyone you hire. please "
    "dont forget me when you decide. i can start any day you want, i promise i wont let you down.",
    "I am writing to reiterate my interest. I have exceeded my targets, I have led my own regional team "
    "and I have delivered my projects on budget. I am confident I am the strongest candidate you will "
    "interview, and I would be honoured to join your organisation. I look forward to hearing that I "
    "have been selected.",
    "I hope you are doing well. Since our interview I have finished my certificate, I have redone my "
    "portfolio and I have started my own small blog. I feel I am more ready than ever and I am sure I "
    "would grow a lot in this role. If you want to see my new portfolio, I can send it.",
]

# What the reader showed the writer, or three sentences about their side, is enough.
NOT_SELF_FOCUSED = [
    "thanks for showing me around the bakery on monday and for letting me try the laminating station. "
    "i need a bit more practice with shaping, i know, but i learn fast and i think i would be useful on "
    "the weekend rush. i hope i can show you soon.",
    "Thank you for the afternoon at the depot. I keep thinking about the whiteboard of late loads you "
    "use at the morning huddle. I loved hearing how the team cut the missed pickups in half. I think "
    "my routing work would suit the new regional lanes you are adding. I know I still need to grow, I "
    "know my forklift hours are few, and I have mostly done my own small routes, but I would be thrilled "
    "if I could learn from you. I think I would fit in, I really do, and I am sure I could pick up my "
    "part quickly. I am keeping my fingers crossed and I hope I hear soon.",
]


@pytest.mark.parametrize("body", SELF_FOCUSED)
def test_self_focused_plea_or_brag(linter, body):
    assert _findings(linter, body, "self-focused", kind="check-in")


@pytest.mark.parametrize("body", NOT_SELF_FOCUSED)
def test_what_they_showed_or_three_sentences_about_them_is_enough(linter, body):
    assert not _findings(linter, body, "self-focused", kind="thank-you")


# ---------------------------------------------------------------- spelling
# Terms of art: a half of a hyphenated compound beside an acronym or before a participle, the
# singular of a plural the dictionary knows, and text-speak (too-casual's business).
NOT_MISSPELLED = [
    "We moved the nightly exports from cron-scheduled scripts to the new queue.",
    "The records layer is HL7-conformant, which the auditors liked.",
    "I spent six years in telecom before I moved into logistics.",
    "fwiw i think the rota plan you described is solid.",
]
STILL_MISSPELLED = [
    "I came acros the article you mentioned last week.",
    "I am a hard-workng person and I learn quickly.",
]


@pytest.mark.parametrize("body", NOT_MISSPELLED)
def test_terms_of_art_are_not_misspelled(linter, body):
    assert not _findings(linter, body, "spelling")


@pytest.mark.parametrize("body", STILL_MISSPELLED)
def test_slips_near_those_terms_still_found(linter, body):
    assert _findings(linter, body, "spelling")


# ---------------------------------------------------------------- value-missing (and the kind it needs)
def _lint_file(tmp_path, text):
    from followup_lint import lint_path

    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    return lint_path(str(path))


# Check-ins the kind inference left "unknown", so value-missing never looked: "any decision yet"
# asked with the noun, "where things are", earlier notes gone unanswered.
BARE_CHECK_INS = [
    "hi jo,\n\nany decision yet about the porter job? been a while.\n\nsam\n",
    "Dear Jo,\n\nI'm writing to find out where things are with the planner vacancy.\n\nRegards,\nSam\n",
    "Jo,\n\nBoth of my earlier emails about the tutor post went unanswered. Could you let me know?\n\nSam\n",
    "Jo,\n\nYour recruiter hasn't replied since the interview. Could you tell me how it is going?\n\nSam\n",
]


@pytest.mark.parametrize("text", BARE_CHECK_INS)
def test_bare_check_in_is_a_check_in_without_value(tmp_path, text):
    report = _lint_file(tmp_path, text)
    assert report.kind == "check-in"
    assert "value-missing" in {f.rule for f in report.findings}


# A link offered to look at is something shared; a link merely mentioned is not.
def test_a_link_offered_is_value(linter):
    body = "checking in on the editor role. i recut the showreel since we met, here it is if u want a look: vimeo.com/example/reel-v2"
    assert not _findings(linter, body, "value-missing", kind="check-in")


def test_a_link_mentioned_is_not_value(linter):
    body = "Any news on the designer role? My site is studio-jo.example.com."
    assert _findings(linter, body, "value-missing", kind="check-in")


def test_the_day_of_a_call_attempt_is_not_the_day_of_the_interview(tmp_path):
    text = (
        "Dear Jo,\n\nThank you so much for meeting me last week about the steward post. I tried ringing "
        "the front desk this morning but could only leave a message, so I am writing again.\n\nSam\n"
    )
    report = _lint_file(tmp_path, text)
    assert report.kind == "check-in"
