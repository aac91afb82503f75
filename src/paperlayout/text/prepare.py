"""Prepare: measure a paragraph's characters and the boundaries between them.

Step 1 of composition (collect → prepare → break → justify). For each character: the
face that draws it, its set width and how much of it may be compressed; for each
boundary between two characters: whether a line may break there, the Han–Latin space,
the compression of adjacent marks, and whether justification may add space there.
Prefix sums over all of these let the line breaker measure any candidate line in O(1).

All lengths here are in em of the body size. Pure: reads the FontBook, returns values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from ..fonts import FontBook
from .classes import Kind, kind_of
from .rules import (
    ADJACENT_TARGET,
    DASH_CELL,
    DOT_CELL,
    LINE_END_HALF_SIDES,
    PROHIBITION_MASKS,
    SPACE_SHRINK,
    SPACE_STRETCH,
    STYLE_HALVED,
    Prohibition,
    PunctuationStyle,
    blank_halves,
    prohibition_flags,
    side_of,
)
from .style import ComposeStyle

#: Boundary break classes.
NEVER = 0     # inside an unbreakable sequence (Latin word, number, ——, ……)
KINSOKU = 1   # forbidden by the line-edge prohibitions
ALLOW = 2

_HAN = int(Kind.HAN)
_LATIN = int(Kind.LATIN)
_PUNCT = int(Kind.PUNCT)
_NARROW = int(Kind.NARROW)
_SPACE = int(Kind.SPACE)
_DOT = int(Kind.DOT)
_DASH = int(Kind.DASH)
_ELLIPSIS = int(Kind.ELLIPSIS)
_SYMBOL = int(Kind.SYMBOL)

#: Kinds that glue into one unbreakable narrow run (a word, a number, a URL).
_NARROW_RUN = frozenset((_LATIN, _NARROW))
#: Kinds counted as "a character" for the lone-last-character rule.
_LETTERS = frozenset((_HAN, _LATIN, _SYMBOL))

GETA = "〓"


@dataclass(frozen=True, slots=True)
class CharInfo:
    """Per (face, character, style) facts, memoised in the FontBook.

    face: drawing face; kind: Kind value; adv: em, set width before compression (cells
    for dash / dot applied); sl, sr: em, empty left / right half (max compression); side:
    "R" / "L" / "C" / ""; csl, csr: em, compression by the punctuation style; hscale,
    dx0 (em): drawing adjustments; flags: prohibition flags; status: 0 found, 1 fallback,
    2 missing; draw: replacement drawing for a missing character.
    """

    face: str
    kind: int
    adv: float
    sl: float
    sr: float
    side: str
    csl: float
    csr: float
    hscale: float
    dx0: float
    flags: int
    status: int
    draw: str | None
    wide_alnum: bool


def char_info(fonts: FontBook, face: str, ch: str, style: ComposeStyle) -> CharInfo:
    """Measure one character requested in ``face`` (memoised per FontBook and style)."""
    table = fonts.memo(f"text.char_info:{style.punctuation}").setdefault(face, {})
    info = table.get(ch)
    if info is None:
        info = table[ch] = _char_info(fonts, face, ch, PunctuationStyle(style.punctuation))
    return info


def _char_info(fonts: FontBook, face: str, ch: str, pstyle: PunctuationStyle) -> CharInfo:
    kind = kind_of(ch)
    m = fonts.char_metrics(face, ch)
    adv = m.advance
    hscale, dx0 = 1.0, 0.0
    sl = sr = 0.0
    side = ""
    draw = None
    status = 2 if m.missing else (1 if m.fallback else 0)
    if m.missing:
        import unicodedata

        wide = unicodedata.east_asian_width(ch) in ("W", "F") or kind == Kind.HAN
        adv = 1.0 if wide else 0.5
        draw = GETA if fonts.covers(face, GETA) and wide else ""
    elif kind == Kind.PUNCT:
        sl, sr = blank_halves(m.halt)
        side = side_of(m.halt)
    elif kind == Kind.DOT:
        # CLREQ §3.1: the interpunct takes a full cell, centred; never compressed.
        dx0 = (DOT_CELL - adv) / 2 if adv < DOT_CELL else 0.0
        adv = max(adv, DOT_CELL)
    elif kind in (Kind.DASH, Kind.ELLIPSIS) and 0 < adv < DASH_CELL:
        # CLREQ §3.1.5: each half of —— / …… fills 1 em so the pair is continuous.
        hscale = DASH_CELL / adv
        adv = DASH_CELL
    if kind == Kind.NEWLINE:
        adv = 0.0
    csl = csr = 0.0
    if kind == Kind.PUNCT and ch in STYLE_HALVED[pstyle]:
        csl, csr = sl, sr
    cp = ord(ch)
    wide_alnum = 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A
    return CharInfo(m.face, int(kind), adv, sl, sr, side, csl, csr, hscale, dx0,
                    prohibition_flags(ch), status, draw, wide_alnum)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A paragraph segment (no forced newline inside) measured for breaking.

    Character arrays are indexed by character (0 … n−1); boundary arrays by boundary k,
    the gap before character k (1 … n−1; entries 0 and n are 0). Prefix arrays have
    n + 1 entries: P[k] = sum of the first k characters (or boundaries 0 … k).
    """

    text: str
    infos: tuple[CharInfo, ...]
    # boundaries
    brk: list[int]        # NEVER / KINSOKU / ALLOW; brk[n] == ALLOW
    adj_r: list[float]    # em cut from the right of char k−1 (adjacent marks)
    adj_l: list[float]    # em cut from the left of char k
    hl: list[int]         # 1 where a Han–Latin space sits at boundary k
    spread: list[int]     # 1 where justification may add inter-character space
    # ends: what changes when char m ends (e_) or starts (s_) a line
    e_w: list[float]
    e_p1: list[float]
    e_g1: list[float]
    e_p2: list[float]
    e_g2: list[float]
    s_w: list[float]
    s_p1: list[float]
    s_g1: list[float]
    # prefix sums
    CW: list[float]       # set width after style compression
    CP1: list[float]      # remaining punctuation compression
    CG1: list[float]      # style compression that can be given back
    CS2: list[float]      # word-space shrink
    CG2: list[float]      # word-space stretch
    CMIN: list[float]     # lower bound of the narrowest width (for bisect)
    CL: list[int]         # letters (lone-last-character rule)
    BW: list[float]       # boundary width: Han–Latin space − adjacent cuts
    BADJ: list[float]     # adjacent cuts
    BHN: list[int]        # count of Han–Latin spaces
    BSP: list[int]        # count of spreadable boundaries
    PAB: list[int]        # PAB[j]: largest allowed break ≤ j (0 if none)


