"""A content-addressed on-disk cache (缓存) for a build: parsed fonts, converted photos,
photo sizes, story measurements and laid-out pages (docs/cache.md lists every namespace and
its key).

What is cached is always a pure function of what its key names — a font file's parsed
tables, a photo converted for one placement, a story measured under one style, fonts and
code — so a hit gives exactly what a miss would have computed, and the PDF is the same with
or without the cache.

Location: ``$PAPERLAYOUT_CACHE`` when set (a folder; ``off`` disables the cache), else the
user's cache folder from platformdirs (``~/.cache/paperlayout`` on Linux,
``~/Library/Caches/paperlayout`` on macOS, ``%LOCALAPPDATA%\\paperlayout\\Cache`` on Windows).
``paperlayout build --no-cache`` (or :func:`configure` ``(enabled=False)``) bypasses it: nothing
is read or written. Deleting the folder at any time is safe.

Layout: ``<root>/<namespace>/<key[:2]>/<key>``, where a key is the hex SHA-256 of everything
the entry depends on (:func:`key`). Entries are written to a temporary file and renamed, so
builds running side by side never read half an entry; an entry that cannot be read is a
miss. File digests are memoised per (path, size, mtime, inode) in ``<root>/stat/`` so a
15 MB font is hashed once, not on every run (the same rule git's index uses). Layout entries
are pickles of paperlayout's frozen dataclasses (:func:`dumps`), read back by an unpickler
that loads nothing but paperlayout's own types (:func:`loads`).
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import threading
from pathlib import Path

from .safeio import replace_with

_READING = threading.local()  # per thread: the float objects of the entry being read (_line)

__all__ = ["Store", "code_digest", "configure", "default_store", "dumps", "environment", "file_digest", "key", "loads"]

#: Bumped when the layout of entries changes; part of every key.
FORMAT = 1

_ENABLED = True
_DIGESTS: dict[tuple, str] = {}  # in-process memo: stat signature → SHA-256 hex
_CODE: dict[str, str] = {}  # in-process memo of code_digest()
#: Installed packages whose data shape composition (word segmentation, hyphenation, the
#: traditional → simplified tables, font parsing): their versions are part of layout keys.
COMPOSING_PACKAGES = ("jieba", "pyphen", "opencc", "fonttools")


def configure(*, enabled: bool) -> None:
    """Switch the cache on or off for this process (``--no-cache``)."""
    global _ENABLED
    _ENABLED = enabled


def cache_root() -> Path | None:
    """The cache folder in force, or None when the cache is off."""
    if not _ENABLED:
        return None
    override = os.environ.get("PAPERLAYOUT_CACHE")
    if override is not None:
        if override.strip().lower() in ("", "off", "0", "no", "none"):
            return None
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("paperlayout", appauthor=False))


def key(*parts: object) -> str:
    """Hex SHA-256 over ``parts`` (bytes as they are, anything else by ``repr``), each
    length-prefixed so that no two different part lists collide by concatenation."""
    h = hashlib.sha256(b"paperlayout-cache %d\n" % FORMAT)
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        h.update(b"%d:" % len(data))
        h.update(data)
    return h.hexdigest()


class Store:
    """Entries under one root folder (see the module docstring for the layout)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, namespace: str, k: str) -> Path:
        return self.root / namespace / k[:2] / k

    def get(self, namespace: str, k: str) -> bytes | None:
        """The entry's bytes, or None when absent or unreadable."""
        try:
            return self._path(namespace, k).read_bytes()
        except OSError:
            return None

    def put(self, namespace: str, k: str, data: bytes) -> None:
        """Write an entry atomically; a cache that cannot be written is silently skipped
        (a read-only home must not fail a build)."""
        path = self._path(namespace, k)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_with(path, data)
        except OSError:
            pass


def default_store() -> Store | None:
    """The store at :func:`cache_root`, or None when the cache is off."""
    root = cache_root()
    return None if root is None else Store(root)


