"""The one place where anything that goes wrong becomes a message and an exit status.

Commands raise; this wrapper around the command dispatch decides what the user
sees. Content problems (ContentError, and the parsing errors of libraries that
read the user's files) exit with status 2; problems of the machine (a full or
read-only disk, a closed pipe, no memory, a locked database) with status 1 and
a plain sentence; anything else is a bug in briefing: a short "please report"
message, with the traceback written to a log file instead of the terminal.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import errno
import json
import os
import signal
import sqlite3
import sys
import tempfile
import threading
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

from .errors import ContentError, EnvironmentFault
from .i18n import _

EXIT_OK, EXIT_ENVIRONMENT, EXIT_CONTENT, EXIT_INTERRUPTED = 0, 1, 2, 130

# errors raised by the libraries that parse the user's files, when a reader did not locate them itself
DATA_ERRORS = (csv.Error, decimal.DecimalException, zipfile.BadZipFile, json.JSONDecodeError, UnicodeError,
               OverflowError)

OS_MESSAGES = {
    errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENAMETOOLONG: "文件名过长",
    errno.ENOENT: "文件或目录不存在", errno.ENOTDIR: "路径中的某一级不是目录", errno.EISDIR: "这是一个目录",
    errno.ELOOP: "符号链接循环", errno.EFBIG: "文件超过系统允许的大小", errno.EMFILE: "打开的文件过多", errno.ENOMEM: "内存不足", errno.EIO: "输入输出错误",
}


def run(call: Callable[[], int]) -> int:
    """Run one command; return its exit status. Never lets an exception reach the interpreter."""
    previous = _terminate_cleanly()
    try:
        status = call()
        sys.stdout.flush()
        return status
    except ContentError as e:
        return _say(_("错误：") + str(e), EXIT_CONTENT)
    except EnvironmentFault as e:
        return _say(_("错误：") + str(e), EXIT_ENVIRONMENT)
    except KeyboardInterrupt:
        return _say(_("已中断"), EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()     # whoever read our output has gone (… | head): nothing more to say
        return EXIT_ENVIRONMENT
    except RecursionError:
        return _say(_("错误：内容嵌套过深，无法处理"), EXIT_CONTENT)
    except MemoryError:
        return _say(_("错误：内存不足，无法完成"), EXIT_ENVIRONMENT)
    except sqlite3.Error as e:
        return _say(_("错误：构建历史数据库出错：{e}").format(e=e), EXIT_ENVIRONMENT)
    except DATA_ERRORS as e:
        return _say(_("错误：无法解析数据：{e}").format(e=e), EXIT_CONTENT)
    except OSError as e:
        return _say(_("错误：") + os_message(e), EXIT_ENVIRONMENT)
    except Exception:   # noqa: BLE001 - the last line: a bug, reported without a traceback on the terminal
        log = _write_log(traceback.format_exc())
        return _say(_("内部错误：briefing 遇到了意外的问题。请报告此问题，并附上日志 {log}").format(log=log)
                    + "\n  " + traceback.format_exc().strip().splitlines()[-1], EXIT_ENVIRONMENT)
    finally:
        if previous is not None:    # main() called from Python (tests, scripts): leave its handler as it was
            try:
                signal.signal(signal.SIGTERM, previous)
            except (ValueError, OSError):
                pass


def os_message(e: OSError) -> str:
    what = _(OS_MESSAGES[e.errno]) if e.errno in OS_MESSAGES else (e.strerror or type(e).__name__)
    name = e.filename if e.filename is not None else None
    return _("{what}：{name}").format(what=what, name=name) if name else what


def _say(text: str, status: int) -> int:
    try:
        print(text, file=sys.stderr)
    except (OSError, ValueError):
        pass
    return status


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _terminate_cleanly():
    """SIGTERM becomes SystemExit, so the `finally` blocks that remove temporary files run.
    Returns the handler it replaced (None if it left the handler alone)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        previous = signal.getsignal(signal.SIGTERM)
        if previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_term)
            return previous
    except (ValueError, OSError):
        pass
    return None


def _on_term(signum, frame) -> None:
    raise SystemExit(128 + signum)


def log_dir() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "briefing"


def _write_log(text: str) -> Path | str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"briefing-crash-{stamp}-{os.getpid()}.log"
            path.write_text(f"briefing {_version()}  python {sys.version.split()[0]}\n{text}", encoding="utf-8")
            return path
        except OSError:
            continue
    return _("（无法写入日志）")


def _version() -> str:
    try:
        from importlib.metadata import version  # start-up: ~30 ms with email; only a crash report needs it

        return version("briefing")
    except Exception:  # noqa: BLE001
        return "?"
