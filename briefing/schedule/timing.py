"""The scheduling logic as pure functions of a `now` datetime: when an issue fires,
which period it covers, and the issue number it gets.

Nothing here reads a clock, touches a file or sleeps: the runner (runner.py)
asks these functions, and the tests call them with any `now` they like.
Fire times come from the APScheduler trigger cron.py builds, the same object the
long-running scheduler uses, so `schedule next` and `schedule run` agree.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..content.schema import Schedule
from ..fmt import date_cn, issue_label
from ..registry import PERIOD_KINDS, load_object
from .cron import trigger as cron_trigger

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger


# ---- when ---------------------------------------------------------------------

def zone(schedule: Schedule) -> ZoneInfo:
    return ZoneInfo(schedule.timezone)


def cron_expression(schedule: Schedule) -> str:
    """The schedule as a 5-field cron expression (minute hour day month weekday)."""
    if schedule.cron:
        return " ".join(schedule.cron.split())
    hour, minute = (int(x) for x in schedule.time.split(":"))
    if schedule.preset == "daily":
        return f"{minute} {hour} * * *"
    if schedule.preset == "weekly":
        return f"{minute} {hour} * * {schedule.weekday}"
    if schedule.preset == "monthly":
        return f"{minute} {hour} {schedule.day} * *"
    if schedule.preset == "quarterly":
        return f"{minute} {hour} {schedule.day} 1,4,7,10 *"
    raise ValueError("schedule needs cron or preset")


def trigger(schedule: Schedule) -> BaseTrigger:
    """Fires when cron would (cron's weekday numbers; day of month or day of week): see cron.py.
    APScheduler is imported there, on first use: a plain build asks this module for periods only."""
    return cron_trigger(cron_expression(schedule), zone(schedule))


def _aware(now: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz)


def next_fires(schedule: Schedule, now: dt.datetime, n: int = 5) -> list[dt.datetime]:
    """The next `n` fire times strictly after `now`, in the schedule's time zone."""
    tz = zone(schedule)
    trig = trigger(schedule)
    out: list[dt.datetime] = []
    t = trig.get_next_fire_time(None, _aware(now, tz) + dt.timedelta(microseconds=1))
    while t is not None and len(out) < n:
        out.append(t)
        t = trig.get_next_fire_time(t, t)
    return out


def previous_fire(schedule: Schedule, now: dt.datetime) -> dt.datetime:
    """The latest fire time at or before `now`: the issue that is due ("the current issue")."""
    tz = zone(schedule)
    now = _aware(now, tz)
    trig = trigger(schedule)
    window = dt.timedelta(days=2)
    while window < dt.timedelta(days=4 * 366 * 8):   # cron can name 29 Feb: look back far enough
        t = trig.get_next_fire_time(None, now - window)
        if t is not None and t <= now:
            while True:
                nxt = trig.get_next_fire_time(t, t)
                if nxt is None or nxt > now:
                    return t
                t = nxt
        window *= 4
    raise ValueError(f"the schedule {cron_expression(schedule)!r} never fired before {now.isoformat()}")


# ---- which period ---------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date         # inclusive
    label: str           # 2026年10月, 2026年第三季度, 2026年1—9月, 2026年10月12日至18日

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def variables(self) -> dict:
        """What templates see as `period`: {{ period.label }}, {{ period.start }}, {{ period.end }}."""
        return {"kind": self.kind, "start": self.start, "end": self.end, "label": self.label,
                "key": self.key, "year": self.start.year, "month": self.start.month,
                "quarter": (self.start.month - 1) // 3 + 1,
                "start_iso": self.start.isoformat(), "end_iso": self.end.isoformat(),
                # keys to pick a data row by period: d[period.month_key].数值, d[period.quarter_key]
                "month_key": self.start.strftime("%Y-%m"),
                "quarter_key": f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"}


def _month_end(d: dt.date) -> dt.date:
    nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _span_label(start: dt.date, end: dt.date) -> str:
    if start == end:
        return date_cn(start)
    if start.year != end.year:
        return f"{date_cn(start)}至{date_cn(end)}"
    if start.month != end.month:
        return f"{date_cn(start)}至{end.month}月{end.day}日"
    return f"{date_cn(start)}至{end.day}日"


def period_for(kind: str, issue_date: dt.date) -> Period:
    """The period an issue published on `issue_date` covers, by the registered period kind
    (briefing/registry.py: each names its function (issue date) -> (start, end, label))."""
    if isinstance(issue_date, dt.datetime):
        issue_date = issue_date.date()
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period {kind!r}; use one of {', '.join(PERIOD_KINDS)}")
    start, end, label = load_object(PERIOD_KINDS.get(kind).span)(issue_date)
    return Period(kind, start, end, label)


def current_day(issue_date: dt.date) -> tuple[dt.date, dt.date, str]:
    return issue_date, issue_date, date_cn(issue_date)


def last_week(issue_date: dt.date) -> tuple[dt.date, dt.date, str]:
    """Monday to Sunday of the week before the issue's week."""
    this_monday = issue_date - dt.timedelta(days=issue_date.weekday())
    start = this_monday - dt.timedelta(days=7)
    end = start + dt.timedelta(days=6)
    return start, end, _span_label(start, end)


def last_month(issue_date: dt.date) -> tuple[dt.date, dt.date, str]:
    end = issue_date.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    return start, end, date_cn(start, "month")


def last_quarter(issue_date: dt.date) -> tuple[dt.date, dt.date, str]:
    first_this = dt.date(issue_date.year, 3 * ((issue_date.month - 1) // 3) + 1, 1)
    end = first_this - dt.timedelta(days=1)
    start = dt.date(end.year, end.month - 2, 1)
    return start, end, date_cn(start, "quarter")


def year_to_date(issue_date: dt.date) -> tuple[dt.date, dt.date, str]:
    """1 January to the day before the issue."""
    end = issue_date - dt.timedelta(days=1)
    start = dt.date(end.year, 1, 1)
    if end == _month_end(end):
        label = date_cn(start, "month") if end.month == 1 else f"{start.year}年1—{end.month}月"
    else:
        label = _span_label(start, end)
    return start, end, label


# ---- which number ---------------------------------------------------------------

@dataclass(frozen=True)
class Issued:
    """An issue that was built successfully (from the history): its period, number and date."""
    period_key: str
    issue: int
    issue_date: dt.date


def issue_number(schedule: Schedule, issued: list[Issued], period: Period, issue_date: dt.date) -> int:
    """The number of the issue covering `period`.

    Only successful builds count (`issued`), so a failed run never uses up a
    number. A period that was already issued keeps its number (a re-run or a
    forced rebuild reuses it). Otherwise: one more than the highest number
    issued so far — in the same calendar year of the issue date when numbering
    is "yearly" — or `first_issue` when there is none.
    """
    for one in issued:
        if one.period_key == period.key:
            return one.issue
    pool = [one.issue for one in issued
            if schedule.numbering == "continuous" or one.issue_date.year == issue_date.year]
    if schedule.numbering == "yearly" and not pool:
        return 1 if any(one.issue_date.year < issue_date.year for one in issued) else schedule.first_issue
    return max(pool) + 1 if pool else schedule.first_issue


@dataclass(frozen=True)
class Planned:
    fire_time: dt.datetime
    period: Period
    issue: int


def plan(schedule: Schedule, issued: list[Issued], now: dt.datetime, n: int = 5) -> list[Planned]:
    """The next `n` issues after `now`, each with its period and the number it would get
    if every build before it succeeds."""
    issued = list(issued)
    out = []
    for t in next_fires(schedule, now, n):
        period = period_for(schedule.period, t.date())
        number = issue_number(schedule, issued, period, t.date())
        issued.append(Issued(period.key, number, t.date()))
        out.append(Planned(t, period, number))
    return out


def output_name(pattern: str, *, issue_date: dt.date, title: str, issue: int, period: Period,
                supplement: bool = False) -> str:
    """The PDF's file name from the schedule's `output` pattern.

    Fields: {date} (the issue date; {date:%Y%m%d}), {title}, {issue}, {label}
    (第12期 / 增刊第2期), {supplement} (增刊 or empty), {period} (its label),
    {start} and {end} (the period's first and last day).
    """
    name = pattern.format(date=issue_date, title=title, issue=issue, label=issue_label(issue, supplement),
                          supplement="增刊" if supplement else "", period=period.label,
                          start=period.start, end=period.end)
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        raise ValueError(f"not a file name: {name!r}")
    return name if name.lower().endswith(".pdf") else name + ".pdf"


# ---- any period, by name ----------------------------------------------------------

def parse_period(text: str) -> dt.date:
    """The first day a period name points at: 2026-10 (a month), 2026-Q3 or 2026Q3 (a quarter),
    2026-10-12 (a day), 2026 (a year). Raises ValueError for anything else."""
    s = text.strip()
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", s):
        return dt.date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
        return dt.date(int(m.group(1)), int(m.group(2)), 1)
    if re.fullmatch(r"\d{4}", s):
        return dt.date(int(s), 1, 1)
    return dt.date.fromisoformat(s)


def fire_for_period(schedule: Schedule, day: dt.date) -> dt.datetime:
    """The first fire time whose issue covers `day`: for a monthly `last_month` schedule,
    October 2026 is covered by the issue of 1 November 2026."""
    tz = zone(schedule)
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(0), tz)
    for t in next_fires(schedule, start, 800):
        period = period_for(schedule.period, t.date())
        if period.start <= day <= period.end:
            return t
        if period.start > day:
            break
    raise ValueError(f"no issue of this schedule covers {day.isoformat()}")
