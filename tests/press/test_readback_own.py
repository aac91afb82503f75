"""Reading our own PDF back once (issue 11): the fast content-stream reader, the shared
reading of verify and preflight(own=True), and the ink bound that stands in for the
Ghostscript render — each gives what the thorough path gives, and each defect the removed
tools (pdffonts, pdfimages, Ghostscript) caught on own output is still caught."""

from __future__ import annotations

import io
from decimal import Decimal

import pikepdf
import pytest
from PIL import Image
from press_helpers import HAS_GS, PHOTO_BOX, PageSpec, build_pdf, meta
from reportlab.pdfgen import canvas as rl_canvas

from paperlayout import inkbound, pdfread
from paperlayout import preflight as pf
from paperlayout.render.images import PreparedImage, max_ink, prepare_photo
from paperlayout.render.pdfx import finalize
from paperlayout.verify import _overlapping_pairs, read_own


def _norm(value):
    """An operand as plain Python, whichever reader made it."""
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, pikepdf.Name):
        return ("name", str(value))
    if isinstance(value, (pikepdf.String, bytes)):
        return bytes(value)
    if isinstance(value, (list, pikepdf.Array)):
        return [_norm(v) for v in value]
    return ("other", repr(value))


def _pikepdf_reading(stream) -> list:
    return [(str(i.operator), [_norm(o) for o in i.operands]) for i in pikepdf.parse_content_stream(stream)]


def _fast_reading(stream) -> list:
    out = []
    for instruction in pdfread.instructions(stream):
        assert instruction.__class__ is tuple, "the stream should have been read by the fast reader"
        args, op = instruction
        out.append((op, [_norm(a) for a in args]))
    return out


STREAM = (b"q 1 0 0 1 0 0 cm\n0 0 0 1 k /gRLs0 gs BT 1 0 0 1 81.6 -1.5 Tm /F2+0 9 Tf 10.8 TL "
          b"(\\001\\002\\003) Tj (a\\(b\\)c\\\\d) Tj (\\n\\r\\t\\b\\f) Tj (x\\\ny) Tj (\\0\\7\\77\\101\\1012) Tj "
          b"(q\\z) Tj (\\501) Tj (line\r\nend\rcr) Tj <48 65 6C6C 6F> Tj <4> Tj [(A) -20 (B) 12.5 <43>] TJ "
          b"1 2 Td -3 .5 TD T* 0.5 Tc 2 Tw 90 Tz 1.5 Ts 1 Tr (s) ' 1 2 (t) \" /F#41#42 12 Tf ET "
          b"[3 1] 0 d 0.25 w 1 J 10 20 m 30 40 l 1 2 3 4 5 6 c 1 2 3 4 v 1 2 3 4 y h 5 5 10 10 re S "
          b"/Name.with.dots Do Q")


def test_fast_reader_reads_every_escape_and_operand_as_pikepdf_does():
    pdf = pikepdf.new()
    stream = pdf.make_stream(STREAM)
    fast = _fast_reading(stream)
    assert fast == _pikepdf_reading(stream)
    shown = [args[0] for op, args in fast if op == "Tj"]
    assert shown[:4] == [b"\x01\x02\x03", b"a(b)c\\d", b"\n\r\t\b\f", b"xy"]
    assert shown[4] == b"\x00\x07\x3fA" + b"A2"  # \101 then the digit 2 is text, not a 4th octal digit
    assert shown[5:8] == [b"qz", b"A", b"line\nend\ncr"]  # unknown escape: backslash dropped; 0o501 & 0xFF
    assert shown[8:] == [b"Hello", b"@"]
    assert ("Tf", [("name", "/FAB"), 12.0]) in fast


@pytest.mark.parametrize("content", [
    b"BT /F1 9 Tf (nested (parens) here) Tj ET",  # balanced parentheses need no escape
    b"/OC /MC0 BDC 0 0 1 1 re f EMC /Span <</ActualText (x)>> BDC EMC",  # dictionary operands
    b"q 10 0 0 10 0 0 cm BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q",  # an inline image
    b"0 0 1 1 re % a comment\nf",
    b"true false null 1 0 obj",  # keywords
    b"1 0 0 1 81.6 -1.5e0 Tm",  # not a PDF number: one token, "-1.5e0", to any PDF reader
    b"0 0 1 1 re f.x",  # nor an operator
])
def test_syntax_beyond_the_subset_is_read_by_pikepdf(content):
    pdf = pikepdf.new()
    stream = pdf.make_stream(content)
    found = pdfread.instructions(stream)
    assert not any(i.__class__ is tuple for i in found)
    assert [str(i.operator) for i in found] == [str(i.operator) for i in pikepdf.parse_content_stream(stream)]


