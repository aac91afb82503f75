"""Break points in display type (标题断行): where a head may be broken, from a word segmenter.

Display type — main heads 主题, kickers 引题, subheads 副题, crossheads 小标题, bylines,
photo credits — is set ragged and centred, a few words to a line, so a break inside a word
("全旗经/济", "建强基/层组织", "本报记/者") is seen at once. Body text may break between any
two Han characters (CLREQ §3.1.7 only forbids edge marks); display type may not. This
module says where a display string may break, and how good each break is:

* the editor's space (a space typed in the head, "干部下基层 聚力促振兴") always wins
  (TYPOGRAPHY.md "Headlines");
* then punctuation: after a pause, stop or closing mark, a dash or an ellipsis, before an
  opening mark, or at a space between two Latin words;
* then between two words of the segmenter (分词: jieba, precise mode with its HMM for
  words it does not know, such as names);
* never inside a word, a quoted term (“春风行动”, 《…》), a number with its unit (6.3万元,
  3月14日), a Latin word or a standard number (GB/T 19630—2019), and never where the
  line-edge prohibitions of ``rules.py`` forbid (no 。 at a line start, no “ at a line end).

Positions are indices into the display string: a break at ``i`` ends a line before
``text[i]``. A space break is reported at the index of the space, which belongs to
neither line.

The segmenter is jieba (its dictionary of 349,046 words, ``dict.txt``). Its own loader
builds a prefix table of every word (0.5 s, and a cache file in the temp directory); here
the dictionary file is read once, sorted and searched by bisection (≈0.05 s, no file
written), only when a display string first needs breaking. jieba's logger is silenced so
that nothing reaches stdout or stderr. Traditional characters are segmented through their
simplified forms (OpenCC's t2s tables, character for character).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Callable, Sequence

from .classes import CLOSING, OPENING, PAUSE, SENTENCE_END
from .rules import NO_END_BASIC, NO_START_BASIC


class BreakKind(str, Enum):
    """What a break point is: its kind decides its penalty (HEAD_BREAK_PENALTY)."""

    SPACE = "space"          # the editor's space: always wins
    PUNCT = "punct"          # at punctuation, or a word space between Latin words
    WORD = "word"            # between two segmenter words


#: Penalty of a break in a display line (head, kicker) by kind, in characters (not
#: rules.BREAK_PENALTY, which is for body lines): a break of kind k counts as if it lay this
#: many characters further from the balanced middle. Row: kind → (penalty, why).
HEAD_BREAK_PENALTY: dict[BreakKind, tuple[float, str]] = {
    BreakKind.SPACE: (0.0, "TYPOGRAPHY.md Headlines: a space in a head marks its break; never overridden"),
    BreakKind.PUNCT: (0.0, "a punctuation mark ends a sense unit (意群): the natural place to turn a head"),
    BreakKind.WORD: (1.5, "between words is allowed, but a sense unit broken reads worse than a line "
                          "a character or two out of balance"),
}

#: A display line of one character (单字成行), or of marks only ("——"), reads as a mistake:
#: its penalty, in the same squared-character units as the balance (see ``line_cost``).
LONE_CHARACTER_PENALTY = 60.0

#: Paired marks whose content is one term when it holds no pause or stop mark: never broken
#: inside. GB/T 15834—2011 §4.2 (引号 marks a quoted or specially meant term), §4.15 (书名号
#: a title), §4.3 (括号 an aside). Row: opening → closing.
TERM_MARKS: dict[str, str] = {
    "“": "”", "‘": "’", "《": "》", "〈": "〉", "「": "」", "『": "』", "（": "）", "【": "】", "〔": "〕",
}

#: Characters after which a break counts as punctuation (sense-unit end): pause and stop
#: marks, closing marks, the interpunct (GB/T 15834 §4.1, §4.14), dash and ellipsis halves
#: (a break after —— or …… is allowed; before them it is not, see NO_BREAK_BEFORE).
PUNCT_AFTER: str = PAUSE + SENTENCE_END + CLOSING + "·・‧" + "—―…⋯" + "!?;:,"

#: Never break before these (besides NO_START_BASIC): the halves of —— and …… may not
#: open a line in display type (CLREQ §3.1.5 unbreakable marks; §3.1.7 strict level).
NO_BREAK_BEFORE: str = "—―…⋯～"

#: Units, counters and number words that stay with the number before them: 6.3万元, 200多户,
#: 10余类, 800米, 190公里, 28次, 3℃. GB/T 15835—2011 §4.3 (a number and its unit are one
#: unit, not split across lines) and §4.2 (数字 with 万/亿 as one number). Prefixes may
#: chain (万 → 元, 平方 → 米); a final unit ends the chain. A Han character in neither row
#: (2019有机, 第12批|名单) may follow a number across a break.
#: Row: role → characters.
UNIT_CHARS: dict[str, str] = {
    "prefix": "万亿千百十多余公厘毫平立方",
    "final": ("元角米里吨斤克升亩顷度瓦伏"
              "个户人名位次场项件条家所座处台辆张册本篇批类种届期版章节栋层间套头只匹棵株倍成岁天周季"
              "年月日号时点分秒％%‰℃°"),
}

#: Date and time units that join the number after them into one chain: 3月14日10时 stays
#: whole (GB/T 15835—2011 §4.1.1 dates and times are written as one unit).
DATE_UNITS: str = "年月日时点分秒号"

#: Prefixes that join the number after them: 第12批 is one ordinal (序数), never 第|12批.
ORDINAL_PREFIXES: str = "第"

#: Narrow characters that belong inside a Latin word, number or code (GB/T, 6.3, 17:30,
#: 2022-03, 50%, C++, AT&T, www.x.cn): CLREQ §3.2 a Western word is not broken in Han text.
LATIN_INNER: str = "/._-:,%&+#'@"

#: Standard and document numbers are one unit, their space included: GB/T 19630—2019,
#: ISO 9001:2015, GB 2760-2014, DB15/T 1234—2017 (GB/T 1.1—2020 §8.4 standard designations;
#: GB/T 15835—2011 §4.1.6 numbers in codes are not split).
STANDARD_NUMBER = re.compile(
    r"[A-Z]{1,5}\d{0,3}(?:/[A-Z]{1,3})? ?\d+(?:\.\d+)*(?:[—―\-–:]\d{2,4})?"
)

#: A number and a short Latin unit after a space stay together: 50 kW, 3 km, 1.5 t (GB/T
#: 15835—2011 §4.3 a number and its unit symbol are not separated).
NUMBER_LATIN_UNIT = re.compile(r"\d[\d.,]* [A-Za-z°%µ]{1,3}(?![A-Za-z])")

#: The segmenter's range of Han characters (jieba's re_han: U+4E00–U+9FD5). Rarer Han
#: (Extension A, B–G, compatibility ideographs) are unknown to it: such a character stays
#: with its neighbours rather than being a one-character word, since it is almost always
#: part of a name (王𠮷明).
SEGMENTER_HAN = (0x4E00, 0x9FD5)


@dataclass(frozen=True, slots=True)
class Break:
    """A place where a display string may break: before ``text[pos]``, or at the space at
    ``pos`` (kind SPACE, or PUNCT for a Latin word space) which then belongs to no line."""

    pos: int
    kind: BreakKind
    space: bool = False

    @property
    def penalty(self) -> float:
        return HEAD_BREAK_PENALTY[self.kind][0]


# -- the segmenter ----------------------------------------------------------------------------

class _SortedDictionary:
    """jieba's prefix table (``Tokenizer.FREQ``) over the sorted lines of its ``dict.txt``.

    ``frag in d`` is true when some word starts with ``frag``; ``d.get(frag)`` is the word's
    count, 0 for a bare prefix and None for neither — what jieba's own table answers.
    Lines are "word count tag"; a word's line sorts right after the word itself.
    """

    __slots__ = ("_lines", "_memo")

    def __init__(self, lines: list[str]):
        self._lines = lines
        self._memo: dict[str, int | None] = {}

    def __contains__(self, frag: str) -> bool:
        return self.get(frag) is not None

    def __getitem__(self, frag: str) -> int:
        found = self.get(frag)
        if found is None:
            raise KeyError(frag)
        return found

    def get(self, frag: str, default=None):
        if frag in self._memo:
            found = self._memo[frag]
            return default if found is None else found
        lines = self._lines
        i = bisect_left(lines, frag)
        found: int | None = None
        if i < len(lines) and lines[i].startswith(frag):
            found = 0
            key = frag + " "
            j = bisect_left(lines, key, i)
            if j < len(lines) and lines[j].startswith(key):
                found = int(lines[j].split(" ", 2)[1])
        self._memo[frag] = found
        return default if found is None else found


#: jieba's ``total`` (the sum of the word counts in its dict.txt), by (jieba version, length
#: of dict.txt in characters). Summing 349,046 counts costs about 50 ms at every start;
#: a test checks the row against the file. Another dictionary is summed when loaded.
DICTIONARY_TOTALS: dict[tuple[str, int], int] = {("0.42.1", 3039559): 60101967}


def _import_jieba():
    """``import jieba`` without pkg_resources: jieba reads its files directly when that
    import fails (jieba/_compat.py), which saves 50 ms and a deprecation warning."""
    import sys
    import warnings

    absent = "pkg_resources" not in sys.modules
    if absent:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jieba
    finally:
        if absent:
            del sys.modules["pkg_resources"]
    return jieba


def dictionary_total(lines: list[str]) -> int:
    """The sum of the counts of dictionary lines "word count tag"."""
    return sum(int(line.split(" ", 2)[1]) for line in lines)


@lru_cache(maxsize=1)
def _tokenizer():
    """jieba's tokenizer over its default dictionary, loaded once (lazily)."""
    import logging
    from importlib.resources import files

    jieba = _import_jieba()
    logging.getLogger("jieba").setLevel(logging.ERROR)
    data = (files("jieba") / "dict.txt").read_text(encoding="utf-8")
    lines = data.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    total = DICTIONARY_TOTALS.get((jieba.__version__, len(data))) or dictionary_total(lines)
    lines.sort()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = _SortedDictionary(lines)
    tokenizer.total = total
    tokenizer.initialized = True  # the table above stands for jieba's own (no cache file)
    return tokenizer


