"""Latin and mixed copy (issue 8, defect 4): hyphenation, bounded word spaces, URLs,
numbers kept whole, no closing mark or range dash at a line start after a Latin run.

Expected lines are given as strings at a measure in em. The purpose-built test font
(composer_helpers): Han 1 em, Latin letters and digits ½ em, space ¼ em, ASCII
punctuation ¼ em, · 0.3 em. A hyphen added at a line end is shown here as a trailing "-"
(``_lines``); it is a glyph with ``hyphen`` set and no text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer_helpers import FALLBACK, REGULAR, SIZE, style
from paperlayout.fonts import FontBook
from paperlayout.text import ComposeStyle, Run, compose, count_lines
from paperlayout.text.classes import Kind, kind_of
from paperlayout.text.rules import (
    GLUE_AFTER_LATIN,
    HYPHEN_CHAR,
    SPREAD_TOLERANCE,
    WORD_SPACE_BOUNDS,
)

WS_MIN, WS_MAX = WORD_SPACE_BOUNDS[" \u00a0"]
SERIF = Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifSC-Regular.ttf"
REPORTED = {"loose-line", "gapped-line", "unbreakable-split", "kinsoku-forced", "overfull-line"}


def _compose(fonts, text, chars, **kw):
    return compose([Run(text, "t")], chars * SIZE, style(**kw), fonts)


def _lines(c) -> list[str]:
    """Each line's copy, with a "-" where a hyphen glyph ends it."""
    return [line.text + (HYPHEN_CHAR if line.glyphs and line.glyphs[-1].hyphen else "")
            for line in c.lines]


def _word_spaces(line, size=SIZE) -> list[float]:
    """Widths (em) of the word spaces inside a line (not the one ending it)."""
    return [g.width / size for g in line.glyphs[:-1] if g.text == " "]


def _reported(c) -> set[int]:
    return {int(d.where.rsplit("line ", 1)[1]) for d in c.diagnostics if d.code in REPORTED}


def _han_gaps(line, size) -> list[float]:
    """Space (em) between each pair of neighbouring Han characters of a line."""
    out = []
    for a, b in zip(line.glyphs, line.glyphs[1:]):
        if a.text and b.text and kind_of(a.text[0]) == Kind.HAN and kind_of(b.text[0]) == Kind.HAN:
            out.append((b.x - a.x - a.width) / size)
    return out


# -- Hyphenation and word spacing (英文段落) ----------------------------------------------------
ENGLISH = ("Newspapers in the county print a weekly agricultural supplement: the moisture of the "
           "soil, the temperature of the greenhouses and the prices of vegetables in the "
           "wholesale markets.")


def test_english_paragraph_hyphenated_with_word_spaces_in_bounds(fonts):
    c = _compose(fonts, ENGLISH, 14)
    assert _lines(c) == [
        "Newspapers in the county print ",
        "a weekly agricultural supple-",
        "ment: the moisture of the soil, ",
        "the temperature of the green-",
        "houses and the prices of veg-",
        "etables in the wholesale mar-",
        "kets.",
    ]
    assert c.text == ENGLISH                      # the hyphens are not copy
    assert not c.diagnostics
    for line in c.lines[:-1]:
        assert line.width == pytest.approx(14 * SIZE)
        for w in _word_spaces(line):
            assert WS_MIN - 1e-9 <= w <= WS_MAX + 1e-9, (line.text, w)
    hy = c.lines[1].glyphs[-1]
    assert hy.hyphen and hy.text == "" and hy.draw == "-"
    assert hy.width == pytest.approx(0.25 * SIZE)   # the test font's "-"
    assert hy.x + hy.width == pytest.approx(14 * SIZE)


def test_no_word_space_wider_than_the_bound_at_any_measure(fonts):
    # Issue 8: English set with word spaces up to 3.9 em. Every word space of every line
    # stays within the bounds (letter-spacing beyond the tolerance is reported instead).
    for chars in range(8, 31):
        c = _compose(fonts, ENGLISH, chars, indent=2.0)
        for k, line in enumerate(c.lines, 1):
            for w in _word_spaces(line):
                assert WS_MIN - 1e-9 <= w <= WS_MAX + 1e-9, (chars, k, line.text, w)
        assert c.text == ENGLISH


