"""Frames: the positioned result of layout, walked by the renderers.

Coordinates are points with the origin at the top-left corner of the trimmed page and y
growing downwards (the engine's one convention; renderers convert once). A text line's y is
its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .text import Line


@dataclass(frozen=True, slots=True)
class Cmyk:
    """A process colour, each component 0..1 (1 = 100 % ink)."""

    c: float = 0.0
    m: float = 0.0
    y: float = 0.0
    k: float = 0.0

    @property
    def is_gray(self) -> bool:
        """True when only the K plate carries ink."""
        return self.c == 0 and self.m == 0 and self.y == 0


BLACK = Cmyk(k=1.0)


@dataclass(frozen=True, slots=True)
class TextLine:
    """A composed line placed on the page: left end of its measure at x, baseline at y (pt)."""

    x: float
    y: float
    line: Line
    color: Cmyk = BLACK
    story: str = ""  # story id, for traces and checks
    role: str = "body"  # body, head, kicker, subhead, byline, crosshead, caption, furniture …


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight rule (线) from (x0, y0) to (x1, y1), weight in pt; dash: on/off lengths in pt."""

    x0: float
    y0: float
    x1: float
    y1: float
    weight: float = 0.5
    color: Cmyk = BLACK
    dash: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle: top-left (x, y), size (w, h) in pt, optional fill and stroke."""

    x: float
    y: float
    w: float
    h: float
    fill: Cmyk | None = None
    stroke: Cmyk | None = None
    weight: float = 0.5


@dataclass(frozen=True, slots=True)
class Picture:
    """A photo placed in the box top-left (x, y), size (w, h) in pt; the image is cropped to cover it."""

    x: float
    y: float
    w: float
    h: float
    path: str
    story: str = ""


Item = TextLine | Rule | Rect | Picture


@dataclass(frozen=True, slots=True)
class Cell:
    """A story's place on the grid: basic columns [column, column+columns) × rows [row, row+rows)."""

    column: int
    row: int
    columns: int
    rows: int


@dataclass(frozen=True, slots=True)
class StoryFrame:
    """A story laid out in its cell; items in reading order; column bottoms in rows."""

    story: str
    cell: Cell
    items: tuple[Item, ...]
    column_bottoms: tuple[int, ...] = ()  # per text column, the row (page grid) after its last line
    note: str = ""  # how it was arranged (columns, photo rows …), for the report


@dataclass(frozen=True, slots=True)
class PageFrame:
    """One laid-out page: trim size in pt, furniture and story frames in drawing order."""

    number: int
    width: float
    height: float
    bleed: float
    furniture: tuple[Item, ...]
    stories: tuple[StoryFrame, ...]

    def items(self) -> tuple[Item, ...]:
        """Every item on the page in drawing order: furniture first, then stories."""
        out: list[Item] = list(self.furniture)
        for story in self.stories:
            out.extend(story.items)
        return tuple(out)
