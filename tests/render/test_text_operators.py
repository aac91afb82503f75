"""issue 11 (speed): the renderer writes text lines and photos with its own operators
(render/pdfops.py, pdf._Page.text, pdf._picture) instead of reportlab's text objects and
drawImage — and must write exactly their bytes. Each test draws the same page both ways and
compares reportlab's uncompressed draft byte for byte."""

from __future__ import annotations

import random
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from render_helpers import BLEED, HEIGHT, LEFT, TOP, WIDTH, compose_lines
from reportlab.lib.rl_accel import _py_fp_str

from paperlayout.frames import BLACK, Cell, Cmyk, PageFrame, Picture, Rect, Rule, StoryFrame, TextLine
from paperlayout.render import pdf as render_pdf
from paperlayout.render.pdf import RenderOptions, render
from paperlayout.render.pdfops import fp, fp_str

SAMPLE_PHOTOS = Path(__file__).resolve().parents[2] / "issues" / "dalate" / "photos"
RED = Cmyk(m=1.0, y=1.0)


def test_numbers_are_written_as_reportlab_writes_them():
    rng = random.Random(11)
    values = [0, 1, -1, 10, 100, 1000, 1e4, 1e6, 0.1, 1e-7, 2e-7, -2e-7, 0.5, -0.5, 0.05, 999.9999999,
              99.99999999, 1.0000001, 117.0, 9 * 1.2, 10.5 * 1.2, 1000.0000001, 0.30000000000000004]
    values += [rng.uniform(-1, 1) * 10 ** e for e in range(-9, 8) for _ in range(300)]
    values += [k / 100 for k in range(-500, 5000)]
    assert [fp(v) for v in values] == [_py_fp_str(v) for v in values]
    assert fp_str(1, 0.5, 1000.25) == _py_fp_str(1, 0.5, 1000.25) == "1 .5 1000.25"


class _ReportlabPage(render_pdf._Page):
    """The renderer as it drew lines before issue 11: reportlab's text object, run by run."""

    def text(self, item: TextLine) -> None:
        runs = render_pdf.glyph_runs(item.line, self.fonts)
        if not runs:
            return
        c, size = self.c, item.line.size
        base_x, base_y = self.X(item.x), self.Y(item.y)
        c.saveState()
        self.colour(item.color)
        if any(run.stroke for run in runs):
            self.colour(item.color, stroke=True)
            c.setLineJoin(1)
        k = 0
        while k < len(runs):
            stroke = runs[k].stroke
            if stroke:
                c.setLineWidth(stroke * size)
            t = c.beginText()
            if stroke:
                t.setTextRenderMode(2)
            face, scale = None, 1.0
            while k < len(runs) and runs[k].stroke == stroke:
                run = runs[k]
                if run.face != face:
                    t.setFont(run.face, size)
                    face = run.face
                if run.scale != scale:
                    t.setHorizScale(run.scale * 100)
                    scale = run.scale
                t.setTextOrigin(base_x + run.x, base_y)
                t.textOut(run.text)
                k += 1
            if scale != 1.0:
                t.setHorizScale(100)
            if stroke:
                t.setTextRenderMode(0)
            c.drawText(t)
        c.restoreState()


def _reportlab_picture(state, item, number, drawn, compress=True):
    """A photo as before issue 11: canvas.drawImage over an ImageReader."""
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader

    if drawn.kind == "jpeg":
        reader = ImageReader(io.BytesIO(drawn.data))
    else:
        reader = ImageReader(Image.frombytes(drawn.mode, tuple(drawn.size), drawn.data))
    state.c.drawImage(reader, state.X(item.x), state.Y(item.y + item.h), item.w, item.h)
    return render_pdf.PhotoFigure(number, item.path, drawn.ppi, drawn.source_ppi, drawn.max_ink, drawn.warnings)


#: Copy that exercises every kind of run: more than 256 different characters in one face
#: (several subsets), a rare character from a lighter fallback face (emboldened: a stroked
#: text object), a scaled —— (Tz), opening marks set at half width (dx), Latin, digits, the
#: characters PDF strings escape ( ) \ and a no-break space.
_COPY = (
    ("“达拉特旗”——黄河几字弯南岸的旗县（2025年），人口约36万。"
     "鄂尔多斯高原北缘，库布其沙漠横贯东西；治沙、光伏、羊绒与煤炭撑起一方经济。", "serif"),
    ("吉𠮷吉：一个罕见的字从楷体借来并加粗描边，与黑体的笔画同重。(a)\\b 100\u00a0km", "serif-black"),
    ("".join(chr(0x4E00 + 37 * k) for k in range(320)), "serif"),
    ("标题字——“重点”《报道》，小标题与正文混排。ABC xyz 2025.", "sans-bold"),
)


