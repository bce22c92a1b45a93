"""SARIF 2.1.0, the format GitHub code scanning and other review tools read.

One run: the driver lists every rule in effect with its help text from the YAML (title,
rationale, how to fix, source); each finding is a result whose region is the finding's
span. Columns count Unicode code points (`columnKind`) and `endColumn` is exclusive, as in
our findings. A finding located in a decoded (base64, quoted-printable or HTML) email body
has no place in the file's own lines, so its location names the file without a region.
Files that could not be read are tool execution notifications, not results.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from followup_lint import __version__

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _artifact(path: str) -> dict:
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(Path(path).as_posix()), safe="/"), "uriBaseId": SRCROOT}  # a non-UTF-8 name: %FF


def _name(title: str) -> str:
    # SARIF wants `name` readable and distinct from the opaque `id`, even ignoring case:
    # "Don't press for a decision" -> DontPressForADecision.
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", title.replace("'", "")) if part)


def _help(rule) -> dict:
    from followup_lint.formats.explain import rule_text

    text = [rule.rationale]
    md = [rule.rationale]
    if rule.suggestion:
        text.append(f"How to fix: {rule_text(rule, rule.suggestion)}")
        md.append(f"**How to fix:** {rule_text(rule, rule.suggestion)}")
    if getattr(rule, "source", ""):
        text.append(f"Source: {rule.source}")
        md.append(f"*Source: {rule.source}*")
    md.append(f"`followup-lint --explain {rule.id}` shows examples.")
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(md)}


def _descriptor(rule) -> dict:
    return {
        "id": rule.id,
        "name": _name(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["followup-lint", rule.type], "weight": rule.weight, "pack": rule.pack},
    }


def _region(f) -> dict:
    return {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}


def render(reports, rules=(), **_options) -> str:
    descriptors, index = [], {}
    for rule in rules:
        if rule.id not in index:
            index[rule.id] = len(descriptors)
            descriptors.append(_descriptor(rule))
    artifacts, results, notifications = [], [], []
    for report in reports:
        location = dict(_artifact(report.path), index=len(artifacts))
        if report.error is not None:
            artifacts.append({"location": _artifact(report.path)})
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": str(report.error)},
                    "locations": [{"physicalLocation": {"artifactLocation": location}}],
                }
            )
            continue
        artifacts.append(
            {
                "location": _artifact(report.path),
                "properties": {"score": report.score, "verdict": report.verdict, "kind": report.kind},
            }
        )
        for f in report.findings:
            if f.rule not in index:  # a rule the caller did not list: still a valid reference
                index[f.rule] = len(descriptors)
                descriptors.append({"id": f.rule, "shortDescription": {"text": f.title or f.rule}})
            physical = {"artifactLocation": location}
            if not f.decoded:
                physical["region"] = _region(f)
            result = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": physical}],
                "properties": {"weight": f.weight, "region": f.region, "decoded": f.decoded},
            }
            if f.suggestion:
                result["properties"]["suggestion"] = f.suggestion
            results.append(result)
    run = {
        "tool": {
            "driver": {
                "name": "followup-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "artifacts": artifacts,
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
