"""The importer on extracted-text fixtures with damage patterns the seed does not show:
breaks after a comma, inside an opening quote, at a colon, inside a word that makes the
first part look like a head, across a caption; ASCII punctuation and quotes, a URL and a
number with a comma; captions with 图为/图片 prefixes, printed twice, with a credit; a kicker
and a subhead on lines of their own; a briefs block with bullets; a banner with • separators;
a story without a head; a head that can only be guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from paperlayout.importer import curly_quotes, import_dump, is_banner, merge_jumps, scalar, split_word, to_yaml
from paperlayout.loader import load_issue_text

FIXTURES = Path(__file__).parent / "fixtures"


def _import(name: str):
    skeleton = import_dump((FIXTURES / name).read_text(encoding="utf-8"))
    text = to_yaml(skeleton)
    issue = load_issue_text(text, FIXTURES / "issue.yaml")  # loads with today's loader
    return skeleton, text, issue


@pytest.fixture(scope="module")
def county():
    return _import("county_tabloid.txt")


@pytest.fixture(scope="module")
def splits():
    return _import("split_patterns.txt")


def test_head_stack_kicker_head_subhead_byline(county):
    _, _, issue = county
    lead = issue.pages[0].stories[0]
    assert (lead.kicker, lead.head, lead.subhead) == ("综合治理 共建家园", "我县启动春季“清河行动”", "——全县500余名志愿者参与")
    assert lead.byline == "本报记者 王小明 通讯员 李华"
    assert lead.dateline == "本报讯"
    assert lead.body[0].text.startswith("3月20日，我县在城关镇举行春季“清河行动”启动仪式。")


def test_break_after_comma_and_inside_a_word_joined_numbers_and_urls_kept(county):
    _, _, issue = county
    texts = [b.text for b in issue.pages[0].stories[0].body]
    assert texts[1] == "据介绍，此次行动为期两个月，将重点整治河道垃圾、违规排污和乱堆乱放等问题，涉及全县12条主要河流，总长度超过1,000公里。"
    assert texts[2].endswith("对发现的问题限期整改。详情可访问 www.example.gov.cn/qinghe?id=3 查询。")
    assert "“我们要让河水重新清起来！”志愿者张芳说。" in texts[2]
    assert texts[3] == "县生态环境局同步开展执法检查（共出动执法人员60人次），对3家企业下达整改通知。"


def test_caption_prefix_dropped_credit_attached_source_closes_story(county):
    skeleton, text, issue = county
    photo = skeleton.stories[0].photos
    assert [(p.caption, p.credit) for p in photo] == [("志愿者在城关河畔清理垃圾。", "本报记者 王小明 摄")]
    assert issue.pages[0].stories[0].source == "（来源：县融媒体中心）"
    assert "    caption: 志愿者在城关河畔清理垃圾。" in text and "  - placeholder: true  # dump line" in text
    # a live placeholder entry (no file): the loaded photo is a placeholder of the guessed aspect
    (loaded,) = issue.pages[0].stories[0].photos
    assert loaded.placeholder and loaded.aspect == 1.5
    assert (loaded.caption, loaded.credit) == ("志愿者在城关河畔清理垃圾。", "本报记者 王小明 摄")


def test_banner_with_lookalike_separators_and_briefs_with_bullets(county):
    _, text, issue = county
    stories = issue.pages[0].stories
    assert [s.kind.value for s in stories] == ["article", "banner", "briefs", "article"]
    assert stories[1].text == "护河·爱河·兴河·美河"
    assert stories[2].head == "快讯"
    assert [i.text for i in stories[2].items] == [
        "近日，县第一中学获评“省级文明校园”。",
        "3月18日，县图书馆新馆正式开放，藏书量达30万册；开放时间为每周二至周日。",
        "县农业农村局开展春耕备耕技术培训，共培训农民800余人次。"]
    assert "# check: joined “，共培训农民” + “800余人次”: no sentence end before the break" in text
    assert "# repaired: dropped the bullet “■”" in text


def test_story_without_head_and_guessed_crosshead_are_marked(county):
    _, text, issue = county
    last = issue.pages[0].stories[3]
    assert last.dateline == "城关镇讯" and last.head == "（标题待补）"
    assert "# check: dateline without a head above it: write the head" in text
    assert "# check: “老街改造有了新方案” is the story's only crosshead: a crosshead, or the head of a new story?" in text


def test_split_patterns(splits):
    skeleton, text, issue = splits
    body = [(type(b).__name__, b.text) for b in issue.pages[0].stories[0].body]
    assert body == [
        ("Paragraph", "“我们学校的操场终于换成了塑胶跑道。”校长陈明指着新铺好的跑道，高兴地说。"
                      "今年以来，全镇投入资金600万元，改造了6所学校的操场和食堂。"),
        ("Paragraph", "许多家长表示，孩子们在学校吃得放心，学得安心。镇中心校还组织开展了“书香校园”读书活动，"
                      "举办讲座12场、读书分享会“我和我的家乡”等活动30余次……"),
        ("Paragraph", "学校还开设了书法、美术、音乐等兴趣课程：每周二、周四下午为兴趣课时间，全校学生均可自愿报名参加。"),
        ("Paragraph", "学校基础设施建设是改造工程的重点之一。全镇今年新招聘教师15名，并组织全部教师参加暑期培训。"),
        ("Paragraph", "“硬件上去了，软件也要跟上。”镇教办主任说。"),
    ]
    assert issue.pages[0].stories[0].dateline == "本报讯（记者 赵敏）"
    # the caption between the two halves of a paragraph, printed twice with 图片
    assert [p.caption for p in skeleton.stories[0].photos] == ["新改造的学校食堂宽敞明亮。"]
    assert "# check: caption printed twice (lines 11 and 27): one photo kept" in text
    assert "# check: joined “等兴趣课程：” + “每周二、周四”: a colon ends the line: run on, or a list follows?" in text
    assert "the break splits the word “基础设施” (the first part looked like a head)" in text


def test_summary_counts(splits):
    skeleton, _, _ = splits
    summary = skeleton.summary()
    assert (summary["fragments joined"], summary["joins to check"], summary["duplicate captions"]) == (5, 3, 1)


def test_split_word_finds_the_word_across_the_break():
    assert split_word("本次活动采取清洁化、无害化处理方", "式，在我旗") == "方式"
    assert split_word("周立教授的讲座以“三产融合与四生农", "业”为主题") == "农业"
    assert split_word("涵盖4大类包括传统技艺", "达拉特酱菜技艺") == ""


def test_curly_quotes_only_in_pairs_next_to_chinese():
    assert curly_quotes('春季"清河行动"启动') == "春季“清河行动”启动"
    assert curly_quotes('他说"好') == '他说"好'  # odd count: left for the archivist
    assert curly_quotes('the "word" here') == 'the "word" here'


def test_banner_needs_three_short_slogans():
    assert is_banner("走基层·听民意·解民忧·话发展·促振兴")
    assert not is_banner("鄂尔多斯·达拉特旗")
    assert not is_banner("他说·我们，走吧·好的·是")


TRICKY = st.text(alphabet="达拉特旗：，。“”abc 019.:-#?&*!|>'\"%@`{}[]eE+_~", min_size=1, max_size=20)


@given(TRICKY.map(str.strip).filter(bool))
def test_scalar_reads_back_as_the_same_string(text):
    assert yaml.safe_load(f"k: {scalar(text)}") == {"k": text}


BLOCKS = ["达拉特旗：干部下基层 聚力促振兴", "本报记者 薛世昌", "本报讯（记者 刘婷 袁娇）", "本报讯(记者 刘婷)3月13日,我旗举办培训班。",
          "树林召讯 大咖云集,真知灼见谈发展动能。", "走到基层——这里有春天的暖意", "包联单位干部到村民家中了解种养殖情况。",
          "图片送书下乡,农牧民有了流动的“充电站”。", "本次活动采取清洁化、无害化处理方", "式,在我旗统一销毁了假冒伪劣商品。",
          "走基层·听民意·解民忧", "简讯", "■ 近日,第七中学被命名为\"优质高中\"。", "(来源:达拉特发布)", "——副题在这里",
          "实战促提升 演练强素质 我旗培训班干货十足", "本报记者 王小明 摄", "周立教授的讲座以“三产融合与四生农", "业”为主题。",
          "学校还开设了兴趣课程:", "访问 www.example.gov.cn 查询。", "(下转第2版)", "(上接第1版)", "（记者 王小明）"]


@settings(deadline=None)  # the first call loads jieba's dictionary
@given(st.lists(st.tuples(st.sampled_from(BLOCKS), st.integers(0, 3)), min_size=1, max_size=25))
def test_any_dump_imports_loads_and_keeps_every_block(blocks):
    """Whatever the order of blocks: no exception, the YAML loads with today's loader, and the
    text of every block (prefixes and bullets aside) is in the skeleton's copy."""

    dump = "".join(text + "\n" * (gap + 1) for text, gap in blocks)
    (skeleton,) = merge_jumps([import_dump(dump)])
    if skeleton.stories:  # else the command refuses the dump (exit 2)
        load_issue_text(to_yaml(skeleton), FIXTURES / "issue.yaml")
    _assert_blocks_kept([dump], [skeleton])


