"""Make the engine's font names available to ReportLab.

Uses the bundled fonts (briefing.fonts) when present; otherwise (tests,
benchmarks, a checkout without fonts) registers a system CJK TrueType font
under the same names, so the engine itself only ever deals in font names.
"""
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefing.fonts import register_reportlab_fonts, registered

NAMES = {"serif": "BriefingSerif", "serif-bold": "BriefingSerif-Bold",
         "sans": "BriefingSans", "sans-bold": "BriefingSans-Bold"}
_FALLBACKS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/truetype/arphic/uming.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"]


def ensure_fonts() -> dict[str, str]:
    """Register the four engine fonts; returns {role: ReportLab font name}."""
    try:
        return register_reportlab_fonts()
    except Exception:  # noqa: BLE001 - fonts not built yet: fall back to a system font
        pass
    if all(registered(n) for n in NAMES.values()):
        return dict(NAMES)
    path = next((p for p in _FALLBACKS if Path(p).exists()), None)
    if path is None:
        raise RuntimeError("no CJK TrueType font: build fonts/ or install fonts-wqy-microhei")
    for name in NAMES.values():
        if not registered(name):
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return dict(NAMES)
