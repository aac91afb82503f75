"""``url_breaks: anywhere`` (issue 8): the editor lets a story's URLs, e-mail addresses and
paths break between any two characters, with no hyphen, each such break reported as an info
naming its line (``url-break``) instead of an emergency split (``unbreakable-split``).

Lines in the purpose-built test font (composer_helpers: Han 1 em, Latin ½ em)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer_helpers import SIZE, style
from paperlayout.text import ComposeStyle, Run, compose, count_lines
from paperlayout.text.latin import latin_breaks
from paperlayout.text.rules import URL_ANYWHERE_MIN_SIDE, URL_BREAK_AFTER, URL_BREAK_BEFORE

URL = "https://data.example.gov.cn/agriculture/moisturedashboard"
PARA = f"一二三四五六七{URL}，一二三四五六七八九十。"


def _compose(fonts, text, chars, **kw):
    return compose([Run(text, "t")], chars * SIZE, style(**kw), fonts)


def test_by_default_a_long_piece_is_an_emergency_split(fonts):
    c = _compose(fonts, PARA, 10)
    assert [line.text for line in c.lines] == ["一二三四五六七https:", "//data.example.gov.cn/", "agriculture/moisture",
                                               "dashboard，一二三四五", "六七八九十。"]
    assert [(d.code, d.where) for d in c.diagnostics] == [("unbreakable-split", "line 1"), ("unbreakable-split", "line 3")]


def test_anywhere_breaks_are_infos_naming_the_line(fonts):
    c = _compose(fonts, PARA, 10, url_breaks="anywhere")
    assert [line.text for line in c.lines] == ["一二三四五六七https:", "//data.example.gov.cn/", "agriculture/moisture",
                                               "dashboard，一二三四五", "六七八九十。"]
    assert [(d.level.value, d.code, d.where) for d in c.diagnostics] == [
        ("info", "url-break", "line 1"), ("info", "url-break", "line 3")]
    assert c.diagnostics[1].message == ("'agriculture/moisture' ends inside a URL, e-mail address or path, before "
                                        "'dashboar', with no hyphen (the story's url_breaks: anywhere)")
    assert not any(g.hyphen for line in c.lines for g in line.glyphs)
    assert c.text == PARA
    assert count_lines([Run(PARA, "t")], 10 * SIZE, style(url_breaks="anywhere"), fonts) == (len(c.lines), c.diagnostics)


def test_anywhere_at_a_narrow_measure(fonts):
    # 8 em: no piece after the scheme fits a line; each line ends where the measure does,
    # two characters of a piece at least on each side. (The first line cannot take even
    # "https:" after 七: it is spaced, reported.)
    c = _compose(fonts, PARA, 8, url_breaks="anywhere")
    assert [line.text for line in c.lines] == ["一二三四五六七", "https://data.examp", "le.gov.cn/agricul",
                                               "ture/moisturedas", "hboard，一二三四", "五六七八九十。"]
    assert [(d.code, d.where) for d in c.diagnostics] == [
        ("loose-line", "line 1"), ("url-break", "line 2"), ("url-break", "line 3"), ("url-break", "line 4")]


@pytest.mark.parametrize("chars", range(6, 30))
def test_anywhere_never_splits_the_scheme_nor_leaves_a_lone_character(fonts, chars):
    text = f"一二三四五六七访问{URL}或发邮件至export-service@linchuan-agri.example.cn。"
    c = _compose(fonts, text, chars, url_breaks="anywhere")
    assert c.text == text
    assert not any(d.code == "unbreakable-split" for d in c.diagnostics), chars
    breaks = [d for d in c.diagnostics if d.code == "url-break"]
    ends = [line.text for line in c.lines]
    at, scheme = 0, text.index("https://")
    for line in ends[:-1]:   # in the scheme only after its colon
        at += len(line)
        assert not scheme < at < scheme + len("https://") or at == scheme + len("https:"), (chars, ends)
    for k, (line, nxt) in enumerate(zip(ends, ends[1:])):
        joint = line[-12:] + nxt[:12]
        if (line[-1:].isascii() and nxt[:1].isascii() and line[-1] not in URL_BREAK_AFTER and line[-1] != ":"
                and nxt[0] not in URL_BREAK_BEFORE):
            assert any(d.where == f"line {k + 1}" for d in breaks), (chars, joint)
            # two characters of the piece on each side at least
            side = line[-URL_ANYWHERE_MIN_SIDE:] + nxt[:URL_ANYWHERE_MIN_SIDE]
            assert side.isascii() and not any(ch in URL_BREAK_AFTER + URL_BREAK_BEFORE for ch in side), (chars, joint)


def test_anywhere_only_inside_urls_and_the_choice_is_checked():
    plain = latin_breaks("visit the moisture dashboard", "en_US", "anywhere")
    assert plain is not None and not plain.anywhere
    found = latin_breaks("见www.12306.cn。", "en_US", "anywhere")
    # www.|12306.|cn: inside "12306" at 2 and 3 from its ends; "cn" has none
    assert sorted(found.anywhere) == [1 + 4 + 2, 1 + 4 + 3]
    with pytest.raises(ValueError, match="url_breaks must be one of marks, anywhere"):
        ComposeStyle(url_breaks="everywhere")


_PIECE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=30)
_HAN = st.text(alphabet="一二三四五六七八九十", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_HAN, host=st.lists(_PIECE, min_size=1, max_size=3), path=st.lists(_PIECE, max_size=3),
       after=_HAN, chars=st.integers(6, 24))
def test_anywhere_keeps_the_copy_and_needs_no_emergency(fonts, before, host, path, after, chars):
    # Han copy around one URL whose pieces are any length: every line fits the measure
    # without an emergency split, the copy reads back whole, and counting agrees.
    url = "https://" + ".".join(host) + ".cn" + "".join("/" + p for p in path)
    text = f"{before}{url}，{after}。"
    c = _compose(fonts, text, chars, url_breaks="anywhere")
    assert c.text == text
    assert not {d.code for d in c.diagnostics} & {"unbreakable-split", "overfull-line"}, [d.message for d in c.diagnostics]
    assert all(line.width <= chars * SIZE + 1e-6 for line in c.lines)
    assert not any(g.hyphen for line in c.lines for g in line.glyphs)
    assert count_lines([Run(text, "t")], chars * SIZE, style(url_breaks="anywhere"), fonts) == (len(c.lines), c.diagnostics)
