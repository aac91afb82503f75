"""The planner's fast search (bitmask runs, span vectors, mirrored masks, the shared memo) against
a straightforward reference written here with sets of heights: the same reachable heights for
every run of stories the memo keeps, and the same plan — tree, cells, cost, ties, explanation."""

from dataclasses import dataclass
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from paperlayout.layout.plan import (FILLER_COST, LEAD_NARROW_COST, LEAD_SHARE, V_SPLIT_COST, Filler,
                                     _plan, _sum, plan_page)
from paperlayout.model import Pin, Story, StoryKind


@dataclass(frozen=True)
class Arr:
    cost: float
    flow = None


class Planner:
    """A story with given heights (rows → cost) at each span (columns)."""

    def __init__(self, sid: str, table: dict[int, dict[int, float]], importance: int, kind=StoryKind.ARTICLE,
                 pin: Pin | None = None):
        self.story = Story(id=sid, kind=kind, head="h", pin=pin)
        self.importance = importance
        self._table = {c: {h: Arr(cost) for h, cost in sorted(hs.items())} for c, hs in table.items()}

    def heights(self, c: int) -> dict:
        return self._table.get(c, {})


def reference(planners, columns, rows, honour_positions, lead_min, others_max=None, optional=0):
    """The planner's rules spelt out with sets: (reachable(i, j, c), plan as (rows, cost, tree,
    explain, cells)) — every split tried, in the order the planner documents (k, then the top's
    height or the left's span increasing), the first of equal costs kept."""
    n = len(planners)
    first_optional = n - optional
    banner = [getattr(p.story.kind, "value", "") == "banner" for p in planners]

    def leaf(i, c):
        pin = planners[i].story.pin
        if pin and pin.columns and pin.columns != c:
            return frozenset()
        if planners[i].importance == 0 and c < lead_min:
            return frozenset()
        if others_max is not None and planners[i].importance != 0 and c > others_max and not banner[i]:
            return frozenset()
        out = {h for h in planners[i].heights(c) if h <= rows}
        return frozenset(out | ({0} if i >= first_optional else set()))

    def across(i, j):
        return i < j and any(banner[i:j + 1])

    @cache
    def reach(i, j, c):
        if i == j:
            return leaf(i, c)
        out = set()
        for k in range(i, j):
            out |= {a + b for a in reach(i, k, c) for b in reach(k + 1, j, c) if a + b <= rows}
            if not across(i, j):
                for cl in range(1, c):
                    out |= reach(i, k, cl) & reach(k + 1, j, c - cl)
        return frozenset(out)

    def leaf_cost(i, c, h):
        if h == 0:
            return 0.0
        cost = planners[i].heights(c)[h].cost
        if i >= first_optional:
            cost += FILLER_COST
        if planners[i].importance == 0 and n > 1:
            cost += LEAD_NARROW_COST * max(0.0, LEAD_SHARE * columns - c)
        return cost

    @cache
    def best(i, j, c, h, col, row):
        if i == j:
            pin = planners[i].story.pin
            if honour_positions and pin and ((pin.column is not None and pin.column != col) or
                                             (pin.row is not None and pin.row != row)):
                return float("inf"), ()
            return leaf_cost(i, c, h), ("leaf", i)
        found = (float("inf"), ())
        for k in range(i, j):
            for h1 in range(0, h + 1):
                if h1 == h and k + 1 < first_optional:
                    continue
                if h1 in reach(i, k, c) and h - h1 in reach(k + 1, j, c):
                    cost = best(i, k, c, h1, col, row)[0] + best(k + 1, j, c, h - h1, col, row + h1)[0]
                    if cost < found[0]:
                        found = (cost, ("H", k, h1))
            if not across(i, j):
                for cl in range(1, c):
                    if h in reach(i, k, cl) and h in reach(k + 1, j, c - cl):
                        cost = best(i, k, cl, h, col, row)[0] + best(k + 1, j, c - cl, h, col + cl, row)[0] + V_SPLIT_COST
                        if cost < found[0]:
                            found = (cost, ("V", k, cl))
        return found

    root = reach(0, n - 1, columns)
    if not root:
        return reach, None
    heights = [h for h in sorted(root, reverse=True) if best(0, n - 1, columns, h, 0, 0)[0] < float("inf")]
    if not heights:
        return reach, None
    target = heights[0]
    explain = [f"heights reachable for the whole page: {', '.join(map(str, sorted(root)[-6:]))} … of {rows} rows"]
    for i, p in enumerate(planners):
        spans = [c for c in range(1, columns + 1) if leaf(i, c)]
        level = [c for c in spans if p.heights(c)]  # no arrangement here has a short last column
        explain.append(f"story {p.story.id!r}: spans that fit {spans}, with all columns level {level}")
    cells = {}

    def build(i, j, c, h, col, row):
        choice = best(i, j, c, h, col, row)[1]
        if choice[0] == "leaf":
            if h == 0:
                return ""
            cells[i] = (col, row, c, h)
            return f"{planners[i].story.id}[{c}×{h}]"
        _, k, x = choice
        if choice[0] == "H":
            parts, sep = (build(i, k, c, x, col, row), build(k + 1, j, c, h - x, col, row + x)), " / "
        else:
            parts, sep = (build(i, k, x, h, col, row), build(k + 1, j, c - x, h, col + x, row)), " | "
        parts = [q for q in parts if q]
        return f"({sep.join(parts)})" if len(parts) == 2 else "".join(parts)

    total = best(0, n - 1, columns, target, 0, 0)[0]
    tree = build(0, n - 1, columns, target, 0, 0)
    explain.append(f"chosen {tree} at cost {total:.1f}")
    others = [f"{h} rows: cost {best(0, n - 1, columns, h, 0, 0)[0]:.1f}" for h in heights[1:4]]
    if others:
        explain.append("shorter fills considered: " + "; ".join(others))
    return reach, (target, total, tree, tuple(explain), tuple(cells.get(i) for i in range(n)))


