"""issue 11: optimisations of the renderer must not change what it draws. The sample's page
content stream (decoded; every text, rule and photo operator) is pinned by its SHA-256, taken
from the build before the renderer wrote text operators itself (render/pdfops.py). A change
to the layout or to the drawing shows here first; if it is intended, say why in the commit and
update the digest.

Unlike the whole-file golden of the locked environment (scripts/golden.py), this digest does
not depend on zlib, qpdf or Pillow: the photos' XObject names (MD5s of their decoded JPEG
pixels, so of libjpeg) are masked. It depends on the code, the committed fonts and reportlab,
whose operator syntax it is (hence the version guard)."""

from __future__ import annotations

import hashlib
import re

import pikepdf
import pytest
import reportlab

#: SHA-256 of page 1's decoded content stream of `paperlayout build issues/dalate`
#: (143,057 bytes), its five photo XObject names written /FormXob.*.
SAMPLE_PAGE_1 = "81f17b8015df98d1ec62ccc891d8e138081de0cd723e96ed01011b503c830ff1"


@pytest.mark.skipif(reportlab.Version != "5.1.0", reason="the digest is of reportlab 5.1.0's operator syntax")
def test_the_sample_page_draws_the_pinned_operators(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        assert len(pdf.pages) == 1
        data = pdf.pages[0].obj.Contents.read_bytes()
    assert len(data) == 143_057
    masked, photos = re.subn(rb"/FormXob\.[0-9a-f]{32}", b"/FormXob.*", data)
    assert photos == 5
    assert hashlib.sha256(masked).hexdigest() == SAMPLE_PAGE_1
