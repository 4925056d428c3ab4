"""The layout engine: Chinese line breaking, justification and platypus flowables."""
from briefing.layout.inline import parse_inline
from briefing.layout.linebreak import Line, break_lines
from briefing.layout.paragraph import CJKParagraph
from briefing.layout.style import TextStyle

__all__ = ["TextStyle", "CJKParagraph", "parse_inline", "break_lines", "Line"]
