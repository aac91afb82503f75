"""The page planner (自动组版): a cell for every story, by search over guillotine layouts.

The stories of a page, in order of importance, are laid out as a guillotine tree over the
type area (columns × rows): a node is a story, or two sub-layouts side by side (they must be
equally tall) or one above the other (their heights add). Reading order is kept — the first
story is always the top-left one, the lead (头条). For each story and span the story planner
knows the heights at which its columns end level; sets of heights are bitmasks, so the
feasibility of every sub-layout is computed exactly, and a memoised search then picks the
cheapest layout of exactly the page's height. The choice is explained in `Plan.explain`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import and_, or_

from ..frames import Cell
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .story import Arrangement, StoryPlanner

V_SPLIT_COST = 0.5
#: Cost of each filler (补白) the planner takes from the pool: a page is filled with its own copy
#: first, and with as few fillers as fill it.
FILLER_COST = 6.0
LEAD_SHARE = 0.6  # the lead should span at least this share of the page's columns
LEAD_NARROW_COST = 15.0  # per column the lead falls short of that
LEAD_HALF = 0.5  # the lead never spans less than this share (editor's rule lead-span)


@dataclass(frozen=True)
class Placement:
    """A story's chosen cell and arrangement."""

    cell: Cell
    arrangement: Arrangement


@dataclass(frozen=True)
class Plan:
    """The planner's answer for one page: placements in importance order, the filled height
    in rows, its cost and an explanation of what was tried."""

    placements: tuple[Placement | None, ...]  # None: an optional story (a filler) left out
    rows: int
    cost: float
    explain: tuple[str, ...]
    tree: str


@dataclass(frozen=True)
class HoleArrangement:
    """The arrangement of a hole: nothing to set; `cost` per its area."""

    cost: float
    flow: None = None
    chars: int = 0


class Filler:
    """A pseudo-story that fills any cell — a hole (空白), placed only when the page's copy
    cannot fill the page. Its cost is high per grid cell, so the planner makes it small."""

    HOLE_ID = "(hole)"
    COST_PER_CELL = 0.01

    def __init__(self, rows: int):
        from ..model import Story

        self.story = Story(id=self.HOLE_ID, head="")
        self.importance = 10**6
        self.rows = rows
        self._memo: dict[int, dict[int, HoleArrangement]] = {}

    def heights(self, c: int) -> dict[int, HoleArrangement]:
        found = self._memo.get(c)
        if found is None:
            found = self._memo[c] = {h: HoleArrangement(100.0 + self.COST_PER_CELL * c * h)
                                     for h in range(1, self.rows + 1)}
        return found

    def findings(self, chars: int) -> tuple:
        return ()


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _sum(a: int, b: int) -> int:
    """The sums of a height in set `a` and one in set `b` (bitmasks: bit h is height h), as the
    union of `b` shifted by each height of `a` — a run of L consecutive heights of `a` at once,
    by doubling (log L shifts): reachable heights come in runs."""
    if (a & ~(a << 1)).bit_count() > (b & ~(b << 1)).bit_count():
        a, b = b, a  # fewer runs in `a`
    out = 0
    while a:
        low = a & -a  # the lowest run of `a` starts at `low` ...
        up = a + low  # ... and ends just under the lowest bit of `up`
        a &= up  # that run removed
        length = (up & -up).bit_length() - low.bit_length()
        spread, width = b, 1  # `b` shifted by 0 .. width - 1
        while width * 2 <= length:
            spread |= spread << width
            width *= 2
        if width < length:
            spread |= spread << (length - width)
        out |= spread * low
    return out


