"""Post-render verification (出片校验): read the written PDF back and compare it with the frames.

The layout model says where every glyph, rule and photo should be; this module reads what the
PDF really draws — its content streams, fonts (``/Widths``, the embedded TrueType program's
glyph boxes) and ``ToUnicode`` CMaps, with pikepdf — and checks, page by page:

=====================  =====================================================================
code                   fault
=====================  =====================================================================
verify-width           a glyph drawn wider/narrower than its advance × size × the frame's
                       horizontal scale (a stray ``Tz``, a scaled text or CTM matrix)
verify-size            a glyph drawn at another size than its line's
verify-spacing         character / word spacing (``Tc``, ``Tw``) moving the next glyph
verify-rise            a text rise (``Ts``) lifting a glyph off its baseline
verify-skew            rotated or skewed text
verify-position        a glyph drawn away from where the frame puts it
verify-text            the text a reader extracts (``ToUnicode``) differs from the frame's
                       text, e.g. a supplementary-plane character mapped without UTF-16
verify-missing         text of the frames that is not in the PDF (a missing line, glyphs)
verify-extra           glyphs in the PDF that no frame has
verify-order           a line drawn out of reading order (text extraction would scramble it)
verify-overlap-glyph   a glyph's ink box overlapping another glyph's
verify-overlap-rule    … a stroked rule or a box frame
verify-overlap-photo   … a photo
verify-covered         … a fill painted on top of it
verify-module          a glyph or photo outside its story's cell (module, 版块)
verify-type-area       anything drawn inside the trim but outside the type area (版心)
verify-photo           a photo of the frames not drawn where they put it, or one they lack
verify-unreadable      content the verifier cannot read (a warning: not verified)
=====================  =====================================================================

"Reading order" is the content-stream order, which is what copy-and-paste and most text
extractors follow in an untagged PDF; the frames list lines in reading order (furniture,
then each story's items), so the drawn glyphs, in stream order, must spell the frames'
lines in order.

Geometry: the page's ``/TrimBox`` fixes the engine's coordinates — points, origin at the
trim's top-left corner, y down (frames.py). A glyph's *ink box* is its outline's bounding box
(the ``glyf`` header of the embedded program) placed by the full text rendering matrix and
cut to the glyph's advance (an overhang past a side bearing, as of "f" or "j", is the face's
design, not a collision); fonts without one fall back to the ideographic em box (0.88 em
above the baseline, 0.12 below, as ``PageGeometry.baseline``). Boxes are shrunk by
``INK_TOLERANCE`` before collision tests so that glyphs that merely touch (a —— pair joined
edge to edge) do not count. Photos are the unit square under the CTM of each image ``Do``;
rules and box frames are stroked paths widened by half the line width (not along a level or
plumb segment with butt caps); fills painted *before* a glyph are its background (a banner),
fills painted after it cover it.

The content interpreter here tracks the text state (``Tc Tw Tz TL Tf Ts Tm``), decodes each
string into glyphs with the font's widths, and follows paths and image placement. Streams are
read by ``pdfread.own_items`` (a fast reader for the syntax reportlab writes, which hands over
each text-showing run ``[Tm] [/F2+1 9 Tf 10.8 TL] (…) Tj`` as one item; anything else is read
by pikepdf, one instruction at a time, with the same result). A run's glyphs are kept as the
run (its codes, state and matrix, and each glyph's offset along it), not as objects: the plain
checks make :class:`Drawn` objects of them, the numpy checks (many glyphs) numpy columns
(:class:`_Columns`) with the same arithmetic, float for float, and look at a glyph as a Drawn
only for a finding. With ``readback`` (``paperlayout build`` with its preflight) the same pass
also keeps preflight's colour state and calls preflight's own operator handlers on it, so
``preflight(own=True)`` gets its colour, text and image records — and the ink marks of
``inkbound`` — without reading the file again (:class:`Readback`); both share the matrix
convention (``preflight.concat``).

A PDF of ``FORK_PAGES`` pages or more is checked in two processes when it can be (``os.fork``,
two CPUs, no other thread running, not macOS; ``PAPERLAYOUT_VERIFY_PROCESSES=1`` says one — forking.py): a forked child
reads and checks the later pages, about half the content, and hands back its findings (replayed
after the parent's, so they come in the same order) and what preflight uses of its reading;
a child that fails hands nothing back and its pages are checked in the parent.

Cost (the 16-page issue of ``benchmarks/make_synthetic.py``: 113,000 glyphs, 285,000
operators; every story freshly edited, ``paperlayout build`` with preflight, on the shared
2-core machine at a load of about 2.7): ``verify_laid(readback=True)`` 0.66 s CPU in one
process, numpy's import included (1.15 s before runs and columns) — reading about 0.42 s of it
(the regular expression 0.09 s, the interpreter with preflight's colour state the rest), the
checks with their columns 0.12 s. Forked: 0.42 s in the parent and 0.35 s in the child, so
0.05–0.15 s more CPU (copy-on-write faults of a 230 MB process, the hand-over) for 0.41 s of
wall instead of 0.6 on two free cores. The sample page (5,091 glyphs) is checked in one process
without numpy (0.05 s). The garbage collector is paused while reading
(``pdfread.collector_paused``).
"""

from __future__ import annotations

import math
import re
import struct
from collections import defaultdict
from itertools import accumulate, chain
from operator import itemgetter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name

from . import pdfread
from . import preflight as _pf
from .diagnostics import Diagnostic, Level
from .frames import PageFrame, Picture, TextLine
from .inkbound import InkMarks
from .placeholder import is_placeholder
from .preflight import IDENTITY, Matrix, concat

if TYPE_CHECKING:
    from .styles import PageGeometry

#: A glyph is where its frame puts it when its origin is within this, pt (the PDF writes
#: coordinates with 4–7 significant digits: 0.0005 pt at 1000 pt).
POSITION_TOLERANCE = 0.05
#: Relative tolerance on drawn scale and size (0.2 %: Widths are whole 1/1000 em).
SCALE_TOLERANCE = 0.002
#: Ink boxes are shrunk by this on every side before collision tests, pt.
INK_TOLERANCE = 0.1
#: Containment in a cell or the type area allows this much, pt.
AREA_TOLERANCE = 0.5
#: Findings of one code on one page listed before the rest are only counted.
MAX_PER_CODE = 12
#: The ideographic em box around the baseline, em (styles.PageGeometry.baseline).
EM_TOP, EM_BOTTOM = 0.88, 0.12

Box = tuple[float, float, float, float]  # x0, y0, x1, y1: engine coordinates, y down


