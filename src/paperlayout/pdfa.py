"""The access copy (利用本): a PDF/A-2b file (ISO 19005-2, level B) derived from the press PDF.

An archive keeps the press PDF/X as the master and gives readers an access copy in PDF/A,
the format archives accept for long-term keeping. The pages are the press file's, object for
object — the same content streams, embedded font subsets and CMYK photos; what changes is
the file's description (clause numbers are ISO 19005-2:2011's):

* 6.2.3 output intent: one ``/GTS_PDFA1`` intent whose DestOutputProfile is the press file's
  own CMYK output profile (an output, 'prtr', ICC profile — what 6.2.3 asks of it); the
  ``/GTS_PDFX`` intent goes, so the device colours (DeviceCMYK, DeviceGray, the marks'
  Separation) are characterised by one profile (6.2.4.3);
* 6.6.2 metadata: an XMP packet (uncompressed, no ``bytes``/``encoding`` in its header) with
  ``pdfaid:part`` 2 and ``pdfaid:conformance`` B, and the document information dictionary's
  Title, Author, Subject, Keywords, Creator, Producer and dates repeated as dc:title,
  dc:creator, dc:description, pdf:Keywords, xmp:CreatorTool, pdf:Producer,
  xmp:CreateDate/ModifyDate (6.6.2.3.1); only predefined schemas (no extension schema
  needed); the press file's PDF/X keys (Info GTS_PDFXVersion, GTS_PDFXConformance,
  Trapped; XMP pdfxid) are removed;
* 6.1.3 file trailer: ``/ID`` present (qpdf's hash of the content: deterministic), no
  ``/Encrypt``; header ``%PDF-1.7`` with the binary comment line (6.1.2);
* each page's CropBox is its TrimBox, so a viewer shows the page as printed (the bleed and
  the marks stay in the file);
* refused (:class:`PdfaError`) rather than repaired — none occurs in paperlayout's press
  files: a font without an embedded program (6.2.11.4.1), an image with Interpolate true
  (6.2.8), annotations, actions or JavaScript, embedded files (6.8), encryption; a
  symbolic TrueType font with an /Encoding (6.2.11.6).

Not done here: a full PDF/A validation (veraPDF is a Java application outside the package
registries this project uses); tests/archive/test_pdfa.py checks each clause above.

Same input → same bytes: the XMP IDs derive from the press file's bytes, nothing reads the
clock.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid

import pikepdf
from pikepdf import Array, Dictionary, Name

#: Info keys that belong to PDF/X (ISO 15930) and are left out of the access copy.
PDFX_INFO_KEYS = ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped")
#: Info key → the XMP property that repeats it (ISO 19005-2 6.6.2.3.1, table 3).
_INFO_XMP = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description", "/Keywords": "pdf:Keywords",
             "/Creator": "xmp:CreatorTool", "/Producer": "pdf:Producer", "/CreationDate": "xmp:CreateDate",
             "/ModDate": "xmp:ModifyDate"}
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'(\d{2})'?|Z)?$")


class PdfaError(ValueError):
    """The press PDF holds something a PDF/A-2b file may not; ``problems`` says what."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("cannot make a PDF/A-2b access copy: " + "; ".join(problems))



#: Document-info text keys and the XMP element each becomes (PDF/A-2 6.6.2.3.1: the XMP
#: equals the document information dictionary, key for key).
_XMP_TEXT = (
    ("/Title", '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:title>'),
    ("/Author", "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>"),
    ("/Subject", '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:description>'),
    ("/Keywords", "<pdf:Keywords>{}</pdf:Keywords>"),
    ("/Creator", "<xmp:CreatorTool>{}</xmp:CreatorTool>"),
    ("/Producer", "<pdf:Producer>{}</pdf:Producer>"),
)

