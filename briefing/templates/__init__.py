"""Stage 5 — templates: page forms (简报, 专刊, report) defined as data in YAML."""
from .theme import Theme, available, load_theme

__all__ = ["Theme", "available", "load_theme"]
