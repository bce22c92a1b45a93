"""Rule packs: the example pack, pack.yaml names, installed packs found through entry
points, config overrides, and what an untrusted pack cannot do."""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.engine.linter import Linter
from followup_lint.language import patterns as matching
from followup_lint.language import regex_guard
from followup_lint.read.draft import read_text
from followup_lint.rulefiles.config import Config, ConfigError, build_ruleset, load
from followup_lint.rulefiles.examples import examples_of, run_example
from followup_lint.rulefiles.loader import RuleError, builtin_rules, load_rule_file
from followup_lint.rulefiles.packs import from_folder

ROOT = Path(__file__).resolve().parent.parent
HOUSE = ROOT / "examples" / "house-rules"
PACKAGE = ROOT / "examples" / "pack-package"
CLI = [sys.executable, "-m", "followup_lint"]

RULE = """\
id: {id}
title: A test rule
severity: warning
type: forbid
message: "{{match!r}} is not allowed."
rationale: A rule written for the test suite, with a long enough rationale.
patterns:
  - {pattern}
examples:
  fires: ["I would like to say {word} here."]
  passes: ["Nothing to see in this sentence."]
"""


def rule_file(folder: Path, rule_id="no-hope", pattern="phrases: [hope]", word="hope") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{rule_id}.yaml"
    path.write_text(RULE.format(id=rule_id, pattern=pattern, word=word))
    return path


def run(*args, env=None):
    return CliRunner().invoke(lint_command, list(args), env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=False)


# --- the example pack in the repository ------------------------------------------------

HOUSE_CASES = [(rule, *ex) for rule in from_folder(HOUSE).rules() for ex in examples_of(rule)]


@pytest.fixture(scope="module")
def house_linter():
    return Linter(Config(root=ROOT, packs=[str(HOUSE)]), select=["house-rules"])


@pytest.mark.parametrize(
    "rule,expect,index,text,context", HOUSE_CASES, ids=[f"{r.id}-{e}-{i}" for r, e, i, _t, _c in HOUSE_CASES]
)
def test_example_pack_examples(house_linter, rule, expect, index, text, context):
    result = run_example(house_linter, rule, expect, index, text, context)
    assert result.ok, f"{rule.id} should {'fire' if expect == 'fires' else 'pass'} on: {text!r}\n  {result.detail}"


def test_example_pack_has_three_rules_of_different_types():
    pack = from_folder(HOUSE)
    rules = pack.rules()
    assert pack.name == "house-rules" and pack.description
    assert len(rules) == 3 and len({r.type for r in rules}) == 3
    assert all(r.id.startswith("house-rules/") and r.pack == "house-rules" for r in rules)
    assert all(len(r.examples["fires"]) >= 2 and len(r.examples["passes"]) >= 2 for r in rules)


# --- pack.yaml and names -----------------------------------------------------------------


def test_pack_yaml_name_prefixes_ids(tmp_path):
    folder = tmp_path / "some_folder"
    rule_file(folder)
    (folder / "pack.yaml").write_text("name: coach\ndescription: A coach's pet peeves.\n")
    cfg = Config(root=tmp_path, packs=["./some_folder"])
    ids = [r.id for r in build_ruleset(cfg).rules]
    assert "coach/no-hope" in ids and not any(i.startswith("some_folder") for i in ids)


@pytest.mark.parametrize(
    "text,line,needle",
    [
        ("name: Bad Name\n", 1, "not a usable pack name"),
        ("name: coach\nversion: 2\n", 2, "unknown key 'version'"),
        ("name: [coach\n", 2, "invalid YAML"),
    ],
)
def test_bad_pack_yaml_is_path_line(tmp_path, text, line, needle):
    folder = tmp_path / "coach"
    rule_file(folder)
    (folder / "pack.yaml").write_text(text)
    with pytest.raises(RuleError) as exc:
        from_folder(folder)
    assert str(exc.value).startswith(f"{folder / 'pack.yaml'}:{line}: ") and needle in str(exc.value), str(exc.value)


def test_folder_name_must_be_usable_without_pack_yaml(tmp_path):
    rule_file(tmp_path / "House Rules")
    with pytest.raises(RuleError, match="not a usable pack name.*pack.yaml"):
        from_folder(tmp_path / "House Rules")


