"""The archive after scheduled builds (index.html, index.json, feed.atom), publish, retention,
notifications against a local HTTP server and a local SMTP server, and the install text."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from briefing import ContentError
from briefing.build import BuildResult
from briefing.content.schema import Schedule
from briefing.schedule import History, run_once, timing
from test_schedule import at, write_briefing

ATOM = "{http://www.w3.org/2005/Atom}"


class PdfBuild:
    """Stands in for build(): a real one-page PDF (ReportLab canvas, fast) titled like a briefing."""

    def __init__(self):
        self.calls = 0
        self.fail = False

    def __call__(self, path, output_dir, *, overrides, output_name, variables, formats=("pdf",), **_kw):
        from reportlab.pdfgen import canvas

        self.calls += 1
        self.formats = list(formats)
        if self.fail:
            raise ContentError("测试：数据文件第3行的数值无法识别")
        pdf = Path(output_dir) / output_name
        c = canvas.Canvas(str(pdf))
        c.setTitle(f"测试简报 {variables['period']['label']}")
        c.setAuthor("测试单位")
        c.drawString(72, 720, f"issue {overrides['issue']}")
        c.showPage()
        c.drawString(72, 720, "page 2")
        c.save()
        if "html" in formats:
            pdf.with_suffix(".html").write_text("<p>网页版</p>", encoding="utf-8")
        return BuildResult(pdf, 2, 0.01)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.images, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in ("img", "script") or (tag == "link" and a.get("rel") == "stylesheet"):
            self.images.append(a.get("src") or a.get("href"))

    def handle_data(self, data):
        self.text.append(data)


def _three_issues(tmp_path, schedule="preset: monthly\nfirst_issue: 7", builder=None, **kw):
    src = write_briefing(tmp_path / "b", schedule)
    out, builder = tmp_path / "out", builder or PdfBuild()
    fires = timing.next_fires(Schedule(preset="monthly"), at(2026, 9, 15), 3)
    outcomes = [run_once(src, out, now=t, builder=builder, **kw) for t in fires]
    assert [o.status for o in outcomes] == ["ok"] * 3, [o.message for o in outcomes]
    return src, out, outcomes


def test_the_index_lists_every_issue_after_three_scheduled_builds(tmp_path):
    _src, out, outcomes = _three_issues(tmp_path)
    page = Links()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    text = "".join(page.text)
    for o in outcomes:
        assert o.pdf.exists()                                   # nothing deleted: no keep set
        assert f"第{o.issue}期" in text and o.period.label in text
    assert [o.issue for o in outcomes] == [7, 8, 9]
    assert text.index("第9期") < text.index("第8期") < text.index("第7期")     # newest first
    assert "2 页" in text and "测试简报" in text
    # every link and image resolves to a file in the folder; nothing is fetched from elsewhere
    for ref in page.hrefs + page.images:
        assert not urlparse(ref).scheme and not ref.startswith("//"), ref
        assert (out / unquote(ref)).is_file(), ref
    pdf_links = {unquote(h) for h in page.hrefs if h.endswith(".pdf")}
    assert pdf_links == {o.pdf.name for o in outcomes}
    covers = [unquote(i) for i in page.images]
    assert len(covers) == 3
    from PIL import Image

    with Image.open(out / covers[0]) as im:      # page 1 of the PDF, as a thumbnail
        assert im.width == 240 and im.height > 300
    data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [(i["issue"], i["period"], i["pages"]) for i in data["issues"]] == \
        [(9, "2026年11月", 2), (8, "2026年10月", 2), (7, "2026年9月", 2)]
    feed = ET.parse(out / "feed.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    hrefs = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert all((out / unquote(h)).is_file() for h in hrefs)
    assert "第9期" in entries[0].find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "测试单位"


def test_other_formats_beside_the_pdf_are_linked(tmp_path):
    from briefing import archive

    _src, out, outcomes = _three_issues(tmp_path)
    stem = outcomes[-1].pdf.stem
    (out / f"{stem}.docx").write_bytes(b"PK")
    (out / f"{stem}.html").write_text("<p>x</p>", encoding="utf-8")
    for part in ("-2", "-1", "-10"):                      # a long image in three pieces
        (out / f"{stem}{part}.png").write_bytes(b"png")
    (out / f"{stem}-draft.txt").write_text("another file", encoding="utf-8")
    archive.write(out)
    page = Links()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    links = [unquote(h) for h in page.hrefs]
    assert {f"{stem}.docx", f"{stem}.html", f"{stem}-1.png"} <= set(links)
    pngs = [h for h in links if h.endswith(".png")]
    assert pngs == [f"{stem}-1.png", f"{stem}-2.png", f"{stem}-10.png"]
    assert f"{stem}-draft.txt" not in links
    text = "".join(page.text)
    assert "Word" in text and "网页" in text and "长图 1" in text and "长图 10" in text


def test_retention_is_opt_in_and_never_touches_published_copies(tmp_path):
    share = tmp_path / "b" / "share"        # inside the content folder: no --allow-outside needed
    builder = PdfBuild()
    _src, out, outcomes = _three_issues(tmp_path, "preset: monthly\nkeep: 1\npublish: [share]\nformats: [html]",
                                       builder)
    assert builder.formats == ["pdf", "html"]
    assert [o.pdf.exists() for o in outcomes] == [False, False, True]
    assert [o.pdf.with_suffix(".html").exists() for o in outcomes] == [False, False, True]   # editions go too
    assert [p.name for o in outcomes[1:] for p in o.deleted] == [outcomes[0].pdf.name, outcomes[1].pdf.name]
    page = Links()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    assert {unquote(h) for h in page.hrefs if h.endswith(".pdf")} == {outcomes[2].pdf.name}
    assert outcomes[2].pdf.with_suffix(".html").name in {unquote(h) for h in page.hrefs}
    assert sorted(p.name for p in share.glob("*.pdf")) == sorted(o.pdf.name for o in outcomes)
    assert len(list(share.glob("*.html"))) == 4           # every issue's web edition, and the index
    assert (share / "index.html").is_file() and (share / "feed.atom").is_file()


def test_publish_outside_the_folders_needs_the_command_line(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly\npublish: [../www]")
    out, fake = tmp_path / "out", PdfBuild()
    refused = run_once(src, out, now=at(2026, 11, 2), builder=fake)
    assert refused.status == "failed" and "--allow-outside" in refused.message
    assert "briefing.yaml:" in refused.message and "../www" in refused.message and fake.calls == 0
    from briefing.schedule.runner import dry_run

    told = dry_run(src, out, now=at(2026, 11, 2))
    assert told.status == "failed" and told.exit_code == 2 and "../www" in told.message
    assert dry_run(src, out, now=at(2026, 11, 2), allow_outside=True).status == "due"
    done = run_once(src, out, now=at(2026, 11, 2), builder=fake, allow_outside=True)
    assert done.status == "ok"
    www = tmp_path / "www"
    assert (www / done.pdf.name).read_bytes() == done.pdf.read_bytes()
    page = Links()
    page.feed((www / "index.html").read_text(encoding="utf-8"))
    assert all((www / unquote(h)).is_file() for h in page.hrefs + page.images)


# ---- notifications --------------------------------------------------------------------

class Hook(BaseHTTPRequestHandler):
    received: ClassVar[list] = []

    def do_POST(self):  # http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, json.loads(body)))
        answer = b'{"errcode": 0, "errmsg": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server():
    Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", Hook.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_server():
    controller_mod = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is in the test extra")
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    import socket

    with socket.socket() as probe:          # a free port (aiosmtpd's start-up check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = controller_mod.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox.messages
    controller.stop()


def _subject(mail) -> str:
    from email.header import decode_header, make_header

    return str(make_header(decode_header(mail["Subject"])))


def _notify(url, port, extra=""):
    return (f"preset: monthly\nnotify:\n  webhook:\n    - url: {url}/hook\n  email:\n    to: office@example.cn\n"
            f"    sender: briefing@example.cn\n    host: 127.0.0.1\n    port: {port}\n    security: none\n{extra}")


def test_a_failing_scheduled_build_sends_one_webhook_and_one_mail_and_keeps_the_previous_issue(
        tmp_path, webhook_server, smtp_server):
    url, posts = webhook_server
    port, mails = smtp_server
    src = write_briefing(tmp_path / "b", _notify(url, port))
    out, fake = tmp_path / "out", PdfBuild()
    good = run_once(src, out, now=at(2026, 11, 2), builder=fake)
    assert good.status == "ok" and posts == [] and mails == []       # success is not reported by default
    before = good.pdf.read_bytes()
    fake.fail = True
    bad = run_once(src, out, now=at(2026, 12, 2), builder=fake)
    assert bad.status == "failed" and bad.exit_code == 2
    assert len(posts) == 1 and len(mails) == 1
    path, body = posts[0]
    assert path == "/hook" and body["event"] == "failed" and body["issue"] == 2
    assert body["period"] == "2026年11月" and "数据文件第3行" in body["error"]
    assert body["previous"] == str(good.pdf)
    mail = mails[0]
    assert "简报生成失败" in _subject(mail) and "第2期" in _subject(mail) and mail["To"] == "office@example.cn"
    text = mail.get_payload(decode=True).decode("utf-8")
    assert "数据文件第3行" in text and good.pdf.name in text
    assert good.pdf.read_bytes() == before                    # the previous issue is untouched
    assert sorted(p.name for p in out.glob("*.pdf")) == [good.pdf.name]


def test_a_broken_yaml_is_reported_with_the_last_good_settings(tmp_path, webhook_server, smtp_server):
    url, posts = webhook_server
    port, mails = smtp_server
    src = write_briefing(tmp_path / "b", _notify(url, port))
    out = tmp_path / "out"
    assert run_once(src, out, now=at(2026, 11, 2), builder=PdfBuild()).status == "ok"
    src.write_text(src.read_text(encoding="utf-8") + "  - [unclosed\n", encoding="utf-8")
    bad = run_once(src, out, now=at(2026, 12, 2), builder=PdfBuild())
    assert bad.status == "failed" and len(posts) == 1 and len(mails) == 1
    assert "briefing.yaml" in posts[0][1]["error"]


def test_success_is_reported_when_asked(tmp_path, webhook_server, smtp_server):
    url, posts = webhook_server
    port, mails = smtp_server
    src = write_briefing(tmp_path / "b", _notify(url, port, "  when: always\n"))
    done = run_once(src, tmp_path / "out", now=at(2026, 11, 2), builder=PdfBuild())
    assert done.status == "ok" and [p[1]["event"] for p in posts] == ["ok"] and len(mails) == 1
    assert posts[0][1]["pdf"] == str(done.pdf) and "简报已生成" in _subject(mails[0])
    # an unchanged re-run is skipped and says nothing
    assert run_once(src, tmp_path / "out", now=at(2026, 11, 3), builder=PdfBuild()).status == "skipped"
    assert len(posts) == 1 and len(mails) == 1


@pytest.mark.parametrize("fmt", ["wecom", "dingtalk", "feishu"])
def test_chat_bot_formats(tmp_path, webhook_server, monkeypatch, fmt):
    url, posts = webhook_server
    monkeypatch.setenv("BOT_URL", f"{url}/robot/send?access_token=abc")
    monkeypatch.setenv("BOT_SECRET", "SECabc")
    src = write_briefing(tmp_path / "b", f"preset: monthly\nnotify:\n  webhook:\n    url_env: BOT_URL\n"
                                         f"    format: {fmt}\n    secret_env: BOT_SECRET\n")
    fake = PdfBuild()
    fake.fail = True
    assert run_once(src, tmp_path / "out", now=at(2026, 11, 2), builder=fake).status == "failed"
    assert len(posts) == 1
    path, body = posts[0]
    query = parse_qs(urlparse(path).query)
    if fmt == "feishu":
        assert body["msg_type"] == "text" and "简报生成失败" in body["content"]["text"]
        assert body["timestamp"] and body["sign"]
    else:
        assert body["msgtype"] == "text" and "简报生成失败" in body["text"]["content"]
        assert "数据文件第3行" in body["text"]["content"]
    if fmt == "dingtalk":
        import base64
        import hashlib
        import hmac

        ts = query["timestamp"][0]
        expected = base64.b64encode(hmac.new(b"SECabc", f"{ts}\nSECabc".encode(), hashlib.sha256).digest()).decode()
        assert query["sign"] == [expected] and query["access_token"] == ["abc"]


def test_a_notify_command_needs_the_command_line_and_gets_the_message(tmp_path):
    marker = tmp_path / "said.txt"
    cmd = [sys.executable, "-c", f"import os,sys; open({str(marker)!r},'w').write(os.environ['BRIEFING_EVENT'] + sys.stdin.read())"]
    src = write_briefing(tmp_path / "b", "preset: monthly\nnotify:\n  command: " + json.dumps(cmd))
    fake = PdfBuild()
    fake.fail = True
    refused = run_once(src, tmp_path / "out", now=at(2026, 11, 2), builder=fake)
    assert refused.status == "failed" and "notify.command" in refused.message and fake.calls == 0
    run_once(src, tmp_path / "out", now=at(2026, 11, 2), builder=fake, allow_outside=True)
    said = marker.read_text(encoding="utf-8")
    assert said.startswith("failed") and "简报生成失败" in said and "数据文件第3行" in said


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "briefing", *map(str, args)], capture_output=True, text=True, **kw)


def test_on_failure_reporter_does_not_report_twice(tmp_path, webhook_server):
    url, posts = webhook_server
    src = write_briefing(tmp_path / "b", f"preset: monthly\nnotify:\n  webhook: {{url: {url}/x}}\n")
    out = tmp_path / "out"
    fake = PdfBuild()
    fake.fail = True
    run_once(src, out, now=at(2026, 11, 2), builder=fake)
    assert len(posts) == 1
    already = _cli("schedule", "notify", src, "-o", out, "--unit", "briefing-b.service")
    assert already.returncode == 0 and len(posts) == 1
    # a run that died without recording itself (killed): the hook reports it
    History(out / ".briefing-history.sqlite").add(History(out / ".briefing-history.sqlite").runs()[-1].__class__(
        str(src.resolve()), "regular", "2026-12-01T08:00:00+08:00", "skipped"))
    died = _cli("schedule", "notify", src, "-o", out, "--unit", "briefing-b.service")
    assert died.returncode == 0, died.stderr
    assert len(posts) == 2 and "briefing-b.service" in posts[1][1]["error"]


def test_install_has_on_failure_and_a_log_folder_for_cron(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly\npublish: [/srv/www/jianbao]")
    out = tmp_path / "new" / "out"
    inst = _cli("schedule", "install", src, "-o", out)
    assert inst.returncode == 0, inst.stderr
    cron = next(line for line in inst.stdout.splitlines() if line.startswith("0 8 1 * * "))
    assert f"mkdir -p {out}" in cron and f">> {out}/schedule.log" in cron and "--allow-outside" in cron
    assert "OnFailure=briefing-b-failed.service" in inst.stdout and "SuccessExitStatus=75" in inst.stdout
    assert "schedule notify" in inst.stdout and "--unit briefing-b.service" in inst.stdout
    # the cron command itself works from a shell, creating the log folder on the first run
    command = cron.split(" ", 5)[5]
    env = {"PATH": "/usr/bin:/bin", "BRIEFING_CACHE_DIR": str(tmp_path / "c"), "LANG": "C.UTF-8"}
    ran = subprocess.run(["sh", "-c", command.replace(" schedule once ", " schedule once --dry-run ")],
                         env=env, capture_output=True, text=True)
    assert ran.returncode == 0 and "将生成" in (out / "schedule.log").read_text(encoding="utf-8")


# ---- the page in a real browser ------------------------------------------------------------

def test_the_index_page_in_headless_chromium(tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium installed (Debian package chromium)")
    _src, out, _outcomes = _three_issues(tmp_path)
    shot = tmp_path / "phone.png"
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          "--window-size=390,900", f"--screenshot={shot}", (out / "index.html").as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert shot.is_file(), run.stderr
    from PIL import Image

    with Image.open(shot) as im:
        rgb = im.convert("RGB")
        assert rgb.size == (390, 900)
        # the page drew: the red masthead rule and the covers (white pages with grey type) are there
        colours = rgb.getcolors(390 * 900)
        reds = sum(n for n, (r, g, b) in colours if r > 150 and g < 60 and b < 60)
        assert reds > 500, "no masthead colour: the page did not render"
        # nothing spills sideways on a phone: the right edge column is page background or card
        edge = [rgb.getpixel((388, y)) for y in range(0, 900, 10)]
        assert all(min(p) > 200 for p in edge), edge
