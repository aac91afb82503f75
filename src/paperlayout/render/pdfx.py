"""Turn reportlab's PDF into PDF/X-1a:2001 (default) or PDF/X-4: keys, output intent, ID.

reportlab writes the pages (CMYK, K-only overprinting text, Trim/BleedBox); this module
adds what a printing plant's preflight looks for (shared/design/PRESS.md):

* Info: Title, Author, Subject, Creator, Producer, CreationDate, ModDate (from
  :class:`PdfMeta` — never the clock), ``Trapped /False``, ``GTS_PDFXVersion`` and, for
  X-1a, ``GTS_PDFXConformance``;
* Catalog ``/OutputIntents`` with one ``/GTS_PDFX`` intent whose DestOutputProfile is
  the CMYK ICC profile (N 4) of the printing condition;
* a document ``/ID`` computed from the file's content (qpdf ``deterministic_id``);
* header ``%PDF-1.3`` (X-1a:2001) or ``%PDF-1.6`` (X-4, with the XMP packet it requires);
* every embedded font subset named with a tag derived from its content and a ToUnicode
  CMap in UTF-16 (:func:`fix_fonts`, below);
* no object streams or cross-reference streams (PDF 1.5 features), streams Flate-
  compressed by qpdf/zlib at its fixed default level → identical input gives identical
  bytes.

What the renderer must do itself (found while testing with Ghostscript separations):

* black text and rules overprint only with ``canvas.setFillOverprint(True)`` /
  ``setStrokeOverprint(True)`` *and* ``canvas.setOverprintMask(True)`` (/OPM 1): with
  reportlab's default OPM 0 a ``0 0 0 1 k`` fill still knocks out the C, M and Y plates;
* ``Canvas(..., initialFontName=<an embedded TrueType face>)``: reportlab's page preamble
  otherwise selects Helvetica, which then sits unembedded in every page's resources;
* images through ``images.encode_for_pdf`` (an ImageReader), never a JPEG path.

What reportlab writes wrong and :func:`fix_fonts` repairs: every document's first subset of
a font is tagged ``AAAAAA+`` (then ``AAAAAB+`` …), so two files carry the same subset name
for different glyphs (PDF 1.3 §5.5.3 wants different subsets to have different tags); and
its ToUnicode CMaps write a code point beyond the BMP as-is (``<98> <20BB7>``, read back as
U+20BB) where UTF-16BE is required (``<98> <D842DFB7>``).

finalize() refuses (raises :class:`PdfxError`) what cannot be fixed by adding keys:
pages without a TrimBox, boxes not nested, transparency in an X-1a file, RGB or JPEG 2000
images, an output profile that is not an ICC output profile for CMYK (or v4 for X-1a),
encryption. Content-level checks (text colour, overprint, ink, resolution) are
paperlayout.preflight's job; run it on the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import re
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from paperlayout import __version__, heap

if TYPE_CHECKING:  # pikepdf is imported where a file is read or written, not at start-up
    import pikepdf

log = logging.getLogger(__name__)

STANDARDS = ("x1a", "x4")
_HEADER = {"x1a": "1.3", "x4": "1.6"}
_PDFX_VERSION = {"x1a": "PDF/X-1:2001", "x4": "PDF/X-4"}
#: Tolerance for box comparisons, pt.
_BOX_EPS = 1e-3


class PdfxError(ValueError):
    """The PDF cannot be made PDF/X by finalize(); ``problems`` lists why."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("not PDF/X: " + "; ".join(problems))


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition the file is made for.

    profile: ICC output profile (CMYK) embedded as DestOutputProfile.
    identifier: OutputConditionIdentifier — a name from the ICC characterisation data
        registry (e.g. "FOGRA39", "IFRA26") when the condition is registered, else "Custom".
    condition: OutputCondition, a human description of the printing condition.
    info: Info, a human description (for "Custom" conditions: the profile's name).
    registry: RegistryName, where ``identifier`` is defined.
    """

    profile: Path
    identifier: str = "Custom"
    condition: str = ""
    info: str = ""
    registry: str = "http://www.color.org"

    @classmethod
    def default(cls) -> OutputIntent:
        """The shipped coldset newsprint profile (CGATS TR 002 data, GCR, TAC 240 %)."""
        from .icc import default_output_profile  # not render.images: that imports Pillow

        return cls(
            profile=default_output_profile(),
            identifier="Custom",
            condition="Coldset offset on newsprint, characterized by ANSI CGATS/SNAP TR 002-2007",
            info="paperlayout Newsprint TR002 GCR TAC240",
        )

    @classmethod
    def from_profile(cls, profile: Path, identifier: str | None = None) -> OutputIntent:
        """An output intent for a plant's profile; Info and condition from its description."""
        description = profile_description(Path(profile).read_bytes()) or Path(profile).stem
        return cls(profile=Path(profile), identifier=identifier or "Custom", condition=description, info=description)

    @classmethod
    def for_build(cls, profile: Path | None = None, condition: str | None = None) -> OutputIntent:
        """The intent of ``paperlayout build [--output-intent PROFILE] [--output-condition NAME]``.

        Neither: :meth:`default` ("Custom"). A registered NAME (:data:`REGISTERED_CONDITIONS`,
        any letter case) becomes OutputConditionIdentifier in the registry's spelling with
        RegistryName http://www.color.org and OutputCondition from the table; the embedded
        profile is PROFILE, else the shipped one. An unregistered NAME is allowed only with
        its PROFILE (identifier NAME, no RegistryName); see :func:`condition_problems`.
        """
        base = cls.from_profile(profile) if profile is not None else cls.default()
        if not condition:
            return base
        row = registered_condition(condition)
        if row is None:
            return replace(base, identifier=condition, registry="")
        return replace(base, identifier=row.name, condition=row.condition, registry=REGISTRY)


#: RegistryName of the ICC Characterization Data Registry (https://www.color.org/chardata/).
REGISTRY = "http://www.color.org"


@dataclass(frozen=True)
class Condition:
    """One registered printing condition (characterization data) a plant may name.

    name: OutputConditionIdentifier as written in the registry (or the ICC profile name
        plants use for it); substrate: "newsprint", "coated" or "uncoated" paper;
    condition: OutputCondition text; why: where the name comes from.
    """

    name: str
    substrate: str
    condition: str
    why: str


#: Printing conditions whose names ``--output-condition`` accepts without a profile. Rows are
#: names of the ICC Characterization Data Registry (color.org/chardata/) and the ICC/ECI
#: profile names plants write in their intake specs for the same data.
REGISTERED_CONDITIONS: tuple[Condition, ...] = (
    Condition("IFRA26", "newsprint", "Coldset offset on newsprint, ISO 12647-3:2004, 26 % TVI",
              "ICC registry: WAN-IFRA newsprint characterization (IFRA26)"),
    Condition("IFRA30", "newsprint", "Coldset offset on newsprint, ISO 12647-3, 30 % TVI",
              "ICC registry: WAN-IFRA newsprint characterization (IFRA30)"),
    Condition("ISOnewspaper26v4", "newsprint", "Coldset offset on newsprint, ISO 12647-3:2004 (IFRA26)",
              "ICC/ECI profile ISOnewspaper26v4.icc, built on IFRA26; the name newspaper plants ask for"),
    Condition("WAN-IFRAnewspaper26v5", "newsprint", "Coldset offset on newsprint, ISO 12647-3:2013 (IFRA26)",
              "WAN-IFRA profile WAN-IFRAnewspaper26v5.icc, successor of ISOnewspaper26v4"),
    Condition("CGATS TR 002", "newsprint", "Coldset offset on newsprint (SNAP), ANSI CGATS TR 002",
              "ICC registry: CGATS TR 002 (SNAP newsprint, the data of the shipped profile)"),
    Condition("JCN2002", "newsprint", "Japan Color 2002 Newspaper",
              "ICC registry: Japan Color 2002 Newspaper (JCN2002)"),
    Condition("FOGRA39", "coated", "Offset printing, ISO 12647-2:2004/Amd 1, paper type 1 or 2 (coated), 115 g/m2",
              "ICC registry: FOGRA39 (ISO Coated v2)"),
    Condition("FOGRA51", "coated", "Offset printing, ISO 12647-2:2013, PS1 premium coated",
              "ICC registry: FOGRA51 (PSO Coated v3)"),
    Condition("FOGRA52", "uncoated", "Offset printing, ISO 12647-2:2013, PS5 wood-free uncoated",
              "ICC registry: FOGRA52 (PSO Uncoated v3)"),
    Condition("FOGRA47", "uncoated", "Offset printing, ISO 12647-2:2004/Amd 1, paper type 4 (uncoated white)",
              "ICC registry: FOGRA47 (PSO Uncoated ISO12647)"),
    Condition("CGATS21-2-CRPC6", "coated", "GRACoL 2013, CGATS 21-2 CRPC6 (coated #1)",
              "ICC registry: CRPC6, the data of GRACoL2013"),
    Condition("GRACoL2013", "coated", "GRACoL 2013, CGATS 21-2 CRPC6 (coated #1)",
              "IDEAlliance profile name for CRPC6"),
    Condition("CGATS TR 006", "coated", "GRACoL 2006 coated #1, CGATS TR 006",
              "ICC registry: CGATS TR 006 (GRACoL2006_Coated1v2)"),
    Condition("SWOP", "coated", "Web offset publication (SWOP) on coated #5, CGATS TR 005",
              "IDEAlliance SWOP; registry names CGATS TR 001 / TR 005"),
    Condition("CGATS TR 001", "coated", "Web offset publication (SWOP) on coated #5, CGATS TR 001",
              "ICC registry: CGATS TR 001 (SWOP)"),
    Condition("CGATS TR 005", "coated", "Web offset publication (SWOP) on coated #5, CGATS TR 005",
              "ICC registry: CGATS TR 005 (SWOP #5)"),
    Condition("JC200103", "coated", "Japan Color 2001 Coated (sheet-fed offset)",
              "ICC registry: Japan Color 2001 Coated (JC200103)"),
)


def registered_condition(name: str) -> Condition | None:
    """The row of :data:`REGISTERED_CONDITIONS` named ``name`` (letter case and spaces/hyphens
    ignored), or None."""
    key = _condition_key(name)
    return next((row for row in REGISTERED_CONDITIONS if _condition_key(row.name) == key), None)


def _condition_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).casefold()


