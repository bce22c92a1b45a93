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
        assert cmd().get_short_help_str(limit=300).split()[0] in commands
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


# --- 10. the progress bar's ETA ------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_eta_waits_for_measured_throughput_and_ignores_the_model_load():
    from followup_lint.cli.progress import Eta

    clock = FakeClock()
    eta = Eta(160, clock)
    clock.now = 4.0  # the model loads, then the first batch of 32 lands at once
    for _ in range(32):
        eta.update(1)
        assert eta.text() is None  # nothing measured yet: no guess
        clock.now += 0.001
    for _batch in range(2):  # then a batch of 32 every 0.5 s: 64 drafts a second
        clock.now += 0.5
        for _ in range(32):
            eta.update(1)
    left = eta.seconds_left()
    assert left is not None and abs(left - (160 - 96) / 64) < 0.1, left
    assert eta.text() == "about 1s left"


def test_eta_none_before_a_second_of_measurement():
    from followup_lint.cli.progress import Eta

    clock = FakeClock()
    eta = Eta(100, clock)
    for _ in range(10):
        clock.now += 0.05
        eta.update(1)
    assert eta.seconds_left() is None  # 0.35 s measured: too short to say
    for _ in range(20):
        clock.now += 0.05
        eta.update(1)
    assert abs(eta.seconds_left() - 70 * 0.05) < 0.01


def test_progress_bar_in_a_terminal_shows_no_guessed_eta(tmp_path):
    """A real run in a pseudo-terminal: 12 drafts finish in one burst after the model loads;
    click's ETA charged the load to every draft (hh:mm:ss); there is nothing to measure."""
    import os
    import pty
    import select

    for i in range(12):
        (tmp_path / f"d{i:02d}.txt").write_text(CHECKIN.replace("Jo", f"Jo {i}"))
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "followup_lint", "--no-cache", "--exit-zero", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=120)
    os.close(master)
    text = out.decode("utf-8", "replace")
    assert "Linting" in text, text  # the bar was drawn
    assert not __import__("re").search(r"\d\d:\d\d:\d\d", text), text


# --- 12. weekends --------------------------------------------------------------------------


