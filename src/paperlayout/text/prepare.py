"""Prepare: measure a paragraph's characters and the boundaries between them.

Step 1 of composition (collect → prepare → break → justify). For each character: the
face that draws it, its set width and how much of it may be compressed; for each
boundary between two characters: whether a line may break there, the Han–Latin space,
the compression of adjacent marks, and whether justification may add space there. Where
the segment has Latin runs, ``latin.latin_breaks`` overrides the break classes (URLs,
hyphenation points, numbers kept whole) and adds the hyphen drawn at a hyphenation break
and the penalty of each such break.
Prefix sums over all of these let the line breaker measure any candidate line in O(1).

Per-character facts (CharInfo) and per-pair facts (Pair) depend only on the font book
and the style, so they are memoised in the FontBook (``FontBook.memo``): a paragraph
costs a few dictionary look-ups per character.

All lengths here are in em of the body size. Pure: reads the FontBook, returns values.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from operator import add, attrgetter, mul

from ..fonts import FontBook
from .classes import Kind, kind_of
from .rules import (
    ADJACENT_TARGET,
    CELL_MARKS,
    DASH_CELL,
    HANGING_MARKS,
    DOT_CELL,
    LINE_END_HALF_SIDES,
    MARK_CELL,
    NARROW_MARK_LIMIT,
    PROHIBITION_MASKS,
    GLUE_AFTER_LATIN,
    SOFT_HYPHEN,
    HYPHEN_CHAR,
    NO_BREAK_AFTER,
    SPACE_SHRINK,
    SPACE_STRETCH,
    STYLE_HALVED,
    UNIT_DOTS,
    WORD_SPACE_BOUNDS,
    Prohibition,
    PunctuationStyle,
    blank_halves,
    cell_dx,
    empty_side,
    ink_halt,
    prohibition_flags,
    side_of,
)
from .latin import latin_breaks
from .style import ComposeStyle

#: Boundary break classes.
NEVER = 0     # inside an unbreakable sequence (Latin word, number, ——, ……)
KINSOKU = 1   # forbidden by the line-edge prohibitions
ALLOW = 2

_HAN = int(Kind.HAN)
_LATIN = int(Kind.LATIN)
_PUNCT = int(Kind.PUNCT)
_SPACE = int(Kind.SPACE)
_DASH = int(Kind.DASH)
_ELLIPSIS = int(Kind.ELLIPSIS)
_SYMBOL = int(Kind.SYMBOL)

#: Kinds that glue into one unbreakable narrow run (a word, a number, a URL).
_NARROW_RUN = frozenset((int(Kind.LATIN), int(Kind.NARROW)))
#: Kinds counted as "a character" for the lone-last-character rule.
_LETTERS = frozenset((_HAN, _LATIN, _SYMBOL))

GETA = "〓"

#: CharInfo.flags bits beyond the prohibition flags of rules.prohibition_flags (1, 2, 4).
F_ALPHA = 32   # a Latin letter (not a digit)
F_GLUE = 64    # never at line start after a Latin run (rules.GLUE_AFTER_LATIN)
F_NBSP = 128   # no break after it (rules.NO_BREAK_AFTER)
F_WORD = 256   # a Latin word space (``word_space``)


def _space_bounds(ch: str) -> tuple[float, float] | None:
    for chars, bounds in WORD_SPACE_BOUNDS.items():
        if ch in chars:
            return bounds
    return None


@dataclass(frozen=True, slots=True, eq=False)
class CharInfo:
    """Facts about one character requested in one face, under one style. Lengths in em.

    face: the face that draws it; kind: Kind value; adv: set width before compression
    (1-em cells for — … · applied); sl, sr: empty left / right half (its largest
    compression, from GPOS 'halt'); side: "R" / "L" / "C" / ""; csl, csr: compression by
    the punctuation style; hscale, dx0: drawing adjustments; flags: prohibition flags;
    status: 0 found, 1 from a fallback face, 2 in no face; draw: what to draw instead.

    Line-breaking contributions: cw set width after style compression; cp1 compression
    still available; cg1 style compression that may be given back; cs2 / cg2 word-space
    shrink / stretch; cmin lower bound of its narrowest width; letter 1 if it counts for
    the lone-character rule; e_* and s_* the changes when it ends / starts a line; hang
    the width it takes past the measure when it hangs (0: it never hangs).
    latin: for a mark set in a full-width cell although the face draws it narrow
    (rules.CELL_MARKS), the same mark at the face's own advance, used between Latin
    neighbours (``latin_context``); None otherwise. embolden: em, stroke width for a
    fallback glyph from a lighter face (``FontBook.embolden``).
    Identity-hashed (eq=False) so that pairs of them key a memo cheaply.
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
    cw: float
    cp1: float
    cg1: float
    cs2: float
    cg2: float
    cmin: float
    letter: int
    e_w: float
    e_p1: float
    e_g1: float
    e_p2: float
    e_g2: float
    s_w: float
    s_p1: float
    s_g1: float
    hang: float
    latin: CharInfo | None = None
    embolden: float = 0.0


