"""SARIF, GitHub annotations, --statistics and the progress bar, from real CLI runs.

tests/sarif-2.1.0-rtm.5.json is a byte-for-byte copy of `lib/schemas/sarif-2.1.0-rtm.5.json`
from the npm package @microsoft/jest-sarif 1.0.0-beta.0 (MIT, Microsoft's sarif-js-sdk),
sha256 2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8: the OASIS SARIF
2.1.0 schema (JSON Schema draft-04).
"""

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from followup_lint.cli.main import lint_command
from followup_lint.formats import github, render
from followup_lint.model.findings import FileReport, Finding, Problem
from followup_lint.rulefiles.loader import builtin_rules

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0-rtm.5.json").read_text())
FIXTURES = ROOT / "tests" / "fixtures" / "drafts"


def run(*args):
    result = CliRunner().invoke(lint_command, list(args), env={"NO_COLOR": "1"}, catch_exceptions=False)
    return result


@pytest.fixture
def drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "examples" / "sample-draft.txt", tmp_path / "sample draft.txt")  # a space: URIs escape it
    shutil.copy(FIXTURES / "base64.eml", tmp_path / "base64.eml")
    for name in ("a-01-icu-nurse-thanks.txt", "a-02-barista-thanks.txt"):
        shutil.copy(ROOT / "corpus" / name, tmp_path / name)
    return tmp_path


def _json(*paths):
    return json.loads(run("--format", "json", *paths).output)


def test_sarif_validates_against_the_official_schema(drafts):
    result = run("--format", "sarif", ".", "missing.txt")
    assert result.exit_code == 2  # the missing file is still an input error
    doc = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    assert doc["version"] == "2.1.0"


def test_sarif_rules_carry_the_yaml_help_and_results_carry_regions(drafts):
    doc = json.loads(run("--format", "sarif", "sample draft.txt", "base64.eml").output)
    (sarif_run,) = doc["runs"]
    rules = {r["id"]: r for r in sarif_run["tool"]["driver"]["rules"]}
    pushy = next(r for r in builtin_rules() if r.id == "pushy")
    assert rules["pushy"]["shortDescription"]["text"] == pushy.title
    assert rules["pushy"]["fullDescription"]["text"] == pushy.rationale
    assert pushy.suggestion in rules["pushy"]["help"]["text"] and pushy.source in rules["pushy"]["help"]["text"]
    assert rules["pushy"]["defaultConfiguration"]["level"] == "warning"
    assert rules["hard-to-read"]["defaultConfiguration"]["level"] == "note"
    assert sarif_run["columnKind"] == "unicodeCodePoints"

    expected = _json("sample draft.txt", "base64.eml")["files"]
    findings = [(f, file["path"]) for file in expected for f in file["findings"]]
    assert len(sarif_run["results"]) == len(findings) > 0
    for result, (finding, path) in zip(sarif_run["results"], findings):
        assert result["ruleId"] == finding["rule"]
        assert sarif_run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding["rule"]
        assert result["message"]["text"] == finding["message"]
        physical = result["locations"][0]["physicalLocation"]
        artifact = sarif_run["artifacts"][physical["artifactLocation"]["index"]]
        assert artifact["location"]["uri"] == physical["artifactLocation"]["uri"]
        if path == "sample draft.txt":
            assert physical["artifactLocation"] == {"uri": "sample%20draft.txt", "uriBaseId": "%SRCROOT%", "index": 0}
            assert physical["region"] == {
                "startLine": finding["line"],
                "startColumn": finding["column"],
                "endLine": finding["end_line"],
                "endColumn": finding["end_column"],
            }
        else:  # positions in a decoded body are not the file's lines
            assert finding["decoded"] and "region" not in physical
    assert {a["location"]["uri"]: a["properties"]["score"] for a in sarif_run["artifacts"]} == {
        "sample%20draft.txt": expected[0]["score"],
        "base64.eml": expected[1]["score"],
    }
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == drafts.resolve().as_uri() + "/"


def test_sarif_reports_unreadable_files_as_notifications(drafts):
    (drafts / "binary.txt").write_bytes((FIXTURES / "binary.txt").read_bytes())
    doc = json.loads(run("--format", "sarif", "binary.txt").stdout)
    (invocation,) = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"].startswith("binary.txt")
    assert doc["runs"][0]["results"] == []
    jsonschema.Draft4Validator(SCHEMA).validate(doc)


