"""The prepared-paragraph memo is bounded (issue 11: layout memory must not grow with the
page count) and keeps the paragraphs used last; a paragraph prepared again after it was
dropped composes to the same lines."""

from __future__ import annotations

import sys

from composer_helpers import REGULAR, SIZE, style
from paperlayout.fonts import FontBook
from paperlayout.text import Run, compose, count_lines

_compose_module = sys.modules["paperlayout.text.compose"]


def _lines(composed):
    return [line.text for line in composed.lines]


def test_memo_keeps_at_most_the_bound_and_drops_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(_compose_module, "PREPARED_MEMO_SIZE", 3)
    fonts = FontBook.open({"t": REGULAR})
    st_ = style()
    paras = [(Run("中文排版" * (k + 2), "t"),) for k in range(5)]
    for runs in paras[:3]:
        count_lines(runs, 5 * SIZE, st_, fonts)
    count_lines(paras[0], 5 * SIZE, st_, fonts)  # used again: now the most recent
    count_lines(paras[3], 5 * SIZE, st_, fonts)  # drops paras[1], the least recently used
    memo = fonts.memo("text.para")
    kept = [key[0] for key in memo]
    assert len(memo) == 3
    assert kept == [paras[2], paras[0], paras[3]]


def test_a_dropped_paragraph_composes_the_same_again(monkeypatch):
    monkeypatch.setattr(_compose_module, "PREPARED_MEMO_SIZE", 1)
    fonts = FontBook.open({"t": REGULAR})
    st_ = style()
    first = (Run("排版规则，标点挤压。" * 4, "t"),)
    other = (Run("另一段文字。" * 3, "t"),)
    before = compose(first, 7 * SIZE, st_, fonts)
    compose(other, 7 * SIZE, st_, fonts)  # drops `first`
    assert [key[0] for key in fonts.memo("text.para")] == [other]
    again = compose(first, 7 * SIZE, st_, fonts)
    assert _lines(again) == _lines(before)
    assert len(before.lines) > 1
    assert count_lines(first, 7 * SIZE, st_, fonts) == (len(before.lines), before.diagnostics)