def _splits(c):
    """(line number, word, letters before the break) of each line ending inside a word."""
    text, pos, out = c.text, 0, []
    for k, line in enumerate(c.lines[:-1], 1):
        pos += len(line.text)
        if text[pos - 1].isalpha() and text[pos].isalpha():
            a = pos
            while a > 0 and text[a - 1].isalpha():
                a -= 1
            b = pos
            while b < len(text) and text[b].isalpha():
                b += 1
            out.append((k, text[a:b], text[a:pos]))
    return out


def test_words_break_only_at_dictionary_points(fonts):
    # Issue 8: "dashbo|ard", "moistu|re". A word breaks at a hyphenation point, with a
    # hyphen; an emergency break anywhere else is reported (unbreakable-split).
    import pyphen

    dic = pyphen.Pyphen(lang="en_US", left=2, right=2)
    text = "Farmers read soil moisture on a dashboard and check the moisture on the dashboard."
    seen = set()
    for chars in range(6, 25):
        c = _compose(fonts, text, chars)
        reported = _reported(c)
        for k, word, head in _splits(c):
            assert len(head) in dic.positions(word) or k in reported, (chars, _lines(c))
            assert c.lines[k - 1].glyphs[-1].hyphen
            seen.add(word)
    assert {"dashboard", "moisture"} <= seen      # the test did break them somewhere


def test_dashboard_and_moisture_at_nine_em(fonts):
    c = _compose(fonts, "Farmers read soil moisture on a dashboard.", 9)
    assert _lines(c) == ["Farmers read soil ", "moisture on a dash-", "board."]


def test_no_hyphen_in_acronyms_or_without_a_language(fonts):
    # All capitals: an acronym, never hyphenated (pyphen would give IN-TER-NA-TION-AL).
    c = _compose(fonts, "THE INTERNATIONAL UNION", 9, avoid_lone=False)
    assert not any(line.glyphs[-1].hyphen for line in c.lines)
    # lang "" (the field's none) turns hyphenation off: "agricultural" is not broken, the
    # lines are spaced instead, and each loose line is reported.
    text = "a weekly agricultural supplement"
    c = _compose(fonts, text, 9)
    assert _lines(c) == ["a weekly agricul-", "tural supplement"] and not c.diagnostics
    c = _compose(fonts, text, 9, lang="")
    assert _lines(c) == ["a weekly ", "agricultural ", "supplement"]
    # line 1 spread 0.625 em between characters: gapped (text/rules.py GAP_LIMIT); line 2 0.25 em
    assert [(d.code, d.where) for d in c.diagnostics] == [("gapped-line", "line 1"), ("loose-line", "line 2")]


def test_compound_breaks_after_its_own_hyphen(fonts):
    c = _compose(fonts, "a well-known photographer takes pictures", 7)
    assert _lines(c) == ["a well-", "known photogra-", "pher takes pic-", "tures"]
    assert not c.lines[0].glyphs[-1].hyphen     # its own hyphen: nothing added


def test_count_lines_agrees_with_compose_on_latin(fonts):
    for chars in (6, 9, 13, 20):
        for kw in ({}, {"prohibition": "none"}, {"justify": False}):
            c = _compose(fonts, ENGLISH, chars, **kw)
            n, diags = count_lines([Run(ENGLISH, "t")], chars * SIZE, style(**kw), fonts)
            assert n == len(c.lines)
            assert sorted(d.code for d in diags) == sorted(d.code for d in c.diagnostics)


# -- URLs, e-mail addresses, paths ---------------------------------------------------------
URL_PARA = "一二三四五六七八九十中文字国人大小https://data.example.gov.cn/agri/moisture-dashboard，一二三四五六七八九十。"


def test_url_breaks_after_its_marks_before_a_hyphen_and_keeps_its_comma(fonts):
    # The URL breaks after / . and before - with nothing added (a hyphen ending a line would
    # read as a word's hyphenation); "，" stays with its last piece.
    # (At narrower measures a piece may be split inside, reported: see below.)
    c = _compose(fonts, URL_PARA, 16)
    assert _lines(c) == [
        "一二三四五六七八九十中文字国人大",
        "小https://data.example.gov.cn/agri/",
        "moisture-dashboard，一二三四五六",
        "七八九十。",
    ]
    assert not c.diagnostics
    assert not any(line.glyphs[-1].hyphen for line in c.lines)
    assert c.text == URL_PARA


