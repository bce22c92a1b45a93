"""Bounded time and memory on every input (issue 14; issue 15 item 7).

Each red-team case is a test of the mechanism that bounds it, never of a time (times are
measured in bench/pathological.py): what reaches the parser is capped and its long runs
shortened, offsets still point into the original text, rules that count characters still
see every character, user YAML cannot expand through aliases, rule packs cannot hold
patterns whose cost explodes, regexes run on a budget, and files that are not regular
files are refused without being read.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import threading

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from followup_lint.cli.main import lint_command
from followup_lint.language import parsed as parsed_mod
from followup_lint.language import patterns as patterns_mod
from followup_lint.language import regex_guard
from followup_lint.language.parsed import PARSE_CHARS, PARSE_TOKENS, RUN_LIMIT, ParsedDraft, longest_run
from followup_lint.model.draft import DraftError
from followup_lint.read import yamlsource
from followup_lint.read.draft import read_bytes, read_path, read_text

GOOD = "Hi Dana,\n\nThank you for the interview on Monday. I am keen on the role.\n\nBest regards,\nJo Rivera\n"


def rules_of(report) -> set:
    return {f.rule for f in report.findings}


def run(*args, input=None):
    return CliRunner().invoke(
        lint_command, ["--no-cache", *args], input=input, env={"NO_COLOR": "1"}, catch_exceptions=False
    )


# --- what reaches the parser ------------------------------------------------------------------


def _shape(kind: str, unit: str, n: int) -> str:
    if kind == "run":
        body = unit * n
    elif kind == "long line":
        body = (" " + unit) * n
    else:  # many lines
        body = (unit + "\n") * n
    return "Hi Dana,\n\nThank you" + body + "\n\nBest regards,\nJo\n"


SHAPES = st.tuples(
    st.sampled_from(["run", "long line", "many lines"]),
    st.one_of(
        st.sampled_from(
            [
                "!",
                "?",
                ")",
                '"',
                ",",
                "'",
                ":",
                "-",
                "😀",
                "👩\u200d👩\u200d👧",
                "ありがとう",
                "a",
                "a.",
                "(a)",
                "!?",
                ",'",
                "thank you for the interview",
                "> q",
            ]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=5),
    ),
    st.integers(min_value=1, max_value=30_000),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHAPES)
@example(("many lines", "0\r", 2))  # mixed CR LF and LF line ends (found by Hypothesis)
def test_what_reaches_the_parser_is_bounded_and_points_into_the_text(linter, shape):
    """For runs of one character, alternations, emoji sequences, very long lines and very
    many lines: the longest run without spaces that the tokenizer sees is at most RUN_LIMIT,
    each region gives the parser at most PARSE_CHARS characters and PARSE_TOKENS tokens, and
    every token's offsets point at the same characters in the original text."""
    text = _shape(*shape)
    try:
        draft = read_text(text, "shape.txt")
    except DraftError:
        return
    parsed = ParsedDraft(draft, linter.nlp)
    for name, ranges in draft.regions.items():
        if name in ("headers", "front-matter"):
            continue
        chars = tokens = 0
        for s, e in ranges:
            plan = parsed._plan(name, s, e)
            if plan is None:
                continue
            doc, regex_text, offsets, runs = plan
            seg = parsed_mod.Segment(name, s, doc, e, offsets, regex_text, runs)
            assert longest_run(doc.text) <= RUN_LIMIT
            chars += len(doc.text)
            tokens += len(doc)
            for t in doc:
                if t.is_space:
                    continue
                # (A token that ends where a shortened run resumes has its end mapped past the
                # left-out middle: the span is wider, never outside the text.)
                a, b = seg.at(t.idx), seg.at(t.idx + len(t) - 1) + 1
                assert s <= a < b <= seg.at(t.idx + len(t)) <= e
                original = draft.text[a:b]
                assert original[0] == t.text[0] and original[-1] == t.text[-1], (t.text, original)
                assert len(original) >= len(t.text)
            # The regex text maps back too: it is the original, whatever the parser saw (but
            # for hard-wrapped line breaks, read as spaces, and a CR LF pair, read as one break).
            original = draft.text[seg.text_at(0) : seg.text_at(len(regex_text))].replace("\r\n", "\n")
            assert re.sub(r"\s", " ", original) == re.sub(r"\s", " ", regex_text)
        assert chars <= PARSE_CHARS and tokens <= PARSE_TOKENS


