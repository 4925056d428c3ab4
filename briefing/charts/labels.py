"""Category labels broken only between words.

Chinese has no spaces, so where a label may break is a question of words:
"规模以上工业增加值" may break as 规模以上 / 工业增加值, never as 规模以上工 /
业增加值, and "全域GDP" never inside GDP. The words come from rjieba (the Rust
port of jieba, with its dictionary compiled in: nothing is downloaded or
written at run time, unlike Python jieba, which writes a cache file to the
temporary folder, and it segments a label in microseconds). Runs of Latin
letters, digits and their joiners are kept whole whatever the segmenter says,
and punctuation stays with its word (an opening bracket with the word after
it, anything else with the word before it).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import lru_cache

# letters, digits and what joins them inside one token: UNI-T, 5.4, 10%, A+B
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+/%％&·_]*[A-Za-z0-9%％]|[A-Za-z0-9]")
_OPENING = "（([【《“‘〔"
MAX_WORDS = 24        # beyond this a label is broken at every allowed point, greedily

# names briefings use that the general dictionary splits (果园/港, 中/新): never broken inside
PHRASES = ("果园港", "中新", "两江新区", "天府新区", "陆海新通道", "中欧班列", "综保区", "综合保税区",
           "双城经济圈", "成渝地区", "国家级新区", "规上", "全域", "百亿元级", "五十亿元级", "十亿元")


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The pieces a label may be broken between, joined back they give ``text``."""
    if not text:
        return ()
    import rjieba   # imported on the first label that needs breaking (loads its dictionary, ~0.5 s)

    pieces = [p for p in rjieba.cut(text) if p]
    return tuple(_glue(_whole_latin(text, pieces)))


def _whole_latin(text: str, pieces: list[str]) -> list[str]:
    """Merge pieces so that no Latin/number run and no phrase of PHRASES is split."""
    keep: set[int] = set()  # boundary offsets that fall inside a Latin run or a phrase
    for m in _LATIN.finditer(text):
        keep.update(range(m.start() + 1, m.end()))
    for phrase in PHRASES:
        start = text.find(phrase)
        while start >= 0:
            keep.update(range(start + 1, start + len(phrase)))
            start = text.find(phrase, start + 1)
    out: list[str] = []
    pos = 0
    for p in pieces:
        if out and pos in keep:
            out[-1] += p
        else:
            out.append(p)
        pos += len(p)
    return out


def _glue(pieces: list[str]) -> list[str]:
    """Opening punctuation goes with the next word, any other punctuation or space with the previous one."""
    out: list[str] = []
    carry = ""
    for p in pieces:
        if all(ch in _OPENING for ch in p):
            carry += p
            continue
        p = carry + p
        carry = ""
        if out and not _is_word(p):
            out[-1] += p
        else:
            out.append(p)
    if carry:
        if out:
            out[-1] += carry
        else:
            out.append(carry)
    return out


def _is_word(p: str) -> bool:
    return any(ch.isalnum() for ch in p)


def wrap(text: str, width: float, measure: Callable[[str], float], max_lines: int = 2) -> list[str] | None:
    """``text`` in at most ``max_lines`` lines no wider than ``width``, broken only between words,
    lines as even as possible; None when that cannot be done."""
    if measure(text) <= width:
        return [text]
    parts = words(text)
    if len(parts) < 2:
        return None
    if len(parts) > MAX_WORDS:
        return _greedy(parts, width, measure, max_lines)
    best, best_width = None, None
    for k in range(1, min(max_lines, len(parts)) ):
        for cuts in itertools.combinations(range(1, len(parts)), k):
            bounds = (0, *cuts, len(parts))
            lines = ["".join(parts[a:b]) for a, b in zip(bounds, bounds[1:])]
            widest = max(measure(line) for line in lines)
            if widest <= width and (best_width is None or widest < best_width - 1e-6):
                best, best_width = lines, widest
        if best is not None:
            return best         # fewest lines first, then the most even
    return None


def _greedy(parts, width, measure, max_lines) -> list[str] | None:
    lines = [""]
    for p in parts:
        if lines[-1] and measure(lines[-1] + p) > width:
            lines.append(p)
        else:
            lines[-1] += p
    return lines if len(lines) <= max_lines and all(measure(x) <= width for x in lines) else None


def widest_word(text: str, measure: Callable[[str], float]) -> float:
    """The narrowest a label can be made by breaking it between words."""
    return max((measure(w) for w in words(text)), default=0.0)
