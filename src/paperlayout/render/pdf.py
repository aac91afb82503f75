"""The PDF renderer: PageFrames → PDF bytes with reportlab (the only reportlab.pdfgen user).

Converts the engine's coordinates (pt, origin at the trim's top-left, y down) once, here, to
PDF's (origin at the MediaBox's bottom-left, y up). Text is drawn glyph run by glyph run at
the positions the composer computed, each line inside its own ``q … Q`` so that no render
state (scale, render mode, line width, colour) reaches the next; black text and rules are
100 % K set to overprint, coloured and reversed elements knock out. Fonts are embedded as
TrueType subsets (their tags and ToUnicode CMaps are fixed by render/pdfx.fix_fonts).

Memory: with :func:`render_into` the draft never sits whole in memory. Each page's content
stream and each photo's stream are parked in an unnamed temporary file (:class:`_Spill`) as
soon as they are drawn and read back one at a time while reportlab writes the document,
which it writes object by object into the given binary file rather than joining a list of
byte strings (``getpdfdata``: the document, the list and the joined copy at once).
"""

from __future__ import annotations

import io
import itertools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from .. import cache, heap
from ..fonts import FontBook
from ..frames import Cmyk, PageFrame, Picture, Rect, Rule, TextLine
from ..placeholder import is_placeholder
from ..text import Line
from .fontcache import CachedFace, tt_font
from .images import MAX_PIXELS
from .marks import draw_marks, mark_margin
from .pdfops import SubsetEncoder, fp
from .photocache import Drawable, Plates, drawable  # photos from the cache when seen before


@dataclass(frozen=True)
class RenderOptions:
    """Output choices (never typography): marks, colour pages, photo processing.

    ink_limit: total area coverage, %; photo_ppi: px per inch at placed size; max_pixels:
    largest photo decoded, w × h px (limits.Limits.image_pixels). compress: Flate-compress
    the page streams here; False leaves them to the finaliser, which compresses every stream
    of the file itself (pdfx.finalize: qpdf re-encodes even the compressed ones, so the file
    is the same either way and the work is done once).
    """

    marks: bool = True
    colour_pages: frozenset[int] = frozenset({1})
    output_profile: Path | None = None
    ink_limit: float = 240.0
    photo_ppi: float = 200.0
    title: str = ""
    author: str = ""
    max_pixels: int = MAX_PIXELS
    compress: bool = True


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


def register_fonts(fonts: FontBook, faces: list[str]) -> list:
    """Register each face with reportlab under its face key (idempotent). The parsed font
    tables come from the on-disk cache (paperlayout.cache) when it holds this file's
    content hash — same tables, same PDF bytes — and the file is read only to subset it.
    Returns the fonts registered by this call."""
    known = set(pdfmetrics.getRegisteredFontNames())
    store = cache.default_store()
    added = []
    for face in faces:
        if face not in known:
            font = tt_font(face, fonts.path(face), store)
            pdfmetrics.registerFont(font)
            added.append(font)
    return added


def _unregister_cached(fonts: list) -> None:
    """Take back from reportlab the ``fonts`` rebuilt from the cache (render/fontcache
    CachedFace): their tables (about 10 MB for the six faces of a style) are then freed with
    the document, and the next render restores them from the cache in a few milliseconds.
    A font parsed from its file (no cache) stays registered: parsing again costs ~30 ms a face."""
    for font in fonts:
        if isinstance(font.face, CachedFace):
            font.unregister()


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
    return [GlyphRun(face, x, text, scale, stroke) for face, x, text, scale, stroke in _runs(line, fonts)]


