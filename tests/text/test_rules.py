"""Table-driven composer tests, one group per rule, named after its clause.

Each row: copy, measure in em (test font: Han = 1 em), style settings, expected lines.
"""

from __future__ import annotations

import pytest

from paperlayout.text import Run, compose, set_line

from composer_helpers import SIZE, lines_of, style, width_em


def _case(rows):
    return pytest.mark.parametrize("text,chars,kw,expected", rows, ids=[r[0] for r in rows])


# -- CLREQ §3.1.7: line start prohibition (行首禁则) -------------------------------------------
@_case([
    # 。 cannot start a line: no mark in line 1 to compress, so 五 is pushed out with it.
    ("一二三四五。六七", 5, {}, ["一二三四", "五。六七"]),
    # ” and 。 cannot start a line: 三 is carried down with them.
    ("一二三“四”。五六七八", 5, {}, ["一二三", "“四”。五六", "七八"]),
    ("一二三四五”。六七", 5, {}, ["一二三四", "五”。六七"]),
    # 、 after a full line, closing bracket 》 likewise.
    ("一二三四五、六", 5, {}, ["一二三四", "五、六"]),
    # 》 pushed in: the line-end 》 and the inner 《 each give their empty half.
    ("一《二三四》五六", 5, {}, ["一《二三四》", "五六"]),
    ("一二三四五》六七", 5, {}, ["一二三四", "五》六七"]),
    # level none: a mark may start a line (Taiwan / Hong Kong practice).
    ("一二三四五。六七", 5, {"prohibition": "none"}, ["一二三四五", "。六七"]),
])
def test_clreq_3_1_7_line_start(fonts, text, chars, kw, expected):
    assert lines_of(fonts, text, chars, avoid_lone=False, **kw) == expected


# -- CLREQ §3.1.7: line end prohibition (行尾禁则) ---------------------------------------------
@_case([
    ("一二三四“五六”七", 5, {}, ["一二三四", "“五六”七"]),
    ("一二三四（五）", 5, {}, ["一二三四", "（五）"]),
    ("一二三四《五》", 5, {"prohibition": "none"}, ["一二三四《", "五》"]),
])
def test_clreq_3_1_7_line_end(fonts, text, chars, kw, expected):
    assert lines_of(fonts, text, chars, avoid_lone=False, **kw) == expected


# -- TYPOGRAPHY.md "Resolving a violation": push in (挤进) before push out (推出) ----------------
@_case([
    # push in: line 1 holds 一，三四五 + ，= 6 em; the line-end ，takes ½ (GB/T 15834 §5.1.10)
    # and the inner ，gives its empty half: exactly 5 em.
    ("一，三四五，六七", 5, {}, ["一，三四五，", "六七"]),
    # push out: nothing to compress, 五 goes down with the comma.
    ("一二三四五，六七", 5, {}, ["一二三四", "五，六七"]),
    # push in with an adjacent pair already compressed: 。” keeps its 1.5 em, a further ½
    # em comes from 《 》.
    ("《一》二三，四", 5, {}, ["《一》二三，", "四"]),
])
def test_push_in_before_push_out(fonts, text, chars, kw, expected):
    assert lines_of(fonts, text, chars, avoid_lone=False, **kw) == expected


def test_push_in_compresses_only_punctuation(fonts):
    c = compose([Run("一，三四五，六七", "t")], 5 * SIZE, style(), fonts)
    first = c.lines[0]
    assert [round(g.width / SIZE, 6) for g in first.glyphs] == [1, 0.5, 1, 1, 1, 0.5]
    assert [round(g.x / SIZE, 6) for g in first.glyphs] == [0, 1, 1.5, 2.5, 3.5, 4.5]
    assert not c.diagnostics


# -- CLREQ §3.1.5 / TYPOGRAPHY.md "Never split": unbreakable sequences --------------------------
@_case([
    ("一二三四——五六", 5, {}, ["一二三四", "——五六"]),
    ("一二三四——五六", 5, {"prohibition": "strict"}, ["一二三", "四——五六"]),
    ("一二三四……五六", 5, {"prohibition": "strict"}, ["一二三", "四……五六"]),
    ("一二三四……五六", 5, {}, ["一二三四", "……五六"]),
    ("一二三四6.3五", 5, {}, ["一二三四", "6.3五"]),
    ("一二三4567八", 5, {}, ["一二三", "4567八"]),
    ("一二三四15%五", 5.25, {}, ["一二三四", "15%五"]),
    ("一二三四15％五", 5.25, {}, ["一二三四", "15％五"]),
    ("一二三word四五", 5, {}, ["一二三", "word四五"]),
    ("一二二二2022年", 5, {}, ["一二二二", "2022年"]),
])
def test_clreq_3_1_5_unbreakable(fonts, text, chars, kw, expected):
    assert lines_of(fonts, text, chars, avoid_lone=False, **kw) == expected


