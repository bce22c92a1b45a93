"""The one place the web front end touches the rest of followup-lint.

Every import of another followup_lint module made by `followup_lint.serve` (and by
bench/serve_latency.py) goes through this file, so when those modules move only the
imports below change. The page lints through a `Session`, like every front end: the
config is found from the served folder (or `--config`), re-read when it is edited, and the
Linter is the one the CLI would build for that config. Everything here is plain data in,
plain data out: the routes never see a Finding or a Draft, only dicts.

Imports of spaCy-bearing modules stay inside functions: `followup-lint --help` imports the
command (serve/command.py), which imports nothing from here.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

# --- the imports (re-point these when the layout moves) ----------------------------------


def _session_mod():
    from followup_lint.run import session

    return session


def _context():
    from followup_lint.model import context

    return context


def _read():
    from followup_lint.read import draft

    return draft


def _draft_error():
    from followup_lint.model.draft import DraftError

    return DraftError


def _fixes():
    from followup_lint.engine import fixes

    return fixes


def _fixing():
    from followup_lint.run import fixing

    return fixing


def _schedule():
    from followup_lint.engine import schedule

    return schedule


def _discovery():
    from followup_lint.read import discovery

    return discovery


def _explain_rule(rule) -> str:
    from followup_lint.formats.explain import explain_rule

    return explain_rule(rule)


def _file_report(path: str, message: str):
    from followup_lint.model.findings import FileReport, Problem

    return FileReport(path=path, error=Problem(None, None, message))


def version() -> str:
    from followup_lint import __version__

    return __version__


def nlp_load():
    """The warm spaCy pipeline (the same object the Linter uses), for the bench's bare parse."""
    from followup_lint.language.pipeline import load

    return load()


def fail(message: str) -> None:
    """One line on stderr and exit 2, as every front end fails on an input or usage error."""
    import click

    click.echo(f"followup-lint: {message}", err=True)
    sys.exit(2)


# --- what the server uses ------------------------------------------------------------------

DRAFT_SUFFIXES = (".txt", ".md", ".eml")
FORM_KEYS = ("kind", "setting", "interview_date", "reply_promised_by", "send_date", "interviewer", "company", "role")
DATE_KEYS = ("interview_date", "reply_promised_by", "send_date")
KINDS = ("thank-you", "check-in", "offer-update")
SETTINGS = ("corporate", "startup", "creative")
WARM_UP = "Dear Sam,\n\nThank you.\n\nBest,\nJo\n"


class StartError(Exception):
    """The linter cannot start (no model, a bad config): one line for the user."""


class DraftProblem(Exception):
    """A draft file that cannot be opened or saved: one line for the user."""


class Source:
    """What the page lints with: a Session for the served folder (or the current folder).
    `linter()` is called on the worker thread before each job, so an edited config takes
    effect on the next keystroke, as in the language server."""

    def __init__(self, session=None, folder: Path | None = None, linter=None):
        self.session = session
        self.folder = Path(folder) if folder else None
        self._linter = linter

    def linter(self):
        if self._linter is not None:
            return self._linter
        try:
            return self.session.linter_at(None)
        except _session_mod().SETUP_ERRORS as exc:
            raise StartError(str(exc)) from None

    def today(self) -> dt.date:
        pinned = self._linter.today if self._linter is not None else self.session.today
        return pinned or dt.date.today()


def open_source(folder: Path | None, config_path: str | None, today: str | None = None) -> Source:
    """A Source with the pipeline loaded and the rules compiled (what the CLI builds), or
    StartError."""
    context = _context()
    if config_path and not Path(config_path).is_file():
        raise StartError(f"{config_path}: config file not found")
    try:
        pinned = context.parse_date(today, "--today") if today else None
    except context.ContextError as exc:
        raise StartError(str(exc)) from None
    session = _session_mod().Session(config_file=config_path, root=Path(folder or ".").resolve(), today=pinned)
    source = Source(session, folder)
    source.linter().lint_draft(_read().read_text(WARM_UP, "warm-up.txt"))
    return source


def source_for(linter, folder: Path | None = None) -> Source:
    """A Source around a Linter already built (tests share one)."""
    return Source(folder=folder, linter=linter)


