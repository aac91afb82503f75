"""Archives: SOURCE_DATE_EPOCH changes the document dates and nothing that is printed."""

from __future__ import annotations

import io

import pikepdf


def build(laid, monkeypatch, epoch: str) -> bytes:
    from paperlayout.build import to_pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    data, _ = to_pdf(laid)
    return data


def test_epoch_changes_only_dates(sample_laid, monkeypatch):
    a = build(sample_laid, monkeypatch, "1678924800")  # 2023-03-16
    b = build(sample_laid, monkeypatch, "1700000000")
    assert a != b
    with pikepdf.open(io.BytesIO(a)) as pa, pikepdf.open(io.BytesIO(b)) as pb:
        assert str(pa.docinfo["/CreationDate"]).startswith("D:20230316")
        assert str(pb.docinfo["/CreationDate"]).startswith("D:20231114")
        for key in ("/Title", "/GTS_PDFXVersion", "/Trapped"):
            assert pa.docinfo[key] == pb.docinfo[key]
        assert len(pa.pages) == len(pb.pages)
        for p, q in zip(pa.pages, pb.pages):
            assert p.Contents.read_bytes() == q.Contents.read_bytes()
            assert list(p.MediaBox) == list(q.MediaBox) and list(p.TrimBox) == list(q.TrimBox)


def test_without_epoch_the_issue_date_is_used(sample_laid, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from paperlayout.build import to_pdf

    data, _ = to_pdf(sample_laid)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20230317")
