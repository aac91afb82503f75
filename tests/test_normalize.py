"""Tests for paperlayout.normalize: joining YAML lines and full-width punctuation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperlayout.normalize import fullwidth_punct, is_cjk, is_fullwidth_mark, join_lines


# --- join_lines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["了解基层，", "最好的方法"], "了解基层，最好的方法"),  # CJK punctuation | Han
        (["行之力则知愈进", "知之深则行愈达。"], "行之力则知愈进知之深则行愈达。"),  # Han | Han
        (["首届", "COVID-19"], "首届COVID-19"),  # Han | Latin
        (["使用了 5G", "网络"], "使用了 5G网络"),  # Latin | Han: no space added
        (["hello", "world"], "hello world"),  # Latin | Latin
        (["增长", "6.3", "个百分点"], "增长6.3个百分点"),
        (["2022", "2023"], "2022 2023"),  # digit | digit
        (["Hello,", "world"], "Hello, world"),  # ASCII punctuation | Latin
        (["see", "(note)"], "see (note)"),
        (["a word", ", then"], "a word, then"),  # no space before a closing mark
        (["他说：“好", "”"], "他说：“好”"),  # curly quotes count as Chinese marks
        (["第一段", "", "第二段"], "第一段第二段"),  # a blank line is a plain break
        (["  前后空白  ", "\u3000\u3000缩进"], "前后空白缩进"),  # lines are stripped
        ([], ""),
        (["", "  "], ""),
    ],
)
def test_join_lines(lines, expected):
    assert join_lines(lines) == expected


# --- fullwidth_punct: conversions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年以来,达拉特旗", "今年以来，达拉特旗"),
        ("今年以来, 达拉特旗", "今年以来，达拉特旗"),  # space after a converted mark removed
        ("今年以来 , 达拉特旗", "今年以来，达拉特旗"),  # and before it
        ("本报讯(记者 刘婷 袁娇)", "本报讯（记者 刘婷 袁娇）"),  # pair; spaces between names kept
        ("(记者 薛世昌 敖胜军)", "（记者 薛世昌 敖胜军）"),
        ("(蔬菜)", "（蔬菜）"),
        ("新冠肺炎(COVID-19)疫情", "新冠肺炎（COVID-19）疫情"),  # pair decided by its outside
        ("怎么办?", "怎么办？"),
        ("真好!", "真好！"),
        ("什么?!", "什么？！"),  # a converted mark makes its neighbour Chinese context
        ("达拉特旗:干部下基层", "达拉特旗：干部下基层"),
        ("一是抓党建;二是抓产业", "一是抓党建；二是抓产业"),
        ("他说:“好!”", "他说：“好！”"),
        ("时间:10:30", "时间：10:30"),  # the label colon converts, the time colon not
        ("增长3,但是", "增长3，但是"),  # a digit on one side, Han on the other
        ("网址:https://x.y/a?b=c", "网址：https://x.y/a?b=c"),
        ("访问https://x.y/a?b=c,即可", "访问https://x.y/a?b=c，即可"),
        ("本报讯 （记者 刘婷）", "本报讯（记者 刘婷）"),  # spaces at typed full-width marks
        ("今年以来， 达拉特旗", "今年以来，达拉特旗"),
    ],
)
def test_fullwidth_punct_converts(text, expected):
    assert fullwidth_punct(text) == expected


# --- fullwidth_punct: left alone -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://x.y/a?b=c",
        "http://www.dalate.gov.cn/index.html?id=3;page=2",
        "www.example.com/a:b",
        "6.3",
        "增长6.3个百分点",
        "1,000",
        "共1,000元",
        "3:2",
        "比分3:2落后",
        "Hello, world!",
        "Is it true? Yes: it is; (really).",
        "f(x) = 1",
        "COVID-19",
        "记者 刘婷 袁娇",  # spaces between Han names are kept
        "干部下基层 聚力促振兴",  # a space in a head is the editor's
        "“一带一路”——共建……",  # quotes, dash and ellipsis as typed
        "他说：“好。”",
        "",
    ],
)
def test_fullwidth_punct_leaves_alone(text):
    assert fullwidth_punct(text) == text


def test_latin_sentence_inside_chinese_keeps_its_marks():
    assert fullwidth_punct("他说Hello, world然后走了") == "他说Hello, world然后走了"


# --- character classes ---------------------------------------------------------------------------


def test_character_classes():
    assert all(is_cjk(c) for c in "汉，。（）“”——……·Ａ０")
    assert not any(is_cjk(c) for c in "aZ09,.()?:; ")
    assert all(is_fullwidth_mark(c) for c in "，。、；：？！（）《》【】")
    assert not any(is_fullwidth_mark(c) for c in "汉Ａ０ ,\u3000")


# --- properties ----------------------------------------------------------------------------------

HAN = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1)
MIXED = st.text(st.sampled_from("达拉特旗，。（）“”abc 12,.:;!?()"))


@given(st.lists(HAN))
def test_han_lines_join_without_spaces(lines):
    assert join_lines(lines) == "".join(lines)


@given(MIXED)
def test_fullwidth_punct_is_idempotent(text):
    once = fullwidth_punct(text)
    assert fullwidth_punct(once) == once


@given(st.text(st.sampled_from("abcXYZ019 ,.:;!?()-/=")))
def test_text_without_cjk_is_unchanged(text):
    assert fullwidth_punct(text) == text
