"""Latin runs in a paragraph (西文): where they may break, and where they must not.

Step 1b of composition, for a segment that holds Latin letters or digits: scan the copy
with the pattern tables of ``rules.py`` and return per-boundary overrides for
``prepare``:

* URLs, e-mail addresses and paths (rules.BREAKABLE_STRINGS) break only after
  rules.URL_BREAK_AFTER or before rules.URL_BREAK_BEFORE (a slash, a period …; a hyphen),
  with nothing added; justification may space their characters;
* numbers with units, ranges and standard numbers (rules.KEEP_WHOLE) never break;
* a compound's own hyphen (well-known) is a break with nothing added;
* other words of Latin letters are hyphenated with pyphen (``ComposeStyle.lang``), and
  their other inner boundaries are emergency breaks (rules.EMERGENCY_MIN_SIDE), taken
  only when nothing else keeps the spacing within the rules (with no language, lang
  none, only when a word is wider than the measure);
  a URL's pieces likewise, with nothing added.

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
    NO_LANGUAGE,
    SOFT_HYPHEN,
    URL_ANYWHERE_MIN_SIDE,
    URL_BREAK_AFTER,
    URL_BREAK_BEFORE,
)

_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
#: A stretch of Latin-side characters (ASCII, Latin letters, spaces, unit and range marks)
#: of two or more: the only places the patterns below can match.
_RUN = re.compile(f"[\\x21-\\x7e {_LETTER}\u00a0\u00ad·‧—―–～〜°℃²³％]{{2,}}")
#: Any Latin letter, or a soft hyphen.
_HAS_LETTER = re.compile(f"[{_LETTER}\u00ad]")
#: A kept-whole sequence without a letter (a range, a number with its unit) has a digit
#: followed by a space or a dash (one with a letter is found by _HAS_LETTER).
_KEEP_HINT = re.compile("[0-9][%％℃]?[ \u00a0—―–～〜~\\-]")
_BREAKABLE = re.compile("|".join(f"(?:{rx})" for _, rx, _ in BREAKABLE_STRINGS))
_KEEP = re.compile("|".join(f"(?:{rx})" for _, rx, _ in KEEP_WHOLE))
#: A word: a run of Latin letters not touching a digit, letter or joiner on either side.
_WORD = re.compile(f"(?<![0-9{_LETTER}_@])[{_LETTER}]{{{min(HYPHEN_MIN_WORD, 2 * EMERGENCY_MIN_SIDE)},}}"
                   f"(?![0-9{_LETTER}_@])")
#: A compound's hyphen between two letters.
#: A word inside a URL piece; a letter next to a digit.
_URL_WORD = re.compile("[A-Za-z]+")
_LETTER_DIGIT = re.compile("[A-Za-z][0-9]|[0-9][A-Za-z]")
#: The scheme of a URL, never split.
_SCHEME = re.compile(r"(?:https?|ftp)://|www\.")
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
    last_resort: where a line that no break fits is split first, ascending (the same);
    hyphenated: the emergency boundaries inside words;
    extra: emergency boundary → its penalty (em²), where it has one.
    anywhere: boundaries inside a URL's pieces that ``url_breaks="anywhere"`` allows
        (in ``allow`` too), each reported where a line ends (``url-break``).
    spread: boundaries inside URLs where justification may add space;
    keep: boundaries inside kept-whole sequences (no tracking there either).
    """

    never: frozenset[int]
    allow: dict[int, tuple[float, bool]]
    emergency: tuple[int, ...]
    spread: frozenset[int]
    keep: frozenset[int]
    last_resort: tuple[int, ...] = ()
    hyphenated: frozenset[int] = frozenset()
    extra: dict | None = None
    anywhere: frozenset[int] = frozenset()


@lru_cache(maxsize=64)
def known_language(lang: str) -> bool:
    """True if pyphen has a dictionary for ``lang`` ("" — no hyphenation — counts)."""
    if not lang:
        return True
    import pyphen

    return LANG_ALIASES.get(lang, lang) in pyphen.LANGUAGES


