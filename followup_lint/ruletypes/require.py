"""require: the draft must say this somewhere in the rule's regions; fires once if not."""

from __future__ import annotations

from followup_lint.ruletypes.common import Hit, surviving_matches

FIELDS: frozenset = frozenset()
FIXES = frozenset({"insert"})


def validate(data: dict, located) -> None:
    """Patterns are checked by the loader, like every rule's; an insert template by rulefiles.templates."""


def check(rule, parsed, ctx, settings) -> list[Hit]:
    segments = parsed.segments(rule.spec.regions)
    if surviving_matches(rule, segments, ctx):
        return []
    # Point at the opening of the body: where the missing sentence belongs.
    for seg in parsed.segments(("body",)) or segments:
        for sent in seg.doc.sents:
            if sent.text.strip():
                return [Hit(seg.at(sent.start_char), seg.at(sent.end_char))]
    return [Hit(0, 0)]