def test_overlapping_pairs_are_exactly_the_overlapping_boxes():
    """The numpy spatial hash against all pairs, on boxes of every size and place (a
    deterministic spread, some empty, one huge)."""
    import numpy as np

    boxes = []
    for k in range(400):
        x, y = (k * 37.3) % 500.0 - 20.0, (k * 91.7) % 700.0 - 20.0
        w, h = 1.0 + (k * 13) % 30, 1.0 + (k * 7) % 25
        boxes.append((x, y, x + w, y + h))
    boxes += [(5.0, 5.0, 5.0, 9.0), (-9000.0, -9000.0, 9000.0, 9000.0), (1e7, 1e7, 1e7 + 5, 1e7 + 5)]
    array = np.array(boxes)
    brute = [(k, j) for k in range(len(boxes)) for j in range(k + 1, len(boxes))
             if boxes[k][0] < boxes[k][2] and boxes[k][1] < boxes[k][3] and boxes[j][0] < boxes[j][2]
             and boxes[j][1] < boxes[j][3] and boxes[k][0] < boxes[j][2] and boxes[j][0] < boxes[k][2]
             and boxes[k][1] < boxes[j][3] and boxes[j][1] < boxes[k][3]]
    assert _overlapping_pairs(array) == brute
    assert (400, 401) not in brute and (401, 402) not in brute and len(brute) > 400


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _cmyk_photo(colour: tuple[int, int, int, int], size=(300, 225)) -> PreparedImage:
    image = Image.new("CMYK", size, colour)
    return PreparedImage(image=image, ppi=150.0, source_ppi=150.0, max_ink=max_ink(image), warnings=())


@pytest.fixture(scope="module")
def pages(tmp_path_factory, photos):
    """Finalised one-page PDFs: name → (path, what was drawn)."""
    root = tmp_path_factory.mktemp("own")
    good = prepare_photo(photos["dark"], 144.0, 108.0)
    heavy = _cmyk_photo((230, 200, 200, 230))  # 337 % on every pixel
    out = {
        "good": (finalize(build_pdf(PageSpec(photo=good)), meta()), good),
        "heavy": (finalize(build_pdf(PageSpec(photo=heavy)), meta()), heavy),
        "rgb-text": (finalize(build_pdf(PageSpec(text_colour=("rgb", (0.0, 0.0, 0.0)), overprint=False)), meta()), None),
        "cyan-text": (finalize(build_pdf(PageSpec(text_colour=("cmyk", (1.0, 0.0, 0.0, 0.0)), bleed_tint=False)),
                               meta()), None),
        "helvetica": (finalize(build_pdf(PageSpec(font="Helvetica")), meta()), None),
        "low": (finalize(build_pdf(PageSpec(photo=prepare_photo(photos["144"], 144.0, 108.0))), meta()), None),
        "rgb-image": (build_pdf(PageSpec(raw_image=Image.new("RGB", (300, 225), (200, 30, 30)))), None),
    }
    return {name: (_write(root, f"{name}.pdf", data), drawn) for name, (data, drawn) in out.items()}


def _same_records(a, b) -> None:
    assert a.texts == b.texts
    assert a.paints == b.paints
    assert a.images == b.images
    assert a.problems == b.problems and a.problem_pages == b.problem_pages
    assert a.spots == b.spots


@pytest.mark.parametrize("name", ["good", "heavy", "rgb-text", "cyan-text", "helvetica", "low", "rgb-image"])
def test_shared_reading_records_what_preflights_own_interpreter_records(pages, name):
    with pikepdf.open(pages[name][0]) as pdf:
        _same_records(read_own(pdf).colour, pf._scan(pdf))


