"""The composer's values: input runs, a style, and the composed lines of glyphs.

Coordinates: a Line's origin is the left end of the measure on the baseline; x grows to
the right. Lengths are in points (pt) unless a field says em.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of paragraph text in one face (e.g. a bold dateline 电头, then the body face).

    text: the copy, exactly as given (no normalisation); face: a FontBook face key.
    """

    text: str
    face: str


@dataclass(frozen=True, slots=True)
class Glyph:
    """One drawn glyph (字) in a line.

    text: the code point(s) it stands for in the copy (the text layer), e.g. "，" or "—".
    face: face key that draws it (after fallback).
    x: pt, left edge of its set box, from the line origin.
    width: pt, set width after punctuation compression (the box; spacing added between
        glyphs by justification is not part of it).
    dx: pt, draw the glyph's origin at x + dx (an opening mark set half width is drawn
        at x − size/2 so its ink lands in its half box; the interpunct is centred).
    hscale: horizontal scale when drawing. The renderer draws the glyph's origin at
        x + dx with this scale, so its ink spans x + dx + hscale × ink × size. Each dash
        of —— is scaled and shifted so that its ink fills its box [x, x + width] exactly
        (``FontBook.ink``): the pair prints as one continuous 2-em rule.
    draw: code points to draw instead of ``text`` (None: draw ``text``). Set for a
        character no face has: drawn as 〓 (geta, the trade's 缺字 mark) when the face has
        it, else "" (draw nothing; the box is kept). The text layer is always ``text``.
    embolden: em of the size, the width of a stroke drawn along the glyph's outline (fill
        then stroke) for a fallback glyph from a face lighter than the requested one, so
        its strokes match its neighbours' (``FontBook.embolden``); 0.0: fill only.

    A hyphen added at a line end by hyphenation (断词连字符) is a glyph with text "" and
    draw "-" (``hyphen`` is True): it is not in the copy, so ``Line.text`` and
    ``Composed.text`` rejoin to the copy, but it IS printed, so text extracted from the
    PDF holds a "-" at that line end. A checker comparing extracted text with the copy
    must drop a "-" that ends a line where the layout has a hyphen glyph.
    """

    text: str
    face: str
    x: float
    width: float
    dx: float = 0.0
    hscale: float = 1.0
    draw: str | None = None
    embolden: float = 0.0

    @property
    def hyphen(self) -> bool:
        """True for a hyphen added at a line end (not in the copy; see above)."""
        return self.text == "" and self.draw == "-"


@dataclass(frozen=True, slots=True)
class Line:
    """One composed line (行).

    glyphs: in reading order; width: pt, x of the right edge of the last glyph's set box
    (== measure for a justified line); measure: pt, the line length it was set to;
    size: pt, the font size; last: a paragraph's last line or a line ended by a forced
    newline in the copy (set flush left, not justified). With ``ComposeStyle.hanging`` a
    line may end with a pause or full-stop mark whose box lies past ``width`` (行末悬挂).
    """

    glyphs: tuple[Glyph, ...]
    width: float
    measure: float
    size: float
    last: bool

    @property
    def text(self) -> str:
        """The line's copy (its glyphs' text joined)."""
        return "".join(g.text for g in self.glyphs)


@dataclass(frozen=True)
class Composed:
    """A composed paragraph: its lines and what went wrong (forced breaks, fallbacks …)."""

    lines: tuple[Line, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


def _glyph_maker():
    """A fast constructor of Glyph for the composer's inner loop.

    Equivalent to ``Glyph(text, face, x, width, dx, hscale, draw, embolden)``; it sets the slots
    directly instead of going through the frozen dataclass ``__init__`` (about twice as
    fast, and the composer builds one Glyph per character).
    """
    new = object.__new__
    st, sf, sx, sw, sd, sh, sdr, se = (Glyph.__dict__[name].__set__ for name in
                                        ("text", "face", "x", "width", "dx", "hscale", "draw", "embolden"))

    def make(text: str, face: str, x: float, width: float, dx: float, hscale: float,
             draw: str | None, embolden: float = 0.0) -> Glyph:
        g = new(Glyph)
        st(g, text)
        sf(g, face)
        sx(g, x)
        sw(g, width)
        sd(g, dx)
        sh(g, hscale)
        sdr(g, draw)
        se(g, embolden)
        return g

    return make


make_glyph = _glyph_maker()
