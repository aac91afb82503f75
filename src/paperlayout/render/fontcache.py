"""reportlab TrueType fonts (TTFont) from the on-disk cache instead of parsing the file.

reportlab's ``TTFont(name, path)`` reads the whole file and walks its cmap, hmtx and loca
tables in Python (about 30 ms for each 7–15 MB CJK face, six faces a build). What it keeps
is a plain record — names, metrics, ``charToGlyph``, ``charWidths``, ``hmetrics``,
``glyphPos`` — that depends only on the file's bytes. We store that record per file content
hash (and reportlab version) with :mod:`marshal`, and rebuild the face from it:

* the small attributes are restored at once; each large table is unmarshalled on first
  access (``charToGlyph`` when text is drawn, the others when the subset is embedded);
* the file's bytes (``_ttf_data``) are memory-mapped when reportlab embeds the subset.

The subset, widths and descriptor reportlab writes are computed from the same record, so
the PDF bytes are the same as from a parsed font (tests/test_cache.py builds the sample both
ways). Anything this module does not recognise in the record — a future reportlab keeping
other state — makes it fall back to the parsed font.
"""

from __future__ import annotations

import marshal
import mmap
import sys
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from .. import cache

#: Bumped when what is stored changes.
RECORD = 1
#: The large tables, unmarshalled lazily on first access.
_LAZY = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos", "table", "tables")
#: Attributes not stored: the file's bytes, the read position, the scale function (rebuilt).
_SKIP = ("_ttf_data", "_pos", "_pdfScale")


def _scale(units_per_em: int):
    """The em → 1000-unit scale reportlab's parser makes (same arithmetic, same floats)."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


class CachedFace(TTFontFace):
    """A TTFontFace rebuilt from a cached record: large tables and the file's bytes load on
    first use. Behaves as the parsed face for everything reportlab does with it."""

    def __getattr__(self, name: str):
        d = self.__dict__
        if name == "_ttf_data":  # mapped, not read: only the subset's pages are touched
            with open(d["filename"], "rb") as handle:
                data = d["_ttf_data"] = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            return data
        blobs = d.get("_lazy_blobs")
        if blobs is not None and name in blobs:
            value = d[name] = marshal.loads(blobs.pop(name))
            return value
        raise AttributeError(name)


def _record(font: TTFont) -> bytes | None:
    """What to store for a parsed font, or None when the face holds something unexpected."""
    small: dict = {}
    names: dict = {}
    lazy: dict = {}
    for name, value in font.face.__dict__.items():
        if name in _SKIP:
            continue
        if name in _LAZY:
            lazy[name] = marshal.dumps(value)
        elif isinstance(value, TTFNameBytes):
            names[name] = bytes(value)
        else:
            try:
                marshal.dumps(value)
            except ValueError:
                return None
            small[name] = value
    if set(_LAZY) - set(lazy):
        return None
    extra = {k: v for k, v in font.__dict__.items() if k not in ("fontName", "face", "state", "encoding")}
    try:
        marshal.dumps(extra)
    except ValueError:
        return None
    return marshal.dumps((RECORD, small, names, lazy, extra))


def _restore(name: str, path: Path, blob: bytes) -> TTFont:
    record, small, names, lazy, extra = marshal.loads(blob)
    if record != RECORD:
        raise ValueError("cache record of another format")
    face = CachedFace.__new__(CachedFace)
    d = face.__dict__
    d.update(small)
    d.update({k: TTFNameBytes(v) for k, v in names.items()})
    d["filename"] = str(path)
    d["_pos"] = 0
    d["_pdfScale"] = _scale(small["unitsPerEm"])
    d["_lazy_blobs"] = dict(lazy)
    font = TTFont.__new__(TTFont)
    font.__dict__.update(extra)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    return font


def font_key(path: Path, store: cache.Store | None = None) -> str:
    """The cache key of a font file's record: its content hash, the reportlab version and
    the Python version (marshal's format may change between Python versions)."""
    return cache.key("reportlab-ttfont", RECORD, reportlab.Version, sys.implementation.cache_tag,
                     cache.file_digest(path, store))


def tt_font(name: str, path: Path, store: cache.Store | None = None) -> TTFont:
    """``TTFont(name, path)``, from ``store`` when it holds this file's record (keyed by
    :func:`font_key`), else parsed and stored."""
    path = Path(path)
    if store is None:
        return TTFont(name, str(path))
    k = font_key(path, store)
    blob = store.get("fonts", k)
    if blob is not None:
        try:
            return _restore(name, path, blob)
        except (ValueError, EOFError, TypeError, KeyError):
            pass  # unreadable entry: parse and overwrite it
    font = TTFont(name, str(path))
    record = _record(font)
    if record is not None:
        store.put("fonts", k, record)
    return font
