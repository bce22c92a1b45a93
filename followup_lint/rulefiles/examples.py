"""Run rules' own examples: every `fires` example must trigger the rule, every `passes`
example must not. The project's test suite and `followup-lint rules test` share this."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ExampleResult:
    rule: str
    expect: str         # "fires" | "passes"
    index: int
    text: str
    ok: bool
    detail: str = ""


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
        return ExampleResult(rule.id, expect, index, text, False, "placeholder (it starts with TODO): replace it with a real draft")
    try:
        draft = read_text(text, f"{rule.id}.example.txt")
    except DraftError as exc:
        return ExampleResult(rule.id, expect, index, text, False, f"cannot read example: {exc}")
    report = linter.lint_draft(draft, context)
    if report.error:
        return ExampleResult(rule.id, expect, index, text, False, report.error)
    hits = [f for f in report.findings if f.rule == rule.id]
    ok = bool(hits) == (expect == "fires")
    detail = "; ".join(f"{f.line}:{f.column} {f.message}" for f in hits) if hits else "did not fire"
    return ExampleResult(rule.id, expect, index, text, ok, detail)


def run_rule_examples(linter, rule) -> list[ExampleResult]:
    return [run_example(linter, rule, *ex) for ex in examples_of(rule)]
