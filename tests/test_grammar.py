"""grammar: LanguageTool matches as findings, against a stand-in server.

The real LanguageTool cannot be downloaded where these tests run; tests/lt_stub.py is a
stand-in that speaks LanguageTool's HTTP API (/v2/languages, /v2/check) and computes its
matches from the submitted text with a few of LanguageTool's real English rules. These
tests check our side of the wire: config, offsets, dedup, fixes, outages.
"""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from followup_lint.engine.linter import Linter
from followup_lint.read.draft import read_text
from followup_lint.rulefiles.config import Config, ConfigError, load
from followup_lint.rulefiles.examples import examples_of, run_example
from followup_lint.rulefiles.loader import builtin_rules
from followup_lint.ruletypes import grammar

sys.path.insert(0, str(Path(__file__).parent))
import lt_stub  # noqa: E402

pytest.importorskip("language_tool_python")


@pytest.fixture(scope="module")
def stub():
    server, url = lt_stub.start()
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def grammar_linter(stub):
    return Linter(Config(grammar={"server": stub}))


@pytest.fixture(autouse=True)
def fresh_state():
    grammar._down.clear()
    grammar._clients.clear()
    lt_stub.Handler.requests_seen.clear()
    yield
    grammar._down.clear()
    grammar._clients.clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lint(linter, text):
    return linter.lint_draft(read_text(text))


def grammar_findings(report):
    return [f for f in report.findings if f.rule == "grammar"]


GRAMMAR_CASES = [(rule, *ex) for rule in builtin_rules() if rule.type == "grammar" for ex in examples_of(rule)]


@pytest.mark.parametrize(
    "rule,expect,index,text,context", GRAMMAR_CASES, ids=[f"{r.id}-{e}-{i}" for r, e, i, _t, _c in GRAMMAR_CASES]
)
def test_grammar_rule_examples_against_the_stand_in(grammar_linter, rule, expect, index, text, context):
    result = run_example(grammar_linter, rule, expect, index, text, context)
    assert result.ok, f"{rule.id} should {'fire' if expect == 'fires' else 'pass'} on: {text!r}\n  {result.detail}"


def test_match_becomes_a_finding_with_languagetool_rule_id_and_fix(grammar_linter):
    report = lint(grammar_linter, "Dear Sam,\n\nThank you for for the tour of the site.\n\nBest,\nJo\n")
    [f] = grammar_findings(report)
    assert (f.line, f.column, f.end_column) == (3, 11, 18)
    assert f.source_rule == "ENGLISH_WORD_REPEAT_RULE"
    assert "ENGLISH_WORD_REPEAT_RULE" in f.message
    assert f.fix.safe is True and f.fix.edits[0].replacement == "for"
    assert f.suggestion.startswith("Write 'for'. To leave one of LanguageTool's rules out")
    assert (
        report.to_dict()["findings"][[x.rule for x in report.findings].index("grammar")]["source_rule"]
        == "ENGLISH_WORD_REPEAT_RULE"
    )


def test_utf16_offsets_after_emoji_point_at_the_right_column(grammar_linter):
    # Each 😀 is one code point but two UTF-16 units: without the mapping the column
    # drifts one to the right per emoji.
    text = "Dear Sam,\n\nLoved it 😀😀 and a 𝒳 too: it was a honour to meet you.\n\nBest,\nJo\n"
    report = lint(grammar_linter, text)
    [f] = grammar_findings(report)
    line = text.splitlines()[f.line - 1]
    assert line[f.column - 1 : f.end_column - 1] == "a"
    assert line[f.end_column - 1 :].startswith(" honour")


def test_match_after_an_emoji_ends_in_the_right_place(grammar_linter):
    text = "Thank you 😀 so so much for the chat."
    report = lint(grammar_linter, text)
    [f] = grammar_findings(report)
    assert text[f.column - 1 : f.end_column - 1] == "so so"


def test_subject_offsets(grammar_linter):
    report = lint(grammar_linter, "Subject: Thanks for the the chat\n\nThank you for meeting with me.")
    [f] = grammar_findings(report)
    assert (f.line, f.column, f.end_column, f.region) == (1, 21, 28, "subject")


def test_languagetool_spelling_is_dropped_while_our_spelling_runs(stub):
    text = "Thank you for the oppurtunity to meet the team."
    with_spelling = lint(Linter(Config(grammar={"server": stub})), text)
    assert [f.rule for f in with_spelling.findings if f.rule in ("spelling", "grammar")] == ["spelling"]
    # The request itself asked LanguageTool to leave its spelling category out.
    checks = [p for path, p in lt_stub.Handler.requests_seen if path == "/v2/check"]
    assert checks and all("TYPOS" in p.get("disabledCategories", "") for p in checks)
    grammar._clients.clear()
    without = lint(Linter(Config(grammar={"server": stub}, ignore=["spelling"])), text)
    [f] = grammar_findings(without)
    assert f.source_rule == "MORFOLOGIK_RULE_EN_US" and f.fix.edits[0].replacement == "opportunity"


def test_disabled_rules_and_language_are_sent(stub):
    linter = Linter(Config(grammar={"server": stub, "disabled-rules": ["EN_A_VS_AN"]}, language="en-GB"))
    report = lint(linter, "It was a honour to meet you, and and the team.")
    assert [f.source_rule for f in grammar_findings(report)] == ["ENGLISH_WORD_REPEAT_RULE"]
    [params] = [p for path, p in lt_stub.Handler.requests_seen if path == "/v2/check"]
    assert params["language"] == "en-GB" and params["disabledRules"] == "EN_A_VS_AN"


