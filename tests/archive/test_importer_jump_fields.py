"""importer.merge_jumps keeps a continuation's display lines: a byline printed with the
continuation (上接) and not with the first part was dropped when the two were merged."""

from __future__ import annotations

from paperlayout.importer import import_dump, merge_jumps, to_yaml

FIRST = "达拉特旗：干部下基层 聚力促振兴\n(下转第2版)\n"
CONTINUATION = "本报记者 薛世昌\n(上接第1版)\n"


def test_byline_of_the_continuation_is_taken_when_the_first_part_has_none():
    page1, page2 = merge_jumps([import_dump(FIRST), import_dump(CONTINUATION)])
    (story,) = page1.stories
    assert story.head == "达拉特旗：干部下基层 聚力促振兴"
    assert story.byline == "本报记者 薛世昌"
    assert page2.stories == ()
    assert "byline: 本报记者 薛世昌" in to_yaml([page1, page2])


def test_a_differing_byline_of_the_continuation_is_named_in_a_note():
    first = "达拉特旗：干部下基层 聚力促振兴\n本报记者 张三\n(下转第2版)\n"
    page1, _ = merge_jumps([import_dump(first), import_dump(CONTINUATION)])
    (story,) = page1.stories
    assert story.byline == "本报记者 张三"
    assert any("byline “本报记者 薛世昌”: left out" in n.message and n.check for n in story.notes)