# -- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The outcome: diagnostics (errors are real faults) and what was measured.

    figures: pages, glyphs read, glyphs matched to frames, rules, fills, photos, and per
    code the number of findings before grouping.
    """

    diagnostics: tuple[Diagnostic, ...]
    figures: dict
    #: With ``verify_pdf(readback=True)``: the reading preflight(own=True) reuses (Readback).
    readback: object = field(default=None, compare=False, repr=False)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.level == Level.ERROR)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        """For the JSON report: figures, error count and every diagnostic."""
        return {
            "figures": self.figures,
            "errors": len(self.errors),
            "diagnostics": [{"level": d.level.value, "code": d.code, "where": d.where, "message": d.message}
                            for d in self.diagnostics],
        }


# -- fonts -------------------------------------------------------------------------------


class _Font:
    """What the verifier needs of one simple PDF font (one byte per code): advances (em, from
    ``/Widths``), the ToUnicode text and raw entry per code, ink boxes in em."""

    def __init__(self, font: Dictionary, name: str) -> None:
        self.name = name
        self.base = str(font.get(Name.BaseFont, name))[1:] if Name.BaseFont in font else name
        self.problem = ""
        self.widths: dict[int, float] = {}
        self.default_width = 0.0
        self.unicode: dict[int, str] = {}
        self.raw_unicode: dict[int, str] = {}
        self.ink: dict[int, tuple[float, float, float, float] | None] = {}
        self._glyphs: dict[int, tuple] = {}
        self._table: tuple | None = None
        self._arrays: tuple | None = None
        self._advances: dict = {}
        self._texts: list[str] | None = None
        subtype = font.get(Name.Subtype)
        descriptor = font.get(Name.FontDescriptor)
        if subtype in (Name.TrueType, Name.Type1, Name("/MMType1")):
            first = int(font.get(Name.FirstChar, 0))
            widths = font.get(Name.Widths)
            missing = float(descriptor.get(Name.MissingWidth, 0)) if isinstance(descriptor, Dictionary) else 0.0
            self.default_width = missing / 1000.0
            if isinstance(widths, Array):
                for k, w in enumerate(widths):
                    self.widths[first + k] = float(w) / 1000.0
            elif Name.BaseFont in font:
                self.problem = f"font {self.base} has no /Widths (a standard-14 font?): widths not verified"
            self._read_program(descriptor)
        else:
            # Type0 (CID) and Type3 fonts: the renderer writes neither (reportlab embeds
            # TrueType subsets as simple fonts); say so rather than guess
            self.problem = f"font {self.base}: {subtype} fonts are not read by the verifier"
            return
        to_unicode = font.get(Name.ToUnicode)
        if isinstance(to_unicode, pikepdf.Stream):
            self._read_cmap(bytes(to_unicode.read_bytes()))

    def glyph(self, code: int) -> tuple[float, tuple | None, str]:
        """(advance em, ink box em or None for none, ToUnicode text) of a code, memoised; a
        code without outline information gets the em box (0.88 em up, 0.12 down)."""
        found = self._glyphs.get(code)
        if found is None:
            w0 = self.widths.get(code, self.default_width)
            ink = self.ink.get(code, ...)
            if ink is ...:
                ink = (0.0, -EM_BOTTOM, w0, EM_TOP)
            found = self._glyphs[code] = (w0, ink, self.unicode.get(code, ""))
        return found

    def table(self) -> tuple[list, list, list, list]:
        """Per code 0–255: advance (em), ink box as :meth:`glyph` gives it (zeros for none),
        whether there is one, whether the program has outline information for the code
        (``ink``); made once (the numpy columns index it)."""
        if self._table is None:
            glyphs = [self.glyph(code) for code in range(256)]
            self._table = ([g[0] for g in glyphs], [g[1] if g[1] is not None else (0.0, 0.0, 0.0, 0.0) for g in glyphs],
                           [g[1] is not None for g in glyphs], [code in self.ink for code in range(256)])
        return self._table

    def arrays(self):
        """:meth:`table` as numpy arrays (advances 256, ink boxes 256 × 4, has ink 256,
        has outline information 256), made once."""
        if self._arrays is None:
            import numpy as np

            w, ink, has, known = self.table()
            self._arrays = (np.array(w, dtype=float), np.array(ink, dtype=float), np.array(has, dtype=bool),
                            np.array(known, dtype=bool))
        return self._arrays

    def texts(self) -> list[str]:
        """Per code 0–255 its ToUnicode text ("" for none)."""
        if self._texts is None:
            self._texts = [self.glyph(code)[2] for code in range(256)]
        return self._texts

    def _read_program(self, descriptor) -> None:
        """Ink boxes (em) per code from an embedded TrueType program, if there is one."""
        if not isinstance(descriptor, Dictionary) or Name.FontFile2 not in descriptor:
            return
        try:
            data = bytes(descriptor[Name.FontFile2].read_bytes())
            tables = _sfnt_tables(data)
            upem = struct.unpack_from(">H", data, tables["head"][0] + 18)[0]
            long_loca = struct.unpack_from(">h", data, tables["head"][0] + 50)[0] == 1
            cmap = _sfnt_cmap(data, tables.get("cmap"))
            if cmap is None:
                return
            loca_off, loca_len = tables["loca"]
            glyf_off = tables["glyf"][0]
            count = loca_len // (4 if long_loca else 2) - 1
        except (KeyError, struct.error, ValueError):
            return
        for code, gid in cmap.items():
            if not 0 <= gid < count:
                continue
            if long_loca:
                a, b = struct.unpack_from(">LL", data, loca_off + 4 * gid)
            else:
                a, b = (2 * v for v in struct.unpack_from(">HH", data, loca_off + 2 * gid))
            if b <= a:
                self.ink[code] = None  # an empty glyph (a space)
                continue
            _, x0, y0, x1, y1 = struct.unpack_from(">hhhhh", data, glyf_off + a)
            self.ink[code] = (x0 / upem, y0 / upem, x1 / upem, y1 / upem)

    def _read_cmap(self, data: bytes) -> None:
        text = data.decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f\s]*)>\s*<([0-9A-Fa-f\s]*)>", block):
                code = int(src.replace(" ", "") or "0", 16)
                self.raw_unicode[code] = dst.strip().upper()
                self.unicode[code] = _utf16(dst)
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])", block):
                lo_i, hi_i = int(lo, 16), int(hi, 16)
                if dst.startswith("["):
                    for k, item in enumerate(re.findall(r"<([0-9A-Fa-f\s]*)>", dst)):
                        self.raw_unicode[lo_i + k] = item.upper()
                        self.unicode[lo_i + k] = _utf16(item)
                    continue
                digits = re.sub(r"\s", "", dst[1:-1])
                start = int(digits or "0", 16)
                for k in range(hi_i - lo_i + 1):
                    value = f"{start + k:0{len(digits)}X}"
                    self.raw_unicode[lo_i + k] = value
                    self.unicode[lo_i + k] = _utf16(value)


def _utf16(hex_digits: str) -> str:
    """A ToUnicode destination as text: UTF-16BE (PDF 32000 §9.10.3). An odd digit count is
    padded with 0 (§7.3.4.3); undecodable bytes become U+FFFD — what a reader copies out."""
    digits = re.sub(r"\s", "", hex_digits)
    if len(digits) % 2:
        digits += "0"
    return bytes.fromhex(digits).decode("utf-16-be", errors="replace")


def _sfnt_tables(data: bytes) -> dict[str, tuple[int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for k in range(count):
        tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * k)
        out[tag.decode("latin-1")] = (offset, length)
    return out


def _sfnt_cmap(data: bytes, where) -> dict[int, int] | None:
    """Code → glyph id from a (1,0) or (3,0) subtable (formats 0 and 6: what reportlab's
    subsets carry), as a simple TrueType font's codes are looked up (PDF 32000 §9.6.6.4);
    None if there is none (the verifier then uses em boxes)."""
    if where is None:
        return None
    base = where[0]
    count = struct.unpack_from(">H", data, base + 2)[0]
    subtables = {}
    for k in range(count):
        pid, eid, off = struct.unpack_from(">HHL", data, base + 4 + 8 * k)
        subtables.setdefault((pid, eid), base + off)
    for key, offset in (((1, 0), 0), ((3, 0), 0xF000)):
        pos = subtables.get(key)
        if pos is None:
            continue
        fmt = struct.unpack_from(">H", data, pos)[0]
        table: dict[int, int] = {}
        if fmt == 0:
            table = {code: gid for code, gid in enumerate(data[pos + 6: pos + 6 + 256])}
        elif fmt == 6:
            first, n = struct.unpack_from(">HH", data, pos + 6)
            gids = struct.unpack_from(f">{n}H", data, pos + 10)
            table = {first + k: g for k, g in enumerate(gids)}
        else:
            continue
        if offset:
            table = {code - offset: g for code, g in table.items() if code >= offset}
        return table
    return None


# -- reading the PDF ---------------------------------------------------------------------


@dataclass(slots=True)
class Drawn:
    """One glyph as the PDF draws it (engine coordinates, see the module docstring).

    x, y: origin on the baseline; size: effective font size, pt (vertical scale);
    hscale: effective horizontal scale relative to size (1.0 = the glyph's own advance);
    tz: the Tz in force, %; spacing: Tc (+ Tw) added after it, pt; rise: Ts, pt;
    skew: whether the text matrix rotates or skews; ink: ink box; text: ToUnicode text.
    """

    order: int
    font: _Font
    code: int
    text: str
    x: float
    y: float
    size: float
    hscale: float
    tz: float
    spacing: float
    rise: float
    skew: bool
    ink: Box | None
    visible: bool


@dataclass(slots=True)
class Paint:
    """A painted shape: kind "rule" (stroked open path), "frame" (stroked rectangle),
    "fill" or "photo"; box in engine coordinates (strokes include half their width)."""

    kind: str
    box: Box
    order: int


def _copied(state):
    """A shallow copy of a plain dataclass instance (``_GState``, ``preflight._State``: no
    slots, no __post_init__): what ``cls(**state.__dict__)`` makes, for a third of the cost."""
    out = object.__new__(state.__class__)
    out.__dict__.update(state.__dict__)
    return out


@dataclass
class _GState:
    ctm: Matrix = IDENTITY
    line_width: float = 1.0
    cap: int = 0
    tc: float = 0.0
    tw: float = 0.0
    th: float = 1.0
    leading: float = 0.0
    font: _Font | None = None
    size: float = 0.0
    rise: float = 0.0
    render: int = 0

    def copy(self) -> _GState:
        return _copied(self)


#: An item's "/F2+1 9 Tf 10.8" (``pdfread.own_items``: a run's Tf and the leading of its TL;
#: empty when the item is not a run or its run sets no font).
_RUN_FONT = itemgetter(4)
#: Entries of a run in ``_PageScan.runs``.
RUN = 16


@dataclass
class _PageScan:
    """What one page draws: its glyphs, kept per shown string (a *run*) while reading and
    turned into :class:`Drawn` objects (``glyphs``, for the plain checks) or numpy columns
    (:meth:`columns`, for many glyphs) only when checked; paints; reading problems.

    runs: per run, one after the other in one flat list (``RUN`` entries a run: no tuple
    per run for the garbage collector to visit), first glyph, Tm's six numbers, CTM, size
    pt, Th, Tc, Tw, Ts, Tr, order of the first glyph, font index in ``fonts``; raws: each run's codes; tx:
    per glyph its origin's
    offset along the run (text space units × Th, as ``Tj`` advances); texts: per glyph its
    ToUnicode text; count: glyphs read."""

    number: int
    trim: tuple[float, float, float, float]
    paints: list[Paint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    order: int = 0
    runs: list[tuple] = field(default_factory=list)
    raws: list[bytes] = field(default_factory=list)
    tx: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    fonts: list[_Font] = field(default_factory=list)
    count: int = 0
    _made: list | None = field(default=None, init=False, repr=False)  # the Drawn objects, once made
    _columns: object = field(default=None, init=False, repr=False)

    @property
    def glyphs(self) -> _Glyphs:
        """The glyphs as :class:`Drawn` objects, made on first use and kept with the scan
        (a view: neither it nor the columns refer back to the scan from the scan, so a scan
        let go is freed at once, even with the collector paused)."""
        return _Glyphs(self)

    def to_engine(self, x: float, y: float) -> tuple[float, float]:
        return x - self.trim[0], self.trim[3] - y

    def box(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        """A PDF user-space box (any corner order) in engine coordinates."""
        ax, ay = self.to_engine(min(x0, x1), max(y0, y1))
        bx, by = self.to_engine(max(x0, x1), min(y0, y1))
        return (ax, ay, bx, by)

    def drawn(self) -> list[Drawn]:
        """Every glyph as a :class:`Drawn`, in stream order (plain Python, one run at a time)."""
        out: list[Drawn] = []
        append = out.append
        t0, t3 = self.trim[0], self.trim[3]
        hypot = math.hypot
        txs, texts = self.tx, self.texts
        runs = self.runs
        for first, m0, m1, m2, m3, m4, m5, ctm, size, th, tc, tw, rise, render, order, fi, raw in zip(
                *(runs[k::RUN] for k in range(RUN)), self.raws):
            font = self.fonts[fi]
            glyph = font.glyph
            visible = render not in (3, 7)
            a, b, c, d, e, f = concat((m0, m1, m2, m3, m4, m5), ctm)
            tz = th * 100.0
            hs, fs = size * th, size
            sx, sy = hypot(a, b), hypot(c, d)
            skew = abs(b) > 1e-9 * sx or abs(c) > 1e-9 * sy or a < 0 or d < 0
            eff_size = abs(size) * sy
            hscale = th * sx / sy if sy else 0.0
            level = not skew and b == 0.0 and c == 0.0
            rise_sy = rise * sy
            if level:
                y = t3 - (rise * d + f)
            for k, code in enumerate(raw, first):
                tx = txs[k]
                w0, ink, _ = glyph(code)
                extra = tc + tw if code == 32 else tc
                if ink is not None:  # the ink within the advance: side-bearing overhangs (f, j) are design
                    ux0, ux1 = max(ink[0], 0.0) * hs + tx, min(ink[2], w0) * hs + tx
                    if ux1 <= ux0:
                        ink = None
                if level:  # the usual case: an upright, unrotated matrix
                    box = None if ink is None else (
                        ux0 * a + e - t0, t3 - ((ink[3] * fs + rise) * d + f),
                        ux1 * a + e - t0, t3 - ((ink[1] * fs + rise) * d + f))
                    append(Drawn(order, font, code, texts[k], tx * a + e - t0, y, eff_size, hscale, tz,
                                 extra * th * sx, rise_sy, skew, box, visible))
                else:
                    x, yy = self.to_engine(tx * a + rise * c + e, tx * b + rise * d + f)
                    box = None
                    if ink is not None:
                        uy0, uy1 = ink[1] * fs + rise, ink[3] * fs + rise
                        xs = [ux * a + uy * c + e for ux in (ux0, ux1) for uy in (uy0, uy1)]
                        ys = [ux * b + uy * d + f for ux in (ux0, ux1) for uy in (uy0, uy1)]
                        box = self.box(min(xs), min(ys), max(xs), max(ys))
                    append(Drawn(order, font, code, texts[k], x, yy, eff_size, hscale, tz,
                                 extra * th * sx, rise_sy, skew, box, visible))
                order += 1
        return out

    def columns(self) -> _Columns:
        """The glyphs as numpy columns (:class:`_Columns`), made once."""
        if self._columns is None:
            self._columns = _Columns.of(self)
        return self._columns


class _Glyphs(Sequence):
    """A page's glyphs as a sequence of :class:`Drawn`: its length is known while reading
    (``inkbound.InkMarks.note_text`` counts it per run); the objects are made on first use."""

    __slots__ = ("scan",)

    def __init__(self, scan: _PageScan) -> None:
        self.scan = scan

    def __len__(self) -> int:
        return self.scan.count

    def _all(self) -> list[Drawn]:
        scan = self.scan
        if scan._made is None or len(scan._made) != scan.count:
            scan._made = scan.drawn()
        return scan._made

    def __getitem__(self, k):
        return self._all()[k]

    def __iter__(self):
        return iter(self._all())


class _Columns:
    """A page's glyphs as numpy columns, one row per glyph in stream order: the values of
    :class:`Drawn` (``x y size hscale tz spacing rise skew visible order code font``; ``box``
    the ink box, n × 4, with ``has_box`` where there is one) computed with the same
    arithmetic as :meth:`_PageScan.drawn`, so each equals its Drawn's, float for float; and
    ``whole``, the whole outline's box (n × 4, engine coordinates, not cut to the advance),
    with ``whole_kind`` (0 a box, 1 none: no ink or invisible, 2 unknown: no outline
    information or skewed) for ``Readback.glyph_boxes``."""

    __slots__ = ("fonts", "texts", "x", "y", "size", "hscale", "tz", "spacing", "rise", "skew", "visible", "order", "code",
                 "font", "box", "has_box", "whole", "whole_kind")

    @classmethod
    def of(cls, scan: _PageScan) -> _Columns:
        import numpy as np

        self = cls()
        self.fonts, self.texts = scan.fonts, scan.texts  # for drawn(k); not the scan itself
        n = scan.count
        t0, t3 = scan.trim[0], scan.trim[3]
        runs = scan.runs
        count = len(runs) // RUN
        flat = chain.from_iterable
        values = np.array([runs[k::RUN] for k in range(8, 15)], dtype=float).reshape(7, -1).T  # size … order
        first = np.array(runs[0::RUN], dtype=np.intp)
        lengths = np.diff(np.append(first, n))
        run_of = np.repeat(np.arange(count), lengths)
        tm = np.array([runs[k::RUN] for k in range(1, 7)], dtype=float).reshape(6, -1).T
        ctm = np.fromiter(flat(runs[7::RUN]), dtype=float, count=6 * count).reshape(-1, 6)
        # concat(tm, ctm), elementwise: the same products and sums in the same order
        p, q, r_, s_, t, u = (ctm[:, k] for k in range(6))
        a0, b0, c0, d0, e0, f0 = (tm[:, k] for k in range(6))
        a, b = a0 * p + b0 * r_, a0 * q + b0 * s_
        c, d = c0 * p + d0 * r_, c0 * q + d0 * s_
        e, f = e0 * p + f0 * r_ + t, e0 * q + f0 * s_ + u
        size, th, tc, tw, rise = (values[:, k] for k in range(5))
        visible_run = (values[:, 5] != 3.0) & (values[:, 5] != 7.0)
        # per run, as drawn() computes it: a level matrix (b = c = 0) has hypot(a, 0) = |a|
        # exactly; any other run is computed in plain Python with math.hypot
        with np.errstate(all="ignore"):
            level_form = (b == 0.0) & (c == 0.0)
            sx, sy = np.abs(a), np.abs(d)
            for k in np.flatnonzero(~level_form).tolist():
                sx[k], sy[k] = math.hypot(a[k], b[k]), math.hypot(c[k], d[k])
            skew = (np.abs(b) > 1e-9 * sx) | (np.abs(c) > 1e-9 * sy) | (a < 0) | (d < 0)
            eff_size = np.abs(size) * sy
            hscale = np.where(sy != 0.0, th * sx / np.where(sy != 0.0, sy, 1.0), 0.0)
            level = ~skew & level_form
            codes = np.frombuffer(b"".join(scan.raws), dtype=np.uint8).astype(np.intp)
            fonts = np.array(runs[15::RUN], dtype=np.intp).reshape(-1)[run_of]
            used = sorted(set(runs[15::RUN]))  # the page's fonts, numbered 0… here
            renumber = np.zeros(len(scan.fonts), dtype=np.intp)
            renumber[used] = np.arange(len(used))
            local = renumber[fonts]
            tables = [scan.fonts[k].arrays() for k in used]
            widths, inks, has_ink, known = (np.stack([t[j] for t in tables]) if tables else
                                            np.zeros((0, 256) + ((4,) if j == 1 else ()), dtype=bool if j > 1 else float)
                                            for j in range(4))
            w0, ink, has = widths[local, codes], inks[local, codes], has_ink[local, codes]
            known = known[local, codes]
            tx = np.array(scan.tx, dtype=float)
            g = run_of
            a, b, c, d, e, f = a[g], b[g], c[g], d[g], e[g], f[g]
            size_g, th_g, rise_g = size[g], th[g], rise[g]
            hs, fs = size_g * th_g, size_g
            ux0 = np.maximum(ink[:, 0], 0.0) * hs + tx
            ux1 = np.minimum(ink[:, 2], w0) * hs + tx
            has_box = has & ~(ux1 <= ux0)
            lv = level[g]
            # level runs
            lx = tx * a + e - t0
            ly = t3 - (rise_g * d + f)
            lbox = np.stack([ux0 * a + e - t0, t3 - ((ink[:, 3] * fs + rise_g) * d + f),
                             ux1 * a + e - t0, t3 - ((ink[:, 1] * fs + rise_g) * d + f)], axis=1)
            # any other matrix
            gx = (tx * a + rise_g * c + e) - t0
            gy = t3 - (tx * b + rise_g * d + f)
            uy0, uy1 = ink[:, 1] * fs + rise_g, ink[:, 3] * fs + rise_g
            xs = [ux * a + uy * c + e for ux in (ux0, ux1) for uy in (uy0, uy1)]
            ys = [ux * b + uy * d + f for ux in (ux0, ux1) for uy in (uy0, uy1)]
            gbox = np.stack([_fold(np.minimum, xs) - t0, t3 - _fold(np.maximum, ys),
                             _fold(np.maximum, xs) - t0, t3 - _fold(np.minimum, ys)], axis=1)
            self.x = np.where(lv, lx, gx)
            self.y = np.where(lv, ly, gy)
            self.box = np.where(lv[:, None], lbox, gbox)
            self.has_box = has_box
            self.size = eff_size[g]
            self.hscale = hscale[g]
            self.tz = th_g * 100.0
            extra = np.where(codes == 32, tc[g] + tw[g], tc[g])
            self.spacing = extra * th_g * sx[g]
            self.rise = rise_g * sy[g]
            self.skew = skew[g]
            self.visible = visible_run[g]
            self.order = values[:, 6].astype(np.intp)[g] + (np.arange(n) - first[g])
            self.code = codes
            self.font = fonts
            # Readback.glyph_boxes: whole outlines (not cut to the advance), pt, PDF origin
            w = self.size * self.hscale
            whole = np.stack([self.x + ink[:, 0] * w, self.y - ink[:, 3] * self.size,
                              self.x + ink[:, 2] * w, self.y - ink[:, 1] * self.size], axis=1)
            self.whole = whole
            kind = np.where(has, 0, 1)
            kind = np.where(known & ~self.skew, kind, 2)
            self.whole_kind = np.where(self.visible, kind, 1).astype(np.int8)
        return self

    def drawn(self, k: int) -> Drawn:
        """Glyph ``k`` as a :class:`Drawn` (for a finding's message)."""
        font = self.fonts[int(self.font[k])]
        box = tuple(self.box[k].tolist()) if self.has_box[k] else None
        return Drawn(int(self.order[k]), font, int(self.code[k]), self.texts[k], float(self.x[k]),
                     float(self.y[k]), float(self.size[k]), float(self.hscale[k]), float(self.tz[k]),
                     float(self.spacing[k]), float(self.rise[k]), bool(self.skew[k]), box, bool(self.visible[k]))


def _fold(op, values):
    out = values[0]
    for v in values[1:]:
        out = op(out, v)
    return out


#: Operators that change nothing the verifier measures (colour, marked content, clipping …).
_NOT_GEOMETRY = frozenset({"ET", "k", "K", "g", "G", "rg", "RG", "cs", "CS", "sc", "scn", "SC", "SCN", "d", "j",
                           "M", "ri", "i", "W", "W*", "BMC", "BDC", "EMC", "MP", "DP", "BX", "EX", "sh", "d0", "d1"})


#: Faults an operator handler may raise on malformed operands (both interpreters catch these).
_FAULTS = (IndexError, KeyError, TypeError, ValueError, AttributeError)
#: Operators whose preflight handler the reader calls in its own branch for them.
_PF_INLINE = frozenset({"Tj", "TJ", "Tf", "TL", "Tm"})
_show_text, _set_font, _set_leading, _set_tm = _pf._show_text, _pf._set_font, _pf._set_leading, _pf._set_tm


class _Reader:
    """Interprets content streams (and the forms they draw) into glyphs and paints.

    With ``colour`` it also keeps preflight's colour state beside its own and calls
    preflight's operator handlers on it (``preflight._HANDLERS``, the same code its
    ``_interpret`` runs), so one pass over a stream gives verify its glyphs and preflight
    its colour, text and image uses (``self.colour``, a ``preflight._Scan`` equal to what
    ``preflight._scan`` records: the tests compare them) and the ink marks of
    :class:`InkMarks`.
    """

    def __init__(self, colour: bool = False) -> None:
        self.fonts: dict = {}
        self.widths_memo: dict = {}  # gs: (resources, name) → the line width it sets, or None
        self.kept: list = []
        self.colour = _pf._Scan() if colour else None
        self.tables: dict = {}  # run_of: (font, size, Th, Tc, Tw) → tables_of
        self.font_list: list[_Font] = []  # the fonts runs name by index (_PageScan.fonts)
        self.font_index: dict = {}
        self.marks: dict[int, InkMarks] = {}

    def font(self, resources, name) -> _Font | None:
        fonts = resources.get(Name.Font) if isinstance(resources, Dictionary) else None
        if not isinstance(fonts, Dictionary) or name not in fonts:
            return None
        obj = fonts[name]
        key = obj.objgen if obj.is_indirect else (id(obj), 0)
        font = self.fonts.get(key)
        if font is None:
            font = self.fonts[key] = _Font(obj, str(name)[1:])
        return font

    def page(self, number: int, page: pikepdf.Page) -> _PageScan:
        box = page.obj.get(Name.TrimBox) or page.obj.get(Name.MediaBox)
        trim = tuple(float(v) for v in box)
        scan = _PageScan(number, (min(trim[0], trim[2]), min(trim[1], trim[3]), max(trim[0], trim[2]), max(trim[1], trim[3])),
                         fonts=self.font_list)
        resources = page.obj.get(Name.Resources, Dictionary())
        if self.colour is not None:
            self.marks[number] = InkMarks(number)
            self.run(page.obj, resources, _GState(), scan, 0, _pf._State())
        else:
            self.run(page.obj, resources, _GState(), scan, 0)
        return scan

    def run(self, content, resources, gs: _GState, scan: _PageScan, depth: int, colour=None) -> None:
        """Interpret one stream; ``colour``: preflight's state (``_pf._State``) to keep too."""
        if depth > 12:
            return
        pscan = self.colour if colour is not None else None
        page = scan.number
        try:
            items, plain = pdfread.own_items(content)
        except pikepdf.PdfError as exc:
            scan.problems.append(f"unreadable content stream ({exc})")
            if pscan is not None:
                pscan.problems.append(f"page {page}: unreadable content stream ({exc}); content checks incomplete")
                pscan.problem_pages.add(page)
                self.marks[page].unprovable = "unreadable content"
            return
        known: dict[bytes, list] = {}  # operand text → operands (equal texts share one list)
        names: dict[bytes, str] = {}  # operator
        shown: dict[bytes, tuple] = {}  # a run's "/F2+1 9 Tf 10.8" → (fonts, size, leading)
        strings: dict[bytes, bytes] = {}  # a run's string token → its bytes
        linear: dict[bytes, tuple] = {}  # a run's "a b c d" of Tm → those numbers
        local: dict = {}  # preflight's text records by (font, size, Tm[:4]) since the last other operator
        if items and items[0].__class__ is tuple and not self.runs_readable(items, resources, page, shown):
            items = pdfread.expanded(items, plain)
        stack: list[_GState] = []
        pstack: list = []
        handlers = _pf._HANDLERS
        same_state, last_uses = False, ()
        marks = self.marks.get(page) if pscan is not None else None
        tm = tlm = IDENTITY
        path: list[list[tuple[float, float]]] = []
        rects: list[bool] = []
        fonts: dict[str, _Font | None] = {}  # this stream's font resources, by name
        tables = self.tables
        tx_extend, tx_pop, texts_extend = scan.tx.extend, scan.tx.pop, scan.texts.extend
        raws_append, runs_extend = scan.raws.append, scan.runs.extend
        for instruction in items:
            if instruction.__class__ is tuple:
                if len(instruction) == 2:
                    args, op = instruction
                else:
                    _, tml, tme, tmf, tf, fstr, lone, text, opname = instruction
                    if not fstr:  # one instruction
                        op = names.get(opname)
                        if op is None:
                            op = names[opname] = opname.decode("latin-1")
                        if lone:
                            args = [pdfread.string_operand(lone, plain)]
                        else:
                            args = known.get(text)
                            if args is None:
                                args = known[text] = pdfread.operands_of(text)
                    else:  # a run: [Tm] [Tf TL] Tj, as the branches for them below would read it
                        if tml:
                            lin = linear.get(tml)
                            if lin is None:
                                lin = linear[tml] = tuple(map(float, tml.split()))
                            tm = tlm = lin + (float(tme), float(tmf))
                            if pscan is not None:
                                if lin != colour.tm[:4]:
                                    same_state = False
                                colour.tm = colour.tlm = tm
                        if tf:
                            font, pf_font, size, lead = shown[tf]
                            if pscan is not None:
                                same_state = False
                                colour.font, colour.size = pf_font, size
                                colour.leading = lead
                            gs.font, gs.size = font, size
                            gs.leading = lead
                        raw = strings.get(fstr)
                        if raw is None:
                            raw = strings[fstr] = pdfread.string_operand(fstr, plain)
                        if pscan is not None:
                            if same_state:
                                pscan.texts.extend(last_uses)
                            else:
                                key = (colour.font, colour.size, colour.tm[:4])
                                uses = local.get(key)
                                if uses is not None:
                                    pscan.texts.extend(uses)
                                    last_uses, same_state = uses, True
                                else:
                                    count = len(pscan.texts)
                                    try:
                                        _show_text(colour, [raw], resources, page, pscan)
                                        last_uses = local[key] = pscan.texts[count:]
                                        same_state = True
                                    except _FAULTS as exc:
                                        self.colour_fault("Tj", exc, page)
                        first = scan.count
                        font = gs.font
                        if font is None:
                            scan.problems.append("text shown with no font set")
                        else:
                            if font.problem:
                                scan.problems.append(font.problem)
                            # run_of, written out (the commonest operation of a page)
                            try:
                                p_, q_, r_, s_, t_, u_ = tm
                            except _FAULTS as exc:
                                scan.problems.append(f"malformed 'Tj' operation ({exc})")
                                p_ = None
                        if font is not None and p_ is not None:
                            key = (font, gs.size, gs.th, gs.tc, gs.tw)
                            found = tables.get(key)
                            if found is None:
                                found = tables[key] = self.tables_of(key)
                            offsets = list(accumulate(map(found[0], raw), initial=0.0))
                            if raw:
                                tx_extend(offsets)
                                tx_pop()
                                texts_extend(map(found[1], raw))
                                raws_append(raw)
                                runs_extend((first, p_, q_, r_, s_, t_, u_, gs.ctm, gs.size, gs.th, gs.tc, gs.tw,
                                             gs.rise, gs.render, scan.order, found[2]))
                                scan.count = first + len(raw)
                                scan.order += len(raw)
                            advance = offsets[-1]
                            tm = (1 * p_ + 0 * r_, 1 * q_ + 0 * s_, 0 * p_ + 1 * r_, 0 * q_ + 1 * s_,
                                  advance * p_ + 0 * r_ + t_, advance * q_ + 0 * s_ + u_)
                        if marks is not None and scan.count != first:
                            if colour.render == 0 or colour.render == 4:  # what note_text records, inline
                                marks.texts.append((first, scan.count, colour.fill_space, colour.fill, colour.render))
                            else:
                                marks.note_text(scan, first, colour)
                        continue
            elif isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self.photo(gs, scan)
                if pscan is not None:
                    _pf._inline_image(instruction.iimage, resources, colour, page, pscan)
                    marks.unprovable = "an inline image"
                continue
            else:
                op = str(instruction.operator)
                args = instruction.operands
            if pscan is not None and op not in _PF_INLINE:  # preflight's colour interpreter, as _pf._interpret runs it
                same_state = False
                if local:
                    local = {}
                if op == "q":
                    pstack.append(_copied(colour))  # _pf._State.copy, without the dataclass __init__
                elif op == "Q":
                    if pstack:
                        colour.__dict__.update(pstack.pop().__dict__)
                elif op == "M":
                    marks.note_miter(args)
                handler = handlers.get(op)
                if handler is not None or op == "Do":
                    painted = len(pscan.paints)
                    try:
                        if op == "Do":
                            self.colour_xobject(args[0], resources, colour, page, marks)
                        else:
                            handler(colour, args, resources, page, pscan)
                    except _FAULTS as exc:
                        self.colour_fault(op, exc, page)
                    if len(pscan.paints) != painted:
                        joins = any(len(points) > 2 for points, rect in zip(path, rects) if not rect)
                        marks.note_paints(pscan.paints[painted:], colour, joins)
            try:
                # the commonest operators call preflight's handler here, not above: one dispatch.
                # Its text records depend only on the state (``_pf._show_text`` memoises them by
                # it): while nothing but text, Tm translations and TL came since the last text
                # operation, they are that operation's again. (Runs are read above: the
                # commonest of the rest come first.)
                if op in _NOT_GEOMETRY:
                    pass
                elif op == "q":
                    stack.append(gs.copy())
                elif op == "Q":
                    if stack:
                        gs = stack.pop()
                elif op == "BT":
                    tm = tlm = IDENTITY
                elif op == "Tj" or op == "TJ":
                    if pscan is not None:
                        if same_state:
                            pscan.texts.extend(last_uses)
                        else:
                            count = len(pscan.texts)
                            try:
                                _show_text(colour, args, resources, page, pscan)
                                last_uses, same_state = pscan.texts[count:], True
                            except _FAULTS as exc:
                                self.colour_fault(op, exc, page)
                    first = scan.count
                    tm = self.show(args[0], op == "TJ", tm, gs, scan) if op == "TJ" else \
                        self.show(args[-1], False, tm, gs, scan)
                    if marks is not None:
                        marks.note_text(scan, first, colour)
                elif op == "Tf":
                    if pscan is not None:
                        same_state = False
                        try:
                            _set_font(colour, args, resources, page, pscan)
                        except _FAULTS as exc:
                            self.colour_fault(op, exc, page)
                    name = str(args[0])
                    if name not in fonts:
                        fonts[name] = self.font(resources, args[0])
                    gs.font, gs.size = fonts[name], float(args[1])
                elif op == "TL":
                    if pscan is not None:
                        if args.__class__ is list and len(args) == 1 and args[0].__class__ is float:
                            colour.leading = args[0]  # what _set_leading sets, read already
                        else:
                            try:
                                _set_leading(colour, args, resources, page, pscan)
                            except _FAULTS as exc:
                                self.colour_fault(op, exc, page)
                    gs.leading = float(args[0])
                elif op == "Tm":
                    try:
                        matrix = tuple(map(float, args))
                    except (TypeError, ValueError):
                        matrix = None
                    if pscan is not None:
                        if matrix is not None and len(matrix) == 6:  # what _set_tm sets, read already
                            if matrix[:4] != colour.tm[:4]:
                                same_state = False
                            colour.tm = colour.tlm = matrix
                        else:
                            same_state = False
                            try:
                                _set_tm(colour, args, resources, page, pscan)
                            except _FAULTS as exc:
                                self.colour_fault(op, exc, page)
                    tm = tlm = matrix if matrix is not None else tuple(map(float, args))  # (raises again)
                elif op == "'" or op == '"':
                    if op == '"':
                        gs.tw, gs.tc = float(args[0]), float(args[1])
                    tm = tlm = concat((1, 0, 0, 1, 0, -gs.leading), tlm)
                    first = scan.count
                    tm = self.show(args[-1], False, tm, gs, scan)
                    if marks is not None:
                        marks.note_text(scan, first, colour)
                elif op == "Td" or op == "TD":
                    tx, ty = float(args[0]), float(args[1])
                    if op == "TD":
                        gs.leading = -ty
                    tm = tlm = concat((1, 0, 0, 1, tx, ty), tlm)
                elif op == "T*":
                    tm = tlm = concat((1, 0, 0, 1, 0, -gs.leading), tlm)
                elif op == "Tz":
                    gs.th = float(args[0]) / 100.0
                elif op == "Tc":
                    gs.tc = float(args[0])
                elif op == "Tw":
                    gs.tw = float(args[0])
                elif op == "Ts":
                    gs.rise = float(args[0])
                elif op == "Tr":
                    gs.render = int(args[0])
                elif op == "cm":
                    gs.ctm = concat(tuple(float(v) for v in args), gs.ctm)
                elif op == "w":
                    gs.line_width = float(args[0])
                elif op == "J":
                    gs.cap = int(args[0])
                elif op == "gs":
                    k = (id(resources), str(args[0]))
                    width = self.widths_memo.get(k, ...)
                    if width is ...:
                        states = resources.get(Name.ExtGState) if isinstance(resources, Dictionary) else None
                        width = None
                        if isinstance(states, Dictionary) and args[0] in states and Name.LW in states[args[0]]:
                            width = float(states[args[0]][Name.LW])
                        self.widths_memo[k] = width
                        self.kept.append(resources)  # keeps its id unique while memoised
                    if width is not None:
                        gs.line_width = width
                elif op == "m":
                    path.append([(float(args[0]), float(args[1]))])
                    rects.append(False)
                elif op in ("l", "c", "v", "y"):
                    point = [(float(args[k]), float(args[k + 1])) for k in range(0, len(args), 2)]
                    if not path:
                        path.append([point[0]])
                        rects.append(False)
                    path[-1].extend(point)
                elif op == "h":
                    if path and path[-1]:
                        path[-1].append(path[-1][0])
                elif op == "re":
                    x, y, w, h = (float(v) for v in args)
                    path.append([(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)])
                    rects.append(True)
                elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
                    if op != "n":
                        self.paint(path, rects, op in ("S", "s", "B", "B*", "b", "b*"), op not in ("S", "s"), gs, scan)
                    path, rects = [], []
                elif op == "Do":
                    self.xobject(args[0], resources, gs, scan, depth, colour)
            except (IndexError, KeyError, TypeError, ValueError, AttributeError) as exc:
                scan.problems.append(f"malformed '{op}' operation ({exc})")

    def runs_readable(self, items: list, resources, page: int, shown: dict) -> bool:
        """Whether the text-showing runs of ``items`` (``pdfread.own_items``) can be read as
        runs: each font they name resolves without a fault (else the stream is read one
        instruction at a time, where ``Tf`` reports it). Fills ``shown``: "/F2+1 9 Tf 10.8"
        (a run's Tf and TL texts) → (verify's font or None, preflight's font name as
        ``_pf._set_font`` sets it, size, leading)."""
        fonts: dict[bytes, tuple] = {}
        for key in set(map(_RUN_FONT, items)):
            if not key:
                continue
            fname, fsize, _, flead = key.split()
            if fname not in fonts:
                name = pdfread.name_operand(fname)
                try:
                    font = self.font(resources, name)
                    pf_font = ""
                    if self.colour is not None:
                        probe = _pf._State()
                        _set_font(probe, [name, 0.0], resources, page, self.colour)
                        pf_font = probe.font
                except _FAULTS:
                    return False
                fonts[fname] = (font, pf_font)
            shown[key] = fonts[fname] + (float(fsize), float(flead))
        return True

    def show(self, operand, is_array: bool, tm: Matrix, gs: _GState, scan: _PageScan) -> Matrix:
        """Draw a string (or a TJ array): one run of glyphs per string, kept in ``scan``
        (see :class:`_PageScan`); returns the new text matrix."""
        font = gs.font
        if font is None:
            scan.problems.append("text shown with no font set")
            return tm
        if font.problem:
            scan.problems.append(font.problem)
        for part in (operand if is_array else (operand,)):
            if part.__class__ is bytes:
                raw = part
            elif isinstance(part, (pikepdf.String, bytes)):
                raw = bytes(part)
            else:
                tm = concat((1, 0, 0, 1, -float(part) / 1000.0 * gs.size * gs.th, 0), tm)
                continue
            tm = self.run_of(raw, tm, gs, font, scan)
        return tm

    def run_of(self, raw: bytes, tm: Matrix, gs: _GState, font: _Font, scan: _PageScan) -> Matrix:
        """Keep one run (a string's codes: simple fonts, one byte per code) drawn with
        ``font`` (not None) at ``tm``; returns the text matrix after it."""
        p, q, r, s, t, u = tm  # (a malformed Tm: raises before anything is kept)
        key = (font, gs.size, gs.th, gs.tc, gs.tw)
        tables = self.tables.get(key)
        if tables is None:
            tables = self.tables[key] = self.tables_of(key)
        offsets = list(accumulate(map(tables[0], raw), initial=0.0))
        if raw:
            first = scan.count
            scan.tx.extend(offsets)
            scan.tx.pop()
            scan.texts.extend(map(tables[1], raw))
            scan.raws.append(raw)
            scan.runs.extend((first, p, q, r, s, t, u, gs.ctm, gs.size, gs.th, gs.tc, gs.tw, gs.rise, gs.render,
                              scan.order, tables[2]))
            scan.count = first + len(raw)
            scan.order += len(raw)
        # concat((1, 0, 0, 1, advance, 0), tm), written out: the same products and sums
        tx = offsets[-1]
        return (1 * p + 0 * r, 1 * q + 0 * s, 0 * p + 1 * r, 0 * q + 1 * s, tx * p + 0 * r + t, tx * q + 0 * s + u)

    def tables_of(self, key: tuple) -> tuple:
        """For a run of ``key`` (font, size, Th, Tc, Tw): per code its advance (as ``Tj``
        moves: (w0 × size + Tc (+ Tw for code 32)) × Th) and its text, as lookups; and the
        font's index in ``self.font_list``."""
        font, size, th, tc, tw = key
        index = self.font_index.get(font)
        if index is None:
            index = self.font_index[font] = len(self.font_list)
            self.font_list.append(font)
        advances = [(font.glyph(code)[0] * size + (tc + tw if code == 32 else tc)) * th for code in range(256)]
        return advances.__getitem__, font.texts().__getitem__, index

    def paint(self, path, rects, stroke: bool, fill: bool, gs: _GState, scan: _PageScan) -> None:
        a, b, c, d, e, f = gs.ctm
        half = gs.line_width * math.sqrt(abs(a * d - b * c)) / 2 if stroke else 0.0
        for points, is_rect in zip(path, rects):
            if not points:
                continue
            xs = [x * a + y * c + e for x, y in points]
            ys = [x * b + y * d + f for x, y in points]
            if fill and len(points) > 2:
                scan.paints.append(Paint("fill", scan.box(min(xs), min(ys), max(xs), max(ys)), scan.order))
            if stroke:
                kind = "frame" if is_rect else "rule"
                for k in range(max(1, len(points) - 1)):
                    j = min(k + 1, len(points) - 1)
                    # butt caps (J 0) end at the end points: a level or plumb segment widens
                    # only across itself; anything else gets half the width all round
                    hx = 0.0 if gs.cap == 0 and not is_rect and abs(ys[k] - ys[j]) < 1e-9 < abs(xs[k] - xs[j]) else half
                    hy = 0.0 if gs.cap == 0 and not is_rect and abs(xs[k] - xs[j]) < 1e-9 < abs(ys[k] - ys[j]) else half
                    box = scan.box(min(xs[k], xs[j]) - hx, min(ys[k], ys[j]) - hy,
                                   max(xs[k], xs[j]) + hx, max(ys[k], ys[j]) + hy)
                    scan.paints.append(Paint(kind, box, scan.order))
            scan.order += 1

    def photo(self, gs: _GState, scan: _PageScan) -> None:
        a, b, c, d, e, f = gs.ctm
        xs = [e, a + e, c + e, a + c + e]
        ys = [f, b + f, d + f, b + d + f]
        scan.paints.append(Paint("photo", scan.box(min(xs), min(ys), max(xs), max(ys)), scan.order))
        scan.order += 1

    def xobject(self, name, resources, gs: _GState, scan: _PageScan, depth: int, colour=None) -> None:
        xobjects = resources.get(Name.XObject) if isinstance(resources, Dictionary) else None
        if not isinstance(xobjects, Dictionary) or name not in xobjects:
            return
        xobj = xobjects[name]
        subtype = xobj.get(Name.Subtype)
        if subtype == Name.Image:
            if not bool(xobj.get(Name.ImageMask, False)):
                self.photo(gs, scan)
        elif subtype == Name.Form:
            inner = gs.copy()
            matrix = tuple(float(v) for v in xobj.get(Name.Matrix, Array(list(IDENTITY))))
            inner.ctm = concat(matrix, gs.ctm)
            inner_colour = None
            if colour is not None:
                inner_colour = colour.copy()
                inner_colour.ctm = concat(matrix, colour.ctm)
            self.run(xobj, xobj.get(Name.Resources, resources), inner, scan, depth + 1, inner_colour)

    def colour_fault(self, op: str, exc: Exception, page: int) -> None:
        """Record a fault of preflight's handler, as ``_pf._interpret`` records it."""
        self.colour.problems.append(f"page {page}: malformed '{op}' operation ({exc}); content checks incomplete")
        self.colour.problem_pages.add(page)
        self.marks[page].unprovable = self.marks[page].unprovable or "malformed content"

    def colour_xobject(self, name, resources, state, page: int, marks: InkMarks) -> None:
        """Preflight's half of ``Do`` (``_pf._do`` without the form, which :meth:`run`
        interprets for both): record an image and its ink mark."""
        xobjects = resources.get(Name.XObject) if isinstance(resources, Dictionary) else None
        if not isinstance(xobjects, Dictionary) or name not in xobjects:
            return
        xobj = xobjects[name]
        if xobj.get(Name.Subtype) != Name.Image:
            return
        space = _pf._space(xobj.get(Name.ColorSpace, Name.DeviceGray), resources)
        mask = bool(xobj.get(Name.ImageMask, False))
        count = len(self.colour.images)
        _pf._record_image(self.colour, state, page, str(name)[1:], int(xobj.Width), int(xobj.Height), space,
                          int(xobj.get(Name.BitsPerComponent, 1)), mask)
        if len(self.colour.images) != count:
            marks.note_image(xobj, space, mask, state)


def read_pdf(pdf: pikepdf.Pdf) -> list[_PageScan]:
    """Every page's drawn glyphs and paints (engine coordinates per page's TrimBox)."""
    reader = _Reader()
    return [reader.page(number, page) for number, page in enumerate(pdf.pages, start=1)]


@dataclass(frozen=True, eq=False)
class Readback:
    """One reading of a PDF paperlayout wrote, shared by verify and ``preflight(own=True)``.

    data: the PDF's bytes (preflight checks the file it is given is these bytes before
    using the rest); pdf: it, open; pages: verify's scans (glyphs and paints, engine
    coordinates) — for the pages a forked child read (``FORK_PAGES``), only what
    :meth:`glyph_boxes` needs of them (:class:`_WholeBoxes`); colour: preflight's colour/text/image uses (``preflight._Scan``, the same
    records ``preflight._scan`` makes); marks: per page the ink marks (inkbound.InkMarks).
    """

    data: bytes | None
    pdf: pikepdf.Pdf
    pages: list
    colour: object
    marks: dict

    def glyph_boxes(self, page: int):
        """For inkbound.bound: (first, end) → the page-space box (pt, PDF origin) of the
        whole outlines of those glyphs of ``page`` (not cut to their advances), or None when
        one has no outline information or is rotated."""
        scan = self.pages[page - 1]
        if isinstance(scan, _WholeBoxes):
            return scan.boxes([(t[0], t[1]) for t in self.marks[page].texts])
        if scan._columns is not None or scan.count > NUMPY_GLYPHS:
            return _WholeBoxes.of(scan).boxes([(t[0], t[1]) for t in self.marks[page].texts])
        t0, t3 = scan.trim[0], scan.trim[3]
        glyphs = scan.glyphs

        def box(first: int, end: int):
            x0 = y0 = math.inf
            x1 = y1 = -math.inf
            for d in glyphs[first:end]:
                if not d.visible:
                    continue
                ink = d.font.ink.get(d.code, ...)
                if ink is ... or d.skew:
                    return None
                if ink is None:
                    continue
                w = d.size * d.hscale
                x0, x1 = min(x0, d.x + ink[0] * w), max(x1, d.x + ink[2] * w)
                y0, y1 = min(y0, d.y - ink[3] * d.size), max(y1, d.y - ink[1] * d.size)
            if x0 > x1:  # no ink (spaces): an empty box, outside any clip
                return (math.inf, math.inf, -math.inf, -math.inf)
            return (x0 + t0, t3 - y1, x1 + t0, t3 - y0)

        return box


@dataclass(frozen=True, eq=False)
class _WholeBoxes:
    """What ``Readback.glyph_boxes`` needs of a page's glyphs (:class:`_Columns`' ``whole``
    and ``whole_kind``, numpy arrays) and its trim; small enough to hand from one process
    to another."""

    whole: object
    kind: object
    trim: tuple[float, float, float, float]

    @classmethod
    def of(cls, scan: _PageScan) -> _WholeBoxes:
        cols = scan.columns()
        return cls(cols.whole, cols.whole_kind, scan.trim)

    def boxes(self, ranges: list[tuple[int, int]]):
        """box(first, end) as ``Readback.glyph_boxes`` gives it, every one of ``ranges``
        (ascending, disjoint, non-empty: a page's text marks) computed at once."""
        import numpy as np

        t0, t3 = self.trim[0], self.trim[3]
        n = len(self.kind)
        known: dict[tuple[int, int], tuple | None] = {}
        ok = all(0 <= f < e <= n for f, e in ranges) and all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:]))
        if ranges and ok:
            inked = self.kind == 0
            cut = np.array(ranges, dtype=np.intp).ravel()
            # a min/max that skips what is not inked, as the loop skips it (fmin/fmax ignore NaN)
            lo = np.append(np.where(inked[:, None], self.whole[:, :2], np.inf), [[np.inf, np.inf]], axis=0)
            hi = np.append(np.where(inked[:, None], self.whole[:, 2:], -np.inf), [[-np.inf, -np.inf]], axis=0)
            unknown = np.append(self.kind == 2, False)
            x0 = np.fmin.reduceat(lo[:, 0], cut)[::2].tolist()
            y0 = np.fmin.reduceat(lo[:, 1], cut)[::2].tolist()
            x1 = np.fmax.reduceat(hi[:, 0], cut)[::2].tolist()
            y1 = np.fmax.reduceat(hi[:, 1], cut)[::2].tolist()
            bad = np.logical_or.reduceat(unknown, cut)[::2].tolist()
            for k, key in enumerate(ranges):
                known[key] = None if bad[k] else _whole_box(x0[k], y0[k], x1[k], y1[k], t0, t3)

        def box(first: int, end: int):
            key = (first, end)
            if key in known:
                return known[key]
            if any(self.kind[first:end] == 2):
                return None
            inked = self.whole[first:end][self.kind[first:end] == 0]
            if not len(inked):
                return (math.inf, math.inf, -math.inf, -math.inf)
            return _whole_box(float(np.fmin.reduce(inked[:, 0])), float(np.fmin.reduce(inked[:, 1])),
                              float(np.fmax.reduce(inked[:, 2])), float(np.fmax.reduce(inked[:, 3])), t0, t3)

        return box


