"""verify's reading of our own streams: text-showing runs read whole (``pdfread.own_items``:
``[Tm] [Tf TL] (string) Tj`` as one item), glyphs kept per run and made into Drawn objects or
numpy columns on demand — each gives exactly what the instruction-by-instruction reading and
the per-glyph loop give: the same glyphs float for float, the same paints, preflight records,
ink marks, glyph boxes and reading problems."""

from __future__ import annotations

import io
from decimal import Decimal

import pikepdf
import pytest

from paperlayout import pdfread
from paperlayout import preflight as pf
from paperlayout import verify


def _norm(value):
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, pikepdf.Name):
        return ("name", str(value))
    if isinstance(value, (pikepdf.String, bytes)):
        return bytes(value)
    if isinstance(value, (list, pikepdf.Array)):
        return [_norm(v) for v in value]
    return ("other", repr(value))


RUNS = (b"q 0 0 0 1 k BT 1 0 0 1 0 0 Tm 1 0 0 1 81.6 -1.5 Tm /F2+0 9 Tf 10.8 TL (\\001\\002) Tj "
        b"/F2+1 9 Tf 10.8 TL (a\\(b\\)c\\\\d) Tj (x) Tj\n1 0 0 1 5 6 Tm\n(\\\\) Tj /F1 12 Tf 14 TL(y)Tj "
        b"1 0 0 1 .5 -7. Tm (\\\\\\() Tj (\\0\\101\\1012) Tj /F2+0 9.5 Tf\r\n10 TL (\\n\\t) Tj "
        b"[(A) -20 (B)] TJ 2 Tz (z) Tj ET Q")


@pytest.mark.filterwarnings("ignore:Unexpected end of stream")
@pytest.mark.parametrize("content, subset", [(RUNS, True), (RUNS.replace(b"\r\n", b"\n"), True),
                                             (RUNS.replace(b"\r\n", b"\n").replace(b"(\\n\\t)", b"(\\q)"), True),
                                             (RUNS.replace(b"\\(b", b"(b"), False)])
def test_runs_read_whole_are_the_instructions_pikepdf_reads(content, subset):
    """Expanded back into instructions, the items of own_items are pikepdf's reading; the
    runs are found (with and without their Tm, Tf and TL). A stream outside the subset
    (unbalanced parentheses) is pikepdf's own reading."""
    pdf = pikepdf.new()
    stream = pdf.make_stream(content)
    items, plain = pdfread.own_items(stream)
    expected = [(str(i.operator), [_norm(o) for o in i.operands]) for i in pikepdf.parse_content_stream(stream)]
    if not subset:
        assert not any(i.__class__ is tuple for i in items)  # not in the subset: pikepdf's instructions
        return
    assert [(op, [_norm(a) for a in args]) for args, op in pdfread.expanded(items, plain)] == expected
    runs = [i for i in items if i[5]]
    assert [bool(r[1]) for r in runs[:4]] == [True, False, False, True] and [bool(r[4]) for r in runs[:4]] == [
        True, True, False, False]
    assert plain == (b"\\q" not in content and b"\r" not in content)


@pytest.mark.parametrize("raw", [b"(\\\\)", b"(a\\(b\\)c)", b"(\\\\\\()", b"(\\\\\\\\\\))", b"(\\050\\))", b"(x)"])
def test_plain_strings_with_escaped_parentheses_read_as_pdf_reads_them(raw):
    assert pdfread._plain(raw)
    assert pdfread.string_operand(raw, True) == pdfread._string(raw[1:-1])


def _reading(data: bytes):
    pdf = pikepdf.open(io.BytesIO(data))
    return pdf, verify.read_own(pdf)


def _same_reading(a, b) -> None:
    """Two readings (verify.Readback) of PDFs with the same pages."""
    for number, (p, q) in enumerate(zip(a.pages, b.pages), start=1):
        assert [(d.font.base, d.code, d.text, d.x, d.y, d.size, d.hscale, d.tz, d.spacing, d.rise, d.skew, d.ink,
                 d.visible, d.order) for d in p.glyphs] == \
               [(d.font.base, d.code, d.text, d.x, d.y, d.size, d.hscale, d.tz, d.spacing, d.rise, d.skew, d.ink,
                 d.visible, d.order) for d in q.glyphs]
        assert p.paints == q.paints and p.problems == q.problems
        m, n = a.marks[number], b.marks[number]
        assert (m.texts, m.vectors, m.unprovable) == (n.texts, n.vectors, n.unprovable)
    c, d = a.colour, b.colour
    assert (c.texts, c.paints, c.images, c.problems, c.problem_pages, c.spots) == \
           (d.texts, d.paints, d.images, d.problems, d.problem_pages, d.spots)


def _appended(data: bytes, extra: bytes) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(extra), prepend=False)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_sample_read_as_runs_is_the_sample_read_instruction_by_instruction(sample_pdf):
    """A comment makes the page's stream leave the subset: pikepdf reads it, one instruction
    at a time through the reader's branches; the run reading finds the same."""
    data = sample_pdf.read_bytes()
    fast = _appended(data, b"\n")
    slow = _appended(data, b"% a comment\n")
    with pikepdf.open(io.BytesIO(slow)) as pdf:
        assert not any(i.__class__ is tuple for i in pdfread.own_items(pdf.pages[0])[0])
    _, a = _reading(fast)
    _, b = _reading(slow)
    assert len(a.pages[0].glyphs) > 4000
    _same_reading(a, b)
    with pikepdf.open(io.BytesIO(fast)) as pdf:
        own = pf._scan(pdf)
    assert (own.texts, own.paints, own.images) == (a.colour.texts, a.colour.paints, a.colour.images)


