"""Line breaking and justification for Chinese text (docs/typesetting.md R1–R7, R10, R12).

Pure algorithm, no canvas: runs + frame width + a measurer -> lines with the
x position of every character. The break opportunities, glue and penalties of
a paragraph come from breakrules.Para. Justified paragraphs are broken
total-fit (totalfit.py: all breaks of the paragraph chosen at once); other
alignments, and paragraphs no sequence of acceptable lines can set, are broken
greedily here, in O(n): the breaker walks a line's characters once, collecting
the break candidates that fit either at natural width or when squeezed
(push-in), then picks the candidate that spoils the line least (push-in =
squeeze punctuation and Han–Latin space, push-out = leave characters for the
next line and stretch this one).
"""
from dataclasses import dataclass

from briefing.layout.breakrules import Measure, Para
from briefing.layout.inline import Run, RunStyle
from briefing.layout.chars import SPACE, counts_for_tail
from briefing.layout.totalfit import SHARE_FROM, total_fit

EPS = 1e-6


@dataclass
class Line:
    start: int            # index of the first character in the paragraph text
    end: int              # one past the last
    chars: str
    styles: list[RunStyle]   # per character
    xs: list[float]       # x of each glyph origin, from the frame's left edge
    widths: list[float]   # glyph advance of each character as drawn (font width)
    right: float          # where the line's last glyph box ends (after compression)
    avail: float          # width available to this line (frame width)
    indent: float = 0.0
    final: bool = False
    justified: bool = False
    natural: float = 0.0  # natural width before stretching/squeezing


Candidate = tuple[int, float, float]   # a line's end, its natural width, how much it may be squeezed


def _end_cap(p: Para, i: int) -> float:
    """How much the last character of a line may lose (R5: half-width line-end punctuation)."""
    return p.end_cap[i]


def _candidates(p: Para, s: int, avail: float) -> list[Candidate]:
    """Break candidates for a line starting at s: [(end, natural width, squeeze capacity)]."""
    w, adv, gap, mid_cap, end_cap, brk, cls = p.w, p.adv, p.gap, p.mid_cap, p.end_cap, p.brk, p.cls
    hl_min = p.hl_min
    n = p.n
    nat = 0.0          # width of s..i-1 when the line goes on
    cap = 0.0          # squeeze capacity of s..i-1 (mid-line punctuation, Han–Latin gaps)
    vis_lw = 0.0       # width if the line ended at the last visible character
    vis_cap = 0.0
    out: list[Candidate] = []
    i = s
    while i < n:
        if cls[i] != SPACE:
            vis_lw = nat + w[i]
            vis_cap = cap + end_cap[i]
        e = i + 1
        if brk[e] and vis_lw - vis_cap <= avail + EPS:
            out.append((e, vis_lw, vis_cap))
        g = gap[i]
        nat += adv[i] + g
        cap += mid_cap[i] + (g - hl_min if g > hl_min else 0.0)
        if nat - cap > avail + EPS:
            break
        i += 1
    return out


def _cost(cand: Candidate, s: int, avail: float, size: float, final_ok: bool) -> float:
    e, lw, cap = cand
    if lw <= avail + EPS:
        if final_ok:
            return 0.0
        gaps = max(e - s - 1, 1)
        return (avail - lw) / gaps / (0.1 * size)   # push-out: stretch per gap
    need = lw - avail
    return need / cap if cap > EPS else 1e9           # push-in: share of the squeeze used


