"""Infer the kind of a follow-up (thank-you, check-in, offer-update) from its text and dates.

The cues are data (kinds.yaml, in rule-pattern syntax); this module only adds them up.
Dates are evidence too: a note sent within two days of the interview is most likely a
thank-you, one sent five or more days later a check-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from followup_lint.model.rule import KINDS
from followup_lint.read import yamlsource

DATE_WEIGHT = 2


@dataclass
class Inference:
    kind: str
    scores: dict
    evidence: list  # human-readable reasons, strongest first


@lru_cache(maxsize=1)
def cue_data() -> dict:
    """kinds.yaml as data: the cue patterns of each kind, their weights and the thresholds."""
    text = resources.files("followup_lint").joinpath("engine/kinds.yaml").read_text("utf-8")
    return yamlsource.load(text, "kinds.yaml").data


class KindInferrer:
    def __init__(self, nlp, hub=None):
        from followup_lint.language.patterns import FilteredPatterns, new_hub

        hub = hub if hub is not None else new_hub(nlp)  # the Linter's: one pass serves rules and cues

        spec = cue_data()
        self.min_score, self.min_margin = spec["min_score"], spec["min_margin"]
        # Each cue group gets its own key: compiled patterns (and their conditions) are cached by key.
        self.cues = [
            (kind, cue["weight"], FilteredPatterns(nlp, cue["patterns"], ("kinds", kind, n), hub))
            for kind, cues in spec["kinds"].items()
            for n, cue in enumerate(cues)
        ]

    def infer(self, parsed, ctx) -> Inference:
        from followup_lint.language.patterns import RegexTimeout

        segments = parsed.segments(("subject", "body"))
        scores = {kind: 0.0 for kind in KINDS if kind != "unknown"}
        evidence = []
        for kind, weight, patterns in self.cues:
            for seg in segments:
                try:
                    found = patterns.find(seg, segments, ctx)
                except RegexTimeout:
                    break  # a cue that cannot be read in time is no evidence
                if found:
                    scores[kind] += weight
                    evidence.append((weight, kind, f"{found[0].text!r}"))
                    break
        if ctx.interview_date and ctx.send_date and ctx.send_date_source != "today":
            days = (ctx.send_date - ctx.interview_date).days
            if 0 <= days <= 2:
                scores["thank-you"] += DATE_WEIGHT
                evidence.append((DATE_WEIGHT, "thank-you", f"sent {days} day(s) after the interview"))
            elif days >= 5:
                scores["check-in"] += DATE_WEIGHT
                evidence.append((DATE_WEIGHT, "check-in", f"sent {days} days after the interview"))
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, top), (_, second) = ranked[0], ranked[1]
        kind = best if top >= self.min_score and top - second >= self.min_margin else "unknown"
        evidence.sort(key=lambda e: -e[0])
        return Inference(kind, scores, [f"{k}: {why}" for _, k, why in evidence])
