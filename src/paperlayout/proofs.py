"""Proofs (校样): PNG images of the written PDF's pages for editors, and the quality report
drawn on them.

The proofs are rasterised from the PDF bytes themselves by PDFium (``pypdfium2``), a real
PDF rasteriser — what the editor sees is what the plant gets, never a re-drawing of the
frames. Pages are named like the ALTO files (``page-01.png``); ``contact-sheet.png`` shows
every page small, side by side.

The overlay (``--proof-overlay``; the browser view of ``paperlayout serve`` draws the same
marks) puts each diagnostic that has a place on the page as a highlighted box with a short
label (its number in the report and its code). A diagnostic's place comes from its
``where`` (see ``locate``): the model elements carry their locators ("issue.yaml:12
pages[0].stories[1].body[3]"), so a paragraph, photo, story or pin named there is found
among the page's stories, and its box is taken from the frames — the composed line (for
"…: line N"), the paragraph, the picture, the head lines or the story's cell. Holes come
from the grid cell the planner names. Photos below the resolution floor come from the
renderer's press figures (page + file) and are boxed on the picture.

Units and origin: a ``Mark``'s box is in pt with the origin at the top-left corner of the
trimmed page, y down (the frames' convention); the pixel boxes in ``proof.json`` and on the
images are from the top-left corner of the rendered page (bleed and marks included).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .frames import PageFrame, StoryFrame, TextLine, Picture
from .model import Crosshead, Paragraph
from .units import PT_PER_INCH

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image as PILImage

    from .build import Laid

DEFAULT_DPI = 150  # 9-pt body type is ~19 px tall: readable for proofreading
ASCENT, DESCENT = 0.88, 0.12  # the ideographic em box around the baseline (as in alto.py)

#: Overlay colours (RGB) per level: what each highlight means.
COLOURS = {
    "error": (215, 25, 32),     # the build fails on it: overset, pin not met, text lost, glyph missing
    "warning": (245, 130, 0),   # the page prints but should be fixed: hole, loose line, forced break, low-res photo
    "info": (40, 110, 220),     # for the editor's attention: head set smaller, fallback faces
}


@dataclass(frozen=True)
class Mark:
    """One diagnostic placed on a page: box (x, y, w, h) in pt, trim top-left origin, y down.

    index: the diagnostic's position in the report (0-based; -1 for a press finding that is
    not a report diagnostic, e.g. a photo below the resolution floor)."""

    index: int
    page: int
    level: str
    code: str
    where: str
    message: str
    x: float
    y: float
    w: float
    h: float

    @property
    def label(self) -> str:
        number = f"{self.index + 1} " if self.index >= 0 else ""
        return f"{number}{self.code}"


@dataclass(frozen=True)
class Proof:
    """One rasterised page: its number, the image, and the trim box's top-left in px."""

    number: int
    image: "PILImage.Image"
    scale: float  # px per pt
    trim_left: float  # px from the image's left to the trim's left edge
    trim_top: float  # px from the image's top to the trim's top edge

    def box(self, mark: Mark) -> tuple[int, int, int, int]:
        """The mark's box in px of this image: (left, top, width, height), rounded."""
        x0 = round(self.trim_left + mark.x * self.scale)
        y0 = round(self.trim_top + mark.y * self.scale)
        x1 = round(self.trim_left + (mark.x + mark.w) * self.scale)
        y1 = round(self.trim_top + (mark.y + mark.h) * self.scale)
        return x0, y0, max(1, x1 - x0), max(1, y1 - y0)


# ----------------------------------------------------------------------------- placing

_LINE = re.compile(r"^(?P<base>.*): line (?P<line>\d+)$")
_PAGE_STORY = re.compile(r"^page (?P<page>\d+) / story '(?P<story>[^']+)'(?: / (?P<role>[\w-]+))?$")
_PAGE = re.compile(r"page (?P<page>\d+)\b")
#: The planner's hole message (layout/issue.py): size and cell in grid units, story-region origin.
_HOLE = re.compile(r"a hole of (?P<columns>\d+) columns × (?P<rows>\d+) rows at column (?P<column>\d+), row (?P<row>\d+)")
_HEAD_CODES = ("head-break", "head-shrunk", "display-break")
_HOLE_CODES = ("hole", "page-fill")  # an unfilled page: boxed on its holes
_HEAD_ROLES = ("kicker", "head", "subhead")