def clean_context(raw: dict | None) -> tuple[dict, dict]:
    """The page's form fields -> (context overrides for lint(), {field: error}).

    A bad value is left out of the lint (so the draft is still checked) and reported
    against its field."""
    context = _context()
    out, errors = {}, {}
    raw = raw if isinstance(raw, dict) else {}
    for key in FORM_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        value = " ".join(str(value).split())[:200]
        if not value or value in ("auto", "unknown"):
            continue
        if key in DATE_KEYS:
            try:
                out[key] = context.parse_date(value, key)
            except context.ContextError as exc:
                errors[key] = str(exc).split(": ", 1)[-1]
        elif key == "kind" and value not in KINDS:
            errors[key] = f"{value!r} is not one of auto, {', '.join(KINDS)}"
        elif key == "setting" and value not in SETTINGS:
            errors[key] = f"{value!r} is not one of unknown, {', '.join(SETTINGS)}"
        else:
            out[key] = value
    ignore = raw.get("ignore")
    if isinstance(ignore, (list, tuple)):
        out["ignore"] = [str(i) for i in ignore if isinstance(i, str) and i.strip()][:100]
    return out, errors


def lint_text(linter, text: str, context: dict, fmt: str = "txt"):
    """(report, draft or None) for a draft given as text: the same Linter.lint_draft as the
    CLI and the language server. A text that cannot be read gives a report with `error`."""
    try:
        draft = _read().read_text(text, f"draft.{fmt}", format=fmt)
    except _draft_error() as exc:
        return _file_report(f"draft.{fmt}", exc.message), None
    return linter.lint_draft(draft, context), draft


def rule_info(linter, rule_id: str) -> dict:
    rule = linter.ruleset.by_id.get(rule_id)
    if rule is None:
        return {"title": "", "why": "", "source": ""}
    return {"title": rule.title, "why": rule.rationale or "", "source": rule.source or ""}


def explain(linter, rule_id: str) -> str | None:
    """The text `followup-lint --explain RULE` prints."""
    rule = linter.ruleset.by_id.get(rule_id)
    if rule is None:
        try:
            from followup_lint.rulefiles.config import build_ruleset

            rule = build_ruleset(linter.config).by_id.get(rule_id)
        except Exception:
            rule = None
    return _explain_rule(rule) if rule is not None else None


def error_text(report) -> str | None:
    """Why a report has no findings (a draft that cannot be read, a bad context), or None."""
    return None if report.error is None else str(report.error)


def _edit(edit) -> dict:
    return {"start": edit.start, "end": edit.end, "replacement": edit.replacement}


def fix_dict(fix) -> dict | None:
    """A finding's fix as the page gets it: title, safe, edits (offsets into Draft.raw)."""
    if not fix:
        return None
    return {"title": fix.title, "safe": bool(fix.safe), "edits": [_edit(e) for e in fix.edits]}


def fix_all(findings) -> list:
    """The safe fixes the CLI's --fix would apply together (non-overlapping), as edit dicts."""
    fixes = _fixes()
    return [_edit(e) for e in fixes.edits_of(fixes.choose(findings))]


def schedule(linter, context: dict, kind: str | None) -> dict | None:
    """`followup-lint schedule`'s plan for the page's dates, judged for this draft's kind."""
    context_mod = _context()
    if not context.get("interview_date") and not context.get("reply_promised_by"):
        return None
    try:
        ctx = context_mod.build(
            {},
            {k: v for k, v in context.items() if k != "ignore"},
            linter.config.defaults,
            today=linter.today,
            working_days=linter.config.working_days,
        )
    except context_mod.ContextError:
        return None
    if kind:
        ctx.kind = kind
    return _schedule().plan(ctx, linter.ruleset.by_id, draft_path="this draft").to_dict()


def today(linter) -> dt.date:
    return linter.today or dt.date.today()


# --- the served folder -----------------------------------------------------------------------


def list_drafts(cfg, folder: Path) -> tuple[list, list]:
    """(draft paths, [(where, why)]) below the folder, as `followup-lint FOLDER` walks it."""
    problems: list = []
    found = _discovery().walk(folder, excluded=cfg.excluded, problems=problems)
    return found, problems


def lint_file(linter, path: Path, display: str):
    return linter.lint_path(path, display=display)


def read_file(path: Path, display: str, max_bytes: int):
    """A draft file as the linter reads it (for the writer's view to split)."""
    try:
        return _read().read_path(path, display=display, max_bytes=max_bytes)
    except _draft_error() as exc:
        raise DraftProblem(str(exc)) from None


def subject_line(text: str, start: int):
    return _read().subject_line(text, start)


def check_bytes(data: bytes, display: str, fmt: str, max_bytes: int):
    """Read bytes about to be written, as the linter will read them (never write what would
    not read back)."""
    try:
        return _read().read_bytes(data, display, format=fmt, max_bytes=max_bytes)
    except _draft_error() as exc:
        raise DraftProblem(exc.message) from None


def encode_like(text: str, encoding: str, original: bytes) -> bytes:
    return _fixing().encode_like(text, encoding, original)


def write_atomic(path: Path, data: bytes) -> None:
    _fixing().write_atomic(path, data)
