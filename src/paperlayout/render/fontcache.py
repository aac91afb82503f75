"""reportlab TrueType fonts (TTFont) from the on-disk cache instead of parsing the file.

reportlab's ``TTFont(name, path)`` reads the whole file and walks its cmap, hmtx and loca
tables in Python (about 30 ms for each 7–15 MB CJK face, six faces a build). What it keeps
is a plain record — names, metrics, ``charToGlyph``, ``charWidths``, ``hmetrics``,
``glyphPos`` — that depends only on the file's bytes. We store that record per file content
hash (and reportlab version) with :mod:`marshal`, and rebuild the face from it:

* the small attributes are restored at once; each large table is rebuilt on first access
  (``charToGlyph`` when text is drawn, the others when the subset is embedded) — the
  integer tables as read-only views over packed arrays (:class:`IntMap`, :class:`IntList`,
  :class:`IntPairs`: 8–16 bytes an entry instead of a dict's or tuple's ~100), anything
  else unmarshalled;
* the file's bytes (``_ttf_data``) are read with ``pread`` where reportlab reads them, and
  the ``glyf`` table glyph by glyph (:class:`FileBytes`): embedding a 256-glyph subset of a
  15 MB face reads its glyphs, not the whole file into memory.

The subset, widths and descriptor reportlab writes are computed from the same record, so
the PDF bytes are the same as from a parsed font (tests/test_cache.py builds the sample both
ways). Anything this module does not recognise in the record — a future reportlab keeping
other state — makes it fall back to the parsed font.
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from .. import cache

#: Bumped when what is stored changes.
RECORD = 2
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


def _seek_read(fd: int, length: int, start: int) -> bytes:
    """``os.pread`` where the platform has none (Windows): seek, then read."""
    with _SEEK_LOCK:
        os.lseek(fd, start, os.SEEK_SET)
        return os.read(fd, length)


_SEEK_LOCK = threading.Lock()
_pread = getattr(os, "pread", _seek_read)


class FileBytes:
    """A font file's bytes as reportlab's parser reads them (``data[a:b]``, ``data[i]``),
    each access a ``pread`` of just those bytes: nothing is held or mapped."""

    __slots__ = ("_fd", "_size", "_path")

    def __init__(self, path: str) -> None:
        self._path = path
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._size = os.fstat(self._fd).st_size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, where):
        if isinstance(where, slice):
            start, stop, step = where.indices(self._size)
            if step != 1:
                return self.read(0, self._size)[where]
            return self.read(start, max(0, stop - start))
        if where < 0:
            where += self._size
        if not 0 <= where < self._size:
            raise IndexError(where)
        return self.read(where, 1)[0]

    def read(self, start: int, length: int) -> bytes:
        """``length`` bytes from ``start`` (fewer at the end of the file)."""
        parts = []
        while length > 0:
            chunk = _pread(self._fd, length, start)
            if not chunk:
                break
            parts.append(chunk)
            start += len(chunk)
            length -= len(chunk)
        return b"".join(parts)

    def __del__(self) -> None:
        try:
            os.close(self._fd)
        except (OSError, AttributeError, TypeError):
            pass


class _Window:
    """A table of a font file (``get_table('glyf')``) sliced lazily: ``window[a:b]`` reads
    those bytes of the table from the file."""

    __slots__ = ("_data", "_start", "_length")

    def __init__(self, data: FileBytes, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, where):
        if not isinstance(where, slice):
            return self._data.read(self._start, self._length)[where]
        start, stop, step = where.indices(self._length)
        if step != 1:
            return self._data.read(self._start, self._length)[where]
        return self._data.read(self._start + start, max(0, stop - start))


class IntMap(Mapping):
    """A read-only int → int (or float) mapping over two packed arrays, keys sorted: what a
    cached ``charToGlyph`` / ``charWidths`` is (same keys, same values, same types)."""

    __slots__ = ("_keys", "_values")

    def __init__(self, keys: array, values: array) -> None:
        self._keys, self._values = keys, values

    def __getitem__(self, key):
        keys = self._keys
        i = bisect_left(keys, key) if isinstance(key, int) else len(keys)
        if i < len(keys) and keys[i] == key:
            return self._values[i]
        raise KeyError(key)

    def __contains__(self, key) -> bool:
        keys = self._keys
        if not isinstance(key, int):
            return False
        i = bisect_left(keys, key)
        return i < len(keys) and keys[i] == key

    def get(self, key, default=None):
        keys = self._keys
        if not isinstance(key, int):
            return default
        i = bisect_left(keys, key)
        return self._values[i] if i < len(keys) and keys[i] == key else default

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class IntList(Sequence):
    """A read-only list of ints (``glyphPos``) over one packed array."""

    __slots__ = ("_values",)

    def __init__(self, values: array) -> None:
        self._values = values

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._values[index].tolist()
        return self._values[index]

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None


class IntPairs(Sequence):
    """A read-only list of 2-tuples (``hmetrics``: advance, left side bearing) over two
    packed arrays."""

    __slots__ = ("_a", "_b")

    def __init__(self, a: array, b: array) -> None:
        self._a, self._b = a, b

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(zip(self._a[index], self._b[index]))
        return (self._a[index], self._b[index])

    def __len__(self) -> int:
        return len(self._a)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None


def _typecode(values) -> str | None:
    """The array type code holding ``values`` exactly (same Python values back), or None."""
    kinds = {type(v) for v in values}
    if kinds <= {int}:
        return "q" if all(-(1 << 63) <= v < (1 << 63) for v in values) else None
    if kinds <= {float}:
        return "d"
    return None


def _pack(value):
    """A large table as ("map" | "list" | "pairs", …packed arrays) when it is made of
    numbers only, else ("marshal", bytes)."""
    if isinstance(value, dict) and all(type(k) is int for k in value):
        keys = sorted(value)
        values = [value[k] for k in keys]
        kc, vc = _typecode(keys), _typecode(values)
        if kc and vc:
            return ("map", kc, array(kc, keys).tobytes(), vc, array(vc, values).tobytes())
    elif isinstance(value, list) and value and all(type(v) is tuple and len(v) == 2 for v in value):
        a, b = [v[0] for v in value], [v[1] for v in value]
        ac, bc = _typecode(a), _typecode(b)
        if ac and bc:
            return ("pairs", ac, array(ac, a).tobytes(), bc, array(bc, b).tobytes())
    elif isinstance(value, list):
        code = _typecode(value)
        if code:
            return ("list", code, array(code, value).tobytes())
    return ("marshal", marshal.dumps(value))


def _array(code: str, data: bytes) -> array:
    out = array(code)
    out.frombytes(data)
    return out


def _unpack(packed):
    kind = packed[0]
    if kind == "map":
        return IntMap(_array(packed[1], packed[2]), _array(packed[3], packed[4]))
    if kind == "pairs":
        return IntPairs(_array(packed[1], packed[2]), _array(packed[3], packed[4]))
    if kind == "list":
        return IntList(_array(packed[1], packed[2]))
    if kind == "marshal":
        return marshal.loads(packed[1])
    raise ValueError(f"unknown table kind {kind!r}")


class CachedFace(TTFontFace):
    """A TTFontFace rebuilt from a cached record: large tables load on first use, the
    file's bytes are read where needed. Behaves as the parsed face for everything reportlab
    does with it (tests/test_cache.py builds the sample both ways)."""

    def __getattr__(self, name: str):
        d = self.__dict__
        if name == "_ttf_data":  # read where needed, never whole
            data = d["_ttf_data"] = FileBytes(d["filename"])
            return data
        blobs = d.get("_lazy_blobs")
        if blobs is not None and name in blobs:
            value = d[name] = _unpack(marshal.loads(blobs.pop(name)))
            return value
        raise AttributeError(name)

    def makeSubset(self, subset):
        """reportlab's subset font (bytes) of the characters ``subset`` (in order), from the
        cache when an earlier build made it: it depends only on the file's bytes (the
        record's key) and ``subset``. Namespace "subsets"."""
        d = self.__dict__
        store, record_key = d.get("_store"), d.get("_record_key")
        if store is None or record_key is None:
            return super().makeSubset(subset)
        k = cache.key("reportlab-subset", record_key, list(subset))
        known = store.get("subsets", k)
        if known is not None:
            return known
        made = super().makeSubset(subset)
        store.put("subsets", k, made)
        return made

    def get_table(self, tag):
        """The table's bytes; ``glyf`` as a lazily read window (reportlab slices it glyph
        by glyph when it makes a subset)."""
        pos, length = self.get_table_pos(tag)
        if tag == "glyf":
            return _Window(self._ttf_data, pos, length)
        return self._ttf_data[pos:pos + length]


def _record(font: TTFont) -> bytes | None:
    """What to store for a parsed font, or None when the face holds something unexpected."""
    small: dict = {}
    names: dict = {}
    lazy: dict = {}
    for name, value in font.face.__dict__.items():
        if name in _SKIP:
            continue
        if name in _LAZY:
            try:
                lazy[name] = marshal.dumps(_pack(value))
            except ValueError:
                return None
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


def _restore(name: str, path: Path, blob: bytes, store: cache.Store | None = None,
             record_key: str | None = None) -> TTFont:
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
    d["_store"], d["_record_key"] = store, record_key  # subsets are cached under the record's key
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
            return _restore(name, path, blob, store, k)
        except (ValueError, EOFError, TypeError, KeyError):
            pass  # unreadable entry: parse and overwrite it
    font = TTFont(name, str(path))
    record = _record(font)
    if record is not None:
        store.put("fonts", k, record)
    return font