def release() -> None:
    """Let go of the segmenter's dictionary (about 35 MB: jieba's 350,000 words); the next
    ``words`` of a text not seen before loads it again (about 0.05 s). For a build that
    is done composing."""
    _tokenizer.cache_clear()


@lru_cache(maxsize=1)
def _simplifier():
    """OpenCC's traditional → simplified converter (its t2s tables), loaded once (lazily)."""
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional characters as simplified ones, character for character
    (same length), for the segmenter: jieba's dictionary is of simplified words, and on
    traditional text it falls back to guessing ("振興產業" as one word)."""
    convert = _simplifier().convert
    out = convert(text)
    if len(out) != len(text):
        out = "".join(c if len(c) == 1 else ch for ch, c in ((ch, convert(ch)) for ch in text))
    return out


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The segmenter's words of ``text`` in order (spaces and marks are their own tokens);
    ``"".join(words(text)) == text``. Traditional text is segmented as its simplified
    form (``simplified``), the words returned in the original characters."""
    if not text:
        return ()
    found = _tokenizer().cut(simplified(text), HMM=True)
    out, at = [], 0
    for word in found:
        out.append(text[at:at + len(word)])
        at += len(word)
    return tuple(out)


def word_bounds(text: str) -> frozenset[int]:
    """Indices i (0 < i < len) where a segmenter word ends before ``text[i]``."""
    out, at = set(), 0
    for word in words(text):
        at += len(word)
        out.add(at)
    out.discard(len(text))
    return frozenset(out)