def _style_key(style: ComposeStyle) -> str:
    return (f"text.char:{style.punctuation}:{style.line_end_half:d}:{style.line_start_half:d}:"
            f"{style.max_squeeze}:{style.hanging:d}")


def char_table(fonts: FontBook, face: str, style: ComposeStyle) -> dict[str, CharInfo]:
    """The memo of ``char_info`` for ``face`` under ``style``."""
    memo = fonts.memo(_style_key(style))
    table = memo.get(face)
    if table is None:
        table = memo[face] = {}
    return table


def char_info(fonts: FontBook, face: str, ch: str, style: ComposeStyle) -> CharInfo:
    """Measure one character requested in ``face`` (memoised per FontBook and style)."""
    table = char_table(fonts, face, style)
    info = table.get(ch)
    if info is None:
        info = table[ch] = _char_info(fonts, face, ch, style)
    return info


def _char_info(fonts: FontBook, face: str, ch: str, style: ComposeStyle, cell: bool = True) -> CharInfo:
    kind = kind_of(ch)
    m = fonts.char_metrics(face, ch)
    adv = m.advance
    hscale, dx0 = 1.0, 0.0
    sl = sr = 0.0
    side = ""
    draw = None
    celled = False
    status = 2 if m.missing else (1 if m.fallback else 0)
    if m.missing:
        wide = unicodedata.east_asian_width(ch) in ("W", "F") or kind == Kind.HAN
        adv = 1.0 if wide else 0.5
        draw = GETA if wide and fonts.covers(face, GETA) else ""
    elif kind == Kind.PUNCT:
        halt = m.halt
        celled = cell and 0.0 < adv < NARROW_MARK_LIMIT and ch in CELL_MARKS
        if celled:
            # GB/T 15834 §5.1.3: a quotation mark the face draws narrow takes a full cell,
            # ink on its side; the cell's empty half is its allowance (rules.CELL_MARKS).
            eside = empty_side(ch)
            ink = fonts.ink(m.face, ch)
            dx0 = cell_dx(ink, adv, eside)
            adv = MARK_CELL
            halt = ink_halt(None if ink is None else (ink[0] + dx0, ink[1] + dx0), adv, eside)
        elif halt is None:
            # No GPOS 'halt' for it in the face: the allowance from the ink (rules.EMPTY_SIDE).
            halt = ink_halt(fonts.ink(m.face, ch), adv, empty_side(ch))
        sl, sr = blank_halves(halt)
        side = side_of(halt)
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
    elif ch == SOFT_HYPHEN:
        # The editor's hyphenation point (rules.SOFT_HYPHEN): invisible, no width, never
        # missing; a line that breaks after it ends with a hyphen (latin.py).
        adv, draw, status, hscale, dx0 = 0.0, "", 0, 1.0, 0.0
    csl = csr = 0.0
    if kind == Kind.PUNCT and ch in STYLE_HALVED[PunctuationStyle(style.punctuation)]:
        csl, csr = sl, sr
    cp = ord(ch)
    wide_alnum = 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A

    cw = adv - csl - csr
    cp1 = cg1 = cs2 = cg2 = 0.0
    e_w = e_p1 = e_g1 = e_p2 = e_g2 = s_w = s_p1 = s_g1 = 0.0
    letter = 0
    if kind == Kind.PUNCT:
        rem_l, rem_r = sl - csl, sr - csr
        cp1, cg1 = rem_l + rem_r, csl + csr
        cmin = adv - sl - sr
        if style.line_end_half and side in LINE_END_HALF_SIDES:   # GB/T 15834 §5.1.10
            e_w = e_p1 = rem_r
            # The half cut at line end may be given back to justify (level 1, before any
            # inter-character spacing): the end mark can give back its whole right half.
            e_g1 = -rem_r
        if style.line_start_half and side == "L":
            s_w = s_p1 = rem_l
            s_g1 = csl
        else:
            # A mark at line start keeps its left half unless the style sets it half
            # width there (CLREQ §3.1.6: 行首 opening marks half width is an option): a
            # push-in may not take it.
            s_p1 = rem_l
    elif kind == Kind.SPACE:
        cs2, cg2 = cw * SPACE_SHRINK, cw * SPACE_STRETCH
        cmin = 0.0
        e_w, e_p2, e_g2 = cw, cs2, cg2
    else:
        cmin = cw
        letter = 1 if int(kind) in _LETTERS else 0
    if style.max_squeeze:
        cmin = max(0.0, cmin - style.max_squeeze)
    # Hanging: the width the mark takes at line end, which may then lie past the measure.
    hang = cw - e_w if style.hanging and ch in HANGING_MARKS else 0.0
    if hang:
        cmin = 0.0
    latin = _narrow(_char_info(fonts, face, ch, style, cell=False)) if celled else None
    flags = prohibition_flags(ch)
    if kind == Kind.LATIN and ch.isalpha():
        flags |= F_ALPHA
    if ch in GLUE_AFTER_LATIN:
        flags |= F_GLUE
    if ch in NO_BREAK_AFTER:
        flags |= F_NBSP
    return CharInfo(m.face, int(kind), adv, sl, sr, side, csl, csr, hscale, dx0,
                    flags, status, draw, wide_alnum,
                    cw, cp1, cg1, cs2, cg2, cmin, letter,
                    e_w, e_p1, e_g1, e_p2, e_g2, s_w, s_p1, s_g1, hang, latin, m.embolden)


