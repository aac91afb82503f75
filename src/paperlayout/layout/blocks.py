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
    wrapped: bool = False  # a head broken by width, not at its own space


def head_tracking(text: str) -> float:
    """Tracking (em) for a main head of this many characters."""
    return SHORT_HEAD_TRACKING.get(len(text.replace(" ", "")), 0.0)


#: Characters a head's line may not start with, nor end before (kept in sync with the
#: composer's prohibitions for the common marks; CLREQ §3.1.7).
_NO_START = set("、，。．：；！？”’）》〉」』】〕·%‰℃…—")
_NO_END = set("“‘（《〈「『【〔")


def _balanced_break(text: str) -> list[int]:
    """Break positions for a two-line head, nearest the middle first; never inside a run of
    digits or Latin letters, nor within two characters after a digit (6.3万元 stays whole).
    Editors mark the break they want with a space in the head."""
    middle = len(text) / 2
    order = sorted(range(1, len(text)), key=lambda i: (abs(i - middle), i))
    out = []
    for i in order:
        a, b = text[i - 1], text[i]
        after_number = any(ch.isascii() and ch.isdigit() for ch in text[max(0, i - 2):i])  # 6.3万|元
        if b in _NO_START or a in _NO_END or after_number or b.isascii() and b.isalnum():
            continue
        out.append(i)
    return out


def _head_lines(ctx: LayoutContext, text: str, face: str, size: float, width: float,
                max_lines: int) -> tuple[tuple[Line, ...], bool] | None:
    """The head's lines at `size` and whether they had to be broken by width rather than at
    the head's own space; None if it needs more than `max_lines` lines.

    A space in a head marks its break or its wider gap: on one line it becomes an
    ideographic space (1 em); if that is too wide the parts go on separate lines. A head
    without a usable space is broken into two balanced lines, not filled greedily.
    """
    tracking = head_tracking(text)
    one = ctx.line(text.replace(" ", IDEOGRAPHIC_SPACE), face, size, tracking)
    if one.width <= width:
        return (one,), False
    parts = [p for p in text.split(" ") if p]
    if 1 < len(parts) <= max_lines:
        lines = tuple(ctx.line(p, face, size, head_tracking(p)) for p in parts)
        if all(line.width <= width for line in lines):
            return lines, False
    flat = text.replace(" ", "")
    if max_lines == 2:
        # two balanced lines or none at this size: a greedy wrap would break words and numbers
        for i in _balanced_break(flat)[:8]:
            lines = (ctx.line(flat[:i], face, size), ctx.line(flat[i:], face, size))
            if all(line.width <= width for line in lines):
                return lines, True
        return None
    wrapped = ctx.wrap(flat, face, size, width).lines
    if len(wrapped) <= max_lines and all(line.width <= width + 1e-6 for line in wrapped):
        return wrapped, True
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
    found = _head_lines(ctx, story.head, tier.face, size, usable, tier.max_lines)
    if found is None:
        return None
    head, wrapped = found
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
    return Block(rows, lines, note=f"head {size:g}pt × {len(head)} line(s)", size=size, wrapped=wrapped)


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
