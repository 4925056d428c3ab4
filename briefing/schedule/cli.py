"""`briefing schedule run|next|once|install` and `briefing history` (listed in cli.PLUGINS)."""
from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..cli import content_file
from ..content.schema import Schedule
from ..errors import ContentError, Location
from ..i18n import _
from . import notify, timing
from .cron import on_calendar
from .history import History
from .runner import Outcome, Runner, briefing_key, check_targets, dry_run, history_path, load_schedule, print_failure, run_once


def schedule_options(s: argparse.ArgumentParser) -> None:
    """`briefing schedule`'s parser (its line in `briefing --help` is in briefing.cli)."""
    s.description = _("按内容中的 schedule 段定期生成简报：期号自动递增，输入未变则跳过，"
                      "失败不影响上一期。详见 docs/schedule.md。")
    ss = s.add_subparsers(dest="schedule_command", metavar="ACTION")

    def show_help(args: argparse.Namespace) -> int:   # `briefing schedule` without an action
        s.print_help()
        return 0

    s.set_defaults(func=show_help)

    run = ss.add_parser("run", help=_("常驻运行，到点生成（Ctrl-C 或 SIGTERM 停止）"),
                        description=_("常驻进程：按计划到点生成；停机错过的一期按 misfire 策略补发或跳过。"))
    _common(run)
    _allow(run)
    run.set_defaults(func=cmd_run)

    nxt = ss.add_parser("next", help=_("列出接下来几次生成的时间、覆盖期间和期号"))
    _common(nxt)
    nxt.add_argument("-n", type=int, default=5, help=_("列出几次（默认 5）"))
    nxt.set_defaults(func=cmd_next)

    once = ss.add_parser("once", help=_("立即生成当前这一期（输入未变则跳过）"),
                         description=_("生成最近一次计划时间对应的一期；输入和期间都未变时跳过，--force 强制重新生成。"))
    _common(once)
    once.add_argument("--force", action="store_true", help=_("输入未变也重新生成"))
    once.add_argument("--dry-run", action="store_true",
                      help=_("只说明会生成哪一期（时间、期间、期号）及原因，不生成、不写入任何文件"))
    once.add_argument("--at", metavar="DATETIME",
                      help=_("当作此刻是 DATETIME（如 2026-12-01T08:00，不带时区时按 schedule 的时区）"))
    _allow(once)
    once.set_defaults(func=cmd_once)

    note = ss.add_parser("notify", help=_("按 notify 设置发一条测试通知（--unit：报告 systemd 单元失败）"),
                         description=_("发一条测试通知，检查 webhook、邮件和命令是否可用；"
                                       "systemd 的 OnFailure= 用 --unit 报告未能自行通知的失败。"))
    _common(note)
    note.add_argument("--unit", help=_("失败的 systemd 单元名（由 OnFailure= 调用时）"))
    note.set_defaults(func=cmd_notify)

    inst = ss.add_parser("install", help=_("打印 crontab 行和 systemd service/timer 文件"))
    _common(inst)
    inst.set_defaults(func=cmd_install)


def history_options(h: argparse.ArgumentParser) -> None:
    """`briefing history`'s parser (its line in `briefing --help` is in briefing.cli)."""
    h.description = _("以表格列出每次运行的时间、期间、期号、状态、用时、输出文件和错误。")
    h.add_argument("file", nargs="?", help=_("内容文件（YAML）；省略时列出全部简报"))
    h.add_argument("-o", "--output", default="output", help=_("输出目录（默认 output/），历史库在其中"))
    h.add_argument("--history", help=_("历史数据库路径（默认 输出目录/.briefing-history.sqlite）"))
    h.add_argument("-n", type=int, default=20, help=_("显示最近几条（默认 20）"))
    h.set_defaults(func=cmd_history)


def _allow(p) -> None:
    p.add_argument("--allow-outside", action="store_true",
                   help=_("允许读写内容目录之外的文件：发布到 publish 目录、运行 notify.command、读外部数据"))


def _common(p) -> None:
    p.add_argument("file", nargs="?", help=_("内容文件（YAML）或其所在目录；省略时使用当前目录的 briefing.yaml"))
    p.add_argument("-o", "--output", default="output", help=_("输出目录（默认 output/）"))
    p.add_argument("--history", help=_("历史数据库路径（默认 输出目录/.briefing-history.sqlite）"))


def _file(args):
    return content_file(args.file)


