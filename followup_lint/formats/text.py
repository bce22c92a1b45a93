"""Human output: `path:line:col: severity [rule] message`, one per line, so editors'
error-format parsers and grep work; then a score line per file and a summary.

On a terminal (`show_source`), the findings of one line are followed by one excerpt of that
line with a caret run under each finding's words (formats/snippet.py), and the help text,
wrapped on word boundaries to the terminal's width. Every text that comes from a draft or a
file name is printed with its control characters escaped (`\\x1b`, `\\n`), so a draft or a
file name cannot move the cursor, retitle the terminal or forge report lines.
"""

from __future__ import annotations

import shutil

from followup_lint.model.text import LINE_BREAK, printable

# click (colour) and formats/snippet.py (wcwidth) are imported where they are used: a report
# into a pipe uses neither, and a cache hit (cli/hit.py) should not pay for them.

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}
_VERDICT_COLOUR = {"ready": "green", "revise": "yellow", "rewrite": "red"}


def _style(text, color, **kw):
    if not color:
        return text
    import click

    return click.style(text, **kw)


def terminal_width() -> int:
    """COLUMNS, else the terminal's width, else 80."""
    return shutil.get_terminal_size((80, 24)).columns


def _groups(findings, lines):
    """Consecutive findings that share an excerpt: those on one line of the file."""
    group: list = []
    for f in findings:
        shown = not f.decoded and 1 <= f.line <= len(lines)
        if group and shown and group[0].line == f.line and not group[0].decoded:
            group.append(f)
            continue
        if group:
            yield group
        group = [f]
    if group:
        yield group


def _excerpt(group, lines, width, gutter, color) -> list[str]:
    first = group[0]
    if first.decoded or not (1 <= first.line <= len(lines)):
        return []
    from followup_lint.formats.snippet import Annotation, render_line

    line = lines[first.line - 1]
    annotations = []
    for f in group:
        end = f.end_column - 1 if f.end_line == f.line else len(line)
        annotations.append(Annotation(f.column - 1, end, f.rule, _SEVERITY_COLOUR[f.severity]))
    return render_line(first.line, line, annotations, width, gutter=gutter, color=color)


def _helps(group, width, gutter, color) -> list[str]:
    from followup_lint.formats.snippet import wrap_prose

    seen: dict = {}
    for f in group:
        if f.suggestion:
            seen.setdefault(f.suggestion, []).append(f.rule)
    out = []
    for suggestion, rules in seen.items():
        rules = list(dict.fromkeys(rules))
        tag = f" [{', '.join(rules)}]" if len(seen) > 1 or len({f.rule for f in group}) > 1 else ""
        first = f"{' ' * gutter} = help{tag}: "
        rest = " " * (len(first) if len(first) <= 30 else gutter + 3)
        rows = wrap_prose(suggestion, width, first, rest)
        if color:
            head = f"{' ' * gutter} = "
            rows[0] = head + _style(rows[0][len(head) : len(first)], color, bold=True) + rows[0][len(first) :]
        out += rows
    return out


def render(
    reports, show_source: bool = False, color: bool = False, quiet: bool = False, width: int | None = None, **_options
) -> str:
    out: list[str] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    source = show_source and not quiet
    if source and width is None:
        width = terminal_width()
    # A note every draft of a run shares ("grammar check skipped: no server ...") is said
    # once, after the drafts, instead of once per draft.
    readable = [r for r in reports if r.error is None]
    everywhere = (
        [n for n in dict.fromkeys(readable[0].notes) if all(n in r.notes for r in readable)]
        if len(readable) > 1
        else []
    )
    for report in reports:
        path = printable(report.path)
        if report.error is not None:
            error = printable(str(report.error))
            out.append(error if str(report.error).startswith(report.path) else f"{path}: {error}")
            continue
        lines = LINE_BREAK.split(report.text) if source and report.text else []
        for note in [] if quiet else report.notes:
            if note not in everywhere:
                out.append(f"{path}: note: {printable(note)}")
        gutter = max((len(str(f.line)) for f in report.findings), default=1)
        for group in _groups(report.findings, lines):
            for f in group:
                counts[f.severity] += 1
                sev = _style(f.severity, color, fg=_SEVERITY_COLOUR[f.severity], bold=True)
                head = f"{path}:{f.line}:{f.column}: "
                rest = f"{f.severity} [{printable(f.rule)}] {f.message}"
                if source:
                    from followup_lint.formats.snippet import wrap_prose

                    rows = wrap_prose(rest, width, head, "    ")
                    rows[0] = head + sev + rows[0][len(head) + len(f.severity) :]
                    out += rows
                else:
                    out.append(f"{head}{sev} [{printable(f.rule)}] {printable(f.message)}")
            if source:
                out += _excerpt(group, lines, width, gutter, color)
                out += _helps(group, width, gutter, color)
        if not quiet:
            verdict = _style(report.verdict, color, fg=_VERDICT_COLOUR.get(report.verdict), bold=True)
            how = f", {report.kind_source}" if report.kind != "unknown" else ""
            out.append(f"{path}: score {report.score}/100 ({verdict}) · kind: {report.kind}{how}")
    if not quiet:
        out.extend(f"note: {printable(note)} (all {len(readable)} drafts)" for note in everywhere)
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
