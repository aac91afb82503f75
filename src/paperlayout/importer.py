"""Importer: text extracted from a printed issue (an archive *dump*) → an issue skeleton.

Pure functions over frozen dataclasses; no yaml, no click, no file access (the command line
in ``cli_archive.py`` reads the dump and writes the files). The skeleton is rendered as the
text of an ``issue.yaml`` by ``to_yaml`` (hand-written YAML, so that every uncertain decision
can stand next to its element as a ``# check:`` comment the archivist reads and deletes).

What a dump looks like (``shared/seeds/``): one printed block (paragraph, head, caption …) per
line, blocks separated by blank lines; a run of two or more blank lines where a photo stood;
paragraphs cut where the old page's column ended ("方" / "式"); ASCII punctuation in Chinese
text; captions with a stray 图片 prefix, sometimes printed twice.

The stages, each a function of the previous one's value:

1. ``read_blocks``: lines → ``Block`` (1-based line of the dump, text, blank lines before; a
   run of consecutive lines is one block), ASCII punctuation made full width exactly as the
   loader does (``normalize.fullwidth_punct``), paired ASCII quotes made “ ”.
2. ``classify``: each block gets a role from the ``ROLE_RULES`` table (source line, byline,
   dateline, banner, caption, credit, briefs head, display line, text).
3. ``join_fragments``: a text block that does not end a sentence is joined to the next text
   block (past captions and photo gaps); a word segmenter (jieba, 分词) judges whether a word
   was split by the break. Joins without a split word are marked for checking.
4. ``build_stories``: a state machine over the roles → stories (article, banner, briefs),
   heads split into kicker 引题 / head 主题 / subhead 副题, crossheads 小标题, captions attached
   to the last article (duplicates dropped), photo positions without captions noted.
5. ``merge_jumps`` (over the dumps of one issue's pages): a story continued on another page
   (（下转第N版） … （上接第M版）) is joined back into one story.

Units: none (text only). Line numbers are 1-based lines of the dump.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .normalize import fullwidth_punct, is_cjk, join_lines

# --- character classes ----------------------------------------------------------------------

# Marks that end a sentence (句末点号, GB/T 15834—2011 §4.1): a block ending with one of them
# (optionally followed by closing quotes/brackets) may end a paragraph.
SENTENCE_END = "。！？…!?"
# Closing marks that may follow a sentence end: ”。 → 。”  (GB/T 15834 §4.1.3.2 引号).
CLOSERS = "”’）》」』】)"
# Marks inside a sentence (句内点号, GB/T 15834 §4.1): a block ending with one was cut mid-sentence.
CLAUSE_MARKS = "，、；：,;:"
# Internal marks that no head or crosshead carries (heads use spaces, not commas, GB/T 15834
# §5.1.1 标题末尾不用句号; crossheads likewise) — a short line holding one is copy, not display.
COPY_MARKS = "，。；！？"
# Marks that cannot start a line (CLREQ §3.1.7 行首禁则): a block starting with one continues
# the block before it.
NO_LINE_START = "，。、；：！？）”’》」』】…,.;:!?)"
# Paired marks: an opening mark left open at a block's end means the block was cut.
PAIRS = {"“": "”", "（": "）", "《": "》", "「": "」", "『": "』", "【": "】", "‘": "’"}
# Interpuncts (间隔号 ·, GB/T 15834 §4.14) and the look-alikes extraction produces.
INTERPUNCTS = "·•・‧∙"
# Bullets that print in front of brief items (简讯 条目符号); the layout draws its own.
BULLETS = "■□●○◆◇▲△★☆▶►•"

MAX_DISPLAY_CHARS = 40  # longest head line: the seed's longest is 26 (kicker + head); room for more
MAX_CAPTION_CHARS = 80  # a caption is one or two sentences under the photo
PHOTO_GAP = 2  # this many blank lines or more: a photo (or its frame) stood there
DEFAULT_ASPECT = 1.5  # width/height of a placeholder photo: 3:2, the usual news photo

# --- rule tables --------------------------------------------------------------------------------

# Dateline forms (电头), matched at the start of a block; the rest of the block is the first
# paragraph. Why each: the house forms of Chinese papers (《新闻电头规范》 practice).
DATELINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("本报讯 with reporters in brackets: the paper's own story",
     re.compile(r"^本报(?:[^\s，。（]{0,8})?讯(?:（[^）]{1,40}）)?")),
    ("新华社 / 人民网 … 电: an agency's dispatch",
     re.compile(r"^(?:新华社|中新社|人民网|央视网)[^\s，。]{0,12}电(?:（[^）]{1,40}）)?")),
    ("place讯 followed by a space or a bracket: a correspondent's story (树林召讯)",
     re.compile(r"^[\u4e00-\u9fff]{2,8}讯(?:（[^）]{1,40}）|(?=[ \u3000])|$)")),
)

# Byline openings (署名); a byline is a short line without sentence marks.
BYLINE_PREFIXES = ("本报记者", "本报通讯员", "特约记者", "记者", "通讯员", "文／", "文/", "撰文")

# Photo credit (摄影署名): "本报记者 某某 摄".
CREDIT = re.compile(r"^[^，。]{2,30}[ \u3000]摄$")

# Caption prefixes left by extraction (the label of the photo frame, not copy), dropped.
CAPTION_PREFIXES = ("图片：", "图片", "图为：", "图为", "图：", "图／", "图/")

# Briefs heads (简讯 栏头): the block names a column of short items.
BRIEFS_HEADS = re.compile(r"^(?:简讯|快讯|短讯|资讯|新闻速递|信息快递|要闻简报)(?:[一二三四五六七八九十\d]+则)?$")

# Jump lines (转版, 下转/上接): where a story continues on another page.
_PAGE_NUMBER = r"第?([0-9]{1,2}|[一二三四五六七八九十]{1,3})版"
JUMP_OUT = re.compile(r"^（(?:下转|转)" + _PAGE_NUMBER + "）$")
JUMP_IN = re.compile(r"^（(?:上接|接)" + _PAGE_NUMBER + "）$")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def page_number(text: str) -> int:
    """The page number in a jump line: 第2版 → 2, 第十二版 → 12."""
    match = JUMP_OUT.match(text) or JUMP_IN.match(text)
    if not match:
        return 0
    digits = match.group(1)
    if digits.isdigit():
        return int(digits)
    if "十" in digits:
        tens, _, ones = digits.partition("十")
        return _NUMERALS.get(tens, 1) * 10 + _NUMERALS.get(ones, 0)
    return _NUMERALS.get(digits, 0)


# Source line (来源): closes a story.
SOURCE = re.compile(r"^（?(?:来源|稿源|转自)：[^）]{1,40}）?$")


# --- values -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """An uncertain decision for the archivist, at a dump line (1-based); shown as
    ``# check: message`` in the YAML."""

    line: int
    message: str
    check: bool = True  # False: a certain repair, shown as ``# repaired: message``

    def comment(self) -> str:
        return f"# {'check' if self.check else 'repaired'}: {self.message}"


