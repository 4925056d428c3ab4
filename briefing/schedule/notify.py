"""Telling people about a scheduled run: webhooks (generic JSON, 企业微信, 钉钉, 飞书), e-mail, a command.

Written with the standard library (urllib, smtplib, email, subprocess)
rather than a multi-channel package such as apprise: the four webhook
formats are a few lines of JSON each, smtplib covers SMTP with STARTTLS/SSL,
and the office's bot URLs and mail server are written as they are given by
the chat platform — not in another package's URL syntax.

Each channel is tried once (a retry could deliver twice); a channel that
fails is reported on stderr and does not hide the build's own status.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import smtplib
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..content.schema import Notify
from ..i18n import _

TIMEOUT = 15          # seconds for one webhook, one SMTP session
COMMAND_TIMEOUT = 120


@dataclass
class Message:
    status: str                   # "failed" or "ok"
    title: str                    # one line: 【简报生成失败】两江新区发展简报 第8期 2026年10月
    text: str                     # the lines of the body
    fields: dict                  # for the generic JSON webhook and the command's environment


def message(outcome, briefing_title: str, file: str, previous: str | None = None) -> Message:
    """The notification for one run's outcome.

    Its text is for the office that reads the briefing, like the PDF and the archive page:
    Chinese whatever the language of the server's messages (so no _() here).
    """
    failed = outcome.status != "ok"
    what = " ".join(x for x in (briefing_title, f"第{outcome.issue}期" if outcome.issue else "",
                                outcome.period.label if outcome.period else "") if x)
    title = ("【简报生成失败】" if failed else "【简报已生成】") + what
    lines = [f"简报：{briefing_title}（{file}）"]
    if outcome.period is not None:
        lines.append("期次：{issue}，{period}（{start}—{end}）".format(
            issue=f"第{outcome.issue}期" if outcome.issue else "—", period=outcome.period.label,
            start=outcome.period.start.isoformat(), end=outcome.period.end.isoformat()))
    if outcome.fire_time is not None:
        lines.append(f"计划时间：{outcome.fire_time.isoformat()}")
    if failed:
        lines.append(f"错误：{outcome.message}")
        lines.append(f"上一期不受影响：{previous}" if previous
                     else "此前没有成功生成的一期")
    else:
        lines.append(f"文件：{outcome.pdf}")
    lines.append(f"主机：{socket.gethostname()}")
    fields = {"event": "failed" if failed else "ok", "title": title, "text": "\n".join(lines),
              "briefing": briefing_title, "file": file, "issue": outcome.issue,
              "period": outcome.period.label if outcome.period else None,
              "period_start": outcome.period.start.isoformat() if outcome.period else None,
              "period_end": outcome.period.end.isoformat() if outcome.period else None,
              "fire_time": outcome.fire_time.isoformat() if outcome.fire_time else None,
              "pdf": str(outcome.pdf) if outcome.pdf and not failed else None,
              "error": outcome.message if failed else None, "previous": previous,
              "host": socket.gethostname()}
    return Message(fields["event"], title, "\n".join(lines), fields)


def send(config, msg: Message, *, allow_command: bool = True) -> list[str]:
    """Send `msg` on every channel of a `notify:` config; return one line per channel that failed."""
    problems = []
    hooks = config.webhook if isinstance(config.webhook, list) else [config.webhook]
    for hook in hooks:
        problems += _try(lambda h=hook: webhook(h, msg), _("webhook"))
    if config.email is not None:
        problems += _try(lambda: email(config.email, msg), _("邮件"))
    if config.command and allow_command:
        problems += _try(lambda: command(config.command, msg), _("命令"))
    for line in problems:
        print(_("通知未送达：") + line, file=sys.stderr)
    return problems


def wanted(config, status: str) -> bool:
    return config is not None and (status == "failed" or config.when == "always")


def _try(action, channel: str) -> list[str]:
    try:
        action()
        return []
    except Exception as e:  # noqa: BLE001 - a notification channel never breaks the run
        return [f"{channel}: {type(e).__name__}: {e}"]


# ---- webhook ---------------------------------------------------------------------

def payload(fmt: str, msg: Message, secret: str | None = None) -> dict:
    """The JSON body for a generic endpoint or a 企业微信 / 钉钉 / 飞书 group bot."""
    text = msg.title + "\n" + msg.text
    if fmt == "wecom":       # 企业微信群机器人
        return {"msgtype": "text", "text": {"content": text}}
    if fmt == "dingtalk":    # 钉钉自定义机器人 (the signature goes in the URL)
        return {"msgtype": "text", "text": {"content": text}}
    if fmt == "feishu":      # 飞书自定义机器人
        body = {"msg_type": "text", "content": {"text": text}}
        if secret:
            ts = str(int(time.time()))
            body.update(timestamp=ts, sign=_sign(f"{ts}\n{secret}", b""))
        return body
    return msg.fields


def webhook_url(hook) -> str:
    url = hook.url or (os.environ.get(hook.url_env, "") if hook.url_env else "")
    if not url:
        raise ValueError(_("没有 webhook 地址（url，或环境变量 {name}）").format(name=hook.url_env or "url_env"))
    if hook.format == "dingtalk" and hook.secret_env:
        ts = str(int(time.time() * 1000))
        secret = _secret(hook)
        sign = _sign(secret, f"{ts}\n{secret}".encode())
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"timestamp": ts, "sign": sign})
    return url


def webhook(hook, msg: Message) -> None:
    secret = _secret(hook) if hook.secret_env else None
    body = json.dumps(payload(hook.format, msg, secret), ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(webhook_url(hook), data=body, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8",
                                          "User-Agent": "briefing"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
        answer = resp.read(65536)
    # the bots answer HTTP 200 with an error code in the body (a wrong key, a missing keyword)
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return
    code = data.get("errcode", data.get("code", 0)) if isinstance(data, dict) else 0
    if code not in (0, None):
        raise RuntimeError(f"{code} {data.get('errmsg') or data.get('msg') or ''}".strip())


def _secret(hook) -> str:
    secret = os.environ.get(hook.secret_env or "", "")
    if not secret:
        raise ValueError(_("环境变量 {name} 未设置（签名密钥）").format(name=hook.secret_env))
    return secret


def _sign(key: str, data: bytes) -> str:
    return base64.b64encode(hmac.new(key.encode(), data, hashlib.sha256).digest()).decode()


# ---- e-mail ----------------------------------------------------------------------

def email(cfg, msg: Message) -> None:
    to = [cfg.to] if isinstance(cfg.to, str) else list(cfg.to)
    mail = EmailMessage()
    mail["Subject"] = msg.title
    mail["From"] = cfg.sender or f"briefing@{socket.getfqdn()}"
    mail["To"] = ", ".join(to)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="briefing")
    mail.set_content(msg.text)
    port = cfg.port or {"ssl": 465, "starttls": 587, "none": 25}[cfg.security]
    user, password = os.environ.get(cfg.user_env), os.environ.get(cfg.password_env)
    smtp_class = smtplib.SMTP_SSL if cfg.security == "ssl" else smtplib.SMTP
    with smtp_class(cfg.host, port, timeout=TIMEOUT) as smtp:
        if cfg.security == "starttls":
            smtp.starttls()
        if user and password:
            smtp.login(user, password)
        smtp.send_message(mail, to_addrs=to)


# ---- a command -------------------------------------------------------------------

def command(argv: list[str], msg: Message) -> None:
    env = {**os.environ, **{f"BRIEFING_{k.upper()}": "" if v is None else str(v) for k, v in msg.fields.items()}}
    done = subprocess.run(argv, input=msg.title + "\n" + msg.text + "\n", text=True, env=env, capture_output=True,
                          timeout=COMMAND_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(_("退出状态 {code}：{err}").format(code=done.returncode, err=done.stderr.strip()[:300]))


# ---- the last good configuration -------------------------------------------------
# When the YAML itself is broken, its `notify:` cannot be read — and that is
# exactly a failure someone must hear of. So every run that could read the
# schedule remembers its notify settings beside the history, and a run that
# cannot read them uses the remembered ones. The same file records the last
# run that was reported, so systemd's OnFailure= hook does not report it twice.

def state_path(output_dir, key: str):
    return Path(output_dir) / f".briefing-{hashlib.sha1(key.encode()).hexdigest()[:12]}.notify.json"


def remember(output_dir, key: str, config) -> None:
    state = _read_state(output_dir, key)
    state["notify"] = config.model_dump() if config is not None else None
    _write_state(output_dir, key, state)


def remembered(output_dir, key: str):
    data = _read_state(output_dir, key).get("notify")
    try:
        return Notify.model_validate(data) if data else None
    except ValueError:
        return None


def mark_reported(output_dir, key: str, run_id) -> None:
    state = _read_state(output_dir, key)
    state["reported_run"] = run_id
    _write_state(output_dir, key, state)


def reported(output_dir, key: str):
    return _read_state(output_dir, key).get("reported_run")


def _read_state(output_dir, key: str) -> dict:
    try:
        data = json.loads(state_path(output_dir, key).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_state(output_dir, key: str, state: dict) -> None:
    path = state_path(output_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
