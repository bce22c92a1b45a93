"""Fixes: rule-described edits on real drafts, checked by linting the result again, and the
CLI's --fix / --unsafe-fixes / --diff on real files."""

import base64
import os
import stat
import textwrap

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.engine import fixes
from followup_lint.read.draft import read_bytes, read_text
from followup_lint.rulefiles import templates
from followup_lint.rulefiles.loader import RuleError, load_rule_file
from followup_lint.run import fixing


def lint(linter, text, path="draft.txt"):
    draft = read_text(text, path)
    return draft, linter.lint_draft(draft)


def only(report, rule):
    found = [f for f in report.findings if f.rule == rule]
    assert found, [f.rule for f in report.findings]
    return found


def fixed(draft, fix):
    return fixes.apply(draft.raw, fix.edits)


CASUAL = "Hi Dana,\n\nThanks for the tour, I'm gonna remember it. Gonna send the forms today.\n\nBest,\nJo\n"


def test_slang_swap_is_safe_and_keeps_case(linter):
    draft, report = lint(linter, CASUAL)
    first, second = only(report, "too-casual")
    assert first.fix.safe and first.fix.title == "Replace 'gonna' with 'going to'"
    assert second.fix.edits[0].replacement == "Going to"  # starts its sentence
    edit = first.fix.edits[0]
    assert (edit.line, edit.column, edit.end_column) == (first.line, first.column, first.end_column)
    text = fixes.apply(draft.raw, fixes.edits_of(fixes.choose(report.findings)))
    assert "I'm going to remember it. Going to send" in text
    assert not [f for f in lint(linter, text)[1].findings if f.rule == "too-casual"]


@pytest.mark.parametrize(
    "before, after",
    [
        ("hey Sam,\n\nThank you for the chat; I'm keen on the role.\n\nBest,\nJo", "Hi Sam,"),
        (
            "Hi Sam,\n\nThank you for the chat; i'm keen on the role and i can start soon.\n\nBest,\nJo",
            "and I can start",
        ),
        ("Hi Sam,\n\nThank you for the chat; I'm keen on the role. Any news??\n\nBest,\nJo", "Any news?\n"),
        ("Hi Sam,\n\nThx for the chat; I'm keen on the role.\n\nBest,\nJo", "Thanks for the chat"),
        ("Hi Sam,\n\nThank you for the chat; I'm so keen on the role!!\n\nBest,\nJo", "on the role!\n"),
    ],
)
def test_each_safe_swap_removes_its_finding(linter, before, after):
    draft, report = lint(linter, before, "d.txt")
    chosen = fixes.choose(report.findings)
    assert chosen and all(f.safe for f in chosen)
    text = fixes.apply(draft.raw, fixes.edits_of(chosen))
    assert after in text
    fixed_rules = {f.rule for f in report.findings if f.fix in chosen}
    assert not fixed_rules & {f.rule for f in lint(linter, text, "d.txt")[1].findings}


def test_a_mapping_without_the_word_gives_no_fix(linter):
    _, report = lint(linter, "Hi Sam,\n\nThank you for the tour; I'm keen on the role. lol\n\nBest,\nJo")
    (finding,) = only(report, "too-casual")
    assert finding.fix is None  # 'lol' has no plain-word equivalent


def test_asap_swap_is_unsafe_and_reads_naturally(linter):
    draft, report = lint(
        linter,
        "Dear Sam,\n\nThank you for the interview; I'm keen on the role. Please get back to me ASAP.\n\nBest,\nJo",
    )
    (finding,) = only(report, "pushy")
    assert finding.fix.safe is False
    assert "Please get back to me when you have a moment." in fixed(draft, finding.fix)
    assert fixes.choose(report.findings) == []
    assert fixes.choose(report.findings, unsafe=True) == [finding.fix]


@pytest.mark.parametrize(
    "body, left",
    [
        # a sentence amid others on its line
        (
            "I'm keen on the role. Have you made a decision yet? Happy to send references.",
            "I'm keen on the role. Happy to send references.",
        ),
        # the last sentence on its line
        ("I'm keen on the role. Have you made a decision yet?", "I'm keen on the role.\n"),
    ],
)
def test_delete_sentence_leaves_tidy_spacing(linter, body, left):
    text = f"Dear Sam,\n\nThank you for the interview. {body}\n\nBest,\nJo\n"
    draft, report = lint(linter, text)
    (finding,) = only(report, "pushy")
    assert finding.fix.title == "Remove the sentence 'Have you made a decision yet?'"
    out = fixed(draft, finding.fix)
    assert f"Thank you for the interview. {left}" in out
    assert "pushy" not in {f.rule for f in lint(linter, out)[1].findings}


