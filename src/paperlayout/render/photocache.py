"""Converted photos from the on-disk cache (paperlayout.cache): an editor's rebuild converts
nothing it converted before.

Three entries per placed photo, each a pure function of what its key names:

* ``photos``: the plate :func:`paperlayout.render.images.prepare_photo` makes — keyed by the
  photo file's content hash and path (the warnings name the path), the output profile's
  content hash, plate mode (cmyk | gray), placed size (pt), crop, target ppi, ink limit,
  rendering intent, the Pillow and LittleCMS versions and the source of images.py;
* ``jpeg``: what :func:`paperlayout.render.images.encode_for_pdf` hands reportlab for that
  plate — keyed by the plate's pixels, the quality and the ink limit — the JPEG bytes, or
  "lossless" when the JPEG would exceed the ink limit;
* ``xobject``: what the renderer draws (:class:`Drawable`) — keyed like ``photos`` plus the
  JPEG quality and reportlab's version — the JPEG (or the lossless plate's pixels), the name
  reportlab gives its image XObject, and the press figures. A rebuild reads this entry
  alone: no photo is decoded, converted, encoded or hashed.

A hit gives the same pixels and bytes as a miss (deterministic Pillow/LittleCMS), so the PDF
is the same; tests/test_cache.py builds the sample both ways and compares the bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import marshal
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms

from .. import cache
from . import images
from .images import PreparedImage, default_output_profile, prepare_photo

#: Bumped when what is stored changes.
RECORD = 1
_images_log = logging.getLogger(images.__name__)


@functools.lru_cache(maxsize=1)
def _code_version() -> tuple:
    """What else the plate depends on: Pillow, LittleCMS and the conversion code itself (and
    the Python version, as marshal's format may change between versions)."""
    source = hashlib.sha256(Path(images.__file__).read_bytes()).hexdigest()
    return (Image.__version__, getattr(ImageCms.core, "littlecms_version", ""), source, sys.implementation.cache_tag)


def photo_key(path: Path, placed_w: float, placed_h: float, *, mode: str, output_profile: Path | None,
              target_ppi: float, ink_limit: float, crop=None, intent: str = "perceptual",
              store: cache.Store | None = None) -> str:
    """The cache key of one conversion (see the module docstring for what it names)."""
    profile = Path(output_profile or default_output_profile())
    return cache.key("photo", RECORD, _code_version(), str(path), cache.file_digest(path, store),
                     cache.file_digest(profile, store), mode, float(placed_w), float(placed_h), crop,
                     float(target_ppi), float(ink_limit), intent)


def _dump(p: PreparedImage) -> bytes:
    return marshal.dumps((RECORD, p.image.mode, p.image.size, p.image.tobytes(), p.ppi, p.source_ppi, p.max_ink,
                          p.warnings, p.ink_before_limit, p.crop_px, p.ink_limit))


def _load(blob: bytes, path: Path) -> PreparedImage:
    record, mode, size, pixels, ppi, source_ppi, max_ink, warnings, before, crop_px, ink_limit = marshal.loads(blob)
    if record != RECORD:
        raise ValueError("cache record of another format")
    return PreparedImage(image=Image.frombytes(mode, tuple(size), pixels), ppi=ppi, source_ppi=source_ppi,
                         max_ink=max_ink, warnings=tuple(warnings), source=path, ink_before_limit=before,
                         crop_px=tuple(crop_px), ink_limit=ink_limit)


def prepare(path: Path, placed_w: float, placed_h: float, *, mode: str, output_profile: Path | None,
            target_ppi: float, ink_limit: float, store: cache.Store | None,
            max_pixels: int = images.MAX_PIXELS) -> PreparedImage:
    """``prepare_photo`` with the same arguments, from ``store`` when it has the plate
    (its warnings are logged again, as a conversion would). ``max_pixels`` (w × h px) only
    refuses a source it converts; it is not part of the key, since it never changes a plate."""
    path = Path(path)
    if store is None:
        return prepare_photo(path, placed_w, placed_h, mode=mode, output_profile=output_profile,
                             target_ppi=target_ppi, ink_limit=ink_limit, max_pixels=max_pixels)
    k = photo_key(path, placed_w, placed_h, mode=mode, output_profile=output_profile, target_ppi=target_ppi,
                  ink_limit=ink_limit, store=store)
    blob = store.get("photos", k)
    if blob is not None:
        try:
            prepared = _load(blob, path)
        except (ValueError, EOFError, TypeError):
            prepared = None
        if prepared is not None:
            for message in prepared.warnings:
                _images_log.warning(message)
            return prepared
    prepared = prepare_photo(path, placed_w, placed_h, mode=mode, output_profile=output_profile,
                             target_ppi=target_ppi, ink_limit=ink_limit, max_pixels=max_pixels)
    store.put("photos", k, _dump(prepared))
    return prepared


_LOSSLESS = b"lossless"


def encode_for_pdf(prepared: PreparedImage, *, jpeg_quality: int | None = None):
    """``images.encode_for_pdf`` (same arguments, same reader contents), with the JPEG
    encoding and its ink re-measurement taken from the cache when the plate was seen."""
    from reportlab.lib.utils import ImageReader

    store = cache.default_store()
    if store is None or jpeg_quality is None:
        return images.encode_for_pdf(prepared, jpeg_quality=jpeg_quality)
    image = prepared.image
    k = cache.key("jpeg", RECORD, _code_version(), image.mode, image.size,
                  hashlib.sha256(image.tobytes()).hexdigest(), int(jpeg_quality), float(prepared.ink_limit))
    blob = store.get("jpeg", k)
    if blob is None:
        reader = images.encode_for_pdf(prepared, jpeg_quality=jpeg_quality)
        fp = getattr(reader, "fp", None)
        blob = fp.getvalue() if isinstance(fp, io.BytesIO) else _LOSSLESS
        store.put("jpeg", k, blob)
        return reader
    if blob == _LOSSLESS:
        return ImageReader(image)
    return ImageReader(io.BytesIO(blob))


class Plates:
    """The renderer's plates: (page number, picture item) → PreparedImage, converted by two
    threads in page order, at most ``ahead`` pages ahead of the page being drawn.

    jobs: (page number, item, conversion) in drawing order; equal conversions (same file,
    size, plate, …) on the pages in flight are made once. work(conversion) → PreparedImage.
    A plate is forgotten once every item that asked for it has been handed its plate, so
    memory holds a page or two of plates rather than the whole issue's (raw CMYK plates are
    several times the JPEGs reportlab keeps for the PDF). Results are the same as converting
    everything first: each conversion is a pure function of its arguments.
    """

    def __init__(self, jobs: list, work, ahead: int = 1) -> None:
        from collections import Counter
        from concurrent.futures import ThreadPoolExecutor

        self._work = work
        self._ahead = ahead
        self._conversion = {(number, item): conv for number, item, conv in jobs}
        self._order = list(dict.fromkeys(number for number, _, _ in jobs))
        self._page_jobs = {number: [] for number in self._order}
        for number, item, conv in jobs:
            self._page_jobs[number].append(conv)
        self._index = {number: i for i, number in enumerate(self._order)}
        self._futures: dict = {}
        self._users: Counter = Counter()
        self._submitted = 0  # pages submitted so far, in order
        self._pool = ThreadPoolExecutor(max_workers=2) if jobs else None
        self._fill(ahead)

    def _fill(self, last: int) -> None:
        """Submit the conversions of the pages up to index ``last`` (inclusive)."""
        while self._submitted <= min(last, len(self._order) - 1):
            for conv in self._page_jobs[self._order[self._submitted]]:
                if conv not in self._futures:
                    self._futures[conv] = self._pool.submit(self._work, conv)
                self._users[conv] += 1
            self._submitted += 1

    def __getitem__(self, key):
        number, _ = key
        conv = self._conversion[key]
        self._fill(self._index[number] + self._ahead)
        future = self._futures.get(conv)
        if future is None:  # asked again after it was handed out: convert again
            return self._work(conv)
        result = future.result()
        self._users[conv] -= 1
        if self._users[conv] <= 0:
            del self._futures[conv]
            del self._users[conv]
        if not self._futures and self._submitted == len(self._order):
            self.close()
        return result

    def close(self) -> None:
        """Stop the threads (pending conversions are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __del__(self) -> None:
        self.close()


@dataclass(frozen=True)
class Drawable:
    """One placed photo as the PDF carries it, and its press figures.

    kind "jpeg": ``data`` is the JPEG reportlab copies into the file (/DCTDecode); kind
    "raw": the plate's pixels (``mode`` "CMYK" or "L", ``size`` w × h px), written
    losslessly (/FlateDecode) because the JPEG would exceed the ink limit. name: the digest
    reportlab's ``drawImage`` names the image XObject by — MD5 of the decoded pixels and
    ``str(None)`` (no mask). ppi, source_ppi, max_ink, warnings: as PreparedImage.
    """

    kind: str
    data: bytes
    name: str
    ppi: float
    source_ppi: float
    max_ink: float
    warnings: tuple[str, ...]
    mode: str = ""
    size: tuple[int, int] = (0, 0)


#: Version of the ``xobject`` entries (part of their key).
XOBJECT_RECORD = 1


def xobject_name(pixels: bytes) -> str:
    """The name reportlab's ``canvas.drawImage`` gives the image XObject of an ImageReader
    whose decoded pixels are ``pixels`` (no mask): MD5 of them followed by ``str(None)``."""
    from reportlab.lib.utils import _digester

    return _digester(pixels + b"None")


def drawable(path: Path, placed_w: float, placed_h: float, *, mode: str, output_profile: Path | None,
             target_ppi: float, ink_limit: float, store: cache.Store | None, jpeg_quality: int,
             max_pixels: int = images.MAX_PIXELS) -> Drawable:
    """What the renderer draws for one placed photo (``prepare`` then ``encode_for_pdf``),
    from ``store``'s ``xobject`` entry when this conversion was drawn before: a rebuild then
    decodes, converts, encodes and hashes nothing (its warnings are logged again). The entry
    is keyed like the plate (:func:`photo_key`) plus the JPEG quality and reportlab's version."""
    from reportlab.lib.utils import ImageReader

    import reportlab

    path = Path(path)
    k = None
    if store is not None:  # reportlab's version: the XObject name is its digest scheme
        k = cache.key("xobject", XOBJECT_RECORD, reportlab.Version, photo_key(path, placed_w, placed_h, mode=mode,
                                                           output_profile=output_profile, target_ppi=target_ppi,
                                                           ink_limit=ink_limit, store=store),
                      int(jpeg_quality))
        blob = store.get("xobject", k)
        if blob is not None:
            try:
                record, fields = marshal.loads(blob)
                made = Drawable(*fields[:6], tuple(fields[6]), fields[7], tuple(fields[8]))
            except (ValueError, EOFError, TypeError, IndexError):
                record = None
            if record == XOBJECT_RECORD and made.kind in ("jpeg", "raw"):
                for message in made.warnings:
                    _images_log.warning(message)
                return made
    prepared = prepare(path, placed_w, placed_h, mode=mode, output_profile=output_profile, target_ppi=target_ppi,
                       ink_limit=ink_limit, store=store, max_pixels=max_pixels)
    reader = encode_for_pdf(prepared, jpeg_quality=jpeg_quality)
    figures = (prepared.ppi, prepared.source_ppi, prepared.max_ink, prepared.warnings)
    fp = getattr(reader, "fp", None)
    if isinstance(fp, io.BytesIO):
        jpeg = fp.getvalue()
        made = Drawable("jpeg", jpeg, xobject_name(ImageReader(io.BytesIO(jpeg)).getRGBData()), *figures)
    else:  # lossless: the plate itself is drawn
        pixels = reader.getRGBData()
        made = Drawable("raw", pixels, xobject_name(pixels), *figures, mode=reader.mode, size=reader.getSize())
    if k is not None:
        fields = (made.kind, made.data, made.name, made.ppi, made.source_ppi, made.max_ink, made.warnings,
                  made.mode, made.size)
        store.put("xobject", k, marshal.dumps((XOBJECT_RECORD, fields)))
    return made
