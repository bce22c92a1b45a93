"""`followup-lint eval DIR`: how well the rules agree with a labelled corpus.

DIR holds drafts and `labels.yaml` ({file: {expected: [ids], quality: 1-5, kind: ...}}).
Per rule: precision, recall and F1 of "the rule fired on this draft" against "a reviewer
said it should". Rules with no positive labels are shown but left out of the macro F1 (an
F1 over nothing is not a score). The micro F1 pools every decision over every rule id
with positive labels, including labels for rules not in this run (those count as misses),
so a rule that is missing or switched off cannot flatter the number. The Spearman correlation of score with quality says
whether the score orders drafts the way a reader would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from followup_lint.read import yamlsource


class EvalError(Exception):
    pass


@dataclass
class RuleStats:
    rule: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list = field(default_factory=list)
    false_negatives: list = field(default_factory=list)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self):
        p, r = self.precision, self.recall
        if r is not None and p is None:
            return 0.0  # positives to find and nothing fired: every one missed
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def load_labels(directory: Path) -> dict:
    path = directory / "labels.yaml"
    if not path.is_file():
        raise EvalError(
            f"{path}: not found; a corpus needs labels.yaml mapping each draft to {{expected: [...], quality: N, kind: ...}}"
        )
    located = yamlsource.load(path.read_text("utf-8"), str(path))
    if not isinstance(located.data, dict):
        raise EvalError(f"{path}:1: labels.yaml must map file names to labels")
    for name, label in located.data.items():
        if not isinstance(label, dict) or not isinstance(label.get("expected", []), list):
            raise EvalError(f"{path}:{located.line((name,))}: {name}: expected a mapping with expected: [rule ids]")
        if not (directory / name).is_file():
            raise EvalError(f"{path}:{located.line((name,))}: {name}: labelled but no such file in {directory}")
    return located.data


def rank(values: list) -> list:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list, ys: list):
    if len(xs) < 3:
        return None
    rx, ry = rank(xs), rank(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else None


def evaluate(directory: Path, linter) -> dict:
    labels = load_labels(directory)
    rule_ids = [r.id for r in linter.ruleset.rules]
    stats = {rid: RuleStats(rid) for rid in rule_ids}
    unevaluated: dict[str, int] = {}
    scores, qualities, errors = [], [], []
    kinds_right = kinds_total = 0
    inferred_right = inferred_total = 0
    for name in sorted(labels):
        label = labels[name]
        report = linter.lint_path(directory / name, display=name)
        if report.error is not None:
            errors.append(str(report.error))
            continue
        fired = {f.rule for f in report.findings}
        expected = set(label.get("expected") or [])
        for rid in expected - set(rule_ids):
            unevaluated[rid] = unevaluated.get(rid, 0) + 1
        for rid, s in stats.items():
            if rid in fired and rid in expected:
                s.tp += 1
            elif rid in fired:
                s.fp += 1
                s.false_positives.append(name)
            elif rid in expected:
                s.fn += 1
                s.false_negatives.append(name)
        if "quality" in label:
            scores.append(report.score)
            qualities.append(label["quality"])
        if label.get("kind"):
            kinds_total += 1
            kinds_right += report.kind == label["kind"]
            if report.kind_source in ("inferred", "default"):
                inferred_total += 1
                inferred_right += report.kind == label["kind"]
    scored = [s.f1 for s in stats.values() if s.support and s.f1 is not None]
    # Micro F1: every fired/expected decision pooled; labels for absent rules are misses.
    tp = sum(s.tp for s in stats.values())
    fp = sum(s.fp for s in stats.values())
    fn = sum(s.fn for s in stats.values()) + sum(unevaluated.values())
    micro_p = tp / (tp + fp) if tp + fp else None
    micro_r = tp / (tp + fn) if tp + fn else None
    micro_f1 = (
        2 * micro_p * micro_r / (micro_p + micro_r) if micro_p and micro_r else (0.0 if micro_r is not None else None)
    )
    return {
        "drafts": len(labels),
        "rules": [
            {
                "rule": s.rule,
                "support": s.support,
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "false_positives": s.false_positives,
                "false_negatives": s.false_negatives,
            }
            for s in stats.values()
        ],
        "macro_f1": sum(scored) / len(scored) if scored else None,
        "micro_f1": micro_f1,
        "micro_precision": micro_p,
        "micro_recall": micro_r,
        "spearman": spearman(scores, qualities),
        "kind_accuracy": kinds_right / kinds_total if kinds_total else None,
        "kind_accuracy_inferred": inferred_right / inferred_total if inferred_total else None,
        "kind_inferred_count": inferred_total,
        "unevaluated_labels": unevaluated,
        "errors": errors,
    }


def _fmt(x):
    return "  -  " if x is None else f"{x:.2f}"


def render_text(result: dict, verbose: bool = False) -> str:
    out = [f"{'rule':<24} {'support':>7} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>5} {'rec':>5} {'f1':>5}"]
    for r in result["rules"]:
        note = "" if r["support"] else "   (no positive labels: not averaged)"
        out.append(
            f"{r['rule']:<24} {r['support']:>7} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} "
            f"{_fmt(r['precision']):>5} {_fmt(r['recall']):>5} {_fmt(r['f1']):>5}{note}"
        )
        if verbose:
            for name in r["false_positives"]:
                out.append(f"    false positive: {name}")
            for name in r["false_negatives"]:
                out.append(f"    missed:         {name}")
    out.append("")
    out.append(
        f"drafts: {result['drafts']}   macro F1: {_fmt(result['macro_f1'])}   "
        f"micro F1: {_fmt(result.get('micro_f1'))} (P {_fmt(result.get('micro_precision'))}, "
        f"R {_fmt(result.get('micro_recall'))})   "
        f"Spearman(score, quality): {_fmt(result['spearman'])}"
    )
    if result["kind_accuracy"] is not None:
        out.append(
            f"kind accuracy: {_fmt(result['kind_accuracy'])} "
            f"(inferred from the text on {result['kind_inferred_count']} drafts: {_fmt(result['kind_accuracy_inferred'])})"
        )
    if result["unevaluated_labels"]:
        out.append(
            "labels for rules not in this run: "
            + ", ".join(f"{k} ({v})" for k, v in sorted(result["unevaluated_labels"].items()))
        )
    for e in result["errors"]:
        out.append(f"error: {e}")
    return "\n".join(out) + "\n"
