"""Text normalisation of copy as typed in issue.yaml. Pure functions, no YAML.

Two jobs, both applied by the loader before anything is laid out:

- ``join_lines``: the lines of a multi-line YAML scalar become one line of copy. A line break
  between two Han characters must never become a space (TYPOGRAPHY.md, "Justification").
- ``fullwidth_punct``: ASCII ``, ( ) ? : ; !`` typed inside Chinese text become their full-width
  forms (全角标点), as GB/T 15834—2011 requires for Chinese text; numbers, Latin words and URLs
  keep theirs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Code-point ranges counted as CJK (中日韩) for joining and punctuation decisions.
_CJK_RANGES = (
    (0x2E80, 0x2FFF),  # CJK radicals, Kangxi radicals, ideographic description
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》「」【】…)
    (0x3040, 0x31FF),  # kana, bopomofo, CJK strokes
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms (，（）：ＡＢ０…)
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)

# Marks outside the CJK blocks that Chinese text uses as its own (GB/T 15834—2011 §4):
# quotes “ ” ‘ ’, the dash ——, the ellipsis ……, the interpunct ·.
_CJK_MARKS = frozenset("\u201c\u201d\u2018\u2019\u2014\u2015\u2026\u00b7\u2027")

# ASCII marks typed in Chinese text and their full-width forms, GB/T 15834—2011 (标点符号用法):
# in Chinese text these marks are full width. The full stop is not mapped: "." in Chinese copy
# is nearly always part of a number, an abbreviation or a URL, and 。 is a different glyph.
FULLWIDTH_PUNCT = {
    ",": "\uff0c",  # ， 逗号 comma
    "(": "\uff08",  # （ 括号 opening parenthesis
    ")": "\uff09",  # ） 括号 closing parenthesis
    "?": "\uff1f",  # ？ 问号 question mark
    ":": "\uff1a",  # ： 冒号 colon
    ";": "\uff1b",  # ； 分号 semicolon
    "!": "\uff01",  # ！ 叹号 exclamation mark
}

# A URL: scheme:// or www. followed by printable ASCII; trailing sentence marks are not part of it.
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[!-~]+")
_URL_TRAILING = ",.;:!?)"

# No space at a line join after an opening bracket or before a closing mark, even in Latin text.
_NO_SPACE_AFTER = "([{"
_NO_SPACE_BEFORE = ",.;:!?)]}%"

_SPACES = " \u3000"


def is_cjk(char: str) -> bool:
    """True for a Han character, kana, Hangul, CJK punctuation or a full-width form."""
    if char in _CJK_MARKS:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def is_fullwidth_mark(char: str) -> bool:
    """True for a full-width punctuation mark (，。（）《》：…), not a full-width letter or digit."""
    code = ord(char)
    in_block = 0x3001 <= code <= 0x303F or 0xFE10 <= code <= 0xFE4F or 0xFF01 <= code <= 0xFF65
    return in_block and unicodedata.category(char).startswith("P")


def join_lines(lines: Sequence[str]) -> str:
    """Join the source lines of a multi-line YAML scalar into one line of copy.

    Each line is stripped; blank lines are ordinary breaks. A break next to CJK text vanishes;
    a break between Latin letters, digits or ASCII punctuation becomes one space.
    """
    joined = ""
    for part in (line.strip() for line in lines):
        if not part:
            continue
        if joined and _space_at_join(joined[-1], part[0]):
            joined += " "
        joined += part
    return joined


def _space_at_join(before: str, after: str) -> bool:
    """Whether a line break between ``before`` and ``after`` reads as a space."""
    if is_cjk(before) or is_cjk(after):
        return False
    return before not in _NO_SPACE_AFTER and after not in _NO_SPACE_BEFORE


def fullwidth_punct(text: str) -> str:
    """Make ASCII ``, ( ) ? : ; !`` full width where they stand in Chinese text.

    A mark is converted when its nearest non-space neighbour on either side is CJK (Han, CJK
    punctuation or a full-width form, including marks converted already); a matched pair of
    parentheses is converted together. Numbers (1,000 3:2), Latin text and URLs are left
    alone. Then spaces next to full-width marks are removed.
    """
    chars = list(text)
    protected = _url_positions(text)
    partner = _paren_pairs(text, protected)
    changed = True
    while changed:  # a converted mark can make its ASCII neighbour convertible ("?!")
        changed = False
        for i, char in enumerate(chars):
            if char in FULLWIDTH_PUNCT and i not in protected and _next_to_cjk(chars, i):
                for k in (i, partner.get(i)):
                    if k is not None and chars[k] in FULLWIDTH_PUNCT:
                        chars[k] = FULLWIDTH_PUNCT[chars[k]]
                changed = True
    return _drop_spaces_at_marks("".join(chars))


def _url_positions(text: str) -> set[int]:
    """Indices of characters that belong to a URL."""
    positions: set[int] = set()
    for match in _URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING:
            end -= 1
        positions.update(range(match.start(), end))
    return positions


def _paren_pairs(text: str, protected: set[int]) -> dict[int, int]:
    """Matching ASCII parentheses outside URLs, as index → partner index (both ways)."""
    partner: dict[int, int] = {}
    opened: list[int] = []
    for i, char in enumerate(text):
        if i in protected:
            continue
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            j = opened.pop()
            partner[i], partner[j] = j, i
    return partner


def _next_to_cjk(chars: list[str], i: int) -> bool:
    """Whether the nearest non-space character before or after index ``i`` is CJK."""
    return any(is_cjk(char) for char in (_neighbour(chars, i, -1), _neighbour(chars, i, 1)) if char)


def _neighbour(chars: list[str], i: int, step: int) -> str:
    """The nearest character from ``i`` in direction ``step`` that is not a space ('' if none)."""
    i += step
    while 0 <= i < len(chars) and chars[i] in _SPACES:
        i += step
    return chars[i] if 0 <= i < len(chars) else ""


def _drop_spaces_at_marks(text: str) -> str:
    """Remove ASCII spaces directly before or after a full-width mark (it carries its own space)."""

    def keep_or_drop(run: re.Match[str]) -> str:
        before = text[run.start() - 1] if run.start() else ""
        after = text[run.end()] if run.end() < len(text) else ""
        touches_mark = any(char and is_fullwidth_mark(char) for char in (before, after))
        return "" if touches_mark else run.group()

    return re.sub(" +", keep_or_drop, text)


def printable(text: str, keep_newlines: bool = True) -> str:
    """``text`` safe to show on a terminal: control and format characters, lone surrogates
    and line/paragraph separators become visible escapes (``\\x1b``, ``\\u202e``, ``\\udc80``).

    Messages echo what the user typed (keys, values, file names); raw, an ESC sequence in an
    unknown key could retitle or clear the terminal. Newlines separating messages are kept
    when ``keep_newlines``; tabs become ``\\t``.
    """
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn") and char != "\u200d":
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def first_unusable(text: str) -> str:
    """The first character copy may not contain, or "": a control character (tab, line
    break, ESC …), a line/paragraph separator or a lone surrogate (U+D800–DFFF, which no
    font or PDF string can carry). Characters no font has are found later, against the fonts."""
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp"):
            return char
    return ""
