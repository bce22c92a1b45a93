"""The library entry points every front end uses: the CLI, the language server, tests.

from followup_lint import lint
report = lint("Dear Sam, ...", context={"kind": "thank-you"})
report.score, [f.rule for f in report.findings]
"""

from __future__ import annotations

from followup_lint.model.findings import FileReport
from followup_lint.run.session import Session

_SESSIONS: dict = {}


def _session(kind: str, config, select, ignore) -> Session:
    # Calls without config, select or ignore share one session per kind, so repeated calls
    # load the model and compile the rules once.
    if config is not None or select is not None or ignore is not None:
        return Session(config=config if config is not None else _defaults(kind), select=select, ignore=ignore)
    if kind not in _SESSIONS:
        _SESSIONS[kind] = Session(config=_defaults(kind))
    return _SESSIONS[kind]


def _defaults(kind: str):
    """lint(text): the built-in defaults; lint_path(path): None, the config found beside it."""
    if kind == "discover":
        return None
    from followup_lint.rulefiles.config import Config

    return Config()


def lint(
    text: str, path: str = "<text>", *, context: dict | None = None, config=None, select=None, ignore=None
) -> FileReport:
    """Lint one draft given as text (front matter and a Subject: line allowed). Uses the
    built-in defaults unless a Config is given."""
    return _session("text", config, select, ignore).lint_text(text, path, context=context)


def lint_path(path, *, context: dict | None = None, config=None, select=None, ignore=None) -> FileReport:
    """Lint one draft file (.txt, .md or .eml). Uses the config found beside the file
    unless one is given."""
    return _session("discover", config, select, ignore).lint_path(path, context=context)


def lint_paths(paths, *, config=None, select=None, ignore=None, today=None) -> list[FileReport]:
    """Lint many draft files with one session (one model load, each config read once);
    reports in input order. Each draft uses the config found beside it unless one is given;
    `today` pins the date the timing rules read. For batch jobs across machines see
    examples/dask_batch.py."""
    session = Session(config=config, select=select, ignore=ignore, today=today)
    return [session.lint_path(p) for p in paths]