def test_latin_words_break_at_spaces(fonts):
    assert lines_of(fonts, "ab cd ef gh ij", 3, avoid_lone=False) == ["ab cd ", "ef gh ", "ij"]


def test_emergency_break_inside_a_long_word_is_reported(fonts):
    c = compose([Run("abcdefghijklmnop", "t")], 3 * SIZE, style(), fonts)
    assert "".join(line.text for line in c.lines) == "abcdefghijklmnop"
    assert any(d.code == "unbreakable-split" for d in c.diagnostics)


# -- GB/T 15834 §5.1.10: a full-width mark at line end takes half width -----------------------
def test_gbt15834_5_1_10_line_end_half(fonts):
    # 一二三四，= 5 em: the line-end comma drops its empty half to fit 4½ em.
    c = compose([Run("一二三四，五六七八", "t")], 4.5 * SIZE, style(), fonts)
    first = c.lines[0]
    assert first.text == "一二三四，"
    comma = first.glyphs[-1]
    assert comma.width == pytest.approx(0.5 * SIZE)
    assert comma.x + comma.width == pytest.approx(4.5 * SIZE)
    assert first.width == pytest.approx(4.5 * SIZE)


@pytest.mark.parametrize("mark", "，、。；：？！”）》")
def test_line_end_half_is_given_back_before_characters_spread(fonts, mark):
    # 一二三四 + mark at line end = 4½ em in a 5-em line: the spare ½ em goes back to the
    # mark (level 1, punctuation), so the characters stay on the grid and the mark does
    # not push out (issue 3: '传统技艺达拉特酱菜技艺、' at 12 em).
    c = compose([Run(f"一二三四{mark}五六七八", "t")], 5 * SIZE, style(avoid_lone=False), fonts)
    first = c.lines[0]
    assert first.text == f"一二三四{mark}"
    assert [round(g.x / SIZE, 6) for g in first.glyphs] == [0, 1, 2, 3, 4]
    assert first.glyphs[-1].width == pytest.approx(SIZE)
    assert first.width == pytest.approx(5 * SIZE)
    assert not c.diagnostics


def test_line_end_half_off_keeps_the_grid(fonts):
    c = compose([Run("一二三四，五六七八九", "t")], 5 * SIZE, style(line_end_half=False), fonts)
    assert [round(g.x / SIZE, 6) for g in c.lines[0].glyphs] == [0, 1, 2, 3, 4]


# -- CLREQ §3.1.6: adjacent marks, per style (标点挤压) -----------------------------------------
@pytest.mark.parametrize("text,quanjiao,kaiming,banjiao", [
    ("一。”二", 3.5, 3.0, 3.0),
    ("一，“二", 3.5, 3.0, 3.0),
    ("一“《二", 3.5, 3.0, 3.0),
    ("一）（二", 3.5, 3.0, 3.0),
    ("一。二", 3.0, 3.0, 2.5),       # 开明式 keeps sentence-end marks full
    ("一，二", 3.0, 2.5, 2.5),
    ("一”。二", 3.5, 3.5, 3.0),
    ("（一）（二）", 5.0, 4.0, 4.0),   # last ）at line end: half (GB/T 15834 §5.1.10)
])
def test_clreq_3_1_6_adjacent_marks(fonts, text, quanjiao, kaiming, banjiao):
    assert width_em(fonts, text, punctuation="quanjiao") == pytest.approx(quanjiao)
    assert width_em(fonts, text, punctuation="kaiming") == pytest.approx(kaiming)
    assert width_em(fonts, text, punctuation="banjiao") == pytest.approx(banjiao)


