"""Loader: issue.yaml → the frozen ``Issue`` model. The only module that uses yaml.

The file is composed into YAML nodes (SafeLoader), so every value keeps its line; the node tree
is walked and checked field by field against docs/issue-format.md. All problems of a file are
collected and raised together as one ``LoadError``; each names the file, the 1-based line, the
field path (``pages[0].stories[2].head``) and what to do.

Copy (稿件文字) is normalised here: a multi-line scalar is re-read from its source text and its
lines joined with ``normalize.join_lines`` (YAML folding would put spaces between Han
characters), then ASCII punctuation in Chinese text is made full width. Ids, codes and file
paths are kept as typed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from paperlayout.diagnostics import Diagnostic, error
from paperlayout.limits import DEFAULT as DEFAULT_LIMITS
from paperlayout.limits import Limits, NotRegularFile, kind_of, os_reason, read_regular
from paperlayout.model import (DEFAULT_LANG, DEFAULT_URL_BREAKS, Crosshead, Issue, Page, Paper, Paragraph, Photo, Pin,
                               Story, StoryKind)
from paperlayout.normalize import first_unusable, fullwidth_punct, join_lines
from paperlayout.text.latin import language_code, language_examples
from paperlayout.text.rules import URL_BREAK_MODES

ISSUE_FILE = "issue.yaml"
#: The days the masthead's lunar date (lunardate's tables, lunar years 1900–2099) is right for.
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 31), dt.date(2099, 12, 31)
_DIGITS = re.compile(r"-?[0-9]+")
PRESETS = ("broadsheet", "tabloid")  # 对开, 四开
MAX_COLUMNS = 8  # basic columns (基本栏) of a broadsheet: the widest span a pin may ask for

_ID = re.compile(r"[A-Za-z0-9_-]+")
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

_TAG = "tag:yaml.org,2002:"
_NULL, _STR, _INT, _BOOL, _TIMESTAMP = (
    _TAG + name for name in ("null", "str", "int", "bool", "timestamp")
)

_TOP_KEYS = ("paper", "issue", "pages")
_PAPER_KEYS = ("name", "publisher", "cn", "postal_code", "sample")
_ISSUE_KEYS = ("date", "number", "running_number", "preset", "style", "edition", "lang")
_PAGE_KEYS = ("number", "section", "editor", "proofreader", "colour", "allow_holes", "stories")
_PHOTO_KEYS = ("file", "caption", "credit", "placeholder", "aspect")
_PIN_KEYS = ("columns", "column", "row")
_ARTICLE_KEYS = ("id", "kind", "kicker", "head", "subhead", "byline", "dateline", "body", "photos")
_ARTICLE_KEYS += ("source", "pin", "picture", "lang", "url_breaks")
_STORY_KEYS = {  # kind → (known keys, required keys)
    StoryKind.ARTICLE: (_ARTICLE_KEYS, ("id", "head", "body")),
    StoryKind.BOX: (_ARTICLE_KEYS, ("id", "head", "body")),
    StoryKind.BRIEFS: (("id", "kind", "head", "items", "source", "pin", "lang", "url_breaks"), ("id", "head", "items")),
    StoryKind.BANNER: (("id", "kind", "text", "pin"), ("id", "text")),
}
#: Tags a value may carry: those YAML's own resolvers give plain scalars and collections.
_PLAIN_TAGS = frozenset(_TAG + name for name in ("null", "str", "int", "float", "bool", "timestamp", "seq", "map", "merge"))
_ALL_STORY_KEYS = tuple(dict.fromkeys(k for keys, _ in _STORY_KEYS.values() for k in keys))
_EMPTY = {  # messages for lists that must not be empty
    "pages": "no pages — an issue needs at least one page",
    "stories": "no stories — a page needs at least one story",
    "body": "the body is empty — an article needs at least one paragraph",
    "items": "no items — a briefs story needs at least one item",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an issue file: where (file, 1-based line, field path) and what to do.

    ``line`` is 0 when the problem concerns the whole file (missing, unreadable).
    """

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(part for part in (place, self.field, self.message) if part)

    def as_diagnostic(self) -> Diagnostic:
        """The problem as an error diagnostic (code "load") for reports."""
        place = f"{self.file}:{self.line}" if self.line else self.file
        return error("load", f"{place} {self.field}".strip(), self.message)


