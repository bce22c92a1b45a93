"""`--statistics`: how often each rule fired across all the drafts, most frequent first
(like ruff's), as a table or JSON. Useful to see which advice a folder of drafts most needs,
or which rule to tune."""

from __future__ import annotations

import json

from followup_lint.model.text import printable


def count(reports) -> list[dict]:
    rows: dict = {}
    for report in reports:
        for f in report.findings:
            row = rows.setdefault(
                f.rule, {"rule": f.rule, "count": 0, "drafts": set(), "severity": f.severity, "title": f.title}
            )
            row["count"] += 1
            row["drafts"].add(report.path)
    ordered = sorted(rows.values(), key=lambda r: (-r["count"], r["rule"]))
    return [dict(r, drafts=len(r["drafts"])) for r in ordered]


def render(reports, fmt: str = "text", **_options) -> str:
    rows = count(reports)
    linted = sum(1 for r in reports if r.error is None)
    unreadable = len(reports) - linted
    if fmt == "json":
        doc = {
            "version": "1",
            "drafts": linted,
            "unreadable": unreadable,
            "findings": sum(r["count"] for r in rows),
            "rules": rows,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    out = []
    if rows:
        width = max(len(r["rule"]) for r in rows)
        out.append(f"{'count':>5}  {'rule':<{width}}  {'severity':<8}  {'drafts':>6}  title")
        out += [
            f"{r['count']:>5}  {printable(r['rule']):<{width}}  {r['severity']:<8}  {r['drafts']:>6}  {printable(r['title'])}"
            for r in rows
        ]
    total = sum(r["count"] for r in rows)
    summary = f"{total} finding{'s' if total != 1 else ''} in {linted} draft{'s' if linted != 1 else ''}"
    out.append(summary + (f"; {unreadable} could not be read." if unreadable else "."))
    return "\n".join(out) + "\n"
