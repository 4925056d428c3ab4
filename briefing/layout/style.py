"""TextStyle: everything the engine needs to set one kind of text."""
from dataclasses import dataclass


@dataclass
class TextStyle:
    font: str = "BriefingSerif"          # ReportLab font names, never paths
    bold_font: str = "BriefingSerif-Bold"
    size: float = 10.5                   # pt; 1 em
    leading: float = 18.0                # pt; constant line pitch (R9)
    color: str = "#000000"
    align: str = "justify"               # "justify" | "left" | "center" | "right"
    first_indent: float = 2.0            # em (R8)
    hanlatin: bool = True                # 1/4 em Han–Latin spacing (R7)
    space_before: float = 0.0            # pt (headings); body paragraphs use 0
    space_after: float = 0.0
    pitch: float = 0.0                   # pt per character on a character grid (0: the font's advance)
    emphasis_font: str | None = None     # None: *emphasis* is drawn as 着重号 dots
    link_color: str = "#1f4e9a"
    colors: bool = True                  # False: {color=…} spans print in `color`, marked by color_emphasis
    color_emphasis: str = "bold"         # "bold" | "dots" (着重号) | "plain"
    link_style: str = "none"             # "inline" (target in brackets) | "footnote" | "none" (themes: inline)
    notes: list[str] | None = None           # footnote targets of the document, numbered in order of appearance
    max_stretch: float = 0.5             # em per gap, greedy breaking (not justified, or the fallback):
                                         # beyond this a line is reflowed (push-in) if it can be
    lone_tail: bool = True               # R12: pull a character down so the last line has >= 2
    widows: bool = True                  # R12 at splits: no single first/last line at a frame edge
