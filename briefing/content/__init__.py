"""Stage 1 — content: load the YAML (includes, overrides), validate it, remember positions."""
from .load import Content, load

__all__ = ["Content", "load"]
