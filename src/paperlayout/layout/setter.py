"""Setting a story (排稿): an arrangement in a cell → positioned items (pt, top-left origin)."""

from __future__ import annotations

from dataclasses import replace

from ..frames import BLACK, Cell, Picture, Rect, Rule, StoryFrame, TextLine
from ..model import StoryKind
from ..placeholder import frame_items
from .blocks import FRAME_INSET, FRAME_WEIGHT, Block
from .context import LayoutContext
from .flow import Body
from .story import Arrangement, body_units


def _block_items(block: Block, x: float, y: float, story: str, color=BLACK, role: str | None = None) -> list[TextLine]:
    return [TextLine(x + p.dx, y + p.dy, p.line, color=color, story=story, role=role or p.role) for p in block.lines]


def text_column_x(ctx: LayoutContext, arr: Arrangement, cell: Cell) -> list[float]:
    """Left edges (pt) of the arrangement's text columns; spare characters widen the gutters."""
    page = ctx.styles.page
    left = page.column_x(cell.column) + arr.inset * page.char
    total = page.span_chars(cell.columns) - 2 * arr.inset
    k, chars = arr.text_columns, arr.chars
    spare = total - k * chars - (k - 1) * page.gutter_chars
    if k == 1:
        return [left + spare * page.char / 2]
    gutter = (page.gutter_chars + spare / (k - 1)) * page.char
    return [left + j * (chars * page.char + gutter) for j in range(k)]


def set_story(ctx: LayoutContext, arr: Arrangement, cell: Cell) -> StoryFrame:
    """Position every part of `arr` in `cell`: head, photos and captions, body columns."""
    page = ctx.styles.page
    story = arr.story
    sid = story.id
    x0 = page.column_x(cell.column)
    width = page.span_width(cell.columns)
    items: list = []
    if arr.mode == "banner":
        st = ctx.styles.banner
        top, height = page.row_y(cell.row), cell.rows * page.line_pitch
        items.append(Rect(x0, top + 2, width, height - 4, fill=ctx.styles.banner_fill))
        items += _block_items(arr.head, x0, top, sid, color=st.color)
        return StoryFrame(sid, cell, tuple(items), (), arr.note)
    row = cell.row
    cols_x = text_column_x(ctx, arr, cell)
    if arr.head is not None:
        top = page.row_y(row) + arr.head_extra * page.line_pitch / 2
        left = cols_x[0] if arr.mode == "wrap" else x0 + arr.inset * page.char
        # a continued story's head is the 接版题, a repeat for the reader, not copy
        items += _block_items(arr.head, left, top, sid, role="jump" if story.jump_in else None)
        if arr.mode != "wrap":
            row += arr.head.rows + arr.head_extra
    if arr.mode == "band":
        items += _band(ctx, arr, cell, row)
        row += arr.band_rows
    elif arr.mode == "side":
        items += _side(ctx, arr, cols_x, row)
    bottoms = [row + h for h in arr.heights]
    if arr.flow is not None:
        # the planner counted lines; now compose them at the chosen measure (same units, same order)
        units, _ = body_units(ctx, story, arr.chars, lines=True)
        assert [u.rows for u in units] == [u.rows for u in arr.flow.body.units], "composer count and lines disagree"
        flow = replace(arr.flow, body=Body(units))
        offsets = [arr.body_rows - h for h in arr.heights]
        last = [row] * arr.text_columns
        for slot in flow.slots():
            r = row + offsets[slot.column] + slot.row
            items += _unit_items(ctx, arr, slot, cols_x[slot.column], r, sid)
            last[slot.column] = r + slot.rows
        bottoms = last
    if story.kind in (StoryKind.BOX, StoryKind.BRIEFS):
        # the frame: FRAME_INSET inside the cell at top, a quarter character at the sides,
        # 2 pt at the bottom (level with the neighbours' last lines); the planner leaves a
        # row of padding under the text (story.BOX_PAD_ROWS) and keeps the text under the head
        side = page.char / 4
        top = page.row_y(cell.row) + FRAME_INSET
        height = cell.rows * page.line_pitch - FRAME_INSET - 2
        items.insert(0, Rect(x0 + side, top, width - 2 * side, height, stroke=BLACK, weight=FRAME_WEIGHT))
    return StoryFrame(sid, cell, tuple(items), tuple(bottoms), arr.note)


