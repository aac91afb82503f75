"""Line breaking (断行): choose where a paragraph's lines end.

A total fit over the paragraph: each line is scored by how it must be adjusted to reach
the measure, and the breaks minimise the paragraph's total score. Scores are compared as
priorities, never summed with weights (TYPOGRAPHY.md "Resolving a violation"):

    (forced violations, inter-character spacing beyond the tolerance, lone last
     character, inter-character adjustment, Han–Latin / word-space adjustment,
     punctuation adjustment)

so a line pushed in (挤进) by compressing punctuation beats one pushed out (推出) that
must open the spacing between characters. Spacing between characters of more than
``SPREAD_TOLERANCE`` em is worse than anything but a broken prohibition: the breaks move
the slack to lines that have punctuation or Han–Latin space to take it, even several
lines back. A lone character on the last line (GB/T 15834 §5.1.11) is avoided by
compressing punctuation or by spacing within the tolerance, not by spacing a line out
beyond it (the composer reports such a paragraph).

Latin copy (Knuth–Plass style, inside the same search): a line may end at a hyphenation
point (its width includes the hyphen) or a URL break, at a penalty added to its level-2
cost, more when the line before also ends with a hyphen; level-2 cost is counted per word
space; a line of Latin words letter-spaces at level 3 (its word spaces stay within
rules.WORD_SPACE_BOUNDS); when every candidate from a start would be spaced beyond the
tolerance, the word or URL piece that overflows the line may be broken at an emergency
point (third priority, reported). Latin paragraphs score ``lookahead`` candidates from
every start.

For speed, a first pass does not explore shorter alternatives from a start whose longest
line needs no inter-character spacing. If that leaves a line spaced out, or a lone
character on the last line, a second pass explores every start (see ``break_lines``); it
leaves out the positions it reaches at a higher total cost than the first pass's path, when
it could choose every line of that path itself (exact: the same breaks and ties, see
``_search``). Lengths in em.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import dataclass

from .prepare import KINSOKU, NEVER, Prepared
from .rules import BREAK_PENALTY, SPREAD_TOLERANCE
from .style import ComposeStyle

EPS = 1e-9

#: Violation weights inside the first priority: a forced prohibition counts 1, a split
#: unbreakable sequence 2, an overfull line 4.
V_KINSOKU = 1
V_SPLIT = 2
V_OVERFULL = 4
#: Not a violation (cost priority 3, after spacing beyond the tolerance): a word broken at
#: an emergency point (rules.EMERGENCY_MIN_SIDE) because no break kept the line's spacing
#: within the rules. Reported like a split.
V_EMERGENCY = 8
#: Cost of an emergency break in the third priority (a lone last character costs 1).
EMERGENCY_COST = 2

_DOUBLE_HYPHEN = BREAK_PENALTY["double-hyphen"]


@dataclass(frozen=True, slots=True)
class LineFit:
    """How one chosen line [start, end) is set.

    natural: em, its width after style compression and line-edge rules (indent included);
    target: em, the width to reach (the measure, or natural for a flush-left line);
    a1, a2, a3: em, the adjustment taken from punctuation, Han–Latin / word spaces, and
    inter-character spacing (positive: the line grows; negative: it shrinks);
    p1, g1, p2, g2: em, capacities of levels 1 and 2 (shrink, grow); gaps: spreadable
    boundaries; violation: 0, V_KINSOKU, V_SPLIT or V_OVERFULL; hang: the last mark hangs
    past the measure (``natural`` excludes it).
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
    hang: bool = False


def _fit_maker():
    """A fast constructor of LineFit from (start, end, data): ``make_fit(i, j, data)`` is
    ``LineFit(i, j, *data)`` (data: the 13 fields after ``end``, as ``_score`` gives them);
    it sets the slots directly instead of going through the frozen dataclass ``__init__``
    (as model.make_glyph does for Glyph: the composer builds one per line set)."""
    new = object.__new__
    names = tuple(LineFit.__dataclass_fields__)
    assert len(names) == 15
    (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14) = (LineFit.__dict__[name].__set__
                                                                          for name in names)

    def make_fit(i: int, j: int, data: tuple) -> LineFit:
        last, natural, target, a1, a2, a3, p1, g1, p2, g2, gaps, violation, hang = data
        fit = new(LineFit)
        s0(fit, i)
        s1(fit, j)
        s2(fit, last)
        s3(fit, natural)
        s4(fit, target)
        s5(fit, a1)
        s6(fit, a2)
        s7(fit, a3)
        s8(fit, p1)
        s9(fit, g1)
        s10(fit, p2)
        s11(fit, g2)
        s12(fit, gaps)
        s13(fit, violation)
        s14(fit, hang)
        return fit

    return make_fit