def cmd_next(args) -> int:
    content, sched = load_schedule(_file(args))
    series = "supplement" if content.doc.supplement else "regular"
    issued = History(history_path(args.output, args.history)).issued(briefing_key(_file(args)), series)
    now = dt.datetime.now(timing.zone(sched))
    print(_("计划：{cron}（{tz}），覆盖期间：{period}").format(
        cron=timing.cron_expression(sched), tz=sched.timezone, period=sched.period))
    for p in timing.plan(sched, issued, now, args.n):
        label = ("增刊" if content.doc.supplement else "") + f"第{p.issue}期"
        print(f"{p.fire_time.isoformat()}  {label}  {p.period.label}"
              f"（{p.period.start.isoformat()}—{p.period.end.isoformat()}）")
    return 0


def _at(args, sched) -> dt.datetime | None:
    if not args.at:
        return None
    try:
        when = dt.datetime.fromisoformat(args.at.strip().replace(" ", "T", 1))
    except ValueError:
        raise ContentError(_("时间“{text}”无法识别").format(text=args.at), Location("--at"),
                           _("写成 2026-12-01T08:00 或 2026-12-01")) from None
    return when if when.tzinfo else when.replace(tzinfo=timing.zone(sched))


def cmd_once(args) -> int:
    now = None
    if args.at or args.dry_run:
        try:
            sched = load_schedule(_file(args))[1]
        except ContentError:
            if args.dry_run:
                raise
            sched = Schedule()      # the run records (and reports) the content error itself
        now = _at(args, sched)
    if args.dry_run:
        return _print_dry_run(dry_run(_file(args), args.output, now=now, force=args.force, history=args.history,
                                      allow_outside=args.allow_outside))
    outcome = run_once(_file(args), args.output, now=now, force=args.force, history=args.history,
                       allow_outside=args.allow_outside)
    if outcome.status == "failed":
        print_failure(outcome)
    elif outcome.status == "busy":
        print(_("已在运行：") + outcome.message, file=sys.stderr)
    else:
        label = f"{outcome.period.label} 第{outcome.issue}期" if outcome.period else ""
        if outcome.status == "skipped":
            print(_("跳过：{what}：{why}").format(what=label, why=outcome.message))
        print(outcome.pdf)
        if outcome.status == "ok":
            print(_("{what}，用时 {seconds:.2f} 秒").format(what=label, seconds=outcome.run.seconds if outcome.run else 0.0))
        for p in outcome.deleted:
            print(_("已删除旧的一期：{path}").format(path=p))
    return outcome.exit_code


def _print_dry_run(outcome) -> int:
    verdict = {"due": _("将生成"), "skipped": _("将跳过"), "busy": _("正在运行，将等待或跳过"),
               "failed": _("将失败")}[outcome.status]
    print(_("{verdict}：{period}（{start}—{end}）第{issue}期，计划时间 {fire}").format(
        verdict=verdict, period=outcome.period.label, start=outcome.period.start.isoformat(),
        end=outcome.period.end.isoformat(), issue=outcome.issue, fire=outcome.fire_time.isoformat()))
    print(_("原因：{why}").format(why=outcome.message))
    print(_("输出：{path}").format(path=outcome.pdf))
    return outcome.exit_code


def cmd_run(args) -> int:
    runner = Runner(_file(args), args.output, history=args.history, allow_outside=args.allow_outside)
    print(_("定期生成：{file} → {out}（Ctrl-C 停止）").format(file=runner.content.file,
                                                         out=Path(args.output).resolve()), flush=True)
    runner.start()
    return 0