@pytest.mark.parametrize("level", ["none", "basic", "strict"])
def test_no_comma_at_line_start_after_a_url_at_any_level(fonts, level):
    # Issue 8: a line started with "，" after a URL (reported as kinsoku-forced).
    for chars in range(6, 30):
        c = _compose(fonts, URL_PARA, chars, prohibition=level)
        for prev, line in zip(c.lines, c.lines[1:]):
            if line.text[:1] in GLUE_AFTER_LATIN:
                assert not prev.text[-1:].isascii(), (chars, _lines(c))
        assert "kinsoku-forced" not in {d.code for d in c.diagnostics}


def test_url_pieces_never_split_inside_unless_reported(fonts):
    from paperlayout.text.rules import URL_BREAK_AFTER, URL_BREAK_BEFORE

    url = "https://data.example.gov.cn/agri/moisture-dashboard"
    for chars in range(6, 30):
        c = _compose(fonts, URL_PARA, chars)
        reported = _reported(c)
        for k, (line, nxt) in enumerate(zip(c.lines, c.lines[1:]), 1):
            a, b = line.text[-1:], nxt.text[:1]
            if a.isascii() and b.isascii() and a in url and (line.text + nxt.text).find(url) < 0:
                assert a in URL_BREAK_AFTER or b in URL_BREAK_BEFORE or k in reported, (chars, _lines(c))
                assert a != "-" or k in reported, (chars, _lines(c))  # a URL's hyphen never ends a line


def test_url_break_points():
    """After / . _ ? & = (never between the slashes of //), before a hyphen (Chicago §14.18:
    a URL's hyphen never ends a line); @ is not a break."""
    from paperlayout.text.latin import url_break_points

    def pieces(text):
        points = url_break_points(text, 0, len(text))
        return [text[i:j] for i, j in zip([0] + points, points + [len(text)])]

    assert pieces("https://data.example.gov.cn/agri/moisture-dashboard") == [
        "https://", "data.", "example.", "gov.", "cn/", "agri/", "moisture", "-dashboard"]
    assert pieces("www.qingjiang-goods.cn") == ["www.", "qingjiang", "-goods.", "cn"]
    assert pieces("help.desk@data.example.cn") == ["help.", "desk@data.", "example.", "cn"]
    assert pieces("https://a.cn/x?id=3&p=2_b") == ["https://", "a.", "cn/", "x?", "id=", "3&", "p=", "2_", "b"]


def test_email_and_path_break_after_their_marks(fonts):
    c = _compose(fonts, "一二三四五六七八九十中文help.desk@data.example.cn一二", 12, avoid_lone=False)
    assert _lines(c) == ["一二三四五六七八九十中文", "help.desk@data.example.cn", "一二"]
    c = _compose(fonts, "文字/usr/share/fonts/opentype/noto文字", 8, avoid_lone=False)
    assert _lines(c) == ["文字/usr/share/", "fonts/opentype/", "noto文字"]


@pytest.mark.skipif(not SERIF.is_file(), reason="fonts/NotoSerifSC-Regular.ttf not built")
@pytest.mark.parametrize("chars", [13, 14, 15, 20, 27])
def test_download_address_no_han_spacing_beyond_the_tolerance(chars):
    # Issue 8: a URL left "下　载　地　址　：" spread 3 em or 18 em between two characters.
    fonts = FontBook.open({"serif": SERIF})
    text = ("本报客户端已经上线，读者可以扫描版面上的二维码，或者访问下载地址："
            "https://app.dalate.gov.cn/download/dalate-news-v2.apk，安装后即可阅读电子版。")
    st_ = ComposeStyle(size=9.0)
    c = compose([Run(text, "serif")], chars * 9.0, st_, fonts)
    assert c.text == text
    for line in c.lines[:-1]:
        assert max(_han_gaps(line, 9.0), default=0.0) <= SPREAD_TOLERANCE + 1e-6, line.text
    assert not any(line.text.startswith("，") for line in c.lines)


