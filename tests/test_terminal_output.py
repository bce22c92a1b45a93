"""The terminal output (issue 18, item 1; issue 15, items 5-6): one excerpt per line of a
draft, a window of a long line around its findings, each caret under the exact words at
the right display width (CJK, emoji, tabs), help text wrapped on word boundaries; and no
control character from a draft or a file name reaches the terminal raw."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path
from urllib.parse import unquote

import pytest
from wcwidth import iter_graphemes, wcswidth

from followup_lint.formats import render
from followup_lint.read.draft import read_text

WIDTHS = (60, 80, 120)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CLI = [sys.executable, "-m", "followup_lint"]

FILLER = "Thank you for the tour of the clinic and the talk about the new patient desk. "


def _long_line() -> str:
    """A 600-character one-line paragraph with 'gonna' (too-casual) at columns 5, 300 and 590."""
    words = FILLER.split()
    line, k = "I'm ", 0
    for col in (300, 590):
        line += "gonna "
        while len(line) + len(words[k % len(words)]) + 1 < col:
            line += words[k % len(words)] + " "
            k += 1
        line = line.ljust(col - 1)
    return line + "gonna do."


LONG = _long_line()
assert [m.start() + 1 for m in re.finditer("gonna", LONG)] == [5, 300, 590] and len(LONG) == 598
WIDE = (
    "I am gonna\tsend the 資料 today. The 日本語 notes were great 😀. I saw the 東京 office 👩‍💻 and "
    "I'm gonna visit again."
)
DRAFT = f"Hi Sam,\n\n{LONG}\n\n{WIDE}\n\nBest,\nJo\n"


def _cols(text: str) -> list[tuple[int, str]]:
    """(display column, grapheme) of each grapheme in a printed row."""
    out, col = [], 0
    for g in iter_graphemes(text):
        out.append((col, g))
        col += max(wcswidth(g), 0)
    return out


def _underlined(rows: list[str]) -> list[str]:
    """The text under each caret run, read the way a person reads the screen: by column."""
    found = []
    for i, row in enumerate(rows):
        m = re.match(r"^\s*(\d+) \| (.*)$", row)
        if not m:
            continue
        text = m.group(2)
        start = len(row) - len(text)
        cells = _cols(text)
        for below in rows[i + 1 :]:
            carets = re.match(r"^\s* \| (.*)$", below)
            if not carets:
                break
            assert len(below) - len(carets.group(1)) == start  # the bars line up
            for run in re.finditer(r"\^+", carets.group(1)):
                found.append("".join(g for c, g in cells if run.start() <= c < run.end()))
    return found


def _words(report) -> list[str]:
    """What each finding points at, as the terminal shows it."""
    out = []
    for f in report.findings:
        line = report.text.split("\n")[f.line - 1]
        end = f.end_column - 1 if f.end_line == f.line else len(line)
        pos = 0
        for g in iter_graphemes(line):  # a caret run covers whole graphemes (👩 of 👩‍💻)
            if pos < end < pos + len(g):
                end = pos + len(g)
            pos += len(g)
        out.append(line[f.column - 1 : end].replace("\t", "    "))
    return out


@pytest.fixture(scope="module")
def report(linter):
    draft = read_text(DRAFT, "drafts/wide.txt")
    rep = linter.lint_draft(draft)
    casual = [f for f in rep.findings if f.rule == "too-casual"]
    assert [f.column for f in casual if f.line == 3] == [m.start() + 1 for m in re.finditer("gonna", LONG)]
    assert {f.line for f in casual} == {3, 5}
    return rep


def _check(out: str, report, width: int) -> None:
    rows = out.splitlines()
    for row in rows:
        if not (row.startswith("Checked ") or ": score " in row):  # the summary lines are not wrapped
            assert wcswidth(row) <= width, (width, row)
    under = _underlined(rows)
    for words in _words(report):
        # every finding's words stand under a caret run (in full, or up to a window's edge)
        assert any(u == words or (len(u) >= 8 and words.startswith(u.rstrip("…"))) for u in under), (words, under)
    assert all(u.strip() for u in under)
    # one excerpt per window of a line, never the whole 600 characters
    assert not any(LONG in row for row in rows)


@pytest.mark.parametrize("width", WIDTHS)
def test_carets_stand_under_the_words_at_each_width(report, width):
    out = render("text", [report], show_source=True, width=width)
    _check(out, report, width)
    # the three findings on the long line are three windows of it, each with an ellipsis
    excerpts = [r for r in out.splitlines() if re.match(r"^\s*3 \| ", r)]
    assert 1 <= len(excerpts) <= 3 and all("…" in r for r in excerpts)
    # findings that share a line share an excerpt: line 5 is shown in one or two windows, not per finding
    assert len([r for r in out.splitlines() if re.match(r"^\s*5 \| ", r)]) <= 2
    # help text wraps between words: every help row ends on a whole word of the suggestion
    words = set(" ".join(f.suggestion + " " + f.message for f in report.findings).split())
    for row in out.splitlines():
        if "= help" in row or (row.startswith("   ") and not re.match(r"^\s*\d* \|", row)):
            assert row.split()[-1] in words or row.split()[-1].endswith(":"), row


def test_the_same_line_is_one_excerpt_with_several_labelled_carets(linter):
    text = (
        "Hi Sam,\n\nThank you for the interview; I'm keen on the role. Have you made a decision "
        "yet? This is my third email.\n\nBest,\nJo\n"
    )
    rep = linter.lint_draft(read_text(text, "d.txt"))
    pushy = [f for f in rep.findings if f.rule == "pushy"]
    assert len(pushy) >= 2
    out = render("text", [rep], show_source=True, width=120)
    assert len([r for r in out.splitlines() if re.match(r"^\s*3 \| ", r)]) == 1
    assert out.count("= help") == len({f.suggestion for f in rep.findings})
    rows = out.splitlines()
    assert any(r.rstrip().endswith("^ pushy") for r in rows)  # the rightmost label inline
    assert any(re.match(r"^\s* \|[\s|]+pushy$", r) for r in rows)  # the others hang below


def _pty_run(args, cwd, columns: int, env=None, cli=CLI) -> str:
    """Run the CLI in a real pseudo-terminal `columns` wide; its output, as the terminal got it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in (env or os.environ).items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    proc = subprocess.Popen(cli + args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_in_a_real_terminal_with_colours(tmp_path, report):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "wide.txt").write_text(DRAFT, encoding="utf-8")
    out = _pty_run(["--no-cache", "drafts/wide.txt"], tmp_path, 80)
    assert "\x1b[" in out  # coloured: it knows it is on a terminal
    plain = ANSI.sub("", out)
    _check(plain, report, 80)
    assert "Checked 1 draft" in plain