def test_delete_a_paragraph_takes_its_blank_line(linter):
    text = (
        "Dear Ms. Ruiz,\n\nThank you for the interview; I remain keen on the role.\n\n"
        "What is the salary range for the role?\n\nBest regards,\nAisha\n"
    )
    draft, report = lint(linter, text)
    (finding,) = only(report, "negotiation")
    assert fixed(draft, finding.fix) == (
        "Dear Ms. Ruiz,\n\nThank you for the interview; I remain keen on the role.\n\nBest regards,\nAisha\n"
    )


def test_insert_builds_the_sentence_from_context(linter):
    text = textwrap.dedent("""\
        ---
        kind: thank-you
        interview_date: 2026-11-03
        role: Patient Services Coordinator
        company: Larkspur Health
        ---
        Dear Dana,

        I enjoyed hearing how the intake desk works.

        Best,
        Jo
        """)
    draft, report = lint(linter, text)
    thanks, interest = only(report, "thanks-missing")[0], only(report, "interest-missing")[0]
    assert thanks.fix.safe is False and interest.fix.safe is False
    out = fixes.apply(draft.raw, fixes.edits_of(fixes.choose(report.findings, unsafe=True)))
    assert (
        "Thank you for taking the time to speak with me on Tuesday, November 3 about the Patient Services "
        "Coordinator role at Larkspur Health. I enjoyed hearing how the intake desk works. I remain very "
        "interested in the Patient Services Coordinator role at Larkspur Health"
    ) in out
    assert not {"thanks-missing", "interest-missing"} & {f.rule for f in lint(linter, out)[1].findings}


def test_insert_leaves_out_what_the_context_does_not_know(linter):
    draft, report = lint(linter, "Dear Dana,\n\nI enjoyed hearing how the intake desk works.\n\nBest,\nJo\n")
    (thanks,) = only(report, "thanks-missing")
    assert thanks.fix.edits[0].replacement == "Thank you for taking the time to speak with me. "


def test_insert_before_a_lower_case_opening_capitalises_it(linter):
    # The inserted sentence ends with a full stop, so the body's first word starts a sentence.
    draft, report = lint(
        linter, "Hi Dana,\n\nis the analyst role still open? I am very interested in it.\n\nBest,\nSam\n"
    )
    (thanks,) = only(report, "thanks-missing")
    out = fixed(draft, thanks.fix)
    assert "speak with me. Is the analyst role still open?" in out
    assert out.startswith("Hi Dana,\n\nThank you") and out.endswith("Best,\nSam\n")


def test_templates():
    assert templates.render_template("a[ b {role}][ c {company}].", {"role": "R"}) == "a b R."
    assert templates.render_template("{role} x", {}) is None
    with pytest.raises(templates.TemplateError, match="salary"):
        templates.check_template("about {salary}")
    with pytest.raises(templates.TemplateError, match="unpaired"):
        templates.check_template("a [b [c]]")


def write_rule(tmp_path, extra, rtype="forbid"):
    body = (
        textwrap.dedent(f"""\
        id: no-bother
        title: Do not say bother
        severity: warning
        type: {rtype}
        message: "Avoid {{match!r}}."
        rationale: "Saying bother makes the note sound like a burden to read."
        patterns:
          - phrases: [bother]
        """)
        + extra
        + textwrap.dedent("""\
        examples:
          fires: ["Sorry to bother you."]
          passes: ["Thank you."]
        """)
    )
    path = tmp_path / "no-bother.yaml"
    path.write_text(body)
    return path


@pytest.mark.parametrize(
    "extra, message, line",
    [
        ("fix: {replace: trouble}\n", "safe", 9),
        ("fix: {insert: 'Thanks.', safe: false}\n", "insert is for a require rule", 9),
        ("fix: {delete: sentence, safe: false, at: end}\n", "at only goes with insert", 9),
    ],
)
def test_bad_fix_in_a_rule_file_names_the_line(tmp_path, extra, message, line):
    with pytest.raises(RuleError) as exc:
        load_rule_file(write_rule(tmp_path, extra))
    assert message in str(exc.value) and exc.value.line == line


