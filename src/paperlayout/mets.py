"""METS 1.12 (元数据编码与传输标准) for one issue, with MODS 3.7 descriptions: the file an
archive reads first to learn what a package holds and how it hangs together.

Shaped like the national digital-newspaper programmes' issue METS (Library of Congress
NDNP, the European ENMAP/Europeana Newspapers profile):

- ``metsHdr``: CREATEDATE the issue's creation date (never the clock), LASTMODDATE a
  rebuild's ``--mod-date``; one agent, the software, named with its provenance (version,
  git commit, style) and a note with the font files' SHA-256 (the same facts as the PDF's
  Producer; no file paths).
- ``dmdSec`` DMD_ISSUE: MODS of the issue — title (the paper), genre newspaper, publisher,
  dateIssued (W3CDTF), edition, language chi, the CN number (国内统一刊号) as an
  identifier, part/detail issue (期号) and running (总期号) numbers, page count. One
  ``dmdSec`` per article (DMD_ART_n): its head (kicker and subhead as subTitle), genre
  (article, briefs, banner, box), part/detail section (版名) and its page span.
- ``fileSec``: fileGrp USE "master" (the press PDF/X), "access" (with ``--pdfa``: its PDF/A-2b
  access copy), "text" (one ALTO per page), "source"
  (the issue YAML, the style sheet, the photos); every file with SIZE, CHECKSUM and
  CHECKSUMTYPE SHA-256 and an FLocat URL relative to the METS file.
- ``structMap`` PHYSICAL: the issue (the press PDF, and the access copy) → its pages in order (ORDER the
  physical sequence, ORDERLABEL the printed page number 第N版, LABEL with the section),
  each pointing to its ALTO file.
- ``structMap`` LOGICAL: the issue → its furniture and articles in reading order, each
  article's ``fptr/seq`` listing its ALTO blocks (``area`` BETYPE IDREF, BEGIN the block's
  ID in that page's ALTO) across pages — a story continued by a jump (转版) is one
  article whose areas run on to the next page.
- ``structLink``: each logical division → the page(s) it appears on.

Pure: the inputs are plain values (built by paperlayout.package); the output is bytes,
deterministic (fixed element and attribute order, IDs from indices).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

NS_METS = "http://www.loc.gov/METS/"
NS_MODS = "http://www.loc.gov/mods/v3"
NS_XLINK = "http://www.w3.org/1999/xlink"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS = (f"{NS_METS} http://www.loc.gov/standards/mets/version112/mets.xsd "
           f"{NS_MODS} http://www.loc.gov/standards/mods/v3/mods-3-7.xsd")


@dataclass(frozen=True)
class MetsFile:
    """One file of the package. ``id``: its METS ID (an NCName); ``href``: its path relative
    to the METS file, "/"-separated; ``use``: the fileGrp (master, text, source); ``size``
    in bytes; ``sha256`` hex."""

    id: str
    href: str
    mimetype: str
    use: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Area:
    """One ALTO block of an article: the ALTO file's METS ID and the block's ALTO ID."""

    file_id: str
    block: str


@dataclass(frozen=True)
class Division:
    """A logical division: an article (or briefs, banner, box, masthead, running_head) with
    its ALTO blocks in reading order across pages. ``pages``: the physical page orders it
    appears on. Articles carry MODS (``head`` …); furniture has none (``described`` False)."""

    type: str
    label: str
    areas: tuple[Area, ...]
    pages: tuple[int, ...]
    kicker: str = ""
    head: str = ""
    subhead: str = ""
    byline: str = ""
    section: str = ""
    printed_pages: tuple[int, ...] = ()
    described: bool = True


@dataclass(frozen=True)
class PhysicalPage:
    """A page in physical order: ``order`` 1…n, ``number`` the printed 第N版, its section
    (版名) and the METS ID of its ALTO file."""

    order: int
    number: int
    section: str
    alto_id: str


@dataclass(frozen=True)
class IssueRecord:
    """What the METS says about the issue (MODS) and who made the package."""

    paper: str
    title: str
    date: dt.date
    number: int
    created: dt.datetime
    agent: str
    agent_note: str
    running_number: int | None = None
    edition: str = ""
    publisher: str = ""
    cn: str = ""
    modified: dt.datetime | None = None
    objid: str = ""


_ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_ESC_RE = re.compile("[&<>\"\t\n\r]")


def _esc(text: str) -> str:
    return _ESC_RE.sub(lambda m: _ESC[m.group(0)], str(text))


def _tag(name: str, attrs: list[tuple[str, object]], close: bool = False) -> str:
    inner = "".join(f' {k}="{_esc(v)}"' for k, v in attrs if v is not None and v != "")
    return f"<{name}{inner}{'/' if close else ''}>"


def _el(name: str, text: object, attrs: list[tuple[str, object]] | None = None) -> str:
    return f"{_tag(name, attrs or [])}{_esc(text)}</{name}>"


def _when(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _issue_mods(rec: IssueRecord, pages: int) -> list[str]:
    out = ["<mods:mods>",
           f"  <mods:titleInfo>{_el('mods:title', rec.paper)}</mods:titleInfo>",
           "  " + _el("mods:typeOfResource", "text"),
           "  " + _el("mods:genre", "newspaper", [("authority", "marcgt")]),
           "  <mods:originInfo>"]
    if rec.publisher:
        out.append("    " + _el("mods:publisher", rec.publisher))
    out.append("    " + _el("mods:dateIssued", rec.date.isoformat(), [("encoding", "w3cdtf"), ("keyDate", "yes")]))
    if rec.edition:
        out.append("    " + _el("mods:edition", rec.edition))
    out += ["  </mods:originInfo>",
            "  <mods:language>" + _el("mods:languageTerm", "chi", [("type", "code"), ("authority", "iso639-2b")])
            + "</mods:language>"]
    if rec.cn:
        out.append("  " + _el("mods:identifier", rec.cn, [("type", "CN")]))
    out.append("  <mods:part>")
    out.append(f"    <mods:detail type=\"issue\">{_el('mods:number', rec.number)}{_el('mods:caption', f'第{rec.number}期')}</mods:detail>")
    if rec.running_number is not None:
        out.append(f"    <mods:detail type=\"running\">{_el('mods:number', rec.running_number)}"
                   f"{_el('mods:caption', f'总第{rec.running_number}期')}</mods:detail>")
    out.append(f"    <mods:extent unit=\"pages\">{_el('mods:total', pages)}</mods:extent>")
    out += ["  </mods:part>", "</mods:mods>"]
    return out


def _article_mods(div: Division) -> list[str]:
    title = [_el("mods:title", div.head or div.label)]
    subtitles = [s for s in (div.kicker, div.subhead) if s]
    title += [_el("mods:subTitle", s) for s in subtitles]
    out = ["<mods:mods>", f"  <mods:titleInfo>{''.join(title)}</mods:titleInfo>",
           "  " + _el("mods:genre", div.type)]
    if div.byline:
        out.append("  " + _el("mods:note", div.byline, [("type", "statement of responsibility")]))
    out.append("  <mods:part>")
    if div.section:
        out.append(f"    <mods:detail type=\"section\">{_el('mods:title', div.section)}</mods:detail>")
    if div.printed_pages:
        out.append(f"    <mods:extent unit=\"pages\">{_el('mods:start', div.printed_pages[0])}"
                   f"{_el('mods:end', div.printed_pages[-1])}</mods:extent>")
    out += ["  </mods:part>", "</mods:mods>"]
    return out


def _dmd(dmd_id: str, mods: list[str]) -> list[str]:
    return ([_tag("mets:dmdSec", [("ID", dmd_id)]), '  <mets:mdWrap MDTYPE="MODS">', "    <mets:xmlData>"]
            + ["      " + line for line in mods]
            + ["    </mets:xmlData>", "  </mets:mdWrap>", "</mets:dmdSec>"])


def issue_mets(rec: IssueRecord, files: tuple[MetsFile, ...], pages: tuple[PhysicalPage, ...],
               divisions: tuple[Division, ...], master_id: str) -> bytes:
    """The issue's METS document (UTF-8 bytes). ``master_id``: the METS ID of the press PDF
    among ``files``; every ``Area.file_id`` and ``PhysicalPage.alto_id`` must be one of them."""
    ids = {f.id for f in files}
    missing = sorted({a.file_id for d in divisions for a in d.areas} - ids | {p.alto_id for p in pages} - ids
                     | ({master_id} - ids))
    if missing:
        raise ValueError(f"METS: files referenced but not in the package: {', '.join(missing)}")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           _tag("mets:mets", [("xmlns:mets", NS_METS), ("xmlns:mods", NS_MODS), ("xmlns:xlink", NS_XLINK),
                              ("xmlns:xsi", NS_XSI), ("xsi:schemaLocation", SCHEMAS), ("OBJID", rec.objid),
                              ("LABEL", rec.title), ("TYPE", "Newspaper issue")])]
    out.append("  " + _tag("mets:metsHdr", [("CREATEDATE", _when(rec.created)),
                                             ("LASTMODDATE", _when(rec.modified) if rec.modified else None)]))
    out.append('    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">')
    out.append("      " + _el("mets:name", rec.agent))
    if rec.agent_note:
        out.append("      " + _el("mets:note", rec.agent_note))
    out += ["    </mets:agent>", "  </mets:metsHdr>"]
    out += ["  " + line for line in _dmd("DMD_ISSUE", _issue_mods(rec, len(pages)))]
    articles = [(i, d) for i, d in enumerate(divisions, start=1) if d.described]
    for i, d in articles:
        out += ["  " + line for line in _dmd(f"DMD_ART_{i}", _article_mods(d))]
    # files
    out.append("  <mets:fileSec>")
    for use in dict.fromkeys(f.use for f in files):
        out.append("    " + _tag("mets:fileGrp", [("USE", use)]))
        for f in (f for f in files if f.use == use):
            out.append("      " + _tag("mets:file", [("ID", f.id), ("MIMETYPE", f.mimetype), ("SIZE", f.size),
                                                      ("CHECKSUM", f.sha256), ("CHECKSUMTYPE", "SHA-256")]))
            out.append("        " + _tag("mets:FLocat", [("LOCTYPE", "URL"), ("xlink:href", f.href)], close=True))
            out.append("      </mets:file>")
        out.append("    </mets:fileGrp>")
    out.append("  </mets:fileSec>")
    # physical structure
    out.append('  <mets:structMap TYPE="PHYSICAL">')
    out.append("    " + _tag("mets:div", [("ID", "PHYS_ISSUE"), ("TYPE", "physSequence"), ("LABEL", rec.title),
                                           ("DMDID", "DMD_ISSUE")]))
    out.append("      " + _tag("mets:fptr", [("FILEID", master_id)], close=True))
    for f in files:
        if f.use == "access":  # the PDF/A access copy: the whole issue too
            out.append("      " + _tag("mets:fptr", [("FILEID", f.id)], close=True))
    for p in pages:
        out.append("      " + _tag("mets:div", [("ID", f"PHYS_{p.order}"), ("TYPE", "page"), ("ORDER", p.order),
                                                 ("ORDERLABEL", p.number),
                                                 ("LABEL", f"第{p.number}版 {p.section}".strip())]))
        out.append("        " + _tag("mets:fptr", [("FILEID", p.alto_id)], close=True))
        out.append("      </mets:div>")
    out += ["    </mets:div>", "  </mets:structMap>"]
    # logical structure
    out.append('  <mets:structMap TYPE="LOGICAL">')
    out.append("    " + _tag("mets:div", [("ID", "LOG_ISSUE"), ("TYPE", "issue"), ("LABEL", rec.title),
                                           ("DMDID", "DMD_ISSUE")]))
    for i, d in enumerate(divisions, start=1):
        out.append("      " + _tag("mets:div", [("ID", f"LOG_{i}"), ("TYPE", d.type), ("LABEL", d.label),
                                                 ("DMDID", f"DMD_ART_{i}" if d.described else None)]))
        if d.areas:
            out.append("        <mets:fptr>")
            out.append("          <mets:seq>")
            for a in d.areas:
                out.append("            " + _tag("mets:area", [("FILEID", a.file_id), ("BEGIN", a.block),
                                                                ("BETYPE", "IDREF")], close=True))
            out += ["          </mets:seq>", "        </mets:fptr>"]
        out.append("      </mets:div>")
    out += ["    </mets:div>", "  </mets:structMap>"]
    links = [(i, order) for i, d in enumerate(divisions, start=1) for order in d.pages]
    if links:
        out.append("  <mets:structLink>")
        out.append("    " + _tag("mets:smLink", [("xlink:from", "LOG_ISSUE"), ("xlink:to", "PHYS_ISSUE")], close=True))
        out += ["    " + _tag("mets:smLink", [("xlink:from", f"LOG_{i}"), ("xlink:to", f"PHYS_{order}")], close=True)
                for i, order in links]
        out.append("  </mets:structLink>")
    out.append("</mets:mets>")
    return ("\n".join(out) + "\n").encode("utf-8")
