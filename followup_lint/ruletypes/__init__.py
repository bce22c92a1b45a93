"""Rule types: the only Python that differs between kinds of rule.

Each module exposes `check(rule: CompiledRule, parsed: ParsedDraft, ctx: Context) -> list[Hit]`.
Everything that differs between two rules of one type lives in their YAML.
"""

from followup_lint.ruletypes import forbid, grammar, metric, require, spelling, timing

TYPES = {"forbid": forbid.check, "require": require.check, "metric": metric.check, "timing": timing.check,
         "spelling": spelling.check, "grammar": grammar.check}