def _seen(plan):
    if plan is None:
        return None
    cells = tuple(None if p is None else (p.cell.column, p.cell.row, p.cell.columns, p.cell.rows)
                  for p in plan.placements)
    return plan.rows, plan.cost, plan.tree, plan.explain, cells


COSTS = st.sampled_from([0.0, 0.5, 1.0, 2.5])  # few values: ties are common


@st.composite
def pages(draw):
    """A small page: 1–5 stories (the first the lead, maybe a banner, pinned stories), each with
    a few heights at a few spans, costs that often tie; maybe holes; maybe fillers (the last)."""
    columns = draw(st.integers(2, 5))
    rows = draw(st.integers(4, 14))
    n = draw(st.integers(1, 5))
    banner_at = draw(st.one_of(st.none(), st.integers(0, n - 1)))
    planners = []
    for i in range(n):
        table = {c: dict(draw(st.lists(st.tuples(st.integers(1, rows + 2), COSTS), max_size=4)))
                 for c in draw(st.sets(st.integers(1, columns), min_size=1))}
        pin = None
        if i and draw(st.integers(0, 4)) == 0:
            pin = Pin(columns=draw(st.one_of(st.none(), st.integers(1, columns))),
                      column=draw(st.one_of(st.none(), st.integers(0, columns - 1))),
                      row=draw(st.one_of(st.none(), st.integers(0, 3))))
        kind = StoryKind.BANNER if i == banner_at and i else StoryKind.ARTICLE
        planners.append(Planner(f"s{i}", table, 0 if i == 0 else i, kind, pin))
    planners += [Filler(rows) for _ in range(draw(st.integers(0, 2)))]  # holes (空白), as a page's fallback adds
    optional = draw(st.integers(0, len(planners) - 1))
    return planners, columns, rows, optional


@settings(max_examples=300, deadline=None)
@given(pages(), st.data())
def test_search_equals_the_reference(page, data):
    """Several searches of one page sharing one memo (as plan_page runs them: the lead's spans
    bounded from the page's width down, the others held under it, fillers optional or not):
    each plan equals the reference's, and every reachable-height mask the memo holds equals
    the reference's set for that run of stories under the bounds its key names."""
    planners, columns, rows, optional = page
    memo: dict = {}
    runs = []
    for _ in range(data.draw(st.integers(1, 4))):
        lead_min = data.draw(st.integers(1, columns))
        others_max = data.draw(st.one_of(st.none(), st.integers(1, columns)))
        honour = data.draw(st.booleans())
        opt = data.draw(st.sampled_from([0, optional]))
        got = _plan(planners, columns, rows, honour, lead_min, others_max, optional=opt, memo=memo)
        reach, want = reference(planners, columns, rows, honour, lead_min, others_max, opt)
        assert _seen(got) == want
        runs.append((lead_min, others_max, opt))
    # the memo: (planners of a run, rows, how many of them optional) → (span, lead's minimum
    # if the run holds the lead, others' maximum if under the span) → mask of heights
    for (run, memo_rows, opt_in_run), masks in memo.items():
        assert memo_rows == rows
        for (c, lead_min, others_max), mask in masks.items():
            reach, _ = reference(list(run), columns, rows, True, lead_min or 1, others_max, opt_in_run)
            assert {h for h in range(rows + 1) if mask >> h & 1} == reach(0, len(run) - 1, c)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**40), st.integers(0, 2**40))
def test_sum_of_height_sets(a, b):
    """_sum(a, b) is the set of every height of a plus every height of b."""
    want = {x + y for x in range(41) if a >> x & 1 for y in range(41) if b >> y & 1}
    assert {h for h in range(82) if _sum(a, b) >> h & 1} == want
