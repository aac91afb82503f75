"""Preflight: check a PDF (ours or anyone's) against what a newspaper plant expects.

Each check names the tool that performed it, so a plant can repeat it with the same
free tools (shared/design/PRESS.md, "Checking"):

==================  ===========  ==========================================================
check               tool         what
==================  ===========  ==========================================================
pdfx                pikepdf      GTS_PDFXVersion/Conformance, header version, Trapped, ID,
                                 Title, dates, encryption, output intent (GTS_PDFX, N=4 ICC)
boxes               pikepdf      TrimBox ⊆ BleedBox ⊆ MediaBox, bleed ≥ 3 mm (± 0.01 mm),
                                 same trim size, no annotations inside the trim
fonts               pikepdf      every font embedded, no Type 3
fonts-pdffonts      pdffonts     second opinion (poppler)
colour              pikepdf      no RGB/Lab/ICC-RGB in fills, strokes, shadings, images
                                 (each named as such); spot colours (Separation/DeviceN)
                                 listed with their names; thin rules not in several inks;
                                 no hairlines under 0.25 pt
text                pikepdf      text colour: K-only with overprint; no small rich-black,
                                 registration or coloured text; no white overprint
images              pikepdf      effective resolution at placed size (from the CTM)
images-pdfimages    pdfimages    second opinion: colour space and ppi (poppler)
transparency        pikepdf      no SMask, alpha < 1, blend modes, transparency groups (X-1a)
ink                 ghostscript  total area coverage per page from tiffsep separations,
                                 and which plates carry ink (a mono page is K only);
                                 own output: K-only pages and colour pages bounded within
                                 the limit from their content are not rendered
qpdf                qpdf         ``qpdf --check`` structure
==================  ===========  ==========================================================

A check whose tool is missing reports "not-run" (never a silent pass). The content
checks interpret page content streams with pikepdf, tracking the graphics state (CTM,
colour spaces and values, ExtGState OP/op/OPM, text matrix and size) into form
XObjects; tiling-pattern cells and Type 3 glyph procedures are not interpreted.

Our own output (``own=True``, what ``paperlayout build`` runs; see :func:`_preflight_own`)
gets the same checks more cheaply: the content is read once, together with verify; pdffonts,
pdfimages and qpdf are not run (no second opinion on a file the same libraries wrote and the
pikepdf checks read whole); and Ghostscript renders only the pages whose ink neither the K-only
proof nor ``inkbound``'s bound (photo samples, paint colours and where they lie) keeps within
the limit. ``paperlayout preflight FILE`` is the thorough path: every tool, every page.

Units: points (pt) for lengths, ppi for resolution, % for ink. Page numbers from 1.
The CLI turns a report with errors into exit status 1.
"""

from __future__ import annotations

import json
import logging
import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from paperlayout.diagnostics import Diagnostic, error, warning
from paperlayout.render.pdfx import (all_dictionaries, check_profile, paper_of, profile_description,
                                     transparency_features)
from paperlayout.units import PT_PER_INCH, mm

log = logging.getLogger(__name__)

PASS, FAIL, WARN, NOT_RUN = "pass", "fail", "warn", "not-run"
#: Minimum bleed when a BleedBox extends beyond the trim, pt (3 mm).
MIN_BLEED = mm(3.0)
#: A bleed this much short of MIN_BLEED still counts as 3 mm, pt: files written in inches or
#: rounded to 0.01 pt say 2.9986 mm (8.5 pt) for 3 mm (0.01 mm is far below any trim
#: tolerance of a newspaper press, ~0.5 mm).
BLEED_TOLERANCE = mm(0.01)
#: Strokes thinner than this are hairlines: they break up or vanish on newsprint (plants'
#: intake specs: minimum line weight 0.25 pt, positive or reversed), pt.
HAIRLINE = 0.25
#: Annotation types allowed inside the trim of a PDF/X file (ISO 15930-1:2001 §6.6.1).
PRESS_ANNOTATIONS = ("/PrinterMark", "/TrapNet")
#: Colorant names of Separation/DeviceN spaces that are not spot colours: the process
#: plates, All (registration) and None (paints nothing) (PDF 1.3 §4.5.5).
PROCESS_COLORANTS = frozenset({"Cyan", "Magenta", "Yellow", "Black", "All", "None"})
#: Text below this size must not be in colour, rich black or reversed, pt (PRESS.md).
SMALL_TEXT = 10.0
#: Strokes thinner than this must be in one ink, pt.
THIN_RULE = 1.0
#: At most this many messages of one kind are listed; the rest are counted.
MAX_MESSAGES = 8
_EPS = 1e-3


@dataclass(frozen=True)
class Check:
    """The outcome of one check.

    name: stable identifier (see the module table); tool: what performed it;
    status: "pass" | "fail" | "warn" | "not-run"; details: one-line summary;
    figures: measured values (JSON-serialisable, per page under "pages" where relevant);
    errors / warnings: the individual findings, human-readable.
    """

    name: str
    tool: str
    status: str
    details: str
    figures: dict = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreflightReport:
    """All checks run on one file, in a fixed order."""

    path: Path
    checks: tuple[Check, ...]

    @property
    def errors(self) -> int:
        """Number of error findings (a failed check without findings counts one)."""
        return sum(max(len(c.errors), 1) if c.status == FAIL else len(c.errors) for c in self.checks)

    @property
    def warnings(self) -> int:
        return sum(len(c.warnings) for c in self.checks)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def check(self, name: str) -> Check:
        """The check called ``name`` (KeyError if it was not run)."""
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def to_json(self) -> str:
        """The report as JSON (sorted keys, stable across runs)."""
        data = {
            "file": str(self.path),
            "errors": self.errors,
            "warnings": self.warnings,
            "checks": [
                {
                    "name": c.name,
                    "tool": c.tool,
                    "status": c.status,
                    "details": c.details,
                    "figures": c.figures,
                    "errors": list(c.errors),
                    "warnings": list(c.warnings),
                }
                for c in self.checks
            ],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)

    def format(self) -> str:
        """Human text: one line per check, then its findings indented."""
        lines = [f"preflight {self.path}: {self.errors} error(s), {self.warnings} warning(s)"]
        for c in self.checks:
            lines.append(f"  {c.status.upper():7} {c.name:17} [{c.tool}] {c.details}")
            lines.extend(f"          error: {m}" for m in c.errors)
            lines.extend(f"          warning: {m}" for m in c.warnings)
        return "\n".join(lines)

    def to_diagnostics(self) -> tuple[Diagnostic, ...]:
        """Findings as project diagnostics (code "preflight-<check>")."""
        out: list[Diagnostic] = []
        for c in self.checks:
            out.extend(error(f"preflight-{c.name}", str(self.path), m) for m in c.errors)
            if c.status == FAIL and not c.errors:
                out.append(error(f"preflight-{c.name}", str(self.path), c.details))
            out.extend(warning(f"preflight-{c.name}", str(self.path), m) for m in c.warnings)
        return tuple(out)


def preflight(
    path: Path,
    *,
    ppi_floor: float = 150.0,
    ppi_target: float = 200.0,
    ink_limit: float = 240.0,
    render_ink: bool = True,
    ink_dpi: float = 36.0,
    own: bool = False,
    mono_pages: frozenset[int] | tuple[int, ...] = (),
    readback=None,
) -> PreflightReport:
    """Check the PDF at ``path``.

    ppi_floor: photos below this effective resolution are errors; below
        0.85 × ppi_target (170 for 200) warnings.
    ink_limit: maximum total area coverage, %; measured by Ghostscript at ``ink_dpi``
        when render_ink (else the check is "not-run").
    own: the file is one paperlayout has just written (``paperlayout build``); see
        :func:`_preflight_own` for what that path trusts. Without ``own`` (the default,
        ``paperlayout preflight FILE``) every page is rendered and qpdf, pdffonts and
        pdfimages run.
    mono_pages: pages printed from the black plate alone (黑白版): an error when one of
        them carries ink on another plate (from the content stream or the render).
    readback: with ``own``, the reading verify made of the same bytes
        (``verify_pdf(readback=True).readback``): the content is then not read again.

    The external tools run side by side in threads while the content streams are read, so
    the wall time is about the longest of them, not their sum; the report is the same.
    """
    from concurrent.futures import ThreadPoolExecutor

    path = Path(path)
    mono = frozenset(mono_pages)
    if own:
        from .pdfread import collector_paused

        with collector_paused():
            return _preflight_own(path, ppi_floor, ppi_target, ink_limit, render_ink, ink_dpi, mono, readback)
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return PreflightReport(path, (Check("open", "pikepdf", FAIL, f"cannot open: {exc}"),))
    with pdf, ThreadPoolExecutor(max_workers=4) as pool:
        count = len(pdf.pages)
        bleed = all(Name.BleedBox in p.obj for p in pdf.pages)
        pdffonts = pool.submit(_check_pdffonts, path)
        pdfimages = pool.submit(_check_pdfimages, path, ppi_floor)
        qpdf = pool.submit(_check_qpdf, path)
        renders = [pool.submit(_render_ink, path, list(range(1, count + 1)), count, bleed, ink_dpi)] if render_ink else []
        scan = _scan(pdf)
        checks = [
            _check_pdfx(pdf, path),
            _check_boxes(pdf),
            _check_fonts(pdf),
            pdffonts.result(),
            _check_colour(scan, _ink_boxes(pdf)),
            _check_text(scan),
            _check_images(scan, ppi_floor, ppi_target),
            pdfimages.result(),
            _check_transparency(pdf, _declared_standard(pdf)),
            _check_ink([r.result() for r in renders], count, set(), mono, ink_limit, ink_dpi, bleed)
            if render_ink else _not_run("ink", "ghostscript", "disabled"),
            qpdf.result(),
        ]
    report = PreflightReport(path, tuple(checks))
    log.info("preflight %s: %d error(s), %d warning(s)", path, report.errors, report.warnings)
    return report


