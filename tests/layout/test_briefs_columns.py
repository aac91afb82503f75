"""Editor's rule column-lines on briefs (简讯): every column of a briefs box set in two or
more columns holds at least 4 lines of text — the separator rows between items are not text.
Corpus 14 had printed a five-column briefs box of 2–3 lines a column (each 4 rows with its
separators), which read as debris."""

from __future__ import annotations

import pytest

from paperlayout.layout.editor_rules import MIN_COLUMN_LINES
from paperlayout.layout.story import StoryPlanner
from paperlayout.model import Paragraph, Story, StoryKind

ITEMS = ("7月4日，县防汛抗旱指挥部组织开展黄河防汛应急抢险演练。", "近日，沙湾镇黄河湾村入选全区首批“和美乡村”名单。",
         "7月3日，县医保局开展打击欺诈骗保专项检查，检查定点医药机构48家。", "截至7月上旬，全县夏粮收购入库3.6万吨。",
         "7月2日，县总工会为一线户外劳动者送去防暑降温用品2,000份。")


@pytest.fixture(scope="module")
def ctx():
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset("broadsheet")
    return LayoutContext(styles, open_fonts(styles))


def test_no_briefs_column_under_four_lines_of_text(ctx):
    story = Story(id="briefs", kind=StoryKind.BRIEFS, head="简讯", items=tuple(Paragraph(t) for t in ITEMS),
                  source="（本报记者 综合报道）")
    planner = StoryPlanner(ctx, story, 3, ())
    seen = 0
    for span in range(2, 9):
        for arrangement in planner.heights(span).values():
            if arrangement.flow is not None and arrangement.text_columns > 1:
                seen += 1
                assert min(arrangement.flow.text_lines()) >= MIN_COLUMN_LINES, (span, arrangement.flow.text_lines())
    assert seen  # some spans still set it in two or more columns
    assert all(a.text_columns <= 3 for span in range(2, 9) for a in planner.heights(span).values())
