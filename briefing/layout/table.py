"""Data tables: header repeated on every page, numbers right-aligned on a common decimal count."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from .. import fmt
from ..errors import ContentError
from ..i18n import _
from .paragraph import CJKParagraph


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _decimals(values: list) -> int:
    """The decimals a numeric column shows: the most any value needs, at most 2."""
    most = 0
    for v in values:
        if isinstance(v, float):
            text = f"{v:.6f}".rstrip("0")
            most = max(most, len(text.split(".")[1]) if "." in text else 0)
    return min(most, 2)


def data_table(ds, spec, width: float, theme) -> Table:
    names = spec.columns or ds.names
    for n in names:
        ds.column(n, context=_("（表格“{t}”）").format(t=spec.title or ds.name))
    cols = [ds.columns[n] for n in names]
    numeric = [all(_is_number(v) or v is None for v in c) and any(_is_number(v) for v in c) for c in cols]
    decimals = [spec.decimals if spec.decimals is not None else _decimals(c) for c in cols]
    head_style, cell_style = theme.style("table_head"), theme.style("table")
    right = theme.style("table", align="right")
    rows = [[CJKParagraph(str(n), head_style, markup=False) for n in names]]
    for r in range(len(ds)):
        row = []
        for c, values in enumerate(cols):
            v = values[r]
            if v is None:
                row.append(CJKParagraph("—", theme.style("table", align="center"), markup=False))
            elif numeric[c]:
                row.append(CJKParagraph(fmt.number(v, decimals[c]), right, markup=False))
            else:
                row.append(CJKParagraph(str(v), cell_style, markup=False))
        rows.append(row)
    if len(rows) == 1:
        raise ContentError(_("表格“{t}”没有数据行").format(t=spec.title or ds.name), ds.where)
    widths = _column_widths(names, cols, width, cell_style.size)
    accent = colors.HexColor(theme.color("accent"))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, accent),
        ("LINEBELOW", (0, -1), (-1, -1), 1.2, accent),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6e9e6")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f7f7")]),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _column_widths(names, cols, width: float, size: float, pad: float = 10.0) -> list[float]:
    """Share the width by each column's longest text, so labels wrap least.

    Numbers and short cells (units, ≤ 4 characters) never break: in a narrow
    column (专刊) those columns get their full width first and the text
    columns share what is left.
    """
    def ems(v) -> float:
        text = fmt.number(v) if _is_number(v) else str(v)
        return sum(0.55 if ch.isascii() else 1.0 for ch in text)

    need = [max([ems(n)] + [ems(v) for v in c if v is not None]) + 1.0 for n, c in zip(names, cols)]
    total = sum(need)
    share = [width * n / total for n in need]
    longest = [max([ems(v) for v in c if v is not None], default=0) for c in cols]
    rigid = [all(_is_number(v) or v is None for v in c) or lg <= 4 for c, lg in zip(cols, longest)]
    least = [(max(lg, min(ems(n), 4)) + 0.5) * size + pad if r else 0.0
             for n, lg, r in zip(names, longest, rigid)]
    if all(w >= m for w, m in zip(share, least)):
        return share
    flexible = [i for i, r in enumerate(rigid) if not r]
    left = width - sum(least)
    if not flexible or left < len(flexible) * (3 * size + pad):
        return share
    flex_need = sum(need[i] for i in flexible)
    return [least[i] if rigid[i] else left * need[i] / flex_need for i in range(len(cols))]