make_fit = _fit_maker()


def _fit(p: Prepared, i: int, j: int, n: int, measure: float, indent: float,
         style: ComposeStyle, violation: int):
    """Score the line [i, j) (em). Returns (cost tuple, LineFit) or None if it cannot fit."""
    r = _score(p, i, j, n, measure, indent, style, violation)
    if r is None:
        return None
    return r[0], make_fit(i, j, r[1])


def _score(p: Prepared, i: int, j: int, n: int, measure: float, indent: float,
           style: ComposeStyle, violation: int):
    """(cost, (last, natural, target, a1, a2, a3, p1, g1, p2, g2, gaps, violation)) or None.

    cost = (violation, over, lone, L3, L2, L1): squared adjustments per level (L3 per
    gap, L2 per word space when the line has two or more, plus the penalty of a break
    inside a Latin run, rules.BREAK_PENALTY); over: the squared inter-character spacing
    beyond SPREAD_TOLERANCE, per gap. A line ending at a hyphenation point includes the
    hyphen in its width. ``violation`` V_EMERGENCY costs EMERGENCY_COST in third place.
    """
    l = j - 1
    infos = p.infos
    end = infos[l]
    first = infos[i]
    badj = p.BADJ[l] - p.BADJ[i]
    hn = p.BHN[l] - p.BHN[i]
    w = p.CW[j] - p.CW[i] + p.BW[l] - p.BW[i] - end.e_w - first.s_w
    if i == 0:
        w += indent
    if p.hyw is not None:
        w += p.hyw[j]
    p1 = p.CP1[j] - p.CP1[i] - badj - end.e_p1 - first.s_p1
    hl = style.han_latin_space
    p2 = hn * (hl - style.han_latin_min) + p.CS2[j] - p.CS2[i] - end.e_p2
    gaps = p.BSP[l] - p.BSP[i]
    last = j == n
    d = measure - w
    hang = False
    if end.hang and d < -EPS and not last:
        # 行末悬挂: the mark goes past the measure instead of pushing in or out.
        hw = end.hang
        if d + hw > -EPS:
            hang = True
            w -= hw
            d += hw
            p1 -= end.cp1 - end.e_p1
    a1 = a2 = a3 = 0.0
    l3 = l2 = l1 = over = 0.0
    g1 = g2 = 0.0
    if d < -EPS:
        s = -d
        squeeze = style.max_squeeze * gaps
        if s > p1 + p2 + squeeze + EPS:
            if not violation & V_OVERFULL:
                return None
            a1, a2, a3 = -p1, -p2, -squeeze
        else:
            t1 = s if s < p1 else p1
            t2 = min(s - t1, p2)
            t3 = max(s - t1 - t2, 0.0)
            a1, a2, a3 = -t1, -t2, -t3
        l1, l2 = a1 * a1, a2 * a2
        l3 = a3 * a3 / gaps if gaps else a3 * a3
        target = measure
    elif d > EPS and not last:
        if style.justify:
            g1 = p.CG1[j] - p.CG1[i] + badj - end.e_g1 - first.s_g1
            if hang:
                g1 -= end.cg1 - end.e_g1
            g2 = hn * (style.han_latin_max - hl) + p.CG2[j] - p.CG2[i] - end.e_g2
            t1 = d if d < g1 else g1
            t2 = min(d - t1, g2)
            t3 = d - t1 - t2
            a1, a2, a3 = t1, t2, t3
            l1, l2 = t1 * t1, t2 * t2
            if t3 > EPS:
                if gaps:
                    per = t3 / gaps
                    l3 = t3 * per
                    if per > SPREAD_TOLERANCE:
                        over = (per - SPREAD_TOLERANCE) * (t3 - SPREAD_TOLERANCE * gaps)
                elif p.NSP is not None and p.NSP[l] > p.NSP[i] and j - i > 1:
                    # A line of Latin words: level 3 letter-spaces all its characters
                    # (word spaces stay within bounds); beyond the tolerance it is over.
                    all_gaps = j - i - 1
                    per = t3 / all_gaps
                    l3 = t3 * per
                    if per > SPREAD_TOLERANCE:
                        over = (per - SPREAD_TOLERANCE) * (t3 - SPREAD_TOLERANCE * all_gaps)
                else:
                    l3 = 1e6 + t3 * t3
                    over = 1e6 + t3 * t3
            target = measure
        else:
            # Flush left: the slack is not set, but fuller lines are preferred.
            l3 = d * d
            target = w
    else:
        target = w if d > EPS else measure
    lone = 0
    if last and i > 0 and style.avoid_lone and p.CL[j] - p.CL[i] <= 1:
        lone = 1
    if p.NSP is not None:
        ns = p.NSP[l] - p.NSP[i]
        if ns > 1:
            l2 = l2 / ns
    if p.pen is not None:
        l2 += p.pen[j]
        if p.hyw[j] and p.hyw[i]:
            l2 += _DOUBLE_HYPHEN
    vcost = violation
    if violation & V_EMERGENCY:
        vcost = violation & ~V_EMERGENCY
        lone += EMERGENCY_COST
    return ((vcost, over, lone, l3, l2, l1),
            (last, w, target, a1, a2, a3, p1, g1, p2, g2, gaps, violation, hang))


