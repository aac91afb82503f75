"""The layout context's memo of composed text is keyed by content, not by place: the same
paragraph in two stories is composed once, and each caller gets the composer's findings at
its own location (it used to get the location of whichever story was composed first, so the
report of an issue with a repeated paragraph depended on the order pages were planned in)."""

from __future__ import annotations

import pytest

from paperlayout.text import Run

BRIEF = ("近日，鄂尔多斯市第七批市级非物质文化遗产代表性项目公布，我旗5个项目成功入选，涵盖4大类"
         "包括传统技艺达拉特酱菜技艺、鄂尔多斯木器传统制作技艺、传统医药孙氏传统中医治疗烧烫伤技术"
         "（是我旗首个传统医药类项目），民俗古榆树敬畏习俗，传统美术泥塑。")
HERE = "a/issue.yaml:12 pages[0].stories[1].items[3]"
THERE = "b/issue.yaml:80 pages[4].stories[2].body[0]"


@pytest.fixture()
def ctx():
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset("broadsheet")
    return LayoutContext(styles, open_fonts(styles))


def test_count_gives_each_caller_its_own_location(ctx):
    runs = (Run(BRIEF, ctx.styles.body_face),)
    first = ctx.count(runs, 12, where=HERE)
    second = ctx.count(runs, 12, where=THERE)
    assert first[0] == second[0] == 11
    assert [(d.code, d.where) for d in first[1]] == [("loose-line", f"{HERE}: line 6")]
    assert [(d.code, d.where) for d in second[1]] == [("loose-line", f"{THERE}: line 6")]
    assert [(d.code, d.where) for d in ctx.count(runs, 12)[1]] == [("loose-line", "line 6")]


def test_paragraph_gives_each_caller_its_own_location_and_agrees_with_count(ctx):
    runs = (Run(BRIEF, ctx.styles.body_face),)
    ctx.paragraph(runs, 12, where=HERE)
    composed = ctx.paragraph(runs, 12, where=THERE)
    assert [line.text for line in composed.lines][5] == "鄂尔多斯木器传统制作技"
    assert [(d.code, d.where) for d in composed.diagnostics] == [("loose-line", f"{THERE}: line 6")]
    counted = ctx.count(runs, 12, where=HERE)  # answered from the composed paragraph
    assert counted[0] == len(composed.lines)
    assert [d.where for d in counted[1]] == [f"{HERE}: line 6"]
    assert counted[1][0].message == composed.diagnostics[0].message


def test_wrap_forced_break_is_located_per_caller(ctx):
    st = ctx.styles.crosshead
    word = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ"  # one Latin word wider than the measure
    first = ctx.wrap(word, st.face, st.size, 60.0, where=HERE)
    second = ctx.wrap(word, st.face, st.size, 60.0, where=THERE)
    assert "display-break" in {d.code for d in first.diagnostics}
    assert {d.where for d in first.diagnostics if d.code == "display-break"} == {HERE}
    assert {d.where for d in second.diagnostics if d.code == "display-break"} == {THERE}
    assert [line.text for line in first.lines] == [line.text for line in second.lines]
