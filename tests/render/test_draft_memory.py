"""issue 11 (peak memory): the renderer keeps no page content or photo in memory once drawn —
each waits in a spill file (render/pdf._Spill) until reportlab writes it, and the draft is
written object by object into a file (render_into) — and the finaliser reads the draft from
that file and edits qpdf's output in place. None of it may change a byte: each test compares
with the way the draft and the PDF were made before (everything held, joined, copied)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from render_helpers import BLEED, HEIGHT, LEFT, TOP, WIDTH, compose_lines

from paperlayout import heap
from paperlayout.frames import BLACK, Cell, Cmyk, PageFrame, Picture, Rule, StoryFrame, TextLine
from paperlayout.render import pdf as render_pdf
from paperlayout.render import pdfx
from paperlayout.render.pdf import RenderOptions, render, render_into
from paperlayout.render.pdfx import PdfMeta, finalize

from test_text_operators import SAMPLE_PHOTOS

WHEN = dt.datetime(2025, 3, 1, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _pages(fonts) -> list[PageFrame]:
    """Three pages of text in two colours, rules, and photos (one placed on two pages)."""
    copy = (("达拉特旗今年新建高标准农田十二万亩，农牧民人均可支配收入同比增长百分之七点二。" * 4, "serif"),
            ("标题字——“重点”《报道》(a)\\b ABC 2025.", "sans-bold"))
    lines = compose_lines(fonts, copy, measure_em=20, size=9.0)
    photos = sorted(SAMPLE_PHOTOS.glob("*.jpg"))[:2]
    pages = []
    for n in (1, 2, 3):
        items = [TextLine(LEFT, TOP + 14.0 * k, line, BLACK if k % 2 else Cmyk(m=1.0, y=1.0), story="s")
                 for k, line in enumerate(lines)]
        items.append(Rule(LEFT, TOP - 4, LEFT + 200, TOP - 4, 0.5, BLACK))
        items.append(Picture(LEFT, 20.0, 55.0, 40.0, str(photos[0]), story="s"))
        if n == 2:
            items.append(Picture(LEFT + 60, 20.0, 55.0, 40.0, str(photos[1]), story="s"))
        pages.append(PageFrame(n, WIDTH, HEIGHT, BLEED, (), (StoryFrame("s", Cell(0, 0, 1, 1), tuple(items)),)))
    return pages


def _options(**overrides) -> RenderOptions:
    return RenderOptions(**({"marks": True, "colour_pages": frozenset({1, 3})} | overrides))


def _held_draft(pages, fonts, monkeypatch, options: RenderOptions) -> bytes:
    """The draft as render made it before: nothing parked, reportlab's joined getpdfdata."""
    with monkeypatch.context() as m:
        m.setattr(render_pdf, "_park_page", lambda c, spill, seen: seen)
        m.setattr(render_pdf, "_write_draft", lambda c, out: out.write(c.getpdfdata()))
        data, _ = render(pages, fonts, options)
    return data


@pytest.mark.parametrize("compress", [False, True])
def test_the_parked_draft_is_reportlabs_own(fonts, monkeypatch, compress):
    pages = _pages(fonts)
    held = _held_draft(pages, fonts, monkeypatch, _options(compress=compress))
    parked, figures = render(pages, fonts, _options(compress=compress))
    assert parked == held
    assert parked.count(b"/Subtype /Image") == 3  # photo 1 as CMYK (pages 1, 3) and gray (page 2), photo 2 gray
    assert [f.page for f in figures] == [1, 2, 2, 3]


def test_render_into_writes_the_same_bytes_from_where_the_file_stands(fonts):
    pages = _pages(fonts)
    expected, _ = render(pages, fonts, _options())
    out = io.BytesIO(b"head")
    out.seek(4)
    render_into(out, pages, fonts, _options())
    assert out.getvalue() == b"head" + expected


def test_no_page_content_or_photo_is_held_once_drawn(fonts, monkeypatch):
    """When reportlab starts writing, every page's content and every photo's stream is in
    the spill file, none in the document."""
    seen = {}
    write = render_pdf._write_draft

    def inspect(c, out):
        doc = c._doc
        seen["pages"] = [(type(p.Contents), p.stream, p.Contents.content) for p in doc.Pages.pages]
        images = [o for o in doc.idToObject.values() if isinstance(o, render_pdf.pdfdoc.PDFImageXObject)]
        seen["images"] = [(type(o), "streamContent" in o.__dict__) for o in images]
        write(c, out)

    monkeypatch.setattr(render_pdf, "_write_draft", inspect)
    render(_pages(fonts), fonts, _options())
    assert seen["pages"] == [(render_pdf._ParkedStream, None, None)] * 3
    assert seen["images"] == [(render_pdf._ParkedImage, False)] * 3


