"""FontBook: the faces of an issue, their metrics, coverage and fallback chain.

The composer (text/) asks this module three questions about a character in a face:
does the face have it (``covers``), how wide is it (``advance``, in em), and how
much of its em box is empty space that may be dropped (``halt``, from the font's
GPOS 'halt' feature — 半角标点替代宽度 — so a different font gives the right
compression). ``resolve`` picks the face that will really draw a character.

Units: every length returned here is in em (font units / unitsPerEm).

Loading is lazy and cheap: ``FontBook.open`` only records paths. On first use of a
face, its ``cmap``, ``hmtx`` and ``GPOS`` tables are read as raw bytes through
fontTools (``TTFont(lazy=True)``, ``reader[tag]``) and parsed here with ``struct``;
character → glyph lookups are then memoised per face. For a 15 MB CJK font this
costs a few milliseconds instead of the ~0.2 s of a full fontTools decompile.

Only fontTools is used here: the renderer registers the same paths with reportlab.
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

__all__ = ["FontBook", "FaceMetrics", "CharMetrics", "STEM_REFERENCE"]

#: Characters whose outlines measure a face's stroke weight (``FontBook.stem``): simple,
#: frequent Han made of straight horizontal and vertical strokes, so that the design of
#: the face, not the structure of the character, decides the figure.
STEM_REFERENCE = "一二三十土王口日目田山川工上下中"
#: The same for faces without Han: straight-stemmed Latin letters.
STEM_REFERENCE_LATIN = "lIiHTEL"

#: OpenType script / language system preferred for the 'halt' feature, in order.
#: Simplified Chinese first (the font's SC glyphs are what the cmap reaches).
_HALT_LANGSYS: tuple[tuple[bytes, bytes | None], ...] = (
    (b"hani", b"ZHS "),
    (b"hani", None),
    (b"DFLT", None),
    (b"latn", b"ZHS "),
    (b"latn", None),
)


@dataclass(frozen=True, slots=True)
class CharMetrics:
    """What the composer needs to know about one character in one requested face.

    face: the face key that draws it (the requested face, a fallback, or the requested
    face again when no face has it — then ``missing`` is True);
    advance: em; halt: (x_placement, x_advance) em from GPOS 'halt', or None;
    embolden: em, the width of the outline stroke (text render mode 2, fill then stroke)
    that brings a fallback glyph from a lighter face to the requested face's stem weight
    (``FontBook.embolden``); 0.0 for every other glyph.
    """

    face: str
    advance: float
    halt: tuple[float, float] | None
    gid: int
    missing: bool = False
    fallback: bool = False
    embolden: float = 0.0


class FaceMetrics:
    """Raw metrics of one font file (one face), parsed once from its tables.

    Holds the cmap as sorted ranges (bisect on first use of a code point, memoised),
    advances as an array of font units, and the 'halt' single adjustments by glyph id.
    Treat as immutable: the memo only caches pure lookups.
    """

    __slots__ = ("path", "units_per_em", "_starts", "_ends", "_deltas", "_fmt4", "_advances",
                 "_num_hmetrics", "_halt", "_gid_memo", "num_glyphs", "_font_number", "_ink_memo",
                 "weight", "_outline_memo")

    def __init__(self, path: Path, font_number: int = -1) -> None:
        self.path = path
        self._font_number = font_number
        self._ink_memo: dict[int, tuple[int, int] | None] = {}
        self._outline_memo: dict[int, tuple[float, float]] = {}
        from fontTools.ttLib import TTFont  # imported when a face is first used, not at start-up

        font = TTFont(str(path), lazy=True, fontNumber=font_number)
        try:
            self.units_per_em = font["head"].unitsPerEm
            self._num_hmetrics = font["hhea"].numberOfHMetrics
            self.num_glyphs = font["maxp"].numGlyphs
            cmap_raw = font.reader["cmap"]
            hmtx_raw = font.reader["hmtx"]
            gpos_raw = font.reader["GPOS"] if "GPOS" in font.reader else b""
            os2_raw = font.reader["OS/2"] if "OS/2" in font.reader else b""
        finally:
            font.close()
        self._parse_cmap(cmap_raw)
        adv = array("H")
        adv.frombytes(hmtx_raw[: 4 * self._num_hmetrics])
        if sys.byteorder == "little":
            adv.byteswap()
        self._advances = adv[0::2]
        self._halt = _parse_halt(gpos_raw) if gpos_raw else {}
        self._gid_memo: dict[int, int] = {}
        #: OS/2 usWeightClass (100 thin … 400 regular … 700 bold … 900 black); 400 if absent.
        self.weight = struct.unpack_from(">H", os2_raw, 4)[0] if len(os2_raw) >= 6 else 400

    # -- cmap ---------------------------------------------------------------------------

    def _parse_cmap(self, data: bytes) -> None:
        _, count = struct.unpack_from(">HH", data, 0)
        subtables: dict[tuple[int, int], int] = {}
        for k in range(count):
            pid, eid, off = struct.unpack_from(">HHL", data, 4 + 8 * k)
            subtables.setdefault((pid, eid), off)
        # Full Unicode (format 12) first, then BMP (format 4).
        for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
            off = subtables.get(key)
            if off is None:
                continue
            fmt = struct.unpack_from(">H", data, off)[0]
            if fmt == 12:
                n = struct.unpack_from(">L", data, off + 12)[0]
                groups = array("I")
                assert groups.itemsize == 4
                groups.frombytes(data[off + 16: off + 16 + 12 * n])
                if sys.byteorder == "little":
                    groups.byteswap()
                self._starts = groups[0::3].tolist()
                self._ends = groups[1::3].tolist()
                self._deltas = [g - s for s, g in zip(self._starts, groups[2::3])]
                self._fmt4 = None
                return
            if fmt == 4:
                seg2 = struct.unpack_from(">H", data, off + 6)[0]
                seg = seg2 // 2
                base = off + 14
                ends = list(struct.unpack_from(f">{seg}H", data, base))
                starts = list(struct.unpack_from(f">{seg}H", data, base + seg2 + 2))
                deltas = list(struct.unpack_from(f">{seg}h", data, base + 2 * seg2 + 2))
                ro_pos = base + 3 * seg2 + 2
                range_offsets = list(struct.unpack_from(f">{seg}H", data, ro_pos))
                self._starts, self._ends, self._deltas = starts, ends, deltas
                self._fmt4 = (data, ro_pos, range_offsets)
                return
        self._starts, self._ends, self._deltas, self._fmt4 = [], [], [], None

    def gid(self, cp: int) -> int:
        """Glyph id of code point ``cp`` (0 = not covered)."""
        memo = self._gid_memo
        g = memo.get(cp)
        if g is None:
            g = self._lookup(cp)
            memo[cp] = g
        return g

    def _lookup(self, cp: int) -> int:
        k = bisect_left(self._ends, cp)
        if k >= len(self._ends) or self._starts[k] > cp:
            return 0
        if self._fmt4 is None:
            return cp + self._deltas[k]
        data, ro_pos, range_offsets = self._fmt4
        ro = range_offsets[k]
        if ro == 0:
            return (cp + self._deltas[k]) & 0xFFFF
        pos = ro_pos + 2 * k + ro + 2 * (cp - self._starts[k])
        g = struct.unpack_from(">H", data, pos)[0]
        return (g + self._deltas[k]) & 0xFFFF if g else 0

    # -- metrics ------------------------------------------------------------------------

    def advance_units(self, gid: int) -> int:
        adv = self._advances
        return adv[gid] if gid < len(adv) else adv[-1]

    def halt_units(self, gid: int) -> tuple[int, int] | None:
        return self._halt.get(gid)

    def ink_units(self, gid: int) -> tuple[int, int] | None:
        """(xMin, xMax) of glyph ``gid``'s outline in font units, None for an empty glyph.

        Computed from the outline, not from the stored bounds: for a simple TrueType glyph
        the extent of its points (as ``glyf`` ``recalcBounds`` computes xMin / xMax), read
        from that glyph's bytes alone; otherwise (CFF, composites) with fontTools'
        BoundsPen. The font is opened on the first call per glyph and the result memoised:
        the composer asks only for a few glyphs (the dashes).
        """
        memo = self._ink_memo
        if gid in memo:
            return memo[gid]
        from fontTools.ttLib import TTFont

        font = TTFont(str(self.path), lazy=True, fontNumber=self._font_number)
        try:
            bounds = _simple_glyf_bounds(font, gid)
            if bounds is False:
                from fontTools.pens.boundsPen import BoundsPen

                glyphs = font.getGlyphSet()
                pen = BoundsPen(glyphs)
                glyphs[font.getGlyphName(gid)].draw(pen)
                bounds = None if pen.bounds is None else (pen.bounds[0], pen.bounds[2])
        finally:
            font.close()
        result = bounds
        memo[gid] = result
        return result

    def outline_units(self, gids: Sequence[int]) -> list[tuple[float, float]]:
        """(area, perimeter) of each glyph's outline in font units² and font units, from
        fontTools' AreaPen and PerimeterPen. The font is opened once for the glyphs not yet
        memoised (only a few reference glyphs are ever asked for, see ``FontBook.stem``)."""
        memo = self._outline_memo
        todo = [g for g in dict.fromkeys(gids) if g not in memo]
        if todo:
            from fontTools.pens.areaPen import AreaPen
            from fontTools.pens.perimeterPen import PerimeterPen
            from fontTools.ttLib import TTFont

            font = TTFont(str(self.path), lazy=True, fontNumber=self._font_number)
            try:
                glyphs = font.getGlyphSet()
                for g in todo:
                    glyph = glyphs[font.getGlyphName(g)]
                    area, perimeter = AreaPen(glyphs), PerimeterPen(glyphs)
                    glyph.draw(area)
                    glyph.draw(perimeter)
                    memo[g] = (abs(area.value), perimeter.value)
            finally:
                font.close()
        return [memo[g] for g in gids]


def _simple_glyf_bounds(font: TTFont, gid: int):
    """(xMin, xMax) of a simple TrueType glyph read straight from 'loca' / 'glyf' (only
    that glyph's bytes are read), None for an empty glyph, or False when it cannot be read
    this way (CFF outlines, a composite glyph, a compressed font): use a pen instead."""
    try:
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        reader = font.reader
        if "glyf" not in reader or "loca" not in reader:
            return False
        entry = reader.tables["glyf"]
        if getattr(entry, "compLength", entry.length) != entry.length or not hasattr(entry, "offset"):
            return False
        loca = reader["loca"]
        if font["head"].indexToLocFormat:
            a, b = struct.unpack_from(">LL", loca, 4 * gid)
        else:
            a, b = (2 * v for v in struct.unpack_from(">HH", loca, 2 * gid))
        if b <= a:
            return None
        reader.file.seek(entry.offset + a)
        glyph = Glyph(reader.file.read(b - a))
        if glyph.isComposite():
            return False
        glyph.expand(None)
        if not glyph.numberOfContours or not len(glyph.coordinates):
            return None
        xs = [x for x, _ in glyph.coordinates]
        return (min(xs), max(xs))
    except Exception:  # anything unusual: the slow, general path
        return False


def _parse_halt(data: bytes) -> dict[int, tuple[int, int]]:
    """GPOS 'halt' single adjustments: glyph id → (XPlacement, XAdvance) in font units.

    Reads the script/language system preferred in ``_HALT_LANGSYS``; if none of them
    lists a 'halt' feature, the union of all 'halt' features is used.
    """
    u16 = struct.Struct(">H").unpack_from
    _, _, script_off, feature_off, lookup_off = struct.unpack_from(">HHHHH", data, 0)
    # Features
    fcount = u16(data, feature_off)[0]
    halt_features: dict[int, list[int]] = {}
    for k in range(fcount):
        rec = feature_off + 2 + 6 * k
        tag = data[rec: rec + 4]
        if tag != b"halt":
            continue
        ftab = feature_off + u16(data, rec + 4)[0]
        n = u16(data, ftab + 2)[0]
        halt_features[k] = list(struct.unpack_from(f">{n}H", data, ftab + 4))
    if not halt_features:
        return {}
    # Script / language systems
    langsys_features: dict[tuple[bytes, bytes | None], list[int]] = {}
    scount = u16(data, script_off)[0]
    for k in range(scount):
        rec = script_off + 2 + 6 * k
        stag = data[rec: rec + 4]
        stab = script_off + u16(data, rec + 4)[0]
        default_off, lcount = struct.unpack_from(">HH", data, stab)

        def features_of(ls: int) -> list[int]:
            n = u16(data, ls + 4)[0]
            return list(struct.unpack_from(f">{n}H", data, ls + 6))

        if default_off:
            langsys_features[(stag, None)] = features_of(stab + default_off)
        for j in range(lcount):
            lrec = stab + 4 + 6 * j
            ltag = data[lrec: lrec + 4]
            langsys_features[(stag, ltag)] = features_of(stab + u16(data, lrec + 4)[0])
    lookups: list[int] = []
    for key in _HALT_LANGSYS:
        feats = langsys_features.get(key)
        if feats is None:
            continue
        for fi in feats:
            lookups.extend(halt_features.get(fi, ()))
        if lookups:
            break
    if not lookups:
        for ls in halt_features.values():
            lookups.extend(ls)
    # Lookups
    result: dict[int, tuple[int, int]] = {}
    for li in dict.fromkeys(lookups):
        lk = lookup_off + u16(data, lookup_off + 2 + 2 * li)[0]
        ltype, _, nsub = struct.unpack_from(">HHH", data, lk)
        for s in range(nsub):
            st = lk + u16(data, lk + 6 + 2 * s)[0]
            stype = ltype
            if ltype == 9:
                _, stype, ext = struct.unpack_from(">HHL", data, st)
                st = st + ext
            if stype != 1:
                continue
            _read_single_pos(data, st, result)
    return result


def _value_record(data: bytes, pos: int, value_format: int) -> tuple[int, int]:
    x_place = x_adv = 0
    for bit in range(8):
        if value_format & (1 << bit):
            v = struct.unpack_from(">h", data, pos)[0]
            if bit == 0:
                x_place = v
            elif bit == 2:
                x_adv = v
            pos += 2
    return x_place, x_adv


def _coverage(data: bytes, pos: int) -> list[int]:
    fmt, count = struct.unpack_from(">HH", data, pos)
    if fmt == 1:
        return list(struct.unpack_from(f">{count}H", data, pos + 4))
    glyphs: list[int] = []
    for k in range(count):
        start, end, _ = struct.unpack_from(">HHH", data, pos + 4 + 6 * k)
        glyphs.extend(range(start, end + 1))
    return glyphs


def _read_single_pos(data: bytes, st: int, out: dict[int, tuple[int, int]]) -> None:
    fmt, cov_off, value_format = struct.unpack_from(">HHH", data, st)
    glyphs = _coverage(data, st + cov_off)
    size = 2 * bin(value_format & 0xFF).count("1")
    if fmt == 1:
        value = _value_record(data, st + 6, value_format)
        for g in glyphs:
            out.setdefault(g, value)
    elif fmt == 2:
        for k, g in enumerate(glyphs):
            out.setdefault(g, _value_record(data, st + 8 + size * k, value_format))


def _split_member(path: Path) -> tuple[Path, int | None]:
    """``fonts/x.ttc#2`` → (fonts/x.ttc, 2); a plain path → (path, None)."""
    text = str(path)
    if "#" in text:
        base, _, num = text.rpartition("#")
        if num.isdigit():
            return Path(base), int(num)
    return Path(path), None


def _collection_member(path: Path) -> int:
    """For a .ttc/.otc without a member number: the Simplified Chinese member if any."""
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(path), lazy=True)
    try:
        for k, font in enumerate(coll.fonts):
            name = font["name"].getDebugName(1) or ""
            if name.endswith(" SC") or " SC " in name:
                return k
        return 0
    finally:
        coll.close()