_LATIN_SIDE = frozenset((_LATIN, int(Kind.NARROW)))
_NARROW = int(Kind.NARROW)
_DOT = int(Kind.DOT)


def _narrow(info: CharInfo) -> CharInfo:
    """``info`` (measured at the face's own advance) as a narrow mark of a Western phrase:
    no compression, held to the Latin characters beside it (CLREQ §3.2)."""
    w = info.adv
    return replace(info, kind=_NARROW, sl=0.0, sr=0.0, side="", csl=0.0, csr=0.0, cw=w,
                   cp1=0.0, cg1=0.0, cmin=w, letter=0, e_w=0.0, e_p1=0.0, e_g1=0.0,
                   s_w=0.0, s_p1=0.0, s_g1=0.0, hang=0.0, latin=None)


def unit_dot(fonts: FontBook, info: CharInfo, ch: str) -> CharInfo:
    """``info`` of an interpunct between two Latin letters or digits (kW·h): the product
    dot of a unit, set at the face's own advance and held to both neighbours
    (rules.UNIT_DOTS). Memoised per FontBook."""
    memo = fonts.memo("text.unit-dot")
    hit = memo.get(info)
    if hit is None:
        adv = fonts.advance(info.face, ch) if info.status != 2 else info.adv
        hit = memo[info] = _narrow(replace(info, adv=adv, dx0=0.0, flags=0))
    return hit


def word_space(fonts: FontBook, info: CharInfo, ch: str) -> CharInfo | None:
    """``info`` of a space beside a Latin letter, digit or narrow mark: a word space that
    shrinks and stretches within rules.WORD_SPACE_BOUNDS (None for a space with no
    bounds row). Memoised per FontBook. A space between two Chinese characters keeps its
    proportional elasticity (rules.SPACE_SHRINK / SPACE_STRETCH)."""
    memo = fonts.memo("text.word-space")
    hit = memo.get(info, False)
    if hit is False:
        bounds = _space_bounds(ch)
        if bounds is None:
            hit = None
        else:
            cw = info.cw
            cs2, cg2 = max(cw - bounds[0], 0.0), max(bounds[1] - cw, 0.0)
            hit = replace(info, cs2=cs2, cg2=cg2, e_p2=cs2, e_g2=cg2, flags=info.flags | F_WORD)
        memo[info] = hit
    return hit


