"""render/marks: crop marks and registration targets outside the bleed, on every plate."""

from __future__ import annotations

import io

import pikepdf
import pytest
from press_helpers import BLEED, BLEED_BOX, HAS_GS, MARGIN, MEDIA, TRIM, PageSpec, build_pdf, separations
from reportlab.pdfgen import canvas as rl_canvas

from paperlayout.render.marks import (
    DEFAULT_LENGTH,
    DEFAULT_OFFSET,
    crop_marks,
    draw_marks,
    mark_margin,
    registration_targets,
)
from paperlayout.units import mm


def _outside(box, x: float, y: float) -> bool:
    x0, y0, x1, y1 = box
    return x < x0 or x > x1 or y < y0 or y > y1


def test_margin_is_bleed_offset_and_length():
    assert mark_margin(mm(3)) == pytest.approx(mm(3) + DEFAULT_OFFSET + DEFAULT_LENGTH)
    assert MARGIN == pytest.approx(mm(10))


def test_crop_marks_continue_the_trim_edges_outside_the_bleed():
    lines = crop_marks(TRIM, BLEED)
    assert len(lines) == 8
    x0, y0, x1, y1 = TRIM
    for s in lines:
        assert _outside(BLEED_BOX, s.x0, s.y0) and _outside(BLEED_BOX, s.x1, s.y1)
        assert s.x0 in (x0, x1) or s.y0 in (y0, y1)  # on a trim edge line
        assert abs(s.x1 - s.x0) + abs(s.y1 - s.y0) == pytest.approx(DEFAULT_LENGTH)
        for x, y in ((s.x0, s.y0), (s.x1, s.y1)):
            assert -1e-6 <= x <= MEDIA[0] + 1e-6 and -1e-6 <= y <= MEDIA[1] + 1e-6
    # the bottom-left horizontal mark: y = trim bottom, from 3 mm + 2 mm to 3 mm + 7 mm left of it
    first = lines[0]
    assert (first.y0, first.y1) == (y0, y0)
    assert first.x0 == pytest.approx(x0 - mm(5)) and first.x1 == pytest.approx(x0 - mm(10))


def test_registration_targets_are_centred_on_each_side_outside_the_bleed():
    targets = registration_targets(TRIM, BLEED)
    assert len(targets) == 4
    (bottom, _, _), (top, _, _), (left, _, _), (right, _, _) = targets
    mid_x, mid_y = (TRIM[0] + TRIM[2]) / 2, (TRIM[1] + TRIM[3]) / 2
    assert bottom.x == pytest.approx(mid_x) and top.x == pytest.approx(mid_x)
    assert left.y == pytest.approx(mid_y) and right.y == pytest.approx(mid_y)
    for circle, bar, post in targets:
        # the whole target (circle and cross) clears the bleed box
        nearest = [
            BLEED_BOX[0] - (circle.x + circle.r), (circle.x - circle.r) - BLEED_BOX[2],
            BLEED_BOX[1] - (circle.y + circle.r), (circle.y - circle.r) - BLEED_BOX[3],
        ]
        assert max(nearest) > 0
        for s in (bar, post):
            assert _outside(BLEED_BOX, s.x0, s.y0) and _outside(BLEED_BOX, s.x1, s.y1)


def test_marks_use_separation_all_and_hairlines():
    data = build_pdf(PageSpec(bleed_tint=False))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        spaces = page.resources.ColorSpace
        (space,) = [v for v in spaces.values()]
        assert space[0] == "/Separation" and space[1] == "/All" and space[2] == "/DeviceCMYK"
        content = page.Contents.read_bytes().decode("latin-1")
        media = [float(v) for v in page.MediaBox]
    assert "/All CS 1 SCN" in content and ".25 w" in content
    assert media == pytest.approx([0, 0, *MEDIA], abs=1e-3)  # trim + 2 × margin (reportlab: 4 decimals)


def test_too_small_a_page_is_refused():
    c = rl_canvas.Canvas(io.BytesIO(), pagesize=(TRIM[2] - TRIM[0], TRIM[3] - TRIM[1]))
    with pytest.raises(ValueError, match="beyond the trim box"):
        draw_marks(c, (0, 0, TRIM[2] - TRIM[0], TRIM[3] - TRIM[1]), BLEED)


@pytest.mark.skipif(not HAS_GS, reason="Ghostscript not installed")
def test_marks_print_on_every_plate_and_never_inside_the_bleed():
    plates = separations(build_pdf(PageSpec(bleed_tint=False)), dpi=72)
    height = round(MEDIA[1])
    # a point on the bottom-left horizontal crop mark: x = trim − 7 mm, y = trim bottom
    x, y = round(TRIM[0] - mm(7)), height - round(TRIM[1])
    for name in ("Cyan", "Magenta", "Yellow", "Black"):
        near = max(plates[name].getpixel((x, y + dy)) for dy in (-1, 0, 1))
        assert near > 200, (name, near)
    # nothing of the marks inside the bleed box on the C, M, Y plates (the page has only K art)
    bx0, by0, bx1, by1 = (round(v) for v in BLEED_BOX)
    for name in ("Cyan", "Magenta", "Yellow"):
        inside = plates[name].crop((bx0 + 1, height - by1 + 1, bx1 - 1, height - by0 - 1))
        assert inside.getextrema()[1] == 0, name