def test_shared_reading_of_a_page_with_forms_inline_images_and_spot_colours(tmp_path):
    """Forms (with their own resources and matrix), an inline image, a Separation and an
    unreadable operation: the shared reading still records what _scan records."""
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(200, 200), invariant=1)
    c.setFillColorCMYK(0, 0.5, 0, 0)
    c.rect(10, 10, 50, 50, stroke=0, fill=1)
    c.showPage()
    c.save()
    pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    page = pdf.pages[0]
    spot = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/PANTONE 185 C"), pikepdf.Name.DeviceCMYK,
                          pdf.make_indirect(pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0],
                                                               C1=[0, 0.9, 0.8, 0], N=1))])
    form = pdf.make_stream(b"/CS0 cs 0.7 scn 0 0 10 10 re f 1 0 0 RG 2 w 0 0 m 10 10 l S",
                           Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10],
                           Matrix=[2, 0, 0, 2, 30, 30],
                           Resources=pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(CS0=spot)))
    page.obj.Resources.XObject = pikepdf.Dictionary(Fm0=form)
    page.contents_add(pdf.make_stream(b"q /Fm0 Do Q q 20 0 0 20 100 100 cm BI /W 2 /H 1 /BPC 8 /CS /RGB ID "
                                      b"\x00\xff\x00\xff\x00\xff EI Q 1 0 0 rg 5 5 m 6 6 l f 1 2 cm"), prepend=False)
    path = tmp_path / "forms.pdf"
    pdf.save(path)
    with pikepdf.open(path) as pdf:
        shared, own = read_own(pdf).colour, pf._scan(pdf)
    _same_records(shared, own)
    assert {u.colour for u in own.paints} >= {"Separation PANTONE 185 C [0.7]", "DeviceRGB [1 0 0]"}
    assert [i.name for i in own.images] == ["inline"] and own.problems


def test_sample_reading_is_shared_with_the_same_findings(tmp_path):
    """verify with and without keeping the reading finds the same; preflight(own=True)
    with verify's reading reports exactly what it reports reading the file itself."""
    from pathlib import Path

    from paperlayout.build import lay_out, to_pdf
    from paperlayout.loader import load_issue
    from paperlayout.verify import verify_laid

    issue = load_issue(Path(__file__).resolve().parents[2] / "issues" / "dalate")
    laid = lay_out(issue)
    data, _ = to_pdf(laid)
    path = _write(tmp_path, "sample.pdf", data)
    plain, shared = verify_laid(data, laid), verify_laid(data, laid, readback=True)
    assert plain.diagnostics == shared.diagnostics and plain.figures == shared.figures and plain.ok
    with pikepdf.open(path) as pdf:
        _same_records(shared.readback.colour, pf._scan(pdf))
    mono = frozenset(p.number for p in issue.pages if not p.is_colour)
    alone = pf.preflight(path, ink_limit=laid.styles.ink_limit, own=True, mono_pages=mono)
    reused = pf.preflight(path, ink_limit=laid.styles.ink_limit, own=True, mono_pages=mono, readback=shared.readback)
    assert reused.to_json() == alone.to_json() and reused.ok
    ink = reused.check("ink").figures["pages"]
    assert [(f["page"], f["measured"]) for f in ink] == [(1, "content bound")]  # the colour page, not rendered
    assert 200.0 < ink[0]["max_ink"] <= laid.styles.ink_limit
    # a reading of other bytes is not used: the file is read again
    other = pf.preflight(path, ink_limit=laid.styles.ink_limit, own=True, mono_pages=mono,
                         readback=verify_laid(data + b"\n", laid, readback=True).readback)
    assert other.to_json() == alone.to_json()


# -- the checks that stand in for pdffonts, pdfimages and Ghostscript on own output --------


def test_own_good_colour_page_is_bounded_from_its_photo_not_rendered(pages):
    path, prepared = pages["good"]
    report = pf.preflight(path, own=True)
    assert report.ok, report.format()
    (page,) = report.check("ink").figures["pages"]
    assert page["measured"] == "content bound"
    assert page["max_ink"] == pytest.approx(prepared.max_ink, abs=0.05)  # the photo's darkest pixel, exactly
    assert page["plates"] == ["Black", "Cyan", "Magenta", "Yellow"]
    assert "1 bounded from content" in report.check("ink").details
    for name in ("fonts-pdffonts", "images-pdfimages", "qpdf"):
        assert report.check(name).status == "not-run"


