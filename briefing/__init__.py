"""briefing: YAML + data tables -> a typeset Simplified-Chinese PDF briefing with charts.

    from briefing import build
    result = build("content/briefing.yaml", "output")
    print(result.pdf, result.pages, result.seconds)

Stages, one folder each: content/ (load + validate) -> data/ (sources, bound
text) -> charts/ -> layout/ (the Chinese layout engine) -> templates/ (page
forms as data) -> pdf/. build.py runs them in that order.
"""
from .build import BuildResult, build
from .errors import ContentError

__all__ = ["build", "BuildResult", "ContentError"]
__version__ = "0.1.0"
