"""Blocks inside a story module: the headline block (引题 / 主题 / 副题) and photo captions.

A block is laid out relative to its own top-left corner (pt, y down) and occupies a whole
number of grid rows; the story setter moves it into place.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, info, warning
from ..model import Story, StoryKind
from ..styles import HeadTier
from ..text import Line, Run, segment
from .context import LANG, URL_BREAKS, LayoutContext

#: Letter-spacing of short heads, em between characters, by character count (TYPOGRAPHY.md
#: "Headlines": 2 chars 1–2 em, 3 chars about 1, 4 chars about ½, longer none).
SHORT_HEAD_TRACKING: dict[int, float] = {2: 1.5, 3: 1.0, 4: 0.5}

#: Leading of display lines as a multiple of their size.
DISPLAY_LEADING = 1.22
IDEOGRAPHIC_SPACE = "\u3000"
#: The frame of a box or briefs box (pt): its rules this far inside the story's cell, and
#: their weight. Text inside stays at least half a line clear of them (setter.set_story).
FRAME_INSET = 3.0
FRAME_WEIGHT = 0.75


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
    diagnostics: tuple[Diagnostic, ...] = ()  # a head set smaller for want of a break, a forced break


def head_tracking(text: str) -> float:
    """Tracking (em) for a main head of this many characters."""
    return SHORT_HEAD_TRACKING.get(len(text.replace(" ", "").replace(IDEOGRAPHIC_SPACE, "")), 0.0)


def _balanced_break(text: str) -> list[int]:
    """Break positions for a two-line head, best first (``segment.two_line_order``): the
    editor's space if there is one; else at punctuation or between words, nearest the
    middle — never inside a word, a quoted term, a number with its unit (6.3万元 stays
    whole) or a standard number. Positions index ``segment.normalise(text)``; a position
    holding a space is a break at that space."""
    return [b.pos for b in segment.two_line_order(text)]


def _split(text: str, pos: int) -> tuple[str, str]:
    """The two lines of `text` broken at `pos` (a space there belongs to neither)."""
    return text[:pos], text[pos + 1:] if text[pos] == " " else text[pos:]


def _head_lines(ctx: LayoutContext, text: str, face: str, size: float, width: float,
                max_lines: int) -> tuple[tuple[Line, ...], bool] | None:
    """The head's lines at `size` and whether they had to be broken by width rather than at
    the head's own space; None if it needs more than `max_lines` lines or has no allowed
    break (``text.segment``) that fits.

    A space in a head marks its break or its wider gap: on one line it becomes an
    ideographic space (1 em); if that is too wide the parts go on separate lines, and the
    head is broken nowhere else (the editor's space always wins). A head without a space
    is broken into balanced lines at punctuation or between words, never inside a word.
    A space between Latin words is a word space, on one line or at a break.
    """
    text = segment.normalise(text)
    limit = width + 1e-6
    one = ctx.line(segment.display_form(text), face, size, head_tracking(text))
    if one.width <= limit:
        return (one,), False
    if max_lines == 2:
        for pos in _balanced_break(text)[:8]:
            editor = text[pos] == " " and not segment.is_word_space(text, pos)
            parts = _split(text, pos)
            lines = tuple(ctx.line(segment.display_form(p), face, size, head_tracking(p) if editor else 0.0)
                          for p in parts)
            if all(line.width <= limit for line in lines):
                return lines, not editor
        return None
    found = segment.best_lines(text, lambda line: ctx.measure(line, face, size) <= limit, max_lines)
    if found is None:
        return None
    editor_parts = segment.cut(text, [b for b in segment.breaks(text) if b.kind is segment.BreakKind.SPACE])
    return tuple(ctx.line(line, face, size) for line in found), found != tuple(map(segment.display_form, editor_parts))


def _forced_head_lines(ctx: LayoutContext, text: str, face: str, size: float, width: float,
                       max_lines: int) -> tuple[Line, ...] | None:
    """The head broken wherever the composer may break body text (between any two Han
    characters), for a head that has no allowed break at any size; None if it still needs
    more than `max_lines` lines."""
    wrapped = ctx.paragraph((Run(segment.display_form(segment.normalise(text)), face),),
                            max(1, int(width // size)), size=size, indent=0.0, justify=False).lines
    return wrapped if len(wrapped) <= max_lines else None


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
    where = story.where or f"story {story.id!r}"
    notes: list[Diagnostic] = []
    found = _head_lines(ctx, story.head, tier.face, size, usable, tier.max_lines)
    if found is None:
        # no allowed break fits: a smaller size or tier is tried next; only at the very
        # last size of the last tier is the head broken inside a word, and reported
        if tier != styles.head_tiers[-1] or size_step != len(tier.sizes) - 1:
            return None
        forced = _forced_head_lines(ctx, story.head, tier.face, size, usable, tier.max_lines)
        if forced is None:
            return None
        found = (forced, True)
        notes.append(warning("head-break", where, f"the head {story.head!r} has no break between words that fits "
                             f"{tier.max_lines} line(s) of {usable:.0f} pt even at {size:g} pt: broken as "
                             f"{' / '.join(line.text for line in forced)!r}; shorten it or mark its break with a space"))
    elif size_step > 0:
        prev = tier.sizes[size_step - 1]
        if (_head_lines(ctx, story.head, tier.face, prev, usable, tier.max_lines) is None
                and _forced_head_lines(ctx, story.head, tier.face, prev, usable, tier.max_lines) is not None):
            notes.append(info("head-shrunk", where, f"the head {story.head!r} is set at {size:g} pt, a step smaller: "
                              f"at {prev:g} pt it has no break between words that fits {tier.max_lines} line(s) of "
                              f"{usable:.0f} pt"))
    head, wrapped = found
    placed: list[Placed] = []
    top = 0.0
    if story.kicker:
        kst = styles.kicker
        kicker = ctx.wrap(story.kicker, kst.face, kst.size, usable, where)
        notes += kicker.diagnostics
        got, top = _centre(kicker.lines, width, top, kst.size, "kicker")
        placed += got
        top += 0.15 * size
    got, top = _centre(head, width, top, size, "head")
    placed += got
    if story.subhead:
        sst = styles.subhead
        top += 0.1 * size
        sub = ctx.wrap(story.subhead, sst.face, sst.size, usable, where)
        notes += sub.diagnostics
        got, top = _centre(sub.lines, width, top, sst.size, "subhead")
        placed += got
    # in a box the frame's top rule takes the top of the first row: the head is centred in
    # what is left, so that half a line stays clear above it
    frame = FRAME_INSET + FRAME_WEIGHT / 2 if story.kind is StoryKind.BOX else 0.0
    rows = ctx.styles.page.rows_for(top + pitch + frame)
    shift = frame + (rows * pitch - frame - top) / 2
    lines = tuple(Placed(p.dx, p.dy + shift, p.line, p.role) for p in placed)
    return Block(rows, lines, note=f"head {size:g}pt × {len(head)} line(s)", size=size, wrapped=wrapped,
                 diagnostics=tuple(notes))


def caption_block(ctx: LayoutContext, photo_text: str, credit: str, chars: int, where: str = "", *,
                  lang: str = LANG, url_breaks: str = URL_BREAKS) -> Block:
    """A caption (图片说明) set `chars` wide in the caption face, the credit (xx 摄) run in at
    its end after an ideographic space.

    One grid row per line, flush left, justified like body text but without indent. The
    credit is display type: never broken inside (not "本报记/者 李堃 摄"). When it does not
    fit whole at the end of the caption's last line it takes a line of its own, flush
    right; a credit wider than the measure breaks at its spaces (``LayoutContext.wrap``).
    `lang`, `url_breaks`: the story's (hyphenation, URL breaks in the caption's copy).
    """
    cst = ctx.styles.caption
    credit_text = segment.display_form(segment.normalise(credit))
    page = ctx.styles.page
    measure = chars * cst.size
    placed: list[tuple[float, Line]] = []
    notes: tuple[Diagnostic, ...] = ()
    if photo_text:
        latin = {"lang": lang, "url_breaks": url_breaks}
        body = ctx.paragraph((Run(photo_text, cst.face),), chars, size=cst.size, indent=0.0, where=where, **latin)
        placed = [(0.0, line) for line in body.lines]
        if credit_text:
            runs = (Run(photo_text, cst.face), Run(IDEOGRAPHIC_SPACE + credit_text, cst.face))
            joint = ctx.paragraph(runs, chars, size=cst.size, indent=0.0, where=where, **latin)
            tail = joint.lines[-1].text
            if IDEOGRAPHIC_SPACE + credit_text in tail and not tail.startswith(IDEOGRAPHIC_SPACE):
                placed, credit_text = [(0.0, line) for line in joint.lines], ""
    if credit_text:
        own = ctx.wrap(credit_text, cst.face, cst.size, measure, where)
        notes = own.diagnostics
        placed += [((measure - line.width) if photo_text else 0.0, line) for line in own.lines]
    lines = tuple(
        Placed(dx, page.baseline(i, cst.size) - page.row_y(0), line, "caption")
        for i, (dx, line) in enumerate(placed)
    )
    return Block(len(lines), lines, diagnostics=notes)
