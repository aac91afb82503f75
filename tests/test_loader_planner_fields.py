"""The issue-format fields of issue 9 in the loader: picture stories without a body,
`picture:`, a page's `allow_holes:` and the issue's filler pool (`fillers:`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paperlayout.loader import LoadError, load_issue

PIXEL = Path(__file__).resolve().parent / "data" / "bad" / "photos" / "pixel.jpg"

HEAD = """\
paper:
  name: 达拉特报
issue:
  date: 2023-03-17
  number: 1
pages:
  - number: 1
    section: 要闻
"""


def _load(tmp_path: Path, text: str):
    shutil.copy(PIXEL, tmp_path / "p.jpg")
    (tmp_path / "issue.yaml").write_text(HEAD + text, encoding="utf-8")
    return load_issue(tmp_path)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        _load(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_a_story_of_photos_needs_no_body(tmp_path):
    issue = _load(tmp_path, """\
    stories:
      - id: pics
        head: 春到黄河
        picture: true
        photos:
          - file: p.jpg
            caption: 黄河达拉特段。
""")
    story = issue.pages[0].stories[0]
    assert story.body == () and story.picture is True and story.photos[0].caption == "黄河达拉特段。"


def test_a_story_without_photos_still_needs_a_body(tmp_path):
    problems = _problems(tmp_path, """\
    stories:
      - id: words
        head: 无正文
""")
    assert len(problems) == 1 and "issue.yaml:10" in problems[0] and "body" in problems[0]


def test_picture_must_be_true_or_false(tmp_path):
    problems = _problems(tmp_path, """\
    stories:
      - id: pics
        head: 春到黄河
        picture: maybe
        photos:
          - file: p.jpg
""")
    assert len(problems) == 1 and "issue.yaml:12" in problems[0] and "picture" in problems[0] and "true or false" in problems[0]


def test_allow_holes_on_a_page_and_the_filler_pool(tmp_path):
    issue = _load(tmp_path, """\
    allow_holes: true
    stories:
      - id: a
        head: 一则消息
        body:
          - 一句话。
fillers:
  - id: notice
    kind: box
    head: 订阅启事
    body:
      - 欢迎订阅本报。
""")
    assert issue.pages[0].allow_holes is True
    assert [f.id for f in issue.fillers] == ["notice"] and issue.fillers[0].body[0].text == "欢迎订阅本报。"


def test_a_filler_id_must_differ_from_every_story_id(tmp_path):
    problems = _problems(tmp_path, """\
    stories:
      - id: a
        head: 一则消息
        body:
          - 一句话。
fillers:
  - id: a
    head: 补白
    body:
      - 又一句话。
""")
    assert len(problems) == 1 and "fillers[0].id" in problems[0]