# -- what holds together ----------------------------------------------------------------------

def _latin(ch: str) -> bool:
    """A narrow letter, digit or code mark that belongs to a Latin word or number."""
    return ch.isascii() and (ch.isalnum() or ch in LATIN_INNER)


def _rare_han(ch: str) -> bool:
    code = ord(ch)
    if SEGMENTER_HAN[0] <= code <= SEGMENTER_HAN[1]:
        return False
    return (0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF or 0xF900 <= code <= 0xFAFF
            or 0x9FD6 <= code <= 0x9FFF)


def _held(text: str) -> set[int]:
    """Indices i where a break before ``text[i]`` is forbidden whatever the segmenter says:
    quoted terms, standard numbers, numbers with their units, Latin words, date chains."""
    n = len(text)
    held: set[int] = set()
    # quoted terms: everything strictly inside a pair with no pause or stop mark in it
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in TERM_MARKS:
            stack.append((ch, i))
        elif stack and ch == TERM_MARKS[stack[-1][0]]:
            _, start = stack.pop()
            inner = text[start + 1:i]
            if not any(c in PAUSE + SENTENCE_END + " " for c in inner):
                held.update(range(start + 1, i + 1))
    for pattern in (STANDARD_NUMBER, NUMBER_LATIN_UNIT):
        for m in pattern.finditer(text):
            if m.end() - m.start() > 1:
                held.update(range(m.start() + 1, m.end()))
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if _latin(a) and _latin(b):
            held.add(i)  # a Latin word, a number, a code
        elif _after_number(text, i):
            held.add(i)  # a number and its unit or counter: 6.3万元, 800米, 200多户, 3月
        elif b.isdigit() and b.isascii() and (a in ORDINAL_PREFIXES or a in DATE_UNITS and i >= 2 and text[i - 2].isdigit()):
            held.add(i)  # 第12批; 3月14日
        elif _rare_han(a) or _rare_han(b):
            held.add(i)
    return held


