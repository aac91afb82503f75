"""issue 10: font subset tags come from the subset's content (PDF 1.3 §5.5.3: different
subsets must have different tags) — reportlab tagged every document's first subset AAAAAA+."""

from __future__ import annotations

import io
import re

import pikepdf
from render_helpers import compose_lines, finalised, page_of


def _subset_names(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as doc:
        names = []
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                base = str(obj.BaseFont)[1:]
                assert str(obj.FontDescriptor.FontName)[1:] == base
                names.append(base)
    return names


def _pdf(fonts, text: str) -> bytes:
    return finalised([page_of(compose_lines(fonts, [(text, "serif")], 40))], fonts)


def test_different_documents_tag_their_different_subsets_differently(fonts):
    one, other = _pdf(fonts, "春风送岗位"), _pdf(fonts, "乡村振兴产业为先")
    (a,), (b,) = _subset_names(one), _subset_names(other)
    assert re.fullmatch(r"[A-Z]{6}\+NotoSerifCJKsc-Regular", a)
    assert re.fullmatch(r"[A-Z]{6}\+NotoSerifCJKsc-Regular", b)
    assert a[:6] != b[:6]
    assert "AAAAAA" not in (a[:6], b[:6])


def test_the_same_input_gives_the_same_tags_and_bytes(fonts):
    assert _pdf(fonts, "春风送岗位") == _pdf(fonts, "春风送岗位")


def test_the_subsets_of_one_font_in_one_document_have_different_tags(fonts):
    # 300 distinct characters: reportlab splits the font into two subsets of ≤ 256 codes
    text = "".join(chr(0x4E00 + 3 * k) for k in range(300))
    names = _subset_names(_pdf(fonts, text))
    assert len(names) == 2
    assert len({name[:6] for name in names}) == 2