#: The registered condition the shipped profile (OutputIntent.default) was made from.
SHIPPED_CONDITION = "CGATS TR 002"


def condition_problems(name: str, has_profile: bool) -> list[str]:
    """Why ``--output-condition name`` cannot be used (empty if it can): an unregistered name
    needs the condition's own profile (--output-intent), and a name must be printable text."""
    if not name.strip() or not name.isprintable() or len(name) > 127:
        return [f"{name!r} is not a condition name (printable text, at most 127 characters)"]
    row = registered_condition(name)
    if row is None and not has_profile:
        known = ", ".join(row.name for row in REGISTERED_CONDITIONS)
        return [f"{name!r} is not a registered printing condition this tool knows ({known}); "
                "give it with the condition's profile (--output-intent PLANT.icc) or use a registered name"]
    if row is not None and not has_profile and row.name != SHIPPED_CONDITION:
        # the file would declare one condition and carry (and separate its photos for) another
        return [f"{row.name} needs its own profile: without --output-intent the file embeds the shipped "
                f"{SHIPPED_CONDITION} newsprint profile; give the plant's {row.name} profile with --output-intent"]
    return []


#: Words in a profile's description or a condition name that mean coated (or uncoated
#: commercial) paper — not newsprint. Why: the registry's coated sets (FOGRA39/51, GRACoL,
#: SWOP, Japan Color 2001 Coated) separate for ~300–350 % TAC and a short dot gain; on
#: newsprint (ISO 12647-3, TAC ≤ 240 %) they over-ink and plug the shadows.
_COATED = re.compile(r"FOGRA\s*(39|51|27)|GRACoL|SWOP|\bcoated|JC200103|Japan\s*Color\s*2001|CRPC[3-7]|TR\s*0?0?[156]\b", re.I)
_NEWSPRINT = re.compile(r"newsprint|newspaper|IFRA|TR\s*0?0?2\b|JCN", re.I)