@dataclass(frozen=True, slots=True)
class Repair:
    """One repair of extraction damage: ``kind`` is "join" (a column-break fragment joined),
    "punct" (ASCII marks made full width), "caption-prefix" (图片 dropped), "duplicate-caption",
    "interpunct" (a look-alike made ·), "bullet" (a bullet dropped); ``certain`` is False when
    the repair was also written as a check note."""

    kind: str
    line: int
    detail: str
    certain: bool = True


@dataclass(frozen=True, slots=True)
class Block:
    """One non-blank line of the dump: its 1-based line, its text (stripped, punctuation
    normalised), the blank lines before it, its role (see ``ROLES``) and, for a dateline,
    the dateline part split off ``text``."""

    line: int
    text: str
    gap: int = 0
    role: str = "text"
    dateline: str = ""
    lines: tuple[int, ...] = ()  # every dump line merged into this block (joins)


ROLES = ("text", "display", "caption", "credit", "byline", "dateline", "banner", "source",
         "briefs-head", "photo-gap")


@dataclass(frozen=True, slots=True)
class Para:
    """A body paragraph (``crosshead`` False) or crosshead 小标题, with its dump line."""

    text: str
    line: int
    crosshead: bool = False
    lines: tuple[int, ...] = ()  # every dump line it was joined from


@dataclass(frozen=True, slots=True)
class ImportedPhoto:
    """A photo the dump shows only by its caption (or by a gap): no image file."""

    caption: str
    line: int
    credit: str = ""
    aspect: float = DEFAULT_ASPECT


@dataclass(frozen=True, slots=True)
class ImportedStory:
    """A story of the skeleton, fields as in docs/issue-format.md; ``notes`` are the check
    notes about this story; ``line`` its first dump line."""

    id: str
    kind: str = "article"
    line: int = 0
    kicker: str = ""
    head: str = ""
    subhead: str = ""
    byline: str = ""
    dateline: str = ""
    body: tuple[Para, ...] = ()
    items: tuple[Para, ...] = ()
    photos: tuple[ImportedPhoto, ...] = ()
    source: str = ""
    text: str = ""
    notes: tuple[Note, ...] = ()
    jump_out: int = 0  # 转版: the dump says （下转第N版） after this story's copy
    jump_in: int = 0  # this is the continuation of a story on page N (（上接第N版）)


@dataclass(frozen=True, slots=True)
class Skeleton:
    """The imported issue: stories in dump order, the repairs made, notes not tied to a story."""

    stories: tuple[ImportedStory, ...]
    repairs: tuple[Repair, ...]
    notes: tuple[Note, ...] = ()

    def all_notes(self) -> tuple[Note, ...]:
        """Every note still to check (certain repairs excluded)."""
        return tuple(n for n in self.notes + tuple(n for s in self.stories for n in s.notes) if n.check)

    def summary(self) -> dict[str, int]:
        """Counts for the printed summary."""
        kinds = [s.kind for s in self.stories]
        joins = [r for r in self.repairs if r.kind == "join"]
        return {
            "stories": len(self.stories),
            "articles": kinds.count("article"),
            "banners": kinds.count("banner"),
            "briefs": kinds.count("briefs"),
            "paragraphs": sum(1 for s in self.stories for p in s.body if not p.crosshead),
            "crossheads": sum(1 for s in self.stories for p in s.body if p.crosshead),
            "brief items": sum(len(s.items) for s in self.stories),
            "captions": sum(1 for s in self.stories for p in s.photos if p.caption),
            "photo places": sum(len(s.photos) for s in self.stories),
            "fragments joined": len(joins),
            "joins to check": sum(1 for r in joins if not r.certain),
            "marks made full width": sum(int(r.detail.split()[0]) for r in self.repairs if r.kind == "punct"),
            "caption prefixes dropped": sum(1 for r in self.repairs if r.kind == "caption-prefix"),
            "duplicate captions": sum(1 for r in self.repairs if r.kind == "duplicate-caption"),
            "checks": len(self.all_notes()),
        }


# --- 1. blocks ----------------------------------------------------------------------------------


