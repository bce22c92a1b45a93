"""Findings -> a 0-100 score and a verdict.

Each rule costs its weight the first time it fires and half its weight for each further
finding, up to twice its weight: repeating one mistake hurts, but less than making a
different one. Info findings cost their (small) weights too but never fail a run.

The score is honest about open problems: while a warning is open it stays below the
"ready" threshold, and while an error is open below the "revise" threshold, whatever the
weights add up to.
"""

from __future__ import annotations

from collections import defaultdict

READY, REVISE = 85, 60
VERDICTS = ((READY, "ready"), (REVISE, "revise"), (0, "rewrite"))


def score(findings) -> int:
    by_rule: dict[str, list] = defaultdict(list)
    for f in findings:
        by_rule[f.rule].append(f.weight)
    penalty = 0.0
    for weights in by_rule.values():
        w = max(weights)
        penalty += min(w + 0.5 * w * (len(weights) - 1), 2 * w)
    points = max(0, round(100 - penalty))
    severities = {f.severity for f in findings}
    if "error" in severities:
        points = min(points, REVISE - 1)
    elif "warning" in severities:
        points = min(points, READY - 1)
    return points


def verdict(points: int, findings) -> str:
    for floor, name in VERDICTS:
        if points >= floor:
            if name == "ready" and any(f.severity == "error" for f in findings):
                return "revise"
            return name
    return "rewrite"
