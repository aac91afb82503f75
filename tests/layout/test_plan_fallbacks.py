"""The planner's fallbacks (issue 9): fillers (补白) as optional stories of the page search, a
short item moved to the foot, and emergency breaks reported as errors naming page and story."""

from dataclasses import dataclass

from paperlayout.diagnostics import Level, warning
from paperlayout.layout.plan import FILLER_COST, plan_page
from paperlayout.model import Story


@dataclass(frozen=True)
class FakeArrangement:
    cost: float
    flow = None


class FakePlanner:
    """A story of `area` column-rows whose columns end level at span c when c divides it."""

    def __init__(self, sid, area, importance=1):
        self.story = Story(id=sid, head="h")
        self.area = area
        self.importance = importance

    def heights(self, c):
        return {self.area // c: FakeArrangement(0.0)} if self.area % c == 0 else {}


def _covered(plan):
    return sum(p.cell.columns * p.cell.rows for p in plan.placements if p is not None)


def test_fillers_are_taken_only_as_needed_to_fill_the_page():
    """8 × 10 page: the lead takes 8 × 6; two more rows are filled by one 8-column filler of
    16 column-rows, and the other fillers (which would not fit or are not needed) are left out."""
    stories = [FakePlanner("lead", 48, importance=0), FakePlanner("b", 16)]
    fillers = [FakePlanner("big", 40), FakePlanner("fits", 16), FakePlanner("also", 24)]
    assert plan_page(stories, 8, 10).rows == 8  # without fillers the page is two rows short
    plan = plan_page(stories + fillers, 8, 10, optional=3)
    assert plan.rows == 10 and _covered(plan) == 80
    taken = [p.arrangement is not None for p in plan.placements[2:] if p is not None]
    assert [p is None for p in plan.placements[2:]] == [True, False, True]  # only 'fits' is taken
    assert plan.placements[3].cell.rows * plan.placements[3].cell.columns == 16 and taken == [True]
    assert "big" not in plan.tree and "also" not in plan.tree and "fits" in plan.tree


def test_no_filler_is_taken_when_the_page_fills_without_one():
    stories = [FakePlanner("lead", 48, importance=0), FakePlanner("b", 32)]
    plan = plan_page(stories + [FakePlanner("f", 16)], 8, 10, optional=1)
    assert plan.rows == 10 and plan.placements[2] is None and plan.cost < FILLER_COST


def test_emergency_breaks_become_errors_naming_page_story_and_fix():
    from paperlayout.layout.issue import _emergency

    split = warning("unbreakable-split", "issue.yaml:9 pages[0].stories[1].body[0]: line 3",
                    "no break keeps the spacing within the rules: a URL is broken where it has no break point, after 'gri.exam'")
    found = _emergency(split, "page 1", "expo", 3)
    assert found.level == Level.ERROR and found.where == split.where
    assert found.message.startswith("page 1 / story 'expo' (3 columns): no break keeps")
    assert "'gri.exam'" in found.message and "wider span" in found.message
    head = warning("head-break", "story 'x'", "the head '全旗经济' has no break between words that fits")
    assert _emergency(head, "page 2", "x", 1).level == Level.ERROR
    loose = warning("loose-line", "w", "spread")
    assert _emergency(loose, "page 1", "x", 1) is loose  # other findings are left as they are


def test_a_short_item_moved_to_the_foot_fills_a_page_its_order_cannot():
    """4 × 10 page, stories of 6, 4, 8, 4 and 18 column-rows in that order: no guillotine layout
    keeps the order, but with the fourth (a short item ranked after the first three) at the foot
    the page fills exactly; the lead stays first."""
    from paperlayout.layout.issue import _moved_short_item

    planners = [FakePlanner(f"s{i}", area, importance=i) for i, area in enumerate((6, 4, 8, 4, 18))]
    assert plan_page(planners, 4, 10) is None
    order, plan, moved = _moved_short_item(planners, 4, 10, 0)
    assert moved == 3 and order == [0, 1, 2, 4, 3]
    assert plan.rows == 10 and _covered(plan) == 40
    assert plan.placements[0].cell.row == 0 and plan.placements[0].cell.column == 0
    # an item among the page's first three is never moved
    assert _moved_short_item([FakePlanner(p.story.id, p.area, importance=min(p.importance, 2)) for p in planners],
                             4, 10, 0) is None