def _whole_box(x0: float, y0: float, x1: float, y1: float, t0: float, t3: float) -> tuple:
    if x0 > x1:  # no ink (spaces): an empty box, outside any clip
        return (math.inf, math.inf, -math.inf, -math.inf)
    return (x0 + t0, t3 - y1, x1 + t0, t3 - y0)


def read_own(pdf: pikepdf.Pdf, data: bytes | None = None) -> Readback:
    """Read every page once for verify and preflight together (see :class:`Readback`)."""
    reader = _Reader(colour=True)
    pages = [reader.page(number, page) for number, page in enumerate(pdf.pages, start=1)]
    return Readback(data, pdf, pages, reader.colour, reader.marks)


# -- the expected page, from the frames --------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LineRef:
    """A frame line: where to report it and what it should read."""

    where: str
    story: str
    index: int  # position among the page's text lines (reading order)
    item: TextLine


@dataclass(slots=True)
class _Want:
    """One code the frame expects drawn: the line, the glyph, which code point of it."""

    line: _LineRef
    char: str
    x: float | None  # expected origin (None for the 2nd+ code point of a glyph)
    hscale: float


@dataclass(slots=True)
class _Wanted:
    """What a frame expects drawn, one entry per code point in reading order (columns):
    its character, expected origin x (None for the 2nd+ code point of a glyph), horizontal
    scale and the index of its line in ``lines``."""

    chars: list[str]
    xs: list
    hscales: list[float]
    line_of: list[int]
    lines: list[_LineRef]

    def want(self, k: int) -> _Want:
        return _Want(self.lines[self.line_of[k]], self.chars[k], self.xs[k], self.hscales[k])


