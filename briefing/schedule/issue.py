"""Which issue a build is: its period, number and date — for plain builds too.

`briefing build` of a briefing whose text uses {{ period.label }} or
{{ schedule.issue }} gets the values a scheduled build would give:
  - no --period: the issue dated as the document (`date:`), covering the
    period the schedule's rule gives for that date; the number is the
    document's `issue:`, else the one the history would give that period;
  - --period 2026-10: the issue that covers October 2026 by the schedule's
    rule (a monthly `last_month` schedule: the issue of 1 November), with
    its date and number, exactly as `briefing schedule once` would build it;
  - --issue N sets the number.
A briefing without `schedule:` uses the defaults (monthly, last_month).
Nothing is written: the history is only read.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..content.schema import Schedule
from ..errors import ContentError, Location
from ..i18n import _
from . import timing
from .history import FILE_NAME, History


@dataclass(frozen=True)
class Issue:
    period: timing.Period
    number: int
    issue_date: dt.date
    fire_time: dt.datetime

    def variables(self) -> dict:
        """The template variables `period` and `schedule`."""
        return {"period": self.period.variables(),
                "schedule": {"issue": self.number, "date": self.issue_date,
                             "fire_time": self.fire_time.isoformat(), "label": self.period.label}}


def schedule_of(content):
    return content.doc.schedule or Schedule()


def series_of(content) -> str:
    return "supplement" if content.doc.supplement else "regular"


def history_key(file: str | Path) -> str:
    file = Path(file)
    if file.is_dir():
        file = file / "briefing.yaml"
    return str(file.resolve())


def issued(content, history: str | Path) -> list[timing.Issued]:
    try:
        return History(history).issued(history_key(content.file), series_of(content))
    except sqlite3.Error:
        return []       # a preview does not need the history; a scheduled run reports a broken one


def for_build(content, output_dir: str | Path, *, period: str | None = None, issue: int | None = None,
              history: str | Path | None = None) -> tuple[Issue, dict[str, str]]:
    """The issue a plain build makes, and the document fields it sets (issue, date) as --set would."""
    sched = schedule_of(content)
    tz = timing.zone(sched)
    if period is not None:
        fire = _fire_for(sched, period)
        issue_date = fire.date()
    else:
        issue_date = content.doc.date
        hour, minute = (int(x) for x in sched.time.split(":"))
        fire = dt.datetime.combine(issue_date, dt.time(hour, minute), tz)
    covered = timing.period_for(sched.period, issue_date)
    number = issue
    if number is None and period is None and content.doc.issue is not None:
        number = content.doc.issue
    if number is None:
        db = Path(history) if history else Path(output_dir) / FILE_NAME
        number = timing.issue_number(sched, issued(content, db), covered, issue_date)
    overrides = {}
    if period is not None:
        overrides["date"] = issue_date.isoformat()
    if period is not None or issue is not None:
        overrides["issue"] = str(number)
    return Issue(covered, number, issue_date, fire), overrides


def _fire_for(sched, text: str) -> dt.datetime:
    where = Location("--period", None, None, "period")
    try:
        day = timing.parse_period(text)
    except ValueError:
        raise ContentError(_("期间“{text}”无法识别").format(text=text), where,
                           _("写成 2026-10（月）、2026-Q3（季度）、2026-10-12（日）或 2026（年）")) from None
    try:
        return timing.fire_for_period(sched, day)
    except ValueError:
        raise ContentError(_("按 schedule 的规则，没有哪一期覆盖 {day}").format(day=day.isoformat()), where) from None