def _runs(line: Line, fonts: FontBook) -> list[tuple[str, float, str, float, float]]:
    """``glyph_runs`` as tuples (face, x, text, scale, stroke): the renderer's inner loop.

    Advances come from a memo of FontBook.advance per (face, character), em."""
    size = line.size
    memo = fonts.memo("render.advance")
    runs: list = []  # [face, x, [characters], scale, stroke] while being built
    end = None  # x where the last natural run ends, or None
    last = None
    for g in line.glyphs:
        draw = g.draw
        shown = g.text if draw is None else draw
        if not shown or shown == "\n":
            continue
        face = g.face
        natural = False
        if draw is None and g.dx == 0 and g.hscale == 1.0 and not g.embolden and len(shown) == 1:
            key = (face, shown)
            advance = memo.get(key)
            if advance is None:
                advance = memo[key] = fonts.advance(face, shown)
            natural = abs(advance * size - g.width) < 1e-6
        if natural and end is not None and last[0] == face and abs(end - g.x) < 1e-6:
            last[2].append(shown)
        else:
            last = [face, g.x + g.dx, [shown], g.hscale, g.embolden]
            runs.append(last)
        end = g.x + g.width if natural else None
    return [(face, x, "".join(chars), scale, stroke) for face, x, chars, scale, stroke in runs]