def _strip(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _union(boxes: Iterable[tuple[float, float, float, float]]) -> tuple[float, float, float, float] | None:
    boxes = list(boxes)
    if not boxes:
        return None
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


def _line_box(item: TextLine) -> tuple[float, float, float, float]:
    size = item.line.size
    width = max(item.line.width, item.line.measure)
    return item.x, item.y - ASCENT * size, width, size * (ASCENT + DESCENT)


class _PagePlaces:
    """Where the model elements of one laid-out page are, in pt (trim origin)."""

    def __init__(self, laid: "Laid", result) -> None:
        self.geometry = laid.styles.page
        self.result = result
        self.frame: PageFrame | None = result.frame
        self.top_rows = self.geometry.rows - result.region_rows
        self.story_frames: dict[str, StoryFrame] = {f.story: f for f in (self.frame.stories if self.frame else ())}
        self.by_where: dict[str, tuple] = {}  # locator → ("story", story) | ("block", story, n) | ("photo", story, path)
        for story in result.stories:
            if story.where:
                self.by_where.setdefault(story.where, ("story", story))
            if story.pin is not None and story.pin.where:
                self.by_where.setdefault(story.pin.where, ("story", story))
            blocks = story.items if story.items else story.body
            for n, block in enumerate(blocks):
                if getattr(block, "where", ""):
                    self.by_where.setdefault(block.where, ("block", story, n))
            for photo in story.photos:
                if photo.where:
                    self.by_where.setdefault(photo.where, ("photo", story, str(photo.path)))

    def cell_box(self, column: int, row: int, columns: int, rows: int) -> tuple[float, float, float, float]:
        """A grid cell (page grid rows) in pt."""
        g = self.geometry
        y0 = g.row_y(row)
        return g.column_x(column), y0, g.span_width(columns), g.row_y(row + rows) - y0

    def story_box(self, story_id: str):
        frame = self.story_frames.get(story_id)
        if frame is None:
            return None
        c = frame.cell
        return self.cell_box(c.column, c.row, c.columns, c.rows)

    def role_box(self, story_id: str, roles: tuple[str, ...]):
        frame = self.story_frames.get(story_id)
        if frame is None:
            return None
        return _union(_line_box(i) for i in frame.items if isinstance(i, TextLine) and i.role in roles)

    def paragraph_lines(self, story, index: int) -> list[TextLine]:
        """The body lines of block `index` of `story` on this page: the story's body lines in
        reading order, taken paragraph by paragraph by the count of their characters."""
        frame = self.story_frames.get(story.id)
        if frame is None:
            return []
        lines = [i for i in frame.items if isinstance(i, TextLine) and i.role == "body"]
        blocks = story.items if story.items else story.body
        at = 0
        dateline = _strip(story.dateline)
        for n, block in enumerate(blocks):
            if isinstance(block, Crosshead):
                continue
            text = block.text if isinstance(block, Paragraph) else str(getattr(block, "text", ""))
            want = len(_strip(text)) + len(dateline)  # the dateline runs into the first paragraph
            dateline = ""
            start, have = at, 0
            while at < len(lines) and have < want:
                have += len(_strip(lines[at].line.text))
                at += 1
            if n == index:
                return lines[start:at]
        return []

    def photo_box(self, story_id: str, path: str):
        frame = self.story_frames.get(story_id)
        if frame is None:
            return None
        return _union((p.x, p.y, p.w, p.h) for p in frame.items if isinstance(p, Picture) and p.path == path)

    def stories_named(self, story_id: str) -> list[str]:
        """The story and its continued parts (转版) on this page."""
        return [s.id for s in self.result.stories if s.id == story_id or s.part_of == story_id]

    def holes(self) -> list[tuple[float, float, float, float]]:
        """The page's unfilled cells (the planner's, story-region rows) in pt."""
        cells = getattr(self.result, "holes", None) or ((self.result.hole,) if self.result.hole else ())
        return [self.cell_box(c.column, c.row + self.top_rows, c.columns, c.rows) for c in cells]

    def place(self, code: str, where: str, message: str) -> list[tuple[float, float, float, float]]:
        """The boxes of a diagnostic on this page (several for a page's holes), or []."""
        if code in _HOLE_CODES:
            m = _HOLE.search(message)
            if m:
                return [self.cell_box(int(m["column"]), int(m["row"]) + self.top_rows, int(m["columns"]), int(m["rows"]))]
            if _PAGE.fullmatch(where) and self.holes():
                return self.holes()
        box = self._place(code, where)
        return [box] if box is not None else []

    def _place(self, code: str, where: str):
        line_no = None
        base = where
        m = _LINE.match(where)
        if m:
            base, line_no = m["base"], int(m["line"])
        found = self.by_where.get(base)
        if found is not None:
            kind, story = found[0], found[1]
            if kind == "block":
                lines = self.paragraph_lines(story, found[2])
                if line_no is not None and 1 <= line_no <= len(lines):
                    return _line_box(lines[line_no - 1])
                return _union(_line_box(i) for i in lines) or self.story_box(story.id)
            if kind == "photo":
                return self.photo_box(story.id, found[2]) or self.story_box(story.id)
            if code in _HEAD_CODES:
                return self.role_box(story.id, _HEAD_ROLES) or self.story_box(story.id)
            return self.story_box(story.id)
        m = _PAGE_STORY.match(where)
        if m and int(m["page"]) == self.result.number:
            ids = self.stories_named(m["story"])
            if m["role"]:
                box = _union(b for b in (self.role_box(i, (m["role"],)) for i in ids) if b)
                if box:
                    return box
            return _union(b for b in (self.story_box(i) for i in ids) if b)
        m = _PAGE.match(where)
        if m and int(m["page"]) == self.result.number:  # the whole story region (overset page)
            return self.cell_box(0, self.top_rows, self.geometry.columns, self.result.region_rows)
        return None


def _page_of(where: str) -> int | None:
    m = _PAGE.match(where)
    return int(m["page"]) if m else None


def locate(laid: "Laid", press: Iterable[dict] = ()) -> tuple[Mark, ...]:
    """Every diagnostic of the report that has a place on a page, as a Mark; then every
    photo the renderer found below the resolution floor (``press``: ``to_pdf``'s figures,
    dicts with page, path, source_ppi and warnings).

    A diagnostic belongs to the page whose layout reported it (the report lists the pages'
    diagnostics first, in page order), else to the page its ``where`` names ("page 2 / …");
    a locator found on no page is left off the overlay (it is still in the list)."""
    places = {r.number: _PagePlaces(laid, r) for r in laid.pages}
    owner: list[int | None] = []
    for result in laid.pages:
        owner += [result.number] * len(result.diagnostics)
    marks: list[Mark] = []
    for index, d in enumerate(laid.report.diagnostics):
        pages = [owner[index]] if index < len(owner) and owner[index] is not None else []
        named = _page_of(d.where)
        pages += [named] if named is not None else list(places)
        for number in dict.fromkeys(pages):
            place = places.get(number)
            boxes = place.place(d.code, d.where, d.message) if place is not None else []
            marks += [Mark(index, number, d.level.value, d.code, d.where, d.message, *box) for box in boxes]
            if boxes:
                break
    for figure in press:
        if not figure.get("warnings"):
            continue
        place = places.get(figure["page"])
        if place is None:
            continue
        for story in place.result.stories:
            box = place.photo_box(story.id, str(figure["path"]))
            if box is not None:
                photo = next((p for p in story.photos if str(p.path) == str(figure["path"])), None)
                where = photo.where if photo is not None and photo.where else str(figure["path"])
                code = "photo-resolution" if figure.get("source_ppi", 1e9) < 150 else "photo"
                marks.append(Mark(-1, figure["page"], "warning", code, where, "; ".join(figure["warnings"]), *box))
                break
    return tuple(marks)


# ----------------------------------------------------------------------------- raster


def rasterise(pdf: bytes, numbers: Iterable[int], dpi: int = DEFAULT_DPI) -> list[Proof]:
    """Every page of the PDF as an RGB image at `dpi` (PDFium), numbered by `numbers` (the
    laid-out pages in the PDF's order). The whole crop box is drawn (bleed and marks
    included); the trim box's corner is kept to place marks."""
    import pypdfium2 as pdfium

    scale = dpi / PT_PER_INCH  # px per pt
    out = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for i, number in zip(range(len(doc)), numbers):
            page = doc[i]
            crop = page.get_cropbox()
            trim = page.get_trimbox()
            bitmap = page.render(scale=scale, draw_annots=False, may_draw_forms=False)
            image = bitmap.to_pil().convert("RGB")
            out.append(Proof(number, image, scale, (trim[0] - crop[0]) * scale, (crop[3] - trim[3]) * scale))
            page.close()
    finally:
        doc.close()
    return out


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: the fixed bitmap font
        return ImageFont.load_default()


def draw_marks(proof: Proof, marks: Iterable[Mark]) -> "PILImage.Image":
    """A copy of the proof with each mark of its page as a tinted box, a border and a label."""
    from PIL import Image, ImageDraw

    base = proof.image.convert("RGBA")
    tint = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(tint)
    font = _font(max(12, round(proof.scale * 9)))
    border = max(2, round(proof.scale * 1.2))
    mine = [m for m in marks if m.page == proof.number]
    for m in mine:
        colour = COLOURS.get(m.level, COLOURS["warning"])
        x, y, w, h = proof.box(m)
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=colour + (48,), outline=colour + (255,), width=border)
    for m in mine:
        colour = COLOURS.get(m.level, COLOURS["warning"])
        x, y, w, h = proof.box(m)
        left, top, right, bottom = draw.textbbox((0, 0), m.label, font=font)
        pad = 3
        ly = max(0, y - (bottom - top) - 2 * pad)
        draw.rectangle((x, ly, x + right - left + 2 * pad, ly + bottom - top + 2 * pad), fill=colour + (235,))
        draw.text((x + pad - left, ly + pad - top), m.label, font=font, fill=(255, 255, 255, 255))
    return Image.alpha_composite(base, tint).convert("RGB")