#: Text the renderer never writes: a rotated and a skewed matrix, Tz, Tc, Tw, Ts, invisible
#: (Tr 3, 7) and stroked (Tr 1) text, a TJ with kerning, an empty string, a code without a
#: ToUnicode entry, a malformed Tm (5 numbers) before a run.
ODD = (b"q 0.8 0.6 -0.6 0.8 300 300 cm BT /F2+0 9 Tf 10.8 TL 1 0 0 1 10 20 Tm (\\001\\002 \\003) Tj "
       b"120 Tz 0.5 Tc 2 Tw 1.5 Ts (\\004 \\005) Tj [(\\006) -200 (\\007\\010)] TJ 3 Tr (\\011) Tj 7 Tr (\\012) Tj "
       b"1 Tr (\\013) Tj 0 Tr () Tj 1 0.2 0.1 1 40 50 Tm (\\014\\377) Tj -1 0 0 1 60 70 Tm (\\015) Tj "
       b"1 0 0 1 5 Tm (\\016) Tj ET Q BT 1 0 0 1 100 100 Tm /F2+0 9 Tf 10.8 TL (\\017) Tj ET")


def test_columns_are_the_drawn_glyphs_float_for_float(sample_pdf):
    data = _appended(sample_pdf.read_bytes(), ODD)
    _, reading = _reading(data)
    _same_reading(reading, _reading(_appended(sample_pdf.read_bytes(), ODD + b"\n% a comment\n"))[1])
    scan = reading.pages[0]
    drawn = list(scan.glyphs)
    cols = scan.columns()
    assert [cols.drawn(k) for k in range(len(drawn))] == drawn
    odd = drawn[-16:]
    assert {d.skew for d in odd} == {True, False} and {d.visible for d in odd} == {True, False}
    assert any(d.spacing for d in odd) and any(d.rise for d in odd) and any(d.tz == 120.0 for d in odd)
    assert "malformed 'Tj' operation (not enough values to unpack (expected 6, got 5))" in scan.problems
    plain = reading.glyph_boxes(1)  # below NUMPY_GLYPHS: the per-glyph loop
    ranges = [(t[0], t[1]) for t in reading.marks[1].texts] + [(0, 7), (len(drawn) - 16, len(drawn))]
    columns = verify._WholeBoxes.of(scan).boxes([(t[0], t[1]) for t in reading.marks[1].texts])
    assert [columns(*r) for r in ranges] == [plain(*r) for r in ranges]
    assert None in [plain(*r) for r in ranges]  # the skewed glyphs


def test_runs_in_a_font_that_cannot_be_read_are_read_one_instruction_at_a_time(sample_pdf):
    """A font whose /Widths hold a name: Tf reports it (malformed), the run's text has no
    font — as the instruction-by-instruction reading says."""
    def broken(data: bytes, comment: bytes) -> bytes:
        pdf = pikepdf.open(io.BytesIO(data))
        page = pdf.pages[0]
        fonts = page.obj.Resources.Font
        name = next(iter(fonts.keys()))
        bad = pikepdf.Dictionary(fonts[name].copy())
        bad.Widths = pikepdf.Array([pikepdf.Name("/Oops")])
        bad.FirstChar = 0
        fonts["/Fbad"] = pdf.make_indirect(bad)
        page.contents_add(pdf.make_stream(b"BT 1 0 0 1 100 100 Tm /Fbad 9 Tf 10.8 TL (\\001) Tj ET" + comment),
                          prepend=False)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()

    data = sample_pdf.read_bytes()
    _, a = _reading(broken(data, b"\n"))
    _, b = _reading(broken(data, b"\n% a comment\n"))
    assert any(p.startswith("malformed 'Tf' operation") for p in a.pages[0].problems)
    assert "text shown with no font set" not in a.pages[0].problems[:1]
    _same_reading(a, b)


def test_collector_paused_hands_what_was_kept_to_the_oldest_generation():
    """While reading the collector is off (also when nested); afterwards it is on again and
    what was kept sits in the oldest generation, not walked by a young collection."""
    import gc

    assert gc.isenabled()
    with pdfread.collector_paused():
        assert not gc.isenabled()
        kept = [(k, [k]) for k in range(1000)]
        with pdfread.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(pair) in oldest for pair in kept[::97])


def test_collector_paused_never_thaws_what_a_build_froze():
    """A build freezes its laid-out issue (cli._keep_for_good); reading the PDF back must leave
    it frozen (else every later full collection walks the whole layout again)."""
    import gc

    held = [(k, [k]) for k in range(1000)]
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with pdfread.collector_paused():
            kept = [(k, [k]) for k in range(10)]
        assert gc.get_freeze_count() >= before + len(kept) and gc.isenabled()
    finally:
        gc.unfreeze()
    assert held
