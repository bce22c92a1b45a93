"""The one place the web front end touches the rest of followup-lint.

Every import of an internal module made by `followup_lint.serve` (and by
bench/serve_latency.py) goes through this file, so when those modules move only the
imports below change. Everything here is plain data in, plain data out: the routes never
see a Finding or a Draft, only dicts.

Imports of spaCy-bearing modules stay inside functions: `followup-lint --help` imports the
command (serve/command.py), which imports nothing from here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

# --- the imports (re-point these when the layout moves) ----------------------------------


def _api():
    from .. import api

    return api


def _config():
    from .. import config

    return config


def _context():
    from .. import context

    return context


def _draft():
    from .. import draft

    return draft


def _fixes():
    from .. import fixes

    return fixes


def _schedule():
    from .. import schedule

    return schedule


def _discovery():
    from .. import discovery

    return discovery


def _explain_text():
    from ..cli import _explain

    return _explain


def _errors() -> tuple:
    """The exceptions that mean "cannot start": no model, a bad config or rule file."""
    from ..config import ConfigError
    from ..nlp import ModelMissing
    from ..rulepack import RuleError

    return ConfigError, ModelMissing, RuleError


def fail(message: str) -> None:
    """One line on stderr and exit 2, as every front end fails on an input or usage error."""
    from ..clitools import fail as cli_fail

    cli_fail(message)


def version() -> str:
    from .. import __version__

    return __version__


def nlp_load():
    """The warm spaCy pipeline (the same object the Linter uses), for the bench's bare parse."""
    from ..nlp import load

    return load()


# --- what the server uses ------------------------------------------------------------------

DRAFT_SUFFIXES = (".txt", ".md", ".eml")
FORM_KEYS = ("kind", "setting", "interview_date", "reply_promised_by", "send_date", "interviewer", "company", "role")
DATE_KEYS = ("interview_date", "reply_promised_by", "send_date")
KINDS = ("thank-you", "check-in", "offer-update")
SETTINGS = ("corporate", "startup", "creative")


class StartError(Exception):
    """The linter cannot start (no model, a bad config): one line for the user."""


class DraftProblem(Exception):
    """A draft file that cannot be opened or saved: one line for the user."""


def load_config(folder: Path | None, config_path: str | None):
    config = _config()
    try:
        path = Path(config_path) if config_path else config.discover(Path(folder or "."))
        if config_path and not path.is_file():
            raise StartError(f"{config_path}: config file not found")
        return config.load(path)
    except _errors() as exc:
        raise StartError(str(exc)) from None


def make_linter(cfg, today: str | None = None):
    """A Linter with the pipeline loaded and the rules compiled (what the CLI builds)."""
    try:
        pinned = _context().parse_date(today, "--today") if today else None
        linter = _api().Linter(cfg, today=pinned)
        linter.lint_draft(_draft().read_text("Dear Sam,\n\nThank you.\n\nBest,\nJo\n", "warm-up.txt"))
    except _errors() as exc:
        raise StartError(str(exc)) from None
    except _context().ContextError as exc:
        raise StartError(str(exc)) from None
    return linter


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
    draft_mod = _draft()
    from ..findings import FileReport

    try:
        draft = draft_mod.read_text(text, f"draft.{fmt}", format=fmt)
    except draft_mod.DraftError as exc:
        return FileReport(path=f"draft.{fmt}", error=exc.message), None
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
            rule = next((r for r in _config().build_ruleset(linter.config).rules if r.id == rule_id), None)
        except Exception:
            rule = None
    return _explain_text()(rule) if rule is not None else None


def fix_all(findings) -> list:
    """The safe fixes the CLI's --fix would apply together (non-overlapping), as edit dicts."""
    fixes = _fixes()
    return fixes.edits_of(fixes.choose(findings))


def schedule(linter, context: dict, kind: str | None) -> dict | None:
    """`followup-lint schedule`'s plan for the page's dates, judged for this draft's kind."""
    context_mod = _context()
    if not context.get("interview_date") and not context.get("reply_promised_by"):
        return None
    try:
        ctx = context_mod.build({}, {k: v for k, v in context.items() if k != "ignore"}, linter.config.defaults,
                                today=linter.today)
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
    """A draft file split for the writer's view: its Draft, and the parts the page edits."""
    draft_mod = _draft()
    try:
        return draft_mod.read_path(path, display=display, max_bytes=max_bytes)
    except draft_mod.DraftError as exc:
        raise DraftProblem(str(exc)) from None


def subject_line(text: str, start: int):
    return _draft().subject_line(text, start)


def check_bytes(data: bytes, display: str, fmt: str, max_bytes: int):
    """Read bytes about to be written, as the linter will read them (never write what would
    not read back)."""
    draft_mod = _draft()
    try:
        return draft_mod.read_bytes(data, display, format=fmt, max_bytes=max_bytes)
    except draft_mod.DraftError as exc:
        raise DraftProblem(exc.message) from None


def encode_like(text: str, encoding: str, original: bytes) -> bytes:
    return _fixes().encode_like(text, encoding, original)


def write_atomic(path: Path, data: bytes) -> None:
    _fixes().write_atomic(path, data)