PAGE = st.lists(st.tuples(st.sampled_from(BLOCKS), st.integers(0, 3)), min_size=1, max_size=12)


@settings(deadline=None)
@given(st.lists(PAGE, min_size=2, max_size=3))
# a head alone on page 1 continued (转版) on page 2 with a dateline: the stand-in （正文缺失）
# must not come between the dateline and its copy
@example([[("达拉特旗：干部下基层 聚力促振兴", 0), ("(下转第2版)", 0)],
          [("(上接第1版)", 0), ("本报讯(记者 刘婷)3月13日,我旗举办培训班。", 0)]])
# copy on page 1, a dateline opening the continuation: it stays in front of its paragraph
@example([[("达拉特旗：干部下基层 聚力促振兴", 0), ("达拉特旗：干部下基层 聚力促振兴", 0),
           ("达拉特旗：干部下基层 聚力促振兴", 1), ("(下转第2版)", 0)],
          [("(上接第1版)", 0), ("本报讯(记者 刘婷)3月13日,我旗举办培训班。", 0)]])
# a photo credited twice (the first credit a head run into it): the second credit never replaces the first unseen
@example([[("达拉特旗：干部下基层 聚力促振兴", 0)],
          [("图片送书下乡,农牧民有了流动的“充电站”。", 1), ("达拉特旗：干部下基层 聚力促振兴", 0),
           ("本报记者 王小明 摄", 1), ("本报记者 王小明 摄", 0)]])
