"""issue 8 defect 1: render state (horizontal scale, font, render mode, colour) is scoped to
one glyph run and one line; nothing leaks into the next text object.

Read back from the written PDF with pdfminer: a character's box is its advance × size ×
the horizontal scale in force when it was shown, so a leaked ``Tz`` shows as wide boxes.
"""

from __future__ import annotations

import re

import pikepdf
import pytest
from render_helpers import compose_lines, drawn_glyphs, page_of, pdf_chars, render_pages

SIZE = 9.0
#: Paragraphs whose first line (13 em) ends in ——, ……, a closing quote and a Latin word,
#: each followed by a line of plain Han.
COPY = [
    ("一二三四五六七八九十一——二三四五六七八九十", "serif"),
    ("一二三四五六七八九十一……二三四五六七八九十", "serif"),
    ("一二三四五六七八九十“一二”三四五六七八九十", "serif"),
    ("一二三四五六七八九 Python 一二三四", "serif"),
    ("标题——一二三四五", "serif-black"),
    ("第二行没有任何缩放", "serif"),
]


@pytest.fixture(scope="module")
def lines(fonts):
    return compose_lines(fonts, COPY, 13)


@pytest.fixture(scope="module")
def pdf(fonts, lines):
    return render_pages([page_of(lines)], fonts)


def test_the_lines_end_as_intended(lines):
    texts = [line.text for line in lines]
    assert texts == [
        "一二三四五六七八九十一——", "二三四五六七八九十",
        "一二三四五六七八九十一……", "二三四五六七八九十",
        "一二三四五六七八九十“一二”", "三四五六七八九十",
        "一二三四五六七八九 Python ", "一二三四",
        "标题——一二三四五",
        "第二行没有任何缩放",
    ]
    dash, ellipsis = lines[0].glyphs[-1], lines[2].glyphs[-1]
    assert dash.hscale > 1.1 and ellipsis.text == "…"  # the dash is drawn scaled, last in its line


def test_every_glyph_is_drawn_at_its_advance_times_size_times_its_scale(fonts, lines, pdf):
    glyphs = drawn_glyphs(lines)
    chars = pdf_chars(pdf)
    assert [c.get_text() for c in chars] == [shown for _, _, shown in glyphs]
    for (k, g, shown), ch in zip(glyphs, chars):
        want = fonts.advance(g.face, shown) * SIZE * g.hscale
        assert ch.width == pytest.approx(want, abs=0.01), (k, lines[k].text, shown, ch.width, want)


def test_the_line_after_a_dash_line_is_drawn_at_100_percent(fonts, lines, pdf):
    chars = pdf_chars(pdf)
    glyphs = drawn_glyphs(lines)
    for k in (1, 9):  # after line 0 (ends in ——) and after line 8 (a Black head with —— inside)
        drawn = [c for (n, _, _), c in zip(glyphs, chars) if n == k]
        assert "".join(c.get_text() for c in drawn) == lines[k].text
        assert [round(c.width, 3) for c in drawn] == [SIZE] * len(lines[k].text)


def test_each_line_is_scoped_and_each_text_object_ends_at_100_percent(pdf):
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        content = doc.pages[0].Contents.read_bytes().decode("latin-1")
    objects = re.findall(r"BT .*? ET", content, flags=re.S)
    assert len(objects) == 10
    for obj in objects:
        scales = re.findall(r"([\d.]+) Tz", obj)
        assert not scales or float(scales[-1]) == 100.0, obj  # the last Tz of an object resets
    # every text object sits inside its own q … Q
    assert content.count("q\n") == content.count("\nQ") == 10
    assert re.findall(r"q\n(?:[^\n]*\n)*?BT .*? ET\nQ", content, flags=re.S).__len__() == 10
