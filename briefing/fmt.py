"""zh_CN formatting of numbers, percentages, 万/亿 amounts, dates and labels.

Shared by the charts and the text templates so that a number reads the same
in a sentence, a table cell and a chart label.

Numbers go through babel's CLDR data for ``zh_CN`` (decimal point ``.``).
Rounding is 四舍五入 (half-up on the decimal value that the float prints as),
as in Chinese statistical publications, not babel's default banker's
rounding: ``number(2.25, 1) == "2.3"``.

The rules a whole document follows (docs/content.md, "Numbers"):

- **Places as written.** A number read from a data file keeps the decimal
  places its source wrote: CSV text "151" prints 151, "41.1" prints 41.1,
  "15.0" prints 15.0 (a ``Written`` float carries the count; XLSX cells take
  it from their number format). Integers never gain ".0". A ``decimals``
  setting (table, chart) or an explicit ``num(1)`` overrides it.
- **Percentages** follow the same rule: ``pct`` prints the places the data
  wrote. A percentage computed in the briefing (a share, a growth rate) that
  carries no places of its own gets one decimal. The sign is the half-width
  ``%`` right after the number. ``numbers: {percent_decimals: N}`` forces N
  places on every percentage of the document.
- **Digit grouping** after GB/T 15835-2011: four-digit numbers are not
  grouped; from 10,000 on, groups of three are separated by ``,``. The
  document's ``numbers:`` mapping changes this (``group_from: 1000`` or
  ``0`` for never; ``separator: thin`` for a thin space as in technical
  publications). ``number_style()`` sets it for the build.

babel is imported eagerly: ``import babel.numbers, babel.dates`` takes about
15 ms and the first zh_CN lookup about 9 ms (measured), so laziness buys nothing.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers

LOCALE = "zh_CN"
_ZH = Locale.parse(LOCALE)    # parsed once: babel parses a locale name on every call (≈2 ms each)
MISSING = "—"          # shown for a missing value (None / NaN)
_PERCENT_SIGN = Locale.parse(LOCALE).number_symbols["latn"]["percentSign"]
# parsed once: babel parses a locale name on every call otherwise (about 20 times slower per number)
_LOC = Locale.parse(LOCALE)


class Written(float):
    """A float that remembers how many decimal places its source wrote ("15.0" -> 1)."""

    __slots__ = ("places",)
    places: int

    def __new__(cls, value, places: int):
        obj = float.__new__(cls, value)
        obj.places = int(places)
        return obj

    def __reduce__(self):
        return (Written, (float(self), self.places))


def written(text: str) -> int | float:
    """A number as the text writes it: "151" -> 151, "41.1" -> Written(41.1, 1).

    Raises ValueError when the text is not a plain decimal number.
    """
    plain = text.strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+", plain):
        if plain.startswith("-") and int(plain) == 0:
            return Written(-0.0, 0)     # "-0" keeps its sign in print (an int cannot)
        return int(plain)
    m = re.fullmatch(r"[+-]?(\d*)\.(\d+)", plain)
    if m and (m.group(1) or m.group(2)):
        return Written(float(plain), len(m.group(2)))
    value = float(plain)        # 1e5, inf, nan: no places written
    return value


def places_of(value) -> int | None:
    """Decimal places a value is written with: its own for Written, 0 for int, None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Written):
        return value.places
    if isinstance(value, int):
        return 0
    return None


@dataclass(frozen=True)
class NumberStyle:
    """A document's number rules (the `numbers:` mapping of a briefing)."""

    group_from: int = 10000          # group digits from this magnitude on; 0 = never
    separator: str = ","             # "," or a thin space
    percent_decimals: int | None = None

    def as_key(self) -> tuple:
        return (self.group_from, self.separator, self.percent_decimals)


SEPARATORS = {",": ",", "thin": "\u2009", "space": "\u2009", "none": ""}
# a ContextVar, not a global: builds running in threads (a Dask worker) each keep their own style
_STYLE: ContextVar[NumberStyle] = ContextVar("number_style", default=NumberStyle())  # noqa: B039 - frozen


def current_style() -> NumberStyle:
    return _STYLE.get()


def use_style(style: NumberStyle | None) -> None:
    """Use ``style`` from now on in the current context (build() runs in a context of its own)."""
    _STYLE.set(style or NumberStyle())


@contextmanager
def number_style(style: NumberStyle | None):
    """Use ``style`` for every number formatted inside the block (one build)."""
    token = _STYLE.set(style or NumberStyle())
    try:
        yield _STYLE.get()
    finally:
        _STYLE.reset(token)


def _to_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):          # includes numpy.float64
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            return None
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(int(value))
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValueError(f"not a number: {value!r}") from None