#: How a language code is written: a language of 2–3 letters, then a region (2 letters or 3
#: digits) or a script (4 letters), joined by "-" or "_" (BCP 47 / POSIX locale spellings).
_CODE = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}|[A-Za-z]{2}|[0-9]{3}))?")


@lru_cache(maxsize=64)
def language_code(value: str) -> str | None:
    """The pyphen dictionary name for a language code as an editor writes it (en, en-US,
    en_gb, de, FR), "" for no hyphenation (rules.NO_LANGUAGE), or None when pyphen has no
    dictionary for it. The name returned is the dictionary file's (hyph_<name>.dic), so two
    spellings of one language give one name: en → en_US (rules.LANG_ALIASES), it → it_IT;
    a region pyphen lacks falls back to its language (fr_CA → fr)."""
    value = value.strip()
    if value.lower() in NO_LANGUAGE:
        return ""
    m = _CODE.fullmatch(value)
    if m is None:
        return None
    import pyphen

    lang, sub = m.group(1).lower(), m.group(2)
    tries = [lang]
    if sub:
        sub = sub.title() if len(sub) == 4 else sub.upper()
        tries.insert(0, f"{lang}_{sub}")
    for code in tries:
        code = LANG_ALIASES.get(code, code)
        path = pyphen.LANGUAGES.get(code)
        if path is not None:
            return _dictionary_name(str(path), code)
    return None