def test_two_packs_with_one_name_are_a_config_error(tmp_path):
    rule_file(tmp_path / "a")
    rule_file(tmp_path / "b")
    (tmp_path / "b" / "pack.yaml").write_text("name: a\n")
    (tmp_path / ".followup-lint.yaml").write_text("packs:\n  - ./a\n  - ./b\n")
    with pytest.raises(ConfigError) as exc:
        build_ruleset(load(tmp_path / ".followup-lint.yaml"))
    assert ".followup-lint.yaml:3: pack name 'a'" in str(exc.value) and "already taken" in str(exc.value)


def test_a_pack_cannot_take_a_builtin_rules_name(tmp_path):
    rule_file(tmp_path / "pushy")
    with pytest.raises(ConfigError, match="already taken by a built-in rule"):
        build_ruleset(Config(root=tmp_path, packs=["./pushy"]))


def test_unknown_pack_name_says_what_is_installed(tmp_path):
    (tmp_path / ".followup-lint.yaml").write_text("packs: [no-such-pack]\n")
    with pytest.raises(ConfigError) as exc:
        build_ruleset(load(tmp_path / ".followup-lint.yaml"))
    assert ":1: no rule pack 'no-such-pack'" in str(exc.value) and "installed" in str(exc.value)


def test_bare_name_of_a_folder_beside_the_config_is_that_folder(tmp_path):
    rule_file(tmp_path / "coach")
    assert "coach/no-hope" in [r.id for r in build_ruleset(Config(root=tmp_path, packs=["coach"])).rules]


# --- overriding rules from the config ----------------------------------------------------

BODY = "Thank you for the interview; I am very keen on the analyst role. " * 14
LONG = f"Dear Sam,\n\n{BODY}\n\nBest,\nJo\n"
LOUD = f"Dear Sam,\n\nWow! Great! {BODY}\n\nBest,\nJo\n"


def _rules_fired(cfg, text=LONG, context=None):
    report = Linter(cfg).lint_draft(read_text(text, "d.txt"), context)
    return {f.rule: f for f in report.findings}


def test_builtin_and_pack_options_severity_and_enabled_are_overridable(tmp_path):
    shutil.copytree(HOUSE, tmp_path / "house-rules")
    assert 150 < len(LONG.split()) < 200
    base = _rules_fired(Config(root=tmp_path, packs=["./house-rules"]), LOUD)
    assert "too-long" in base and "house-rules/one-exclamation" in base
    (tmp_path / ".followup-lint.yaml").write_text(
        "packs: [./house-rules]\n"
        "rules:\n"
        "  too-long: {max_words: 200}\n"
        "  house-rules/one-exclamation: {max_exclamations: 2}\n"
        "  house-rules/job-reference: {severity: warning, weight: 1}\n"
        "  interest-missing: {enabled: false}\n"
    )
    cfg = load(tmp_path / ".followup-lint.yaml")
    fired = _rules_fired(cfg, LOUD)
    assert "too-long" not in fired and "house-rules/one-exclamation" not in fired
    assert fired["house-rules/job-reference"].severity == "warning" and fired["house-rules/job-reference"].weight == 1
    assert "interest-missing" not in {r.id for r in build_ruleset(cfg).rules}
    assert "house-rules/one-exclamation" in _rules_fired(cfg, LOUD.replace("Great!", "Great! Truly!"))


def test_an_option_must_keep_its_type(tmp_path):
    (tmp_path / ".followup-lint.yaml").write_text("rules:\n  too-long:\n    max_words: lots\n")
    with pytest.raises(ConfigError) as exc:
        build_ruleset(load(tmp_path / ".followup-lint.yaml"))
    assert ".followup-lint.yaml:3: rule 'too-long': max_words takes a number" in str(exc.value)


# --- installed packs: entry points --------------------------------------------------------


def _env(*paths):
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}


