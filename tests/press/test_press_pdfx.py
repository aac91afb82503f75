"""render/pdfx: PDF/X-1a:2001 keys, output intent, boxes, ID and byte-for-byte determinism."""

from __future__ import annotations

import datetime as dt
import io
import re

import pikepdf
import pytest
from press_helpers import BLEED_BOX, DATE, TRIM, PageSpec, build_pdf, meta
from reportlab.pdfgen import canvas as rl_canvas

from paperlayout.render.pdfx import (
    OutputIntent,
    PdfxError,
    finalize,
    pdf_date,
    profile_description,
    source_date_epoch,
)


@pytest.fixture(scope="module")
def page() -> bytes:
    return build_pdf(PageSpec())


@pytest.fixture(scope="module")
def x1a(page) -> bytes:
    return finalize(page, meta())


def test_header_is_pdf_1_3_without_object_streams(x1a):
    assert x1a.startswith(b"%PDF-1.3\n")
    assert b"/ObjStm" not in x1a and b"/XRef" not in x1a


def test_info_has_the_pdfx_keys(x1a):
    with pikepdf.open(io.BytesIO(x1a)) as pdf:
        info = pdf.trailer.Info
        assert str(info.GTS_PDFXVersion) == "PDF/X-1:2001"
        assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert info.Trapped == pikepdf.Name("/False")
        assert str(info.Title) == "Test 测试" and str(info.Author) == "Press tests"
        assert str(info.Creator) == "paperlayout" and str(info.Producer).startswith("paperlayout ")
        assert str(info.CreationDate) == "D:20250301050000+08'00'" == str(info.ModDate)
        first, second = pdf.trailer.ID
        assert bytes(first) == bytes(second) and len(bytes(first)) == 16


def test_output_intent_embeds_the_cmyk_profile(x1a):
    with pikepdf.open(io.BytesIO(x1a)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.Type == "/OutputIntent" and intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "Custom"
        assert "TR 002" in str(intent.OutputCondition)
        assert str(intent.RegistryName) == "http://www.color.org"
        assert str(intent.Info) == "paperlayout Newsprint TR002 GCR TAC240"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        icc = profile.read_bytes()
        assert icc == OutputIntent.default().profile.read_bytes()
        assert profile_description(icc) == "paperlayout Newsprint TR002 GCR TAC240"


def test_boxes_survive_in_points(x1a):
    with pikepdf.open(io.BytesIO(x1a)) as pdf:
        page = pdf.pages[0]
        assert [float(v) for v in page.TrimBox] == pytest.approx(TRIM, abs=1e-3)
        assert [float(v) for v in page.BleedBox] == pytest.approx(BLEED_BOX, abs=1e-3)


def test_no_rgb_operators_in_the_content(x1a):
    with pikepdf.open(io.BytesIO(x1a)) as pdf:
        ops = {str(i.operator) for i in pikepdf.parse_content_stream(pdf.pages[0])}
    assert not ops & {"rg", "RG"}
    assert "k" in ops and "gs" in ops


def test_two_runs_are_byte_identical(page, x1a):
    assert finalize(page, meta()) == x1a


def test_another_date_changes_only_dates_and_id(page, x1a):
    other = finalize(page, meta(creation_date=DATE + dt.timedelta(days=1, hours=3)))
    assert other != x1a and len(other) == len(x1a)

    def scrub(data: bytes) -> bytes:
        data = re.sub(rb"D:\d{14}[+-]\d\d'\d\d'", b"D:DATE", data)
        return re.sub(rb"/ID \[ ?<[0-9a-f]+> ?<[0-9a-f]+> ?\]", b"/ID []", data)

    assert scrub(other) == scrub(x1a)


def test_pdf_dates_and_source_date_epoch():
    assert pdf_date(dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)) == "D:20250102030405+00'00'"
    assert source_date_epoch({"SOURCE_DATE_EPOCH": "0"}) == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    assert source_date_epoch({}) is None
    with pytest.raises(ValueError):
        pdf_date(dt.datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="timezone"):
        finalize(build_pdf(), meta(creation_date=dt.datetime(2025, 1, 1)))


def test_x4_has_xmp_and_version_1_6(page):
    data = finalize(page, meta(standard="x4"))
    assert data.startswith(b"%PDF-1.6\n")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.trailer.Info.GTS_PDFXVersion) == "PDF/X-4"
        assert "/GTS_PDFXConformance" not in pdf.trailer.Info
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert "<xmp:CreateDate>2025-03-01T05:00:00+08:00</xmp:CreateDate>" in xmp
    assert finalize(page, meta(standard="x4")) == data


def test_plant_profile_by_path():
    coated = "/usr/share/scribus/profiles/ISOcoated_v2_300_bas.icc"
    try:
        intent = OutputIntent.from_profile(coated, identifier="FOGRA39")
    except FileNotFoundError:
        pytest.skip("scribus-data not installed")
    data = finalize(build_pdf(), meta(output_intent=intent))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (oi,) = pdf.Root.OutputIntents
        assert str(oi.OutputConditionIdentifier) == "FOGRA39"
        assert "ISO Coated v2 300%" in str(oi.Info)


def _canvas_pdf(draw) -> bytes:
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(200, 200), invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_refuses_pages_without_trimbox():
    data = _canvas_pdf(lambda c: c.rect(10, 10, 50, 50))
    with pytest.raises(PdfxError, match="no TrimBox"):
        finalize(data, meta())


def test_refuses_transparency_in_x1a():
    def draw(c):
        c.setTrimBox((0, 0, 200, 200))
        c.setFillColorCMYK(0, 1, 0, 0, alpha=0.5)
        c.rect(10, 10, 50, 50, stroke=0, fill=1)

    data = _canvas_pdf(draw)
    with pytest.raises(PdfxError, match="transparency"):
        finalize(data, meta())
    assert finalize(data, meta(standard="x4")).startswith(b"%PDF-1.6")  # X-4 allows it


def test_refuses_bad_boxes_and_bad_profiles(tmp_path):
    def draw(c):
        c.setTrimBox((0, 0, 200, 200))
        c.setBleedBox((5, 5, 195, 195))  # bleed inside trim

    with pytest.raises(PdfxError, match="not nested"):
        finalize(_canvas_pdf(draw), meta())
    rgb = tmp_path / "srgb.icc"
    from PIL import ImageCms

    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(PdfxError, match="not CMYK"):
        finalize(build_pdf(), meta(output_intent=OutputIntent(profile=rgb)))
