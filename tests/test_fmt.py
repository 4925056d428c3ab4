import datetime as dt
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from briefing import fmt
from kit import cases


@pytest.mark.parametrize("value", [0, 7, 12345.5, 1234567.891, -12000, 2.0e11, 12.5])
def test_number_matches_babel_zh_cn_from_ten_thousand(value):
    # babel's own zh_CN output is the reference for the separators (grouped from 10,000 on)
    assert fmt.number(value) == format_decimal(value, locale="zh_CN")


@pytest.mark.parametrize("value,decimals,expected", [
    (1054.5, None, "1054.5"),       # GB/T 15835: four-digit numbers are not grouped
    (1054.5, 2, "1054.50"),
    (1054.456, 1, "1054.5"),
    (9999, None, "9999"),
    (10000, None, "10,000"),
    (1234567, 0, "1,234,567"),
    (2.25, 1, "2.3"),            # 四舍五入, not banker's rounding
    (2.35, 1, "2.4"),
    (-0.04, 1, "0.0"),           # no negative zero
    (-1234.5, 1, "-1234.5"),
    (-12345.5, 1, "-12,345.5"),
    (None, 1, "—"),
    (float("nan"), None, "—"),
    (Decimal("10.05"), 1, "10.1"),
    (151, None, "151"),          # an integer never gains ".0"
    (12.0, None, "12"),
    (fmt.Written(15.0, 1), None, "15.0"),     # written "15.0": one place, as written
    (fmt.Written(41.1, 1), None, "41.1"),
    (fmt.Written(41.1, 1), 0, "41"),          # an explicit count wins
])
def test_number_literal(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize("text,number,percent", [
    ("-0.0", "-0.0", "-0.0%"),     # a decline that rounds to nothing, as statistics tables print it
    ("-0", "-0", "-0%"),
    ("0.0", "0.0", "0.0%"),
    ("-0.04", "-0.04", "-0.04%"),
])
def test_a_written_negative_zero_keeps_its_sign(text, number, percent):
    value = fmt.written(text)
    assert (fmt.number(value), fmt.percent(value)) == (number, percent)


def test_number_fixed_places_agrees_with_babel_pattern():
    for v in (12345.5, 99999.99, 1e6):
        assert fmt.number(v, 2) == format_decimal(v, format="#,##0.00", locale="zh_CN")


@pytest.mark.parametrize("text,expected,places", [
    ("151", 151, 0), ("41.1", 41.1, 1), ("15.0", 15.0, 1), ("-3.20", -3.2, 2), (" 1,054 ", 1054, 0), (".5", 0.5, 1),
])
def test_written_keeps_places(text, expected, places):
    v = fmt.written(text)
    assert v == expected and fmt.places_of(v) == places


def test_number_style_grouping_and_separator():
    with fmt.number_style(fmt.NumberStyle(group_from=1000)):
        assert fmt.number(1054) == "1,054"
    with fmt.number_style(fmt.NumberStyle(group_from=0)):
        assert fmt.number(1234567) == "1234567"
    with fmt.number_style(fmt.NumberStyle(separator="thin")):
        assert fmt.number(1234567) == "1\u2009234\u2009567"
    assert fmt.number(1054) == "1054"         # the default is back after the block


@pytest.mark.parametrize("args,expected", [
    ((15,), "15%"),                       # as written: an integer percentage has no places
    ((fmt.Written(15.0, 1),), "15.0%"),
    ((15.04,), "15.0%"),                  # computed, no places of its own: one decimal
    ((15, 1, True), "+15.0%"),
    ((15, None, True), "+15%"),
    ((-3.2, 1, True), "-3.2%"),
    ((-3.2,), "-3.2%"),
    ((0, 1, True), "0.0%"),
    ((0.04, 1, True), "0.0%"),
    ((12.345, 2), "12.35%"),
    ((12345.5, 0), "12,346%"),
])
def test_percent(args, expected):
    assert fmt.percent(*args) == expected


def test_percent_decimals_of_the_document():
    with fmt.number_style(fmt.NumberStyle(percent_decimals=1)):
        assert fmt.percent(55) == "55.0%" and fmt.percent(fmt.Written(41.12, 2)) == "41.1%"


@pytest.mark.parametrize("args,expected", [
    ((23000000,), "2300万"),
    ((2.3456e11,), "2345.6亿"),
    ((2.3e7, "元"), "2300万元"),
    ((2.35e7, "元", 1), "2350.0万元"),
    ((1.5e8, "元", 2), "1.50亿元"),
    ((-3.4e8, "元"), "-3.4亿元"),
    ((5000, "元"), "5000元"),
    ((10000,), "1万"),
])
def test_scaled(args, expected):
    assert fmt.scaled(*args) == expected


def test_scale_for():
    assert fmt.scale_for(99999) == (1e4, "万")
    assert fmt.scale_for(-3e8) == (1e8, "亿")
    assert fmt.scale_for(9999) == (1.0, "")


def test_date_cn():
    d = dt.date(2026, 11, 21)
    assert fmt.date_cn(d) == "2026年11月21日"
    assert fmt.date_cn(d) == format_date(d, "long", locale="zh_CN")
    assert fmt.date_cn(dt.datetime(2021, 6, 3, 12, 0), "month") == "2021年6月"
    assert fmt.date_cn(dt.date(2021, 6, 30), "half") == "2021年上半年"
    assert fmt.date_cn(dt.date(2021, 7, 1), "half") == "2021年下半年"
    assert fmt.date_cn(dt.date(2021, 8, 1), "quarter") == "2021年第三季度"
    assert fmt.date_cn(dt.date(2021, 8, 1), "year") == "2021年"
    assert fmt.date_cn("2021-06", "month") == "2021年6月"
    with pytest.raises(ValueError):
        fmt.date_cn(d, "week")


@pytest.mark.parametrize("value, kind, first_day, label", cases("period_labels"))
def test_periods_are_read_and_labelled(value, kind, first_day, label):
    assert fmt.parse_period(value) == ((kind, first_day) if kind else None)
    assert fmt.period_cn(value) == label


def test_cn_numeral():
    expected = {1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十",
                21: "二十一", 30: "三十", 45: "四十五", 99: "九十九"}
    for n, text in expected.items():
        assert fmt.cn_numeral(n) == text
    assert len({fmt.cn_numeral(n) for n in range(1, 100)}) == 99
    for n, text in {100: "一百", 101: "一百零一", 110: "一百一十", 111: "一百一十一", 120: "一百二十",
                    1000: "一千", 1001: "一千零一", 1010: "一千零一十", 1011: "一千零一十一", 1100: "一千一百",
                    2024: "二千零二十四", 9999: "九千九百九十九"}.items():
        assert fmt.cn_numeral(n) == text
    assert len({fmt.cn_numeral(n) for n in range(1, 10000)}) == 9999
    for bad in (0, 10000, -1, True, 1.0):
        with pytest.raises(ValueError):
            fmt.cn_numeral(bad)


def test_issue_label():
    assert fmt.issue_label(12) == "第12期"
    assert fmt.issue_label(2, supplement=True) == "增刊第2期"


def test_decimals_of():
    assert fmt.decimals_of([1, 2, 3]) == 0
    assert fmt.decimals_of([1, 2.5, None]) == 1
    assert fmt.decimals_of([0.1 + 0.2]) == 1        # float noise is rounded away
    assert fmt.decimals_of([1.25, 3]) == 2
