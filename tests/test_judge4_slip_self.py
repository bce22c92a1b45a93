"""Issue 13, judgement round 4 (set D): common-slip families "your" for "you're", "there" for
"their" and "then" for "than" at a distance, and the self-focused measure. Each case is
written for this test (not copied from the issue or from a blind draft) and failed before
the change it guards."""

import json
import subprocess
import sys

import pytest
from body_drafts import lint_body


def _findings(linter, body, rule):
    return [f for f in lint_body(linter, body).findings if f.rule == rule]


SLIPS = [
    # "your" as the subject of a clause, before an article, or before adverb + adjective
    "I hope your keeping well after the busy quarter.",
    "Let me know if your free on Friday afternoon.",
    "Your the second person at the depot to mention the new scanners.",
    "I imagine your pretty swamped with the stocktake.",
    # "there" for "their" before a noun the tagger reads as a verb
    "I was impressed by the kitchen staff and there plans for the autumn menu.",
    "There proposal is generous, but I would still prefer to join you.",
    # "then" for "than" a few words after the comparative
    "I am more interested in the night shift then the day shift.",
    "I would rather train your new cashiers then manage a store of my own.",
]

NOT_SLIPS = [
    "I hope your team enjoyed the conference in Leeds.",
    "Your onboarding plan was the clearest I have seen.",
    "Is there space in the schedule for a short visit?",
    "There seems to be a small typo in the contract.",
    "I'd like to see the site once more, and then I can give you an answer.",
    "I'll know more next week; then I can confirm the date.",
    "Its in-house training team is well known.",
    "Thank you for your very kind words about my portfolio.",
]


@pytest.mark.parametrize("body", SLIPS)
def test_slip_is_found(linter, body):
    assert _findings(linter, body, "common-slip"), body


@pytest.mark.parametrize("body", NOT_SLIPS)
def test_near_miss_is_not_a_slip(linter, body):
    assert not _findings(linter, body, "common-slip"), body


def test_slip_fix_through_cli(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("Hi Sam,\n\nThank you for the tour. Your the first manager to show me the archive.\n\nBest,\nJo\n")
    out = subprocess.run(
        [sys.executable, "-m", "followup_lint", "--no-cache", "--format", "json", str(draft)],
        capture_output=True,
        text=True,
    )
    found = [f for f in json.loads(out.stdout)["files"][0]["findings"] if f["rule"] == "common-slip"]
    assert found and "you're" in found[0]["message"]
    assert found[0]["fix"]["edits"][0]["replacement"] == "You're"


# ---------------------------------------------------------------- self-focused
SILENT_ABOUT_THEM = (
    "Thank you for meeting me yesterday. I felt I answered the scheduling questions well and I was "
    "proud of my case study. I have run my own rota for two years and I know I would pick this up "
    "quickly. I hope I hear good news soon."
)
SOMETHING_ABOUT_THEM = (
    "Thank you for meeting me yesterday. I enjoyed learning about the weekend clinic and how the "
    "front desk handles walk-ins. I have run my own rota for two years and I know I would pick this "
    "up quickly. I hope I hear good news soon."
)


def test_self_focused_when_nothing_is_about_them(linter):
    found = _findings(linter, SILENT_ABOUT_THEM, "self-focused")
    assert len(found) == 1 and "nothing about them" in found[0].message


def test_one_sentence_about_their_work_is_enough(linter):
    assert not _findings(linter, SOMETHING_ABOUT_THEM, "self-focused")


def test_one_finding_when_both_measures_hold(linter):
    body = (
        "I wanted to write because I think I did well. I have led my own projects and I have managed my "
        "own budget. I believe I am ready and I know I would do well. I hope I get my chance, and I am "
        "sure my record speaks for me."
    )
    assert len(_findings(linter, body, "self-focused")) == 1
