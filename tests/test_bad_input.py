"""Bad input through the real command line: each case gets one clear line (exit 2) or an
honest finding or note, and the good draft beside it is still linted.

The table runs in process (CliRunner); the cases where the process itself matters (file
permissions, a closed stdin, the installed script) run as real subprocesses.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command

EXE = Path(sys.executable).with_name("followup-lint")
GOOD = (
    "Dear Sam,\n\nThank you for the interview on Tuesday. I'm keen on the role, and happy to send "
    "references if they would help.\n\nBest regards,\nJo\n"
)
# One pushy phrase on line 3, after a non-ASCII word, so columns are tested too.
PUSHY = "Dear Sam,\n\nThank you for the interview at Café Noir. Have you made a decision?\n\nBest,\nJo\n"
PUSHY_AT = (3, PUSHY.splitlines()[2].index("made") + 1)
CYRILLIC = (
    "Dear Ms. Petrova,\n\nThank you for the interview on Tuesday. Спасибо большое за встречу! "
    "I am keen on the role. Have you made a decision?\n\nBest regards,\nДмитрий Иванов\n"
)


def eml(body: bytes, headers: bytes = b"Subject: Thank you\nFrom: jo@example.org\n") -> bytes:
    return headers + b"\n" + body


@dataclass
class Case:
    id: str
    files: dict  # name -> bytes, or a callable(tmp_path) that makes it
    expect: list  # regexes, each must match one whole output line
    exit: int = 2
    args: list | None = None  # default: every file made, then good.txt
    config: str | None = None
    json_error: bool = False  # the bad file's JSON entry has "error"
    json_note: str | None = None  # ... or this note
    absent: list = field(default_factory=list)  # regexes no output line may match


def symlink_loop_dir(tmp: Path) -> None:
    (tmp / "loop").mkdir()
    (tmp / "loop" / "inner").mkdir()
    (tmp / "loop" / "inner" / "a.txt").write_text(GOOD)
    os.symlink("..", tmp / "loop" / "inner" / "up")  # back to an ancestor
    os.symlink("inner", tmp / "loop" / "again")  # the same folder a second way


def symlink_loop_file(tmp: Path) -> None:
    os.symlink("b.txt", tmp / "a.txt")
    os.symlink("a.txt", tmp / "b.txt")


def broken_link(tmp: Path) -> None:
    os.symlink("nowhere.txt", tmp / "link.txt")


def empty_dir(tmp: Path) -> None:
    (tmp / "nothing").mkdir()
    (tmp / "nothing" / "notes.pdf").write_bytes(b"%PDF-1.4")


def big_eml(tmp: Path) -> None:
    attachment = base64.encodebytes(os.urandom(900_000))
    body = (
        b"--b\nContent-Type: text/plain\n\n" + PUSHY.encode() + b"\n--b\nContent-Type: application/pdf\n"
        b"Content-Disposition: attachment; filename=portfolio.pdf\nContent-Transfer-Encoding: base64\n\n"
        + attachment
        + b"\n--b--\n"
    )
    (tmp / "big.eml").write_bytes(
        eml(body, b'Subject: Thank you\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n')
    )


CASES = [
    Case(
        "missing path",
        {},
        [r"missing\.txt: no such file or directory"],
        args=["missing.txt", "good.txt"],
        json_error=True,
    ),
    Case(
        "directory without drafts",
        empty_dir,
        [r"nothing: no drafts \(\.txt, \.md, \.eml\) found in this directory"],
        args=["nothing", "good.txt"],
    ),
    Case("empty file", {"empty.txt": b""}, [r"empty\.txt: empty draft: nothing to check"], json_error=True),
    Case("whitespace only", {"blank.md": b"  \n\t\r\n\x0c\n"}, [r"blank\.md: empty draft: nothing to check"]),
    Case(
        "binary with NUL bytes",
        {"photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))},
        [r"photo\.txt: binary file, not a draft \(it contains NUL bytes\)"],
        json_error=True,
    ),
    Case(
        "binary without NUL bytes",
        {"blob.txt": bytes(range(1, 32)) * 40 + b"Dear Sam"},
        [r"blob\.txt: binary file, not a draft \(1,040 control characters in its first 1,248 characters\)"],
    ),
    Case(
        "invalid UTF-8 read as Windows-1252",
        {"cafe.txt": PUSHY.encode("cp1252")},
        [
            r"cafe\.txt: note: read as Windows-1252: not valid UTF-8 \(line 3\); if letters look wrong, save the file as UTF-8",
            rf"cafe\.txt:{PUSHY_AT[0]}:{PUSHY_AT[1]}: warning \[pushy\] 'made a decision' .*",
        ],
        exit=1,
        json_note="read as Windows-1252: not valid UTF-8 (line 3); if letters look wrong, save the file as UTF-8",
    ),
    Case(
        "invalid UTF-8 detected as Windows-1251",
        {"ru.txt": CYRILLIC.encode("cp1251")},
        [
            r"ru\.txt: note: read as Windows-1251 \(detected\): not valid UTF-8 \(line 3\); .*",
            r"ru\.txt:3:\d+: warning \[pushy\] 'made a decision' .*",
        ],
        exit=1,
    ),
    Case(
        "UTF-16 with BOM",
        {"u16.txt": PUSHY.replace("\n", "\r\n").encode("utf-16")},
        [rf"u16\.txt:{PUSHY_AT[0]}:{PUSHY_AT[1]}: warning \[pushy\] .*"],
        exit=1,
        absent=[r"u16\.txt: note"],
    ),
    Case(
        "UTF-16 without BOM",
        {"u16le.txt": PUSHY.encode("utf-16-le")},
        [
            r"u16le\.txt: note: read as UTF-16-LE: the file has no byte-order mark",
            rf"u16le\.txt:{PUSHY_AT[0]}:{PUSHY_AT[1]}: warning \[pushy\] .*",
        ],
        exit=1,
    ),
    Case(
        "CRLF line endings",
        {"crlf.txt": PUSHY.replace("\n", "\r\n").encode()},
        [rf"crlf\.txt:{PUSHY_AT[0]}:{PUSHY_AT[1]}: warning \[pushy\] .*"],
        exit=1,
    ),
    Case(
        "lone CR line endings",
        {"cr.txt": PUSHY.replace("\n", "\r").encode()},
        [rf"cr\.txt:{PUSHY_AT[0]}:{PUSHY_AT[1]}: warning \[pushy\] .*"],
        exit=1,
    ),
    Case(
        "5 MB file",
        {"huge.txt": (GOOD * 40_000).encode()},
        [
            r"huge\.txt: is 5,\d{3},\d{3} bytes, over the 1,000,000-byte limit for a draft; is it the right file\? "
            r"\(`max-file-size:` in the config raises the limit\)"
        ],
        json_error=True,
    ),
    Case(
        "a lower max-file-size",
        {"short.txt": GOOD.encode()},
        [r"short\.txt: is 1\d\d bytes, over the 100-byte limit for a draft; .*"],
        config="max-file-size: 100",
        args=["short.txt"],
    ),
    Case(
        "a raised max-file-size lets a big .eml through",
        big_eml,
        [r"big\.eml:\d+:\d+: warning \[pushy\] 'made a decision' .*"],
        exit=1,
        config="max-file-size: 2MB",
    ),
    Case(
        "a big .eml over the default limit",
        big_eml,
        [r"big\.eml: is 1,\d{3},\d{3} bytes, over the 1,000,000-byte limit .*"],
    ),
    Case(
        "a body too long to analyse",
        {"novel.txt": ("Dear Sam,\n\n" + "Thank you. " * 100_000).encode()},
        [r"novel\.txt: the body is 1,099,99\d characters long, more than the 1,000,000 followup-lint can analyse; .*"],
        config="max-file-size: 5MB",
    ),
    Case(
        "malformed front matter",
        {"fm.txt": b"---\nkind: thank-you\nrole: [unclosed\n---\n" + GOOD.encode()},
        [r"fm\.txt:4: front matter is not valid YAML: .*; fix it or remove the --- block"],
        json_error=True,
    ),
    Case(
        "front matter not a mapping",
        {"list.md": b"---\n- thank-you\n- 2026-11-03\n---\n" + GOOD.encode()},
        [
            r"list\.md:2: front matter must be a mapping of 'key: value' lines, not a list; fix it or remove the --- block"
        ],
    ),
    Case(
        "front matter a single value",
        {"word.txt": b"---\nthank-you\n---\n" + GOOD.encode()},
        [r"word\.txt:2: front matter must be a mapping of 'key: value' lines, not a single value; .*"],
    ),
    Case(
        "a bad front-matter date",
        {"date.txt": b"---\ninterview_date: 2026-02-30\n---\n" + GOOD.encode()},
        [r"date\.txt:2: front matter value for 'interview_date' is not valid: day is out of range for month; .*"],
    ),
    Case(
        "unknown front-matter key",
        {"mood.txt": b"---\nkind: thank-you\nmood: hopeful\n---\n" + GOOD.encode()},
        [r"mood\.txt: note: unknown front-matter key 'mood' \(line 3\)"],
        exit=0,
        json_note="unknown front-matter key 'mood' (line 3)",
    ),
    Case(
        "unclosed front matter is text",
        {"dashes.txt": b"---\n" + PUSHY.encode()},
        [
            r"dashes\.txt: note: the '---' on line 1 is never closed by another '---' line, so it was read as text, not front matter",
            r"dashes\.txt:4:\d+: warning \[pushy\] .*",
        ],
        exit=1,
    ),
    Case(
        ".eml with the wrong boundary",
        {
            "wrong.eml": eml(
                b"--ABC\nContent-Type: text/plain\n\n" + PUSHY.encode() + b"--ABC--\n",
                b'Subject: Thanks\nContent-Type: multipart/alternative; boundary="XYZ"\n',
            )
        },
        [
            r"wrong\.eml: note: found the email's parts by their boundary lines \(the declared boundary is missing or wrong\)",
            r"wrong\.eml:\d+:\d+: warning \[pushy\] .*",
        ],
        exit=1,
    ),
    Case(
        ".eml multipart without a boundary",
        {"nob.eml": eml(PUSHY.encode(), b"Subject: Thanks\nContent-Type: multipart/mixed\n")},
        [
            r"nob\.eml: note: malformed MIME: no boundary in multipart",
            r"nob\.eml: note: could not find the email's MIME parts; its raw body was read as text",
            r"nob\.eml:\d+:\d+: warning \[pushy\] .*",
        ],
        exit=1,
    ),
    Case(
        ".eml without its closing boundary",
        {
            "open.eml": eml(
                b"--b\nContent-Type: text/plain\n\n" + PUSHY.encode(),
                b"Subject: Thanks\nContent-Type: multipart/mixed; boundary=b\n",
            )
        },
        [r"open\.eml: note: malformed MIME: close boundary not found", r"open\.eml:\d+:\d+: warning \[pushy\] .*"],
        exit=1,
    ),
    Case(
        ".eml with damaged base64",
        {
            "b64.eml": eml(
                base64.encodebytes(PUSHY.encode())[:-6] + b"!!*@\n",
                b"Subject: Thanks\nContent-Transfer-Encoding: base64\n",
            )
        },
        [r"b64\.eml: note: malformed MIME: invalid base64 characters, invalid base64 padding"],
        exit=1,
    ),
    Case(
        ".eml body not valid in its charset",
        {"latin.eml": eml(PUSHY.encode("cp1252"), b"Subject: Thanks\nContent-Type: text/plain; charset=utf-8\n")},
        [
            r"latin\.eml: note: the email body is not valid utf-8; undecodable bytes were replaced",
            r"latin\.eml:\d+:\d+: warning \[pushy\] .*",
        ],
        exit=1,
    ),
    Case(
        ".eml with an unknown charset",
        {"klingon.eml": eml(PUSHY.encode(), b"Subject: Thanks\nContent-Type: text/plain; charset=x-klingon\n")},
        [r"klingon\.eml: note: unknown charset 'x-klingon' in the email; read as UTF-8"],
        exit=1,
    ),
    Case(
        ".eml with no text part",
        {
            "pdf.eml": eml(
                b"--b\nContent-Type: application/pdf\n\nJVBERi0=\n--b--\n",
                b"Subject: Thanks\nContent-Type: multipart/mixed; boundary=b\n",
            )
        },
        [r"pdf\.eml: note: this email has no text part: nothing to check but its headers"],
        exit=1,
    ),
    Case(
        ".eml with a Date year of 37 digits (found by fuzzing)",
        {
            "year.eml": eml(
                PUSHY.encode(), b"Subject: Thanks\nDate: Thu, 12 Nov 2023333333333333333333333333336 12:37:00 -0600\n"
            )
        },
        [r"year\.eml:\d+:\d+: warning \[pushy\] 'made a decision' .*"],
        exit=1,
    ),
    Case(
        ".eml with a NUL in an 8-bit part's charset (found by fuzzing)",
        {
            "nul.eml": eml(
                b'--b\nContent-Type: text/plain; charset="utf\x00-8"\n\n' + PUSHY.encode("cp1252") + b"--b--\n",
                b"Subject: Thanks\nContent-Type: multipart/mixed; boundary=b\n",
            )
        },
        [
            r"nul\.eml: note: unknown charset 'utf\\x00-8' in the email; read as UTF-8",
            r"nul\.eml:\d+:\d+: warning \[pushy\] 'made a decision' .*",
        ],
        exit=1,
    ),
    Case(
        ".eml whose HTML has a broken declaration (found by fuzzing)",
        {
            "decl.eml": eml(
                b"<p>Dear Sam,</p><p>Thank you &amp;<![e tour. Have you made a decision?</p>",
                b"Subject: Thanks\nContent-Type: text/html; charset=utf-8\n",
            )
        },
        [r"decl\.eml: note: HTML-only email reduced to text", r"decl\.eml:\d+:\d+: warning \[pushy\] .*"],
        exit=1,
    ),
    Case(
        ".eml that is binary",
        {"bin.eml": b"\x00\x01garbage\x00"},
        [r"bin\.eml: binary file, not a draft \(it contains NUL bytes\)"],
    ),
    Case(
        "symlink loop in a directory",
        symlink_loop_dir,
        [r"loop/inner/a\.txt: score 100/100 \(ready\) .*"],
        exit=0,
        args=["loop", "good.txt"],
        absent=[r"loop/inner/up/", r"loop/again/"],
    ),
    Case(
        "symlink loop as a file",
        symlink_loop_file,
        [r"a\.txt: symbolic link loop \(the links lead in a circle\); check where it points"],
        args=["a.txt", "good.txt"],
        json_error=True,
    ),
    Case(
        "broken symlink",
        broken_link,
        [r"link\.txt: broken symbolic link: it points to nowhere\.txt, which does not exist"],
        args=["link.txt", "good.txt"],
    ),
]


def make(tmp: Path, case: Case) -> list[str]:
    (tmp / "good.txt").write_text(GOOD)
    if case.config:
        (tmp / ".followup-lint.yaml").write_text(case.config + "\n")
    if callable(case.files):
        before = set(os.listdir(tmp))
        case.files(tmp)
        made = sorted(set(os.listdir(tmp)) - before)
    else:
        for name, data in case.files.items():
            (tmp / name).write_bytes(data)
        made = list(case.files)
    return case.args or [*made, "good.txt"]


def run(*args, input=None):
    return CliRunner().invoke(
        lint_command, ["--no-cache", *args], input=input, env={"NO_COLOR": "1"}, catch_exceptions=False
    )


def check_lines(output: str, case: Case, good_linted: bool = True) -> None:
    lines = output.splitlines()
    assert "Traceback" not in output, output
    for pattern in case.expect:
        hits = [line for line in lines if re.fullmatch(pattern, line)]
        assert len(hits) == 1, f"{pattern!r} should match one line of:\n{output}"
    for pattern in case.absent:
        assert not any(re.search(pattern, line) for line in lines), output
    if good_linted:
        assert any(line.startswith("good.txt: score ") for line in lines), output


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_text(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = make(tmp_path, case)
    result = run(*args)
    check_lines(result.output, case, good_linted="good.txt" in args)
    assert result.exit_code == case.exit, result.output


JSON_CASES = [c for c in CASES if c.json_error or c.json_note]


@pytest.mark.parametrize("case", JSON_CASES, ids=[c.id for c in JSON_CASES])
def test_bad_input_json(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = make(tmp_path, case)
    result = run("--format", "json", *args)
    assert result.exit_code == case.exit
    doc = json.loads(result.stdout)
    entry = next(f for f in doc["files"] if f["path"] == args[0])
    good = next(f for f in doc["files"] if f["path"] == "good.txt")
    assert good["score"] == 100 and "error" not in good
    if case.json_error:
        assert entry["findings"] == [] and re.fullmatch(case.expect[0], entry["error"]), entry
        assert entry["error"] in result.stderr.splitlines()  # machine output on stdout, the line on stderr
    else:
        assert case.json_note in entry["notes"], entry


# --- the same draft, however it was saved, gives the same findings at the same places ---------

SAVED_AS = {
    "utf-8": PUSHY.encode(),
    "utf-8 with BOM": b"\xef\xbb\xbf" + PUSHY.encode(),
    "crlf": PUSHY.replace("\n", "\r\n").encode(),
    "lone cr": PUSHY.replace("\n", "\r").encode(),
    "windows-1252": PUSHY.encode("cp1252"),
    "utf-16 with BOM": PUSHY.encode("utf-16"),
    "utf-16-be with BOM, crlf": b"\xfe\xff" + PUSHY.replace("\n", "\r\n").encode("utf-16-be"),
    "utf-16-le without BOM": PUSHY.encode("utf-16-le"),
    "utf-32 with BOM": PUSHY.encode("utf-32"),
}


def findings_of(tmp: Path, data: bytes, name: str = "d.txt"):
    (tmp / name).write_bytes(data)
    doc = json.loads(run("--format", "json", name).stdout)
    return [(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in doc["files"][0]["findings"]]


def test_encodings_and_line_endings_give_the_same_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reference = findings_of(tmp_path, SAVED_AS["utf-8"])
    assert ("pushy", *PUSHY_AT, PUSHY_AT[0], PUSHY_AT[1] + len("made a decision")) in reference
    for name, data in SAVED_AS.items():
        assert findings_of(tmp_path, data) == reference, name


# --- config: max-file-size is checked like any other key -------------------------------------


@pytest.mark.parametrize("value", ["lots", "-5", "0", "5 GBs", "true"])
def test_bad_max_file_size_is_file_line_exit_2(tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / ".followup-lint.yaml").write_text(f"select: [ALL]\nmax-file-size: {value}\n")
    result = run("good.txt")
    assert result.exit_code == 2
    assert re.search(r"\.followup-lint\.yaml:2: .*max-file-size", result.output), result.output


@pytest.mark.parametrize(
    "value,limit", [("2000", 2000), ("'2KB'", 2000), ("'2 KiB'", 2048), ("1.5MB", 1_500_000), ("'3mb'", 3_000_000)]
)
def test_max_file_size_units(tmp_path, value, limit):
    from followup_lint.rulefiles import config

    (tmp_path / ".followup-lint.yaml").write_text(f"max-file-size: {value}\n")
    assert config.load(tmp_path / ".followup-lint.yaml").max_file_size == limit


# --- --diff and --fix say what they could not read --------------------------------------------


def test_diff_reports_unreadable_drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "huge.txt").write_bytes((GOOD * 40_000).encode())
    result = run("--diff", "huge.txt", "missing.txt", "good.txt")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "missing.txt: no such file or directory" in result.stderr.splitlines()
    assert any(
        line.startswith("huge.txt: is larger than the 1,000,000-byte limit") for line in result.stderr.splitlines()
    )


def test_fix_from_empty_stdin_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--fix", "-", input=b"")
    assert result.exit_code == 2 and "<stdin>: empty draft: nothing to check" in result.stderr


def test_stdin_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("-", input=(GOOD * 9000).encode())
    assert result.exit_code == 2
    assert "<stdin>: is larger than the 1,000,000-byte limit for a draft" in result.output


# --- real processes -------------------------------------------------------------------------


def cli(*args, cwd, stdin=None, prefix=(), timeout=300, **kwargs):
    command = [
        *prefix,
        str(EXE) if EXE.exists() else sys.executable,
        *([] if EXE.exists() else ["-m", "followup_lint"]),
    ]
    return subprocess.run(
        [*command, "--no-cache", *args],
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
        **kwargs,
    )


@pytest.mark.slow
def test_many_bad_inputs_in_one_process(tmp_path):
    """Every kind of bad file at once through the installed script: one line each, exit 2,
    and the good draft still gets its report."""
    chosen = [c for c in CASES if c.exit == 2 and not c.config and c.args is None] + [
        c for c in CASES if c.id in ("symlink loop as a file", "missing path", "directory without drafts")
    ]
    args, expect = [], []
    for case in chosen:
        args += [a for a in make(tmp_path, case) if a != "good.txt" and a not in args]
        expect += case.expect
    proc = cli(*args, "good.txt", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    check_lines(proc.stdout, Case("all", {}, expect))
    assert proc.stderr == ""
    assert f"Checked {len(args) + 1} drafts: 0 findings; {len(args)} could not be read." in proc.stdout


def _without_file_permissions_bypass():
    """How to run a command that file permissions apply to: as is for a normal user; for
    root, with the capabilities that bypass them dropped (setpriv), else not at all."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be denied")
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here")
    return prefix


