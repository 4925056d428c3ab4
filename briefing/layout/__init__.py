"""The layout engine: Chinese line breaking, justification and platypus flowables.

Modules: chars (character classes, prohibition sets), inline (markup),
measure (cached glyph widths), breakrules (a paragraph's break opportunities,
glue and penalties), totalfit (Knuth–Plass breaking of justified paragraphs),
linebreak (greedy breaking, placement and justification; break_lines, pure),
emit (PDF text output), paragraph (CJKParagraph), style (TextStyle),
fontsetup (engine font names for tests and tools without bundled fonts).

Inline markup (CJKParagraph(text, style, markup=True)):
  **bold**            set in style.bold_font
  *emphasis*          着重号: a small dot under each Han character/letter;
                      with style.emphasis_font set, that font is used instead
  {color=#c00000}..{/color}   coloured text
  ^[1]                footnote mark, 0.6 size, raised 0.4 em, no Han-Latin space
  [text](https://..)  link annotation over the text, in style.link_color
A backslash escapes \\ * [ ] { } ^ ( ). Everything else is literal (no XML):
"<b>", "&amp;" and unbalanced markers print as typed.
"""
from briefing.layout.inline import parse_inline
from briefing.layout.linebreak import Line, break_lines
from briefing.layout.paragraph import CJKParagraph
from briefing.layout.style import TextStyle

__all__ = ["TextStyle", "CJKParagraph", "parse_inline", "break_lines", "Line"]
