"""Human output: `path:line:col: severity [rule] message`, one per line, so editors'
error-format parsers and grep work; the offending text and a help line under it when
`show_source` is on (a terminal), then a score line per file."""

from __future__ import annotations

import re

import click

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}
_VERDICT_COLOUR = {"ready": "green", "revise": "yellow", "rewrite": "red"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _style(text, color, **kw):
    return click.style(text, **kw) if color else text


def _source_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def _excerpt(finding, lines, color) -> list[str]:
    """The finding's first line with its span underlined (spans counted in code points)."""
    if finding.decoded or not (1 <= finding.line <= len(lines)):
        return []
    line = lines[finding.line - 1].replace("\t", " ")
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    end = max(end, start + 1)
    gutter = f"{finding.line:>4} | "
    shown = line[:start] + _style(line[start:end], color, bold=True) + line[end:] if color else line
    marker = " " * len(gutter) + " " * start + "^" * min(max(end - start, 1), max(len(line) - start, 1))
    return [gutter + shown, _style(marker, color, fg=_SEVERITY_COLOUR[finding.severity])]


def render(reports, show_source: bool = False, color: bool = False, quiet: bool = False, **_options) -> str:
    out: list[str] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    # A note every draft of a run shares ("grammar check skipped: no server ...") is said
    # once, after the drafts, instead of once per draft.
    readable = [r for r in reports if r.error is None]
    everywhere = [n for n in dict.fromkeys(readable[0].notes) if all(n in r.notes for r in readable)] \
        if len(readable) > 1 else []
    for report in reports:
        if report.error is not None:
            error = str(report.error)
            out.append(error if error.startswith(report.path) else f"{report.path}: {error}")
            continue
        lines = _source_lines(report.text) if show_source and report.text else []
        for note in ([] if quiet else report.notes):
            if note not in everywhere:
                out.append(f"{report.path}: note: {note}")
        for f in report.findings:
            counts[f.severity] += 1
            sev = _style(f.severity, color, fg=_SEVERITY_COLOUR[f.severity], bold=True)
            out.append(f"{report.path}:{f.line}:{f.column}: {sev} [{f.rule}] {f.message}")
            if show_source and not quiet:
                out.extend(_excerpt(f, lines, color))
                if f.suggestion:
                    out.append(f"     = help: {f.suggestion}")
        if not quiet:
            verdict = _style(report.verdict, color, fg=_VERDICT_COLOUR.get(report.verdict), bold=True)
            how = f", {report.kind_source}" if report.kind != "unknown" else ""
            out.append(f"{report.path}: score {report.score}/100 ({verdict}) · kind: {report.kind}{how}")
    if not quiet:
        out.extend(f"note: {note} (all {len(readable)} drafts)" for note in everywhere)
    if not quiet and len(reports) > 0:
        n = sum(counts.values())
        parts = [f"{v} {k}{'s' if v != 1 else ''}" for k, v in counts.items() if v]
        errors = sum(1 for r in reports if r.error is not None)
        summary = f"Checked {len(reports)} draft{'s' if len(reports) != 1 else ''}: "
        summary += f"{n} finding{'s' if n != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")
        if errors:
            summary += f"; {errors} could not be read"
        out.append(summary + ".")
    return "\n".join(out) + ("\n" if out else "")
