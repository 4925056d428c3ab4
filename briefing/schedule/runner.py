"""Running scheduled builds: one run (`schedule once`) and the long-running scheduler (`schedule run`).

One run, under a per-briefing file lock:
  load the content -> the due fire time and its period -> the issue number
  (from the history) -> skip if the inputs and period are unchanged -> build
  (atomic: the PDF appears only when complete) -> record the run -> delete
  issues beyond `keep`.
A failed build records the failure with the error text and touches no PDF.

The scheduler is APScheduler 3's BlockingScheduler with a CronTrigger. The
clock, the scheduler and the build function are injectable, so tests drive it
without sleeping.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from .. import archive
from ..archive import other_formats
from ..archive.publish import publish
from ..build import build
from ..content import load
from ..errors import ContentError, Location
from ..i18n import _
from . import notify, timing
from .history import FILE_NAME, History, Run
from .inputs import input_hash
from .issue import Issue

EXIT_FAILED = 2          # the build failed (bad content): same status as `briefing build`
EXIT_BUSY = 75           # another run of the same briefing holds the lock (EX_TEMPFAIL)
LOCK_TIMEOUT = 10.0      # seconds a second run waits for the first before giving up
SKIP_GRACE = 60          # misfire "skip": a run more than this many seconds late is dropped


@dataclass
class Outcome:
    status: str                      # ok, failed, skipped, busy; a dry run: due, skipped, busy
    message: str
    run: Run | None = None
    fire_time: dt.datetime | None = None
    period: timing.Period | None = None
    issue: int | None = None
    pdf: Path | None = None
    deleted: tuple[Path, ...] = ()

    @property
    def exit_code(self) -> int:
        return {"ok": 0, "skipped": 0, "due": 0, "failed": EXIT_FAILED, "busy": EXIT_BUSY}[self.status]


def briefing_key(file: str | Path) -> str:
    file = Path(file)
    if file.is_dir():
        file = file / "briefing.yaml"
    return str(file.resolve())


def history_path(output_dir: str | Path, history: str | Path | None = None) -> Path:
    return Path(history) if history else Path(output_dir) / FILE_NAME


def lock_path(output_dir: str | Path, key: str) -> Path:
    return Path(output_dir) / f".briefing-{hashlib.sha1(key.encode()).hexdigest()[:12]}.lock"


def load_schedule(file, allow_outside: bool = False):
    """The content and its schedule; a briefing without `schedule:` is a content error."""
    content = load(file, allow_outside=allow_outside)
    if content.doc.schedule is None:
        raise ContentError(_("内容中没有 schedule 段，无法按计划生成"), Location(str(content.file)),
                           _("在 YAML 中加入 schedule:（见 docs/schedule.md），如 schedule: {preset: monthly, day: 1}"))
    sched = content.doc.schedule
    if sched.cron is None and sched.preset is None:
        raise ContentError(_("schedule 需要 cron（cron 表达式）或 preset（daily、weekly、monthly、quarterly）"),
                           content.positions.find(("schedule",)))
    return content, sched


def _now(tz) -> dt.datetime:
    return dt.datetime.now(tz)


@dataclass
class Plan:
    """What a run would do: build (and why) or skip, for which fire time, period, number and file."""
    content: object
    sched: object
    key: str
    series: str
    fire: dt.datetime
    period: timing.Period
    issue: int
    pdf: Path
    input_hash: str
    build: bool
    reason: str


def plan_run(content, sched, db: History, output_dir: Path, now: dt.datetime, fire_time: dt.datetime | None,
             force: bool) -> Plan:
    """Decide a run without building or writing anything."""
    tz = timing.zone(sched)
    fire = fire_time.astimezone(tz) if fire_time else timing.previous_fire(sched, now.astimezone(tz))
    issue_date = fire.date()
    period = timing.period_for(sched.period, issue_date)
    key, series = briefing_key(content.file), ("supplement" if content.doc.supplement else "regular")
    number = timing.issue_number(sched, db.issued(key, series), period, issue_date)
    try:
        name = timing.output_name(sched.output, issue_date=issue_date, title=content.doc.title,
                                  issue=number, period=period, supplement=content.doc.supplement)
    except (KeyError, ValueError, IndexError, AttributeError) as e:
        raise ContentError(_("输出文件名模式“{pattern}”无效：{error}").format(pattern=sched.output, error=e),
                           content.positions.find(("schedule", "output"))) from None
    pdf = output_dir / name
    digest = input_hash(content)
    previous = db.last_ok(key, series, period.key)
    if force:
        build, reason = True, _("强制重新生成（--force）")
    elif previous is None:
        build, reason = True, _("本期尚未生成")
    elif previous.input_hash != digest:
        build, reason = True, _("输入有变化")
    elif previous.output != str(pdf) or not pdf.exists():
        build, reason = True, _("上次生成的 PDF 不在了")
    else:
        build, reason = False, _("输入未变，本期已生成（用 --force 重新生成）")
    return Plan(content, sched, key, series, fire, period, number, pdf, digest, build, reason)


def dry_run(file, output_dir: str | Path = "output", *, now: dt.datetime | None = None,
            fire_time: dt.datetime | None = None, force: bool = False,
            history: str | Path | None = None, allow_outside: bool = False) -> Outcome:
    """What `run_once` would do at `now`: status "due" (would build), "skipped", "busy", or "failed"
    (it would be refused: publish folders or a command that need --allow-outside); writes nothing."""
    output_dir = Path(output_dir)
    content, sched = load_schedule(file, allow_outside)
    tz = timing.zone(sched)
    now = (now or _now(tz)).astimezone(tz)
    plan = plan_run(content, sched, History(history_path(output_dir, history)), output_dir, now, fire_time, force)
    status = "due" if plan.build else "skipped"
    try:
        check_targets(content, sched, output_dir, allow_outside)
    except ContentError as e:
        status, plan.reason = "failed", str(e)
    lock = lock_path(output_dir, plan.key)
    if lock.exists():
        probe = FileLock(str(lock), timeout=0)
        try:
            probe.acquire()
            probe.release()
        except Timeout:
            status, plan.reason = "busy", _("已有一次运行正在进行（同一简报的运行不会重叠）")
    return Outcome(status, plan.reason, None, plan.fire, plan.period, plan.issue, plan.pdf)


def run_once(file, output_dir: str | Path = "output", *, now: dt.datetime | None = None,
             fire_time: dt.datetime | None = None, force: bool = False, history: str | Path | None = None,
             lock_timeout: float = LOCK_TIMEOUT, builder: Callable | None = None,
             cache_dir: Path | None = None, progress=None, allow_outside: bool = False) -> Outcome:
    """Build the issue due at `now` (the latest fire time at or before it), or the one for `fire_time`;
    then update the archive index, publish, and notify (see follow_up)."""
    try:
        outcome = _run(file, output_dir, now=now, fire_time=fire_time, force=force, history=history,
                       lock_timeout=lock_timeout, builder=builder, cache_dir=cache_dir, progress=progress,
                       allow_outside=allow_outside)
    except Exception as e:
        follow_up(file, output_dir, Outcome("failed", f"{type(e).__name__}: {e}"), history, allow_outside)
        raise
    follow_up(file, output_dir, outcome, history, allow_outside)
    return outcome


def follow_up(file, output_dir: str | Path, outcome: Outcome, history=None, allow_outside: bool = False) -> None:
    """After a run: a new issue updates the archive index and is published; a failure (or, with
    `notify: {when: always}`, a success) is reported. Never raises: the run's status stands."""
    output_dir = Path(output_dir)
    key = briefing_key(file)
    try:
        content, sched = load_schedule(file, allow_outside)
    except ContentError:
        content, sched = None, None
    config = sched.notify if sched is not None else notify.remembered(output_dir, key)
    if sched is not None:
        notify.remember(output_dir, key, sched.notify)
    db = History(history_path(output_dir, history))
    if outcome.status == "ok" and sched is not None:
        for line in _archive_and_publish(content, sched, output_dir, db):
            print(line, file=sys.stderr)
    if outcome.status in ("ok", "failed") and notify.wanted(config, outcome.status):
        series = "supplement" if content is not None and content.doc.supplement else "regular"
        last = db.runs(key, series, "ok")
        previous = next((str(Path(r.output).resolve()) for r in reversed(last) if r.output and Path(r.output).exists()
                         and (outcome.status != "ok" or r.output != str(outcome.pdf))), None)
        title = content.doc.title if content is not None else Path(key).parent.name
        notify.send(config, notify.message(outcome, title, key, previous), allow_command=allow_outside)
        if outcome.run is not None and outcome.run.id is not None:
            notify.mark_reported(output_dir, key, outcome.run.id)


