"""A few checks on the production fonts in fonts/ (skipped when they are absent)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from paperlayout.fonts import FontBook
from paperlayout.text import ComposeStyle, Run, compose, set_line

FONTS = Path(__file__).resolve().parents[2] / "fonts"
SERIF = FONTS / "NotoSerifSC-Regular.ttf"
KAI = FONTS / "LXGWWenKai-Regular.ttf"

pytestmark = pytest.mark.skipif(not SERIF.is_file(), reason="fonts/NotoSerifSC-Regular.ttf not built")


@pytest.fixture(scope="module")
def noto() -> FontBook:
    faces = {"serif": SERIF}
    if KAI.is_file():
        faces["kai"] = KAI
    return FontBook.open(faces, fallbacks=tuple(faces))


def test_halt_values_from_gpos(noto):
    assert noto.halt("serif", "，") == (0.0, -0.5)
    assert noto.halt("serif", "（") == (-0.5, -0.5)
    assert noto.halt("serif", "“") == (-0.5, -0.5)
    assert noto.halt("serif", "中") is None
    assert noto.advance("serif", "中") == 1.0
    assert 0.85 <= noto.advance("serif", "—") <= 1.0   # 0.89 in Noto CJK; 1.0 if remapped


def test_comma_half_width_at_line_end(noto):
    c = compose([Run("达拉特旗着力践行以人民为，中心的发展思想", "serif")], 117.0, ComposeStyle(indent=0), noto)
    first = c.lines[0]
    assert first.text == "达拉特旗着力践行以人民为，"
    assert first.glyphs[-1].width == pytest.approx(4.5)   # GB/T 15834 §5.1.10 with Noto's halt
    assert first.width == pytest.approx(117.0)


def test_two_em_dash_fills_two_ems(noto):
    line = set_line([Run("走到基层——这里", "serif")], ComposeStyle(), noto)
    dashes = [g for g in line.glyphs if g.text == "—"]
    assert [g.width for g in dashes] == [pytest.approx(9.0)] * 2
    assert dashes[0].hscale * noto.advance("serif", "—") == pytest.approx(1.0)
    assert dashes[0].x + dashes[0].width == pytest.approx(dashes[1].x)


def test_open_and_lookups_are_fast():
    t0 = time.perf_counter()
    book = FontBook.open({"serif": SERIF})
    for cp in range(0x4E00, 0x4E00 + 5000):
        book.advance("serif", chr(cp))
    assert time.perf_counter() - t0 < 0.5


@pytest.mark.skipif(not KAI.is_file(), reason="LXGW WenKai not built")
def test_kai_caption_breaks(noto):
    c = compose([Run("包联单位干部到村民家中了解种养殖情况。 薛世昌 摄", "kai")], 117.0,
                 ComposeStyle(indent=0, justify=False), noto)
    assert "".join(line.text for line in c.lines) == "包联单位干部到村民家中了解种养殖情况。 薛世昌 摄"
    assert all(line.width <= 117.0 + 1e-6 for line in c.lines)
