"""The pre-commit hooks, for real: a temporary git repository of drafts uses the README's
`.pre-commit-config.yaml` snippet (pointed at a snapshot of this checkout), `git commit`
runs the hook, a bad draft is refused with its findings printed and a good one goes in.

pre-commit builds the hook's own environment (spaCy and the model from the package index),
once for the module; with pre-commit-uv (in the test extra) that takes seconds.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

GOOD = """Dear Ms. Okafor,

Thank you for meeting with me on Tuesday to talk about the lab manager role. Hearing how
your team plans the move to the new building made me even more keen to join you.

If it would help, I'm happy to send the inventory checklist I built for my current lab.

Best regards,
Jun Park
"""
BAD = "Hi Sam,\n\nHave you made a decision yet? I need an answer ASAP.\n\nThanks,\nJo\n"
# One warning, but a score well above 60: the score gate lets it through.
MIDDLING = GOOD.replace("If it would help, I'm happy to send", "Could you let me know by Friday? I can send")


IDENTITY = {
    "GIT_AUTHOR_NAME": "Jun Park",
    "GIT_AUTHOR_EMAIL": "jun@example.org",
    "GIT_COMMITTER_NAME": "Jun Park",
    "GIT_COMMITTER_EMAIL": "jun@example.org",
}


def _git(cwd, *args, check=True):
    # A machine without a git identity (a fresh CI box) can still commit.
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=check, env={**os.environ, **IDENTITY}
    )


def _snapshot(dest: Path) -> str:
    """This checkout's package files as they are now (committed or not), committed in a
    repository of their own: what a user's `repo:` points at. Returns the commit."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, dest / name)
    for folder in ("followup_lint", "rules"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return _git(dest, "rev-parse", "HEAD").stdout.strip()


def _readme_config(hook_repo, score_gate=False) -> str:
    """The README's .pre-commit-config.yaml pointed at `hook_repo`; with `score_gate`, its
    score-gate snippet in place of the plain hook."""
    section = (ROOT / "README.md").read_text().split("## pre-commit and CI", 1)[1]
    config, gate = (yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)[:2])
    assert config["repos"][0]["hooks"][0]["id"] == "followup-lint"
    assert gate[0]["id"] == "followup-lint-score"
    repo = config["repos"][0]
    repo["repo"], repo["rev"] = str(hook_repo[0]), hook_repo[1]
    if score_gate:
        repo["hooks"] = gate
    return yaml.safe_dump(config, sort_keys=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    base = tmp_path_factory.mktemp("precommit")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "pre-commit-home"),  # a fresh hook environment
        "FOLLOWUP_LINT_CACHE_DIR": str(base / "results-cache"),
        **IDENTITY,
        "NO_COLOR": "1",
    }


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    path = tmp_path_factory.mktemp("hook") / "followup-lint"
    return path, _snapshot(path)


@pytest.fixture
def drafts_repo(tmp_path, hook_repo, env):
    repo = tmp_path / "applications"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(_readme_config(hook_repo))
    (repo / "README.md").write_text("# My applications\n\nHave you made a decision yet? ASAP!!!\n")
    _git(repo, "add", ".pre-commit-config.yaml", "README.md")
    _git(repo, "commit", "-q", "--no-verify", "-m", "config")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo


def _commit(repo, env, message):
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )


def test_a_bad_draft_is_refused_and_a_good_one_is_committed(drafts_repo, env):
    (drafts_repo / "acme.txt").write_text(BAD)
    (drafts_repo / "globex.md").write_text(GOOD)
    _git(drafts_repo, "add", "acme.txt", "globex.md")
    proc = _commit(drafts_repo, env, "acme and globex")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "followup-lint" in out and "Failed" in out
    assert re.search(r"acme\.txt:3:\d+: warning \[pushy\]", out), out
    assert "globex.md: score 100/100 (ready)" in out
    assert _git(drafts_repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"  # nothing committed

    (drafts_repo / "acme.txt").write_text(GOOD.replace("lab manager", "lab technician"))
    _git(drafts_repo, "add", "acme.txt")
    proc = _commit(drafts_repo, env, "acme, rewritten")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert re.search(r"^followup-lint\.+Passed$", out, re.M), out
    assert _git(drafts_repo, "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_documents_named_in_capitals_are_not_drafts(drafts_repo, env):
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "followup-lint", "--all-files", "--verbose"],
        cwd=drafts_repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # README.md would fail (pushy, needy) but is skipped: no files to check.
    assert proc.returncode == 0 and "(no files to check)Skipped" in proc.stdout, proc.stdout + proc.stderr


def test_the_score_gate_shows_findings_but_blocks_only_a_low_score(drafts_repo, hook_repo, env):
    (drafts_repo / ".pre-commit-config.yaml").write_text(_readme_config(hook_repo, score_gate=True))
    _git(drafts_repo, "add", ".pre-commit-config.yaml")  # pre-commit refuses an unstaged config
    (drafts_repo / "initech.txt").write_text(MIDDLING)
    (drafts_repo / "umbrella.txt").write_text(BAD)

    def gate(*files):
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "followup-lint-score", "--verbose", "--files", *files],
            cwd=drafts_repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    proc = gate("initech.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"initech\.txt:\d+:\d+: warning \[pushy\]", proc.stdout), proc.stdout  # shown, not blocking
    assert re.search(r"initech\.txt: score (\d+)/100", proc.stdout)
    assert int(re.search(r"initech\.txt: score (\d+)/100", proc.stdout).group(1)) >= 70  # the README's --fail-under
    proc = gate("initech.txt", "umbrella.txt")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"umbrella\.txt: score \d+/100 \(rewrite\)", proc.stdout), proc.stdout


