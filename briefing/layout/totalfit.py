"""Total-fit line breaking (Knuth–Plass) for justified Chinese paragraphs.

A greedy breaker fixes each line before it sees the next, so a squeezed line can sit above a
letter-spaced one. This one chooses the breaks of a whole paragraph at once: it finds the
sequence of breaks whose lines, summed, cost least. A line's cost comes from its glue:

  stretch  the space added between characters (Han–Han gaps equally; Han–Latin gaps up to 1/3 em;
           inside a Latin word, number or URL only what a gap would get beyond 0.15 em, shared),
           per Han gap a; badness 100·(a / 0.10 em)³, so 0.05 em costs 12.5, 0.10 em 100 and
           0.25 em 1563: a little space on many lines is cheaper than much on one;
  shrink   first a closing mark at the line end to half width (free: normal practice, R5), then
           Han–Latin gaps down to 1/8 em, mid-line marks to half width and word spaces by 1/3,
           in proportion r of what they can give; badness 100·r³; more than they can give is
           not a line;

plus the penalty of the break (inside a URL, after a unit's slash, at a hyphen; breakrules.py),
as demerits (1 + badness + penalty)² per line. The last line is set at its natural width and
costs nothing (it is never justified), but holds two characters at least (R12).

Speed: a line from s to e is priced in O(1) from prefix sums, and only lines within the stretch
limit of a pass are tried, a handful per break, so the work is linear in the paragraph. A long
paragraph is set in windows of WINDOW characters (the last lines of each window are set again
with the next), which keeps memory bounded. When no line sequence stays within the limits
(a unit wider than the line, say), the caller falls back to the greedy breaker.
"""
from itertools import accumulate, compress
from operator import add, and_, not_

from briefing.layout.breakrules import Para
from briefing.layout.chars import SPACE, counts_for_tail

EPS = 1e-6
PREFERRED = 0.10      # em of stretch per gap that costs badness 100
SHARE_FROM = 0.15     # em per gap beyond which the letters of words and URLs are spaced too
# passes: (largest stretch per gap in em, largest stretch of a whole line in em). The first pass
# tries only good lines (fast, and nearly always enough); the second anything short of absurd.
PASSES = ((0.25, 1.5), (0.6, 6.0), (1.5, 1e9))
WINDOW = 4000         # characters set at once in a very long paragraph
KEEP_BACK = 3         # lines at the end of a window that are set again with the next window

# a reachable line start: (index, total demerits, and the prefix sums A, C, J, H of _window at it)
Start = tuple[int, float, float, float, int, int]


def total_fit(p: Para, width: float, indent: float, lone_tail: bool = True) -> list[tuple[int, int]] | None:
    """Breaks of the paragraph p as [(start, end)], or None if none fits."""
    n = p.n
    bounds: list[tuple[int, int]] = []
    s0 = 0
    while s0 < n:
        hi = n if n - s0 <= WINDOW + WINDOW // 2 else s0 + WINDOW
        ends = None
        for limit, xmax in PASSES:
            ends = _window(p, s0, hi, width, indent, lone_tail, limit, xmax)
            if ends is not None:
                break
        if ends is None:
            return None
        if hi < n:
            ends = ends[:max(len(ends) - KEEP_BACK, 1)]
        for e in ends:
            bounds.append((s0, e))
            s0 = e
    return bounds