@pytest.mark.parametrize("value", ["q 1 0 0 1 10 20 cm /F1 9 Tf (\\(a\\)) Tj Q\n", "吉𠮷\udc80 text", b"\xff\xd8\x00jpeg"])
def test_the_spill_gives_back_what_it_took(value):
    with render_pdf._Spill() as spill:
        first = spill.park(b"x" * 10)
        handle = spill.park(value)
        last = spill.park("after")
        assert spill.fetch(handle) == value and type(spill.fetch(handle)) is type(value)
        assert spill.fetch(first) == b"x" * 10 and spill.fetch(last) == "after"


@pytest.mark.parametrize("standard", ["x1a", "x4"])
@pytest.mark.parametrize("cache", ["off", "cold-then-warm"])
def test_finalize_from_the_draft_file_is_finalize_from_its_bytes(fonts, tmp_path, monkeypatch, standard, cache):
    """Same PDF whether the finaliser reads the draft's bytes or the file render_into wrote,
    with the deflate cache off, cold and warm (the warm one edits qpdf's output in place)."""
    monkeypatch.setenv("PAPERLAYOUT_CACHE", "off" if cache == "off" else str(tmp_path / "c"))
    pages = _pages(fonts)
    options = _options(compress=standard == "x4")
    meta = PdfMeta(title="草稿测试", creation_date=WHEN, standard=standard)
    raw, _ = render(pages, fonts, options)
    expected = finalize(raw, meta)
    for _ in range(2 if cache != "off" else 1):
        with heap.spill_file() as draft:
            render_into(draft, pages, fonts, options)
            assert finalize(draft, meta) == expected
    assert finalize(raw, meta) == expected


def test_finalize_without_a_temporary_directory_gives_the_same_pdf(fonts, tmp_path, monkeypatch):
    """heap.spill_file's in-memory fallback (no usable temporary directory) gives the same
    bytes, the warm cache's in-place edits included."""
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "c"))
    pages = _pages(fonts)
    meta = PdfMeta(title="草稿测试", creation_date=WHEN)
    raw, _ = render(pages, fonts, _options(compress=False))
    expected = finalize(raw, meta)
    finalize(raw, meta)  # warm
    monkeypatch.setattr(heap, "spill_file", io.BytesIO)
    edited = []
    fix = pdfx._fix_recalled
    monkeypatch.setattr(pdfx, "_fix_recalled", lambda out, recalled, info: edited.append(fix(out, recalled, info)) or edited[-1])
    with heap.spill_file() as draft:
        render_into(draft, pages, fonts, _options(compress=False))
        assert finalize(draft, meta) == expected
    assert edited == [True]  # the recalled streams were put in order in the buffer


def test_order_recalled_in_orders_a_stream_recalled_twice_once():
    """The same deflated bytes recalled for two objects (qpdf writes the referenced one):
    its dictionary is put in qpdf's order, and the second recall finds it done, not foreign."""
    known = b"x\x9c" + bytes(range(40))
    body = b"1 0 obj\n<< /Filter /FlateDecode /N 4 /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(known), known)
    buf = bytearray(body)
    assert pdfx._order_recalled_in(buf, [known, known])
    assert bytes(buf) == body.replace(b"<< /Filter /FlateDecode /N 4 /Length %d >>" % len(known),
                                      b"<< /N 4 /Length %d /Filter /FlateDecode >>" % len(known))


def test_trim_gives_back_freed_heap_pages():
    """Every other one of many blocks below the mmap threshold (on the heap) freed: holes
    between live blocks, which only malloc_trim gives back on glibc; elsewhere trim says it
    did nothing."""
    import sys

    blocks = [bytearray(64 * 1024) for _ in range(400)]
    del blocks[::2]
    released = heap.trim()
    if sys.platform.startswith("linux") and heap._malloc_trim() is not None:
        assert released is True
    else:
        assert released is False
    assert len(blocks) == 200


def test_fonts_restored_from_the_cache_are_let_go_after_render_into(fonts, tmp_path, monkeypatch):
    """render_into (a build) unregisters the fonts it restored from the cache (their tables
    freed for the rest of the build); a font parsed from its file stays, and render
    (serve's rebuilds) keeps them. The bytes are the same every way."""
    from reportlab.pdfbase import pdfmetrics

    from paperlayout.render.fontcache import CachedFace

    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "c"))
    pages = _pages(fonts)
    faces = sorted({g.face for p in pages for it in p.items() if isinstance(it, TextLine) for g in it.line.glyphs})

    def drop():
        for face in faces:
            if face in pdfmetrics._fonts:
                pdfmetrics._fonts[face].unregister()

    def registered():
        return {face: type(pdfmetrics._fonts[face].face).__name__ for face in faces if face in pdfmetrics._fonts}

    drop()
    first = io.BytesIO()
    render_into(first, pages, fonts, _options())  # parsed (the cache learns them): kept
    assert registered() == {face: "TTFontFace" for face in faces}
    drop()
    second = io.BytesIO()
    render_into(second, pages, fonts, _options())  # restored from the cache: let go
    assert registered() == {}
    third, _ = render(pages, fonts, _options())  # kept for the next render
    assert registered() == {face: CachedFace.__name__ for face in faces}
    assert first.getvalue() == second.getvalue() == third
    assert len(faces) >= 2
