"""`followup-lint rules schema|test|new|packs`, and the "Write your own rule" guide
followed step by step as a new user would."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from followup_lint.cli.main import main
from followup_lint.cli.rules import rules_group
from followup_lint.rulefiles.loader import load_rule_file, rule_schema
from followup_lint.rulefiles.packs import from_folder

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "writing-rules.md"
HOUSE = ROOT / "examples" / "house-rules"
CLI = [sys.executable, "-m", "followup_lint"]


def rules(*args):
    return CliRunner().invoke(rules_group, list(args), env={"NO_COLOR": "1"}, catch_exceptions=False)


# --- schema -----------------------------------------------------------------------------


def test_schema_prints_the_schema_the_loader_uses():
    result = rules("schema")
    assert result.exit_code == 0
    printed = json.loads(result.output)
    assert printed == rule_schema()
    assert printed["$id"] == "urn:followup-lint:schema:rule:1"


def test_schema_for_packs_and_config_and_its_path():
    assert json.loads(rules("schema", "pack").output)["$id"] == "urn:followup-lint:schema:pack:1"
    assert json.loads(rules("schema", "config").output)["$id"] == "urn:followup-lint:schema:config:1"
    path = Path(rules("schema", "--path").output.strip())
    assert path.is_file() and json.loads(path.read_text()) == rule_schema()


def test_rules_is_a_subcommand_of_the_console_script(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["rules", "schema", "--path"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip().endswith("rule.schema.json")


# --- test -------------------------------------------------------------------------------


def test_example_pack_passes_with_a_table(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = rules("test", "examples/house-rules")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["RESULT", "RULE", "FIRES", "PASSES"]
    assert re.search(r"^pass\s+house-rules/no-whom\s+3/3\s+3/3$", result.output, re.M)
    assert len([l for l in lines if l.startswith("pass ")]) == 3
    assert lines[-1] == "3 rules, 17 examples: 17 passed, 0 failed."


def test_a_failing_example_exits_1_and_points_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pack = tmp_path / "house-rules"
    pack.mkdir()
    text = (HOUSE / "no-whom.yaml").read_text()
    # A `passes` example that the rule does flag: the test must catch it.
    text = text.replace(
        '    - "Hi Dana,\\n\\nThank you for showing me the lab.\\n\\nBest,\\nJo"',
        '    - "To whom it may concern,\\n\\nThank you for showing me the lab.\\n\\nBest,\\nJo"',
    )
    (pack / "no-whom.yaml").write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "showing me the lab" in l)
    result = rules("test", "house-rules")
    assert result.exit_code == 1, result.output
    assert re.search(r"^FAIL\s+house-rules/no-whom\s+3/3\s+2/3$", result.output, re.M), result.output
    assert (
        f"house-rules/no-whom.yaml:{line}: house-rules/no-whom should pass on passes example 2 but fired "
        f"(1:1 'To whom it may concern' is for letters to strangers"
    ) in result.output, result.output
    assert "1 failed" in result.output.splitlines()[-1]

    as_json = json.loads(rules("test", "--format", "json", "house-rules").output)
    assert as_json["failed"] == 1 and as_json["rules"][0]["status"] == "fail"
    bad = [e for e in as_json["rules"][0]["examples"] if not e["ok"]]
    assert bad == [{**bad[0], "expect": "passes", "index": 2, "line": line}]


def test_one_rule_file_can_be_tested_alone(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = rules("test", "examples/house-rules/job-reference.yaml")
    assert result.exit_code == 0, result.output
    assert "house-rules/job-reference" in result.output and "no-whom" not in result.output


def test_without_targets_it_tests_builtin_rules_and_configured_packs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text(f"packs: [{HOUSE}]\nrules:\n  too-long: {{max_words: 20}}\n")
    result = rules("test")
    assert result.exit_code == 0, result.output  # overrides do not apply to examples
    for rule_id in ("pushy", "too-long", "negotiation", "house-rules/no-whom", "house-rules/one-exclamation"):
        assert re.search(rf"^pass\s+{re.escape(rule_id)}\s", result.output, re.M), rule_id
    assert re.search(r"^skip\s+grammar\s+-\s+-\s+needs a LanguageTool server", result.output, re.M)


def test_a_broken_rule_file_is_exit_2_with_path_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "x.yaml").write_text(
        (HOUSE / "no-whom.yaml").read_text().replace("severity: warning", "severity: loud")
    )
    result = rules("test", "pack")
    assert result.exit_code == 2
    assert "pack/x.yaml:4: severity: 'loud' is not one of" in result.output and "Traceback" not in result.output


# --- new --------------------------------------------------------------------------------


@pytest.mark.parametrize("rule_type", ["forbid", "require", "metric", "timing"])
def test_new_scaffolds_a_valid_rule_whose_placeholders_fail(tmp_path, monkeypatch, rule_type):
    monkeypatch.chdir(tmp_path)
    result = rules("new", "my-rule", "--type", rule_type, "--dir", "house")
    assert result.exit_code == 0, result.output
    path = tmp_path / "house" / "my-rule.yaml"
    rule = load_rule_file(path)  # passes schema validation and the loader's checks
    assert rule.type == rule_type and rule.rationale and rule.examples["fires"] and rule.examples["passes"]
    assert "rules test" in path.read_text() and "TODO" in path.read_text()
    assert "packs: [./house]" in result.output
    tested = rules("test", "house")
    assert tested.exit_code == 1
    assert "placeholder (it starts with TODO)" in tested.output


def test_new_points_editors_at_a_schema_beside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "rule.schema.json").write_text(rules("schema").output)
    rules("new", "a-rule", "--dir", "house")
    assert (
        (tmp_path / "house" / "a-rule.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=rule.schema.json\n")
    )
    rules("new", "b-rule", "--dir", "elsewhere")
    assert "yaml-language-server: $schema" not in (tmp_path / "elsewhere" / "b-rule.yaml").read_text().splitlines()[0]


@pytest.mark.parametrize(
    "args,needle",
    [
        (["new", "Not An Id"], "not a usable rule id"),
        (["new", "taken"], "already exists"),
    ],
)
def test_new_refuses_bad_ids_and_existing_files(tmp_path, monkeypatch, args, needle):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.yaml").write_text("keep me\n")
    result = rules(*args)
    assert result.exit_code == 2 and needle in result.output
    assert (tmp_path / "taken.yaml").read_text() == "keep me\n"


# --- the guide, followed end to end ---------------------------------------------------------


def _blocks(text: str):
    """(language, first line, body) of each fenced block in the guide."""
    for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.M | re.S):
        body = m.group(2)
        yield m.group(1), body.split("\n", 1)[0], body


def _file_blocks(text: str) -> dict:
    """Blocks that show a whole file: their first line is `# path`."""
    out = {}
    for lang, first, body in _blocks(text):
        m = re.fullmatch(r"# ([\w./-]+\.(?:yaml|txt|toml))(?: \(.*\))?", first)
        if m and lang in ("yaml", "text", "toml"):
            out.setdefault(m.group(1), body.split("\n", 1)[1])  # the first time the guide shows it
    return out


def test_guide_yaml_blocks_parse_and_its_rule_files_load_and_match_the_example_pack(tmp_path):
    text = GUIDE.read_text()
    for lang, _first, body in _blocks(text):
        if lang == "yaml":
            yaml.safe_load(body)
    files = _file_blocks(text)
    shown = {name: body for name, body in files.items() if name.endswith(".yaml") and body.startswith("id:")}
    assert {
        "house-rules/no-whom.yaml",
        "examples/house-rules/job-reference.yaml",
        "examples/house-rules/one-exclamation.yaml",
        "house-rules/thanks-next-day.yaml",
    } <= set(shown)
    guide_pack = tmp_path / "guide"
    guide_pack.mkdir()
    for name, body in shown.items():
        (guide_pack / Path(name).name).write_text(body)
    assert {r.type for r in from_folder(guide_pack).rules()} == {"forbid", "require", "metric", "timing"}
    result = rules("test", str(guide_pack))
    assert result.exit_code == 0, result.output
    # Rules the guide shows from the example pack are that pack's files, word for word.
    for name, body in files.items():
        if name.startswith("examples/house-rules/"):
            repo_text = (ROOT / name).read_text()
            assert body == re.sub(r"\A# yaml-language-server: .*\n", "", repo_text), name
    assert files["house-rules/no-whom.yaml"] == re.sub(
        r"\A# yaml-language-server: .*\n", "", (HOUSE / "no-whom.yaml").read_text()
    )


@pytest.mark.slow
def test_new_user_follows_the_guide(tmp_path):
    """The five steps of "Your first rule in five minutes", as real commands."""
    text = GUIDE.read_text()
    files = _file_blocks(text)
    env = {**os.environ, "NO_COLOR": "1"}

    def cli(*args):
        return subprocess.run(CLI + list(args), cwd=tmp_path, env=env, capture_output=True, text=True)

    # 1. Scaffold.
    assert "followup-lint rules new no-whom --dir house-rules" in text
    step = cli("rules", "new", "no-whom", "--dir", "house-rules")
    assert step.returncode == 0, step.stderr
    # (Its placeholders failing `rules test` is test_new_scaffolds_a_valid_rule_whose_placeholders_fail.)
    assert "TODO" in (tmp_path / "house-rules" / "no-whom.yaml").read_text()
    # 2. Write the rule; 3. turn the pack on; 4. see it fire on the guide's draft.
    for name in ("house-rules/no-whom.yaml", ".followup-lint.yaml", "draft.txt"):
        (tmp_path / name).write_text(files[name])
    shown = re.search(r"```text\n\$ followup-lint draft\.txt\n(.*?)```", text, re.S).group(1)
    step = cli("--no-cache", "draft.txt")
    assert step.returncode == 1, step.stderr
    assert step.stdout == shown, step.stdout
    # 5. Test it.
    shown = re.search(r"```text\n\$ followup-lint rules test house-rules\n(.*?)```", text, re.S).group(1)
    step = cli("rules", "test", "house-rules")
    assert step.returncode == 0, step.stdout + step.stderr
    assert step.stdout == shown
    # --explain shows the new rule like a built-in one.
    step = cli("--explain", "house-rules/no-whom")
    assert step.returncode == 0 and step.stdout.startswith("house-rules/no-whom: Address the person you met")


def test_guide_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert "(docs/writing-rules.md)" in readme and "yaml-language-server: $schema=" in readme
    assert from_folder(HOUSE).name == "house-rules"