@pytest.mark.slow
def test_installed_example_package_is_found_through_its_entry_point(tmp_path):
    """pip-install examples/pack-package into a folder of its own; a config names it."""
    source = tmp_path / "src"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    assert (target / "followup_lint_acme" / "no-just-checking.yaml").is_file()
    project = tmp_path / "project"
    project.mkdir()
    (project / ".followup-lint.yaml").write_text("packs: [acme]\n")
    (project / "draft.txt").write_text(
        "Dear Sam,\n\nJust checking in on the analyst role. I am still keen.\n\nBest,\nJo\n"
    )
    env = _env(target)

    out = subprocess.run(
        CLI + ["--no-cache", "--format", "json", "draft.txt"], cwd=project, env=env, capture_output=True, text=True
    )
    assert out.returncode == 1, out.stderr
    assert "acme/no-just-checking" in [f["rule"] for f in json.loads(out.stdout)["files"][0]["findings"]]

    listed = subprocess.run(CLI + ["rules", "packs"], cwd=project, env=env, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"acme\s+1 rules\s+installed: followup-lint-acme 1\.0\.0", listed.stdout), listed.stdout

    tested = subprocess.run(CLI + ["rules", "test"], cwd=project, env=env, capture_output=True, text=True)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert re.search(r"^pass\s+acme/no-just-checking\s+3/3\s+3/3$", tested.stdout, re.M), tested.stdout

    # Without the package on the path, the config's pack name is an error, not silence.
    gone = subprocess.run(CLI + ["--no-cache", "draft.txt"], cwd=project, env=_env(), capture_output=True, text=True)
    assert gone.returncode == 2 and ".followup-lint.yaml:1: no rule pack 'acme'" in gone.stderr


def _dist_info(site: Path, name: str, value: str) -> None:
    """A distribution's metadata as pip would leave it: importlib.metadata reads this."""
    info = site / f"{name.replace('-', '_')}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[followup_lint.packs]\n{value}\n")


def test_entry_point_may_name_a_callable_returning_the_folder(tmp_path):
    site = tmp_path / "site"
    package = site / "coachpack"
    rule_file(package / "rules_here")
    (package / "__init__.py").write_text(
        "from pathlib import Path\n\ndef pack_dir():\n    return Path(__file__).parent / 'rules_here'\n"
    )
    _dist_info(site, "coach-pack", "coach = coachpack:pack_dir")
    (tmp_path / ".followup-lint.yaml").write_text("packs: [coach]\n")
    (tmp_path / "d.txt").write_text(
        "Dear Sam,\n\nThank you for the interview. I hope to join the team; I am keen.\n\nBest,\nJo\n"
    )
    out = subprocess.run(CLI + ["--no-cache", "d.txt"], cwd=tmp_path, env=_env(site), capture_output=True, text=True)
    assert "[coach/no-hope]" in out.stdout, out.stdout + out.stderr


