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

import re
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

#: Inter-character spacing at which a justified line no longer reads as set text but as
#: letter-spaced (疏排) or broken apart, em per gap: a quarter em between every two characters,
#: the width of a Han–Latin space (TYPOGRAPHY.md "Han next to Latin letters or digits: a small
#: space (⅛–¼ em)"), is the most a reader takes for justification. A line beyond it — typically
#: a few characters left before a number, range or URL kept whole ("冰 场 每 天 开 放 时 间 为"
#: before "10:00—21:00"; issue 8: "never a gap wider than the rules allow between two Han
#: characters because of an unbreakable Latin run") — is ``gapped-line``: the planner costs it
#: like an emergency break and, where no measure avoids it, it is an error naming the fix.
GAP_LIMIT = 0.25


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


# -- Latin and mixed text (西文与中西混排) ---------------------------------------------------
# CLREQ §3.2: Western text inside Chinese text is set by Western rules — words are broken
# only by hyphenation, word spaces stay within bounds, and a URL is broken only where a
# reader sees it may continue. The rows below are the Western rules the composer applies.

#: Word space (词间距) bounds, em of the body size. A space is set at its face's advance
#: (¼ em in most faces; Noto Serif SC 0.256 em), shrinks to no less than the first bound
#: and stretches to no more than the second when a line is justified; inter-character
#: spacing (level 3) never opens a word space further. Bringhurst, *The Elements of
#: Typographic Style* §2.1.1 (a word space of about ¼ em, justified within narrow limits);
#: issue 8 defect 4 (word spaces of 3.9 em). Row: space characters → (min em, max em).
#: Other spaces (en, em, thin) keep their own width ± SPACE_SHRINK / SPACE_STRETCH.
WORD_SPACE_BOUNDS: dict[str, tuple[float, float]] = {" \u00a0": (0.2, 0.5)}

#: Spaces after which a line never breaks (no-break space, 不换行空格). Unicode UAX #14 class GL.
NO_BREAK_AFTER: str = "\u00a0"

#: Hyphenation (西文断词) of Latin words with pyphen's dictionaries (Liang's patterns, as
#: TeX): at least HYPHEN_LEFT letters before and HYPHEN_RIGHT after the hyphen (TeX's
#: \lefthyphenmin, \righthyphenmin), words of HYPHEN_MIN_WORD letters or more only; never
#: in a word with a capital after its first letter (an acronym or a trade name: UNESCO,
#: iPhone), nor in a URL, e-mail address or path (BREAKABLE_STRINGS). The hyphen
#: (HYPHEN_CHAR, in the face of the letter before it) is drawn at the line end; it is not
#: part of the copy (``Glyph.hyphen``). LANG_ALIASES: bare language codes → the pyphen
#: dictionary used (``ComposeStyle.lang``).
HYPHEN_LEFT = 2
HYPHEN_RIGHT = 2
HYPHEN_MIN_WORD = 5
HYPHEN_CHAR = "-"
#: The soft hyphen (U+00AD, 软连字符) in the copy marks where the editor allows a word to
#: break: it is not drawn; a line that ends at it ends with HYPHEN_CHAR (Unicode §23.2
#: "Layout controls": SHY is invisible unless the line breaks there). It costs as a
#: dictionary point (BREAK_PENALTY "hyphen").
SOFT_HYPHEN = "\u00ad"
#: Language codes (ISO 639-1, with an optional ISO 3166 region: en, en-US, en_GB, de) →
#: the pyphen dictionary used, where pyphen's own fallback would pick another or none. Any
#: other code pyphen has a dictionary for is taken as it is, normalised to the dictionary's
#: name (fr → fr, it → it_IT); a region pyphen has no dictionary for falls back to its
#: language (fr_CA → fr). Row: code → dictionary, why.
LANG_ALIASES: dict[str, str] = {
    # English as Chinese papers quote it (and pyphen's en_US patterns, Liang's hyphen.tex
    # lineage): the composer's default; pyphen's bare "en" would be British.
    "en": "en_US",
    # The German of Germany (reformed spelling, 1996/2006); pyphen's bare "de" is Austrian.
    "de": "de_DE",
    # Commonwealth English spells and hyphenates as British English (Oxford conventions):
    # pyphen has no dictionary of its own for them.
    "en_AU": "en_GB", "en_NZ": "en_GB", "en_IE": "en_GB", "en_IN": "en_GB", "en_ZA": "en_GB",
    # Not an ISO 3166 region (the United Kingdom is GB), but what editors write for it.
    "en_UK": "en_GB",
}
#: The language field's value that turns dictionary hyphenation off ("" too): words then
#: break only in emergencies, reported (``unbreakable-split``).
NO_LANGUAGE: tuple[str, ...] = ("none", "")

