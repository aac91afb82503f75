"""The line breaker's last pass, bounded by an earlier pass's path, chooses what it would unbounded.

``break_path`` runs a first pass that explores few starts, and when that leaves a line spaced
beyond the tolerance (or a lone last character) a last pass that explores every start. That
last pass leaves out positions reached at a total cost above the first pass's, when every
line of the first pass's path is one the last pass may choose too (``_search`` returns the
total only then). These tests state the premise and the outcome: the bound is never below the
last pass's best total, and the bounded search returns the same lines, costs and ties as the
unbounded one — also with the tightest bound (the best total itself).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer_helpers import TOKENS, lines_of, style, style_options
from paperlayout.text import Run
from paperlayout.text.compose import _para
from paperlayout.text.linebreak import _search, break_path
from paperlayout.text.rules import BREAK_PENALTY

INF = float("inf")

texts = st.lists(st.sampled_from(TOKENS + ["，", "。", "“", "”", "——", "abc def", "一二三四五六七"]),
                 min_size=1, max_size=70).map("".join)
measures = st.sampled_from([1.5, 2, 3, 4, 5, 6.5, 7, 9, 11, 13])


def test_line_costs_are_not_negative():
    # The bound's premise: a longer path never costs less (rules.BREAK_PENALTY adds to level 2).
    assert min(BREAK_PENALTY.values()) >= 0.0


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(texts, measures, style_options(max_squeeze=st.sampled_from([0.0, 0.1])), st.sampled_from([0.0, 2.0]))
def test_bounded_last_pass_chooses_the_same_lines(fonts, text, chars, kw, indent):
    st_ = style(**kw)
    for p, _, _ in _para((Run(text, "t"),), st_, fonts).segments:
        if not p.infos:
            continue
        full, best = _search(p, chars, indent, st_, INF)
        assert best is not None  # exploring every start: every line is its own
        for near in (-1.0, 2.0 * chars + 1.0):
            _, bound = _search(p, chars, indent, st_, near)
            if bound is not None:
                assert best <= bound
                assert _search(p, chars, indent, st_, INF, bound)[0] == full
        # the tightest bound: positions on a path as cheap as the best are all kept
        assert _search(p, chars, indent, st_, INF, best)[0] == full


def test_the_last_pass_moves_a_loose_line_s_slack_back(fonts):
    # 7 em: the first pass sets "八大中文五二" spread beyond the tolerance; the last pass
    # (bounded by the first pass's total: all its lines are ones it may choose) breaks the
    # first line a character earlier, pushed in, and no line is loose
    text = "人小小；十。三二八大中文五二中。”八四国七字三国大"
    st_ = style()
    p = _para((Run(text, "t"),), st_, fonts).segments[0][0]
    first, bound = _search(p, 7.0, 0.0, st_, -1.0)
    assert [text[i:j] for i, j, _, _ in first] == ["人小小；十。三二", "八大中文五二", "中。”八四国七字", "三国大"]
    assert bound is not None
    assert [text[i:j] for i, j, _, _ in break_path(p, 7.0, 0.0, st_)] == \
        ["人小小；十。三", "二八大中文五二", "中。”八四国七字", "三国大"]
    assert lines_of(fonts, text, 7) == ["人小小；十。三", "二八大中文五二", "中。”八四国七字", "三国大"]


def test_no_bound_from_a_path_with_a_line_the_last_pass_never_considers(fonts):
    # The first pass keeps scoring shorter lines from a start until one needs no spacing
    # between characters; the pass exploring every start stops at a loose line that follows
    # one within the tolerance. A first-pass path through such a line may cost less than
    # anything the last pass can choose, so it gives no bound (else the last pass would
    # lose its best path).
    st_ = style()
    for text, chars, first_lines, lines in (
            ("大大四一字八九二人国ab七小一 二八九大小十’䶮十一ab——，", 9.0,
             ["大大四一字八九二人", "国ab七小一 二八", "九大小十’䶮十一", "ab——，"],
             ["大大四一字八九二人", "国ab七小一 二八九", "大小十’䶮十一", "ab——，"]),
            ("国 大ab一八九人六一ab，三字五中五ab国·字’", 5.0,
             ["国 大ab", "一八九人六", "一ab，三字", "五中五ab", "国·字’"],
             ["国 大ab一", "八九人六一", "ab，三字五", "中五ab", "国·字’"])):
        p = _para((Run(text, "t"),), st_, fonts).segments[0][0]
        first, bound = _search(p, chars, 0.0, st_, -1.0)
        assert [text[i:j] for i, j, _, _ in first] == first_lines
        assert bound is None
        assert [text[i:j] for i, j, _, _ in break_path(p, chars, 0.0, st_)] == lines
        assert lines_of(fonts, text, chars) == lines