def _window(p: Para, s0: int, hi: int, width: float, indent: float, lone_tail: bool,  # noqa: C901 - the breaker's
            limit: float, xmax: float) -> list[int] | None:                      # inner loop: one function keeps it fast
    """Best breaks from s0 to hi (to the furthest reachable break when hi < n), or None."""
    n, size = p.n, p.size
    w, gap, end_cap, pen, scheme = p.w, p.gap, p.end_cap, p.pen, p.scheme
    hl_min = p.hl_min
    room = p.hl_max - 0.25 * size          # how far a Han–Latin gap may stretch beyond its 1/4 em
    # prefix sums over the window, index i - s0: natural width, shrink, justifiable and Han–Latin gaps
    A: list[float] = [0.0]
    A.extend(accumulate(map(add, p.adv[s0:hi], gap[s0:hi])))
    C: list[float] = [0.0]
    C.extend(accumulate(map(add, p.mid_cap[s0:hi], [g - hl_min if g > hl_min else 0.0 for g in gap[s0:hi]])))
    wd = p.wordish
    J: list[int] = [0]
    J.extend(accumulate(map(not_, map(and_, wd[s0:hi], wd[s0 + 1:hi + 1]))))
    if len(J) < len(A):                    # the paragraph's last character has no gap after it
        J.append(J[-1])
    H: list[int] = [0]
    H.extend(accumulate(map(bool, gap[s0:hi])))

    inv = 1.0 / (PREFERRED * size)
    share = SHARE_FROM * size
    lim = limit * size
    xlim = xmax * size
    tail_lim = _tail_limit(p) if lone_tail else n
    cls = p.cls
    INF = float("inf")

    prev: dict[int, int] = {}
    # reachable line starts; the indent of a paragraph's first line is counted as width already used
    starts: list[Start] = [(s0, 0.0, -indent if s0 == 0 else 0.0, 0.0, 0, 0)]
    lo = 0
    last_e = hi if hi < n else n - 1       # the paragraph's end is priced apart: it is not justified
    short = width - xlim - 0.5 * size      # a line shorter than this (give or take) is too loose
    for e in compress(range(s0 + 1, last_e + 1), p.brk[s0 + 1:last_e + 1]):
        if A[e - s0] - starts[lo][2] < short:
            continue                              # too short even from the earliest start: skip fast
        v = e - 1
        while v > s0 and cls[v] == SPACE:
            v -= 1
        jv = v - s0
        ae = A[jv] + w[v]
        ce = C[jv]
        ecap = end_cap[v]
        m = len(starts)
        # drop the starts from which the line to e is overfull: it is to every later break too
        while lo < m:
            st = starts[lo]
            if ae - st[2] - width - ecap <= ce - st[3] + EPS:
                break
            lo += 1
        if lo == m:
            return None                           # no start reaches this far: give up this pass
        pe = pen.get(e, 0.0) if pen else 0.0
        url = scheme.get(e, n) if scheme else n   # a line ending after a scheme starts before it
        floor = (1.0 + pe) * (1.0 + pe)
        je, he = J[jv], H[jv]
        best, bs = INF, -1
        for k in range(lo, m):
            s, tot, a_s, c_s, j_s, h_s = starts[k]
            if s >= url:
                break
            if tot + floor >= best:
                continue
            nat = ae - a_s
            if nat > width + EPS:
                need = nat - width - ecap
                if need > EPS:
                    r = need / (ce - c_s)
                    bad = 100.0 * r * r * r
                else:
                    bad = 0.0
            else:
                extra = width - nat
                if extra > xlim:
                    break                         # later starts make shorter lines, looser still
                gaps = je - j_s
                hls = he - h_s
                inner = v - s - gaps              # gaps inside words, numbers and URLs
                if gaps <= 0:                     # a line of one word: its letters take the space
                    gaps, hls, inner = v - s, 0, 0
                    if gaps <= 0:
                        break
                a = extra / gaps
                if hls and a > room:              # Han–Latin gaps stop at 1/3 em (as placed)
                    if hls < gaps:
                        gaps -= hls
                        a = (extra - room * hls) / gaps
                    elif inner:
                        gaps = 0
                        a = (extra - room * hls) / inner
                if a > share and gaps and inner:  # the letters of words take part (as placed)
                    a = share + (a - share) * gaps / (gaps + inner)
                if a > lim:
                    break
                r = a * inv
                bad = 100.0 * r * r * r
            d = 1.0 + bad + pe
            d = tot + d * d
            if d < best:
                best, bs = d, s
        if bs >= 0:
            prev[e] = bs
            je = e - s0
            starts.append((e, best, A[je], C[je], J[je], H[je]))
    if hi == n:
        end = n
        bs = _last_line(p, starts, lo, A, C, s0, width, tail_lim)
        if bs < 0:
            return None
        prev[n] = bs
    else:
        end = starts[-1][0]
    if end == s0:
        return None
    ends: list[int] = []
    while end != s0:
        ends.append(end)
        end = prev[end]
    ends.reverse()
    return ends


def _last_line(p: Para, starts: list[Start], lo: int, A: list[float], C: list[float], s0: int, width: float,
               tail_lim: int) -> int:
    """Start of the best last line: set at natural width (never justified), R12 kept."""
    n = p.n
    v = p.last_visible(s0, n)
    jv = v - s0
    ae = A[jv] + p.w[v]
    ce = C[jv]
    ecap = p.end_cap[v]
    best, bs = float("inf"), -1
    for s, tot, a_s, c_s, _j, _h in starts[lo:]:
        if s > tail_lim:
            break
        need = ae - a_s - width - ecap
        if need > EPS:
            cap = ce - c_s
            if need > cap + EPS:
                continue
            r = need / cap
            bad = 100.0 * r * r * r
        else:
            bad = 0.0
        d = 1.0 + bad
        d = tot + d * d
        if d < best:
            best, bs = d, s
    return bs


def _tail_limit(p: Para) -> int:
    """The latest start of a last line that still holds two Han characters or letters (R12)."""
    count = 0
    for i in range(p.n - 1, -1, -1):
        if counts_for_tail(p.text[i]):
            count += 1
            if count >= 2:
                return i
    return 0
