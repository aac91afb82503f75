"""Checks of the copy itself (校对提示), before any of it is set: findings for the editor.

Today one check: paired marks (text/pairs.py) — a quotation mark, bracket or book-title mark
left open, or a closing mark with nothing to close, in any text the page prints. Each finding
is a warning located at the field (file:line and path), with the mark, where it is in the text
and what to do; the page is still built (a mark may be meant, as in a quotation of several
paragraphs, which the check knows).
"""

from __future__ import annotations

from .diagnostics import Diagnostic, warning
from .model import Issue, printed_texts
from .text.pairs import clause, closing, continues_quotation, opening, unpaired

CODE = "unpaired-mark"


def copy_findings(issue: Issue) -> tuple[Diagnostic, ...]:
    """The copy's findings, in the order of ``model.printed_texts`` (every text the pages
    print, the fillers' too)."""
    out: list[Diagnostic] = []
    for where, text, following in printed_texts(issue, fillers=True):
        out += _field(where, text, following)
    return tuple(out)


def _field(where: str, text: str, following: str | None = None) -> list[Diagnostic]:
    """Findings for one text; `following`: the next paragraph's text, into which a quotation
    left open at the end may run on (GB/T 15834—2011 §4.8)."""
    if not text:
        return []
    unclosed, unopened = unpaired(text)
    if continues_quotation(unclosed, text, following):
        unclosed = []
    out = []
    for i in unclosed:
        mark = text[i]
        out.append(warning(CODE, where, f"the {mark} at character {i + 1} ({_context(text, i)}) is never closed: add "
                                        f"{closing(mark)} where it ends, or remove it ({clause(mark)})"))
    for i in unopened:
        mark = text[i]
        out.append(warning(CODE, where, f"the {mark} at character {i + 1} ({_context(text, i)}) closes nothing: add "
                                        f"{opening(mark)} where it begins, or remove it ({clause(mark)})"))
    return out


def _context(text: str, i: int, side: int = 8) -> str:
    """A few characters either side of position `i`, quoted, with … where cut."""
    a, b = max(0, i - side), min(len(text), i + side + 1)
    return "'" + ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "") + "'"
