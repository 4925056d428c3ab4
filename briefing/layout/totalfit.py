"""Total-fit line breaking (Knuth–Plass) for justified Chinese paragraphs.

A greedy breaker fixes each line before it sees the next, so a squeezed line can sit above a
letter-spaced one. This one chooses the breaks of a whole paragraph at once: it finds the
sequence of breaks whose lines, summed, cost least. A line's cost comes from its glue:

  stretch  the space added between characters (Han–Han gaps equally; Han–Latin gaps up to 1/3 em;
           not inside a Latin word, number or URL), per gap a; badness 100·(a / 0.15 em)³,
           so 0.10 em costs 30 and 0.25 em 463;
  shrink   first a closing mark at the line end to half width (free: normal practice, R5), then
           Han–Latin gaps down to 1/8 em, mid-line marks to half width and word spaces by 1/3,
           in proportion r of what they can give; badness 100·r³; more than they can give is
           not a line;

plus the penalty of the break (inside a URL, after a unit's slash, at a hyphen; breaklines.py),
as demerits (1 + badness + penalty)² per line. The last line is set at its natural width and
costs nothing (it is never justified), but holds two characters at least (R12).

Speed: a line from s to e is priced in O(1) from prefix sums, and only lines within the stretch
limit of a pass are tried, a handful per break, so the work is linear in the paragraph. A long
paragraph is set in windows of WINDOW characters (the last lines of each window are set again
with the next), which keeps memory bounded. When no line sequence stays within the limits
(a unit wider than the line, say), the caller falls back to the greedy breaker.
"""
from itertools import accumulate

from briefing.layout.chars import SPACE, counts_for_tail

EPS = 1e-6
PREFERRED = 0.15      # em of stretch per gap that costs badness 100
# passes: (largest stretch per gap in em, largest stretch of a whole line in em). The first pass
# tries only good lines (fast, and nearly always enough); the second anything short of absurd.
PASSES = ((0.3, 3.0), (1.5, 1e9))
WINDOW = 4000         # characters set at once in a very long paragraph
KEEP_BACK = 3         # lines at the end of a window that are set again with the next window


def total_fit(p, width: float, indent: float, lone_tail: bool = True):
    """Breaks of the paragraph p (a breakrules.Para) as [(start, end)], or None if none fits."""
    n = p.n
    bounds = []
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


def _window(p, s0, hi, width, indent, lone_tail, limit, xmax):
    """Best breaks from s0 to hi (to the furthest reachable break when hi < n), or None."""
    n, size = p.n, p.size
    text_cls, w, adv, gap, wordish = p.cls, p.w, p.adv, p.gap, p.wordish
    end_cap, brk, pen = p.end_cap, p.brk, p.pen
    hl_min = p.hl_min
    room = p.hl_max - 0.25 * size          # how far a Han–Latin gap may stretch beyond its 1/4 em
    seg = range(s0, hi)
    # prefix sums over the window, index i - s0: natural width, shrink, justifiable and Han–Latin gaps
    A = [0.0]
    A.extend(accumulate(adv[i] + gap[i] for i in seg))
    C = [0.0]
    C.extend(accumulate(p.mid_cap[i] + (gap[i] - hl_min if gap[i] > hl_min else 0.0) for i in seg))
    last = n - 1
    J = [0]
    J.extend(accumulate(0 if (i == last or (wordish[i] and wordish[i + 1])) else 1 for i in seg))
    H = [0]
    H.extend(accumulate(1 if gap[i] > 0.0 else 0 for i in seg))

    inv = 1.0 / (PREFERRED * size)
    lim = limit * size
    xlim = xmax * size
    avail0 = width - indent                # the first line of the paragraph is indented
    tail_lim = _tail_limit(p) if lone_tail else n
    INF = float("inf")

    prev = {}
    starts = [(s0, 0.0, 0.0, 0.0, 0, 0)]   # reachable line starts: (s, total, A, C, J, H)
    lo = 0
    for e in range(s0 + 1, hi + 1):
        if not brk[e]:
            continue
        v = e - 1
        while v > s0 and text_cls[v] == SPACE:
            v -= 1
        jv = v - s0
        ae = A[jv] + w[v]
        ce = C[jv]
        je, he = J[jv], H[jv]
        ecap = end_cap[v]
        final = e == n
        pe = pen.get(e, 0.0)
        best, bs = INF, -1
        k = lo
        m = len(starts)
        while k < m:
            s, tot, a_s, c_s, j_s, h_s = starts[k]
            if final and s > tail_lim:
                break
            av = avail0 if s == 0 else width
            nat = ae - a_s
            if nat > av + EPS:
                need = nat - av - ecap
                if need > EPS:
                    cap = ce - c_s
                    if need > cap + EPS:          # overfull: so is every longer line to a later break
                        if k == lo:
                            lo += 1
                        k += 1
                        continue
                    r = need / cap
                    bad = 100.0 * r * r * r
                else:
                    bad = 0.0
            elif final:
                bad = 0.0
            else:
                extra = av - nat
                if extra > xlim:
                    break                         # shorter lines (later starts) are looser still
                gaps = je - j_s
                hls = he - h_s
                if gaps <= 0:                     # a line of one word: its letters take the space
                    gaps, hls = v - s, 0
                if gaps <= 0:
                    break
                a = extra / gaps
                if hls and a > room and hls < gaps:
                    a = (extra - room * hls) / (gaps - hls)
                if a > lim:
                    break
                r = a * inv
                bad = 100.0 * r * r * r
            d = 1.0 + bad + pe
            d = tot + d * d
            if d < best:
                best, bs = d, s
            k += 1
        if bs >= 0:
            prev[e] = bs
            je = e - s0
            starts.append((e, best, A[je], C[je], J[je], H[je]))
        elif lo >= len(starts):
            return None                           # every start is behind: nothing reaches further
    end = n if hi == n else starts[-1][0]
    if end not in prev:
        return None
    ends = []
    while end != s0:
        ends.append(end)
        end = prev[end]
    ends.reverse()
    return ends


def _tail_limit(p):
    """The latest start of a last line that still holds two Han characters or letters (R12)."""
    count = 0
    for i in range(p.n - 1, -1, -1):
        if counts_for_tail(p.text[i]):
            count += 1
            if count >= 2:
                return i
    return 0
