"""Context: dates from flags, front matter and .eml headers; kind inference; schedule."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command, schedule_command
from followup_lint.model import context as ctx_mod

D = dt.date


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-11-03", D(2026, 11, 3)),
        ("Nov 3, 2026", D(2026, 11, 3)),
        ("3 November 2026", D(2026, 11, 3)),
        ("November 3rd, 2026", D(2026, 11, 3)),
        ("Tue, Nov 3, 2026", D(2026, 11, 3)),
        ("2026/11/03", D(2026, 11, 3)),
    ],
)
def test_dates_in_written_forms(text, expected):
    assert ctx_mod.parse_date(text, "interview_date") == expected


@pytest.mark.parametrize("text", ["03/11/2026", "next Tuesday", "2026-02-30", "soon"])
def test_ambiguous_or_invalid_dates_name_the_field(text):
    with pytest.raises(ctx_mod.ContextError, match="^interview_date: "):
        ctx_mod.parse_date(text, "interview_date")


def test_precedence_flags_over_front_matter_over_headers_over_config():
    c = ctx_mod.build(
        {"send_date": "2026-11-05", "setting": "startup"},
        {"send_date": D(2026, 11, 9)},
        {"setting": "corporate", "kind": "check-in"},
        headers={"date": "Wed, 04 Nov 2026 09:00:00 -0800"},
    )
    assert (c.send_date, c.send_date_source) == (D(2026, 11, 9), "stated")
    assert c.setting == "startup" and (c.kind, c.kind_source) == ("check-in", "config")
    c = ctx_mod.build({}, {}, {}, headers={"date": "Wed, 04 Nov 2026 23:30:00 -0800"})
    assert (c.send_date, c.send_date_source) == (D(2026, 11, 4), "email Date")  # the sender's calendar day
    c = ctx_mod.build({}, {}, {}, today=D(2026, 1, 2))
    assert (c.send_date, c.send_date_source) == (D(2026, 1, 2), "today")


CHECKIN = "Hi Sam,\n\nI wanted to check in on the analyst role. I'm happy to send references if useful.\n\nBest,\nJo\n"


def lint_json(*args, input=CHECKIN):
    result = CliRunner().invoke(lint_command, ["--format", "json", *args, "-"], input=input, env={"NO_COLOR": "1"})
    return result, json.loads(result.stdout) if result.stdout.startswith("{") else None


@pytest.mark.parametrize("send,fires", [("2026-11-16", True), ("2026-11-17", False), ("2026-11-18", False)])
def test_too_early_day_6_vs_7_vs_8(send, fires):
    _, doc = lint_json("--interview-date", "2026-11-10", "--send-date", send)
    rules = {f["rule"] for f in doc["files"][0]["findings"]}
    assert doc["files"][0]["kind"] == "check-in" and doc["files"][0]["kind_source"] == "inferred"
    assert ("too-early" in rules) is fires


@pytest.mark.parametrize(
    "promised,send,fires",
    [
        ("2026-11-20", "2026-11-20", True),
        ("2026-11-20", "2026-11-21", False),  # later than a week: wait for it
        ("2026-11-12", "2026-11-12", True),
        ("2026-11-12", "2026-11-13", False),  # sooner than a week: it replaces the week
    ],
)
def test_too_early_with_promised_date(promised, send, fires):
    _, doc = lint_json("--interview-date", "2026-11-10", "--reply-promised-by", promised, "--send-date", send)
    finding = [f for f in doc["files"][0]["findings"] if f["rule"] == "too-early"]
    assert bool(finding) is fires
    if fires:
        assert "Sat 21 Nov 2026" in finding[0]["message"] or "Fri 13 Nov 2026" in finding[0]["message"]


def test_today_pins_the_send_date():
    _, doc = lint_json("--interview-date", "2026-11-10", "--today", "2026-11-12")
    assert doc["files"][0]["send_date"] == "2026-11-12"
    assert "too-early" in {f["rule"] for f in doc["files"][0]["findings"]}


def test_bad_flag_date_is_usage_error():
    result, _ = lint_json("--interview-date", "11/10/2026")
    assert result.exit_code == 2 and "--interview-date: '11/10/2026' is not a date" in result.output


def test_bad_front_matter_date_names_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.txt").write_text("---\nkind: check-in\ninterview_date: next Tuesday\n---\n" + CHECKIN)
    result = CliRunner().invoke(lint_command, ["d.txt"])
    assert result.exit_code == 2 and "d.txt:3: interview_date: 'next Tuesday' is not a date" in result.output


@pytest.mark.parametrize(
    "text,kind",
    [
        (
            "Dear Ms. Ruiz,\n\nThank you for meeting with me this morning about the nursing role. I'm excited about it.\n\nBest,\nAisha",
            "thank-you",
        ),
        (
            "Dear Ms. Ruiz,\n\nIt has been two weeks since we spoke, so I wanted to check in on the nursing role.\n\nBest,\nAisha",
            "check-in",
        ),
        (
            "Dear Ms. Ruiz,\n\nThank you again for your time. I've received another offer and must reply by Friday.\n\nBest,\nAisha",
            "offer-update",
        ),
        ("Dear Ms. Ruiz,\n\nPlease find my certificates attached.\n\nBest,\nAisha", "unknown"),
    ],
)
def test_kind_inference(text, kind):
    _, doc = lint_json(input=text)
    assert doc["files"][0]["kind"] == kind
    assert doc["files"][0]["kind_source"] == ("inferred" if kind != "unknown" else "default")


def test_eml_date_header_is_the_send_date(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.eml").write_text(
        "From: a@example.org\nTo: b@example.org\nSubject: Checking in\n"
        "Date: Mon, 16 Nov 2026 10:00:00 +0000\n\n" + CHECKIN
    )
    result = CliRunner().invoke(lint_command, ["--format", "json", "--interview-date", "2026-11-10", "m.eml"])
    f = json.loads(result.stdout)["files"][0]
    assert f["send_date"] == "2026-11-16" and "too-early" in {x["rule"] for x in f["findings"]}


@pytest.mark.parametrize(
    "args,earliest",
    [
        (["--interview-date", "2026-11-10"], "2026-11-17"),
        (["--interview-date", "2026-11-10", "--reply-promised-by", "2026-11-20"], "2026-11-21"),
        (["--interview-date", "2026-11-10", "--reply-promised-by", "2026-11-12"], "2026-11-13"),
    ],
)
def test_schedule(args, earliest):
    result = CliRunner().invoke(schedule_command, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["checkin_from"] == earliest
    text = CliRunner().invoke(schedule_command, args).output
    assert "Earliest check-in:" in text and "The check-in should:" in text


def test_schedule_judges_a_draft(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("---\nkind: check-in\ninterview_date: 2026-11-10\nsend_date: 2026-11-14\n---\n" + CHECKIN)
    result = CliRunner().invoke(schedule_command, [str(draft), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["draft"]["days_early"] == 3


def test_schedule_does_not_import_spacy(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from followup_lint.cli.main import main\n"
        "try:\n    main(['schedule', '--interview-date', '2026-11-10'])\nexcept SystemExit:\n    pass\n"
        "assert 'spacy' not in sys.modules, 'schedule imported spaCy'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
