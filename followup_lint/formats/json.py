"""The JSON contract other tools read (see README: "JSON output"). Keys are only ever added."""

from __future__ import annotations

import json

from followup_lint import __version__

SCHEMA_VERSION = "1"


def render(reports, **_options) -> str:
    doc = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "followup-lint", "version": __version__},
        "files": [r.to_dict() for r in reports],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