def test_github_annotations_match_the_findings(drafts):
    out = run("--format", "github", "sample draft.txt", "base64.eml").output.splitlines()
    files = _json("sample draft.txt", "base64.eml")["files"]
    findings = [(f, file["path"]) for file in files for f in file["findings"]]
    assert len(out) == len(findings)
    for line, (f, path) in zip(out, findings):
        assert line.startswith("::warning " if f["severity"] == "warning" else "::notice ")
        props, message = line[2:].split("::", 1)
        assert f"file={path}" in props
        if not f["decoded"] and f["line"] == f["end_line"]:
            assert f",line={f['line']},endLine={f['end_line']},col={f['column']},endColumn={f['end_column']}," in props
        if f["decoded"]:
            assert "line=" not in props
        assert f"title={f['rule']}%3A " in props
        assert message == github.escape_data(f["message"] + "\nhelp: " + f["suggestion"])
        assert "\n" not in message


def test_github_escaping():
    finding = Finding(
        rule="r",
        severity="error",
        weight=1,
        message="100% sure\r\nnext: a, b",
        title="a: b, c",
        line=2,
        column=3,
        end_line=4,
        end_column=1,
    )
    out = render(
        "github",
        [
            FileReport(path="d,1:x.txt", findings=[finding]),
            FileReport(path="gone.txt", error=Problem("gone.txt", None, "no such file")),
        ],
    )
    first, second = out.splitlines()
    # Multi-line spans: no columns, which GitHub places only within one line.
    assert first == "::error file=d%2C1%3Ax.txt,line=2,endLine=4,title=r%3A a%3A b%2C c::100%25 sure%0D%0Anext: a, b"
    assert second == "::error file=gone.txt,title=followup-lint%3A cannot lint this file::gone.txt: no such file"


def test_statistics_count_each_rule_across_drafts(drafts):
    files = _json(".")["files"]
    expected: dict = {}
    for file in files:
        for f in file["findings"]:
            expected.setdefault(f["rule"], [0, set()])
            expected[f["rule"]][0] += 1
            expected[f["rule"]][1].add(file["path"])
    doc = json.loads(run("--statistics", "--format", "json", ".").output)
    assert {r["rule"]: (r["count"], r["drafts"]) for r in doc["rules"]} == {
        k: (n, len(p)) for k, (n, p) in expected.items()
    }
    counts = [r["count"] for r in doc["rules"]]
    assert counts == sorted(counts, reverse=True)
    assert doc["drafts"] == len(files) and doc["findings"] == sum(counts)

    text = run("--statistics", ".")
    assert text.exit_code == 1  # the exit code still follows the findings
    rows = text.output.splitlines()
    assert rows[0].split()[:4] == ["count", "rule", "severity", "drafts"]
    top = doc["rules"][0]
    assert rows[1].split()[:4] == [str(top["count"]), top["rule"], top["severity"], str(top["drafts"])]
    assert rows[-1] == f"{doc['findings']} findings in {len(files)} drafts."
    assert run("--statistics", "--format", "sarif", ".").exit_code == 2


def test_fail_on_score_gates_on_the_score_alone(drafts):
    files = {f["path"]: f for f in _json(".")["files"]}
    name, report = next((p, f) for p, f in files.items() if f["findings"] and f["score"] >= 60)
    assert run(name).exit_code == 1
    assert run("--fail-on", "score", name).exit_code == 0
    assert run("--fail-on", "score", "--fail-under", str(report["score"] + 1), name).exit_code == 1
    assert run("--fail-on", "score", "sample draft.txt").exit_code == 1  # scores 0: under the default 60


# --- the progress bar: a terminal sees it, a pipe or JSON never does ------------------------


def _in_terminal(args, cwd):
    """Run the CLI with stdout and stderr on a pseudo-terminal; return what the terminal showed."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "followup_lint", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=300)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_progress_bar_only_on_a_terminal(tmp_path):
    corpus = sorted((ROOT / "corpus").glob("a-*.txt"))[:12]
    for p in corpus:
        shutil.copy(p, tmp_path / p.name)
    shown = _in_terminal(["."], tmp_path)
    assert "Linting" in shown and "100%" in shown
    assert f"Checked {len(corpus)} drafts" in shown
    assert "Linting" not in _in_terminal(["--format", "json", "."], tmp_path)
    assert "Linting" not in _in_terminal([corpus[0].name], tmp_path)  # one file: nothing to wait for
    piped = subprocess.run([sys.executable, "-m", "followup_lint", "."], cwd=tmp_path, capture_output=True, text=True)
    assert "Linting" not in piped.stdout + piped.stderr
    assert f"Checked {len(corpus)} drafts" in piped.stdout