def paper_of(identifier: str, description: str) -> str | None:
    """The paper an output condition is for when it is not newsprint ("coated",
    "uncoated"), else None: the registered condition's substrate (:data:`REGISTERED_CONDITIONS`),
    else coated when the profile's ``description`` names a coated set (FOGRA39/51, GRACoL,
    SWOP, "coated") and no newsprint one."""
    row = registered_condition(identifier)
    if row is not None:
        return None if row.substrate == "newsprint" else row.substrate
    if _COATED.search(description) and not _NEWSPRINT.search(description):
        return "coated"
    return None


def coated_for_newsprint(intent: OutputIntent, icc: bytes, style: str) -> str | None:
    """A warning when the intent is for coated paper while ``style`` prints on newsprint
    (every preset does: coldset offset, ISO 12647-3), else None. Evidence: the registered
    condition's substrate, else the profile's description or file name."""
    description = profile_description(icc) or Path(intent.profile).stem
    named = f"profile {description!r} ({Path(intent.profile).name})"
    paper = paper_of(intent.identifier, description)
    if paper is None:
        return None
    row = registered_condition(intent.identifier)
    what = f"output condition {row.name} ({named})" if row is not None else named
    return (f"warning: {what} is for {paper} paper, but style {style!r} prints on newsprint "
            "(coldset, ISO 12647-3): photos will be separated for the wrong paper — ask the plant for its "
            "newsprint profile (e.g. ISOnewspaper26v4 / IFRA26) [coated-profile]")


@dataclass(frozen=True)
class PdfMeta:
    """Document metadata and the PDF/X flavour.

    creation_date: timezone-aware; pass the issue date or SOURCE_DATE_EPOCH
        (:func:`source_date_epoch`), never ``now()``.
    mod_date: defaults to creation_date.
    standard: "x1a" (PDF/X-1a:2001, PDF 1.3, the newspaper default) or "x4" (PDF/X-4).
    """

    title: str
    creation_date: dt.datetime
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = "paperlayout"
    producer: str = f"paperlayout {__version__}"
    mod_date: dt.datetime | None = None
    output_intent: OutputIntent = field(default_factory=OutputIntent.default)
    standard: str = "x1a"


def source_date_epoch(environ: dict[str, str] | None = None) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as an aware UTC datetime, or None when unset."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc)


def pdf_date(when: dt.datetime) -> str:
    """PDF date string D:YYYYMMDDHHmmSS+HH'mm' (PDF 1.3 §3.8.2) for an aware datetime."""
    offset = when.utcoffset()
    if offset is None:
        raise ValueError("dates must be timezone-aware")
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return when.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{mins:02d}'"


def profile_description(icc: bytes) -> str:
    """The ICC profile's description ('desc' tag, v2 textDescription or v4 mluc), or ""."""
    if len(icc) < 132 or icc[36:40] != b"acsp":
        return ""
    count = int.from_bytes(icc[128:132], "big")
    for i in range(count):
        entry = icc[132 + 12 * i : 144 + 12 * i]
        if entry[:4] != b"desc":
            continue
        offset, size = int.from_bytes(entry[4:8], "big"), int.from_bytes(entry[8:12], "big")
        tag = icc[offset : offset + size]
        if tag[:4] == b"desc":
            length = int.from_bytes(tag[8:12], "big")
            return tag[12 : 12 + length].rstrip(b"\0").decode("latin-1")
        if tag[:4] == b"mluc" and len(tag) >= 28:
            rec_len, rec_off = int.from_bytes(tag[20:24], "big"), int.from_bytes(tag[24:28], "big")
            return tag[rec_off : rec_off + rec_len].decode("utf-16-be", "replace")
    return ""


