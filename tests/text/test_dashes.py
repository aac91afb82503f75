"""The 2-em dash —— prints as one continuous rule; the interpunct · sits in a 1-em cell.

Contract with the renderer (render/pdf.py, ``_Page.text``): a glyph is drawn with its
origin at x + dx and horizontal scale hscale, so its ink spans
x + dx + hscale × (ink x-min … ink x-max) × size, the ink extent from ``FontBook.ink``.
Each dash of a run of two or more must have its ink exactly fill its set box
[x, x + width]: consecutive dashes then touch (gap < 0.01 pt) without overlapping
(< 0.01 pt). The text layer stays two U+2014 (never U+2E3A).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from composer_helpers import SIZE, style
from paperlayout.fonts import FontBook
from paperlayout.text import ComposeStyle, Run, compose, count_lines, set_line

FONTS = Path(__file__).resolve().parents[2] / "fonts"
FACES = {p.stem: p for p in sorted(FONTS.glob("*.ttf"))}
SERIF = FONTS / "NotoSerifSC-Regular.ttf"
TOL = 0.01  # pt

needs_fonts = pytest.mark.skipif(not SERIF.is_file(), reason="fonts/ not built")


@pytest.fixture(scope="module")
def book() -> FontBook:
    return FontBook.open(FACES)


def _ink(fonts: FontBook, g, size: float) -> tuple[float, float]:
    x0, x1 = fonts.ink(g.face, g.text)
    return (g.x + g.dx + g.hscale * x0 * size, g.x + g.dx + g.hscale * x1 * size)


def _dash_runs(line):
    """Pairs of consecutive glyphs that are both dashes."""
    gs = line.glyphs
    return [(a, b) for a, b in zip(gs, gs[1:]) if a.text in "—―" and b.text in "—―"]


@needs_fonts
def test_ink_of_the_rebuilt_noto_dash(book):
    assert book.advance("NotoSerifSC-Regular", "—") == pytest.approx(1.0)
    assert book.ink("NotoSerifSC-Regular", "—") == pytest.approx((0.071, 0.929))
    assert book.ink("NotoSerifSC-Bold", "—") == pytest.approx((0.074, 0.926))
    assert book.ink("NotoSerifSC-Regular", " ") is None          # blank glyph
    assert book.ink("NotoSerifSC-Regular", "\U0001F600") is None  # not in the face


@needs_fonts
@pytest.mark.parametrize("face", sorted(FACES))
@pytest.mark.parametrize("size", [9.0, 10.5, 42.0])
def test_two_em_dash_ink_is_continuous(book, face, size):
    line = set_line([Run("走到基层——这里", face)], ComposeStyle(size=size, indent=0), book)
    assert line.text == "走到基层——这里"   # the text layer is the copy: two U+2014
    (a, b), = _dash_runs(line)
    for g in (a, b):
        lo, hi = _ink(book, g, size)
        assert abs(lo - g.x) < 1e-6 and abs(hi - (g.x + g.width)) < 1e-6, (face, g)
    gap = _ink(book, b, size)[0] - _ink(book, a, size)[1]
    assert -TOL < gap < TOL, (face, gap)
    assert a.width + b.width == pytest.approx(2 * size)   # still 2 em in all


@needs_fonts
@pytest.mark.parametrize("text", [
    "他说——这是第一次。",
    "——开头的破折号",
    "结尾的破折号——",
    "三连———在一起",
    "走基层——听民意——解民忧——话发展——促振兴——这是一个很长的段落，用来检验两端对齐的行里的破折号。",
])
@pytest.mark.parametrize("chars", [5, 7, 13, 22])
def test_dashes_touch_in_justified_lines(book, text, chars):
    st = ComposeStyle(size=9.0, indent=2.0)
    c = compose([Run(text, "NotoSerifSC-Regular")], chars * 9.0, st, book)
    assert c.text == text
    for line in c.lines:
        for a, b in _dash_runs(line):
            gap = _ink(book, b, 9.0)[0] - _ink(book, a, 9.0)[1]
            assert -TOL < gap < TOL, (line.text, gap)
    assert count_lines([Run(text, "NotoSerifSC-Regular")], chars * 9.0, st, book) == (len(c.lines), c.diagnostics)


@needs_fonts
def test_dash_across_runs_of_different_faces(book):
    line = set_line([Run("甲—", "NotoSerifSC-Bold"), Run("—乙", "NotoSerifSC-Regular")], ComposeStyle(indent=0), book)
    (a, b), = _dash_runs(line)
    assert abs(_ink(book, b, 9.0)[0] - _ink(book, a, 9.0)[1]) < TOL


@needs_fonts
def test_single_dash_is_left_as_the_face_draws_it(book):
    # A lone — (一字线, rare in Chinese copy) keeps the face's own drawing in its 1-em cell.
    line = set_line([Run("甲—乙", "NotoSerifSC-Regular")], ComposeStyle(indent=0), book)
    d = line.glyphs[1]
    assert (d.dx, d.hscale, d.width) == (0.0, 1.0, pytest.approx(9.0))


@needs_fonts
def test_ellipsis_is_left_alone(book):
    # Its six dots are evenly spaced as drawn (Noto Serif SC: pitch 333 units inside a
    # glyph, 334 across the pair), so …… is not adjusted.
    line = set_line([Run("甲……乙", "NotoSerifSC-Regular")], ComposeStyle(indent=0), book)
    for g in line.glyphs[1:3]:
        assert (g.dx, g.hscale, g.width) == (0.0, 1.0, pytest.approx(9.0))


def test_test_font_dash_stretched_to_its_cell(fonts):
    # PaperTest: — is 0.89 em wide with ink 0 … 0.89 em: scaled by 1/0.89, no shift.
    line = set_line([Run("一——二", "t")], style(), fonts)
    for g in line.glyphs[1:3]:
        assert g.hscale == pytest.approx(1 / 0.89) and g.dx == pytest.approx(0.0)
        lo, hi = _ink(fonts, g, SIZE)
        assert lo == pytest.approx(g.x) and hi == pytest.approx(g.x + g.width)


# -- the interpunct (TYPOGRAPHY.md: set in a 1-em cell, never shrinks) ---------------------

@needs_fonts
@pytest.mark.parametrize("punctuation", ["quanjiao", "kaiming", "banjiao"])
def test_interpunct_centred_in_a_one_em_cell(book, punctuation):
    face = "NotoSerifSC-Regular"
    assert book.advance(face, "·") == pytest.approx(0.327)
    line = set_line([Run("走基层·听民意", face)], ComposeStyle(indent=0, punctuation=punctuation), book)
    dot = line.glyphs[3]
    assert dot.text == "·" and dot.width == pytest.approx(9.0) and dot.hscale == 1.0
    # its advance box (0.327 em) is centred in the cell
    assert dot.dx == pytest.approx((1 - 0.327) / 2 * 9.0)
    assert line.glyphs[4].x == pytest.approx(dot.x + 9.0)
    assert line.width == pytest.approx(7 * 9.0)


@needs_fonts
def test_interpunct_keeps_its_cell_when_a_line_is_pushed_in(book):
    face = "NotoSerifSC-Regular"
    c = compose([Run("走基层·听民意·解民忧·话发展，促振兴。", face)], 10 * 9.0, ComposeStyle(indent=0), book)
    for line in c.lines:
        for g in line.glyphs:
            if g.text == "·":
                assert g.width == pytest.approx(9.0)