def _archive_and_publish(content, sched, output_dir: Path, db: History) -> list[str]:
    """Write the archive index and copy it to the publish folders; return the problems (as warnings)."""
    problems: list[str] = []
    if not (sched.archive or sched.publish):
        return problems
    try:
        made = archive.write(output_dir, db.path)
    except Exception as e:  # noqa: BLE001 - the issue is built; a broken index must not undo that
        return [_("存档目录未更新：{error}").format(error=e)]
    for target in publish_targets(content, sched):
        try:
            publish(made, target)
        except OSError as e:
            problems.append(_("未能发布到 {target}：{error}").format(target=target, error=e))
    return problems


def publish_targets(content, sched) -> list[Path]:
    return [(content.base / t).resolve() for t in sched.publish]


def check_targets(content, sched, output_dir: Path, allow_outside: bool) -> None:
    """Publish folders and a notify command act outside the content and output folders: only when the
    command line says so (--allow-outside)."""
    if allow_outside:
        return
    inside = (content.base.resolve(), Path(output_dir).resolve())
    for i, target in enumerate(publish_targets(content, sched)):
        if not any(target == root or target.is_relative_to(root) for root in inside):
            raise ContentError(_("发布目录“{target}”在内容目录和输出目录之外").format(target=sched.publish[i]),
                               content.positions.find(("schedule", "publish", i)),
                               _("确认无误后在命令行加 --allow-outside（schedule install 打印的命令会带上）"))
    if sched.notify is not None and sched.notify.command:
        raise ContentError(_("notify.command 会运行内容中写的命令"),
                           content.positions.find(("schedule", "notify", "command")),
                           _("确认无误后在命令行加 --allow-outside（schedule install 打印的命令会带上）"))


