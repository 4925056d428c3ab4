"""Scheduled periodic builds: the `schedule:` section of a briefing,
`briefing schedule run|next|once|install` and `briefing history`. See docs/schedule.md.

timing.py  — pure functions of `now`: fire times, the period an issue covers, issue numbers
history.py — the SQLite build history the numbers come from
runner.py  — one locked, atomic, recorded run; the APScheduler runner
cli.py     — the commands
"""
import importlib

# start-up: exports are loaded on first use. Every build imports briefing.schedule.issue (the
# {{ period }} of its text), which runs this file; importing the runner and what it brings
# (notify, archive, filelock) here would add 30-40 ms to each build (measured, CPU).
_HOME = {"History": "history", "Run": "history", "Outcome": "runner", "Runner": "runner",
         "job_options": "runner", "missed_fire": "runner", "run_once": "runner", "Period": "timing",
         "issue_number": "timing", "next_fires": "timing", "period_for": "timing", "plan": "timing",
         "previous_fire": "timing"}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(name)


__all__ = ["History", "Run", "Outcome", "Runner", "job_options", "missed_fire", "run_once", "Period",
           "issue_number", "next_fires", "period_for", "plan", "previous_fire"]