def _choose(p: Para, s: int, avail: float, size: float, justify: bool, max_stretch: float) -> int:
    cands = _candidates(p, s, avail)
    if p.scheme:   # no line of a URL's scheme alone
        cands = [c for c in cands if p.scheme.get(c[0], p.n) > s]
    if not cands:
        return _emergency(p, s, avail)
    n = p.n
    # bounded look-back: from the last candidate that fits at natural width on
    first = len(cands) - 1
    while first > 0 and cands[first][1] > avail + EPS:
        first -= 1
    best: Candidate | None = None
    best_cost: float | None = None
    for c in cands[max(first, len(cands) - 6):]:
        if not (c[1] <= avail + EPS) and c[2] <= EPS:
            continue
        cost = _cost(c, s, avail, size, c[0] == n or not justify)
        # free push-in: half-width line-end punctuation alone absorbs the excess
        if c[1] > avail + EPS and c[1] - _end_cap(p, _last_visible(p, s, c[0])) <= avail + EPS:
            cost = 0.0
        if best_cost is None or cost <= best_cost:
            best, best_cost = c, cost
    if best is None:       # every candidate overfull and unable to shrink: as when there are none
        return _emergency(p, s, avail)
    # a stretch beyond the limit: reflow by squeezing instead, if any candidate can
    if best[1] <= avail + EPS and best[0] != n and justify:
        gaps = max(best[0] - s - 1, 1)
        if (avail - best[1]) / gaps > max_stretch * size and cands[-1][0] > best[0]:
            best = cands[-1]
    return best[0]


def _emergency(p: Para, s: int, avail: float) -> int:
    """Nothing breakable fits (a unit wider than the line): cut at the last character that fits."""
    nat = 0.0
    i = s
    while i < p.n:
        if i > s and nat + p.w[i] > avail + EPS:
            break
        nat += p.w[i] + p.gap[i]
        i += 1
    return max(i, s + 1)


def _last_visible(p: Para, s: int, e: int) -> int:
    v = e
    while v > s + 1 and p.cls[v - 1] == SPACE:
        v -= 1
    return v - 1


def _place(p: Para, s: int, e: int, avail: float, indent: float, size: float, stretch: bool, align: str,
           final: bool) -> Line:
    """Positions of the characters s..e-1 on a line of width avail."""
    last = _last_visible(p, s, e)
    m = last - s + 1
    advs = p.adv[s:last + 1]
    advs[-1] = p.w[last]
    gaps = p.gap[s:last]
    gaps.append(0.0)
    nat = sum(advs) + sum(gaps)
    if nat > avail + EPS:
        _squeeze(p, s, last, advs, gaps, nat - avail)
    elif stretch and nat < avail - EPS and m > 1:
        _stretch(p, s, last, gaps, avail - nat, size)
    xs = [0.0] * (e - s)
    x = 0.0
    for k in range(m):
        xs[k] = x
        x += advs[k] + gaps[k]
    right = xs[m - 1] + advs[m - 1]
    for k in range(m, e - s):   # trailing spaces: zero width at the line end
        xs[k] = right
    off = indent
    if align == "center":
        off += max(avail - right, 0.0) / 2
    elif align == "right":
        off += max(avail - right, 0.0)
    if off:
        xs = [v + off for v in xs]
    for i, d in p.shift.items():   # a narrow middle dot: its glyph drawn centred in its box
        if s <= i < e:
            xs[i - s] -= d
    return Line(s, e, p.text[s:e], p.sty[s:e], xs, p.fw[s:e], right + off, avail + indent, indent, final,
                stretch and m > 1, nat)


def _squeeze(p: Para, s: int, last: int, advs: list[float], gaps: list[float], need: float) -> None:
    # 1. half-width line-end punctuation (R5)
    r = min(need, _end_cap(p, last))
    advs[-1] -= r
    need -= r
    # 2. Han–Latin gaps down to 1/8 em (R7)
    if need > EPS:
        need -= _take(gaps, [g - p.hl_min if g > p.hl_min else 0.0 for g in gaps], need)
    # 3. squeeze mid-line punctuation evenly (push-in)
    if need > EPS:
        _take(advs, p.mid_cap[s:last], need)


def _take(values: list[float], caps: list[float], need: float) -> float:
    """Take `need` from `values`, from each in proportion to its cap (at most the whole cap); what was taken."""
    tot = sum(caps)
    if tot <= EPS:
        return 0.0
    f = min(need / tot, 1.0)
    for k, c in enumerate(caps):
        if c:
            values[k] -= c * f
    return tot * f


