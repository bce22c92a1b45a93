#!/usr/bin/env python3
"""Fit the rules' weights to the labelled corpus's `quality` grades.

    python bench/fit_weights.py                 # report: current and cross-validated Spearman
    python bench/fit_weights.py --write         # fit on the whole corpus, write `weight:` into rules/*.yaml
    python bench/fit_weights.py DIR [DIR ...]   # other labelled folders (default: corpus/)

Each draft is linted once; its findings are then re-scored under candidate weights with
the engine's own scoring (repeat findings, the warning/error clamps), so the fit optimises
exactly the number users see. The search is a constrained coordinate ascent: every weight
stays on a small grid (5..50) and errors never weigh less than warnings, so the weights stay
explainable in the YAML. Five-fold cross-validation reports how well weights fitted on four
fifths order the unseen fifth (pooled held-out Spearman).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from followup_lint.engine import scoring  # noqa: E402
from followup_lint.engine.linter import Linter  # noqa: E402
from followup_lint.rulefiles import config  # noqa: E402
from followup_lint.run.evaluate import load_labels, spearman  # noqa: E402

GRID = (5, 10, 15, 20, 25, 30, 35, 40, 50)
FOLDS = 5
PASSES = 3


@dataclass
class _F:
    rule: str
    severity: str
    weight: float


def collect(dirs):
    linter = Linter(config.Config())
    severity = {r.id: r.severity for r in linter.ruleset.rules}
    current = {r.id: r.weight for r in linter.ruleset.rules}
    rows = []
    for d in dirs:
        labels = load_labels(Path(d))
        for name, label in sorted(labels.items()):
            if "quality" not in label:
                continue
            report = linter.lint_path(Path(d) / name, display=name)
            if report.error is not None:
                continue
            rows.append(([(f.rule, f.severity) for f in report.findings], label["quality"]))
    return rows, severity, current


def scores(rows, weights):
    return [scoring.score([_F(r, s, weights.get(r, 0)) for r, s in findings]) for findings, _ in rows]


def rho(rows, weights):
    value = spearman(scores(rows, weights), [q for _, q in rows])
    return -1.0 if value is None else value


def fit(rows, severity, start):
    weights = dict(start)
    best = rho(rows, weights)
    rules = sorted(r for r in weights if severity.get(r) != "info")
    for _ in range(PASSES):
        improved = False
        for rule in rules:
            for w in GRID:
                if severity[rule] == "error" and w < max(weights[x] for x in rules if severity[x] == "warning"):
                    continue
                trial = dict(weights, **{rule: w})
                value = rho(rows, trial)
                # Prefer the smaller change on ties: keep weights close to the hand-set ones.
                if value > best + 1e-9:
                    best, weights, improved = value, trial, True
        if not improved:
            break
    return weights, best


def cross_validate(rows, severity, start, seed=13):
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    held_scores, held_quality = [], []
    for k in range(FOLDS):
        test = [rows[i] for i in order[k::FOLDS]]
        train = [rows[i] for i in order if i not in set(order[k::FOLDS])]
        weights, _ = fit(train, severity, start)
        held_scores += scores(test, weights)
        held_quality += [q for _, q in test]
    return spearman(held_scores, held_quality)


def write(weights, severity):
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        text = path.read_text("utf-8")
        m = re.search(r"^id: (\S+)$", text, re.M)
        if not m or m.group(1) not in weights or severity.get(m.group(1)) == "info":
            continue
        new = re.sub(r"^weight: \d+(\.\d+)?$", f"weight: {weights[m.group(1)]}", text, count=1, flags=re.M)
        if new != text:
            path.write_text(new, "utf-8")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", default=[str(ROOT / "corpus")])
    ap.add_argument("--write", action="store_true", help="write the weights fitted on all drafts into rules/*.yaml")
    args = ap.parse_args(argv)
    rows, severity, current = collect(args.dirs)
    print(f"drafts with a quality grade: {len(rows)}")
    print(f"Spearman with the current weights:        {rho(rows, current):.3f}")
    print(f"cross-validated Spearman ({FOLDS}-fold, fitted): {cross_validate(rows, severity, current):.3f}")
    weights, best = fit(rows, severity, current)
    print(f"Spearman with weights fitted on all drafts: {best:.3f}")
    for rule in sorted(weights):
        if weights[rule] != current[rule]:
            print(f"  {rule:<24} {current[rule]:>4} -> {weights[rule]}")
    if args.write:
        write(weights, severity)
        print("weights written to rules/*.yaml")


if __name__ == "__main__":
    main()