def _same_bytes(path: Path, data) -> bool:
    """Whether the file at `path` holds exactly `data` (bytes-like), read 1 MiB at a time so
    that a second copy of a large PDF is never held."""
    view = memoryview(data)
    if path.stat().st_size != len(view):
        return False
    step = 1 << 20
    with open(path, "rb") as handle:
        for start in range(0, len(view), step):
            if handle.read(step) != view[start:start + step]:
                return False
        return not handle.read(1)


def _preflight_own(path: Path, ppi_floor: float, ppi_target: float, ink_limit: float, render_ink: bool,
                   ink_dpi: float, mono: frozenset[int], readback) -> PreflightReport:
    """Preflight of a file paperlayout has just written: the same checks and findings as
    for any file, at a fraction of the cost, by trusting what is known of our own output.

    * The content streams are read once, together with verify (``verify.read_own``: verify's
      interpreter keeping this module's colour state and calling its operator handlers, so
      the colour, text and image checks see the records :func:`_scan` would make).
    * Ink: a page whose content proves it K only (:func:`_k_only_pages`) carries at most
      100 %; a colour page whose ink is bounded from its content within the limit
      (``inkbound.bound``: photo samples, paint colours and the boxes they mark) is within it.
      Only the pages neither proves are rendered by Ghostscript, and a black-only page that
      is not proven K only is always rendered — so a page that might break the limit or
      carry another ink is measured exactly as before.
    * Not run: ``qpdf --check`` (the file was written by qpdf's own library, pikepdf: no
      second opinion), ``pdffonts`` (the fonts check reads the same font dictionaries) and
      ``pdfimages`` (the images and colour checks read every placed image's pixels, placed
      size and colour space from the content). ``paperlayout preflight FILE`` runs them all,
      and the press tests run them on our output as the independent second opinion.
    """
    from . import inkbound

    opened = None
    if readback is not None and readback.data is not None:
        try:
            same = _same_bytes(path, readback.data)
        except OSError:
            same = False
        if not same:
            readback = None
    if readback is None:
        try:
            opened = pikepdf.open(path)
        except (pikepdf.PdfError, OSError) as exc:
            return PreflightReport(path, (Check("open", "pikepdf", FAIL, f"cannot open: {exc}"),))
        from .verify import read_own

        readback = read_own(opened)
    pdf = readback.pdf
    try:
        scan = readback.colour
        count = len(pdf.pages)
        bleed = all(Name.BleedBox in p.obj for p in pdf.pages)
        clip = _ink_boxes(pdf)
        proven = _k_only_pages(pdf, scan) if ink_limit >= 100.0 else set()
        transparency = _check_transparency(pdf, _declared_standard(pdf))
        bounded: dict[int, tuple[float, list[str]]] = {}
        for number, page in enumerate(pdf.pages, start=1):
            if number in proven or number in mono or not render_ink:
                continue
            if transparency.figures.get("features") or Name.Annots in page.obj or number in scan.problem_pages:
                continue  # compositing or annotation appearances the bound does not model: render
            found = inkbound.bound(readback.marks[number], readback.glyph_boxes(number), clip.get(number))
            if isinstance(found, tuple) and found[0] <= ink_limit + 0.5:
                bounded[number] = found
        rest = [n for n in range(1, count + 1) if n not in proven and n not in bounded]
        renders = [_render_ink(path, rest, count, bleed, ink_dpi)] if render_ink and rest else []
        checks = [
            _check_pdfx(pdf, path),
            _check_boxes(pdf),
            _check_fonts(pdf),
            _not_run("fonts-pdffonts", "pdffonts", "own output: the fonts check reads the same font dictionaries; "
                     "`paperlayout preflight FILE` runs pdffonts"),
            _check_colour(scan, clip),
            _check_text(scan),
            _check_images(scan, ppi_floor, ppi_target),
            _not_run("images-pdfimages", "pdfimages", "own output: the images and colour checks read every placed "
                     "image; `paperlayout preflight FILE` runs pdfimages"),
            transparency,
            _check_ink(renders, count, proven, mono, ink_limit, ink_dpi, bleed, bounded)
            if render_ink else _not_run("ink", "ghostscript", "disabled"),
            _not_run("qpdf", "qpdf", "own output, written by qpdf's library (pikepdf); `paperlayout preflight FILE` runs it"),
        ]
    finally:
        if opened is not None:
            opened.close()
    report = PreflightReport(path, tuple(checks))
    log.info("preflight %s: %d error(s), %d warning(s)", path, report.errors, report.warnings)
    return report


# -- helpers ---------------------------------------------------------------------------


def _not_run(name: str, tool: str, why: str) -> Check:
    return Check(name, tool, NOT_RUN, f"not run: {why}")


def _status(errors: list[str], warnings: list[str]) -> str:
    return FAIL if errors else WARN if warnings else PASS


def _capped(messages: list[str]) -> tuple[str, ...]:
    """Deduplicated messages in order, at most MAX_MESSAGES plus a count of the rest."""
    unique = list(dict.fromkeys(messages))
    if len(unique) <= MAX_MESSAGES:
        return tuple(unique)
    return tuple(unique[:MAX_MESSAGES]) + (f"… and {len(unique) - MAX_MESSAGES} more like these",)


def _make(name: str, tool: str, details: str, figures: dict, errors: list[str], warnings: list[str]) -> Check:
    return Check(name, tool, _status(errors, warnings), details, figures, _capped(errors), _capped(warnings))


def _text(value) -> str:
    """A PDF string/name as Python text ("" for None)."""
    if value is None:
        return ""
    return str(value)


def _declared_standard(pdf: pikepdf.Pdf) -> str:
    """ "x1a", "x4", "x3", other "x…" or "" from the Info GTS keys."""
    info = pdf.trailer.get(Name.Info)
    if not isinstance(info, Dictionary):
        return ""
    version = _text(info.get(Name.GTS_PDFXVersion))
    conformance = _text(info.get(Name.GTS_PDFXConformance))
    if conformance.startswith("PDF/X-1a") or version.startswith("PDF/X-1"):
        return "x1a"
    if version.startswith("PDF/X-4"):
        return "x4"
    if version.startswith("PDF/X-3"):
        return "x3"
    return "x" if version else ""


def _run(args: list[str], timeout: float = 120.0) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)


# -- pdfx ------------------------------------------------------------------------------


def _check_pdfx(pdf: pikepdf.Pdf, path: Path) -> Check:
    """PDF/X identification, document keys and the output intent."""
    errors: list[str] = []
    warnings: list[str] = []
    info = pdf.trailer.get(Name.Info)
    info = info if isinstance(info, Dictionary) else Dictionary()
    version = _text(info.get(Name.GTS_PDFXVersion))
    conformance = _text(info.get(Name.GTS_PDFXConformance))
    standard = _declared_standard(pdf)
    header = pdf.pdf_version
    figures: dict = {"pdf_version": header, "gts_pdfx_version": version, "gts_pdfx_conformance": conformance}
    if not version:
        errors.append("not PDF/X: no GTS_PDFXVersion in the document information dictionary")
    if standard == "x1a":
        if not conformance.startswith("PDF/X-1a"):
            errors.append(f"GTS_PDFXConformance is {conformance!r}, expected 'PDF/X-1a:2001' or ':2003'")
        limit = "1.4" if conformance.endswith("2003") else "1.3"
        if _version_tuple(header) > _version_tuple(limit):
            errors.append(f"PDF header {header} is newer than {limit}, the base of {conformance or 'PDF/X-1a'}")
    trapped = info.get(Name.Trapped)
    if trapped not in (Name("/True"), Name("/False")):
        errors.append(f"Trapped must be /True or /False, found {trapped}")
    if not _text(info.get(Name.Title)).strip():
        errors.append("no document Title")
    for key in ("/CreationDate", "/ModDate"):
        if not _text(info.get(Name(key))):
            errors.append(f"no {key[1:]}")
    if Name.ID not in pdf.trailer:
        errors.append("no document /ID in the trailer")
    if pdf.is_encrypted:
        errors.append("encrypted: PDF/X forbids encryption")
    figures.update(_output_intent_figures(pdf, standard, errors, warnings))
    name = conformance or version or "no PDF/X"
    details = f"{name}, PDF {header}, output intent {figures.get('output_condition_identifier', 'none')}"
    return _make("pdfx", "pikepdf", details, figures, errors, warnings)


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:2])