def _stretch(p: Para, s: int, last: int, gaps: list[float], extra: float, size: float) -> None:
    # Spread the space evenly over the gaps between characters (so Han–Han
    # gaps stay equal); Han–Latin gaps take their share only up to 1/3 em. The
    # letters of a Latin word, number or URL stay together while the other gaps
    # need no more than SHARE_FROM em each; beyond that they take an equal part
    # of the rest, so that no gap beside a long word or URL opens wide alone.
    wordish = p.wordish
    ks = [k for k in range(last - s) if not (wordish[s + k] and wordish[s + k + 1])]
    inner: list[int] = []
    if not ks:
        ks = list(range(last - s))
    elif len(ks) < last - s:
        inner = [k for k in range(last - s) if wordish[s + k] and wordish[s + k + 1]]
    hl = [k for k in ks if gaps[k] > 0]
    add = extra / len(ks)
    if hl and (len(hl) < len(ks) or inner):
        room = max(p.hl_max - max(gaps[k] for k in hl), 0.0)
        if add > room:
            for k in hl:
                gaps[k] += room
            extra -= room * len(hl)
            ks = [k for k in ks if gaps[k] == 0]
            if not ks:                 # no gap but Han–Latin ones: the word's letters take the rest
                for k in inner:
                    gaps[k] += extra / len(inner)
                return
            add = extra / len(ks)
    limit = SHARE_FROM * size
    if add > limit and inner:
        share = (add - limit) * len(ks) / (len(ks) + len(inner))
        for k in inner:
            gaps[k] += share
        add = limit + share
    for k in ks:
        gaps[k] += add


def break_lines(runs: list[Run], width: float, measure: Measure, *, size: float, first_indent: float = 2.0,
                hanlatin: bool = True, align: str = "justify", max_stretch: float = 0.5,
                lone_tail: bool = True) -> list[Line]:
    """Break runs into lines of the given width (pt). measure(text, run_style) -> widths.

    first_indent is in em. Returns a list of Line.
    """
    p = Para(runs, measure, size, hanlatin)
    if p.n == 0:
        return []
    indent = first_indent * size if align in ("justify", "left") else 0.0
    justify = align == "justify"
    bounds = total_fit(p, width, indent, lone_tail) if justify else None
    if bounds is None:
        bounds = _greedy(p, width, indent, size, justify, max_stretch, lone_tail)
    lines: list[Line] = []
    for k, (s, e) in enumerate(bounds):
        ind = indent if k == 0 else 0.0
        final = k == len(bounds) - 1
        lines.append(_place(p, s, e, width - ind, ind, size, justify and not final, align, final))
    return lines


def _greedy(p: Para, width: float, indent: float, size: float, justify: bool, max_stretch: float,
            lone_tail: bool) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    s = 0
    while s < p.n:
        avail = width - (indent if s == 0 else 0.0)
        e = _choose(p, s, avail, size, justify, max_stretch)
        bounds.append((s, e))
        s = e
    if lone_tail and len(bounds) > 1:
        _fix_tail(p, bounds, width, indent)
    return bounds


def _tail_count(p: Para, s: int, e: int) -> int:
    return sum(1 for c in p.text[s:e] if counts_for_tail(c))


def _fix_tail(p: Para, bounds: list[tuple[int, int]], width: float, indent: float) -> None:
    """R12: the last line must hold at least two Han characters: pull some down."""
    s_last, n = bounds[-1]
    if _tail_count(p, s_last, n) >= 2:
        return
    s_prev = bounds[-2][0]
    for e in range(s_last - 1, max(s_prev, s_last - 8), -1):
        if not p.brk[e]:
            continue
        if _tail_count(p, e, n) < 2:
            continue
        cands = _candidates(p, e, width)
        if not cands or cands[-1][0] != n:
            return  # the tail would no longer fit on one line
        bounds[-2] = (s_prev, e)
        bounds[-1] = (e, n)
        return
