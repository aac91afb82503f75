"""Paired marks (成对标号): a quotation mark, bracket or book-title mark that opens must close.

A mark left open or a closing mark with nothing to close is a slip in the copy (a quotation cut
short, a bracket lost in editing, a head cut from a longer sentence); in print it is an error
the reader sees, and at the end of a line an opening mark is also a line-end prohibition the
composer cannot avoid (CLREQ §3.1.7). The checks are a table, each row citing its clause of
GB/T 15834—2011 (标点符号用法).

One exception, also from the standard: a quotation of several paragraphs opens each paragraph
with the opening mark and closes only at the end of the last (§4.8, 引文不止一段时，每段开头用
前引号，只在最后一段末尾用后引号) — so a paragraph may end with a quotation open when the next
paragraph begins with the same mark.

Positions are 0-based indices into the text (code points).
"""

from __future__ import annotations

import re

#: (opening, closing, clause). Only full-width marks: ASCII ( ) [ ] belong to Latin copy, where
#: a smiley or "1)" may stand alone.
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("“", "”", "GB/T 15834—2011 §4.8 引号"),
    ("‘", "’", "GB/T 15834—2011 §4.8 引号 (inner quotation)"),
    ("「", "」", "GB/T 15834—2011 §4.8 引号 (corner brackets of vertical and traditional copy)"),
    ("『", "』", "GB/T 15834—2011 §4.8 引号 (inner corner brackets)"),
    ("（", "）", "GB/T 15834—2011 §4.9 括号"),
    ("［", "］", "GB/T 15834—2011 §4.9 括号"),
    ("〔", "〕", "GB/T 15834—2011 §4.9 括号 (六角括号)"),
    ("【", "】", "GB/T 15834—2011 §4.9 括号 (方头括号)"),
    ("《", "》", "GB/T 15834—2011 §4.15 书名号"),
    ("〈", "〉", "GB/T 15834—2011 §4.15 书名号 (inner title)"),
)

#: Opening marks a paragraph of a quotation of several paragraphs leaves open (§4.8).
CONTINUED_QUOTES = "“‘「『"

_CLOSING_OF = {o: c for o, c, _ in PAIRS}
_OPENING_OF = {c: o for o, c, _ in PAIRS}
_CLAUSE = {mark: clause for o, c, clause in PAIRS for mark in (o, c)}
_MARKS = re.compile("[" + re.escape("".join(o + c for o, c, _ in PAIRS)) + "]")  # only the marks are visited


def clause(mark: str) -> str:
    """The clause of the standard that pairs `mark`."""
    return _CLAUSE[mark]


def closing(mark: str) -> str:
    """The closing mark of the opening `mark`."""
    return _CLOSING_OF[mark]


def opening(mark: str) -> str:
    """The opening mark of the closing `mark`."""
    return _OPENING_OF[mark]


def _latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _inside_word(text: str, i: int) -> bool:
    """’ between two Latin letters or digits (don’t, it’s, O’Brien) is an apostrophe, always."""
    return 0 < i < len(text) - 1 and _latin_alnum(text[i - 1]) and _latin_alnum(text[i + 1])


def _after_word(text: str, i: int) -> bool:
    """’ after a Latin letter or digit (students’, 90’s) is an apostrophe unless a ‘ is open."""
    return i > 0 and _latin_alnum(text[i - 1])


def unpaired(text: str) -> tuple[list[int], list[int]]:
    """(positions of opening marks never closed, positions of closing marks that close
    nothing), each in text order. Marks nest: a closing mark closes the innermost open mark
    of its kind, and any marks opened inside it and left open are unclosed."""
    stack: list[int] = []
    unclosed: list[int] = []
    unopened: list[int] = []
    for found in _MARKS.finditer(text):
        i, ch = found.start(), found.group()
        if ch in _CLOSING_OF:
            stack.append(i)
        elif ch in _OPENING_OF:
            if ch == "’" and _inside_word(text, i):
                continue
            want = _OPENING_OF[ch]
            depth = next((d for d in range(len(stack) - 1, -1, -1) if text[stack[d]] == want), None)
            if depth is None:
                if not (ch == "’" and _after_word(text, i)):
                    unopened.append(i)
                continue
            unclosed.extend(stack[depth + 1:])
            del stack[depth:]
    unclosed.extend(stack)
    return sorted(unclosed), unopened


def continues_quotation(open_at_end: list[int], text: str, following: str | None) -> bool:
    """True when the marks `open_at_end` (positions in `text`) are a quotation carried on into
    the paragraph `following` (GB/T 15834—2011 §4.8: every paragraph of a quotation of several
    begins with the opening mark; only the last closes)."""
    if not open_at_end or following is None:
        return False
    marks = {text[i] for i in open_at_end}
    return len(marks) == 1 and marks <= set(CONTINUED_QUOTES) and following.startswith(next(iter(marks)))