def contact_sheet(images: list[tuple[int, "PILImage.Image"]], width: int = 360, across: int = 4) -> "PILImage.Image":
    """All pages side by side, `width` px each, `across` to a row, with their numbers below."""
    from PIL import Image, ImageDraw

    if not images:
        return Image.new("RGB", (width, width), "white")
    across = max(1, min(across, len(images)))
    thumbs = []
    for number, image in images:
        h = round(image.height * width / image.width)
        thumbs.append((number, image.resize((width, h), Image.Resampling.LANCZOS)))
    cell_h = max(t.height for _, t in thumbs) + 28
    gap = 16
    rows = (len(thumbs) + across - 1) // across
    sheet = Image.new("RGB", (gap + across * (width + gap), gap + rows * (cell_h + gap)), (235, 235, 235))
    draw = ImageDraw.Draw(sheet)
    font = _font(18)
    for k, (number, thumb) in enumerate(thumbs):
        x = gap + (k % across) * (width + gap)
        y = gap + (k // across) * (cell_h + gap)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + width, y + thumb.height), outline=(120, 120, 120))
        draw.text((x + width // 2, y + thumb.height + 14), f"{number}", font=font, fill=(0, 0, 0), anchor="mm")
    return sheet


def png_bytes(image: "PILImage.Image", compress_level: int = 6) -> bytes:
    """PNG bytes without a timestamp or other varying chunk (deterministic)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def page_name(number: int, prefix: str = "page") -> str:
    """The proof's file name, like the ALTO file's: page-01.png (prefix FAILED-page for the
    proofs of a failed build)."""
    return f"{prefix}-{number:02d}.png"


def manifest(proofs: list[Proof], marks: Iterable[Mark], dpi: int, prefix: str = "page") -> dict:
    """What the proofs show, for scripts and the browser view: page files and sizes, and every
    mark with its box in pt (trim origin) and in px (image origin)."""
    by_number = {p.number: p for p in proofs}
    out_marks = []
    for m in marks:
        proof = by_number.get(m.page)
        entry = {"index": m.index, "page": m.page, "level": m.level, "code": m.code, "label": m.label,
                 "where": m.where, "message": m.message, "pt": [round(v, 2) for v in (m.x, m.y, m.w, m.h)]}
        if proof is not None:
            entry["px"] = list(proof.box(m))
        out_marks.append(entry)
    return {
        "dpi": dpi,
        "pages": [{"number": p.number, "file": page_name(p.number, prefix), "width": p.image.width, "height": p.image.height}
                  for p in proofs],
        "marks": out_marks,
    }


def write_proofs(pdf: bytes, laid: "Laid", folder: Path, *, dpi: int = DEFAULT_DPI, overlay: bool = False,
                 press: Iterable[dict] = (), write=None, prefix: str = "page") -> list[Path]:
    """Rasterise the written PDF into `folder`: page-NN.png for each page (with the report's
    marks drawn when `overlay`), contact-sheet.png and proof.json (the marks, see
    ``manifest``). `write(path, data)` writes one file (default: Path.write_bytes); `prefix`
    names the files (``FAILED-page`` for a failed build: FAILED-page-01.png …).
    Returns the paths written."""
    write = write or (lambda path, data: path.write_bytes(data))
    folder.mkdir(parents=True, exist_ok=True)
    numbers = [r.number for r in laid.pages if r.frame is not None]
    proofs = rasterise(pdf, numbers, dpi)
    marks = locate(laid, press)
    written = []
    shown = []
    for proof in proofs:
        image = draw_marks(proof, marks) if overlay else proof.image
        path = folder / page_name(proof.number, prefix)
        write(path, png_bytes(image))
        written.append(path)
        shown.append((proof.number, image))
    path = folder / ("contact-sheet.png" if prefix == "page" else f"{prefix}-contact-sheet.png")
    write(path, png_bytes(contact_sheet(shown)))
    written.append(path)
    path = folder / ("proof.json" if prefix == "page" else f"{prefix}-proof.json")
    write(path, json.dumps(manifest(proofs, marks, dpi, prefix), ensure_ascii=False, indent=1).encode())
    written.append(path)
    return written