def xmp_date(pdf_date: str) -> str:
    """``D:20230317050000+08'00'`` → ``2023-03-17T05:00:00+08:00`` (the same instant, the
    same zone; a date without a zone is written without one). ValueError if not a PDF date."""
    m = _PDF_DATE.match(pdf_date)
    if not m:
        raise ValueError(f"not a PDF date: {pdf_date!r}")
    y, mo, d, h, mi, s, sign, zh, zm = m.groups()
    zone = f"{sign}{zh}:{zm}" if sign else ("Z" if pdf_date.endswith("Z") else "")
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def problems(pdf: pikepdf.Pdf) -> list[str]:
    """What in ``pdf`` a PDF/A-2b file may not hold and to_pdfa does not repair."""
    out = []
    if pdf.is_encrypted:
        out.append("the file is encrypted")
    if Name.Names in pdf.Root and Name.EmbeddedFiles in pdf.Root.Names:
        out.append("the file has embedded files (6.8)")
    if Name.OpenAction in pdf.Root or Name.AA in pdf.Root:
        out.append("the file has document actions (6.5)")
    for number, page in enumerate(pdf.pages, start=1):
        if Name.Annots in page.obj and len(page.obj.Annots):
            out.append(f"page {number} has annotations")
    seen = set()
    for obj in pdf.objects:
        if not isinstance(obj, (Dictionary, pikepdf.Stream)) or obj.objgen in seen:
            continue
        seen.add(obj.objgen)
        kind = obj.get(Name.Type)
        if kind == Name.Font and obj.get(Name.Subtype) != Name.Type0:
            descriptor = obj.get(Name.FontDescriptor)
            name = str(obj.get(Name.BaseFont, "?"))
            if obj.get(Name.Subtype) == Name.Type3:
                continue  # glyphs are content streams: nothing to embed
            if descriptor is None or not any(k in descriptor for k in (Name.FontFile, Name.FontFile2, Name.FontFile3)):
                out.append(f"font {name} is not embedded (6.2.11.4.1)")
            elif obj.get(Name.Subtype) == Name.TrueType and int(descriptor.get(Name.Flags, 0)) & 4 and Name.Encoding in obj:
                out.append(f"symbolic TrueType font {name} has an /Encoding (6.2.11.6)")
        elif kind == Name.FontDescriptor or obj.get(Name.Subtype) == Name.CIDFontType2:
            continue
        if isinstance(obj, pikepdf.Stream) and obj.get(Name.Subtype) == Name.Image and bool(obj.get(Name.Interpolate, False)):
            out.append(f"an image has Interpolate true (6.2.8) (object {obj.objgen[0]})")
        if obj.get(Name.S) == Name.JavaScript:
            out.append("the file has JavaScript (6.6.1)")
    return out


def to_pdfa(press: bytes) -> bytes:
    """The PDF/A-2b access copy of ``press`` (a PDF/X-1a or X-4 file as paperlayout writes
    it). Raises PdfaError for what PDF/A-2b forbids (see the module's notes)."""
    with pikepdf.open(io.BytesIO(press)) as pdf:
        found = problems(pdf)
        intents = [oi for oi in pdf.Root.get(Name.OutputIntents, Array()) if Name.DestOutputProfile in oi]
        if not intents:
            found.append("the press file has no output intent with a profile (6.2.3)")
        if found:
            raise PdfaError(found)
        press_intent = intents[0]
        intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFA1,
                            DestOutputProfile=press_intent.DestOutputProfile)  # the same indirect profile
        for key in (Name.OutputConditionIdentifier, Name.RegistryName, Name.Info, Name.OutputCondition):
            if key in press_intent:
                intent[key] = press_intent[key]
        pdf.Root[Name.OutputIntents] = Array([pdf.make_indirect(intent)])
        info = Dictionary({k: v for k, v in pdf.docinfo.items() if k not in PDFX_INFO_KEYS})
        pdf.trailer[Name.Info] = pdf.make_indirect(info)
        _set_xmp(pdf, info, press)
        for page in pdf.pages:
            if Name.TrimBox in page.obj:
                page.obj[Name.CropBox] = Array(list(page.obj.TrimBox))
        if Name.ID in pdf.trailer:
            del pdf.trailer[Name.ID]  # made anew from the content
        out = io.BytesIO()
        pdf.save(out, force_version="1.7", fix_metadata_version=False, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 compress_streams=True, normalize_content=False, linearize=False, deterministic_id=True)
    return out.getvalue()


def _set_xmp(pdf: pikepdf.Pdf, info: Dictionary, press: bytes) -> None:
    """The XMP packet (6.6.2): the Info entries repeated, pdfaid part 2 / conformance B; the
    document ID kept from the press file's XMP when it has one (an X-4: the same document),
    else derived from the press bytes; the instance ID from the press bytes (a new rendition)."""
    digest = hashlib.sha256(b"pdfa-2b\0" + press).digest()
    document = None
    if Name.Metadata in pdf.Root:
        m = re.search(rb"<xmpMM:DocumentID>(uuid:[0-9a-f-]{36})</xmpMM:DocumentID>", pdf.Root.Metadata.read_bytes())
        document = m.group(1).decode() if m else None
    document = document or f"uuid:{uuid.UUID(bytes=hashlib.sha256(press).digest()[:16], version=4)}"
    instance = f"uuid:{uuid.UUID(bytes=digest[:16], version=4)}"
    value = {key: str(info[key]) for key in _INFO_XMP if key in info}
    lines = ["<dc:format>application/pdf</dc:format>"]
    lines += [template.format(_xml(value[key])) for key, template in _XMP_TEXT if key in value]
    if "/CreationDate" in value:
        lines.append(f"<xmp:CreateDate>{xmp_date(value['/CreationDate'])}</xmp:CreateDate>")
    if "/ModDate" in value:
        modified = xmp_date(value["/ModDate"])
        lines += [f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>", f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>"]
    lines += [f"<xmpMM:DocumentID>{document}</xmpMM:DocumentID>", f"<xmpMM:InstanceID>{instance}</xmpMM:InstanceID>",
              "<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    packet = "\n".join([
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about=""',
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"',
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
        *lines,
        "</rdf:Description>",
        "</rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="w"?>'])
    stream = pikepdf.Stream(pdf, packet.encode("utf-8"))
    stream[Name.Type] = Name.Metadata
    stream[Name.Subtype] = Name.XML
    pdf.Root[Name.Metadata] = pdf.make_indirect(stream)