def _signature(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def file_digest(path: Path, store: Store | None = None) -> str:
    """Hex SHA-256 of the file's content, memoised by its stat signature (in this process,
    and in ``store`` across runs when given): a file is re-hashed only when its size,
    modification time or inode changes."""
    path = Path(path)
    signature = _signature(path)
    digest = _DIGESTS.get(signature)
    if digest is not None:
        return digest
    index = key("stat", signature)
    if store is not None:
        known = store.get("stat", index)
        if known is not None and len(known) == 64:
            digest = known.decode("ascii")
    if digest is None:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        if store is not None:
            store.put("stat", index, digest.encode("ascii"))
    _DIGESTS[signature] = digest
    return digest


def code_digest(store: Store | None = None) -> str:
    """Hex SHA-256 over the paperlayout package's own source files (each ``*.py`` by its
    path inside the package and its content): a layout entry made by other code is never
    read. The files' stat signatures are hashed first and the content digest is memoised
    under them (in ``store``), so an unchanged install costs one stat per file, not a read."""
    package = Path(__file__).resolve().parent
    hit = _CODE.get(str(package))
    if hit is not None:
        return hit
    files = sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    stats = []
    for path in files:
        st = path.stat()
        stats.append((path.relative_to(package).as_posix(), st.st_size, st.st_mtime_ns, st.st_ino))
    index = key("code-stat", str(package), stats)
    digest = None
    if store is not None:
        known = store.get("stat", index)
        if known is not None and len(known) == 64:
            digest = known.decode("ascii")
    if digest is None:
        h = hashlib.sha256()
        for path in files:
            data = path.read_bytes()
            name = path.relative_to(package).as_posix().encode("utf-8")
            h.update(b"%d:%s%d:" % (len(name), name, len(data)))
            h.update(data)
        digest = h.hexdigest()
        if store is not None:
            store.put("stat", index, digest.encode("ascii"))
    _CODE[str(package)] = digest
    return digest


def environment(store: Store | None = None) -> str:
    """The Python version and the versions of COMPOSING_PACKAGES (None for one not
    installed), as a string: what besides our code, the style and the fonts a layout depends
    on. Asking the package metadata costs ~15 ms, so the answer is memoised in ``store``
    under the stat signatures of the folders on ``sys.path`` (installing, upgrading or
    removing a package changes its folder's modification time)."""
    import sys

    folders = []
    for entry in sys.path:
        try:
            st = os.stat(entry or ".")
        except OSError:
            continue
        folders.append((entry, st.st_mtime_ns, st.st_ino))
    index = key("env-stat", sys.version, folders)
    if store is not None:
        known = store.get("stat", index)
        if known is not None:
            return known.decode("utf-8", "replace")
    from importlib import metadata

    versions = []
    for name in COMPOSING_PACKAGES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    found = repr((tuple(sys.version_info[:3]), tuple(versions)))
    if store is not None:
        store.put("stat", index, found.encode("utf-8"))
    return found


# -- layout entries: pickles of paperlayout's frozen dataclasses -----------------------------

class _Unpickler(pickle.Unpickler):
    """Reads only paperlayout's own types, paths and plain containers: an entry is data, and
    a file planted in the cache folder cannot make the unpickler import anything else."""

    ALLOWED = {"builtins": frozenset({"frozenset", "set", "tuple", "list", "dict", "complex"}),
               "pathlib": frozenset({"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"}),
               "datetime": frozenset({"date", "datetime", "time", "timedelta", "timezone"})}

    def find_class(self, module, name):
        if module == __name__ and name == "_glyph":
            # the composer's constructor itself, not _glyph's call of it: a stored page is
            # mostly glyphs (the same objects; one call and one import less per glyph)
            from .text.model import make_glyph

            return make_glyph
        if module.startswith("paperlayout.") or name in self.ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a layout type")


def _rebuild(cls, values):
    """A slotted frozen dataclass from its field values (the inverse of its reducer in
    ``_dispatch_table``), set through the slots' descriptors as the frozen ``__init__``
    would (which a pickle must not run: ``__post_init__`` checks are not for stored values)."""
    obj = object.__new__(cls)
    setters = _SETTERS.get(cls)
    if setters is None:
        setters = _SETTERS[cls] = tuple(cls.__dict__[name].__set__ for name in _field_names(cls))
    for setter, value in zip(setters, values):
        setter(obj, value)
    return obj


def _glyph(*values):
    """A Glyph from its field values: the composer's own fast constructor (most of a stored
    page is glyphs)."""
    from .text.model import make_glyph

    return make_glyph(*values)


def _pack_line(line):
    """The reducer of a composed Line (text.model.Line): its glyphs packed by column — their
    characters as one string, their faces by index, their positions, widths and offsets as
    the bytes of one array of doubles (exact, signed zeros included), and the rare glyph with
    a scale, a drawn substitute or a stroke listed apart — instead of one reduce per glyph:
    a stored page is mostly glyphs, and reading it back (laid-out pages, ahead.py) built one
    argument tuple and three floats per glyph. Any other line (a field of another type) is
    stored field by field."""
    from array import array
    from math import copysign

    glyphs = line.glyphs
    texts: list = []
    faces: list = []
    face_at: dict = {}
    index = bytearray()
    coords: list = []
    rare: list = []
    single = True
    for k, g in enumerate(glyphs):
        x, w, d, t, f = g.x, g.width, g.dx, g.text, g.face
        if x.__class__ is not float or w.__class__ is not float or d.__class__ is not float or t.__class__ is not str:
            return _rebuild, (type(line), _field_values(line))
        if len(t) != 1:
            single = False
        texts.append(t)
        at = face_at.get(f)
        if at is None:
            if len(faces) == 255 or f.__class__ is not str:
                return _rebuild, (type(line), _field_values(line))
            at = face_at[f] = len(faces)
            faces.append(f)
        index.append(at)
        coords += (x, w, d)
        h, e = g.hscale, g.embolden
        if not (h.__class__ is float and h == 1.0 and g.draw is None and e.__class__ is float and e == 0.0
                and copysign(1.0, e) > 0.0):
            rare.append((k, h, g.draw, e))
    text = "".join(texts) if single else tuple(texts)
    return _line, (text, tuple(faces), bytes(index), array("d", coords).tobytes(), tuple(rare),
                   line.width, line.measure, line.size, line.last)


def _field_values(obj) -> tuple:
    return tuple(getattr(obj, name) for name in _field_names(type(obj)))


def _line(text, faces, index, coords, rare, width, measure, size, last):
    """A Line from ``_pack_line``'s columns: the same glyphs (values, signed zeros), their
    characters interned and their non-zero floats shared within the entry being read, as the
    composer shares them (text/justify.py)."""
    from array import array
    from math import copysign
    from sys import intern

    from .text.model import Line, make_glyph

    values = array("d")
    values.frombytes(coords)
    v = values.tolist()
    if len(v) != 3 * len(text) or len(index) != len(text):
        raise ValueError("a packed line whose columns differ in length")
    share = _shared_floats().setdefault
    glyphs = []
    append = glyphs.append
    k = 0
    for t, at in zip(text, index):
        x, w, d = v[k], v[k + 1], v[k + 2]
        k += 3
        if x:
            x = share(x, x)
        elif copysign(1.0, x) > 0.0:
            x = 0.0
        if w:
            w = share(w, w)
        if d:
            d = share(d, d)
        elif copysign(1.0, d) > 0.0:
            d = 0.0
        append(make_glyph(intern(t), faces[at], x, w, d, 1.0, None, 0.0))
    for k, h, draw, e in rare:
        g = glyphs[k]
        glyphs[k] = make_glyph(g.text, g.face, g.x, g.width, g.dx, h, draw, e)
    return _rebuild(Line, (tuple(glyphs), width, measure, size, last))


def _shared_floats() -> dict:
    """The float objects of the entry this thread is reading (value → object; reset by
    :func:`loads`)."""
    shared = getattr(_READING, "floats", None)
    if shared is None:
        shared = _READING.floats = {}
    return shared


_FIELDS: dict = {}  # in-process memo: slotted dataclass → field names; "table": the dispatch table
_SETTERS: dict = {}  # in-process memo: slotted dataclass → its slots' __set__
_GLYPH_FIELDS = ("text", "face", "x", "width", "dx", "hscale", "draw", "embolden")  # make_glyph's arguments
_LINE_FIELDS = ("glyphs", "width", "measure", "size", "last")  # _line's last four, after the glyphs


def _field_names(cls) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        import dataclasses

        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _dispatch_table() -> dict:
    """Reducers for paperlayout's slotted dataclasses: their field values as one tuple.
    (The ``__getstate__`` dataclasses give slotted classes lists the fields on every call,
    which made storing a page's layout cost more than planning it.)"""
    import copyreg
    import dataclasses
    import operator
    import sys

    table = dict(copyreg.dispatch_table)
    for name, module in list(sys.modules.items()):
        if not name.startswith("paperlayout.") or module is None:
            continue
        for cls in vars(module).values():
            if (isinstance(cls, type) and cls.__module__ == name and dataclasses.is_dataclass(cls)
                    and "__slots__" in cls.__dict__ and cls not in table):
                names = _field_names(cls)
                get = operator.attrgetter(*names) if names else (lambda obj: ())
                if name == "paperlayout.text.model" and cls.__name__ == "Glyph" and names == _GLYPH_FIELDS:
                    table[cls] = lambda obj, get=get: (_glyph, get(obj))
                elif name == "paperlayout.text.model" and cls.__name__ == "Line" and names == _LINE_FIELDS:
                    table[cls] = _pack_line
                elif len(names) == 1:
                    table[cls] = lambda obj, cls=cls, get=get: (_rebuild, (cls, (get(obj),)))
                else:
                    table[cls] = lambda obj, cls=cls, get=get: (_rebuild, (cls, get(obj)))
    return table


def keep_from_second(store, seen: str, namespace: str, k: str, value) -> None:
    """Store ``value`` (pickled by :func:`dumps`) in ``namespace`` under ``k`` the second
    time ``k`` is offered; the first time only a mark goes in ``seen`` (a one-off build, an
    archive's, would pay for writing what is never read)."""
    if store.get(seen, k) is None:
        store.put(seen, k, b"")
        return
    data = dumps(value)
    if data is not None:
        store.put(namespace, k, data)


def dumps(value) -> bytes | None:
    """``value`` (paperlayout's frozen dataclasses) as bytes for a layout entry; None when
    it cannot be pickled (then it is simply not cached)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table = _FIELDS.get("table")
    if table is None or len(table) < len(_FIELDS):
        table = _FIELDS["table"] = _dispatch_table()  # built once, after the layout modules are loaded
    pickler.dispatch_table = table
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return buffer.getvalue()


def loads(data: bytes):
    """The value ``dumps`` stored; None when ``data`` cannot be read (a corrupt, truncated
    or foreign file is a miss, never an error)."""
    _READING.floats = {}
    # An entry is a tree of new objects (no cycles to find): the collector, run every few
    # hundred allocations, would walk them over and over — about half the time of reading a
    # page back. It is paused while this thread reads (and left as it was found).
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 — garbage may fail in any way: a miss
        return None
    finally:
        if paused:
            gc.enable()
        _READING.floats = None