def _after_number(text: str, i: int) -> bool:
    """True when ``text[i]`` continues the number before it as a unit (UNIT_CHARS): the
    text up to ``i`` is an ASCII digit followed by unit prefixes only."""
    if text[i] not in UNIT_CHARS["prefix"] and text[i] not in UNIT_CHARS["final"]:
        return False
    j = i - 1
    while j >= 0 and text[j] in UNIT_CHARS["prefix"]:
        j -= 1
    return j >= 0 and text[j].isascii() and text[j].isdigit()


def _space_kind(text: str, i: int) -> BreakKind:
    """The kind of the space at ``text[i]``: a word space between two Latin words, or the
    editor's space (anything else: Han on either side)."""
    a = text[i - 1] if i > 0 else ""
    b = text[i + 1] if i + 1 < len(text) else ""
    if a and b and _latin(a) and _latin(b):
        return BreakKind.PUNCT
    return BreakKind.SPACE


def is_word_space(text: str, i: int) -> bool:
    """True when the space at ``text[i]`` is a Latin word space (between Latin words, or
    inside a standard number or a number with its unit), not the editor's break mark."""
    return _space_kind(text, i) is BreakKind.PUNCT or _in_held_space(text, i)


def normalise(text: str) -> str:
    """A display string with its spaces tidied: ends stripped, runs of spaces become one
    U+0020 — ideographic spaces and newlines typed as break marks included."""
    return re.sub(r"[ \u3000\u00a0\n\u2028]+", " ", text).strip()


@lru_cache(maxsize=4096)
def breaks(text: str) -> tuple[Break, ...]:
    """Every place ``text`` may break, in order, with its kind. ``text`` should be
    ``normalise``d (single spaces, none at the ends)."""
    n = len(text)
    if n < 2:
        return ()
    held = _held(text)
    bounds = word_bounds(text) if any(not ch.isascii() for ch in text) else frozenset(range(1, n))
    out: list[Break] = []
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if b == " ":
            if i in held or i + 1 in held:
                continue  # inside a standard number or a number with its unit: a word space
            out.append(Break(i, _space_kind(text, i), space=True))
            continue
        if a == " " or i in held or i not in bounds:
            continue
        if b in NO_START_BASIC or a in NO_END_BASIC or b in NO_BREAK_BEFORE:
            continue
        kind = BreakKind.PUNCT if a in PUNCT_AFTER or b in OPENING else BreakKind.WORD
        out.append(Break(i, kind))
    return tuple(out)


def cut(text: str, chosen: Sequence[Break]) -> tuple[str, ...]:
    """The lines of ``text`` broken at ``chosen`` (in order); a space break's space is dropped."""
    lines, start = [], 0
    for b in chosen:
        lines.append(text[start:b.pos])
        start = b.pos + 1 if b.space else b.pos
    lines.append(text[start:])
    return tuple(lines)


def display_form(line: str) -> str:
    """How a display line is set: an editor's space left inside a line becomes an
    ideographic space (a 1-em gap, the mark of a wider pause in a head); a space between
    Latin words stays a word space."""
    if " " not in line:
        return line
    out = []
    for i, ch in enumerate(line):
        if ch == " " and not is_word_space(line, i):
            out.append("\u3000")
        else:
            out.append(ch)
    return "".join(out)


def _in_held_space(line: str, i: int) -> bool:
    return any(m.start() < i < m.end() for p in (STANDARD_NUMBER, NUMBER_LATIN_UNIT) for m in p.finditer(line))


# -- choosing the breaks ----------------------------------------------------------------------

def _visible(line: str) -> int:
    return sum(1 for ch in line if ch not in " \u3000")


def _lone(line: str) -> bool:
    """A line holding at most one character that is not punctuation ("摄", "——", "产。")."""
    return sum(1 for ch in line if ch not in " \u3000" + PUNCT_AFTER + OPENING + NO_START_BASIC) <= 1


def line_cost(line: str) -> float:
    """Cost of one display line: its length squared (em ≈ characters), so that a set of
    lines of fixed count costs least when balanced; a lone character costs more."""
    count = _visible(line)
    return count * count + (LONE_CHARACTER_PENALTY if _lone(line) else 0.0)