def test_bad_template_in_a_rule_file(tmp_path):
    with pytest.raises(RuleError, match=r"\{salary\}"):
        load_rule_file(write_rule(tmp_path, "fix: {insert: 'About the {salary}.', safe: false}\n", rtype="require"))


# --- ignore this rule for this draft -------------------------------------------------------

BODY = "Hi Sam,\n\nThank you for the chat. I'm keen on the role. Have you made a decision yet?\n\nBest,\nJo\n"


@pytest.mark.parametrize(
    "front, expected",
    [
        ("", "---\nignore: [pushy]\n---\n"),
        ("---\nkind: check-in\n---\n", "---\nkind: check-in\nignore: [pushy]\n---\n"),
        ("---\nignore: [too-long]\n---\n", "---\nignore: [too-long, pushy]\n---\n"),
        ("---\nignore: []\n---\n", "---\nignore: [pushy]\n---\n"),
        (
            "---\nignore:\n  - too-long\nkind: check-in\n---\n",
            "---\nignore:\n  - too-long\n  - pushy\nkind: check-in\n---\n",
        ),
        ("---\nignore: too-long  # long on purpose\n---\n", "---\nignore: too-long, pushy  # long on purpose\n---\n"),
        ("---\nignore:\n---\n", "---\nignore: [pushy]\n---\n"),
        ('---\nignore: "too-long"\n---\n', '---\nignore: "too-long, pushy"\n---\n'),
    ],
)
def test_ignore_rule_edits_front_matter(linter, front, expected):
    draft, report = lint(linter, front + BODY)
    assert only(report, "pushy")
    fix = fixes.ignore_rule(draft, "pushy")
    assert fix.safe and fix.title == "Ignore pushy for this draft (front matter)"
    out = fixed(draft, fix)
    assert out == expected + BODY
    assert "pushy" not in {f.rule for f in lint(linter, out)[1].findings}


def test_ignore_rule_leaves_a_list_spread_over_lines_alone(linter):
    draft, _ = lint(linter, "---\nignore: [too-long,\n  self-focused]\n---\n" + BODY)
    assert fixes.ignore_rule(draft, "pushy") is None


def test_ignore_rule_keeps_crlf_and_skips_email(linter):
    draft, _ = lint(linter, BODY.replace("\n", "\r\n"))
    assert fixed(draft, fixes.ignore_rule(draft, "pushy")).startswith("---\r\nignore: [pushy]\r\n---\r\nHi Sam,")
    eml = read_bytes(b"Subject: Thanks\r\n\r\n" + BODY.encode(), "m.eml")
    assert fixes.ignore_rule(eml, "pushy") is None


# --- files -------------------------------------------------------------------------------


def test_fix_bytes_keeps_the_encoding(linter):
    data = (
        "Hi Zoë,\n\nThank you for the café tour; I'm gonna remember it and I'm keen on the role.\n\nBest,\nJo\n".encode(
            "cp1252"
        )
    )
    out = fixing.fix_bytes(linter, data, "d.txt")
    assert out.changed and out.data == data.replace(b"gonna", b"going to")


def test_never_rewrites_an_encoded_email_body(linter):
    body = "Hi Sam,\n\nI'm gonna say thx for the chat.\n\nBest,\nJo\n"
    data = (
        b"Subject: Follow-up\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(body.encode())
    )
    out = fixing.fix_bytes(linter, data, "m.eml")
    assert not out.changed and "encoded" in out.refused
    plain = b"Subject: Follow-up\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode().replace(
        b"\n", b"\r\n"
    )
    out = fixing.fix_bytes(linter, plain, "m.eml")
    assert out.changed and b"I'm going to say thanks for the chat." in out.data
    assert out.data.startswith(b"Subject: Follow-up\r\nContent-Type")


def test_never_rewrites_a_draft_that_did_not_read_exactly(linter):
    data = "Hi Sam,\n\nI'm gonna say thanks.\n".encode("utf-16") + b"\x00\xd8"  # a lone surrogate
    out = fixing.fix_bytes(linter, data, "d.txt")
    assert not out.changed and "could not be read exactly" in out.refused