def _wanted(frame: PageFrame) -> _Wanted:
    chars: list[str] = []
    xs: list = []
    hscales: list[float] = []
    line_of: list[int] = []
    lines: list[_LineRef] = []
    counters: dict[str, int] = defaultdict(int)
    for item in frame.items():
        if not isinstance(item, TextLine):
            continue
        counters[item.story] += 1
        place = f"story '{item.story}'" if item.story else "furniture"
        index = len(lines)
        lines.append(_LineRef(f"page {frame.number} / {place} / line {counters[item.story]} ({item.role})",
                              item.story, index, item))
        x0 = item.x
        for g in item.line.glyphs:
            shown = g.text if g.draw is None else g.draw
            if not shown or shown == "\n":
                continue
            if len(shown) == 1:
                chars.append(shown)
                xs.append(x0 + g.x + g.dx)
                hscales.append(g.hscale)
                line_of.append(index)
            else:
                for k, ch in enumerate(shown):
                    chars.append(ch)
                    xs.append(x0 + g.x + g.dx if k == 0 else None)
                    hscales.append(g.hscale)
                    line_of.append(index)
    return _Wanted(chars, xs, hscales, line_of, lines)


def _expected(frame: PageFrame) -> tuple[list[_Want], list[_LineRef]]:
    wanted = _wanted(frame)
    return [wanted.want(k) for k in range(len(wanted.chars))], wanted.lines