def test_own_photo_over_the_ink_limit_is_not_bounded_and_is_caught(pages):
    path, heavy = pages["heavy"]
    assert heavy.max_ink == pytest.approx(337.25, abs=0.01)
    with pikepdf.open(path) as pdf:
        reading = read_own(pdf)
        (box, xobj, space), = reading.marks[1].images
        assert inkbound.image_ink(xobj, space) == (pytest.approx(337.25, abs=0.01), (True, True, True, True))
        peak, plates = inkbound.bound(reading.marks[1], reading.glyph_boxes(1), pf._ink_boxes(pdf)[1])
    assert peak == pytest.approx(337.25, abs=0.01) and plates == ["Black", "Cyan", "Magenta", "Yellow"]
    report = pf.preflight(path, own=True)
    ink = report.check("ink")
    if HAS_GS:  # rendered, as any page the bound cannot prove
        assert ink.status == "fail" and "measured" not in ink.figures["pages"][0]
        assert ink.errors == ("page 1: total ink 337 % exceeds 240 %",)
    else:
        assert ink.status == "not-run"


@pytest.mark.skipif(not HAS_GS, reason="Ghostscript not installed")
def test_own_cyan_text_on_a_black_only_page_is_caught(pages):
    report = pf.preflight(pages["cyan-text"][0], own=True, mono_pages=frozenset({1}))
    ink = report.check("ink")
    assert ink.figures["pages"][0]["plates"] == ["Black", "Cyan"]
    assert "page 1 is printed in black only but carries ink on Cyan" in ink.errors
    assert not report.ok


def test_bound_counts_only_what_meets_a_photo():
    """A 137 % photo with cyan text beside it: the bound is the photo's; a cyan square
    painted over the photo adds its 100 % there (237 %)."""
    photo = _cmyk_photo((150, 100, 100, 0))  # 137.25 %
    data = finalize(build_pdf(PageSpec(photo=photo, text_colour=("cmyk", (1.0, 0.0, 0.0, 0.0)))), meta())
    x, y, w, h = PHOTO_BOX
    with pikepdf.open(io.BytesIO(data)) as pdf:
        reading = read_own(pdf)
        alone = inkbound.bound(reading.marks[1], reading.glyph_boxes(1), pf._ink_boxes(pdf)[1])
    assert alone[0] == pytest.approx(137.25, abs=0.01)  # the text (x ≥ MARGIN + 180) misses the photo
    buffer = io.BytesIO(build_pdf(PageSpec(photo=photo)))
    pdf = pikepdf.open(buffer)
    pdf.pages[0].contents_add(pdf.make_stream(f"1 0 0 0 k {x + 10} {y + 10} 20 20 re f".encode()), prepend=False)
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        reading = read_own(pdf)
        peak, _ = inkbound.bound(reading.marks[1], reading.glyph_boxes(1), pf._ink_boxes(pdf)[1])
    assert peak == pytest.approx(237.25, abs=0.01)  # photo + the cyan square over it


def test_own_rgb_text_and_image_fail_the_colour_check(pages):
    report = pf.preflight(pages["rgb-text"][0], own=True, render_ink=False)
    assert any("DeviceRGB" in e and "text" in e for e in report.check("colour").errors)
    assert any("RGB text" in e for e in report.check("text").errors)
    report = pf.preflight(pages["rgb-image"][0], own=True, render_ink=False)
    assert any("image" in e and "DeviceRGB" in e and "RGB is not allowed" in e for e in report.check("colour").errors)
    assert not report.ok


def test_own_unembedded_font_fails_the_fonts_check(pages):
    report = pf.preflight(pages["helvetica"][0], own=True, render_ink=False)
    assert report.check("fonts").errors == ("font Helvetica (Type1) is not embedded",)
    assert report.check("fonts-pdffonts").status == "not-run" and not report.ok


def test_own_low_resolution_photo_fails_the_images_check(pages):
    report = pf.preflight(pages["low"][0], own=True, render_ink=False)
    images = report.check("images")
    assert images.status == "fail" and images.figures["pages"][0]["min_ppi"] == pytest.approx(72.0)
    assert "below the 150 ppi floor" in images.errors[0]