def _round(d: Decimal, decimals: int) -> Decimal:
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)          # no "-0.0"
    return q


def number(value, decimals: int | None = None) -> str:
    """``1054.5 -> "1054.5"``, ``23000 -> "23,000"``; ``decimals`` fixes the places.

    Without ``decimals`` a value keeps the places it was written with (see
    ``Written``), an int has none, and any other float keeps its own places
    up to three. Digits are grouped per the document's ``NumberStyle``.
    None/NaN gives "—".
    """
    d = _to_decimal(value)
    if d is None:
        return MISSING
    if decimals is None:
        decimals = places_of(value)
        if decimals is not None and d == 0 and d.is_signed():
            # written "-0" or "-0.0": a statistics table's sign for a decline that rounds to nothing
            return "-" + _grouped(_round(d, decimals), decimals)
    if decimals is None:
        d = _round(d, 3).normalize() if d != 0 else Decimal(0)
        exp = d.as_tuple().exponent
        decimals = -exp if isinstance(exp, int) and exp < 0 else 0
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    d = _round(d, decimals)
    return _grouped(d, decimals)


def _grouped(d: Decimal, decimals: int) -> str:
    style = _STYLE.get()
    group = bool(style.group_from) and abs(d) >= style.group_from
    pattern = ("#,##0" if group else "0") + ("." + "0" * decimals if decimals else "")
    text = _numbers.format_decimal(d, format=pattern, locale=_LOC)
    if group and style.separator != ",":
        text = text.replace(",", SEPARATORS.get(style.separator, style.separator))
    return text


def percent(value, decimals: int | None = None, sign: bool = False) -> str:
    """``41.1 -> "41.1%"``, ``55 -> "55%"``; the value is already in percent units.

    Without ``decimals``: the document's ``percent_decimals`` if set, else the
    places the value was written with, else (a computed share) one decimal.
    ``sign=True`` prefixes a plus sign to positive values (``"+15%"``);
    negatives always carry the minus sign (``"-3.2%"``).
    """
    d = _to_decimal(value)
    if d is None:
        return MISSING
    if decimals is None:
        decimals = percent_places(value)
    text = number(d, decimals) + _PERCENT_SIGN
    if d == 0 and d.is_signed() and places_of(value) is not None and not text.startswith("-"):
        text = "-" + text               # written "-0.0": kept, as number() keeps it
    if sign and _round(d, decimals) > 0:
        text = _numbers.get_plus_sign_symbol(_ZH) + text
    return text


def percent_places(value) -> int:
    """The places ``percent`` prints ``value`` with by default (the document's percentage rule)."""
    style = _STYLE.get()
    if style.percent_decimals is not None:
        return style.percent_decimals
    places = places_of(value)
    return 1 if places is None else places


_SCALES = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))


def scale_for(magnitude) -> tuple[float, str]:
    """The 万/亿 divisor and suffix for numbers of this size: (1e8, "亿"), (1e4, "万") or (1, "")."""
    d = _to_decimal(magnitude)
    if d is None:
        return 1.0, ""
    for div, suffix in _SCALES:
        if abs(d) >= div:
            return float(div), suffix
    return 1.0, ""


def scaled(value, unit: str = "", decimals: int | None = None) -> str:
    """Large amounts in 万/亿: ``23000000 -> "2300万"``, ``2.345e11 -> "2345.0亿"``.

    ``unit`` is appended after the scale: ``scaled(2.3e7, "元") -> "2300万元"``.
    Without ``decimals`` a whole quotient prints without places and any other
    with one. Values below 10,000 are not scaled and keep their own places:
    ``scaled(5000, "元") -> "5000元"``.
    """
    d = _to_decimal(value)
    if d is None:
        return MISSING
    for div, suffix in _SCALES:
        if abs(d) >= div:
            q = d / div
            places = decimals if decimals is not None else (0 if q == q.to_integral_value() else 1)
            return number(q, places) + suffix + unit
    return number(value if decimals is None else d, decimals) + unit


# --- dates and periods -------------------------------------------------------

_DATE_FORMATS = {"day": "long", "month": "y年M月", "year": "y年"}


