"""Rule examples that say where (issue 17, item 7): a `fires` example may give `at:` (the
text a finding covers, or its line and column), `message:` (a part of the message) and
`fixed:` (the text once the rule's fixes are applied), like ESLint's RuleTester invalid
cases; `followup-lint rules test` reports an example that fired elsewhere or otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.rules import rules_group
from followup_lint.rulefiles.loader import RuleError, builtin_rules, load_rule_file

RULE = """\
id: no-gonna
title: Say going to
severity: warning
type: forbid
message: "{match!r} is too casual."
rationale: "A follow-up is a small piece of professional writing."
patterns:
  - regex: '\\bgonna\\b'
fix: {replace: going to, safe: true}
examples:
  fires:
    - {text: "I'm gonna send it.", at: gonna, message: too casual, fixed: "I'm going to send it."}
    - {text: "Hi Sam,\\n\\nI'm gonna send it.", at: {line: 3, column: 5}}
%s
  passes:
    - "I'm going to send it."
"""


def _run(tmp_path, extra: str, fmt: str = "text"):
    pack = tmp_path / "house"
    pack.mkdir(exist_ok=True)
    (pack / "no-gonna.yaml").write_text(RULE % extra)
    return CliRunner().invoke(
        rules_group, ["test", "--format", fmt, str(pack)], env={"NO_COLOR": "1"}, catch_exceptions=False
    )


def test_examples_that_say_where_how_and_what_the_fix_gives_pass(tmp_path):
    result = _run(tmp_path, "")
    assert result.exit_code == 0, result.output
    assert "2/2" in result.output


@pytest.mark.parametrize(
    "extra, problem",
    [
        (
            '    - {text: "Gonna send it. I am gonna.", at: {line: 2}}',
            "fired on fires example 3 but fired at 1:1 'Gonna', 1:21 'gonna', not at line 2",
        ),
        (
            '    - {text: "I\'m gonna send it.", at: "send it"}',
            "fired on fires example 3 but fired at 1:5 'gonna', not at 'send it'",
        ),
        (
            '    - {text: "I\'m gonna send it.", message: "pushy"}',
            "fired on fires example 3 but the message does not say 'pushy': \"'gonna' is too casual.\"",
        ),
        (
            '    - {text: "I\'m gonna send it.", fixed: "I will send it."}',
            "fired on fires example 3 but the fix gives \"I'm going to send it.\", not 'I will send it.'",
        ),
    ],
)
def test_an_example_that_fires_elsewhere_or_otherwise_fails_with_file_and_line(tmp_path, extra, problem):
    result = _run(tmp_path, extra)
    assert result.exit_code == 1, result.output
    path = tmp_path / "house" / "no-gonna.yaml"
    line = f"{path}:14: house/no-gonna {problem}"
    assert line in result.output, result.output
    as_json = json.loads(_run(tmp_path, extra, fmt="json").output)
    [failed] = [e for e in as_json["rules"][0]["examples"] if not e["ok"]]
    assert failed["index"] == 3 and failed["line"] == 14 and problem.split(" but ", 1)[1] == failed["problem"]


def test_only_fires_examples_may_say_where(tmp_path):
    path = tmp_path / "no-gonna.yaml"
    path.write_text(
        (RULE % "").replace('    - "I\'m going to send it."', '    - {text: "I\'m going to send it.", at: going}')
    )
    with pytest.raises(RuleError) as exc:
        load_rule_file(path)
    assert f"{path}:16:" in str(exc.value)


def test_builtin_rules_say_where_they_fire_and_what_their_fixes_give():
    said = {r.id: [e for e in r.examples["fires"] if isinstance(e, dict) and "at" in e] for r in builtin_rules()}
    for rule in ("pushy", "needy", "too-casual", "negotiation", "phone-call", "spelling"):
        assert said[rule], rule
    fixed = {r.id for r in builtin_rules() for e in r.examples["fires"] if isinstance(e, dict) and "fixed" in e}
    assert {"pushy", "needy", "too-casual", "phone-call", "spelling"} <= fixed


def test_the_guide_documents_at_message_and_fixed():
    guide = (Path(__file__).resolve().parents[1] / "docs" / "writing-rules.md").read_text("utf-8")
    section = guide.split("## Examples and `rules test`", 1)[1].split("\n## ", 1)[0]
    for key in ("at:", "message:", "fixed:"):
        assert key in section, key
    snippet = section.split("```yaml", 1)[1].split("```", 1)[0]
    assert "at:" in snippet