def test_no_grammar_config_sends_nothing(stub):
    report = lint(Linter(Config()), "Thank you for for the tour.")
    assert grammar_findings(report) == [] and report.notes == []
    assert lt_stub.Handler.requests_seen == []


def test_unreachable_server_gives_one_note_and_no_findings(tmp_path):
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens here
    linter = Linter(Config(grammar={"server": url}))
    started = time.monotonic()
    first = lint(linter, "Thank you for for the tour.")
    second = lint(linter, "It was a honour.")
    assert time.monotonic() - started < 30  # generous: the point is "no 300 s wait"
    for report in (first, second):
        assert grammar_findings(report) == []
        assert [n for n in report.notes if n.startswith("grammar check skipped: ")] == [
            f"grammar check skipped: no LanguageTool server answers at {url} ([Errno 111] Connection refused)"
        ]


def test_cli_unreachable_server_says_so_once_and_exit_status_is_unchanged(tmp_path):
    port = _free_port()
    (tmp_path / ".followup-lint.yaml").write_text(f"grammar:\n  server: http://127.0.0.1:{port}\n")
    clean = (
        "Dear Sam,\n\nThank you for meeting with me on Monday about the analyst role. I remain very "
        "interested and would be glad to send references.\n\nBest regards,\nJo\n"
    )
    (tmp_path / "a.txt").write_text(clean)
    (tmp_path / "b.txt").write_text(clean)
    exe = Path(sys.executable).with_name("followup-lint")
    proc = subprocess.run(
        [str(exe), "--no-cache", "a.txt", "b.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=180,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    skipped = [line for line in proc.stdout.splitlines() if "grammar check skipped" in line]
    assert len(skipped) == 1 and skipped[0].startswith("note: grammar check skipped: no LanguageTool server"), (
        proc.stdout
    )


class _BrokenHandler(lt_stub.Handler):
    def do_POST(self):
        self._send(500, b"Internal error: java.lang.OutOfMemoryError")


class _SilentHandler(lt_stub.Handler):
    def do_POST(self):
        time.sleep(3)
        self._send(200, {"matches": []})


def _serve(handler):
    import threading
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_server_error_is_a_languagetoolerror_note():
    server, url = _serve(_BrokenHandler)
    try:
        report = lint(Linter(Config(grammar={"server": url})), "Thank you for for the tour.")
    finally:
        server.shutdown()
    assert grammar_findings(report) == []
    [note] = [n for n in report.notes if n.startswith("grammar check skipped")]
    assert f"the LanguageTool server at {url} failed" in note and "OutOfMemoryError" in note


def test_server_that_does_not_answer_in_time_is_a_requests_error_note():
    server, url = _serve(_SilentHandler)
    try:
        report = lint(Linter(Config(grammar={"server": url, "timeout": 0.5})), "Thank you for for the tour.")
    finally:
        server.shutdown()
    [note] = [n for n in report.notes if n.startswith("grammar check skipped")]
    assert f"the LanguageTool server at {url} did not answer" in note


def test_server_going_away_between_drafts_is_a_note():
    server, url = lt_stub.start()
    linter = Linter(Config(grammar={"server": url}))
    assert grammar_findings(lint(linter, "Thank you for for the tour."))
    server.shutdown()
    server.server_close()
    report = lint(linter, "Thank you for for the tour.")
    assert grammar_findings(report) == []
    [note] = [n for n in report.notes if n.startswith("grammar check skipped")]
    assert f"the LanguageTool server at {url} did not answer" in note and "Connection refused" in note


def test_a_bare_requests_error_is_handled_too(stub, monkeypatch):
    import requests

    linter = Linter(Config(grammar={"server": stub}))
    lint(linter, "Thank you for meeting with me on Monday.")  # builds and caches the client
    [client] = grammar._clients.values()

    def refuse(text):
        raise requests.exceptions.ConnectionError("connection reset by peer")

    monkeypatch.setattr(client, "check", refuse)
    report = lint(linter, "Thank you for for the tour.")
    assert (
        f"grammar check skipped: the LanguageTool server at {stub} did not answer (connection reset by peer)"
        in report.notes
    )


def test_missing_extra_is_a_note(monkeypatch, stub):
    monkeypatch.setitem(sys.modules, "language_tool_python", None)  # import fails
    report = lint(Linter(Config(grammar={"server": stub})), "Thank you for for the tour.")
    assert (
        "grammar check skipped: language-tool-python is not installed; run `pip install 'followup-lint[grammar]'`"
        in report.notes
    )


def test_public_api_needs_the_explicit_opt_in(tmp_path):
    cfg = tmp_path / ".followup-lint.yaml"
    cfg.write_text("grammar:\n  server: https://api.languagetool.org\n")
    with pytest.raises(ConfigError) as err:
        load(cfg)
    assert err.value.line == 2 and "send-drafts-to-public-languagetool: true" in err.value.message
    cfg.write_text("grammar: {}\n")
    with pytest.raises(ConfigError, match="name your LanguageTool server"):
        load(cfg)
    cfg.write_text("grammar:\n  send-drafts-to-public-languagetool: true\n")
    assert load(cfg).grammar["server"] == "https://api.languagetool.org"
    cfg.write_text("grammar:\n  server: http://localhost:8081\n  timeout: 5\n")
    assert load(cfg).grammar == {"server": "http://localhost:8081", "timeout": 5}
