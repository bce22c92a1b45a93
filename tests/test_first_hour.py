"""The rough edges a new user hits in the first hour (issue 18, items 5, 6, 8-12): the
help lists every command, typos get a "did you mean", schedule infers the kind as the lint
does, exclude: holds for files named on the command line (--force-exclude), the progress
bar guesses no ETA it cannot know, context can live in the config, and weekends move the
suggested check-in day."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import SUBCOMMANDS, lint_command, main

ROOT = Path(__file__).resolve().parent.parent


def run(*args, input=None):
    return CliRunner().invoke(lint_command, list(args), input=input, env={"NO_COLOR": "1"}, catch_exceptions=False)


def run_main(args, capsys):
    """Through main(), which picks subcommands: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    out = capsys.readouterr()
    return code, out.out, out.err


# --- 5. --help lists every subcommand ------------------------------------------------------


def test_help_lists_every_subcommand_with_one_line():
    out = run("--help").output
    commands = out.split("Commands", 1)[1]
    for name, cmd in SUBCOMMANDS.items():
        line = next((l for l in commands.splitlines() if l.strip().startswith(name + " ") or l.strip() == name), None)
        assert line is not None, f"{name} missing from --help:\n{out}"
        assert cmd.get_short_help_str(limit=300).split()[0] in commands
    assert {"eval", "schedule", "lsp", "rules"} <= set(SUBCOMMANDS)


# --- 6. did you mean ---------------------------------------------------------------------


def test_explain_a_misspelt_rule_suggests_the_closest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--explain", "pushi")
    assert result.exit_code == 2
    assert "unknown rule 'pushi'" in result.output and "did you mean 'pushy'?" in result.output


def test_select_a_misspelt_rule_suggests_the_closest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--select", "too-lnog", "x.txt")
    assert result.exit_code == 2
    assert "did you mean 'too-long'?" in result.output


def test_config_key_typo_names_the_key_and_suggests(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text("rules:\n  pushy:\n    severty: error\n")
    (tmp_path / "d.txt").write_text("Hi Sam,\n\nThank you.\n\nJo\n")
    result = run("d.txt")
    assert result.exit_code == 2
    assert ".followup-lint.yaml:3:" in result.output
    assert "'severty'" in result.output and "did you mean 'severity'?" in result.output
    (tmp_path / ".followup-lint.yaml").write_text("ignore: [pushy]\nexlude: [old/]\n")
    result = run("d.txt")
    assert ".followup-lint.yaml:2:" in result.output
    assert "unknown key 'exlude'" in result.output and "did you mean 'exclude'?" in result.output


def test_rule_file_key_typo_names_the_key_not_a_missing_one(tmp_path):
    from followup_lint.rulefiles.loader import RuleError, load_rule_file

    text = (ROOT / "rules" / "pushy.yaml").read_text().replace("\nseverity:", "\nseverty:")
    (tmp_path / "pushy.yaml").write_text(text)
    with pytest.raises(RuleError) as err:
        load_rule_file(tmp_path / "pushy.yaml")
    message = str(err.value)
    assert "unknown key 'severty'" in message and "did you mean 'severity'?" in message, message
    assert "required property" not in message


# --- 8. schedule infers the kind as the lint does ------------------------------------------

CHECKIN = "Hi Sam,\n\nI wanted to check in on the analyst role. I am happy to send references if they would help.\n\nBest,\nJo\n"


def test_schedule_judges_the_kind_the_lint_infers(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "checkin.txt").write_text(CHECKIN)
    dates = ["--today", "2026-11-12", "--interview-date", "2026-11-10"]
    code, out, _ = run_main(["--format", "json", *dates, "checkin.txt"], capsys)
    linted = json.loads(out)["files"][0]
    assert (linted["kind"], linted["kind_source"]) == ("check-in", "inferred")
    code, out, _ = run_main(["schedule", "checkin.txt", *dates], capsys)
    assert "checkin.txt: check-in (inferred) sent 2026-11-12 (today): too early by 5 day(s)" in out, out
    assert code == 1
    code, out, _ = run_main(["schedule", "checkin.txt", "--format", "json", *dates], capsys)
    draft = json.loads(out)["draft"]
    assert (draft["kind"], draft["kind_source"], draft["days_early"]) == ("check-in", "inferred", 5)