def check_profile(icc: bytes, standard: str) -> list[str]:
    """Problems with ``icc`` as a PDF/X destination output profile (empty if fine)."""
    if len(icc) < 128 or icc[36:40] != b"acsp":
        return ["output intent profile is not an ICC profile"]
    problems = []
    if icc[12:16] != b"prtr":
        problems.append(f"output intent profile class is {icc[12:16].decode('latin-1')!r}, not an output ('prtr') profile")
    if icc[16:20] not in (b"CMYK", b"GRAY"):
        problems.append(f"output intent profile colour space is {icc[16:20].decode('latin-1').strip()}, not CMYK")
    if standard == "x1a" and icc[8] >= 4:
        problems.append("ICC v4 output profile: PDF/X-1a:2001 (PDF 1.3) needs a version 2 profile; use PDF/X-4")
    return problems


def finalize(draft: bytes | BinaryIO, meta: PdfMeta) -> bytes:
    """Return ``draft`` (reportlab's output: its bytes, or a binary file holding them from
    its start, e.g. what render.pdf.render_into wrote) as a PDF/X file described by ``meta``.

    Raises PdfxError listing everything that prevents conformance; ValueError for bad meta.
    Memory: the draft is read as qpdf needs it; qpdf writes the file into an unnamed
    temporary file, the edits after the save are made there in place, and the file is read
    back once — the result is the only whole copy of the PDF held — and the C heap's free
    pages are given back to the system (:func:`paperlayout.heap.trim`).
    """
    import pikepdf
    from pikepdf import Name

    _check_meta(meta)
    icc = Path(meta.output_intent.profile).read_bytes()
    if isinstance(draft, (bytes, bytearray, memoryview)):
        source, mode = io.BytesIO(draft), pikepdf.AccessMode.default
    else:
        draft.flush()
        source, mode = draft, pikepdf.AccessMode.stream  # not mapped: read as qpdf asks
    drafted = _draft_hash(source) if meta.standard == "x4" else None
    source.seek(0)
    with pikepdf.open(source, access_mode=mode) as pdf:
        problems = check_profile(icc, meta.standard) + _structure_problems(pdf, meta.standard)
        if problems:
            raise PdfxError(problems)
        fix_fonts(pdf)
        _set_info(pdf, meta)
        _set_output_intent(pdf, meta.output_intent, icc)
        if meta.standard == "x4":
            _set_xmp(pdf, meta, drafted, icc)
        elif Name.Metadata in pdf.Root:
            del pdf.Root[Name.Metadata]  # PDF 1.3 has no metadata streams
        if Name.ID in pdf.trailer:
            del pdf.trailer[Name.ID]  # both halves then come from the content hash
        from .. import cache

        store = cache.default_store()
        recalled: list[bytes] = []
        missed = _recall_deflated(pdf, store, recalled)

        def save(level, out: BinaryIO) -> None:
            out.seek(0)
            out.truncate()
            pdf.save(
                out,
                force_version=_HEADER[meta.standard],
                fix_metadata_version=False,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                compress_streams=True,
                stream_decode_level=level,
                normalize_content=False,
                linearize=False,
                deterministic_id=True,
            )
            out.flush()

        with heap.spill_file() as out:
            # None: every stream is unfiltered, recalled (qpdf's own earlier deflate) or a JPEG
            # (_recall_deflated); "generalized" (qpdf inflates and deflates every Flate stream)
            # when another filter was found or a recalled stream's keys cannot be put in order.
            save(pikepdf.StreamDecodeLevel.generalized if missed is None else pikepdf.StreamDecodeLevel.none, out)
            if recalled and not _fix_recalled(out, recalled, _info_seed(pdf)):
                save(pikepdf.StreamDecodeLevel.generalized, out)
            out.seek(0)
            data = out.read()
    if missed and store is not None:
        _remember_deflated(data, missed, store)
    heap.trim()  # what the draft, qpdf and the photos freed goes back before the next stage
    return data


def _fix_recalled(out: BinaryIO, recalled: list[bytes], info: bytes) -> bool:
    """Make the saved file ``out`` what qpdf would have written had it deflated the
    ``recalled`` streams itself — their dictionaries' keys in qpdf's order
    (:func:`_order_recalled_in`) and the /ID of the content so changed — in place (a file
    through a memory map; an in-memory buffer through a copy); False (the file left
    half-changed) when the file is not of the form expected."""
    import mmap

    size = out.seek(0, os.SEEK_END)
    if size == 0:
        return False
    try:
        fd = out.fileno()
    except (OSError, io.UnsupportedOperation):  # heap.spill_file's in-memory fallback
        buf = bytearray(out.getvalue())
        if not _fix_recalled_in(buf, recalled, info):
            return False
        out.seek(0)
        out.write(buf)
        return True
    with mmap.mmap(fd, size) as buf:
        done = _fix_recalled_in(buf, recalled, info)
        buf.flush()
    return done


def _fix_recalled_in(buf, recalled: list[bytes], info: bytes) -> bool:
    """:func:`_fix_recalled` on a writable buffer with find/rfind (bytearray, mmap)."""
    at = _id_at(buf)
    if at is None or buf[at:at + _ID_SIZE] != _ids(buf, at, info):
        return False  # not the deterministic /ID recomputed here: let qpdf write it all
    if not _order_recalled_in(buf, recalled):
        return False
    buf[at:at + _ID_SIZE] = _ids(buf, at, info)
    return True


#: The filters qpdf's "generalized" decoding removes (without decode parameters).
_GENERALIZED = ("/FlateDecode", "/ASCII85Decode", "/ASCIIHexDecode")

