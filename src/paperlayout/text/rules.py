"""Rule tables of Chinese composition, each row citing its clause.

Sources: W3C CLREQ (w3.org/TR/clreq) §3.1.5 unbreakable marks (不可分离的标点), §3.1.6
punctuation adjustment (标点挤压), §3.1.7 line start / line end prohibition (行首行尾禁则),
§3.2 Han–Western mixed text (中西混排); GB/T 15834—2011 (标点符号用法) §5.1.10 (a
full-width mark at line end takes half width) and §5.1.11 (no single character alone on
a paragraph's last line, 单字不成行); the house summary in shared/design/TYPOGRAPHY.md.

All amounts are in em of the body size. The composer reads these tables; it holds no
rule of its own.
"""

from __future__ import annotations

from enum import Enum

from .classes import CLOSING, OPENING, PAUSE, SENTENCE_END


class Prohibition(str, Enum):
    """Line-edge prohibition level (禁则级别). TYPOGRAPHY.md "Line breaking"."""

    NONE = "none"      # Taiwan / Hong Kong newspaper practice: no start/end prohibitions
    BASIC = "basic"    # CLREQ §3.1.7 lists below
    STRICT = "strict"  # basic, and no —— or …… (nor small kana, 々) at line start


class PunctuationStyle(str, Enum):
    """Punctuation width style (标点宽度样式). CLREQ §3.1.6; TYPOGRAPHY.md "Punctuation width".

    QUANJIAO 全角式: every mark full width, except at line end (GB/T 15834 §5.1.10) and
        next to another mark (CLREQ §3.1.6) — mainland books and newspapers.
    KAIMING 开明式: sentence-end marks 。？！ full width, all other marks half width.
    BANJIAO 半角式: every mark half width.
    """

    QUANJIAO = "quanjiao"
    KAIMING = "kaiming"
    BANJIAO = "banjiao"


# -- Prohibitions (行首行尾禁则) -----------------------------------------------------------

#: Never at line start, level basic. CLREQ §3.1.7 "Prohibition Rules for Line Start";
#: TYPOGRAPHY.md "Never at line start": pause and sentence-end marks, closing marks, the
#: interpunct, % ‰ ℃ after a number; plus their ASCII forms (copy from the web uses them).
NO_START_BASIC: str = PAUSE + SENTENCE_END + CLOSING + "·‧・" + "％‰℃℉°" + ",.;:!?)]}%"
#: Also never at line start, level strict. CLREQ §3.1.7 (strict rule set); JLREQ §3.1.8.
NO_START_STRICT: str = "—―…⋯～〜々〻ーぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
#: Never at line end, levels basic and strict. CLREQ §3.1.7 "Prohibition Rules for Line
#: End": opening marks; currency and number signs that belong to the following number.
NO_END_BASIC: str = OPENING + "([{" + "￥¥$＄£￡€#＃№"

#: Bit flags of a character's prohibitions, combined per style level.
NS_BASIC = 1
NS_STRICT = 2
NE_BASIC = 4

#: Level → (no-start mask, no-end mask).
PROHIBITION_MASKS: dict[Prohibition, tuple[int, int]] = {
    Prohibition.NONE: (0, 0),
    Prohibition.BASIC: (NS_BASIC, NE_BASIC),
    Prohibition.STRICT: (NS_BASIC | NS_STRICT, NE_BASIC),
}


def prohibition_flags(ch: str) -> int:
    """NS_* / NE_* flags of one character (level-independent)."""
    flags = 0
    if ch in NO_START_BASIC:
        flags |= NS_BASIC
    if ch in NO_START_STRICT:
        flags |= NS_STRICT
    if ch in NO_END_BASIC:
        flags |= NE_BASIC
    return flags


# -- Unbreakable sequences (不可分割) -------------------------------------------------------
# Held together at every prohibition level (they are words, not edge rules):
#   * the 2-em dash —— and the 2-em ellipsis ……: CLREQ §3.1.5 "Unbreakable marks";
#   * a run of narrow letters, digits and narrow punctuation with no space in it: a Latin
#     word, a number with its decimal point or thousands separator (6.3, 21,189, 2022),
#     a number with its unit sign (15%), a URL: CLREQ §3.2, TYPOGRAPHY.md "Never split".
# A number and a wide unit sign (15％, 3℃) stay together through NO_START_BASIC.
# Breaking inside one is an emergency, reported as a diagnostic.


