"""Scheduled builds: periods, numbering, history, skipping, locking, misfires, retention.

No test sleeps on the schedule: fire times are computed from a `now` the test
chooses, the runner gets a fake clock, and APScheduler is driven with a frozen
datetime and a synchronous executor.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing import ContentError
from briefing.build import BuildResult
from briefing.content.schema import Schedule
from briefing.schedule import History, Runner, job_options, missed_fire, run_once, timing
from kit import cases

SH = ZoneInfo("Asia/Shanghai")
RARE = "\U00020000"   # not in the bundled fonts: the build fails


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def write_briefing(folder: Path, schedule: str, paragraph: str = "本期为{{ period.label }}情况，第{{ doc.issue }}期。",
                   extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.csv").write_text("月份,数值\n1,10\n2,12\n", encoding="utf-8")
    (folder / "briefing.yaml").write_text(textwrap.dedent("""\
        title: 测试简报
        date: 2026-11-01
        issuer: 测试单位
        {extra}
        data:
          d: data.csv
        schedule:
        {schedule}
        sections:
          - id: intro
            title: 概况
            blocks:
              - paragraph: "{paragraph}"
        """).format(schedule=textwrap.indent(textwrap.dedent(schedule).strip(), "  "), paragraph=paragraph,
                    extra=extra), encoding="utf-8")
    return folder / "briefing.yaml"


class FakeBuild:
    """Stands in for build(): writes a small file, or fails like bad content; counts calls."""

    def __init__(self):
        self.calls: list[dict] = []
        self.fail = False
        self.entered = threading.Event()
        self.release: threading.Event | None = None

    def __call__(self, path, output_dir, *, overrides, output_name, variables, **_kw):
        self.calls.append({"overrides": overrides, "name": output_name, "variables": variables})
        self.entered.set()
        if self.release is not None:
            assert self.release.wait(30)
        if self.fail:
            raise ContentError("测试：内容有误")
        pdf = Path(output_dir) / output_name
        pdf.write_bytes(b"%PDF-" + overrides["issue"].encode())
        return BuildResult(pdf, 1, 0.01)


# ---- pure functions -------------------------------------------------------------

def test_presets_become_cron_expressions():
    assert timing.cron_expression(Schedule(preset="daily", time="07:30")) == "30 7 * * *"
    assert timing.cron_expression(Schedule(preset="weekly", weekday="fri")) == "0 8 * * fri"
    assert timing.cron_expression(Schedule(preset="monthly", day=5)) == "0 8 5 * *"
    assert timing.cron_expression(Schedule(preset="quarterly", day=10)) == "0 8 10 1,4,7,10 *"
    assert timing.cron_expression(Schedule(cron="15  9 * * 1-5", preset="daily")) == "15 9 * * 1-5"


@pytest.mark.parametrize("kind, day, start, end, label", cases("periods"))
def test_periods(kind, day, start, end, label):
    p = timing.period_for(kind, day)
    assert (p.start, p.end, p.label) == (start, end, label)


def test_next_and_previous_fire_times_in_shanghai():
    s = Schedule(preset="weekly", weekday="mon", time="08:00")
    now = at(2026, 12, 28, 8, 0)         # exactly a fire time: it is the current one, not a next one
    fires = timing.next_fires(s, now, 3)
    assert [f.isoformat() for f in fires] == ["2027-01-04T08:00:00+08:00", "2027-01-11T08:00:00+08:00",
                                              "2027-01-18T08:00:00+08:00"]
    assert timing.previous_fire(s, now) == now
    assert timing.previous_fire(s, at(2027, 1, 3, 23, 59)) == now
    # a UTC `now` is read in the schedule's zone: 2027-01-04 00:30 UTC is 08:30 in Shanghai
    utc = dt.datetime(2027, 1, 4, 0, 30, tzinfo=dt.timezone.utc)
    assert timing.previous_fire(s, utc) == at(2027, 1, 4, 8, 0)
    q = Schedule(preset="quarterly", day=1)
    assert timing.previous_fire(q, at(2026, 12, 31)) == at(2026, 10, 1, 8, 0)
    assert timing.previous_fire(Schedule(cron="0 8 29 2 *"), at(2027, 3, 1)) == at(2024, 2, 29, 8, 0)


def test_numbering_reuses_a_period_and_resets_per_year():
    cont = Schedule(preset="monthly", first_issue=7)
    yearly = Schedule(preset="monthly", numbering="yearly", first_issue=7)
    nov = timing.period_for("last_month", dt.date(2026, 11, 1))
    dec = timing.period_for("last_month", dt.date(2026, 12, 1))
    jan = timing.period_for("last_month", dt.date(2027, 1, 1))
    assert timing.issue_number(cont, [], nov, dt.date(2026, 11, 1)) == 7
    issued = [timing.Issued(nov.key, 7, dt.date(2026, 11, 1)), timing.Issued(dec.key, 8, dt.date(2026, 12, 1))]
    assert timing.issue_number(cont, issued, nov, dt.date(2026, 11, 1)) == 7      # a re-run keeps its number
    assert timing.issue_number(cont, issued, jan, dt.date(2027, 1, 1)) == 9
    assert timing.issue_number(yearly, issued, jan, dt.date(2027, 1, 1)) == 1      # new year: 第1期
    assert timing.issue_number(yearly, issued, dec, dt.date(2026, 12, 1)) == 8


def test_plan_lists_fire_time_period_and_number():
    s = Schedule(preset="monthly", day=1, numbering="yearly")
    issued = [timing.Issued(timing.period_for("last_month", dt.date(2026, 11, 1)).key, 11, dt.date(2026, 11, 1))]
    planned = timing.plan(s, issued, at(2026, 11, 21), 3)
    assert [(p.fire_time.isoformat(), p.period.label, p.issue) for p in planned] == [
        ("2026-12-01T08:00:00+08:00", "2026年11月", 12),
        ("2027-01-01T08:00:00+08:00", "2026年12月", 1),
        ("2027-02-01T08:00:00+08:00", "2027年1月", 2)]


def test_period_variables_select_data_rows(tmp_path):
    from briefing.content import load
    from briefing.data import resolve

    src = write_briefing(tmp_path / "b", "preset: monthly",
                         paragraph="{{ period.label }}（{{ period.start }}至{{ period.end }}）数值{{ d[period.month_key].数值 }}")
    (tmp_path / "b" / "data.csv").write_text("月份,数值\n2026-09,8\n2026-10,10\n2026-11,12\n", encoding="utf-8")
    period = timing.period_for("last_month", dt.date(2026, 11, 1))
    resolved = resolve(load(src), {"period": period.variables()})
    text = resolved.doc.sections[0].blocks[0].paragraph
    assert text == "2026年10月（2026-10-01至2026-10-31）数值10"


def test_output_name_pattern():
    p = timing.period_for("last_month", dt.date(2026, 11, 1))
    assert timing.output_name("{date:%Y%m%d}-{title}-第{issue}期.pdf", issue_date=dt.date(2026, 11, 1),
                              title="简报", issue=3, period=p) == "20261101-简报-第3期.pdf"
    assert timing.output_name("{title}{label}-{period}", issue_date=dt.date(2026, 11, 1), title="简报", issue=2,
                              period=p, supplement=True) == "简报增刊第2期-2026年10月.pdf"
    with pytest.raises(ValueError):
        timing.output_name("../{title}", issue_date=dt.date(2026, 11, 1), title="x", issue=1, period=p)


# ---- runs: numbering across a year boundary ------------------------------------------

def _drive(src, out, fires, builder, **kw):
    return [run_once(src, out, now=t, builder=builder, **kw) for t in fires]


def test_weekly_schedule_across_new_year(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: weekly\nweekday: mon\nperiod: last_week\nnumbering: yearly\n"
                                         "first_issue: 50")
    s = timing.next_fires(Schedule(preset="weekly", weekday="mon"), at(2026, 12, 20), 4)
    fake = FakeBuild()
    outcomes = _drive(src, tmp_path / "out", s, fake)
    assert [o.status for o in outcomes] == ["ok"] * 4
    assert [(o.fire_time.date().isoformat(), o.period.label, o.issue) for o in outcomes] == [
        ("2026-12-21", "2026年12月14日至20日", 50),
        ("2026-12-28", "2026年12月21日至27日", 51),
        ("2027-01-04", "2026年12月28日至2027年1月3日", 1),
        ("2027-01-11", "2027年1月4日至10日", 2)]
    # the build got the issue and date as overrides and the period as template variables
    assert fake.calls[2]["overrides"] == {"issue": "1", "date": "2027-01-04"}
    assert fake.calls[2]["variables"]["period"]["start"] == dt.date(2026, 12, 28)
    assert fake.calls[2]["name"] == "20270104-测试简报-第1期.pdf"


def test_monthly_schedule_across_new_year_with_real_builds(tmp_path):
    import pdfplumber

    src = write_briefing(tmp_path / "b", "preset: monthly\nday: 1\ntime: '09:30'\nperiod: last_month\n"
                                         "first_issue: 11")
    out = tmp_path / "out"
    fires = timing.next_fires(Schedule(preset="monthly", day=1, time="09:30"), at(2026, 11, 15), 3)
    outcomes = _drive(src, out, fires, None)
    assert [(o.status, o.period.label, o.issue) for o in outcomes] == [
        ("ok", "2026年11月", 11), ("ok", "2026年12月", 12), ("ok", "2027年1月", 13)]
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "20261201-测试简报-第11期.pdf", "20270101-测试简报-第12期.pdf", "20270201-测试简报-第13期.pdf"]
    with pdfplumber.open(out / "20270101-测试简报-第12期.pdf") as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "").replace(" ", "")
    assert "本期为2026年12月情况，第12期。" in text
    runs = History(out / ".briefing-history.sqlite").runs()
    assert [(r.status, r.issue, r.period_start, r.period_end) for r in runs] == [
        ("ok", 11, "2026-11-01", "2026-11-30"), ("ok", 12, "2026-12-01", "2026-12-31"),
        ("ok", 13, "2027-01-01", "2027-01-31")]
    assert all(r.input_hash and len(r.input_hash) == 64 and r.seconds > 0 for r in runs)


def test_supplements_are_numbered_apart(tmp_path):
    fake = FakeBuild()
    out = tmp_path / "out"
    regular = write_briefing(tmp_path / "b", "preset: monthly")
    first = run_once(regular, out, now=at(2026, 11, 2), builder=fake)
    (regular.parent / "briefing.yaml").write_text(
        regular.read_text(encoding="utf-8").replace("issuer: 测试单位", "issuer: 测试单位\nsupplement: true"),
        encoding="utf-8")
    supplement = run_once(regular, out, now=at(2026, 12, 2), builder=fake)
    back = regular.read_text(encoding="utf-8").replace("supplement: true", "supplement: false")
    regular.write_text(back, encoding="utf-8")
    second = run_once(regular, out, now=at(2026, 12, 2), builder=fake)
    assert (first.issue, supplement.issue, second.issue) == (1, 1, 2)
    assert [r.series for r in History(out / ".briefing-history.sqlite").runs()] == ["regular", "supplement",
                                                                                   "regular"]


# ---- failure, skipping, retention ------------------------------------------------------

def test_a_failing_build_keeps_the_previous_pdf_and_is_recorded(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    out = tmp_path / "out"
    good = run_once(src, out, now=at(2026, 11, 2))
    assert good.status == "ok" and good.issue == 1
    before = good.pdf.read_bytes()
    write_briefing(tmp_path / "b", "preset: monthly", paragraph=f"新区{RARE}发展")
    bad = run_once(src, out, now=at(2026, 12, 2))
    assert bad.status == "failed" and bad.exit_code != 0 and "U+20000" in bad.message
    assert good.pdf.read_bytes() == before
    assert sorted(p.name for p in out.glob("*.pdf")) == [good.pdf.name]
    assert not list(out.glob("*.part"))
    last = History(out / ".briefing-history.sqlite").runs()[-1]
    assert (last.status, last.issue, last.period_label) == ("failed", 2, "2026年11月")
    assert "U+20000" in last.error
    # fixed and retried: the failed run did not use up number 2
    write_briefing(tmp_path / "b", "preset: monthly")
    retry = run_once(src, out, now=at(2026, 12, 3))
    assert (retry.status, retry.issue) == ("ok", 2)


def test_content_errors_before_the_schedule_is_known_are_recorded(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    src.write_text(src.read_text(encoding="utf-8").replace("title:", "titel:"), encoding="utf-8")
    outcome = run_once(src, tmp_path / "out", now=at(2026, 11, 2), builder=FakeBuild())
    assert outcome.status == "failed" and "titel" in outcome.message
    assert History(tmp_path / "out" / ".briefing-history.sqlite").runs()[-1].status == "failed"


def test_unchanged_inputs_skip_changed_data_or_force_rebuild(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    out, fake = tmp_path / "out", FakeBuild()
    assert run_once(src, out, now=at(2026, 11, 2), builder=fake).status == "ok"
    again = run_once(src, out, now=at(2026, 11, 20), builder=fake)
    assert (again.status, again.issue, again.exit_code) == ("skipped", 1, 0)
    assert len(fake.calls) == 1
    (src.parent / "data.csv").write_text("月份,数值\n1,10\n2,13\n", encoding="utf-8")   # a data file changed
    changed = run_once(src, out, now=at(2026, 11, 20), builder=fake)
    assert (changed.status, changed.issue) == ("ok", 1)
    forced = run_once(src, out, now=at(2026, 11, 20), builder=fake, force=True)
    assert (forced.status, forced.issue) == ("ok", 1) and len(fake.calls) == 3
    # a deleted PDF is rebuilt even with unchanged inputs
    forced.pdf.unlink()
    assert run_once(src, out, now=at(2026, 11, 21), builder=fake).status == "ok"
    statuses = [r.status for r in History(out / ".briefing-history.sqlite").runs()]
    assert statuses == ["ok", "skipped", "ok", "ok", "ok"]


def test_included_files_are_part_of_the_input_hash(tmp_path):
    from briefing.content import load
    from briefing.schedule.runner import input_hash

    src = write_briefing(tmp_path / "b", "preset: monthly")
    (tmp_path / "b" / "more.yaml").write_text("id: more\ntitle: 其他\nblocks:\n  - paragraph: 一\n", encoding="utf-8")
    src.write_text(src.read_text(encoding="utf-8") + "  - include: more.yaml\n", encoding="utf-8")
    h1 = input_hash(load(src))
    (tmp_path / "b" / "more.yaml").write_text("id: more\ntitle: 其他\nblocks:\n  - paragraph: 二\n",
                                             encoding="utf-8")
    assert input_hash(load(src)) != h1


def test_keep_deletes_older_issues_after_a_successful_build(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly\nkeep: 2")
    out, fake = tmp_path / "out", FakeBuild()
    (out).mkdir()
    (out / "unrelated.pdf").write_bytes(b"%PDF-mine")
    fires = timing.next_fires(Schedule(preset="monthly"), at(2026, 9, 15), 4)
    outcomes = _drive(src, out, fires[:3], fake)
    assert outcomes[2].deleted == (outcomes[0].pdf,)
    fake.fail = True
    failed = run_once(src, out, now=fires[3], builder=fake)
    assert failed.status == "failed" and failed.deleted == ()
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(
        [outcomes[1].pdf.name, outcomes[2].pdf.name, "unrelated.pdf"])


# ---- never two at once ------------------------------------------------------------

def test_two_concurrent_runs_in_threads_build_once(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    out, fake = tmp_path / "out", FakeBuild()
    fake.release = threading.Event()
    results = {}
    first = threading.Thread(target=lambda: results.setdefault("first", run_once(
        src, out, now=at(2026, 11, 2), builder=fake)))
    first.start()
    assert fake.entered.wait(30)             # the first run is inside build(), holding the lock
    busy = run_once(src, out, now=at(2026, 11, 2), builder=fake, lock_timeout=0.05)
    assert (busy.status, busy.exit_code) == ("busy", 75)
    # a second run that waits long enough finds the issue built and skips it
    waiting = threading.Thread(target=lambda: results.setdefault("waiting", run_once(
        src, out, now=at(2026, 11, 2), builder=fake, lock_timeout=30)))
    waiting.start()
    fake.release.set()
    first.join(30)
    waiting.join(30)
    assert results["first"].status == "ok" and results["waiting"].status == "skipped"
    assert len(fake.calls) == 1


def test_two_concurrent_processes_build_once(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "briefing", "schedule", "once", str(src), "-o", str(out)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    runs = History(out / ".briefing-history.sqlite").runs()
    assert sorted(r.status for r in runs) == ["ok", "skipped"], results
    assert len(list(out.glob("*.pdf"))) == 1
    assert sorted(r[2] for r in results) in ([0, 0], [0, 75])


# ---- the scheduler: job configuration, misfires, a controlled clock ------------------------

def test_job_options_follow_the_misfire_policy():
    assert job_options(Schedule(preset="daily")) == {"coalesce": True, "max_instances": 1,
                                                     "misfire_grace_time": None}
    assert job_options(Schedule(preset="daily", misfire="skip"))["misfire_grace_time"] == 60


def test_missed_fire_at_start_up():
    s = Schedule(preset="monthly")
    nov = timing.period_for("last_month", dt.date(2026, 11, 1)).key
    oct_ = timing.period_for("last_month", dt.date(2026, 10, 1)).key
    now = at(2026, 11, 21)
    assert missed_fire(s, now, {oct_}, ever_ran=True) == at(2026, 11, 1, 8, 0)   # down on 1 Nov: catch up
    assert missed_fire(s, now, {oct_, nov}, ever_ran=True) is None               # nothing missed
    assert missed_fire(s, now, set(), ever_ran=False) is None                     # first start: wait
    assert missed_fire(Schedule(preset="monthly", misfire="skip"), now, {oct_}, ever_ran=True) is None


class FrozenClock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def datetime_class(self):
        clock = self

        class Frozen(dt.datetime):
            @classmethod
            def now(cls, tz=None):
                return clock.now.astimezone(tz) if tz else clock.now.replace(tzinfo=None)
        return Frozen


@pytest.fixture
def scheduler_with_clock(monkeypatch):
    """APScheduler's BlockingScheduler, frozen in time: start() returns at once and the test calls
    _process_jobs() after moving the clock. Jobs run synchronously (DebugExecutor)."""
    import apscheduler.executors.base
    import apscheduler.schedulers.base
    from apscheduler.executors.debug import DebugExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    class Manual(BlockingScheduler):
        def _main_loop(self):
            pass

    def make(now):
        clock = FrozenClock(now)
        frozen = clock.datetime_class()
        monkeypatch.setattr(apscheduler.schedulers.base, "datetime", frozen)
        monkeypatch.setattr(apscheduler.executors.base, "datetime", frozen)
        return Manual(timezone=SH, executors={"default": DebugExecutor()}), clock
    return make


@pytest.mark.parametrize("policy, builds", [("catch_up", 1), ("skip", 0)])
def test_scheduler_misfire_after_downtime(tmp_path, scheduler_with_clock, policy, builds):
    src = write_briefing(tmp_path / "b", f"preset: weekly\nweekday: mon\nperiod: last_week\nmisfire: {policy}")
    sched, clock = scheduler_with_clock(at(2026, 12, 27, 20, 0))     # Sunday evening
    fake = FakeBuild()
    runner = Runner(src, tmp_path / "out", scheduler=sched, clock=clock, builder=fake, log=lambda _t: None)
    runner.start()                                                     # returns: the main loop is a no-op
    assert runner.job.next_run_time == at(2026, 12, 28, 8, 0)
    assert (runner.job.coalesce, runner.job.max_instances) == (True, 1)
    clock.now = at(2026, 12, 30, 9, 0)         # the machine slept through Monday 08:00 and two more days
    sched._process_jobs()
    assert len(fake.calls) == builds
    if builds:
        assert fake.calls[0]["variables"]["period"]["label"] == "2026年12月21日至27日"
    assert runner.job.next_run_time == at(2027, 1, 4, 8, 0)
    clock.now = at(2027, 1, 4, 8, 0, 5)        # on time (5 s late): both policies build
    sched._process_jobs()
    assert len(fake.calls) == builds + 1
    assert fake.calls[-1]["variables"]["period"]["label"] == "2026年12月28日至2027年1月3日"
    sched.shutdown(wait=False)


def test_scheduler_coalesces_many_missed_runs_into_one(tmp_path, scheduler_with_clock):
    src = write_briefing(tmp_path / "b", "preset: daily\nperiod: current_day")
    sched, clock = scheduler_with_clock(at(2026, 12, 30, 7, 0))
    fake = FakeBuild()
    runner = Runner(src, tmp_path / "out", scheduler=sched, clock=clock, builder=fake, log=lambda _t: None)
    runner.start()
    clock.now = at(2027, 1, 3, 12, 0)          # five daily fire times missed
    sched._process_jobs()
    assert len(fake.calls) == 1 and fake.calls[0]["overrides"]["date"] == "2027-01-03"
    sched.shutdown(wait=False)


@pytest.mark.parametrize("policy, builds", [("catch_up", 1), ("skip", 0)])
def test_runner_catches_up_once_after_the_process_was_down(tmp_path, scheduler_with_clock, policy, builds):
    src = write_briefing(tmp_path / "b", f"preset: monthly\nmisfire: {policy}")
    out, fake = tmp_path / "out", FakeBuild()
    assert run_once(src, out, now=at(2026, 9, 1, 8, 0), builder=fake).issue == 1     # ran in September
    sched, clock = scheduler_with_clock(at(2026, 11, 21, 10, 0))    # restarted after missing Oct and Nov
    runner = Runner(src, out, scheduler=sched, clock=clock, builder=fake, log=lambda _t: None)
    runner.start()
    assert len(fake.calls) == 1 + builds
    if builds:
        assert runner.outcomes[0].period.label == "2026年10月" and runner.outcomes[0].issue == 2
    sched.shutdown(wait=False)


def test_a_failing_scheduled_build_does_not_stop_the_scheduler(tmp_path, scheduler_with_clock):
    src = write_briefing(tmp_path / "b", "preset: daily\nperiod: current_day")
    sched, clock = scheduler_with_clock(at(2026, 12, 30, 7, 0))
    fake = FakeBuild()
    fake.fail = True
    lines = []
    runner = Runner(src, tmp_path / "out", scheduler=sched, clock=clock, builder=fake, log=lines.append)
    runner.start()
    clock.now = at(2026, 12, 30, 8, 0)
    sched._process_jobs()
    fake.fail = False
    clock.now = at(2026, 12, 31, 8, 0)
    sched._process_jobs()
    assert [o.status for o in runner.outcomes] == ["failed", "ok"]
    assert runner.outcomes[1].issue == 1           # the failure did not use up a number
    assert any("测试：内容有误" in line for line in lines)
    sched.shutdown(wait=False)


def test_schedule_run_stops_cleanly_on_sigterm(tmp_path):
    import signal
    import time

    src = write_briefing(tmp_path / "b", "preset: monthly")
    proc = subprocess.Popen([sys.executable, "-m", "briefing", "schedule", "run", str(src), "-o",
                             str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:      # wait for the "next issue" line: the scheduler is up
        line = proc.stdout.readline()
        lines.append(line)
        if "T08:00:00+08:00" in line or not line:
            break
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, (lines, out, err)
    assert "Traceback" not in err


# ---- content and commands -------------------------------------------------------------

def test_bad_schedule_is_a_located_content_error(tmp_path):
    from briefing.content import load

    src = write_briefing(tmp_path / "b", "cron: '0 25 * * *'")
    with pytest.raises(ContentError) as e:
        load(src)
    assert "cron" in str(e.value) and "briefing.yaml:" in str(e.value)
    write_briefing(tmp_path / "b", "preset: monthly\ntimezone: Mars/Olympus")
    with pytest.raises(ContentError, match="时区"):
        load(src)
    write_briefing(tmp_path / "b", "period: last_month")
    outcome = run_once(src, tmp_path / "out", now=at(2026, 11, 2))
    assert outcome.status == "failed" and "cron" in outcome.message and outcome.exit_code == 2
    assert Schedule(preset="daily", time=480).time == "08:00"      # YAML 1.1 reads 8:00 as 480


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "briefing", *map(str, args)], capture_output=True, text=True)


def test_cli_once_history_next_install(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly\nfirst_issue: 3")
    out = tmp_path / "out"
    once = _cli("schedule", "once", src, "-o", out)
    assert once.returncode == 0, once.stderr
    assert "第3期" in once.stdout and (out / once.stdout.splitlines()[0].split("/")[-1]).exists()
    again = _cli("schedule", "once", src, "-o", out)
    assert again.returncode == 0 and "跳过" in again.stdout
    history = _cli("history", src, "-o", out)
    assert history.returncode == 0 and "ok" in history.stdout and "skipped" in history.stdout
    assert "第3期" in history.stdout
    nxt = _cli("schedule", "next", src, "-o", out, "-n", "2")
    lines = [line for line in nxt.stdout.splitlines() if line[:2] == "20"]
    assert len(lines) == 2 and "T08:00:00+08:00" in lines[0] and "第4期" in lines[0]
    dt.datetime.fromisoformat(lines[0].split()[0])
    inst = _cli("schedule", "install", src, "-o", out)
    assert inst.returncode == 0
    assert "0 8 1 * * " in inst.stdout and "schedule once" in inst.stdout and str(src.resolve()) in inst.stdout
    assert "OnCalendar=*-*-01 08:00:00 Asia/Shanghai" in inst.stdout and "Persistent=true" in inst.stdout


def test_cli_failed_run_exits_non_zero_with_the_message(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly", paragraph=f"新区{RARE}发展")
    out = tmp_path / "out"
    run = _cli("schedule", "once", src, "-o", out)
    assert run.returncode == 2 and "U+20000" in run.stderr and "Traceback" not in run.stderr
    history = _cli("history", "-o", out)
    assert "failed" in history.stdout


def test_on_calendar_translation():
    from briefing.schedule.cron import on_calendar

    assert on_calendar("0 8 * * mon") == ["Mon *-*-* 08:00:00"]
    assert on_calendar("30 7 1 1,4,7,10 *") == ["*-01,04,07,10-01 07:30:00"]
    assert on_calendar("*/15 9-17 * * 1-5") == ["Mon..Fri *-*-* 09..17:00,15,30,45:00"]


def test_the_sample_has_a_schedule():
    from briefing.build import SAMPLE
    from briefing.content import load

    s = load(SAMPLE).doc.schedule
    assert s is not None and s.timezone == "Asia/Shanghai" and timing.cron_expression(s)
