"""preflight: a good PDF/X page passes every check; each classic mistake fails the right one."""

from __future__ import annotations

import io
import json

import pytest
from press_helpers import HAS_GS, PageSpec, build_pdf, meta, separations
from reportlab.pdfgen import canvas as rl_canvas

from paperlayout import preflight as pf
from paperlayout.render.images import prepare_photo
from paperlayout.render.pdfx import finalize

CHECKS = [
    "pdfx", "boxes", "fonts", "fonts-pdffonts", "colour", "text", "images",
    "images-pdfimages", "transparency", "ink", "qpdf",
]


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def good(tmp_path_factory, photos):
    """Finalised page: K-only overprinting Vera text, a 200 ppi CMYK photo, marks, bleed."""
    prepared = prepare_photo(photos["dark"], 144.0, 108.0)
    data = finalize(build_pdf(PageSpec(photo=prepared)), meta())
    path = tmp_path_factory.mktemp("good") / "good.pdf"
    path.write_bytes(data)
    return path, prepared


@pytest.fixture(scope="module")
def good_report(good):
    return pf.preflight(good[0])


def test_good_page_passes_everything(good_report):
    assert [c.name for c in good_report.checks] == CHECKS
    statuses = {c.name: c.status for c in good_report.checks}
    expected = {name: "pass" for name in CHECKS}
    if not HAS_GS:
        expected["ink"] = "not-run"
    assert statuses == expected, good_report.format()
    assert good_report.errors == 0 and good_report.warnings == 0 and good_report.ok


def test_good_page_figures(good_report, good):
    _, prepared = good
    pdfx = good_report.check("pdfx").figures
    assert pdfx["pdf_version"] == "1.3" and pdfx["gts_pdfx_conformance"] == "PDF/X-1a:2001"
    assert pdfx["profile_components"] == 4
    boxes = good_report.check("boxes").figures["pages"][0]
    assert boxes["bleed_mm"] == pytest.approx(3.0, abs=0.01)
    text = good_report.check("text").figures["pages"][0]
    assert text["text_ops"] == text["k_only"] == text["k_overprint"] == 4
    assert text["min_size"] == 9.0
    images = good_report.check("images").figures
    assert images["pages"][0]["min_ppi"] == pytest.approx(200.0, abs=0.1)
    (image,) = images["images"]
    assert image["px"] == [400, 300] and image["placed_pt"] == [144.0, 108.0] and image["space"] == "DeviceCMYK"
    (second,) = [r for r in good_report.check("images-pdfimages").figures["images"] if r["type"] == "image"]
    assert second["color"] == "cmyk" and second["ppi"] == pytest.approx(200.0, abs=1)
    if HAS_GS:
        (ink,) = good_report.check("ink").figures["pages"]
        assert 150.0 < ink["max_ink"] <= 240.0  # the photo, measured on the plates
        assert ink["plates"] == ["Black", "Cyan", "Magenta", "Yellow"]
        assert ink["max_ink"] <= prepared.max_ink + 2.0


def test_json_and_text_forms(good_report):
    data = json.loads(good_report.to_json())
    assert data["errors"] == 0 and [c["name"] for c in data["checks"]] == CHECKS
    assert good_report.to_json() == good_report.to_json()
    text = good_report.format()
    assert text.splitlines()[0].endswith("0 error(s), 0 warning(s)")
    assert "PASS    pdfx" in text and "[ghostscript]" in text


def test_rgb_text_fails_colour_and_text(tmp_path):
    data = finalize(build_pdf(PageSpec(text_colour=("rgb", (0.0, 0.0, 0.0)), overprint=False)), meta())
    report = pf.preflight(_write(tmp_path, "rgb.pdf", data), render_ink=False)
    assert report.check("colour").status == "fail"
    assert any("DeviceRGB" in e and "text" in e for e in report.check("colour").errors)
    assert any("RGB text" in e for e in report.check("text").errors)
    assert not report.ok