def _output_intent_figures(pdf: pikepdf.Pdf, standard: str, errors: list[str], warnings: list[str]) -> dict:
    """Check /OutputIntents; return its figures. Appends findings to errors/warnings."""
    intents = pdf.Root.get(Name.OutputIntents)
    pdfx = [i for i in (intents or []) if isinstance(i, Dictionary) and i.get(Name.S) == Name.GTS_PDFX]
    if not pdfx:
        errors.append("no /OutputIntents entry with /S /GTS_PDFX")
        return {}
    if len(pdfx) > 1:
        errors.append(f"{len(pdfx)} GTS_PDFX output intents; PDF/X allows one")
    intent = pdfx[0]
    figures = {
        "output_condition_identifier": _text(intent.get(Name.OutputConditionIdentifier)),
        "output_condition": _text(intent.get(Name.OutputCondition)),
        "output_intent_info": _text(intent.get(Name.Info)),
        "registry_name": _text(intent.get(Name.RegistryName)),
    }
    if not figures["output_condition_identifier"]:
        errors.append("output intent has no OutputConditionIdentifier")
    profile = intent.get(Name.DestOutputProfile)
    if profile is None:
        if figures["output_condition_identifier"] in ("", "Custom"):
            errors.append("output intent has no DestOutputProfile and no registered condition")
        else:
            warnings.append("no DestOutputProfile: relies on the registered condition "
                            f"{figures['output_condition_identifier']!r}")
        return figures
    icc = bytes(profile.read_bytes())
    figures["profile_components"] = int(profile.get(Name.N, 0))
    figures["profile_description"] = profile_description(icc)
    figures["profile_bytes"] = len(icc)
    if figures["profile_components"] != 4:
        errors.append(f"DestOutputProfile has N {figures['profile_components']}, expected 4 (CMYK)")
    errors.extend(check_profile(icc, standard if standard in ("x1a", "x4") else "x4"))
    paper = paper_of(figures["output_condition_identifier"], figures["profile_description"])
    if paper is not None:
        warnings.append(f"output intent {figures['output_condition_identifier']!r} "
                        f"(profile {figures['profile_description']!r}) is for {paper} paper: a newspaper prints "
                        "on newsprint (ISO 12647-3); separate for the plant's newsprint condition (e.g. IFRA26)")
    return figures


# -- boxes -----------------------------------------------------------------------------


def _box(page: pikepdf.Page, name: str) -> tuple[float, float, float, float] | None:
    raw = page.obj.get(Name("/" + name))
    if raw is None:
        return None
    a, b, c, d = (float(v) for v in raw)
    return (min(a, c), min(b, d), max(a, c), max(b, d))


def _inside(inner, outer) -> bool:
    return all(inner[i] >= outer[i] - _EPS for i in (0, 1)) and all(inner[i] <= outer[i] + _EPS for i in (2, 3))


def _check_boxes(pdf: pikepdf.Pdf) -> Check:
    """Page boxes per page, in points; bleed in mm."""
    errors: list[str] = []
    warnings: list[str] = []
    pages = []
    trim_sizes = set()
    for number, page in enumerate(pdf.pages, start=1):
        media, trim, bleed = _box(page, "MediaBox"), _box(page, "TrimBox"), _box(page, "BleedBox")
        art = _box(page, "ArtBox")
        entry = {"page": number, "media": _rounded(media), "trim": _rounded(trim), "bleed": _rounded(bleed)}
        pages.append(entry)
        if trim is None:
            if art is None:
                errors.append(f"page {number}: no TrimBox (or ArtBox)")
            continue
        trim_sizes.add((round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2)))
        outer = bleed or trim
        if not _inside(trim, outer):
            errors.append(f"page {number}: TrimBox {entry['trim']} is not inside BleedBox {entry['bleed']}")
        if not _inside(outer, media):
            errors.append(f"page {number}: BleedBox/TrimBox is not inside MediaBox {entry['media']}")
        if bleed is not None:
            amount = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
            entry["bleed_mm"] = round(amount / mm(1.0), 2)
            if _EPS < amount < MIN_BLEED - BLEED_TOLERANCE:
                errors.append(f"page {number}: bleed {amount / mm(1.0):.2f} mm is less than 3 mm")
        errors.extend(_annotations_in_trim(page, number, trim))
    if len(trim_sizes) > 1:
        warnings.append(f"pages have different trim sizes: {sorted(trim_sizes)} pt")
    first = pages[0] if pages else {}
    details = f"{len(pages)} page(s), trim {first.get('trim')}, bleed {first.get('bleed_mm', 0)} mm"
    return _make("boxes", "pikepdf", details, {"pages": pages}, errors, warnings)


def _annotations_in_trim(page: pikepdf.Page, number: int, trim) -> list[str]:
    """Annotations whose rectangle overlaps the TrimBox (pt, page space), other than
    PrinterMark and TrapNet: PDF/X (ISO 15930-1 §6.6.1) forbids them there — a printable one
    (flag Print) prints on the page, a link or comment is not what the plant should get."""
    annots = page.obj.get(Name.Annots)
    if not isinstance(annots, Array):
        return []
    found = []
    for index, annot in enumerate(annots):
        if not isinstance(annot, Dictionary):
            continue
        subtype = _text(annot.get(Name.Subtype)) or "/(no subtype)"
        rect = annot.get(Name.Rect)
        if subtype in PRESS_ANNOTATIONS or not isinstance(rect, Array) or len(rect) != 4:
            continue
        try:
            a, b, c, d = (float(v) for v in rect)
        except (TypeError, ValueError):
            continue
        x0, y0, x1, y1 = min(a, c), min(b, d), max(a, c), max(b, d)
        if x1 <= trim[0] or x0 >= trim[2] or y1 <= trim[1] or y0 >= trim[3]:
            continue
        prints = int(annot.get(Name.F, 0)) & 4
        found.append(f"page {number}: {subtype[1:]} annotation #{index + 1} at {_rounded((x0, y0, x1, y1))} lies inside "
                     f"the trim{' and prints' if prints else ''}: PDF/X allows only PrinterMark/TrapNet there; remove it")
    return found


def _rounded(box) -> list[float] | None:
    return None if box is None else [round(v, 3) for v in box]


# -- fonts -----------------------------------------------------------------------------


def _fonts(pdf: pikepdf.Pdf):
    """Every font dictionary reachable from page resources (incl. forms), once each."""
    seen: set[tuple[int, int]] = set()
    found = []

    def visit_resources(resources, depth: int) -> None:
        if not isinstance(resources, Dictionary) or depth > 12:
            return
        fonts = resources.get(Name.Font)
        if isinstance(fonts, Dictionary):
            for key in sorted(fonts.keys()):
                font = fonts[key]
                ident = font.objgen if font.is_indirect else (id(font), 0)
                if ident in seen:
                    continue
                seen.add(ident)
                found.append(font)
                if font.get(Name.Subtype) == Name.Type3:
                    visit_resources(font.get(Name.Resources), depth + 1)
        xobjects = resources.get(Name.XObject)
        if isinstance(xobjects, Dictionary):
            for key in sorted(xobjects.keys()):
                xobj = xobjects[key]
                if xobj.get(Name.Subtype) == Name.Form and xobj.objgen not in seen:
                    seen.add(xobj.objgen)
                    visit_resources(xobj.get(Name.Resources), depth + 1)

    for page in pdf.pages:
        visit_resources(page.obj.get(Name.Resources), 0)
    return found


def _embedded(font) -> bool:
    """Whether a (non-Type 3) font program is embedded."""
    if font.get(Name.Subtype) == Name.Type0:
        descendants = font.get(Name.DescendantFonts)
        return bool(descendants) and all(_embedded(d) for d in descendants)
    descriptor = font.get(Name.FontDescriptor)
    if not isinstance(descriptor, Dictionary):
        return False
    return any(k in descriptor for k in (Name.FontFile, Name.FontFile2, Name.FontFile3))