@pytest.mark.slow
def test_permission_denied_file_and_folder(tmp_path):
    prefix = _without_file_permissions_bypass()
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "locked.txt").write_text(PUSHY)
    (tmp_path / "drafts" / "private").mkdir(parents=True)
    (tmp_path / "drafts" / "ok.txt").write_text(GOOD)
    (tmp_path / "drafts" / "private" / "hidden.txt").write_text(PUSHY)
    os.chmod(tmp_path / "locked.txt", 0)
    os.chmod(tmp_path / "drafts" / "private", 0)
    try:
        proc = cli("locked.txt", "drafts", "good.txt", cwd=tmp_path, prefix=prefix)
    finally:
        os.chmod(tmp_path / "locked.txt", 0o644)
        os.chmod(tmp_path / "drafts" / "private", 0o755)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert "locked.txt: permission denied; check the file's permissions" in lines
    assert f"{Path('drafts/private')}: cannot list this folder (permission denied); its drafts were not linted" in lines
    assert any(line.startswith("good.txt: score 100/100") for line in lines)
    assert any(line.startswith(f"{Path('drafts/ok.txt')}: score 100/100") for line in lines)


@pytest.mark.slow
def test_stdin_closed(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    # Close fd 0 in the child before it starts: Python then has no sys.stdin at all.
    proc = cli("-", "good.txt", cwd=tmp_path, stdin=None, preexec_fn=lambda: os.close(0))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stdout.splitlines()
    assert (
        "<stdin>: stdin is closed, so - has nothing to read; pipe a draft in (`followup-lint - < draft.txt`) "
        "or name the file"
    ) in lines
    assert any(line.startswith("good.txt: score 100/100") for line in lines)
    fixing = cli("--fix", "-", cwd=tmp_path, stdin=None, preexec_fn=lambda: os.close(0))
    assert fixing.returncode == 2 and "stdin is closed" in fixing.stderr and fixing.stdout == ""


@pytest.mark.slow
def test_stdin_empty_pipe_and_a_pushy_one(tmp_path):
    empty = cli("-", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert empty.returncode == 2 and empty.stdout.splitlines()[0] == "<stdin>: empty draft: nothing to check"
    crlf = subprocess.run(
        [str(EXE), "--no-cache", "-", "--stdin-filename", "reply.txt"],
        cwd=tmp_path,
        input=PUSHY.replace("\n", "\r\n").encode("cp1252"),
        capture_output=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    out = crlf.stdout.decode()
    assert crlf.returncode == 1, out
    assert re.search(rf"^reply\.txt:{PUSHY_AT[0]}:{PUSHY_AT[1]}: warning \[pushy\] ", out, re.M), out
    assert "reply.txt: note: read as Windows-1252" in out


# --- pathological lines ------------------------------------------------------------------
# Regexes tried from every character of a long run took quadratic or cubic time (a line of
# 200,000 "[" kept the Markdown reader busy for minutes; 8,000 "@" the spelling rule). The
# timeouts below only stop a hang; the runs take seconds.


@pytest.mark.slow
def test_reading_long_runs_of_markup_and_address_characters(tmp_path):
    files = {
        "links.md": "Hi Sam,\n\nThanks for the chat. " + "[" * 200_000 + "\n\nBest,\nJo\n",
        "dots.txt": "Hi Sam,\n\nThanks for the chat.\n\nBest,\nJo\n" + "a." * 50_000 + "\n",
        "unders.eml": "Subject: hi\n\nHi Sam,\n\nThanks for the chat.\n\nBest,\nJo\n" + "_" * 100_000 + "\n",
        "hyphens.txt": "Hi Sam,\n\nThanks.\n\nBest,\nJo\nwww " + "a-" * 50_000 + "\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    code = (
        "import sys\nfrom followup_lint.read.draft import read_path\n"
        "for name in sys.argv[1:]:\n    print(name, sorted(read_path(name).regions))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *files], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == len(files)


@pytest.mark.slow
def test_linting_a_long_run_of_at_signs(tmp_path):
    (tmp_path / "at.txt").write_text("Hi Sam,\n\nThank you for the chat. I'm keen. " + "@" * 8000 + "\n\nBest,\nJo\n")
    proc = cli("at.txt", cwd=tmp_path, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert "at.txt: score " in proc.stdout