def test_the_configs_exclude_holds_under_pre_commit(drafts_repo, hook_repo, env):
    """pre-commit names each staged file; the hooks pass --force-exclude so that the
    config's `exclude:` still keeps templates out (issue 18, item 9)."""
    (drafts_repo / ".followup-lint.yaml").write_text("exclude: [templates/, '*.draft.md']\n")
    (drafts_repo / "templates").mkdir()
    (drafts_repo / "templates" / "pushy-example.txt").write_text(BAD)
    (drafts_repo / "notes.draft.md").write_text(BAD)
    (drafts_repo / "globex.md").write_text(GOOD)
    _git(drafts_repo, "add", ".followup-lint.yaml", "templates/pushy-example.txt", "notes.draft.md", "globex.md")
    for hook in ("followup-lint", "followup-lint-score"):
        (drafts_repo / ".pre-commit-config.yaml").write_text(
            _readme_config(hook_repo, score_gate=hook != "followup-lint")
        )
        _git(drafts_repo, "add", ".pre-commit-config.yaml")
        proc = subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", hook, "--verbose"],
            cwd=drafts_repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0, out
        assert "globex.md: score 100/100" in out and "pushy-example" not in out and "notes.draft" not in out, out
    (drafts_repo / ".pre-commit-config.yaml").write_text(_readme_config(hook_repo))
    (drafts_repo / "acme.txt").write_text(BAD)  # not excluded: still refused
    _git(drafts_repo, "add", ".pre-commit-config.yaml", "acme.txt")
    proc = _commit(drafts_repo, env, "acme")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and re.search(r"acme\.txt:3:\d+: warning \[pushy\]", out), out
    assert "pushy-example" not in out, out


def test_the_readme_snippet_as_written_with_autoupdate(tmp_path, hook_repo, env):
    """The README's snippet with only `repo:` substituted: its `rev:` placeholder is no tag
    (none exists), and `pre-commit autoupdate --bleeding-edge`, as the README says, fills in
    the newest commit, with which the hook runs (issue 18, item 13)."""
    section = (ROOT / "README.md").read_text().split("## pre-commit and CI", 1)[1]
    config = yaml.safe_load(re.findall(r"```yaml\n(.*?)```", section, re.S)[0])
    config["repos"][0]["repo"] = str(hook_repo[0])
    assert config["repos"][0]["rev"] == "COMMIT_SHA"
    repo = tmp_path / "applications"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    (repo / "globex.md").write_text(GOOD)
    _git(repo, "add", ".")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "autoupdate", "--bleeding-edge"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    updated = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert updated["repos"][0]["rev"] == hook_repo[1]
    _git(repo, "add", ".pre-commit-config.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0 and "globex.md: score 100/100" in proc.stdout, proc.stdout + proc.stderr


def test_the_readme_pip_line_builds_at_a_commit(tmp_path, hook_repo, env):
    """The GitHub Actions `pip install "followup-lint @ git+...@COMMIT_SHA"` line with the
    URL and the commit substituted: pip builds the package at that commit."""
    section = (ROOT / "README.md").read_text().split("**GitHub Actions.**", 1)[1]
    (requirement,) = re.findall(r'pip install "(followup-lint @ git\+[^"]+)"', section)
    assert requirement.endswith("@COMMIT_SHA")
    # file://localhost/...: pip before 24 refuses a git+file:/// URL with no host in a
    # `name @ url` requirement; git reads both forms.
    requirement = requirement.replace("https://github.com/OWNER/followup-lint", f"file://localhost{hook_repo[0]}")
    requirement = requirement.replace("COMMIT_SHA", hook_repo[1])
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), requirement],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = tmp_path.glob("followup_lint-*.whl")
    import zipfile

    assert "followup_lint/rules/pushy.yaml" in zipfile.ZipFile(wheel).namelist()