class LoadError(Exception):
    """An issue file that cannot be loaded; ``problems`` lists every mistake found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def load_issue(path: Path, limits: Limits = DEFAULT_LIMITS, root: Path | None = None) -> Issue:
    """Load an issue from its issue.yaml or from the issue folder holding it.

    Messages and ``where`` locators use the path as given (relative stays relative); photo
    paths are resolved against the file's folder and must stay inside ``root`` (default: the
    issue folder). Only a regular file within ``limits.yaml_bytes`` is read. Raises ``LoadError``.
    """
    file = _issue_file(Path(path))
    try:
        raw = read_regular(file, limits.yaml_bytes, "issue file")
    except (OSError, ValueError) as exc:
        raise LoadError([Problem(file.as_posix(), 0, "", f"cannot read the file: {os_reason(exc)}")]) from None
    return load_issue_text(_decode(raw, file), file, limits, root)


def load_issue_text(text: str, path: Path, limits: Limits = DEFAULT_LIMITS, root: Path | None = None) -> Issue:
    """Load an issue from YAML ``text`` as if read from ``path`` (an issue.yaml); for tests.

    Raises ``LoadError``.
    """
    path = Path(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    root_node = _compose(text, path, limits)
    walker = _Walker(text, path, limits, root)
    issue = walker.issue(root_node)
    if walker.problems:
        raise LoadError(sorted(walker.problems, key=lambda problem: problem.line))
    assert issue is not None
    return issue


def _issue_file(path: Path) -> Path:
    """The issue.yaml that ``path`` names: the path itself or ``path/issue.yaml``."""
    try:
        if path.is_dir():
            file = path / ISSUE_FILE
            if not file.exists():
                hint = f"the folder has no {ISSUE_FILE} — an issue folder holds it and its photos"
                raise LoadError([Problem(path.as_posix(), 0, "", hint)])
            return file
        if not path.exists():
            hint = "file or folder not found — give an issue folder (issues/NAME) or its issue.yaml"
            raise LoadError([Problem(path.as_posix(), 0, "", hint)])
    except (OSError, ValueError) as exc:  # a NUL in the name, a loop, a folder we may not enter
        raise LoadError([Problem(path.as_posix(), 0, "", f"cannot open: {os_reason(exc)}")]) from None
    return path  # read_regular refuses FIFOs, devices and oversized files with a reason


def _decode(raw: bytes, file: Path) -> str:
    """The file's bytes as text; it must be UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = f"not valid UTF-8 (byte {exc.start}) — save the file as UTF-8"
        raise LoadError([Problem(file.as_posix(), line, "", hint)]) from None


class _LimitBreached(yaml.MarkedYAMLError):
    """A YAML limit (nodes after alias expansion, characters, depth) was breached at a mark."""


class _Bounds:
    """SafeLoader's composer, refusing alias amplification and deep nesting as it goes.

    It counts the values the walker will visit — every node composed plus, for each alias,
    the full size of the node it repeats — and their characters, and stops at the first
    value past ``limits.yaml_nodes`` / ``limits.issue_chars``; a billion-laughs file or a
    story aliased 5,000 times is refused after reading a few hundred bytes of it, not
    after expanding it. An alias to a collection that contains it (a cycle) is refused.
    Collections nested deeper than ``limits.yaml_depth`` are refused before Python's
    recursion limit is reached.
    """

    def __init__(self, stream: str, limits: Limits) -> None:
        super().__init__(stream)
        self._bound(limits)

    def _bound(self, limits: Limits) -> None:
        self.limits = limits
        self.depth = 0
        self.nodes = 0
        self.chars = 0
        self.anchor_sizes: dict[str, tuple[int, int]] = {}

    def _count(self, nodes: int, chars: int, mark) -> None:
        self.nodes += nodes
        self.chars += chars
        if self.nodes > self.limits.yaml_nodes:
            raise _LimitBreached(None, None, f"more than {self.limits.yaml_nodes:,} values (after expanding "
                                 "aliases *name) — over the yaml_nodes limit; an issue this large is "
                                 "refused (raise it with --limit if it is genuine)", mark)
        if self.chars > self.limits.issue_chars:
            raise _LimitBreached(None, None, f"more than {self.limits.issue_chars:,} characters of text (after "
                                 "expanding aliases *name) — over the issue_chars limit", mark)

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self.anchors:
                if event.anchor not in self.anchor_sizes:
                    raise _LimitBreached(None, None, f"the alias *{event.anchor} repeats a list or mapping "
                                         "that contains it (an endless structure) — remove it", event.start_mark)
                self._count(*self.anchor_sizes[event.anchor], event.start_mark)
            return super().compose_node(parent, index)
        event = self.peek_event()
        self.depth += 1
        if self.depth > self.limits.yaml_depth:
            raise _LimitBreached(None, None, f"nested more than {self.limits.yaml_depth} levels deep — "
                                 "over the yaml_depth limit; the issue format needs 8", event.start_mark)
        before = (self.nodes, self.chars)
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        self._count(1, len(node.value) if isinstance(node, ScalarNode) else 0, node.start_mark)
        if node.tag not in _PLAIN_TAGS:  # !!python/object, !!binary, !!set, !foo: not part of the format
            tag = node.tag.replace(_TAG, "!!")
            raise _LimitBreached(None, None, f"the YAML tag {tag} is not used in this format — remove it "
                                 "(write plain values; quote text that looks like a number)", node.start_mark)
        if event.anchor is not None:
            self.anchor_sizes[event.anchor] = (self.nodes - before[0], self.chars - before[1])
        return node


class _BoundedLoader(_Bounds, yaml.SafeLoader):
    """The pure-Python loader with the bounds: its messages are the ones a user sees."""


_CParser = getattr(getattr(yaml, "_yaml", None), "CParser", None) if yaml.__with_libyaml__ else None

