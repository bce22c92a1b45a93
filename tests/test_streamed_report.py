"""A run's report is written a draft at a time and nothing keeps the reports (cli/main.py
_report, formats' Writers, run/cache.py iter_many): memory stays flat however many drafts a
run lints (bench/run.py --memory-scale measures it). The streamed output must be the bytes
the whole-list renderers give."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref

import pytest

from followup_lint import __version__
from followup_lint.formats import render, writer
from followup_lint.model.findings import FileReport, Problem

DRAFT = "Hi Sam,\n\nThank you for the interview today. I enjoyed meeting the team{n}.\n\nBest,\nJo\n"


def _reports():
    note = "grammar check skipped: no LanguageTool server"
    return [
        FileReport(path="a.txt", kind="thank-you", kind_source="inferred", score=90, verdict="ready", notes=[note]),
        FileReport(
            path="b ü.txt", kind="check-in", kind_source="stated", score=40, verdict="rewrite", notes=[note, "only b"]
        ),
        FileReport(path="bad.txt", error=Problem("bad.txt", None, "is a named pipe, not a draft file")),
        FileReport(path="c.txt", kind="unknown", score=70, verdict="revise", notes=[note, note]),
    ]


@pytest.mark.parametrize("count", [0, 1, 2, 4])
def test_the_json_writer_gives_the_bytes_of_the_whole_document(count):
    reports = _reports()[:count]
    whole = {
        "version": "1",
        "tool": {"name": "followup-lint", "version": __version__},
        "files": [r.to_dict() for r in reports],
    }
    assert render("json", reports) == json.dumps(whole, indent=2, ensure_ascii=False, default=str) + "\n"


def test_the_text_writer_says_a_shared_note_once_at_the_end_and_the_others_under_their_draft():
    out = render("text", _reports())
    assert out.count("no LanguageTool server") == 1
    assert "note: grammar check skipped: no LanguageTool server (all 3 drafts)" in out
    assert out.index("b ü.txt: note: only b") < out.index("b ü.txt: score 40/100")
    assert out.rstrip().endswith("Checked 4 drafts: 0 findings; 1 could not be read.")
    chunks = []
    w = writer("text", chunks.append)
    for r in _reports():
        w.add(r)
    assert chunks == [], "nothing is written before the shared notes are known"
    w.finish()
    assert "".join(chunks) == out
    # A note the last draft lacks is not shared: said under each draft that has it.
    alone = render("text", _reports()[:2] + [FileReport(path="d.txt", score=80, verdict="ready")])
    assert alone.count("note: grammar check skipped") == 2 and "(all" not in alone


@pytest.mark.parametrize("jobs", [1, 2])
def test_iter_many_lets_each_report_go_once_it_is_yielded(tmp_path, jobs):
    from followup_lint.run.cache import CachedLinting
    from followup_lint.run.session import Session

    paths = []
    for n in range(80):
        p = tmp_path / f"d{n:02}.txt"
        p.write_text(DRAFT.format(n=f" on day {n}"))
        paths.append(p)
    session = Session()
    cfg = session.config_for(tmp_path)
    refs = []
    for report in CachedLinting(None, session).iter_many([(cfg, p, str(p)) for p in paths], jobs):
        refs.append(weakref.ref(report))
        del report
    gc.collect()
    assert len(refs) == 80
    assert not [r for r in refs if r() is not None], "a report outlived its turn"


def test_a_big_run_streams_its_report_and_a_failed_run_prints_nothing(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    for n in range(70):
        (folder / f"d{n:02}.txt").write_text(DRAFT.format(n=f" on day {n}"))
    cmd = [sys.executable, "-m", "followup_lint", "--no-cache", "--format", "json", str(folder)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    data = json.loads(done.stdout)
    assert [f["path"] for f in data["files"]] == sorted(str(p) for p in folder.iterdir())
    (tmp_path / ".followup-lint.yaml").write_text("rules:\n  no-such-rule: {}\n")
    failed = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert failed.returncode == 2 and failed.stdout == "" and "no-such-rule" in failed.stderr


def test_parked_chunk_results_come_back_as_they_went_in_past_the_memory_limit(monkeypatch):
    """The forked run's own results wait their turn pickled in a spooled file (run/workers.py)."""
    from followup_lint.run import workers

    monkeypatch.setattr(workers._Parked, "MEMORY", 1000)
    results = {i: ([_reports()[i % 4]] * 20, [f"key{i}"] * 20, {"parse": i / 10}) for i in range(12)}
    with workers._Parked() as parked:
        for i in reversed(range(12)):
            parked.put(i, results[i])
        assert parked.file._rolled, "past MEMORY the results are in a file, not in memory"
        assert all(i in parked for i in range(12)) and 12 not in parked
        back = [parked.take(i) for i in range(12)]
        assert not any(i in parked for i in range(12))
    assert back == [results[i] for i in range(12)]