# a crosshead-like line under the head on page 1: the continuation's dateline stays in front of its copy
@example([[("达拉特旗：干部下基层 聚力促振兴", 2), ("达拉特旗：干部下基层 聚力促振兴", 1), ("(下转第2版)", 0)],
          [("(上接第1版)", 0), ("本报讯(记者 刘婷)3月13日,我旗举办培训班。", 0)]])
def test_any_pages_merge_loads_and_keep_every_block(pages):
    """Several random dumps as the pages of one issue, jumps merged: the copy of every page is kept."""
    dumps = ["".join(text + "\n" * (gap + 1) for text, gap in page) for page in pages]
    skeletons = merge_jumps([import_dump(d) for d in dumps])
    if all(s.stories for s in skeletons):
        load_issue_text(to_yaml(skeletons), FIXTURES / "issue.yaml")
    _assert_blocks_kept(dumps, skeletons)


def _assert_blocks_kept(dumps, skeletons):
    from paperlayout.importer import CAPTION_PREFIXES, JUMP_IN, JUMP_OUT, read_blocks

    # text the importer set aside is named in a note ("… left out", a merged 接版题)
    left_out = "".join(n.message for k in skeletons for n in k.notes + tuple(x for s in k.stories for x in s.notes))
    copy = (left_out + "".join(
        "".join([s.text, s.kicker, s.head, s.subhead, s.byline, s.dateline]
                + [p.text for p in s.body + s.items] + [x.caption + x.credit for x in s.photos] + [s.source])
        for k in skeletons for s in k.stories)).replace(" ", "")
    for block in (b for dump in dumps for b in read_blocks(dump)[0]):
        if JUMP_OUT.match(block.text) or JUMP_IN.match(block.text):
            continue  # jump lines are furniture the build sets itself
        text = block.text.lstrip("■ ")
        text = next((text[len(p):] for p in CAPTION_PREFIXES if text.startswith(p)), text)
        assert text.replace(" ", "") in copy, text