# The console script's entry point, and then whether the run built a Session (the full path).
PROBE = [
    sys.executable,
    "-c",
    "import sys\nfrom followup_lint.cli.{} import main\ntry:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
    "print('SESSION' if 'followup_lint.run.session' in sys.modules else 'FRONT', code)",
]


@pytest.mark.parametrize("args", [[], ["--no-color"]])
def test_a_cache_hit_on_a_terminal_shows_what_the_full_path_shows(tmp_path, args):
    """A hit on a terminal (source lines, carets, colour) is answered by the front path
    (cli/hit.py) with the bytes the miss printed and the click command prints on a hit."""
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "wide.txt").write_text(DRAFT, encoding="utf-8")
    env = {**os.environ, "FOLLOWUP_LINT_CACHE_DIR": str(tmp_path / "cache")}
    hit_cli = [*PROBE[:2], PROBE[2].format("hit")]
    full_cli = [*PROBE[:2], PROBE[2].format("main")]
    miss = _pty_run([*args, "drafts/wide.txt"], tmp_path, 80, env, hit_cli)
    hit = _pty_run([*args, "drafts/wide.txt"], tmp_path, 80, env, hit_cli)
    full = _pty_run([*args, "drafts/wide.txt"], tmp_path, 80, env, full_cli)
    assert miss.endswith("SESSION 1\n") and hit.endswith("FRONT 1\n") and full.endswith("SESSION 1\n")
    assert miss.rsplit("SESSION", 1)[0] == hit.rsplit("FRONT", 1)[0] == full.rsplit("SESSION", 1)[0]
    assert ("\x1b[" in hit) == (not args) and " ^" in ANSI.sub("", hit)