#: Streams at least this long (decoded, bytes) have their deflated form kept in the cache.
_DEFLATE_MIN = 4096


def _repeats(obj) -> bool:
    """Whether a stream is one the next build likely writes again: a photo (image XObject),
    the output profile (an ICC stream: /N), a font file (/Length1). A page's content stream
    changes with every edit, so it is not kept (qpdf deflates it: a few ms)."""
    from pikepdf import Name

    return obj.get(Name.Subtype) == Name.Image or Name.N in obj or Name("/Length1") in obj


def _deflate_key(decoded: bytes) -> str:
    """The cache key of qpdf's deflated form of ``decoded``: the content and the qpdf and
    pikepdf versions (whose zlib makes the bytes)."""
    import pikepdf

    from .. import cache

    return cache.key("deflate", pikepdf.__version__, pikepdf.__libqpdf_version__, hashlib.sha256(decoded).digest())


def _recall_deflated(pdf: pikepdf.Pdf, store, recalled: list[bytes]) -> set[str] | None:
    """Prepare the streams so that ``save`` with no decoding gives the bytes a save with
    "generalized" decoding (qpdf inflates and deflates every Flate stream again) gives,
    without deflating again what an earlier build deflated: every Flate (or ASCII-armoured)
    stream is decoded; the long ones that :func:`_repeats` get qpdf's deflated bytes from
    ``store`` (namespace "deflate", keyed by the content); the others are left unfiltered
    for qpdf to deflate.
    Returns the keys not found (to be remembered after the save), or None — nothing
    changed — when a stream has another filter or decode parameters (then qpdf decodes).
    The deflated bytes put in are appended to ``recalled``."""
    import pikepdf
    from pikepdf import Array, Name

    streams = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)]
    plans = []
    for obj in streams:
        filters = obj.get(Name.Filter)
        names = list(filters) if isinstance(filters, Array) else ([] if filters is None else [filters])
        if names == [Name.DCTDecode] and Name.DecodeParms not in obj:
            continue  # "generalized" leaves a JPEG as it is
        if any(n not in _GENERALIZED for n in names) or Name.DecodeParms in obj:
            return None
        plans.append((obj, bool(names)))
    missed = set()
    for obj, filtered in plans:
        decoded = obj.read_bytes() if filtered else None
        size = len(decoded) if filtered else int(obj.get(Name.Length, 0))
        if size >= _DEFLATE_MIN and store is not None and _repeats(obj):
            decoded = obj.read_bytes() if decoded is None else decoded
            k = _deflate_key(decoded)
            known = store.get("deflate", k)
            if known is not None:
                obj.write(known, filter=Name.FlateDecode)
                recalled.append(known)
                continue
            missed.add(k)
        if filtered:
            obj.write(decoded)
    return missed


def _order_recalled_in(buf, recalled: list[bytes]) -> bool:
    """In ``buf`` (a writable buffer with find/rfind: bytearray, mmap), write the dictionary
    of each recalled stream as qpdf writes a stream it deflates itself: the keys but /Length
    and /Filter in order, then /Length, then /Filter (qpdf writes a stream it passes through
    with /Filter in order). Same length, so no offset moves. False when a dictionary is not
    of the expected one-line form (``buf`` is then partly changed). A stream recalled twice
    (the same bytes in two objects) is found, and ordered, once, at its first place."""
    for known in dict.fromkeys(recalled):
        at = buf.find(b">>\nstream\n" + known + b"\nendstream")
        start = buf.rfind(b" obj\n<< ", 0, at) + len(b" obj\n")
        if at < 0 or start < len(b" obj\n"):
            return False
        head = bytes(buf[start:at + 2])
        tail = b" /Length %d >>" % len(known)
        if (head.count(b"/Filter") != 1 or head.count(b"<<") != 1 or b"\n" in head
                or not head.endswith(tail) or b" /Filter /FlateDecode " not in head):
            return False
        new = head.replace(b" /Filter /FlateDecode", b"", 1)[:-len(b" >>")] + b" /Filter /FlateDecode >>"
        buf[start:at + 2] = new
    return True


def _info_seed(pdf: pikepdf.Pdf) -> bytes:
    """What qpdf's deterministic /ID adds after the content digest: " QPDF " and, for each
    string of the Info dictionary in key order, a space and its bytes (up to a NUL)."""
    import pikepdf

    seed = b" QPDF "
    info = pdf.trailer.get("/Info")
    if info is not None:
        for k in sorted(info.keys()):
            value = info[k]
            if isinstance(value, pikepdf.String):
                seed += b" " + bytes(value)
    return seed.split(b"\0", 1)[0]


#: Length of qpdf's trailer /ID value after "/ID [": two 32-digit hex strings and "]".
_ID_SIZE = len(b"<%s><%s>]" % (b"0" * 32, b"0" * 32))


def _id_at(buf) -> int | None:
    """Where the /ID value of the last trailer starts in ``buf`` (after "/ID ["), or None
    when the trailer is not of the expected form."""
    start = buf.rfind(b"\ntrailer << ")
    at = buf.find(b"/ID [<", start)
    if start < 0 or at < 0:
        return None
    at += len(b"/ID [")
    if len(buf) < at + _ID_SIZE or buf[at:at + _ID_SIZE].count(b"<") != 2:
        return None
    return at


