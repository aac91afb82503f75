"""Tests for paperlayout.loader: issue.yaml → Issue, and the messages for bad input."""

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from paperlayout.diagnostics import Level
from paperlayout.loader import LoadError, Problem, load_issue, load_issue_text
from paperlayout.model import Crosshead, Paragraph, StoryKind

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
PIXEL = BAD / "photos" / "pixel.jpg"  # a valid 1×1 JPEG

# A minimal valid issue; tests replace single lines of it to make one mistake.
MINIMAL = """\
paper:
  name: 达拉特报
issue:
  date: 2023-03-17
  number: 1234
  preset: tabloid
pages:
  - number: 1
    section: 要闻
    stories:
      - id: lead
        head: 达拉特旗：干部下基层 聚力促振兴
        body:
          - 今年以来，达拉特旗把干部下基层作为重要抓手。
"""


def write_issue(folder: Path, text: str, photos: tuple[str, ...] = ()) -> Path:
    """Write issue.yaml (and 1×1 JPEG photos) into ``folder``; returns the issue.yaml path."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in photos:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PIXEL, folder / name)
    path = folder / "issue.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(LoadError) as caught:
        load_issue(path)
    return caught.value.problems


def only_problem(tmp_path: Path, text: str, photos: tuple[str, ...] = ()) -> Problem:
    problems = problems_of(write_issue(tmp_path, text, photos))
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def replaced(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


# --- a good issue ---------------------------------------------------------------------------------

GOOD = """\
paper:
  name: 达拉特报
  publisher: 中共达拉特旗委员会主办
  cn: CN 15-0000
  postal_code: "00-000"
  sample: true
issue:
  date: 2023-03-17
  number: 1234
  running_number: 5678
  preset: tabloid
  edition: 要闻版
pages:
  - number: 1
    section: 要闻
    editor: 张三
    proofreader: 李四
    stories:
      - id: lead
        kicker: 转作风 办实事
        head: 达拉特旗:干部下基层 聚力促振兴
        subhead: ——副题
        byline: 本报记者 薛世昌
        dateline: 本报讯(记者 刘婷 袁娇)
        body:
          - 今年以来, 达拉特旗把干部下基层
            作为转作风、办实事的重要抓手。
          - crosshead: 走到基层——这里有春天的暖意
          - |
            行之力则知愈进，知之深则行愈达。了解基层，
            最好的方法就是走到基层。
          - >-
            The COVID-19
            figures rose 6.3 percent, to 1,000.
        photos:
          - file: photos/visit.jpg
            caption: 包联单位干部到村民家中了解种养殖情况(蔬菜)。
            credit: 本报记者 薛世昌 摄
        source: (来源:达拉特发布)
        pin: {columns: 3, column: 0, row: 0}
  - number: 2
    section: 综合
    stories:
      - id: news
        kind: briefs
        head: 简讯
        items:
          - 我旗召开会议,部署工作。
          - 'https://www.dalate.gov.cn/a?b=c'
      - id: slogan
        kind: banner
        text: 全面建设社会主义现代化国家
      - id: framed
        kind: box
        head: 框文
        body: [一段话。]