def _cell_boxes(frame: PageFrame, geometry: PageGeometry) -> dict[str, Box]:
    out = {}
    for story in frame.stories:
        c = story.cell
        x0 = geometry.column_x(c.column)
        out[story.story] = (x0, geometry.row_y(c.row), x0 + geometry.span_width(c.columns), geometry.row_y(c.row + c.rows))
    return out


# -- checks ------------------------------------------------------------------------------


class _Findings:
    """Findings grouped per (where, code): the first message and how many more."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str], list] = {}
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, page: int, where: str, code: str, message: str, level: Level = Level.ERROR) -> None:
        self.counts[code] += 1
        group = self.groups.get((where, code))
        if group is None:
            self.groups[(where, code)] = [page, level, message, 0]
        else:
            group[3] += 1

    def diagnostics(self, limit: int | None = MAX_PER_CODE) -> tuple[Diagnostic, ...]:
        """Grouped findings; past ``limit`` groups of one code on one page (None: no limit),
        one line counts the rest."""
        out: list[Diagnostic] = []
        shown: dict[tuple[int, str], int] = defaultdict(int)
        hidden: dict[tuple[int, str], int] = defaultdict(int)
        hidden_level: dict[tuple[int, str], Level] = {}
        for (where, code), (page, level, message, more) in self.groups.items():
            key = (page, code)
            if limit is not None and shown[key] >= limit:
                hidden[key] += 1 + more
                if hidden_level.get(key) != Level.ERROR:
                    hidden_level[key] = level
                continue
            shown[key] += 1
            if more:
                message += f" (and {more} more like it here)"
            out.append(Diagnostic(level, code, where, message))
        for (page, code), count in hidden.items():
            out.append(Diagnostic(hidden_level[(page, code)], code, f"page {page}",
                                  f"… and {count} more {code} findings on this page"))
        return tuple(out)


def _u(text: str) -> str:
    return " ".join(f"U+{ord(ch):04X}" for ch in text) or "nothing"


def _show(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _inside(box: Box, area: Box, tol: float = AREA_TOLERANCE) -> bool:
    return box[0] >= area[0] - tol and box[1] >= area[1] - tol and box[2] <= area[2] + tol and box[3] <= area[3] + tol


def _overlap(p: Box, q: Box) -> bool:
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def _match(drawn: list[Drawn], wants: list[_Want]) -> tuple[list[tuple[Drawn, _Want]], list[Drawn], list[_Want]]:
    """Pair drawn glyphs with wanted ones in reading order (see :func:`_match_indices`)."""
    found = _match_indices([d.text for d in drawn], [w.char for w in wants])
    if found is None:
        return list(zip(drawn, wants)), [], []
    di, wi, extra, missing = found
    return [(drawn[d], wants[w]) for d, w in zip(di, wi)], [drawn[k] for k in extra], [wants[k] for k in missing]


def _match_indices(texts: list[str], chars: list[str]):
    """Pair drawn glyphs (their texts) with wanted ones (their characters) in reading
    order: None when the sequences are the same (the fast path: glyph k is want k), else
    a difflib alignment as (drawn indices, wanted indices) of the pairs — replaced runs of
    equal length pair up — and the drawn and the wanted indices left over."""
    if texts == chars:
        return None
    di: list[int] = []
    wi: list[int] = []
    extra: list[int] = []
    missing: list[int] = []
    matcher = SequenceMatcher(None, texts, chars, autojunk=False)
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i1 - i0 == j1 - j0):
            di.extend(range(i0, i1))
            wi.extend(range(j0, j1))
        else:
            extra.extend(range(i0, i1))
            missing.extend(range(j0, j1))
    return di, wi, extra, missing


def _check_pairs(pairs, findings: _Findings, page: int) -> None:
    """Each drawn glyph against its frame glyph: text, size, scale, spacing, place."""
    for d, w in pairs:
        _check_pair(d, w, findings, page)


def _check_pairs_np(cols: _Columns, texts: list[str], drawn_at, wanted: _Wanted, wanted_at, findings: _Findings,
                    page: int) -> None:
    """:func:`_check_pairs` with numpy: the pairs (drawn glyph ``drawn_at[k]``, wanted
    ``wanted_at[k]``, index arrays) that break no rule are found at once; the others go
    through :func:`_check_pair` in order, so the findings are the same."""
    import numpy as np

    if not len(drawn_at):
        return
    lines = wanted.lines
    line_of = np.array(wanted.line_of, dtype=np.intp)[wanted_at]
    line_size = np.array([ref.item.line.size for ref in lines], dtype=float)[line_of]
    line_y = np.array([ref.item.y for ref in lines], dtype=float)[line_of]
    w_h = np.array(wanted.hscales, dtype=float)[wanted_at]
    w_x = np.array([np.nan if x is None else x for x in wanted.xs], dtype=float)[wanted_at]
    has_x = np.array([x is not None for x in wanted.xs], dtype=bool)[wanted_at]
    chars = wanted.chars
    with np.errstate(all="ignore"):
        bad = np.abs(cols.size[drawn_at] - line_size) > SCALE_TOLERANCE * line_size
        bad |= np.abs(cols.hscale[drawn_at] - w_h) > SCALE_TOLERANCE * w_h
        bad |= np.abs(cols.spacing[drawn_at]) > 0.01
        bad |= np.abs(cols.rise[drawn_at]) > 0.01
        bad |= cols.skew[drawn_at] | ~cols.visible[drawn_at]
        bad |= has_x & ((np.abs(cols.x[drawn_at] - w_x) > POSITION_TOLERANCE) |
                        (np.abs(cols.y[drawn_at] - line_y) > POSITION_TOLERANCE))
    di, wi = drawn_at.tolist(), wanted_at.tolist()
    if texts is not chars:  # else the texts are known equal
        bad |= np.fromiter((texts[d] != chars[w] for d, w in zip(di, wi)), dtype=bool, count=len(di))
    for k in np.flatnonzero(bad).tolist():
        _check_pair(cols.drawn(di[k]), wanted.want(wi[k]), findings, page)


def _check_pair(d: Drawn, w: _Want, findings: _Findings, page: int) -> None:
    """One drawn glyph against its frame glyph: text, size, scale, spacing, place."""
    line, where = w.line.item, w.line.where
    if d.text != w.char:
        entry = d.font.raw_unicode.get(d.code)
        cause = (f"; font {d.font.base} ToUnicode maps code <{d.code:02X}> to <{entry}>" if entry is not None
                 else f"; font {d.font.base} has no ToUnicode entry for code <{d.code:02X}>")
        if ord(w.char[0]) > 0xFFFF:
            cause += f" (UTF-16 for it is <{w.char.encode('utf-16-be').hex().upper()}>)"
        findings.add(page, where, "verify-text",
                     f"the PDF text reads {d.text!r} ({_u(d.text)}) where the copy has {w.char!r} ({_u(w.char)}){cause}")
    size = line.line.size
    if abs(d.size - size) > SCALE_TOLERANCE * size:
        findings.add(page, where, "verify-size", f"{w.char!r} drawn at {d.size:.2f} pt, its line is {size:g} pt")
    if abs(d.hscale - w.hscale) > SCALE_TOLERANCE * w.hscale:
        if abs(d.tz / 100.0 - w.hscale) > SCALE_TOLERANCE * w.hscale:
            why = f"Tz {d.tz:g} in force: a horizontal scale leaked from an earlier run"
        else:
            why = f"Tz {d.tz:g}, but the text or graphics matrix stretches it {d.hscale * 100.0 / d.tz:.3f}× across"
        findings.add(page, where, "verify-width",
                     f"{w.char!r} drawn at {100 * d.hscale:.1f} % of its advance × size, the frame sets it at "
                     f"{100 * w.hscale:.1f} % ({why})")
    if abs(d.spacing) > 0.01:
        findings.add(page, where, "verify-spacing",
                     f"character/word spacing (Tc/Tw) adds {d.spacing:.2f} pt after {w.char!r}")
    if abs(d.rise) > 0.01:
        findings.add(page, where, "verify-rise", f"{w.char!r} raised {d.rise:.2f} pt off its baseline (Ts)")
    if d.skew:
        findings.add(page, where, "verify-skew", f"{w.char!r} drawn rotated or skewed")
    if w.x is not None:
        dx, dy = d.x - w.x, d.y - line.y
        if abs(dx) > POSITION_TOLERANCE or abs(dy) > POSITION_TOLERANCE:
            dx, dy = round(dx, 2) + 0.0, round(dy, 2) + 0.0  # no "-0.00"
            findings.add(page, where, "verify-position",
                         f"{w.char!r} drawn {dx:+.2f} pt across and {dy:+.2f} pt down from where its frame puts it")
    if not d.visible:
        findings.add(page, where, "verify-missing", f"{w.char!r} is drawn invisible (text render mode 3)")


def _report_unmatched(extra: list[Drawn], missing: list[_Want], lines: list[_LineRef], cells: dict[str, Box],
                      findings: _Findings, page: int) -> None:
    """Frame text not in the PDF (per line; whole lines said so) and glyphs no frame has;
    a whole line found elsewhere in the stream is out of reading order."""
    by_line: dict[int, list[_Want]] = defaultdict(list)
    for w in missing:
        by_line[w.line.index].append(w)
    stray_text = "".join(d.text for d in extra)
    moved: set[int] = set()
    for index, ws in by_line.items():
        ref = lines[index]
        text = "".join(w.char for w in ws)
        full = "".join(g.text if g.draw is None else g.draw for g in ref.item.line.glyphs if (g.draw or g.text) != "\n")
        if text == full and len(text) > 1 and text in stray_text:
            start = stray_text.index(text)
            moved.update(range(start, start + len(text)))
            findings.add(page, ref.where, "verify-order",
                         f"line {_show(text)!r} is drawn out of reading order (after the text that follows it)")
        elif text == full:
            findings.add(page, ref.where, "verify-missing", f"line {_show(text)!r} is not in the PDF")
        else:
            findings.add(page, ref.where, "verify-missing",
                         f"{_show(text)!r} of the line {_show(full)!r} is not in the PDF text")
    offset = 0
    for d in extra:
        span = range(offset, offset + len(d.text))
        offset += len(d.text)
        if any(k in moved for k in span):
            continue
        story = next((s for s, box in cells.items() if box[0] <= d.x <= box[2] and box[1] <= d.y <= box[3]), "")
        where = f"page {page} / story '{story}'" if story else f"page {page}"
        findings.add(page, where, "verify-extra",
                     f"glyph {d.text!r} ({_u(d.text)}, font {d.font.base}) drawn at ({d.x:.1f}, {d.y:.1f}) pt is in no frame")


#: Above this many glyphs in a PDF the geometry checks use numpy (:func:`_check_geometry_np`),
#: below in plain Python (:func:`_check_geometry`): the same findings; numpy's import
#: (~0.08 s CPU) costs more than the plain checks of one or two broadsheet pages.
NUMPY_GLYPHS = 12_000

#: Cell size of the spatial hash that finds candidate pairs of overlapping glyphs, pt.
GRID_STEP = 12.0


class _Grid:
    """A spatial hash (空间网格) of boxes (x0, y0, x1, y1, engine pt): each non-empty box is
    entered in every ``step``-pt cell it touches. Cells are counted within ±``extent`` pt (a
    box reaching beyond is entered up to the last cell on that side, which any box it
    overlaps out there also reaches), so a stray giant box costs no more than the page."""

    def __init__(self, boxes: Sequence[Sequence[float]], step: float = GRID_STEP, extent: float = 4000.0) -> None:
        self.boxes = [tuple(b) for b in boxes]
        self.step = step
        self.lo, self.hi = -extent // step, extent // step
        cells: dict[tuple[int, int], list[int]] = {}
        cell = self.cell
        for n, (x0, y0, x1, y1) in enumerate(self.boxes):
            if x0 < x1 and y0 < y1:
                i0, i1, j0, j1 = cell(x0), cell(x1), cell(y0), cell(y1)
                for i in range(i0, i1 + 1):
                    for j in range(j0, j1 + 1):
                        members = cells.get((i, j))
                        if members is None:
                            cells[(i, j)] = [n]
                        else:
                            members.append(n)
        self.cells = cells

    def cell(self, v: float) -> int:
        """The cell index of a coordinate (NaN counts as 0; ±inf as the last cell)."""
        c = v // self.step
        if c != c:  # inf // step is NaN in Python
            c = self.lo if v < 0 else self.hi if v > 0 else 0.0
        return int(self.lo if c < self.lo else self.hi if c > self.hi else c)

    def near(self, box: Sequence[float]) -> set[int]:
        """Indices of the boxes sharing a cell with ``box`` (x0 ≤ x1, y0 ≤ y1): candidates,
        not yet compared."""
        x0, y0, x1, y1 = box
        found: set[int] = set()
        cells = self.cells
        j0, j1 = self.cell(y0), self.cell(y1)
        for i in range(self.cell(x0), self.cell(x1) + 1):
            for j in range(j0, j1 + 1):
                got = cells.get((i, j))
                if got:
                    found.update(got)
        return found


def _overlapping_pairs(boxes, step: float = GRID_STEP, extent: float = 4000.0,
                       grid: _Grid | None = None) -> list[tuple[int, int]]:
    """Index pairs (k, j), k < j, ascending, of the boxes (x0, y0, x1, y1 each, engine pt)
    whose interiors overlap. Boxes sharing a cell of a :class:`_Grid` (``grid`` when given,
    made of ``boxes``) are compared exactly; empty boxes (x0 ≥ x1 or y0 ≥ y1) are left out."""
    grid = _Grid(boxes, step, extent) if grid is None else grid
    b = grid.boxes
    found: set[tuple[int, int]] = set()
    for members in grid.cells.values():
        if len(members) < 2:
            continue
        for u in range(len(members) - 1):
            k = members[u]
            kx0, ky0, kx1, ky1 = b[k]
            for j in members[u + 1:]:  # members ascend: k < j
                jx0, jy0, jx1, jy1 = b[j]
                if kx0 < jx1 and jx0 < kx1 and ky0 < jy1 and jy0 < ky1:
                    found.add((k, j))
    return sorted(found)


def _overlapping_pairs_np(boxes, step: float = GRID_STEP, extent: float = 4000.0):
    """Index pairs (k, j), k < j, ascending, of the boxes (an n × 4 array, engine pt) whose
    interiors overlap. Each box is entered in every ``step``-pt cell it touches (a spatial
    hash, with numpy: sorted cell keys); boxes sharing a cell are compared exactly. Boxes
    that are empty (x0 ≥ x1 or y0 ≥ y1) are left out. Cells are counted within ±``extent``
    pt (a box reaching beyond is entered up to the last cell on that side, which any box it
    overlaps out there also reaches), so a stray giant box costs no more than the page."""
    import numpy as np

    valid = np.flatnonzero((boxes[:, 0] < boxes[:, 2]) & (boxes[:, 1] < boxes[:, 3]))
    if len(valid) < 2:
        return []
    b = boxes[valid]
    lo, hi = -extent // step, extent // step

    def cell(values):
        return np.clip(np.floor_divide(np.nan_to_num(values), step), lo, hi).astype(np.int64)

    i0, i1, j0, j1 = cell(b[:, 0]), cell(b[:, 2]), cell(b[:, 1]), cell(b[:, 3])
    nx, ny = i1 - i0 + 1, j1 - j0 + 1
    count = nx * ny
    owner = np.repeat(np.arange(len(b)), count)
    within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    ci = np.repeat(i0, count) + within % np.repeat(nx, count)
    cj = np.repeat(j0, count) + within // np.repeat(nx, count)
    key = (ci - ci.min()) * (int(cj.max() - cj.min()) + 1) + (cj - cj.min())
    order = np.lexsort((owner, key))
    key, owner = key[order], owner[order]
    firsts, seconds = [], []
    for offset in range(1, len(key)):
        same = key[offset:] == key[:-offset]
        if not same.any():
            break
        firsts.append(owner[:-offset][same])
        seconds.append(owner[offset:][same])
    if not firsts:
        return []
    a, c = np.concatenate(firsts), np.concatenate(seconds)
    hit = (b[a, 0] < b[c, 2]) & (b[c, 0] < b[a, 2]) & (b[a, 1] < b[c, 3]) & (b[c, 1] < b[a, 3])
    codes = np.unique(a[hit] * len(b) + c[hit])  # the overlapping pairs, once each, in order
    a, c = codes // len(b), codes % len(b)
    return list(zip(valid[a].tolist(), valid[c].tolist()))


_PAINT_CODE = {"rule": ("verify-overlap-rule", "a rule"), "frame": ("verify-overlap-rule", "a box frame"),
               "photo": ("verify-overlap-photo", "a photo"), "fill": ("verify-covered", "a fill painted over it")}


def _check_geometry(scan: _PageScan, owner: dict[int, _LineRef], frame: PageFrame, geometry: PageGeometry | None,
                    findings: _Findings) -> None:
    """Collisions (glyph/glyph, glyph/paint), the module and the type area.

    The glyphs' ink boxes (shrunk by INK_TOLERANCE) go into one :class:`_Grid`: the glyph
    pairs come from :func:`_overlapping_pairs`, each paint is compared with the glyphs
    sharing its cells; findings are made in glyph (and pair) order, as a loop over the
    glyphs would."""
    page = scan.number
    glyphs = [d for d in scan.glyphs if d.visible and d.ink is not None]
    ink = [tuple(d.ink) for d in glyphs]
    boxes = [(x0 + INK_TOLERANCE, y0 + INK_TOLERANCE, x1 - INK_TOLERANCE, y1 - INK_TOLERANCE)
             for x0, y0, x1, y1 in ink]

    grid = _Grid(boxes)

    def under(box: Box) -> list[int]:
        x0, y0, x1, y1 = box
        near = grid.near((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        return sorted(k for k in near if boxes[k][0] < x1 and x0 < boxes[k][2] and boxes[k][1] < y1 and y0 < boxes[k][3])

    trim, where_of = _collisions(scan, glyphs, owner, findings, _overlapping_pairs(boxes, grid=grid), under)
    if geometry is None:
        return
    area = _type_area(geometry)
    cells = _cell_boxes(frame, geometry)
    tol = AREA_TOLERANCE

    def outside(b, lo_x, lo_y, hi_x, hi_y) -> bool:
        return b[0] < lo_x - tol or b[1] < lo_y - tol or b[2] > hi_x + tol or b[3] > hi_y + tol

    everywhere = (-math.inf, -math.inf, math.inf, math.inf)
    for k, d in enumerate(glyphs):
        ref = owner.get(d.order)
        off_area = outside(ink[k], *area)
        if not off_area and not outside(ink[k], *(cells.get(ref.story, everywhere) if ref is not None else everywhere)):
            continue
        _placement_finding(findings, page, d, ref, off_area, cells, where_of)
    _finish_placement(scan, frame, trim, area, cells, findings)


def _type_area(geometry: PageGeometry) -> Box:
    """The type area (版心) as (x0, y0, x1, y1), pt, origin at the trim's top left."""
    return (geometry.margin_left, geometry.margin_top, geometry.margin_left + geometry.type_width,
            geometry.margin_top + geometry.type_height)