def _run(file, output_dir: str | Path = "output", *, now: dt.datetime | None = None,
         fire_time: dt.datetime | None = None, force: bool = False, history: str | Path | None = None,
         lock_timeout: float = LOCK_TIMEOUT, builder: Callable | None = None,
         cache_dir: Path | None = None, progress=None, allow_outside: bool = False) -> Outcome:
    output_dir = Path(output_dir)
    key = briefing_key(file)
    db = History(history_path(output_dir, history))
    started = dt.datetime.now(dt.timezone.utc).astimezone()
    try:
        content, sched = load_schedule(file, allow_outside)
        check_targets(content, sched, output_dir, allow_outside)
    except ContentError as e:
        run = Run(key, "regular", started.isoformat(timespec="seconds"), "failed", error=str(e), forced=force)
        db.add(run)
        return Outcome("failed", str(e), run)
    tz = timing.zone(sched)
    now = (now or _now(tz)).astimezone(tz)
    started = started.astimezone(tz)
    fire = (fire_time.astimezone(tz) if fire_time else timing.previous_fire(sched, now))
    issue_date = fire.date()
    period = timing.period_for(sched.period, issue_date)
    series = "supplement" if content.doc.supplement else "regular"
    run = Run(key, series, started.isoformat(timespec="seconds"), "failed", fire_time=fire.isoformat(),
              period_start=period.start.isoformat(), period_end=period.end.isoformat(), period_label=period.label,
              issue_date=issue_date.isoformat(), forced=force)

    output_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(output_dir, key)), timeout=lock_timeout)
    try:
        lock.acquire()
    except Timeout:
        run.status, run.error = "skipped", _("已有一次运行正在进行（同一简报的运行不会重叠）")
        db.add(run)
        return Outcome("busy", run.error, run, fire, period)
    t0 = time.perf_counter()
    try:
        plan = plan_run(content, sched, db, output_dir, now, fire, force)
        run.input_hash, run.issue, pdf = plan.input_hash, plan.issue, plan.pdf
        if not plan.build:
            run.status, run.output, run.seconds = "skipped", str(pdf), time.perf_counter() - t0
            run.error = plan.reason
            db.add(run)
            return Outcome("skipped", run.error, run, fire, period, run.issue, pdf)
        if builder is None:
            builder = build

        variables = Issue(period, run.issue, issue_date, fire).variables()
        try:
            result = builder(content.file, output_dir, overrides={"issue": str(run.issue),
                                                                  "date": issue_date.isoformat()},
                             output_name=pdf.name, variables=variables, cache_dir=cache_dir, progress=progress,
                             allow_outside=allow_outside, formats=["pdf", *(f for f in sched.formats if f != "pdf")])
        except ContentError as e:
            run.error = str(e)
            return Outcome("failed", run.error, run, fire, period, run.issue)
        except Exception as e:           # recorded, then left to the caller (a bug, a full disk …)
            run.error = f"{type(e).__name__}: {e}"
            raise
        run.status, run.output = "ok", str(result.pdf)
        run.seconds = time.perf_counter() - t0
        db.add(run)
        deleted = retain(db, key, series, sched.keep, output_dir) if sched.keep else ()
        return Outcome("ok", str(result.pdf), run, fire, period, run.issue, Path(str(result.pdf)), tuple(deleted))
    except ContentError as e:
        run.error = str(e)
        return Outcome("failed", run.error, run, fire, period, run.issue)
    finally:
        if run.status == "failed":
            run.seconds = time.perf_counter() - t0
            db.add(run)
        lock.release()


