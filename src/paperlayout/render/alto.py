"""ALTO 4 XML for archives: each laid-out page's text with the exact geometry it was set with.

An archive keeps a newspaper as METS (issue structure) + ALTO (page → block → line → string
with coordinates) + page images/PDFs. Since this tool sets the text itself, the ALTO comes
from the frames, not from OCR: every character is the copy's code point, every box the one
the engine placed.

The document, per page (``alto_pages``):

- ``MeasurementUnit`` mm10 (1/10 mm), origin at the trimmed page's top-left corner, y down —
  the engine's own convention; points are converted once and rounded half up. A box's
  edges are rounded, not its size, so a child box never pokes out of its parent by rounding.
- ``Styles``: one ``TextStyle`` per (face, size, colour) used on the page, in first-use order;
  FONTFAMILY is the face's font file stem (e.g. NotoSerifSC-Regular), FONTTYPE serif or
  sans-serif from the face key, FONTSIZE in pt, FONTSTYLE bold for bold and black faces.
- ``Tags``: a ``LayoutTag`` per line role used on the page (head, body, caption, jump …);
  each ``TextBlock`` points to its role with TAGREFS.
- ``Layout/Page/PrintSpace`` holds, in reading order: the furniture (masthead on page 1,
  running head on inner pages) as a ``ComposedBlock`` TYPE "masthead" / "running_head"; one
  ``ComposedBlock`` per story (ID from the story id, TYPE the story kind: article, briefs,
  banner, box) holding its ``TextBlock``s, an ``Illustration`` per photo (IDNEXT naming its
  caption block) and ``GraphicalElement``s for its rules and fills; then the page's own rules
  (masthead rules, separators between stories) as ``GraphicalElement``s.
- Text blocks inside a story: consecutive lines of one role group (kicker + head + subhead
  form the headline block; each text column's run of body lines is a block, a new one after
  a crosshead, a photo or a rule; each photo's caption lines are a block).
- Jump lines (转版: the （下转第N版） line and a continued story's repeated head) are kept —
  the archive gets the page as printed — in their own TextBlock tagged "jump".
- ``TextLine`` per composed line: HPOS/WIDTH from its glyphs' set boxes, VPOS/HEIGHT the em box
  (top = baseline − 0.88 × size, bottom = baseline + 0.12 × size), BASELINE the polyline
  "left,y right,y". Inside, a ``String`` per run of characters, split at spaces (written as
  ``SP``), at face changes (the bold dateline vs the body) and between ASCII (a Latin word or
  number) and other text. CONTENT is the copy's code points (Glyph.text), LANG zh-CN.

Deterministic: no clock (the processing date is SOURCE_DATE_EPOCH or the issue date), fixed
attribute order, IDs from page / story / block / line / string indices.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..frames import Cmyk, PageFrame, Picture, Rect, Rule, TextLine
from ..placeholder import is_placeholder

NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
LANG = "zh-CN"
ASCENT, DESCENT = 0.88, 0.12  # em box around the baseline, in em
MM10_PER_PT = 254.0 / 72.0  # 1 pt = 25.4/72 mm = 3.5277… tenths of a mm

HEADING = frozenset({"kicker", "head", "subhead"})


def mm10(pt: float) -> int:
    """Points → tenths of a millimetre, rounded half up (deterministic, no banker's rounding)."""
    return math.floor(pt * MM10_PER_PT + 0.5)


@dataclass
class Box:
    """An integer box in mm10: left, top, right, bottom."""

    l: int
    t: int
    r: int
    b: int

    def union(self, other: Box) -> Box:
        return Box(min(self.l, other.l), min(self.t, other.t), max(self.r, other.r), max(self.b, other.b))

    def attrs(self) -> list[tuple[str, str]]:
        return [("HPOS", str(self.l)), ("VPOS", str(self.t)), ("WIDTH", str(self.r - self.l)), ("HEIGHT", str(self.b - self.t))]


def _union(boxes) -> Box | None:
    out = None
    for b in boxes:
        out = b if out is None else out.union(b)
    return out


# ---- the tree, before serialising -------------------------------------------------------


@dataclass
class _Str:
    content: str
    style: str
    box: Box
    space_after: Box | None = None  # an SP follows (the gap up to the next string)


@dataclass
class _Line:
    box: Box
    baseline: int
    strings: list[_Str]
    style: str


@dataclass
class _TextBlock:
    role: str
    lines: list[_Line] = field(default_factory=list)
    id: str = ""

    @property
    def box(self) -> Box:
        return _union(line.box for line in self.lines)


@dataclass
class _Illustration:
    box: Box
    fileid: str
    id: str = ""
    next: _TextBlock | None = None  # its caption block (IDNEXT)


@dataclass
class _Graphic:
    box: Box
    id: str = ""


@dataclass
class _Composed:
    id: str
    type: str
    children: list = field(default_factory=list)

    @property
    def box(self) -> Box:
        return _union(c.box for c in self.children)


# ---- styles -----------------------------------------------------------------------------


def _rgb(c: Cmyk) -> str:
    """A naive CMYK → RGB hex (FONTCOLOR is informative: white banner text, red nameplate)."""
    def ch(v: float) -> int:
        return math.floor(255 * (1 - v) * (1 - c.k) + 0.5)

    return f"{ch(c.c):02X}{ch(c.m):02X}{ch(c.y):02X}"


def _num(v: float) -> str:
    """A float for an attribute: shortest stable form (9, 10.5, 15.75)."""
    s = f"{round(v, 3):.3f}".rstrip("0").rstrip(".")
    return s or "0"


class _Styles:
    """TextStyles in first-use order, keyed by (face, size, colour)."""

    def __init__(self, faces: dict[str, str]):
        self.faces = faces
        self.ids: dict[tuple[str, float, str], str] = {}

    def ref(self, face: str, size: float, color: Cmyk) -> str:
        key = (face, round(size, 3), _rgb(color))
        if key not in self.ids:
            self.ids[key] = f"TS{len(self.ids) + 1}"
        return self.ids[key]

    def elements(self) -> list[str]:
        out = []
        for (face, size, rgb), sid in self.ids.items():
            file = self.faces.get(face, "")
            family = Path(file).stem if file else face
            kind = "sans-serif" if face.startswith("sans") else "serif"
            attrs = [("ID", sid), ("FONTFAMILY", family), ("FONTTYPE", kind), ("FONTSIZE", _num(size))]
            if rgb != "000000":
                attrs.append(("FONTCOLOR", rgb))
            if _is_bold(face, family):
                attrs.append(("FONTSTYLE", "bold"))
            out.append(_tag("TextStyle", attrs, close=True))
        return out


def _is_bold(face: str, family: str) -> bool:
    words = (face + " " + family).lower()
    return any(w in words for w in ("bold", "black", "heavy"))


# ---- lines → strings --------------------------------------------------------------------


def _cls(text: str) -> str:
    """The run class of a glyph: space, ASCII (Latin words, numbers) or other (Han, marks)."""
    if text.isspace():
        return "sp"
    return "latin" if text.isascii() else "cjk"


def _line(item: TextLine, styles: _Styles) -> _Line | None:
    """A composed line as an ALTO TextLine, or None if it has no visible copy."""
    line = item.line
    size = line.size
    top, bottom = mm10(item.y - ASCENT * size), mm10(item.y + DESCENT * size)
    runs: list[tuple[str, str, list]] = []  # (class, face, glyphs)
    for g in line.glyphs:
        if g.text == "":
            continue
        c = _cls(g.text)
        if runs and runs[-1][0] == c and (c == "sp" or runs[-1][1] == g.face):
            runs[-1][2].append(g)
        else:
            runs.append((c, g.face, [g]))
    strings: list[_Str] = []
    for i, (c, face, glyphs) in enumerate(runs):
        if c == "sp":
            continue
        left = mm10(item.x + glyphs[0].x)
        right = max(mm10(item.x + g.x + g.width) for g in glyphs)
        s = _Str("".join(g.text for g in glyphs), styles.ref(face, size, item.color), Box(left, top, max(right, left), bottom))
        if i > 0 and runs[i - 1][0] == "sp" and strings:
            prev = strings[-1]
            prev.space_after = Box(prev.box.r, top, max(prev.box.r, s.box.l), bottom)
        strings.append(s)
    if not strings:
        return None
    if runs[-1][0] == "sp":  # a trailing space: SP after the last string
        sp = runs[-1][2]
        last = strings[-1]
        right = max(mm10(item.x + g.x + g.width) for g in sp)
        last.space_after = Box(last.box.r, top, max(last.box.r, right), bottom)
    box = _union([s.box for s in strings] + [s.space_after for s in strings if s.space_after])
    face_counts: dict[str, int] = {}
    for s in strings:
        face_counts[s.style] = face_counts.get(s.style, 0) + len(s.content)
    main = max(face_counts, key=lambda k: (face_counts[k], -int(k[2:])))
    return _Line(box, mm10(item.y), strings, main)


# ---- frames → tree ----------------------------------------------------------------------


def _rule_box(r: Rule) -> Box:
    """The rule's stroke as a box, at least 1 mm10 thick (a hairline still shows)."""
    h = r.weight / 2
    b = Box(mm10(min(r.x0, r.x1) - h), mm10(min(r.y0, r.y1) - h), mm10(max(r.x0, r.x1) + h), mm10(max(r.y0, r.y1) + h))
    return Box(b.l, b.t, max(b.r, b.l + 1), max(b.b, b.t + 1))


def _clip(box: Box, page: Box) -> Box | None:
    b = Box(max(box.l, page.l), max(box.t, page.t), min(box.r, page.r), min(box.b, page.b))
    return b if b.r > b.l and b.b > b.t else None


def _group(role: str) -> str:
    return "heading" if role in HEADING else role


def _blocks(items, styles: _Styles, page: Box) -> list:
    """A story's items (reading order) → TextBlocks, Illustrations and GraphicalElements."""
    out: list = []
    current: _TextBlock | None = None
    current_x = None
    pending_picture: _Illustration | None = None
    for it in items:
        if isinstance(it, TextLine):
            if it.role == "placeholder":  # the 图片 mark of a placeholder frame: not copy
                continue
            tl = _line(it, styles)
            if tl is None:
                continue
            group = _group(it.role)
            same = (current is not None and _group(current.role) == group
                    and (group != "body" or current_x == round(it.x, 2)))
            if not same:
                current = _TextBlock(it.role if group != "heading" else "head")
                current_x = round(it.x, 2)
                out.append(current)
                if pending_picture is not None and it.role == "caption":
                    pending_picture.next = current  # resolved to an ID later
                pending_picture = None
            current.lines.append(tl)
            continue
        current = None
        pending_picture = None
        if isinstance(it, Picture):
            box = _clip(Box(mm10(it.x), mm10(it.y), mm10(it.x + it.w), mm10(it.y + it.h)), page)
            if box is not None:
                pending_picture = _Illustration(box, "" if is_placeholder(it.path) else Path(it.path).name)
                out.append(pending_picture)
        elif isinstance(it, Rule):
            box = _clip(_rule_box(it), page)
            if box is not None:
                out.append(_Graphic(box))
        elif isinstance(it, Rect):
            box = _clip(Box(mm10(it.x), mm10(it.y), mm10(it.x + it.w), mm10(it.y + it.h)), page)
            if box is not None:
                out.append(_Graphic(box))
    return out


def _furniture_blocks(items, styles: _Styles) -> tuple[list[_TextBlock], list]:
    """Furniture: text lines grouped into blocks by role and adjacency; rules and fills apart."""
    blocks: list[_TextBlock] = []
    others = []
    prev: TextLine | None = None
    for it in items:
        if not isinstance(it, TextLine):
            others.append(it)
            continue
        tl = _line(it, styles)
        if tl is None:
            continue
        near = False
        if prev is not None and blocks and prev.role == it.role:
            last = blocks[-1].lines[-1].box
            near = (0 < it.y - prev.y <= 2 * max(it.line.size, prev.line.size)
                    and tl.box.l < last.r and last.l < tl.box.r)
        if not near:
            blocks.append(_TextBlock(it.role))
        blocks[-1].lines.append(tl)
        prev = it
    return blocks, others


_ID_SAFE = re.compile(r"[^A-Za-z0-9_.\-\u00b7\u3400-\u9fff]")


def _story_id(page: int, story: str, used: set[str]) -> str:
    base = f"P{page}_{_ID_SAFE.sub('_', story) or 'story'}"
    sid, n = base, 2
    while sid in used:
        sid, n = f"{base}_{n}", n + 1
    used.add(sid)
    return sid


def _page_tree(frame: PageFrame, kinds: dict[str, str], styles: _Styles) -> tuple[list, list]:
    """The page's top-level content in reading order, and the page-level graphics."""
    page = Box(0, 0, mm10(frame.width), mm10(frame.height))
    used: set[str] = set()
    top: list = []
    texts, others = _furniture_blocks(frame.furniture, styles)
    if texts:
        kind = "masthead" if any(b.role == "nameplate" for b in texts) else "running_head"
        top.append(_Composed(_story_id(frame.number, kind, used), kind, list(texts)))
    for sf in frame.stories:
        children = _blocks(sf.items, styles, page)
        if children:
            top.append(_Composed(_story_id(frame.number, sf.story, used), kinds.get(sf.story, "article"), children))
    graphics = _blocks(others, styles, page)
    return top, graphics


# ---- serialising ------------------------------------------------------------------------

_ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_ESC_RE = re.compile("[&<>\"\t\n\r]")


def _esc(text: str) -> str:
    return _ESC_RE.sub(lambda m: _ESC[m.group(0)], text)


def _tag(name: str, attrs: list[tuple[str, str]], close: bool = False) -> str:
    inner = "".join(f' {k}="{_esc(v)}"' for k, v in attrs)
    return f"<{name}{inner}{'/' if close else ''}>"


def _assign_ids(prefix: str, top: list, graphics: list) -> None:
    """IDs from indices: P1_B3 (block), P1_B3_L2 (line) … resolved in document order."""
    n = 0

    def name(node) -> None:
        nonlocal n
        n += 1
        node.id = f"{prefix}_B{n}"

    for node in top:
        for child in node.children:
            name(child)
    for g in graphics:
        name(g)


def _emit_block(node, pad: str, out: list[str], tags: dict[str, str]) -> None:
    if isinstance(node, _TextBlock):
        box = node.box
        out.append(pad + _tag("TextBlock", [("ID", node.id), *box.attrs(), ("TAGREFS", tags[node.role]), ("LANG", LANG)]))
        for li, line in enumerate(node.lines, 1):
            lid = f"{node.id}_L{li}"
            base = f"{line.box.l},{line.baseline} {line.box.r},{line.baseline}"
            out.append(pad + "  " + _tag("TextLine", [("ID", lid), ("STYLEREFS", line.style), *line.box.attrs(),
                                                     ("BASELINE", base), ("LANG", LANG)]))
            for si, s in enumerate(line.strings, 1):
                out.append(pad + "    " + _tag("String", [("ID", f"{lid}_S{si}"), ("STYLEREFS", s.style), *s.box.attrs(),
                                                         ("CONTENT", s.content), ("LANG", LANG)], close=True))
                if s.space_after is not None:
                    sp = s.space_after
                    out.append(pad + "    " + _tag("SP", [("HPOS", str(sp.l)), ("VPOS", str(sp.t)), ("WIDTH", str(sp.r - sp.l))], close=True))
            out.append(pad + "  </TextLine>")
        out.append(pad + "</TextBlock>")
    elif isinstance(node, _Illustration):
        attrs = [("ID", node.id), *node.box.attrs()]
        if node.next is not None:
            attrs.append(("IDNEXT", node.next.id))
        attrs += [("TYPE", "photo"), ("FILEID", node.fileid)] if node.fileid else [("TYPE", "placeholder")]
        out.append(pad + _tag("Illustration", attrs, close=True))
    elif isinstance(node, _Graphic):
        out.append(pad + _tag("GraphicalElement", [("ID", node.id), *node.box.attrs()], close=True))
    elif isinstance(node, _Composed):
        out.append(pad + _tag("ComposedBlock", [("ID", node.id), *node.box.attrs(), ("TYPE", node.type)]))
        for child in node.children:
            _emit_block(child, pad + "  ", out, tags)
        out.append(pad + "</ComposedBlock>")


def _roles(top: list) -> list[str]:
    seen: list[str] = []
    for node in top:
        for child in node.children:
            if isinstance(child, _TextBlock) and child.role not in seen:
                seen.append(child.role)
    return seen


def alto_page(frame: PageFrame, *, physical: int, kinds: dict[str, str], faces: dict[str, str],
              processing: tuple[str, str] | None = None) -> bytes:
    """One page as an ALTO 4.4 document (UTF-8 bytes).

    physical: the page's position in the issue (1-based); kinds: story id → TYPE; faces: face
    key → font file name; processing: (ISO date-time, software version) for a Processing step.
    """
    styles = _Styles(faces)
    top, graphics = _page_tree(frame, kinds, styles)
    prefix = f"P{frame.number}"
    _assign_ids(prefix, top, graphics)
    roles = _roles(top)
    tags = {role: f"TAG_{_ID_SAFE.sub('_', role)}" for role in roles}
    page_box = Box(0, 0, mm10(frame.width), mm10(frame.height))
    content = _union([n.box for n in top] + [g.box for g in graphics]) or Box(0, 0, 0, 0)

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           _tag("alto", [("xmlns", NS), ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                         ("xsi:schemaLocation", f"{NS} {SCHEMA}"), ("SCHEMAVERSION", "4.4")]),
           "  <Description>",
           "    <MeasurementUnit>mm10</MeasurementUnit>"]
    if processing is not None:
        when, version = processing
        out += ['    <Processing ID="PROC1">',
                "      <processingCategory>contentGeneration</processingCategory>",
                f"      <processingDateTime>{_esc(when)}</processingDateTime>",
                "      <processingStepDescription>text and geometry as typeset (not OCR)</processingStepDescription>",
                "      <processingSoftware>",
                "        <softwareName>paperlayout</softwareName>",
                f"        <softwareVersion>{_esc(version)}</softwareVersion>",
                "      </processingSoftware>",
                "    </Processing>"]
    out.append("  </Description>")
    style_elements = styles.elements()
    if style_elements:
        out.append("  <Styles>")
        out += ["    " + s for s in style_elements]
        out.append("  </Styles>")
    if roles:
        out.append("  <Tags>")
        out += ["    " + _tag("LayoutTag", [("ID", tags[r]), ("LABEL", r)], close=True) for r in roles]
        out.append("  </Tags>")
    out.append("  <Layout>")
    page_attrs = [("ID", prefix), ("PHYSICAL_IMG_NR", str(physical)), ("PRINTED_IMG_NR", str(frame.number)),
                  ("WIDTH", str(page_box.r)), ("HEIGHT", str(page_box.b)), ("LANG", LANG)]
    out.append("    " + _tag("Page", page_attrs))
    out.append("      " + _tag("PrintSpace", [("ID", f"{prefix}_PS"), *content.attrs()]))
    for node in top + graphics:
        _emit_block(node, "        ", out, tags)
    out += ["      </PrintSpace>", "    </Page>", "  </Layout>", "</alto>", ""]
    return "\n".join(out).encode("utf-8")


def alto_pages(laid) -> list[tuple[int, bytes]]:
    """Every laid-out page of `laid` (build.Laid) as (page number, ALTO 4.4 XML bytes).

    Pages that could not be planned (no frame) are left out, as in the PDF. Deterministic:
    the same input, fonts and version give the same bytes.
    """
    from .. import __version__
    from ..build import creation_date

    issue = laid.issue
    when = creation_date(issue).isoformat()
    out = []
    physical = 0
    for result in laid.pages:
        frame = result.frame
        if frame is None:
            continue
        physical += 1
        kinds = {s.id: getattr(s.kind, "value", str(s.kind)) for s in result.stories}
        out.append((frame.number, alto_page(frame, physical=physical, kinds=kinds, faces=dict(laid.styles.faces),
                                            processing=(when, __version__))))
    return out
