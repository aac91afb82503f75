"""A line spread apart before a run that cannot break (text/rules.py GAP_LIMIT): "冰 场 每 天
开 放 时 间 为" before "10:00—21:00" kept whole. The composer names it `gapped-line` (not the
milder `loose-line`), the planner costs it like an emergency break, and where no measure
avoids it the page reports it as an error with the fix (layout/issue.py EMERGENCY_FIXES)."""

from __future__ import annotations

from composer_helpers import SIZE, style
from paperlayout.diagnostics import Level
from paperlayout.layout.issue import EMERGENCY_FIXES, _emergency
from paperlayout.layout.story import EMERGENCY_CODES
from paperlayout.text import Run, compose
from paperlayout.text.rules import GAP_LIMIT, SPREAD_TOLERANCE

#: With the test fonts (composer_helpers): nine Han characters (9 em), then a range of 5.39 em
#: ("10:00—21:00": eight digits of ½ em, two colons of ¼ em, a dash of 0.89 em) kept whole
RANGE = "一二三四五六七八九10:00—21:00，中文字国人大小中文字国人大小。"


def spread_of_first(c) -> float:
    """em between two characters of the first line, from its glyphs' positions."""
    glyphs = c.lines[0].glyphs
    return (glyphs[1].x - glyphs[0].x - glyphs[0].width) / SIZE


def _codes(c):
    return [d.code for d in c.diagnostics]


def test_a_range_kept_whole_leaves_a_gapped_line_at_12_characters(fonts):
    c = compose([Run(RANGE, "t")], 12 * SIZE, style(indent=0.0), fonts)
    first = "".join(g.text for g in c.lines[0].glyphs)
    assert first == "一二三四五六七八九"  # 3 em over 8 gaps: 0.375 em each
    assert c.lines[1].glyphs[0].text == "1"  # the range starts the next line whole
    gapped = [d for d in c.diagnostics if d.code == "gapped-line"]
    assert len(gapped) == 1 and "line 1" in gapped[0].where and "一二三四五六七八九" in gapped[0].message
    assert abs(spread_of_first(c) - 0.375) < 1e-6
    assert "loose-line" not in _codes(c)  # one finding per line, the graver


def test_wider_measures_set_it_without_a_gap(fonts):
    for chars in (16, 25):  # 15 em is short of the Han–Latin space before the range
        c = compose([Run(RANGE, "t")], chars * SIZE, style(indent=0.0), fonts)
        assert "gapped-line" not in _codes(c), chars


def test_the_limit_lies_between_the_tolerance_and_a_han_latin_space():
    assert SPREAD_TOLERANCE < GAP_LIMIT <= 0.25


def test_planner_costs_it_and_the_page_makes_it_an_error_with_the_fix():
    from paperlayout.diagnostics import warning

    assert "gapped-line" in EMERGENCY_CODES
    found = _emergency(warning("gapped-line", "issue.yaml:9 pages[0].stories[1].body[0]: line 1", "spread by 0.625 em"),
                       "page 1", "skating", 1)
    assert found.level == Level.ERROR and "page 1 / story 'skating' (1 columns)" in found.message
    assert EMERGENCY_FIXES["gapped-line"] in found.message and "10:00至21:00" in found.message
