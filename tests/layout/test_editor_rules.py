"""The editor's rules (issue 9): the table itself, its measures, and the story planner
generating only arrangements inside them (never merely penalising those outside)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from paperlayout.diagnostics import Level
from paperlayout.frames import Cell, Picture
from paperlayout.layout.editor_rules import (MAX_CROP, MAX_PHOTO_SHARE, MIN_COLUMN_LINES, MIN_PHOTO_PPI, RULE, RULES,
                                             photo_figures)
from paperlayout.model import Paragraph, Photo, Story, StoryKind

SAMPLE_TEXT = ("达拉特旗着力践行以人民为中心的发展思想，走好新时代党的群众路线，深入开展走基层活动，"
               "近万名党员干部行走沃野深入基层，倾听百姓心声、助民纾困解难、谋划产业发展、赋能乡村振兴。")


@pytest.fixture(scope="module")
def ctx():
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset("broadsheet")
    return LayoutContext(styles, open_fonts(styles))


def _planner(ctx, story, pixels=(), importance=1):
    from paperlayout.layout.story import StoryPlanner

    return StoryPlanner(ctx, story, importance, tuple(pixels))


def _story(paragraphs: int, photos: int = 0, sid: str = "s") -> Story:
    return Story(id=sid, head="干部下基层 聚力促振兴", body=tuple(Paragraph(SAMPLE_TEXT) for _ in range(paragraphs)),
                 photos=tuple(Photo(Path(f"/nonexistent/p{i}.jpg"), caption="图为干部走访农户。") for i in range(photos)))


def _all(planner, columns=8):
    return [a for c in range(1, columns + 1) for a in planner.heights(c).values()]


def test_the_table_has_every_rule_the_issue_asks_for_each_with_its_reasons():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert {"column-lines", "photo-ppi", "photo-crop", "photo-share", "photo-span", "lead-top", "lead-span",
            "lead-widest", "jump-length", "jump-lead-part", "jump-continuation", "jump-photos", "briefs-level",
            "banner-place", "page-fill", "photo-size", "lead-photo", "side-measure", "side-text", "body-measure"} == set(names)
    for rule in RULES:
        assert rule.compare in ("min", "max") and rule.measure and len(rule.why) > 20
        assert rule.severity == Level.ERROR
    assert (RULE["column-lines"].threshold, RULE["photo-ppi"].threshold, RULE["photo-crop"].threshold) == (4, 150, 0.15)
    assert RULE["photo-ppi"].holds(150.0) and not RULE["photo-ppi"].holds(149.9)
    assert RULE["photo-crop"].holds(0.15) and not RULE["photo-crop"].holds(0.16)


def test_photo_figures_from_pixels_at_placed_size():
    # a 200 × 140 px photo across one 对开 column (13 × 9 pt = 117 pt) at its own aspect
    ppi, cut = photo_figures(117.0, 81.9, (200, 140))
    assert ppi == pytest.approx(123.1, abs=0.1) and cut == pytest.approx(0.0, abs=1e-3)
    # the same photo cropped to a square: 30 % of its width cut away
    ppi, cut = photo_figures(100.0, 100.0, (200, 140))
    assert cut == pytest.approx(1 - 1 / (200 / 140), abs=1e-3)
    assert ppi == pytest.approx(100.8, abs=0.1)  # the height decides: 140 px over 100 pt


def test_one_sentence_is_one_column_never_spread_over_two(ctx):
    """Issue 9: a one-sentence story split over two 13-character columns side by side."""
    planner = _planner(ctx, _story(1))
    arrangements = _all(planner)
    assert arrangements
    assert {a.text_columns for a in arrangements} == {1}
    # wider than two columns only as one long line under a head too wide for a narrow column,
    # which costs more than any narrow arrangement
    narrow = min(a.cost for a in arrangements if a.span <= 2)
    assert all(a.cost > narrow for a in arrangements if a.span > 2)


def test_no_text_column_under_four_lines_at_any_span(ctx):
    for paragraphs in (2, 4, 8):
        for a in _all(_planner(ctx, _story(paragraphs))):
            if a.text_columns > 1:
                assert min(a.heights) >= MIN_COLUMN_LINES, (paragraphs, a.span, a.note, a.heights)



@pytest.mark.parametrize("grid", ["broadsheet", "tabloid"])
def test_no_text_column_under_four_lines_of_text_when_crossheads_take_rows(grid):
    """Rows are not lines of text: a short piece with a byline and three crossheads (a
    副刊's poem in sections) set with its head over the first columns (题文穿插) once had a
    column of one line under its crosshead, 4 rows tall, and the page was refused for it
    (column-lines) instead of being planned another way."""
    from paperlayout.model import Crosshead

    verse = ("老艄公把一生的力气，都压在这支桨上；浪头一个接着一个，他只说：稳住，稳住。",
             "对岸的炊烟升起来了，那是母亲在喊我回家吃饭——喊了四十年，声音还是那么近。",
             "风从库布其吹过来，沙子埋到了腰，它还在笑；春天一到，它就把绿举过头顶，像举起一面旗。",
             "正月十五，人们把心愿放进河里。一盏，两盏，三盏……灯火顺流而下，照亮了整条黄河，也照亮了我回乡的路。")
    body = (Crosshead("一、渡口"), Paragraph(verse[0]), Paragraph(verse[1]), Crosshead("二、沙柳"),
            Paragraph(verse[2]), Crosshead("三、河灯"), Paragraph(verse[3]))
    story = Story(id="poem", kicker="诗歌", head="黄河几字弯（组诗）", byline="萨仁高娃", body=body)
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset(grid)
    ctx = LayoutContext(styles, open_fonts(styles))
    # the same sections three times as long still take their head over the first columns
    longer = replace(story, id="poem3", body=tuple(b for part in (body[:3], body[3:5], body[5:]) for b in part + part[1:] * 2))
    wraps = 0
    for piece in (story, longer):
        for a in _all(_planner(ctx, piece), styles.page.columns):
            wraps += "head over" in a.note
            if a.text_columns > 1:
                assert min(a.flow.text_lines()) >= MIN_COLUMN_LINES, (piece.id, a.span, a.note, a.heights,
                                                                      a.flow.text_lines())
    assert wraps  # the path that broke the rule is still taken where it keeps it

def _pictures(ctx, arrangement):
    from paperlayout.layout.setter import set_story

    frame = set_story(ctx, arrangement, Cell(0, 0, arrangement.span, arrangement.rows))
    return [it for it in frame.items if isinstance(it, Picture)]


def test_every_photo_arrangement_is_inside_the_photo_rules(ctx):
    """Resolution, crop and share hold for every arrangement generated, not only the chosen one."""
    page = ctx.styles.page
    pixels = [(1200, 800)]
    planner = _planner(ctx, _story(6, photos=1), pixels)
    arrangements = _all(planner)
    assert len(arrangements) > 20
    for a in arrangements:
        area = 0.0
        for pic in _pictures(ctx, a):
            ppi, cut = photo_figures(pic.w, pic.h, pixels[0])
            assert ppi >= MIN_PHOTO_PPI - 1e-6 and cut <= MAX_CROP + 1e-6, (a.span, a.note, ppi, cut)
            area += pic.w * pic.h
        assert area <= MAX_PHOTO_SHARE * page.span_width(a.span) * a.rows * page.line_pitch + 1e-6, (a.span, a.note)


def test_a_low_resolution_photo_is_never_enlarged_so_it_fits_nowhere(ctx):
    """Issue 9: a 200 × 140 px picture was enlarged to 23 ppi. At 150 ppi it is 96 pt wide,
    narrower than one column: no arrangement places it."""
    planner = _planner(ctx, _story(3, photos=1), [(200, 140)])
    assert _all(planner) == []
    assert list(planner._photo_rows(0, ctx.styles.page.span_width(1))) == []


def test_panoramas_span_half_the_page_and_portraits_one_or_two_columns(ctx):
    page = ctx.styles.page
    pano = _planner(ctx, _story(6, photos=1), [(3600, 1000)])
    spans = {a.span for a in _all(pano) if a.photos}
    assert spans and min(spans) >= 4
    for a in _all(pano):
        for pic in _pictures(ctx, a):
            assert pic.w >= page.span_width(4) - page.char - 1e-6
    tall = _planner(ctx, _story(3, photos=1), [(1000, 3000)])
    widths = [pic.w for a in _all(tall) for pic in _pictures(ctx, a)]
    assert widths and max(widths) <= page.span_width(2) + page.char + 1e-6


def test_a_picture_story_without_body_has_arrangements_of_photo_and_caption(ctx):
    story = Story(id="pic", head="黄河岸边春意浓", photos=(Photo(Path("/nonexistent/p.jpg"), caption="黄河达拉特段全景。"),))
    arrangements = _all(_planner(ctx, story, [(3000, 1000)]))
    assert arrangements and all(a.flow is None and a.photos for a in arrangements)


class _Fake:
    """A story whose heights at span c are area / c when that divides evenly."""

    def __init__(self, sid, area, importance, kind=StoryKind.ARTICLE):
        self.story = Story(id=sid, head="h", kind=kind)
        self.area, self.importance = area, importance

    def heights(self, c):
        from dataclasses import dataclass

        @dataclass(frozen=True)
        class A:
            cost: float
            flow = None

        if self.story.kind == StoryKind.BANNER:
            return {4: A(0.0)} if c >= 6 else {}
        return {self.area // c + e: A(float(e)) for e in range(0, 6)} if self.area % c == 0 else {}


def test_the_banner_runs_across_where_the_issue_lists_it_and_the_lead_is_widest():
    from paperlayout.layout.plan import plan_page

    planners = [_Fake("lead", 160, 0), _Fake("banner", 0, 1, StoryKind.BANNER), _Fake("b", 96, 1), _Fake("c", 96, 2),
                _Fake("d", 96, 3)]
    plan = plan_page(planners, 8, 60)
    assert plan is not None and plan.rows == 60
    cells = {planners[i].story.id: p.cell for i, p in enumerate(plan.placements)}
    banner = cells["banner"]
    assert banner.columns == 8
    assert cells["lead"].row + cells["lead"].rows <= banner.row
    for sid in ("b", "c", "d"):
        assert cells[sid].row >= banner.row + banner.rows
        assert cells[sid].columns <= cells["lead"].columns
    assert cells["lead"].columns >= 4


def test_every_photo_row_height_offered_has_a_crop_cost(ctx):
    """Every photo height `_photo_rows` offers is one `_photo_aspect_ok` accepts, ends of the
    range included: the planner sums their crop costs, and a None there was a TypeError in
    `_side` (seen on the corpus's long-story issue before the ranges were derived from the
    same bounds and the drawn height)."""
    from paperlayout.layout.story import PHOTO_INSET, _photo_aspect_ok

    page = ctx.styles.page
    for pixels in ((1200, 800), (3600, 1000), (1000, 3000), (900, 2700), (4000, 3000)):
        planner = _planner(ctx, _story(2, photos=1), [pixels])
        for c in range(1, 9):
            for width in (page.span_width(c), page.span_width(c) - 2 * page.char, c * 15 * page.char):
                for rows in planner._photo_rows(0, width):
                    assert _photo_aspect_ok(pixels[0] / pixels[1], width, rows * page.line_pitch - PHOTO_INSET) is not None


# -- issue 9, second round: wide measures, stamp photos, photos larger than their text -------------

WEATHER = "今天白天到夜间，全旗晴转多云，偏南风三到四级，气温零下二度到十二度，请农牧民朋友注意防风防火。"


def test_the_longest_body_measure_is_two_basic_columns_derived_from_the_grid(ctx):
    from paperlayout.layout.editor_rules import MAX_BODY_COLUMNS, in_columns, max_body_chars
    from paperlayout.styles import preset

    assert max_body_chars(ctx.styles.page) == 27  # 对开: 2 × 13 + 1
    assert max_body_chars(preset("tabloid").page) == 25  # 四开: 2 × 12 + 1
    assert RULE["body-measure"].compare == "max" and RULE["body-measure"].threshold == MAX_BODY_COLUMNS == 2.0
    assert in_columns(27, ctx.styles.page) == 2.0 and in_columns(13, ctx.styles.page) == 1.0
    assert RULE["body-measure"].holds(in_columns(27, ctx.styles.page))
    assert not RULE["body-measure"].holds(in_columns(41, ctx.styles.page))


def test_a_one_line_filler_is_never_set_as_one_wide_line(ctx):
    """Corpus 12 / 22 / 06 / 11 / 13: a weather filler was set as one 111-character line across
    eight columns (55, 41 … elsewhere). Every arrangement now sets it at most 27 characters wide,
    in a cell of one or two columns; the set lines are no wider than 27 characters (243 pt)."""
    from paperlayout.layout.setter import set_story
    from paperlayout.frames import TextLine

    story = Story(id="weather", head="天气预报", body=(Paragraph(WEATHER),))
    planner = _planner(ctx, story)
    arrangements = _all(planner)
    assert arrangements
    assert max(a.chars for a in arrangements) == 27
    assert {a.span for a in arrangements} == {1, 2}
    for a in arrangements:
        frame = set_story(ctx, a, Cell(0, 0, a.span, a.rows))
        widths = [it.line.width for it in frame.items if isinstance(it, TextLine) and it.role == "body"]
        assert widths and max(widths) <= 27 * 9.0 + 1e-6, (a.span, a.note)


def test_a_picture_storys_caption_lines_may_still_run_across_its_photo(ctx):
    """The exception in body-measure: a picture story's few lines are its caption (图片说明)."""
    story = Story(id="pic", head="黄河岸边春意浓", body=(Paragraph("春分时节，黄河达拉特段两岸的农牧民抢抓农时。"),),
                  photos=(Photo(Path("/nonexistent/p.jpg"), caption="黄河达拉特段全景。"),))
    wide = [a for a in _all(_planner(ctx, story, [(3600, 1000)])) if a.chars > 27]
    assert wide and all(a.text_columns == 1 and a.span >= 4 for a in wide)


def test_no_photo_is_placed_narrower_than_two_basic_columns(ctx):
    """Corpus 03 / 10 / 11 / 13 / 16 / 30: photos shrunk to one column × 6–9 rows. Now every
    landscape photo is at least 1.8 basic columns (24.2 characters = 217.8 pt) wide, so no span
    of one column takes a photo; a tall portrait (aspect ≤ 0.6) may stand in one column."""
    from paperlayout.layout.editor_rules import MIN_PHOTO_COLUMNS

    assert MIN_PHOTO_COLUMNS == 1.8 and RULE["photo-size"].compare == "min"
    planner = _planner(ctx, _story(4, photos=1), [(1600, 1067)])
    arrangements = [a for a in _all(planner) if a.photos]
    assert arrangements and min(a.span for a in arrangements) == 2
    widths = [pic.w for a in arrangements for pic in _pictures(ctx, a)]
    assert min(widths) >= 217.8 - 1e-6
    assert list(planner._photo_rows(0, ctx.styles.page.span_width(1))) == []
    assert list(planner._photo_rows(0, 217.0)) == [] and list(planner._photo_rows(0, 218.0))
    portrait = _planner(ctx, _story(4, photos=1), [(1000, 3000)])
    assert list(portrait._photo_rows(0, ctx.styles.page.span_width(1)))  # 117 pt: a portrait counts double


def test_the_leads_side_photo_spans_a_third_of_the_lead_and_its_text_is_not_squeezed(ctx):
    """Corpus 07 / 08 / 13: a ~5-column photo with the lead's text in one narrow column beside it;
    corpus 30: lead photos 1.6 columns wide. For the lead every row of photos is at least a third
    of the lead's width; text beside a photo is never narrower than a basic column (13)."""
    page = ctx.styles.page
    planner = _planner(ctx, _story(10, photos=1, sid="lead"), [(1600, 1067)], importance=0)
    arrangements = [a for a in _all(planner) if a.photos]
    sides = [a for a in arrangements if a.mode == "side"]
    assert sides and arrangements
    for a in sides:
        assert a.chars >= page.column_chars, (a.span, a.note)
    for a in arrangements:
        pics = _pictures(ctx, a)
        assert max(p.w for p in pics) >= page.span_width(a.span) / 3 - 1e-6, (a.span, a.note)


def test_a_side_photo_is_at_most_twice_as_wide_as_the_text_beside_it(ctx):
    """Corpus 07 / 08 / 13: a photo of ~5 columns × 25–30 rows with the lead's text in one narrow
    column beside it (photo-share 47 % of the cell, so it passed). Beside a side photo the text
    now keeps at least half as many columns as the photo takes, at a basic column's measure or
    wider; every photo stays within half its module."""
    from paperlayout.layout.editor_rules import MIN_SIDE_TEXT_SHARE

    assert MIN_SIDE_TEXT_SHARE == 0.5 and RULE["side-text"].compare == "min"
    page = ctx.styles.page
    for importance in (0, 1):
        planner = _planner(ctx, _story(16, photos=1, sid="lead"), [(4000, 2667)], importance=importance)
        sides = [a for a in _all(planner) if a.mode == "side"]
        assert sides
        for a in sides:
            taken = a.photos[0].columns
            assert a.text_columns - taken >= 0.5 * taken, (a.span, a.note)
            assert a.chars >= page.column_chars, (a.span, a.note)
        for a in _all(planner):
            area = sum(p.w * p.h for p in _pictures(ctx, a))
            assert area <= MAX_PHOTO_SHARE * page.span_width(a.span) * a.rows * page.line_pitch + 1e-6, (a.span, a.note)


def _page(ctx, placed, pixels):
    """A PageResult of `placed` [(story, arrangement, items or None)] stacked down column 0,
    evaluated by the editor's rules: {rule: RuleFigure}, diagnostics."""
    from paperlayout.frames import PageFrame, StoryFrame
    from paperlayout.layout.editor_rules import evaluate_page
    from paperlayout.layout.issue import PageResult
    from paperlayout.layout.plan import Placement, Plan
    from paperlayout.layout.setter import set_story

    row, placements, frames = 0, [], []
    for story, arr, items in placed:
        cell = Cell(0, row, arr.span, arr.rows)
        placements.append(Placement(cell, arr))
        frames.append(StoryFrame(story.id, cell, items) if items is not None else set_story(ctx, arr, cell))
        row += arr.rows
    plan = Plan(tuple(placements), row, 0.0, (), "")
    frame = PageFrame(1, 1000.0, 1400.0, 0.0, (), tuple(frames))
    result = PageResult(1, frame, plan, row, (), 8, tuple(s for s, _, _ in placed))
    figures, found = evaluate_page(result, ctx.styles.page, pixels, {s.id: s for s, _, _ in placed})
    return {f.rule: f for f in figures}, found


def test_check_reports_a_wide_measure_a_stamp_photo_and_a_thumbnail_lead_photo(ctx):
    """The check measures what the planner now avoids (the defects as the proofs showed them)."""
    from dataclasses import replace

    page = ctx.styles.page
    lead = _story(16, photos=1, sid="lead")
    lead_arr = min(_planner(ctx, lead, [(4000, 2667)], importance=0).heights(6).values(), key=lambda a: a.cost)
    weather = Story(id="weather", head="天气预报", body=(Paragraph(WEATHER),))
    narrow = min(_planner(ctx, weather).heights(1).values(), key=lambda a: a.cost)
    wide = replace(narrow, span=8, chars=111)  # the old one-line arrangement: 111 characters across 8 columns
    # the lead's photo drawn as a stamp: one column (117 pt) × 6 rows
    stamp = (Picture(0.0, 0.0, page.span_width(1), 6 * page.line_pitch - 2, str(lead.photos[0].path)),)
    from paperlayout.layout.setter import set_story

    lines = set_story(ctx, narrow, Cell(0, 0, 1, narrow.rows)).items  # what is drawn does not matter to the measure
    figures, found = _page(ctx, [(lead, lead_arr, stamp), (weather, wide, lines)], {str(lead.photos[0].path): (4000, 2667)})
    assert figures["body-measure"].figure == pytest.approx(112 / 14, abs=1e-3) and not figures["body-measure"].holds
    assert figures["body-measure"].story == "weather"
    assert figures["photo-size"].figure == 1.0 and not figures["photo-size"].holds
    assert figures["lead-photo"].figure == pytest.approx(117 / 747, abs=1e-3) and not figures["lead-photo"].holds
    codes = {(d.code, d.where) for d in found}
    assert ("body-measure", "page 1 / story 'weather'") in codes
    assert ("photo-size", "page 1 / story 'lead'") in codes and ("lead-photo", "page 1 / story 'lead'") in codes
    # as planned, every one of these rules holds
    figures, found = _page(ctx, [(lead, lead_arr, None), (weather, narrow, None)], {str(lead.photos[0].path): (4000, 2667)})
    for name in ("body-measure", "photo-size", "lead-photo", "photo-share", "side-measure"):
        assert figures[name].holds, (name, figures[name])
    assert figures["body-measure"].figure <= 2.0 and figures["photo-size"].figure >= 1.8


def test_check_reports_a_photo_beside_one_narrow_column(ctx):
    """The check's side-text and side-measure figures: a photo over 5 of 6 text columns of 11
    characters, one column beside it."""
    from dataclasses import replace

    from paperlayout.layout.story import PhotoSlot

    lead = _story(16, photos=1, sid="lead")
    arr = next(a for a in sorted(_planner(ctx, lead, [(4000, 2667)], importance=0).heights(6).values(), key=lambda a: a.cost)
               if a.mode == "side")
    squeezed = replace(arr, text_columns=6, chars=11, photos=(PhotoSlot(0, 1, 5, 0),))
    items = tuple(it for it in _pictures(ctx, arr))
    figures, found = _page(ctx, [(lead, squeezed, items)], {str(lead.photos[0].path): (4000, 2667)})
    assert figures["side-text"].figure == 0.2 and not figures["side-text"].holds
    assert figures["side-measure"].figure == pytest.approx(12 / 14, abs=1e-3) and not figures["side-measure"].holds
    assert {d.code for d in found} >= {"side-text", "side-measure"}
    figures, found = _page(ctx, [(lead, arr, None)], {str(lead.photos[0].path): (4000, 2667)})
    assert figures["side-text"].holds and figures["side-measure"].holds and figures["photo-share"].holds
