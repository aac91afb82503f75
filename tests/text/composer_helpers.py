"""Helpers of the composer suite: a FontBook over the purpose-built test fonts.

Test font metrics (tests/fonts/make_test_font.py): Han 1 em, Latin letters and digits
½ em, space ¼ em, ASCII punctuation ¼ em, full-width marks 1 em with a ½-em empty half
declared in GPOS 'halt', — 0.89 em, … 1 em, · 0.3 em.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
