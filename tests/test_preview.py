"""`briefing preview`: chosen pages of a PDF as PNG images of the page's size at the asked resolution."""
from __future__ import annotations

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from briefing.cli import main
from briefing.preview import parse_pages


def test_chosen_pages_become_pngs_of_the_page_size(sample_build, tmp_path, capsys):
    out = tmp_path / "png"
    assert main(["preview", str(sample_build.pdf), "--pages", "1,2-3", "--dpi", "36", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    stem = sample_build.pdf.stem
    assert printed == [str(out / f"{stem}-{n}.png") for n in (1, 2, 3)]
    pages = PdfReader(sample_build.pdf).pages
    images = [Image.open(p).convert("L") for p in printed]
    for image, page in zip(images, pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(image.width - width / 2) <= 1 and abs(image.height - height / 2) <= 1     # 36 dpi = half a point
        dark = sum(image.histogram()[:128])
        assert 0.001 < dark / (image.width * image.height) < 0.5          # printed on, not blank, not black
    assert ImageChops.difference(images[0], images[1]).getbbox() is not None   # two different pages


def test_every_page_without_pages(sample_build, tmp_path, capsys):
    out = tmp_path / "all"
    assert main(["preview", str(sample_build.pdf), "--dpi", "10", "-o", str(out), "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{sample_build.pdf.stem}-{n}.png" for n in range(1, sample_build.pages + 1))


@pytest.mark.parametrize("pages, words", [
    ("x", "页码“x”无效"), ("2-1", "页码“2-1”超出范围"), ("0", "页码“0”超出范围"), ("1,99", "页码“99”超出范围（共"),
])
def test_pages_that_do_not_exist_are_refused(sample_build, tmp_path, capsys, pages, words):
    out = tmp_path / "png"
    assert main(["preview", str(sample_build.pdf), "--pages", pages, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err, err
    assert not out.exists() or not any(out.iterdir())


def test_a_missing_file_or_one_that_is_no_pdf_is_refused(tmp_path, capsys):
    assert main(["preview", str(tmp_path / "none.pdf"), "-o", str(tmp_path / "png")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    (tmp_path / "text.pdf").write_text("不是 PDF", encoding="utf-8")
    assert main(["preview", str(tmp_path / "text.pdf"), "-o", str(tmp_path / "png")]) == 2
    err = capsys.readouterr().err
    assert "无法打开 PDF" in err and "text.pdf" in err and "Traceback" not in err, err


def test_page_ranges_read_as_written():
    assert parse_pages("3, 1-2,5", 5) == [3, 1, 2, 5]
    assert parse_pages(None, 3) == [1, 2, 3]