def _with_content(data: bytes, content: bytes, **resources) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    for key, value in resources.items():
        page.obj.Resources[pikepdf.Name("/" + key)] = value
    page.contents_add(pdf.make_stream(content), prepend=False)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("content, resources, why", [
    (b"q 20 M 0 0 1 0 K 1 w 100 100 m 140 102 l 100 104 l S Q", {}, "a miter limit of 20"),
    (b"q /Sh0 sh Q", {"Shading": pikepdf.Dictionary(Sh0=pikepdf.Dictionary(
        ShadingType=2, ColorSpace=pikepdf.Name.DeviceCMYK, Coords=[0, 0, 10, 0],
        Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 0, 0], N=1)))},
     "a shading"),
    (b"q 1 2 cm 0 0 5 5 re f Q", {}, "malformed content"),
    (b"q 1 0 0 1 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q", {}, "an inline image"),
])
def test_what_the_bound_does_not_model_sends_the_page_to_the_render(pages, content, resources, why):
    data = _with_content(pages["good"][0].read_bytes(), content, **resources)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        reading = read_own(pdf)
        assert inkbound.bound(reading.marks[1], reading.glyph_boxes(1), None) == why


def test_a_sharp_join_near_a_photo_reaches_it(pages):
    """A 2 pt cyan stroke with a sharp miter join 3 pt left of the photo: its points stay
    clear of the photo, its miter (up to 10 × 1 pt) does not — the bound counts both."""
    x, y, w, h = PHOTO_BOX
    data = pages["good"][0].read_bytes()
    spike = f"q 1 0 0 0 K 2 w {x - 40} {y + 50} m {x - 3} {y + 52} l {x - 40} {y + 54} l S Q".encode()
    line = f"q 1 0 0 0 K 2 w {x - 40} {y + 50} m {x - 3} {y + 50} l S Q".encode()
    with pikepdf.open(pages["good"][0]) as pdf:
        reading = read_own(pdf)
        alone, _ = inkbound.bound(reading.marks[1], reading.glyph_boxes(1), pf._ink_boxes(pdf)[1])
    assert alone == pytest.approx(pages["good"][1].max_ink, abs=0.05)
    for content, expected in ((line, alone), (spike, alone + 100.0)):
        with pikepdf.open(io.BytesIO(_with_content(data, content))) as pdf:
            reading = read_own(pdf)
            peak, _ = inkbound.bound(reading.marks[1], reading.glyph_boxes(1), pf._ink_boxes(pdf)[1])
        assert peak == pytest.approx(expected, abs=0.01)


def test_own_page_with_transparency_is_rendered_not_bounded(pages):
    data = _with_content(pages["good"][0].read_bytes(), b"q /Half gs 0 1 0 0 k 10 10 30 30 re f Q",
                         ExtGState=pikepdf.Dictionary(Half=pikepdf.Dictionary(ca=0.5)))
    path = pages["good"][0].with_name("transparent.pdf")
    path.write_bytes(data)
    report = pf.preflight(path, own=True)
    assert report.check("transparency").status == "fail"
    ink = report.check("ink")
    assert "bounded from content" not in ink.details
    if HAS_GS:
        assert "measured" not in ink.figures["pages"][0]


def test_shared_reading_follows_text_state_between_text_operations(tmp_path):
    """Text records carry size from the text matrix and colour from the state: a scaled Tm,
    a colour change and a TL between Tj operations each give the records _scan gives."""
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(200, 200), invariant=1)
    c.setFont("Helvetica", 9)
    c.drawString(10, 10, "x")
    c.showPage()
    c.save()
    pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    font = next(iter(pdf.pages[0].obj.Resources.Font.keys()))
    pdf.pages[0].contents_add(pdf.make_stream(
        f"BT {font} 9 Tf 1 0 0 1 10 10 Tm (a) Tj 2 0 0 2 10 30 Tm (b) Tj 2 0 0 2 50 30 Tm (c) Tj 10.8 TL (d) Tj "
        f"0 1 0 0 k (e) Tj 1 0 0 1 10 60 Tm (f) Tj T* (g) Tj 3 Tr (h) Tj ET".encode()), prepend=False)
    path = tmp_path / "text.pdf"
    pdf.save(path)
    with pikepdf.open(path) as pdf:
        shared, own = read_own(pdf).colour, pf._scan(pdf)
    _same_records(shared, own)
    assert [(t.size, t.colour) for t in own.texts][-7:] == [  # a … g; h is invisible (3 Tr): no record
        (9.0, "DeviceGray [0]"), (18.0, "DeviceGray [0]"), (18.0, "DeviceGray [0]"), (18.0, "DeviceGray [0]"),
        (18.0, "DeviceCMYK [0 1 0 0]"), (9.0, "DeviceCMYK [0 1 0 0]"), (9.0, "DeviceCMYK [0 1 0 0]")]
