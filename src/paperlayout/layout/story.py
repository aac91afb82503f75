"""Story modules (稿件块): every way a story can fill a cell of a given span, by height.

For a span of ``c`` basic columns, `arrangements` tries the editor's tools — text columns
(基本栏, or 变栏: fewer wider / more narrower columns), photo placement and height in whole
rows, headline size — and returns, for each achievable height in rows, the cheapest
arrangement whose columns all end on the same row. The planner picks heights; `set_story`
turns an arrangement into positioned items.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from operator import attrgetter

from ..cache import dumps, key, loads
from ..model import Crosshead, Story, StoryKind
from ..text import Run
from ..units import PT_PER_INCH
from .blocks import IDEOGRAPHIC_SPACE, Block, Placed, caption_block, head_tracking, headline_block
from .context import LayoutContext
from .editor_rules import (MAX_CROP, MAX_PHOTO_SHARE, MIN_COLUMN_LINES, MIN_LEAD_PHOTO_SHARE, MIN_PHOTO_COLUMNS,
                           MIN_PHOTO_PPI, MIN_SIDE_TEXT_SHARE, body_chars, is_picture_story, max_body_chars, photo_size,
                           photo_span_ok)
from .flow import Body, Flow, Unit, flow

#: Photo crop limits: placed aspect (w/h) within these factors of the source's aspect — at
#: most MAX_CROP of the image cut away either way (editor's rule photo-crop).
CROP_RANGE = (1.0 - MAX_CROP, 1.0 / (1.0 - MAX_CROP))
#: Absolute placed aspect limits (w/h): a panorama across the page, a portrait in one column.
ASPECT_RANGE = (0.25, 5.0)
MIN_PHOTO_ROWS = 5
#: The drawn photo is this much shorter than its rows (pt; layout/setter.py `_photo`).
PHOTO_INSET = 2.0
#: A story of at most this many body characters may set them in one line across its span.
SHORT_CHARS = 100
#: Measures a body column may have, characters (变栏 columns outside are not offered); a
#: single column across a span is offered only when it is wider than the widest of them.
COLUMN_CHARS = (10, 28)
LOOSE_LINE_COST = 40.0
#: Cost of each emergency break the composer needs at a measure (a URL or word split where it
#: has no break point: `unbreakable-split`, an error on the page): the planner takes another
#: measure or span wherever one fills (issue 8, defect 4).
EMERGENCY_BREAK_COST = 200.0
#: The composer's findings costed so (errors where no plan avoids them: layout/issue.py
#: EMERGENCY_FIXES): a split with no break point, a line spread apart (text/rules.py GAP_LIMIT).
EMERGENCY_CODES = frozenset({"unbreakable-split", "gapped-line"})
WRAPPED_HEAD_COST = 5.0  # a head broken by width reads worse than a smaller head on one line
#: Cost of a head that no break between words lets fit, so it is broken inside a word (a warning):
#: the planner takes a wider span instead wherever one fills (CLREQ §3.1.7; issue 8 defect 3).
HEAD_BREAK_COST = 200.0
#: Spare rows around a head (air, 标题留白): 0–2 normally; a page that does not fill otherwise
#: is planned again with `air` more (layout/issue.py), the cheapest extra space an editor adds.
HEAD_EXTRA = 3
BOX_PAD_ROWS = 1  # boxes and briefs: empty rows between the last text row and the bottom rule
#: Boxes and briefs: flexible units (separators between briefs, the space around a source or
#: byline) grow by one row each and by at most this many rows per text column in all — enough
#: to level the columns (editor's rule briefs-level), never to spread a box to fill a tall
#: cell; a single column is never left a row short (that row would only be empty).
BOX_SPREAD_ROWS = 1


@dataclass(frozen=True, slots=True)
class PhotoSlot:
    """A photo in the arrangement: photo index, column offset and span (text or basic columns)."""

    index: int
    column: int
    columns: int
    tier: int


@dataclass(frozen=True)
class Arrangement:
    """How a story fills a cell `span` basic columns wide and `rows` rows tall.

    text_columns × chars: the body's columns and their measure in characters;
    head: the headline block (None for briefs/banners without one); head_extra: spare rows
    added around the head; mode: none | band (photos across the top) | side (one photo at the
    top of the rightmost text columns); photo_rows: image height in rows; captions: per photo;
    body_rows: rows of the text columns; heights: rows of each text column; flow: the body.
    """

    story: Story
    span: int
    rows: int
    text_columns: int
    chars: int
    inset: int
    head: Block | None
    head_extra: int
    mode: str
    photos: tuple[PhotoSlot, ...]
    photo_rows: int
    captions: tuple[Block, ...]
    band_rows: int
    body_rows: int
    heights: tuple[int, ...]
    flow: Flow | None
    cost: float
    note: str


def column_options(ctx: LayoutContext, span: int, inset: int, picture: bool = False,
                   short: bool = False) -> list[tuple[int, int, float]]:
    """(text columns, chars per column, cost) for a span: basic columns first, then 变栏.

    Broken columns divide the span's characters (less the inset on both sides and 1-char
    gutters) into k whole-character columns; the remainder widens the gutters. A picture
    story (图片新闻) may also set its few lines in one column across the span, as under a
    photo spread; so may a `short` story (a sentence or two), at a high cost: only when its
    head fits no narrow column. No body measure is wider than `max_body_chars` (editor's rule
    body-measure: two basic columns and their gutter), so a short story gets a narrow cell; a
    picture story's lines are a caption under its photos and run across them.
    """
    page = ctx.styles.page
    total = page.span_chars(span) - 2 * inset
    widest = min(COLUMN_CHARS[1], max_body_chars(page))
    out = []
    fewer = 2 if span >= 5 else 1  # 变栏: one column more or fewer; two fewer on wide spans
    for k in range(max(1, span - fewer), span + 2):
        chars = (total - (k - 1) * page.gutter_chars) // k
        if not COLUMN_CHARS[0] <= chars <= widest:
            continue
        basic = k == span and inset == 0
        cost = 0.0 if basic else 2.0 + 0.3 * abs(chars - page.column_chars)
        out.append((k, chars, cost))
    if picture and span > 1 and total > COLUMN_CHARS[1]:  # a picture story's few lines are its caption (图片说明)
        out.append((1, total, 3.0))
    elif short and span > 1 and COLUMN_CHARS[1] < total <= max_body_chars(page):
        out.append((1, total, 20.0 + 0.5 * (total - COLUMN_CHARS[1])))  # a few lines under a head too wide for a narrow column
    return out


def body_units(ctx: LayoutContext, story: Story, chars: int, *, lines: bool = False,
               shared: dict | None = None) -> tuple[tuple[Unit, ...], tuple]:
    """The story's body as flow units at a measure of `chars` body characters, and the
    composer's diagnostics for it (forced breaks, fallback glyphs).

    Planning needs only how many lines each paragraph takes (`lines=False`: body lines carry
    no glyphs); setting the chosen arrangement asks again with `lines=True`. Both give the
    same units in the same order. `shared`: where the glyphless line units are kept between
    calls for the same story (they do not depend on the measure), or None."""
    styles = ctx.styles
    body_face = styles.body_face
    units: list[Unit] = []
    findings: list = []
    if story.byline:
        bst = styles.byline
        line = ctx.wrap(story.byline, bst.face, bst.size, chars * styles.page.body_size).lines
        units.append(Unit("byline", len(line), tuple(line), flex=True))
    dateline = story.dateline
    paragraphs = [b for b in story.body] if story.kind != StoryKind.BRIEFS else list(story.items)
    for n, block in enumerate(paragraphs):
        if isinstance(block, Crosshead):
            units.append(_crosshead_unit(ctx, block.text, chars))
            continue
        if story.kind == StoryKind.BRIEFS and n > 0:
            units.append(Unit("gap", 1, flex=True))  # a separator centred in a row of its own
        runs = [Run(block.text, body_face)]
        if dateline:
            sep = "" if dateline.endswith(("）", ")", "】", "〕")) else IDEOGRAPHIC_SPACE
            runs.insert(0, Run(dateline + sep, styles.dateline.face))
            dateline = ""
        indent = 0.0 if getattr(block, "continued", False) else 2.0
        if lines:
            composed = ctx.paragraph(tuple(runs), chars, indent=indent, where=block.where, lang=story.lang,
                                     url_breaks=story.url_breaks)
            found, diagnostics = tuple((line,) for line in composed.lines), composed.diagnostics
        else:
            count, diagnostics = ctx.count(tuple(runs), chars, indent=indent, where=block.where, lang=story.lang,
                                           url_breaks=story.url_breaks)
            findings += diagnostics
            # no glyphs: the paragraph's lines are its first, its last and copies of one middle
            # line — one frozen unit each, shared (cheaper to build, and to store: cache.py)
            if count:
                made = shared.get(n) if shared is not None else None
                if made is None:
                    made = (Unit("line", 1, (), para=n, first=True, last=True), Unit("line", 1, (), para=n, first=True),
                            Unit("line", 1, (), para=n), Unit("line", 1, (), para=n, last=True))
                    if shared is not None:
                        shared[n] = made
                if count == 1:
                    units.append(made[0])
                else:
                    units.append(made[1])
                    units += [made[2]] * (count - 2)
                    units.append(made[3])
            continue
        findings += diagnostics
        last = len(found) - 1
        for i, line in enumerate(found):
            units.append(Unit("line", 1, line, para=n, first=i == 0, last=i == last))
    if story.source:
        # the source (落款/来源) is right-aligned in the last column: composed at the column
        # measure like the body, on as many lines as it needs — a line wider than the measure
        # would overhang the column to its left (corpus 20's notice box)
        size = styles.page.body_size
        if ctx.measure(story.source, body_face, size) <= chars * size + 1e-6:
            source = (ctx.line(story.source, body_face, size),)
        else:
            composed = ctx.wrap(story.source, body_face, size, chars * size)
            source, findings = tuple(composed.lines), findings + list(composed.diagnostics)
        units.append(Unit("source", len(source), source, flex=True))
    if story.jump_in:
        line = ctx.line(f"（上接第{story.jump_in}版）", styles.jump.face, styles.jump.size)
        units.insert(0, Unit("jump", 1, (line,)))
    if story.jump_out:
        line = ctx.line(f"（下转第{story.jump_out}版）", styles.jump.face, styles.jump.size)
        units.append(Unit("jump", 1, (line,), flex=True))
    return tuple(units), tuple(findings)


def _crosshead_unit(ctx: LayoutContext, text: str, chars: int) -> Unit:
    """A crosshead (小标题) on one line if it fits at its size or down to body size, else
    wrapped at its size; two rows, or one more than its lines."""
    cst = ctx.styles.crosshead
    width = (chars - 1) * ctx.styles.page.body_size
    size = cst.size
    while size >= ctx.styles.page.body_size:
        line = ctx.line(text, cst.face, size)
        if line.width <= width:
            return Unit("crosshead", 2, (line,), flex=True)
        size -= 0.75
    lines = ctx.wrap(text, cst.face, cst.size, width).lines
    return Unit("crosshead", max(2, len(lines) + 1), tuple(lines), flex=True)


def _photo_aspect_ok(native: float, width: float, height: float) -> float | None:
    """Crop cost of placing a photo of source aspect `native` at width × height pt, or None."""
    aspect = width / height
    eps = 1e-9  # the row ranges are computed from these same bounds: rounding must not exclude their ends
    if not ASPECT_RANGE[0] - eps <= aspect <= ASPECT_RANGE[1] + eps:
        return None
    ratio = aspect / native
    if not CROP_RANGE[0] - eps <= ratio <= CROP_RANGE[1] + eps:
        return None
    return abs(math.log(ratio)) * 12


def _tier_layouts(count: int, span: int) -> list[list[list[tuple[int, int]]]]:
    """Ways to put `count` photos across `span` columns: one tier, or two tiers.

    Each layout is a list of tiers; a tier lists (column, columns) per photo, columns shared
    out evenly, the first photos taking the spare ones.
    """
    if count == 0:
        return [[]]

    def tier(n: int) -> list[tuple[int, int]]:
        base, extra = divmod(span, n)
        out, col = [], 0
        for j in range(n):
            width = base + (1 if j < extra else 0)
            out.append((col, width))
            col += width
        return out

    layouts = []
    if span >= 2 * count or (count == 1 and span >= 1):
        layouts.append([tier(count)])
    if count >= 2:
        top = math.ceil(count / 2)
        if span >= top:
            layouts.append([tier(top), tier(count - top)])
    return layouts


def _emergencies(captions) -> float:
    """Cost of the emergency breaks (`unbreakable-split`) in photo captions set at a width."""
    return EMERGENCY_BREAK_COST * sum(d.code in EMERGENCY_CODES for c in captions for d in c.diagnostics)


def _body_costs(rows: int, chars: int, flow_: Flow | None) -> float:
    if flow_ is None:
        return 0.0
    cost = 150.0 * flow_.short_last + 3.0 * flow_.widows
    if rows < 6:
        cost += (6 - rows) * 3
    if rows > 45:
        cost += (rows - 45) * 0.5
    return cost


#: The cache namespace of story measurements, and the format of its entries.
CACHE_NAMESPACE = "story"
DISPLAY_NAMESPACE = "display"
CACHE_FORMAT = 3
_ARRANGEMENT_FIELDS = tuple(name for name in Arrangement.__dataclass_fields__ if name != "story")
_arrangement_fields = attrgetter(*_ARRANGEMENT_FIELDS)  # an arrangement's fields but its story, as a tuple


class StoryPlanner:
    """Arrangements of one story, memoised per span. `importance` is its rank on the page (0 = lead)."""

    def __init__(self, ctx: LayoutContext, story: Story, importance: int, pixels: tuple[tuple[int, int], ...],
                 air: int = 0):
        self.ctx = ctx
        self.extras = range(HEAD_EXTRA + air)  # spare rows a head may take
        self.story = story
        self.importance = importance
        self.pixels = pixels  # source size (w, h px) of each photo
        self.natives = tuple(w / h for w, h in pixels)  # source aspect (w/h) of each photo
        # its photos may take the module; a part of a continued story (转版: the first part jumps
        # out, the rest has part_of) is judged as the whole story is (editor_rules judges parts
        # by their original): long enough to jump, it is a picture story only if marked so —
        # its first part's few lines do not make it one
        parted = bool(story.part_of or story.jump_out)
        self.picture = is_picture_story(story) if not parted else bool(story.photos and story.picture)
        self.short = story.kind == StoryKind.ARTICLE and 0 < body_chars(story) <= SHORT_CHARS
        self.boxed = story.kind in (StoryKind.BOX, StoryKind.BRIEFS)
        self._memo: dict[int, dict[int, Arrangement]] = {}
        self._findings: dict[int, tuple] = {}
        self._caption_memo: dict[tuple[int, int], Block] = {}
        self._key: str | None = None
        self._bodies: dict[int, Body] = {}  # kept alive for the planner's life: _flows keys by id
        self._flows: dict[tuple, Flow | None] = {}
        self._band_memo: dict[tuple, list] = {}  # see _band_tiers
        self._units: dict = {}  # body_units' shared line units
        self._band_body_memo: dict[tuple, list] = {}  # see _band_bodies
        self._side_memo: dict[tuple, list] = {}  # see _side_options
        self._stored: dict | None = None  # the story's cache entry: span → (table, findings)
        self._fresh: dict = {}  # spans computed in this run, not yet written
        self._display_entry: dict | None = None  # see _display
        self._pending = False  # listed in ctx.pending

    def _flow(self, units: Body, heights: tuple[int, ...]) -> Flow | None:
        """`flow` under this story's rules: a box or briefs grows by at most BOX_SPREAD_ROWS
        rows per column, a one-column box does not end a row short, and in two or more
        columns each holds MIN_COLUMN_LINES lines of text (editor's rule column-lines; rows of
        separators, crossheads, bylines and source lines not counted). Memoised per body
        and heights: each head size tried asks for the same flows."""
        k = (id(units), heights)
        hit = self._flows.get(k, self)
        if hit is self:
            if self.boxed:
                hit = flow(units, heights, allow_short=len(heights) > 1, spread=BOX_SPREAD_ROWS)
            else:
                hit = flow(units, heights)
            if hit is not None and self._few_lines(units, heights, hit):
                hit = None
            self._flows[k] = hit
        return hit

    def _few_lines(self, units: Body, heights: tuple[int, ...], f: Flow) -> bool:
        """True when flow `f` of `units` into columns `heights` rows tall breaks the editor's
        rule column-lines: in two or more columns, one holds fewer than MIN_COLUMN_LINES lines
        of text, whatever rows its crossheads, bylines and separators take. (A column of an
        article taller than those rows plus MIN_COLUMN_LINES surely holds them; a box may
        spread its rows, so its flows are always counted.)"""
        return (len(heights) > 1
                and (self.boxed or min(heights) <= units.other_rows + MIN_COLUMN_LINES)
                and min(f.text_lines()) < MIN_COLUMN_LINES)

    def findings(self, chars: int) -> tuple:
        """The composer's diagnostics for the body set `chars` wide (after `heights` tried it)."""
        return self._findings.get(chars, ())

    def heights(self, span: int) -> dict[int, Arrangement]:
        """Achievable heights (rows) → cheapest arrangement at that span.

        With a store in the context, the story's tables (and the composer's findings at their
        measures) are kept on disk under a digest of the story, its rank and photo sizes and
        the context's `layout_key` — an edit recomposes only the stories it touches. The
        spans computed here are written by `LayoutContext.flush`, one entry per story."""
        if span not in self._memo:
            found = self._load(span) if self.ctx.store is not None else None
            if found is None:
                found = self._arrange(span)
                if self.ctx.store is not None:
                    self._remember(span, found)
            self._memo[span] = found
        return self._memo[span]

    # -- the measurement cache --------------------------------------------------------------
    def _entry_key(self) -> str:
        if self._key is None:
            self._key = key("story", self.ctx.layout_key(), repr(self.story), self.importance, self.pixels,
                             len(self.extras))
        return self._key

    def _span_chars(self, span: int) -> tuple[int, ...]:
        """The body measures `_arrange(span)` composes at (whose findings it records)."""
        if self.story.kind == StoryKind.BANNER:
            return ()
        inset = 1 if self.boxed else 0
        return tuple(chars for _, chars, _ in column_options(self.ctx, span, inset, self.picture, self.short))

    def _note_fresh(self) -> None:
        if not self._pending:
            self._pending = True
            self.ctx.pending.append(self)

    def _remember(self, span: int, found: dict[int, Arrangement]) -> None:
        """Note a computed span for the story's entry (written by `save`)."""
        findings = {chars: self._findings.get(chars, ()) for chars in self._span_chars(span)}
        # the arrangements without their story (the key holds it; the loader puts it back)
        table = {rows: _arrangement_fields(a) for rows, a in found.items()}
        self._note_fresh()
        self._fresh[span] = (table, findings)

    def _display_key(self) -> str:
        """Digest of what the story's display type depends on: its headline fields, place and
        rank (the wraps kept beside them are keyed by their own inputs)."""
        s = self.story
        return key("display", self.ctx.layout_key(), s.kind.value, s.id, s.kicker, s.head, s.subhead, s.where,
                   self.importance)

    def _display_texts(self) -> set[str]:
        s = self.story
        texts = {s.kicker, s.head, s.subhead, s.byline, s.source}
        texts.update(b.text for b in s.body if isinstance(b, Crosshead))
        texts.update(p.credit for p in s.photos)
        return {t for t in texts if t}

    def _display(self) -> dict:
        """The story's display entry: headline blocks by width, and the display lines
        (`LayoutContext.wrap`: byline, source, crossheads, credits, kicker, subhead) — read
        once, its wraps put into the context's memo so that setting the story needs no word
        segmentation; later writes go to `save`."""
        if self._display_entry is None:
            entry = None
            data = self.ctx.store.get(DISPLAY_NAMESPACE, self._display_key())
            if data is not None:
                entry = loads(data)
            if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == CACHE_FORMAT
                    and isinstance(entry[1], dict) and isinstance(entry[2], dict)):
                entry = (CACHE_FORMAT, {}, {})
            self._display_entry = {"heads": entry[1], "wraps": entry[2], "fresh": False}
            self.ctx.seed(entry[2])
        return self._display_entry

    def save(self) -> None:
        """Write the story's entries: the spans read and computed, the display type."""
        if not self._pending:
            return
        self._pending = False
        if self._fresh:
            spans = {**(self._stored or {}), **self._fresh}
            data = dumps((CACHE_FORMAT, spans))
            if data is not None:
                self.ctx.store.put(CACHE_NAMESPACE, self._entry_key(), data)
            self._stored, self._fresh = spans, {}
        display = self._display()
        wraps = self.ctx.wraps_of(self._display_texts())
        if display["fresh"] or not wraps.keys() <= display["wraps"].keys():
            display["wraps"] = {**display["wraps"], **wraps}
            data = dumps((CACHE_FORMAT, display["heads"], display["wraps"]))
            if data is not None:
                self.ctx.store.put(DISPLAY_NAMESPACE, self._display_key(), data)
            display["fresh"] = False

    def _load(self, span: int) -> dict[int, Arrangement] | None:
        """The span's table from the story's entry, or None (absent, unreadable, truncated,
        not ours: then it is computed)."""
        if self._stored is None:
            self._stored = {}
            self._display()  # its wraps, for setting the story
            data = self.ctx.store.get(CACHE_NAMESPACE, self._entry_key())
            entry = loads(data) if data is not None else None
            if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == CACHE_FORMAT and isinstance(entry[1], dict):
                self._stored = entry[1]
        got = self._stored.get(span)
        if not (isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], dict) and isinstance(got[1], dict)):
            return None
        try:
            found = {rows: Arrangement(self.story, *fields) for rows, fields in got[0].items()}
        except TypeError:  # not the fields of an Arrangement
            return None
        self._findings.update(got[1])
        return found

    # -- the search -------------------------------------------------------------------------
    def _body(self, chars: int) -> Body:
        """The body's flow units at `chars` (planning: no glyphs), memoised: spans share measures."""
        body = self._bodies.get(chars)
        if body is None:
            found, self._findings[chars] = body_units(self.ctx, self.story, chars, shared=self._units)
            body = self._bodies[chars] = Body(found)
        return body

    def _arrange(self, span: int) -> dict[int, Arrangement]:
        story = self.story
        if story.kind == StoryKind.BANNER:
            return self._banner(span)
        best: dict[int, Arrangement] = {}
        inset = 1 if story.kind in (StoryKind.BOX, StoryKind.BRIEFS) else 0
        heads = self._heads(span, inset)
        for k, chars, col_cost in column_options(self.ctx, span, inset, self.picture, self.short):
            units = self._body(chars)
            # a measure at which the composer had to spread a line is worse than one where it did not
            col_cost += LOOSE_LINE_COST * sum(d.code == "loose-line" for d in self._findings[chars])
            col_cost += EMERGENCY_BREAK_COST * sum(d.code in EMERGENCY_CODES for d in self._findings[chars])
            for head, head_cost in heads:
                base = head_cost + col_cost
                self._band(best, span, k, chars, inset, units, head, base)
                if 1 <= len(story.photos) <= 3 and k > 1:
                    self._side(best, span, k, chars, inset, units, head, base)
            if not story.photos and k >= 3 and story.kind not in (StoryKind.BRIEFS, StoryKind.BOX):  # a box's text stays under its head
                self._wrap(best, span, k, chars, inset, units, col_cost)
        if story.kind in (StoryKind.BOX, StoryKind.BRIEFS):  # a row of padding above the frame's bottom rule
            return {rows + BOX_PAD_ROWS: replace(arr, rows=rows + BOX_PAD_ROWS) for rows, arr in best.items()}
        return best

    def _wrap(self, best, span, k, chars, inset, units, col_cost) -> None:
        """题文穿插: the head spans the first k − 1 text columns; the last column runs to the top."""
        page = self.ctx.styles.page
        total = page.span_chars(span) - 2 * inset
        gutter = (total - k * chars) / (k - 1)
        hc = k - 1
        width = (hc * chars + (hc - 1) * gutter) * page.char
        need = units.need
        flexes = len(units.flexes)
        for head, head_cost in self._heads(span, inset, width)[:1]:
            hb = head.rows
            for extra in self.extras:
                taken = hc * (hb + extra)
                for rows in range(max(hb + extra + MIN_COLUMN_LINES, math.ceil((need + taken) / k)), (need + flexes + taken) // k + 2):
                    heights = (rows - hb - extra,) * hc + (rows,)
                    f = flow(units, heights, allow_short=False)
                    if f is None or self._few_lines(units, heights, f):
                        continue  # (the rows' floor counts rows, not the lines of text the rule counts)
                    cost = head_cost + col_cost + _body_costs(rows, chars, f) + 1.5 * extra + 4.0
                    self._keep(best, Arrangement(self.story, span, rows, k, chars, inset, head, extra, "wrap", (), 0, (), 0,
                                                 rows, heights, f, cost, f"{k}×{chars}字, head over {hc} columns"))

    def _heads(self, span: int, inset: int, width: float | None = None) -> list[tuple[Block | None, float]]:
        """Headline blocks over `width` pt (default: the span less the insets) with their
        costs, cheapest tiers first. Kept in the story's display entry (`_display`): an
        edit of the body does not set the head again."""
        if width is None:
            width = self.ctx.styles.page.span_width(span) - 2 * inset * self.ctx.styles.page.char
        if self.ctx.store is None:
            return self._compute_heads(width)
        display = self._display()
        got = display["heads"].get(width)
        if not isinstance(got, list):
            got = self._compute_heads(width)
            display["heads"][width] = got
            display["fresh"] = True
            self._note_fresh()
        return got

    def _compute_heads(self, width: float) -> list[tuple[Block | None, float]]:
        story, ctx = self.story, self.ctx
        if story.kind == StoryKind.BRIEFS:
            st = ctx.styles.briefs_head
            line = ctx.line(story.head, st.face, st.size, head_tracking(story.head))
            pitch = ctx.styles.page.line_pitch
            rows = ctx.styles.page.rows_for(st.size * 1.6 + pitch)
            dy = (rows * pitch - st.size) / 2 + 0.88 * st.size
            return [(Block(rows, (Placed((width - line.width) / 2, dy, line, "head"),)), 0.0)]
        tiers = ctx.styles.head_tiers
        tier_index = min(len(tiers) - 1, 0 if self.importance == 0 else 1 if self.importance <= 2 else 2)
        out = []
        for t in range(tier_index, len(tiers)):
            for step in range(len(tiers[t].sizes)):
                block = headline_block(ctx, story, width, tiers[t], step)
                if block is not None:
                    cost = 3.0 * step + 8.0 * (t - tier_index) + 0.3 * len(block.lines) + WRAPPED_HEAD_COST * block.wrapped
                    if any(d.code == "head-break" for d in block.diagnostics):
                        cost += HEAD_BREAK_COST  # a head broken inside a word: only where no wider span fits
                    out.append((block, cost))
                if len(out) >= 3:
                    return out
        return out

    def _caption(self, index: int, chars: int) -> Block:
        """Photo `index`'s caption set `chars` wide (memoised: the search asks often)."""
        key = (index, chars)
        if key not in self._caption_memo:
            photo = self.story.photos[index]
            self._caption_memo[key] = caption_block(self.ctx, photo.caption, photo.credit, chars, photo.where,
                                                    lang=self.story.lang, url_breaks=self.story.url_breaks)
        return self._caption_memo[key]

    def _captions(self, slots: list[tuple[int, int]], tier_photos: list[int], chars_of) -> list[Block]:
        return [self._caption(index, chars_of(cols)) for (_, cols), index in zip(slots, tier_photos)]

    def _band(self, best, span, k, chars, inset, units, head, base) -> None:
        """Photos (if any) across the top of the body in one or two tiers, text in k columns beneath."""
        photos = self.story.photos
        if units.need == 0 and not photos:
            return
        bodies = self._band_bodies(k, chars, units)
        if not bodies:
            return
        page = self.ctx.styles.page
        pitch = page.line_pitch
        head_rows = head.rows if head else 0
        share = MAX_PHOTO_SHARE * page.span_width(span) if photos and not self.picture else None
        extras = self.extras
        mode = "band" if photos else "none"
        for tiers, slots, captions, cap_cost, options in self._band_tiers(span, inset):
            tier_cost = 1.0 * (tiers - 1)
            for photo_rows, photo_cost, band, photo_area in options:
                fixed = base + photo_cost + cap_cost
                for rows, f, body_cost, heights in bodies:
                    for extra in extras:
                        total = head_rows + extra + band + rows
                        if share is not None and photo_area > share * total * pitch:
                            continue  # editor's rule photo-share: a photo is not blown up to fill
                        cost = fixed + body_cost + 1.5 * extra + tier_cost
                        old = best.get(total)
                        if old is not None and old.cost <= cost:
                            continue
                        note = f"{k}×{chars}字" + (f", photos in {tiers} tier(s) × {photo_rows} rows" if photos else "")
                        best[total] = Arrangement(self.story, span, total, k, chars, inset, head, extra, mode, slots,
                                                  photo_rows, captions, band, rows, heights, f, cost, note)

    def _band_bodies(self, k: int, chars: int, units: Body) -> list[tuple]:
        """The body's flows in k equal columns under a band: (rows, flow, its cost, heights)
        per column height that flows (one entry (0, None, 0.0, ()) for a picture story
        without text). Memoised per measure: each head tried asks for the same."""
        key = (k, chars)
        hit = self._band_body_memo.get(key)
        if hit is not None:
            return hit
        need = units.need
        flexes = len(units.flexes)
        bodies: list[tuple] = []
        if need == 0:  # a picture story without body text: photos and captions only
            bodies.append((0, None, _body_costs(0, chars, None), ()))
        fewest = MIN_COLUMN_LINES if k > 1 else 1  # editor's rule column-lines
        if self.boxed:
            flexes = min(flexes, BOX_SPREAD_ROWS * k)
        for rows in range(max(fewest, math.ceil(need / k)), (need + flexes + 1) // k + 2) if need else ():
            f = self._flow(units, (rows,) * k)
            if f is not None:
                bodies.append((rows, f, _body_costs(rows, chars, f), (rows,) * k))
        self._band_body_memo[key] = bodies
        return bodies

    def _band_tiers(self, span: int, inset: int) -> list[tuple]:
        """The photos' tier layouts across `span`: (tiers, slots, captions, caption cost,
        [(photo rows, crop cost, band rows, photo area pt²)]) each, in `_tier_layouts`
        order (one layout without photos for a story that has none). Memoised per span."""
        key = (span, inset)
        hit = self._band_memo.get(key)
        if hit is not None:
            return hit
        page = self.ctx.styles.page
        photos = self.story.photos
        hit = []
        for tiers in _tier_layouts(len(photos), span):
            slots, captions, index = [], [], 0
            for t, tier in enumerate(tiers):
                ids = list(range(index, index + len(tier)))
                index += len(tier)
                captions += self._captions(tier, ids, lambda cols: page.span_chars(cols) - 2 * inset)
                slots += [PhotoSlot(i, col, cols, t) for i, (col, cols) in zip(ids, tier)]
            cap_rows = [max((c.rows for c, s in zip(captions, slots) if s.tier == t), default=0) for t in range(len(tiers))]
            cap_cost = _emergencies(captions)
            widths = sum(page.span_width(slot.columns) - 2 * inset * page.char for slot in slots)
            photo_options = [(0, 0.0)] if not photos else self._band_photo_rows(slots, inset)
            options = []
            for photo_rows, photo_cost in photo_options:
                band = photo_rows * len(tiers) + sum(cap_rows) + (1 if photos else 0)
                photo_area = widths * (photo_rows * page.line_pitch - PHOTO_INSET) if photos else 0.0
                options.append((photo_rows, photo_cost, band, photo_area))
            hit.append((len(tiers), tuple(slots), tuple(captions), cap_cost, options))
        self._band_memo[key] = hit
        return hit

    def _photo_rows(self, index: int, width: float) -> range:
        """Photo heights in whole rows that keep photo `index` at `width` pt within the editor's
        rules: crop (photo-crop) and aspect limits, and at least MIN_PHOTO_PPI from its pixels
        (photo-ppi) — empty if no height does. The drawn height is rows × pitch − PHOTO_INSET."""
        pitch = self.ctx.styles.page.line_pitch
        native = self.natives[index]
        pw, ph = self.pixels[index]
        if width > pw * PT_PER_INCH / MIN_PHOTO_PPI + 1e-6 or not photo_span_ok(native, width, self.ctx.styles.page):
            return range(0)
        if photo_size(width, native, self.ctx.styles.page) < MIN_PHOTO_COLUMNS - 1e-9:  # editor's rule photo-size: no stamps
            return range(0)
        low = max(ASPECT_RANGE[0], native * CROP_RANGE[0])
        high = min(ASPECT_RANGE[1], native * CROP_RANGE[1])
        if low > high:
            return range(0)
        tallest = min(width / low, ph * PT_PER_INCH / MIN_PHOTO_PPI)
        return range(max(MIN_PHOTO_ROWS, math.ceil((width / high + PHOTO_INSET) / pitch - 1e-9)),
                     math.floor((tallest + PHOTO_INSET) / pitch + 1e-9) + 1)

    def _lead_photo_ok(self, span: int, widest: float) -> bool:
        """Editor's rule lead-photo: the lead's widest row of photos (`widest` pt) spans at least a
        third of the lead's `span` columns. Other stories: always True. (A band's tiers run across
        the whole span, so only side photos are asked.)"""
        if self.importance != 0:
            return True
        return widest >= MIN_LEAD_PHOTO_SHARE * self.ctx.styles.page.span_width(span) - 1e-6

    def _band_photo_rows(self, slots: list[PhotoSlot], inset: int) -> list[tuple[int, float]]:
        page = self.ctx.styles.page
        widths = [page.span_width(slot.columns) - 2 * inset * page.char for slot in slots]
        lo, hi = MIN_PHOTO_ROWS, 10**6
        for slot, width in zip(slots, widths):
            allowed = self._photo_rows(slot.index, width)
            lo, hi = max(lo, allowed.start), min(hi, allowed.stop - 1)
        out = []
        for rows in range(lo, hi + 1):
            height = rows * page.line_pitch - PHOTO_INSET
            costs = [_photo_aspect_ok(self.natives[s.index], w, height) for s, w in zip(slots, widths)]
            if None not in costs:  # rounding at the ends of the allowed range
                out.append((rows, sum(costs)))
        return out

    def _side(self, best, span, k, chars, inset, units, head, base) -> None:
        """Photos stacked at the top of the rightmost `pc` text columns, text flowing around them."""
        options = self._side_options(span, k, chars, inset, units)
        if not options:
            return
        page = self.ctx.styles.page
        pitch = page.line_pitch
        head_rows = head.rows if head else 0
        n = len(self.story.photos)
        share = None if self.picture else MAX_PHOTO_SHARE * page.span_width(span)
        extras = self.extras
        get = best.get
        for pc, captions, cap_cost, photo_rows, block_rows, crop, photo_area, total_rows, heights in options:
            if share is not None and photo_area > share * (head_rows + total_rows) * pitch:
                continue  # editor's rule photo-share
            fixed = base + crop + cap_cost
            floor = fixed + 1.0  # the cheapest this can be: skip the flow if it cannot win
            for extra in extras:
                old = get(head_rows + extra + total_rows)
                if old is None or old.cost > floor + 1.5 * extra:
                    break
            else:
                continue
            f = self._flow(units, heights)
            if f is None:
                continue
            slots = tuple(PhotoSlot(i, k - pc, pc, i) for i in range(n))
            body_cost = _body_costs(total_rows, chars, f)
            for extra in extras:
                cost = fixed + body_cost + 1.5 * extra + 1.0
                rows = head_rows + extra + total_rows
                old = get(rows)
                if old is not None and old.cost <= cost:
                    continue
                best[rows] = Arrangement(self.story, span, rows, k, chars, inset, head, extra,
                                         "side", slots, photo_rows, captions, block_rows, total_rows, heights, f, cost,
                                         f"{k}×{chars}字, {n} photo(s) {pc} col × {photo_rows} rows at right")

    def _side_options(self, span: int, k: int, chars: int, inset: int, units: Body) -> list[tuple]:
        """What `_side` tries at k columns of `chars`, whatever the head, in its order:
        (photo columns, captions, caption cost, photo rows, rows of the photo block, crop
        cost, photo area pt², text rows, column heights) for each photo height and slack
        that fill the columns. Memoised per measure: each head tried asks for the same."""
        key = (span, k, chars, inset)
        hit = self._side_memo.get(key)
        if hit is not None:
            return hit
        hit = self._side_memo[key] = []
        page = self.ctx.styles.page
        need = units.need
        flexes = len(units.flexes)
        photos = self.story.photos
        n = len(photos)
        if need == 0:
            return hit
        spare = page.span_chars(span) - 2 * inset - k * chars - (k - 1) * page.gutter_chars
        gutter = (page.gutter_chars + spare / (k - 1)) * page.char  # as set: spare characters widen the gutters
        if chars < page.column_chars:  # editor's rule side-measure: the text beside a photo is not squeezed
            return hit
        for pc in range(1, k):
            pwidth_chars = pc * chars + (pc - 1) * page.gutter_chars
            width = pc * chars * page.char + (pc - 1) * gutter
            if not self._lead_photo_ok(span, width) or k - pc < MIN_SIDE_TEXT_SHARE * pc:  # lead-photo, side-text
                continue
            lo, hi = MIN_PHOTO_ROWS, 10**6
            for i in range(n):
                allowed = self._photo_rows(i, width)
                lo, hi = max(lo, allowed.start), min(hi, allowed.stop - 1)
            if lo > hi:
                continue
            captions = tuple(self._caption(i, pwidth_chars) for i in range(n))
            cap_cost = _emergencies(captions)
            fixed = sum(c.rows + 1 for c in captions)
            for photo_rows in range(lo, hi + 1):
                block_rows = n * photo_rows + fixed
                taken = pc * block_rows
                costs = [_photo_aspect_ok(self.natives[i], width, photo_rows * page.line_pitch - PHOTO_INSET) for i in range(n)]
                if None in costs:  # a photo cannot be cropped to this height: not an arrangement
                    continue
                crop = sum(costs)
                photo_area = n * width * (photo_rows * page.line_pitch - PHOTO_INSET)
                for slack in range(0, flexes + 2):
                    total_rows, rem = divmod(need + slack + taken, k)
                    if rem or total_rows - block_rows < MIN_COLUMN_LINES:
                        continue
                    heights = (total_rows,) * (k - pc) + (total_rows - block_rows,) * pc
                    hit.append((pc, captions, cap_cost, photo_rows, block_rows, crop, photo_area, total_rows, heights))
        return hit

    def _banner(self, span: int) -> dict[int, Arrangement]:
        """A banner strip (通栏标语) across at least all but two columns; its text at the banner
        size or smaller (not below 小四), so that it fits the strip with a character to spare."""
        page = self.ctx.styles.page
        if span < page.columns - 2:
            return {}
        st = self.ctx.styles.banner
        width = page.span_width(span) - 2 * page.char
        size = st.size
        line = self.ctx.line(self.story.text, st.face, size, st.tracking)
        while line.width > width and size > 12.0:
            size -= 1.0
            line = self.ctx.line(self.story.text, st.face, size, st.tracking)
        if line.width > width:
            return {}
        rows = page.rows_for(st.size * 1.9)
        dy = (rows * page.line_pitch - size) / 2 + 0.88 * size
        block = Block(rows, (Placed((page.span_width(span) - line.width) / 2, dy, line, "banner"),), size=size)
        cost = 4.0 * (page.columns - span) + 2.0 * (st.size - size)
        return {rows: Arrangement(self.story, span, rows, 0, 0, 0, block, 0, "banner", (), 0, (), 0, 0, (), None, cost, "banner")}

    @staticmethod
    def _beaten(best: dict[int, Arrangement], rows: int, cost: float) -> bool:
        """True if an arrangement `rows` tall costing at least `cost` cannot replace the kept one."""
        old = best.get(rows)
        return old is not None and old.cost <= cost

    @staticmethod
    def _keep(best: dict[int, Arrangement], arrangement: Arrangement) -> None:
        old = best.get(arrangement.rows)
        if old is None or arrangement.cost < old.cost:
            best[arrangement.rows] = arrangement