def break_lines(p: Prepared, measure: float, indent: float, style: ComposeStyle) -> list[LineFit]:
    """Choose the lines of a prepared segment. ``measure`` and ``indent`` in em.

    A first pass explores alternatives only from starts whose longest line needs
    inter-character spacing. That misses the usual cure for such a line: breaking
    earlier lines differently, so that its slack lands on a line with punctuation or
    Han–Latin space to take it (a pushed-in line several lines back shifts every line
    after it). So if the last line holds a lone character, a second pass explores the
    starts within two lines of the end; if that is not enough, or a line had to be spaced
    beyond the tolerance, a last pass explores the alternatives of every start.
    """
    n = len(p.infos)
    out = []
    for i, j, _, data in break_path(p, measure, indent, style):
        if data is None:
            data = _score(p, i, j, n, measure, indent, style, 0)[1]
        out.append(make_fit(i, j, data))
    return out


def break_path(p: Prepared, measure: float, indent: float, style: ComposeStyle) -> list[tuple]:
    """The lines ``break_lines`` chooses, as (start, end, cost, data): ``data`` is the
    tail of the LineFit (``LineFit(start, end, *data)``), or None for a line that has no
    forced break and no inter-character spacing beyond the tolerance (cost[0] == cost[1]
    == 0: it carries no diagnostic, and is not loose). For counting lines without
    building them."""
    path, bound = _search(p, measure, indent, style, -1.0)
    if len(path) > 1:
        CL = p.CL
        lone = style.avoid_lone and CL[path[-1][1]] - CL[path[-1][0]] <= 1
        if lone:
            path, second = _search(p, measure, indent, style, 2.0 * measure + 1.0)
            if second is not None and (bound is None or second < bound):
                bound = second
            lone = CL[path[-1][1]] - CL[path[-1][0]] <= 1
        again = lone
        if not again:
            for e in path:  # (a line without data is not loose: a loop, not any(): many calls)
                if e[3] is not None and _loose(e):
                    again = True
                    break
        if again:
            # The last pass costs no more than a path of an earlier pass whose every line it
            # may choose too: a bound on its search (see _search).
            path = _search(p, measure, indent, style, float("inf"), bound)[0]
    return path


