"""Rule types: the only Python that differs between kinds of rule.

Each module is a RuleType (ruletypes.common): it validates the rule-file keys it reads
(`validate(data, located)`) and finds a rule's hits in a draft (`check(rule, parsed, ctx,
settings) -> list[Hit]`). Everything that differs between two rules of one type lives in
their YAML. TYPES is the one list of type names: the loader, the engine, the JSON Schema
(tests/test_one_source.py) and `rules new` follow it.
"""

from __future__ import annotations

from followup_lint.ruletypes import forbid, grammar, metric, require, spelling, timing
from followup_lint.ruletypes.common import RuleType

TYPES: dict[str, RuleType] = {
    "forbid": forbid,
    "require": require,
    "metric": metric,
    "timing": timing,
    "spelling": spelling,
    "grammar": grammar,
}
