"""Helpers of the composer suite: a FontBook over the purpose-built test fonts.

Test font metrics (tests/fonts/make_test_font.py): Han 1 em, Latin letters and digits
½ em, space ¼ em, ASCII punctuation ¼ em, full-width marks 1 em with a ½-em empty half
declared in GPOS 'halt', — 0.89 em, … 1 em, · 0.3 em.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import strategies as st

from paperlayout.fonts import FontBook
from paperlayout.text import ComposeStyle, Run, compose, set_line

FONTS = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = FONTS / "PaperTest-Regular.ttf"
FALLBACK = FONTS / "PaperTest-Fallback.ttf"

#: Body size used by the suite: 10 pt makes 1 em = 10 pt.
SIZE = 10.0


@pytest.fixture(scope="session")
def fonts() -> FontBook:
    return FontBook.open({"t": REGULAR, "fb": FALLBACK}, fallbacks=("fb",))


def style(**kw) -> ComposeStyle:
    base = dict(size=SIZE, indent=0.0)
    base.update(kw)
    return ComposeStyle(**base)


def lines_of(fonts: FontBook, text: str, chars: float, **kw) -> list[str]:
    """Compose ``text`` in face "t" at ``chars`` em → the lines' text."""
    c = compose([Run(text, "t")], chars * SIZE, style(**kw), fonts)
    return [line.text for line in c.lines]


def width_em(fonts: FontBook, text: str, **kw) -> float:
    return set_line([Run(text, "t")], style(**kw), fonts).width / SIZE


#: Random copy for the property tests: Han, every class of mark, Latin words and numbers.
HAN = "一二三四五六七八九十中文字国人大小"
PUNCT = "，。、；：！？”’）》“‘（《"
TOKENS = [*HAN] * 6 + [*PUNCT] + ["——", "……", "·", "ab", "Word", "2022", "6.3", "15%", "15％", " ", "\u4dae"]


def style_options(**extra) -> st.SearchStrategy:
    """ComposeStyle keyword arguments drawn over every style setting, plus `extra` ones."""
    return st.fixed_dictionaries({
        "punctuation": st.sampled_from(["quanjiao", "kaiming", "banjiao"]),
        "prohibition": st.sampled_from(["none", "basic", "strict"]),
        "indent": st.sampled_from([0.0, 2.0]),
        "justify": st.booleans(),
        "avoid_lone": st.booleans(),
        "hanging": st.booleans(),
        **extra,
    })
