"""Kind inference from wording alone (no dates): the cues that decide whether value-missing applies."""

import json

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command

CASES = [
    # Asking in the passive whether they have decided.
    ("Subject: Planner role\n\nHas a decision been reached on the planner opening?\n\nKim\n", "check-in"),
    ("Hi Ana,\n\nHas anything been settled about the clerk vacancy?\n\nKim\n", "check-in"),
    # Earlier notes went unanswered.
    ("Hi Ana,\n\nMy note from the 3rd is still without a reply. Where do things stand?\n\nKim\n", "check-in"),
    ("Hi Ana,\n\nThis is the second message I have sent about the clerk vacancy.\n\nKim\n", "check-in"),
    # Following up on the application, writing again, an interview "last week".
    (
        "Hi Ana,\n\nThank you for the interview last Monday. I am writing to follow up on my application.\n\nKim\n",
        "check-in",
    ),
    (
        "Hi Ana,\n\nThank you for seeing me last week. Sorry to email you again, I know you are busy.\n\nKim\n",
        "check-in",
    ),
    # A thank-you that says "following up" is no check-in; timelines from the candidate's own work neither.
    (
        "Subject: following up\n\nHi Ana,\n\nThanks for taking the time to walk me through the depot.\n\nKim\n",
        "unknown",
    ),
    (
        "Hi Ana,\n\nI'm grateful for the chance to meet you today. At my last job I cut delivery timelines by a third.\n\nKim\n",
        "thank-you",
    ),
]


@pytest.mark.parametrize("text,kind", CASES)
def test_kind_inferred_from_wording(tmp_path, text, kind):
    (tmp_path / "d.txt").write_text(text)
    result = CliRunner().invoke(
        lint_command, ["--format", "json", "--exit-zero", "--no-cache", str(tmp_path / "d.txt")]
    )
    doc = json.loads(result.output)
    assert doc["files"][0]["kind"] == kind, doc["files"][0].get("kind_evidence")