def _ids(buf, at: int, info: bytes) -> bytes:
    """The /ID value qpdf's ``deterministic_id`` gives the file in ``buf`` whose /ID starts
    at ``at``: both halves the MD5 of (the hex MD5 of the file up to "/ID [") + ``info``."""
    with memoryview(buf) as view:
        head = hashlib.md5(view[:at]).hexdigest().encode("ascii")
    digest = hashlib.md5(head + info).hexdigest().encode("ascii")
    return b"<%s><%s>]" % (digest, digest)


def _with_id(data: bytes, info: bytes) -> bytes | None:
    """``data`` with the /ID qpdf's ``deterministic_id`` gives it (:func:`_ids`). None when
    the trailer is not of the expected form."""
    at = _id_at(data)
    if at is None:
        return None
    return data[:at] + _ids(data, at, info) + data[at + _ID_SIZE:]


def _remember_deflated(data: bytes, missed: set[str], store) -> None:
    """Keep qpdf's deflated bytes of the streams of ``data`` (a saved file) whose keys are
    in ``missed``."""
    import pikepdf
    from pikepdf import Name

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get(Name.Filter) == Name.FlateDecode:
                decoded = obj.read_bytes()
                if len(decoded) >= _DEFLATE_MIN:
                    k = _deflate_key(decoded)
                    if k in missed:
                        store.put("deflate", k, obj.read_raw_bytes())


# -- checks ----------------------------------------------------------------------------


def _check_meta(meta: PdfMeta) -> None:
    if meta.standard not in STANDARDS:
        raise ValueError(f"standard must be one of {STANDARDS}, got {meta.standard!r}")
    if not meta.title.strip():
        raise ValueError("PDF/X needs a real title")
    for when in (meta.creation_date, meta.mod_date):
        if when is not None and when.utcoffset() is None:
            raise ValueError("creation_date and mod_date must be timezone-aware")


def _box(page: pikepdf.Page, name: str) -> tuple[float, float, float, float] | None:
    """A page box normalised to (x0, y0, x1, y1) with x0 < x1, or None if absent."""
    from pikepdf import Name

    raw = page.obj.get(Name("/" + name))
    if raw is None:
        return None
    a, b, c, d = (float(v) for v in raw)
    return min(a, c), min(b, d), max(a, c), max(b, d)


def _inside(inner, outer) -> bool:
    return (
        inner[0] >= outer[0] - _BOX_EPS
        and inner[1] >= outer[1] - _BOX_EPS
        and inner[2] <= outer[2] + _BOX_EPS
        and inner[3] <= outer[3] + _BOX_EPS
    )


def _structure_problems(pdf: pikepdf.Pdf, standard: str) -> list[str]:
    """What finalize cannot repair: encryption, boxes, transparency (X-1a), RGB/JPX images."""
    from pikepdf import Name

    problems = []
    if pdf.is_encrypted:
        problems.append("encrypted PDF")
    for number, page in enumerate(pdf.pages, start=1):
        media = _box(page, "MediaBox")
        trim = _box(page, "TrimBox")
        bleed = _box(page, "BleedBox") or trim
        if trim is None:
            problems.append(f"page {number}: no TrimBox (set it with canvas.setTrimBox)")
            continue
        if not (_inside(trim, bleed) and _inside(bleed, media)):
            problems.append(f"page {number}: boxes not nested (TrimBox {trim} ⊆ BleedBox {bleed} ⊆ MediaBox {media})")
    for obj in all_dictionaries(pdf):
        if standard == "x1a":
            problems.extend(transparency_features(obj))
        if obj.get(Name.Subtype) == Name.Image:
            problems.extend(_image_problems(obj, standard))
    return list(dict.fromkeys(problems))


def all_dictionaries(pdf: pikepdf.Pdf):
    """Every dictionary and stream of the file, direct ones nested in others included
    (reportlab writes ExtGState dictionaries directly inside page resources)."""
    import pikepdf
    from pikepdf import Array, Dictionary


    def nested(obj, depth: int):
        if depth > 32:
            return
        if isinstance(obj, (Dictionary, pikepdf.Stream)):
            yield obj
            children = obj.values()
        elif isinstance(obj, Array):
            children = list(obj)
        else:
            return
        for child in children:
            if isinstance(child, (Dictionary, pikepdf.Stream, Array)) and not child.is_indirect:
                yield from nested(child, depth + 1)

    for obj in pdf.objects:
        yield from nested(obj, 0)


def transparency_features(obj) -> list[str]:
    """Transparency features of one PDF dictionary or stream (forbidden in PDF/X-1a):
    a soft mask, constant alpha < 1, a blend mode other than Normal, a transparency group."""
    from pikepdf import Array, Dictionary, Name

    found = []
    smask = obj.get(Name.SMask)
    if smask is not None and smask != Name("/None"):
        found.append("soft mask (SMask) present: transparency is not allowed in PDF/X-1a")
    for key in ("/CA", "/ca"):
        value = obj.get(Name(key))
        if value is not None and float(value) < 1.0:
            found.append(f"constant alpha {key[1:]} {float(value)} < 1: transparency is not allowed in PDF/X-1a")
    mode = obj.get(Name.BM)
    if mode is not None:
        modes = list(mode) if isinstance(mode, Array) else [mode]
        if any(m not in (Name.Normal, Name.Compatible) for m in modes):
            found.append(f"blend mode {mode}: transparency is not allowed in PDF/X-1a")
    group = obj.get(Name.Group)
    if isinstance(group, Dictionary) and group.get(Name.S) == Name.Transparency:
        found.append("transparency group: transparency is not allowed in PDF/X-1a")
    return found


