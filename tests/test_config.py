"""Configuration files: discovery, validation with file:line, and their effect."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command

LONG = (
    "Dear Sam,\n\n"
    + "Thank you for the interview; I'm very interested in the role and the team. " * 12
    + "\n\nBest,\nJo\n"
)


def run(*args):
    return CliRunner().invoke(lint_command, list(args), env={"NO_COLOR": "1"}, catch_exceptions=False)


def rules_fired(result):
    return {f["rule"] for f in json.loads(result.output)["files"][0]["findings"]}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts" / "acme").mkdir(parents=True)
    (tmp_path / "drafts" / "acme" / "long.txt").write_text(LONG)
    return tmp_path


def test_without_config_too_long_fires(repo):
    assert "too-long" in rules_fired(run("--format", "json", "drafts/acme/long.txt"))


def test_yaml_config_found_by_walking_up(repo):
    (repo / ".followup-lint.yaml").write_text("rules:\n  too-long:\n    max_words: 400\n")
    assert "too-long" not in rules_fired(run("--format", "json", "drafts/acme/long.txt"))


def test_pyproject_config(repo):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.followup-lint]\nignore = ["too-long"]\n')
    assert "too-long" not in rules_fired(run("--format", "json", "drafts/acme/long.txt"))


def test_per_file_ignores(repo):
    (repo / ".followup-lint.yaml").write_text("per-file-ignores:\n  'drafts/acme/*': [too-long]\n")
    assert "too-long" not in rules_fired(run("--format", "json", "drafts/acme/long.txt"))


def test_severity_override_and_disable(repo):
    (repo / ".followup-lint.yaml").write_text("rules:\n  too-long:\n    severity: info\n")
    result = run("--format", "json", "drafts/acme/long.txt")
    f = next(f for f in json.loads(result.output)["files"][0]["findings"] if f["rule"] == "too-long")
    assert f["severity"] == "info" and result.exit_code == 0
    (repo / ".followup-lint.yaml").write_text("rules:\n  too-long:\n    enabled: false\n")
    assert "too-long" not in rules_fired(run("--format", "json", "drafts/acme/long.txt"))


def test_front_matter_ignore(repo):
    (repo / "drafts" / "fm.txt").write_text("---\nignore: [too-long]\n---\n" + LONG)
    assert "too-long" not in rules_fired(run("--format", "json", "drafts/fm.txt"))


def test_exclude_skips_paths_in_directory_walks(repo):
    (repo / "drafts" / "old").mkdir()
    (repo / "drafts" / "old" / "x.txt").write_text(LONG)
    (repo / ".followup-lint.yaml").write_text("exclude: ['drafts/old']\n")
    paths = [f["path"] for f in json.loads(run("--format", "json", "drafts").output)["files"]]
    assert paths == [str(Path("drafts/acme/long.txt"))]


def test_gitignored_drafts_are_skipped(repo):
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / ".gitignore").write_text("drafts/acme/\n")
    (repo / "drafts" / "keep.txt").write_text(LONG)
    paths = [f["path"] for f in json.loads(run("--format", "json", "drafts").output)["files"]]
    assert paths == [str(Path("drafts/keep.txt"))]


@pytest.mark.parametrize(
    "config,line,needle",
    [
        ("select: [pushy]\nfrobnicate: true\n", 2, "unknown key 'frobnicate'"),
        ("rules:\n  pushy:\n    severity: loud\n", 3, "rules/pushy/severity"),
        ("ignore:\n  - pushy\n  - no-such-rule\n", 3, "unknown rule id 'no-such-rule'"),
        ("rules:\n  too-long:\n    max_lines: 3\n", 3, "has no option 'max_lines'"),
        ("rules:\n  not-a-rule: {severity: info}\n", 2, "unknown rule id 'not-a-rule'"),
        ("select: [pushy\n", 2, "invalid YAML"),
        ("packs: [./missing-pack]\n", 1, "rule pack folder not found"),
        ("- select\n- ignore\n", 1, "the configuration must be a mapping of keys"),
        ("select: [pushy]\n\tignore: []\n", 2, "invalid YAML: found character that cannot start any token"),
        ("grammar:\n  server: http://localhost:8081\n  colour: blue\n", 3, "unknown key 'colour' under 'grammar'"),
        ("rules:\n  too-long:\n    max_words: lots\n", 3, "max_words takes a number"),
        ("max-file-size: 10 GBs\n", 1, "max-file-size"),
    ],
)
def test_config_errors_name_file_and_line(repo, config, line, needle):
    (repo / ".followup-lint.yaml").write_text(config)
    result = run("drafts/acme/long.txt")
    assert result.exit_code == 2
    assert f".followup-lint.yaml:{line}: " in result.output and needle in result.output, result.output
    assert "Traceback" not in result.output


def test_pyproject_error_names_line(repo):
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.followup-lint]\nselect = ["pushy"]\nbogus = 1\n'
    )
    result = run("drafts/acme/long.txt")
    assert result.exit_code == 2 and "pyproject.toml:6: unknown key 'bogus'" in result.output


def test_user_pack_rules_run_with_prefixed_ids(repo):
    pack = repo / "house-rules"
    pack.mkdir()
    (pack / "no-whom.yaml").write_text(
        "id: no-whom\ntitle: Address a person\nseverity: warning\ntype: forbid\nregion: [greeting, body]\n"
        "message: Address the interviewer by name.\nrationale: A follow-up goes to someone you have met; use their name.\n"
        "patterns:\n  - phrases: [to whom it may concern]\n"
        "examples:\n  fires: ['To whom it may concern, thank you.']\n  passes: ['Dear Sam, thank you.']\n"
    )
    (repo / ".followup-lint.yaml").write_text("packs: [./house-rules]\n")
    (repo / "drafts" / "whom.txt").write_text(
        "To whom it may concern,\n\nThank you for the interview. I'm keen on the role.\n"
    )
    assert "house-rules/no-whom" in rules_fired(run("--format", "json", "drafts/whom.txt"))


@pytest.mark.parametrize(
    "rule_text,line,needle",
    [
        (
            "id: x\ntitle: Broken\nseverity: warning\ntype: forbid\nmessage: m m\nrationale: long enough rationale here\npatterns:\n  - regex: '(unclosed'\nexamples: {fires: [a], passes: [b]}\n",
            8,
            "regex does not compile",
        ),
        (
            "id: x\ntitle: Broken\nseverity: warning\ntype: sideways\nmessage: m m\nrationale: long enough rationale here\nexamples: {fires: [a], passes: [b]}\n",
            4,
            "type",
        ),
        ("id: x\ntitle: [unclosed\n", 3, "flow sequence that starts on line 2"),
        (
            "id: x\ntitle: Broken\nseverity: warning\ntype: forbid\nmessage: m m\nrationale: long enough rationale here\npatterns:\n  - tokens: [{LEMMA: {NOPE: [a]}}]\nexamples: {fires: [a], passes: [b]}\n",
            8,
            "invalid pattern",
        ),
        (
            "id: x\ntitle: Broken\nseverity: warning\ntype: forbid\nmessage: m m\nrationale: long enough rationale here\npatterns:\n  - tokens: [{LEMMA: {IN: 5}}]\nexamples: {fires: [a], passes: [b]}\n",
            8,
            "invalid pattern",
        ),
        (
            "id: x\ntitle: Broken\nseverity: warning\ntype: forbid\nmessage: m m\nrationale: long enough rationale here\nwhen: always\npatterns:\n  - phrases: [a]\nexamples: {fires: [a], passes: [b]}\n",
            7,
            "when: 'always' is not of type 'array'",
        ),
        ("id: x\ntitle: Broken\n  severity: warning\n", 3, "invalid YAML: mapping values are not allowed"),
        ("- id: x\n", 1, "a rule file must be a mapping"),
    ],
)
def test_malformed_rule_file_is_path_line_exit_2(repo, rule_text, line, needle):
    pack = repo / "pack"
    pack.mkdir()
    (pack / "broken.yaml").write_text(rule_text)
    (repo / ".followup-lint.yaml").write_text("packs: [./pack]\n")
    result = run("drafts/acme/long.txt")
    assert result.exit_code == 2, result.output
    assert f"broken.yaml:{line}: " in result.output and needle in result.output, result.output
    assert "Traceback" not in result.output


def test_duplicate_rule_id_in_a_pack_is_path_line_exit_2(repo):
    rule = (
        "id: no-whom\ntitle: Address a person\nseverity: warning\ntype: forbid\nmessage: Use their name.\n"
        "rationale: A follow-up goes to someone you have met.\npatterns:\n  - phrases: [to whom it may concern]\n"
        "examples: {fires: ['To whom it may concern, thanks.'], passes: ['Dear Sam, thanks.']}\n"
    )
    pack = repo / "pack"
    pack.mkdir()
    (pack / "a.yaml").write_text(rule)
    (pack / "b.yaml").write_text("# the same rule, copied\n" + rule)
    (repo / ".followup-lint.yaml").write_text("packs: [./pack]\n")
    result = run("drafts/acme/long.txt")
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = result.output.strip()
    assert "\n" not in line
    assert line.endswith(f"b.yaml:2: duplicate rule id 'pack/no-whom' (also in {pack / 'a.yaml'})"), line
