"""The build pipeline: issue.yaml → Issue → laid-out pages → PDF bytes, plus the report.

Pure orchestration of the stages, in their order; the CLI decides what the user sees and
where files go. Logs (never prints) with the stage names.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .check import Report, build_report
from .fonts import FontBook
from .limits import DEFAULT as DEFAULT_LIMITS
from .limits import Limits, check_regular, os_reason
from .layout.context import LayoutContext
from .layout.issue import PageResult, lay_out_issue, photo_sizes
from .model import Issue, printed_texts
from .styles import Styles, default_fonts_dir, preset
from .text import segment

log = logging.getLogger("paperlayout")


@dataclass(frozen=True)
class Laid:
    """The issue laid out: style, fonts, per-page results and the quality report, and the
    limits it was read under (the renderer decodes the same photos again under them)."""

    issue: Issue
    styles: Styles
    fonts: FontBook
    pages: tuple[PageResult, ...]
    report: Report
    limits: Limits = DEFAULT_LIMITS


class FontError(Exception):
    """A font file the style sheet names is missing or unusable (bad set-up, exit 2)."""


class TextError(Exception):
    """Copy holding characters no font has (bad input, exit 2); the message names each
    character and the field it is in."""


def font_dir(fonts_dir: Path | None = None) -> Path:
    """The folder the fonts are read from: ``fonts_dir``, $PAPERLAYOUT_FONTS, the checkout's
    fonts/ (source tree, editable install) or the fonts installed with the package
    (site-packages/paperlayout/data/fonts, mapped from the top-level fonts/ by pyproject.toml)."""
    if fonts_dir or os.environ.get("PAPERLAYOUT_FONTS"):
        return Path(fonts_dir or os.environ["PAPERLAYOUT_FONTS"])
    checkout = default_fonts_dir()
    installed = Path(__file__).resolve().parent / "data" / "fonts"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


def open_fonts(styles: Styles, fonts_dir: Path | None = None, limits: Limits = DEFAULT_LIMITS) -> FontBook:
    """The style's faces from `fonts_dir` (default: $PAPERLAYOUT_FONTS or the installed fonts/).

    Every face is parsed here, so a missing, empty, oversized or garbage font file is a
    FontError naming it, not an exception from deep inside the composer."""
    directory = font_dir(fonts_dir)
    paths = styles.font_paths(directory)
    missing = []
    for face, path in paths.items():
        try:
            check_regular(path, limits.font_bytes, "font file")
        except FileNotFoundError:
            missing.append(f"{face} → {path}")
        except (OSError, ValueError) as exc:
            raise FontError(f"font file {path} (face {face}): {os_reason(exc)}") from None
    if missing:
        raise FontError("font files missing: " + "; ".join(missing) +
                        ". Reinstall paperlayout, run from a full checkout (fonts/ is committed) or pass --fonts DIR.")
    book = FontBook.open(paths, fallbacks=styles.fallbacks)
    for face, path in paths.items():
        try:
            book.face_metrics(face)
        except Exception as exc:  # fontTools raises TTLibError, struct.error, KeyError … on garbage
            reason = str(exc).strip() or type(exc).__name__
            raise FontError(f"font file {path} (face {face}) cannot be read as a TrueType/OpenType font "
                            f"({reason[:200]}) — replace it with a valid font file") from None
    return book


def check_coverage(issue: Issue, fonts: FontBook) -> None:
    """Raise TextError naming every character of the copy that no font of the book has,
    with the field it first appears in (a character no font has would print as a box)."""
    fields = [(where, text) for where, text, _ in printed_texts(issue)]
    chars = {ch for _, text in fields for ch in text}
    faces = list(fonts.faces)
    uncovered = {ch for ch in chars if not ch.isspace() and not any(fonts.covers(face, ch) for face in faces)}
    if not uncovered:
        return
    problems = []
    for where, text in fields:
        found = [ch for ch in dict.fromkeys(text) if ch in uncovered]
        for ch in found:
            uncovered.discard(ch)
            name = unicodedata.name(ch, "unnamed character")
            problems.append(f"{where}: the character {ch!r} (U+{ord(ch):04X} {name}) is in no font — "
                            "remove it or write it in words")
    raise TextError("\n".join(problems))


class PhotoError(Exception):
    """A photo file that cannot be decoded (bad input, exit 2); the message names it."""


def image_size(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[int, int]:
    """Pixel size (w, h) of a photo as it is shown — upright, after its EXIF orientation —
    after checking that it decodes (a JPEG at 1/8 scale: cheap).

    Only a regular file within ``limits.photo_bytes``; a size over ``limits.image_pixels``
    is refused from the header, before decoding (decompression bombs)."""
    from PIL import Image

    from .render.images import check_pixels

    check_regular(path, limits.photo_bytes, "photo")
    with Image.open(path) as im:
        size = im.size
        check_pixels(path, size, limits.image_pixels)
        turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF orientation: stored on its side
        im.draft(im.mode, (max(1, size[0] // 8), max(1, size[1] // 8)))
        im.load()
    return (size[1], size[0]) if turned else size


def read_photos(issue: Issue, limits: Limits = DEFAULT_LIMITS, store=None) -> dict[str, tuple[int, int]]:
    """Every photo's pixel size (w, h), upright, by path (补白 fillers included); PhotoError
    naming all unreadable ones. Each file is read once; with a cache ``store`` a file whose
    content was measured before (under the same limits) is not decoded again."""
    known = _known_sizes(issue, limits, store)
    if known is not None:
        return photo_sizes(issue, known.__getitem__)
    from PIL import Image

    from . import placeholder
    from .render.images import ImageInputError

    problems = []
    sizes: dict[Path, tuple[int, int]] = {}
    for story in [s for page in issue.pages for s in page.stories] + list(issue.fillers):
        for photo in story.photos:
            if photo.placeholder:  # no file: its aspect, with pixels no rule runs short of
                sizes[photo.path] = placeholder.pixels(photo.aspect)
                continue
            if photo.path in sizes:
                continue
            try:
                sizes[photo.path] = _cached_image_size(Path(photo.path), limits, store)
            except ImageInputError as exc:
                problems.append(f"{photo.where}.file: {exc}")
            except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, MemoryError) as exc:
                reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
                problems.append(f"{photo.where}.file: photo {photo.path} cannot be read ({reason}); "
                                "replace it with a valid JPEG or PNG")
    problems += _unplaceable(issue, sizes)
    if problems:
        raise PhotoError("\n".join(problems))
    return photo_sizes(issue, sizes.__getitem__)


def _known_sizes(issue: Issue, limits: Limits, store) -> dict[Path, tuple[int, int]] | None:
    """Every photo's size from the cache, or None if one is not there or is not placeable
    (then `read_photos` reads and reports as without a cache) — PIL is not even imported."""
    if store is None:
        return None
    from . import cache, placeholder

    sizes: dict[Path, tuple[int, int]] = {}
    try:
        for story in [s for page in issue.pages for s in page.stories] + list(issue.fillers):
            for photo in story.photos:
                if photo.placeholder:  # no file: as in read_photos
                    sizes[photo.path] = placeholder.pixels(photo.aspect)
                elif photo.path not in sizes:
                    path = Path(photo.path)
                    check_regular(path, limits.photo_bytes, "photo")
                    k = cache.key("photo-size", cache.file_digest(path, store), limits.photo_bytes, limits.image_pixels)
                    parts = (store.get("photo-size", k) or b"").split(b" ")
                    if not (len(parts) == 2 and all(part.isdigit() for part in parts)):
                        return None
                    sizes[photo.path] = (int(parts[0]), int(parts[1]))
    except (OSError, ValueError):
        return None
    if _unplaceable(issue, sizes):
        return None
    return sizes


def _cached_image_size(path: Path, limits: Limits, store) -> tuple[int, int]:
    """``image_size``, memoised in ``store`` by the file's content digest and the limits."""
    if store is None:
        return image_size(path, limits)
    from . import cache

    check_regular(path, limits.photo_bytes, "photo")
    k = cache.key("photo-size", cache.file_digest(path, store), limits.photo_bytes, limits.image_pixels)
    known = store.get("photo-size", k)
    if known is not None:
        parts = known.split(b" ")
        if len(parts) == 2 and all(part.isdigit() for part in parts):
            return int(parts[0]), int(parts[1])
    w, h = image_size(path, limits)
    store.put("photo-size", k, b"%d %d" % (w, h))
    return w, h