def test_write_atomic_keeps_mode_and_symlink(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fixing.write_atomic(link, b"new")
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def run(*args, input=None):
    return CliRunner().invoke(lint_command, list(args), input=input, env={"NO_COLOR": "1"}, catch_exceptions=False)


DRAFT = "hey Dana,\n\nThx for the chat, it was awesome. I need an answer ASAP.\n\nBest,\nJo\n"


def test_cli_fix_applies_safe_fixes_and_reports_the_rest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.txt"
    path.write_text(DRAFT)
    os.chmod(path, 0o600)
    result = run("--fix", "d.txt")
    assert path.read_text() == "Hi Dana,\n\nThanks for the chat, it was great. I need an answer ASAP.\n\nBest,\nJo\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # "I need an answer ASAP.": the demand (a sentence-level fix) and "ASAP" (its own fix) are two findings.
    assert "Fixed 3 findings in 1 file; 3 more with --unsafe-fixes." in result.stderr
    assert "[pushy]" in result.stdout and "[too-casual]" not in result.stdout
    assert result.exit_code == 1


def test_cli_unsafe_fixes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.txt").write_text(DRAFT)
    result = run("--fix", "--unsafe-fixes", "d.txt")
    text = (tmp_path / "d.txt").read_text()
    assert "ASAP" not in text and "I need an answer" not in text and "I remain very interested in the role" in text
    assert result.exit_code == 0, result.output


def test_cli_diff_previews_without_writing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.txt").write_text(DRAFT)
    result = run("--diff", "d.txt")
    assert result.exit_code == 1
    assert (tmp_path / "d.txt").read_text() == DRAFT
    assert "--- a/d.txt\n+++ b/d.txt\n" in result.stdout
    assert "-hey Dana,\n+Hi Dana,\n" in result.stdout
    assert "Would fix 3 findings in 1 file" in result.stderr
    clean = run("--diff", "--select", "pushy", "d.txt")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_cli_fix_from_stdin_prints_the_fixed_draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--fix", "-", "--stdin-filename", "d.txt", input=DRAFT)
    assert result.exit_code == 0
    assert result.stdout.startswith("Hi Dana,\n\nThanks for the chat, it was great.")


def test_cli_does_not_touch_a_draft_that_cannot_be_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = "---\nkind: [unclosed\n---\nhey Dana, thx!\n"
    (tmp_path / "d.txt").write_text(bad)
    result = run("--fix", "--unsafe-fixes", "d.txt")
    assert (tmp_path / "d.txt").read_text() == bad
    assert result.exit_code == 2


def test_cli_unsafe_fixes_needs_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.txt").write_text(DRAFT)
    result = run("--unsafe-fixes", "d.txt")
    assert result.exit_code == 2 and "--unsafe-fixes goes with --fix or --diff" in result.stderr


def test_cli_diff_names_files_relatively_and_marks_a_missing_final_newline(tmp_path):
    """Issue 18.2: no `a//tmp/x.txt`, a path relative to the working folder where it can be,
    `\\ No newline at end of file`, and the summary on a line of its own; `patch` applies it."""
    import subprocess
    import sys

    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "d.txt").write_text("hey Dana,\n\nThx for the chat, it was awesome.")  # no final newline
    cmd = [sys.executable, "-m", "followup_lint", "--no-cache", "--diff"]
    inside = subprocess.run(cmd + [str(drafts / "d.txt")], cwd=tmp_path, capture_output=True, text=True)
    assert inside.returncode == 1, inside.stderr
    assert inside.stdout.startswith("--- a/drafts/d.txt\n+++ b/drafts/d.txt\n")
    assert (
        "-Thx for the chat, it was awesome.\n\\ No newline at end of file\n"
        "+Thanks for the chat, it was great.\n\\ No newline at end of file\n"
    ) in inside.stdout
    assert inside.stdout.endswith("\n")
    elsewhere = subprocess.run(cmd + [str(drafts / "d.txt")], cwd="/", capture_output=True, text=True)
    assert elsewhere.stdout.splitlines()[0] == f"--- a/{(drafts / 'd.txt').as_posix().lstrip('/')}"
    # one stream, as a terminal shows them: the summary starts a line of its own
    both = subprocess.run(
        cmd + ["drafts/d.txt"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert "\nWould fix" in both.stdout and "\\ No newline at end of file\nWould fix" in both.stdout
    # and the diff applies
    patched = subprocess.run(["patch", "-p1"], input=inside.stdout, cwd=tmp_path, capture_output=True, text=True)
    assert patched.returncode == 0, patched.stdout + patched.stderr
    assert (drafts / "d.txt").read_text() == "Hi Dana,\n\nThanks for the chat, it was great."