def read_blocks(text: str) -> tuple[tuple[Block, ...], tuple[Repair, ...]]:
    """The dump's blocks, punctuation normalised as the loader does.

    A block is a run of non-blank lines: in a dump that wraps its text at the printed line
    (blank lines between paragraphs) the run's lines are joined as the loader joins a YAML
    block (``normalize.join_lines``: no space between Han characters). A dump with (almost) no
    blank lines — fewer than one transition in ten — has one block per line. Whitespace-only
    lines count as blank. Returns the blocks and a "punct"/"quotes" repair per block whose
    ASCII marks were replaced.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[tuple[int, str, int]] = []  # (1-based line, stripped text, blank lines before)
    gap = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip(" \t\u3000\u00a0")
        if not stripped:
            gap += 1
            continue
        lines.append((number, stripped, gap if lines else 0))
        gap = 0
    gaps = [g for _, _, g in lines[1:]]
    one_per_line = not gaps or sum(1 for g in gaps if g) < len(gaps) / 10
    runs: list[list[tuple[int, str, int]]] = []
    for line in lines:
        if runs and not one_per_line and line[2] == 0:
            runs[-1].append(line)
        else:
            runs.append([line])
    blocks: list[Block] = []
    repairs: list[Repair] = []
    for run in runs:
        number, joined, before = run[0][0], join_lines([t for _, t, _ in run]), run[0][2]
        fixed = fullwidth_punct(joined)
        changed = sum(1 for a, b in zip(joined, fixed) if a != b) if len(fixed) == len(joined) else 1
        if fixed != joined:
            repairs.append(Repair("punct", number, f"{changed} marks"))
        quoted = curly_quotes(fixed)
        if quoted != fixed:
            repairs.append(Repair("quotes", number, f'ASCII " made “ ” in “{quoted[:12]}…”'))
            fixed = quoted
        blocks.append(Block(number, fixed, before, lines=tuple(n for n, _, _ in run)))
    return tuple(blocks), tuple(repairs)


def curly_quotes(text: str) -> str:
    """ASCII double quotes in Chinese text made “ ” (GB/T 15834—2011 §4.8: Chinese text
    uses the curly quotes; the loader keeps ASCII quotes as typed, so the importer repairs
    them). Only when the line holds an even number of them and each touches CJK text on
    one side; they are paired in order, opening first."""
    count = text.count('"')
    if not count or count % 2:
        return text
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c == '"']
    near = [any(0 <= k < len(chars) and is_cjk(chars[k]) for k in (i - 1, i + 1)) for i in spots]
    if not all(near):
        return text
    for n, i in enumerate(spots):
        chars[i] = "“" if n % 2 == 0 else "”"
    return "".join(chars)


# --- 2. roles -----------------------------------------------------------------------------------


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with a sentence-end mark, possibly followed by closing marks."""
    core = text.rstrip(CLOSERS)
    return bool(core) and core[-1] in SENTENCE_END


def _open_pair(text: str) -> bool:
    """Whether an opening mark (“ （ 《 …) is left unclosed at the end of ``text``."""
    depth: dict[str, int] = {}
    for char in text:
        if char in PAIRS:
            depth[char] = depth.get(char, 0) + 1
        for opener, closer in PAIRS.items():
            if char == closer and depth.get(opener, 0):
                depth[opener] -= 1
    return any(depth.values())


def is_display(text: str) -> bool:
    """A display line (head, kicker, subhead or crosshead): short, no copy marks inside, no
    sentence end, no mark left open."""
    return (len(text) <= MAX_DISPLAY_CHARS and not any(c in COPY_MARKS for c in text[:-1])
            and not _ends_sentence(text) and text[-1] not in CLAUSE_MARKS and not _open_pair(text))


def is_banner(text: str) -> bool:
    """A banner (通栏标语): three or more short slogans joined by interpuncts (GB/T 15834 §4.14)."""
    parts = re.split(f"[{INTERPUNCTS}]", text)
    return (len(parts) >= 3 and all(1 <= len(p.strip()) <= 12 for p in parts)
            and not any(c in COPY_MARKS + "：" for c in text))


def _dateline(text: str) -> str:
    """The dateline at the start of ``text`` ('' if none), by ``DATELINE_RULES``."""
    for _why, pattern in DATELINE_RULES:
        match = pattern.match(text)
        if match:
            return match.group()
    return ""


def _bracketed(text: str) -> bool:
    """A whole line in one pair of brackets （…）: a closing credit or end mark."""
    return text.startswith("（") and text.endswith("）") and text.count("（") == 1 and len(text) <= 30


def _caption_prefix(text: str) -> str:
    return next((p for p in CAPTION_PREFIXES if text.startswith(p) and len(text) > len(p) + 4), "")


def _is_caption_text(text: str) -> bool:
    """Short copy of one or two sentences: what a caption looks like."""
    inner = text.rstrip(CLOSERS)[:-1]
    return len(text) <= MAX_CAPTION_CHARS and sum(inner.count(c) for c in "。！？") <= 1


# Role rules, first match wins: (role, test, why).
ROLE_RULES: tuple[tuple[str, Callable[[str], bool], str], ...] = (
    ("source", lambda t: bool(SOURCE.match(t)), "（来源：…） closes a story"),
    ("briefs-head", lambda t: bool(BRIEFS_HEADS.match(t)), "简讯 heads a column of items"),
    ("caption", lambda t: bool(_caption_prefix(t)), "图片/图为 is the photo frame's label"),
    ("credit", lambda t: bool(CREDIT.match(t)), "… 摄 credits a photo"),
    ("byline", lambda t: t.startswith(BYLINE_PREFIXES) and len(t) <= 30 and not any(c in COPY_MARKS for c in t),
     "本报记者 … on its own short line"),
    ("dateline", lambda t: bool(_dateline(t)), "本报讯（…） / 某地讯 opens a story's first paragraph"),
    ("banner", is_banner, "slogans separated by ·"),
    ("jump-out", lambda t: bool(JUMP_OUT.match(t)), "（下转第N版）: the story continues on page N"),
    ("jump-in", lambda t: bool(JUMP_IN.match(t)), "（上接第N版）: a story continued from page N"),
    ("text", lambda t: _bracketed(t), "a line in brackets — （记者 王小明）, （完） — is copy, not a head"),
    ("display", is_display, "short line without copy marks: a head or crosshead"),
)