@dataclass(frozen=True, eq=False)
class FontBook:
    """The faces available to the composer, by key ("serif", "serif-bold", "kai" …).

    faces: face key → font path (TTF/OTF; a collection member as ``file.ttc#n``, or the
    SC member of a bare ``.ttc``). fallbacks: face keys tried, in order, for a character
    the requested face lacks. Immutable: the per-face tables are parsed on first use
    and memoised (a pure cache).
    """

    faces: Mapping[str, Path]
    fallbacks: tuple[str, ...] = ()
    _loaded: dict[str, FaceMetrics] = field(default_factory=dict, repr=False, compare=False)
    _chars: dict[str, dict[str, CharMetrics]] = field(default_factory=dict, repr=False, compare=False)
    _memos: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(cls, faces: Mapping[str, Path | str], fallbacks: Sequence[str] = ()) -> "FontBook":
        """Register faces (no file is read yet). Raises FileNotFoundError / KeyError early."""
        paths = {key: Path(p) for key, p in faces.items()}
        for key, p in paths.items():
            real, _ = _split_member(p)
            if not real.is_file():
                raise FileNotFoundError(f"font for face {key!r} not found: {real}")
        for key in fallbacks:
            if key not in paths:
                raise KeyError(f"fallback face {key!r} is not one of the faces {sorted(paths)}")
        return cls(faces=dict(paths), fallbacks=tuple(fallbacks))

    # -- per-face tables ------------------------------------------------------------------

    def face_metrics(self, face: str) -> FaceMetrics:
        """The parsed tables of ``face`` (parsed on first call)."""
        fm = self._loaded.get(face)
        if fm is None:
            try:
                p = self.faces[face]
            except KeyError:
                raise KeyError(f"unknown face {face!r}; known faces: {sorted(self.faces)}") from None
            real, member = _split_member(p)
            if member is None and real.suffix.lower() in (".ttc", ".otc"):
                member = _collection_member(real)
            fm = FaceMetrics(real, -1 if member is None else member)
            self._loaded[face] = fm
        return fm

    def path(self, face: str) -> Path:
        """The font file of ``face`` (for a collection: the file, see ``font_number``)."""
        return _split_member(self.faces[face])[0]

    def font_number(self, face: str) -> int:
        """Index of ``face`` inside its font collection (0 for a plain font file)."""
        real, member = _split_member(self.faces[face])
        if member is None and real.suffix.lower() in (".ttc", ".otc"):
            return _collection_member(real)
        return member or 0

    def units_per_em(self, face: str) -> int:
        return self.face_metrics(face).units_per_em

    def gid(self, face: str, ch: str) -> int:
        """Glyph id of ``ch`` in ``face`` (0 = .notdef: not covered). ``ch`` is one code point."""
        return self.face_metrics(face).gid(ord(ch))

    def covers(self, face: str, ch: str) -> bool:
        return self.face_metrics(face).gid(ord(ch)) != 0

    def advance(self, face: str, ch: str) -> float:
        """Advance width of ``ch`` in ``face``, em (0.0 … ; .notdef's advance if not covered)."""
        fm = self.face_metrics(face)
        return fm.advance_units(fm.gid(ord(ch))) / fm.units_per_em

    def halt(self, face: str, ch: str) -> tuple[float, float] | None:
        """GPOS 'halt' adjustment of ``ch`` in ``face``: (x_placement, x_advance) in em.

        E.g. Noto Serif SC: "，" → (0.0, -0.5) (empty right half), "（" → (-0.5, -0.5)
        (empty left half). None when the font has no 'halt' entry for the glyph.
        """
        fm = self.face_metrics(face)
        g = fm.gid(ord(ch))
        if not g:
            return None
        v = fm.halt_units(g)
        if v is None:
            return None
        upem = fm.units_per_em
        return (v[0] / upem, v[1] / upem)

    def ink(self, face: str, ch: str) -> tuple[float, float] | None:
        """Horizontal extent of the ink of ``ch`` in ``face``: (x-min, x-max) of its outline,
        em from the glyph origin. None when ``face`` lacks ``ch`` or the glyph is blank.

        E.g. Noto Serif SC "—" (advance 1 em): (0.071, 0.929).
        """
        fm = self.face_metrics(face)
        g = fm.gid(ord(ch))
        if not g:
            return None
        v = fm.ink_units(g)
        if v is None:
            return None
        upem = fm.units_per_em
        return (v[0] / upem, v[1] / upem)

    def weight(self, face: str) -> int:
        """OS/2 usWeightClass of ``face``: 400 regular, 700 bold, 900 black."""
        return self.face_metrics(face).weight

    def resolve(self, face: str, ch: str) -> str | None:
        """The face that will draw ``ch``: ``face`` if it covers it, else the fallback that
        covers it whose weight (``weight``) is nearest ``face``'s — ties go to the one listed
        first — else None. A rare character in a Black head so comes from the heaviest face
        that has it, not from the first (often the regular body face)."""
        if self.covers(face, ch):
            return face
        target = self.face_metrics(face).weight
        best, distance = None, None
        for fb in self.fallbacks:
            if fb != face and self.covers(fb, ch):
                d = abs(self.face_metrics(fb).weight - target)
                if distance is None or d < distance:
                    best, distance = fb, d
        return best

    def stem(self, face: str, chars: str = "") -> float | None:
        """Mean stroke thickness of ``face``, em: 2·Σarea / Σperimeter of the outlines of
        ``chars`` (default STEM_REFERENCE) that the face has — a stroke of width w and length
        L ≫ w has area wL and perimeter ≈ 2L. None when the face has none of them.

        E.g. Noto Serif SC Regular 0.047, Black 0.087; LXGW WenKai 0.063; Noto Sans SC
        Black 0.145 (over STEM_REFERENCE).
        """
        chars = chars or STEM_REFERENCE
        key = (face, chars)
        memo = self.memo("fonts.stem")
        if key not in memo:
            fm = self.face_metrics(face)
            gids = [g for g in (fm.gid(ord(ch)) for ch in chars) if g]
            stats = fm.outline_units(gids) if gids else []
            area = sum(a for a, _ in stats)
            perimeter = sum(p for _, p in stats)
            memo[key] = 2.0 * area / perimeter / fm.units_per_em if perimeter > 0 else None
        return memo[key]

    def embolden(self, face: str, drawn: str) -> float:
        """Stroke width, em, with which a glyph of face ``drawn`` standing in for ``face``
        is outlined (fill then stroke) so its strokes are as thick as ``face``'s: the
        difference of their ``stem`` over the reference characters both faces have (a stroke
        of width s centred on the outline thickens every stem by s). 0.0 when ``drawn`` is
        not lighter than ``face`` (usWeightClass) or the two cannot be compared.

        E.g. LXGW WenKai (400) for Noto Serif SC Black (900): 0.024 em.
        """
        if drawn == face or self.weight(drawn) >= self.weight(face):
            return 0.0
        memo = self.memo("fonts.embolden")
        key = (face, drawn)
        if key not in memo:
            a, b = self.face_metrics(face), self.face_metrics(drawn)
            common = "".join(ch for ch in STEM_REFERENCE if a.gid(ord(ch)) and b.gid(ord(ch)))
            if not common:
                common = "".join(ch for ch in STEM_REFERENCE_LATIN if a.gid(ord(ch)) and b.gid(ord(ch)))
            wide, thin = (self.stem(face, common), self.stem(drawn, common)) if common else (None, None)
            memo[key] = max(0.0, wide - thin) if wide is not None and thin is not None else 0.0
        return memo[key]

    def char_metrics(self, face: str, ch: str) -> CharMetrics:
        """Everything the composer needs about ``ch`` requested in ``face``, memoised.

        Falls back per ``resolve``; with no face covering ``ch`` the requested face is
        kept with ``missing=True`` and the advance of its .notdef glyph.
        """
        table = self._chars.get(face)
        if table is None:
            table = self._chars[face] = {}
        m = table.get(ch)
        if m is not None:
            return m
        drawn = self.resolve(face, ch)
        if drawn is None:
            fm = self.face_metrics(face)
            m = CharMetrics(face, fm.advance_units(0) / fm.units_per_em, None, 0, missing=True)
        else:
            fm = self.face_metrics(drawn)
            g = fm.gid(ord(ch))
            v = fm.halt_units(g)
            upem = fm.units_per_em
            m = CharMetrics(drawn, fm.advance_units(g) / upem,
                            None if v is None else (v[0] / upem, v[1] / upem), g,
                            fallback=drawn != face, embolden=self.embolden(face, drawn))
        table[ch] = m
        return m

    def char_table(self, face: str) -> dict[str, CharMetrics]:
        """The memo of ``char_metrics`` for ``face`` (read-only use: fast path for the composer)."""
        table = self._chars.get(face)
        if table is None:
            self.face_metrics(face)
            table = self._chars[face] = {}
        return table

    def memo(self, name: str) -> dict:
        """A dict in which a caller memoises pure data it derives from this book.

        ``name`` keys the caller (e.g. the composer's per-style character table). The data
        must depend only on the book and the name, so the book stays logically immutable.
        """
        d = self._memos.get(name)
        if d is None:
            d = self._memos[name] = {}
        return d

    def forget(self, name: str) -> None:
        """Drop the memo ``name`` (``memo``): its memory is returned; a later caller
        computes the same data again. For a stage done with what it memoised."""
        self._memos.pop(name, None)