def _dictionary_name(path: str, code: str) -> str:
    """The name of the dictionary file ``path`` (hyph_en_US.dic → en_US); ``code`` if the
    file is named otherwise."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if name.startswith("hyph_") and name.endswith(".dic"):
        return name[len("hyph_"):-len(".dic")]
    return code


def language_examples() -> str:
    """A few language codes the language field accepts, for messages."""
    return "en, en_US, en_GB, de, fr, es, it, nl, pt, ru, or none (no hyphenation)"


@lru_cache(maxsize=16)
def _dictionary(lang: str):
    import pyphen

    code = LANG_ALIASES.get(lang, lang)
    path = pyphen.LANGUAGES.get(pyphen.language_fallback(code) or code)
    if path is not None and path not in pyphen.hdcache:
        known = _stored_patterns(pyphen, path)
        if known is not None:
            pyphen.hdcache[path] = known
    return pyphen.Pyphen(lang=code, left=HYPHEN_LEFT, right=HYPHEN_RIGHT)


#: The cache namespace of parsed hyphenation patterns (cache.py, docs/cache.md).
PATTERNS_NAMESPACE = "hyphen"


def _stored_patterns(pyphen, path):
    """pyphen's parsed patterns of the dictionary file ``path`` (a ``pyphen.HyphDict``), read
    from the cache when it holds this file's content under this pyphen version, else parsed
    and, when they are plain data, written there; None without a cache (pyphen then parses
    the file itself). Parsing the English dictionary costs about 0.06 s a process, reading
    it back a few milliseconds; the patterns, hence every hyphenation point, are the same."""
    from .. import cache

    store = cache.default_store()
    if store is None:
        return None
    try:
        entry = cache.key("hyphen-patterns", pyphen.__version__, cache.file_digest(path, store))
    except OSError:
        return None
    data = store.get(PATTERNS_NAMESPACE, entry)
    patterns = cache.loads(data) if data is not None else None
    if _plain_patterns(patterns):
        hd = object.__new__(pyphen.HyphDict)
        hd.patterns, hd.cache = patterns, {}
        hd.maxlen = max(len(k) for k in patterns)
        return hd
    hd = pyphen.HyphDict(path)
    if _plain_patterns(hd.patterns):  # nonstandard (DataInt) patterns are not stored
        data = cache.dumps(hd.patterns)
        if data is not None:
            store.put(PATTERNS_NAMESPACE, entry, data)
    return hd


def _plain_patterns(patterns) -> bool:
    """Whether ``patterns`` is what HyphDict parses from a standard dictionary: a non-empty
    dict of pattern → (start, values), values a tuple of plain ints."""
    if not isinstance(patterns, dict) or not patterns:
        return False
    for k, v in patterns.items():
        if (type(k) is not str or type(v) is not tuple or len(v) != 2 or type(v[0]) is not int
                or type(v[1]) is not tuple or not all(type(x) is int for x in v[1])):
            return False
    return True


@lru_cache(maxsize=65536)
def hyphen_points(word: str, lang: str) -> tuple[int, ...]:
    """Dictionary hyphenation points of ``word`` (offsets of the letter after the hyphen)."""
    if not lang or len(word) < HYPHEN_MIN_WORD or any(c.isupper() for c in word[1:]):
        return ()
    return tuple(_dictionary(lang).positions(word))


def latin_breaks(text: str, lang: str, url_breaks: str = "marks") -> LatinBreaks | None:
    """Overrides for ``text`` (one segment), or None when it has none.

    ``lang``: the pyphen dictionary (``language_code``), "" for none; ``url_breaks``: where
    a URL, e-mail address or path may break (rules.URL_BREAK_MODES). The patterns run on
    each stretch of Latin-side characters (``_RUN``) alone, not on the whole segment:
    Chinese copy costs one scan of a character class.
    """
    if _HAS_LETTER.search(text) is None and _KEEP_HINT.search(text) is None:
        return None   # Chinese copy with plain numbers: nothing to do (two quick scans)
    never: set[int] = set()
    spread: set[int] = set()
    keep: set[int] = set()
    allow: dict[int, tuple[float, bool]] = {}
    emergency: list[int] = []
    in_words: list[int] = []
    extra: dict[int, float] = {}
    anywhere: set[int] | None = set() if url_breaks == "anywhere" else None
    for run in _RUN.finditer(text):
        _scan(run.group(), run.start(), lang, never, spread, keep, allow, emergency, in_words,
              extra, anywhere)
    if not (never or allow or in_words):
        return None
    # Without a language (lang none) no word is hyphenated to keep the spacing: a line that
    # cannot keep it is spaced and reported (loose-line); only a word wider than the measure
    # is split, as a last resort (reported).
    last_resort = sorted(emergency + in_words)
    emergency = last_resort if lang else sorted(emergency)
    return LatinBreaks(frozenset(never), allow, tuple(emergency), frozenset(spread),
                       frozenset(keep), tuple(last_resort), frozenset(in_words), extra,
                       frozenset(anywhere or ()))


@lru_cache(maxsize=256)
def url_anywhere_breaks(text: str) -> frozenset[int]:
    """The boundaries of ``text`` (one segment) inside a URL's pieces, where only
    ``url_breaks="anywhere"`` lets a line end: a line ending at one is reported."""
    found = latin_breaks(text, "", "anywhere")
    return found.anywhere if found is not None else frozenset()


#: The marks a URL breaks at (rules.URL_BREAK_*): not counted as a piece's characters.
_URL_MARKS = frozenset(URL_BREAK_AFTER + URL_BREAK_BEFORE)


def url_break_points(text: str, a: int, b: int) -> list[int]:
    """The boundaries k (a < k < b, the gap before ``text[k]``) where the URL, e-mail address
    or path ``text[a:b]`` may break, ascending: after rules.URL_BREAK_AFTER (never between
    the two slashes of ``//``), before rules.URL_BREAK_BEFORE."""
    points = []
    for k in range(a + 1, b):
        prev, ch = text[k - 1], text[k]
        if ch in URL_BREAK_BEFORE or (prev in URL_BREAK_AFTER and not (prev == "/" and ch == "/")):
            points.append(k)
    return points


def _scan(text: str, off: int, lang: str, never: set, spread: set, keep: set, allow: dict,
          emergency: list, in_words: list, extra: dict, anywhere: set | None = None) -> None:
    """``latin_breaks`` on one stretch ``text`` that starts at ``off`` in the segment;
    ``anywhere``: a set to collect the breaks inside URL pieces in (url_breaks "anywhere"),
    or None (they are emergencies)."""
    covered: list[tuple[int, int]] = []
    if "/" in text or "@" in text or "." in text:
        url_pen = BREAK_PENALTY["url"]
        for m in _BREAKABLE.finditer(text):
            a, b = m.span()
            covered.append((a, b))
            head = _SCHEME.match(text, a)
            start = head.end() if head else a
            points = url_break_points(text, a, b)
            for k in points:
                allow[off + k] = (url_pen, False)
            # Inside a piece (between break points): no break but an emergency one, with
            # nothing added, at least rules.EMERGENCY_MIN_SIDE characters from both ends of
            # the piece; in the scheme (https://) only after its colon (Chicago §14.18). A
            # dictionary hyphenation point of a word in the piece, or a letter–digit
            # boundary, costs less than any other (BREAK_PENALTY "url-inside").
            colon = None
            if head:
                if text[start - 1] == "/":
                    colon = text.index(":", a) + 1
                    if anywhere is None:
                        emergency.append(off + colon)
            never.update(range(off + a + 1, off + b))
            never.difference_update(off + k for k in points)
            good = set()
            for w in _URL_WORD.finditer(text, start, b):
                good.update(w.start() + p for p in hyphen_points(w.group().lower(), lang))
            good.update(d.start() + 1 for d in _LETTER_DIGIT.finditer(text, start, b))
            spread.update(range(off + a + 1, off + b))
            if anywhere is not None:
                # the editor's url_breaks: anywhere — every boundary of a piece (after the
                # scheme) is a break with nothing added (rules.URL_BREAK_MODES)
                syllable, other = BREAK_PENALTY["url-anywhere-syllable"], BREAK_PENALTY["url-anywhere"]
                if colon is not None:   # after the scheme's colon (https:|//), Chicago §14.18
                    never.discard(off + colon)
                    allow[off + colon] = (other, False)
                    anywhere.add(off + colon)
                for lo, hi in zip([a] + points, points + [b]):
                    # the piece's marks (a leading . / - …, a trailing // = &) are not counted
                    first = lo + 1 if lo > a and text[lo] in _URL_MARKS else lo
                    last = hi - 1 if hi < b and text[hi - 1] in _URL_MARKS else hi
                    for k in range(max(first, start) + URL_ANYWHERE_MIN_SIDE, last - URL_ANYWHERE_MIN_SIDE + 1):
                        never.discard(off + k)
                        allow[off + k] = (syllable if k in good else other, False)
                        anywhere.add(off + k)
                continue
            inside = BREAK_PENALTY["url-inside"]
            for lo, hi in zip([a] + points, points + [b]):
                for k in range(max(lo, start - EMERGENCY_MIN_SIDE) + EMERGENCY_MIN_SIDE,
                               hi - EMERGENCY_MIN_SIDE + 1):
                    emergency.append(off + k)
                    if k not in good:
                        extra[off + k] = inside
    if _KEEP_HINT.search(text) or _HAS_LETTER.search(text):
        for m in _KEEP.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in covered):
                continue
            covered.append((a, b))
            for k in range(a + 1, b):
                never.add(off + k)
                keep.add(off + k)

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in covered)

    if "-" in text:
        for m in _COMPOUND.finditer(text):
            k = m.end()
            if free(k - 1, k):
                allow[off + k] = (BREAK_PENALTY["explicit-hyphen"], False)
    hy_pen = BREAK_PENALTY["hyphen"]
    if SOFT_HYPHEN in text:
        for k, ch in enumerate(text):
            if ch == SOFT_HYPHEN and 0 < k < len(text) - 1:
                allow[off + k + 1] = (hy_pen, True)
    for m in _WORD.finditer(text):
        a, b = m.span()
        word = m.group()
        if not free(a, b) or any(c.isupper() for c in word[1:]):
            continue
        points = hyphen_points(word, lang)
        for p in points:
            allow[off + a + p] = (hy_pen, True)
        for p in range(EMERGENCY_MIN_SIDE, len(word) - EMERGENCY_MIN_SIDE + 1):
            if p not in points:
                in_words.append(off + a + p)
