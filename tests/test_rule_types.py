"""Rule types own their keys (issue 17): each module of ruletypes/ validates the rule-file
keys it reads (errors still `file:line: problem`), says which message fields it fills in
and which fixes it takes, and gets the config's settings as an explicit argument."""

from __future__ import annotations

import dataclasses
import inspect
import textwrap

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.model.rule import ProjectSettings, Rule
from followup_lint.rulefiles.loader import RuleError, load_rule_file
from followup_lint.ruletypes import TYPES
from followup_lint.ruletypes.common import RuleType


def _rule(tmp_path, rtype: str, message: str, body: str):
    path = tmp_path / "house.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        id: house
        title: A house rule
        severity: warning
        type: {rtype}
        message: "{message}"
        rationale: "A reason a reader would care about."
        """)
        + textwrap.dedent(body)
        + textwrap.dedent("""\
        examples:
          fires: ["Sorry to bother you."]
          passes: ["Thank you."]
        """)
    )
    return path


def test_every_rule_type_has_the_typed_check_and_its_own_validation():
    for name, module in TYPES.items():
        assert isinstance(module.FIELDS, frozenset) and isinstance(module.FIXES, frozenset), name
        assert list(inspect.signature(module.check).parameters) == ["rule", "parsed", "ctx", "settings"], name
        assert list(inspect.signature(module.validate).parameters) == ["data", "located"], name
        assert {"check", "validate", "FIELDS", "FIXES"} <= set(dir(module)), name
    assert set(RuleType.__annotations__) == {"FIELDS", "FIXES"}


@pytest.mark.parametrize(
    "rtype, body, line, needle",
    [
        (
            "metric",
            """\
        options: {max_words: 150}
        conditions:
          - metric: words
            above: max_word
        """,
            10,
            "above: 'max_word' is not one of the rule's options (max_words)",
        ),
        (
            "metric",
            """\
        conditions:
          - metric: words
            and: [{metric: grade}]
        """,
            8,
            "a metric condition needs `above:` or `below:`",
        ),
        (
            "metric",
            """\
        conditions:
          - metric: words
            above: 100
            and: [{metric: grade, below: easy}]
        """,
            10,
            "below: 'easy' is not one of the rule's options (none defined)",
        ),
        (
            "timing",
            """\
        options: {wait_days: 7}
        timing:
          earliest:
            - {after: interview_date, days: wait}
        """,
            10,
            "days: 'wait' is not one of the rule's options (wait_days)",
        ),
    ],
)
def test_a_type_reports_its_own_keys_with_file_and_line(tmp_path, rtype, body, line, needle):
    path = _rule(tmp_path, rtype, "Too much.", body)
    with pytest.raises(RuleError) as exc:
        load_rule_file(path)
    assert str(exc.value) == f"{path}:{line}: {needle}"


@pytest.mark.parametrize(
    "rtype, message, body, field",
    [
        # A require rule fires because nothing matched: there is no {match} to show.
        ("require", "Say {match}.", "patterns:\n  - phrases: [thank]\n", "match"),
        # Only metric rules measure a {value}.
        ("forbid", "{value} is too many.", "patterns:\n  - phrases: [bother]\n", "value"),
    ],
)
def test_a_message_names_only_what_its_type_fills_in(tmp_path, rtype, message, body, field):
    path = _rule(tmp_path, rtype, message, body)
    with pytest.raises(RuleError, match=rf"message uses \{{{field}\}}, which is not available"):
        load_rule_file(path)


def test_settings_are_an_argument_not_a_field_of_the_rule(tmp_path):
    assert "project" not in {f.name for f in dataclasses.fields(Rule)}
    from followup_lint.rulefiles.config import Config, build_ruleset

    (tmp_path / ".followup-lint-words.txt").write_text("Oppurtunity\n")
    ruleset = build_ruleset(Config(root=tmp_path, language="en-GB"))
    assert ruleset.settings == ProjectSettings(
        words=("oppurtunity",), language="en-GB", grammar=None, spelling_runs=True
    )
    assert all(r is ruleset.by_id[r.id] for r in ruleset.rules)


def test_the_word_list_beside_the_config_still_reaches_the_cache_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text("select: [spelling]\n")
    (tmp_path / "d.txt").write_text("Hi Sam,\n\nThank you for the oppurtunity to meet the team.\n\nBest,\nJo\n")
    args = ["--cache-dir", str(tmp_path / "cache"), "--format", "json", "d.txt"]
    first = CliRunner().invoke(lint_command, args)
    assert first.exit_code == 1 and "oppurtunity" in first.output
    (tmp_path / ".followup-lint-words.txt").write_text("oppurtunity\n")
    second = CliRunner().invoke(lint_command, args)
    assert second.exit_code == 0, second.output


def test_grammar_settings_are_checked_by_the_grammar_type(tmp_path):
    from followup_lint.rulefiles.config import ConfigError, load

    path = tmp_path / ".followup-lint.yaml"
    path.write_text("words: [x]\ngrammar:\n  server: https://api.languagetool.org\n")
    with pytest.raises(ConfigError) as exc:
        load(path)
    assert str(exc.value).startswith(f"{path}:3: grammar: server 'https://api.languagetool.org' is the public")
