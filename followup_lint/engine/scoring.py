"""Findings -> a 0-100 score and a verdict.

Each rule costs its weight the first time it fires and half its weight for each further
finding, up to twice its weight: repeating one mistake hurts, but less than making a
different one. Info findings cost their (small) weights too but never fail a run.
"""

from __future__ import annotations

from collections import defaultdict

VERDICTS = ((85, "ready"), (60, "revise"), (0, "rewrite"))


def score(findings) -> int:
    by_rule: dict[str, list] = defaultdict(list)
    for f in findings:
        by_rule[f.rule].append(f.weight)
    penalty = 0.0
    for weights in by_rule.values():
        w = max(weights)
        penalty += min(w + 0.5 * w * (len(weights) - 1), 2 * w)
    return max(0, round(100 - penalty))


def verdict(points: int, findings) -> str:
    for floor, name in VERDICTS:
        if points >= floor:
            if name == "ready" and any(f.severity == "error" for f in findings):
                return "revise"
            return name
    return "rewrite"
