"""Break points in display type (issue 8, defect 3): heads, kickers, subheads, crossheads,
bylines and photo credits break at the editor's space, at punctuation or between words —
never inside a word (checked against the segmenter), a quoted term, a number with its
unit or a standard number. Widths are in em of the size the text is set at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paperlayout.text import segment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def styles():
    from paperlayout.styles import preset

    return preset("broadsheet")


@pytest.fixture(scope="module")
def ctx(styles):
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext

    return LayoutContext(styles, open_fonts(styles))


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def held_spans_split(lines: list[str]) -> list[str]:
    """Line ends that fall inside a quoted term (“…”, 《…》 with no pause mark in it), a
    number with its unit (6.3万元, 200多户, 3月14日) or a standard number (GB/T 19630—2019):
    found by patterns of their own, not by the code under test."""
    parts = [segment.normalise(line) for line in lines]
    text = "".join(parts)
    spans = [m.span() for m in re.finditer(r"“[^“”，。、；：]*”|《[^《》]*》", text)]
    spans += [m.span() for m in re.finditer(r"\d+(?:\.\d+)?(?:[万亿多余]?[元米户人类个次年月日时号])+", text)]
    spans += [m.span() for m in re.finditer(r"[A-Z]+(?:/[A-Z])? ?\d+(?:—\d+)?", text)]
    out, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        out += [f"{text[:at]}/{text[at:]}" for a, b in spans if a < at < b]
    return out


# -- the examples of the issue ------------------------------------------------------------

@pytest.mark.parametrize("text, lines", [
    # the sample's crossheads at its 17-character measure (16 × 9 pt): were "…办好民/生实事"
    ("紧盯群众“关切点”突出办好民生实事", ["紧盯群众“关切点”", "突出办好民生实事"]),
    ("抓住党建“切入点”突出建强基层组织", ["抓住党建“切入点”", "突出建强基层组织"]),
    ("找准治理“根本点”突出提升治理水平", ["找准治理“根本点”", "突出提升治理水平"]),
    ("把握发展“着力点”突出壮大集体经济", ["把握发展“着力点”", "突出壮大集体经济"]),
])
def test_sample_crossheads_break_at_their_quoted_term(ctx, styles, text, lines):
    cst = styles.crosshead
    assert texts(ctx.wrap(text, cst.face, cst.size, 16 * 9.0).lines) == lines


def test_kicker_breaks_between_words(ctx, styles):
    # the composer alone sets "聚焦项目建设推动全旗经/济高质量发展" at 11 em
    kst = styles.kicker
    text = "聚焦项目建设推动全旗经济高质量发展"
    assert texts(ctx.wrap(text, kst.face, kst.size, 11 * kst.size).lines) == ["聚焦项目建设推动", "全旗经济高质量发展"]
    assert texts(ctx.wrap(text, kst.face, kst.size, 5 * kst.size).lines) == ["聚焦项目", "建设推动", "全旗经济", "高质量发展"]


def test_subhead_keeps_its_dash_with_the_first_words(ctx, styles):
    # was "——记返/乡…"; a dash alone on a line is not a line either
    sst = styles.subhead
    text = "——记返乡创业青年张晓东"
    assert texts(ctx.wrap(text, sst.face, sst.size, 8 * sst.size).lines) == ["——记返乡", "创业青年张晓东"]
    assert texts(ctx.wrap(text, sst.face, sst.size, 5 * sst.size).lines) == ["——记返乡", "创业青年", "张晓东"]


def test_head_keeps_a_quoted_term_whole(ctx, styles):
    from paperlayout.layout.blocks import _head_lines

    tier = styles.head_tiers[1]
    size = tier.sizes[0]
    lines, wrapped = _head_lines(ctx, "县人社局“春风行动”送岗位到家门口", tier.face, size, 10 * size, 2)
    assert texts(lines) == ["县人社局“春风行动”", "送岗位到家门口"] and wrapped
    # narrower than “春风行动” and its words allow: no head at this size (the planner shrinks it)
    assert _head_lines(ctx, "县人社局“春风行动”送岗位到家门口", tier.face, size, 8 * size, 2) is None


@pytest.mark.parametrize("text, em, lines", [
    ("达拉特旗：干部 下基层聚力促振兴", 8, ["达拉特旗：干部", "下基层聚力促振兴"]),
    ("鄉村振興 產業為先", 6, ["鄉村振興", "產業為先"]),
    ("达拉特旗：干部下基层 聚力促振兴", 10, ["达拉特旗：干部下基层", "聚力促振兴"]),
])
def test_the_editors_space_wins(ctx, styles, text, em, lines):
    from paperlayout.layout.blocks import _head_lines

    tier = styles.head_tiers[1]
    size = tier.sizes[0]
    got, wrapped = _head_lines(ctx, text, tier.face, size, em * size, 2)
    assert texts(got) == lines and not wrapped


def test_the_editors_space_is_not_overridden_by_a_better_balance(ctx, styles):
    # "达拉特旗：干部下基层" does not fit 8 em: the head is not broken elsewhere at this size
    from paperlayout.layout.blocks import _head_lines

    tier = styles.head_tiers[1]
    size = tier.sizes[0]
    assert _head_lines(ctx, "达拉特旗：干部下基层 聚力促振兴", tier.face, size, 8 * size, 2) is None


def test_a_standard_number_keeps_its_word_space(ctx, styles):
    from paperlayout.layout.blocks import _head_lines

    tier = styles.head_tiers[1]
    size = tier.sizes[0]
    text = "有机产品认证执行GB/T 19630—2019"
    (one,), _ = _head_lines(ctx, text, tier.face, size, 30 * size, 2)
    assert one.text == text  # a word space, not an ideographic space
    space = next(g for g in one.glyphs if g.text == " ")
    assert space.width < 0.4 * size
    t, digit = (next(g for g in one.glyphs if g.text == c) for c in "T1")
    assert digit.x - (t.x + t.width) < 0.5 * size  # "GB/T　　19630" was 2 em apart
    lines, _ = _head_lines(ctx, text, tier.face, size, 10 * size, 2)
    assert texts(lines) == ["有机产品认证执行", "GB/T 19630—2019"]


def test_a_number_keeps_its_unit(ctx, styles):
    from paperlayout.layout.blocks import _head_lines

    tier = styles.head_tiers[1]
    size = tier.sizes[0]
    lines, _ = _head_lines(ctx, "我旗集中销毁6.3万元假冒伪劣商品", tier.face, size, 10 * size, 2)
    assert texts(lines) == ["我旗集中销毁6.3万元", "假冒伪劣商品"]


@pytest.mark.parametrize("chars, lines", [
    (13, [(0, "县人社局工作人员在招聘会现"), (0, "场为求职群众讲解岗位信息。"), (4, "本报记者　李堃　摄")]),
    (20, [(0, "县人社局工作人员在招聘会现场为求职群众讲"), (0, "解岗位信息。　本报记者　李堃　摄")]),
])
def test_credit_is_never_broken(ctx, chars, lines):
    # was "…本报记/者 李堃 摄": the credit runs in when it fits whole, else takes a line of
    # its own, flush right (dx in em of the 9 pt caption size)
    from paperlayout.layout.blocks import caption_block

    block = caption_block(ctx, "县人社局工作人员在招聘会现场为求职群众讲解岗位信息。", "本报记者 李堃 摄", chars)
    assert [(round(p.dx / 9.0), p.line.text) for p in block.lines] == lines
    assert block.rows == len(lines)


def test_credit_alone_and_too_long_credit(ctx):
    from paperlayout.layout.blocks import caption_block

    alone = caption_block(ctx, "", "本报记者 李堃 摄", 13)
    assert [(p.dx, p.line.text) for p in alone.lines] == [(0.0, "本报记者　李堃　摄")]
    narrow = caption_block(ctx, "图为现场。", "本报记者 李堃 摄", 6)
    assert [p.line.text for p in narrow.lines] == ["图为现场。", "本报记者", "李堃　摄"]


def test_a_head_without_a_break_that_fits_is_set_smaller_and_reported(ctx, styles):
    from paperlayout.layout.blocks import headline_block
    from paperlayout.model import Story

    story = Story(id="s", head="县人社局“春风行动”送岗位到家门口", where="issue.yaml:12")
    tier = styles.head_tiers[1]
    width = 9 * tier.sizes[0] + 2 * styles.page.body_size  # 9 em of the tier's first size, plus the margins
    assert headline_block(ctx, story, width, tier, 0) is None
    block = headline_block(ctx, story, width, tier, 1)
    assert texts(p.line for p in block.lines) == ["县人社局“春风行动”", "送岗位到家门口"]
    assert [(d.code, d.where) for d in block.diagnostics] == [("head-shrunk", "issue.yaml:12")]


def test_a_head_with_no_break_at_all_is_broken_as_a_last_resort_and_reported(ctx, styles):
    from paperlayout.layout.blocks import headline_block
    from paperlayout.model import Story

    story = Story(id="s", head="“中华人民共和国国家标准有机产品认证实施规则”", where="issue.yaml:3")
    tier = styles.head_tiers[-1]
    width = 12 * tier.sizes[-1] + 2 * styles.page.body_size
    for step in range(len(tier.sizes) - 1):
        assert headline_block(ctx, story, width, tier, step) is None
    block = headline_block(ctx, story, width, tier, len(tier.sizes) - 1)
    assert len(block.lines) == 2
    assert [d.code for d in block.diagnostics] == ["head-break"]
    assert "issue.yaml:3" == block.diagnostics[0].where


# -- the checker: no display line of the sample, or of heads written for it, inside a word --

DISPLAY_ROLES = ("head", "kicker", "subhead", "crosshead", "byline", "banner", "jump")


def display_strings(frame) -> list[tuple[str, str, list[str]]]:
    """(story, role, lines) of every display string on a laid-out page: consecutive lines
    of one role in one story, closer than two lines of their size apart."""
    from paperlayout.frames import TextLine

    out: list[tuple[str, str, list[str]]] = []
    for story in frame.stories:
        last = None
        for item in story.items:
            if not isinstance(item, TextLine) or item.role not in DISPLAY_ROLES:
                last = None
                continue
            near = last is not None and last.role == item.role and item.y - last.y < 2 * item.line.size
            if near and item.role != "byline":
                out[-1][2].append(item.line.text)
            else:
                out.append((story.story, item.role, [item.line.text]))
            last = item
    return out


@pytest.fixture(scope="module")
def sample_laid():
    from paperlayout.build import lay_out
    from paperlayout.loader import load_issue

    return lay_out(load_issue(ROOT / "issues" / "dalate"))


def test_no_display_line_of_the_sample_breaks_inside_a_word(sample_laid):
    frame = sample_laid.pages[0].frame
    found = display_strings(frame)
    broken = [(story, role, lines) for story, role, lines in found if len(lines) > 1]
    assert broken == [
        ("counterfeit-destroyed", "head", ["我旗集中销毁6.3万元", "假冒伪劣商品"]),
        ("discipline-commission-village", "crosshead", ["聚焦村庄“痛点”", "突出开展专项攻坚"]),
        ("discipline-commission-village", "crosshead", ["紧盯群众“关切点”", "突出办好民生实事"]),
        ("discipline-commission-village", "crosshead", ["找准治理“根本点”", "突出提升治理水平"]),
        ("discipline-commission-village", "crosshead", ["抓住党建“切入点”", "突出建强基层组织"]),
        ("discipline-commission-village", "crosshead", ["把握发展“着力点”", "突出壮大集体经济"]),
    ]
    assert ("spokesperson-training", "kicker", ["实战促提升　演练强素质"]) in found
    assert ("lead", "head", ["达拉特旗：干部下基层　聚力促振兴"]) in found
    assert ("spokesperson-training", "head", ["我旗新闻发言人培训班干货十足"]) in found
    for story, role, lines in found:
        assert segment.bad_breaks(lines) == [], (story, role, lines)
        assert held_spans_split(lines) == [], (story, role, lines)


WRITTEN = [
    # traditional, with and without the editor's space
    "鄉村振興 產業為先", "鄉村振興產業為先發展特色農業", "臺灣同胞踴躍參加兩岸經貿交流會",
    # Latin and mixed
    "Inner Mongolia wind farm opens to visitors", "5G基站覆盖全旗所有嘎查村",
    "有机产品认证执行GB/T 19630—2019", "ISO 9001:2015质量管理体系认证",
    # long numbers, units and dates
    "全旗2022年地区生产总值达到1016.5亿元", "3月14日10时黄河达拉特段全线开河",
    "惠及群众200多户 新建公厕1处", "第十二批全国“一村一品”示范村镇名单公布",
    # quoted terms, dashes, a name with a rare character
    "县人社局“春风行动”送岗位到家门口", "——记返乡创业青年王𠮷明和他的合作社",
]


@pytest.mark.parametrize("text", WRITTEN)
def test_written_heads_break_between_words_at_every_width(ctx, styles, text):
    from paperlayout.layout.blocks import _head_lines

    tier = styles.head_tiers[1]
    size = tier.sizes[-1]
    set_somewhere = 0
    for em in range(4, 30):
        got = _head_lines(ctx, text, tier.face, size, em * size, 2)
        if got is not None:
            set_somewhere += 1
            lines = texts(got[0])
            assert segment.bad_breaks(lines) == [], (em, lines)
            assert held_spans_split(lines) == [], (em, lines)
            assert "".join(lines).replace("\u3000", "").replace(" ", "") == text.replace(" ", "")
        for face, sz in ((styles.subhead.face, styles.subhead.size), (styles.crosshead.face, styles.crosshead.size)):
            lines = texts(ctx.wrap(text, face, sz, em * sz).lines)
            assert "".join(lines).replace("\u3000", "").replace(" ", "") == text.replace(" ", "")
            if not ctx.wrap(text, face, sz, em * sz).diagnostics:
                assert segment.bad_breaks(lines) == [], (em, lines)
                assert held_spans_split(lines) == [], (em, lines)
    assert set_somewhere >= 10


def test_checker_finds_a_break_inside_a_word():
    assert segment.bad_breaks(["全旗经", "济发展"]) == ["全旗经/济发展"]
    assert segment.bad_breaks(["本报记", "者 李堃 摄"]) == ["本报记/者 李堃 摄"]
    assert segment.bad_breaks(["全旗", "经济发展"]) == []
    assert held_spans_split(["县人社局“春风行", "动”送岗位"]) != []
    assert held_spans_split(["销毁6.3万", "元"]) != []
    assert held_spans_split(["执行GB/T", "19630—2019"]) != []


def test_segmenter_is_deterministic_and_quiet():
    """Loading the segmenter in a fresh interpreter prints nothing (jieba's logger talks on
    stderr when it builds its own table) and gives the same words every time."""
    import os
    import subprocess
    import sys

    code = ("from paperlayout.text import segment; "
            "print('|'.join(segment.words('达拉特旗着力践行以人民为中心的发展思想')))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0 and run.stderr == ""
        assert run.stdout == "达拉特旗|着力|践行|以|人民|为|中心|的|发展|思想\n"


def test_the_sorted_dictionary_segments_as_jiebas_own(tmp_path):
    """segment.py stands jieba's dictionary in by a sorted list searched by bisection: the
    words and the total must be what jieba's own loader gives."""
    from importlib.resources import files

    jieba = segment._import_jieba()
    data = (files("jieba") / "dict.txt").read_text(encoding="utf-8")
    ours = segment._tokenizer()
    assert ours.total == segment.dictionary_total([line for line in data.split("\n") if line])
    own = jieba.Tokenizer()
    own.tmp_dir = str(tmp_path)  # its cache file goes here, not to the system temp directory
    own.initialize()
    assert own.total == ours.total
    for text in WRITTEN + ["达拉特旗着力践行以人民为中心的发展思想", "旗纪委监委用行动书写包联驻村新篇章",
                           "王爱召镇送科学技术下乡助力春耕生产", "中国人民大学农业与农村发展学院教授"]:
        simple = segment.simplified(text)
        assert tuple(own.cut(simple)) == tuple(ours.cut(simple)), text


