"""`followup-lint schedule`: when to send the thank-you and the check-in, and what the
check-in should carry. Uses the too-early and thanks-late rules' own bounds (so a
configured `wait_days` or `max_days` applies here too) and never loads spaCy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from followup_lint.model.context import next_working_day
from followup_lint.ruletypes.timing import bound


@dataclass
class Plan:
    interview_date: dt.date | None
    reply_promised_by: dt.date | None
    thank_you_by: dt.date | None
    checkin_from: dt.date | None
    checkin_basis: str | None
    checkin_should: list
    draft: dict | None = None  # {path, kind, send_date, days_early|days_late, verdict}
    # The first working day on or after checkin_from when that falls outside the working
    # week (a Saturday): checkin_from stays the earliest, this is the suggested day.
    checkin_working_day: dt.date | None = None

    def to_dict(self) -> dict:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "interview_date": iso(self.interview_date),
            "reply_promised_by": iso(self.reply_promised_by),
            "thank_you_by": iso(self.thank_you_by),
            "checkin_from": iso(self.checkin_from),
            "checkin_next_working_day": iso(self.checkin_working_day),
            "checkin_basis": self.checkin_basis,
            "checkin_should": self.checkin_should,
            "draft": self.draft,
        }


CHECKIN_SHOULD = [
    "thank them again briefly and confirm you are still interested",
    "add value: ask whether they need anything else from you, offer references or further information, "
    "or share something relevant (an article, a work sample, a portfolio piece)",
    "not ask whether they have decided, set a deadline of your own, or mention how long you have waited",
]


def plan(ctx, rules_by_id: dict, draft_path: str | None = None) -> Plan:
    too_early, thanks_late = rules_by_id.get("too-early"), rules_by_id.get("thanks-late")
    checkin, entry = bound(too_early, too_early.timing.get("earliest"), ctx) if too_early else (None, None)
    thanks_by, _ = bound(thanks_late, thanks_late.timing.get("latest"), ctx) if thanks_late else (None, None)
    basis = None
    if entry is not None:
        days = int(too_early.option(entry.get("days", 0)))
        basis = {
            "reply_promised_by": "the day after the date they said you would hear",
            "interview_date": f"{days} days after the interview",
        }.get(entry["after"], entry["after"])
    result = Plan(ctx.interview_date, ctx.reply_promised_by, thanks_by, checkin, basis, CHECKIN_SHOULD)
    if checkin is not None:
        working = next_working_day(checkin, ctx.working_days)
        result.checkin_working_day = working if working != checkin else None
    if draft_path is not None:
        info = {
            "path": draft_path,
            "kind": ctx.kind,
            "kind_source": ctx.kind_source,
            "send_date": ctx.send_date.isoformat(),
            "send_date_source": ctx.send_date_source,
        }
        if ctx.kind == "check-in" and checkin is not None:
            early = (checkin - ctx.send_date).days
            info["days_early"] = max(early, 0)
            info["verdict"] = f"too early by {early} day(s)" if early > 0 else "on time"
        elif ctx.kind == "thank-you" and thanks_by is not None:
            late = (ctx.send_date - thanks_by).days
            info["days_late"] = max(late, 0)
            info["verdict"] = f"late by {late} day(s)" if late > 0 else "on time"
        else:
            info["verdict"] = (
                "no timing advice for this kind of draft"
                if ctx.kind not in ("check-in", "thank-you")
                else "no interview date or promised date to judge by"
            )
        result.draft = info
    return result


def _day(d: dt.date | None) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}" if d else "-"


def render_text(p: Plan) -> str:
    out = []
    if p.interview_date:
        out.append(f"Interview:          {_day(p.interview_date)}")
        out.append(
            f"Send the thank-you: {_day(p.interview_date)} or the next day (by {_day(p.thank_you_by)} at the latest)"
        )
    if p.reply_promised_by:
        out.append(f"They promised news by {_day(p.reply_promised_by)}")
    if p.checkin_from:
        out.append(f"Earliest check-in:  {_day(p.checkin_from)} ({p.checkin_basis})")
        if p.checkin_working_day:
            out.append(
                f"Suggested check-in: {_day(p.checkin_working_day)} ({p.checkin_from:%A} is not a working day; "
                f"sending on {_day(p.checkin_from)} is not too early, only read later)"
            )
        out.append("The check-in should:")
        out.extend(f"  - {line}" for line in p.checkin_should)
    else:
        out.append(
            "No interview date or promised reply date: give --interview-date (and --reply-promised-by if they named a date)."
        )
    if p.draft:
        d = p.draft
        kind = f"{d['kind']} ({d['kind_source']})" if d.get("kind_source") in ("inferred", "config") else d["kind"]
        out.append(f"{d['path']}: {kind} sent {d['send_date']} ({d['send_date_source']}): {d['verdict']}")
    return "\n".join(out) + "\n"