def plan_page(planners: list[StoryPlanner], columns: int, rows: int, *, honour_positions: bool = True,
              optional: int = 0, memo: dict | None = None) -> Plan | None:
    """Plan `planners`' stories into a region `columns` wide and at most `rows` tall.

    Span pins are always kept; position pins (column, row of the story region) too unless
    `honour_positions` is off (used only to tell a pin problem from an overset). The lead
    (头条) first gets only spans of at least LEAD_SHARE of the page; only if no such page
    fills are narrower leads considered.

    The last `optional` planners are fillers (补白, from the issue's pool): each may be left
    out (its placement is None) and costs FILLER_COST when taken.

    Returns the cheapest plan of exactly `rows` rows if one exists, else the tallest plan
    that fits (leaving a hole at the foot, which the checker reports), else None (overset).

    `memo`: the heights reachable by runs of stories, shared between calls that plan the same
    planner objects (the variants of one page: fillers, a moved item, jump candidates, which
    differ in one story); keyed by the planners and every constraint the heights depend on.
    """
    wide = max(1, math.ceil(LEAD_SHARE * columns - 1e-9))
    half = max(1, math.ceil(LEAD_HALF * columns - 1e-9))  # editor's rule lead-span: never narrower
    kw = dict(optional=optional, memo={} if memo is None else memo)
    real = [p for p in planners if p.story.id != Filler.HOLE_ID and not _is_banner(p)]
    has_lead = len(real) > 1 and any(p.importance == 0 and not (p.story.pin and p.story.pin.columns) for p in real)
    if not has_lead:
        return _plan(planners, columns, rows, honour_positions, lead_min=1, **kw)
    plan = _plan(planners, columns, rows, honour_positions, lead_min=wide, **kw)
    if (plan is None or plan.rows < rows) and half < wide:
        # a narrower lead only if the wide ones leave the page unfilled; never under half the
        # page (editor's rule lead-span): then the page is short or overset, and says so
        narrow = _plan(planners, columns, rows, honour_positions, lead_min=half, **kw)
        if plan is None or (narrow is not None and narrow.rows > plan.rows):
            plan = narrow
    lead = next(i for i, p in enumerate(planners) if p.importance == 0 and not _is_banner(p))
    if plan is not None and (_widest_broken(plan, planners, lead) or plan.placements[lead].cell.columns < half):
        # editor's rules lead-widest and lead-span: hold the lead to at least L columns and the
        # others to at most L, for each L from the page's width down to half of it; the
        # cheapest plan that fills as well wins (each is a separate, exact search)
        held = [_plan(planners, columns, rows, honour_positions, lead_min=span, others_max=span, **kw)
                for span in range(columns, half - 1, -1)]
        held = [h for h in held if h is not None and h.rows >= plan.rows]
        if held:
            plan = min(held, key=lambda h: (-h.rows, h.cost))
    return plan


def _widest_broken(plan: Plan, planners, lead: int) -> bool:
    span = plan.placements[lead].cell.columns
    return any(pl.cell.columns > span for i, pl in enumerate(plan.placements)
               if pl is not None and i != lead and not _is_banner(planners[i]) and planners[i].story.id != Filler.HOLE_ID)


def _is_banner(planner) -> bool:
    return getattr(planner.story.kind, "value", "") == "banner"


