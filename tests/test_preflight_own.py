"""preflight(own=True), the build's preflight: a page whose content stream is K only is not
rendered by Ghostscript; anything else on it is; a page meant to be black only that carries
other inks is an error. The default (third-party files) still renders every page."""

from __future__ import annotations

import io
import shutil

import pytest
from reportlab.pdfgen import canvas as rl_canvas

from paperlayout import preflight as pf
from paperlayout.render.marks import draw_marks, mark_margin
from paperlayout.units import mm

HAS_GS = shutil.which("gs") is not None
BLEED = mm(3.0)
MARGIN = mark_margin(BLEED)
W, H = 288.0, 216.0
TRIM = (MARGIN, MARGIN, MARGIN + W, MARGIN + H)


def _page(tmp_path, name: str, *, cyan_box: bool = False, registration_rule: bool = False):
    """A one-page PDF: black text, a 40 % grey box, crop and registration marks outside the
    bleed; optionally a cyan box or a registration-colour rule inside the trim."""
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(W + 2 * MARGIN, H + 2 * MARGIN), invariant=1)
    c.setTrimBox(TRIM)
    c.setBleedBox((MARGIN - BLEED, MARGIN - BLEED, MARGIN + W + BLEED, MARGIN + H + BLEED))
    c.setFillColorCMYK(0, 0, 0, 0.4)
    c.rect(MARGIN + 20, MARGIN + 20, 80, 60, stroke=0, fill=1)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont("Helvetica", 9)
    c.drawString(MARGIN + 120, MARGIN + 100, "Black text")
    if cyan_box:
        c.setFillColorCMYK(0.5, 0, 0, 0)
        c.rect(MARGIN + 150, MARGIN + 20, 40, 40, stroke=0, fill=1)
    if registration_rule:
        c.setStrokeColorCMYK(1, 1, 1, 1)
        c.line(MARGIN + 10, MARGIN + 150, MARGIN + 200, MARGIN + 150)
    draw_marks(c, TRIM, BLEED)
    c.showPage()
    c.save()
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def test_own_black_page_is_proven_from_its_content_and_not_rendered(tmp_path):
    path = _page(tmp_path, "black.pdf")
    report = pf.preflight(path, own=True, mono_pages=frozenset({1}))
    ink = report.check("ink")
    assert ink.status == "pass", report.format()
    assert ink.figures["pages"] == [{"page": 1, "max_ink": None, "plates": ["Black"], "measured": "content stream"}]
    assert "1 K only by content stream, not rendered" in ink.details
    assert report.check("qpdf").status == "not-run"


@pytest.mark.skipif(not HAS_GS, reason="Ghostscript not installed")
def test_third_party_black_page_is_still_rendered(tmp_path):
    report = pf.preflight(_page(tmp_path, "black.pdf"))
    page = report.check("ink").figures["pages"][0]
    assert page["plates"] == ["Black"] and page["max_ink"] == pytest.approx(100.0, abs=0.5)
    assert report.check("qpdf").status == "pass"


@pytest.mark.skipif(not HAS_GS, reason="Ghostscript not installed")
def test_own_black_only_page_with_cyan_is_rendered_and_fails(tmp_path):
    report = pf.preflight(_page(tmp_path, "cyan.pdf", cyan_box=True), own=True, mono_pages=frozenset({1}))
    ink = report.check("ink")
    assert ink.figures["pages"][0]["plates"] == ["Black", "Cyan"]
    assert ink.errors == ("page 1 is printed in black only but carries ink on Cyan",)
    assert not report.ok


@pytest.mark.skipif(not HAS_GS, reason="Ghostscript not installed")
def test_registration_colour_inside_the_bleed_is_rendered(tmp_path):
    """The marks' registration colour outside the bleed does not stop the proof; the same
    colour on the page does."""
    report = pf.preflight(_page(tmp_path, "reg.pdf", registration_rule=True), own=True, mono_pages=frozenset({1}))
    page = report.check("ink").figures["pages"][0]
    assert page["max_ink"] is not None and page["plates"] == ["Black", "Cyan", "Magenta", "Yellow"]
    assert report.check("ink").errors == ("page 1: total ink 400 % exceeds 240 %",
                                          "page 1 is printed in black only but carries ink on Cyan, Magenta, Yellow")


def test_paths_record_the_box_they_can_mark(tmp_path):
    """The interpreter's path boxes (pt, page space) that the K-only proof compares with the
    BleedBox: a filled rectangle, and a stroked line grown by half its width."""
    import pikepdf

    with pikepdf.open(_page(tmp_path, "black.pdf")) as pdf:
        scan = pf._scan(pdf)
    grey = [u for u in scan.paints if u.colour == "DeviceCMYK [0 0 0 0.4]"]
    assert [u.box for u in grey] == [pytest.approx((MARGIN + 20, MARGIN + 20, MARGIN + 100, MARGIN + 80), abs=1e-4)]
    marks = [u for u in scan.paints if u.kind == "registration"]
    assert marks and all(pf._outside(u.box, (MARGIN - BLEED, MARGIN - BLEED, MARGIN + W + BLEED, MARGIN + H + BLEED))
                         for u in marks)


def test_own_readback_is_used_only_for_the_same_bytes(tmp_path):
    """The file is compared with the build's bytes piecewise (no second copy): equal only when
    every byte and the length agree."""
    from paperlayout.preflight import _same_bytes

    data = bytes(range(256)) * 9000  # 2.2 MiB: three 1 MiB pieces
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    assert _same_bytes(path, data) and _same_bytes(path, bytearray(data))
    assert not _same_bytes(path, data[:-1]) and not _same_bytes(path, data + b"\0")
    changed = bytearray(data)
    changed[(1 << 20) + 5] ^= 1  # in the second piece
    assert not _same_bytes(path, changed)