def test_schedule_keeps_a_weekend_earliest_date_and_suggests_the_next_working_day(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = ["schedule", "--interview-date", "2026-11-14", "--today", "2026-11-15"]  # Sat 14 -> Sat 21
    code, out, _ = run_main(args, capsys)
    assert "Earliest check-in:  Sat 21 Nov 2026 (7 days after the interview)" in out, out
    assert "Suggested check-in: Mon 23 Nov 2026 (Saturday is not a working day;" in out, out
    code, out, _ = run_main([*args, "--format", "json"], capsys)
    plan = json.loads(out)
    assert (plan["checkin_from"], plan["checkin_next_working_day"]) == ("2026-11-21", "2026-11-23")
    code, out, _ = run_main(["schedule", "--interview-date", "2026-11-10", "--format", "json"], capsys)
    assert json.loads(out)["checkin_next_working_day"] is None  # Tue 17: a working day


def test_working_days_come_from_the_config(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text("working-days: [sun, mon, tue, wed, thu]\n")
    code, out, _ = run_main(["schedule", "--interview-date", "2026-11-13", "--format", "json"], capsys)  # Fri 20
    assert json.loads(out)["checkin_next_working_day"] == "2026-11-22"  # Sunday
    code, out, _ = run_main(["schedule", "--interview-date", "2026-11-15", "--format", "json"], capsys)  # Sun 22
    assert json.loads(out)["checkin_next_working_day"] is None
    (tmp_path / ".followup-lint.yaml").write_text("working-days: [mon, tue, wed, thu, fry]\n")
    code, out, err = run_main(["schedule", "--interview-date", "2026-11-13"], capsys)
    assert code == 2 and ".followup-lint.yaml:1:" in err, err


def test_too_early_names_the_next_working_day_and_the_weekend_date_is_not_early(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "checkin.txt").write_text(CHECKIN)
    base = ["--kind", "check-in", "--interview-date", "2026-11-14", "--select", "too-early", "checkin.txt"]
    code, out, _ = run_main(["--send-date", "2026-11-16", *base], capsys)
    assert "the earliest good date is Sat 21 Nov 2026" in out, out
    assert "That is a Saturday; Mon 23 Nov 2026 is the next working day." in out, out
    code, out, _ = run_main(["--send-date", "2026-11-21", *base], capsys)
    assert code == 0 and "too-early" not in out, out
    code, out, _ = run_main(
        [
            "--send-date",
            "2026-11-12",
            "--kind",
            "check-in",
            "--interview-date",
            "2026-11-10",
            "--select",
            "too-early",
            "checkin.txt",
        ],
        capsys,
    )
    assert "Tue 17 Nov 2026" in out and "working day" not in out, out


# --- 9. --force-exclude ------------------------------------------------------------------

BAD = "Hi Sam,\n\nHave you made a decision yet? I need an answer ASAP.\n\nThanks,\nJo\n"


def test_force_exclude_applies_exclude_to_named_files_and_stdin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text("exclude: [templates/]\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "bad.txt").write_text(BAD)
    (tmp_path / "bad.txt").write_text(BAD)
    assert run("templates/bad.txt").exit_code == 1  # named: linted, as before
    result = run("--force-exclude", "templates/bad.txt")
    assert result.exit_code == 0 and "templates" not in result.output, result.output
    result = run("--force-exclude", "templates/bad.txt", "bad.txt")
    assert result.exit_code == 1 and "bad.txt:3:" in result.output and "templates" not in result.output
    result = run("--force-exclude", "--stdin-filename", "templates/x.txt", "-", input=BAD)
    assert result.exit_code == 0 and "pushy" not in result.output, result.output
    assert run("--force-exclude", "--stdin-filename", "x.txt", "-", input=BAD).exit_code == 1


# --- 11. context from the config -------------------------------------------------------------


def test_context_for_a_folder_comes_from_the_config(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text(
        "kind: thank-you\n"  # config default: loses to context
        "context:\n"
        "  acme/:\n"
        "    interview_date: 2026-11-10\n"
        "    kind: check-in\n"
        "    company: Acme\n"
        "  'acme/*-late.txt':\n"
        "    interview_date: Nov 1, 2026\n"
    )
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "checkin.txt").write_text(CHECKIN)
    (tmp_path / "acme" / "checkin-late.txt").write_text(CHECKIN)
    (tmp_path / "acme" / "stated.txt").write_text("---\ninterview_date: 2026-11-01\n---\n" + CHECKIN)
    (tmp_path / "other.txt").write_text(CHECKIN)
    code, out, _ = run_main(["--format", "json", "--today", "2026-11-12", "--select", "too-early", "."], capsys)
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert (files["checkin.txt"]["kind"], files["checkin.txt"]["kind_source"]) == ("check-in", "config")
    assert [f["rule"] for f in files["checkin.txt"]["findings"]] == ["too-early"]  # Nov 10 + 7 > Nov 12
    assert files["checkin-late.txt"]["findings"] == []  # the later entry wins
    assert files["stated.txt"]["findings"] == []  # front matter wins
    assert files["other.txt"]["kind"] == "thank-you"  # only the default
    # a flag wins over both
    code, out, _ = run_main(
        [
            "--format",
            "json",
            "--today",
            "2026-11-12",
            "--select",
            "too-early",
            "--interview-date",
            "2026-11-01",
            "acme/checkin.txt",
        ],
        capsys,
    )
    assert json.loads(out)["files"][0]["findings"] == []
    # and schedule DRAFT reads it too
    code, out, _ = run_main(["schedule", "acme/checkin.txt", "--today", "2026-11-12"], capsys)
    assert "Earliest check-in:  Tue 17 Nov 2026" in out and "check-in (config) sent 2026-11-12" in out, out


def test_config_context_sits_between_the_eml_date_and_front_matter(tmp_path):
    import datetime as dt

    from followup_lint.model.context import build

    eml = {"date": "Thu, 12 Nov 2026 09:00:00 +0000"}
    ctx = build({}, {}, {}, headers=eml, path_context={"send_date": dt.date(2026, 11, 20)})
    assert (ctx.send_date, ctx.send_date_source) == (dt.date(2026, 11, 20), "config")
    ctx = build({"send_date": "2026-11-21"}, {}, {}, headers=eml, path_context={"send_date": dt.date(2026, 11, 20)})
    assert (ctx.send_date, ctx.send_date_source) == (dt.date(2026, 11, 21), "front matter")


def test_config_context_schema_and_bad_dates(tmp_path, monkeypatch):
    from followup_lint.model.context import CONTEXT_KEYS
    from followup_lint.rulefiles.config import config_schema

    assert set(config_schema()["properties"]["context"]["additionalProperties"]["properties"]) == set(CONTEXT_KEYS)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.txt").write_text(CHECKIN)
    (tmp_path / ".followup-lint.yaml").write_text("context:\n  '*.txt':\n    interview_date: 03/11/2026\n")
    result = run("d.txt")
    assert result.exit_code == 2 and ".followup-lint.yaml:3:" in result.output and "interview_date" in result.output
    (tmp_path / ".followup-lint.yaml").write_text("context:\n  '*.txt':\n    interveiw_date: 2026-11-03\n")
    result = run("d.txt")
    assert result.exit_code == 2 and "did you mean 'interview_date'?" in result.output, result.output


@pytest.mark.parametrize(
    "before, after",
    [
        ("", 'per-file-ignores:\n  "d.txt": [pushy]\n'),
        ("ignore: [x]", 'ignore: [x]\nper-file-ignores:\n  "d.txt": [pushy]\n'),
        (
            "# keep me\nper-file-ignores:\n  'a.txt': [too-long]  # and me\nexclude: []\n",
            "# keep me\nper-file-ignores:\n  \"d.txt\": [pushy]\n  'a.txt': [too-long]  # and me\nexclude: []\n",
        ),
        ("per-file-ignores:\n  d.txt: [too-long]\n", "per-file-ignores:\n  d.txt: [too-long, pushy]\n"),
        (
            "per-file-ignores:\n  d.txt:\n    - too-long\nrules: {}\n",
            "per-file-ignores:\n  d.txt:\n    - too-long\n    - pushy\nrules: {}\n",
        ),
        ("per-file-ignores: {}\n", 'per-file-ignores: {"d.txt": [pushy]}\n'),
        ("per-file-ignores: ~\nignore: []\n", 'per-file-ignores:\n  "d.txt": [pushy]\nignore: []\n'),
        ("per-file-ignores:\r\n  x.txt: [a]\r\n", 'per-file-ignores:\r\n  "d.txt": [pushy]\r\n  x.txt: [a]\r\n'),
        ("per-file-ignores: {\n  a: [b]}\n", None),  # flow style over lines: not edited
        ("per-file-ignores:\n  d.txt: [pushy]\n", None),  # already there
    ],
)
def test_add_per_file_ignore_touches_nothing_else(before, after):
    from followup_lint.rulefiles.config import add_per_file_ignore

    assert add_per_file_ignore(before, "d.txt", "pushy") == after


def test_per_file_ignore_glob_escapes_glob_characters(tmp_path):
    from followup_lint.rulefiles.config import Config, per_file_ignore_glob

    draft = tmp_path / "acme [final]" / "draft?.txt"
    glob = per_file_ignore_glob(draft, tmp_path)
    assert Config(root=tmp_path, per_file_ignores={glob: ["pushy"]}).ignored_for(str(draft)) == {"pushy"}
    assert (
        Config(root=tmp_path, per_file_ignores={glob: ["pushy"]}).ignored_for(str(tmp_path / "acme f" / "draftX.txt"))
        == set()
    )