# -- Punctuation width (标点挤压) ----------------------------------------------------------

#: Style compression: which marks lose their empty half by default, per style.
#: CLREQ §3.1.6; TYPOGRAPHY.md "Styles".
#: Row: style → (marks compressed by default).
STYLE_HALVED: dict[PunctuationStyle, str] = {
    PunctuationStyle.QUANJIAO: "",
    PunctuationStyle.KAIMING: OPENING + CLOSING + PAUSE,
    PunctuationStyle.BANJIAO: OPENING + CLOSING + PAUSE + SENTENCE_END,
}

#: Adjacent marks (相邻标点挤压). Two marks side by side: the blank between their inks is
#: cut to the target below, taken from the first mark's right half, then the second's left.
#: Mark sides come from the font's 'halt' (R: empty right half — closing, pause and
#: sentence-end marks in SC fonts; L: empty left half — opening marks; C: centred).
#: CLREQ §3.1.6 "Punctuation Adjustment"; TYPOGRAPHY.md "Adjacent marks: together 1.5 em".
#: Row: (first side, second side) → target blank between the inks, em.
ADJACENT_TARGET: dict[tuple[str, str], float] = {
    ("R", "R"): 0.0,   # 。” ）， ”。  → 1.5 em together
    ("R", "L"): 0.5,   # ，“ ）（ 。《 → 1.5 em together (half an em left between)
    ("L", "L"): 0.0,   # “《 （「     → 1.5 em together
    ("L", "R"): 0.0,   # （） “”     → inks already touch: nothing to cut
    ("C", "C"): 0.25,  # centred (TC-style) marks: a quarter em between
    ("C", "R"): 0.0,
    ("C", "L"): 0.25,
    ("R", "C"): 0.25,
    ("L", "C"): 0.0,
}

#: GB/T 15834—2011 §5.1.10: a full-width mark at line end takes half width (its empty right
#: half is dropped). Applies to marks with an empty right half (R and C sides).
LINE_END_HALF_SIDES = frozenset("RC")

#: Marks that may hang past the measure at line end when ``hanging`` is on (行末悬挂):
#: the pause and full-stop marks only. CLREQ §3.1.7 (hanging punctuation as an
#: alternative to pushing in or out); TYPOGRAPHY.md: off in most Chinese publications.
HANGING_MARKS = "，。、．,."

#: The empty half of a Chinese mark's 1-em cell in Simplified Chinese typesetting: "R" for
#: pause, sentence-end and closing marks (ink at the left), "L" for opening marks (ink at
#: the right). GB/T 15834—2011 §5.1.1–§5.1.3 (点号 居左下 / 居左; the halves of quotation
#: marks, brackets and title marks stand at the two ends of the item); TYPOGRAPHY.md
#: "Punctuation width". Read only where the face gives no GPOS 'halt' for the mark (LXGW
#: WenKai has no 'halt' feature at all): the side comes from here, the amount from the
#: glyph's ink (``ink_halt``), so a mark whose ink does not leave that half empty (a
#: centred TC-style mark, a Latin guillemet) gets no allowance.
#: Row: marks → empty side.
EMPTY_SIDE: dict[str, str] = {
    PAUSE + SENTENCE_END: "R",
    CLOSING: "R",
    OPENING: "L",
}

#: The largest allowance of a mark: half its cell (what SC fonts' 'halt' gives).
HALF_CELL = 0.5
#: Ink may cross into the half EMPTY_SIDE names by this much (em) and the rest of that half
#: still be compressible (LXGW WenKai ？: ink to 0.502 em). Never cuts into the ink.
HALT_INK_TOLERANCE = 0.05

#: Full-width cells for marks a face draws narrow (全角). GB/T 15834—2011 §5.1.3: each half
#: of a pair of quotation marks takes one character space in Chinese text (CLREQ §3.1.6
#: starts from full-width marks). Fonts made for mixed text give the East Asian Width
#: "ambiguous" quotes a Latin, proportional advance (LXGW WenKai: “ ” ‘ ’ 0.35 em); when the
#: face's advance is below NARROW_MARK_LIMIT em the mark is set in a MARK_CELL cell, its
#: ink CELL_INK_MARGIN from the cell's edge on the inked side (EMPTY_SIDE), where Noto
#: Serif SC draws it (“ ink 0.571–0.924 em, ” 0.076–0.429 em). The cell's empty half is
#: then its allowance for the line-end and adjacent-mark rules, as a 'halt' would give.
#: A mark whose nearest neighbours on both sides are Latin keeps the face's advance
#: (CLREQ §3.2: Western text inside Chinese text is set by Western rules).
#: Row: the marks that get a cell.
CELL_MARKS: str = "“”‘’"
NARROW_MARK_LIMIT = 0.9
MARK_CELL = 1.0
CELL_INK_MARGIN = 0.075

