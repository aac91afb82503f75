"""render/pdfx: the deflated streams recalled from the cache (namespace "deflate") give the
same bytes as qpdf deflating every stream itself — with the cache off, cold and warm, for
X-1a (reportlab's streams unfiltered) and X-4 (reportlab's streams deflated)."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
from press_helpers import PageSpec, build_pdf, meta

from paperlayout.render import pdfx
from paperlayout.render.pdfx import finalize


def _qpdf_alone(raw: bytes, standard: str, monkeypatch) -> bytes:
    """The file as finalize made it before the cache: qpdf inflates and deflates every stream."""
    monkeypatch.setattr(pdfx, "_recall_deflated", lambda pdf, store, recalled: None)
    try:
        return finalize(raw, meta(standard=standard))
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("standard", ["x1a", "x4"])
def test_cold_warm_and_off_give_qpdfs_own_bytes(standard, tmp_path, monkeypatch):
    raw = build_pdf(PageSpec())
    expected = _qpdf_alone(raw, standard, monkeypatch)
    monkeypatch.setenv("PAPERLAYOUT_CACHE", "off")
    assert finalize(raw, meta(standard=standard)) == expected
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "c"))
    assert finalize(raw, meta(standard=standard)) == expected  # cold: qpdf deflates, the cache learns
    stored = list((tmp_path / "c" / "deflate").glob("*/*"))
    assert stored, "the output profile (long stream) is kept deflated"
    assert finalize(raw, meta(standard=standard)) == expected  # warm: recalled


def test_a_recalled_stream_is_really_used(tmp_path, monkeypatch):
    """A warm build puts the cached bytes in the file as they are (planted entries show)."""
    import zlib

    raw = build_pdf(PageSpec())
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "c"))
    finalize(raw, meta())
    entries = list((tmp_path / "c" / "deflate").glob("*/*"))
    assert len(entries) == 2  # the output profile and the embedded font: the long streams
    for entry in entries:  # same content, other deflate bytes
        entry.write_bytes(zlib.compress(zlib.decompress(entry.read_bytes()), 1))
    again = finalize(raw, meta())
    with pikepdf.open(io.BytesIO(again)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        profile = intent.DestOutputProfile
        assert profile.read_raw_bytes() == zlib.compress(profile.read_bytes(), 1)


def test_id_is_qpdfs_deterministic_id():
    """_with_id recomputes the /ID qpdf wrote (MD5 of the file up to "/ID [" and the Info)."""
    data = finalize(build_pdf(PageSpec()), meta())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        seed = pdfx._info_seed(pdf)
    assert pdfx._with_id(data, seed) == data
    changed = data.replace(b"%PDF-1.3", b"%PDF-1.3", 1)[:20] + b"x" + data[21:]
    assert pdfx._with_id(changed, seed) != changed
    assert hashlib.md5(data).hexdigest() != hashlib.md5(changed).hexdigest()
