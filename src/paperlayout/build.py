"""The build pipeline: issue.yaml → Issue → laid-out pages → PDF bytes, plus the report.

Pure orchestration of the stages, in their order; the CLI decides what the user sees and
where files go. Logs (never prints) with the stage names.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .check import Report, build_report
from .fonts import FontBook
from .layout.context import LayoutContext
from .layout.issue import PageResult, lay_out_issue, photo_sizes
from .model import Issue
from .styles import Styles, default_fonts_dir, preset

log = logging.getLogger("paperlayout")


@dataclass(frozen=True)
class Laid:
    """The issue laid out: style, fonts, per-page results and the quality report."""

    issue: Issue
    styles: Styles
    fonts: FontBook
    pages: tuple[PageResult, ...]
    report: Report


class FontError(Exception):
    """A font file the style sheet names is missing (bad set-up, exit 2)."""


def open_fonts(styles: Styles, fonts_dir: Path | None = None) -> FontBook:
    """The style's faces from `fonts_dir` (default: $PAPERLAYOUT_FONTS or the repository's fonts/)."""
    directory = fonts_dir or Path(os.environ.get("PAPERLAYOUT_FONTS", default_fonts_dir()))
    paths = styles.font_paths(directory)
    missing = [f"{face} → {path}" for face, path in paths.items() if not path.is_file()]
    if missing:
        raise FontError("font files missing: " + "; ".join(missing) +
                        ". Run from a full checkout (fonts/ is committed) or pass --fonts DIR.")
    return FontBook.open(paths, fallbacks=styles.fallbacks)


class PhotoError(Exception):
    """A photo file that cannot be decoded (bad input, exit 2); the message names it."""


def image_size(path: Path) -> tuple[int, int]:
    """Pixel size of a photo, after checking that it decodes (a JPEG at 1/8 scale: cheap)."""
    from PIL import Image

    with Image.open(path) as im:
        size = im.size
        im.draft(im.mode, (max(1, size[0] // 8), max(1, size[1] // 8)))
        im.load()
    return size


def read_photos(issue: Issue) -> dict[str, tuple[int, int]]:
    """Every photo's pixel size (w, h) by path; PhotoError naming all unreadable ones."""
    problems = []
    sizes: dict[Path, tuple[int, int]] = {}
    for story in [s for page in issue.pages for s in page.stories] + list(issue.fillers):  # 补白 included
        for photo in story.photos:
            try:
                sizes[photo.path] = image_size(Path(photo.path))
            except (OSError, SyntaxError, ValueError) as exc:
                problems.append(f"{photo.where}: photo {photo.path} cannot be read ({exc}); "
                                "replace it with a valid JPEG or PNG")
    if problems:
        raise PhotoError("\n".join(problems))
    return photo_sizes(issue, sizes.__getitem__)


def lay_out(issue: Issue, fonts_dir: Path | None = None, *, allow_holes: bool = False) -> Laid:
    """Stages 2–4: fonts, composing and planning every page, checking (the editor's rules
    included; `allow_holes`: unfilled pages are warnings, for a proof)."""
    styles = preset(issue.preset)
    if issue.style is not None:
        from .stylesheet import load_styles

        styles = load_styles(issue.style, styles)
    log.info("fonts: opening %s", ", ".join(styles.faces.values()))
    fonts = open_fonts(styles, fonts_dir)
    ctx = LayoutContext(styles, fonts)
    log.info("layout: %d pages", len(issue.pages))
    workers = min(2, os.cpu_count() or 1)
    pixels = read_photos(issue)
    results = lay_out_issue(ctx, issue, pixels, workers=workers)
    report = build_report(issue, results, styles.page, pixels, allow_holes=allow_holes,
                          furniture=(styles.masthead_rows, styles.running_head_rows))
    from dataclasses import replace

    from .fallbacks import fallback_notes  # which characters came from which face (info)

    notes = fallback_notes((r.frame for r in results if r.frame is not None), fonts)
    report = replace(report, diagnostics=report.diagnostics + tuple(notes))
    return Laid(issue, styles, fonts, results, report)


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
           standard: str = "x1a") -> tuple[bytes, list[dict]]:
    """Stage 5: render the laid-out pages and finalise them as PDF/X-1a. Returns bytes and
    per-photo press figures (ppi, ink)."""
    from dataclasses import asdict

    from .render.pdf import RenderOptions, render
    from .render.pdfx import OutputIntent, PdfMeta, finalize

    issue = laid.issue
    frames = [r.frame for r in laid.pages if r.frame is not None]
    last = len(issue.pages)
    colour = frozenset(page.number for page in issue.pages if page.is_colour)
    options = RenderOptions(marks=marks, colour_pages=colour, output_profile=output_profile,
                            ink_limit=laid.styles.ink_limit, photo_ppi=laid.styles.photo_ppi,
                            title=title(issue), author=issue.paper.publisher or issue.paper.name)
    log.info("render: %d pages", len(frames))
    raw, figures = render(frames, laid.fonts, options)
    intent = OutputIntent.from_profile(output_profile) if output_profile else OutputIntent.default()
    meta = PdfMeta(title=title(issue), author=options.author, subject=f"{issue.paper.name} 第{issue.number}期 共{last}版",
                   creation_date=creation_date(issue), output_intent=intent, standard=standard)
    log.info("pdfx: finalising")
    return finalize(raw, meta), [asdict(f) for f in figures]