"""


@pytest.fixture
def good(tmp_path):
    return load_issue(write_issue(tmp_path / "good", GOOD, photos=("photos/visit.jpg",)))


def test_good_issue_header(good, tmp_path):
    assert good.paper.name == "达拉特报"
    assert good.paper.publisher == "中共达拉特旗委员会主办"
    paper = good.paper
    assert (paper.cn, paper.postal_code, paper.sample) == ("CN 15-0000", "00-000", True)
    assert good.date == dt.date(2023, 3, 17)
    assert (good.number, good.running_number) == (1234, 5678)
    assert (good.preset, good.edition) == ("tabloid", "要闻版")
    assert good.source == tmp_path / "good" / "issue.yaml"
    assert isinstance(good.pages, tuple) and [p.number for p in good.pages] == [1, 2]
    page = good.pages[0]
    assert (page.section, page.editor, page.proofreader) == ("要闻", "张三", "李四")


def test_good_article_text_is_normalised(good):
    lead = good.pages[0].stories[0]
    assert lead.kind is StoryKind.ARTICLE and lead.id == "lead"
    assert lead.kicker == "转作风 办实事"
    assert lead.head == "达拉特旗：干部下基层 聚力促振兴"
    assert lead.subhead == "——副题"
    assert lead.byline == "本报记者 薛世昌"
    assert lead.dateline == "本报讯（记者 刘婷 袁娇）"
    assert lead.source == "（来源：达拉特发布）"
    assert isinstance(lead.body, tuple)
    assert lead.body == (
        Paragraph("今年以来，达拉特旗把干部下基层作为转作风、办实事的重要抓手。", lead.body[0].where),
        Crosshead("走到基层——这里有春天的暖意", lead.body[1].where),
        # a block scalar's line break between two Han characters leaves no space
        Paragraph("行之力则知愈进，知之深则行愈达。了解基层，最好的方法就是走到基层。", lead.body[2].where),
        # between Latin words it is one space; numbers keep their ASCII marks
        Paragraph("The COVID-19 figures rose 6.3 percent, to 1,000.", lead.body[3].where),
    )


def test_good_photo_and_pin(good, tmp_path):
    (photo,) = good.pages[0].stories[0].photos
    assert photo.path == (tmp_path / "good" / "photos" / "visit.jpg").resolve()
    assert photo.path.is_absolute()
    assert photo.caption == "包联单位干部到村民家中了解种养殖情况（蔬菜）。"
    assert photo.credit == "本报记者 薛世昌 摄"
    pin = good.pages[0].stories[0].pin
    assert (pin.columns, pin.column, pin.row) == (3, 0, 0)


def test_good_other_kinds(good):
    briefs, banner, box = good.pages[1].stories
    assert briefs.kind is StoryKind.BRIEFS and briefs.head == "简讯"
    texts = [item.text for item in briefs.items]
    assert texts == ["我旗召开会议，部署工作。", "https://www.dalate.gov.cn/a?b=c"]
    assert banner.kind is StoryKind.BANNER and banner.text == "全面建设社会主义现代化国家"
    assert box.kind is StoryKind.BOX and box.body == (Paragraph("一段话。", box.body[0].where),)
    assert banner.pin is None


def test_where_locators(good, tmp_path):
    file = (tmp_path / "good" / "issue.yaml").as_posix()
    page = good.pages[0]
    assert page.where == f"{file}:14 pages[0]"
    assert page.stories[0].where == f"{file}:19 pages[0].stories[0]"
    assert page.stories[0].body[2].where == f"{file}:29 pages[0].stories[0].body[2]"
    assert page.stories[0].photos[0].where == f"{file}:36 pages[0].stories[0].photos[0]"


def test_relative_path_stays_relative(tmp_path, monkeypatch):
    write_issue(tmp_path / "issues" / "x", MINIMAL)
    monkeypatch.chdir(tmp_path)
    issue = load_issue(Path("issues/x"))
    assert issue.pages[0].where == "issues/x/issue.yaml:8 pages[0]"


def test_load_issue_text(tmp_path):
    issue = load_issue_text(MINIMAL, tmp_path / "issue.yaml")
    assert issue.pages[0].stories[0].head == "达拉特旗：干部下基层 聚力促振兴"
    assert issue.preset == "tabloid"


def test_default_kind_and_preset(tmp_path):
    issue = load_issue_text(replaced("  preset: tabloid\n", ""), tmp_path / "issue.yaml")
    assert issue.preset == "broadsheet"
    assert issue.pages[0].stories[0].kind is StoryKind.ARTICLE


def test_multiline_scalar_styles(tmp_path):
    text = replaced(
        "          - 今年以来，达拉特旗把干部下基层作为重要抓手。\n",
        "          - 平铺的\n            一段话\n"
        "          - '单引号的\n            一段话'\n"
        '          - "双引号的\n            一段话"\n'
        "          - >\n            折叠的\n            一段话\n",
    )
    body = load_issue_text(text, tmp_path / "issue.yaml").pages[0].stories[0].body
    assert [block.text for block in body] == ["平铺的一段话", "单引号的一段话", "双引号的一段话", "折叠的一段话"]


# --- bad input: one test per kind -----------------------------------------------------------------


def test_missing_file(tmp_path):
    (problem,) = problems_of(tmp_path / "nope.yaml")
    assert problem.file == (tmp_path / "nope.yaml").as_posix() and problem.line == 0
    assert problem.message.startswith("file or folder not found — give an issue folder")


def test_folder_without_issue_yaml(tmp_path):
    (problem,) = problems_of(tmp_path)
    hint = "the folder has no issue.yaml — an issue folder holds it and its photos"
    assert str(problem) == f"{tmp_path.as_posix()}: {hint}"


def test_malformed_yaml():
    (problem,) = problems_of(BAD / "malformed.yaml")
    file = (BAD / "malformed.yaml").as_posix()
    assert (problem.file, problem.line, problem.field) == (file, 14, "")
    assert "malformed YAML at column 19: mapping values are not allowed here" in problem.message
    assert "must be quoted" in problem.message


def test_tab_indentation_is_malformed(tmp_path):
    problem = only_problem(tmp_path, replaced("    section: 要闻", "\tsection: 要闻"))
    assert problem.line == 9 and "indent with spaces, not tabs" in problem.message


def test_not_utf8(tmp_path):
    (tmp_path / "issue.yaml").write_bytes("paper:\n  name: 达拉特报\n".encode("gbk"))
    (problem,) = problems_of(tmp_path)
    assert problem.line == 2 and "save the file as UTF-8" in problem.message


def test_empty_file(tmp_path):
    problem = only_problem(tmp_path, "# nothing yet\n")
    assert problem.message == "the file is empty — it needs paper:, issue: and pages:"


def test_wrong_type_number(tmp_path):
    problem = only_problem(tmp_path, replaced("number: 1234", 'number: "abc"'))
    assert (problem.line, problem.field) == (5, "issue.number")
    assert problem.message == "expected a whole number, got 'abc'"


def test_wrong_type_pages_not_a_list(tmp_path):
    text = MINIMAL[: MINIMAL.index("pages:")] + "pages: 要闻\n"
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (7, "pages")
    assert problem.message == "expected a list of pages (lines starting with '- '), got '要闻'"


def test_missing_required_field(tmp_path):
    problem = only_problem(tmp_path, replaced("        head: 达拉特旗：干部下基层 聚力促振兴\n", ""))
    assert (problem.line, problem.field) == (11, "pages[0].stories[0].head")
    assert problem.message == "missing required field 'head'"


def test_unknown_key_suggests_the_closest():
    (problem,) = problems_of(BAD / "unknown_key.yaml")
    assert (problem.line, problem.field) == (14, "pages[0].stories[0].haed")
    assert problem.message == "unknown key 'haed' — did you mean 'head'?"
    file = (BAD / "unknown_key.yaml").as_posix()
    assert str(problem).startswith(f"{file}:14: pages[0].stories[0].haed: unknown key")


def test_unknown_key_without_a_close_match_lists_known_keys(tmp_path):
    problem = only_problem(tmp_path, replaced("  preset: tabloid", "  preset: tabloid\n  hue: red"))
    known = "date, number, running_number, preset, style, edition, lang"
    assert problem.message == f"unknown key 'hue' — known keys here: {known}"


def test_key_of_another_kind(tmp_path):
    text = MINIMAL + "      - id: slogan\n        kind: banner\n        head: 口号\n        text: 口\n"
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (17, "pages[0].stories[1].head")
    keys = "id, kind, text, pin"
    assert problem.message == f"key 'head' is not used by a banner story — its keys are: {keys}"


def test_unknown_preset():
    (problem,) = problems_of(BAD / "bad_preset.yaml")
    assert (problem.line, problem.field) == (8, "issue.preset")
    assert problem.message == "unknown preset 'a3' — known presets: broadsheet, tabloid"


def test_unknown_preset_with_suggestion(tmp_path):
    problem = only_problem(tmp_path, replaced("preset: tabloid", "preset: tabliod"))
    assert problem.message == (
        "unknown preset 'tabliod' — did you mean 'tabloid'? (known presets: broadsheet, tabloid)"
    )


def test_unknown_story_kind(tmp_path):
    text = replaced("      - id: lead\n", "      - id: lead\n        kind: artcle\n")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (12, "pages[0].stories[0].kind")
    assert problem.message == ("unknown story kind 'artcle' — did you mean 'article'?"
                               " (known story kinds: article, briefs, banner, box)")


def test_missing_photo():
    (problem,) = problems_of(BAD / "missing_photo.yaml")
    assert (problem.line, problem.field) == (18, "pages[0].stories[0].photos[0].file")
    hint = "paths are relative to the issue folder"
    assert problem.message == f"photo file not found: photos/missing.jpg — {hint}"


def test_photo_that_is_not_an_image(tmp_path):
    (tmp_path / "notes.jpg").write_text("not a picture")
    text = MINIMAL + "        photos:\n          - file: notes.jpg\n"
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (16, "pages[0].stories[0].photos[0].file")
    assert problem.message == "notes.jpg is not a JPEG or PNG image — save it as .jpg or .png"


def test_png_photo_is_accepted(tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    text = MINIMAL + "        photos:\n          - file: a.png\n"
    issue = load_issue_text(text, tmp_path / "issue.yaml")
    assert issue.pages[0].stories[0].photos[0].path == (tmp_path / "a.png").resolve()


def test_duplicate_story_ids(tmp_path):
    second = "      - id: lead\n        head: 又一条\n        body: [正文。]\n"
    problem = only_problem(tmp_path, MINIMAL + second)
    assert (problem.line, problem.field) == (15, "pages[0].stories[1].id")
    assert problem.message == (
        "duplicate story id 'lead' (first used at line 11) — ids must be unique in the issue"
    )


def test_bad_story_id(tmp_path):
    problem = only_problem(tmp_path, replaced("id: lead", "id: 头条"))
    assert problem.message == "story id '头条' may hold only letters, digits, - and _"


def test_page_numbers_in_order(tmp_path):
    page2 = MINIMAL[MINIMAL.index("  - number: 1") :].replace("number: 1", "number: 3")
    page2 = page2.replace("id: lead", "id: second")
    problem = only_problem(tmp_path, MINIMAL + page2)
    assert (problem.line, problem.field) == (15, "pages[1].number")
    assert problem.message == (
        "page number 3 is out of order — pages are numbered 1..n in order without gaps;"
        " this one should be 2"
    )


def test_empty_body(tmp_path):
    text = replaced("        body:\n          - 今年以来，达拉特旗把干部下基层作为重要抓手。\n", "        body: []\n")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (13, "pages[0].stories[0].body")
    assert problem.message == "the body is empty — an article needs at least one paragraph"


def test_invalid_date(tmp_path):
    problem = only_problem(tmp_path, replaced("date: 2023-03-17", "date: 2023-02-30"))
    assert (problem.line, problem.field) == (4, "issue.date")
    assert problem.message == ("invalid date '2023-02-30' (day is out of range for month)"
                               " — write it as YYYY-MM-DD, e.g. 2023-03-17")


def test_date_in_other_format(tmp_path):
    problem = only_problem(tmp_path, replaced("date: 2023-03-17", "date: 17.3.2023"))
    assert problem.message == "invalid date '17.3.2023' — write it as YYYY-MM-DD, e.g. 2023-03-17"


def test_pin_columns_out_of_range(tmp_path):
    problem = only_problem(tmp_path, MINIMAL + "        pin: {columns: 9}\n")
    assert (problem.line, problem.field) == (15, "pages[0].stories[0].pin.columns")
    assert problem.message == "9 is out of range — it must be 1 to 8"


def test_pin_past_the_right_edge(tmp_path):
    problem = only_problem(tmp_path, MINIMAL + "        pin: {columns: 3, column: 6}\n")
    assert problem.field == "pages[0].stories[0].pin.column"
    assert "runs past the 8 columns of the page" in problem.message


def test_body_item_neither_text_nor_crosshead(tmp_path):
    problem = only_problem(tmp_path, MINIMAL + "          - [一, 二]\n")
    assert (problem.line, problem.field) == (15, "pages[0].stories[0].body[1]")
    assert problem.message == "a body item is a paragraph (text) or {crosshead: text}, got a list"


def test_body_item_that_yaml_read_as_a_mapping(tmp_path):
    problem = only_problem(tmp_path, MINIMAL + "          - 记者: 今天\n")
    assert problem.field == "pages[0].stories[0].body[1]"
    assert "reads as a mapping with key '记者'" in problem.message
    assert "quote the paragraph" in problem.message


def test_misspelt_crosshead(tmp_path):
    problem = only_problem(tmp_path, MINIMAL + "          - crossheed: 小标题\n")
    assert problem.field == "pages[0].stories[0].body[1].crossheed"
    assert problem.message == "unknown key 'crossheed' — did you mean 'crosshead'?"


def test_tab_in_text(tmp_path):
    head = "head: 达拉特旗：干部下基层 聚力促振兴"
    problem = only_problem(tmp_path, replaced(head, 'head: "达拉特旗：\\t干部下基层 聚力促振兴"'))
    assert (problem.line, problem.field) == (12, "pages[0].stories[0].head")
    assert problem.message == "contains a tab (U+0009) — replace it with a space or remove it"


def test_control_character_in_text(tmp_path):
    problem = only_problem(tmp_path, replaced("section: 要闻", 'section: "要\\x07闻"'))
    assert problem.field == "pages[0].section"
    hint = "replace it with a space or remove it"
    assert problem.message == f"contains a control character (U+0007) — {hint}"


def test_raw_control_character_in_file(tmp_path):
    problem = only_problem(tmp_path, replaced("section: 要闻", "section: 要\x07闻"))
    assert (problem.line, problem.field) == (9, "")
    assert problem.message == "contains a control character (U+0007) — remove it"


def test_duplicate_key(tmp_path):
    text = replaced("  number: 1234\n", "  number: 1234\n  number: 1235\n")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (6, "issue.number")
    assert problem.message == "duplicate key 'number' (first given at line 5) — remove one"


# --- all problems together ------------------------------------------------------------------------


def test_all_problems_of_a_file_are_collected(tmp_path):
    text = replaced("number: 1234", "number: abc").replace("head:", "haed:")
    text = text.replace("preset: tabloid", "preset: a3")
    problems = problems_of(write_issue(tmp_path, text))
    assert [(p.line, p.field) for p in problems] == [
        (5, "issue.number"),
        (6, "issue.preset"),
        (12, "pages[0].stories[0].haed"),
    ]


def test_load_error_formats_one_problem_per_line(tmp_path, monkeypatch):
    text = replaced("number: 1234", "number: abc").replace("head:", "haed:")
    write_issue(tmp_path / "issues" / "x", text)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LoadError) as caught:
        load_issue(Path("issues/x"))
    assert str(caught.value) == (
        "issues/x/issue.yaml:5: issue.number: expected a whole number, got 'abc'\n"
        "issues/x/issue.yaml:12: pages[0].stories[0].haed: unknown key 'haed' — did you mean 'head'?"
    )


def test_problem_as_diagnostic():
    problem = Problem("issues/x/issue.yaml", 12, "pages[0].stories[2].head", "is empty")
    diagnostic = problem.as_diagnostic()
    assert diagnostic.level is Level.ERROR and diagnostic.code == "load"
    assert diagnostic.where == "issues/x/issue.yaml:12 pages[0].stories[2].head"


# --- the sample issue -----------------------------------------------------------------------------

DALATE = ROOT / "issues" / "dalate" / "issue.yaml"


@pytest.mark.skipif(not DALATE.exists(), reason="issues/dalate/issue.yaml not written yet")
def test_sample_issue_loads():
    issue = load_issue(DALATE.parent)
    assert [page.number for page in issue.pages] == [1]
    assert len(issue.pages[0].stories) == 7
    assert all(page.stories for page in issue.pages)


# --- hostile input (issue 10): limits, numbers as typed, dates, surrogates, the issue root -----


def test_number_is_read_as_the_digits_typed_not_octal(tmp_path):
    issue = load_issue(write_issue(tmp_path, replaced("  number: 1234", "  number: 021")))
    assert issue.number == 21


@pytest.mark.parametrize("typed", ["1:10", "0x1F", "1_000", "!!int abc", "9" * 4301, "1234567890"])
def test_number_not_in_plain_digits_is_a_located_error(tmp_path, typed):
    problem = only_problem(tmp_path, replaced("  number: 1234", f"  number: {typed}"))
    assert (problem.line, problem.field) == (5, "issue.number")


def test_bool_tag_with_a_non_bool_is_a_located_error(tmp_path):
    text = replaced("    section: 要闻\n", "    section: 要闻\n    colour: !!bool maybe\n")
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.field) == (10, "pages[0].colour")
    assert problem.message == "expected true or false, got maybe"


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!binary", "!custom"])
def test_explicit_foreign_tag_is_refused(tmp_path, tag):
    problem = only_problem(tmp_path, replaced("        head: 达拉特旗：干部下基层 聚力促振兴", f"        head: {tag} aGVsbG8="))
    assert problem.line == 12 and "YAML tag" in problem.message


@pytest.mark.parametrize("date, ok", [("1900-01-30", False), ("1900-01-31", True), ("2099-12-31", True),
                                      ("2100-01-01", False), ("0001-01-01", False)])
def test_dates_outside_the_lunar_table_are_refused(tmp_path, date, ok):
    path = write_issue(tmp_path, replaced("  date: 2023-03-17", f"  date: {date}"))
    if ok:
        assert load_issue(path).date == dt.date.fromisoformat(date)
    else:
        (problem,) = problems_of(path)
        assert (problem.line, problem.field) == (4, "issue.date") and "lunar" in problem.message


def test_billion_laughs_is_refused_before_expanding(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    problem = only_problem(tmp_path, bomb)
    assert "yaml_nodes" in problem.message and problem.line <= 9


def test_story_aliased_many_times_is_refused_by_the_character_count(tmp_path):
    from paperlayout.limits import Limits

    text = "s: &s " + "字" * 5000 + "\nall: [" + ", ".join(["*s"] * 500) + "]\n"
    with pytest.raises(LoadError) as caught:
        load_issue_text(text, tmp_path / "issue.yaml", Limits(issue_chars=1_000_000))
    assert "issue_chars" in str(caught.value)


def test_alias_cycle_is_refused(tmp_path):
    problem = only_problem(tmp_path, "a: &a [1, *a]\n")
    assert problem.line == 1 and "contains it" in problem.message


@pytest.mark.parametrize("style", ["flow", "block"])
def test_500_levels_of_nesting_is_a_located_error_not_recursion(tmp_path, style):
    if style == "flow":
        text = "paper: " + "[" * 500 + "]" * 500 + "\n"
    else:
        text = "paper:\n" + "".join("  " * (i + 1) + "k:\n" for i in range(500)) + "  " * 501 + "v\n"
    problem = only_problem(tmp_path, text)
    assert "yaml_depth" in problem.message and problem.line >= 1


def test_file_over_the_size_limit_is_refused_unread(tmp_path):
    from paperlayout.limits import Limits

    path = write_issue(tmp_path, MINIMAL + "#" + "x" * 5000 + "\n")
    with pytest.raises(LoadError) as caught:
        load_issue(path, Limits(yaml_bytes=4096))
    assert "over the limit of 4,096" in str(caught.value)


def test_text_over_the_character_limit_is_located(tmp_path):
    problem = only_problem(tmp_path, replaced("          - 今年以来，达拉特旗把干部下基层作为重要抓手。", "          - " + "长" * 10001))
    assert (problem.line, problem.field) == (14, "pages[0].stories[0].body[0]") and "text_chars" in problem.message


def test_too_many_pages_is_refused(tmp_path):
    from paperlayout.limits import Limits

    pages = "".join(f"  - number: {n}\n    section: 版\n    stories:\n      - id: b{n}\n        kind: banner\n        text: 横幅\n"
                    for n in range(2, 5))
    with pytest.raises(LoadError) as caught:
        load_issue(write_issue(tmp_path, MINIMAL + pages), Limits(pages=3))
    (problem,) = caught.value.problems
    assert problem.field == "pages" and "4 pages, over the limit of 3" in problem.message


@pytest.mark.parametrize("field, old", [("paper.name", "  name: 达拉特报"),
                                         ("pages[0].stories[0].body[0]", "          - 今年以来，达拉特旗把干部下基层作为重要抓手。")])
def test_lone_surrogate_is_a_located_error(tmp_path, field, old):
    new = old.split(":")[0] + ': "a\\ud800b"' if ":" in old and not old.strip().startswith("-") else old.split("-")[0] + '- "a\\ud800b"'
    problem = only_problem(tmp_path, replaced(old, new))
    assert problem.field == field and "lone surrogate (U+D800)" in problem.message


@pytest.mark.parametrize("name", ["../outside.jpg", "/etc/passwd", "photos/../../outside.jpg"])
def test_photo_outside_the_issue_folder_is_refused(tmp_path, name):
    (tmp_path / "outside.jpg").write_bytes(PIXEL.read_bytes())
    text = MINIMAL + f"        photos:\n          - file: {name}\n"
    problem = only_problem(tmp_path / "issue", text)
    assert problem.field == "pages[0].stories[0].photos[0].file"
    assert "outside the issue folder" in problem.message and "not found" not in problem.message


def test_root_widens_where_photos_may_come_from(tmp_path):
    (tmp_path / "shared").mkdir()
    shutil.copy(PIXEL, tmp_path / "shared" / "p.jpg")
    path = write_issue(tmp_path / "issue", MINIMAL + "        photos:\n          - file: ../shared/p.jpg\n")
    issue = load_issue(path, root=tmp_path)
    assert issue.pages[0].stories[0].photos[0].path == (tmp_path / "shared" / "p.jpg").resolve()


def test_style_sheet_outside_the_issue_folder_is_refused_without_reading_it(tmp_path):
    text = replaced("  preset: tabloid", "  preset: tabloid\n  style: /etc/passwd")
    problem = only_problem(tmp_path, text)
    assert problem.field == "issue.style" and "outside the issue folder" in problem.message
    assert "root:" not in problem.message


@pytest.mark.parametrize("make, words", [
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: __import__("os").mkfifo(p), "FIFO"),
    (lambda p: (p.symlink_to(p.with_name("loop2.jpg")), p.with_name("loop2.jpg").symlink_to(p)), "symbolic link loop"),
])
def test_photo_that_is_not_a_regular_file_is_named_without_blocking(tmp_path, make, words):
    make(tmp_path / "p.jpg")
    problem = only_problem(tmp_path, MINIMAL + "        photos:\n          - file: p.jpg\n")
    assert problem.field == "pages[0].stories[0].photos[0].file" and words in problem.message


def test_photo_name_with_wrong_case_says_which_file_exists(tmp_path):
    problem = only_problem(tmp_path, MINIMAL + "        photos:\n          - file: Spring.JPG\n", photos=("spring.jpg",))
    assert "there is spring.jpg (names are case-sensitive)" in problem.message


def test_issue_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    import os

    os.mkfifo(tmp_path / "issue.yaml")
    (problem,) = problems_of(tmp_path)
    assert "FIFO" in problem.message


def test_root_that_is_not_a_mapping_is_not_echoed(tmp_path):
    problem = only_problem(tmp_path, "root:x:0:0:root:/root:/bin/bash\n")
    assert "root:x" not in problem.message


def test_limits_table_is_documented_with_every_default():
    from paperlayout.limits import DEFAULT, LIMITS

    doc = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for name in LIMITS:
        assert f"| `{name}` | {getattr(DEFAULT, name):,} |" in doc
