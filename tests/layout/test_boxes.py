"""Boxes (花边框稿) and briefs (简讯) set in several text columns (issue 8).

Corpus 20's notice box was set in two columns and its source line (落款, 13 characters)
drawn right-aligned in the second column, overhanging the first column's last line: the
source must be composed at the column measure like every other line of the body.

Briefs separators may grow by one row to level the columns, not to fill a cell: a briefs box
is never spread to fill height.

Geometry in pt from the trim's top-left, y down; a line spans [x, x + width] on its baseline.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from paperlayout.frames import Cell, TextLine
from paperlayout.layout.flow import Body, Unit, flow
from paperlayout.layout.setter import set_story
from paperlayout.layout.story import Arrangement, StoryPlanner, body_units
from paperlayout.model import Paragraph, Story, StoryKind

NOTICE = Story(
    id="notice-box", kind=StoryKind.BOX, head="关于调整部分公交线路的公告",
    body=(Paragraph("因城市道路施工，自12月21日起，6路、15路、38路公交车临时绕行建设路、滨江路，取消人民路口、"
                    "文化宫两个站点，恢复时间另行通知。"),
          Paragraph("特此公告。")),
    source="临川市公共交通集团有限公司")


@pytest.fixture(scope="module")
def ctx():
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset("tabloid")
    return LayoutContext(styles, open_fonts(styles))


def overlaps(lines: list[TextLine]) -> list[tuple[str, str]]:
    """Pairs of lines on the same baseline whose inked extents [x, x + width] overlap."""
    out = []
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if abs(a.y - b.y) < 0.01 and a.x < b.x + b.line.width - 0.01 and b.x < a.x + a.line.width - 0.01:
                out.append((a.line.text, b.line.text))
    return out


def test_source_line_is_set_within_its_column_measure(ctx):
    units, _ = body_units(ctx, NOTICE, 8, lines=True)
    source = [u for u in units if u.kind == "source"]
    assert len(source) == 1
    measure = 8 * ctx.styles.page.body_size
    assert all(line.width <= measure + 1e-6 for line in source[0].lines)
    assert "".join(line.text for line in source[0].lines) == "临川市公共交通集团有限公司"
    assert source[0].rows == len(source[0].lines) == 2


def two_column_notice(ctx) -> Arrangement:
    """The notice box as corpus 20 set it: span 2, two 11-character columns, level (the
    lowest two-column height the flow accepts) — built from the planner's own one-column
    arrangement of the same height class, with the body re-flowed in two columns."""
    planner = StoryPlanner(ctx, NOTICE, 3, ())
    units = Body(body_units(ctx, NOTICE, 11)[0])
    for rows in range(-(-units.need // 2), units.need + 1):
        found = flow(units, (rows, rows), allow_short=False)
        if found is not None:
            break
    assert found is not None
    base = min(planner.heights(2).values(), key=lambda arr: arr.rows)
    extra = rows - base.body_rows
    return replace(base, rows=base.rows + extra, text_columns=2, chars=11, body_rows=rows, heights=(rows, rows),
                   flow=found, note="2×11字")


def test_multi_column_box_lines_never_share_a_baseline_in_one_column_range(ctx):
    arr = two_column_notice(ctx)
    frame = set_story(ctx, arr, Cell(0, 0, 2, arr.rows))
    lines = [it for it in frame.items if isinstance(it, TextLine) and it.role != "head"]
    assert len({round(it.x) for it in lines if it.role == "body"}) == 2
    assert overlaps(lines) == []
    source = [it for it in lines if it.role == "source"]
    assert "".join(it.line.text for it in source) == "临川市公共交通集团有限公司"
    # right-aligned in the last column, on consecutive rows at its foot, after the body
    last = max((it for it in lines if it.role == "body"), key=lambda it: it.x)
    right = last.x + last.line.measure
    assert all(it.x + it.line.width == pytest.approx(right, abs=0.01) for it in source)
    ys = [it.y for it in source]
    assert all(b - a == pytest.approx(13.5) for a, b in zip(ys, ys[1:]))
    last_x = round(last.x)
    assert min(ys) > max(it.y for it in lines if it.role == "body" and round(it.x) == last_x)


BRIEFS = Story(
    id="briefs", kind=StoryKind.BRIEFS, head="本市简讯", source="（本报记者 综合报道）",
    items=tuple(Paragraph(text) for text in (
        "12月16日，市政府召开常务会议，研究部署今冬明春安全生产工作。",
        "近日，市第一人民医院成功完成全市首例经导管主动脉瓣置换手术。",
        "12月17日，临川至省城的城际列车开通运营，全程最快1小时8分钟。",
        "截至12月15日，全市今年新增城镇就业3.8万人，完成全年目标的108%。",
        "12月14日，市图书馆举办“冬日书香”阅读分享会，200余名读者参加。",
        "近日，我市3个村入选第三批全国乡村旅游重点村名单。",
        "12月12日，市消防救援支队开展高层建筑灭火救援实战演练。",
        "12月18日，市总工会为500名环卫工人送上防寒手套和围巾。")))


def briefs_units(count: int) -> tuple[Unit, ...]:
    """`count` one-line briefs with a one-row flexible separator between them."""
    units: list[Unit] = []
    for n in range(count):
        if n:
            units.append(Unit("gap", 1, flex=True))
        units.append(Unit("line", 1, para=n, first=True, last=True))
    return tuple(units)


def two_line_briefs(count: int) -> list[Unit | None]:
    """`count` two-line briefs, None where a separator goes."""
    out: list[Unit | None] = []
    for n in range(count):
        if n:
            out.append(None)
        out += [Unit("line", 1, para=n, first=True), Unit("line", 1, para=n, last=True)]
    return out


def test_flow_spread_bounds_the_rows_flexible_units_may_add():
    units = briefs_units(4)  # 4 lines + 3 separators: 7 rows natural, 10 at most
    assert flow(units, (10,), allow_short=False) is not None  # unbounded: every separator opens
    assert flow(units, (8,), allow_short=False, spread=1) is not None
    assert flow(units, (9,), allow_short=False, spread=1) is None  # two rows added to one column
    assert flow(units, (10,), spread=1) is None
    # two columns of five two-line briefs (14 rows natural): a row each to end level, not two
    units = tuple(Unit("gap", 1, flex=True) if u is None else u for u in two_line_briefs(5))
    level = flow(units, (8, 8), allow_short=False, spread=1)
    assert level is not None and {s.column for s in level.slots() if s.rows == 2 and s.unit.kind == "gap"} == {0, 1}
    assert flow(units, (9, 9), allow_short=False) is not None
    assert flow(units, (9, 9), allow_short=False, spread=1) is None


def test_briefs_and_boxes_are_not_spread_to_fill_a_cell(ctx):
    """Every arrangement of a briefs story and of a box, at every span and height: the flow
    adds at most one row per text column to the body's natural rows, and a single column
    never ends a row short (corpus 20's 本市简讯 had each of its 7 separators opened to fill
    a 53-row cell, and its one-column hotline box an empty row)."""
    for story in (BRIEFS, NOTICE):
        planner = StoryPlanner(ctx, story, 3, ())
        seen = 0
        for span in (1, 2, 3):
            for rows, arr in planner.heights(span).items():
                if arr.flow is None:
                    continue
                seen += 1
                added = sum(arr.heights) - arr.flow.body.need - arr.flow.short_last
                assert len(arr.flow.grow) == added <= arr.text_columns, (story.id, span, rows, arr.note)
                assert not (arr.text_columns == 1 and arr.flow.short_last), (story.id, span, rows, arr.note)
        assert seen
    # so a one-column briefs box has at most two heights per head spacing: natural and one row more
    one = [arr for arr in StoryPlanner(ctx, BRIEFS, 3, ()).heights(2).values() if arr.text_columns == 1]
    assert {arr.body_rows - arr.flow.body.need for arr in one} <= {0, 1}


@pytest.mark.corpus_build
def test_corpus_20_builds_and_verifies_with_holes_allowed(tmp_path):
    """Corpus 20 end to end while its clean build is marked xfail (its copy, no longer
    spread, leaves part of the page empty: holes allowed here): it lays out and the verifier
    of the written PDF passes. (Its notice box is now planned in one column, so the source
    overhang itself is caught by the two-column tests above, not here.)"""
    import importlib.util

    from click.testing import CliRunner

    from paperlayout.cli import main

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    spec = importlib.util.spec_from_file_location("make_photos", corpus / "make_photos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make()
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(corpus / "20-briefs-and-boxes"), "-o", str(out), "--no-marks",
                                       "--root", str(corpus), "--allow-holes"])
    assert result.exit_code == 0, result.output
    assert "verify-overlap" not in result.output
    assert out.exists()