def _unplaceable(issue: Issue, sizes: dict[Path, tuple[int, int]]) -> list[str]:
    """Photos no crop the planner allows can place (a 4000 × 1 px strip): located messages.

    The planner places a photo at a width/height within ASPECT_RANGE, cropped by a factor
    within CROP_RANGE of its own aspect (layout/story.py); outside their product it would
    only ever be "overset", without a word about the photo."""
    from .layout.story import ASPECT_RANGE, CROP_RANGE

    low, high = ASPECT_RANGE[0] / CROP_RANGE[1], ASPECT_RANGE[1] / CROP_RANGE[0]
    out = []
    for page in issue.pages:
        for story in page.stories:
            for photo in story.photos:
                w, h = sizes.get(photo.path, (1, 1))
                if not low <= w / h <= high:
                    shape = "wide" if w / h > high else "tall"
                    out.append(f"{photo.where}.file: photo {photo.path} is {w} × {h} px, too {shape} to place "
                               f"(width/height {w / h:.2f}; photos are placed from {low:.2f} to {high:.2f}) — crop it")
    return out


def issue_styles(issue: Issue, limits: Limits = DEFAULT_LIMITS) -> Styles:
    """The issue's preset with its style sheet applied (LoadError for a bad sheet)."""
    styles = preset(issue.preset)
    if issue.style is not None:
        from .stylesheet import load_styles

        styles = load_styles(issue.style, styles, limits)
    return styles