def retain(db: History, key: str, series: str, keep: int, output_dir: Path) -> list[Path]:
    """Delete this schedule's PDFs older than the last `keep` issues (only files the history says it wrote)."""
    latest: dict[str, Run] = {}
    for r in db.runs(key, series, "ok"):
        latest[r.period_key] = r
    ordered = sorted(latest.values(), key=lambda r: (r.issue_date or "", r.id or 0))
    kept = {r.output for r in ordered[-keep:]}
    deleted = []
    root = output_dir.resolve()
    for r in db.runs(key, series, "ok"):
        if not r.output or r.output in kept:
            continue
        p = Path(r.output)
        try:
            inside = p.resolve().parent == root
        except OSError:
            continue
        if inside and p.exists() and p.suffix.lower() == ".pdf":
            for edition in other_formats(p, root):      # its HTML, Word, long-image editions go with it
                (root / edition["file"]).unlink(missing_ok=True)
            p.unlink()
            deleted.append(p)
    return deleted


# ---- the long-running scheduler ---------------------------------------------------

def job_options(sched) -> dict:
    """How the scheduler treats a late run (documented in docs/schedule.md, "Misfires").

    catch_up: coalesce=True + no grace limit — however late (suspend, a long
    build), the missed fire times are run once, not once each. skip: a fire
    time missed by more than SKIP_GRACE seconds is dropped; the next one is
    awaited. Never two at once: max_instances=1.
    """
    return {"coalesce": True, "max_instances": 1,
            "misfire_grace_time": None if sched.misfire == "catch_up" else SKIP_GRACE}


def missed_fire(sched, now: dt.datetime, done_periods: set[str], ever_ran: bool) -> dt.datetime | None:
    """At start-up: the fire time to catch up, or None.

    With misfire "catch_up", when this briefing has run before (it has
    history) and the latest fire time at or before `now` has no successful
    issue, that one issue is built — only the latest, once. With "skip", or
    on a first start, nothing is built until the next fire time.
    """
    if sched.misfire != "catch_up" or not ever_ran:
        return None
    fire = timing.previous_fire(sched, now)
    period = timing.period_for(sched.period, fire.date())
    return None if period.key in done_periods else fire