def test_thank_you_then_5000_exclamation_marks(linter):
    """The long-token hang: the run reaches the parser shortened, the draft is still read as
    thanks (no thanks-missing), and needy counts every "!" and points at the whole run."""
    text = "Hi Dana,\n\nThank you" + "!" * 5000 + "\n\nBest regards,\nJo\n"
    report = linter.lint_draft(read_text(text, "bang.txt"))
    assert "needy" in rules_of(report) and "thanks-missing" not in rules_of(report)
    needy = [f for f in report.findings if f.rule == "needy"]
    start = text.index("!")
    assert any(f.start == start and f.end == start + 5000 for f in needy), [(f.start, f.end) for f in needy]
    assert all(set(text[f.start : f.end]) == {"!"} for f in needy)


def test_characters_counted_on_the_text_not_the_shortened_run(linter):
    from followup_lint.ruletypes.metric import exclamations

    draft = read_text("Hi,\n\nThank you for the chat" + "!" * 400 + "\n\nBest,\nJo\n", "x.txt")
    segments = ParsedDraft(draft, linter.nlp).segments(("body",))
    assert sum(len(s.doc.text) for s in segments) < 200  # the parser saw a shortened run
    assert exclamations(segments, None, {})[0] == 400  # the metric counts all of it


@pytest.mark.parametrize(
    "text, cut",
    [
        (
            "Hi Dana,\n\n"
            + "Thank you for the interview on Monday, I am keen on the role and happy to send references. " * 3000,
            True,
        ),
        ("Hi Dana,\n\nThank you.\n" + "ok\n" * 60_000, True),
        ("Hi Dana,\n\nThank you for the chat. " + "a" * 200_000, False),  # shortened, so nothing is cut
    ],
    ids=["long-paragraph", "many-short-lines", "one-huge-word"],
)
def test_long_drafts_are_parsed_up_to_the_cap_with_a_note(linter, text, cut):
    """Ordinary long prose (red-team item 1) and many short lines: the parser reads at most
    the cap of each region, and the report says so."""
    draft = read_text(text, "long.txt")
    parsed = ParsedDraft(draft, linter.nlp)
    body = parsed.segments(("body",))
    assert sum(len(s.doc) for s in body) <= PARSE_TOKENS
    assert sum(len(s.doc.text) for s in body) <= PARSE_CHARS
    assert any("were checked" in n and "body" in n for n in parsed.notes) is cut, parsed.notes


def test_sentence_lookup_is_indexed_and_agrees_with_spacy(linter):
    """`span.sent` walked the whole doc on every match (the superlinear cause of item 1);
    segments now answer it from an index, with the same sentences."""
    text = "Hi,\n\n" + "Thank you for the chat. I am keen!\nSee you soon?\n" * 30
    seg = ParsedDraft(read_text(text, "s.txt"), linter.nlp).segments(("body",))[0]
    assert "sent" in seg.doc.user_span_hooks
    sents = list(seg.doc.sents)
    assert len(sents) > 60
    for sent in sents:
        for token in sent:
            assert (token.sent.start, token.sent.end) == (sent.start, sent.end)
            assert (seg.doc[token.i : token.i + 1].sent.start, seg.doc[token.i : token.i + 1].sent.end) == (
                sent.start,
                sent.end,
            )


def test_line_breaks_still_start_sentences(linter):
    text = "Hi,\n\nThank you\nI am keen\nBest wishes to the team\n"
    seg = ParsedDraft(read_text(text, "s.txt"), linter.nlp).segments(("body",))[0]
    starts = {t.text for t in seg.doc if t.is_sent_start}
    assert {"Thank", "I", "Best"} <= starts


def test_crlf_and_shortened_runs_map_back_together(linter):
    text = "Hi Dana,\r\n\r\nThank you" + "?" * 3000 + "\r\nI am keen" + "!" * 3000 + "\r\n\r\nBest,\r\nJo\r\n"
    report = linter.lint_draft(read_text(text, "crlf.txt"))
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)
        if f.rule == "needy" and f.end > f.start:
            assert set(text[f.start : f.end]) <= {"!"}


# --- regex budgets (issue 15 item 7) ----------------------------------------------------------


def test_an_alarm_that_fires_before_matching_is_a_timeout_not_a_traceback(monkeypatch):
    """The `_Alarm` traceback: the alarm could fire between arming and the `try`."""

    def fire_now(seconds):
        raise patterns_mod._Alarm()

    monkeypatch.setattr(patterns_mod, "_arm", fire_now)
    with patterns_mod.regex_budget(10):
        with pytest.raises(patterns_mod.RegexTimeout):
            patterns_mod._finditer(re.compile("a"), "aaa", ("patterns", 0))