def prepare(text: str, faces: Sequence[str], style: ComposeStyle, fonts: FontBook,
            infos: Sequence[CharInfo] | None = None) -> Prepared:
    """Measure ``text`` (one segment, no newline), ``faces[i]`` requested for char i."""
    if infos is None:
        infos = tuple(char_info(fonts, f, c, style) for c, f in zip(text, faces))
    else:
        infos = tuple(infos)
    n = len(infos)
    ns_mask, ne_mask = PROHIBITION_MASKS[Prohibition(style.prohibition)]
    hl_def = style.han_latin_space
    line_end_half = style.line_end_half
    line_start_half = style.line_start_half
    squeeze = style.max_squeeze

    brk = [ALLOW] * (n + 1)
    adj_r = [0.0] * (n + 1)
    adj_l = [0.0] * (n + 1)
    hl = [0] * (n + 1)
    spread = [0] * (n + 1)
    e_w = [0.0] * n
    e_p1 = [0.0] * n
    e_g1 = [0.0] * n
    e_p2 = [0.0] * n
    e_g2 = [0.0] * n
    s_w = [0.0] * n
    s_p1 = [0.0] * n
    s_g1 = [0.0] * n
    cw = [0.0] * n
    cp1 = [0.0] * n
    cg1 = [0.0] * n
    cs2 = [0.0] * n
    cg2 = [0.0] * n
    cmin = [0.0] * n
    cl = [0] * n
    bw = [0.0] * (n + 1)

    prev = None
    for m, info in enumerate(infos):
        kind = info.kind
        w = info.adv - info.csl - info.csr
        cw[m] = w
        if kind == _PUNCT:
            rem_l = info.sl - info.csl
            rem_r = info.sr - info.csr
            cp1[m] = rem_l + rem_r
            cg1[m] = info.csl + info.csr
            cmin[m] = info.adv - info.sl - info.sr
            if line_end_half and info.side in LINE_END_HALF_SIDES:
                e_w[m] = rem_r
                e_p1[m] = rem_r
                e_g1[m] = info.csr
            if line_start_half and info.side == "L":
                s_w[m] = rem_l
                s_p1[m] = rem_l
                s_g1[m] = info.csl
        elif kind == _SPACE:
            cs2[m] = w * SPACE_SHRINK
            cg2[m] = w * SPACE_STRETCH
            cmin[m] = 0.0
            e_w[m] = w
            e_p2[m] = cs2[m]
            e_g2[m] = cg2[m]
        else:
            cmin[m] = w
            if kind in _LETTERS:
                cl[m] = 1
        if squeeze:
            cmin[m] = max(0.0, cmin[m] - squeeze)
        if prev is not None:
            pk = prev.kind
            # Break class: CLREQ §3.1.5 / §3.2 (unbreakable), §3.1.7 (prohibitions).
            if ((pk in _NARROW_RUN and kind in _NARROW_RUN)
                    or (pk == kind and (kind == _DASH or kind == _ELLIPSIS))
                    or (prev.wide_alnum and info.wide_alnum)):
                brk[m] = NEVER
            elif kind == _SPACE or (info.flags & ns_mask) or (prev.flags & ne_mask):
                brk[m] = KINSOKU
            else:
                spread[m] = 1
            if brk[m] == KINSOKU:
                spread[m] = 1
            # Han–Latin space: CLREQ §3.2.
            if (pk == _HAN and kind == _LATIN) or (pk == _LATIN and kind == _HAN):
                hl[m] = 1
                bw[m] = hl_def
            # Adjacent marks: CLREQ §3.1.6.
            if pk == _PUNCT and kind == _PUNCT and prev.side and info.side:
                target = ADJACENT_TARGET.get((prev.side, info.side), 0.0)
                rem_r = prev.sr - prev.csr
                rem_l = info.sl - info.csl
                excess = rem_r + rem_l - target
                if excess > 1e-9:
                    ar = min(excess, rem_r)
                    al = excess - ar
                    adj_r[m] = ar
                    adj_l[m] = al
                    bw[m] -= excess
                    # a cut right of a line-end mark is already in e_w: avoid double count
        prev = info

    # An adjacency cut on char m−1's right side and its line-end cut overlap only when the
    # line breaks at m, where the adjacency is not applied: no correction needed. A line
    # that *starts* at m drops adj_l[m] likewise (boundary m is not internal).

    # Prefix sums.
    def pre(values: list) -> list:
        return [0, *accumulate(values)]

    badj = [a + b for a, b in zip(adj_r, adj_l)]
    BADJ = list(accumulate(badj))
    BW = list(accumulate(bw))
    BHN = list(accumulate(hl))
    BSP = list(accumulate(spread))
    # previous allowed break
    pab = [0] * (n + 1)
    last = 0
    for k in range(1, n + 1):
        if brk[k] == ALLOW:
            last = k
        pab[k] = last
    return Prepared(
        text="".join(ch for ch in text) if isinstance(text, str) else "".join(text),
        infos=infos, brk=brk, adj_r=adj_r, adj_l=adj_l, hl=hl, spread=spread,
        e_w=e_w, e_p1=e_p1, e_g1=e_g1, e_p2=e_p2, e_g2=e_g2,
        s_w=s_w, s_p1=s_p1, s_g1=s_g1,
        CW=pre(cw), CP1=pre(cp1), CG1=pre(cg1), CS2=pre(cs2), CG2=pre(cg2),
        CMIN=pre(cmin), CL=pre(cl), BW=BW, BADJ=BADJ, BHN=BHN, BSP=BSP, PAB=pab,
    )
