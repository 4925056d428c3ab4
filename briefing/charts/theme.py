"""The look of the charts: palette, type size and colours."""
from __future__ import annotations

from dataclasses import dataclass, fields

# A sober statistics-bulletin palette: deep blue first, then red (the usual
# colour for a growth-rate line), then muted companions.
DEFAULT_PALETTE = (
    "#2f5597",  # deep blue
    "#c0392b",  # red
    "#e59a2f",  # amber
    "#7fa7d6",  # light blue
    "#5b8c5a",  # green-grey
    "#8e6c9e",  # violet
    "#3aa0a6",  # teal
    "#a5a5a5",  # grey
)


@dataclass(frozen=True)
class ChartTheme:
    """Frozen and hashable; built by the integrator from the briefing theme.

    ``font_family`` is a matplotlib family name as returned by
    ``briefing.fonts.register_matplotlib_fonts()`` (or one of its keys,
    "sans"/"serif"). ``font_size`` is the tick/legend size in points; data
    labels are set slightly smaller.
    """

    palette: tuple[str, ...] = DEFAULT_PALETTE
    font_size: float = 9.0
    text_color: str = "#222222"
    grid_color: str = "#d0d0d0"
    negative_color: str = "#2e7d32"
    font_family: str = "Briefing Sans SC"
    axis_color: str = "#555555"
    label_size_ratio: float = 0.9

    def __post_init__(self) -> None:
        # accept a list from YAML/JSON and keep the dataclass hashable
        if not isinstance(self.palette, tuple):
            object.__setattr__(self, "palette", tuple(self.palette))
        if not self.palette:
            object.__setattr__(self, "palette", DEFAULT_PALETTE)
        object.__setattr__(self, "font_size", float(self.font_size))

    def as_key(self) -> dict:
        """A JSON-able description (for the cache key)."""
        return {f.name: (list(getattr(self, f.name)) if f.name == "palette" else getattr(self, f.name))
                for f in fields(self)}

    @property
    def label_size(self) -> float:
        return round(self.font_size * self.label_size_ratio, 2)


__all__ = ["ChartTheme", "DEFAULT_PALETTE"]