def _check_fonts(pdf: pikepdf.Pdf) -> Check:
    errors: list[str] = []
    names = []
    for font in _fonts(pdf):
        kind = _text(font.get(Name.Subtype))[1:]
        base = _text(font.get(Name.BaseFont))[1:] or "(unnamed)"
        names.append(f"{base} ({kind})")
        if kind == "Type3":
            errors.append(f"Type 3 font {base}: text must use real (embedded) fonts")
        elif not _embedded(font):
            errors.append(f"font {base} ({kind}) is not embedded")
    details = f"{len(names)} font(s), {len(errors)} problem(s)"
    return _make("fonts", "pikepdf", details, {"fonts": names}, errors, [])


def _check_pdffonts(path: Path) -> Check:
    """Second opinion from poppler's pdffonts (columns located by the dashed rule)."""
    tool = shutil.which("pdffonts")
    if tool is None:
        return _not_run("fonts-pdffonts", "pdffonts", "pdffonts not installed (poppler-utils)")
    result = _run([tool, str(path)])
    if result.returncode != 0:
        return Check("fonts-pdffonts", "pdffonts", FAIL, f"pdffonts failed: {result.stderr.strip()[:200]}")
    lines = result.stdout.splitlines()
    if len(lines) < 2:
        return Check("fonts-pdffonts", "pdffonts", PASS, "no fonts", {"fonts": []})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    headers = [lines[0][a:b].strip() if i < len(spans) - 1 else lines[0][a:].strip() for i, (a, b) in enumerate(spans)]
    errors: list[str] = []
    rows = []
    for line in lines[2:]:
        cells = {h: line[a:b if i < len(spans) - 1 else None].strip() for i, (h, (a, b)) in enumerate(zip(headers, spans))}
        rows.append(cells)
        if cells.get("emb") == "no":
            errors.append(f"pdffonts: {cells.get('name')} ({cells.get('type')}) not embedded")
        if cells.get("type", "").startswith("Type 3"):
            errors.append(f"pdffonts: {cells.get('name')} is a Type 3 font")
    figures = {"fonts": [f"{r.get('name')} {r.get('type')} emb={r.get('emb')}" for r in rows]}
    return _make("fonts-pdffonts", "pdffonts", f"{len(rows)} font(s)", figures, errors, [])


# -- content interpretation ------------------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def concat(m: Matrix, n: Matrix) -> Matrix:
    """m then n: the matrix product m × n of two PDF matrices (a b c d e f), row-vector
    convention (PDF 32000-1 §8.3.4), as the ``cm`` operator concatenates them."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


@dataclass(frozen=True)
class Space:
    """A resolved colour space: family is gray | cmyk | rgb | lab | spot | pattern | indexed.

    name: the PDF family name (DeviceCMYK, ICCBased, Separation …); spot: colorant name
    for Separation ("All" = registration); alt: family of the alternate/base space.
    """

    family: str
    name: str
    spot: str = ""
    alt: str = ""
    base: str = ""  # label of the alternate (Separation, DeviceN) or base (Indexed) space

    def __hash__(self) -> int:  # computed once: every text operation hashes its spaces
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash((self.family, self.name, self.spot, self.alt, self.base))
            object.__setattr__(self, "_hash", value)
            return value

    @property
    def is_rgb_like(self) -> bool:
        return self.family in ("rgb", "lab") or self.alt in ("rgb", "lab")

    @property
    def is_lab(self) -> bool:
        return self.family == "lab" or self.alt == "lab"

    @property
    def label(self) -> str:
        """What a plant calls it: "ICC-based RGB", "Lab", "Indexed over DeviceRGB",
        "Separation PANTONE 185 C" … (the PDF name alone lumps ICC RGB with ICC CMYK)."""
        if self.name == "ICCBased":
            return {"rgb": "ICC-based RGB", "cmyk": "ICC-based CMYK", "gray": "ICC-based grey"}.get(self.family, "ICCBased")
        if self.name == "Indexed" and self.base:
            return f"Indexed over {self.base}"
        return self.name + (f" {self.spot}" if self.spot else "")

    @property
    def spots(self) -> tuple[str, ...]:
        """The spot colorants this space paints (process names, All and None left out)."""
        if self.family != "spot" and not (self.name == "Indexed" and self.alt == "spot"):
            return ()
        return tuple(n for n in self.spot.split("+") if n and n not in PROCESS_COLORANTS)


DEVICE = {
    "/DeviceGray": Space("gray", "DeviceGray"),
    "/G": Space("gray", "DeviceGray"),
    "/DeviceRGB": Space("rgb", "DeviceRGB"),
    "/RGB": Space("rgb", "DeviceRGB"),
    "/DeviceCMYK": Space("cmyk", "DeviceCMYK"),
    "/CMYK": Space("cmyk", "DeviceCMYK"),
    "/Pattern": Space("pattern", "Pattern"),
}


def _space(obj, resources) -> Space:
    """Resolve a colour space operand or object against ``resources``."""
    if isinstance(obj, Name):
        key = str(obj)
        if key in DEVICE:
            return DEVICE[key]
        spaces = resources.get(Name.ColorSpace) if isinstance(resources, Dictionary) else None
        if isinstance(spaces, Dictionary) and obj in spaces:
            return _space(spaces[obj], Dictionary())
        return Space("unknown", key[1:])
    if isinstance(obj, Array) and len(obj):
        kind = str(obj[0])
        if kind == "/ICCBased":
            n = int(obj[1].get(Name.N, 0))
            return Space({1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "unknown"), "ICCBased")
        if kind in ("/CalRGB",):
            return Space("rgb", "CalRGB")
        if kind == "/CalGray":
            return Space("gray", "CalGray")
        if kind == "/Lab":
            return Space("lab", "Lab")
        if kind == "/Separation":
            alt = _space(obj[2], resources)
            return Space("spot", "Separation", spot=str(obj[1])[1:], alt=alt.family, base=alt.label)
        if kind == "/DeviceN":
            names = "+".join(str(n)[1:] for n in obj[1])
            alt = _space(obj[2], resources)
            return Space("spot", "DeviceN", spot=names, alt=alt.family, base=alt.label)
        if kind in ("/Indexed", "/I"):
            base = _space(obj[1], resources)
            if base.family == "spot":  # Indexed over a spot colour: keep its colorants
                return Space("indexed", "Indexed", spot=base.spot, alt="spot", base=base.label)
            return Space("indexed", "Indexed", alt=base.family, base=base.label)
        if kind == "/Pattern":
            return Space("pattern", "Pattern")
        if kind in DEVICE:
            return DEVICE[kind]
    return Space("unknown", str(obj))


_INITIAL = {"gray": (0.0,), "cmyk": (0.0, 0.0, 0.0, 1.0), "rgb": (0.0, 0.0, 0.0), "lab": (0.0, 0.0, 0.0)}


def _ink_kind(space: Space, values: tuple[float, ...]) -> str:
    """Classify a colour for the press: k | white | richblack | colour | registration | rgb |
    lab | other (rgb and lab: not allowed in a press file)."""
    if space.is_rgb_like:
        return "lab" if space.is_lab else "rgb"
    if space.family == "gray" and values:
        return "white" if values[0] >= 1.0 - _EPS else "k"
    if space.family == "cmyk" and len(values) == 4:
        c, m, y, k = values
        if max(c, m, y, k) <= _EPS:
            return "white"
        if max(c, m, y) <= _EPS:
            return "k"
        if k >= 0.5 and c + m + y + k >= 1.5:
            return "richblack"
        return "colour"
    if space.family == "spot":
        if space.spot == "All":
            return "registration"
        return "colour"
    return "other"


def _overprints(space: Space, op: bool, opm: int) -> bool:
    """Whether a paint really leaves the other plates alone.

    DeviceCMYK needs overprint on *and* OPM 1, else its zero components knock out the
    plates below (PDF 1.3 §4.5.6; Ghostscript renders it so); a Separation/DeviceN
    colour overprints with op alone; DeviceGray knocks out (OPM applies only to CMYK).
    """
    if not op:
        return False
    if space.family == "cmyk":
        return space.name == "DeviceCMYK" and opm == 1
    return space.family == "spot"


@dataclass
class _State:
    """Mutable graphics state of the interpreter (one per q-level)."""

    ctm: Matrix = IDENTITY
    fill_space: Space = DEVICE["/DeviceGray"]
    fill: tuple[float, ...] = (0.0,)
    stroke_space: Space = DEVICE["/DeviceGray"]
    stroke: tuple[float, ...] = (0.0,)
    op_fill: bool = False
    op_stroke: bool = False
    opm: int = 0
    line_width: float = 1.0
    font: str = ""
    size: float = 0.0
    render: int = 0
    tm: Matrix = IDENTITY
    tlm: Matrix = IDENTITY
    leading: float = 0.0

    def copy(self) -> _State:
        return _State(**self.__dict__)


@dataclass(frozen=True)
class TextUse:
    """Text shown with one colour at one size: page, kind (see _ink_kind), size pt,
    whether it effectively overprints (see _overprints), the colour, and the paint
    ("fill" | "stroke")."""

    page: int
    kind: str
    size: float
    overprint: bool
    colour: str
    paint: str
    font: str


@dataclass(frozen=True)
class PaintUse:
    """A path/shading paint: page, kind, the colour, paint type, effective line width pt,
    whether it effectively overprints, and for a path the box (x0, y0, x1, y1, pt, page
    space) holding everything it can mark — its points, Bézier control points and half the
    line width around them (None for shadings)."""

    page: int
    kind: str
    colour: str
    paint: str
    width: float
    overprint: bool = False
    box: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class ImageUse:
    """An image drawn on a page: pixels, placed size pt, effective ppi, colour space."""

    page: int
    name: str
    width_px: int
    height_px: int
    placed_w: float
    placed_h: float
    ppi: float
    space: Space
    bits: int
    mask: bool


@dataclass
class _Scan:
    texts: list[TextUse] = field(default_factory=list)
    paints: list[PaintUse] = field(default_factory=list)
    images: list[ImageUse] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # content that could not be read
    problem_pages: set[int] = field(default_factory=set)  # the pages those were on
    path_box: list[float] | None = None  # the current path's points so far, page space
    text_memo: dict = field(default_factory=dict)  # _show_text: state → its records
    spots: dict = field(default_factory=dict)  # spot colorant name → {space, alternate, pages}
    font_memo: dict = field(default_factory=dict)  # _set_font: (resources, name) → BaseFont
    gs_memo: dict = field(default_factory=dict)  # _set_gs: (resources, name) → what it sets


def _describe(space: Space, values: tuple[float, ...]) -> str:
    shown = " ".join(f"{v:g}" for v in values)
    return f"{space.label} [{shown}]"


def _note_spots(scan: _Scan, space: Space, page: int) -> None:
    """Record the spot colorants ``space`` paints on ``page``."""
    for name in space.spots:
        entry = scan.spots.setdefault(name, {"name": name, "space": space.name, "alternate": space.base, "pages": []})
        if page not in entry["pages"]:
            entry["pages"].append(page)


_FORBIDDEN = {"rgb": "RGB is not allowed", "lab": "Lab is not allowed"}


def _scan(pdf: pikepdf.Pdf) -> _Scan:
    """Interpret every page's content (and the forms it draws)."""
    scan = _Scan()
    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get(Name.Resources, Dictionary())
        _interpret(page.obj, resources, _State(), number, scan, depth=0)
    return scan


