"""No character is overprinted by another or crossed by a rule, and no text sits on a photo,
on the sample page and the jump pages (boxes in pt, page coordinates)."""

from __future__ import annotations

from collections import defaultdict

from paperlayout.frames import Picture, Rect, Rule, TextLine


def glyph_boxes(frame):
    """(x0, y0, x1, y1, story, text) of every visible glyph's em box; y down."""
    out = []
    for item in frame.items():
        if not isinstance(item, TextLine):
            continue
        size = item.line.size
        for g in item.line.glyphs:
            if g.text.isspace() or g.width <= 0:
                continue
            x0 = item.x + g.x
            out.append((x0 + 0.01, item.y - 0.88 * size + 0.01, x0 + g.width - 0.01, item.y + 0.12 * size - 0.01,
                        item.role, g.text))
    return out


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_frame(frame):
    boxes = glyph_boxes(frame)
    buckets = defaultdict(list)
    for box in boxes:
        for bx in range(int(box[0] // 50), int(box[2] // 50) + 1):
            for by in range(int(box[1] // 50), int(box[3] // 50) + 1):
                buckets[(bx, by)].append(box)
    for cell in buckets.values():
        for i, a in enumerate(cell):
            for b in cell[i + 1:]:
                assert not overlaps(a, b), (a, b)
    for item in frame.items():
        if isinstance(item, Rule):
            half = item.weight / 2
            line = (min(item.x0, item.x1) - half, min(item.y0, item.y1) - half,
                    max(item.x0, item.x1) + half, max(item.y0, item.y1) + half)
            for box in boxes:
                assert not overlaps(line, box), (item, box)
        if isinstance(item, Picture):
            for box in boxes:
                assert not overlaps((item.x, item.y, item.x + item.w, item.y + item.h), box), (item.path, box)
        if isinstance(item, Rect) and item.fill is not None:
            inside = [b for b in boxes if overlaps((item.x, item.y, item.x + item.w, item.y + item.h), b)]
            assert all(b[4] == "banner" for b in inside), inside[:3]


def test_sample_page_has_no_collisions(sample_laid):
    for result in sample_laid.pages:
        check_frame(result.frame)


def test_check_catches_a_rule_across_text(sample_laid):
    from dataclasses import replace

    import pytest

    frame = sample_laid.pages[0].frame
    body = next(it for st in frame.stories for it in st.items if isinstance(it, TextLine) and it.role == "body")
    crossed = replace(frame, furniture=frame.furniture + (Rule(body.x, body.y - 3, body.x + 50, body.y - 3),))
    with pytest.raises(AssertionError):
        check_frame(crossed)
