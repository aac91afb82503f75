"""Line breaking (断行): choose where a paragraph's lines end.

A total fit over the paragraph: each line is scored by how it must be adjusted to reach
the measure, and the breaks minimise the paragraph's total score. Scores are compared as
priorities, never summed with weights (TYPOGRAPHY.md "Resolving a violation"):

    (forced violations, lone last character, inter-character adjustment,
     Han–Latin / word-space adjustment, punctuation adjustment)

so a line pushed in (挤进) by compressing punctuation beats one pushed out (推出) that
must open the spacing between characters, and a lone character on the last line
(GB/T 15834 §5.1.11) is avoided by either means whenever possible.

For speed, a start whose longest line fits exactly (nothing to adjust) does not explore
shorter alternatives, except within two lines of the paragraph's end (lone character).
Lengths in em.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import dataclass

from .prepare import ALLOW, KINSOKU, NEVER, Prepared
from .style import ComposeStyle

EPS = 1e-9

#: Violation weights inside the first priority: a forced prohibition counts 1, a split
#: unbreakable sequence 2, an overfull line 4.
V_KINSOKU = 1
V_SPLIT = 2
V_OVERFULL = 4


@dataclass(frozen=True, slots=True)
class LineFit:
    """How one chosen line [start, end) is set.

    natural: em, its width after style compression and line-edge rules (indent included);
    target: em, the width to reach (the measure, or natural for a flush-left line);
    a1, a2, a3: em, the adjustment taken from punctuation, Han–Latin / word spaces, and
    inter-character spacing (positive: the line grows; negative: it shrinks);
    p1, g1, p2, g2: em, capacities of levels 1 and 2 (shrink, grow); gaps: spreadable
    boundaries; violation: 0, V_KINSOKU, V_SPLIT or V_OVERFULL.
    """

    start: int
    end: int
    last: bool
    natural: float
    target: float
    a1: float
    a2: float
    a3: float
    p1: float
    g1: float
    p2: float
    g2: float
    gaps: int
    violation: int


def _measure(p: Prepared, i: int, j: int, indent: float, style: ComposeStyle):
    """(natural, p1, g1, p2, g2, gaps) of the line [i, j), em."""
    l = j - 1
    badj = p.BADJ[l] - p.BADJ[i]
    hn = p.BHN[l] - p.BHN[i]
    w = p.CW[j] - p.CW[i] + p.BW[l] - p.BW[i] - p.e_w[l] - p.s_w[i]
    if i == 0:
        w += indent
    p1 = p.CP1[j] - p.CP1[i] - badj - p.e_p1[l] - p.s_p1[i]
    g1 = p.CG1[j] - p.CG1[i] + badj - p.e_g1[l] - p.s_g1[i]
    hl = style.han_latin_space
    p2 = hn * (hl - style.han_latin_min) + p.CS2[j] - p.CS2[i] - p.e_p2[l]
    g2 = hn * (style.han_latin_max - hl) + p.CG2[j] - p.CG2[i] - p.e_g2[l]
    gaps = p.BSP[l] - p.BSP[i]
    return w, p1, g1, p2, g2, gaps


def _fit(p: Prepared, i: int, j: int, n: int, measure: float, indent: float,
         style: ComposeStyle, violation: int):
    """Score the line [i, j). Returns (cost tuple, LineFit) or None if it cannot fit."""
    w, p1, g1, p2, g2, gaps = _measure(p, i, j, indent, style)
    last = j == n
    squeeze = style.max_squeeze * gaps
    d = measure - w
    a1 = a2 = a3 = 0.0
    l3 = l2 = l1 = 0.0
    if d < -EPS:
        s = -d
        if s > p1 + p2 + squeeze + EPS:
            if not violation & V_OVERFULL:
                return None
            a1, a2, a3 = -p1, -p2, -squeeze
        else:
            t1 = min(s, p1)
            t2 = min(s - t1, p2)
            t3 = max(s - t1 - t2, 0.0)
            a1, a2, a3 = -t1, -t2, -t3
        l1, l2 = a1 * a1, a2 * a2
        l3 = a3 * a3 / gaps if gaps else a3 * a3
        target = measure
    elif d > EPS and not last:
        if style.justify:
            t1 = min(d, g1)
            t2 = min(d - t1, g2)
            t3 = d - t1 - t2
            a1, a2, a3 = t1, t2, t3
            l1, l2 = t1 * t1, t2 * t2
            if t3 > EPS:
                l3 = t3 * t3 / gaps if gaps else 1e6 + t3 * t3
            target = measure
        else:
            # Flush left: the slack is not set, but prefer full lines.
            l3 = d * d
            target = w
    else:
        target = w if d > EPS else measure
    lone = 0
    if last and i > 0 and style.avoid_lone and p.CL[j] - p.CL[i] <= 1:
        lone = 1
    fit = LineFit(i, j, last, w, target, a1, a2, a3, p1, g1, p2, g2, gaps, violation)
    return (violation, lone, l3, l2, l1), fit


def break_lines(p: Prepared, measure: float, indent: float, style: ComposeStyle) -> list[LineFit]:
    """Choose the lines of a prepared segment. ``measure`` and ``indent`` in em."""
    n = len(p.infos)
    if n == 0:
        return []
    K = style.lookahead
    CMIN = p.CMIN
    PAB = p.PAB
    brk = p.brk
    near = 2.0 * measure + 1.0
    # best[pos] = (cost, prev_pos, LineFit)
    best: dict[int, tuple] = {0: ((0, 0, 0.0, 0.0, 0.0), -1, None)}
    heap = [0]
    done = set()
    while heap:
        i = heapq.heappop(heap)
        if i in done:
            continue
        done.add(i)
        if i == n:
            break
        base = best[i][0]
        avail = measure - (indent if i == 0 else 0.0)
        j_hi = bisect_right(CMIN, CMIN[i] + avail + EPS) - 1
        if j_hi > n:
            j_hi = n
        explore = CMIN[n] - CMIN[i] <= near
        cands = []
        if j_hi > i:
            j = PAB[j_hi]
            while j > i and len(cands) < K:
                r = _fit(p, i, j, n, measure, indent, style, 0)
                if r is not None:
                    cands.append(r)
                    c = r[0]
                    if not explore and c[2] == 0.0 and c[3] == 0.0 and c[4] == 0.0 and c[1] == 0:
                        break
                j = PAB[j - 1]
        if not cands:
            cands = _forced(p, i, j_hi, n, measure, indent, style)
        for cost, fit in cands:
            j = fit.end
            total = (base[0] + cost[0], base[1] + cost[1], round(base[2] + cost[2], 9),
                     round(base[3] + cost[3], 9), round(base[4] + cost[4], 9))
            old = best.get(j)
            # On a tie, prefer the later start: earlier lines fuller (as a hand compositor).
            if old is None or total < old[0] or (total == old[0] and i > old[1]):
                best[j] = (total, i, fit)
                heapq.heappush(heap, j)
    fits = []
    pos = n
    while pos > 0:
        _, prev, fit = best[pos]
        fits.append(fit)
        pos = prev
    fits.reverse()
    return fits


def _forced(p: Prepared, i: int, j_hi: int, n: int, measure: float, indent: float,
            style: ComposeStyle) -> list:
    """No allowed break fits after ``i``: break against a prohibition, inside an
    unbreakable sequence, or (a single character wider than the measure) overfull."""
    brk = p.brk
    for cls, violation in ((KINSOKU, V_KINSOKU), (NEVER, V_SPLIT)):
        j = min(j_hi, n)
        while j > i:
            if brk[j] == cls or (j == n and cls == KINSOKU):
                r = _fit(p, i, j, n, measure, indent, style, violation)
                if r is not None:
                    return [r]
            j -= 1
    j = max(min(j_hi, n), i + 1)
    r = _fit(p, i, j, n, measure, indent, style, V_OVERFULL | (V_SPLIT if brk[j] == NEVER else
                                                                 V_KINSOKU if brk[j] == KINSOKU else 0))
    assert r is not None
    return [r]