def install_text(file: Path, output: Path, history: str | None, sched, python: str | None = None,
                 allow_outside: bool = False) -> str:
    """A crontab line and systemd service + timer (+ an OnFailure= reporter) that call `briefing schedule once`."""
    exe = Path(python or sys.executable).absolute()   # not resolve(): keep the venv's python
    common = [str(file), "-o", str(output)]
    if history:
        common += ["--history", str(Path(history).resolve())]
    once = [str(exe), "-m", "briefing", "schedule", "once", *common] + (["--allow-outside"] if allow_outside else [])
    command = " ".join(shlex.quote(c) for c in once)
    cron = timing.cron_expression(sched)
    # several lines when cron fires on either the day of month or the day of week
    calendar = "\n".join(f"OnCalendar={value} {sched.timezone}" for value in on_calendar(cron))
    name = "briefing-" + (file.parent.name if file.name == "briefing.yaml" else file.stem)
    report = " ".join(shlex.quote(c) for c in [str(exe), "-m", "briefing", "schedule", "notify", *common,
                                               "--unit", f"{name}.service"])
    log = output / "schedule.log"
    env_file = f"/etc/briefing/{name}.env"
    # cron: % ends the command unless escaped; the log folder is made first, or the first run fails unseen
    cron_line = (f"mkdir -p {shlex.quote(str(log.parent))} && cd {shlex.quote(str(file.parent))} && "
                 f"{command} >> {shlex.quote(str(log))} 2>&1").replace("%", "\\%")
    return f"""# ---- crontab (crontab -e); CRON_TZ is honoured by cronie; elsewhere set the system zone ----
# (SMTP or webhook secrets: add lines such as BRIEFING_SMTP_PASSWORD=… above, or use systemd's EnvironmentFile)
CRON_TZ={sched.timezone}
{cron} {cron_line}

# ---- /etc/systemd/system/{name}.service ----
[Unit]
Description=Build the briefing {file}
After=network-online.target
Wants=network-online.target
OnFailure={name}-failed.service

[Service]
Type=oneshot
WorkingDirectory={file.parent}
EnvironmentFile=-{env_file}
ExecStart={command}
# 75: another run of the same briefing was still busy; not a failure
SuccessExitStatus=75

# ---- /etc/systemd/system/{name}-failed.service ----
# Started by OnFailure=: reports a run that died without reporting itself (killed, out of memory);
# a failed build has already sent its own notification, and is not reported twice.
[Unit]
Description=Report a failed run of {name}

[Service]
Type=oneshot
EnvironmentFile=-{env_file}
ExecStart={report}

# ---- /etc/systemd/system/{name}.timer ----
[Unit]
Description=Build the briefing {file} on schedule

[Timer]
{calendar}
Persistent={'true' if sched.misfire == 'catch_up' else 'false'}

[Install]
WantedBy=timers.target

# then: systemctl daemon-reload && systemctl enable --now {name}.timer
"""


def cmd_install(args) -> int:
    content, sched = load_schedule(_file(args))
    output = Path(args.output).resolve()
    try:
        check_targets(content, sched, output, False)
        outside = False
    except ContentError:
        outside = True        # publish folders or a notify command the user wrote: the command must allow them
    print(install_text(content.file.resolve(), output, args.history, sched, allow_outside=outside), end="")
    return 0


def cmd_notify(args) -> int:
    """Send the configured notification: a test message, or (--unit) the report of a failed systemd run."""
    key = briefing_key(_file(args))
    try:
        content, sched = load_schedule(_file(args))
        config, title = sched.notify, content.doc.title
    except ContentError:
        config, title = notify.remembered(args.output, key), Path(key).parent.name
    if config is None:
        raise ContentError(_("schedule 中没有 notify 段，没有可发送的通知"), Location(str(_file(args))),
                           _("见 docs/schedule.md 的“通知”一节"))
    if args.unit:
        runs = History(history_path(args.output, args.history)).runs(key)
        last = runs[-1] if runs else None
        if last is not None and last.status == "failed" and last.id == notify.reported(args.output, key):
            print(_("这次失败已通知过：{error}").format(error=last.error))
            return 0
        # the text of a notification is Chinese for its readers (see notify.message)
        text = f"systemd 单元 {args.unit} 运行失败（未正常结束，详见 journalctl -u {args.unit}）"
    else:
        text = "测试通知：通知设置可用"
    msg = notify.message(Outcome("failed", text), title, key)
    if not args.unit:
        msg.title = "【测试】" + title
    problems = notify.send(config, msg, allow_command=True)
    return 1 if problems else 0


def cmd_history(args) -> int:
    path = history_path(args.output, args.history)
    runs = History(path).runs(briefing_key(args.file) if args.file else None, limit=args.n)
    console = Console()
    if not runs:
        console.print(_("没有记录：{path}").format(path=path))
        return 0
    table = Table(title=_("生成历史（{path}）").format(path=path))
    for col in (_("时间"), _("期间"), _("期号"), _("状态"), _("用时"), _("输入"), _("输出 / 错误")):
        table.add_column(col, overflow="fold")
    colour = {"ok": "green", "failed": "red", "skipped": "yellow"}
    for r in runs:
        issue = "" if r.issue is None else (("增刊" if r.series == "supplement" else "") + f"第{r.issue}期")
        detail = Path(r.output).name if r.output else ""
        if r.error:
            detail = (detail + "\n" if detail else "") + r.error
        table.add_row(r.started[:16].replace("T", " "), r.period_label or "", issue, f"[{colour[r.status]}]{r.status}[/]",
                      "" if r.seconds is None else f"{r.seconds:.1f}s", (r.input_hash or "")[:10], detail)
    console.print(table)
    return 0