def classify(blocks: Sequence[Block], repairs: Sequence[Repair] = ()) -> tuple[tuple[Block, ...], tuple[Repair, ...]]:
    """Give every block its role (``ROLE_RULES``; else "text"); captions found by the photo gap
    before them or by repeating an earlier caption; insert a "photo-gap" block where a photo
    stood without a caption. Returns the blocks and the repairs (prefixes dropped, duplicates)."""
    out: list[Block] = []
    fixes = list(repairs)
    captions: set[str] = set()
    for block in blocks:
        role = next((name for name, test, _ in ROLE_RULES if test(block.text)), "text")
        text, dateline = block.text, ""
        if role == "caption":
            prefix = _caption_prefix(text)
            text = text[len(prefix):].strip()
            fixes.append(Repair("caption-prefix", block.line, f"dropped “{prefix}” before the caption"))
        elif role == "dateline":
            dateline = _dateline(text)
            text = text[len(dateline):].strip()
        elif role == "banner":
            fixed = re.sub(f"[{INTERPUNCTS}]", "·", re.sub(r"\s*([" + INTERPUNCTS + r"])\s*", r"\1", text))
            if fixed != text:
                fixes.append(Repair("interpunct", block.line, "separators made ·"))
            text = fixed
        elif role == "text" and _is_caption_text(text) and (block.gap >= PHOTO_GAP or text in captions):
            role = "caption"
        elif block.gap >= PHOTO_GAP and role in ("text", "dateline"):
            out.append(Block(block.line, "", 0, "photo-gap", lines=(block.line,)))
        if role == "caption":
            if text in captions:
                fixes.append(Repair("duplicate-caption", block.line, f"caption printed again: {text}"))
            captions.add(text)
        out.append(replace(block, text=text, role=role, dateline=dateline))
    return tuple(out), tuple(fixes)


# --- 3. joining column-break fragments ----------------------------------------------------------


def split_word(before: str, after: str, cut: Callable[[str], list[str]] | None = None) -> str:
    """The word a break between ``before`` and ``after`` splits ('' if none), by a word
    segmenter (jieba by default): a Han word of two or more characters that starts in
    ``before`` and ends in ``after``."""
    cut = cut or _jieba_cut
    left, right = before[-6:], after[:6]
    offset = 0
    for token in cut(left + right):
        start, offset = offset, offset + len(token)
        if start < len(left) < offset and len(token) >= 2 and all(is_cjk(c) for c in token):
            return token
    return ""


def _jieba_cut(text: str) -> list[str]:
    import logging

    import jieba  # word segmenter (分词): dictionary-based, loaded once per process

    jieba.setLogLevel(logging.WARNING)
    return list(jieba.cut(text, HMM=False))


def _join_reason(a: str, b: str, cut: Callable[[str], list[str]] | None) -> tuple[str, bool] | None:
    """Why block text ``a`` (cut at a column break) continues in ``b``, and whether that is
    certain; None when ``a`` ends a sentence (a paragraph may end there)."""
    if _ends_sentence(a) or _bracketed(a):  # （记者 王小明） ends its story's copy
        return None
    word = split_word(a, b, cut)
    if word:
        return f"the break splits the word “{word}”", True
    if a[-1] in "：:":  # a paragraph may end with a colon before a list (GB/T 15834 §4.6.3.1)
        return "a colon ends the line: run on, or a list follows?", False
    if a[-1] in CLAUSE_MARKS:
        return f"“{a[-1]}” cannot end a paragraph", True
    if b[0] in NO_LINE_START:
        return f"“{b[0]}” cannot start a paragraph", True
    if _open_pair(a):
        return "a quote or bracket is left open", True
    return "no sentence end before the break", False


def join_fragments(blocks: Sequence[Block], cut: Callable[[str], list[str]] | None = None
                   ) -> tuple[tuple[Block, ...], tuple[Repair, ...]]:
    """Join text fragments split at old column breaks.

    A "text" block that does not end a sentence is joined with the next "text" block (or a
    dateline's rest), looking past captions, credits and photo gaps between them; a display
    line is joined only when the break splits a word (a cut paragraph that happens to look
    like a head). Uncertain joins (no split word, no mid-sentence mark at the break) are
    returned as repairs with ``certain=False``.
    """
    out: list[Block] = list(blocks)
    repairs: list[Repair] = []
    i = 0
    while i < len(out):
        a = out[i]
        if a.role not in ("text", "display", "dateline") or not a.text:
            i += 1
            continue
        j = i + 1
        while j < len(out) and out[j].role in ("caption", "credit", "photo-gap"):
            j += 1
        if j >= len(out) or out[j].role not in ("text", "display") or not out[j].text:
            i += 1
            continue
        b = out[j]
        found = _join_reason(a.text, b.text, cut)
        if found is None or (a.role == "display" and not found[0].startswith("the break splits")):
            i += 1
            continue
        if b.role == "display" and a.role != "display" and not (found[1] or a.text[-1] in CLAUSE_MARKS):
            i += 1  # a cut paragraph is not continued by a head
            continue
        reason, certain = found
        if a.role == "display":  # the line looked like a head: say so
            reason, certain = f"{reason} (the first part looked like a head)", False
        detail = f"joined “{a.text[-6:]}” + “{b.text[:6]}”: {reason}"
        repairs.append(Repair("join", b.line, detail, certain))
        merged = replace(a, text=a.text + b.text, role="dateline" if a.role == "dateline" else "text",
                         lines=a.lines + b.lines)
        out[i] = merged
        del out[j]
    return tuple(out), tuple(repairs)