def two_line_order(text: str) -> list[Break]:
    """Breaks of a head that must go on two lines, best first: by how far each leaves the
    lines from equal length (characters) plus its kind's penalty, squared and summed; on a
    tie the longer first line first. An editor's space, if any, comes first of all."""
    text = normalise(text)
    found = breaks(text)
    spaces = [b for b in found if b.kind is BreakKind.SPACE]
    if spaces:
        found = tuple(spaces)  # the editor's space wins: with several, the best of them
    middle = _visible(text) / 2

    def key(b: Break):
        left = _visible(text[:b.pos])
        lone = LONE_CHARACTER_PENALTY if any(map(_lone, cut(text, (b,)))) else 0.0
        return ((left - middle) ** 2 + b.penalty ** 2 + lone, -b.pos)

    return sorted(found, key=key)


def best_lines(text: str, fits: Callable[[str], bool], max_lines: int | None = None) -> tuple[str, ...] | None:
    """The best way to set ``text`` in as few lines as possible, each of which ``fits``
    (given the line's display form), at most ``max_lines`` (None: any number).

    The editor's spaces always win: when the text must break, it breaks only at editor's
    spaces if that fits (the others stay as 1-em gaps); else at every editor's space and,
    inside a part too wide for a line, at punctuation or between words. Among the fewest lines, the least total of
    ``line_cost`` plus twice each break's penalty squared (balanced lines at sense units).
    Returns the lines in display form, or None when no choice of allowed breaks fits:
    the caller then sets the text smaller or narrower and reports it.
    """
    text = normalise(text)
    if not text:
        return ()
    whole = display_form(text)
    if fits(whole):
        return (whole,)
    found = breaks(text)
    spaces = tuple(b for b in found if b.kind is BreakKind.SPACE)
    if spaces:
        # the editor's spaces alone (those left inside a line become gaps), if they do it
        got = _fewest_lines(text, spaces, frozenset(), fits, max_lines)
        if got is not None:
            return got
    return _fewest_lines(text, found, frozenset(b.pos for b in spaces), fits, max_lines)


def _fewest_lines(text: str, found: Sequence[Break], required: frozenset[int], fits: Callable[[str], bool],
                  max_lines: int | None) -> tuple[str, ...] | None:
    """Dynamic programme over the break points ``found``, every one of ``required`` taken:
    the fewest lines that fit, then the least cost (``best_lines``)."""
    points: list[Break | None] = [None, *found, None]  # None at both ends: start and end of text
    count = len(points)
    limit = max_lines if max_lines is not None else count

    def piece(a: int, b: int) -> str:
        pa, pb = points[a], points[b]
        start = 0 if pa is None else (pa.pos + 1 if pa.space else pa.pos)
        end = len(text) if pb is None else pb.pos
        return display_form(text[start:end])

    best: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(0, 0): (0.0, ())}
    for b in range(1, count):
        for a in range(b - 1, -1, -1):
            line = piece(a, b)
            if not fits(line):
                break  # longer pieces (smaller a) are only wider
            pen = 0.0 if b == count - 1 else 2 * points[b].penalty ** 2
            cost_line = line_cost(line) + pen
            for lines in range(0, limit):
                prev = best.get((a, lines))
                if prev is None:
                    continue
                cand = (prev[0] + cost_line, prev[1] + (b,))
                old = best.get((b, lines + 1))
                if old is None or cand < old:
                    best[(b, lines + 1)] = cand
            if a > 0 and points[a].pos in required:
                break  # a line may not run over an editor's space
    for lines in range(1, limit + 1):
        got = best.get((count - 1, lines))
        if got is not None:
            chosen = [points[j] for j in got[1][:-1]]
            return tuple(display_form(x) for x in cut(text, chosen))
    return None


def bad_breaks(lines: Sequence[str]) -> list[str]:
    """The line ends of a display string's ``lines`` that fall inside a segmenter word,
    as "前半/后半" strings (empty when every break is between words). The lines are joined
    without their edge spaces and segmented again, so a break is judged on the text as
    the reader reads it; two lines that end and start with Latin letters are joined with
    a word space (a Latin line in display type ends at a word space). For tests and checks."""
    parts = [normalise(line) for line in lines]
    text, ends = "", []
    for part in parts:
        if text and part and _latin(text[-1]) and _latin(part[0]):
            text += " "
        ends.append(len(text))
        text += part
    bounds = word_bounds(text)
    out = []
    for at in ends[1:]:
        if 0 < at < len(text) and at not in bounds and text[at - 1] != " ":
            out.append(f"{text[max(0, at - 6):at]}/{text[at:at + 6]}")
    return out