def _loose(entry: tuple) -> bool:
    """A line (not the last) spaced beyond the tolerance between characters."""
    data = entry[3]
    if data is None:   # no inter-character spacing beyond the tolerance (over == 0)
        return False
    # data = (last, natural, target, a1, a2, a3, p1, g1, p2, g2, gaps, violation, hang)
    # With no spreadable gap (a line of Latin words) the spacing goes between all its
    # characters (justify.build_line).
    gaps = data[10] or max(entry[1] - entry[0] - 1, 1)
    return data[5] > SPREAD_TOLERANCE * gaps + EPS and not data[0]


def _search(p: Prepared, measure: float, indent: float, style: ComposeStyle,
            near: float, bound: tuple | None = None) -> tuple[list[tuple], tuple | None]:
    """Total fit. From a start within ``near`` em (minimum widths) of the end, up to
    ``style.lookahead`` candidate lines are scored; from the others, candidates stop at
    the first that needs no inter-character spacing.

    Returns the path (as ``break_path``) and, when every line of it is one the search
    exploring every start would also consider (``near`` = inf), its total cost, else None.
    Such a total is a ``bound`` for that search: every part of every line cost is
    non-negative, so a position reached at a total above the bound lies on no path as cheap
    as the best, and is left out; every position of the best paths, and of their ties, is
    reached at a total within it, from the same start, so the breaks and ties chosen are the
    same as without the bound. (Non-negative in floating point too: squares, positive
    quotients, rules.BREAK_PENALTY; ``over`` = (per − tol)(t3 − tol·gaps) is computed only
    when fl(t3 / gaps) > tol, so t3 > tol·gaps exactly, and as t3 is a double, no nearer
    double lies between, so t3 ≥ fl(tol·gaps); sums of non-negative parts never decrease.)

    The scoring of ``_score`` (violation 0) is inlined here, expression for expression
    (the same floating-point results, so the same ties): this loop is most of the cost of
    composing and of counting lines. Each candidate is relaxed as soon as it is scored
    (the lines from one start end at distinct positions, so the order does not matter)."""
    infos = p.infos
    n = len(infos)
    if n == 0:
        return [], None
    K = style.lookahead
    CMIN = p.CMIN
    PAB = p.PAB
    CW, BW, CP1, CS2, BADJ, BHN, BSP, CL = p.CW, p.BW, p.CP1, p.CS2, p.BADJ, p.BHN, p.BSP, p.CL
    CG1, CG2 = p.CG1, p.CG2
    justify = style.justify
    avoid_lone = style.avoid_lone
    max_squeeze = style.max_squeeze
    hl = style.han_latin_space
    hl_shrink = hl - style.han_latin_min
    hl_grow = style.han_latin_max - hl
    tol = SPREAD_TOLERANCE
    HYW, PEN, NSP, EMG = p.hyw, p.pen, p.NSP, p.emg
    special = HYW is not None
    # Latin copy (word spaces, breaks inside Latin runs): score up to K candidates from
    # every start, so that hyphenation and word spacing are traded (Knuth–Plass style).
    latin = special or NSP is not None
    dbl = _DOUBLE_HYPHEN
    heappop, heappush = heapq.heappop, heapq.heappush
    bisect = bisect_right
    CMIN_n = CMIN[n]
    may_explore = near >= 0.0  # CMIN is non-decreasing: no start explores below 0
    # best[pos] = (total cost, prev_pos, line cost, line data of a forced line or None):
    # the data of the other lines are recomputed for the chosen path only (and, for a
    # line not spaced beyond the tolerance, only when a LineFit is built).
    best: list = [None] * (n + 1)
    best[0] = ((0, 0, 0.0, 0.0, 0.0, 0.0), -1, None, None)
    bad: dict[int, int] = {}  # position → the start of a line to it that exploring would not consider
    heap = [0]
    while heap:
        i = heappop(heap)
        if i == n:
            break
        b0, b1, b2, b3, b4, b5 = best[i][0]
        # the longest line from i in minimum widths (CMIN has n + 1 entries: j_hi <= n);
        # measure is measure - 0.0, bit for bit
        j_hi = bisect(CMIN, CMIN[i] + (measure - indent if i == 0 else measure) + EPS) - 1
        explore = may_explore and CMIN_n - CMIN[i] <= near
        # A line spaced beyond the tolerance is not worth exploring once one within it
        # from the same start exists (lines get looser as they get shorter).
        clean = False  # a line kept from i is within the tolerance (over == 0)
        got = 0        # candidates kept
        zero = False   # a line kept from i has no over > 0 (else: emergency breaks)
        broken = False  # a kept line that the search exploring every start does not consider
        if j_hi > i:
            first = infos[i]
            f_s_w = first.s_w
            CW_i, BW_i = CW[i], BW[i]
            w0 = indent if i == 0 else None
            j = PAB[j_hi]
            while j > i and got < K:
                # -- _score(p, i, j, n, measure, indent, style, 0), inlined --
                l = j - 1
                end = infos[l]
                w = CW[j] - CW_i + BW[l] - BW_i - end.e_w - f_s_w
                if w0 is not None:
                    w += w0
                if special:
                    w += HYW[j]
                d = measure - w
                hang = False
                if d < -EPS:
                    if end.hang and j != n and d + end.hang > -EPS:
                        # 行末悬挂: the mark goes past the measure instead of pushing in or out
                        # (the line's width, less the mark, no longer needs pushing in).
                        hang = True
                        d += end.hang
                    else:
                        badj = BADJ[l] - BADJ[i]
                        p1 = CP1[j] - CP1[i] - badj - end.e_p1 - first.s_p1
                        p2 = (BHN[l] - BHN[i]) * hl_shrink + CS2[j] - CS2[i] - end.e_p2
                        gaps = BSP[l] - BSP[i]
                        s = -d
                        if s > p1 + p2 + max_squeeze * gaps + EPS:
                            j = PAB[l]  # overfull: not a candidate
                            continue
                        t1 = s if s < p1 else p1
                        t2 = s - t1
                        if p2 < t2:
                            t2 = p2
                        t3 = s - t1 - t2
                        if t3 < 0.0:
                            t3 = 0.0
                        l1, l2 = t1 * t1, t2 * t2
                        l3 = t3 * t3 / gaps if gaps else t3 * t3
                        over = 0.0
                if d < -EPS:
                    pass  # pushed in (scored above); a hung line has d > -EPS and goes on
                elif d > EPS and j != n:
                    over = 0.0
                    if justify:
                        badj = BADJ[l] - BADJ[i]
                        g1 = CG1[j] - CG1[i] + badj - end.e_g1 - first.s_g1
                        if hang:
                            g1 -= end.cg1 - end.e_g1
                        g2 = (BHN[l] - BHN[i]) * hl_grow + CG2[j] - CG2[i] - end.e_g2
                        t1 = d if d < g1 else g1
                        t2 = d - t1
                        if g2 < t2:
                            t2 = g2
                        t3 = d - t1 - t2
                        l1, l2 = t1 * t1, t2 * t2
                        l3 = 0.0
                        if t3 > EPS:
                            gaps = BSP[l] - BSP[i]
                            if gaps:
                                per = t3 / gaps
                                l3 = t3 * per
                                if per > tol:
                                    over = (per - tol) * (t3 - tol * gaps)
                            elif NSP is not None and NSP[l] > NSP[i] and j - i > 1:
                                all_gaps = j - i - 1
                                per = t3 / all_gaps
                                l3 = t3 * per
                                if per > tol:
                                    over = (per - tol) * (t3 - tol * all_gaps)
                            else:
                                l3 = 1e6 + t3 * t3
                                over = 1e6 + t3 * t3
                    else:
                        l3 = d * d
                        l2 = l1 = 0.0
                else:
                    l3 = l2 = l1 = over = 0.0
                if j == n:
                    lone = 1 if i > 0 and avoid_lone and CL[j] - CL[i] <= 1 else 0
                else:
                    lone = 0
                if latin:
                    if NSP is not None:
                        ns = NSP[l] - NSP[i]
                        if ns > 1:
                            l2 = l2 / ns
                    if special:
                        l2 += PEN[j]
                        if HYW[j] and HYW[i]:
                            l2 += dbl
                # -- end of inlined _score --
                if not explore:
                    stop = l3 == 0.0 and not latin
                    if over == 0.0:
                        clean = True
                    elif clean and not latin:
                        # the search exploring every start stops here (below), so neither
                        # this line nor the ones after it are among its lines
                        broken = True
                elif over == 0.0:
                    stop = False
                    clean = True
                elif clean and not latin:
                    break
                else:
                    stop = False
                got += 1
                if not over > 0.0:
                    zero = True
                total = (b0, b1 + over, b2 + lone, b3 + l3, b4 + l2, b5 + l1)
                old = best[j]
                # Starts are taken in increasing order, so ``i`` is later than the start of
                # any entry already there: on a tie it wins (earlier lines fuller, as a hand
                # compositor sets them).
                if old is None:
                    if bound is None or not total > bound:
                        best[j] = (total, i, (0, over, lone, l3, l2, l1), None)
                        heappush(heap, j)  # once: positions are taken in increasing order, so
                        # every start that reaches j is done before j is taken
                        if broken:
                            bad[j] = i
                elif total <= old[0]:
                    best[j] = (total, i, (0, over, lone, l3, l2, l1), None)
                    if broken:
                        bad[j] = i
                if stop:
                    break
                j = PAB[l]
        if EMG and j_hi > i and not zero:
            # Nothing keeps this line within the spacing rules: break the word that
            # overflows it at an emergency point (rules.EMERGENCY_MIN_SIDE), hyphenated.
            cands = []
            k = bisect(EMG, j_hi) - 1
            lo = max(PAB[j_hi], i)
            n_emg = 0
            while k >= 0 and EMG[k] > lo and n_emg < K:
                r = _score(p, i, EMG[k], n, measure, indent, style, V_EMERGENCY)
                if r is not None:
                    cands.append((EMG[k], r[0], r[1]))
                    n_emg += 1
                k -= 1
            got += n_emg
        elif got:
            continue
        else:
            cands = []
        if not got:
            cands = [(j, r[0], r[1]) for j, r in _forced(p, i, j_hi, n, measure, indent, style)]
        for j, cost, data in cands:
            c0, c1, c2, c3, c4, c5 = cost
            total = (b0 + c0, b1 + c1, b2 + c2, b3 + c3, b4 + c4, b5 + c5)
            old = best[j]
            if old is None:
                if bound is None or not total > bound:
                    best[j] = (total, i, cost, data)
                    heappush(heap, j)
            elif total <= old[0]:
                best[j] = (total, i, cost, data)
    path = []
    pos = n
    explored = True  # every line is one the search exploring every start considers
    while pos > 0:
        _, prev, cost, data = best[pos]
        if data is None and cost[1] > 0.0:
            data = _score(p, prev, pos, n, measure, indent, style, 0)[1]
        path.append((prev, pos, cost, data))
        if bad and bad.get(pos) == prev:  # a start sets a position once
            explored = False
        pos = prev
    path.reverse()
    return path, (best[n][0] if explored else None)