# -- Numbers with units, ranges, standard numbers ---------------------------------------------
@pytest.mark.parametrize("whole", ["3000 kW·h", "GB/T 19630—2019", "9:00—17:30", "10%—20%",
                                   "3℃～8℃", "100 km"])
def test_kept_whole_at_every_measure(fonts, whole):
    text = f"一二三四五六七八九十{whole}，中文字国人大小。"
    for chars in range(9, 22):
        for level in ("none", "basic", "strict"):
            c = _compose(fonts, text, chars, prohibition=level, avoid_lone=False)
            assert any(whole in line.text for line in c.lines), (chars, level, _lines(c))
            assert not any(line.text.startswith(("—", "，")) for line in c.lines)


@pytest.mark.parametrize("text,expected", [
    ("一二三四五六七八九十，中文字3000 kW·h，国人大小一二三四五六。",
     ["一二三四五六七八九十，中", "文字3000 kW·h，国人大小一", "二三四五六。"]),
    ("一二三四五六七八九十，中文字国GB/T 19630—2019，国人大小一二三四五六。",
     ["一二三四五六七八九十，中", "文字国GB/T 19630—2019，", "国人大小一二三四五六。"]),
    ("一二三四五六七八九十，中文字国人9:00—17:30，国人大小一二三四五六。",
     ["一二三四五六七八九十，中", "文字国人9:00—17:30，国人", "大小一二三四五六。"]),
])
def test_kept_whole_expected_lines(fonts, text, expected):
    # "kW · / h", "GB/T / 19630" and "—17:30" at a line start were issue 8 defects.
    c = _compose(fonts, text, 12)
    assert _lines(c) == expected
    assert not c.diagnostics


def test_unit_dot_is_narrow_and_held(fonts):
    # "kW · / h": the interpunct of a unit is the product dot, set at the face's own
    # advance (0.3 em in the test font), not the 1-em 间隔号 cell of a Chinese name.
    c = _compose(fonts, "kW·h", 10)
    dot = c.lines[0].glyphs[2]
    assert dot.text == "·" and dot.width == pytest.approx(0.3 * SIZE) and dot.dx == 0.0
    c = _compose(fonts, "中·文", 10)
    assert c.lines[0].glyphs[1].width == pytest.approx(1.0 * SIZE)


def test_range_dash_never_starts_a_line_after_a_number(fonts):
    # "—17:30" started a line; a single dash after a Latin run is held to it.
    for chars in range(4, 16):
        c = _compose(fonts, "一二三四五六七八2019—今年一二三四五六七八", chars, prohibition="none")
        for prev, line in zip(c.lines, c.lines[1:]):
            assert not (line.text.startswith("—") and prev.text[-1:].isdigit()), _lines(c)


def test_no_break_space_does_not_break(fonts):
    c = _compose(fonts, "aaaa bbbb\u00a0cccc dddd", 5, avoid_lone=False)
    assert any("bbbb\u00a0cccc" in line.text for line in c.lines), _lines(c)


# -- Properties ----------------------------------------------------------------------------
WORDS = ["the", "soil", "moisture", "dashboard", "agricultural", "county", "newspaper",
         "international", "supplement", "greenhouses"]
TOKENS = ([*"一二三四五六七八九十中文字国人大小"] * 3 + ["，", "。", "：", "（", "）", "“", "”"]
          + [w + " " for w in WORDS] + WORDS
          + ["https://data.example.gov.cn/agri/moisture-dashboard", "help@example.cn",
             "3000 kW·h", "GB/T 19630—2019", "9:00—17:30", "2022", "6.3", "15%"])
texts = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40).map("".join)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_BOOK: list[FontBook] = []


def _fonts() -> FontBook:
    if not _BOOK:
        _BOOK.append(FontBook.open({"t": REGULAR, "fb": FALLBACK}, fallbacks=("fb",)))
    return _BOOK[0]


