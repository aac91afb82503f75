"""Latin runs in a paragraph (西文): where they may break, and where they must not.

Step 1b of composition, for a segment that holds Latin letters or digits: scan the copy
with the pattern tables of ``rules.py`` and return per-boundary overrides for
``prepare``:

* URLs, e-mail addresses and paths (rules.BREAKABLE_STRINGS) break only after
  rules.URL_BREAK_AFTER, with nothing added; justification may space their characters;
* numbers with units, ranges and standard numbers (rules.KEEP_WHOLE) never break;
* a compound's own hyphen (well-known) is a break with nothing added;
* other words of Latin letters are hyphenated with pyphen (``ComposeStyle.lang``), and
  their other inner boundaries are emergency breaks (rules.EMERGENCY_MIN_SIDE), taken
  only when nothing else keeps the spacing within the rules.

Boundary k is the gap before character k of the segment (1 … n−1). Pure: a function of
the text and the language; pyphen dictionaries and hyphenated words are cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .rules import (
    BREAK_PENALTY,
    BREAKABLE_STRINGS,
    EMERGENCY_MIN_SIDE,
    HYPHEN_LEFT,
    HYPHEN_MIN_WORD,
    HYPHEN_RIGHT,
    KEEP_WHOLE,
    LANG_ALIASES,
    URL_BREAK_AFTER,
)

_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
#: Cheap pre-check: a segment without a Latin letter or digit has nothing to scan.
_ANY = re.compile(f"[0-9{_LETTER}]")
_BREAKABLE = re.compile("|".join(f"(?:{rx})" for _, rx, _ in BREAKABLE_STRINGS))
_KEEP = re.compile("|".join(f"(?:{rx})" for _, rx, _ in KEEP_WHOLE))
#: A word: a run of Latin letters not touching a digit, letter or joiner on either side.
_WORD = re.compile(f"(?<![0-9{_LETTER}_@])[{_LETTER}]+(?![0-9{_LETTER}_@])")
#: A compound's hyphen between two letters.
_COMPOUND = re.compile(f"(?<=[{_LETTER}])-(?=[{_LETTER}])")


@dataclass(frozen=True, slots=True)
class LatinBreaks:
    """Per-boundary overrides of one segment (boundary k: the gap before character k).

    never: boundaries where no line may break (kept-whole sequences, a URL's inner gaps);
    allow: boundary → (penalty em², hyphen added) for URL breaks, compound hyphens and
        dictionary hyphenation points;
    emergency: boundaries inside words (a hyphen is added) and inside the pieces of a URL
        (nothing added) where a line may break only when nothing else keeps the spacing
        within the rules, ascending;
    spread: boundaries inside URLs where justification may add space;
    keep: boundaries inside kept-whole sequences (no tracking there either);
    word_emergency: the emergency boundaries inside words (they add a hyphen).
    """

    never: frozenset[int]
    allow: dict[int, tuple[float, bool]]
    emergency: tuple[int, ...]
    spread: frozenset[int]
    keep: frozenset[int]
    word_emergency: frozenset[int] = frozenset()


@lru_cache(maxsize=16)
def _dictionary(lang: str):
    import pyphen

    code = LANG_ALIASES.get(lang, lang)
    return pyphen.Pyphen(lang=code, left=HYPHEN_LEFT, right=HYPHEN_RIGHT)


@lru_cache(maxsize=65536)
def hyphen_points(word: str, lang: str) -> tuple[int, ...]:
    """Dictionary hyphenation points of ``word`` (offsets of the letter after the hyphen)."""
    if not lang or len(word) < HYPHEN_MIN_WORD or any(c.isupper() for c in word[1:]):
        return ()
    return tuple(_dictionary(lang).positions(word))


def latin_breaks(text: str, lang: str) -> LatinBreaks | None:
    """Overrides for ``text`` (one segment), or None when it holds no Latin letter or digit."""
    if _ANY.search(text) is None:
        return None
    never: set[int] = set()
    spread: set[int] = set()
    keep: set[int] = set()
    allow: dict[int, tuple[float, bool]] = {}
    covered: list[tuple[int, int]] = []
    url_pen = BREAK_PENALTY["url"]
    emergency = []
    for m in _BREAKABLE.finditer(text):
        a, b = m.span()
        covered.append((a, b))
        piece = a   # start of the current piece (after the last break point)
        for k in range(a + 1, b):
            spread.add(k)
            prev = text[k - 1]
            if prev in URL_BREAK_AFTER and not (prev == "/" and text[k] == "/"):
                allow[k] = (url_pen, False)
                piece = k
            else:
                never.add(k)
                # rules.EMERGENCY_MIN_SIDE characters from the piece's start and the
                # string's end: a last resort, nothing added, reported.
                if k - piece >= EMERGENCY_MIN_SIDE and b - k >= EMERGENCY_MIN_SIDE:
                    emergency.append(k)
    for m in _KEEP.finditer(text):
        a, b = m.span()
        if any(a < y and x < b for x, y in covered):
            continue
        covered.append((a, b))
        for k in range(a + 1, b):
            never.add(k)
            keep.add(k)

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in covered)

    for m in _COMPOUND.finditer(text):
        k = m.end()
        if free(k - 1, k):
            allow[k] = (BREAK_PENALTY["explicit-hyphen"], False)
    hy_pen = BREAK_PENALTY["hyphen"]
    in_words = []
    for m in _WORD.finditer(text):
        a, b = m.span()
        word = m.group()
        if b - a < HYPHEN_MIN_WORD or not free(a, b) or any(c.isupper() for c in word[1:]):
            continue
        points = hyphen_points(word, lang)
        for off in points:
            allow[a + off] = (hy_pen, True)
        for off in range(EMERGENCY_MIN_SIDE, len(word) - EMERGENCY_MIN_SIDE + 1):
            if off not in points:
                in_words.append(a + off)
    emergency.extend(in_words)
    if not (never or allow or emergency):
        return None
    return LatinBreaks(frozenset(never), allow, tuple(sorted(emergency)), frozenset(spread),
                       frozenset(keep), frozenset(in_words))
