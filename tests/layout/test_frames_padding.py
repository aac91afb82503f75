"""Frames have inner padding (issue 8, defect 6): at least half a line (half the 13.5 pt
line pitch) between the text of a box or briefs box and its frame's rules; the dotted
separators of briefs stand only between two items, centred in the empty rows between them
(one row, more where the columns are levelled), never at a column's head or foot and never touching text; no stray empty lines.

Geometry in pt from the trim's top-left, y down. A line's type occupies its em box: from
0.88 em above its baseline to 0.12 em below (``PageGeometry.baseline``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from paperlayout.frames import Rect, Rule, TextLine
from paperlayout.layout.flow import Unit, flow
from paperlayout.model import Issue, Page, Paper, Paragraph, Pin, Story, StoryKind

ROOT = Path(__file__).resolve().parents[2]
PITCH = 13.5
HALF_LINE = PITCH / 2


def em_top(item: TextLine) -> float:
    return item.y - 0.88 * item.line.size


def em_bottom(item: TextLine) -> float:
    return item.y + 0.12 * item.line.size


def frames_of(laid, kinds=("box", "briefs")):
    """(story, its frame Rect, its text lines, its rules) for every boxed story laid out."""
    kind = {s.id: s.kind.value for p in laid.issue.pages for s in p.stories}
    out = []
    for result in laid.pages:
        for story in result.frame.stories:
            if kind.get(story.story) not in kinds:
                continue
            rects = [it for it in story.items if isinstance(it, Rect) and it.stroke is not None]
            assert len(rects) == 1, story.story
            lines = [it for it in story.items if isinstance(it, TextLine)]
            rules = [it for it in story.items if isinstance(it, Rule)]
            out.append((story, rects[0], lines, rules))
    return out


def assert_padded(rect: Rect, lines: list[TextLine]) -> None:
    """Every line inside `rect` with half a line to its top and bottom rules (inner edge of
    the stroke) and half a character to its sides."""
    stroke = rect.weight / 2
    top, bottom = rect.y + stroke, rect.y + rect.h - stroke
    left, right = rect.x + stroke, rect.x + rect.w - stroke
    for item in lines:
        assert em_top(item) - top >= HALF_LINE - 1e-6, (item.line.text, em_top(item) - top)
        assert bottom - em_bottom(item) >= HALF_LINE - 1e-6, (item.line.text, bottom - em_bottom(item))
        assert item.x - left >= 4.5 - 1e-6 and right - (item.x + item.line.width) >= 4.5 - 1e-6, item.line.text


def assert_separators_between_items(story: Story, lines: list[TextLine], rules: list[Rule]) -> None:
    """Each dotted rule has text of its column above and below it, at least a quarter line
    clear of both, and the lines above it (since the previous rule or the column head) end
    an item while those below start the next one."""
    body = sorted((it for it in lines if it.role in ("body", "source")), key=lambda it: (round(it.x), it.y))
    items = [item.text for item in story.items]
    dotted = [r for r in rules if r.dash]
    assert len(dotted) == len(items) - 1
    for rule in dotted:
        column = [it for it in body if it.x <= rule.x0 <= it.x + it.line.measure]
        above = [it for it in column if it.y < rule.y0]
        below = [it for it in column if it.y > rule.y0]
        assert above and below, "a separator at a column's head or foot"
        gap_above = rule.y0 - em_bottom(max(above, key=lambda it: it.y))
        gap_below = em_top(min(below, key=lambda it: it.y)) - rule.y0
        assert gap_above >= PITCH / 4 and gap_below >= PITCH / 4, (gap_above, gap_below)
    # reading order: columns left to right, lines top to bottom; a rule's y and column cut the text
    text_runs, run = [], ""
    marks = sorted([(round(it.x), it.y, it.line.text, "line") for it in body if it.role == "body"] +
                   [(min((round(it.x) for it in body if it.x <= r.x0 <= it.x + it.line.measure)), r.y0, "", "rule")
                    for r in dotted])
    for _, _, text, what in marks:
        if what == "rule":
            text_runs.append(run)
            run = ""
        else:
            run += text
    text_runs.append(run)
    # each run between rules is whole items: the rules fall exactly at item boundaries
    joined = "".join(items)
    assert "".join(text_runs) == joined
    ends, at = set(), 0
    for item in items:
        at += len(item)
        ends.add(at)
    at = 0
    for text in text_runs[:-1]:
        at += len(text)
        assert at in ends, "a separator inside an item"


@pytest.fixture(scope="module")
def sample_laid():
    from paperlayout.build import lay_out
    from paperlayout.loader import load_issue

    return lay_out(load_issue(ROOT / "issues" / "dalate"))


def test_sample_briefs_box_is_padded_and_its_separators_stand_between_items(sample_laid):
    (story, rect, lines, rules), = frames_of(sample_laid)
    assert story.story == "briefs"
    assert_padded(rect, lines)
    model = next(s for s in sample_laid.issue.pages[0].stories if s.id == "briefs")
    assert_separators_between_items(model, lines, rules)
    # the briefs are set in several columns (the planner's layout of the sample): the source
    # line ends the last column and follows the last item's last line directly in that
    # column, with no stray empty line above it
    body = [it for it in lines if it.role == "body"]
    assert len({round(it.x) for it in body}) >= 2
    source = next(it for it in lines if it.role == "source")
    column = [it for it in body if it.x <= source.x <= it.x + it.line.measure]
    assert column and round(column[0].x) == max(round(it.x) for it in body)
    last = max(column, key=lambda it: it.y)
    assert model.items[-1].text.endswith(last.line.text)
    assert source.y - last.y == pytest.approx(PITCH)
    assert source.y >= max(it.y for it in body)
    # and the last line is on the row above the padding row: its descender a full row clear
    assert rect.y + rect.h - em_bottom(source) == pytest.approx(PITCH + 0.25)


def written_issue() -> Issue:
    """A tabloid page with a box and a briefs column set three columns wide, so items and
    separators meet column heads and feet."""
    sample = (ROOT / "issues" / "dalate" / "issue.yaml").read_text(encoding="utf-8")
    paragraphs = [line.strip()[2:] for line in sample.splitlines() if line.strip().startswith("- ") and len(line) > 80]
    short = ["近日，第七中学被市教育体育局命名为“内蒙古自治区优质普通高级中学”。",
             "3月14日10时，黄河达拉特段全线开河，开河长度190公里，河水已归槽。",
             "截至目前，全旗累计受理群众诉求2896条，办理民生实事169项，化解基层矛盾180件。",
             "全旗146个包联单位成立493个入户小分队，走访21189户农牧民。"]
    items = tuple(Paragraph(text) for text in (short + paragraphs[16:19] + short[:2]))
    stories = (
        Story(id="lead", head="达拉特旗：干部下基层 聚力促振兴", body=tuple(Paragraph(p) for p in paragraphs[:9])),
        Story(id="box", kind=StoryKind.BOX, head="记者手记", body=tuple(Paragraph(p) for p in paragraphs[9:11])),
        Story(id="briefs", kind=StoryKind.BRIEFS, head="简讯", items=items, source="（来源：达拉特发布）",
              pin=Pin(columns=3)),
    )
    return Issue(paper=Paper(name="测试报"), date=dt.date(2023, 3, 17), number=1, preset="tabloid",
                 pages=(Page(number=1, section="要闻", stories=stories),))


@pytest.fixture(scope="module")
def written_laid():
    from paperlayout.build import lay_out

    return lay_out(written_issue())


def test_box_and_multi_column_briefs_are_padded(written_laid):
    found = frames_of(written_laid)
    assert {story.story for story, *_ in found} == {"box", "briefs"}
    for story, rect, lines, rules in found:
        assert_padded(rect, lines)


def test_multi_column_briefs_separators_only_between_items(written_laid):
    (story, rect, lines, rules), = frames_of(written_laid, ("briefs",))
    columns = {round(it.x) for it in lines if it.role == "body"}
    assert len(columns) >= 2  # the test is about column heads and feet
    model = written_laid.issue.pages[0].stories[2]
    assert_separators_between_items(model, lines, rules)


def test_no_stray_empty_rows_in_briefs(written_laid):
    """Within a briefs column, consecutive lines are one row apart, or two around a
    separator (its own row); never an empty row without a rule in it."""
    (story, rect, lines, rules), = frames_of(written_laid, ("briefs",))
    dotted = [r.y0 for r in rules if r.dash]
    body = [it for it in lines if it.role in ("body", "source")]
    for x in {round(it.x) for it in body if it.role == "body"}:
        ys = sorted(it.y for it in body if round(it.x) == x)
        for a, b in zip(ys, ys[1:]):
            rows = round((b - a) / PITCH)
            assert rows in (1, 2, 3), (a, b)
            if rows > 1:
                assert any(a < y < b for y in dotted), ("an empty row with no separator", a, b)


def lines_and_gaps(*counts: int) -> tuple[Unit, ...]:
    """Briefs of `counts` lines each, a 1-row flexible gap between them."""
    units: list[Unit] = []
    for n, count in enumerate(counts):
        if n:
            units.append(Unit("gap", 1, flex=True))
        units += [Unit("line", 1, para=n, first=i == 0, last=i == count - 1) for i in range(count)]
    return tuple(units)


def test_flow_never_puts_a_separator_at_a_column_head_or_foot():
    units = lines_and_gaps(3, 3)
    assert flow(units, (3, 4), allow_short=False) is None  # the gap would open column 2
    assert flow(units, (4, 3), allow_short=False) is None  # the gap would end column 1
    found = flow(units, (5, 2), allow_short=False)
    assert [(s.column, s.row, s.unit.kind) for s in found.slots() if s.unit.kind == "gap"] == [(0, 3, "gap")]


def test_separator_rule_is_centred_in_its_rows(sample_laid):
    """A separator stands in the empty rows between its two items (one row, or more where
    the planner opened the gap to level the columns) and is centred in them: half a row
    into a one-row gap, on the middle boundary of a two-row gap."""
    (story, rect, lines, rules), = frames_of(sample_laid)
    page = sample_laid.styles.page
    body = [it for it in lines if it.role in ("body", "source")]

    def row(item: TextLine) -> int:
        return int((item.y - page.margin_top) // PITCH)

    dotted = [r for r in rules if r.dash]
    assert dotted
    for rule in dotted:
        column = [it for it in body if it.x <= rule.x0 <= it.x + it.line.measure]
        above = max((it for it in column if it.y < rule.y0), key=lambda it: it.y)
        below = min((it for it in column if it.y > rule.y0), key=lambda it: it.y)
        first_empty, after_empty = row(above) + 1, row(below)
        assert after_empty - first_empty >= 1, "a separator without a row of its own"
        centre = page.margin_top + PITCH * (first_empty + after_empty) / 2
        assert rule.y0 == pytest.approx(centre)
        assert not any(above.y < it.y < below.y for it in column)  # nothing else in those rows
