"""`hostile` on new wording (issue 13): several weak cues in one sentence about the reader
(a `cues:` pattern) fire, a courteous sentence with one of them does not, and the finding
quotes the strongest cue. Through the command line, on real files."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.cli.rules import rules_group
from followup_lint.rulefiles.loader import RuleError, load_rule_file

FRONT = """\
---
kind: check-in
interview_date: 2026-03-02
send_date: 2026-03-20
setting: corporate
interviewer: Dana Whitfield
company: Harrow Freight
role: Dispatcher
---
Dear Ms. Whitfield,

"""
GOOD_CLOSE = """
I remain very interested in the dispatcher role and would be glad to send references.

Best regards,
Sam Ortiz
"""


def _hostile(tmp_path, body: str) -> list[dict]:
    path = tmp_path / "draft.md"
    path.write_text(FRONT + body + GOOD_CLOSE)
    result = CliRunner().invoke(lint_command, [str(path), "--format", "json", "--no-cache"], catch_exceptions=False)
    data = json.loads(result.output)
    return [f for f in data["files"][0]["findings"] if f["rule"] == "hostile"]


@pytest.mark.parametrize(
    "sentence, quoted",
    [
        # mock inference + emphasis about them
        ("Judging from the silence, your dispatch office must run on carrier pigeons.", "Judging from"),
        # their claim against their behaviour
        ("For a firm that talks so much about speed, you have been remarkably quiet.", "For a firm that"),
        # condescension: lecturing them on their own process
        ("Perhaps your recruiters could take a course in basic communication.", "take a course"),
        # veiled threat through their superior, with the condition attached
        ("If I don't get an answer soon, I'll be raising this directly with your CEO.", "CEO"),
        # entitlement: what the candidate has earned, at their level
        ("Given my twenty years in the field, I believe I have earned a prompt reply.", "earned a prompt reply"),
    ],
)
def test_weak_cues_together_fire_and_quote_the_strongest(tmp_path, sentence, quoted):
    found = _hostile(tmp_path, "Thank you again for the interview on March 2. " + sentence + "\n")
    assert len(found) == 1, found
    assert quoted.lower() in found[0]["message"].lower()


@pytest.mark.parametrize(
    "sentence",
    [
        "I know you must be busy, so I will keep this short.",
        "I understand the process takes time, and I'm happy to wait for your decision.",
        "I'm sure the panel has a lot on its plate, so thank you for any update you can share.",
        "I'm happy to speak with your head of operations directly if that helps.",
        "I have earned two promotions by fixing slow processes like the one you described.",
        "Perhaps your HR team could let me know which documents they need.",
        "Clearly the new routing tool has made a big difference to your drivers.",
    ],
)
def test_a_courteous_sentence_with_one_cue_stays_silent(tmp_path, sentence):
    assert _hostile(tmp_path, "Thank you again for the interview on March 2. " + sentence + "\n") == []


def _cue_rule(tmp_path, cues: str):
    (tmp_path / "house-rules").mkdir()
    path = tmp_path / "house-rules" / "house.yaml"
    path.write_text(
        textwrap.dedent("""\
        id: house
        title: A house rule
        severity: warning
        type: forbid
        message: "{match!r} together with another sign."
        rationale: "A reason a reader would care about."
        patterns:
          - cues:
        """)
        + textwrap.indent(textwrap.dedent(cues), "      ")
        + textwrap.dedent("""\
            min_score: 2
        examples:
          fires: ["Sadly, the answer clearly never came."]
          passes: ["Sadly, the train was late."]
        """)
    )
    return path


def test_a_cues_pattern_is_checked_like_any_pattern(tmp_path):
    path = _cue_rule(tmp_path, "- regex: '(unclosed'\n")
    with pytest.raises(RuleError, match=r"house.yaml:9: regex does not compile"):
        load_rule_file(path)


def test_a_cues_pattern_in_a_house_rule_counts_weights(tmp_path):
    # Two cues of weight 1 reach min_score 2; one alone does not (the rule's own examples).
    path = _cue_rule(tmp_path, "- phrases: [sadly]\n- phrases: [clearly]\n  weight: 1\n")
    assert load_rule_file(path).patterns[0]["min_score"] == 2
    out = CliRunner().invoke(rules_group, ["test", str(path)], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "2 examples: 2 passed" in out.output


# Round 5: agreement. Courtesy said straight on and the candidate's own achievements count
# against the cues, one per distinct word; an escalation, a rhetorical "or do you just ...?"
# and their conduct wasting the candidate's time are signs of their own.
@pytest.mark.parametrize(
    "sentence",
    [
        # an apology misparsed under a later "not" still counts as courtesy
        "I'm so sorry to chase, I know that is not how hiring works, but I really hope to hear soon.",
        # three achievements against a quoted appraisal and "at my level"
        'I closed every audit early, I trained four juniors and I was rated "outstanding" twice, '
        "which I believe is rare at my level and shows the ability to run a client alone.",
        # thanks and an apology in one sentence: two signs of courtesy, not one
        "Please accept my thanks for your time, and I apologise for replying to your director in writing so late; "
        "I lack nothing but the start date.",
        "I'd be glad to take this up with your finance director if that would help with the paperwork.",
        "Is the role still open, or do you need more references from me?",
        "I don't want to waste my time or yours, so I'll keep this brief.",
    ],
)
def test_courtesy_and_own_work_count_against_the_cues(tmp_path, sentence):
    assert _hostile(tmp_path, "Thank you again for the interview on March 2. " + sentence + "\n") == []


@pytest.mark.parametrize(
    "sentence, quoted",
    [
        ("If nobody gets back to me by Thursday, I will take it up with Priya directly.", "take it up with"),
        (
            "Should I receive no answer this week, I shall be obliged to raise this matter with your board.",
            "be obliged to",
        ),
        ("Has anyone looked at my file, or do you lot just not read applications?", "or do you lot just not"),
        ("Please stop wasting my time with vague promises.", "wasting my time"),
    ],
)
def test_escalation_rhetoric_and_wasted_time_fire(tmp_path, sentence, quoted):
    found = _hostile(tmp_path, "Thank you again for the interview on March 2. " + sentence + "\n")
    assert len(found) == 1, found
    assert quoted.lower() in found[0]["message"].lower()


def test_a_cue_with_each_counts_every_distinct_word(tmp_path, monkeypatch):
    # Three cues (3) less one courtesy word (-1) fire; with `each: true` a second, different
    # courtesy word counts again (3 - 2 = 1) and the sentence stays silent.
    _cue_rule(
        tmp_path,
        "- phrases: [sadly]\n- phrases: [clearly]\n- phrases: [never]\n- phrases: [thanks, sorry]\n  weight: -1\n  each: true\n",
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text("packs: [./house-rules]\n")
    draft = tmp_path / "d.txt"

    def house(sentence):
        draft.write_text(f"Hi Sam,\n\n{sentence}\n\nBest,\nJo\n")
        result = CliRunner().invoke(
            lint_command, [str(draft), "--format", "json", "--no-cache", "--select", "house-rules/house"]
        )
        return [f for f in json.loads(result.output)["files"][0]["findings"] if f["rule"] == "house-rules/house"]

    assert house("Sadly, thanks, the answer clearly never came.") != []
    assert house("Sadly, thanks, the answer clearly never came, thanks.") != []  # the same word counts once
    assert house("Sadly, thanks and sorry, the answer clearly never came.") == []