class Runner:
    """`briefing schedule run`: fires run_once() on the schedule until SIGINT/SIGTERM."""

    def __init__(self, file, output_dir: str | Path = "output", *, history: str | Path | None = None,
                 scheduler=None, clock: Callable[[], dt.datetime] | None = None, builder: Callable | None = None,
                 lock_timeout: float = LOCK_TIMEOUT, log: Callable[[str], None] | None = None, force: bool = False,
                 allow_outside: bool = False):
        self.file = file
        self.allow_outside = allow_outside
        self.output_dir = Path(output_dir)
        self.history = history
        self.content, self.sched = load_schedule(file)
        self.tz = timing.zone(self.sched)
        self.clock = clock or (lambda: dt.datetime.now(self.tz))
        self.builder = builder
        self.lock_timeout = lock_timeout
        self.log = log or (lambda text: print(text, flush=True))
        self.scheduler = scheduler if scheduler is not None else self._default_scheduler()
        self.outcomes: list[Outcome] = []
        self.job = None

    def _default_scheduler(self):
        # start-up: APScheduler takes ~80 ms to import and only `schedule run` keeps a scheduler
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.blocking import BlockingScheduler

        return BlockingScheduler(timezone=self.tz, executors={"default": ThreadPoolExecutor(1)})

    def setup(self):
        """Add the build job (CronTrigger + the misfire policy) to the scheduler."""
        self.job = self.scheduler.add_job(self.fire, timing.trigger(self.sched), id="briefing",
                                          name=str(self.content.file), replace_existing=True,
                                          **job_options(self.sched))
        return self.job

    def fire(self, fire_time: dt.datetime | None = None) -> Outcome:
        """One scheduled run. Never raises: the failure is in the history and the log."""
        now = self.clock()
        try:
            outcome = run_once(self.file, self.output_dir, now=now, fire_time=fire_time, history=self.history,
                               lock_timeout=self.lock_timeout, builder=self.builder,
                               allow_outside=self.allow_outside)
        except Exception as e:   # noqa: BLE001 — the scheduler keeps going; run_once recorded it
            outcome = Outcome("failed", f"{type(e).__name__}: {e}")
        self.outcomes.append(outcome)
        self.log(describe(outcome, now))
        return outcome

    def catch_up(self) -> Outcome | None:
        key = briefing_key(self.file)
        db = History(history_path(self.output_dir, self.history))
        series = "supplement" if self.content.doc.supplement else "regular"
        runs = db.runs(key, series)
        done = {r.period_key for r in runs if r.status == "ok"}
        fire = missed_fire(self.sched, self.clock(), done, bool(runs))
        if fire is None:
            return None
        self.log(_("补发错过的一期：{time}").format(time=fire.isoformat()))
        return self.fire(fire)

    def stop(self, *_args) -> None:
        """First SIGINT/SIGTERM: stop after the build in progress. A second one stops at once."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self.log(_("正在停止（进行中的生成会先完成）…"))
        threading.Thread(target=self._shutdown, name="briefing-shutdown").start()

    def _shutdown(self) -> None:
        # a signal can arrive between installing the handler and the scheduler starting:
        # wait for it to run, or shutdown() would fail and start() would then block for ever
        for _attempt in range(200):
            if self.scheduler.running:
                break
            time.sleep(0.025)
        try:
            self.scheduler.shutdown()
        except Exception:  # noqa: BLE001 - already stopped
            pass

    def start(self) -> None:
        """Set up, catch up (policy permitting), then block until stopped."""
        self.setup()
        self.catch_up()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self.stop)
        nxt = timing.next_fires(self.sched, self.clock(), 1)
        if nxt:
            self.log(_("下一期：{time}").format(time=nxt[0].isoformat()))
        self.scheduler.start()


def describe(outcome: Outcome, now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
    what = ""
    if outcome.period is not None:
        what = f" {outcome.period.label}"
    if outcome.issue is not None:
        what += f" 第{outcome.issue}期"
    return f"[{stamp}] {outcome.status}{what}: {outcome.message}"


def print_failure(outcome: Outcome) -> None:
    print(_("错误：") + outcome.message, file=sys.stderr)