def test_the_model_s_memos_stay_within_their_bounds_and_answer_the_same(monkeypatch):
    """Every name, number and typo is a new word to the memos of the attribute ruler, the
    lemmatizer and pyphen: each starts again when full (language/pipeline.py,
    language/readability.py), and the reports are the same either way."""
    from pathlib import Path

    import pyphen

    from followup_lint.language import pipeline, readability
    from followup_lint.read.draft import read_path
    from followup_lint.run.session import Session

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    drafts = [read_path(p) for p in sorted(corpus.glob("*.txt"))[:60]]
    session = Session()
    linter = session.linter_for(session.config_for(corpus))
    linter.lint_drafts(drafts[:1])  # loads the model
    nlp = linter.nlp
    memos = {
        "SEARCH_MEMO": nlp.get_pipe("attribute_ruler").match.memo,
        "LEMMA_MEMO": nlp.get_pipe("lemmatizer").lemmatize.memo,
    }

    def lint():
        for memo in memos.values():
            memo.clear()
        for hd in pyphen.hdcache.values():
            hd.cache.clear()
        return [r.to_dict() for r in linter.lint_drafts(drafts)]

    unbounded = lint()
    assert all(len(memo) > 40 for memo in memos.values())
    assert max(len(hd.cache) for hd in pyphen.hdcache.values()) > 5
    for name in memos:
        monkeypatch.setattr(pipeline, name, 40)
    monkeypatch.setattr(readability, "HYPHENATION_MEMO", 5)
    assert lint() == unbounded
    assert all(0 < len(memo) <= 40 for memo in memos.values())
    assert all(len(hd.cache) <= 5 for hd in pyphen.hdcache.values())


def test_a_word_table_s_memo_starts_again_when_full(tmp_path, monkeypatch):
    from followup_lint.storage import wordtable

    words = {f"w{n}": n + 1 for n in range(50)}
    wordtable._write(tmp_path / "t.sqlite", words, {})
    table = wordtable.WordTable(wordtable._open(tmp_path / "t.sqlite"))
    monkeypatch.setattr(wordtable, "MEMO", 10)
    for _ in range(2):
        assert [table.get(f"w{n}") for n in range(60)] == [words.get(f"w{n}") for n in range(60)]
        assert 0 < len(table._memo) <= 10


def test_a_streamed_run_keeps_one_outcome_that_gives_the_exit_code_of_every_report():
    """_report folds what the exit code needs into one _Outcome instead of one per draft;
    common.exit_code must give the same code from it as from the reports themselves."""
    from followup_lint.cli.common import exit_code
    from followup_lint.cli.main import _Outcome

    error = Problem("bad.txt", None, "is a named pipe, not a draft file")
    cases = [
        [],
        [FileReport(path="a.txt", score=90)],
        [FileReport(path="a.txt", score=90), FileReport(path="b.txt", score=None), FileReport(path="c.txt", score=55)],
        [FileReport(path="a.txt", score=None)],
        [FileReport(path="a.txt", score=80), FileReport(path="bad.txt", error=error), FileReport(path="c.txt")],
    ]
    failing = FileReport(path="f.txt", score=95)
    failing.findings = [_finding("error")]
    cases.append([failing, FileReport(path="a.txt", score=99)])
    for reports in cases:
        outcome = _Outcome()
        for r in reports:
            outcome = outcome.add(r)
        for fail_on, fail_under, cfg_under in [("finding", None, None), ("score", 60, None), ("score", None, 85)]:
            for exit_zero in (False, True):
                args = (exit_zero, fail_on, fail_under, cfg_under)
                assert exit_code([outcome], *args) == exit_code(reports, *args), (reports, args)


def _finding(severity):
    from followup_lint.model.findings import Finding

    return Finding(rule="x", severity=severity, weight=1, message="m")