def _image_problems(image, standard: str) -> list[str]:
    from pikepdf import Array, Name

    found = []
    filters = image.get(Name.Filter)
    names = list(filters) if isinstance(filters, Array) else ([filters] if filters is not None else [])
    if standard == "x1a" and Name.JPXDecode in names:
        found.append("JPEG 2000 (JPXDecode) image: not allowed in PDF/X-1a")
    space = image.get(Name.ColorSpace)
    base = space[0] if isinstance(space, Array) and len(space) else space
    if base in (Name.DeviceRGB, Name.CalRGB):
        found.append(f"image in {base}: PDF/X-1a allows only CMYK, grey and spot colours")
    if base == Name.ICCBased and standard == "x1a":
        found.append("image in ICCBased colour space: not allowed in PDF/X-1a")
    return found


# -- writing ---------------------------------------------------------------------------

#: A subset tag: six uppercase letters and "+" before the font's name (PDF 1.3 §5.5.3).
_SUBSET_NAME = re.compile(r"^[A-Z]{6}\+(.+)$")
#: One bfchar entry of a ToUnicode CMap: source code, destination (hex).
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
#: A CMap's bfchar blocks hold at most 100 entries (PDF 1.3 §5.6.4, CMap syntax).
_BFCHAR_BLOCK = 100


def fix_fonts(pdf: pikepdf.Pdf) -> None:
    """Give every subset font a content-derived tag and a UTF-16 ToUnicode CMap, in place.

    For each font dictionary whose BaseFont carries a subset tag (``XXXXXX+Name``): the
    new tag is six letters from a SHA-256 of the name, the embedded font program and the
    character mapping, so the same subset always gets the same tag (same input, same
    bytes) and different subsets get different ones; BaseFont and the descriptor's
    FontName change together. Its ToUnicode CMap is rewritten in UTF-16BE, a surrogate
    pair for every character beyond the BMP, unmapped (U+0000) codes left out. Fonts
    without a subset tag or with a CMap that is not simple bfchar pairs are left alone.
    """
    import pikepdf
    from pikepdf import Dictionary, Name

    taken: dict[str, bytes] = {}
    for font in _font_dictionaries(pdf):
        match = _SUBSET_NAME.match(str(font.BaseFont)[1:])
        if match is None:
            continue
        name = match.group(1)
        descriptor = font.get(Name.FontDescriptor)
        program = b""
        if isinstance(descriptor, Dictionary):
            for key in (Name.FontFile2, Name.FontFile, Name.FontFile3):
                if key in descriptor:
                    program = descriptor[key].read_bytes()
                    break
        mapping = _read_bfchars(font.get(Name.ToUnicode))
        digest = hashlib.sha256(name.encode("utf-8") + b"\0" + program + b"\0" + repr(mapping).encode()).digest()
        salt = 0
        tag = _tag(digest)
        while tag in taken and taken[tag] != digest:  # a different subset has it: next one
            salt += 1
            tag = _tag(hashlib.sha256(digest + bytes([salt])).digest())
        taken[tag] = digest
        subset = f"{tag}+{name}"
        font.BaseFont = Name("/" + subset)
        if isinstance(descriptor, Dictionary) and Name.FontName in descriptor:
            descriptor.FontName = Name("/" + subset)
        if mapping is not None:
            font.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, to_unicode_cmap(mapping)))


def _font_dictionaries(pdf: pikepdf.Pdf):
    """Every font dictionary of the file, in object order (deterministic)."""
    from pikepdf import Dictionary, Name

    for obj in pdf.objects:
        if isinstance(obj, Dictionary) and obj.get(Name.Type) == Name.Font and Name.BaseFont in obj:
            yield obj


def _tag(digest: bytes) -> str:
    """Six uppercase letters from a digest (base 26)."""
    n = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(chr(ord("A") + r))
    return "".join(letters)


def _read_bfchars(stream) -> dict[int, int] | None:
    """A ToUnicode CMap made of one-byte bfchar pairs as {code: code point}; None when
    absent or when it holds anything else (ranges, two-byte codes, multi-character
    destinations)."""
    import pikepdf

    if not isinstance(stream, pikepdf.Stream):
        return None
    data = stream.read_bytes()
    if b"beginbfrange" in data:
        return None
    mapping = {}
    for src, dst in _BFCHAR.findall(data.split(b"endcodespacerange", 1)[-1]):
        if len(src) != 2:
            return None  # not one-byte codes (a CID font): not reportlab's simple subset
        text = dst.decode("ascii")
        if len(text) > 4 and (len(text) != 8 or not 0xD800 <= int(text[:4], 16) <= 0xDBFF):
            cp = int(text, 16)  # reportlab's raw code point beyond the BMP
        elif len(text) == 8:
            cp = ord(bytes.fromhex(text).decode("utf-16-be"))
        else:
            cp = int(text, 16)
        if cp > 0x10FFFF:
            return None
        mapping[int(src, 16)] = cp
    return mapping


