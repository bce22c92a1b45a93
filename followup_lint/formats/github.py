"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    ::warning file=drafts/acme.txt,line=4,col=1,endLine=4,endColumn=42,title=pushy: Don't press for a decision::…

Values are escaped as GitHub's own toolkit does (`%`, CR and LF in the message; also `:`
and `,` in properties), and other control characters are shown as `\\x1b`. Columns are
given only for a one-line span, the only kind GitHub places by column; a finding in a
decoded email body, whose lines are not the file's, annotates the file as a whole. Info findings are notices.
"""

from __future__ import annotations

from followup_lint.model.text import printable

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    # Other control characters (an escape sequence in a file name or a quoted match) would
    # reach the log viewer, which renders colours: shown as \x1b instead.
    text = printable(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind} {fields}::{escape_data(message)}"


class Writer:
    """The annotations written a file at a time (cli/main.py streams a big run through it)."""

    def __init__(self, write):
        self.write = write

    def add(self, report) -> None:
        if report.error is not None:
            self.write(
                _command("error", str(report.error), file=report.path, title="followup-lint: cannot lint this file")
                + "\n"
            )
            return
        for f in report.findings:
            where = {"file": report.path}
            if not f.decoded:
                where["line"], where["endLine"] = f.line, f.end_line
                if f.end_line == f.line:
                    where["col"], where["endColumn"] = f.column, f.end_column
            message = f.message + (f"\nhelp: {f.suggestion}" if f.suggestion else "")
            title = f"{f.rule}: {f.title}" if f.title else f.rule
            self.write(_command(COMMANDS[f.severity], message, **where, title=title) + "\n")

    def finish(self) -> None:
        pass
