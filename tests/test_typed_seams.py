"""The typed seams between the engine and its front ends (issue 17): a finding's fix is a
Fix of Edits, a file that cannot be linted carries a Problem (path, line, message), and
both keep the text and the JSON they had as dicts and strings."""

from __future__ import annotations

import json

import pytest

from followup_lint import lint
from followup_lint.model.findings import Edit, FileReport, Fix, Problem
from followup_lint.run.cache import Cache


def test_a_fix_is_a_fix_of_edits_and_serialises_as_before():
    report = lint(
        "Hi Dana,\n\nThanks for the tour, I'm gonna remember it.\n\nBest,\nJo\n",
        "casual.txt",
        context={"kind": "thank-you"},
    )
    [finding] = [f for f in report.findings if f.rule == "too-casual"]
    assert finding.fix == Fix("Replace 'gonna' with 'going to'", True, [Edit(35, 40, 3, 26, 3, 31, "going to")])
    [as_json] = [f for f in report.to_dict()["findings"] if f["rule"] == "too-casual"]
    assert as_json["fix"] == {
        "title": "Replace 'gonna' with 'going to'",
        "safe": True,
        "edits": [
            {
                "start": 35,
                "end": 40,
                "line": 3,
                "column": 26,
                "end_line": 3,
                "end_column": 31,
                "replacement": "going to",
            }
        ],
    }


def test_a_file_that_cannot_be_linted_says_where_as_fields():
    report = lint("---\nkind: farewell\n---\nHi Sam,\n\nThank you.\n", "farewell.txt")
    assert report.error == Problem(
        "farewell.txt", 2, "kind: 'farewell' is not one of thank-you, check-in, offer-update, unknown"
    )
    assert str(report.error) == (
        "farewell.txt:2: kind: 'farewell' is not one of thank-you, check-in, offer-update, unknown"
    )
    assert report.to_dict()["error"] == str(report.error)
    binary = lint("a\0b", "photo.txt")
    assert binary.error == Problem("photo.txt", None, "binary file, not a draft (it contains NUL bytes)")


@pytest.mark.parametrize(
    "text",
    [
        "d.txt:3: front matter is not valid YAML",
        "d.txt: no such file or directory",
        "d.txt:007: not a line number",
        "another.txt:2: a message about another file",
        "a message that says where itself",
    ],
)
def test_a_problem_read_back_from_its_text_says_the_same(text):
    problem = Problem.parse(text, "d.txt")
    assert str(problem) == text
    if text.startswith("d.txt:3"):
        assert (problem.path, problem.line, problem.message) == ("d.txt", 3, "front matter is not valid YAML")


def test_cache_entries_keep_the_types_and_the_text(tmp_path):
    cache = Cache(tmp_path)
    good = lint(
        "Hi Dana,\n\nThanks for the tour, I'm gonna remember it.\n\nBest,\nJo\n",
        "casual.txt",
        context={"kind": "thank-you"},
    )
    good.text = None
    bad = FileReport(path="farewell.txt", error=Problem("farewell.txt", 2, "kind: 'farewell' is wrong"))
    cache.put("good", good)
    cache.put("bad", bad)
    assert cache.get("good") == good and cache.get("bad") == bad
    entry = json.loads((tmp_path / "results" / "bad.json").read_text())
    assert entry["report"]["error"] == "farewell.txt:2: kind: 'farewell' is wrong"
    fix = json.loads((tmp_path / "results" / "good.json").read_text())["report"]["findings"]
    assert "going to" in [f["fix"]["edits"][0]["replacement"] for f in fix if f["fix"]]