def test_regex_budget_grows_with_calls_and_text():
    budget = patterns_mod._Budget(0.0)
    try:
        budget.finditer(re.compile("x"), "x" * 1000, ("k",))  # within its own allowance (unless the machine stalls)
    except patterns_mod.RegexTimeout:
        pass
    finally:
        budget.close()  # its timer stays armed until the budget closes (regex_budget does this)
    assert budget.seconds >= patterns_mod.PER_CALL + 1000 * patterns_mod.PER_CHAR


def test_one_timer_per_budget_still_interrupts_a_runaway_search(monkeypatch):
    """The SIGALRM timer is set once per rule and draft, not around each of its searches;
    a search that runs away after many quick ones is still interrupted, and the process's
    alarm is left as it was found."""
    import signal

    calls = []
    real = signal.setitimer
    monkeypatch.setattr(signal, "setitimer", lambda *a: calls.append(a) or real(*a))
    with pytest.raises(patterns_mod.RegexTimeout):
        with patterns_mod.regex_budget(0.2) as budget:
            for _ in range(20):
                budget.finditer(re.compile(r"\bthanks?\b"), "Thanks for the chat, thank you.", ("k",))
            assert len(calls) == 1  # armed once, at the first search
            budget.finditer(re.compile(r"(x+x+)+y"), "x" * 40, ("k",))  # exponential: hours if not stopped
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)


def test_many_short_body_lines_never_skip_a_builtin_rule_silently(linter):
    """35,000 "I am keen.\\n> q" pairs: no `_Alarm`, and no built-in rule is skipped; if
    one ever were, the report would carry a note naming it."""
    text = "Hi,\n\nThank you.\n" + "I am keen.\n> q\n" * 35_000
    report = linter.lint_draft(read_text(text, "alarm.txt"))
    assert report.error is None
    assert not [n for n in report.notes if "skipped" in n], report.notes


def test_a_rule_out_of_regex_time_is_skipped_with_a_note(linter, monkeypatch):
    monkeypatch.setattr(patterns_mod, "REGEX_BUDGET", 0.0)
    monkeypatch.setattr(patterns_mod, "PER_CALL", 0.0)
    monkeypatch.setattr(patterns_mod, "PER_CHAR", 0.0)
    report = linter.lint_draft(read_text("Hi,\n\nThank you!! ASAP please lol.\n\nBest,\nJo\n", "t.txt"))
    notes = [n for n in report.notes if "skipped for this draft" in n]
    assert any("'needy'" in n for n in notes) and any("'too-casual'" in n for n in notes), report.notes
    assert "thanks-missing" not in rules_of(report)  # rules without regexes still ran


def test_a_slow_token_regex_skips_only_its_own_rule(tmp_path, monkeypatch):
    """A token REGEX runs inside spaCy's shared Matcher: one that runs out of time counts as
    no match there, and only the rule that owns it is reported as skipped."""
    from followup_lint.engine.linter import Linter
    from followup_lint.rulefiles.config import Config

    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "slow.yaml").write_text(RULE.format(id="slow-token", pattern='tokens: [{TEXT: {REGEX: "^a+b$"}}]'))
    lint = Linter(Config(root=tmp_path, packs=[str(pack)]))
    monkeypatch.setattr(patterns_mod, "TOKEN_REGEX_BUDGET", -1.0)  # every search is "too slow"
    report = lint.lint_draft(read_text("Hi,\n\nThank you aab for the chat.\n\nBest,\nJo\n", "t.txt"))
    notes = [n for n in report.notes if "skipped for this draft" in n]
    assert len(notes) == 1 and "slow-token" in notes[0], report.notes
    assert "thanks-missing" not in rules_of(report)


# --- untrusted rule packs (item 4) ------------------------------------------------------------

RULE = """\
id: {id}
title: A test rule
severity: warning
type: forbid
message: "{{match!r}} is not allowed."
rationale: A rule written for the test suite, with a long enough rationale.
patterns:
  - {pattern}
examples:
  fires: ["I would say aab here."]
  passes: ["Nothing to see in this sentence."]
"""


@pytest.mark.parametrize(
    "pattern", [r"(?:[a-z]+ ?){1,9}x", r"(?:a?){25}a{25}", r"(.*a){9}x", r"(a+)\1*b", r"\w*\w*\w*\w*x"]
)
def test_the_regex_guard_refuses_the_shapes_it_used_to_accept(pattern):
    with pytest.raises(regex_guard.RegexRisk):
        regex_guard.check(pattern, re.IGNORECASE)