@SETTINGS
@given(texts, st.sampled_from([6, 9, 13, 20]), st.sampled_from(["none", "basic", "strict"]))
def test_property_latin_copy(text, chars, level):
    c = _compose(_fonts(), text, chars, prohibition=level)
    # The planner's line count agrees with the composer.
    n, diags = count_lines([Run(text, "t")], chars * SIZE, style(prohibition=level), _fonts())
    assert n == len(c.lines) and len(diags) == len(c.diagnostics)
    # The lines rejoin to the copy (hyphens are glyphs without text).
    assert "".join(g.text for line in c.lines for g in line.glyphs) == text
    reported = _reported(c)
    for k, line in enumerate(c.lines, 1):
        hy = [g for g in line.glyphs if g.hyphen]
        assert hy == [] or (hy == [line.glyphs[-1]] and not line.last)
        if line.last:
            continue
        # No non-final line leaves the measure.
        assert line.width <= chars * SIZE + 1e-6, (k, line.text)
        if k not in reported:
            assert line.width == pytest.approx(chars * SIZE)
            assert max(_han_gaps(line, SIZE), default=0.0) <= SPREAD_TOLERANCE + 1e-6
            for w in _word_spaces(line):
                assert WS_MIN - 1e-9 <= w <= WS_MAX + 1e-9
        # No closing mark or range dash starts a line after a Latin run, at any level.
        nxt = c.lines[k].text[:1] if k < len(c.lines) else ""
        if nxt and nxt in GLUE_AFTER_LATIN and line.text[-1:].isascii() and line.text[-1:] != " ":
            assert k in reported, (line.text, nxt)


def test_language_setting(fonts):
    # "en" is en_US (rules.LANG_ALIASES); an unknown language is refused, with the fix.
    text = "a weekly agricultural supplement"
    assert _lines(_compose(fonts, text, 9, lang="en")) == _lines(_compose(fonts, text, 9))
    with pytest.raises(ValueError, match="no hyphenation dictionary for language 'xx'"):
        ComposeStyle(lang="xx")


def test_hyphen_drawn_in_the_face_of_its_word(fonts):
    # The hyphen is drawn in the face of the letter before it, right after that letter.
    c = _compose(fonts, ENGLISH, 14)
    line = c.lines[1]
    last, hy = line.glyphs[-2], line.glyphs[-1]
    assert hy.face == last.face == "t"
    assert hy.x == pytest.approx(last.x + last.width)


def test_head_tracking_not_inside_standard_numbers_nor_beside_word_spaces(fonts):
    # Issue 8: "GB/T　　19630—2019" in a head. Letter-spacing a head (tracking) goes
    # between Chinese characters only: not inside a kept-whole sequence, not beside a word
    # space (test font: space ¼ em, so the gap after "T" stays ¼ em at 10 pt).
    from paperlayout.text import set_line

    line = set_line([Run("国家GB/T 19630—2019", "t")], style(), fonts, tracking=0.5)
    xs = {g.text: g.x / SIZE for g in line.glyphs if g.text in "家GT1"}
    # Between units (家 | GB/T…) the tracking stays: 1 em + ⅛ Han–Latin space + ½.
    assert xs["G"] - xs["家"] == pytest.approx(1.0 + 0.125 + 0.5)
    assert xs["T"] - xs["G"] == pytest.approx(0.5 + 0.5 + 0.25)     # G B / : no tracking
    t = next(g for g in line.glyphs if g.text == "T")
    space = next(g for g in line.glyphs if g.text == " ")
    assert space.x == pytest.approx(t.x + t.width) and space.width == pytest.approx(0.25 * SIZE)
    line = set_line([Run("国家", "t")], style(), fonts, tracking=0.5)
    assert line.glyphs[1].x == pytest.approx(1.5 * SIZE)


def test_soft_hyphen_is_an_invisible_break_with_a_hyphen(fonts):
    # U+00AD in the copy: the editor's break point, not drawn, no width, not "missing".
    shy = "\u00ad"
    text = f"一二三四五六七八super{shy}cali{shy}fragilistic一二三四五六七八九十"
    c = _compose(fonts, text, 12, lang="")
    assert _lines(c)[0] == f"一二三四五六七八super{shy}-"
    assert c.text == text
    g = next(g for g in c.lines[0].glyphs if g.text == shy)
    assert g.width == 0.0 and g.draw == ""
    assert not any(d.code.startswith("glyph") for d in c.diagnostics)
    assert _lines(_compose(fonts, f"ab{shy}cd", 10)) == [f"ab{shy}cd"]