@contextmanager
def young_collections_only():
    """Python's garbage collector collects only its two young generations inside the block.

    The layout builds millions of long-lived objects (memoised measurements, set lines), so
    each full collection walks all of them — and finds a few hundred cycles: on 16 pages
    six full collections cost 0.4 s, a fifth of the layout. The young generations still
    collect the short-lived cycles (the memory stays as it was). Thresholds restored after."""
    with _GC_LOCK:  # layouts in several threads (serve): the first in sets, the last out restores
        if not _GC_SAVED:
            old = gc.get_threshold()
            _GC_SAVED.append(old)
            gc.set_threshold(old[0], old[1], 1 << 30)
        _GC_SAVED.append(None)
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_SAVED.pop()
            if len(_GC_SAVED) == 1:
                gc.set_threshold(*_GC_SAVED.pop())


_GC_LOCK = threading.Lock()
_GC_SAVED: list = []  # the thresholds before the first layout still running, then one mark per layout


def lay_out(issue: Issue, fonts_dir: Path | None = None, limits: Limits = DEFAULT_LIMITS, *,
            allow_holes: bool = False, workers: int | None = None) -> Laid:
    """Stages 2–4: fonts, composing and planning every page, checking (the editor's rules
    included; `allow_holes`: unfilled pages are warnings, for a proof). `workers` 1 keeps
    the layout in this process; None lets a forked process measure the later pages' stories
    when the machine has a second core (layout/ahead.py) — unless PAPERLAYOUT_LAYOUT_WORKERS
    says otherwise. The result is the same either way."""
    with young_collections_only():
        return _lay_out(issue, fonts_dir, limits, allow_holes=allow_holes, workers=workers)


def _lay_out(issue: Issue, fonts_dir: Path | None, limits: Limits, *, allow_holes: bool,
             workers: int | None = None) -> Laid:
    styles = issue_styles(issue, limits)
    log.info("fonts: opening %s", ", ".join(styles.faces.values()))
    fonts = open_fonts(styles, fonts_dir, limits)
    check_coverage(issue, fonts)
    from .cache import default_store

    store = default_store()
    ctx = LayoutContext(styles, fonts, store=store)
    log.info("layout: %d pages", len(issue.pages))
    # with a second core the later pages' stories are measured in a forked process meanwhile
    # (layout/ahead.py; workers None: as forking.may_fork and PAPERLAYOUT_LAYOUT_WORKERS say)
    pixels = read_photos(issue, limits, store)
    results = _cached_pages(ctx, issue, pixels) if store is not None else None
    if results is None:
        results = lay_out_issue(ctx, issue, pixels, workers=workers)
        if store is not None:
            from .layout.pagecache import keep_pages

            ctx.flush()
            keep_pages(ctx, results)
            _store_pages(ctx, issue, pixels, results)
    report = issue_report(issue, results, styles, fonts, pixels, allow_holes=allow_holes)
    # the paragraphs prepared for line breaking (and their breaks at every measure tried) are
    # of no use once the pages are set: about a third of the layout's memory on 16 pages
    fonts.forget("text.para")
    segment.release()
    return Laid(issue, styles, fonts, results, report, limits)


#: The cache namespace of laid-out issues (cache.py): the pages of an issue whose every input
#: is unchanged are read back instead of planned again.
PAGES_NAMESPACE = "pages"
PAGES_SEEN = "pages-seen"  # marks of inputs laid out once (see _store_pages)


def _pages_key(ctx: LayoutContext, issue: Issue, pixels: dict[str, tuple[int, int]]) -> str:
    from .cache import key

    return key("pages", ctx.layout_key(), repr(issue), sorted(pixels.items()))


