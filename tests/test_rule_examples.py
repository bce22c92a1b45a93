"""Every rule's YAML examples are its tests (like ESLint's RuleTester valid/invalid)."""

import pytest

from followup_lint.rulefiles.examples import examples_of, run_example
from followup_lint.rulefiles.loader import builtin_rules

# grammar's examples need a LanguageTool server: tests/test_grammar.py runs them against
# the stand-in server (tests/lt_stub.py).
CASES = [(rule, *ex) for rule in builtin_rules() if rule.type != "grammar" for ex in examples_of(rule)]


@pytest.mark.parametrize(
    "rule,expect,index,text,context",
    CASES,
    ids=[f"{r.id}-{e}-{i}" for r, e, i, _t, _c in CASES],
)
def test_example(linter, rule, expect, index, text, context):
    result = run_example(linter, rule, expect, index, text, context)
    assert result.ok, f"{rule.id} should {'fire' if expect == 'fires' else 'pass'} on: {text!r}\n  {result.detail}"


def test_every_rule_has_enough_examples():
    for rule in builtin_rules():
        fires, passes = rule.examples["fires"], rule.examples["passes"]
        assert len(fires) >= 4 and len(passes) >= 4, f"{rule.id}: needs at least 4 fires and 4 passes examples"
