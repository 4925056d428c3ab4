"""The command line's manners: which briefing `build` picks, where -o/--name write, --version,
-q/-v, options before or after the command, argparse's own words in the chosen language,
shell completion and exit statuses — in Chinese and in English."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

import briefing
from briefing.build import SAMPLE
from briefing.cli import main
from briefing.i18n import set_language


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    set_language(None)        # main() sets the language for the process; later tests expect the default


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    """A starter briefing made by `briefing new`, built once into output/ from inside its folder."""
    folder = tmp_path_factory.mktemp("cli") / "demo"
    assert main(["new", str(folder), "-q"]) == 0
    return folder


def _text(pdf) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


# ---- which briefing, and where it goes ---------------------------------------------------

@pytest.mark.parametrize("lang, words", [("zh", ["当前目录没有 briefing.yaml", "briefing new", "--sample"]),
                                         ("en", ["no briefing.yaml in the current folder", "briefing new",
                                                 "--sample"])])
def test_build_in_an_empty_folder_says_how_to_start(tmp_path, monkeypatch, capsys, lang, words):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--lang", lang]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []          # nothing written


def test_build_in_the_folder_builds_its_briefing_yaml(starter, monkeypatch, capsys):
    monkeypatch.chdir(starter)
    assert main(["build"]) == 0
    out = capsys.readouterr().out.splitlines()
    pdf = starter / "output" / "briefing.pdf"
    assert out[0] == str(pdf.relative_to(starter))
    assert "工作简报" in _text(pdf)              # the starter's title, not the 22-page sample
    assert len(PdfReader(pdf).pages) < 5


def test_dash_o_with_a_pdf_name_writes_that_file(starter, monkeypatch, capsys):
    monkeypatch.chdir(starter)
    assert main(["-q", "build", "-o", "issues/2026-11.pdf"]) == 0
    target = starter / "issues" / "2026-11.pdf"
    assert target.is_file() and not (starter / "issues" / "2026-11.pdf" / "briefing.pdf").exists()
    assert "工作简报" in _text(target)
    assert capsys.readouterr().out == ""        # -q: nothing but warnings and errors


def test_name_gets_pdf_added(starter, monkeypatch, capsys):
    monkeypatch.chdir(starter)
    assert main(["build", "--name", "第1期", "-o", "named", "-q"]) == 0
    assert [p.name for p in (starter / "named").iterdir()] == ["第1期.pdf"]
    assert PdfReader(starter / "named" / "第1期.pdf").pages


@pytest.mark.parametrize("lang, argv, word", [
    ("zh", ["-o", "x.pdf", "--name", "y"], "不能再用 --name"),
    ("en", ["-o", "x.pdf", "--name", "y"], "--name cannot be used"),
    ("zh", ["--name", "../y"], "只能是文件名"),
    ("en", ["--name", "sub/y"], "must be a file name"),
    ("zh", ["--sample", "briefing.yaml"], "不能同时给出"),
    ("en", ["--sample", "briefing.yaml"], "either a content file or --sample"),
])
def test_conflicting_output_options_are_refused(starter, monkeypatch, capsys, lang, argv, word):
    monkeypatch.chdir(starter)
    before = sorted(p.name for p in starter.iterdir())
    assert main(["build", *argv, "--lang", lang]) == 2
    assert word in capsys.readouterr().err
    assert sorted(p.name for p in starter.iterdir()) == before


def test_new_sample_copies_the_full_sample(tmp_path, monkeypatch, capsys):
    assert main(["new", str(tmp_path / "s"), "--sample"]) == 0
    copied = tmp_path / "s"
    assert (copied / "briefing.yaml").read_bytes() == SAMPLE.read_bytes()
    assert {p.name for p in (copied / "sections").iterdir()} == \
        {p.name for p in (SAMPLE.parent / "sections").iterdir()}
    monkeypatch.chdir(copied)
    assert main(["validate"]) == 0
    assert "内容有效" in capsys.readouterr().out


# ---- version, quiet, verbose, options anywhere -------------------------------------------

def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"briefing {briefing.__version__}" == f"briefing {version('briefing')}"


@pytest.mark.parametrize("argv, words", [
    (["--lang", "en", "-v", "build"], ["pages in", "Typesetting", "charts"]),
    (["build", "-v", "--lang", "en"], ["pages in", "Typesetting", "charts"]),
    (["-v", "build", "--lang=zh"], ["页，用时", "排版", "张图表"]),
])
def test_verbose_shows_stage_times_in_either_position(starter, monkeypatch, capsys, argv, words):
    monkeypatch.chdir(starter)
    assert main([*argv, "-o", "verbose"]) == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out


@pytest.mark.parametrize("argv", [["--lang", "en", "validate", "nowhere.yaml"],
                                  ["validate", "nowhere.yaml", "--lang", "en"],
                                  ["validate", "--lang=en", "nowhere.yaml"]])
def test_lang_before_or_after_the_command(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error:") and "nowhere.yaml" in err


# ---- argparse's own words ----------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [
    ("zh", ["用法：briefing build", "位置参数", "选项", "显示本帮助并退出", "通用选项", "只显示警告和错误"]),
    ("en", ["usage: briefing build", "positional arguments", "options:", "show this help message and exit",
            "common options", "show only warnings and errors"]),
])
def test_help_is_in_one_language(capsys, lang, words):
    with pytest.raises(SystemExit) as e:
        main(["build", "--help", "--lang", lang])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out
    if lang == "zh":
        assert "usage" not in out and "show this" not in out


@pytest.mark.parametrize("command", ["build", "validate", "watch"])
def test_template_help_names_the_bundled_and_the_users_templates(tmp_path, monkeypatch, capsys, command):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "lvse.yaml").write_text("extends: jianbao\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = "".join(capsys.readouterr().out.split())      # argparse wraps the help text
    option = text[text.index("--templateNAME"):]
    for name in ("jianbao", "zhuankan", "report", "templates/", "--template-dir", "当前目录的templates/中有：lvse"):
        assert name in option, option


@pytest.mark.parametrize("argv, zh, en", [
    (["buidl"], "无效的取值 'buidl'", "invalid choice: 'buidl'"),
    (["preview"], "缺少必需的参数：pdf", "the following arguments are required: pdf"),
    (["preview", "x.pdf", "--dpi", "many"], "无效的 int 值：'many'", "invalid int value: 'many'"),
    (["build", "-o"], "需要一个值", "expected one argument"),
    (["build", "--bogus"], "无法识别的参数：--bogus", "unrecognized arguments: --bogus"),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_usage_errors_exit_2_in_the_chosen_language(capsys, argv, zh, en, lang):
    with pytest.raises(SystemExit) as e:
        main([*argv, "--lang", lang])
    assert e.value.code == 2
    err = capsys.readouterr().err
    if lang == "zh":
        assert err.startswith("用法：briefing") and "：错误：" in err and zh in err
    else:
        assert err.startswith("usage: briefing") and ": error: " in err and en in err


# ---- completion --------------------------------------------------------------------------

@pytest.mark.skipif(not shutil.which("bash"), reason="bash is not installed")
@pytest.mark.parametrize("words, expected", [
    ("briefing bu", {"build"}),
    ("briefing build --sa", {"--sample"}),
    ("briefing schedule ", {"run", "next", "once", "install"}),
])
def test_bash_completion_completes_commands_and_options(tmp_path, capsys, words, expected):
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "briefing.bash"
    script.write_text(capsys.readouterr().out, encoding="utf-8")
    words_list = words.split() + ([""] if words.endswith(" ") else [])
    array = " ".join(f"'{w}'" for w in words_list)
    probe = (f"source {script}\nCOMP_LINE='{words}'\nCOMP_POINT={len(words)}\n"
             f"COMP_WORDS=({array})\nCOMP_CWORD={len(words_list) - 1}\n"
             "_shtab_briefing briefing\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert expected <= {w.strip() for w in done.stdout.split()}, done.stdout
