"""The PDF/A-2b access copy (issue 12 part 3): `build --pdfa FILE`, in the package as
access/DATE-NNN.pdf, `batch --pdfa`. No PDF/A validator is reachable from this project's
package registries (veraPDF is a Java application), so each clause paperlayout.pdfa
implements is checked here on the file itself (ISO 19005-2:2011 clause numbers)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
from pathlib import Path

import bagit
import pikepdf
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from lxml import etree
from pikepdf import Name

from paperlayout.cli import main
from paperlayout.pdfa import PdfaError, to_pdfa, xmp_date

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {"x": "adobe:ns:meta/", "rdf": RDF, "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
#: XMP schemas PDF/A-2 predefines (6.6.2.3.2, XMP 2004): others would need an extension schema.
PREDEFINED = {"adobe:ns:meta/", RDF, "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/",
              "http://ns.adobe.com/pdf/1.3/", "http://ns.adobe.com/xap/1.0/mm/", "http://www.aiim.org/pdfa/ns/id/",
              "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/photoshop/1.0/",
              "http://www.w3.org/XML/1998/namespace"}


def _golden():
    spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts" / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["x1a", "x4"])
def pair(request):
    """(press, access) bytes of the sample in both PDF/X flavours."""
    press = _golden().sample_pdf(request.param)
    return press, to_pdfa(press)


def test_same_press_same_access_bytes(pair):
    press, access = pair
    assert to_pdfa(press) == access


def test_header_trailer_id_no_encryption(pair):
    """6.1.2 header %PDF-1.n and a comment of four bytes over 127; 6.1.3 /ID, no /Encrypt."""
    _, access = pair
    first, second = access.split(b"\n")[:2]
    assert first == b"%PDF-1.7"
    assert second.startswith(b"%") and len(second) >= 5 and all(b > 127 for b in second[1:5])
    with pikepdf.open(io.BytesIO(access)) as pdf:
        ids = [bytes(x) for x in pdf.trailer.ID]
        assert len(ids) == 2 and all(len(x) == 16 for x in ids)
        assert Name.Encrypt not in pdf.trailer and not pdf.is_encrypted


def _xmp(pdf) -> tuple[bytes, etree._Element]:
    meta = pdf.Root.Metadata
    assert Name.Filter not in meta and meta.Type == Name.Metadata and meta.Subtype == Name.XML  # 6.6.2.1
    raw = meta.read_raw_bytes()
    return raw, etree.fromstring(raw)


def test_xmp_identifies_pdfa_2b_with_predefined_schemas_only(pair):
    """6.6.2.1 packet header without bytes/encoding; 6.6.4 pdfaid part 2, conformance B;
    6.6.2.3.2 only predefined schemas (no PDF/X leftovers)."""
    _, access = pair
    with pikepdf.open(io.BytesIO(access)) as pdf:
        raw, root = _xmp(pdf)
    header = raw.split(b"?>", 1)[0]
    assert header.startswith(b"<?xpacket begin=") and b"bytes=" not in header and b"encoding=" not in header
    assert root.findtext(".//pdfaid:part", namespaces=NS) == "2"
    assert root.findtext(".//pdfaid:conformance", namespaces=NS) == "B"
    used = {el.tag.split("}")[0][1:] for el in root.iter() if el.tag.startswith("{")}
    used |= {a.split("}")[0][1:] for el in root.iter() for a in el.attrib if a.startswith("{")}
    assert used <= PREDEFINED, used - PREDEFINED
    assert b"pdfx" not in raw and b"GTS_PDFX" not in raw


def _date(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_info_and_xmp_agree_and_pdfx_keys_gone(pair):
    """6.6.2.3.1: every Info entry with an XMP analogue is equal to it; the PDF/X Info keys
    (GTS_PDFXVersion, GTS_PDFXConformance, Trapped) are not carried over."""
    press, access = pair
    with pikepdf.open(io.BytesIO(press)) as src:
        press_info = {k: str(v) for k, v in src.docinfo.items()}
    with pikepdf.open(io.BytesIO(access)) as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
        _, root = _xmp(pdf)
    assert "/GTS_PDFXVersion" in press_info and "/Trapped" in press_info
    assert info == {k: v for k, v in press_info.items() if k not in ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped")}
    assert root.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=NS) == info["/Title"]
    assert root.find(".//dc:title/rdf:Alt/rdf:li", namespaces=NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"
    assert root.findtext(".//dc:creator/rdf:Seq/rdf:li", namespaces=NS) == info["/Author"]
    assert root.findtext(".//dc:description/rdf:Alt/rdf:li", namespaces=NS) == info["/Subject"]
    assert root.findtext(".//xmp:CreatorTool", namespaces=NS) == info["/Creator"]
    assert root.findtext(".//pdf:Producer", namespaces=NS) == info["/Producer"]
    assert info["/CreationDate"] == "D:20230317050000+08'00'"
    assert root.findtext(".//xmp:CreateDate", namespaces=NS) == "2023-03-17T05:00:00+08:00"
    assert _date(root.findtext(".//xmp:ModifyDate", namespaces=NS)) == dt.datetime(2023, 3, 17, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}", root.findtext(".//xmpMM:DocumentID", namespaces=NS))


def test_output_intent_is_the_press_profile_as_gts_pdfa1(pair):
    """6.2.3: one output intent, S /GTS_PDFA1, its DestOutputProfile the press file's CMYK
    output ('prtr') profile — the same bytes."""
    press, access = pair
    with pikepdf.open(io.BytesIO(press)) as src:
        (press_intent,) = src.Root.OutputIntents
        assert press_intent.S == Name.GTS_PDFX
        profile = press_intent.DestOutputProfile.read_bytes()
    with pikepdf.open(io.BytesIO(access)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == Name.GTS_PDFA1 and intent.Type == Name.OutputIntent
        icc = intent.DestOutputProfile.read_bytes()
        assert int(intent.DestOutputProfile.N) == 4
        assert str(intent.OutputConditionIdentifier) == str(press_intent.OutputConditionIdentifier)
    assert icc == profile and icc[12:16] == b"prtr" and icc[16:20] == b"CMYK" and icc[8] < 5


def _fonts(resources, seen):
    for font in resources.get("/Font", {}).values():
        yield font
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources", pikepdf.Dictionary()), seen)


def test_fonts_embedded_and_symbolic_truetype_rules(pair):
    """6.2.11.4.1 every font used embedded; 6.2.11.6 a symbolic TrueType font has no /Encoding
    and its program's cmap exactly one subtable."""
    _, access = pair
    with pikepdf.open(io.BytesIO(access)) as pdf:
        fonts = [f for page in pdf.pages for f in _fonts(page.Resources, set())]
        assert len(fonts) >= 5
        for font in fonts:
            descriptor = font.FontDescriptor
            program = descriptor.get("/FontFile2")
            assert program is not None, font.BaseFont
            if font.Subtype == "/TrueType" and int(descriptor.Flags) & 4:
                assert "/Encoding" not in font
                assert len(TTFont(io.BytesIO(program.read_bytes()))["cmap"].tables) == 1


