"""Property tests of the composer over random copy in the test font (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer_helpers import HAN, SIZE, TOKENS, style, style_options
from paperlayout.text import Run, compose
from paperlayout.text.classes import CJK_PUNCT
from paperlayout.text.rules import NO_END_BASIC, NO_START_BASIC, UNIT_DOTS

texts = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=60).map("".join)
styles = style_options()
measures = st.sampled_from([4, 5, 7, 9.5, 13])

FORCED = {"kinsoku-forced", "unbreakable-split", "overfull-line"}


def _compose(text, chars, kw):
    return compose([Run(text, "t")], chars * SIZE, style(**kw), fonts_book())


_BOOK = []


def fonts_book():
    if not _BOOK:
        from composer_helpers import FALLBACK, REGULAR
        from paperlayout.fonts import FontBook

        _BOOK.append(FontBook.open({"t": REGULAR, "fb": FALLBACK}, fallbacks=("fb",)))
    return _BOOK[0]


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts, measures, styles)
def test_lines_rejoin_to_the_copy(text, chars, kw):
    c = _compose(text, chars, kw)
    assert "".join(g.text for line in c.lines for g in line.glyphs) == text


def _forced_lines(c):
    """1-based numbers of lines whose end was forced (diagnostic locations 'line N')."""
    out = set()
    for d in c.diagnostics:
        if d.code in FORCED:
            out.add(int(d.where.rsplit("line ", 1)[1]))
    return out


@SETTINGS
@given(texts, measures, styles)
def test_non_final_lines_fill_the_measure(text, chars, kw):
    kw = {**kw, "justify": True}
    c = _compose(text, chars, kw)
    forced = _forced_lines(c)
    for k, line in enumerate(c.lines[:-1], 1):
        if k in forced or line.last:
            continue
        if len(line.glyphs) > 1:
            assert abs(line.width - chars * SIZE) <= 0.01, (k, line.text)
            last = line.glyphs[-1]
            ends = abs(last.x + last.width - line.width) < 1e-6
            hangs = kw["hanging"] and last.text in "，。、" and abs(last.x - line.width) < 1e-6
            assert ends or hangs


@SETTINGS
@given(texts, measures, styles)
def test_no_forbidden_line_start_unless_reported(text, chars, kw):
    c = _compose(text, chars, kw)
    if kw["prohibition"] == "none":
        return
    forced = _forced_lines(c)
    for k in range(1, len(c.lines)):
        prev, line = c.lines[k - 1], c.lines[k]
        if prev.text.endswith("\n"):
            continue
        bad = line.text[:1] in NO_START_BASIC or prev.text[-1:] in NO_END_BASIC
        if kw["prohibition"] == "strict":
            bad = bad or line.text[:1] in "—…"
        # inside an unbreakable sequence
        pair = prev.text[-1:] + line.text[:1]
        bad = bad or pair in ("——", "……") or (pair.isascii() and pair.strip() == pair and len(pair) == 2)
        if bad:
            assert k in forced, (prev.text, line.text, c.diagnostics)


@SETTINGS
@given(texts, measures, styles)
def test_no_mark_shrinks_beyond_its_allowance(text, chars, kw):
    c = _compose(text, chars, kw)
    for line in c.lines:
        for k, g in enumerate(line.glyphs):
            if g.hyphen:
                continue  # the hyphen added at a hyphenation point: text "", not a mark of the copy
            if g.text in UNIT_DOTS and 0 < k < len(line.glyphs) - 1 and all(
                    n.text.isascii() and n.text.isalnum() for n in (line.glyphs[k - 1], line.glyphs[k + 1])):
                continue  # between Latin letters or digits it is the product dot (kW·h), set narrow: rules.UNIT_DOTS
            if g.text in CJK_PUNCT:
                # test font: every mark 1 em with a ½-em empty half (left for opening marks)
                assert g.width >= 0.5 * SIZE - 1e-9
                assert g.width <= SIZE + 1e-9
                if g.text in "“‘（《":
                    assert -0.5 * SIZE - 1e-9 <= g.dx <= 1e-9
                    assert abs(g.dx + (SIZE - g.width)) < 1e-9  # only the empty left half goes
                else:
                    assert g.dx == 0.0
            elif g.text in HAN or g.text == "·":
                assert abs(g.width - SIZE) < 1e-9


@SETTINGS
@given(texts, measures, styles)
def test_glyphs_do_not_overlap(text, chars, kw):
    c = _compose(text, chars, kw)
    for line in c.lines:
        gs = line.glyphs
        for a, b in zip(gs, gs[1:]):
            assert a.x <= b.x + 1e-9
            assert a.x + a.width <= b.x + 1e-6, (line.text, a, b)
        if gs:
            assert gs[0].x >= -1e-9
