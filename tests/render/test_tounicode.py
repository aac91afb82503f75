"""issue 8 defect 2: characters beyond the BMP copy out exactly — the ToUnicode CMap maps
each code to UTF-16BE, a surrogate pair for the supplementary planes (render/pdfx.fix_fonts)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pikepdf
import pytest
from render_helpers import compose_lines, finalised, page_of, pdf_chars

from paperlayout.render.pdfx import to_unicode_cmap

#: 𠮷 (U+20BB7) and 𡈽 (U+2123D), CJK Extension B, only in the Kai fallback face.
COPY = "𠮷野家的老板姓𡈽。"


@pytest.fixture(scope="module")
def pdf(fonts):
    lines = compose_lines(fonts, [(COPY, "serif"), ("标题𠮷", "serif-black")], 20)
    assert [line.text for line in lines] == [COPY, "标题𠮷"]
    assert {g.face for g in lines[0].glyphs if ord(g.text) > 0xFFFF} == {"kai"}
    return finalised([page_of(lines)], fonts)


def test_supplementary_characters_are_written_as_surrogate_pairs(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        cmaps = [f.ToUnicode.read_bytes().decode("ascii") for f in doc.objects
                 if isinstance(f, pikepdf.Dictionary) and f.get("/Type") == "/Font"]
    entries = [dst for cmap in cmaps
               for dst in re.findall(r"<[0-9A-F]{2}> <([0-9A-F]+)>", cmap.split("endcodespacerange")[1])]
    assert "D842DFB7" in entries and "D844DE3D" in entries
    assert all(len(dst) in (4, 8) for dst in entries)  # UTF-16BE code units, nothing else
    assert all(cmap.count("beginbfchar") >= 1 for cmap in cmaps)


def test_pdfminer_reads_the_copy_back(pdf):
    text = "".join(c.get_text() for c in pdf_chars(pdf))
    assert text == COPY + "标题𠮷"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_the_copy_back(pdf, tmp_path):
    path = tmp_path / "supp.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    assert out.decode("utf-8").split() == [COPY, "标题𠮷"]


def test_cmap_blocks_hold_at_most_100_entries_and_skip_unused_codes():
    mapping = {0: 0, **{k: 0x4E00 + k for k in range(1, 151)}, 151: 0x20BB7}
    cmap = to_unicode_cmap(mapping).decode("ascii")
    assert re.findall(r"(\d+) beginbfchar", cmap) == ["100", "51"]
    assert "<00>" not in cmap.split("endcodespacerange")[1]
    assert "<97> <D842DFB7>" in cmap and "<01> <4E01>" in cmap
