"""The library entry points every front end uses: the CLI, the language server, tests.

    from followup_lint import lint
    report = lint("Dear Sam, ...", context={"kind": "thank-you"})
    report.score, [f.rule for f in report.findings]
"""

from __future__ import annotations
from followup_lint.engine.linter import Linter

from pathlib import Path

from followup_lint.rulefiles import config as config_mod
from followup_lint.model.draft import DraftError
from followup_lint.read.draft import read_text
from followup_lint.model.findings import FileReport


_DEFAULT: dict = {}


def _linter(config, select, ignore) -> Linter:
    # The common case (no config) reuses one Linter so repeated calls don't recompile rules.
    if config is None and select is None and ignore is None:
        if "linter" not in _DEFAULT:
            _DEFAULT["linter"] = Linter()
        return _DEFAULT["linter"]
    return Linter(config, select, ignore)


def lint(text: str, path: str = "<text>", *, context: dict | None = None, config=None,
         select=None, ignore=None) -> FileReport:
    """Lint one draft given as text (front matter and a Subject: line allowed)."""
    try:
        draft = read_text(text, path)
    except DraftError as exc:
        return FileReport(path=path, error=str(exc))
    return _linter(config, select, ignore).lint_draft(draft, context)


def lint_path(path, *, context: dict | None = None, config=None, select=None, ignore=None) -> FileReport:
    """Lint one draft file (.txt, .md or .eml). Uses the config found beside the file
    unless one is given."""
    if config is None:
        config = config_mod.load(config_mod.discover(Path(path)))
    return Linter(config, select, ignore).lint_path(path, context=context)