def test_import_command_bad_input_exits_2_with_located_message(tmp_path):
    from click.testing import CliRunner

    from paperlayout.cli import main

    runner = CliRunner()
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("标题\n\n正文。".encode("utf-8") + b"\n\n" + "第二段".encode("gb18030"))
    cases = [
        ([str(gbk), "-o", str(tmp_path / "a")], "gbk.txt:5: not valid UTF-8"),
        ([str(tmp_path / "none.txt"), "-o", str(tmp_path / "b")], "cannot read the dump"),
        ([str(FIXTURES / "split_patterns.txt"), "-o", str(tmp_path / "c"), "--date", "2023-13-01"], "YYYY-MM-DD"),
    ]
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    cases.append(([str(empty), "-o", str(tmp_path / "d")], "no stories found"))
    for args, message in cases:
        result = runner.invoke(main, ["import", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
    assert not any((tmp_path / name).exists() for name in "abcd")


def test_several_dumps_one_folder_each_date_from_file_name(tmp_path):
    from click.testing import CliRunner

    from paperlayout.cli import main
    from paperlayout.importer import date_from_name

    assert [date_from_name(n) for n in ("2023-03-17.txt", "dalate_20230317.txt", "2023-02-30.txt", "x.txt")] == [
        "2023-03-17", "2023-03-17", "", ""]
    for name in ("2023-03-17.txt", "split_2023_03_18.txt"):
        (tmp_path / name).write_bytes((FIXTURES / "split_patterns.txt").read_bytes())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "2023-03-17.txt"), str(tmp_path / "split_2023_03_18.txt"),
                                       str(bad), "-o", str(tmp_path / "issues")])
    assert result.exit_code == 2, result.output
    assert "bad.txt:1: not valid UTF-8" in result.output and "imported 2 of 3 dumps" in result.output
    first = (tmp_path / "issues" / "2023-03-17" / "issue.yaml").read_text(encoding="utf-8")
    assert "  date: 2023-03-17  # check: taken from the file name" in first
    second = load_issue_text((tmp_path / "issues" / "split_2023_03_18" / "issue.yaml").read_text(encoding="utf-8"),
                             tmp_path / "issue.yaml")
    assert str(second.date) == "2023-03-18"


def test_pages_of_one_issue(tmp_path):
    """--pages: each dump is a printed page of one issue; ids stay unique across pages."""
    from click.testing import CliRunner

    from paperlayout.cli import main

    result = CliRunner().invoke(main, ["import", str(FIXTURES / "county_tabloid.txt"), str(FIXTURES / "split_patterns.txt"),
                                       "--pages", "--preset", "tabloid", "-o", str(tmp_path / "two")])
    assert result.exit_code == 0, result.output
    assert "pages                      2" in result.output
    issue = load_issue_text((tmp_path / "two" / "issue.yaml").read_text(encoding="utf-8"), tmp_path / "two" / "issue.yaml")
    assert [(p.number, p.section) for p in issue.pages] == [(1, "要闻"), (2, "第2版")]
    assert [s.id for s in issue.pages[1].stories] == ["p2-lead"]
    assert issue.pages[1].stories[0].head == "乡村学校迎来新变化"


