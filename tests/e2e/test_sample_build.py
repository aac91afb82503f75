"""End to end on the sample issue: every character set once and extractable, level columns,
no holes, fonts embedded, identical rebuilds."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import pytest

from paperlayout.frames import TextLine


def strip(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_no_layout_errors_and_pages(sample_laid):
    assert [d for d in sample_laid.report.errors] == []
    assert len(sample_laid.pages) == 1


def test_every_story_column_ends_level_and_no_holes(sample_laid):
    for page in sample_laid.report.pages:
        assert page.largest_hole_rows == 0, page.plan
        assert page.fill == pytest.approx(1.0)
        for story in page.stories:
            assert story.level, (page.number, story.id, story.column_bottoms)


def test_stories_do_not_overlap_and_stay_in_type_area(sample_laid):
    geometry = sample_laid.styles.page
    for result in sample_laid.pages:
        seen = set()
        for placement in result.plan.placements:
            c = placement.cell
            assert c.column + c.columns <= geometry.columns
            for x in range(c.column, c.column + c.columns):
                for y in range(c.row, c.row + c.rows):
                    assert (x, y) not in seen
                    seen.add((x, y))


def test_text_lines_stay_inside_their_cells(sample_laid):
    geometry = sample_laid.styles.page
    for result in sample_laid.pages:
        for frame in result.frame.stories:
            c = frame.cell
            x0 = geometry.column_x(c.column) - 0.01
            x1 = geometry.column_x(c.column) + geometry.span_width(c.columns) + 0.01
            y0, y1 = geometry.row_y(c.row), geometry.row_y(c.row + c.rows)
            for item in frame.items:
                if isinstance(item, TextLine):
                    assert x0 <= item.x and item.x + item.line.width <= x1, (frame.story, item.line)
                    assert y0 < item.y <= y1, (frame.story, item.role)


def test_pdf_text_holds_every_character_of_every_story(sample_issue, sample_pdf):
    from pdfminer.high_level import extract_text

    text = strip(extract_text(str(sample_pdf)))
    have = Counter(text)
    for page in sample_issue.pages:
        for story in page.stories:
            want = Counter(strip(story.copy_text()))
            missing = want - have
            assert not missing, (story.id, "".join(missing.elements())[:50])


def test_each_body_line_extracts_in_order(sample_laid, sample_pdf):
    """Each composed body line comes out of the PDF as one run of text, in reading order."""
    from pdfminer.high_level import extract_text

    text = strip(extract_text(str(sample_pdf)))
    for result in sample_laid.pages:
        for frame in result.frame.stories:
            for item in frame.items:
                if isinstance(item, TextLine) and item.role == "body":
                    line = strip("".join(g.text for g in item.line.glyphs))
                    assert line in text, (frame.story, line)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_fonts_embedded_and_subset(sample_pdf):
    out = subprocess.run(["pdffonts", str(sample_pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.strip().splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        emb, sub = cols[-5], cols[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert "Type 3" not in row


def test_rebuild_is_byte_identical(sample_laid, sample_pdf):
    from paperlayout.build import to_pdf

    data, _ = to_pdf(sample_laid)
    assert data == sample_pdf.read_bytes()


def test_accounting_reports_a_lost_line(sample_issue, sample_laid):
    from dataclasses import replace

    from paperlayout.check import text_accounting

    result = sample_laid.pages[0]
    story = result.frame.stories[0]
    dropped = next(i for i, it in enumerate(story.items) if isinstance(it, TextLine) and it.role == "body")
    items = story.items[:dropped] + story.items[dropped + 1:]
    broken = replace(result, frame=replace(result.frame, stories=(replace(story, items=items),) + result.frame.stories[1:]))
    found = text_accounting(sample_issue, (broken,))
    assert [d.code for d in found] == ["text-lost"]
    assert story.story in found[0].where
