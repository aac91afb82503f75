"""issue 11: optimisations of the renderer must not change what it draws. The sample's page
content stream (decoded; every text, rule and photo operator) is pinned by its SHA-256, taken
from the build before the renderer wrote text operators itself (render/pdfops.py). A change
to the layout or to the drawing shows here first; if it is intended, say why in the commit and
update the digest."""

from __future__ import annotations

import hashlib

import pikepdf

#: SHA-256 of page 1's decoded content stream of `paperlayout build issues/dalate` (143,057 bytes).
SAMPLE_PAGE_1 = "7c6a1fb9b981e0b903a59647f43f65eba58d49f96e9c97c24a2feecbcb7772fe"


def test_the_sample_page_draws_the_pinned_operators(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        assert len(pdf.pages) == 1
        contents = pdf.pages[0].obj.Contents
        data = contents.read_bytes()
    assert len(data) == 143_057
    assert hashlib.sha256(data).hexdigest() == SAMPLE_PAGE_1