def date_cn(d, fmt: str = "day") -> str:
    """``2026年11月21日`` (day), ``2021年6月`` (month), ``2021年上半年`` (half),
    ``2021年第三季度`` (quarter), ``2021年`` (year).

    ``d`` is a date/datetime or a period string such as "2021-06-30", "2021-06",
    "2021H1", "2021Q3" or "2021".
    """
    if isinstance(d, str):
        parsed = parse_period(d)
        if parsed is None:
            raise ValueError(f"not a date: {d!r}")
        d = parsed[1]
    elif isinstance(d, int) and not isinstance(d, bool):
        d = _dt.date(d, 1, 1)
    if isinstance(d, _dt.datetime):
        d = d.date()
    if not isinstance(d, _dt.date):
        raise TypeError(f"not a date: {d!r}")
    if fmt in _DATE_FORMATS:
        return _dates.format_date(d, _DATE_FORMATS[fmt], locale=_LOC)
    if fmt == "half":
        return _dates.format_date(d, "y年", locale=_LOC) + ("上半年" if d.month <= 6 else "下半年")
    if fmt == "quarter":
        return _dates.format_date(d, "y年", locale=_LOC) + _dates.format_date(d, "QQQQ", locale=_LOC)
    raise ValueError(f"unknown date format {fmt!r}; use day, month, half, quarter or year")


_PERIOD_RES = [
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), "day"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"), "day"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "month"),
    (re.compile(r"^(\d{4})\s*[-]?\s*[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})年([上下])半年$"), "half"),
    (re.compile(r"^(\d{4})\s*[-]?\s*[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})年第?([一二三四1-4])季度$"), "quarter"),
    (re.compile(r"^(\d{4})年?$"), "year"),
]
# the half or quarter as Chinese writes it: 上半年 is H1, 第三季度 is Q3
_ORDINALS = {"上": 1, "下": 2, "一": 1, "二": 2, "三": 3, "四": 4}


def parse_period(value) -> tuple[str, _dt.date] | None:
    """Recognise a date or period; returns (kind, first day) or None.

    kind is one of day, month, half, quarter, year. Accepts date/datetime,
    "2021-06-30", "2021-06", "2021/6", "2021H1", "2021-Q3", "2021", the same
    written in Chinese ("2021年6月30日", "2021年6月", "2021年上半年",
    "2021年第三季度", "2021年") and integer years 1000..2999.
    """
    if isinstance(value, _dt.datetime):
        return "day", value.date()
    if isinstance(value, _dt.date):
        return "day", value
    if isinstance(value, int) and not isinstance(value, bool):
        return ("year", _dt.date(value, 1, 1)) if 1000 <= value <= 2999 else None
    if isinstance(value, float) and value.is_integer():
        return parse_period(int(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    for rx, kind in _PERIOD_RES:
        m = rx.match(text)
        if m:
            return _period(kind, [int(_ORDINALS.get(g, g)) for g in m.groups()])
    return None


def _period(kind: str, numbers: list[int]) -> tuple[str, _dt.date] | None:
    year, part = numbers[0], numbers[1] if len(numbers) > 1 else 1
    first_month = {"day": part, "month": part, "half": 6 * part - 5, "quarter": 3 * part - 2, "year": 1}[kind]
    try:
        return kind, _dt.date(year, first_month, numbers[2] if kind == "day" else 1)
    except ValueError:
        return None


def period_cn(value) -> str:
    """A category label: periods become Chinese (2021-06 -> 2021年6月, 2021H1 ->
    2021年上半年, 2021Q3 -> 2021年第三季度, 2021 -> 2021年); a label written in Chinese
    stays as written; anything else is str()."""
    parsed = parse_period(value)
    if isinstance(value, str) and "年" in value:
        return value        # written in Chinese already: printed as the author wrote it (2021年一季度)
    if parsed is None:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    kind, d = parsed
    return date_cn(d, kind)


# --- numerals and labels -----------------------------------------------------

_DIGITS = "〇一二三四五六七八九"


CN_NUMERAL_MAX = 9999


def cn_numeral(n: int) -> str:
    """1..9999 as Chinese numerals (for 一、二、 numbering): 十一, 九十九, 一百零一, 一百一十, 一千零一十."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= CN_NUMERAL_MAX:
        raise ValueError(f"cn_numeral supports 1..{CN_NUMERAL_MAX}, got {n!r}")
    if 10 <= n <= 19:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    out, zero = "", False
    for digit, unit in zip(f"{n:04d}", ("千", "百", "十", "")):
        d = int(digit)
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + unit
    return out


def issue_label(n: int, supplement: bool = False) -> str:
    """``第12期`` or, for a supplement, ``增刊第2期``."""
    return ("增刊" if supplement else "") + f"第{n}期"


def decimals_of(values, cap: int = 2) -> int:
    """The number of decimal places the values are written with (at most ``cap``)."""
    best = 0
    for v in values:
        d = _to_decimal(v) if not isinstance(v, str) else None
        if d is None:
            continue
        d = _round(d, cap).normalize()
        exp = d.as_tuple().exponent
        if isinstance(exp, int) and exp < 0:
            best = max(best, -exp)
    return min(best, cap)