def to_unicode_cmap(mapping: dict[int, int]) -> bytes:
    """A ToUnicode CMap for one-byte codes: {code: code point} in UTF-16BE bfchar blocks
    of at most 100 entries; U+0000 (an unused code) is left out. E.g. code 0x98 → U+20BB7
    is written ``<98> <D842DFB7>``."""
    pairs = [(code, cp) for code, cp in sorted(mapping.items()) if cp]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <FF>",
        "endcodespacerange",
    ]
    for start in range(0, len(pairs), _BFCHAR_BLOCK):
        block = pairs[start : start + _BFCHAR_BLOCK]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{code:02X}> <{chr(cp).encode('utf-16-be', 'surrogatepass').hex().upper()}>" for code, cp in block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


def _set_info(pdf: pikepdf.Pdf, meta: PdfMeta) -> None:
    """Replace the document information dictionary (reportlab's placeholders go)."""
    from pikepdf import Dictionary, Name, String

    created = meta.creation_date
    modified = meta.mod_date or created
    info = Dictionary()
    info[Name.Title] = String(meta.title)
    if meta.author:
        info[Name.Author] = String(meta.author)
    if meta.subject:
        info[Name.Subject] = String(meta.subject)
    if meta.keywords:
        info[Name.Keywords] = String(meta.keywords)
    info[Name.Creator] = String(meta.creator)
    info[Name.Producer] = String(meta.producer)
    info[Name.CreationDate] = String(pdf_date(created))
    info[Name.ModDate] = String(pdf_date(modified))
    info[Name.Trapped] = Name("/False")
    info[Name.GTS_PDFXVersion] = String(_PDFX_VERSION[meta.standard])
    if meta.standard == "x1a":
        info[Name.GTS_PDFXConformance] = String("PDF/X-1a:2001")
    pdf.trailer[Name.Info] = pdf.make_indirect(info)


def _set_output_intent(pdf: pikepdf.Pdf, intent: OutputIntent, icc: bytes) -> None:
    """Catalog /OutputIntents: one /GTS_PDFX intent with the embedded profile."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    components = 1 if icc[16:20] == b"GRAY" else 4
    profile = pikepdf.Stream(pdf, icc)
    profile[Name.N] = components
    entry = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFX,
        OutputConditionIdentifier=String(intent.identifier),
        RegistryName=String(intent.registry),
        Info=String(intent.info or profile_description(icc) or intent.identifier),
        DestOutputProfile=pdf.make_indirect(profile),
    )
    if not intent.registry:  # an unregistered condition: no registry defines the identifier
        del entry[Name.RegistryName]
    if intent.condition:
        entry[Name.OutputCondition] = String(intent.condition)
    pdf.Root[Name.OutputIntents] = Array([pdf.make_indirect(entry)])


def _xmp_date(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def content_fingerprint(meta: PdfMeta, icc: bytes) -> bytes:
    """The metadata as bytes for hashing, with the output profile given by its content
    (SHA-256 of the ICC bytes) rather than its path: the profile's location — the install
    folder, or how ``--output-intent`` was spelled — must not change the file's IDs."""
    from dataclasses import asdict, replace

    fields = asdict(replace(meta, output_intent=replace(meta.output_intent, profile=Path("-"))))
    fields["output_intent"]["profile"] = hashlib.sha256(icc).hexdigest()
    return repr(sorted(fields.items())).encode("utf-8")


def _draft_hash(source: BinaryIO):
    """A SHA-256 hash object fed with the whole of ``source`` (read from its start in 1 MiB
    pieces), for :func:`_set_xmp`."""
    digest = hashlib.sha256()
    source.seek(0)
    while piece := source.read(1 << 20):
        digest.update(piece)
    return digest


def _set_xmp(pdf: pikepdf.Pdf, meta: PdfMeta, drafted, icc: bytes) -> None:
    """The XMP packet PDF/X-4 requires, written from a fixed template (deterministic).

    Document and instance IDs are UUIDs derived from a hash of reportlab's bytes (``drafted``:
    a SHA-256 hash object fed with them, :func:`_draft_hash`) and the metadata
    (:func:`content_fingerprint`: no file path enters), so the same input gives the same IDs
    wherever the files sit — the SHA-256 of the draft's bytes followed by the fingerprint.
    The trailer ``/ID`` is qpdf's hash of the finished content, this packet included.
    """
    import pikepdf
    from pikepdf import Name

    fed = drafted.copy()
    fed.update(content_fingerprint(meta, icc))
    digest = fed.digest()
    document_id = uuid.UUID(bytes=digest[:16], version=4)
    instance_id = uuid.UUID(bytes=digest[16:32], version=4)
    created = _xmp_date(meta.creation_date)
    modified = _xmp_date(meta.mod_date or meta.creation_date)
    author = f"<dc:creator><rdf:Seq><rdf:li>{_xml(meta.author)}</rdf:li></rdf:Seq></dc:creator>" if meta.author else ""
    subject = (
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml(meta.subject)}</rdf:li></rdf:Alt></dc:description>'
        if meta.subject
        else ""
    )
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
 xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(meta.title)}</rdf:li></rdf:Alt></dc:title>
{author}{subject}
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{modified}</xmp:ModifyDate>
<xmp:MetadataDate>{modified}</xmp:MetadataDate>
<xmp:CreatorTool>{_xml(meta.creator)}</xmp:CreatorTool>
<pdf:Producer>{_xml(meta.producer)}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
<xmpMM:InstanceID>uuid:{instance_id}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = pikepdf.Stream(pdf, packet.encode("utf-8"))
    stream[Name.Type] = Name.Metadata
    stream[Name.Subtype] = Name.XML
    pdf.Root[Name.Metadata] = pdf.make_indirect(stream)
