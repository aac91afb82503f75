"""Paired marks (text/pairs.py, copycheck.py): a quotation mark, bracket or book-title mark left
open, or a closing mark with nothing to close, is reported at its field — found by copy the
engine had not seen: a head cut from a sentence ('她又补了一句：“') printed with its quotation
mark hanging at the line end, and nothing said."""

from __future__ import annotations

from pathlib import Path

from paperlayout.copycheck import CODE, copy_findings
from paperlayout.diagnostics import Level
from paperlayout.model import Crosshead, Issue, Page, Paper, Paragraph, Photo, Story
from paperlayout.text.pairs import PAIRS, continues_quotation, unpaired


def test_balanced_and_nested_marks_are_paired():
    assert unpaired("他说：“我读过《论语·学而》和〈大学〉，‘学而时习之’（第一章）。”") == ([], [])
    assert unpaired("【快递小哥】〔2024〕12号「繁體『引文』」［注］") == ([], [])
    assert unpaired("") == ([], [])


def test_an_opening_mark_left_open_and_a_closing_mark_closing_nothing():
    assert unpaired("她又补了一句：“") == ([7], [])
    assert unpaired("我们放心多了。”") == ([], [7])
    assert unpaired("《草原上的小木屋") == ([0], [])
    # crossed marks: the ） closes nothing open inside “…”, which closes and leaves （ open
    assert unpaired("“甲（乙”丙）") == ([2], [6])


def test_an_apostrophe_is_not_a_closing_quotation_mark():
    assert unpaired("Don’t miss the students’ show in the 90’s.") == ([], [])
    assert unpaired("他说：‘Don’t go.’") == ([], [])  # the apostrophe inside a word, the ’ closing the quote
    assert unpaired("‘the students’") == ([], [])  # after a word with a ‘ open: the close
    assert unpaired("’开头") == ([], [0])


def test_every_row_cites_the_standard():
    for o, c, clause in PAIRS:
        assert len(o) == len(c) == 1 and clause.startswith("GB/T 15834—2011 §4.")


def test_a_quotation_of_several_paragraphs_runs_on_only_into_a_paragraph_opening_the_same_mark():
    text = "他说：“第一段。"
    assert continues_quotation([3], text, "“第二段。”")
    assert not continues_quotation([3], text, "第二段。")
    assert not continues_quotation([3], text, None)
    assert not continues_quotation([], text, "“第二段。”")
    assert not continues_quotation([0], "（未完", "（续")  # a bracket does not run on


def _issue(story: Story) -> Issue:
    from datetime import date

    return Issue(paper=Paper(name="测试报"), date=date(2026, 12, 1), number=1,
                 pages=(Page(number=1, section="要闻", stories=(story,)),))


def test_copy_findings_name_the_field_the_mark_and_what_to_do():
    story = Story(id="s", where="issue.yaml:9 pages[0].stories[0]", head="她又补了一句：“",
                  body=(Paragraph("他说：“第一段。", where="issue.yaml:12 b[0]"),
                        Paragraph("“第二段，最后一段才收引号。”", where="issue.yaml:13 b[1]"),
                        Paragraph("采访中，他说：“我们放心多了。", where="issue.yaml:14 b[2]"),
                        Crosshead("“小标题", where="issue.yaml:15 b[3]"),
                        Paragraph("“不是上一段的续。", where="issue.yaml:16 b[4]")),
                  photos=(Photo(Path("p.jpg"), caption="会场外）", where="issue.yaml:20 photos[0]"),))
    found = copy_findings(_issue(story))
    assert all(d.level == Level.WARNING and d.code == CODE for d in found)
    assert [(d.where, d.message) for d in found] == [
        ("issue.yaml:9 pages[0].stories[0].head", "the “ at character 8 ('她又补了一句：“') is never closed: add ” where "
         "it ends, or remove it (GB/T 15834—2011 §4.8 引号)"),
        # b[0] runs on into b[1] (which opens with “ and closes the quotation): no finding;
        # b[2] is followed by a crosshead, not by the quotation's next paragraph
        ("issue.yaml:14 b[2]", "the “ at character 8 ('采访中，他说：“我们放心多了。') is never closed: add ” where it ends, "
         "or remove it (GB/T 15834—2011 §4.8 引号)"),
        ("issue.yaml:15 b[3]", "the “ at character 1 ('“小标题') is never closed: add ” where it ends, or remove it "
         "(GB/T 15834—2011 §4.8 引号)"),
        ("issue.yaml:16 b[4]", "the “ at character 1 ('“不是上一段的续。') is never closed: add ” where it ends, or "
         "remove it (GB/T 15834—2011 §4.8 引号)"),
        ("issue.yaml:20 photos[0].caption", "the ） at character 4 ('会场外）') closes nothing: add （ where it "
         "begins, or remove it (GB/T 15834—2011 §4.9 括号)"),
    ]


def test_the_sample_issue_and_the_written_corpus_pages_have_none():
    """Real copy (the sample, the pages written by hand) pairs its marks: the check says nothing
    there; the finding is for slips."""
    from paperlayout.loader import load_issue

    root = Path(__file__).resolve().parents[2]
    for folder in ("issues/dalate", "tests/corpus/37-sports-page", "tests/corpus/40-literary-supplement",
                   "tests/corpus/41-interview-people-page", "tests/corpus/11-traditional-chinese"):
        issue = load_issue(root / folder / "issue.yaml", root=root)
        assert copy_findings(issue) == (), folder


def test_every_printed_field_is_checked_the_fillers_too():
    """The fields are those the pages print (model.printed_texts, also behind the coverage
    check): the page's section, and a filler (补白) the planner may place."""
    from datetime import date
    from dataclasses import replace

    story = Story(id="s", where="f.yaml:5 pages[0].stories[0]", head="正常的标题")
    filler = Story(id="f", where="f.yaml:20 fillers[0]", head="补白（未完", body=(Paragraph("正文。", where="f.yaml:21 b"),))
    issue = Issue(paper=Paper(name="测试报"), date=date(2026, 12, 1), number=1,
                  pages=(Page(number=1, section="要闻》", where="f.yaml:3 pages[0]", stories=(story,)),),
                  fillers=(filler,))
    assert [d.where for d in copy_findings(issue)] == ["f.yaml:3 pages[0].section", "f.yaml:20 fillers[0].head"]
    assert copy_findings(replace(issue, fillers=())) == copy_findings(issue)[:1]