#: Costs of a break inside a Latin run, em², added to the line's level-2 (word space /
#: Han–Latin space) cost, which is the sum of squared word-space adjustments per space.
#: Knuth & Plass, "Breaking paragraphs into lines" (1981): \hyphenpenalty and
#: \doublehyphendemerits — a hyphen costs about a word space stretched by 0.3 em, two
#: hyphens on consecutive lines three times that. A URL break costs less (no mark is
#: added). Row: break → penalty.
BREAK_PENALTY: dict[str, float] = {
    "hyphen": 0.1,           # at a dictionary hyphenation point
    "double-hyphen": 0.3,    # extra, when the line before also ends with a hyphen
    "url": 0.05,             # after / . - _ ? & = in a URL, e-mail address or path
    "explicit-hyphen": 0.05,  # after the hyphen of a compound (well-|known): nothing added
    # An emergency break inside a URL piece away from a word's hyphenation point or a
    # letter–digit boundary (dalat|e): the last choice among emergency breaks.
    "url-inside": 0.5,
    # The editor allowed a URL to break anywhere (``url_breaks: anywhere``): a break inside a
    # piece, with nothing added, costs more than one after a mark (reported as an info,
    # ``url-break``); at a syllable of a word in it or a letter–digit boundary, less.
    "url-anywhere": 0.2,
    "url-anywhere-syllable": 0.1,
}

#: Where a URL, an e-mail address or a path may break, as the editor chose for a story
#: (``url_breaks``). Row: value → meaning.
#:   marks:    only at URL_BREAK_AFTER / URL_BREAK_BEFORE (the default). A piece longer than
#:             the measure is broken anyway, in an emergency: ``unbreakable-split``, an error
#:             on the page.
#:   anywhere: also between any two characters of a piece (URL_ANYWHERE_MIN_SIDE from its
#:             ends; in the scheme only after its colon, https:|//, Chicago §14.18), with no
#:             hyphen added — CLREQ §3.2 leaves Western strings to Western practice, and a
#:             URL longer than a narrow Chinese column is broken where the line ends rather
#:             than leave gaps between Han characters; a syllable of a word in it or a
#:             letter–digit boundary costs less (BREAK_PENALTY). Each such break is an info
#:             naming the line (``url-break``), the editor's choice, not an error.
URL_BREAK_MODES: tuple[str, ...] = ("marks", "anywhere")
#: With ``url_breaks: anywhere``, a break inside a piece leaves at least this many of its
#: characters on each side: no lone letter at a line end or start ("writing to e" /
#: "xport-service@…"), as \lefthyphenmin and \righthyphenmin keep two letters of a word
#: (HYPHEN_LEFT, HYPHEN_RIGHT).
URL_ANYWHERE_MIN_SIDE = 2

#: A word broken where the dictionary has no point (应急断词): only when no break keeps the
#: line's spacing within the rules (word spaces within WORD_SPACE_BOUNDS, Han gaps within
#: SPREAD_TOLERANCE), with at least this many letters each side, a hyphen added, and a
#: warning (``word-split``). Issue 8: never a gap wider than the rules allow because of an
#: unbreakable Latin run — push the run to the next line, or break it.
EMERGENCY_MIN_SIDE = 3

#: Where a URL, an e-mail address or a path may break, with no hyphen added; nowhere else.
#: Rows: where → characters.
#:   after:  a slash (never between the two of "//": after them), a period, an underline, a
#:           question mark, an equals sign, an ampersand. The Chicago Manual of Style (15th
#:           ed. §17.11; its FAQ: "breaking after a slash is preferable (also break after a
#:           double slash)"). Chicago 17th ed. §14.18 breaks *before* a period, so that no
#:           line ends in what reads as a full stop; in a Chinese column the full stop is
#:           "。", and these marks at a line start after a Latin letter are what the
#:           line-start prohibitions forbid at every level (GLUE_AFTER_LATIN,
#:           NO_START_BASIC: CLREQ §3.1.7), so the break stays after them.
#:   before: a hyphen — Chicago §14.18 and its FAQ: "a hyphen that's part of a URL should
#:           never appear at the end of a line": it would read as the hyphen the composer
#:           adds where it hyphenates a word (HYPHEN_CHAR).
#: In the scheme (https://) the break after its colon is an emergency only
#: (URL_BREAK_MODES); @ is not a break. Issue 8 ("dashbo|ard" split anywhere).
URL_BREAK_AFTER = "/._?&="
URL_BREAK_BEFORE = "-"


_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_URL_LAST = r"[A-Za-z0-9\-_~/#=&%+@]"

