"""Pieces shared by the rule types: hits and filtered pattern matches."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    """A place a rule fired, before it becomes a located Finding."""

    start: int
    end: int
    values: dict = field(default_factory=dict)   # for the message template
    message: str | None = None                     # a pattern's or condition's own message
    fix: dict | None = None                        # a pattern's own `fix:` (else the rule's)
    sentence: tuple | None = None                  # the sentence it is in, for `delete: sentence`
    source_rule: str | None = None                 # an outside checker's own rule id (LanguageTool's)


def surviving_matches(rule, segments, ctx) -> list:
    """Every match of the rule's patterns that its conditions let through, in text order."""
    by_pattern: dict[int, list] = {}
    for seg in segments:
        for m in rule.patterns.find(seg, segments, ctx):
            if rule.when and not rule.when.all_hold(m, segments, ctx):
                continue
            if rule.unless and rule.unless.any_holds(m, segments, ctx):
                continue
            by_pattern.setdefault(m.pattern, []).append(m)
    out = []
    for idx, matches in by_pattern.items():
        need = rule.spec.patterns[idx].get("min_count", 1)
        if len(matches) >= need:
            out.extend(matches[need - 1:])  # with min_count N, the Nth and later occurrences
    # Drop matches nested inside an earlier, longer one.
    out.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept = []
    for m in out:
        if kept and m.start < kept[-1].end and m.end <= kept[-1].end:
            continue
        kept.append(m)
    return kept


def sentence_bounds(match):
    sent = match.span.sent
    return match.segment.at(sent.start_char), match.segment.at(sent.end_char)
