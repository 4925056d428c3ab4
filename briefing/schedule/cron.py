"""Cron expressions read as cron reads them, and the same times for systemd and APScheduler.

croniter expands each field to the values it matches (names, ranges, steps, 7 = Sunday).
From those sets this module writes a systemd ``OnCalendar=`` value, and an APScheduler
trigger that fires at the same times. Two cron rules need care:

- day of week: cron counts 0 (and 7) as Sunday, APScheduler 3 counts 0 as Monday, so the
  trigger is given day names, never numbers;
- day of month *and* day of week restricted (neither starts with ``*``): cron fires when
  either matches (man 5 crontab). systemd and APScheduler need both to match, so that case
  becomes two ``OnCalendar=`` lines and an OrTrigger of two CronTriggers.

What neither systemd nor a CronTrigger can say the same way (``L`` in the day of week,
``5#L``, ``H``) is refused with a CronError that says so.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import _

DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]        # cron's numbering: 0 = Sunday
_SYSTEMD_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]


class CronError(ValueError):
    """A cron expression that is wrong, or that cannot be said the same way elsewhere."""


@dataclass(frozen=True)
class Cron:
    """The values each field matches; None where the field is ``*`` (every value)."""

    minute: tuple[int, ...]
    hour: tuple[int, ...]
    day: tuple[int, ...] | None
    month: tuple[int, ...] | None
    weekday: tuple[int, ...] | None        # 0 = Sunday … 6 = Saturday
    last_day: bool = False                 # ``L`` in the day of month
    nth: int | None = None                 # ``mon#2``: the second Monday of the month
    either_day: bool = False               # day of month OR day of week (both restricted)


def parse(expr: str) -> Cron:
    """Read a 5-field cron expression the way cron does."""
    # start-up: croniter (~25 ms) only for a schedule that writes `cron:`; every build imports this module
    from croniter import croniter
    from croniter.croniter import CroniterError

    fields = expr.split()
    if len(fields) != 5:
        raise CronError(_("cron 表达式“{cron}”应有 5 项：分 时 日 月 星期，如“0 8 * * mon”").format(cron=expr))
    if "w" in fields[2].lower():         # 1W: the weekday nearest the 1st
        _unsupported(expr, fields[2])
    if "l" in fields[4].lower():         # 5L, mon#L: the last Friday / Monday of the month
        _unsupported(expr, fields[4])
    try:
        expanded, nth = croniter.expand(expr)
    except (CroniterError, ValueError, KeyError, IndexError) as e:
        raise CronError(_("cron 表达式“{cron}”无效：{error}").format(cron=expr, error=e)) from None
    minute, hour, day, month, weekday = (None if values == ["*"] else values for values in expanded)
    if weekday is not None and any(not isinstance(v, int) for v in weekday):
        _unsupported(expr, fields[4])
    last_day = day is not None and "l" in day
    if day is not None and last_day and len(day) > 1:
        _unsupported(expr, fields[2])
    nth_value = None
    if nth:
        counts = {n for ns in nth.values() for n in ns}
        if len(counts) != 1 or day is not None or set(nth) != set(weekday or ()) \
                or not all(isinstance(n, int) for n in counts):
            _unsupported(expr, fields[4])
        nth_value = counts.pop()
    restricted = [not f.startswith(("*", "?")) for f in fields[2:5:2]]
    return Cron(tuple(minute or range(60)), tuple(hour or range(24)),
                None if day is None or last_day else tuple(day), None if month is None else tuple(month),
                None if weekday is None else tuple(sorted({v % 7 for v in weekday})),
                last_day, nth_value, all(restricted) and day is not None and weekday is not None)


def _unsupported(expr: str, field: str) -> None:
    raise CronError(_("cron 表达式“{cron}”中的“{field}”不受支持：可用数字、英文缩写（jan、mon）、"
                      "范围 a-b、步长 /n、列表 a,b、L（月末）和 mon#2（当月第二个星期一）").format(cron=expr, field=field))


# ---- systemd ------------------------------------------------------------------------------

def on_calendar(expr: str) -> list[str]:
    """The OnCalendar= values (one, or two when cron would fire on either day rule),
    without the time zone, e.g. ``["Mon..Fri *-*-* 07:30:00"]``."""
    c = parse(expr)
    time = f"{_numbers(c.hour, 23)}:{_numbers(c.minute, 59)}:00"
    month = _numbers(c.month, 12, start=1)
    day = "~01" if c.last_day else "-" + _numbers(c.day, 31, start=1)
    if c.nth:
        day = f"-{7 * c.nth - 6:02d}..{7 * c.nth:02d}"     # the nth weekday falls in days 7n-6 … 7n
    if c.either_day:
        return [f"*-{month}{day} {time}", f"{_days(c.weekday or ())} *-{month}-* {time}"]
    days = f"{_days(c.weekday)} " if c.weekday is not None else ""
    return [f"{days}*-{month}{day} {time}"]


def _numbers(values: tuple[int, ...] | None, top: int, start: int = 0) -> str:
    """A set of values in systemd's words: *, a/step, a..b/step, or a list of values and a..b runs."""
    if values is None or list(values) == list(range(start, top + 1)):
        return "*"
    ordered = sorted(set(values))
    if len(ordered) > 4:        # a short list reads better than a step
        step = ordered[1] - ordered[0]
        if step > 1 and all(b - a == step for a, b in zip(ordered, ordered[1:])):
            if ordered[-1] + step > top:
                return f"{ordered[0]:02d}/{step}"
            return f"{ordered[0]:02d}..{ordered[-1]:02d}/{step}"
    return ",".join(f"{a:02d}" if a == b else f"{a:02d}..{b:02d}" for a, b in _runs(ordered))


def _runs(values: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and v == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


def _days(weekdays: tuple[int, ...]) -> str:
    # systemd's week runs Monday … Sunday; Sunday (0 in cron) goes last
    order = sorted(weekdays, key=lambda d: (d - 1) % 7)
    runs = _runs([(d - 1) % 7 for d in order])
    name = lambda i: _SYSTEMD_DAYS[(i + 1) % 7]           # noqa: E731
    return ",".join(name(a) if a == b else f"{name(a)},{name(b)}" if b == a + 1 else f"{name(a)}..{name(b)}"
                    for a, b in runs)


# ---- APScheduler --------------------------------------------------------------------------

def trigger(expr: str, timezone):
    """An APScheduler trigger that fires when cron would."""
    # start-up: APScheduler (~80 ms) only where a trigger is made; every build imports this module
    from apscheduler.triggers.combining import OrTrigger
    from apscheduler.triggers.cron import CronTrigger

    c = parse(expr)
    minute, hour, month = (",".join(map(str, v)) if v is not None else "*" for v in (c.minute, c.hour, c.month))
    days = ",".join(DAY_NAMES[d] for d in c.weekday) if c.weekday is not None else "*"
    day = "last" if c.last_day else (",".join(map(str, c.day)) if c.day is not None else "*")
    if c.nth:      # "2nd mon": the day-of-month field says it, the day of week stays open
        day, days = ",".join(f"{_ordinal(c.nth)} {DAY_NAMES[d]}" for d in c.weekday or ()), "*"

    def cron(day: str, weekday: str) -> CronTrigger:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=timezone)

    if c.either_day:
        return OrTrigger([cron(day, "*"), cron("*", days)])
    return cron(day, days)


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