# --- 4. stories ---------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A story being built (mutable, local to ``build_stories``)."""

    kind: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    body: list[Para] = field(default_factory=list)
    items: list[Para] = field(default_factory=list)
    photos: list[ImportedPhoto] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    closed: bool = False


def split_head(lines: Sequence[Block]) -> tuple[dict[str, str], list[Note]]:
    """kicker 引题 / head 主题 / subhead 副题 from the display lines above a story.

    One line: with three or more space-separated parts, the last is the head and the rest the
    kicker (the kicker of two parallel phrases run into the head's line by extraction), marked
    for checking; otherwise the whole line is the head (a space marks a two-part head). A line
    starting with —— is the subhead. Two lines: kicker and head. Three: kicker, head, subhead.
    """
    notes: list[Note] = []
    sub = [b for b in lines if b.text.startswith(("——", "—"))]
    main = [b for b in lines if b not in sub]
    fields: dict[str, str] = {}
    if sub:
        fields["subhead"] = " ".join(b.text for b in sub)
    if len(main) == 1:
        parts = main[0].text.split()
        if len(parts) >= 3:
            fields["kicker"], fields["head"] = " ".join(parts[:-1]), parts[-1]
            notes.append(Note(main[0].line, f"split “{main[0].text}” into kicker “{fields['kicker']}”"
                                            f" and head “{fields['head']}”"))
        else:
            fields["head"] = main[0].text
    elif len(main) >= 2:
        fields["kicker"] = " ".join(b.text for b in main[:-1])
        fields["head"] = main[-1].text
        notes.append(Note(main[0].line, f"took “{fields['kicker']}” as the kicker over the head “{fields['head']}”"))
    return fields, notes


def build_stories(blocks: Sequence[Block]) -> tuple[tuple[ImportedStory, ...], tuple[Note, ...]]:
    """The stories of the classified, joined blocks, in dump order.

    A run of display lines starts a new story when it is the first thing, follows a closed
    story (source line), is two or more lines, or is followed by a byline or dateline;
    otherwise it is a crosshead of the current article. Captions and photo gaps attach to the
    last article (a banner between them does not take photos).
    """
    drafts: list[_Draft] = []
    loose: list[Note] = []
    cur: _Draft | None = None
    above = _Draft("article", 0)  # photos printed above the first article (its head below them)
    last_article: _Draft = above
    i = 0

    def start(kind: str, line: int) -> _Draft:
        nonlocal cur, last_article
        draft = _Draft(kind, line)
        drafts.append(draft)
        cur = draft
        if kind == "article":
            if last_article is above and above.photos:
                draft.photos += above.photos
                draft.notes += above.notes
                draft.notes.append(Note(above.photos[0].line, "photo printed above this story's head: check it belongs here"))
            last_article = draft
        return draft

    while i < len(blocks):
        block = blocks[i]
        role = block.role
        if role == "display":
            run = [block]
            while i + 1 < len(blocks) and blocks[i + 1].role == "display" and blocks[i + 1].gap < PHOTO_GAP:
                i += 1
                run.append(blocks[i])
            following = blocks[i + 1].role if i + 1 < len(blocks) else ""
            new_story = (cur is None or cur.closed or cur.kind != "article" or len(run) >= 2
                         or following in ("byline", "dateline", "jump-in") or len(run[0].text.split()) >= 3)
            if new_story:
                draft = start("article", run[0].line)
                fields, notes = split_head(run)
                draft.fields.update(fields)
                draft.notes += notes
            else:
                assert cur is not None
                cur.body.append(Para(block.text, block.line, crosshead=True))
        elif role == "banner":
            drafts.append(_Draft("banner", block.line, {"text": block.text}, closed=True))
        elif role == "briefs-head":
            start("briefs", block.line).fields["head"] = block.text
        elif role == "jump-out":
            if cur is None or cur.closed or cur.kind != "article":
                loose.append(Note(block.line, f"jump line “{block.text}” follows no article: left out"))
            else:
                cur.fields["jump_out"] = str(page_number(block.text))
                cur.closed = True
        elif role == "jump-in":
            if cur is None or cur.closed or cur.kind != "article" or cur.body or "jump_in" in cur.fields:
                start("article", block.line).notes.append(Note(block.line, f"“{block.text}” without a 接版题 above it"))
            assert cur is not None
            cur.fields["jump_in"] = str(page_number(block.text))
        elif role == "source":
            if cur is None or cur.closed:
                loose.append(Note(block.line, f"source line “{block.text}” follows no story: left out"))
            else:
                cur.fields["source"] = block.text
                cur.closed = True
        elif role in ("caption", "photo-gap", "credit"):
            target = last_article
            if role == "credit":
                if target.photos and target.photos[-1].credit and target.photos[-1].credit != block.text:
                    # a photo credited twice: the first credit stays, the second is named (never dropped unseen)
                    loose.append(Note(block.line, f"a second credit “{block.text}” for the photo "
                                                         f"“{target.photos[-1].caption}”: left out, check it"))
                elif target.photos:
                    target.photos[-1] = replace(target.photos[-1], credit=block.text)
                else:
                    loose.append(Note(block.line, f"credit “{block.text}” without a photo: left out"))
            elif role == "photo-gap":
                target.photos.append(ImportedPhoto("", block.line))
                target.notes.append(Note(block.line, "a photo stood here (blank space in the dump) without a caption"))
            elif block.text not in [p.caption for p in target.photos]:
                target.photos.append(ImportedPhoto(block.text, block.line))
            else:
                first = next(p.line for p in target.photos if p.caption == block.text)
                target.notes.append(Note(first, f"caption printed twice (lines {first} and {block.line}): one photo kept"))
        elif role in ("byline", "dateline"):
            if cur is None or cur.closed or cur.kind != "article" or cur.body or role in cur.fields:
                draft = start("article", block.line)
                draft.notes.append(Note(block.line, f"{role} without a head above it: write the head"))
            assert cur is not None
            key = role
            value = block.dateline if role == "dateline" else block.text
            cur.fields[key] = f"{cur.fields[key]} {value}" if key in cur.fields else value
            if role == "dateline" and block.text:
                cur.body.append(Para(block.text, block.line, lines=block.lines))
        else:  # text
            if cur is None or cur.closed or cur.kind == "banner":
                draft = start("article", block.line)
                draft.notes.append(Note(block.line, "copy without a head above it: write the head"))
            assert cur is not None
            if cur.kind == "briefs":
                item = block.text.lstrip(BULLETS + " \u3000")
                if item != block.text:
                    cur.notes.append(Note(block.line, f"dropped the bullet “{block.text[0]}” (the layout draws its own)",
                                          check=False))
                cur.items.append(Para(item, block.line, lines=block.lines))
            else:
                cur.body.append(Para(block.text, block.line, lines=block.lines))
        i += 1
    if last_article is above:
        loose += [Note(p.line, f"photo “{p.caption}”{' (' + p.credit + ')' if p.credit else ''} in a dump without an article: left out") for p in above.photos]
    return _finish(drafts), tuple(loose)


