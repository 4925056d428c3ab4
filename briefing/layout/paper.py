"""Text as it prints on paper: colour and links as the theme says.

A 简报 is printed and read in black (GB/T 9704): with `text.colors: false` a
`{color=…}` span is set in the text colour and marked as `text.color_emphasis`
says (bold, 着重号 dots, or plain). A link's target is invisible on paper, so
`text.link_style` prints it after the link text (`inline`), as a raised number
with the address in a note at the end of the section (`footnote`), or not at
all (`none`); the PDF keeps the live link in every case.
"""
from __future__ import annotations

from dataclasses import replace

from .inline import PLAIN, Run, RunStyle
from .style import TextStyle

LINK_STYLES = ("footnote", "inline", "none")
COLOR_EMPHASIS = ("bold", "dots", "plain")


def for_paper(runs: list[Run], style: TextStyle) -> list[Run]:
    """The runs of one paragraph with colours and links as the style's theme prints them."""
    out: list[Run] = []
    for i, run in enumerate(runs):
        rs = run.style
        if rs.color and not style.colors:
            rs = _uncoloured(rs, style.color_emphasis)
        out.append(Run(run.text, rs) if rs is not run.style else run)
        if rs.link and not _same_link(runs, i):
            out += _target(rs, style)
    return out


def _uncoloured(rs: RunStyle, emphasis: str) -> RunStyle:
    if emphasis == "bold":
        return replace(rs, color=None, bold=True)
    if emphasis == "dots":
        return replace(rs, color=None, emph=True)
    return replace(rs, color=None)


def _same_link(runs: list[Run], i: int) -> bool:
    """The link goes on in the next run (a bold word inside the link text): the target follows that one."""
    return i + 1 < len(runs) and runs[i + 1].style.link == runs[i].style.link


def _target(rs: RunStyle, style: TextStyle) -> list[Run]:
    url = rs.link or ""
    shown = url[len("mailto:"):] if url.startswith("mailto:") else url
    plain = RunStyle(link=url)
    if style.link_style == "inline":
        return [Run("（", PLAIN), Run(shown, plain), Run("）", PLAIN)]
    if style.link_style == "footnote" and style.notes is not None:
        style.notes.append(shown)
        return [Run(str(len(style.notes)), RunStyle(sup=True))]
    return []
