"""plan_page's shared memo (the heights of runs of stories, kept across a page's variants)
gives the plans that planning each variant alone gives."""

from hypothesis import given, settings
from hypothesis import strategies as st

from paperlayout.layout.plan import plan_page
from test_plan import FakePlanner


def _same(a, b):
    if a is None or b is None:
        return a is b
    return (a.tree, a.rows, a.cost, [p and p.cell for p in a.placements]) == \
        (b.tree, b.rows, b.cost, [p and p.cell for p in b.placements])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(20, 160), st.integers(0, 12)), min_size=2, max_size=5),
       st.integers(0, 2), st.integers(36, 48))
def test_variants_planned_with_one_memo_equal_each_planned_alone(specs, optional, rows):
    """The variants a page goes through (fillers optional or not, a story moved to the foot, one
    story replaced as in a jump search, another height) share one memo; each plan must equal
    the plan made without it — the memo's key holds every constraint a height depends on."""
    optional = min(optional, len(specs) - 1)  # fillers follow the page's own stories, the lead first
    planners = [FakePlanner("lead" if i == 0 else f"s{i}", area, flex) for i, (area, flex) in enumerate(specs)]
    replaced = FakePlanner(planners[-1].story.id, specs[-1][0] // 2 + 8, specs[-1][1])
    variants = [
        (planners, dict(optional=optional)),
        (planners, dict()),  # the same planners, none optional
        (planners[:1] + planners[2:] + planners[1:2], dict()),  # the second story moved to the foot
        (planners[:-1] + [replaced], dict(optional=optional)),  # a jump candidate: the last story cut
        (planners, dict(rows=rows - 7)),
    ]
    memo: dict = {}
    for ps, kw in variants:
        height = kw.pop("rows", rows)
        assert _same(plan_page(ps, 8, height, memo=memo, **kw), plan_page(ps, 8, height, **kw))