@pytest.mark.parametrize("pattern", [r"\b(\w+) \1\b", r"\b(\d{1,2}/){2}\d{2,4}\b", r"!{2,}", r"(\w+\s)+x", r"(?:ab?)+"])
def test_the_regex_guard_still_accepts_safe_patterns(pattern):
    regex_guard.check(pattern, re.IGNORECASE)


@pytest.mark.parametrize(
    "tokens, refused",
    [
        ([{"OP": "{0,10000}"}], True),
        ([{"LOWER": "a"}, {"OP": "{3,}"}], True),
        ([{"OP": "*"}, {"OP": "*"}, {"LOWER": "x"}], True),
        ([{"OP": "{0,8}"}, {"OP": "{0,8}"}, {"LOWER": "x"}], True),
        ([{"LEMMA": "thank"}, {"OP": "{0,8}"}, {"LOWER": "today"}], False),
        ([{"LEMMA": "need"}, {"OP": "{0,2}"}, {"LOWER": "the"}, {"OP": "?"}], False),
    ],
)
def test_token_pattern_operator_counts_are_bounded(tokens, refused):
    assert bool(regex_guard.token_pattern_risk(tokens)) is refused


@pytest.mark.parametrize(
    "pattern, expect",
    [
        ('tokens: [{LOWER: a}, {OP: "{0,10000}"}, {LOWER: b}]', "token pattern refused"),
        ("regex: '(?:[a-z]+ ?){1,9}x'", "regex refused"),
        ('tokens: [{TEXT: {REGEX: "(a+)\\\\1*b"}}]', "regex refused"),
    ],
)
def test_rule_files_with_costly_patterns_are_refused_with_their_line(tmp_path, pattern, expect):
    from followup_lint.rulefiles.loader import RuleError, load_rule_file

    path = tmp_path / "r.yaml"
    path.write_text(RULE.format(id="costly", pattern=pattern))
    with pytest.raises(RuleError) as info:
        load_rule_file(path, pack="mine")
    assert expect in str(info.value) and str(info.value).startswith(f"{path}:8:"), str(info.value)


def test_the_builtin_rules_pass_the_stricter_checks():
    from followup_lint.rulefiles.loader import builtin_pack_dir, load_pack

    assert load_pack(builtin_pack_dir())


# --- YAML alias bombs (item 3) ----------------------------------------------------------------