def _operands(operands) -> list[float]:
    """The numeric operands as floats (others skipped)."""
    try:
        return [float(o) for o in operands]  # the usual case: all numbers
    except (TypeError, ValueError):
        pass
    out = []
    for o in operands:
        try:
            out.append(float(o))
        except (TypeError, ValueError):
            pass
    return out


def _interpret(content, resources, state: _State, page: int, scan: _Scan, depth: int) -> None:
    """Walk one content stream (page or form) updating ``state`` and recording uses."""
    if depth > 12:
        return
    stack: list[_State] = []
    try:
        instructions = pikepdf.parse_content_stream(content)
    except pikepdf.PdfError as exc:
        scan.problems.append(f"page {page}: unreadable content stream ({exc}); content checks incomplete")
        scan.problem_pages.add(page)
        return
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            _inline_image(instruction.iimage, resources, state, page, scan)
            continue
        op = str(instruction.operator)
        args = instruction.operands
        handler = _HANDLERS.get(op)
        if op == "q":
            stack.append(state.copy())
        elif op == "Q":
            if stack:
                restored = stack.pop()
                state.__dict__.update(restored.__dict__)
        try:
            if op == "Do":
                _do(args[0], resources, state, page, scan, depth)
            elif handler is not None:
                handler(state, args, resources, page, scan)
        except (IndexError, KeyError, TypeError, ValueError, AttributeError) as exc:
            scan.problems.append(f"page {page}: malformed '{op}' operation ({exc}); content checks incomplete")
            scan.problem_pages.add(page)


def _set_cm(state, args, resources, page, scan):
    matrix = tuple(_operands(args))
    if len(matrix) != 6:
        raise ValueError(f"cm needs 6 numbers, got {len(matrix)}")
    state.ctm = concat(matrix, state.ctm)


def _colour_setter(target: str, family: str):
    def handler(state, args, resources, page, scan):
        space = {"gray": DEVICE["/DeviceGray"], "rgb": DEVICE["/DeviceRGB"], "cmyk": DEVICE["/DeviceCMYK"]}[family]
        setattr(state, f"{target}_space", space)
        setattr(state, target, tuple(_operands(args)))

    return handler


def _space_setter(target: str):
    def handler(state, args, resources, page, scan):
        space = _space(args[0], resources)
        setattr(state, f"{target}_space", space)
        setattr(state, target, _INITIAL.get(space.family, (1.0,)))

    return handler


def _value_setter(target: str):
    def handler(state, args, resources, page, scan):
        setattr(state, target, tuple(_operands(args)))

    return handler


def _set_gs(state, args, resources, page, scan):
    k = (id(resources), str(args[0]))
    known = scan.gs_memo.get(k)
    if known is None:  # reading the ExtGState dictionary costs far more than applying it
        try:
            settings = _gs_settings(args, resources)
        except (IndexError, KeyError, TypeError, ValueError, AttributeError):
            settings = None
        known = scan.gs_memo[k] = (resources, settings)  # resources: keeps its id unique
    if known[1] is None:  # a malformed ExtGState: set what comes before the fault, then raise
        for name, value in _gs_settings(args, resources, state):
            setattr(state, name, value)
        return
    for name, value in known[1]:
        setattr(state, name, value)


def _gs_settings(args, resources, apply=None) -> tuple[tuple[str, object], ...]:
    """What ``gs`` sets, in order: (state attribute, value) pairs (``apply``: a state to set
    each on as soon as it is read, so a fault half-way leaves the first ones set)."""
    states = resources.get(Name.ExtGState) if isinstance(resources, Dictionary) else None
    if not isinstance(states, Dictionary) or args[0] not in states:
        return ()
    gs = states[args[0]]
    out: list[tuple[str, object]] = []

    def put(name: str, value) -> None:
        out.append((name, value))
        if apply is not None:
            setattr(apply, name, value)

    if Name.OP in gs:
        put("op_stroke", bool(gs[Name.OP]))
        if Name("/op") not in gs:
            put("op_fill", out[-1][1])  # OP governs fills too when op is absent
    if Name("/op") in gs:
        put("op_fill", bool(gs[Name("/op")]))
    if Name.OPM in gs:
        put("opm", int(gs[Name.OPM]))
    if Name.LW in gs:
        put("line_width", float(gs[Name.LW]))
    if Name.Font in gs:
        font, size = str(gs[Name.Font][0].get(Name.BaseFont, "")), float(gs[Name.Font][1])
        put("font", font)
        put("size", size)
    return tuple(out)


def _set_font(state, args, resources, page, scan):
    k = (id(resources), str(args[0]))
    known = scan.font_memo.get(k)
    if known is None:  # resolving the name in the resources costs more than the rest of Tf
        fonts = resources.get(Name.Font) if isinstance(resources, Dictionary) else None
        font = fonts.get(args[0]) if isinstance(fonts, Dictionary) else None
        name = _text(font.get(Name.BaseFont))[1:] if isinstance(font, Dictionary) else str(args[0])[1:]
        known = scan.font_memo[k] = (resources, name)  # holding resources keeps its id unique
    state.font = known[1]
    state.size = float(args[1])


def _begin_text(state, args, resources, page, scan):
    state.tm = state.tlm = IDENTITY


def _set_tm(state, args, resources, page, scan):
    matrix = tuple(_operands(args))
    if len(matrix) != 6:
        raise ValueError(f"Tm needs 6 numbers, got {len(matrix)}")
    state.tm = state.tlm = matrix


def _move_text(state, args, resources, page, scan):
    tx, ty = _operands(args)[:2]
    state.tm = state.tlm = concat((1, 0, 0, 1, tx, ty), state.tlm)


def _move_text_leading(state, args, resources, page, scan):
    state.leading = -_operands(args)[1]
    _move_text(state, args, resources, page, scan)


def _next_line(state, args=None, resources=None, page=None, scan=None):
    state.tm = state.tlm = concat((1, 0, 0, 1, 0, -state.leading), state.tlm)


def _set_leading(state, args, resources, page, scan):
    state.leading = _operands(args)[0]


def _set_render(state, args, resources, page, scan):
    state.render = int(_operands(args)[0])


def _set_width(state, args, resources, page, scan):
    state.line_width = _operands(args)[0]


