"""The circumstances of a draft: what kind of follow-up it is and where the interview was.

Sources, strongest first: explicit overrides (CLI flags, an example's `context:`), the
draft's front matter, the config file's defaults. The kind is `unknown` unless stated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .rulepack import KINDS, SETTINGS


class ContextError(ValueError):
    pass


@dataclass
class Context:
    kind: str = "unknown"
    kind_source: str = "default"
    setting: str = "unknown"
    interview_date: dt.date | None = None
    send_date: dt.date | None = None
    reply_promised_by: dt.date | None = None
    interviewer: str | None = None
    company: str | None = None
    role: str | None = None
    ignore: tuple = field(default_factory=tuple)


_DATE_KEYS = ("interview_date", "send_date", "reply_promised_by")


def _date(value, key):
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ContextError(f"{key}: {value!r} is not a date; write it as YYYY-MM-DD") from None


def build(front_matter: dict | None = None, overrides: dict | None = None, defaults: dict | None = None) -> Context:
    """Merge the sources into one Context. Raises ContextError naming the bad field."""
    merged: dict = {}
    source = "default"
    for layer, name in ((defaults or {}, "config"), (front_matter or {}, "front matter"), (overrides or {}, "stated")):
        for key, value in layer.items():
            if value is None:
                continue
            merged[key] = value
            if key == "kind":
                source = name
    kind = str(merged.get("kind", "unknown"))
    if kind not in KINDS:
        raise ContextError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    setting = str(merged.get("setting", "unknown"))
    if setting not in SETTINGS:
        raise ContextError(f"setting: {setting!r} is not one of {', '.join(SETTINGS)}")
    ignore = merged.get("ignore") or ()
    if isinstance(ignore, str):
        ignore = [s.strip() for s in ignore.split(",") if s.strip()]
    if not isinstance(ignore, (list, tuple)):
        raise ContextError("ignore: expected a list of rule ids")
    names = {k: (str(merged[k]) if merged.get(k) is not None else None) for k in ("interviewer", "company", "role")}
    return Context(
        kind=kind,
        kind_source=source if kind != "unknown" or source != "default" else "default",
        setting=setting,
        ignore=tuple(str(i) for i in ignore),
        **{k: _date(merged.get(k), k) for k in _DATE_KEYS},
        **names,
    )