#: Latin strings that break only at URL_BREAK_AFTER, found by pattern (first match wins,
#: leftmost first). Inside one, justification may space the characters (they are strings,
#: not words) and no hyphenation applies. A sentence mark after one (a full stop, a closing
#: bracket) is not part of it. Row: (name, regex, why).
BREAKABLE_STRINGS: tuple[tuple[str, str, str], ...] = (
    ("url", rf"(?:(?:https?|ftp)://|www\.){_URL_CHARS}*{_URL_LAST}",
     "RFC 3986 URI characters after a scheme or www."),
    ("email", r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
     "RFC 5322 addr-spec (dot-atom form)"),
    ("domain", rf"(?<![A-Za-z0-9@./\-])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\."
               rf"(?:com|cn|net|org|gov|edu|info|io|int)(?:/{_URL_CHARS}*{_URL_LAST})?(?![A-Za-z0-9])",
     "a host name under a common top-level domain, with its path"),
    ("path", r"(?<![A-Za-z0-9:/])(?:~|\.{1,2})?/[A-Za-z0-9._\-]+(?:/[A-Za-z0-9._\-]+)+/?",
     "an absolute POSIX path of two or more components"),
    ("relative path", r"(?<![A-Za-z0-9/])[A-Za-z0-9._\-]*[A-Za-z][A-Za-z0-9._\-]*(?:/[A-Za-z0-9._\-]+){2,}/?",
     "a relative path of three or more components, one with a letter (not a date 2022/3/15)"),
)

#: Units whose symbol may follow a number after a space and must stay with it.
UNIT_SYMBOLS: tuple[str, ...] = (
    "kW·h", "kWh", "km/h", "m/s", "km²", "m²", "m³", "km", "cm", "mm", "nm", "m",
    "kg", "mg", "g", "t", "kW", "MW", "GW", "W", "kV", "V", "mA", "A", "kHz", "MHz",
    "GHz", "Hz", "mL", "ml", "L", "min", "ms", "h", "s", "dB", "Mbps", "TB", "GB", "MB",
    "KB", "°C", "℃", "%", "‰",
)

#: Sequences kept whole at every prohibition level (不可分割): no line breaks inside them
#: (their spaces are no-break spaces), so no line starts with the range dash of
#: "9:00—17:30" or the number of "GB/T 19630—2019". Row: (name, regex, why).
KEEP_WHOLE: tuple[tuple[str, str, str], ...] = (
    ("standard number",
     r"(?<![A-Za-z])(?:GB/[TZ]|GB|GBZ|JJ[FG]|[A-Z]{2}/[TZ]|ISO/IEC|ISO|IEC)[ \u00a0]?\d+(?:\.\d+)*"
     r"(?:[—―–-]\d{2,4})?(?![\d])",
     "a standard's designation is one name: GB/T 1.1—2020 §8 (代号 + 顺序号 + 年代号); "
     "GB/T 15834—2011 §4.13 (连接号 in it)"),
    ("range",
     r"(?<![\d.])\d+(?:[.:,]\d+)*[%％℃]?[ \u00a0]?[—―–～〜~-][ \u00a0]?\d+(?:[.:,]\d+)*[%％℃]?(?![\d])",
     "a range of numbers or times (9:00—17:30, 10%—20%): GB/T 15834—2011 §4.13 (连接号), "
     "GB/T 15835—2011 §5.2 (a number is not split across lines)"),
    ("number with unit",
     r"(?<![\d.])\d+(?:[.,]\d+)*[ \u00a0](?:"
     + "|".join(re.escape(u) for u in sorted(UNIT_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])",
     "a number and its unit symbol are one quantity (SI Brochure 9th ed. §5.4.3; "
     "TYPOGRAPHY.md 'Never split')"),
)

#: Marks never at line start after a Latin letter, digit or narrow mark, at EVERY
#: prohibition level (also "none"): the closing, pause and sentence-end marks of
#: NO_START_BASIC and the range marks. A mark that follows a word belongs to it (CLREQ
#: §3.2: Western text by Western rules, which never start a line with a comma); issue 8
#: ("，" starting the line after a URL; "—17:30" starting a line).
RANGE_MARKS: str = "—―～〜"
GLUE_AFTER_LATIN: str = NO_START_BASIC + RANGE_MARKS

#: The interpunct between two Latin letters or digits (kW·h, N·m) is the product dot of a
#: unit symbol, not the Chinese 间隔号: set at the face's own advance and held to both
#: neighbours. GB 3101—1993 (the product of units written with a centred dot, N·m);
#: GB/T 15834—2011 §4.14 (间隔号 is for names and dates, between Chinese words).
UNIT_DOTS: str = "·‧"