# --- escaping: what a draft or a file name holds cannot drive the terminal ---------------

EVIL_DRAFT = (
    "Hi Sam,\n\nThank you for the tour. I'm gonna\x1b]0;pwned\x07 send it \x1b[2J today, gonna\x1b[31m.\n\nBest,\nJo\n"
)


def _evil_files(tmp_path) -> list[str]:
    names = ["bad\nforged.txt:1:1: error [fake] forged line.txt", "col\x1b[31mour.txt"]
    for name in names:
        (tmp_path / name).write_text(EVIL_DRAFT, encoding="utf-8")
    return names


@pytest.mark.parametrize("fmt", ["text", "github", "statistics"])
def test_control_characters_are_escaped_in_text_formats(tmp_path, fmt):
    names = _evil_files(tmp_path)
    args = ["--statistics"] if fmt == "statistics" else ["--format", fmt]
    proc = subprocess.run(
        CLI + ["--no-cache", *args, *names], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8"
    )
    assert proc.returncode == 1, proc.stderr
    for stream in (proc.stdout, proc.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    if fmt != "statistics":
        assert "\\x1b" in proc.stdout
    if fmt == "text":
        # one report line per finding: the newline in the name forges nothing
        assert not any(l.startswith("forged.txt") for l in proc.stdout.splitlines())
        assert "bad\\nforged.txt" in proc.stdout


def test_control_characters_are_escaped_on_a_terminal(tmp_path):
    names = _evil_files(tmp_path)
    out = _pty_run(["--no-cache", *names], tmp_path, 100)
    plain = ANSI.sub("", out)
    assert "\x1b" not in plain and "\x07" not in plain  # only our own colour codes remain
    assert "\\x1b]0;pwned\\x07" in plain


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_keep_the_exact_text(tmp_path, fmt):
    names = _evil_files(tmp_path)
    proc = subprocess.run(
        CLI + ["--no-cache", "--format", fmt, *names], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8"
    )
    doc = json.loads(proc.stdout)  # valid JSON: the control characters are JSON escapes
    raw = proc.stdout
    assert "\x1b" not in raw and "\x07" not in raw
    if fmt == "json":
        assert "\\u001b" in raw
        assert sorted(f["path"] for f in doc["files"]) == sorted(names)
    else:
        uris = [a["location"]["uri"] for a in doc["runs"][0]["artifacts"]]
        assert sorted(unquote(u) for u in uris) == sorted(names)


def test_quoted_matches_are_capped(linter):
    """A 1,000-character match is quoted in 80 characters at most, with an ellipsis."""
    asks = "Hi Sam,\n\nThank you for the chat. Any news" + "?" * 1000 + "\n\nBest,\nJo\n"
    shouts = "Hi Sam,\n\nThank you for the chat" + "!" * 1000 + "\n\nBest,\nJo\n"
    for text, rule in ((asks, "too-casual"), (shouts, "needy")):
        rep = linter.lint_draft(read_text(text, "d.txt"))
        found = [f for f in rep.findings if f.rule == rule]
        assert found, [f.rule for f in rep.findings]
        for f in found:
            assert len(f.message) < 200 and "…" in f.message, f.message
            assert f.end - f.start >= 1000  # the span still covers it all


def test_the_documented_terminal_example_is_a_real_run():
    """docs/terminal-output.md (and the README, once it holds the marked block) shows what
    `followup-lint examples/sample-draft.txt` really prints on a terminal."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("readme_example", root / "tools" / "readme_example.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    real = example.block()
    assert "12 | " in real and "^" in real and "= help" in real
    checked = 0
    for doc in (root / "docs" / "terminal-output.md", root / "README.md"):
        shown = example.extract(doc.read_text(encoding="utf-8"))
        if shown is None:
            assert doc.name == "README.md", f"{doc}: no generated block; run python tools/readme_example.py --write"
            continue
        assert shown == real, (
            f"{doc.name}: the terminal example is out of date; run python tools/readme_example.py --write"
        )
        checked += 1
    assert checked