def test_opening_mark_compressed_is_drawn_left(fonts):
    line = set_line([Run("一“《二", "t")], style(), fonts)
    angle = line.glyphs[2]
    assert angle.text == "《"
    assert angle.width == pytest.approx(0.5 * SIZE)
    assert angle.dx == pytest.approx(-0.5 * SIZE)  # its ink (right half) lands in its box
    assert line.glyphs[1].dx == 0.0


@pytest.mark.parametrize("punctuation,mid,end", [("quanjiao", 1.0, 0.5), ("kaiming", 0.5, 0.5),
                                               ("banjiao", 0.5, 0.5)])
def test_same_mark_same_context_same_width(fonts, punctuation, mid, end):
    for text in ("一，二", "一二三，四五，六", "ab，中，文，"):
        line = set_line([Run(text, "t")], style(punctuation=punctuation), fonts)
        commas = [g for g in line.glyphs if g.text == "，"]
        for g in commas[:-1]:
            assert g.width == pytest.approx(mid * SIZE)
        if text.endswith("，"):
            assert commas[-1].width == pytest.approx(end * SIZE)


# -- GB/T 15834 §5.1.11: no single character alone on the last line (单字不成行) ----------------
@_case([
    # greedy would leave 十。 alone; total fit takes one character from the line before,
    # which then spaces its 21 gaps by 1/21 em (within the 0.05-em tolerance).
    ("天" * 23 + "地" * 23 + "人。", 23, {}, ["天" * 23, "地" * 22, "地人。"]),
    # here every cure spaces lines beyond the tolerance: the lone 十。 stays (reported).
    ("一二三四五六七八九十。", 5, {}, ["一二三四五", "六七八九", "十。"]),
    # push in: both commas give their empty half, so 六 stays on line 1 and 百 is not alone.
    ("一，三，五六七八九十百", 5, {}, ["一，三，五六", "七八九十百"]),
    ("一二三四五六七八九十。", 5, {"avoid_lone": False}, ["一二三四五", "六七八九", "十。"]),
])
def test_gbt15834_5_1_11_lone_last_character(fonts, text, chars, kw, expected):
    assert lines_of(fonts, text, chars, **kw) == expected


# -- CLREQ §3.2: Han–Latin spacing -----------------------------------------------------------
def test_clreq_3_2_han_latin_space(fonts):
    assert width_em(fonts, "中AB文") == pytest.approx(1 + 0.125 + 1 + 0.125 + 1)
    assert width_em(fonts, "中AB文", han_latin_space=0.25, han_latin_max=0.25) == pytest.approx(3.5)
    assert width_em(fonts, "AB文") == pytest.approx(1 + 0.125 + 1)   # none at line start
    assert width_em(fonts, "中，AB") == pytest.approx(1 + 1 + 1)      # none next to a mark


def test_han_latin_space_none_at_line_end(fonts):
    c = compose([Run("一二三四ab五六", "t")], 5 * SIZE, style(), fonts)
    assert [line.text for line in c.lines] == ["一二三四", "ab五六"]
    second = c.lines[1].glyphs
    assert second[0].x == 0.0


def test_latin_line_justified_by_priority(fonts):
    # 一二ab三四 (5 em + 2 Han–Latin spaces of ⅛) in 5.75 em: the Han–Latin spaces grow to
    # ¼ em first, then the rest spreads evenly between characters, never inside "ab".
    c = compose([Run("一二ab三四五", "t")], 5.75 * SIZE, style(avoid_lone=False), fonts)
    line = c.lines[0]
    assert line.text == "一二ab三四"
    xs = [g.x / SIZE for g in line.glyphs]
    # Han–Latin spaces at their ¼-em maximum, then 0.25 em over the 4 gaps (not a|b).
    assert xs == pytest.approx([0, 1.0625, 2.375, 2.875, 3.6875, 4.75])
    assert xs[3] - xs[2] == pytest.approx(0.5)      # a → b: no spacing inside a word
    assert line.width == pytest.approx(5.75 * SIZE)


# -- Indent (段首缩进) -------------------------------------------------------------------------
def test_first_line_indent_two_em(fonts):
    c = compose([Run("一二三四五六七八九十", "t")], 5 * SIZE, style(indent=2.0), fonts)
    assert [line.text for line in c.lines] == ["一二三", "四五六七八", "九十"]
    assert c.lines[0].glyphs[0].x == pytest.approx(2 * SIZE)
    assert c.lines[1].glyphs[0].x == 0.0
    assert c.lines[-1].last and not c.lines[0].last


