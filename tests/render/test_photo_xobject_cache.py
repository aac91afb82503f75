"""issue 11: a rebuild draws each photo from its cached ``xobject`` entry (render/photocache.py)
— the JPEG or lossless pixels and the name reportlab gives the XObject — without decoding,
converting or hashing the photo again, and with the figures a conversion reports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.utils import ImageReader, _digester

from paperlayout import cache
from paperlayout.render import photocache

PHOTO = Path(__file__).resolve().parents[2] / "issues" / "dalate" / "photos" / "books-to-countryside.jpg"


def _draw(store, mode="cmyk"):
    return photocache.drawable(PHOTO, 120.0, 90.0, mode=mode, output_profile=None, target_ppi=200.0,
                               ink_limit=240.0, store=store, jpeg_quality=90)


@pytest.mark.parametrize("mode", ["cmyk", "gray"])
def test_a_drawn_photo_comes_back_from_the_cache_without_converting(tmp_path, monkeypatch, mode):
    store = cache.Store(tmp_path)
    made = _draw(store, mode)
    assert made.kind == "jpeg" and made.data[:2] == b"\xff\xd8"
    # the name reportlab's drawImage computes: MD5 of the decoded pixels and str(mask)
    assert made.name == _digester(ImageReader(io.BytesIO(made.data)).getRGBData() + b"None")
    assert len(list((tmp_path / "xobject").glob("*/*"))) == 1

    def no_conversion(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(photocache, "prepare", no_conversion)
    assert _draw(store, mode) == made
    assert _draw(cache.Store(tmp_path), mode).ppi == pytest.approx(made.ppi)


def test_an_unreadable_entry_is_a_miss(tmp_path):
    store = cache.Store(tmp_path)
    made = _draw(store)
    (entry,) = (tmp_path / "xobject").glob("*/*")
    entry.write_bytes(b"not a record")
    assert _draw(store) == made
    assert entry.read_bytes() != b"not a record"


def test_without_a_store_the_same_photo_is_made(tmp_path):
    assert _draw(None) == _draw(cache.Store(tmp_path))