def _forced(p: Prepared, i: int, j_hi: int, n: int, measure: float, indent: float,
            style: ComposeStyle) -> list:
    """No allowed break fits after ``i``: break against a prohibition, inside an
    unbreakable sequence, or (a single character wider than the measure) overfull."""
    brk = p.brk
    if p.lastr:
        # Inside a word (hyphenated) or a URL piece first (latin.LatinBreaks.last_resort),
        # rather than against a prohibition or between a word and its comma.
        k = bisect_right(p.lastr, j_hi) - 1
        while k >= 0 and p.lastr[k] > i:
            r = _score(p, i, p.lastr[k], n, measure, indent, style, V_SPLIT)
            if r is not None:
                return [(p.lastr[k], r)]
            k -= 1
    for cls, violation in ((KINSOKU, V_KINSOKU), (NEVER, V_SPLIT)):
        j = min(j_hi, n)
        while j > i:
            if brk[j] == cls or (j == n and cls == KINSOKU):
                r = _score(p, i, j, n, measure, indent, style, violation)
                if r is not None:
                    return [(j, r)]
            j -= 1
    j = max(min(j_hi, n), i + 1)
    violation = V_OVERFULL | (V_SPLIT if brk[j] == NEVER else V_KINSOKU if brk[j] == KINSOKU else 0)
    r = _score(p, i, j, n, measure, indent, style, violation)
    assert r is not None
    return [(j, r)]
