"""Measured from the PDF itself: every glyph the composer placed is in the PDF at that spot
(pdfminer's character boxes), so the line-level guarantees of the composer hold for the
printed page; and each story's cell holds exactly its copy."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from paperlayout.frames import TextLine


@pytest.fixture(scope="module")
def pdf_chars(sample_pdf):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    out = []

    def walk(node):
        if isinstance(node, LTChar):
            out.append(node)
        elif hasattr(node, "__iter__"):
            for child in node:
                walk(child)

    for page in extract_pages(str(sample_pdf), laparams=LAParams()):
        walk(page)
    return out


def media_offset(laid):
    from paperlayout.render.marks import mark_margin

    page = laid.pages[0].frame
    return mark_margin(page.bleed), page.height + 2 * mark_margin(page.bleed)


def test_every_body_glyph_is_where_the_composer_put_it(sample_laid, pdf_chars):
    origin, media_h = media_offset(sample_laid)
    index = defaultdict(list)
    for ch in pdf_chars:
        index[(ch.get_text(), round(ch.x0))].append(ch)
    checked = 0
    for result in sample_laid.pages:
        for frame in result.frame.stories:
            for item in frame.items:
                if not isinstance(item, TextLine) or item.role != "body":
                    continue
                for g in item.line.glyphs:
                    if g.text.isspace():
                        continue
                    x = origin + item.x + g.x + g.dx
                    near = [c for dx in (-1, 0, 1) for c in index[(g.text, round(x) + dx)] if abs(c.x0 - x) < 0.05]
                    assert near, (frame.story, item.line.glyphs[0].text, g.text, x)
                    checked += 1
    assert checked > 4000


def test_each_cell_holds_exactly_its_copy(sample_issue, sample_laid, pdf_chars):
    origin, media_h = media_offset(sample_laid)
    geometry = sample_laid.styles.page
    stories = {s.id: s for p in sample_issue.pages for s in p.stories}
    for result in sample_laid.pages:
        for frame in result.frame.stories:
            c = frame.cell
            x0 = origin + geometry.column_x(c.column) - 1
            x1 = origin + geometry.column_x(c.column) + geometry.span_width(c.columns) + 1
            top = media_h - origin - geometry.row_y(c.row)
            bottom = media_h - origin - geometry.row_y(c.row + c.rows)
            inside = [ch for ch in pdf_chars if x0 <= (ch.x0 + ch.x1) / 2 <= x1 and bottom <= (ch.y0 + ch.y1) / 2 <= top]
            got = Counter(re.sub(r"\s", "", "".join(ch.get_text() for ch in inside)))
            want = Counter(re.sub(r"\s", "", stories[frame.story].copy_text()))
            assert got == want, (frame.story, (want - got), (got - want))


def test_pdf_text_in_reading_order_gives_each_paragraph_whole(sample_issue, sample_laid, pdf_chars):
    """Read the PDF's characters line by line in the page's reading order (story by story,
    column by column): every paragraph of the copy comes out whole and in order."""
    origin, media_h = media_offset(sample_laid)
    stories = {s.id: s for p in sample_issue.pages for s in p.stories}
    for frame in sample_laid.pages[0].frame.stories:
        read = []
        for item in frame.items:
            if not isinstance(item, TextLine):
                continue
            baseline = media_h - origin - item.y  # in PDF space, y up
            x0, x1 = origin + item.x - 0.5, origin + item.x + item.line.width + 0.5
            # pdfminer's box bottom is the baseline plus the font's descent (−0.12 em); matrix[3] is the size
            line = sorted((ch for ch in pdf_chars if abs(ch.y0 - (baseline - 0.12 * ch.matrix[3])) < 1.5 and x0 <= ch.x0 < x1),
                          key=lambda ch: ch.x0)
            read.append("".join(ch.get_text() for ch in line))
        text = re.sub(r"\s", "", "".join(read))
        story = stories[frame.story]
        position = 0
        for block in story.body + story.items:
            para = re.sub(r"\s", "", block.text)
            found = text.find(para, position)
            assert found >= 0, (story.id, para[:20])
            position = found + len(para)
