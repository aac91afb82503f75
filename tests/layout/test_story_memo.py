"""The story planner's tables do not depend on the order in which spans are asked.

`StoryPlanner` keeps, between spans and between the head sizes tried, what does not depend
on them: the body at each measure, the photos' tier layouts per span (`_band_tiers`), the
flows under a band per measure (`_band_bodies`) and the side-photo trials per span and
measure (`_side_options`). A key missing from any of these memos would hand one span
another's trials; the tables computed in ascending and in descending span order, and span
by span in a fresh planner each, must then be the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paperlayout.model import Paragraph, Photo, Story, StoryKind

TEXT = ("达拉特旗着力践行以人民为中心的发展思想，走好新时代党的群众路线，深入开展走基层活动，"
        "近万名党员干部行走沃野深入基层，倾听百姓心声、助民纾困解难、谋划产业发展、赋能乡村振兴。")


@pytest.fixture(scope="module")
def ctx():
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset("broadsheet")
    return LayoutContext(styles, open_fonts(styles))


def _story(kind=StoryKind.ARTICLE, photos=2, paragraphs=5) -> Story:
    return Story(id="s", kind=kind, head="干部下基层 聚力促振兴", body=tuple(Paragraph(TEXT * (1 + i % 2)) for i in range(paragraphs)),
                 photos=tuple(Photo(Path(f"/nonexistent/p{i}.jpg"), caption="图为干部走访农户，了解今年的收成。")
                              for i in range(photos)))


def _table(planner, span):
    out = {}
    for rows, a in planner.heights(span).items():
        out[rows] = (a.span, a.rows, a.text_columns, a.chars, a.inset, a.head.rows if a.head else None, a.head_extra,
                     a.mode, a.photos, a.photo_rows, tuple(c.rows for c in a.captions), a.band_rows, a.body_rows,
                     a.heights, None if a.flow is None else (a.flow.heights, a.flow.grow, a.flow.short_last, a.flow.widows),
                     a.cost, a.note)
    return out


@pytest.mark.parametrize("story", [_story(), _story(photos=1), _story(photos=3, paragraphs=3), _story(photos=0),
                                   _story(kind=StoryKind.BOX, photos=1)], ids=["2 photos", "1 photo", "3 photos",
                                                                               "no photo", "box"])
def test_tables_do_not_depend_on_the_order_of_spans(ctx, story):
    from paperlayout.layout.story import StoryPlanner

    columns = ctx.styles.page.columns
    pixels = tuple((3000, 2000) for _ in story.photos)
    up, down = StoryPlanner(ctx, story, 1, pixels), StoryPlanner(ctx, story, 1, pixels)
    ascending = {c: _table(up, c) for c in range(1, columns + 1)}
    descending = {c: _table(down, c) for c in range(columns, 0, -1)}
    alone = {c: _table(StoryPlanner(ctx, story, 1, pixels), c) for c in range(1, columns + 1)}
    assert ascending == descending == alone
    modes = {a[7] for table in ascending.values() for a in table.values()}
    # every way of placing this story is in the tables: photos across, beside the text
    # (one or two photos), no photo with the head over the text or beside the last column
    assert modes == ({"band", "side"} if 0 < len(story.photos) < 3 else {"band"} if story.photos else {"none", "wrap"})