class _Page:
    """Drawing state for one page: offset of the trim inside the MediaBox, media height.

    Text lines are written straight into the canvas's content stream (``text``) with the
    operators reportlab's text objects would write (render/pdfops.py); their graphics-state
    prologue (``q``, colour, overprint) is made by the canvas the first time it is needed
    for a colour and extended graphics state, and then reused for the page."""

    def __init__(self, c: rl_canvas.Canvas, fonts: FontBook, origin: float, media_h: float, in_colour: bool = True,
                 encoders: dict | None = None):
        self.c, self.fonts, self.origin, self.media_h = c, fonts, origin, media_h
        self.in_colour = in_colour  # a mono page (黑白版) is printed from the K plate alone
        self._encoders = {} if encoders is None else encoders  # face → SubsetEncoder (per document)
        self._prologues: dict = {}  # (colour, stroked, ExtGState values) → the code entries

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

    def _prologue(self, color: Cmyk, stroked: bool) -> str:
        """``q``, the fill (and, for a line with emboldened glyphs, stroke) colour and
        overprint, and round joins — as the canvas writes them in the current extended
        graphics state. The canvas's state is left as it was (the line ends with ``Q``)."""
        c = self.c
        key = (color, stroked, frozenset(c._extgstate._d.items()))
        entry = self._prologues.get(key)
        if entry is None:
            code = c._code
            n = len(code)
            c.saveState()
            self.colour(color)
            if stroked:
                self.colour(color, stroke=True)
                c.setLineJoin(1)
            entry = self._prologues[key] = "\n".join(code[n:])
            del code[n:]
            c.restoreState()
            del code[n:]  # restoreState's Q
        return entry

    def _encoder(self, face: str) -> SubsetEncoder:
        encoder = self._encoders.get(face)
        if encoder is None:
            encoder = self._encoders[face] = SubsetEncoder(pdfmetrics.getFont(face), self.c._doc)
        return encoder

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

        The operators are those reportlab's ``beginText`` / ``setFont`` / ``setHorizScale`` /
        ``setTextOrigin`` / ``textOut`` / ``drawText`` wrote, byte for byte: one text object
        per stretch of runs with the same stroke, a ``Tf`` before each new face or subset.
        """
        runs = _runs(item.line, self.fonts)
        if not runs:
            return
        size = item.line.size
        base_x, base_y = self.X(item.x), self.Y(item.y)
        stroked = any(run[4] for run in runs)
        out = [self._prologue(item.color, stroked)]
        tf = f" {fp(size)} Tf {fp(size * 1.2)} TL"
        y = " " + fp(base_y) + " Tm"
        k, count = 0, len(runs)
        while k < count:
            stroke = runs[k][4]
            if stroke:
                out.append(fp(stroke * size) + " w")
            parts = ["BT 1 0 0 1 0 0 Tm"]
            add = parts.append
            if stroke:
                add("2 Tr")
            face, scale, encoder, subset = None, 1.0, None, -1
            while k < count and runs[k][4] == stroke:
                run_face, x, text, run_scale, _ = runs[k]
                if run_face != face:
                    face, encoder, subset = run_face, self._encoder(run_face), -1
                if run_scale != scale:
                    add(fp(run_scale * 100) + " Tz")
                    scale = run_scale
                add("1 0 0 1 " + fp(base_x + x) + y)
                for chunk_subset, escaped in encoder.chunks(text):
                    if chunk_subset != subset:
                        add(encoder.name(chunk_subset) + tf)
                        subset = chunk_subset
                    add("(" + escaped + ") Tj")
                k += 1
            if scale != 1.0:
                add("100 Tz")
            if stroke:
                add("0 Tr")
            add("ET")
            out.append(" ".join(parts))
        out.append("Q")
        self.c._code.append("\n".join(out))

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


def render(pages: list[PageFrame], fonts: FontBook, options: RenderOptions, *,
           keep_fonts: bool = True) -> tuple[bytes, tuple[PhotoFigure, ...]]:
    """Draw `pages` into one PDF; returns the bytes and per-photo figures (the bytes
    :func:`render_into` writes). The fonts stay registered with reportlab unless
    ``keep_fonts`` is off: a process that renders again (serve's rebuilds) does not
    restore them each time (~4 ms for the sample page)."""
    out = io.BytesIO()
    figures = render_into(out, pages, fonts, options, keep_fonts=keep_fonts)
    return out.getvalue(), figures


def render_into(out: BinaryIO, pages: list[PageFrame], fonts: FontBook, options: RenderOptions, *,
                keep_fonts: bool = False) -> tuple[PhotoFigure, ...]:
    """Draw `pages` into one PDF written to the binary file `out` (from its current
    position); returns the per-photo figures. Unless ``keep_fonts``, the fonts this render
    restored from the cache are unregistered afterwards (:func:`_unregister_cached`: ~10 MB
    freed for the rest of a build).

    reportlab's ASCII85 stream filter is pure Python here and costs over a second per page of
    photos; binary Flate streams are what PDF/X wants anyway, so it is switched off while we draw.
    """
    from reportlab import rl_config

    with _RL_STATE:  # module-wide reportlab switches (here and in _write_draft), one render at a time
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            with _Spill() as spill:
                return _render(pages, fonts, options, spill, out, keep_fonts)
        finally:
            rl_config.useA85 = saved


#: Held while a render changes reportlab's module-wide state (rl_config.useA85, pdfdoc.PDFFile).
_RL_STATE = threading.RLock()


class _Spill:
    """An unnamed temporary file holding the long stream contents of a document being drawn
    (page content streams, photos) from when they are drawn until reportlab writes them.

    ``park(value)`` (str or bytes) returns a handle; ``fetch(handle)`` gives the same value
    back (a str comes back as the same str). Deleted when closed."""

    def __init__(self) -> None:
        self._file = heap.spill_file()
        self._end = 0

    def __enter__(self) -> _Spill:
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()

    def park(self, value: str | bytes) -> tuple[int, int, bool]:
        text = isinstance(value, str)
        data = value.encode("utf-8", "surrogatepass") if text else value
        self._file.seek(self._end)
        self._file.write(data)
        handle = (self._end, len(data), text)
        self._end += len(data)
        return handle

    def fetch(self, handle: tuple[int, int, bool]) -> str | bytes:
        start, size, text = handle
        self._file.seek(start)
        data = self._file.read(size)
        return data.decode("utf-8", "surrogatepass") if text else data


class _ParkedStream(pdfdoc.PDFStream):
    """A page's content stream whose text waits in a :class:`_Spill` until it is written —
    the stream reportlab's ``PDFPage.check_format`` would make of the same text."""

    __Comment__ = "page stream"

    def __init__(self, spill: _Spill, text: str, compressed: bool) -> None:
        from reportlab import rl_config

        filters = None
        if compressed:  # as PDFPage.check_format chooses them
            filters = rl_config.useA85 and [pdfdoc.PDFBase85Encode, pdfdoc.PDFZCompress] or [pdfdoc.PDFZCompress]
        super().__init__(filters=filters)
        self._spill, self._handle = spill, spill.park(text)

    def format(self, document) -> bytes:
        self.content = self._spill.fetch(self._handle)
        try:
            return super().format(document)
        finally:
            self.content = None


class _ParkedImage(pdfdoc.PDFImageXObject):
    """An image XObject whose stream waits in a :class:`_Spill` (once :meth:`park` ed) until
    it is written."""

    _handle = None

    def park(self, spill: _Spill) -> None:
        self._spill, self._handle = spill, spill.park(self.streamContent)
        del self.streamContent

    def format(self, document) -> bytes:
        if self._handle is None:
            return super().format(document)
        self.streamContent = self._spill.fetch(self._handle)
        try:
            return super().format(document)
        finally:
            del self.streamContent


def _park_page(c: rl_canvas.Canvas, spill: _Spill, seen: int) -> int:
    """Move into ``spill`` the content stream of the page ``c.showPage()`` just added and
    the streams of the :class:`_ParkedImage` s registered since the document's first ``seen``
    objects; returns how many objects the document has now."""
    page = c._doc.Pages.pages[-1]
    if page.stream and not page.Contents:
        page.Contents = _ParkedStream(spill, page.stream, bool(page.compression))
        page.stream = None
    objects = c._doc.idToObject
    for obj in itertools.islice(objects.values(), seen, None):
        if isinstance(obj, _ParkedImage) and obj._handle is None:
            obj.park(spill)
    return len(objects)


def _write_draft(c: rl_canvas.Canvas, out: BinaryIO) -> None:
    """Write the canvas's document to ``out`` as ``c.getpdfdata()`` would return it: each
    object as reportlab formats it, written when formatted instead of gathered and joined."""

    class Draft(pdfdoc.PDFFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)  # the header, in self.strings
            for part in self.strings:
                out.write(part)
            self.strings = None
            self.write = out.write

        def format(self, document) -> bytes:
            return b""

    saved = pdfdoc.PDFFile
    pdfdoc.PDFFile = Draft  # pdfdoc.PDFDocument.format makes its output collector by this name
    try:
        c.getpdfdata()
    finally:
        pdfdoc.PDFFile = saved


def _render(pages: list[PageFrame], fonts: FontBook, options: RenderOptions, spill: _Spill,
            out: BinaryIO, keep_fonts: bool) -> tuple[PhotoFigure, ...]:
    faces = sorted({g.face for p in pages for it in p.items() if isinstance(it, TextLine) for g in it.line.glyphs})
    registered = register_fonts(fonts, faces or ["serif"])
    try:
        return _draw(pages, fonts, options, spill, out, faces)
    finally:
        if not keep_fonts:
            _unregister_cached(registered)


def _draw(pages: list[PageFrame], fonts: FontBook, options: RenderOptions, spill: _Spill, out: BinaryIO,
          faces: list[str]) -> tuple[PhotoFigure, ...]:
    first = pages[0]
    extra = mark_margin(first.bleed) if options.marks else first.bleed
    c = rl_canvas.Canvas(None, pagesize=(first.width + 2 * extra, first.height + 2 * extra), invariant=1,
                         initialFontName=(faces or ["serif"])[0], pageCompression=int(options.compress))
    c.setTitle(options.title)
    c.setAuthor(options.author)
    c.setCreator("paperlayout")
    figures: list[PhotoFigure] = []
    prepared = _prepare_photos(pages, options)
    encoders: dict = {}  # face → SubsetEncoder, shared by the pages of this document
    seen = 0  # objects of the document already looked at by _park_page
    for page in pages:
        media_w, media_h = page.width + 2 * extra, page.height + 2 * extra
        c.setPageSize((media_w, media_h))
        trim = (extra, extra, extra + page.width, extra + page.height)
        c.setTrimBox(trim)
        b = page.bleed
        c.setBleedBox((trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b))
        state = _Page(c, fonts, extra, media_h, page.number in options.colour_pages, encoders)
        for item in page.items():
            if isinstance(item, TextLine):
                state.text(item)
            elif isinstance(item, Rule):
                state.rule(item)
            elif isinstance(item, Rect):
                state.rect(item)
            elif isinstance(item, Picture) and not is_placeholder(item.path):
                figures.append(_picture(state, item, page.number, prepared[(page.number, item)], options.compress))
        if options.marks:
            draw_marks(c, trim, b, mono=page.number not in options.colour_pages)
        c.showPage()
        seen = _park_page(c, spill, seen)
    _write_draft(c, out)
    return tuple(figures)


def _prepare_photos(pages: list[PageFrame], options: RenderOptions):
    """Every photo made ready for its page (CMYK on colour pages, gray on the others), as a
    mapping (page number, Picture) → photocache.Drawable: its JPEG and XObject name, or its
    plate when drawn losslessly. Conversions run in two threads — Pillow's resampling and
    LittleCMS release the GIL — in page order, a page ahead of the drawing, and each result
    is dropped once drawn, so memory does not grow with the page count
    (render/photocache.Plates). A conversion asked for twice on the pages in flight is made
    once; one drawn by an earlier build comes from the on-disk cache without decoding
    anything. Results are the same as converting one by one."""
    store = cache.default_store()
    jobs = [(page.number, item, (item.path, item.w, item.h, "cmyk" if page.number in options.colour_pages else "gray"))
            for page in pages for item in page.items() if isinstance(item, Picture) and not is_placeholder(item.path)]

    def work(conversion):
        path, w, h, mode = conversion
        return drawable(Path(path), w, h, mode=mode, output_profile=options.output_profile,
                        target_ppi=options.photo_ppi, ink_limit=options.ink_limit, store=store,
                        jpeg_quality=JPEG_QUALITY, max_pixels=options.max_pixels)

    return Plates(jobs, work)


#: JPEG quality of the photos in the PDF (images.encode_for_pdf: kept lossless when the
#: JPEG would exceed the ink limit).
JPEG_QUALITY = 90


class _Source:
    """A photo for reportlab's PDFImageXObject, offering what an ImageReader over it offers:
    the JPEG's bytes (``jpeg_fh``), or the plate's size, mode and pixels."""

    def __init__(self, drawn: Drawable) -> None:
        self.drawn = drawn
        self.mode = drawn.mode

    def jpeg_fh(self):
        return io.BytesIO(self.drawn.data) if self.drawn.kind == "jpeg" else None

    def getSize(self) -> tuple[int, int]:
        return tuple(self.drawn.size)

    def getRGBData(self) -> bytes:
        return self.drawn.data


def _picture(state: _Page, item: Picture, number: int, drawn: Drawable, compress: bool = True) -> PhotoFigure:
    """Draw one photo at its box as reportlab 5.1's ``canvas.drawImage(ImageReader(…), x, y,
    w, h)`` draws it — same XObject, named by the digest drawImage computes (``drawn.name``),
    same placement operators — without decoding or hashing anything. A lossless plate is
    left uncompressed when ``compress`` is off (the finaliser compresses every stream).
    The XObject is a :class:`_ParkedImage`: its stream goes to the spill with the page."""
    c = state.c
    c._currentPageHasImages = 1
    doc, name = c._doc, drawn.name
    reg_name = doc.getXObjectName(name)
    if not doc.idToObject.get(reg_name, None):
        if drawn.kind == "raw" and not compress:  # loadImageFromSRC's fields, the pixels as they are
            image = _ParkedImage(name, None, mask=None)
            image.width, image.height = drawn.size
            image.bitsPerComponent, image.colorSpace = 8, pdfdoc._mode2CS[drawn.mode]
            image.streamContent, image._filters = drawn.data, ()
        else:
            image = _ParkedImage(name, _Source(drawn), mask=None)
        image.name = name
        c._setXObjects(image)
        doc.Reference(image, reg_name)
        doc.addForm(name, image)
    c.saveState()
    c.translate(state.X(item.x), state.Y(item.y + item.h))
    c.scale(item.w, item.h)
    c._code.append("/%s Do" % reg_name)
    c.restoreState()
    c._formsinuse.append(name)
    return PhotoFigure(number, item.path, drawn.ppi, drawn.source_ppi, drawn.max_ink, drawn.warnings)