#: The stand-in paragraph of a story with no body copy on its page, and its note; a continuation
#: (转版) merged into the story brings the body, and both go (merge_jumps).
MISSING_BODY = "（正文缺失）"
NO_BODY_NOTE = "no body copy found for this story: write it or delete the story"


def _finish(drafts: Sequence[_Draft]) -> tuple[ImportedStory, ...]:
    """Drafts → stories with ids; checks for lone crossheads and empty stories."""
    stories: list[ImportedStory] = []
    count = {"article": 0, "banner": 0, "briefs": 0}
    for draft in drafts:
        if draft.kind == "briefs" and not draft.items:  # a briefs head with nothing under it
            draft.kind = "article"
            draft.notes.append(Note(draft.line, "a briefs head without items: set as an article"))
        count[draft.kind] += 1
        if draft.kind == "article" and count["article"] == 1:
            sid = "lead"
        else:
            sid = f"{'story' if draft.kind == 'article' else draft.kind}-{len(stories) + 1:02d}"
        notes = list(draft.notes)
        crossheads = [p for p in draft.body if p.crosshead]
        if len(crossheads) == 1:
            notes.append(Note(crossheads[0].line, f"“{crossheads[0].text}” is the story's only crosshead:"
                                                  " a crosshead, or the head of a new story?"))
        body = list(draft.body)
        if draft.kind == "article" and not any(not p.crosshead for p in body):
            body.append(Para(MISSING_BODY, draft.line))
            notes.append(Note(draft.line, NO_BODY_NOTE))
        if draft.kind == "article" and "head" not in draft.fields:
            draft.fields["head"] = "（标题待补）"
        stories.append(ImportedStory(
            id=sid, kind=draft.kind, line=draft.line,
            kicker=draft.fields.get("kicker", ""), head=draft.fields.get("head", ""),
            subhead=draft.fields.get("subhead", ""), byline=draft.fields.get("byline", ""),
            dateline=draft.fields.get("dateline", ""), body=tuple(body), items=tuple(draft.items),
            photos=tuple(draft.photos), source=draft.fields.get("source", ""),
            text=draft.fields.get("text", ""), notes=tuple(sorted(notes, key=lambda n: n.line)),
            jump_out=int(draft.fields.get("jump_out", 0)), jump_in=int(draft.fields.get("jump_in", 0))))
    return tuple(stories)


LINE_OFFSET = 1_000_000  # lines of page k's dump are k·LINE_OFFSET + line once merged into page 1's


def _shift(story: ImportedStory, offset: int) -> ImportedStory:
    """The story with every dump line moved by ``offset`` (merged from another page's dump)."""
    return replace(
        story,
        body=tuple(replace(p, line=p.line + offset, lines=tuple(n + offset for n in p.lines)) for p in story.body),
        photos=tuple(replace(p, line=p.line + offset) for p in story.photos),
        notes=tuple(replace(n, line=n.line + offset) for n in story.notes))


#: Display fields of a continuation (转版) kept when merged into its first part: its head is
#: the 接版题, named in the merge note; these are copy the first part may lack.
_CARRIED_FIELDS = ("kicker", "subhead", "byline", "dateline", "source")