def test_text_wrapped_at_printed_lines_is_unwrapped():
    """A dump that keeps the printed lines (runs of lines, blank lines between paragraphs):
    each run is one block, joined without spaces; the column break across a caption is joined."""
    skeleton, text, issue = _import("wrapped_columns.txt")
    story = issue.pages[0].stories[0]
    assert story.dateline == "本报讯（记者 刘婷 袁娇）"
    assert [b.text for b in story.body] == [
        "3月13日，我旗举办新闻发言人培训班，旨在进一步提升全旗新闻发言人的新闻发布和舆论引导水平。",
        "此次培训特邀北京市政府原新闻发言人王惠视频授课。培训直击问题，重点突出，内容丰富，讲授生动。此次培训特别强调了实战的重要性。",
        "据了解，此次培训班为期3天。"]
    assert [p.caption for p in skeleton.stories[0].photos] == ["学员们认真听讲。"]


def test_dump_without_blank_lines_has_a_block_per_line():
    dump = "我旗举办新闻发言人培训班\n本报讯（记者 刘婷）3月13日，我旗举办培训班。\n此次培训特邀专家授课。\n据了解，培训班为期3天。\n"
    skeleton = import_dump(dump)
    assert [p.text for p in skeleton.stories[0].body] == ["3月13日，我旗举办培训班。", "此次培训特邀专家授课。", "据了解，培训班为期3天。"]


def test_closing_credit_in_brackets_stays_copy_and_is_not_joined():
    dump = ("老街改造有了新方案\n\n本报讯 近日，县住建局公布了老街改造方案。\n\n（记者 王小明）\n\n"
            "春耕备耕有序推进\n\n本报讯 全县春耕备耕工作有序推进。\n")
    skeleton = import_dump(dump)
    assert [s.head for s in skeleton.stories] == ["老街改造有了新方案", "春耕备耕有序推进"]
    assert [(p.text, p.crosshead) for p in skeleton.stories[0].body] == [
        ("近日，县住建局公布了老街改造方案。", False), ("（记者 王小明）", False)]


def test_jumps_across_pages_are_merged_into_one_story():
    """（下转第2版） on page 1 and （上接第一版） under a 接版题 on page 2: one story, the paragraph
    cut at the jump joined (生|动), the continuation's photo kept; the other stories stay."""
    from paperlayout.importer import merge_jumps, page_number

    assert [page_number(t) for t in ("（下转第2版）", "（上接第一版）", "（转第十二版）", "（接第10版）")] == [2, 1, 12, 10]
    pages = merge_jumps([import_dump((FIXTURES / f"jump_page{k}.txt").read_text(encoding="utf-8")) for k in (1, 2)])
    first = pages[0].stories[0]
    assert [s.head for s in pages[0].stories] == ["我旗新闻发言人培训班干货十足", "我旗集中销毁6.3万元假冒伪劣商品"]
    assert [s.head for s in pages[1].stories] == ["黄河达拉特段全线开河"]
    assert [p.text for p in first.body][1:] == [
        "此次培训特邀北京市政府原新闻发言人、新闻办主任王惠视频授课。培训直击问题，重点突出，内容丰富，讲授生动。此次培训特别强调了实战的重要性。",
        "据了解，此次培训班为期3天。"]
    assert [p.caption for p in first.photos] == ["学员们认真听讲。"]
    text = to_yaml(pages)
    assert "# repaired: joined “丰富，讲授生” + “动。此次培训” across the jump: the break splits the word “生动”" in text
    assert "  - placeholder: true  # page 2's dump, line 13, aspect guessed" in text
    loaded = load_issue_text(text, FIXTURES / "issue.yaml")
    assert [(p.placeholder, p.caption) for p in loaded.pages[0].stories[0].photos] == [(True, "学员们认真听讲。")]


def test_jump_without_its_other_page_is_marked():
    from paperlayout.importer import merge_jumps

    (alone,) = merge_jumps([import_dump((FIXTURES / "jump_page1.txt").read_text(encoding="utf-8"))])
    messages = [n.message for n in alone.stories[0].notes if n.check]
    assert messages == ["（下转第2版）: the rest of this story is on page 2 — import the pages together (--pages)"]
    (cont,) = merge_jumps([import_dump((FIXTURES / "jump_page2.txt").read_text(encoding="utf-8"))])
    assert any("no story there jumps to page 1" in n.message for n in cont.stories[1].notes)