def _show_text(state, args, resources, page, scan):
    """Record one text-showing operation (Tj, TJ, ', "). What is recorded depends only on
    the state below, so equal states share one (frozen) record list."""
    k = (page, state.render, state.font, state.size, state.tm[:4], state.ctm[:4], state.fill_space, state.fill,
         state.op_fill, state.stroke_space, state.stroke, state.op_stroke, state.opm)
    uses = scan.text_memo.get(k)
    if uses is None:
        uses = scan.text_memo[k] = _text_uses(state, page)
        if state.render in (0, 2, 4, 6):
            _note_spots(scan, state.fill_space, page)
        if state.render in (1, 2, 5, 6):
            _note_spots(scan, state.stroke_space, page)
    scan.texts.extend(uses)


def _text_uses(state, page) -> tuple[TextUse, ...]:
    m = concat(state.tm, state.ctm)
    size = abs(state.size) * math.hypot(m[2], m[3])
    paints = []
    if state.render in (0, 2, 4, 6):
        paints.append(("fill", state.fill_space, state.fill, _overprints(state.fill_space, state.op_fill, state.opm)))
    if state.render in (1, 2, 5, 6):
        paints.append(("stroke", state.stroke_space, state.stroke, _overprints(state.stroke_space, state.op_stroke, state.opm)))
    return tuple(TextUse(page, _ink_kind(space, values), round(size, 2), overprint, _describe(space, values), paint, state.font)
                 for paint, space, values, overprint in paints)


def _show_next_line(state, args, resources, page, scan):
    _next_line(state)
    _show_text(state, args, resources, page, scan)


def _path_points(count: int):
    """Path construction (m, l, c, v, y): the last ``count`` pairs of operands are points."""

    def handler(state, args, resources, page, scan):
        values = _operands(args)
        a, b, c, d, e, f = state.ctm
        box = scan.path_box
        for i in range(0, 2 * count, 2):
            x, y = values[i], values[i + 1]
            px, py = a * x + c * y + e, b * x + d * y + f
            if box is None:
                box = scan.path_box = [px, py, px, py]
            else:
                box[0], box[1], box[2], box[3] = min(box[0], px), min(box[1], py), max(box[2], px), max(box[3], py)

    return handler


def _path_rect(state, args, resources, page, scan):
    x, y, w, h = _operands(args)[:4]
    corner = _path_points(1)
    for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
        corner(state, (px, py), resources, page, scan)


def _path_end(state, args, resources, page, scan):
    scan.path_box = None


