"""render/images: crop, resample, separation, ink limit; how reportlab embeds the result."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from press_helpers import HAS_GS, PageSpec, build_pdf, meta, separations
from reportlab.pdfgen import canvas as rl_canvas

from paperlayout.render.images import (
    PreparedImage,
    default_output_profile,
    encode_for_pdf,
    limit_ink,
    max_ink,
    prepare_photo,
)
from paperlayout.render.pdfx import finalize

COATED = Path("/usr/share/scribus/profiles/ISOcoated_v2_300_bas.icc")
REPO = Path(__file__).resolve().parents[2]


def test_400_px_placed_2_in_is_200_ppi(photos):
    p = prepare_photo(photos["400"], 144.0, 108.0)
    assert p.image.mode == "CMYK" and p.image.size == (400, 300)
    assert p.ppi == pytest.approx(200.0) and p.source_ppi == pytest.approx(200.0)
    assert p.warnings == ()


def test_higher_resolution_is_resampled_to_target(photos):
    p = prepare_photo(photos["1000"], 144.0, 108.0)  # tagged sRGB
    assert p.source_ppi == pytest.approx(500.0)
    assert p.image.size == (400, 300) and p.ppi == pytest.approx(200.0)


def test_low_resolution_keeps_pixels_and_warns_naming_the_file(photos):
    p = prepare_photo(photos["144"], 144.0, 108.0)
    assert p.image.size == (144, 108)  # never upsampled
    assert p.source_ppi == pytest.approx(72.0) and p.ppi == pytest.approx(72.0)
    assert len(p.warnings) == 1 and "p144.png" in p.warnings[0] and "72 ppi" in p.warnings[0]


def test_cover_crop_is_centred(photos):
    p = prepare_photo(photos["wide"], 144.0, 108.0)  # 3:1 source into a 4:3 box
    x0, y0, x1, y1 = p.crop_px
    assert (y0, y1) == (0.0, 200.0)
    assert x1 - x0 == pytest.approx(200.0 * 4 / 3)
    assert x0 == pytest.approx(600.0 - x1)
    assert p.source_ppi == pytest.approx(200.0 * 4 / 3 / 2)
    assert not any("trimmed" in w for w in p.warnings)  # cover crops are expected


def test_editor_crop_with_other_aspect_is_trimmed_not_stretched(photos):
    p = prepare_photo(photos["wide"], 144.0, 108.0, crop=(0.0, 0.0, 0.5, 1.0))
    x0, _, x1, _ = p.crop_px
    assert x1 - x0 == pytest.approx(200.0 * 4 / 3)
    assert any("trimmed" in w for w in p.warnings)
    with pytest.raises(ValueError):
        prepare_photo(photos["wide"], 144.0, 108.0, crop=(0.5, 0.0, 0.2, 1.0))


def test_dark_saturated_rgb_is_measured_under_the_limit(photos):
    p = prepare_photo(photos["dark"], 144.0, 96.0)
    assert p.max_ink <= 240.0
    assert p.max_ink == pytest.approx(max_ink(p.image))
    assert p.max_ink > 150.0  # it is dark: the measurement is real


def test_ink_limit_is_enforced_when_the_source_exceeds_it(tmp_path):
    source = tmp_path / "solid.tif"
    Image.new("CMYK", (40, 30), (255, 255, 255, 255)).save(source)  # untagged: output CMYK
    p = prepare_photo(source, 20.0, 15.0)
    assert p.ink_before_limit == pytest.approx(400.0)
    assert p.max_ink <= 240.0 and p.max_ink == pytest.approx(240.0)
    assert p.image.getpixel((0, 0)) == (119, 119, 119, 255)


@pytest.mark.skipif(not COATED.exists(), reason="scribus-data ISOcoated profile not installed")
def test_ink_limit_with_a_coated_plant_profile(photos):
    p = prepare_photo(photos["dark"], 144.0, 96.0, output_profile=COATED)
    assert p.ink_before_limit > 240.0  # FOGRA39 allows ~300 %: the profile alone does not do it
    assert p.max_ink <= 240.0


def test_limit_ink_gcr_then_scale():
    image = Image.new("CMYK", (4, 1))
    image.putdata([(255, 255, 255, 255), (200, 180, 170, 100), (10, 10, 10, 10), (255, 0, 0, 255)])
    out = limit_ink(image, 240.0)
    assert list(out.get_flattened_data()) == [
        (119, 119, 119, 255),  # K full: CMY scaled to 240 % − K
        (181, 161, 151, 119),  # grey component 19 moved from CMY to K
        (10, 10, 10, 10),  # under the limit: untouched
        (255, 0, 0, 255),  # 200 %: untouched
    ]
    assert max_ink(out) == pytest.approx(240.0)


def test_same_input_same_pixels(photos):
    a = prepare_photo(photos["1000"], 100.0, 80.0)
    b = prepare_photo(photos["1000"], 100.0, 80.0)
    assert a.image.tobytes() == b.image.tobytes()
    assert (a.ppi, a.source_ppi, a.max_ink, a.warnings) == (b.ppi, b.source_ppi, b.max_ink, b.warnings)


def test_gray_mode_uses_the_k_tone_curve(tmp_path):
    source = tmp_path / "steps.png"
    steps = Image.new("RGB", (3, 1))
    steps.putdata([(255, 255, 255), (128, 128, 128), (0, 0, 0)])
    steps.resize((300, 100), Image.Resampling.NEAREST).save(source)
    p = prepare_photo(source, 72.0, 24.0, mode="gray", target_ppi=300.0)
    assert p.image.mode == "L"
    white, mid, black = (p.image.getpixel((x, 50)) for x in (50, 150, 250))
    assert white == 255 and black == 0  # paper stays paper, black is solid K
    assert 255 * 0.35 < 255 - mid < 255 * 0.65  # mid grey, dot gain compensated
    assert p.max_ink == pytest.approx(100.0)


def test_exif_orientation_alpha_and_16_bit(tmp_path):
    rotated = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    Image.new("RGB", (300, 200), (200, 30, 30)).save(rotated, exif=exif.tobytes())
    assert prepare_photo(rotated, 100.0, 150.0).crop_px == (0.0, 0.0, 200.0, 300.0)

    transparent = tmp_path / "alpha.png"
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(transparent)
    flat = prepare_photo(transparent, 20.0, 20.0)
    assert flat.max_ink == 0.0  # transparent → white paper, no ink

    deep = tmp_path / "deep.png"
    Image.new("I;16", (40, 40), 65535).save(deep)
    assert prepare_photo(deep, 20.0, 20.0).max_ink == 0.0


def _flat(colour=(30, 120, 200, 60)) -> PreparedImage:
    return PreparedImage(image=Image.new("CMYK", (400, 300), colour), ppi=200.0, source_ppi=200.0,
                         max_ink=sum(colour) * 100 / 255, warnings=())


def _image_xobject(pdf_bytes: bytes):
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        (image,) = [v for v in page.resources.XObject.values() if v.Subtype == "/Image"]
        decode_all = image.get("/Filter") in ("/FlateDecode", pikepdf.Array([pikepdf.Name.ASCII85Decode, pikepdf.Name.FlateDecode]))
        return dict(image.items()), image.read_bytes() if decode_all else image.read_raw_bytes()


def test_reportlab_writes_cmyk_pil_images_as_device_cmyk():
    flat = _flat()
    raw = build_pdf(PageSpec(photo=flat, marks=False))
    info, data = _image_xobject(raw)
    assert info["/ColorSpace"] == "/DeviceCMYK" and int(info["/BitsPerComponent"]) == 8
    assert "/Decode" not in info and "/SMask" not in info
    assert list(info["/Filter"]) == ["/ASCII85Decode", "/FlateDecode"]  # rl_config.useA85
    assert data == flat.image.tobytes()  # raw C, M, Y, K bytes, not inverted
    info, data = _image_xobject(finalize(raw, meta()))
    assert info["/Filter"] == "/FlateDecode"  # qpdf drops the ASCII85 layer on save
    assert data == flat.image.tobytes()


def test_jpeg_encoding_is_adobe_inverted_and_marked_so():
    jpeg = encode_for_pdf(_flat(), jpeg_quality=95)
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, invariant=1)
    c.drawImage(jpeg, 0, 0, 144, 108)
    c.save()
    info, _ = _image_xobject(buffer.getvalue())
    assert list(info["/Filter"])[-1] == "/DCTDecode"  # JPEG bytes copied through
    assert [int(v) for v in info["/Decode"]] == [1, 0, 1, 0, 1, 0, 1, 0]


@pytest.mark.skipif(not HAS_GS, reason="Ghostscript not installed")
@pytest.mark.parametrize("jpeg_quality", [None, 95])
def test_plates_carry_the_prepared_values(jpeg_quality):
    """Rendered separations show the plate values we prepared (both encodings)."""
    flat = _flat((30, 120, 200, 60))
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(200, 200), invariant=1)
    c.drawImage(encode_for_pdf(flat, jpeg_quality=jpeg_quality), 20, 20, 144, 108)
    c.save()
    plates = separations(buffer.getvalue(), dpi=72)
    centre = (20 + 72, 200 - (20 + 54))
    got = tuple(plates[name].getpixel(centre) for name in ("Cyan", "Magenta", "Yellow", "Black"))
    tolerance = 1 if jpeg_quality is None else 4
    assert all(abs(g - e) <= tolerance for g, e in zip(got, (30, 120, 200, 60))), got


def test_wrapped_images_give_stable_bytes():
    """drawImage takes an ImageReader (bare PIL images raise TypeError in reportlab 5.1);
    equal pixels in two different objects must give identical files."""

    def draw(prepared) -> bytes:
        buffer = io.BytesIO()
        c = rl_canvas.Canvas(buffer, invariant=1)
        c.drawImage(encode_for_pdf(prepared), 0, 0, 144, 108)
        c.save()
        return buffer.getvalue()

    assert draw(_flat()) == draw(_flat())


def test_default_profile_is_shipped_package_data():
    profile = default_output_profile()
    data = profile.read_bytes()
    assert data[36:40] == b"acsp" and data[12:16] == b"prtr" and data[16:20] == b"CMYK"
    assert (profile.parent / "README.md").exists()


def test_a_real_photograph_if_present(tmp_path):
    photos_dir = REPO / "issues" / "dalate" / "photos"
    found = sorted(p for p in photos_dir.glob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".tif", ".tiff")) \
        if photos_dir.is_dir() else []
    if not found:
        pytest.skip("no photographs in issues/dalate/photos yet")
    p = prepare_photo(found[0], 144.0, 108.0)
    assert p.image.mode == "CMYK" and p.max_ink <= 240.0
    assert p.ppi == pytest.approx(200.0) and p.source_ppi >= p.ppi
    gray = prepare_photo(found[0], 144.0, 108.0, mode="gray")
    assert gray.image.mode == "L" and gray.image.size == p.image.size
    if HAS_GS:  # the whole way: page, PDF/X, preflight with measured ink
        from paperlayout.preflight import preflight

        path = tmp_path / "real.pdf"
        path.write_bytes(finalize(build_pdf(PageSpec(photo=p)), meta()))
        report = preflight(path)
        assert report.ok, report.format()
        assert report.check("ink").figures["pages"][0]["max_ink"] <= 240.0


def test_jpeg_that_would_break_the_ink_limit_falls_back_to_lossless():
    """A hard 240 % edge rings in JPEG; the encoder measures and keeps Flate instead."""
    image = Image.new("CMYK", (64, 64), (0, 0, 0, 0))
    for x in range(64):
        if (x // 5) % 2:  # 5 px stripes of paper and a 240 % dark grey
            for y in range(64):
                image.putpixel((x, y), (153, 153, 153, 153))
    prepared = PreparedImage(image=image, ppi=200.0, source_ppi=200.0, max_ink=max_ink(image), warnings=(),
                             ink_limit=max_ink(image))
    reader = encode_for_pdf(prepared, jpeg_quality=50)
    assert reader._image is prepared.image  # lossless fallback
    generous = PreparedImage(image=image, ppi=200.0, source_ppi=200.0, max_ink=max_ink(image), warnings=(),
                             ink_limit=400.0)
    assert encode_for_pdf(generous, jpeg_quality=50)._image.format == "JPEG"