def _unit_items(ctx: LayoutContext, arr: Arrangement, slot, x: float, row: int, sid: str) -> list:
    page = ctx.styles.page
    unit = slot.unit
    measure = arr.chars * page.char
    if unit.kind == "line":
        return [TextLine(x, page.baseline(row), unit.lines[0], story=sid)]
    if unit.kind in ("source", "jump"):
        # right-aligned to the measure, a spare row above the line(s)
        first = row + slot.rows - len(unit.lines)
        return [TextLine(x + measure - line.width, page.baseline(first + i), line, story=sid, role=unit.kind)
                for i, line in enumerate(unit.lines)]
    if unit.kind == "gap":
        # the separator between two briefs, centred in its empty row(s): the flow never puts
        # it at a column's head or foot, so there is a line above and below it
        y = page.row_y(row) + slot.rows * page.line_pitch / 2
        return [Rule(x + page.char, y, x + measure - page.char, y, weight=0.3, dash=(1, 1.5))] if slot.rows else []
    if unit.kind == "byline":
        out = []
        for i, line in enumerate(unit.lines):
            out.append(TextLine(x + (measure - line.width) / 2, page.baseline(row + i), line, story=sid, role="byline"))
        return out
    # crosshead: centred in its rows, lines stacked at the size they were set in
    size = unit.lines[0].size if unit.lines else ctx.styles.crosshead.size
    lead = size * 1.3
    block_h = slot.rows * page.line_pitch
    top = page.row_y(row) + (block_h - lead * len(unit.lines)) / 2
    out = []
    for i, line in enumerate(unit.lines):
        baseline = top + i * lead + (lead - size) / 2 + 0.88 * size
        out.append(TextLine(x + (measure - line.width) / 2, baseline, line, story=sid, role="crosshead"))
    return out


def _photo(ctx, arr, index: int, x: float, y: float, w: float, rows: int, caption: Block, sid: str) -> list:
    page = ctx.styles.page
    h = rows * page.line_pitch - 2
    photo = arr.story.photos[index]
    items: list = [Picture(x, y + 1, w, h, str(photo.path), story=sid)]
    if photo.placeholder:  # no image: a neutral frame marked 图片 (placeholder.py)
        items[:0] = frame_items(ctx, x, y + 1, w, h, sid)
    items += _block_items(caption, x, y + rows * page.line_pitch, sid)
    return items


def _band(ctx: LayoutContext, arr: Arrangement, cell: Cell, row: int) -> list:
    page = ctx.styles.page
    items: list = []
    tiers = max((s.tier for s in arr.photos), default=-1) + 1
    top_row = row
    for t in range(tiers):
        in_tier = [(s, c) for s, c in zip(arr.photos, arr.captions) if s.tier == t]
        cap_rows = max(c.rows for _, c in in_tier)
        for slot, caption in in_tier:
            x = page.column_x(cell.column + slot.column) + arr.inset * page.char
            w = page.span_width(slot.columns) - 2 * arr.inset * page.char
            items += _photo(ctx, arr, slot.index, x, page.row_y(top_row), w, arr.photo_rows, caption, arr.story.id)
        top_row += arr.photo_rows + cap_rows
    return items


def _side(ctx: LayoutContext, arr: Arrangement, cols_x: list[float], row: int) -> list:
    """Photos stacked in the rightmost text columns, each with its caption and a row of space."""
    page = ctx.styles.page
    items: list = []
    top = row
    for slot, caption in zip(arr.photos, arr.captions):
        x = cols_x[slot.column]
        w = slot.columns * arr.chars * page.char + (cols_x[1] - cols_x[0] - arr.chars * page.char) * (slot.columns - 1)
        items += _photo(ctx, arr, slot.index, x, page.row_y(top), w, arr.photo_rows, caption, arr.story.id)
        top += arr.photo_rows + caption.rows + 1
    return items