#: The interpunct never shrinks and sits centred in a 1-em cell. TYPOGRAPHY.md; CLREQ §3.1.
DOT_CELL = 1.0
#: —— and …… are 2 em; each half fills 1 em (stretched if the face draws it narrower).
#: CLREQ §3.1.5.
DASH_CELL = 1.0

# -- Spacing (间距) ------------------------------------------------------------------------

#: Inter-word space (U+0020) adjustability as a fraction of its natural width.
#: (shrink, stretch) — the usual Latin word-space elasticity.
SPACE_SHRINK = 1.0 / 3.0
SPACE_STRETCH = 1.0 / 2.0

#: Order of adjustment when a line must shrink or grow. TYPOGRAPHY.md "Justification":
#: punctuation half-spaces first, then Han–Latin space (and Latin word spaces), then the
#: spacing between all characters. Compared as priorities, never as a weighted sum.
ADJUSTMENT_PRIORITY: tuple[str, ...] = ("punctuation", "han-latin", "inter-character")

#: Inter-character spacing a justified line may take without harm, em per gap: within
#: it the eye still reads the characters on the grid (TYPOGRAPHY.md "In a line of Han
#: characters only, every character sits on the grid"; issue 3 acceptance: at most
#: 0.05 em between Han characters). The breaker treats spacing beyond it as worse than
#: any spacing within it, and a line that cannot avoid it is reported (``loose-line``).
SPREAD_TOLERANCE = 0.05


def side_of(halt: tuple[float, float] | None) -> str:
    """Which half of the em box of a mark is empty, from its 'halt' (x_placement, x_advance).

    "R": (0, −½) empty right half; "L": (−½, −½) empty left half; "C": centred; "" none.
    """
    if halt is None or halt[1] >= 0:
        return ""
    place, adv = halt
    if abs(place) < 1e-6:
        return "R"
    if abs(place - adv) < 1e-6:
        return "L"
    return "C"


def blank_halves(halt: tuple[float, float] | None) -> tuple[float, float]:
    """(left, right) empty space of a mark, em, from its 'halt' values."""
    if halt is None or halt[1] >= 0:
        return (0.0, 0.0)
    place, adv = halt
    left = -place
    right = place - adv
    return (max(left, 0.0), max(right, 0.0))


def empty_side(ch: str) -> str:
    """The EMPTY_SIDE of ``ch`` ("R" / "L"), "" for a character in no row."""
    for marks, side in EMPTY_SIDE.items():
        if ch in marks:
            return side
    return ""


def ink_halt(ink: tuple[float, float] | None, adv: float, side: str) -> tuple[float, float] | None:
    """A 'halt'-like (x_placement, x_advance) in em for a mark the face gives none, from
    its ink ``(x-min, x-max)`` in a box ``adv`` em wide: the ``side`` half may be dropped
    when the ink leaves it empty (within HALT_INK_TOLERANCE); never more than the blank
    beside the ink. None when it may not (or the glyph is blank)."""
    if ink is None or not side:
        return None
    blank = adv - ink[1] if side == "R" else ink[0]
    if blank < HALF_CELL - HALT_INK_TOLERANCE:
        return None
    cut = min(HALF_CELL, blank)
    return (0.0, -cut) if side == "R" else (-cut, -cut)


def cell_dx(ink: tuple[float, float] | None, adv: float, side: str) -> float:
    """Where to draw a narrow mark of advance ``adv`` inside its MARK_CELL cell: the shift
    of its origin that puts its ink CELL_INK_MARGIN from the cell's inked edge (the glyph
    flush against that edge when it has no ink extent)."""
    if side == "L":      # opening mark: ink at the right
        return MARK_CELL - CELL_INK_MARGIN - ink[1] if ink else MARK_CELL - adv
    return CELL_INK_MARGIN - ink[0] if ink else 0.0
