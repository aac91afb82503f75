"""Total ink of our own pages bounded from their content, without rendering them (油墨总量上限).

The thorough way to measure total area coverage (TAC, 油墨总量) is to render the page to its
separations (``preflight._render_ink``, Ghostscript tiffsep) — about a third of a second per
broadsheet page. For a page paperlayout has just written, what paints it is known exactly
from the content stream: photos (image XObjects with their samples), paths and text in
device colours. This module turns that into an *upper bound* of the ink any point of the
page can carry; when the bound is within the limit the page is proven and need not be
rendered; otherwise (or when anything on the page is beyond what the bound understands)
preflight renders it as before. So the bound can only spare a render: a page whose drawn
ink might break the limit is always measured by Ghostscript.

The bound (PDF 32000-1 §8.6.7, §11.7.4: without transparency each plate's value at a point
is the value the last mark covering it gave that plate, or no ink). For a point p::

    ink(p) ≤ Σ_{images I covering p} TAC(I) + Σ_{plates c} max_{vector marks V covering p} V_c

— every plate's final value comes from one mark covering p: an image (each image counted
with its whole largest per-pixel sum, whatever it overprints), or a vector mark (a path or
a glyph in one colour, overprinting or not). Every point that carries ink is covered by some
mark M, so the page's bound is the largest such sum over marks M, taking every mark whose box
meets M's box (box-level, so it over-counts, never under-counts); points that only K-only
vector marks cover carry at most their K. Boxes hold everything a mark can paint: a photo its
placed unit square, a path its points and control points with half the line width (√2 for
joins; where a path has other joins, widened to the miter limit's reach), a glyph run its outlines' boxes (the embedded TrueType ``glyf`` headers, whole: not
cut to the advance as verify cuts them).

The bound is about the page as drawn, in points — not about a raster of it. It is never below
the true largest ink of any point, which Ghostscript's 36-dpi render can under-measure (it
samples a photo at one pixel in five or six and may miss its darkest) and over-measure (a
pixel touched by two marks less than 2 pt apart, a red band and a black rule beside it,
counts both). ``grow`` (pt, default 0) widens every box, for a caller that wants the raster's
view.

What is trusted, and why: the image samples (decoded here: raw 8-bit DeviceCMYK/DeviceGray
with ``/FlateDecode`` or none, or a ``/DCTDecode`` JPEG in the Adobe inverted-CMYK
convention reportlab marks with ``/Decode [1 0 1 0 1 0 1 0]``, which Pillow reads back to the
intended values), the fonts' embedded outlines, and the colour operators. Anything else —
spot colours, ICC or calibrated spaces, shadings, patterns, inline images, stroked text,
soft masks or any other transparency, annotations, a miter limit above 10, text in a font
without an embedded outline program, unreadable content — makes the page unprovable here,
and it is rendered.

Units: boxes in pt in PDF user space (origin bottom-left), ink in % (400 = four solid plates).
A photo's sample figures are cached per stream digest (``cache``: namespace ``image-ink``),
so an editor's rebuild decodes no photo twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Name

PLATES = ("Cyan", "Magenta", "Yellow", "Black")
#: The largest miter limit the bound allows for (PDF's default, 10; PDF 32000-1 §8.4.3.5).
MITER_LIMIT = 10.0
Box = tuple[float, float, float, float]


def cmyk_of(space, values) -> tuple[float, float, float, float] | None:
    """The process values (0–1) a device colour paints, or None for anything else
    (``space``: ``preflight.Space``). DeviceGray g paints K = 1 − g; the registration
    colour (Separation All) paints its tint on every plate."""
    try:
        if space.name == "DeviceCMYK" and len(values) == 4:
            return tuple(min(max(float(v), 0.0), 1.0) for v in values)
        if space.name == "DeviceGray" and len(values) == 1:
            return (0.0, 0.0, 0.0, 1.0 - min(max(float(values[0]), 0.0), 1.0))
        if space.name == "Separation" and space.spot == "All" and len(values) == 1:
            t = min(max(float(values[0]), 0.0), 1.0)
            return (t, t, t, t)
    except (TypeError, ValueError):
        return None
    return None


@dataclass
class InkMarks:
    """What one page paints, collected while its content is interpreted (verify's reader
    with preflight's colour state): text runs as glyph ranges of the page's scan with their
    colour, path paints and stencil masks as (box, space, values), images as (box, XObject,
    space); ``unprovable``: why the page cannot be bounded here ("" when it can)."""

    page: int
    texts: list = field(default_factory=list)  # (first glyph, end glyph, space, values, render)
    vectors: list = field(default_factory=list)  # (box, space, values)
    images: list = field(default_factory=list)  # (box, xobj, space)
    unprovable: str = ""

    def note_text(self, scan, first: int, state) -> None:
        if len(scan.glyphs) == first or state.render in (3, 7):
            return  # nothing drawn, or invisible text
        if state.render not in (0, 4):
            self.unprovable = self.unprovable or "stroked text"
            return
        self.texts.append((first, len(scan.glyphs), state.fill_space, state.fill, state.render))

    def note_paints(self, uses, state, joins: bool = True) -> None:
        """Paths painted (``preflight.PaintUse`` records); ``joins``: whether the path has a
        join other than a rectangle's (a stroke's box is then widened to the miter reach)."""
        for use in uses:
            if use.paint == "shading" or use.box is None:
                if use.paint == "shading":
                    self.unprovable = self.unprovable or "a shading"
                continue
            if use.paint == "fill":
                self.vectors.append((use.box, state.fill_space, state.fill))
            else:  # a miter join reaches up to the miter limit × half the width from its point
                reach = MITER_LIMIT * use.width / 2 if joins else 0.0
                b = use.box
                self.vectors.append(((b[0] - reach, b[1] - reach, b[2] + reach, b[3] + reach),
                                     state.stroke_space, state.stroke))

    def note_miter(self, args) -> None:
        """``M``: a miter limit above the default makes strokes reach further than assumed."""
        try:
            limit = float(args[0])
        except (IndexError, TypeError, ValueError):
            limit = math.inf
        if not limit <= MITER_LIMIT:
            self.unprovable = self.unprovable or f"a miter limit of {limit:g}"

    def note_image(self, xobj, space, mask: bool, state) -> None:
        a, b, c, d, e, f = state.ctm
        xs, ys = (e, a + e, c + e, a + c + e), (f, b + f, d + f, b + d + f)
        box = (min(xs), min(ys), max(xs), max(ys))
        if mask:  # a stencil mask paints the fill colour through it
            self.vectors.append((box, state.fill_space, state.fill))
        else:
            self.images.append((box, xobj, space))


# -- images ------------------------------------------------------------------------------


def image_ink(xobj, space) -> tuple[float, tuple[bool, bool, bool, bool]] | None:
    """(largest total ink of any sample, %, which plates any sample inks) of an image
    XObject, or None when this module does not read it (see the module docstring)."""
    try:
        info = _image_info(xobj, space)
    except (pikepdf.PdfError, KeyError, TypeError, ValueError):
        return None
    if info is None:
        return None
    raw = xobj.read_raw_bytes()
    from . import cache

    store = cache.default_store()
    k = cache.key("image-ink", 1, info, hashlib.sha256(raw).digest()) if store is not None else ""
    if store is not None:
        known = store.get("image-ink", k)
        if known is not None:
            try:
                tac, plates = json.loads(known)
                return float(tac), tuple(bool(p) for p in plates)
            except (ValueError, TypeError):
                pass
    try:
        found = _measure(xobj, raw, info)
    except (pikepdf.PdfError, OSError, ValueError):
        return None
    if found is not None and store is not None:
        store.put("image-ink", k, json.dumps([found[0], list(found[1])]).encode("ascii"))
    return found


def _image_info(xobj, space) -> tuple | None:
    """What decides how the samples read: (filter, components, width, height), or None."""
    if space.name not in ("DeviceCMYK", "DeviceGray") or int(xobj.get(Name.BitsPerComponent, 0)) != 8:
        return None
    if Name.SMask in xobj or Name.SMaskInData in xobj:
        return None
    filters = xobj.get(Name.Filter)
    filters = [str(f) for f in filters] if isinstance(filters, Array) else ([str(filters)] if filters is not None else [])
    if Name.DecodeParms in xobj and filters != ["/FlateDecode"]:
        return None
    components = 4 if space.name == "DeviceCMYK" else 1
    decode = xobj.get(Name.Decode)
    decode = [float(v) for v in decode] if isinstance(decode, Array) else None
    if filters == ["/DCTDecode"]:
        inverted = [1.0, 0.0] * components
        if components == 4 and decode != inverted:
            return None  # a CMYK JPEG's polarity is only certain in the convention reportlab writes
        if components == 1 and decode not in (None, [0.0, 1.0]):
            return None
        return ("dct", components, int(xobj.Width), int(xobj.Height))
    if filters not in ([], ["/FlateDecode"]) or decode not in (None, [0.0, 1.0] * components):
        return None
    return ("raw", components, int(xobj.Width), int(xobj.Height))


def _measure(xobj, raw: bytes, info: tuple) -> tuple[float, tuple[bool, bool, bool, bool]] | None:
    import numpy as np

    kind, components, width, height = info
    if kind == "dct":
        from PIL import Image  # edge dependency, only for JPEG photos

        with Image.open(io.BytesIO(raw)) as im:
            im.load()
            if im.mode != ("CMYK" if components == 4 else "L") or im.size != (width, height):
                return None
            data = im.tobytes()
    else:
        data = xobj.read_bytes()
    if len(data) < width * height * components:
        return None
    samples = np.frombuffer(data, dtype=np.uint8, count=width * height * components).reshape(-1, components)
    if components == 4:
        if not samples.size:
            return 0.0, (False,) * 4
        words = np.frombuffer(data, dtype="<u4", count=width * height)  # C, M, Y, K: bytes 0–3
        pairs = (words & 0x00FF00FF) + ((words >> 8) & 0x00FF00FF)  # C+M in bits 0–15, Y+K in 16–31
        total = int(((pairs & 0xFFFF) + (pairs >> 16)).max())
        inked = int(np.bitwise_or.reduce(words))  # a plate's byte is non-zero where any sample inks it
        plates = tuple(bool((inked >> (8 * c)) & 0xFF) for c in range(4))
    else:
        darkest = int(255 - samples.min()) if samples.size else 0
        total, plates = darkest, (False, False, False, darkest > 0)
    return total * 100.0 / 255.0, plates


# -- the bound ---------------------------------------------------------------------------


def _meets(p: Box, q: Box) -> bool:
    return p[0] <= q[2] and q[0] <= p[2] and p[1] <= q[3] and q[1] <= p[3]


def _outside(box: Box, clip: Box | None) -> bool:
    if clip is None:
        return False
    return box[2] < clip[0] or box[0] > clip[2] or box[3] < clip[1] or box[1] > clip[3]


def _sum(values: list) -> float:
    """``float(numpy.sum(values))`` (float64): for fewer than 8 values numpy adds them one
    after the other from 0.0, as here; for more it adds pairwise (numpy is then asked)."""
    values = [float(v) for v in values]
    if len(values) < 8:
        total = 0.0
        for v in values:
            total += v
        return total
    import numpy as np

    return float(np.array(values, dtype=float).sum())


def _max(values) -> float:
    """``float(numpy.max(values))`` (float64): NaN wins, as in numpy."""
    values = [float(v) for v in values]
    return math.nan if any(v != v for v in values) else max(values)


def bound(marks: InkMarks, glyph_boxes, clip: Box | None, grow: float = 0.0) -> tuple[float, list[str]] | str:
    """The page's ink bound (%, see the module docstring) and the plates its marks ink (in
    Ghostscript's order: Black, Cyan, Magenta, Yellow), or why it cannot be bounded.

    glyph_boxes(first, end) → the box (page space) of that glyph run, or None when a glyph
    has no outline information. clip: the box the render would be clipped to (marks wholly
    outside it, such as printer's marks, do not count); grow: widen every box by this, pt."""
    if marks.unprovable:
        return marks.unprovable
    vectors: list[tuple[Box, tuple]] = []  # (box, cmyk)
    images: list[tuple[Box, float, tuple]] = []  # (box, TAC %, plates)

    def grown(b: Box) -> Box:
        return (b[0] - grow, b[1] - grow, b[2] + grow, b[3] + grow)

    memo: dict = {}
    for first, end, space, values, _ in marks.texts:
        key = (space, values)
        cmyk = memo[key] if key in memo else memo.setdefault(key, cmyk_of(space, values))
        if cmyk is None:
            return f"text in {space.label}"
        if not any(cmyk):
            continue  # white: no ink
        box = glyph_boxes(first, end)
        if box is None:
            return "text in a font without outline information"
        if not _outside(box, clip):
            vectors.append((grown(box), cmyk))
    for box, space, values in marks.vectors:
        cmyk = cmyk_of(space, values)
        if cmyk is None:
            return f"a paint in {space.label}"
        if any(cmyk) and not _outside(box, clip):
            vectors.append((grown(box), cmyk))
    for box, xobj, space in marks.images:
        if _outside(box, clip):
            continue
        found = image_ink(xobj, space)
        if found is None:
            return f"an image in {space.label} this check does not decode"
        images.append((grown(box), found[0], found[1]))
    plates = [any(v[1][c] > 0 for v in vectors) or any(i[2][c] for i in images) for c in range(4)]
    named = [name for name, used in sorted(zip(PLATES, plates)) if used]
    peak = 100.0 * max((v[1][3] for v in vectors if not any(v[1][:3])), default=0.0)
    candidates = [i[0] for i in images] + [v[0] for v in vectors if any(v[1][:3])]
    for b in candidates:
        total = _sum([i[1] for i in images if i[0][0] <= b[2] and b[0] <= i[0][2] and i[0][1] <= b[3] and b[1] <= i[0][3]])
        inks = [v[1] for v in vectors if v[0][0] <= b[2] and b[0] <= v[0][2] and v[0][1] <= b[3] and b[1] <= v[0][3]]
        if inks:
            total += 100.0 * _sum([_max(column) for column in zip(*inks)])
        peak = max(peak, total)
    return peak, named
