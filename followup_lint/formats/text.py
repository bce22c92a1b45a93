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


class Writer:
    """The text report written a draft at a time, so a run over many drafts need not keep
    their reports (cli/main.py streams them; formats.render runs it over a list).

    A note every draft of a run shares ("grammar check skipped: no server ...") is said
    once, after the drafts, instead of once per draft; which notes those are is known only
    at the end. So each draft's lines wait in a spooled temporary file (in memory up to
    1 MB, then in a file that is deleted as it is made), beside its notes, and `finish`
    writes them out in order with the notes that are not shared."""

    SPOOL_MEMORY = 1024 * 1024  # characters kept in memory before the spool goes to disk

    def __init__(
        self, write, show_source: bool = False, color: bool = False, quiet: bool = False, width: int | None = None
    ):
        import sys
        import tempfile

        self.write, self.color, self.quiet = write, color, quiet
        self.source = show_source and not quiet
        self.width = terminal_width() if self.source and width is None else width
        self.counts = {"error": 0, "warning": 0, "info": 0}
        self.drafts = self.errors = 0
        self.shared: tuple | None = None  # the notes every readable draft so far has had
        self.readable = 0
        self.parts: list = []  # per draft: its notes, its printed path if it has notes, its lines' length
        self.spool = tempfile.SpooledTemporaryFile(
            self.SPOOL_MEMORY, mode="w+", encoding="utf-8", errors="surrogatepass", newline=""
        )
        self._intern = sys.intern

    def add(self, report) -> None:
        self.drafts += 1
        lines = self._lines(report)
        notes, path = (), None
        if report.error is None:
            self.readable += 1
            notes = tuple(self._intern(n) for n in report.notes) if not self.quiet else ()
            firsts = tuple(dict.fromkeys(notes))
            self.shared = firsts if self.shared is None else tuple(n for n in self.shared if n in firsts)
            path = printable(report.path) if notes else None
        else:
            self.errors += 1
        body = "".join(line + "\n" for line in lines)
        self.spool.write(body)
        self.parts.append((notes, path, len(body)))

    def _lines(self, report) -> list[str]:
        color, source, width = self.color, self.source, self.width
        out: list[str] = []
        path = printable(report.path)
        if report.error is not None:
            error = printable(str(report.error))
            out.append(error if str(report.error).startswith(report.path) else f"{path}: {error}")
            return out
        lines = LINE_BREAK.split(report.text) if source and report.text else []
        gutter = max((len(str(f.line)) for f in report.findings), default=1)
        for group in _groups(report.findings, lines):
            for f in group:
                self.counts[f.severity] += 1
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
        if not self.quiet:
            verdict = _style(report.verdict, color, fg=_VERDICT_COLOUR.get(report.verdict), bold=True)
            how = f", {report.kind_source}" if report.kind != "unknown" else ""
            out.append(f"{path}: score {report.score}/100 ({verdict}) · kind: {report.kind}{how}")
        return out

    def finish(self) -> None:
        everywhere = self.shared if self.readable > 1 and self.shared else ()
        self.spool.seek(0)
        for notes, path, length in self.parts:
            for note in notes:
                if note not in everywhere:
                    self.write(f"{path}: note: {printable(note)}\n")
            self.write(self.spool.read(length))
        self.spool.close()
        out: list[str] = []
        if not self.quiet:
            out.extend(f"note: {printable(note)} (all {self.readable} drafts)" for note in everywhere)
        if not self.quiet and self.drafts > 0:
            n = sum(self.counts.values())
            parts = [f"{v} {k}{'s' if v != 1 else ''}" for k, v in self.counts.items() if v]
            summary = f"Checked {self.drafts} draft{'s' if self.drafts != 1 else ''}: "
            summary += f"{n} finding{'s' if n != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")
            if self.errors:
                summary += f"; {self.errors} could not be read"
            out.append(summary + ".")
        if out:
            self.write("".join(line + "\n" for line in out))