def _check_geometry_np(scan: _PageScan, owner_line, lines: list[_LineRef], frame: PageFrame,
                       geometry: PageGeometry | None, findings: _Findings) -> None:
    """:func:`_check_geometry` with numpy on the page's columns (the same findings; for many
    glyphs). ``owner_line``: per glyph the index in ``lines`` of the frame line it was
    matched to, or -1.

    Ink boxes are numpy arrays: the glyph pairs come from :func:`_overlapping_pairs_np`,
    each paint is compared with every glyph at once, containment is one comparison per
    page; findings are made in glyph (and pair) order, as a loop over the glyphs would."""
    import numpy as np

    page = scan.number
    cols = scan.columns()
    chosen = np.flatnonzero(cols.visible & cols.has_box)  # the glyphs with ink
    ink = cols.box[chosen]
    boxes = ink + np.array([INK_TOLERANCE, INK_TOLERANCE, -INK_TOLERANCE, -INK_TOLERANCE])
    valid = (boxes[:, 0] < boxes[:, 2]) & (boxes[:, 1] < boxes[:, 3])
    glyphs = _ColumnGlyphs(cols, chosen)
    owner = _OwnerByOrder(cols.order, owner_line, lines)

    def under(box: Box) -> list[int]:
        x0, y0, x1, y1 = box
        hit = valid & (boxes[:, 0] < x1) & (x0 < boxes[:, 2]) & (boxes[:, 1] < y1) & (y0 < boxes[:, 3])
        return np.flatnonzero(hit).tolist()

    trim, where_of = _collisions(scan, glyphs, owner, findings, _overlapping_pairs_np(boxes), under,
                                 orders=cols.order[chosen].tolist())
    if geometry is None:
        return
    area = _type_area(geometry)
    cells = _cell_boxes(frame, geometry)
    tol = AREA_TOLERANCE

    def outside(box_of, lo_x, lo_y, hi_x, hi_y):
        return ((box_of[:, 0] < lo_x - tol) | (box_of[:, 1] < lo_y - tol) |
                (box_of[:, 2] > hi_x + tol) | (box_of[:, 3] > hi_y + tol))

    off_area = outside(ink, *area)
    stories = {story: k for k, story in enumerate(cells)}  # index of each story's cell; the last row: none
    table = np.array(list(cells.values()) + [(-math.inf, -math.inf, math.inf, math.inf)], dtype=float).reshape(-1, 4)
    none = len(cells)
    cell_of_line = np.array([stories.get(ref.story, none) for ref in lines] + [none], dtype=np.intp)
    line_of = owner_line[chosen]  # -1 (no line): the last entry, none
    cell_of = table[cell_of_line[line_of]]
    off_cell = outside(ink, cell_of[:, 0], cell_of[:, 1], cell_of[:, 2], cell_of[:, 3])
    for k in np.flatnonzero(off_area | off_cell).tolist():
        ref = lines[line_of[k]] if line_of[k] >= 0 else None
        _placement_finding(findings, page, glyphs[k], ref, bool(off_area[k]), cells, where_of)
    _finish_placement(scan, frame, trim, area, cells, findings)


