"""The archive package (档案封装包) of one issue: a BagIt bag an archive can ingest.

Layout (every path "/"-separated, relative to the bag folder)::

    bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
    data/mets.xml                the issue METS (paperlayout.mets), MODS inside
    data/pdf/press.pdf           the press PDF/X exactly as ``build -o`` writes it
    data/access/DATE-NNN.pdf     with ``--pdfa``: the PDF/A-2b access copy of it (pdfa.py)
    data/alto/page-01.xml …      one ALTO 4 file per laid-out page (render.alto)
    data/source/issue.yaml       the issue's YAML as read
    data/source/<relative path>  its photos and style sheet, at the same paths relative to
                                 the YAML (so the source folder rebuilds the issue); a file
                                 outside the issue folder goes to source/external/<name>

Checksums: SHA-256 of every payload file in the BagIt manifest and again in the METS
fileSec. bag-info.txt: Bagging-Date is the issue's creation date (the issue date, or
SOURCE_DATE_EPOCH) or the ``--mod-date`` of a rebuild — never the clock — so the same
input gives the same bag, byte for byte (file modification times aside). Written into a
temporary sibling folder, then renamed: a failed package leaves nothing half-made.

Only this module imports ``bagit`` (an edge: it writes files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .mets import Area, Division, IssueRecord, MetsFile, PhysicalPage, issue_mets

ALTO_NS = "{http://www.loc.gov/standards/alto/ns-v4#}"
PDF_NAME = "pdf/press.pdf"
#: Furniture ComposedBlock types (render.alto): described in the logical map, without MODS.
FURNITURE = ("masthead", "running_head")
_MIME = {".yaml": "application/yaml", ".yml": "application/yaml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".png": "image/png", ".tif": "image/tiff", ".tiff": "image/tiff", ".webp": "image/webp"}
_ID_SAFE = re.compile(r"[^A-Za-z0-9_.\-\u00b7\u3400-\u9fff]")  # as render.alto's story IDs


class PackageError(Exception):
    """The package cannot be written (the folder is taken, a source file is unreadable)."""


@dataclass(frozen=True)
class PackageSummary:
    """What was written: the bag folder, payload file count and bytes, articles described."""

    folder: Path
    files: int
    bytes: int
    articles: int


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _composed_blocks(alto: bytes) -> list[tuple[str, str, list[str]]]:
    """The PrintSpace's top-level ComposedBlocks of one ALTO page: (ID, TYPE, the IDs of its
    TextBlocks and Illustrations in reading order)."""
    root = ET.fromstring(alto)
    space = root.find(f"{ALTO_NS}Layout/{ALTO_NS}Page/{ALTO_NS}PrintSpace")
    out = []
    for block in space if space is not None else ():
        if block.tag != f"{ALTO_NS}ComposedBlock":
            continue
        children = [c.get("ID") for c in block.iter() if c.tag in (f"{ALTO_NS}TextBlock", f"{ALTO_NS}Illustration")]
        out.append((block.get("ID"), block.get("TYPE", ""), children))
    return out


def _match(page: int, story_id: str, blocks: list[tuple[str, str, list[str]]], used: set[str]):
    """The first unused ComposedBlock named for ``story_id`` on ``page`` (P1_lead, P1_lead_2)."""
    base = f"P{page}_{_ID_SAFE.sub('_', story_id) or 'story'}"
    for bid, _type, children in blocks:
        if bid in used:
            continue
        if bid == base or (bid.startswith(base + "_") and bid[len(base) + 1:].isdigit()):
            used.add(bid)
            return bid, children
    return None


def _divisions(laid, altos: list[tuple[int, bytes]]) -> tuple[tuple[PhysicalPage, ...], tuple[Division, ...]]:
    """Physical pages and logical divisions (furniture, then articles in reading order; a
    jumped story's parts joined under its first part)."""
    sections = {p.number: p.section for p in laid.issue.pages}
    results = {r.number: r for r in laid.pages}
    pages: list[PhysicalPage] = []
    divisions: list[dict] = []
    by_story: dict[str, dict] = {}
    for order, (number, xml) in enumerate(altos, start=1):
        file_id = f"ALTO_{number:02d}"
        pages.append(PhysicalPage(order, number, sections.get(number, ""), file_id))
        blocks = _composed_blocks(xml)
        used: set[str] = set()
        for bid, kind, children in blocks:
            if kind in FURNITURE:
                used.add(bid)
                label = "报头" if kind == "masthead" else "眉头"
                divisions.append({"type": kind, "label": f"{label} 第{number}版", "areas": [Area(file_id, bid)],
                                  "pages": [order], "printed": [number], "described": False, "story": None})
        for story in results[number].stories:
            found = _match(number, story.id, blocks, used)
            if found is None:
                continue  # a story with nothing drawn on this page
            _bid, children = found
            owner = story.part_of or story.id
            entry = by_story.get(owner)
            if entry is None:
                kind = getattr(story.kind, "value", str(story.kind))
                entry = {"type": kind, "label": story.head or story.text or story.id, "areas": [], "pages": [],
                         "printed": [], "described": True, "story": story}
                by_story[owner] = entry
                divisions.append(entry)
            entry["areas"] += [Area(file_id, c) for c in children]
            if order not in entry["pages"]:
                entry["pages"].append(order)
                entry["printed"].append(number)
    out = []
    for d in divisions:
        s = d["story"]
        first = d["printed"][0] if d["printed"] else None
        out.append(Division(type=d["type"], label=d["label"], areas=tuple(d["areas"]), pages=tuple(d["pages"]),
                            kicker=getattr(s, "kicker", ""), head=getattr(s, "head", "") or d["label"],
                            subhead=getattr(s, "subhead", ""), byline=getattr(s, "byline", ""),
                            section=sections.get(first, "") if s is not None else "",
                            printed_pages=tuple(d["printed"]), described=d["described"]))
    return tuple(pages), tuple(out)


def _sources(issue) -> list[tuple[str, Path]]:
    """(path inside source/, file) for the YAML, the style sheet and every photo that exists."""
    home = Path(issue.source).resolve().parent
    files: list[Path] = [Path(issue.source)]
    if issue.style is not None:
        files.append(Path(issue.style))
    for page in issue.pages:
        for story in page.stories:
            files += [Path(p.path) for p in story.photos]
    for story in getattr(issue, "fillers", ()):
        files += [Path(p.path) for p in story.photos]
    out: dict[str, Path] = {}
    for f in files:
        if not f.is_file():
            continue  # a placeholder photo (no file): nothing to keep
        real = f.resolve()
        try:
            rel = real.relative_to(home).as_posix()
        except ValueError:
            try:
                rel = f.absolute().relative_to(home).as_posix()  # a symlinked folder inside the issue
            except ValueError:
                rel = f"external/{f.name}"
        if rel in out and out[rel].resolve() != real:  # two outside files of one name: keep both
            rel = f"external/{_sha256(real.read_bytes())[:12]}-{f.name}"
        out.setdefault(rel, f)
    return sorted(out.items())


def _fonts_note(laid) -> str:
    """The font files by name and SHA-256 (no paths)."""
    seen = {}
    for face in sorted(laid.fonts.faces):
        path = Path(str(laid.fonts.faces[face]).split("#", 1)[0])
        if path.name not in seen and path.is_file():
            seen[path.name] = _sha256(path.read_bytes())
    return "; ".join(f"{name} sha256:{digest}" for name, digest in sorted(seen.items()))


def access_name(issue) -> str:
    """The access copy's path in the bag's data/: ``access/2023-03-17-021.pdf`` (the issue's
    date and number: not the folder it was built from)."""
    return f"access/{issue.date.isoformat()}-{issue.number:03d}.pdf"


def build_payload(laid, pdf: bytes, *, mod_date: dt.datetime | None = None,
                  access: bytes | None = None) -> dict[str, bytes]:
    """The package's payload as {path under data/: bytes}, METS included. Pure but for
    reading the source files (YAML, photos, style sheet, fonts for their hashes).
    ``access``: the PDF/A-2b access copy (pdfa.py), kept as :func:`access_name`."""
    from .build import creation_date, title
    from .provenance import producer, source_revision
    from .render.alto import alto_pages

    issue = laid.issue
    altos = alto_pages(laid)
    payload: dict[str, bytes] = {PDF_NAME: pdf}
    if access is not None:
        payload[access_name(issue)] = access
    payload.update({f"alto/page-{n:02d}.xml": xml for n, xml in altos})
    for rel, path in _sources(issue):
        payload[f"source/{rel}"] = path.read_bytes()
    files = []
    for name, data in payload.items():
        suffix = Path(name).suffix.lower()
        if name == PDF_NAME:
            fid, use, mime = "PDF_PRESS", "master", "application/pdf"
        elif name.startswith("access/"):
            fid, use, mime = "PDF_ACCESS", "access", "application/pdf"
        elif name.startswith("alto/"):
            fid, use, mime = f"ALTO_{Path(name).stem[5:]}", "text", "application/alto+xml"
        else:
            fid, use, mime = f"SRC_{len(files) + 1}", "source", _MIME.get(suffix, "application/octet-stream")
        files.append(MetsFile(fid, name, mime, use, len(data), _sha256(data)))
    pages, divisions = _divisions(laid, altos)
    revision = source_revision()
    agent = producer(laid.styles.name, revision)
    rec = IssueRecord(paper=issue.paper.name, title=title(issue), date=issue.date, number=issue.number,
                      created=creation_date(issue), modified=mod_date, agent=agent, agent_note="fonts: " + _fonts_note(laid),
                      running_number=issue.running_number, edition=issue.edition, publisher=issue.paper.publisher,
                      cn=issue.paper.cn, objid=f"paperlayout:{issue.paper.name}:{issue.date.isoformat()}:{issue.number}")
    payload["mets.xml"] = issue_mets(rec, tuple(files), pages, divisions, "PDF_PRESS")
    return payload


def bag_info(laid, *, mod_date: dt.datetime | None = None) -> dict[str, str]:
    """bag-info.txt's fields: Bagging-Date from the issue (or the rebuild's mod date), never
    the clock; the software; what and whose the bag is."""
    import bagit

    from .build import creation_date, title

    issue = laid.issue
    info = {
        "Bagging-Date": (mod_date or creation_date(issue)).date().isoformat(),
        "Bag-Software-Agent": f"paperlayout {__version__} (bagit.py {bagit.VERSION})",
        "External-Description": f"{title(issue)}: press PDF, ALTO per page, METS, source",
        "External-Identifier": f"paperlayout:{issue.paper.name}:{issue.date.isoformat()}:{issue.number}",
    }
    if issue.paper.publisher:
        info["Source-Organization"] = issue.paper.publisher
    return info


def write_bag(payload: dict[str, bytes], info: dict[str, str], folder: Path, *, replace: bool = False) -> PackageSummary:
    """Write ``payload`` (paths under data/ → bytes) as a BagIt bag into ``folder``, which must
    not exist or be empty — unless ``replace`` (batch rebuilds): then an old bag there is
    swapped out after the new one is complete. Raises PackageError (folder taken) or OSError."""
    import bagit

    from .safeio import current_umask

    folder = Path(folder)
    if not replace and folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PackageError(f"--package {folder}: the folder exists and is not empty — give a new or empty folder")
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    old = None
    try:
        for name, data in payload.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        cwd = os.getcwd()
        try:
            bagit.make_bag(str(tmp), dict(info), processes=1, checksums=["sha256"])
        finally:
            os.chdir(cwd)  # make_bag changes directory; be sure we are back
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes 0700; follow the umask like other outputs
        if folder.is_dir() and any(folder.iterdir()):
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=parent))
            os.replace(folder, old / "bag")
        elif folder.exists():
            folder.rmdir()
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not folder.exists():
            os.replace(old / "bag", folder)  # put the old bag back
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    articles = payload["mets.xml"].count(b'<mets:dmdSec ID="DMD_ART_')
    return PackageSummary(folder, len(payload), sum(len(d) for d in payload.values()), articles)


def write_package(laid, pdf: bytes, folder: Path, *, mod_date: dt.datetime | None = None,
                  access: bytes | None = None) -> PackageSummary:
    """Write the BagIt bag of the issue into ``folder`` (must not exist, or be empty);
    ``access``: a PDF/A-2b access copy to keep in it. Raises PackageError (folder taken) or
    OSError (cannot write)."""
    return write_bag(build_payload(laid, pdf, mod_date=mod_date, access=access), bag_info(laid, mod_date=mod_date), folder)


def bag_files(folder: Path, root: Path) -> dict[str, str]:
    """Every file of a bag as {path relative to ``root``: sha256} (for batch resume)."""
    folder = Path(folder)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