def use_word_spaces(infos: list[CharInfo], fonts: FontBook, text: str) -> None:
    """Replace, in place, each space with a Latin letter, digit or narrow mark right
    beside it by its word-space form (``word_space``)."""
    last = len(infos) - 1
    for k, info in enumerate(infos):
        if info.kind == _SPACE and ((k > 0 and infos[k - 1].kind in _LATIN_SIDE)
                                    or (k < last and infos[k + 1].kind in _LATIN_SIDE)):
            ws = word_space(fonts, info, text[k])
            if ws is not None:
                infos[k] = ws


def use_unit_dots(text: str, infos: list[CharInfo], fonts: FontBook) -> None:
    """Replace, in place, each interpunct between two Latin letters or digits by its
    unit-dot form (``unit_dot``)."""
    last = len(infos) - 1
    for k, info in enumerate(infos):
        if (info.kind == _DOT and 0 < k < last and text[k] in UNIT_DOTS
                and infos[k - 1].kind == _LATIN and infos[k + 1].kind == _LATIN):
            infos[k] = unit_dot(fonts, info, text[k])


def latin_context(text: str, infos: Sequence[CharInfo], k: int) -> bool:
    """True when the nearest characters on both sides of character ``k`` (spaces and other
    cell marks skipped) are Latin letters, digits or narrow punctuation: the mark belongs
    to a Western phrase (CLREQ §3.2) and keeps the face's advance. A paragraph edge
    counts as Chinese."""
    def near(r) -> bool:
        for j in r:
            kind = infos[j].kind
            if kind == _SPACE or text[j] in CELL_MARKS:
                continue
            return kind in _LATIN_SIDE
        return False

    return near(range(k - 1, -1, -1)) and near(range(k + 1, len(infos)))


def use_latin_marks(text: str, infos: list[CharInfo]) -> None:
    """Replace, in place, each full-width cell mark between Latin neighbours by its
    proportional form (CharInfo.latin)."""
    for k, info in enumerate(infos):
        if info.latin is not None and latin_context(text, infos, k):
            infos[k] = info.latin


def joined_dash(fonts: FontBook, info: CharInfo, ch: str, style: ComposeStyle) -> CharInfo:
    """``info`` of a dash (U+2014 / U+2015) next to another dash, in —— (or a longer run):
    drawn so that its ink fills its set box exactly, edge to edge, so the dashes of the
    run print as one continuous rule whatever the side bearings of the face (Noto SC:
    advance 1 em, ink 0.071–0.929 em: without this "——" shows a 0.14-em gap). The
    renderer draws the glyph from x + dx with horizontal scale hscale, so the ink spans
    x + dx + hscale × (xmin … xmax) × size; with hscale = adv / (xmax − xmin) and
    dx = −hscale × xmin that is x … x + adv × size. Memoised per FontBook and style. A
    dash on its own (一字线) keeps its cell (``_char_info``): the house style only asks
    the halves of —— to join. Unchanged if the face has no ink extent for it.
    """
    memo = fonts.memo("text.joined-dash:" + _style_key(style))
    hit = memo.get(info)
    if hit is None:
        hit = info
        ink = fonts.ink(info.face, ch) if info.status != 2 else None
        if ink is not None and ink[1] - ink[0] > 1e-6 and info.adv > 0.0:
            hscale = info.adv / (ink[1] - ink[0])
            hit = replace(info, hscale=hscale, dx0=-hscale * ink[0])
        memo[info] = hit
    return hit