def test_short_paragraph_is_its_last_line(fonts):
    c = compose([Run("一二", "t")], 5 * SIZE, style(indent=2.0), fonts)
    assert len(c.lines) == 1 and c.lines[0].last
    assert c.lines[0].width == pytest.approx(4 * SIZE)


# -- Glyph problems: ——, ……, · -------------------------------------------------------------
def test_two_em_dash_is_continuous(fonts):
    line = set_line([Run("一——二", "t")], style(), fonts)
    d1, d2 = line.glyphs[1], line.glyphs[2]
    assert d1.width == pytest.approx(SIZE) and d2.width == pytest.approx(SIZE)
    assert d1.hscale == pytest.approx(1 / 0.89)
    assert d1.x + d1.width == pytest.approx(d2.x)


def test_two_em_dash_continuous_in_a_justified_line(fonts):
    c = compose([Run("一——二ab三四五六", "t")], 6.5 * SIZE, style(), fonts)
    for line in c.lines:
        gs = line.glyphs
        for a, b in zip(gs, gs[1:]):
            if a.text == b.text == "—":
                assert a.x + a.width == pytest.approx(b.x)


def test_interpunct_in_a_one_em_cell(fonts):
    line = set_line([Run("阿·大", "t")], style(), fonts)
    dot = line.glyphs[1]
    assert dot.width == pytest.approx(SIZE)
    assert dot.dx == pytest.approx(0.35 * SIZE)  # (1 − 0.3) / 2 em: centred
    assert width_em(fonts, "阿·大", punctuation="banjiao") == pytest.approx(3.0)  # never shrinks


def test_interpunct_cannot_start_a_line(fonts):
    assert lines_of(fonts, "一二三四五·六", 5, avoid_lone=False) == ["一二三四", "五·六"]


# -- Text layer and rare characters -----------------------------------------------------------
def test_text_layer_is_the_copy(fonts):
    text = "“明天早上7点出发。”……这个春天——走到基层，AB cd·15％"
    c = compose([Run(text[:5], "t"), Run(text[5:], "t")], 7 * SIZE, style(indent=2), fonts)
    assert "".join(g.text for line in c.lines for g in line.glyphs) == text


def test_fallback_face_is_used_and_reported(fonts):
    c = compose([Run("一䶮二", "t")], 5 * SIZE, style(), fonts)
    g = c.lines[0].glyphs[1]
    assert g.face == "fb" and g.width == pytest.approx(SIZE)
    assert [d.code for d in c.diagnostics] == ["glyph-fallback"]
    assert "U+4DAE" in c.diagnostics[0].message and c.diagnostics[0].level.value == "warning"


def test_missing_everywhere_is_an_error_and_kept(fonts):
    c = compose([Run("一\u9fa5二", "t")], 5 * SIZE, style(), fonts)   # 龥: in no test font
    g = c.lines[0].glyphs[1]
    assert g.text == "\u9fa5" and g.width == pytest.approx(SIZE) and g.draw == "〓"
    (d,) = c.diagnostics
    assert d.code == "glyph-missing" and d.level.value == "error" and "U+9FA5" in d.message


def test_forced_newline(fonts):
    c = compose([Run("一二\n三四", "t")], 5 * SIZE, style(), fonts)
    assert [line.text for line in c.lines] == ["一二\n", "三四"]
    assert c.lines[0].last


# -- Unjustified text (captions, heads) --------------------------------------------------------
def test_flush_left_caption_breaks_by_the_same_rules(fonts):
    c = compose([Run("一二三四五。六七八", "t")], 5 * SIZE, style(justify=False), fonts)
    assert [line.text for line in c.lines] == ["一二三四", "五。六七八"]
    assert c.lines[0].width == pytest.approx(4 * SIZE)


def test_set_line_tracking(fonts):
    line = set_line([Run("要闻", "t")], style(), fonts, tracking=1.0)
    assert [g.x for g in line.glyphs] == [0.0, 2 * SIZE]
    assert line.width == pytest.approx(3 * SIZE) and line.measure == line.width


def test_measure_text_matches_set_line(fonts):
    from paperlayout.text import measure_text

    for text in ("干部下基层 聚力促振兴", "“一”，二（三）", "AB中文12"):
        for tracking in (0.0, 0.5):
            runs = [Run(text, "t")]
            assert measure_text(runs, style(), fonts, tracking) == pytest.approx(
                set_line(runs, style(), fonts, tracking).width)


