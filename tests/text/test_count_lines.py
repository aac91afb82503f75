"""count_lines (the page planner's line counter) agrees with compose exactly.

count_lines(runs, measure, style, fonts, where) must return len(compose(...).lines) and
the same diagnostics, over random copy in the test fonts and over the real sample
paragraphs in the production font at 10–28 characters × 9 pt.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer_helpers import FALLBACK, REGULAR, SIZE, TOKENS, style, style_options
from paperlayout.fonts import FontBook
from paperlayout.text import ComposeStyle, Run, compose, count_lines

ROOT = Path(__file__).resolve().parents[2]
SERIF = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
ISSUE = ROOT / "issues" / "dalate" / "issue.yaml"

texts = st.lists(st.sampled_from(TOKENS + ["\n", "Ωx"]), min_size=0, max_size=60).map("".join)
styles = style_options(max_squeeze=st.sampled_from([0.0, 0.0, 0.1]))
measures = st.lists(st.sampled_from([0.5, 1, 2, 3, 4, 5, 7, 9.5, 13, 27]), min_size=1, max_size=3)

_BOOK: list[FontBook] = []


def book() -> FontBook:
    if not _BOOK:
        _BOOK.append(FontBook.open({"t": REGULAR, "fb": FALLBACK}, fallbacks=("fb",)))
    return _BOOK[0]


def _agree(runs, measure, st_, fonts, where="p"):
    c = compose(runs, measure, st_, fonts, where=where)
    assert count_lines(runs, measure, st_, fonts, where=where) == (len(c.lines), c.diagnostics)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts, measures, styles)
def test_count_lines_is_compose_line_count(text, tail, chars_list, kw):
    runs = (Run(text, "t"), Run(tail, "fb")) if tail else (Run(text, "t"),)
    # Several measures in a row (the planner's use): the prepared paragraph is reused.
    for chars in chars_list:
        _agree(runs, chars * SIZE, style(**kw), book())
    # and compose after count_lines, with another location prefix
    _agree(runs, chars_list[0] * SIZE, style(**kw), book(), where="")


def test_count_lines_accepts_a_list_of_runs(fonts):
    runs = [Run("一二三四五，六七八九十。", "t")]
    c = compose(runs, 4 * SIZE, style(), fonts)
    assert count_lines(runs, 4 * SIZE, style(), fonts) == (len(c.lines), c.diagnostics)


def test_count_lines_reports_what_compose_reports(fonts):
    # a glyph from the fallback, one in no face, a forced newline, an unbreakable word
    runs = (Run("一二\u4dae三\U0001F600四\nabcdefghijkl五六", "t"),)
    c = compose(runs, 4 * SIZE, style(), fonts, where="story 1")
    assert {d.code for d in c.diagnostics} >= {"glyph-fallback", "glyph-missing", "unbreakable-split"}
    assert count_lines(runs, 4 * SIZE, style(), fonts, where="story 1") == (len(c.lines), c.diagnostics)


def _sample_paragraphs() -> list[str]:
    from paperlayout.loader import load_issue
    from paperlayout.model import Paragraph

    issue = load_issue(ISSUE)
    return [b.text for page in issue.pages for story in page.stories for b in story.body
            if isinstance(b, Paragraph)]


@pytest.mark.skipif(not (SERIF.is_file() and ISSUE.is_file()), reason="fonts/ or the sample issue absent")
def test_count_lines_on_the_sample_issue():
    fonts = FontBook.open({"serif": SERIF})
    paras = _sample_paragraphs()
    assert len(paras) > 20
    for kw in ({}, {"punctuation": "kaiming"}, {"prohibition": "strict", "hanging": True}):
        st_ = ComposeStyle(size=9.0, **kw)
        for text in paras:
            runs = (Run(text, "serif"),)
            for chars in range(10, 29):
                _agree(runs, chars * 9.0, st_, fonts, where="sample")