def test_unembedded_helvetica_fails_fonts(tmp_path):
    data = finalize(build_pdf(PageSpec(font="Helvetica")), meta())
    report = pf.preflight(_write(tmp_path, "helv.pdf", data), render_ink=False)
    assert report.check("fonts").errors == ("font Helvetica (Type1) is not embedded",)
    assert report.check("fonts-pdffonts").status == "fail"
    assert any("Helvetica" in e for e in report.check("fonts-pdffonts").errors)


def test_72_ppi_image_fails_images(tmp_path, photos):
    low = prepare_photo(photos["144"], 144.0, 108.0)  # keeps its 144 px: 72 ppi
    assert low.warnings
    data = finalize(build_pdf(PageSpec(photo=low)), meta())
    report = pf.preflight(_write(tmp_path, "low.pdf", data), render_ink=False)
    images = report.check("images")
    assert images.status == "fail" and images.figures["pages"][0]["min_ppi"] == pytest.approx(72.0)
    assert "72 ppi" in images.errors[0] and "below the 150 ppi floor" in images.errors[0]
    assert report.check("images-pdfimages").status == "fail"


def test_small_rich_black_text_is_an_error_and_coloured_text_a_warning(tmp_path):
    rich = finalize(build_pdf(PageSpec(text_colour=("cmyk", (0.6, 0.5, 0.4, 1.0)))), meta())
    report = pf.preflight(_write(tmp_path, "rich.pdf", rich), render_ink=False)
    assert any("rich black" in e for e in report.check("text").errors)
    red = finalize(build_pdf(PageSpec(text_colour=("cmyk", (0.0, 1.0, 1.0, 0.0)), text_size=8.0)), meta())
    report = pf.preflight(_write(tmp_path, "red.pdf", red), render_ink=False)
    assert report.check("text").status == "warn"
    assert "coloured text under 10 pt" in report.check("text").warnings[0]


def test_black_text_without_overprint_and_white_overprint(tmp_path):
    knock = finalize(build_pdf(PageSpec(overprint=False)), meta())
    report = pf.preflight(_write(tmp_path, "knock.pdf", knock), render_ink=False)
    assert report.check("text").status == "warn" and "knocks out" in report.check("text").warnings[0]
    white = finalize(build_pdf(PageSpec(text_colour=("cmyk", (0.0, 0.0, 0.0, 0.0)), text_size=12.0)), meta())
    report = pf.preflight(_write(tmp_path, "white.pdf", white), render_ink=False)
    assert any("disappears" in e for e in report.check("text").errors)


def test_plain_reportlab_output_is_not_pdfx(tmp_path):
    report = pf.preflight(_write(tmp_path, "raw.pdf", build_pdf()), render_ink=False)
    pdfx = report.check("pdfx")
    assert pdfx.status == "fail"
    assert any("GTS_PDFXVersion" in e for e in pdfx.errors)
    assert any("OutputIntents" in e for e in pdfx.errors)


@pytest.mark.skipif(not HAS_GS, reason="Ghostscript not installed")
def test_ink_over_the_limit_fails(tmp_path):
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(200, 200), invariant=1)
    c.setTrimBox((0, 0, 200, 200))
    c.setFillColorCMYK(0.9, 0.8, 0.8, 1.0)  # 350 %
    c.rect(20, 20, 80, 80, stroke=0, fill=1)
    c.showPage()
    c.save()
    report = pf.preflight(_write(tmp_path, "heavy.pdf", finalize(buffer.getvalue(), meta())))
    ink = report.check("ink")
    assert ink.status == "fail" and ink.figures["pages"][0]["max_ink"] == pytest.approx(350.0, abs=1.0)
    assert "exceeds 240 %" in ink.errors[0]


def test_missing_tools_are_reported_not_run(tmp_path, monkeypatch, good):
    monkeypatch.setattr(pf.shutil, "which", lambda name: None)
    report = pf.preflight(good[0])
    for name in ("ink", "qpdf", "fonts-pdffonts", "images-pdfimages"):
        assert report.check(name).status == "not-run", name
    assert report.check("ink").details.startswith("not run: Ghostscript")
    assert report.ok  # not-run is not an error, but it is visible
    assert "NOT-RUN" in report.format()