def _cached_pages(ctx: LayoutContext, issue: Issue, pixels) -> tuple[PageResult, ...] | None:
    """The pages ``lay_out_issue`` made before from the same inputs, or None."""
    from .cache import loads

    data = ctx.store.get(PAGES_NAMESPACE, _pages_key(ctx, issue, pixels))
    found = loads(data) if data is not None else None
    if isinstance(found, tuple) and len(found) == len(issue.pages) and all(isinstance(r, PageResult) for r in found):
        log.info("layout: the pages from the cache")
        return found
    return None


def _store_pages(ctx: LayoutContext, issue: Issue, pixels, results: tuple[PageResult, ...]) -> None:
    """Keep the pages for the next build of the same inputs — from the second build of them
    on: the first leaves only a mark. Storing the pages costs about a quarter of laying them
    out, which a one-off build (an archive's) would pay for nothing; an issue built again
    unchanged (a proof, a re-export) is built a third time too."""
    from .cache import keep_from_second

    keep_from_second(ctx.store, PAGES_SEEN, PAGES_NAMESPACE, _pages_key(ctx, issue, pixels), results)


def issue_report(issue: Issue, results: tuple[PageResult, ...], styles: Styles, fonts: FontBook,
                 pixels: dict[str, tuple[int, int]], *, allow_holes: bool = False) -> Report:
    """The quality report of laid-out ``results``: the report's own checks (fill, holes, the
    editor's rules over ``styles.page``; ``pixels``: source w × h px by photo path) after the
    copy's own findings (copycheck: a quotation mark or bracket left open), then which
    characters came from which fallback face (info notes). ``lay_out`` and serve's partial
    re-layout both make their report here."""
    from dataclasses import replace

    from .copycheck import copy_findings
    from .fallbacks import fallback_notes

    report = build_report(issue, results, styles.page, pixels, allow_holes=allow_holes,
                          furniture=(styles.masthead_rows, styles.running_head_rows))
    notes = fallback_notes((r.frame for r in results if r.frame is not None), fonts)
    return replace(report, diagnostics=copy_findings(issue) + report.diagnostics + tuple(notes))


def creation_date(issue: Issue) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the issue date at 05:00 Beijing time — never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.combine(issue.date, dt.time(5, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def title(issue: Issue) -> str:
    from .layout.page import gregorian

    edition = f" {issue.edition}" if issue.edition else ""
    return f"{issue.paper.name} {gregorian(issue.date)} 第{issue.number}期{edition}"


def to_pdf(laid: Laid, *, marks: bool = True, output_profile: Path | None = None,
           standard: str = "x1a", mod_date: dt.datetime | None = None,
           output_condition: str | None = None) -> tuple[bytes, list[dict]]:
    """Stage 5: render the laid-out pages and finalise them as PDF/X-1a. Returns bytes and
    per-photo press figures (ppi, ink). ``mod_date`` (aware): the ModDate of a rebuild;
    default the creation date. The Producer records version, git commit and style."""
    from dataclasses import asdict

    from . import heap
    from .render.pdf import RenderOptions, render_into
    from .provenance import producer
    from .render.pdfx import OutputIntent, PdfMeta, finalize

    issue = laid.issue
    frames = [r.frame for r in laid.pages if r.frame is not None]
    last = len(issue.pages)
    colour = frozenset(page.number for page in issue.pages if page.is_colour)
    options = RenderOptions(marks=marks, colour_pages=colour, output_profile=output_profile,
                            ink_limit=laid.styles.ink_limit, photo_ppi=laid.styles.photo_ppi,
                            title=title(issue), author=issue.paper.publisher or issue.paper.name,
                            max_pixels=laid.limits.image_pixels,
                            compress=standard == "x4")  # X-4's XMP IDs hash the compressed draft (pdfx._set_xmp)
    log.info("render: %d pages", len(frames))
    intent = OutputIntent.for_build(output_profile, output_condition)
    meta = PdfMeta(title=title(issue), author=options.author, subject=f"{issue.paper.name} 第{issue.number}期 共{last}版",
                   creation_date=creation_date(issue), output_intent=intent, standard=standard,
                   producer=producer(laid.styles.name), mod_date=mod_date)
    with heap.spill_file() as draft:  # the draft is never whole in memory
        figures = render_into(draft, frames, laid.fonts, options)
        log.info("pdfx: finalising")
        return finalize(draft, meta), [asdict(f) for f in figures]
