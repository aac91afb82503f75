"""The PDF renderer: PageFrames → PDF bytes with reportlab (the only reportlab.pdfgen user).

Converts the engine's coordinates (pt, origin at the trim's top-left, y down) once, here, to
PDF's (origin at the MediaBox's bottom-left, y up). Text is drawn glyph run by glyph run at
the positions the composer computed, each line inside its own ``q … Q`` so that no render
state (scale, render mode, line width, colour) reaches the next; black text and rules are
100 % K set to overprint, coloured and reversed elements knock out. Fonts are embedded as
TrueType subsets (their tags and ToUnicode CMaps are fixed by render/pdfx.fix_fonts).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from .. import cache
from ..fonts import FontBook
from ..frames import Cmyk, PageFrame, Picture, Rect, Rule, TextLine
from ..placeholder import is_placeholder
from ..text import Line
from .fontcache import tt_font
from .images import MAX_PIXELS
from .marks import draw_marks, mark_margin
from .photocache import Plates, encode_for_pdf, prepare  # plates and JPEGs from the cache when seen before


@dataclass(frozen=True)
class RenderOptions:
    """Output choices (never typography): marks, colour pages, photo processing.

    ink_limit: total area coverage, %; photo_ppi: px per inch at placed size; max_pixels:
    largest photo decoded, w × h px (limits.Limits.image_pixels).
    """

    marks: bool = True
    colour_pages: frozenset[int] = frozenset({1})
    output_profile: Path | None = None
    ink_limit: float = 240.0
    photo_ppi: float = 200.0
    title: str = ""
    author: str = ""
    max_pixels: int = MAX_PIXELS


@dataclass(frozen=True)
class PhotoFigure:
    """What happened to one placed photo (for the report)."""

    page: int
    path: str
    ppi: float
    source_ppi: float
    max_ink: float
    warnings: tuple[str, ...]


def as_gray(col: Cmyk) -> Cmyk:
    """A process colour as K alone for a mono page: K plus the inks' luminance weights
    (red 100 M + 100 Y → 70 % K), so a coloured element keeps its weight on the page."""
    return Cmyk(k=min(1.0, col.k + 0.30 * col.c + 0.59 * col.m + 0.11 * col.y))


def register_fonts(fonts: FontBook, faces: list[str]) -> None:
    """Register each face with reportlab under its face key (idempotent). The parsed font
    tables come from the on-disk cache (paperlayout.cache) when it holds this file's
    content hash — same tables, same PDF bytes — and the file is read only to subset it."""
    known = set(pdfmetrics.getRegisteredFontNames())
    store = cache.default_store()
    for face in faces:
        if face not in known:
            pdfmetrics.registerFont(tt_font(face, fonts.path(face), store))


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs drawn by one text-showing operator: the same face, scale and stroke, each
    starting where the previous one's advance ends.

    x: pt from the line's origin where the run's first glyph origin is drawn; text: the
    code points drawn; scale: horizontal scale (1.0 = 100 %); stroke: em of the size, the
    outline stroke of emboldened fallback glyphs (0.0: fill only).
    """

    face: str
    x: float
    text: str
    scale: float = 1.0
    stroke: float = 0.0


def glyph_runs(line: Line, fonts: FontBook) -> list[GlyphRun]:
    """Cut ``line`` into the runs the renderer draws.

    A glyph joins the previous run only when both are drawn at their natural advance
    (no dx, no scale, no substitute, no stroke, in the same face) and it starts exactly where
    the previous one ends; every other glyph starts a run of its own, carrying its own
    scale and stroke. Zero-width forced line ends and blank glyphs draw nothing.
    """
    size = line.size
    runs: list[GlyphRun] = []
    end = None  # x where the last natural run ends, or None
    for g in line.glyphs:
        shown = g.text if g.draw is None else g.draw
        if not shown or shown == "\n":
            continue
        natural = (g.dx == 0 and g.hscale == 1.0 and g.draw is None and not g.embolden and len(shown) == 1
                   and abs(fonts.advance(g.face, shown) * size - g.width) < 1e-6)
        if natural and end is not None and runs[-1].face == g.face and abs(end - g.x) < 1e-6:
            last = runs[-1]
            runs[-1] = GlyphRun(last.face, last.x, last.text + shown)
        else:
            runs.append(GlyphRun(g.face, g.x + g.dx, shown, g.hscale, g.embolden))
        end = g.x + g.width if natural else None
    return runs