def merge_jumps(pages: Sequence[Skeleton], cut: Callable[[str], list[str]] | None = None) -> tuple[Skeleton, ...]:
    """Join continued stories (转版) across the pages of one issue: a story on page N marked
    （上接第M版） is appended to the story on page M marked （下转第N版） — its paragraphs after
    the first part's (the paragraph cut at the jump joined as at a column break), its photos
    after the first part's, its kicker, subhead, byline, dateline or source where the first
    part has none (a differing one is named in a note) — and removed from page N; the build
    sets jumps itself. Unmatched jump lines are marked for checking."""
    pages = list(pages)
    stories = [list(p.stories) for p in pages]
    for n in range(len(pages)):
        for cont in [s for s in stories[n] if s.jump_in]:
            m = cont.jump_in - 1
            first = next((k for k, s in enumerate(stories[m]) if s.jump_out == n + 1), None) if 0 <= m < len(pages) else None
            if first is None:
                note = Note(cont.line, f"continued from page {cont.jump_in} (上接), but no story there jumps to page"
                                       f" {n + 1}: merge it by hand")
                stories[n][stories[n].index(cont)] = replace(cont, notes=cont.notes + (note,))
                continue
            part = stories[m][first]
            rest = _shift(cont, n * LINE_OFFSET)
            body, notes = list(part.body), list(part.notes) + list(rest.notes)
            notes.append(Note(rest.line + n * LINE_OFFSET, f"continued on page {n + 1} (下转第{n + 1}版 … 上接第{m + 1}版,"
                                                          f" 接版题 “{cont.head}”): merged here, the build sets"
                                                          " jumps itself", check=False))
            tail = list(rest.body)
            if any(not p.crosshead for p in tail):  # the continuation brings the body the page lacked
                body = [p for p in body if p.text != MISSING_BODY]
                notes = [x for x in notes if x.message != NO_BODY_NOTE]
            if rest.dateline and body:
                # a dateline inside the story (after copy or a crosshead of the first part): it
                # stays where the dump has it, in front of its paragraph, not carried up to the head
                if tail and not tail[0].crosshead:
                    tail[0] = replace(tail[0], text=rest.dateline + tail[0].text)
                else:
                    tail.insert(0, Para(rest.dateline, rest.line))
                rest = replace(rest, dateline="")
            if body and tail and not body[-1].crosshead and not tail[0].crosshead:
                found = _join_reason(body[-1].text, tail[0].text, cut)
                if found is not None:
                    joined = replace(body[-1], text=body[-1].text + tail[0].text, lines=body[-1].lines + tail[0].lines)
                    body[-1] = joined
                    notes.append(Note(tail[0].line, f"joined “{part.body[-1].text[-6:]}” + “{tail[0].text[:6]}”"
                                                    f" across the jump: {found[0]}", check=not found[1]))
                    tail = tail[1:]
            # the continuation's display lines: taken where the first part has none, else named
            carried = {f: getattr(rest, f) for f in _CARRIED_FIELDS if getattr(rest, f) and not getattr(part, f)}
            dropped = [f"{f} “{getattr(rest, f)}”" for f in _CARRIED_FIELDS
                       if getattr(rest, f) and getattr(part, f) and getattr(rest, f) != getattr(part, f)]
            if dropped:
                notes.append(Note(rest.line + n * LINE_OFFSET, f"the continuation on page {n + 1} also has "
                                  f"{', '.join(dropped)}: left out, keep it by hand if it belongs"))
            stories[m][first] = replace(part, body=tuple(body + tail), photos=part.photos + rest.photos,
                                        notes=tuple(sorted(notes, key=lambda x: x.line)), jump_out=0, **carried)
            stories[n].remove(cont)
    for m, page in enumerate(stories):
        for k, story in enumerate(page):
            if story.jump_out:
                note = Note(story.line, f"（下转第{story.jump_out}版）: the rest of this story is on page"
                                        f" {story.jump_out} — import the pages together (--pages)")
                page[k] = replace(story, notes=story.notes + (note,))
    return tuple(replace(p, stories=tuple(s)) for p, s in zip(pages, stories))


def import_dump(text: str, cut: Callable[[str], list[str]] | None = None) -> Skeleton:
    """The whole import: dump text → ``Skeleton``. ``cut`` is the word segmenter (default jieba)."""
    blocks, repairs = read_blocks(text)
    blocks, repairs = classify(blocks, repairs)
    blocks, joins = join_fragments(blocks, cut)
    stories, loose = build_stories(blocks)
    notes = list(loose)
    placed = list(stories)
    for join in joins:
        note = Note(join.line, join.detail, check=not join.certain)
        home = next((k for k, s in enumerate(placed) for p in s.body + s.items if join.line in p.lines), None)
        if home is None:
            notes.append(note)
        else:
            placed[home] = replace(placed[home], notes=tuple(sorted(placed[home].notes + (note,), key=lambda n: n.line)))
    repairs_all = tuple(sorted(repairs + joins, key=lambda r: r.line))
    return Skeleton(tuple(placed), repairs_all, tuple(sorted(notes, key=lambda n: n.line)))


# --- YAML text ----------------------------------------------------------------------------------

