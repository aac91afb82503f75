"""Helpers for the press tests: small reportlab pages, test photos, Ghostscript separations.

Pages are built the way render/pdf.py builds them: reportlab canvas with invariant=1,
TrimBox/BleedBox set, MediaBox = trim + bleed + mark space, K-only overprinting text.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

import reportlab
from paperlayout.render.images import PreparedImage, encode_for_pdf
from paperlayout.render.marks import draw_marks, mark_margin
from paperlayout.render.pdfx import PdfMeta
from paperlayout.units import mm

TRIM_W, TRIM_H = 288.0, 216.0  # 4 × 3 in
BLEED = mm(3.0)
MARGIN = mark_margin(BLEED)
MEDIA = (TRIM_W + 2 * MARGIN, TRIM_H + 2 * MARGIN)
TRIM = (MARGIN, MARGIN, MARGIN + TRIM_W, MARGIN + TRIM_H)
BLEED_BOX = (MARGIN - BLEED, MARGIN - BLEED, MARGIN + TRIM_W + BLEED, MARGIN + TRIM_H + BLEED)
#: Where test photos go: 2 in wide, 1.5 in high, inside the trim.
PHOTO_BOX = (MARGIN + 18.0, MARGIN + 54.0, 144.0, 108.0)
DATE = dt.datetime(2025, 3, 1, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
VERA = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")
HAS_GS = shutil.which("gs") is not None


def register_vera() -> str:
    """Register reportlab's bundled Vera (TrueType, embeddable) and return its name."""
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", VERA))
    return "Vera"


@dataclass(frozen=True)
class PageSpec:
    """What to put on a test page.

    text_colour: ("cmyk", (c, m, y, k)) or ("rgb", (r, g, b)), values 0–1.
    font: "Vera" (embedded TrueType) or "Helvetica" (standard 14, not embedded).
    photo: a prepared image drawn at PHOTO_BOX, or None.
    raw_image: a PIL image drawn as-is (ImageReader) at PHOTO_BOX, or None.
    """

    text_colour: tuple = ("cmyk", (0.0, 0.0, 0.0, 1.0))
    text_size: float = 9.0
    overprint: bool = True
    font: str = "Vera"
    photo: PreparedImage | None = None
    raw_image: Image.Image | None = None
    marks: bool = True
    bleed_tint: bool = True
    title: str = "test page"


def build_pdf(spec: PageSpec = PageSpec()) -> bytes:
    """A one-page reportlab PDF following ``spec`` (bytes, invariant)."""
    font = register_vera() if spec.font == "Vera" else spec.font
    buffer = io.BytesIO()
    # reportlab's page preamble selects initialFontName (default Helvetica, never embedded):
    # point it at the embedded font or every page carries an unembedded Helvetica resource.
    c = rl_canvas.Canvas(buffer, pagesize=MEDIA, invariant=1, initialFontName=register_vera())
    c.setTrimBox(TRIM)
    c.setBleedBox(BLEED_BOX)
    if spec.bleed_tint:  # a 20 % cyan band running into the bleed at the top
        c.setFillColorCMYK(0.2, 0, 0, 0)
        x0, y0, x1, y1 = BLEED_BOX
        c.rect(x0, y1 - 30, x1 - x0, 30, stroke=0, fill=1)
    x, y, w, h = PHOTO_BOX
    if spec.photo is not None:
        c.drawImage(encode_for_pdf(spec.photo), x, y, w, h)
    if spec.raw_image is not None:
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(spec.raw_image), x, y, w, h)
    c.saveState()
    space, values = spec.text_colour
    if space == "cmyk":
        c.setFillColorCMYK(*values)
    else:
        c.setFillColorRGB(*values)
    c.setFillOverprint(spec.overprint)
    c.setOverprintMask(spec.overprint)
    c.setFont(font, spec.text_size)
    for line in range(4):
        c.drawString(MARGIN + 180.0, MARGIN + 140.0 - line * 12.0, f"Body text line {line + 1}")
    c.restoreState()
    c.saveState()  # a 0.5 pt K rule, overprinting like the text
    c.setStrokeColorCMYK(0, 0, 0, 1)
    c.setStrokeOverprint(spec.overprint)
    c.setOverprintMask(spec.overprint)
    c.setLineWidth(0.5)
    c.line(MARGIN + 18.0, MARGIN + 40.0, MARGIN + TRIM_W - 18.0, MARGIN + 40.0)
    c.restoreState()
    if spec.marks:
        draw_marks(c, TRIM, BLEED)
    c.showPage()
    c.save()
    return buffer.getvalue()


def meta(**overrides) -> PdfMeta:
    fields = {"title": "Test 测试", "author": "Press tests", "subject": "PDF/X", "creation_date": DATE}
    fields.update(overrides)
    return PdfMeta(**fields)


def photo(path: Path, size: tuple[int, int], *, dark: bool = False, icc: bool = False) -> Path:
    """A deterministic synthetic photo: colour gradients, optionally very dark/saturated."""
    width, height = size
    image = Image.new("RGB", size)
    pixels = []
    for row in range(height):
        for col in range(width):
            r = 255 * col // max(width - 1, 1)
            g = 255 * row // max(height - 1, 1)
            b = 255 - (r + g) // 2
            if dark:
                r, g, b = r // 6, g // 8, 40 + b // 5
            pixels.append((r, g, b))
    image.putdata(pixels)
    options = {}
    if icc:
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, **options)
    return path


def separations(pdf: Path | bytes, dpi: int = 72, *, box: str = "") -> dict[str, Image.Image]:
    """Render page 1 with Ghostscript tiffsep; plate name → "L" image of ink (255 = solid)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        if isinstance(pdf, bytes):
            source.write_bytes(pdf)
        else:
            shutil.copy(pdf, source)
        args = ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}"]
        if box:
            args.append(box)
        subprocess.run(args + [f"-sOutputFile={tmp}/s%d.tif", str(source)], check=True, env=dict(os.environ))
        plates = {}
        for sep in sorted(Path(tmp).glob("s1(*).tif")):
            name = sep.name[sep.name.index("(") + 1 : sep.name.rindex(")")]
            with Image.open(sep) as im:
                plates[name] = im.point(lambda v: 255 - v).convert("L")
        return plates