class _ColumnGlyphs:
    """Glyphs ``chosen`` of a page's columns as a sequence of :class:`Drawn` made on use."""

    def __init__(self, cols: _Columns, chosen) -> None:
        self.cols, self.chosen = cols, chosen

    def __len__(self) -> int:
        return len(self.chosen)

    def __getitem__(self, k: int) -> Drawn:
        return self.cols.drawn(int(self.chosen[k]))


class _OwnerByOrder:
    """The frame line a glyph was matched to, by the glyph's order (``owner.get(order)`` as
    the dict of the plain checks), from the columns' ascending orders."""

    def __init__(self, orders, owner_line, lines: list[_LineRef]) -> None:
        self.orders, self.owner_line, self.lines = orders, owner_line, lines

    def get(self, order: int):
        import numpy as np

        k = int(np.searchsorted(self.orders, order))
        if k < len(self.orders) and self.orders[k] == order and self.owner_line[k] >= 0:
            return self.lines[int(self.owner_line[k])]
        return None


def _collisions(scan: _PageScan, glyphs: Sequence[Drawn], owner, findings: _Findings,
                pairs, under, orders=None) -> tuple[Box, object]:
    """Glyph/glyph and glyph/paint collisions, shared by the plain and numpy paths: ``pairs``
    the overlapping glyph index pairs in order, ``under(box)`` the indices of the glyphs a
    paint's box (pt, origin top left of the trim) meets, ascending. Returns the trim box and
    the locator of a glyph (its line's place, else the page)."""
    page = scan.number

    def where_of(d: Drawn) -> str:
        ref = owner.get(d.order)
        return ref.where if ref else f"page {page}"

    for k, j in pairs:
        a, b = glyphs[k], glyphs[j]
        other = owner.get(b.order)
        findings.add(page, where_of(a), "verify-overlap-glyph",
                     f"{a.text!r} overlaps {b.text!r}" + (f" of {other.where}" if other else "") +
                     f" at ({a.x:.1f}, {a.y:.1f}) pt")
    trim = (0.0, 0.0, scan.trim[2] - scan.trim[0], scan.trim[3] - scan.trim[1])
    for p in scan.paints:
        if not _overlap(p.box, trim):
            continue  # printer's marks, outside the trim
        code, name = _PAINT_CODE[p.kind]
        for k in under(p.box):
            if p.kind == "fill" and p.order < (glyphs[k].order if orders is None else orders[k]):
                continue  # a background beneath the text (a banner, a tint)
            d = glyphs[k]
            findings.add(page, where_of(d), code, f"{d.text!r} at ({d.x:.1f}, {d.y:.1f}) pt overlaps {name} "
                         f"at ({p.box[0]:.1f}, {p.box[1]:.1f})–({p.box[2]:.1f}, {p.box[3]:.1f}) pt")
    return trim, where_of


def _placement_finding(findings: _Findings, page: int, d: Drawn, ref, off_area: bool, cells: dict[str, Box],
                       where_of) -> None:
    """The finding of a glyph outside the type area (``off_area``) or else outside its
    story's cell (boxes in pt, origin top left of the trim)."""
    if off_area:
        findings.add(page, where_of(d), "verify-type-area",
                     f"{d.text!r} at ({d.x:.1f}, {d.y:.1f}) pt is outside the type area")
    else:
        c = cells[ref.story]
        findings.add(page, ref.where, "verify-module",
                     f"{d.text!r} at ({d.x:.1f}, {d.y:.1f}) pt is outside its story's cell "
                     f"({c[0]:.1f}, {c[1]:.1f})–({c[2]:.1f}, {c[3]:.1f}) pt")


def _finish_placement(scan: _PageScan, frame: PageFrame, trim: Box, area: Box, cells: dict[str, Box],
                      findings: _Findings) -> None:
    """Paints inside the trim but outside the type area, then the photos against the plan."""
    page = scan.number
    for p in scan.paints:
        if _overlap(p.box, trim) and not _inside(p.box, area):
            findings.add(page, f"page {page}", "verify-type-area",
                         f"{_PAINT_CODE[p.kind][1].split(' painted')[0]} at ({p.box[0]:.1f}, {p.box[1]:.1f})–"
                         f"({p.box[2]:.1f}, {p.box[3]:.1f}) pt is outside the type area")
    _check_photos(scan, frame, cells, findings)


def _check_photos(scan: _PageScan, frame: PageFrame, cells: dict[str, Box], findings: _Findings) -> None:
    page = scan.number
    drawn = [p.box for p in scan.paints if p.kind == "photo"]
    wanted = [(story.story, item) for story in frame.stories for item in story.items
              if isinstance(item, Picture) and not is_placeholder(item.path)]  # a placeholder: its frame items
    for story, pic in wanted:
        box = (pic.x, pic.y, pic.x + pic.w, pic.y + pic.h)
        hit = next((b for b in drawn if all(abs(u - v) <= AREA_TOLERANCE for u, v in zip(b, box))), None)
        where = f"page {page} / story '{story}'"
        if hit is None:
            findings.add(page, where, "verify-photo", f"photo {Path(pic.path).name} is not drawn at "
                         f"({box[0]:.1f}, {box[1]:.1f})–({box[2]:.1f}, {box[3]:.1f}) pt where its frame puts it")
        else:
            drawn.remove(hit)
            if story in cells and not _inside(hit, cells[story]):
                findings.add(page, where, "verify-module", f"photo {Path(pic.path).name} lies outside its story's cell")
    for b in drawn:
        findings.add(page, f"page {page}", "verify-photo",
                     f"a photo drawn at ({b[0]:.1f}, {b[1]:.1f})–({b[2]:.1f}, {b[3]:.1f}) pt is in no frame")


# -- entry points ------------------------------------------------------------------------


def verify_pdf(pdf_data: bytes | Path, frames: Sequence[PageFrame], geometry: PageGeometry | None = None,
               limit: int | None = MAX_PER_CODE, readback: bool = False,
               mono: frozenset[int] = frozenset()) -> Verification:
    """Verify the PDF (bytes or a path) against the frames it was rendered from, page by page.

    geometry: the page geometry (type area, grid → cells); without it the module, type
    area, fill and photo checks are skipped. limit: lines listed per code and page before
    the rest are counted (None: list all). readback: also keep preflight's colour state
    while reading and return the reading (``Verification.readback``) for
    ``preflight(own=True, readback=…)``, which then reads nothing again. mono: with
    ``readback``, the pages preflight is told are mono (``mono_pages``: K by construction,
    their ink never bounded from marks); where pages are read one by one (from FORK_PAGES
    pages on, with or without a forked child checking the later ones), their ink marks and
    glyph boxes are let go once the page is checked, and the reading has none for them.
    Pure: reads, never writes.
    """
    with pdfread.collector_paused():
        return _verify_pdf(pdf_data, frames, geometry, limit, readback, mono)