_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@`~ ")
# Plain scalars YAML 1.1 would read as something other than a string: booleans, null,
# numbers (1_000, 1:20 sexagesimal, .5, 1e3), dates and timestamps.
_PLAIN_WORDS = re.compile(r"^(?:y|n|true|false|yes|no|on|off|null|~|[-+]?(?:\.?\d[\d_.:,eE+-]*|\.inf|\.nan)"
                          r"|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$", re.IGNORECASE)


def scalar(text: str) -> str:
    """``text`` as a one-line YAML scalar: plain when that reads back as the same string,
    else double-quoted (JSON escapes are valid YAML)."""
    plain = (text and text[0] not in _PLAIN_BAD_START and text[-1] not in ": "
             and ": " not in text and " #" not in text and "\t" not in text
             and not _PLAIN_WORDS.match(text))
    return text if plain else json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Masthead:
    """What the dump does not tell: the paper and the issue's date and numbers (the archivist's
    values, or stand-ins marked for checking)."""

    paper: str = ""
    date: str = ""
    number: int = 0
    preset: str = "broadsheet"
    section: str = "要闻"
    date_from: str = ""  # where the date was found when not given ("the file name"): checked


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_name(name: str) -> str:
    """An ISO date found in a dump's file name (2023-03-17, 20230317, 2023_03_17), or ''."""
    import datetime as dt

    for match in _NAME_DATE.finditer(name):
        try:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            continue
    return ""


def to_yaml(skeleton: Skeleton | Sequence[Skeleton], masthead: Masthead = Masthead(),
            source_name: str | Sequence[str] = "the dump") -> str:
    """The skeleton as the text of an issue.yaml (docs/issue-format.md), with ``# check:``
    comments above the elements they concern. Several skeletons (one dump per printed page)
    become pages 1..n of one issue, their story ids prefixed ``pN-`` from page 2 on. Photos are
    written as placeholders (``placeholder: true``, ``aspect``; placeholder.py): the build draws
    a frame marked 图片 with the caption."""
    pages = [skeleton] if isinstance(skeleton, Skeleton) else list(skeleton)
    names = [source_name] * len(pages) if isinstance(source_name, str) else list(source_name)
    stories = sum(len(p.stories) for p in pages)
    joins = sum(p.summary()["fragments joined"] for p in pages)
    checks = sum(p.summary()["checks"] for p in pages)
    out = [f"# Imported by `paperlayout import` from {', '.join(names)}: {stories} stories,",
           f"# {joins} column-break fragments joined, {checks} decisions to check.",
           "# Every '# check:' comment marks a decision to verify against the printed page; delete it",
           "# when done. Paper, date and numbers below are stand-ins unless given on the command line."]
    stand_in = "  # check: stand-in, the dump does not say"
    out += ["paper:",
            f"  name: {scalar(masthead.paper or '待补报名')}" + ("" if masthead.paper else stand_in),
            "  sample: true" if not masthead.paper else "",
            "issue:",
            f"  date: {masthead.date or '2000-01-01'}" + (
                f"  # check: taken from {masthead.date_from}" if masthead.date and masthead.date_from
                else "" if masthead.date else stand_in),
            f"  number: {masthead.number or 1}" + ("" if masthead.number else stand_in),
            f"  preset: {masthead.preset}",
            "pages:"]
    for number, (page, name) in enumerate(zip(pages, names), start=1):
        section = masthead.section if number == 1 else f"第{number}版"
        out += [f"  # page {number}: {name}" if len(pages) > 1 else ""]
        out += [f"  # {'check' if n.check else 'repaired'}: line {n.line}: {n.message}" for n in page.notes]
        out += [f"  - number: {number}",
                f"    section: {scalar(section)}" + ("  # check: stand-in, the dump does not say" if number > 1 else ""),
                "    stories:"]
        for story in page.stories:
            out += _story_yaml(story if number == 1 else replace(story, id=f"p{number}-{story.id}"))
    return "\n".join(line for line in out if line != "") + "\n"


def _where(line: int) -> str:
    """A dump line for a comment; lines merged from page k's dump (``LINE_OFFSET``) say so."""
    page, number = divmod(line, LINE_OFFSET)
    return f"dump line {number}" if not page else f"page {page + 1}'s dump, line {number}"


def _story_yaml(story: ImportedStory) -> list[str]:
    pad = "        "
    notes: dict[int, list[str]] = {n.line: [] for n in story.notes}
    for n in story.notes:
        notes[n.line].append(n.comment())
    out = [f"      # {_where(story.line)}"]
    head_notes = [m for line, ms in notes.items() if line <= story.line for m in ms]
    out += [f"      {m}" for m in head_notes]
    out.append(f"      - id: {story.id}")
    if story.kind != "article":
        out.append(f"{pad}kind: {story.kind}")
    for key in ("text", "kicker", "head", "subhead", "byline", "dateline"):
        value = getattr(story, key)
        if value:
            out.append(f"{pad}{key}: {scalar(value)}")
    done = set(line for line in notes if line <= story.line)

    def with_notes(para: Para, text: str) -> list[str]:
        lines = [f"{pad}  {m}" for line in para_lines(para) if line not in done for m in notes.get(line, [])]
        done.update(para_lines(para))
        return lines + [text]

    def para_lines(para: Para) -> list[int]:
        return list(para.lines or (para.line,))

    if story.body:
        out.append(f"{pad}body:")
        for para in story.body:
            text = f"{pad}  - crosshead: {scalar(para.text)}" if para.crosshead else f"{pad}  - {scalar(para.text)}"
            out += with_notes(para, text)
    if story.items:
        out.append(f"{pad}items:")
        for para in story.items:
            out += with_notes(para, f"{pad}  - {scalar(para.text)}")
    if story.photos:
        out.append(f"{pad}# photos: the dump has no image files — placeholder frames marked 图片 (the aspect")
        out.append(f"{pad}# is a guess: check it); replace 'placeholder: true' + 'aspect' by 'file:' when found.")
        out.append(f"{pad}photos:")
        for photo in story.photos:
            out.append(f"{pad}  - placeholder: true  # {_where(photo.line)}, aspect guessed")
            out.append(f"{pad}    aspect: {photo.aspect}")
            if photo.caption:
                out.append(f"{pad}    caption: {scalar(photo.caption)}")
            if photo.credit:
                out.append(f"{pad}    credit: {scalar(photo.credit)}")
    if story.source:
        out.append(f"{pad}source: {scalar(story.source)}")
    rest = [m for line, ms in sorted(notes.items()) if line not in done for m in ms]
    out += [f"{pad}{m}" for m in rest]
    return out