def _paint(fill: bool, stroke: bool):
    def handler(state, args, resources, page, scan):
        scale = math.sqrt(abs(state.ctm[0] * state.ctm[3] - state.ctm[1] * state.ctm[2]))
        box = scan.path_box
        scan.path_box = None
        if fill:
            _note_spots(scan, state.fill_space, page)
            scan.paints.append(
                PaintUse(page, _ink_kind(state.fill_space, state.fill), _describe(state.fill_space, state.fill), "fill", 0.0,
                         box=None if box is None else tuple(box))
            )
        if stroke:
            _note_spots(scan, state.stroke_space, page)
            width = state.line_width * scale
            overprint = _overprints(state.stroke_space, state.op_stroke, state.opm)
            kind = _ink_kind(state.stroke_space, state.stroke)
            # a zero width is the thinnest line the device draws: one device pixel, < 1 pt
            pad = max(width, 1.0) / 2 * math.sqrt(2)
            grown = None if box is None else (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
            scan.paints.append(PaintUse(page, kind, _describe(state.stroke_space, state.stroke), "stroke", width, overprint,
                                        box=grown))

    return handler


def _shading(state, args, resources, page, scan):
    shadings = resources.get(Name.Shading) if isinstance(resources, Dictionary) else None
    if isinstance(shadings, Dictionary) and args[0] in shadings:
        space = _space(shadings[args[0]].get(Name.ColorSpace), resources)
        kind = ("lab" if space.is_lab else "rgb") if space.is_rgb_like else "colour"
        _note_spots(scan, space, page)
        scan.paints.append(PaintUse(page, kind, space.label, "shading", 0.0))


_HANDLERS = {
    "cm": _set_cm,
    "g": _colour_setter("fill", "gray"),
    "G": _colour_setter("stroke", "gray"),
    "rg": _colour_setter("fill", "rgb"),
    "RG": _colour_setter("stroke", "rgb"),
    "k": _colour_setter("fill", "cmyk"),
    "K": _colour_setter("stroke", "cmyk"),
    "cs": _space_setter("fill"),
    "CS": _space_setter("stroke"),
    "sc": _value_setter("fill"),
    "scn": _value_setter("fill"),
    "SC": _value_setter("stroke"),
    "SCN": _value_setter("stroke"),
    "gs": _set_gs,
    "w": _set_width,
    "Tf": _set_font,
    "BT": _begin_text,
    "Tm": _set_tm,
    "Td": _move_text,
    "TD": _move_text_leading,
    "T*": _next_line,
    "TL": _set_leading,
    "Tr": _set_render,
    "Tj": _show_text,
    "TJ": _show_text,
    "'": _show_next_line,
    '"': _show_next_line,
    "f": _paint(True, False),
    "F": _paint(True, False),
    "f*": _paint(True, False),
    "S": _paint(False, True),
    "s": _paint(False, True),
    "B": _paint(True, True),
    "B*": _paint(True, True),
    "b": _paint(True, True),
    "b*": _paint(True, True),
    "sh": _shading,
    "m": _path_points(1),
    "l": _path_points(1),
    "c": _path_points(3),
    "v": _path_points(2),
    "y": _path_points(2),
    "re": _path_rect,
    "n": _path_end,
}


def _do(name, resources, state: _State, page: int, scan: _Scan, depth: int) -> None:
    """Draw an XObject: record an image, or interpret a form with its own resources."""
    xobjects = resources.get(Name.XObject) if isinstance(resources, Dictionary) else None
    if not isinstance(xobjects, Dictionary) or name not in xobjects:
        return
    xobj = xobjects[name]
    subtype = xobj.get(Name.Subtype)
    if subtype == Name.Image:
        space = _space(xobj.get(Name.ColorSpace, Name.DeviceGray), resources)
        mask = bool(xobj.get(Name.ImageMask, False))
        _record_image(scan, state, page, str(name)[1:], int(xobj.Width), int(xobj.Height), space,
                      int(xobj.get(Name.BitsPerComponent, 1)), mask)
    elif subtype == Name.Form:
        inner = state.copy()
        matrix = tuple(float(v) for v in xobj.get(Name.Matrix, Array(list(IDENTITY))))
        inner.ctm = concat(matrix, state.ctm)
        _interpret(xobj, xobj.get(Name.Resources, resources), inner, page, scan, depth + 1)


def _inline_image(image, resources, state: _State, page: int, scan: _Scan) -> None:
    try:
        raw = image.obj.get(Name.ColorSpace, Name.DeviceGray) if hasattr(image, "obj") else Name.DeviceGray
        space = _space(raw, resources)
    except Exception:  # noqa: BLE001 - unusual inline dictionaries: fall back to the name
        space = Space("unknown", str(getattr(image, "colorspace", "")))
    _record_image(scan, state, page, "inline", int(image.width), int(image.height), space,
                  int(image.bits_per_component or 1), bool(image.image_mask))


def _record_image(scan, state, page, name, width, height, space, bits, mask) -> None:
    a, b, c, d = state.ctm[:4]
    placed_w, placed_h = math.hypot(a, b), math.hypot(c, d)
    if placed_w < _EPS or placed_h < _EPS:
        return
    _note_spots(scan, space, page)
    ppi = min(width / (placed_w / PT_PER_INCH), height / (placed_h / PT_PER_INCH))
    scan.images.append(ImageUse(page, name, width, height, round(placed_w, 3), round(placed_h, 3), ppi, space, bits, mask))


# -- content checks --------------------------------------------------------------------


def _check_colour(scan: _Scan, clip: dict | None = None) -> Check:
    """No RGB or Lab colour anywhere (each named by its space: DeviceRGB, CalRGB, ICC-based
    RGB, Lab, Indexed over one of them); thin strokes in a single ink; no hairlines (strokes
    under HAIRLINE pt, 0 = the device's thinnest) except wholly outside ``clip`` (page →
    box the ink render is clipped to: the printer's marks); spot colours listed by name."""
    errors: list[str] = list(scan.problems)
    warnings: list[str] = []
    clip = clip or {}
    hairlines = []
    for use in scan.paints:
        if use.kind in _FORBIDDEN:
            errors.append(f"page {use.page}: {use.paint} in {use.colour} ({_FORBIDDEN[use.kind]})")
            continue
        if use.paint == "stroke" and use.width < HAIRLINE - _EPS and not _outside(use.box, clip.get(use.page)):
            hairlines.append(use.width)
            shown = "0 pt (the thinnest line the device draws)" if use.width <= 0 else f"{use.width:.3g} pt"
            warnings.append(f"page {use.page}: hairline {shown} in {use.colour}: lines under {HAIRLINE:g} pt "
                            "break up on newsprint; make it at least 0.25 pt")
        if use.paint == "stroke" and use.kind in ("richblack", "colour") and use.width < THIN_RULE:
            warnings.append(f"page {use.page}: {use.width:.2f} pt rule in {use.colour}: thin rules should be one ink")
        elif use.colour.startswith("ICC-based"):
            warnings.append(f"page {use.page}: {use.paint} in {use.colour}: PDF/X-1a needs device CMYK or grey")
        elif use.paint == "stroke" and use.kind == "k" and use.width < THIN_RULE and not use.overprint:
            warnings.append(f"page {use.page}: {use.width:.2f} pt black rule knocks out (set overprint, OPM 1)")
    for text in scan.texts:
        if text.kind in _FORBIDDEN:
            errors.append(f"page {text.page}: text in {text.colour} ({_FORBIDDEN[text.kind]})")
    for image in scan.images:
        if image.space.is_rgb_like:
            forbidden = _FORBIDDEN["lab" if image.space.is_lab else "rgb"]
            errors.append(f"page {image.page}: image {image.name} in {image.space.label} ({forbidden})")
        elif image.space.name == "ICCBased":
            warnings.append(f"page {image.page}: image {image.name} is in {image.space.label}; "
                            "PDF/X-1a needs device CMYK or grey")
    spots = [scan.spots[name] for name in sorted(scan.spots)]
    for spot in spots:
        pages = ", ".join(map(str, spot["pages"]))
        warnings.append(f"page {pages}: spot colour {spot['name']!r} ({spot['space']}, alternate {spot['alternate']}): "
                        "a newspaper press prints CMYK — convert it to process unless the plant takes this ink")
    kinds = sorted({u.kind for u in scan.paints} | {t.kind for t in scan.texts})
    spaces = sorted({i.space.label for i in scan.images})
    figures = {"paint_kinds": kinds, "image_spaces": spaces, "paints": len(scan.paints), "spot_colours": spots,
               "thinnest_stroke_pt": round(min(hairlines), 3) if hairlines else None}
    details = "no RGB or Lab" if not errors else f"{len(set(errors))} RGB/Lab use(s)"
    if spots:
        details += f", spot colour(s): {', '.join(s['name'] for s in spots)}"
    return _make("colour", "pikepdf", details, figures, errors, warnings)


def _check_text(scan: _Scan) -> Check:
    """Text colour rules for a web press (PRESS.md): K-only overprinting black."""
    errors: list[str] = []
    warnings: list[str] = []
    pages: dict[int, dict] = {}
    counted: dict[int, list] = {}  # the interpreter hands out one record per state: count them once each
    for t in scan.texts:
        entry = counted.get(id(t))
        if entry is None:
            counted[id(t)] = [t, 1]
        else:
            entry[1] += 1
    for t, n in counted.values():  # in order of first use; messages are deduplicated anyway
        fig = pages.setdefault(t.page, {"page": t.page, "text_ops": 0, "k_only": 0, "k_overprint": 0, "min_size": None})
        fig["text_ops"] += n
        fig["min_size"] = t.size if fig["min_size"] is None else min(fig["min_size"], t.size)
        where = f"page {t.page}: {t.size:g} pt {t.font or 'text'} in {t.colour}"
        if t.kind == "k":
            fig["k_only"] += n
            if t.overprint:
                fig["k_overprint"] += n
            elif t.size < SMALL_TEXT:
                warnings.append(f"{where} knocks out (black text needs overprint on and OPM 1 in DeviceCMYK)")
        elif t.kind in ("richblack", "registration") and t.size < SMALL_TEXT:
            errors.append(f"{where}: small text in rich black/registration misregisters; use K only")
        elif t.kind == "colour" and t.size < SMALL_TEXT:
            warnings.append(f"{where}: coloured text under {SMALL_TEXT:g} pt")
        elif t.kind == "white":
            if t.overprint:
                errors.append(f"{where}: white text set to overprint disappears")
            elif t.size < SMALL_TEXT:
                warnings.append(f"{where}: reversed text under {SMALL_TEXT:g} pt")
        elif t.kind in _FORBIDDEN:
            errors.append(f"{where}: {'Lab' if t.kind == 'lab' else 'RGB'} text")
    figures = {"pages": [pages[p] for p in sorted(pages)]}
    total = sum(f["text_ops"] for f in pages.values())
    k_only = sum(f["k_overprint"] for f in pages.values())
    details = f"{total} text operation(s), {k_only} K-only with overprint"
    return _make("text", "pikepdf", details, figures, errors, warnings)


def _check_images(scan: _Scan, ppi_floor: float, ppi_target: float) -> Check:
    """Effective resolution at placed size, from the CTM at each Do / inline image."""
    errors: list[str] = []
    warnings: list[str] = []
    soft = 0.85 * ppi_target
    pages: dict[int, dict] = {}
    listed = []
    for im in scan.images:
        listed.append({
            "page": im.page, "name": im.name, "px": [im.width_px, im.height_px],
            "placed_pt": [im.placed_w, im.placed_h], "ppi": round(im.ppi, 1), "space": im.space.name,
        })
        if im.mask or im.bits == 1:
            continue  # line art: judged by other rules
        fig = pages.setdefault(im.page, {"page": im.page, "images": 0, "min_ppi": None})
        fig["images"] += 1
        fig["min_ppi"] = round(im.ppi, 1) if fig["min_ppi"] is None else min(fig["min_ppi"], round(im.ppi, 1))
        where = (f"page {im.page}: image {im.name} {im.width_px}×{im.height_px} px placed "
                 f"{im.placed_w:.1f}×{im.placed_h:.1f} pt = {im.ppi:.0f} ppi")
        if im.ppi < ppi_floor - 0.5:
            errors.append(f"{where}, below the {ppi_floor:.0f} ppi floor")
        elif im.ppi < soft - 0.5:
            warnings.append(f"{where}, below {soft:.0f} ppi (target {ppi_target:.0f})")
    figures = {"pages": [pages[p] for p in sorted(pages)], "images": listed}
    low = [f["min_ppi"] for f in pages.values() if f["min_ppi"] is not None]
    details = f"{len(scan.images)} image(s)" + (f", min {min(low):.0f} ppi" if low else "")
    return _make("images", "pikepdf", details, figures, errors, warnings)


def _check_pdfimages(path: Path, ppi_floor: float) -> Check:
    """Second opinion from ``pdfimages -list`` (poppler): colour and x/y ppi per image."""
    tool = shutil.which("pdfimages")
    if tool is None:
        return _not_run("images-pdfimages", "pdfimages", "pdfimages not installed (poppler-utils)")
    result = _run([tool, "-list", str(path)])
    if result.returncode != 0:
        return Check("images-pdfimages", "pdfimages", FAIL, f"pdfimages failed: {result.stderr.strip()[:200]}")
    errors: list[str] = []
    warnings: list[str] = []
    rows = []
    for line in result.stdout.splitlines()[2:]:
        cols = line.split()
        if len(cols) < 14:
            continue
        page, kind, width, height, color, bpc = cols[0], cols[2], cols[3], cols[4], cols[5], cols[7]
        x_ppi, y_ppi = cols[12], cols[13]
        try:
            ppi = min(float(x_ppi), float(y_ppi))
        except ValueError:
            ppi = None  # pdfimages prints "-" when it cannot tell
        rows.append({"page": int(page), "type": kind, "px": [int(width), int(height)], "color": color, "ppi": ppi})
        if kind != "image":
            continue  # smask / stencil
        components = cols[6]  # "icc" is any ICCBased space: its component count tells RGB from CMYK
        icc = {"1": "ICC-based grey", "3": "ICC-based RGB", "4": "ICC-based CMYK"}.get(components, "ICC-based")
        if color in ("rgb", "lab") or (color == "icc" and components == "3"):
            named = {"rgb": "RGB", "lab": "Lab"}.get(color, icc)
            errors.append(f"pdfimages: page {page} image {width}×{height} is {named} ({_FORBIDDEN['lab' if color == 'lab' else 'rgb']})")
        elif color == "icc":
            warnings.append(f"pdfimages: page {page} image {width}×{height} is {icc}")
        if bpc != "1" and ppi is not None and ppi < ppi_floor - 0.5:
            errors.append(f"pdfimages: page {page} image {width}×{height} at {ppi:.0f} ppi (floor {ppi_floor:.0f})")
    ppis = [r["ppi"] for r in rows if r["type"] == "image" and r["ppi"] is not None]
    details = f"{len(rows)} image(s)" + (f", min {min(ppis):.0f} ppi" if ppis else "")
    return _make("images-pdfimages", "pdfimages", details, {"images": rows}, errors, warnings)


def _check_transparency(pdf: pikepdf.Pdf, standard: str) -> Check:
    """Transparency anywhere in the file: an error unless the file claims PDF/X-4."""
    found: list[str] = []
    for obj in all_dictionaries(pdf):
        found.extend(transparency_features(obj))
    found = [f.replace(": transparency is not allowed in PDF/X-1a", "") for f in found]
    if standard == "x4":
        return _make("transparency", "pikepdf", "PDF/X-4 allows transparency", {"features": found}, [], [])
    details = "none" if not found else f"{len(set(found))} kind(s) of transparency"
    return _make("transparency", "pikepdf", details, {"features": sorted(set(found))},
                 [f"{f} (not allowed without PDF/X-4)" for f in found], [])


# -- ink -------------------------------------------------------------------------------


#: Colour kinds (see _ink_kind) that put ink on the black plate alone, or none.
_K_KINDS = frozenset({"k", "white"})


def _k_only_pages(pdf: pikepdf.Pdf, scan: _Scan) -> set[int]:
    """Pages whose content stream proves they are painted in K alone, so their total ink is
    at most 100 %: every fill, stroke and text in DeviceGray or DeviceCMYK with C = M = Y = 0,
    every image DeviceGray, no stencil masks, patterns, shadings or spot colours, no Type 3
    fonts or annotations (whose drawing is not interpreted) and no content that could not
    be read. Paths wholly outside the box the render is clipped to (the printer's marks, in
    registration colour) do not count, as they do not count in the render. Anything else is
    left to the render."""
    pages = {n: True for n in range(1, len(pdf.pages) + 1)}
    for use in scan.texts:
        if use.kind not in _K_KINDS:
            pages[use.page] = False
    clip = _ink_boxes(pdf)
    for use in scan.paints:
        if use.kind not in _K_KINDS and not _outside(use.box, clip.get(use.page)):
            pages[use.page] = False  # (printer's marks, in registration colour, lie outside)
    for image in scan.images:
        if image.mask or image.space.family != "gray" or image.space.name not in ("DeviceGray", "CalGray"):
            pages[image.page] = False
    for number in scan.problem_pages:
        pages[number] = False
    for number, page in enumerate(pdf.pages, start=1):
        if not pages[number]:
            continue
        if Name.Annots in page.obj:
            pages[number] = False
            continue
        resources = page.obj.get(Name.Resources)
        fonts = resources.get(Name.Font) if isinstance(resources, Dictionary) else None
        if isinstance(fonts, Dictionary) and any(
                isinstance(f, Dictionary) and f.get(Name.Subtype) == Name.Type3 for f in fonts.values()):
            pages[number] = False
    return {n for n, ok in pages.items() if ok}


def _ink_boxes(pdf: pikepdf.Pdf) -> dict[int, tuple[float, float, float, float] | None]:
    """Per page the box the ink render is clipped to: the BleedBox when every page has one,
    else the TrimBox (as _render_ink tells Ghostscript)."""
    name = "BleedBox" if all(Name.BleedBox in p.obj for p in pdf.pages) else "TrimBox"
    return {n: _box(page, name) for n, page in enumerate(pdf.pages, start=1)}


def _outside(box, clip) -> bool:
    """Whether a paint's box lies wholly outside the clip box (both pt, page space)."""
    if box is None or clip is None:
        return False
    return box[2] < clip[0] or box[0] > clip[2] or box[3] < clip[1] or box[1] > clip[3]


def _render_ink(path: Path, pages: list[int], count: int, use_bleed: bool, dpi: float) -> dict | str:
    """Render ``pages`` of the file to separations with Ghostscript tiffsep; per page the max
    C+M+Y+K(+spots), % and the plates that carry ink, or a message when gs failed (``count``:
    the pages in the file; only a subset is named to gs). Clipped to
    the BleedBox when every page has one (else the TrimBox), so printer's marks outside the
    bleed are not counted. Separations are 8-bit, 0 = solid."""
    tool = shutil.which("gs")
    if tool is None:
        return "Ghostscript (gs) not installed: total ink not measured"
    from PIL import Image, ImageMath  # edge dependency, only for this check

    box_flag = "-dUseBleedBox" if use_bleed else "-dUseTrimBox"
    every = pages == list(range(1, count + 1))
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="paperlayout-ink-") as tmp:
        target = Path(tmp) / "p%04d.tif"
        args = [tool, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi:g}", box_flag]
        if not every:
            args.append("-sPageList=" + ",".join(str(n) for n in pages))
        result = _run(args + [f"-sOutputFile={target}", str(path)], timeout=600)
        if result.returncode != 0:
            return f"Ghostscript failed: {result.stderr.strip()[:300]}"
        for index, number in enumerate(pages, start=1):  # gs numbers the pages it wrote 1, 2, …
            separations = sorted(Path(tmp).glob(f"p{index:04d}(*).tif"))
            if not separations:
                out[number] = None
                continue
            total = None
            plates = []
            for sep in separations:
                name = sep.name[sep.name.index("(") + 1 : sep.name.rindex(")")]
                with Image.open(sep) as im:
                    ink = ImageMath.lambda_eval(lambda e: 255 - e["v"], v=im.convert("I"))
                if ink.getextrema()[1] > 0:
                    plates.append(name)
                total = ink if total is None else ImageMath.lambda_eval(lambda e: e["a"] + e["b"], a=total, b=ink)
            out[number] = (total.getextrema()[1] * 100.0 / 255.0, plates)
    return out