# -- Hanging punctuation (行末悬挂), off by default ------------------------------------------
def test_hanging_mark_lies_past_the_measure(fonts):
    c = compose([Run("一二三四五，六七八", "t")], 5 * SIZE, style(hanging=True), fonts)
    first = c.lines[0]
    assert first.text == "一二三四五，"
    assert first.width == pytest.approx(5 * SIZE)
    assert first.glyphs[-1].x == pytest.approx(5 * SIZE)
    assert first.glyphs[-1].width == pytest.approx(0.5 * SIZE)
    assert [g.x for g in first.glyphs[:5]] == [k * SIZE for k in range(5)]   # on the grid


def test_hanging_only_when_the_mark_would_not_fit(fonts):
    assert lines_of(fonts, "一二三四，五六七八九", 5, hanging=True) == ["一二三四，", "五六七八九"]


def test_runs_keep_their_faces(fonts):
    from paperlayout.fonts import FontBook

    book = FontBook.open({"t": fonts.faces["t"], "b": fonts.faces["t"]})
    c = compose([Run("本报讯", "b"), Run("一二三四五六", "t")], 5 * SIZE, style(), book)
    faces = [g.face for line in c.lines for g in line.glyphs]
    assert faces == ["b"] * 3 + ["t"] * 6


# -- Total fit: a line that would be spaced out moves its slack to an earlier line ------------
def test_slack_moves_to_an_earlier_line_with_punctuation(fonts):
    # Greedy: 一，三，五六 (pushed in) then 七八九十 spaced by ⅓ em (十一、 cannot fit, 、
    # cannot start a line). Breaking line 1 at its natural 5 em instead lets every line
    # fill the measure with the characters on the grid — far (> 2 lines) from the end.
    text = "一，三，五六七八九十一、乙丙丁戊己庚辛壬癸子丑寅卯辰巳"
    c = compose([Run(text, "t")], 5 * SIZE, style(), fonts)
    assert [line.text for line in c.lines] == [
        "一，三，五", "六七八九十", "一、乙丙丁", "戊己庚辛壬", "癸子丑寅卯", "辰巳"]
    for line in c.lines[:-1]:
        assert [round(g.x / SIZE, 6) for g in line.glyphs] == [0, 1, 2, 3, 4]
    assert not c.diagnostics


def test_line_spaced_beyond_tolerance_is_reported(fonts):
    c = compose([Run("一二三四五六七八九十。", "t")], 5 * SIZE, style(avoid_lone=False), fonts)
    assert [line.text for line in c.lines] == ["一二三四五", "六七八九", "十。"]
    # 1 em over 3 gaps: beyond GAP_LIMIT (0.25 em), so gapped rather than loose
    loose = [d for d in c.diagnostics if d.code in ("loose-line", "gapped-line")]
    assert [(d.code, d.where) for d in loose] == [("gapped-line", "line 2")]
    assert "0.333 em" in loose[0].message


def test_lone_last_character_left_is_reported(fonts):
    c = compose([Run("一二三四五六七八九十。", "t")], 5 * SIZE, style(), fonts)
    assert [d.code for d in c.diagnostics] == ["gapped-line", "lone-last-character"]
    assert c.diagnostics[1].where == "line 3" and c.diagnostics[1].level.value == "info"


# -- CLREQ §3.1.6: an opening mark at line start is set half width only if the style says so --
@pytest.mark.parametrize("line_start_half,expected", [
    (False, ["“一二三，", "四五六七"]),     # “ keeps its em: 一二三，四 does not fit
    (True, ["“一二三，四", "五六七"]),      # “ at ½ em, the comma gives ½ em: 5 em
])
def test_push_in_takes_a_line_start_opening_mark_only_if_the_style_allows(
        fonts, line_start_half, expected):
    c = compose([Run("“一二三，四五六七", "t")], 5 * SIZE,
                style(line_start_half=line_start_half, avoid_lone=False), fonts)
    assert [line.text for line in c.lines] == expected
    quote = c.lines[0].glyphs[0]
    assert quote.width == pytest.approx((0.5 if line_start_half else 1.0) * SIZE)
    assert c.lines[0].width == pytest.approx(5 * SIZE)
