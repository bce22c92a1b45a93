"""The circumstances of a draft: what kind of follow-up it is, when it is sent, where the
interview was.

Sources, strongest first: explicit overrides (CLI flags, an example's `context:`), the
draft's front matter, the config's `context:` entries whose glob matches the draft's path
(so a draft can stay a clean email), an .eml's headers (Date is the send date), the config
file's defaults (`kind:`, `setting:`), and finally inference from the text (the kind; see
kinds.py). A missing send date means today, which `--today` pins so runs are reproducible.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field

from followup_lint.model.rule import KINDS, SETTINGS

WORKING_DAYS = (0, 1, 2, 3, 4)
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ContextError(ValueError):
    """A context value that cannot be used. str() starts with the field name."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass
class Context:
    kind: str = "unknown"
    kind_source: str = "default"  # stated | front matter | config | inferred | default
    setting: str = "unknown"
    interview_date: dt.date | None = None
    send_date: dt.date | None = None
    send_date_source: str = "today"  # stated | front matter | email Date | config | today
    reply_promised_by: dt.date | None = None
    interviewer: str | None = None
    company: str | None = None
    role: str | None = None
    ignore: tuple = field(default_factory=tuple)
    # The days an email is read the day it lands (Monday=0): the config's `working-days`.
    working_days: tuple = WORKING_DAYS


def next_working_day(day: dt.date, working_days=WORKING_DAYS) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    for _ in range(7):
        if day.weekday() in working_days:
            return day
        day += dt.timedelta(days=1)
    return day  # no working days at all: the config refuses that, but never loop


DATE_KEYS = ("interview_date", "send_date", "reply_promised_by")
# What a config's `context:` entry may set for the drafts its glob matches.
CONTEXT_KEYS = ("kind", "setting", *DATE_KEYS, "interviewer", "company", "role")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.I)
# Unambiguous written forms only: "Nov 3, 2026", "3 November 2026", "November 3rd 2026",
# "2026/11/03". 03/11/2026 means different days on either side of the Atlantic: refused.
_FORMATS = (
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y/%m/%d",
    "%a %b %d %Y",
    "%A %B %d %Y",
    "%a %d %b %Y",
    "%A %d %B %Y",
)


def parse_date(value, key: str) -> dt.date | None:
    """ISO dates and common written forms; raises ContextError naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    cleaned = _ORDINAL.sub("", text).replace(",", " ").replace(".", " ")
    cleaned = " ".join(cleaned.split())
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ContextError(key, f"{text!r} is not a date; write it as YYYY-MM-DD (or e.g. 'Nov 3, 2026')")


def email_date(header: str | None) -> dt.date | None:
    """The calendar date of an RFC 2822 Date header, in the sender's own time zone."""
    if not header:
        return None
    try:
        return email.utils.parsedate_to_datetime(header).date()
    except (TypeError, ValueError, IndexError, OverflowError):  # Overflow: a year of 30 digits (found by fuzzing)
        return None


def build(
    front_matter: dict | None = None,
    overrides: dict | None = None,
    defaults: dict | None = None,
    headers: dict | None = None,
    today: dt.date | None = None,
    working_days=WORKING_DAYS,
    path_context: dict | None = None,
) -> Context:
    """Merge the sources into one Context. Raises ContextError naming the bad field.
    path_context: the config's `context:` for this draft's path."""
    merged: dict = {}
    sources: dict = {}
    header_layer = {}
    if headers and email_date(headers.get("date")):
        header_layer["send_date"] = email_date(headers.get("date"))
    for layer, name in (
        (defaults or {}, "config"),
        (header_layer, "email Date"),
        (path_context or {}, "config"),
        (front_matter or {}, "front matter"),
        (overrides or {}, "stated"),
    ):
        for key, value in layer.items():
            if value is None or value == "":
                continue
            merged[key] = value
            sources[key] = name
    kind = str(merged.get("kind", "unknown"))
    if kind not in KINDS:
        raise ContextError("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    setting = str(merged.get("setting", "unknown"))
    if setting not in SETTINGS:
        raise ContextError("setting", f"{setting!r} is not one of {', '.join(SETTINGS)}")
    ignore = merged.get("ignore") or ()
    if isinstance(ignore, str):
        ignore = [s.strip() for s in ignore.split(",") if s.strip()]
    if not isinstance(ignore, (list, tuple)):
        raise ContextError("ignore", "expected a list of rule ids")
    dates = {k: parse_date(merged.get(k), k) for k in DATE_KEYS}
    send_source = sources.get("send_date", "today")
    if dates["send_date"] is None:
        dates["send_date"] = today or dt.date.today()
    names = {k: (str(merged[k]) if merged.get(k) is not None else None) for k in ("interviewer", "company", "role")}
    return Context(
        kind=kind,
        kind_source=sources.get("kind", "default") if "kind" in merged else "default",
        setting=setting,
        send_date_source=send_source,
        ignore=tuple(str(i) for i in ignore),
        working_days=tuple(working_days),
        **dates,
        **names,
    )