def _pages(fonts, with_photos: bool = False) -> list[PageFrame]:
    lines = compose_lines(fonts, _COPY, measure_em=24, size=9.0)
    colours = (BLACK, RED, BLACK, Cmyk(c=0.2, k=0.6))
    items = []
    for k, line in enumerate(lines):
        items.append(TextLine(LEFT, TOP + 14.0 * k, line, colours[k % len(colours)], story="s"))
        if k % 5 == 2:  # page-level colour changes between lines (ExtGState outside q … Q)
            items.append(Rule(LEFT, TOP + 14.0 * k + 3, LEFT + 200, TOP + 14.0 * k + 3, 0.5, RED if k % 2 else BLACK))
        if k % 7 == 3:
            items.append(Rect(LEFT, TOP + 14.0 * k + 4, 30, 5, fill=RED))
    if with_photos:
        photos = sorted(SAMPLE_PHOTOS.glob("*.jpg"))[:3]
        items += [Picture(LEFT + 60 * j, 20.0, 55.0, 40.0, str(p), story="s") for j, p in enumerate(photos)]
        items.append(Picture(LEFT + 200, 20.0, 55.0, 40.0, str(photos[0]), story="s"))  # the same photo again
    story = StoryFrame("s", Cell(0, 0, 1, 1), tuple(items))
    return [PageFrame(n, WIDTH, HEIGHT, BLEED, (), (story,)) for n in (1, 2)]


def _draft(pages, fonts, monkeypatch, reference: bool, **options) -> bytes:
    with monkeypatch.context() as m:
        if reference:
            m.setattr(render_pdf, "_Page", _ReportlabPage)
            m.setattr(render_pdf, "_picture", _reportlab_picture)
        data, _ = render(pages, fonts, RenderOptions(marks=True, colour_pages=frozenset({1}), **options))
    return data


def test_text_lines_are_the_operators_reportlabs_text_objects_wrote(fonts, monkeypatch):
    pages = _pages(fonts)
    ours = _draft(pages, fonts, monkeypatch, reference=False, compress=False)
    theirs = _draft(pages, fonts, monkeypatch, reference=True, compress=False)
    assert b" 2 Tr" in ours and b"Tz" in ours and b"+1 " in ours  # stroked, scaled, second subset
    assert b"\\(" in ours and b"\\\\" in ours  # escaped string characters
    assert ours == theirs


def test_photos_are_the_xobjects_reportlabs_drawimage_wrote(fonts, monkeypatch):
    pages = _pages(fonts, with_photos=True)
    ours = _draft(pages, fonts, monkeypatch, reference=False, compress=True)
    theirs = _draft(pages, fonts, monkeypatch, reference=True, compress=True)
    assert ours.count(b"/Subtype /Image") == 6  # CMYK on page 1, gray on page 2; placed twice, drawn once
    assert ours == theirs


def test_a_lossless_plate_left_uncompressed_holds_the_same_pixels(fonts, monkeypatch):
    """A plate whose JPEG would exceed the ink limit is drawn losslessly: uncompressed in the
    draft of an X-1a build (the finaliser compresses it), the pixels drawImage wrote."""
    import io

    from paperlayout.render import photocache

    drawable = photocache.drawable

    def lossless(*args, **kwargs):
        made = drawable(*args, **kwargs)
        if made.kind == "raw":
            return made
        image = Image.open(io.BytesIO(made.data))
        pixels = image.tobytes()
        return photocache.Drawable("raw", pixels, photocache.xobject_name(pixels), made.ppi, made.source_ppi,
                                   made.max_ink, made.warnings, image.mode, image.size)

    monkeypatch.setattr(render_pdf, "drawable", lossless)
    pages = _pages(fonts, with_photos=True)
    packed = _draft(pages, fonts, monkeypatch, reference=True, compress=True)
    plain = _draft(pages, fonts, monkeypatch, reference=False, compress=False)

    def images(data: bytes) -> list:
        pdf = pikepdf.open(io.BytesIO(data))
        return sorted(o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image")

    assert len(images(plain)) == 6
    assert images(plain) == images(packed)
    assert plain.count(b"/Filter [  ]") == 6 and packed.count(b"/Filter [ /FlateDecode ]") >= 6


@pytest.mark.parametrize("text", ["", "\n"])
def test_lines_that_draw_nothing_write_nothing(fonts, text):
    from paperlayout.text import Glyph, Line

    line = Line((Glyph(text, "serif", 0.0, 0.0),), 0.0, 100.0, 9.0, True)
    assert render_pdf.glyph_runs(line, fonts) == []
