"""Scheduled periodic builds (GitHub issue 7): the `schedule:` section of a briefing,
`briefing schedule run|next|once|install` and `briefing history`. See docs/schedule.md.

timing.py  — pure functions of `now`: fire times, the period an issue covers, issue numbers
history.py — the SQLite build history the numbers come from
runner.py  — one locked, atomic, recorded run; the APScheduler runner
cli.py     — the commands
"""
from .history import History, Run
from .runner import Outcome, Runner, job_options, missed_fire, run_once
from .timing import Period, issue_number, next_fires, period_for, plan, previous_fire

__all__ = ["History", "Run", "Outcome", "Runner", "job_options", "missed_fire", "run_once", "Period",
           "issue_number", "next_fires", "period_for", "plan", "previous_fire"]
