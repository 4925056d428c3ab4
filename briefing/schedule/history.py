"""The build history: one SQLite row per scheduled run (stdlib sqlite3).

The database sits beside the PDFs (output/.briefing-history.sqlite by
default). Issue numbers are read back from it — only successful builds
count — so a failed or retried run never skips or repeats a number.

A briefing is identified by the absolute path of its YAML file; regular
issues and 增刊 (supplement: true) are numbered apart ("series").
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from contextlib import closing
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import EnvironmentFault
from ..i18n import _
from .timing import Issued

LOCK_TIMEOUT = 10.0       # seconds to wait for another process's lock on the history


def lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("BRIEFING_DB_TIMEOUT", LOCK_TIMEOUT)))
    except ValueError:
        return LOCK_TIMEOUT


def _locked(e: sqlite3.OperationalError) -> bool:
    return "locked" in str(e) or "busy" in str(e)


class _Foreign(Exception):
    """The file is an SQLite database, but not a briefing history."""

FILE_NAME = ".briefing-history.sqlite"
STATUSES = ("ok", "failed", "skipped")


def _column(sql: str, default: Any = MISSING) -> Any:
    """A field of Run that is a column of the table runs, declared as SQLite declares it."""
    return field(default=default, metadata={"sql": sql})


@dataclass
class Run:
    """One row of the table runs: each field is a column, and the table is made from these fields."""
    briefing: str = _column("TEXT NOT NULL")           # absolute path of the YAML file
    series: str = _column("TEXT NOT NULL")             # 'regular' or 'supplement'
    started: str = _column("TEXT NOT NULL")            # ISO 8601 with offset
    status: str = _column(f"TEXT NOT NULL CHECK (status IN {STATUSES})")
    fire_time: str | None = _column("TEXT", None)      # the scheduled time this run is for
    period_start: str | None = _column("TEXT", None)
    period_end: str | None = _column("TEXT", None)
    period_label: str | None = _column("TEXT", None)
    issue: int | None = _column("INTEGER", None)
    issue_date: str | None = _column("TEXT", None)
    input_hash: str | None = _column("TEXT", None)
    seconds: float | None = _column("REAL", None)
    output: str | None = _column("TEXT", None)
    error: str | None = _column("TEXT", None)
    forced: bool = _column("INTEGER NOT NULL DEFAULT 0", False)
    id: int | None = _column("INTEGER PRIMARY KEY AUTOINCREMENT", None)

    @property
    def period_key(self) -> str:
        return f"{self.period_start}/{self.period_end}"


_COLUMNS = [f.name for f in fields(Run) if f.name != "id"]
_SCHEMA = ("CREATE TABLE IF NOT EXISTS runs ({columns});\n"
           "CREATE INDEX IF NOT EXISTS runs_briefing ON runs (briefing, series, status);\n").format(
    columns=", ".join(f"{f.name} {f.metadata['sql']}" for f in fields(Run)))


class History:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and not self.path.is_file():
            raise EnvironmentFault(_("构建历史“{path}”不是文件").format(path=self.path),
                                   _("请移走它，或用 --history 指定别的位置"))
        try:
            return self._open()
        except sqlite3.OperationalError as e:
            if _locked(e):
                raise self._locked_fault() from None
            raise EnvironmentFault(_("无法打开构建历史“{path}”：{e}").format(path=self.path, e=e)) from None
        except (sqlite3.DatabaseError, _Foreign) as e:
            # not a database, truncated, or another program's: keep it for inspection and start afresh
            aside = self.path.with_name(f"{self.path.name}.broken-{dt.datetime.now():%Y%m%d-%H%M%S}")
            os.replace(self.path, aside)
            print(_("警告：构建历史“{path}”已损坏或不是本程序的（{e}），已移到 {aside} 并新建").format(
                path=self.path, e=e, aside=aside.name), file=sys.stderr)
            try:
                return self._open()
            except sqlite3.OperationalError as e2:
                if _locked(e2):
                    raise self._locked_fault() from None
                raise

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=lock_timeout())
        try:
            con.row_factory = sqlite3.Row
            found = {r[1] for r in con.execute("PRAGMA table_info(runs)")}
            if found and not set(_COLUMNS) | {"id"} <= found:
                raise _Foreign(_("表 runs 的列不同"))
            con.executescript(_SCHEMA)
        except BaseException:
            con.close()
            raise
        return con

    def _locked_fault(self) -> EnvironmentFault:
        return EnvironmentFault(
            _("构建历史“{path}”被另一个进程锁住，等待 {n} 秒后放弃").format(path=self.path, n=lock_timeout()),
            _("可能另一次构建正在运行；稍后再试，或设置 BRIEFING_DB_TIMEOUT（秒）"))

    def add(self, run: Run) -> int:
        try:
            with closing(self._connect()) as con, con:
                cur = con.execute(
                    f"INSERT INTO runs ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})",
                    [int(v) if isinstance(v, bool) else v for v in (getattr(run, c) for c in _COLUMNS)])
                run.id = cur.lastrowid
                return cur.lastrowid or 0
        except sqlite3.OperationalError as e:
            if _locked(e):
                raise self._locked_fault() from None
            raise

    def runs(self, briefing: str | None = None, series: str | None = None, status: str | None = None,
             limit: int | None = None) -> list[Run]:
        """Runs, oldest first (the last `limit` ones when given)."""
        where, args = [], []
        for col, value in (("briefing", briefing), ("series", series), ("status", status)):
            if value is not None:
                where.append(f"{col} = ?")
                args.append(value)
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        if not self.path.exists():
            return []
        try:
            with closing(self._connect()) as con:
                rows = con.execute(sql, args).fetchall()
        except sqlite3.OperationalError as e:
            if _locked(e):
                raise self._locked_fault() from None
            raise
        out = []
        for r in reversed(rows):
            d = dict(r)
            d["forced"] = bool(d["forced"])
            out.append(Run(**d))
        return out

    def issued(self, briefing: str, series: str) -> list[Issued]:
        """Successful issues of one briefing's series (for numbering)."""
        return [Issued(r.period_key, r.issue, dt.date.fromisoformat(r.issue_date))
                for r in self.runs(briefing, series, "ok") if r.issue is not None and r.issue_date]

    def last_ok(self, briefing: str, series: str, period_key: str) -> Run | None:
        found = [r for r in self.runs(briefing, series, "ok") if r.period_key == period_key]
        return found[-1] if found else None