def test_boxes_with_short_bleed(tmp_path):
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(220, 220), invariant=1)
    c.setTrimBox((10, 10, 210, 210))
    c.setBleedBox((7, 7, 213, 213))  # ~1 mm
    c.showPage()
    c.save()
    report = pf.preflight(_write(tmp_path, "bleed.pdf", finalize(buffer.getvalue(), meta())), render_ink=False)
    assert report.check("boxes").status == "fail"
    assert "less than 3 mm" in report.check("boxes").errors[0]


def test_unreadable_file(tmp_path):
    report = pf.preflight(_write(tmp_path, "junk.pdf", b"not a pdf"))
    assert report.checks[0].name == "open" and report.errors == 1


def test_overprint_needs_opm_1_for_device_cmyk(tmp_path):
    """reportlab's setFillOverprint writes /op true only; without setOverprintMask (OPM 1)
    a 0 0 0 1 k fill still knocks the other plates out, and preflight says so."""
    def page(opm: bool) -> bytes:
        buffer = io.BytesIO()
        c = rl_canvas.Canvas(buffer, pagesize=(100, 100), invariant=1)
        c.setTrimBox((0, 0, 100, 100))
        c.setFillColorCMYK(1, 0, 0, 0)
        c.rect(0, 0, 100, 100, stroke=0, fill=1)
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFillOverprint(True)
        c.setOverprintMask(opm)
        c.rect(40, 40, 20, 20, stroke=0, fill=1)
        c.setFont("Helvetica", 9)
        c.drawString(10, 10, "K text")
        c.showPage()
        c.save()
        return buffer.getvalue()

    op_only = pf.preflight(_write(tmp_path, "op.pdf", page(False)), render_ink=False)
    assert "knocks out" in op_only.check("text").warnings[0]
    both = pf.preflight(_write(tmp_path, "opm.pdf", page(True)), render_ink=False)
    assert both.check("text").status == "pass"
    if HAS_GS:
        knocked = separations(page(False), dpi=72)["Cyan"].getpixel((50, 50))
        kept = separations(page(True), dpi=72)["Cyan"].getpixel((50, 50))
        assert (knocked, kept) == (0, 255)  # cyan under the K square: gone / kept


def test_forms_and_inline_images_are_interpreted(tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(300, 300), invariant=1)
    c.setTrimBox((0, 0, 300, 300))
    c.drawInlineImage(Image.new("RGB", (72, 72), (255, 0, 0)), 10, 10, 72, 72)
    c.beginForm("caption")
    c.setFillColorCMYK(0.5, 0.4, 0.4, 1.0)
    c.setFont("Helvetica", 6)
    c.drawString(0, 0, "rich black")
    c.endForm()
    c.saveState()
    c.translate(100, 100)
    c.doForm("caption")  # 6 pt: an error
    c.scale(2, 2)
    c.doForm("caption")  # 12 pt through the CTM: allowed
    c.restoreState()
    c.showPage()
    c.save()
    report = pf.preflight(_write(tmp_path, "forms.pdf", buffer.getvalue()), render_ink=False)
    text = report.check("text")
    assert text.figures["pages"][0]["text_ops"] == 2 and text.figures["pages"][0]["min_size"] == 6.0
    assert len(text.errors) == 1 and "6 pt" in text.errors[0]
    assert "image inline in DeviceRGB (RGB is not allowed)" in report.check("colour").errors[0]
    assert report.check("images").figures["pages"][0]["min_ppi"] == pytest.approx(72.0)


def test_malformed_content_is_reported_not_skipped(tmp_path):
    import pikepdf

    with pikepdf.open(io.BytesIO(build_pdf())) as pdf:
        pdf.pages[0].Contents.write(b"1 2 cm 0 0 0 1 k 0 0 10 10 re f")
        buffer = io.BytesIO()
        pdf.save(buffer)
    report = pf.preflight(_write(tmp_path, "bad.pdf", buffer.getvalue()), render_ink=False)
    assert any("malformed 'cm'" in e for e in report.check("colour").errors)
