"""Character classes (字符类别) for Chinese composition.

Every code point of the copy falls into one *kind*, which decides how it is measured,
spaced and grouped into unbreakable units. The punctuation kinds follow CLREQ §3.1
(w3.org/TR/clreq, "Line composition rules for punctuation marks") and GB/T 15834—2011.
What each kind may do at a line edge is in ``rules.py``.

Pure functions over a code point; the only state is an ``lru_cache``.
"""

from __future__ import annotations

import unicodedata
from enum import IntEnum
from functools import lru_cache


class Kind(IntEnum):
    """How a character behaves in composition.

    HAN: a wide letter set on the character grid (汉字, kana, hangul, full-width forms).
    LATIN: a narrow letter or digit (西文字母、阿拉伯数字), set proportionally.
    PUNCT: a full-width Chinese punctuation mark (标点) whose empty half may be dropped
        (its amount comes from the font's GPOS 'halt').
    NARROW: a narrow punctuation mark or symbol (ASCII , . ( % …) set proportionally and
        held to the Latin word it touches.
    SPACE: an inter-word space (U+0020 and friends): a break opportunity, stretchable.
    DOT: the interpunct 间隔号 (·, U+00B7): never compressed, centred in a 1-em cell.
    DASH: U+2014 / U+2015, the halves of the 2-em dash 破折号 (——); a single one is the
        1-em connector 一字线. Each takes a 1-em cell; in a run of two or more each is
        drawn with its ink filling its cell, so —— prints continuous.
    ELLIPSIS: U+2026 / U+22EF, the halves of the 2-em ellipsis 省略号 (……).
    SYMBOL: a wide symbol that is not a letter (％ ℃ ‰ ※ …): 1 em, no Han–Latin space.
    NEWLINE: a forced line break in the copy (U+000A, U+2028).
    """

    HAN = 0
    LATIN = 1
    PUNCT = 2
    NARROW = 3
    SPACE = 4
    DOT = 5
    DASH = 6
    ELLIPSIS = 7
    SYMBOL = 8
    NEWLINE = 9


#: Opening marks 开始标点 (ink in the right half in SC fonts). CLREQ §3.1.7, GB/T 15834 §4.
OPENING = "（［｛〔《〈「『【〖〘〚“‘⦅«"
#: Closing marks 结束标点 (ink in the left half). CLREQ §3.1.7.
CLOSING = "）］｝〕》〉」』】〗〙〛”’⦆»"
#: Pause marks 句内点号: comma, enumeration comma, semicolon, colon. GB/T 15834 §4.1.
PAUSE = "，、；：．"
#: Sentence-end marks 句末点号: full stop, question, exclamation. GB/T 15834 §4.1.
#: 开明式 keeps these full width (CLREQ §3.1.6, TYPOGRAPHY.md "Punctuation width").
SENTENCE_END = "。？！"
#: All full-width marks that may lose an empty half (PUNCT kind).
CJK_PUNCT = OPENING + CLOSING + PAUSE + SENTENCE_END

DASHES = "—―"
ELLIPSES = "…⋯"
INTERPUNCTS = "·・‧"
#: Wide symbols that are not letters (no Han–Latin space next to them).
WIDE_SYMBOLS = "％‰℃℉°※＃＄￥￡¥€＆＊＠〓〇々〻"
SPACES = " \u00a0\u2002\u2003\u2009\u3000"
NEWLINES = "\n\u2028"


@lru_cache(maxsize=None)
def kind_of(ch: str) -> Kind:
    """The Kind of one code point."""
    if ch in CJK_PUNCT:
        return Kind.PUNCT
    if ch in DASHES:
        return Kind.DASH
    if ch in ELLIPSES:
        return Kind.ELLIPSIS
    if ch in INTERPUNCTS[:1] or ch == "‧":
        return Kind.DOT
    if ch in NEWLINES:
        return Kind.NEWLINE
    if ch == "\u3000":
        return Kind.HAN  # ideographic space: a 1-em blank on the grid
    if ch in SPACES:
        return Kind.SPACE
    if ch in WIDE_SYMBOLS or ch == "・":
        return Kind.SYMBOL
    cat = unicodedata.category(ch)
    wide = unicodedata.east_asian_width(ch) in ("W", "F")
    if cat[0] in "LN":
        return Kind.HAN if wide else Kind.LATIN
    if cat == "Co" or cat == "Cn":
        return Kind.HAN if wide or ord(ch) >= 0x20000 else Kind.NARROW
    if wide:
        return Kind.SYMBOL
    return Kind.NARROW


def is_han(ch: str) -> bool:
    """True for a wide letter set on the grid (汉字 and other ideographic-width letters)."""
    return kind_of(ch) is Kind.HAN
