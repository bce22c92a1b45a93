"""timing: is the draft sent at the right moment?

A rule lists candidate bounds in YAML, each a number of days after a context date:

    timing:
      earliest:                      # the first bound whose date is known is used
        - {after: reply_promised_by, days: 1}
        - {after: interview_date, days: wait_days}     # a number or an option name
      latest:
        - {after: interview_date, days: max_days}

It fires when the send date (front matter, a flag, an .eml Date header, else today) falls
before `earliest` or after `latest`, and stays silent when no bound's date is known. A
message can use {earliest} / {latest} (the date), {early_by} / {late_by} ("3 days"),
{days_early} / {days_late} (the number), and {reason}, the bound that was used in words
("a week after the interview", "the day after the date they said you would hear").
"""

from __future__ import annotations

import datetime as dt

from followup_lint.ruletypes.common import Hit, check_option_name

FIELDS = frozenset(
    {
        "send_date",
        "send_date_source",
        "earliest",
        "latest",
        "days_early",
        "days_late",
        "anchor",
        "early_by",
        "late_by",
        "reason",
        "next_working_day",
    }
)
FIXES: frozenset = frozenset()


def validate(data: dict, located) -> None:
    """A bound's `days:` written as a name is one of the rule's options."""
    for key in ("earliest", "latest"):
        for i, entry in enumerate(data.get("timing", {}).get(key, [])):
            check_option_name(data, located, ("timing", key, i), "days", entry.get("days"))


def bound(rule_spec, entries, ctx) -> tuple[dt.date | None, dict | None]:
    """The date of the first entry whose anchor date is known."""
    for entry in entries or ():
        anchor = getattr(ctx, entry["after"], None)
        if anchor is not None:
            return add_days(anchor, int(rule_spec.option(entry.get("days", 0)))), entry
    return None, None


def add_days(day: dt.date, days: int) -> dt.date:
    """day + days, held to the dates Python can represent (9999-12-31 plus a week, or a
    wait_days of millions, is simply the last date, not an OverflowError)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _where(parsed) -> tuple[int, int]:
    # Point at the subject if there is one, else the opening sentence of the body.
    draft = parsed.draft
    for name in ("subject", "body"):
        spans = draft.regions.get(name) or []
        if spans:
            start, end = spans[0]
            text = draft.text[start:end]
            cut = min((i for i in (text.find("\n"), text.find(". ")) if i > 0), default=len(text))
            return start, start + cut
    return 0, 0


# How a message names each context date, after "the day after" or "a week after".
ANCHOR_WORDS = {
    "interview_date": "the interview",
    "reply_promised_by": "the date they said you would hear",
    "send_date": "the send date",
}
_SPAN_WORDS = {7: "a week", 14: "two weeks", 21: "three weeks"}


def after_words(days: int, anchor: str) -> str:
    """'the day after the interview', 'a week after the date they said you would hear', '10
    days after the interview': the bound a timing message gives as its reason."""
    what = ANCHOR_WORDS.get(anchor, "the " + anchor.replace("_", " "))
    if days == 0:
        return f"the day of {what}" if anchor == "interview_date" else what
    if days == 1:
        return f"the day after {what}"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} before {what}"
    return f"{_SPAN_WORDS.get(days, f'{days} days')} after {what}"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _fmt(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def working_day_note(day: dt.date, ctx) -> str:
    """ " That is a Saturday; Mon 23 Nov 2026 is the next working day." when `day` falls
    outside the working week (the config's `working-days`), else "". The earliest date
    stays the earliest: a draft sent on it is not too early, only read later."""
    from followup_lint.model.context import WORKING_DAYS, next_working_day

    working = next_working_day(day, getattr(ctx, "working_days", WORKING_DAYS))
    if working == day:
        return ""
    return f" That is a {day:%A}; {_fmt(working)} is the next working day."


def check(rule, parsed, ctx, settings) -> list[Hit]:
    spec = rule.spec
    timing = spec.timing
    send = ctx.send_date
    if send is None:
        return []
    start, end = _where(parsed)
    values = {"send_date": _fmt(send), "send_date_source": ctx.send_date_source}
    earliest, entry = bound(spec, timing.get("earliest"), ctx)
    if earliest is not None and send < earliest:
        days = int(spec.option(entry.get("days", 0)))
        values.update(
            earliest=_fmt(earliest),
            days_early=(earliest - send).days,
            anchor=entry["after"].replace("_", " "),
            early_by=_days((earliest - send).days),
            reason=after_words(days, entry["after"]),
            next_working_day=working_day_note(earliest, ctx),
        )
        return [Hit(start, end, values=values)]
    latest, entry = bound(spec, timing.get("latest"), ctx)
    if latest is not None and send > latest:
        days = int(spec.option(entry.get("days", 0)))
        values.update(
            latest=_fmt(latest),
            days_late=(send - latest).days,
            anchor=entry["after"].replace("_", " "),
            late_by=_days((send - latest).days),
            reason=after_words(days, entry["after"]),
        )
        return [Hit(start, end, values=values)]
    return []
