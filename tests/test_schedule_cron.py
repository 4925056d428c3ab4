"""Cron expressions become systemd OnCalendar values and APScheduler triggers that fire at the
times cron would — checked against croniter's own iteration and `systemd-analyze calendar` —
or are refused with a message; `briefing schedule install` never ends in a traceback."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import textwrap

import pytest

from briefing.cli import main
from briefing.i18n import set_language
from briefing.schedule.cron import CronError, on_calendar, trigger

BASE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
N = 12

# every one of these is valid cron; some used to crash `schedule install`
VALID = ["1-5/2 * * jan-mar *", "30 7 * * 1-5", "0 8 1 * mon", "*/15 8-18 * * mon-fri",
         "0 8 */2 */3 *", "0 0 * * 7", "0 8 * * 5-7", "0 8 L * *", "30 7 * * 1#2", "0 9 1,15 * *",
         "5 4 * * sun", "0 22 * * 1-5/2", "0 6 1-7 * *", "0 0 29 2 *", "10,40 */6 * dec,jan *"]


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    set_language(None)


def _cron_times(expr: str) -> list[dt.datetime]:
    from croniter import croniter

    it = croniter(expr, BASE - dt.timedelta(seconds=1))
    return [it.get_next(dt.datetime) for _ in range(N)]


def _systemd_times(values: list[str]) -> list[dt.datetime]:
    times: set[dt.datetime] = set()
    for value in values:
        run = subprocess.run(["systemd-analyze", "calendar", f"--iterations={N}",
                              "--base-time=2025-12-31 23:59:59 UTC", f"{value} UTC"],
                             capture_output=True, text=True, env={"LC_ALL": "C", "TZ": "UTC", "PATH": "/usr/bin:/bin"})
        assert run.returncode == 0, (value, run.stderr)
        for m in re.finditer(r"(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+) UTC", run.stdout):
            times.add(dt.datetime.fromisoformat(m.group(1)).replace(tzinfo=dt.timezone.utc))
    return sorted(times)[:N]


def _trigger_times(expr: str) -> list[dt.datetime]:
    t = trigger(expr, dt.timezone.utc)
    out, prev, now = [], None, BASE
    for _ in range(N):
        nxt = t.get_next_fire_time(prev, now)
        out.append(nxt)
        prev, now = nxt, nxt + dt.timedelta(seconds=1)
    return out


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
@pytest.mark.parametrize("expr", VALID)
def test_systemd_fires_when_cron_would(expr):
    assert _systemd_times(on_calendar(expr)) == _cron_times(expr)


@pytest.mark.parametrize("expr", VALID)
def test_scheduler_fires_when_cron_would(expr):
    assert _trigger_times(expr) == _cron_times(expr)


def test_on_calendar_is_compact_and_readable():
    assert on_calendar("30 7 * * 1-5") == ["Mon..Fri *-*-* 07:30:00"]
    assert on_calendar("1-5/2 * * jan-mar *") == ["*-01..03-* *:01,03,05:00"]
    assert on_calendar("0 */2 * * *") == ["*-*-* 00/2:00:00"]
    assert on_calendar("0 1-21/2 * * *") == ["*-*-* 01..21/2:00:00"]
    assert on_calendar("0 8 1 * mon") == ["*-*-01 08:00:00", "Mon *-*-* 08:00:00"]    # cron: either day
    assert on_calendar("0 8 */2 * mon") == ["Mon *-*-01/2 08:00:00"]                  # '*…': both


def test_weekday_numbers_are_cron_numbers_for_the_scheduler():
    # APScheduler 3 alone would read 1 as Tuesday
    assert {t.strftime("%a") for t in _trigger_times("0 8 * * 1")} == {"Mon"}
    assert {t.strftime("%a") for t in _trigger_times("0 8 * * 0,7")} == {"Sun"}


@pytest.mark.parametrize("expr, word", [("0 8 * * 5L", "“5L”不受支持"), ("0 8 1W * *", "“1W”不受支持"),
                                        ("0 25 * * *", "无效"), ("0 8 * *", "5 项")])
def test_what_cannot_be_said_is_refused(expr, word):
    with pytest.raises(CronError, match=word):
        on_calendar(expr)


def _briefing(tmp_path, cron: str):
    src = tmp_path / "briefing.yaml"
    src.write_text(textwrap.dedent(f"""\
        title: 定时简报
        date: 2026-11-01
        issuer: 办公室
        schedule:
          cron: "{cron}"
        sections:
          - id: a
            title: 概况
            blocks:
              - paragraph: 本月运行平稳。
        """), encoding="utf-8")
    return src


def test_install_prints_a_timer_for_a_stepped_cron(tmp_path, capsys):
    src = _briefing(tmp_path, "1-5/2 8 * jan-mar *")
    assert main(["schedule", "install", str(src), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "OnCalendar=*-01..03-* 08:01,03,05:00 Asia/Shanghai" in out
    assert "1-5/2 8 * jan-mar *" in out                       # the crontab line keeps the expression


@pytest.mark.parametrize("lang, word", [("zh", "“1W”不受支持"), ("en", "“1W” is not supported")])
def test_install_refuses_with_the_line_of_the_cron(tmp_path, capsys, lang, word):
    src = _briefing(tmp_path, "0 8 1W * *")
    assert main(["schedule", "install", str(src), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert word in err and f"{src}:5" in err and "Traceback" not in err
