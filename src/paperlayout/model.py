"""The issue model: frozen content of one newspaper issue, as loaded from issue.yaml.

Every element carries ``where`` — a human locator ("issues/x/issue.yaml:12 pages[0].stories[1]")
so that later stages can name the source in their diagnostics. Text is already normalised by
the loader (YAML line breaks joined, ASCII punctuation in Chinese text made full width).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


#: A story's language and URL breaks when neither it nor the issue sets them (Story.lang,
#: Story.url_breaks; text/style.py ComposeStyle has the same defaults).
DEFAULT_LANG = "en_US"
DEFAULT_URL_BREAKS = "marks"


class StoryKind(str, Enum):
    """What a story is on the page."""

    ARTICLE = "article"  # 文章: headline, byline, body, photos
    BRIEFS = "briefs"  # 简讯: a headed column of short separated items
    BANNER = "banner"  # 通栏标语: a full-width strip of display text
    BOX = "box"  # 框文: an article set inside a ruled frame


@dataclass(frozen=True, slots=True)
class Paper:
    """The newspaper itself (报头 data)."""

    name: str  # 报名
    publisher: str = ""  # 主办单位
    cn: str = ""  # 国内统一刊号
    postal_code: str = ""  # 邮发代号
    sample: bool = False  # values are stand-ins: print 样张 in the masthead


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph (段落). ``text`` is one line of copy, no line breaks. ``continued``:
    the rest of a paragraph split by a jump (转版), set without the first-line indent."""

    text: str
    where: str = ""
    continued: bool = False


@dataclass(frozen=True, slots=True)
class Crosshead:
    """A crosshead (小标题) inside a story's body."""

    text: str
    where: str = ""


BodyBlock = Paragraph | Crosshead


@dataclass(frozen=True, slots=True)
class Photo:
    """A photograph (新闻图片) with its caption (图片说明) and credit (摄影署名). A placeholder
    (图片占位, ``placeholder``) has no file: its path is a marker (placeholder.py) and
    ``aspect`` its width/height."""

    path: Path  # absolute path of the image file
    caption: str = ""
    credit: str = ""
    where: str = ""
    placeholder: bool = False
    aspect: float = 0.0  # width/height of a placeholder (0 for a photo: its file says)


@dataclass(frozen=True, slots=True)
class Pin:
    """An editor's pin (编辑指定): fixes a story's span and optionally its top-left cell.

    Units are grid units: basic columns and baseline rows, 0-based from the type area's
    top-left corner.
    """

    columns: int | None = None
    column: int | None = None
    row: int | None = None
    where: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """One story (稿件) on a page.

    kicker 引题, head 主题, subhead 副题; byline 署名; dateline 电头 (run into the first
    paragraph); body paragraphs and crossheads; photos; items for briefs (简讯); source 来源.
    """

    id: str
    kind: StoryKind = StoryKind.ARTICLE
    kicker: str = ""
    head: str = ""
    subhead: str = ""
    byline: str = ""
    dateline: str = ""
    body: tuple[BodyBlock, ...] = ()
    photos: tuple[Photo, ...] = ()
    items: tuple[Paragraph, ...] = ()
    source: str = ""
    text: str = ""  # banner text
    pin: Pin | None = None
    where: str = ""
    jump_out: int | None = None  # 转版: continues on this page (下转第N版)
    jump_in: int | None = None  # continued from this page (上接第N版)
    part_of: str = ""  # the id of the story this is a part of, for a continued story
    picture: bool = False  # a picture story (图片新闻): its photos may take most of its module
    #: The language of its Latin words, for hyphenation (西文断词): a pyphen dictionary name
    #: (en_US, en_GB, de_DE, fr …; "" none), the story's ``lang`` or else the issue's.
    lang: str = DEFAULT_LANG
    #: Where its URLs, e-mail addresses and paths may break: "marks" (after / . - _ ? & =)
    #: or "anywhere" (text/rules.py URL_BREAK_MODES), the story's ``url_breaks``.
    url_breaks: str = DEFAULT_URL_BREAKS

    def copy_text(self) -> str:
        """All the story's copy in reading order, concatenated (for checks and tests)."""
        parts = [self.text, self.kicker, self.head, self.subhead, self.byline, self.dateline]
        parts += [block.text for block in self.body]
        parts += [item.text for item in self.items]
        for photo in self.photos:
            parts += [photo.caption, photo.credit]
        parts.append(self.source)
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class Page:
    """One page (版): number 第N版, section 版名, editor 责任编辑, proofreader 校对."""

    number: int
    section: str
    stories: tuple[Story, ...]
    editor: str = ""
    proofreader: str = ""
    colour: bool | None = None  # printed in colour (彩版)? None: page 1 only, the usual plate plan
    where: str = ""
    allow_holes: bool = False  # the editor accepts an unfilled page (for a proof): holes are warnings

    @property
    def is_colour(self) -> bool:
        return self.number == 1 if self.colour is None else self.colour


@dataclass(frozen=True, slots=True)
class Issue:
    """One issue (期) of a paper: date, 期号 number, 总期号 running number, pages."""

    paper: Paper
    date: _dt.date
    number: int
    pages: tuple[Page, ...]
    running_number: int | None = None
    preset: str = "broadsheet"
    edition: str = ""
    style: Path | None = None  # house style sheet overriding the preset (absolute path)
    source: Path = field(default=Path("."))  # the issue.yaml it came from
    fillers: tuple[Story, ...] = ()  # 补白: short items the planner may place on any page that is short
    lang: str = DEFAULT_LANG  # the stories' language unless a story says (Story.lang)


def printed_texts(issue: Issue, *, fillers: bool = False):
    """(locator, text, following) of every text the pages print, in the issue's order: the
    paper's and the issue's furniture, then page by page each page's and each story's fields
    in reading order (body paragraphs, crossheads and briefs items, then captions and credits);
    with `fillers`, the 补白 pool's stories after the pages. `following`: for a body paragraph
    followed by another, that paragraph's text (a quotation of several paragraphs runs on into
    it, copycheck), else None."""
    file = issue.source.as_posix() if issue.source else "issue.yaml"
    if issue.paper is not None:
        for key in ("name", "publisher", "cn", "postal_code"):
            yield f"{file}: paper.{key}", getattr(issue.paper, key), None
    yield f"{file}: issue.edition", issue.edition or "", None
    for page in issue.pages:
        for key in ("section", "editor", "proofreader"):
            yield f"{page.where}.{key}", getattr(page, key) or "", None
        yield from _story_texts(page.stories)
    if fillers:
        yield from _story_texts(issue.fillers)


def _story_texts(stories):
    for story in stories:
        for key in ("kicker", "head", "subhead", "byline", "dateline", "source", "text"):
            yield f"{story.where}.{key}", getattr(story, key) or "", None
        body = tuple(story.body)
        for k, block in enumerate(body):
            after = body[k + 1] if k + 1 < len(body) else None
            runs_on = isinstance(block, Paragraph) and isinstance(after, Paragraph)
            yield block.where, block.text, after.text if runs_on else None
        for item in story.items:
            yield item.where, item.text, None
        for photo in story.photos:
            yield f"{photo.where}.caption", photo.caption or "", None
            yield f"{photo.where}.credit", photo.credit or "", None