def _pair(prev: CharInfo, info: CharInfo, ns_mask: int, ne_mask: int, hl_def: float) -> tuple:
    """Facts of the boundary between two characters:
    (break class, cut right of prev, cut left of info, Han–Latin space 0/1, spreadable 0/1,
    boundary width em, tracking 0/1 — letter-spacing of a head may go there)."""
    pk, kind = prev.kind, info.kind
    spread = 1
    track = 1
    # Break class: CLREQ §3.1.5 / §3.2 (unbreakable), §3.1.7 (prohibitions).
    if ((pk in _NARROW_RUN and kind in _NARROW_RUN)
            or (pk == kind and (kind == _DASH or kind == _ELLIPSIS))
            or (prev.wide_alnum and info.wide_alnum)):
        brk = NEVER
        spread = track = 0
    elif (pk in _NARROW_RUN and info.flags & F_GLUE) or prev.flags & F_NBSP:
        # rules.GLUE_AFTER_LATIN (every level) and rules.NO_BREAK_AFTER.
        brk = NEVER
    elif kind == _SPACE or (info.flags & ns_mask) or (prev.flags & ne_mask):
        brk = KINSOKU
    else:
        brk = ALLOW
    if (prev.flags | info.flags) & F_WORD:
        # A word space adjusts within rules.WORD_SPACE_BOUNDS only (level 2), and the
        # letter-spacing of a head does not widen it (issue 8: "GB/T　　19630").
        spread = track = 0
    hl = 0
    bw = 0.0
    # Han–Latin space: CLREQ §3.2.
    if (pk == _HAN and kind == _LATIN) or (pk == _LATIN and kind == _HAN):
        hl = 1
        bw = hl_def
    ar = al = 0.0
    # Adjacent marks: CLREQ §3.1.6.
    if pk == _PUNCT and kind == _PUNCT and prev.side and info.side:
        target = ADJACENT_TARGET.get((prev.side, info.side), 0.0)
        rem_r = prev.sr - prev.csr
        rem_l = info.sl - info.csl
        excess = rem_r + rem_l - target
        if excess > 1e-9:
            ar = min(excess, rem_r)
            al = excess - ar
            bw -= excess
    return (brk, ar, al, hl, spread, bw, track)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A paragraph segment (no forced newline inside) measured for breaking.

    Character arrays are indexed by character (0 … n−1); boundary arrays by boundary k,
    the gap before character k (1 … n−1; entry 0 unused, entry n == ALLOW for brk).
    Prefix arrays of characters have n + 1 entries (C[k] = sum of the first k); prefix
    arrays of boundaries B[k] = sum over boundaries 1 … k.
    """

    text: str
    infos: tuple[CharInfo, ...]
    brk: tuple[int, ...]        # NEVER / KINSOKU / ALLOW
    adj_r: tuple[float, ...]    # em cut from the right of char k−1 (adjacent marks)
    adj_l: tuple[float, ...]    # em cut from the left of char k
    hl: tuple[int, ...]         # 1 where a Han–Latin space sits
    spread: tuple[int, ...]     # 1 where justification may add inter-character space
    CW: tuple[float, ...]
    CP1: tuple[float, ...]
    CG1: tuple[float, ...]
    CS2: tuple[float, ...]
    CG2: tuple[float, ...]
    CMIN: tuple[float, ...]
    CL: tuple[int, ...]
    BW: tuple[float, ...]
    BADJ: tuple[float, ...]
    BHN: tuple[int, ...]
    BSP: tuple[int, ...]
    PAB: tuple[int, ...]        # PAB[j]: largest allowed break ≤ j (0 if none)
    track: tuple[int, ...] = ()  # 1 where letter-spacing (tracking) of a head may go
    # Latin runs (latin.py); None / empty when the segment has none:
    hyw: tuple[float, ...] | None = None   # em of the hyphen drawn when a line ends at k
    pen: tuple[float, ...] | None = None   # em² penalty of a line ending at k
    emg: tuple[int, ...] = ()              # emergency breaks inside words, ascending
    lastr: tuple[int, ...] = ()            # where to split a line no break fits, ascending
    hyface: dict | None = None             # k → face drawing the hyphen
    NSP: tuple[int, ...] | None = None     # prefix count of word spaces


def collect_infos(text: str, faces: Sequence[str], style: ComposeStyle, fonts: FontBook) -> list[CharInfo]:
    """CharInfo of each character of ``text``, ``faces[i]`` requested for character i."""
    out = []
    for ch, face in zip(text, faces):
        out.append(char_info(fonts, face, ch, style))
    return out


def prepare(text: str, style: ComposeStyle, fonts: FontBook, infos: Sequence[CharInfo]) -> Prepared:
    """Measure one segment: ``text`` (no newline) with its characters' ``infos``."""
    infos = tuple(infos)
    n = len(infos)
    ns_mask, ne_mask = PROHIBITION_MASKS[Prohibition(style.prohibition)]
    hl_def = style.han_latin_space
    pair_memo = fonts.memo(f"text.pair:{_style_key(style)}:{style.prohibition}:{hl_def}")
    keys = list(zip(infos, infos[1:]))
    pairs = list(map(pair_memo.get, keys))
    if None in pairs:  # pairs not met before (a pair is a tuple, never equal to None)
        for k, p in enumerate(pairs):
            if p is None:
                key = keys[k]
                p = pair_memo.get(key)
                if p is None:
                    p = pair_memo[key] = _pair(key[0], key[1], ns_mask, ne_mask, hl_def)
                pairs[k] = p
    head = (ALLOW, 0.0, 0.0, 0, 0, 0.0, 0)
    tail = (ALLOW, 0.0, 0.0, 0, 0, 0.0, 0)
    # Tuples, not lists: prepared paragraphs are memoised, and tuples of numbers are not
    # tracked by the garbage collector (a memo of lists slows every collection).
    if n:
        brk, adj_r, adj_l, hl, spread, bw, track = zip(head, *pairs, tail)
    else:
        brk, adj_r, adj_l, hl, spread, bw, track = (ALLOW,), (0.0,), (0.0,), (0,), (0,), (0.0,), (0,)
    hyw = pen = hyface = nsp = None
    emg: tuple[int, ...] = ()
    lastr: tuple[int, ...] = ()
    lb = latin_breaks(text, style.lang, style.url_breaks) if n > 1 else None
    if lb is not None:
        brk, spread, track = list(brk), list(spread), list(track)
        for k in lb.never:
            brk[k] = NEVER
        for k in lb.keep:
            track[k] = 0
        for k in lb.spread:
            spread[k] = 1
        hyw_l = [0.0] * (n + 1)
        pen_l = [0.0] * (n + 1)
        hyface = {}

        def hyphen(k: int) -> None:
            m = fonts.char_metrics(infos[k - 1].face, HYPHEN_CHAR)
            hyw_l[k] = m.advance
            hyface[k] = m.face

        for k, (penalty, hyphenated) in lb.allow.items():
            brk[k] = ALLOW
            pen_l[k] = penalty
            if hyphenated:
                hyphen(k)
        for k in lb.hyphenated:
            hyphen(k)
        if lb.extra:
            for k, penalty in lb.extra.items():
                pen_l[k] = penalty
        emg = lb.emergency
        lastr = lb.last_resort
        hyw, pen = tuple(hyw_l), tuple(pen_l)
        brk, spread, track = tuple(brk), tuple(spread), tuple(track)
    if (" " in text or "\u00a0" in text) and any(info.flags & F_WORD for info in infos):
        nsp = tuple(accumulate((info.flags & F_WORD and 1 for info in infos), initial=0))

    BADJ = tuple(accumulate(map(add, adj_r, adj_l)))
    # PAB[k]: the last boundary ≤ k where a line may break (0 if none): k where brk[k] is
    # ALLOW, else 0, carried forward by max
    pab = tuple(accumulate(map(mul, range(n + 1), map(ALLOW.__eq__, brk)), max))

    def pre(field: str) -> tuple:
        return tuple(accumulate(map(attrgetter(field), infos), initial=0))

    return Prepared(
        text=text, infos=infos, brk=brk, adj_r=adj_r, adj_l=adj_l, hl=hl, spread=spread,
        CW=pre("cw"), CP1=pre("cp1"), CG1=pre("cg1"), CS2=pre("cs2"), CG2=pre("cg2"),
        CMIN=pre("cmin"), CL=pre("letter"),
        BW=tuple(accumulate(bw)), BADJ=BADJ, BHN=tuple(accumulate(hl)), BSP=tuple(accumulate(spread)),
        PAB=pab, track=track, hyw=hyw, pen=pen, emg=emg, hyface=hyface, NSP=nsp, lastr=lastr,
    )