if _CParser is not None:
    class _FastBoundedLoader(_Bounds, yaml.composer.Composer, _CParser, SafeConstructor, yaml.resolver.Resolver):
        """The same composer and bounds over libyaml's parser events (scanning and parsing in
        C: about 5 × faster on a 16-page issue). Used only for a file that it reads without
        any error; every problem is reported by :class:`_BoundedLoader` reading the file again,
        so the messages and their marks are the pure-Python loader's."""

        def __init__(self, stream: str, limits: Limits) -> None:
            _CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            yaml.composer.Composer.__init__(self)
            self._bound(limits)

        def compose_node(self, parent, index):
            node = super().compose_node(parent, index)
            # libyaml's events say '' for a plain scalar's style where the pure-Python parser
            # says None (collections' flow_style differ too, but nothing here reads it)
            if isinstance(node, ScalarNode) and node.style == "":
                node.style = None
            return node
else:  # pragma: no cover — PyYAML built without libyaml
    _FastBoundedLoader = None


def _compose(text: str, path: Path, limits: Limits = DEFAULT_LIMITS) -> Node | None:
    """The YAML node tree of ``text``; malformed YAML raises LoadError with the parser's mark.

    Composed by :class:`_BoundedLoader`: alias bombs, huge and deep files are located errors."""
    fast = _fast_compose(text, limits)
    if fast is not None:
        return fast[0]
    loader = None
    try:
        loader = _BoundedLoader(text, limits)  # the reader checks every character here
        return loader.get_single_node()
    except _LimitBreached as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        raise LoadError([Problem(path.as_posix(), line, "", str(exc.problem))]) from None
    except RecursionError:  # not reachable with a sane yaml_depth; still a located refusal
        raise LoadError([Problem(path.as_posix(), 0, "", "nested too deeply — simplify the file")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        message = f"malformed YAML at column {column}: {what}{_yaml_hint(what)}"
        raise LoadError([Problem(path.as_posix(), line, "", message)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids anywhere in the file
        line = text[: exc.position].count("\n") + 1
        message = f"contains a control character (U+{exc.character:04X}) — remove it"
        raise LoadError([Problem(path.as_posix(), line, "", message)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(path.as_posix(), 0, "", f"malformed YAML: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _fast_compose(text: str, limits: Limits) -> tuple[Node | None] | None:
    """(node tree,) from libyaml's events when the file reads without any problem, else None
    (then the pure-Python loader reads it again and names the problem). A character the
    pure-Python reader refuses sends the file there first: libyaml accepts a few of them."""
    if _FastBoundedLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = None
    try:
        loader = _FastBoundedLoader(text, limits)
        return (loader.get_single_node(),)
    except Exception:  # noqa: BLE001 — any problem: the pure-Python loader says what it is
        return None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_hint(what: str) -> str:
    """Advice for the YAML mistakes editors make most."""
    if "'\\t'" in what:
        return " — indent with spaces, not tabs"
    if "mapping values are not allowed" in what:
        return " — a text containing ': ' must be quoted (or write the full-width ：)"
    if "another document" in what:
        return " — an issue file holds one document: remove the extra '---'"
    return ""


class _Walker:
    """Walks the node tree of one issue file, building the model and collecting problems."""

    def __init__(self, text: str, path: Path, limits: Limits = DEFAULT_LIMITS, root: Path | None = None) -> None:
        self.source = text
        self.file = path.as_posix()
        self.folder = path.parent
        self.limits = limits
        self.root = Path(os.path.normpath(os.path.abspath(root if root is not None else self.folder)))
        self.problems: list[Problem] = []
        self.ids: dict[str, int] = {}  # story id → line of first use
        self.lang = DEFAULT_LANG  # the issue's language (issue.lang), every story's default

    # --- reporting ---------------------------------------------------------------------------

    def report(self, node: Node, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, path, message))

    def where(self, node: Node, path: str) -> str:
        return f"{self.file}:{node.start_mark.line + 1} {path}"

    # --- generic values ----------------------------------------------------------------------

    def mapping(self, node: Node, path: str, known: Iterable[str], required: Iterable[str] = (),
                label: str = "") -> dict[str, Node] | None:
        """The key → value nodes of a mapping; reports unknown, duplicate and missing keys."""
        if not isinstance(node, MappingNode):
            got = _describe(node) if path else _describe_kind(node)  # never echo a whole foreign file
            self.report(node, path, f"expected a mapping (key: value lines), got {got}")
            return None
        known = tuple(known)
        fields: dict[str, Node] = {}
        typos: set[str] = set()
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            key_path = _join(path, str(key))
            if key is None:
                self.report(key_node, path, "a key must be a plain name")
            elif key in fields:
                first = fields[key].start_mark.line + 1
                message = f"duplicate key '{key}' (first given at line {first}) — remove one"
                self.report(key_node, key_path, message)
            elif key not in known:
                self.report(key_node, key_path, _unknown_key(key, known, label))
                typos.update(difflib.get_close_matches(key, known, n=1))
            else:
                fields[key] = value
        for key in required:
            if key not in fields and key not in typos:  # a typo of it was reported already
                self.report(node, _join(path, key), f"missing required field '{key}'")
        return fields

    def sequence(self, node: Node | None, path: str, what: str, empty: str = "") -> list[Node]:
        """The items of a list. Not a list is reported; so is an empty one if ``empty`` says why."""
        if node is None:
            return []
        if isinstance(node, SequenceNode) and node.value:
            limit = {"pages": self.limits.pages, "stories": self.limits.stories_per_page}.get(what)
            if limit is not None and len(node.value) > limit:
                self.report(node, path, f"{len(node.value):,} {what}, over the limit of {limit:,} "
                            f"({what.replace(' ', '_')}{'' if what == 'pages' else '_per_page'} in docs/limits.md)")
                return []
            return list(node.value)
        if isinstance(node, SequenceNode) or _is_null(node):
            if empty:
                self.report(node, path, empty)
            return []
        got = _describe(node)
        self.report(node, path, f"expected a list of {what} (lines starting with '- '), got {got}")
        return []

    def text(self, node: Node | None, path: str, copy: bool = True, required: bool = False) -> str:
        """A text field: multi-line source joined, stripped; copy gets full-width punctuation."""
        if node is None or _is_null(node):
            if node is not None and required:
                self.report(node, path, "is empty — write the text")
            return ""
        if not isinstance(node, ScalarNode):
            self.report(node, path, f"expected text, got {_describe(node)}")
            return ""
        value = _source_text(self.source, node).strip()
        if len(value) > self.limits.text_chars:
            self.report(node, path, f"is {len(value):,} characters long, over the limit of "
                        f"{self.limits.text_chars:,} for one text (text_chars) — split it into paragraphs")
            return value[: self.limits.text_chars]  # reported; no follow-on "empty" message
        bad = first_unusable(value)
        if bad:
            name = {"\t": "a tab", "\n": "a line break"}.get(bad, "a control character")
            hint = "replace it with a space or remove it"
            if unicodedata.category(bad) == "Cs":
                name, hint = "a lone surrogate", "half of a UTF-16 pair, not a character: remove it"
            self.report(node, path, f"contains {name} (U+{ord(bad):04X}) — {hint}")
            value = "".join(c for c in value if not first_unusable(c))
        if required and not value:
            self.report(node, path, "is empty — write the text")
        return fullwidth_punct(value) if copy else value

    def integer(
        self, node: Node | None, path: str, low: int | None = None, high: int | None = None
    ) -> int | None:
        """A whole number, optionally within low..high."""
        if node is None:
            return None
        if not (isinstance(node, ScalarNode) and node.tag == _INT):
            self.report(node, path, f"expected a whole number, got {_describe(node)}")
            return None
        # the digits as typed, in base 10: YAML 1.1 would read 021 as octal 17, 1:10 as 70
        digits = node.value.strip().removeprefix("+")
        if not _DIGITS.fullmatch(digits):
            self.report(node, path, f"expected a whole number written with digits 0-9, got {_describe(node)}")
            return None
        if len(digits.lstrip("-").lstrip("0")) > 9:
            self.report(node, path, f"{_describe(node)} is too large — it must have at most 9 digits")
            return None
        value = int(digits, 10)
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low} to {high}" if high is not None else f"{low} or more"
            self.report(node, path, f"{value} is out of range — it must be {span}")
            return None
        return value

    def boolean(self, node: Node | None, path: str) -> bool:
        if node is None:
            return False
        flag = SafeConstructor.bool_values.get(node.value.lower()) if isinstance(node, ScalarNode) else None
        if not (isinstance(node, ScalarNode) and node.tag == _BOOL) or flag is None:  # '!!bool maybe'
            self.report(node, path, f"expected true or false, got {_describe(node)}")
            return False
        return flag

    def date(self, node: Node, path: str) -> dt.date | None:
        """An ISO date (YYYY-MM-DD), plain or quoted."""
        hint = "— write it as YYYY-MM-DD, e.g. 2023-03-17"
        if not (isinstance(node, ScalarNode) and node.tag in (_TIMESTAMP, _STR)):
            self.report(node, path, f"expected a date, got {_describe(node)} {hint}")
            return None
        try:
            value = dt.date.fromisoformat(node.value.strip())
        except ValueError as exc:
            reason = "" if "isoformat" in str(exc) else f" ({exc})"
            self.report(node, path, f"invalid date '{node.value}'{reason} {hint}")
            return None
        if not FIRST_DATE <= value <= LAST_DATE:
            self.report(node, path, f"{value.isoformat()} is outside {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}, "
                        "the days the lunar calendar table (农历, 1900–2099) covers — the date line needs it")
            return None
        return value

    # --- the issue -----------------------------------------------------------------------------

    def issue(self, root: Node | None) -> Issue | None:
        if root is None:
            message = "the file is empty — it needs paper:, issue: and pages:"
            self.problems.append(Problem(self.file, 1, "", message))
            return None
        fields = self.mapping(root, "", _TOP_KEYS + ("fillers",), _TOP_KEYS)
        if fields is None:
            return None
        paper = self.paper(fields["paper"]) if "paper" in fields else None
        head = None
        if "issue" in fields:
            head = self.mapping(fields["issue"], "issue", _ISSUE_KEYS, ("date", "number"))
        if head is not None and "lang" in head:
            self.lang = self.language(head["lang"], "issue.lang")
        pages = self.pages(fields["pages"]) if "pages" in fields else ()
        if head is None:
            return None
        return Issue(
            paper=paper,
            date=self.date(head["date"], "issue.date") if "date" in head else None,
            number=self.integer(head.get("number"), "issue.number", low=1),
            running_number=self.integer(head.get("running_number"), "issue.running_number", low=1),
            preset=self.preset(head.get("preset")),
            edition=self.text(head.get("edition"), "issue.edition"),
            style=self.style_file(head.get("style")),
            pages=pages,
            source=Path(self.file),
            fillers=self.stories(fields["fillers"], "fillers") if "fillers" in fields else (),
            lang=self.lang,
        )

    def paper(self, node: Node) -> Paper | None:
        """The paper's nameplate data (报头)."""
        fields = self.mapping(node, "paper", _PAPER_KEYS, ("name",))
        if fields is None:
            return None
        return Paper(
            name=self.text(fields.get("name"), "paper.name", required=True),
            publisher=self.text(fields.get("publisher"), "paper.publisher"),
            cn=self.text(fields.get("cn"), "paper.cn", copy=False),
            postal_code=self.text(fields.get("postal_code"), "paper.postal_code", copy=False),
            sample=self.boolean(fields.get("sample"), "paper.sample"),
        )

    def preset(self, node: Node | None) -> str:
        """The page preset: broadsheet (对开) or tabloid (四开)."""
        if node is None:
            return PRESETS[0]
        name = self.text(node, "issue.preset", copy=False)
        if name not in PRESETS:
            self.report(node, "issue.preset", _unknown_choice("preset", name, PRESETS))
        return name

    # --- pages -------------------------------------------------------------------------------

    def pages(self, node: Node) -> tuple[Page, ...]:
        """The pages (版), numbered 1..n in order."""
        items = self.sequence(node, "pages", "pages", empty=_EMPTY["pages"])
        pages = (self.page(item, f"pages[{index}]", index + 1) for index, item in enumerate(items))
        return tuple(page for page in pages if page is not None)

    def page(self, node: Node, path: str, expected: int) -> Page | None:
        fields = self.mapping(node, path, _PAGE_KEYS, ("number", "section", "stories"))
        if fields is None:
            return None
        number = self.integer(fields.get("number"), f"{path}.number")
        if number is not None and number != expected:
            message = (f"page number {number} is out of order — pages are numbered 1..n in order"
                       f" without gaps; this one should be {expected}")
            self.report(fields["number"], f"{path}.number", message)
        return Page(
            number=number,
            section=self.text(fields.get("section"), f"{path}.section", required=True),
            stories=self.stories(fields.get("stories"), f"{path}.stories"),
            editor=self.text(fields.get("editor"), f"{path}.editor"),
            proofreader=self.text(fields.get("proofreader"), f"{path}.proofreader"),
            colour=self.boolean(fields.get("colour"), f"{path}.colour") if "colour" in fields else None,
            where=self.where(node, path),
            allow_holes=self.boolean(fields.get("allow_holes"), f"{path}.allow_holes"),
        )

    def stories(self, node: Node | None, path: str) -> tuple[Story, ...]:
        items = self.sequence(node, path, "stories", empty=_EMPTY["stories"])
        stories = (self.story(item, f"{path}[{index}]") for index, item in enumerate(items))
        return tuple(story for story in stories if story is not None)

    # --- stories -----------------------------------------------------------------------------

    def story(self, node: Node, path: str) -> Story | None:
        """One story (稿件); its kind decides which keys it takes."""
        kind = self.kind(node, path)
        known, required = _STORY_KEYS.get(kind, (_ALL_STORY_KEYS, ("id",)))
        if _value_of(node, "photos") is not None and _value_of(node, "body") is None:
            required = tuple(k for k in required if k != "body")  # a picture story: photos and captions only
        label = f"{kind.value} story" if kind is not None else ""
        fields = self.mapping(node, path, known, required, label=label)
        if fields is None:
            return None

        def text(key: str, required: bool = False) -> str:
            return self.text(fields.get(key), f"{path}.{key}", required=required)

        return Story(
            id=self.story_id(fields.get("id"), f"{path}.id"),
            kind=kind or StoryKind.ARTICLE,
            kicker=text("kicker"),
            head=text("head", required=True),
            subhead=text("subhead"),
            byline=text("byline"),
            dateline=text("dateline"),
            body=self.body(fields.get("body"), f"{path}.body") if "body" in fields or "photos" not in fields else (),
            photos=self.photos(fields.get("photos"), f"{path}.photos"),
            items=self.items(fields.get("items"), f"{path}.items"),
            source=text("source"),
            text=text("text", required=True),
            pin=self.pin(fields["pin"], f"{path}.pin") if "pin" in fields else None,
            picture=self.boolean(fields.get("picture"), f"{path}.picture") if "picture" in fields else False,
            where=self.where(node, path),
            lang=self.language(fields["lang"], f"{path}.lang") if "lang" in fields else self.lang,
            url_breaks=self.url_breaks(fields["url_breaks"], f"{path}.url_breaks") if "url_breaks" in fields
            else DEFAULT_URL_BREAKS,
        )

    def language(self, node: Node, path: str) -> str:
        """A language code (lang: en, en-US, en_GB, de, fr …; none or "" for no hyphenation)
        → the pyphen dictionary name (text/latin.py ``language_code``); unknown: reported,
        and the issue's language kept."""
        hint = f"write a language code such as {language_examples()}"
        if not (isinstance(node, ScalarNode) and node.tag == _STR):
            got = _describe(node)
            quote = " (quote it: YAML reads no, on, off as true/false)" if node.tag == _BOOL else ""
            self.report(node, path, f"expected a language code, got {got}{quote} — {hint}")
            return self.lang
        code = language_code(node.value)
        if code is None:
            self.report(node, path, f"unknown language '{node.value}': no hyphenation dictionary (pyphen) "
                        f"for it — {hint}")
            return self.lang
        return code

    def url_breaks(self, node: Node, path: str) -> str:
        """Where a story's URLs may break: marks (after / . - _ ? & =) or anywhere."""
        name = self.text(node, path, copy=False, required=True)
        if name and name not in URL_BREAK_MODES:
            self.report(node, path, _unknown_choice("url_breaks value", name, URL_BREAK_MODES))
            return DEFAULT_URL_BREAKS
        return name or DEFAULT_URL_BREAKS

    def kind(self, node: Node, path: str) -> StoryKind | None:
        """The story's kind (article when not given); None when unknown (reported)."""
        value = _value_of(node, "kind")
        if value is None:
            return StoryKind.ARTICLE
        name = self.text(value, f"{path}.kind", copy=False)
        kinds = [kind.value for kind in StoryKind]
        if name not in kinds:
            self.report(value, f"{path}.kind", _unknown_choice("story kind", name, kinds))
            return None
        return StoryKind(name)

    def story_id(self, node: Node | None, path: str) -> str:
        """The story's id: unique in the issue, letters, digits, - and _."""
        name = self.text(node, path, copy=False, required=True)
        if node is None or not name:
            return name
        if not _ID.fullmatch(name):
            self.report(node, path, f"story id '{name}' may hold only letters, digits, - and _")
        elif name in self.ids:
            first = self.ids[name]
            message = f"duplicate story id '{name}' (first used at line {first})"
            self.report(node, path, f"{message} — ids must be unique in the issue")
        else:
            self.ids[name] = node.start_mark.line + 1
        return name

    def body(self, node: Node | None, path: str) -> tuple[Paragraph | Crosshead, ...]:
        """Body paragraphs (段落) and crossheads (小标题) in order."""
        items = self.sequence(node, path, "paragraphs", empty=_EMPTY["body"])
        blocks = (self.body_item(item, f"{path}[{index}]") for index, item in enumerate(items))
        return tuple(block for block in blocks if block is not None)

    def body_item(self, node: Node, path: str) -> Paragraph | Crosshead | None:
        """A paragraph (a string) or a crosshead ({crosshead: text})."""
        if isinstance(node, ScalarNode) and not _is_null(node):
            text = self.text(node, path)
            if not text:
                self.report(node, path, "empty paragraph — remove it or write its text")
            return Paragraph(text, self.where(node, path))
        if isinstance(node, MappingNode):
            return self.crosshead(node, path)
        message = f"a body item is a paragraph (text) or {{crosshead: text}}, got {_describe(node)}"
        self.report(node, path, message)
        return None

    def crosshead(self, node: MappingNode, path: str) -> Crosshead | None:
        """A crosshead (小标题); a mapping with another key is most likely a paragraph with ': '."""
        keys = [key.value for key, _ in node.value if isinstance(key, ScalarNode)]
        first = keys[0] if keys else ""
        if "crosshead" not in keys and not difflib.get_close_matches(first, ["crosshead"]):
            message = (f"a body item is a paragraph or {{crosshead: text}}, but this one reads as"
                       f" a mapping with key '{first}' — YAML takes ': ' as a key: quote the"
                       " paragraph or write the full-width ：")
            self.report(node, path, message)
            return None
        fields = self.mapping(node, path, ("crosshead",), ("crosshead",))
        if not fields:
            return None
        text = self.text(fields["crosshead"], f"{path}.crosshead", required=True)
        return Crosshead(text, self.where(node, path))

    def items(self, node: Node | None, path: str) -> tuple[Paragraph, ...]:
        """The items of a briefs story (简讯), one paragraph each."""
        items = self.sequence(node, path, "items", empty=_EMPTY["items"])
        paragraphs = []
        for index, item in enumerate(items):
            text = self.text(item, f"{path}[{index}]", required=True)
            paragraphs.append(Paragraph(text, self.where(item, f"{path}[{index}]")))
        return tuple(paragraphs)

    # --- photos and pins ---------------------------------------------------------------------

    def photos(self, node: Node | None, path: str) -> tuple[Photo, ...]:
        items = self.sequence(node, path, "photos")
        photos = (self.photo(item, f"{path}[{index}]") for index, item in enumerate(items))
        return tuple(photo for photo in photos if photo is not None)

    def style_file(self, node: Node | None) -> Path | None:
        """The house style sheet (版式文件), relative to the issue folder; it must exist."""
        if node is None:
            return None
        name = self.text(node, "issue.style", copy=False, required=True)
        if not name:
            return None
        file = self.inside_root(node, "issue.style", name, "style sheet")
        if file is None:
            return None
        try:
            if not file.is_file():
                self.report(node, "issue.style", f"style sheet not found: {name} — paths are relative to the issue folder")
        except (OSError, ValueError) as exc:
            self.report(node, "issue.style", f"cannot open the style sheet {name}: {os_reason(exc)}")
        return file

    def inside_root(self, node: Node, path: str, name: str, what: str) -> Path | None:
        """``name`` (relative to the issue folder) resolved, if it stays inside the root.

        An issue is self-contained: a photo or style sheet named outside its folder
        (``../x.jpg``, an absolute path) is refused, without saying whether it exists;
        ``--root`` widens the root. The check is on the name as written (a symbolic link the
        folder's owner put inside the folder, e.g. a shared photos/ store, is followed).
        None (reported) when outside or the name is unusable."""
        if "\0" in name:
            self.report(node, path, f"the {what} name contains a NUL character — remove it")
            return None
        lexical = Path(os.path.normpath(os.path.abspath(self.folder / name)))
        if not lexical.is_relative_to(self.root):
            self.report(node, path, f"the {what} {name} is outside the issue folder {self.root.as_posix()} — "
                        "copy it into the issue folder (or widen the root with --root)")
            return None
        try:
            return _resolved(lexical)
        except (OSError, ValueError, RuntimeError) as exc:
            self.report(node, path, f"cannot open the {what} {name}: {os_reason(exc)}")
            return None


    def photo(self, node: Node, path: str) -> Photo | None:
        """A news photo (新闻图片): a JPEG or PNG file relative to the issue folder, or a
        placeholder (``placeholder: true`` and ``aspect``, no file: placeholder.py)."""
        fields = self.mapping(node, path, _PHOTO_KEYS)
        if fields is None:
            return None
        if "placeholder" in fields:
            reported = len(self.problems)
            if self.boolean(fields["placeholder"], f"{path}.placeholder"):
                return self.placeholder(node, fields, path)
            if len(self.problems) > reported:  # neither true nor false: said; nothing else to add
                return None
        if "aspect" in fields:
            self.report(fields["aspect"], f"{path}.aspect", "an aspect is given only with 'placeholder: true' — "
                        "a photo's shape comes from its file; remove it, or remove 'file' and add 'placeholder: true'")
        if "file" not in fields:
            self.report(node, f"{path}.file", "missing required field 'file' — or write 'placeholder: true' with "
                        "an aspect (1.5 or 3:2) for a photo whose file is missing")
            return None
        name = self.text(fields["file"], f"{path}.file", copy=False, required=True)
        file = self.inside_root(fields["file"], f"{path}.file", name, "photo") if name else None
        if file is not None:
            problem = _image_problem(file, name)
            if problem:
                self.report(fields["file"], f"{path}.file", problem)
        else:
            file = self.folder / name  # reported; the model still needs a path
        return Photo(
            path=file,
            caption=self.text(fields.get("caption"), f"{path}.caption"),
            credit=self.text(fields.get("credit"), f"{path}.credit"),
            where=self.where(node, path),
        )

    def placeholder(self, node: Node, fields: dict[str, Node], path: str) -> Photo | None:
        """A placeholder photo (图片占位): an aspect, a caption, no file."""
        from paperlayout.placeholder import marker, parse_aspect

        if "file" in fields:
            self.report(fields["file"], f"{path}.file", "a placeholder has no file — remove 'file', "
                        "or remove 'placeholder: true' to print the photo")
        aspect = 0.0
        if "aspect" not in fields:
            self.report(node, f"{path}.aspect", "missing required field 'aspect' — a placeholder needs the "
                        "photo's width/height, e.g. 1.5 or 3:2 (landscape), 0.75 or 3:4 (portrait)")
        elif not isinstance(fields["aspect"], ScalarNode) or _is_null(fields["aspect"]):
            self.report(fields["aspect"], f"{path}.aspect", f"expected a width/height such as 1.5 or 3:2, "
                        f"got {_describe(fields['aspect'])}")
        else:
            try:
                aspect = parse_aspect(fields["aspect"].value)
            except ValueError as exc:
                self.report(fields["aspect"], f"{path}.aspect", str(exc))
        if not aspect:
            return None
        return Photo(
            path=marker(Path(os.path.abspath(self.folder)), path),
            caption=self.text(fields.get("caption"), f"{path}.caption"),
            credit=self.text(fields.get("credit"), f"{path}.credit"),
            where=self.where(node, path),
            placeholder=True,
            aspect=aspect,
        )

    def pin(self, node: Node, path: str) -> Pin | None:
        """An editor's pin (编辑指定): span in basic columns, optional top-left cell (0-based)."""
        fields = self.mapping(node, path, _PIN_KEYS)
        if fields is None:
            return None
        columns = self.integer(fields.get("columns"), f"{path}.columns", 1, MAX_COLUMNS)
        column = self.integer(fields.get("column"), f"{path}.column", 0, MAX_COLUMNS - 1)
        if columns is not None and column is not None and column + columns > MAX_COLUMNS:
            message = (f"column {column} + {columns} columns runs past the {MAX_COLUMNS} columns"
                       " of the page — move it left or make it narrower")
            self.report(fields["column"], f"{path}.column", message)
        return Pin(
            columns=columns,
            column=column,
            row=self.integer(fields.get("row"), f"{path}.row", 0),
            where=self.where(node, path),
        )


# --- helpers -----------------------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _value_of(node: Node, key: str) -> Node | None:
    """The value node of ``key`` in a mapping node, without checking anything else."""
    if not isinstance(node, MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL


def _resolved(path: Path) -> Path:
    """``path`` made absolute with symbolic links resolved (strict: a loop raises)."""
    path = Path(path).absolute()
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:  # a missing file is reported by the caller; resolve what exists
        return path.parent.resolve() / path.name if path.parent != path else path


def _describe_kind(node: Node) -> str:
    """What a node is, without its content ("a list", "a single text value")."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return "nothing" if node.tag == _NULL else "a single text value (is this a YAML file?)"


def _describe(node: Node) -> str:
    """A short description of a node for messages ("a list", "'abc'", "nothing")."""
    if isinstance(node, (SequenceNode, MappingNode)) or node.tag == _NULL:
        return _describe_kind(node)
    value = node.value if len(node.value) <= 40 else node.value[:39] + "…"
    return f"'{value}'" if node.tag == _STR else value


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" — did you mean '{close[0]}'?" if close else ""


def _unknown_choice(what: str, name: str, choices: Iterable[str]) -> str:
    """The message for a value not among ``choices``, with the likeliest intended one."""
    choices = list(choices)
    known = f"known {what}s: {', '.join(choices)}"
    suggestion = _did_you_mean(name, choices)
    if suggestion:
        return f"unknown {what} '{name}'{suggestion} ({known})"
    return f"unknown {what} '{name}' — {known}"


def _unknown_key(key: str, known: tuple[str, ...], label: str) -> str:
    """The message for a key the format does not know here, with the likeliest intended key."""
    suggestion = _did_you_mean(key, known)
    if label and key in _ALL_STORY_KEYS:
        return f"key '{key}' is not used by a {label} — its keys are: {', '.join(known)}"
    if suggestion:
        return f"unknown key '{key}'{suggestion}"
    return f"unknown key '{key}' — known keys here: {', '.join(known)}"


def _source_text(source: str, node: ScalarNode) -> str:
    """A scalar's text; multi-line scalars are re-read from the source and their lines joined.

    YAML folds a line break into a space, which is wrong between Han characters, so the lines
    are taken from the source slice instead (block header dropped, quotes removed).
    """
    single_line = node.start_mark.line == node.end_mark.line
    if node.style not in ("|", ">") and single_line:
        return node.value
    raw = source[node.start_mark.index : node.end_mark.index]
    if node.style in ("|", ">"):
        return join_lines(raw.split("\n")[1:])
    if node.style == "'":
        return join_lines(raw[1:-1].replace("''", "'").split("\n"))
    if node.style == '"':
        return _double_quoted_lines(raw[1:-1], node.value)
    return join_lines(raw.split("\n"))


def _double_quoted_lines(inner: str, folded: str) -> str:
    """Join a multi-line double-quoted scalar, decoding escapes line by line."""
    lines = [line.strip() for line in inner.split("\n")]
    if any(line.endswith("\\") for line in lines):  # an escaped line break: keep YAML's reading
        return folded
    try:
        return join_lines([yaml.safe_load(f'"{line}"') for line in lines])
    except yaml.YAMLError:
        return folded


def _image_problem(file: Path, name: str = "") -> str | None:
    """Why ``file`` is not a usable photo (missing, unreadable, not JPEG/PNG), or None."""
    name = name or file.as_posix()
    try:
        if not file.exists():
            return f"photo file not found: {name} — paths are relative to the issue folder{_case_hint(file)}"
        head = _head(file)
    except (OSError, ValueError, RuntimeError) as exc:
        return f"cannot read the photo {name}: {os_reason(exc)}"
    if head.startswith(_JPEG_MAGIC) or head == _PNG_MAGIC:
        return None
    return f"{name} is not a JPEG or PNG image — save it as .jpg or .png"


def _head(file: Path) -> bytes:
    """The first 8 bytes of a regular file (NotRegularFile for a folder, FIFO, device)."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"is {kind_of(mode)}, not a photo file")
        return os.read(fd, 8)
    finally:
        os.close(fd)


def _case_hint(file: Path) -> str:
    """' — there is Spring.JPG' when a file differing only in case exists next to it."""
    try:
        twins = [p.name for p in file.parent.iterdir() if p.name.casefold() == file.name.casefold()]
    except OSError:
        return ""
    return f"; there is {twins[0]} (names are case-sensitive)" if twins else ""