def _sample_sentences() -> list[str]:
    sample = (ROOT / "issues" / "dalate" / "issue.yaml").read_text(encoding="utf-8")
    return [line.strip()[2:] for line in sample.splitlines() if line.strip().startswith("- ") and len(line) > 80]


SENTENCES = _sample_sentences()


@pytest.mark.parametrize("width", [4, 6, 9, 13])
def test_best_lines_on_stretches_of_the_sample_copy(width):
    """Every 7- to 24-character stretch of the sample's copy, starting at each sentence
    start, set `width` characters wide: either no allowed break fits (None), or lines that
    fit, keep every character, and break only between words and outside held spans."""
    set_count = 0
    for sentence in SENTENCES:
        for start in range(0, len(sentence) - 8, 11):
            for length in (7, 15, 24):
                text = sentence[start:start + length]
                lines = segment.best_lines(text, lambda line: segment._visible(line) <= width)
                if lines is None:
                    continue
                set_count += 1
                assert all(segment._visible(line) <= width for line in lines), (text, lines)
                assert "".join(lines).replace("\u3000", " ").replace(" ", "") == text.replace(" ", "")
                assert segment.bad_breaks(lines) == [], (text, lines)
                assert held_spans_split(lines) == [], (text, lines)
    assert set_count > 50
