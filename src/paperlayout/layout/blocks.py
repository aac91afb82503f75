"""Blocks inside a story module: the headline block (引题 / 主题 / 副题) and photo captions.

A block is laid out relative to its own top-left corner (pt, y down) and occupies a whole
number of grid rows; the story setter moves it into place.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Story
from ..styles import HeadTier
from ..text import Line
from .context import LayoutContext

#: Letter-spacing of short heads, em between characters, by character count (TYPOGRAPHY.md
#: "Headlines": 2 chars 1–2 em, 3 chars about 1, 4 chars about ½, longer none).
SHORT_HEAD_TRACKING: dict[int, float] = {2: 1.5, 3: 1.0, 4: 0.5}

#: Leading of display lines as a multiple of their size.
DISPLAY_LEADING = 1.22
IDEOGRAPHIC_SPACE = "\u3000"


@dataclass(frozen=True, slots=True)
class Placed:
    """A line inside a block: left end at dx, baseline at dy (pt from the block's top-left)."""

    dx: float
    dy: float
    line: Line
    role: str


@dataclass(frozen=True, slots=True)
class Block:
    """A laid-out block: whole `rows` tall, its lines, and a note on the choice made."""

    rows: int
    lines: tuple[Placed, ...]
    note: str = ""
    size: float = 0.0


def head_tracking(text: str) -> float:
    """Tracking (em) for a main head of this many characters."""
    return SHORT_HEAD_TRACKING.get(len(text.replace(" ", "")), 0.0)


def _head_lines(ctx: LayoutContext, text: str, face: str, size: float, width: float,
                max_lines: int) -> tuple[Line, ...] | None:
    """The head's lines at `size`, or None if it needs more than `max_lines` lines.

    A space in a head marks its break or its wider gap: on one line it becomes an
    ideographic space (1 em); if that is too wide the parts go on separate lines.
    """
    tracking = head_tracking(text)
    one = ctx.line(text.replace(" ", IDEOGRAPHIC_SPACE), face, size, tracking)
    if one.width <= width:
        return (one,)
    parts = [p for p in text.split(" ") if p]
    if 1 < len(parts) <= max_lines:
        lines = tuple(ctx.line(p, face, size, head_tracking(p)) for p in parts)
        if all(line.width <= width for line in lines):
            return lines
    wrapped = ctx.wrap(text.replace(" ", ""), face, size, width).lines
    if len(wrapped) <= max_lines and all(line.width <= width + 1e-6 for line in wrapped):
        return wrapped
    return None


def _centre(lines: tuple[Line, ...], width: float, top: float, size: float, role: str) -> tuple[list[Placed], float]:
    """Centre `lines` horizontally in `width`, stacked from `top`; returns placed lines and the new top."""
    out = []
    lead = size * DISPLAY_LEADING
    for line in lines:
        baseline = top + (lead - size) / 2 + 0.88 * size
        out.append(Placed((width - line.width) / 2, baseline, line, role))
        top += lead
    return out, top


def headline_block(ctx: LayoutContext, story: Story, width: float, tier: HeadTier,
                   size_step: int = 0) -> Block | None:
    """The headline block of `story` over `width` pt with the `size_step`-th size of `tier`.

    Returns None if the head cannot be set at that size within the tier's line limit.
    Rows: top padding ½ row, kicker, main head, subhead, bottom padding ½ row, rounded up to
    whole rows with the content centred vertically.
    """
    styles = ctx.styles
    pitch = styles.page.line_pitch
    if size_step >= len(tier.sizes):
        return None
    size = tier.sizes[size_step]
    usable = width - 2 * styles.page.body_size
    head = _head_lines(ctx, story.head, tier.face, size, usable, tier.max_lines)
    if head is None:
        return None
    placed: list[Placed] = []
    top = 0.0
    if story.kicker:
        kst = styles.kicker
        kicker = ctx.wrap(story.kicker, kst.face, kst.size, usable).lines
        got, top = _centre(kicker, width, top, kst.size, "kicker")
        placed += got
        top += 0.15 * size
    got, top = _centre(head, width, top, size, "head")
    placed += got
    if story.subhead:
        sst = styles.subhead
        top += 0.1 * size
        sub = ctx.wrap(story.subhead, sst.face, sst.size, usable).lines
        got, top = _centre(sub, width, top, sst.size, "subhead")
        placed += got
    rows = ctx.styles.page.rows_for(top + pitch)
    shift = (rows * pitch - top) / 2
    lines = tuple(Placed(p.dx, p.dy + shift, p.line, p.role) for p in placed)
    return Block(rows, lines, note=f"head {size:g}pt × {len(head)} line(s)", size=size)


def caption_block(ctx: LayoutContext, photo_text: str, credit: str, chars: int, where: str = "") -> Block:
    """A caption (图片说明) set `chars` wide in the caption face, credit run in at its end.

    One grid row per line, flush left, justified like body text but without indent.
    """
    from ..text import Run

    cst = ctx.styles.caption
    runs = [Run(photo_text, cst.face)] if photo_text else []
    if credit:
        runs.append(Run((IDEOGRAPHIC_SPACE if photo_text else "") + credit, cst.face))
    if not runs:
        return Block(0, ())
    composed = ctx.paragraph(tuple(runs), chars, size=cst.size, indent=0.0, where=where)
    page = ctx.styles.page
    lines = tuple(
        Placed(0.0, page.baseline(i, cst.size) - page.row_y(0), line, "caption")
        for i, line in enumerate(composed.lines)
    )
    return Block(len(lines), lines)