def test_pages_are_the_press_pages_cropped_to_the_trim(pair):
    """The same content streams, images not interpolated (6.2.8), no annotations; CropBox =
    TrimBox so a reader sees the printed page."""
    press, access = pair
    with pikepdf.open(io.BytesIO(press)) as src, pikepdf.open(io.BytesIO(access)) as pdf:
        assert len(src.pages) == len(pdf.pages)
        for a, b in zip(src.pages, pdf.pages):
            assert a.Contents.read_bytes() == b.Contents.read_bytes()
            assert list(b.CropBox) == list(b.TrimBox) == list(a.TrimBox)
            assert "/Annots" not in b
            for image in b.Resources.get("/XObject", {}).values():
                assert not bool(image.get("/Interpolate", False))


def test_unembedded_font_is_refused():
    """A page using Helvetica without its program cannot become PDF/A (6.2.11.4.1)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page = pdf.add_blank_page()
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 72 Td (x) Tj ET")
    buffer = io.BytesIO()
    pdf.save(buffer)
    with pytest.raises(PdfaError) as caught:
        to_pdfa(buffer.getvalue())
    assert "font /Helvetica is not embedded (6.2.11.4.1)" in str(caught.value)
    assert "no output intent" in str(caught.value)


def test_xmp_date():
    assert xmp_date("D:20230317050000+08'00'") == "2023-03-17T05:00:00+08:00"
    assert xmp_date("D:20231114221320Z") == "2023-11-14T22:13:20Z"
    with pytest.raises(ValueError):
        xmp_date("yesterday")


# --- the CLI: build --pdfa, the package, batch --------------------------------------------------


def test_build_pdfa_and_package(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out / "x.pdf"), "--no-verify", "--no-preflight",
                                       "--pdfa", str(out / "x-access.pdf"), "--package", str(out / "bag")])
    assert result.exit_code == 0, result.output
    assert "PDF/A-2b access copy" in result.output
    access = (out / "x-access.pdf").read_bytes()
    assert access == to_pdfa((out / "x.pdf").read_bytes())
    bag = out / "bag"
    bagit.Bag(str(bag)).validate()
    assert (bag / "data" / "access" / "2023-03-17-021.pdf").read_bytes() == access
    mets = etree.parse(str(bag / "data" / "mets.xml"))
    ns = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"}
    (group,) = mets.findall(".//mets:fileGrp[@USE='access']", ns)
    (file,) = group.findall("mets:file", ns)
    assert file.get("ID") == "PDF_ACCESS" and file.get("MIMETYPE") == "application/pdf"
    assert file.find("mets:FLocat", ns).get("{http://www.w3.org/1999/xlink}href") == "access/2023-03-17-021.pdf"
    issue_div = mets.find(".//mets:structMap[@TYPE='PHYSICAL']/mets:div", ns)
    assert [f.get("FILEID") for f in issue_div.findall("mets:fptr", ns)] == ["PDF_PRESS", "PDF_ACCESS"]


def test_pdfa_path_same_as_output_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(tmp_path / "x.pdf"), "--pdfa", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "--pdfa" in result.output and "same file as -o" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_batch_pdfa_written_packaged_and_resumed(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    import shutil

    shutil.copytree(SAMPLE, tree / "dalate")
    run = lambda: CliRunner().invoke(main, ["batch", str(tree), "-o", str(tmp_path / "out"), "--pdfa", "--package",
                                            "--no-progress"])
    first = run()
    assert first.exit_code == 0, first.output
    access = (tmp_path / "out" / "dalate.access.pdf").read_bytes()
    assert access == to_pdfa((tmp_path / "out" / "dalate.pdf").read_bytes())
    assert (tmp_path / "out" / "dalate.bag" / "data" / "access" / "2023-03-17-021.pdf").read_bytes() == access
    again = run()
    assert "built           0" in again.output and "skipped         1" in again.output, again.output
    (tmp_path / "out" / "dalate.access.pdf").write_bytes(b"changed")
    third = run()
    assert "built           1" in third.output, third.output
    assert (tmp_path / "out" / "dalate.access.pdf").read_bytes() == access