def _verify_pdf(pdf_data, frames, geometry, limit, readback, mono=frozenset()) -> Verification:
    findings = _Findings()
    figures: dict = {"pages": 0, "glyphs": 0, "matched": 0, "paints": 0, "photos": 0}
    try:
        pdf = pikepdf.open(pdf_data) if isinstance(pdf_data, Path) else pikepdf.open(_bytes_io(pdf_data))
    except (pikepdf.PdfError, OSError) as exc:
        findings.add(0, "PDF", "verify-unreadable", f"cannot open the PDF: {exc}")
        return Verification(findings.diagnostics(limit), figures)
    count = len(pdf.pages)
    if count != len(frames):
        findings.add(0, "PDF", "verify-missing", f"the PDF has {count} page(s), the frames {len(frames)}")
    split = _split(pdf, min(count, len(frames)))
    if split is not None:
        kept = _verify_forked(pdf, pdf_data, frames, geometry, readback, split, findings, figures, mono)
    elif min(count, len(frames)) >= FORK_PAGES:
        # as many pages as a forked child would share, checked here alone (one CPU, the switch
        # off, another thread running): page by page, each let go once checked
        kept = _verify_each(pdf, pdf_data, frames, geometry, readback, findings, figures, mono)
    else:
        kept = None
        if readback:
            kept = read_own(pdf, pdf_data if isinstance(pdf_data, bytes) else None)
            scans = kept.pages
        else:
            with pdf:
                scans = read_pdf(pdf)
        many = sum(scan.count for scan in scans) > NUMPY_GLYPHS
        for scan, frame in zip(scans, frames):
            _check_page(scan, frame, geometry, findings, figures, many)
    figures["findings"] = dict(sorted(findings.counts.items()))
    return Verification(findings.diagnostics(limit), figures, kept)


#: From this many pages on (and with two CPUs, ``os.fork`` and no other thread running)
#: ``verify_pdf`` checks the later pages in a forked child process while it checks the
#: first ones itself: about half the wall time on two cores, the same findings in the same
#: order (the child's are replayed after the parent's), for a few hundredths of a second
#: more CPU (the fork, the child opening the PDF, handing back the findings and the reading).
FORK_PAGES = 4


def _split(pdf: pikepdf.Pdf, pages: int) -> int | None:
    """The first page (0-based) a forked child checks, or None to check every page here:
    the page where the content streams' encoded length (the work) is about half done."""
    from . import forking

    # forking.may_fork, with the thread test through _alone (which the tests can answer)
    if (pages < max(FORK_PAGES, 2) or not forking.platform_forks() or not _alone()
            or forking.switched_off(forking.VERIFY_SWITCH) or forking.cores() < 2):
        return None
    sizes = []
    for page in list(pdf.pages)[:pages]:
        contents = page.obj.get(Name.Contents)
        parts = contents if isinstance(contents, Array) else [contents] if contents is not None else []
        try:
            sizes.append(sum(int(part.get(Name.Length, 0)) for part in parts) + 1)
        except (TypeError, ValueError, AttributeError):
            sizes.append(1)
    done, half = 0, sum(sizes) / 2.0
    for k, size in enumerate(sizes):
        if done + size / 2.0 >= half:
            return min(max(k, 1), pages - 1)
        done += size
    return pages - 1


def _alone() -> bool:
    """forking.one_thread, here so that the tests can answer it for verify alone."""
    from .forking import one_thread

    return one_thread()


class _FindingsLog:
    """Findings as a list of ``_Findings.add`` calls, to replay in another process."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def add(self, page: int, where: str, code: str, message: str, level: Level = Level.ERROR) -> None:
        self.calls.append((page, where, code, message, level))


def _verify_forked(pdf, pdf_data, frames, geometry, readback: bool, split: int, findings: _Findings,
                   figures: dict, mono: frozenset[int] = frozenset()):
    """Check pages split+1… in a forked child and pages 1…split here, then take the child's
    findings (and, with ``readback``, its part of the reading) in page order. Returns the
    Readback or None. A child that fails in any way is not trusted: its pages are then read
    and checked here."""
    import os
    import pickle

    import numpy  # noqa: F401 (imported once, before the fork, for both processes)

    count = min(len(pdf.pages), len(frames))
    pid = None
    try:
        fd_read, fd_write = os.pipe()
    except OSError:
        fd_read = fd_write = None
    if fd_read is not None:
        from . import forking

        forking.before_fork()
        try:
            pid = os.fork()
        except OSError:
            os.close(fd_read)
            os.close(fd_write)
    if pid == 0:  # the child: its pages, then its results down the pipe; never returns
        status = 1
        try:
            forking.child_setup()
            os.close(fd_read)
            log, part = _FindingsLog(), {"pages": 0, "glyphs": 0, "matched": 0, "paints": 0, "photos": 0}
            own = pikepdf.open(pdf_data) if isinstance(pdf_data, Path) else pikepdf.open(_bytes_io(pdf_data))
            reader = _Reader(colour=readback)
            numbers = range(split + 1, count + 1)
            boxes = [_checked(reader, own, number, frames, geometry, log, part, readback, mono) for number in numbers]
            handed = {"calls": log.calls, "figures": part}
            if readback:
                handed["reading"] = _hand_over(reader, numbers, boxes)
            data = pickle.dumps(handed, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(fd_write, view):]
            status = 0
        finally:
            os._exit(status)
    data = pdf_data if isinstance(pdf_data, bytes) else None
    reader = _Reader(colour=readback)
    handed, chunks, status = None, [], 1
    try:
        if pid is not None:
            os.close(fd_write)
        scans = [_checked(reader, pdf, number, frames, geometry, findings, figures, readback, mono)
                 for number in range(1, split + 1)]
        if pid is not None:
            with os.fdopen(fd_read, "rb") as pipe:
                fd_read = None
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
    finally:  # whatever happens here, the child is waited for
        if pid is not None:
            if fd_read is not None:
                os.close(fd_read)
            try:
                status = os.waitpid(pid, 0)[1]
            except ChildProcessError:  # SIGCHLD ignored: the status is gone; do not trust the child
                status = 1
    if pid is not None and status == 0:
        try:
            handed = pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 (a broken hand-over: check those pages here)
            handed = None
    if handed is not None:
        for call in handed["calls"]:
            findings.add(*call)
        for key, value in handed["figures"].items():
            figures[key] += value
        if readback:
            scans += _take_over(reader, handed["reading"], pdf)
    else:  # no child, or a failed one: the rest here
        scans += [_checked(reader, pdf, number, frames, geometry, findings, figures, readback, mono)
                  for number in range(split + 1, count + 1)]
    if not readback:
        pdf.close()
        return None
    scans += [reader.page(number, pdf.pages[number - 1]) for number in range(count + 1, len(pdf.pages) + 1)]
    return Readback(data, pdf, scans, reader.colour, reader.marks)


def _verify_each(pdf, pdf_data, frames, geometry, readback: bool, findings: _Findings, figures: dict,
                 mono: frozenset[int] = frozenset()):
    """Check every page in this process, one after the other (:func:`_checked`: the same
    checks, findings and reading as :func:`_verify_forked` gives with a child); returns the
    Readback or None."""
    count = min(len(pdf.pages), len(frames))
    reader = _Reader(colour=readback)
    scans = [_checked(reader, pdf, number, frames, geometry, findings, figures, readback, mono)
             for number in range(1, count + 1)]
    if not readback:
        pdf.close()
        return None
    scans += [reader.page(number, pdf.pages[number - 1]) for number in range(count + 1, len(pdf.pages) + 1)]
    return Readback(pdf_data if isinstance(pdf_data, bytes) else None, pdf, scans, reader.colour, reader.marks)


def _checked(reader: _Reader, pdf: pikepdf.Pdf, number: int, frames, geometry, findings: _Findings,
             figures: dict, readback: bool, mono: frozenset[int] = frozenset()):
    """Read page ``number`` and check it (with numpy, as for many glyphs); returns what
    ``Readback.glyph_boxes`` needs of it (:class:`_WholeBoxes`, the same boxes as the
    scan's columns give), or None without ``readback`` or for a page in ``mono`` (whose
    ink marks are dropped too: preflight never bounds a mono page's ink from them): the
    page's glyphs are let go as soon as it is checked, so that the reading held for
    preflight does not grow with every glyph of the issue."""
    scan = reader.page(number, pdf.pages[number - 1])
    _check_page(scan, frames[number - 1], geometry, findings, figures, True)
    if number in mono:
        reader.marks.pop(number, None)
        return None
    return _WholeBoxes.of(scan) if readback else None


def _hand_over(reader: _Reader, numbers: Sequence[int], boxes: list[_WholeBoxes]) -> dict:
    """What preflight(own=True) uses of the child's reading of pages ``numbers``, picklable:
    per page the glyph boxes' source (``boxes``, :func:`_checked`), the ink marks (an image
    as its object number), and preflight's records (``_pf._Scan`` without its memos)."""
    marks = {}
    for number in numbers:
        m = reader.marks.get(number)
        if m is None:
            continue  # a mono page's: dropped once checked (_checked)
        if not all(xobj.is_indirect for _, xobj, _ in m.images):
            raise ValueError("a direct image object cannot be named to the parent")
        marks[number] = InkMarks(m.page, m.texts, m.vectors, [(box, xobj.objgen, space) for box, xobj, space in m.images],
                                      m.unprovable)
    c = reader.colour
    return {"pages": list(boxes), "marks": marks,
            "colour": (c.texts, c.paints, c.images, c.problems, c.problem_pages, c.spots)}


def _take_over(reader: _Reader, reading: dict, pdf: pikepdf.Pdf) -> list:
    """Add the child's reading (:func:`_hand_over`) to this process's, as if read here
    after the pages read here; returns the pages' glyph boxes' sources."""
    for number, m in reading["marks"].items():
        m.images = [(box, pdf.get_object(objgen), space) for box, objgen, space in m.images]
        reader.marks[number] = m
    texts, paints, images, problems, problem_pages, spots = reading["colour"]
    c = reader.colour
    c.texts.extend(texts)
    c.paints.extend(paints)
    c.images.extend(images)
    c.problems.extend(problems)
    c.problem_pages |= problem_pages
    for name, entry in spots.items():
        mine = c.spots.get(name)
        if mine is None:
            c.spots[name] = entry
        else:
            mine["pages"].extend(p for p in entry["pages"] if p not in mine["pages"])
    return reading["pages"]


def _check_page(scan: _PageScan, frame: PageFrame, geometry: PageGeometry | None, findings: _Findings,
                figures: dict, many: bool) -> None:
    """Every check of one page, adding to ``findings`` and ``figures``; ``many``: with numpy
    on the page's columns (the same findings as the plain checks, faster for many glyphs)."""
    page = frame.number
    scan.number = page
    for problem in dict.fromkeys(scan.problems):
        findings.add(page, f"page {page}", "verify-unreadable", problem, Level.WARNING)
    cells = _cell_boxes(frame, geometry) if geometry is not None else {}
    if many:
        import numpy as np

        wanted = _wanted(frame)
        texts = scan.texts
        found = _match_indices(texts, wanted.chars)
        if found is None:  # glyph k is want k, texts equal
            drawn_at = wanted_at = np.arange(scan.count)
            extra: list = []
            missing: list = []
            texts = wanted.chars
        else:
            di, wi, extra, missing = found
            drawn_at, wanted_at = np.array(di, dtype=np.intp), np.array(wi, dtype=np.intp)
        cols = scan.columns()
        _check_pairs_np(cols, texts, drawn_at, wanted, wanted_at, findings, page)
        _report_unmatched([cols.drawn(k) for k in extra], [wanted.want(k) for k in missing], wanted.lines, cells,
                          findings, page)
        owner_line = np.full(scan.count, -1, dtype=np.intp)
        owner_line[drawn_at] = np.array(wanted.line_of, dtype=np.intp)[wanted_at]
        _check_geometry_np(scan, owner_line, wanted.lines, frame, geometry, findings)
        matched = len(drawn_at)
    else:
        wants, lines = _expected(frame)
        drawn = list(scan.glyphs)
        pairs, extra, missing = _match(drawn, wants)
        _check_pairs(pairs, findings, page)
        _report_unmatched(extra, missing, lines, cells, findings, page)
        owner = {d.order: w.line for d, w in pairs}
        _check_geometry(scan, owner, frame, geometry, findings)
        matched = len(pairs)
    figures["pages"] += 1
    figures["glyphs"] += scan.count
    figures["matched"] += matched
    figures["paints"] += len(scan.paints)
    figures["photos"] += sum(p.kind == "photo" for p in scan.paints)


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def verify_laid(pdf_data: bytes | Path, laid, limit: int | None = MAX_PER_CODE, readback: bool = False,
                mono: frozenset[int] = frozenset()) -> Verification:
    """Verify a build: the PDF against ``laid`` (build.Laid) — its frames and geometry
    (``readback``, ``mono``: see :func:`verify_pdf`)."""
    frames = [r.frame for r in laid.pages if r.frame is not None]
    return verify_pdf(pdf_data, frames, laid.styles.page, limit, readback, mono)