def _check_ink(renders: list, count: int, proven: set[int], mono: frozenset[int], ink_limit: float,
               dpi: float, use_bleed: bool, bounded: dict | None = None) -> Check:
    """Max C+M+Y+K(+spots) per page from the Ghostscript renders, for the pages in
    ``proven`` (K only by their content stream, not rendered) at most 100 % on Black, and
    for the pages in ``bounded`` (page → (bound %, plates): own colour pages whose ink
    inkbound bounds within the limit, not rendered) the bound."""
    bounded = bounded or {}
    for r in renders:
        if isinstance(r, str):
            if r.startswith("Ghostscript (gs) not installed"):
                return _not_run("ink", "ghostscript", r)
            return Check("ink", "ghostscript", FAIL, r)
    measured: dict = {}
    for r in renders:
        measured.update(r)
    errors: list[str] = []
    figures = []
    for number in range(1, count + 1):
        if number in measured:
            if measured[number] is None:
                errors.append(f"page {number}: Ghostscript produced no separations")
                continue
            peak, plates = measured[number]
            figures.append({"page": number, "max_ink": round(peak, 1), "plates": plates})
            if peak > ink_limit + 0.5:
                errors.append(f"page {number}: total ink {peak:.0f} % exceeds {ink_limit:.0f} %")
        elif number in proven:
            figures.append({"page": number, "max_ink": None, "plates": ["Black"], "measured": "content stream"})
        elif number in bounded:
            peak, plates = bounded[number]
            figures.append({"page": number, "max_ink": round(peak, 1), "plates": list(plates),
                            "measured": "content bound"})
        if number in mono and figures and figures[-1]["page"] == number and set(figures[-1]["plates"]) - {"Black"}:
            others = ", ".join(p for p in figures[-1]["plates"] if p != "Black")
            errors.append(f"page {number} is printed in black only but carries ink on {others}")
    measured_peaks = [f["max_ink"] for f in figures if f["max_ink"] is not None]
    peak_all = max(measured_peaks, default=0.0)
    k_only = [f["page"] for f in figures if set(f["plates"]) <= {"Black"}]
    from_content = sum(1 for f in figures if f["max_ink"] is None)
    details = (f"max {peak_all:.0f} % (limit {ink_limit:.0f} %) at {dpi:g} dpi, clipped to "
               f"{'Bleed' if use_bleed else 'Trim'}Box; {len(figures) - len(k_only)} colour, {len(k_only)} K-only page(s)")
    if from_content:
        details += f" ({from_content} K only by content stream, not rendered)"
    if bounded:
        details += (f" ({len(bounded)} bounded from content — photo samples, paint colours and where they lie — "
                    "within the limit, not rendered)")
    return _make("ink", "ghostscript", details, {"pages": figures, "dpi": dpi}, errors, [])


# -- qpdf ------------------------------------------------------------------------------


def _check_qpdf(path: Path) -> Check:
    """``qpdf --check``: exit 0 clean, 3 warnings, 2 errors."""
    tool = shutil.which("qpdf")
    if tool is None:
        return _not_run("qpdf", "qpdf", "qpdf not installed")
    result = _run([tool, "--check", str(path)])
    text = (result.stdout + result.stderr).strip()
    findings = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line.upper() and "no syntax" not in line]
    if result.returncode == 0:
        return Check("qpdf", "qpdf", PASS, "no syntax or stream errors")
    if result.returncode == 3:
        return Check("qpdf", "qpdf", WARN, "qpdf warnings", {}, (), _capped(findings or [text[:300]]))
    return Check("qpdf", "qpdf", FAIL, "qpdf found errors", {}, _capped(findings or [text[:300]]), ())