def _bomb(levels: int = 10) -> str:
    lines = ["k0: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"k{i}: &{chr(97 + i)} [" + ", ".join(["*" + chr(96 + i)] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nkind: *{chr(96 + levels)}\n"


def test_alias_expansion_is_counted_in_linear_time():
    import yaml

    node = yaml.compose(_bomb())
    assert yamlsource.expanded_size(node) > yamlsource.MAX_VALUES
    assert yamlsource.expanded_size(yaml.compose("a: &x [1, 2]\nb: *x\n")) == 9


def test_alias_bomb_in_front_matter_is_a_draft_error():
    with pytest.raises(DraftError, match="aliases"):
        read_text("---\n" + _bomb() + "---\nHi,\n\nThank you.\n", "b.txt")


def test_alias_bomb_in_a_rule_file_config_and_pack_is_refused(tmp_path):
    with pytest.raises(yamlsource.YamlSourceError, match="aliases"):
        yamlsource.load(_bomb(), "x.yaml")
    (tmp_path / ".followup-lint.yaml").write_text(_bomb())
    (tmp_path / "d.txt").write_text(GOOD)
    result = CliRunner().invoke(lint_command, ["--no-cache", str(tmp_path / "d.txt")], env={"NO_COLOR": "1"})
    assert result.exit_code == 2 and "aliases" in result.output and "Traceback" not in result.output


def test_a_small_alias_is_still_fine():
    located = yamlsource.load("base: &b {weight: 5}\nother: *b\n", "ok.yaml")
    assert located.data["other"] == {"weight": 5}


# --- big or deep .eml (item 5) ----------------------------------------------------------------

EML_HEAD = (
    "From: Jo <jo@example.com>\nTo: Dana <dana@example.com>\nDate: Wed, 18 Mar 2026 17:42:09 -0400\nMIME-Version: 1.0\n"
)


def test_nested_blockquote_html_is_written_with_bounded_quote_marks():
    n = 20_000
    html = (
        "<html><body>"
        + "<blockquote>" * n
        + "<p>Thank you for the interview.</p>"
        + "</blockquote>" * n
        + "</body></html>"
    )
    data = (EML_HEAD + "Subject: Thanks\nContent-Type: text/html; charset=utf-8\n\n" + html + "\n").encode()
    draft = read_bytes(data, "bq.eml")
    assert len(draft.text) < 2_000
    from followup_lint.read.eml import HTML_QUOTE_DEPTH

    assert "> " * HTML_QUOTE_DEPTH + "Thank you" in draft.text


def test_a_giant_encoded_word_subject_is_cut_before_the_header_parser(monkeypatch):
    import email

    from followup_lint.read import eml

    seen = []
    real = email.message_from_bytes
    monkeypatch.setattr(email, "message_from_bytes", lambda data, **kw: seen.append(len(data)) or real(data, **kw))
    subject = " ".join(["=?utf-8?q?Thank_you?="] * 30_000)
    data = (EML_HEAD + "Subject: " + subject + "\nContent-Type: text/plain\n\nHi,\n\nThank you.\n").encode()
    draft = read_bytes(data, "subj.eml")
    assert seen and max(seen) < 10_000
    assert any("Subject header is" in n for n in draft.notes), draft.notes
    assert eml.HEADER_FIELD_LIMIT < 10_000


def test_multipart_nested_1000_deep_is_read_as_raw_text():
    msg = "Content-Type: text/plain\n\nHi,\n\nThank you.\n"
    for i in range(1000):
        msg = f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' + msg + f"\n--b{i}--\n"
    draft = read_bytes((EML_HEAD + "Subject: hi\n" + msg).encode(), "deep.eml")
    assert any("nested too deep" in n for n in draft.notes), draft.notes


def test_a_subject_folded_over_100k_lines_gives_a_few_subject_ranges():
    from followup_lint.read.eml import SUBJECT_LINES

    data = (
        EML_HEAD + "Subject: Thank you\n" + " x\n" * 100_000 + "Content-Type: text/plain\n\nHi,\n\nThank you.\n"
    ).encode()
    draft = read_bytes(data, "fold.eml")
    assert len(draft.regions.get("subject", [])) <= SUBJECT_LINES
    assert any("Subject header is" in n for n in draft.notes), draft.notes


# --- files that are not files (item 6) --------------------------------------------------------


def _finishes(fn, seconds: float = 20.0):
    out = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked (a named pipe opened for reading waits for a writer)"
    return out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_without_opening_it_for_a_blocking_read(tmp_path):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    out = _finishes(lambda: read_path(fifo))
    assert isinstance(out.get("error"), DraftError) and "named pipe" in str(out["error"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_in_a_folder_is_skipped_by_the_walk(tmp_path):
    from followup_lint.read.discovery import walk

    os.mkfifo(tmp_path / "x.txt")
    (tmp_path / "d.txt").write_text(GOOD)
    assert [p.name for p in _finishes(lambda: walk(tmp_path))["value"]] == ["d.txt"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_is_refused_by_the_reader_and_the_cache_pre_read(tmp_path):
    from followup_lint.read.files import read_file_bytes

    with pytest.raises(DraftError, match="character device"):
        read_file_bytes("/dev/zero", "/dev/zero", 1000)
    result = CliRunner().invoke(
        lint_command, ["--cache-dir", str(tmp_path / "c"), "/dev/zero"], env={"NO_COLOR": "1"}, catch_exceptions=False
    )
    assert result.exit_code == 2 and "/dev/zero: is a character device" in result.output


def test_stdin_is_read_in_chunks_whatever_the_limit(tmp_path, monkeypatch):
    """`max-file-size: 50000000000` with a draft on stdin: read(n) allocated n bytes."""
    from followup_lint.cli import main as main_mod

    asked = []

    class Buffer:
        def __init__(self, data):
            self.data = data

        def read(self, n=-1):
            asked.append(n)
            chunk, self.data = self.data[:n], self.data[n:]
            return chunk

    class Stdin:
        buffer = Buffer(GOOD.encode())

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert main_mod._read_stdin("<stdin>", 50_000_000_000) == GOOD.encode()
    assert max(asked) <= 1 << 20


def test_a_huge_max_file_size_with_stdin_lints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".followup-lint.yaml").write_text("max-file-size: 50000000000\n")
    result = run("-", input=GOOD.encode())
    assert result.exit_code in (0, 1) and "<stdin>: score" in result.output, result.output


def test_mode_of_a_regular_file_is_checked_after_open(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text(GOOD)
    from followup_lint.read.files import read_file_bytes

    assert read_file_bytes(str(path), "d.txt", 10_000) == GOOD.encode()
    assert stat.S_ISREG(os.stat(path).st_mode)
    with pytest.raises(DraftError, match="larger than|over the"):
        read_file_bytes(str(path), "d.txt", 10)


# --- the language server (item 7) --------------------------------------------------------------


def test_lsp_positions_out_of_range_are_clamped_not_dropped():
    from followup_lint.lsp.server import create_server

    protocol = create_server().protocol
    message = protocol.structure_message(
        {
            "jsonrpc": "2.0",
            "id": 7,
            "method": "textDocument/hover",
            "params": {"textDocument": {"uri": "file:///d.txt"}, "position": {"line": -1, "character": 2**40}},
        }
    )
    assert message.params.position.line == 0 and message.params.position.character == 2**31 - 1


def test_lsp_a_request_it_cannot_read_is_answered_with_an_error(monkeypatch):
    from followup_lint.lsp.server import create_server

    protocol = create_server().protocol
    sent = []
    monkeypatch.setattr(
        protocol, "_send_response", lambda msg_id, result=None, error=None: sent.append((msg_id, error))
    )
    from pygls.exceptions import JsonRpcException

    with pytest.raises(JsonRpcException):
        protocol.structure_message(
            {
                "jsonrpc": "2.0",
                "id": 9,
                "method": "textDocument/hover",
                "params": {"textDocument": {"uri": 3}, "position": "here"},
            }
        )
    assert sent and sent[0][0] == 9 and sent[0][1] is not None


def test_lsp_a_huge_content_length_is_skipped_in_chunks(monkeypatch):
    import io

    from followup_lint.lsp import server

    monkeypatch.setattr(server, "MAX_MESSAGE", 1000)
    raw = io.BytesIO(b"x" * 3000 + b"Content-Length: 2\r\n")
    reads = []
    real_read = raw.read
    monkeypatch.setattr(raw, "read", lambda n=-1: reads.append(n) or real_read(n))
    stdin = server._BoundedStdin(raw)
    assert stdin.read(3000) == b"null"  # dropped, not allocated in one piece
    assert max(reads) <= 1 << 20
    assert stdin.readline() == b"Content-Length: 2\r\n"  # and the stream goes on
    assert server._BoundedStdin(io.BytesIO(b"abc")).read(100_000_000_000) == b""


def _lsp_message(payload: dict) -> bytes:
    import json

    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_lsp_answers_while_a_long_draft_is_linted(tmp_path):
    """A draft of "?" x 12,000 and a hover at line 2**40: the server answers the hover and a
    stats request (the lint runs off the event loop), and publishes the draft's diagnostics."""
    import json
    import subprocess
    import time

    exe = os.path.join(os.path.dirname(sys.executable), "followup-lint")
    command = [exe, "lsp"] if os.path.exists(exe) else [sys.executable, "-m", "followup_lint", "lsp"]
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=tmp_path
    )
    got: list = []

    def reader():
        while True:
            length = None
            while True:
                line = proc.stdout.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line in (b"\r\n", b"\n"):
                    break
            got.append(json.loads(proc.stdout.read(length)))

    threading.Thread(target=reader, daemon=True).start()

    def wait_for(pred, seconds=180):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [m for m in list(got) if pred(m)]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no answer; got {[m.get('id', m.get('method')) for m in got]}")

    uri = (tmp_path / "d.txt").as_uri()
    try:
        send = lambda m: (proc.stdin.write(_lsp_message(m)), proc.stdin.flush())  # noqa: E731
        send(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
            }
        )
        wait_for(lambda m: m.get("id") == 1)
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": uri,
                        "languageId": "plaintext",
                        "version": 1,
                        "text": "Hi Dana,\n\nThank you" + "?" * 12_000 + "\n\nBest,\nJo\n",
                    }
                },
            }
        )
        send(
            {
                "jsonrpc": "2.0",
                "id": 2,
                "method": "textDocument/hover",
                "params": {"textDocument": {"uri": uri}, "position": {"line": 2**40, "character": -1}},
            }
        )
        send({"jsonrpc": "2.0", "id": 3, "method": "followupLint/stats", "params": None})
        assert "error" not in wait_for(lambda m: m.get("id") == 2)
        assert "result" in wait_for(lambda m: m.get("id") == 3)
        published = wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        assert published["params"]["uri"] == uri
    finally:
        proc.kill()
        proc.wait()
