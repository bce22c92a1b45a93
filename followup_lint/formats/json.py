"""The JSON contract other tools read (see README: "JSON output"). Keys are only ever added."""

from __future__ import annotations

import json

from followup_lint import __version__

SCHEMA_VERSION = "1"


def _dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


class Writer:
    """The JSON document written a file at a time (cli/main.py streams a big run through it):
    the same bytes as json.dumps of the whole document with indent=2, since each file's
    object is dumped alone and indented to its depth in the `files` array."""

    def __init__(self, write):
        self.write, self.files = write, 0
        empty = _dumps(
            {"version": SCHEMA_VERSION, "tool": {"name": "followup-lint", "version": __version__}, "files": []}
        )
        self.head, self.tail = empty.rsplit("[]", 1)  # '{... "files": ' and '\n}'

    def add(self, report) -> None:
        item = "\n".join("    " + line for line in _dumps(report.to_dict()).split("\n"))
        self.write((self.head + "[\n" if not self.files else ",\n") + item)
        self.files += 1

    def finish(self) -> None:
        self.write((self.head + "[]" if not self.files else "\n  ]") + self.tail + "\n")
