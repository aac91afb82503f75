"""Justify (对齐): turn a chosen line into positioned glyphs.

The adjustment the breaker chose for a line is spread by priority (TYPOGRAPHY.md
"Justification and spacing"): level 1 over the punctuation blanks in proportion to
what each may give (or give back), level 2 over the Han–Latin spaces and word spaces,
level 3 evenly over the boundaries where inter-character space may be added (never
inside a Latin word, a number, —— or ……, nor beside a word space; inside a URL, yes);
a line with no such boundary (a line of Latin words) is letter-spaced evenly instead.
A line that ends at a hyphenation point ends with a hyphen glyph (``Glyph.hyphen``).
A line of Han characters alone needs no adjustment, so its characters stay on the grid.

Input lengths in em; the Glyphs and Lines produced are in points.
"""

from __future__ import annotations

from math import copysign
from sys import intern

from .linebreak import LineFit
from .model import Line, make_glyph
from .prepare import F_WORD, Prepared
from .rules import HYPHEN_CHAR, LINE_END_HALF_SIDES, SPACE_SHRINK, SPACE_STRETCH
from .style import ComposeStyle

_PUNCT = 2
_SPACE = 4


def build_line(p: Prepared, fit: LineFit, measure: float, indent: float, style: ComposeStyle,
               last: bool, tracking: float = 0.0, natural_measure: bool = False,
               shared: dict[float, float] | None = None) -> Line:
    """Position the glyphs of ``fit`` (measure, indent, tracking in em) → Line in pt.
    ``shared``: the float objects of the positions and widths already made for the other
    lines of the paragraph (value → object), which this line's glyphs reuse."""
    size = style.size
    i, j = fit.start, fit.end
    infos = p.infos
    text = p.text
    adj_r, adj_l, hl, spread, track = p.adj_r, p.adj_l, p.hl, p.spread, p.track
    end = j - 1
    end_info, start_info = infos[end], infos[i]
    end_cut = (style.line_end_half and end_info.kind == _PUNCT
               and end_info.side in LINE_END_HALF_SIDES)
    start_cut = start_info.s_w > 0.0 or start_info.s_g1 > 0.0
    # Level ratios.
    r1s = r1g = 0.0
    a1, a2, a3 = fit.a1, fit.a2, fit.a3
    if a1 < 0.0 and fit.p1 > 0.0:
        r1s = -a1 / fit.p1
    elif a1 > 0.0 and fit.g1 > 0.0:
        r1g = a1 / fit.g1
    r2 = 0.0  # fraction of level-2 capacity used (signed)
    if a2 < 0.0 and fit.p2 > 0.0:
        r2 = a2 / fit.p2
    elif a2 > 0.0 and fit.g2 > 0.0:
        r2 = a2 / fit.g2
    hl_w = style.han_latin_space
    if r2 < 0.0:
        hl_w += r2 * (style.han_latin_space - style.han_latin_min)
    elif r2 > 0.0:
        hl_w += r2 * (style.han_latin_max - style.han_latin_space)
    space_factor = 1.0 + (r2 * SPACE_SHRINK if r2 < 0.0 else r2 * SPACE_STRETCH)
    gaps = fit.gaps
    all_gaps = False
    per_gap = 0.0
    if a3:
        if gaps:
            per_gap = a3 / gaps
        elif j - i > 1:
            all_gaps = True
            per_gap = a3 / (j - i - 1)
    adjust_punct = bool(r1s or r1g)
    hang = fit.hang

    x = indent if i == 0 else 0.0
    glyphs = []
    append = glyphs.append
    mk = make_glyph
    # The glyphs share their text strings (interned: one object per character in the whole
    # issue) and their positions, set widths and offsets (one float object per value in the
    # paragraph: on the character grid most positions recur line after line): the same
    # values, in about half the memory of a glyph with its own objects. (cache._line shares
    # a stored line's floats the same way, inlined there too: both run once per glyph.)
    if shared is None:
        shared = {}
    share = shared.setdefault
    for m in range(i, j):
        info = infos[m]
        if m > i:
            if hl[m]:
                x += hl_w
            if per_gap and (all_gaps or spread[m]):
                x += per_gap
            if tracking and track[m]:
                x += tracking
        kind = info.kind
        if kind == _PUNCT:
            left = info.csl
            right = info.csr
            mand_l = 0.0
            if m > i:
                left += adj_l[m]
            elif start_cut:
                mand_l = info.sl - left
                left = info.sl
            if m < end:
                right += adj_r[m + 1]
            elif end_cut:
                right = info.sr
            if adjust_punct and not (hang and m == end):
                if r1s:
                    if m > i or start_cut:   # else its left is kept (ComposeStyle.line_start_half)
                        left += (info.sl - left) * r1s
                    right += (info.sr - right) * r1s
                else:
                    gl = left - mand_l if m == i and start_cut else left
                    left -= gl * r1g
                    right -= right * r1g
            w = info.adv - left - right
            dx = info.dx0 - left
        elif kind == _SPACE:
            if m == end:
                w = 0.0
            elif info.flags & F_WORD:
                # A word space moves within its own bounds (rules.WORD_SPACE_BOUNDS).
                w = info.adv + (r2 * info.cs2 if r2 < 0.0 else r2 * info.cg2)
            else:
                w = info.adv * space_factor
            dx = 0.0
        else:
            w = info.adv
            dx = info.dx0
        ws = w * size
        ds = dx * size
        if ws:
            ws = share(ws, ws)
        if ds:
            ds = share(ds, ds)
        elif copysign(1.0, ds) > 0.0:
            ds = 0.0
        xs = x * size
        if xs:
            xs = share(xs, xs)
        elif copysign(1.0, xs) > 0.0:
            xs = 0.0
        append(mk(intern(text[m]), info.face, xs, ws, ds, info.hscale, info.draw, info.embolden))
        x += w
    if p.hyw is not None and j < len(infos) and p.hyw[j]:
        # A hyphen at the line end (rules.HYPHEN_CHAR): drawn, not in the copy (text "").
        hw = p.hyw[j]
        append(mk("", p.hyface[j], x * size, hw * size, 0.0, 1.0, HYPHEN_CHAR))
        x += hw
    width = x * size
    if hang:  # 行末悬挂: the last mark lies past the measure; the line is the measure
        width = glyphs[-1].x
    meas = width if natural_measure else measure * size
    if style.justify and not last and not natural_measure and abs(width - meas) < 1e-6:
        width = meas
    return Line(tuple(glyphs), width, meas, size, last)