def _plan(planners: list[StoryPlanner], columns: int, rows: int, honour_positions: bool, lead_min: int,
          others_max: int | None = None, optional: int = 0, memo: dict | None = None) -> Plan | None:
    n = len(planners)
    memo = {} if memo is None else memo
    leads = [0]  # leads[j] - leads[i]: stories of importance 0 among i..j-1 (their spans obey lead_min)
    for p in planners:
        leads.append(leads[-1] + (p.importance == 0))
    first_optional = n - optional
    full = (1 << (rows + 1)) - 1
    banners = [0]  # banners[j] - banners[i]: banners among stories i..j-1
    for p in planners:
        banners.append(banners[-1] + _is_banner(p))

    def across(i: int, j: int) -> bool:
        """True if region i..j holds a banner and another story: it is cut only horizontally,
        so the banner runs across it with the stories listed before it above and the rest
        below (editor's rule banner-place)."""
        return i < j and banners[j + 1] > banners[i]

    def leaf_mask(i: int, c: int) -> int:
        story = planners[i].story
        if story.pin and story.pin.columns and story.pin.columns != c:
            return 0
        if planners[i].importance == 0 and c < lead_min:
            return 0
        if others_max is not None and planners[i].importance != 0 and c > others_max and not _is_banner(planners[i]):
            return 0
        mask = 1 if i >= first_optional else 0  # height 0: a filler left out
        for h in planners[i].heights(c):
            if h <= rows:
                mask |= 1 << h
        return mask

    # feasible(i, j, c): the heights (bitmask) stories i..j can fill exactly at span c. Kept
    # per call in table[i][j][c] (None: not yet known; table[i][j][0] counts the spans known
    # from 1 up without a gap), and across calls in `memo`, under a key per run of stories (the
    # planner objects, the page's rows, how many of them are optional — a suffix) and then per
    # (span; the lead's minimum span if the run holds a lead, as any minimum over the span is
    # one more than it; the others' maximum span if it is narrower than the span — at or over
    # it the bound changes nothing).
    table: list[list[list | None]] = [[None] * n for _ in range(n)]
    runs: dict[tuple[int, int], dict] = {}
    bound = [others_max if others_max is not None and others_max < c else None for c in range(columns + 1)]
    with_lead = [(c, min(lead_min, c + 1), bound[c]) for c in range(columns + 1)]  # keys in a run's entry
    without_lead = [(c, 0, bound[c]) for c in range(columns + 1)]

    def row_of(i: int, j: int) -> list:
        row = table[i][j]
        if row is None:
            row = table[i][j] = [0] + [None] * columns
        return row

    def feasible(i: int, j: int, c: int) -> int:
        row = table[i][j] or row_of(i, j)
        hit = row[c]
        if hit is not None:
            return hit
        run = runs.get((i, j))
        if run is None:
            run = runs[(i, j)] = memo.setdefault(
                (tuple(planners[i:j + 1]), rows, j + 1 - max(i, min(first_optional, j + 1))), {})
        key = with_lead[c] if leads[j + 1] > leads[i] else without_lead[c]
        hit = run.get(key)
        if hit is None:
            hit = run[key] = _feasible(i, j, c)
        row[c] = hit
        return hit

    def spans(i: int, j: int, upto: int) -> list:
        """table[i][j] with feasible(i, j, cl) known for cl in 1 .. upto."""
        row = table[i][j] or row_of(i, j)
        if row[0] < upto:
            for cl in range(row[0] + 1, upto + 1):
                if row[cl] is None:
                    feasible(i, j, cl)
            row[0] = upto
        return row

    def _feasible(i: int, j: int, c: int) -> int:
        if i == j:
            return leaf_mask(i, c)
        mask = 0
        vertical = c > 1 and not across(i, j)
        for k in range(i, j):
            lefts, rights = table[i][k] or row_of(i, k), table[k + 1][j] or row_of(k + 1, j)
            top, bottom = lefts[c], rights[c]
            if top is None:
                top = feasible(i, k, c)
            if bottom is None:
                bottom = feasible(k + 1, j, c)
            if top and bottom:
                mask |= _sum(top, bottom)
            if vertical:  # left i..k at cl columns, right k+1..j at c - cl, equally tall
                if lefts[0] < c - 1:
                    spans(i, k, c - 1)
                if rights[0] < c - 1:
                    spans(k + 1, j, c - 1)
                mask = reduce(or_, map(and_, lefts[1:c], rights[c - 1:0:-1]), mask)
        return mask & full

    def leaf_cost(i: int, c: int, h: int) -> float:
        if h == 0:
            return 0.0  # a filler left out
        cost = planners[i].heights(c)[h].cost
        if i >= first_optional:
            cost += FILLER_COST
        if planners[i].importance == 0 and n > 1:
            cost += LEAD_NARROW_COST * max(0.0, LEAD_SHARE * columns - c)
        return cost

    flipped: dict[int, int] = {}  # mask → the mask mirrored: bit h moved to bit rows - h
    digits = f"0{rows + 1}b"  # format of a mask as rows + 1 binary digits

    def pairs(top: int, bottom: int, h: int, optional_below: bool) -> int:
        """The heights h1 of `top` (h1 < h, or ≤ h if the stories below may all be left out)
        with h - h1 in `bottom`: bit h - h1 of `bottom` is bit rows - h + h1 of it mirrored."""
        mirror = flipped.get(bottom)
        if mirror is None:
            mirror = flipped[bottom] = int(format(bottom, digits)[::-1], 2)
        return top & ((2 << h) - 1 if optional_below else (1 << h) - 1) & (mirror >> (rows - h))

    @lru_cache(maxsize=None)
    def best(i: int, j: int, c: int, h: int) -> tuple[float, tuple]:
        if i == j:
            return leaf_cost(i, c, h), ("leaf", i)
        found: tuple[float, tuple] = (float("inf"), ())
        vertical = c > 1 and not across(i, j)
        bit = 1 << h
        for k in range(i, j):
            both = pairs(feasible(i, k, c), feasible(k + 1, j, c), h, k + 1 >= first_optional)
            while both:  # in increasing h1, as ties go to the first
                low = both & -both
                both ^= low
                h1 = low.bit_length() - 1
                cost = best(i, k, c, h1)[0] + best(k + 1, j, c, h - h1)[0]
                if cost < found[0]:
                    found = (cost, ("H", k, h1))
            if vertical:
                lefts, rights = spans(i, k, c - 1), spans(k + 1, j, c - 1)
                for cl in range(1, c):
                    if lefts[cl] & bit and rights[c - cl] & bit:
                        cost = best(i, k, cl, h)[0] + best(k + 1, j, c - cl, h)[0] + V_SPLIT_COST
                        if cost < found[0]:
                            found = (cost, ("V", k, cl))
        return found

    placed_pins = [i for i in range(n) if honour_positions and planners[i].story.pin and
                   (planners[i].story.pin.column is not None or planners[i].story.pin.row is not None)]

    @lru_cache(maxsize=None)
    def best_at(i: int, j: int, c: int, h: int, col: int, row: int) -> tuple[float, tuple]:
        """As `best`, for a region whose top-left is (col, row): honours position pins."""
        if not any(i <= p <= j for p in placed_pins):
            return best(i, j, c, h)
        if i == j:
            pin = planners[i].story.pin
            if (pin.column is not None and pin.column != col) or (pin.row is not None and pin.row != row):
                return float("inf"), ()
            return best(i, i, c, h)
        found: tuple[float, tuple] = (float("inf"), ())
        vertical = c > 1 and not across(i, j)
        bit = 1 << h
        for k in range(i, j):
            both = pairs(feasible(i, k, c), feasible(k + 1, j, c), h, k + 1 >= first_optional)
            while both:  # in increasing h1, as ties go to the first
                low = both & -both
                both ^= low
                h1 = low.bit_length() - 1
                cost = best_at(i, k, c, h1, col, row)[0] + best_at(k + 1, j, c, h - h1, col, row + h1)[0]
                if cost < found[0]:
                    found = (cost, ("H", k, h1))
            if not vertical:
                continue
            lefts, rights = spans(i, k, c - 1), spans(k + 1, j, c - 1)
            for cl in range(1, c):
                if lefts[cl] & bit and rights[c - cl] & bit:
                    cost = best_at(i, k, cl, h, col, row)[0] + best_at(k + 1, j, c - cl, h, col + cl, row)[0] + V_SPLIT_COST
                    if cost < found[0]:
                        found = (cost, ("V", k, cl))
        return found

    try:
        root = feasible(0, n - 1, columns)
        if not root:
            return None
        heights = [h for h in sorted(_bits(root), reverse=True) if best_at(0, n - 1, columns, h, 0, 0)[0] < float("inf")]
        if not heights:
            return None  # no layout puts the pinned stories where the editor pinned them
        target = heights[0]  # == rows when the page can be filled exactly
        explain = [f"heights reachable for the whole page: {', '.join(map(str, list(_bits(root))[-6:]))} … of {rows} rows"]
        for i, planner in enumerate(planners):
            fits = [c for c in range(1, columns + 1) if leaf_mask(i, c)]
            exact = [c for c in fits if any(a.flow is None or not a.flow.short_last for a in planner.heights(c).values())]
            explain.append(f"story {planner.story.id!r}: spans that fit {fits}, with all columns level {exact}")
        placements: dict[int, Placement] = {}

        def build(i: int, j: int, c: int, h: int, col: int, row: int) -> str:
            cost, choice = best_at(i, j, c, h, col, row)
            if choice[0] == "leaf":
                if h == 0:
                    return ""  # a filler left out
                arrangement = planners[i].heights(c)[h]
                placements[i] = Placement(Cell(col, row, c, h), arrangement)
                return f"{planners[i].story.id}[{c}×{h}]"
            if choice[0] == "H":
                _, k, h1 = choice
                parts = (build(i, k, c, h1, col, row), build(k + 1, j, c, h - h1, col, row + h1))
                sep = " / "
            else:
                _, k, cl = choice
                parts = (build(i, k, cl, h, col, row), build(k + 1, j, c - cl, h, col + cl, row))
                sep = " | "
            parts = [p for p in parts if p]  # fillers left out are not drawn
            return f"({sep.join(parts)})" if len(parts) == 2 else "".join(parts)

        total, _ = best_at(0, n - 1, columns, target, 0, 0)
        tree = build(0, n - 1, columns, target, 0, 0)
        explain.append(f"chosen {tree} at cost {total:.1f}")
        alternatives = []
        for cand in heights[1:4]:
            alternatives.append(f"{cand} rows: cost {best_at(0, n - 1, columns, cand, 0, 0)[0]:.1f}")
        if alternatives:
            explain.append("shorter fills considered: " + "; ".join(alternatives))
        ordered = tuple(placements.get(i) for i in range(n))
        return Plan(ordered, target, total, tuple(explain), tree)
    finally:
        # the searches are closures that call themselves through their cells (best, best_at,
        # feasible …): a reference cycle holding every planner of the page, which only a full
        # collection would free. Emptying the cells frees them (and the page's measured
        # stories) as soon as this call returns.
        across = leaf_mask = row_of = feasible = spans = _feasible = leaf_cost = pairs = None
        best = best_at = build = None