class _Page:
    """Drawing state for one page: offset of the trim inside the MediaBox, media height."""

    def __init__(self, c: rl_canvas.Canvas, fonts: FontBook, origin: float, media_h: float, in_colour: bool = True):
        self.c, self.fonts, self.origin, self.media_h = c, fonts, origin, media_h
        self.in_colour = in_colour  # a mono page (黑白版) is printed from the K plate alone

    def X(self, x: float) -> float:
        return self.origin + x

    def Y(self, y: float) -> float:
        return self.media_h - self.origin - y

    def colour(self, col: Cmyk, stroke: bool = False) -> None:
        c = self.c
        if not self.in_colour and not col.is_gray:
            col = as_gray(col)
        setter = c.setStrokeColorCMYK if stroke else c.setFillColorCMYK
        setter(col.c, col.m, col.y, col.k)
        black = col.is_gray and col.k >= 1.0
        (c.setStrokeOverprint if stroke else c.setFillOverprint)(black)
        c.setOverprintMask(black)  # OPM 1: a 0 0 0 1 k fill leaves the C, M, Y plates beneath untouched

    def text(self, item: TextLine) -> None:
        """Draw one line, glyph run by glyph run (see ``glyph_runs``).

        Render state never outlives the line: the line is drawn inside ``q … Q`` (colour,
        overprint, line width, font, horizontal scale, render mode all come back), and each
        text object ends at 100 % scale and render mode 0, so the next text object starts
        from the state reportlab assumes. (A line ending in a scaled ——, whose ``Tz`` was
        never reset, once drew every later line at 117 % width.)

        A fallback glyph with ``embolden`` is filled and stroked (render mode 2) with a line
        of ``embolden × size`` pt in the text colour — K-only overprinting black stays K-only
        overprinting black — with round joins, so thin calligraphic tips do not sprout
        mitres.
        """
        runs = glyph_runs(item.line, self.fonts)
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

    def rule(self, item: Rule) -> None:
        c = self.c
        self.colour(item.color, stroke=True)
        c.setLineWidth(item.weight)
        c.setDash(list(item.dash) if item.dash else [])
        c.line(self.X(item.x0), self.Y(item.y0), self.X(item.x1), self.Y(item.y1))
        c.setDash([])

    def rect(self, item: Rect) -> None:
        c = self.c
        if item.fill is not None:
            self.colour(item.fill)
        if item.stroke is not None:
            self.colour(item.stroke, stroke=True)
            c.setLineWidth(item.weight)
        c.rect(self.X(item.x), self.Y(item.y + item.h), item.w, item.h,
               stroke=int(item.stroke is not None), fill=int(item.fill is not None))


def render(pages: list[PageFrame], fonts: FontBook, options: RenderOptions) -> tuple[bytes, tuple[PhotoFigure, ...]]:
    """Draw `pages` into one PDF; returns the bytes and per-photo figures.

    reportlab's ASCII85 stream filter is pure Python here and costs over a second per page of
    photos; binary Flate streams are what PDF/X wants anyway, so it is switched off while we draw.
    """
    from reportlab import rl_config

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        return _render(pages, fonts, options)
    finally:
        rl_config.useA85 = saved


def _render(pages: list[PageFrame], fonts: FontBook, options: RenderOptions) -> tuple[bytes, tuple[PhotoFigure, ...]]:
    faces = sorted({g.face for p in pages for it in p.items() if isinstance(it, TextLine) for g in it.line.glyphs})
    register_fonts(fonts, faces or ["serif"])
    first = pages[0]
    extra = mark_margin(first.bleed) if options.marks else first.bleed
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(first.width + 2 * extra, first.height + 2 * extra), invariant=1,
                         initialFontName=(faces or ["serif"])[0], pageCompression=1)
    c.setTitle(options.title)
    c.setAuthor(options.author)
    c.setCreator("paperlayout")
    figures: list[PhotoFigure] = []
    prepared = _prepare_photos(pages, options)
    for page in pages:
        media_w, media_h = page.width + 2 * extra, page.height + 2 * extra
        c.setPageSize((media_w, media_h))
        trim = (extra, extra, extra + page.width, extra + page.height)
        c.setTrimBox(trim)
        b = page.bleed
        c.setBleedBox((trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b))
        state = _Page(c, fonts, extra, media_h, page.number in options.colour_pages)
        for item in page.items():
            if isinstance(item, TextLine):
                state.text(item)
            elif isinstance(item, Rule):
                state.rule(item)
            elif isinstance(item, Rect):
                state.rect(item)
            elif isinstance(item, Picture) and not is_placeholder(item.path):
                figures.append(_picture(state, item, page.number, prepared[(page.number, item)]))
        if options.marks:
            draw_marks(c, trim, b, mono=page.number not in options.colour_pages)
        c.showPage()
    c.save()
    return buffer.getvalue(), tuple(figures)


def _prepare_photos(pages: list[PageFrame], options: RenderOptions):
    """Every photo converted for its page (CMYK on colour pages, gray on the others), as a
    mapping (page number, Picture) → PreparedImage. Conversions run in two threads — Pillow's
    resampling and LittleCMS release the GIL — in page order, a page ahead of the drawing,
    and each plate is dropped once drawn, so memory does not grow with the page count
    (render/photocache.Plates). A conversion asked for twice on the pages in flight is made
    once; one made by an earlier build comes from the on-disk cache. Results are the same
    as converting one by one."""
    store = cache.default_store()
    jobs = [(page.number, item, (item.path, item.w, item.h, "cmyk" if page.number in options.colour_pages else "gray"))
            for page in pages for item in page.items() if isinstance(item, Picture) and not is_placeholder(item.path)]

    def work(conversion):
        path, w, h, mode = conversion
        return prepare(Path(path), w, h, mode=mode, output_profile=options.output_profile,
                       target_ppi=options.photo_ppi, ink_limit=options.ink_limit, store=store,
                       max_pixels=options.max_pixels)

    return Plates(jobs, work)


def _picture(state: _Page, item: Picture, number: int, prepared) -> PhotoFigure:
    state.c.drawImage(encode_for_pdf(prepared, jpeg_quality=90), state.X(item.x), state.Y(item.y + item.h), item.w, item.h)
    return PhotoFigure(number, item.path, prepared.ppi, prepared.source_ppi, prepared.max_ink, prepared.warnings)
