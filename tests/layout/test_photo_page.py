"""A photo page (图片版) is tiled by its photos' shapes, not by the order its stories are listed
in (issue 9: corpus 16 was refused as overset though another order of its picture stories tiles
the page within every editor's rule)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from paperlayout.layout.issue import _photo_page_order
from paperlayout.layout.plan import plan_page
from paperlayout.model import Paragraph, Photo, Story


@dataclass(frozen=True)
class _Arrangement:
    cost: float
    flow: None = None


class _Planner:
    """A story planner that fits only the given (span → heights in rows): the shapes of its photo."""

    def __init__(self, story: Story, importance: int, fits: dict[int, tuple[int, ...]]):
        self.story, self.importance, self.fits = story, importance, fits

    def heights(self, span: int) -> dict[int, _Arrangement]:
        return {h: _Arrangement(1.0) for h in self.fits.get(span, ())}


def _picture(sid: str, body: str = "一句话。") -> Story:
    return Story(id=sid, head=sid, body=(Paragraph(body),), photos=(Photo(Path(f"/photos/{sid}.jpg"), "图片说明。"),))


def _page(tall: Story, wide: Story):
    """4 columns × 10 rows: the lead and `wide` are 2 columns × 5 rows, `tall` 2 × 10."""
    lead = _Planner(_picture("lead"), 0, {2: (5,)})
    return [lead, _Planner(tall, 1, {2: (10,)}), _Planner(wide, 2, {2: (5,)})]


def test_listed_order_fills_no_page_another_order_of_picture_stories_does():
    planners = _page(_picture("tall"), _picture("wide"))
    assert plan_page(planners, 4, 10) is None  # the lead beside the tall one: 5 rows against 10
    order, plan = _photo_page_order(planners, 4, 10, 0)
    assert order == [0, 2, 1]  # the lead, the wide one under it, the tall one beside both
    assert plan.rows == 10 and plan.tree == "((lead[2×5] / wide[2×5]) | tall[2×10])"
    cells = [(p.cell.column, p.cell.row, p.cell.columns, p.cell.rows) for p in plan.placements]
    assert cells == [(0, 0, 2, 5), (0, 5, 2, 5), (2, 0, 2, 10)]


def test_a_text_story_keeps_the_listed_order():
    """Not a photo page: a story of 400 characters after the lead is not a picture story, and
    text stories keep their reading order."""
    text = Story(id="tall", head="tall", body=(Paragraph("字" * 400),), photos=(Photo(Path("/photos/t.jpg"), "说明。"),))
    assert _photo_page_order(_page(text, _picture("wide")), 4, 10, 0) is None