def test_a_broken_entry_point_names_its_distribution(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _dist_info(site, "broken-pack", "broken = no_such_module_anywhere")
    (tmp_path / ".followup-lint.yaml").write_text("packs: [broken]\n")
    (tmp_path / "d.txt").write_text("Thank you.\n")
    out = subprocess.run(CLI + ["--no-cache", "d.txt"], cwd=tmp_path, env=_env(site), capture_output=True, text=True)
    assert out.returncode == 2
    assert "broken-pack 0.1: entry point broken = no_such_module_anywhere" in out.stderr
    assert "cannot load it: ModuleNotFoundError" in out.stderr and "Traceback" not in out.stderr


# --- an untrusted pack cannot run code ----------------------------------------------------


def test_yaml_tags_that_would_run_code_are_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "pack" / "evil.yaml"
    path.parent.mkdir()
    path.write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\ntitle: x\n")
    with pytest.raises(RuleError) as exc:
        load_rule_file(path)
    assert f"{path}:1: invalid YAML" in str(exc.value)
    assert not marker.exists()


@pytest.mark.parametrize(
    "message,needle",
    [
        ("{match.__class__.__init__.__globals__}", "attributes and indexes are not allowed"),
        ("{match[0]}", "attributes and indexes are not allowed"),
        ("{match:>999999999}", "use a short format"),
        ("{match!a}", "only !r and !s"),
        ("unbalanced { brace", "literal braces"),
    ],
)
def test_message_templates_only_fill_in_values(tmp_path, message, needle):
    path = rule_file(tmp_path / "pack")
    path.write_text(path.read_text().replace('"{match!r} is not allowed."', json.dumps(message)))
    with pytest.raises(RuleError) as exc:
        load_rule_file(path)
    assert f"{path}:5: " in str(exc.value) and needle in str(exc.value), str(exc.value)


@pytest.mark.parametrize(
    "pattern",
    [
        r"regex: '(a+)+$'",
        r"regex: '(\w+\s?)*!'",
        r"regex: '(?:aa|a)+b'",
        r"tokens: [{TEXT: {REGEX: '^(\d+\.?)+$'}}]",
    ],
)
def test_catastrophic_regexes_are_refused_with_path_and_line(tmp_path, pattern):
    path = rule_file(tmp_path / "pack", pattern=pattern)
    with pytest.raises(RuleError) as exc:
        load_rule_file(path)
    assert f"{path}:8: regex refused: " in str(exc.value), str(exc.value)


@pytest.mark.parametrize(
    "pattern,risky",
    [
        (r"(a+)+$", True),
        (r"(a*)*b", True),
        (r"(\w+\s?)+$", True),
        (r"(\d+\.?)+x", True),
        (r"(?:\s*\w+)*$", True),
        (r"(a+){0,50}b", True),
        (r"(a+|b)+c", True),
        (r"(a|a)*b", True),
        (r"(?:aa|a)+b", True),
        (r"(?:foo|f\w+)+!", True),
        (r"(\w+\s)+", False),
        (r"(?:[^,]+,)*", False),
        (r"\d{1,3}(?:,\d{3})*", False),
        (r"(?:\w+\s+){0,3}end", False),
        (r"\b[A-Z]{2,4}-\d{3,6}\b", False),
        (r"(?>a+)+b", False),
        (r"(?:a++)+b", False),
        (r"(?:ab|cd)+", False),
        (r"(\w|\d)+!", False),  # Python folds it into [\w\d]+: linear per position
    ],
)
def test_regex_guard_tells_exponential_shapes_from_safe_ones(pattern, risky):
    if risky:
        with pytest.raises(regex_guard.RegexRisk):
            regex_guard.check(pattern, re.IGNORECASE)
    else:
        regex_guard.check(pattern, re.IGNORECASE)


def test_every_builtin_regex_passes_the_guard():
    # Loading applies the guard; this names what it checked, so an empty walk cannot pass.
    found = [p["regex"] for r in builtin_rules() for p in r.patterns if "regex" in p]
    assert len(found) >= 8


SLOW_RULE_PACK = "bang"


@pytest.fixture
def slow_rule_linter(tmp_path, monkeypatch):
    """A rule whose regex is quadratic (it passes the guard) and a budget small enough
    that a long run of letters exceeds it."""
    rule_file(tmp_path / SLOW_RULE_PACK, rule_id="shout", pattern=r"regex: '\w+!'", word="wow!")
    monkeypatch.setattr(matching, "REGEX_BUDGET", 0.02)
    return Linter(Config(root=tmp_path, packs=[f"./{SLOW_RULE_PACK}"]))


def _long_draft():
    return read_text("Dear Sam,\n\nMaybe we could just talk it over. " + "a" * 8000 + "\n\nBest,\nJo\n", "long.txt")


def _check_skipped(report, tmp_path):
    notes = [n for n in report.notes if "bang/shout" in n]
    assert len(notes) == 1, report.notes
    assert notes[0].startswith(
        f"{tmp_path / SLOW_RULE_PACK / 'shout.yaml'}:8: rule 'bang/shout' skipped for this draft: regex `\\w+!` ran past"
    )
    assert "bang/shout" not in {f.rule for f in report.findings}
    assert {"thanks-missing", "interest-missing"} <= {f.rule for f in report.findings}  # the other rules still ran


def test_a_slow_regex_is_cut_off_and_reported(slow_rule_linter, tmp_path):
    _check_skipped(slow_rule_linter.lint_draft(_long_draft()), tmp_path)
    # Short drafts stay well inside the budget: the rule works.
    report = slow_rule_linter.lint_draft(
        read_text("Dear Sam,\n\nThank you, wow! I am keen on the role.\n\nBest,\nJo\n", "s.txt")
    )
    assert "bang/shout" in {f.rule for f in report.findings} and not report.notes


def test_a_slow_regex_is_reported_off_the_main_thread_too(slow_rule_linter, tmp_path):
    # The language server lints on a worker thread, where no signal can interrupt `re`:
    # the rule stops after the match that ran over.
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("report", slow_rule_linter.lint_draft(_long_draft())))
    worker.start()
    worker.join()
    _check_skipped(out["report"], tmp_path)
