"""Run rules' own examples: every `fires` example must trigger the rule, every `passes`
example must not. The project's test suite and `followup-lint rules test` share this.

A `fires` example may also say where and how, like ESLint's RuleTester invalid cases:

    - {text: "I'm gonna send it.", at: gonna, message: "casual", fixed: "I'm going to send it."}
    - {text: "...", at: {line: 3, column: 5}}

`at:` the exact text a finding covers (or its line, and column); `message:` a part of that
finding's message; `fixed:` the whole example text once every fix the rule offers on it
(safe or not) is applied.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ExampleResult:
    rule: str
    expect: str  # "fires" | "passes"
    index: int
    text: str
    ok: bool
    detail: str = ""
    problem: str = ""  # a fires example that fired, but not where, or not as, it says


def examples_of(rule):
    for expect in ("fires", "passes"):
        for i, ex in enumerate(rule.examples.get(expect, [])):
            if isinstance(ex, str):
                yield expect, i, ex, {}
            else:
                yield expect, i, ex["text"], dict(ex.get("context", {}))


# `followup-lint rules new` writes examples starting with this; they fail until replaced,
# so a scaffolded rule cannot pass its tests by accident (a require rule fires on any text
# that lacks its phrases, placeholder text included).
PLACEHOLDER = "TODO"


def run_example(linter, rule, expect, index, text, context) -> ExampleResult:
    from followup_lint.model.draft import DraftError
    from followup_lint.read.draft import read_text

    if text.lstrip().startswith(PLACEHOLDER):
        return ExampleResult(
            rule.id, expect, index, text, False, "placeholder (it starts with TODO): replace it with a real draft"
        )
    try:
        draft = read_text(text, f"{rule.id}.example.txt")
    except DraftError as exc:
        return ExampleResult(rule.id, expect, index, text, False, f"cannot read example: {exc}")
    report = linter.lint_draft(draft, context)
    if report.error:
        return ExampleResult(rule.id, expect, index, text, False, str(report.error))
    hits = [f for f in report.findings if f.rule == rule.id]
    ok = bool(hits) == (expect == "fires")
    detail = "; ".join(f"{f.line}:{f.column} {f.message}" for f in hits) if hits else "did not fire"
    problem = _mismatch(draft, hits, expected(rule, expect, index)) if ok and hits else ""
    return ExampleResult(rule.id, expect, index, text, ok and not problem, detail, problem)


def expected(rule, expect: str, index: int) -> dict:
    """What a `fires` example says beyond firing: its `at`, `message` and `fixed`."""
    examples = rule.examples.get(expect, [])
    example = examples[index] if index < len(examples) else None
    if expect != "fires" or not isinstance(example, dict):
        return {}
    return {k: example[k] for k in ("at", "message", "fixed") if k in example}


def _covers(draft, finding, at) -> bool:
    if isinstance(at, str):
        return draft.text[finding.start : finding.end] == at
    return finding.line == at["line"] and at.get("column", finding.column) == finding.column


def _mismatch(draft, hits, want: dict) -> str:
    """Why the findings are not what the example says ("" when they are)."""
    from followup_lint.model.findings import apply_edits

    found = ", ".join(f"{f.line}:{f.column} {draft.text[f.start : f.end]!r}" for f in hits)
    every = hits
    at = want.get("at")
    if at is not None:
        hits = [f for f in hits if _covers(draft, f, at)]
        if not hits:
            said = (
                repr(at)
                if isinstance(at, str)
                else (f"{at['line']}:{at['column']}" if "column" in at else f"line {at['line']}")
            )
            return f"fired at {found}, not at {said}"
    message = want.get("message")
    if message is not None and not any(message in f.message for f in hits):
        return f"the message does not say {message!r}: {'; '.join(repr(f.message) for f in hits)}"
    if "fixed" in want:
        edits = sorted((e for f in every if f.fix for e in f.fix.edits), key=lambda e: (e.start, e.end))
        if not edits:
            return "it offers no fix"
        if any(a.end > b.start for a, b in zip(edits, edits[1:])):
            return "its fixes overlap"
        result = apply_edits(draft.raw, edits)
        if result != want["fixed"]:
            return f"the fix gives {result!r}, not {want['fixed']!r}"
    return ""


def run_rule_examples(linter, rule) -> list[ExampleResult]:
    return [run_example(linter, rule, *ex) for ex in examples_of(rule)]
