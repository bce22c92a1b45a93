"""Issue 13's honesty guarantees: verdicts, every problem in a sentence, micro F1, spelling
suggestions that prefer the word people mean."""

from followup_lint.engine import scoring
from followup_lint.model.findings import Finding
from followup_lint.read.draft import read_text
from followup_lint.run.evaluate import evaluate


def _finding(rule, severity, weight):
    return Finding(
        rule=rule,
        severity=severity,
        weight=weight,
        title="",
        message="",
        suggestion="",
        start=0,
        end=0,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        region="body",
    )


def test_an_open_warning_is_never_ready():
    findings = [_finding("spelling", "warning", 5)]
    points = scoring.score(findings)
    assert points < scoring.READY and scoring.verdict(points, findings) == "revise"


def test_an_open_error_is_below_revise():
    findings = [_finding("hostile", "error", 5)]
    assert scoring.score(findings) < scoring.REVISE


def test_info_findings_do_not_clamp():
    assert scoring.score([_finding("thanks-late", "info", 5)]) == 95


def test_every_local_slip_in_a_sentence_is_reported(linter):
    draft = read_text("Hi Sam,\n\nthx for the chat, im gonna send the deck tmrw lol.\n\nBest,\nJo\n", "d.txt")
    report = linter.lint_draft(draft, {"setting": "corporate", "kind": "thank-you"})
    casual = [f for f in report.findings if f.rule == "too-casual"]
    words = {report_text.lower() for report_text in (draft.text[f.start : f.end] for f in casual)}
    assert {"thx", "gonna", "tmrw", "lol"} <= words
    assert all(f.fix for f in casual if draft.text[f.start : f.end].lower() in {"thx", "gonna", "tmrw"})


def test_spelling_prefers_the_word_people_mean():
    from followup_lint.language.dictionary import english

    assert english().near("adress")[0] == "address"
    assert english().near("recieve")[0] == "receive"


def test_micro_f1_counts_labels_of_absent_rules_as_misses(linter, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Hi Sam,\n\nThank you for the interview. I am very interested in the role.\n\nBest,\nJo\n"
    )
    (tmp_path / "labels.yaml").write_text("a.txt:\n  expected: [no-such-rule]\n  quality: 4\n")
    result = evaluate(tmp_path, linter)
    assert result["unevaluated_labels"] == {"no-such-rule": 1}
    assert result["micro_recall"] == 0.0 and result["micro_f1"] == 0.0
