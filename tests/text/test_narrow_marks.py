"""Quotation marks a face draws narrow are set in full-width cells in Chinese text
(GB/T 15834—2011 §5.1.3; rules.CELL_MARKS), and a face with no GPOS 'halt' gets its
marks' allowances from their ink (rules.EMPTY_SIDE).

Face "k" (PaperTest-Kai.ttf) is drawn like LXGW WenKai: “ ” ‘ ’ 0.35 em with ink
0.05–0.3 em, the other marks 1 em with ink in the usual half, · 0.35 em, no 'halt'.
Face "t" (PaperTest-Regular.ttf) has 1-em marks with 'halt', like Noto SC.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from composer_helpers import FONTS, SIZE, style

from paperlayout.fonts import FontBook
from paperlayout.text import Run, compose, count_lines, set_line
from paperlayout.text.prepare import char_info
from paperlayout.text.rules import CELL_INK_MARGIN, cell_dx, ink_halt

KAI_TEST = FONTS / "PaperTest-Kai.ttf"
REAL = Path(__file__).resolve().parents[2] / "fonts"
REAL_KAI = REAL / "LXGWWenKai-Regular.ttf"
REAL_SERIF = REAL / "NotoSerifSC-Regular.ttf"


@pytest.fixture(scope="module")
def kfonts() -> FontBook:
    return FontBook.open({"k": KAI_TEST, "t": FONTS / "PaperTest-Regular.ttf"})


def _line(fonts, text, face, **kw):
    return set_line([Run(text, face)], style(**kw), fonts)


def _widths(line):
    return [round(g.width / SIZE, 6) for g in line.glyphs]


def _ink_in_cell(fonts, g, face):
    """Ink extent of glyph ``g`` relative to its set box, em."""
    ink = fonts.ink(face, g.text)
    return ((g.dx / SIZE + ink[0]), (g.dx / SIZE + ink[1]))


# -- the test face ------------------------------------------------------------------------

def test_narrow_quotes_take_full_cells(kfonts):
    line = _line(kfonts, "中“中”中‘中’中", "k")
    assert _widths(line) == [1.0] * 9
    assert line.width == pytest.approx(9 * SIZE)
    for g in line.glyphs:
        if g.text in "“‘":          # opening: ink in the right half, CELL_INK_MARGIN from the edge
            lo, hi = _ink_in_cell(kfonts, g, "k")
            assert lo >= 0.5 and hi == pytest.approx(1.0 - CELL_INK_MARGIN)
        elif g.text in "”’":        # closing: ink in the left half
            lo, hi = _ink_in_cell(kfonts, g, "k")
            assert lo == pytest.approx(CELL_INK_MARGIN) and hi <= 0.5


def test_adjacent_marks_one_and_a_half_em(kfonts):
    line = _line(kfonts, "中“中”。中", "k")
    w = _widths(line)
    assert w[3] + w[4] == pytest.approx(1.5)          # ”。 together 1.5 em (CLREQ §3.1.6)
    assert w[1] == 1.0
    line = _line(kfonts, "中，“中", "k")
    w = _widths(line)
    assert w[1] + w[2] == pytest.approx(1.5)          # ，“


def test_line_end_half_width_without_halt(kfonts):
    # GB/T 15834 §5.1.10 with allowances from the ink: the mark ending a line takes ½ em.
    c = compose([Run("中中中”中中中中", "k")], 3.5 * SIZE, style(), kfonts)
    assert c.lines[0].text == "中中中”"
    assert c.lines[0].glyphs[-1].width == pytest.approx(0.5 * SIZE)
    c = compose([Run("中中中，中中中中", "k")], 3.5 * SIZE, style(), kfonts)
    assert c.lines[0].text == "中中中，"


@pytest.mark.parametrize("text", [
    "中“中中”。中中，“中中”中中（中）中",
    "中中中‘中中’，中中“中”“中”中中中。",
    "《中中》“中中”：“中，中。”中中中中中中",
])
@pytest.mark.parametrize("chars", [3.0, 4.0, 5.5, 7.0, 40.0])
def test_sets_like_a_face_with_halt(kfonts, text, chars):
    """A face with narrow quotes and no 'halt' sets Chinese text exactly like one with
    full-width marks and 'halt' (the PaperTest-Regular face, like Noto SC)."""
    for justify in (True, False):
        st = style(justify=justify)
        a = compose([Run(text, "k")], chars * SIZE, st, kfonts)
        b = compose([Run(text, "t")], chars * SIZE, st, kfonts)
        assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines]
        for la, lb in zip(a.lines, b.lines):
            assert [g.x for g in la.glyphs] == pytest.approx([g.x for g in lb.glyphs])
            assert [g.width for g in la.glyphs] == pytest.approx([g.width for g in lb.glyphs])
        assert count_lines([Run(text, "k")], chars * SIZE, st, kfonts)[0] == len(a.lines)


def test_between_latin_neighbours_quotes_stay_proportional(kfonts):
    line = _line(kfonts, "ab “cd” ef", "k")
    assert [g.width / SIZE for g in line.glyphs if g.text in "“”"] == pytest.approx([0.35, 0.35])
    assert [g.dx for g in line.glyphs if g.text in "“”"] == [0.0, 0.0]
    # One Chinese neighbour (or a paragraph edge) makes it Chinese text: full cells.
    line = _line(kfonts, "中“cd”中", "k")
    assert [g.width / SIZE for g in line.glyphs if g.text in "“”"] == pytest.approx([1.0, 1.0])
    line = _line(kfonts, "“cd” ef", "k")
    assert line.glyphs[0].width / SIZE == pytest.approx(1.0)
    assert line.glyphs[3].width / SIZE == pytest.approx(0.35)


def test_interpunct_centred(kfonts):
    line = _line(kfonts, "中·中", "k")
    g = line.glyphs[1]
    assert g.width == pytest.approx(SIZE)
    lo, hi = _ink_in_cell(kfonts, g, "k")
    assert (lo + hi) / 2 == pytest.approx(0.5, abs=0.03)


def test_faces_with_full_width_marks_untouched(kfonts):
    st = style()
    for ch in "“”‘’":
        info = char_info(kfonts, "t", ch, st)
        assert info.adv == 1.0 and info.dx0 == 0.0 and info.latin is None


def test_ink_halt_and_cell_rules():
    assert ink_halt((0.1, 0.4), 1.0, "R") == (0.0, -0.5)
    assert ink_halt((0.6, 0.9), 1.0, "L") == (-0.5, -0.5)
    assert ink_halt((0.07, 0.502), 1.0, "R") == pytest.approx((0.0, -0.498))  # never cuts ink
    assert ink_halt((0.3, 0.7), 1.0, "R") is None        # centred (TC-style): no allowance
    assert ink_halt((0.3, 0.7), 1.0, "L") is None
    assert ink_halt(None, 1.0, "R") is None
    assert cell_dx((0.05, 0.3), 0.35, "L") == pytest.approx(1.0 - CELL_INK_MARGIN - 0.3)
    assert cell_dx((0.05, 0.3), 0.35, "R") == pytest.approx(CELL_INK_MARGIN - 0.05)


# -- the production fonts -----------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> FontBook:
    if not (REAL_KAI.is_file() and REAL_SERIF.is_file()):
        pytest.skip("fonts/LXGWWenKai-Regular.ttf or NotoSerifSC-Regular.ttf not built")
    return FontBook.open({"kai": REAL_KAI, "serif": REAL_SERIF}, fallbacks=("serif", "kai"))


def test_lxgw_quotes_are_narrow_and_have_no_halt(real):
    # The premise: if LXGW gains full-width quotes or 'halt' data this path is not taken.
    for ch in "“”‘’":
        assert real.advance("kai", ch) < 0.9
        assert real.halt("kai", ch) is None


def test_lxgw_caption_quotes(real):
    st = style(justify=False)
    line = set_line([Run("流动的“充电站”。送书", "kai")], st, real)
    g = {k: line.glyphs[k] for k in range(len(line.glyphs))}
    assert g[3].text == "“" and g[3].width == pytest.approx(SIZE)
    assert g[7].text == "”" and g[8].text == "。"
    assert g[7].width + g[8].width == pytest.approx(1.5 * SIZE)   # ”。 together 1.5 em
    lo, hi = _ink_in_cell(real, g[3], "kai")
    assert 0.5 <= lo and hi <= 1.0                                 # opening: right half
    assert _ink_in_cell(real, g[7], "kai")[0] >= 0.0
    assert _ink_in_cell(real, g[7], "kai")[1] <= 0.5               # closing: left half
    # At the end of the caption, 。 also gives up its empty half (GB/T 15834 §5.1.10).
    line = set_line([Run("流动的“充电站”。", "kai")], st, real)
    assert [round(x.width / SIZE, 3) for x in line.glyphs] == [1, 1, 1, 1, 1, 1, 1, 0.5, 0.5]


def test_lxgw_caption_sets_like_noto(real):
    text = "送书下乡，农牧民有了流动的“充电站”。他说：“好。”（新）《报》‘书’"
    for chars in (7.0, 12.0, 27.0):
        a = compose([Run(text, "kai")], chars * SIZE, style(), real)
        b = compose([Run(text, "serif")], chars * SIZE, style(), real)
        assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines]
        for la, lb in zip(a.lines, b.lines):
            assert [g.x for g in la.glyphs] == pytest.approx([g.x for g in lb.glyphs], abs=0.05)


def test_lxgw_interpunct_centred(real):
    line = set_line([Run("李·白", "kai")], style(), real)
    g = line.glyphs[1]
    assert g.width == pytest.approx(SIZE)
    lo, hi = _ink_in_cell(real, g, "kai")
    assert (lo + hi) / 2 == pytest.approx(0.5, abs=0.02)
