"""Flowing a story's body into its text columns (分栏排文), exactly or not at all.

The body is a sequence of flow units, each a whole number of grid rows: text lines (1 row),
crossheads (小标题, 2 rows, may take a 3rd), a byline row, the gaps between briefs. Flowing
into columns of given heights either fills every column to its foot — the columns end level —
or reports why it cannot. The composed lines are never touched: only flexible units grow.

The planner asks for thousands of flows per page, so the feasibility test skips over runs of
plain lines arithmetically; slots are only built for the flows that are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..text import Line


@dataclass(frozen=True, slots=True)
class Unit:
    """One flow unit. kind: line | crosshead | byline | source | gap.

    rows: rows taken at its natural size; flex: may take one more row (spacing around a
    crosshead, byline or between briefs — never body leading); para: index of the paragraph a
    line belongs to (-1 otherwise); first/last: first or last line of its paragraph.
    """

    kind: str
    rows: int
    lines: tuple["Line", ...] = ()
    flex: bool = False
    para: int = -1
    first: bool = False
    last: bool = False


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a unit landed: text column, row offset in that column, rows taken."""

    column: int
    row: int
    rows: int
    unit: Unit


class Body:
    """A story body ready to flow: its units, natural rows, flexible units, for each unit the
    length of the run of plain one-row lines starting there, and `other_rows`: the most rows
    its units other than lines of text can take (grown), so that a column at least that many
    rows plus MIN_COLUMN_LINES + 1 tall surely holds that many lines (see Flow.text_lines)."""

    __slots__ = ("units", "need", "flexes", "runs", "other_rows")

    def __init__(self, units: tuple[Unit, ...]):
        self.units = units
        self.need = sum(u.rows for u in units)
        self.flexes = tuple(i for i, u in enumerate(units) if u.flex)
        runs = [0] * (len(units) + 1)
        for i in range(len(units) - 1, -1, -1):
            u = units[i]
            runs[i] = runs[i + 1] + 1 if (u.kind == "line" and u.rows == 1 and not u.flex) else 0
        self.runs = runs
        self.other_rows = sum(u.rows + (1 if u.flex else 0) for u in units if u.kind != "line")


@dataclass(frozen=True)
class Flow:
    """A complete flow: which flexible units grew, whether the last column is one row short,
    how many widows (单行不占栏) it leaves; `slots()` gives the placement."""

    body: Body
    heights: tuple[int, ...]
    grow: frozenset[int]
    short_last: bool
    widows: int

    def slots(self) -> tuple[Slot, ...]:
        return tuple(_slots(self.body.units, self.heights, self.grow))

    def text_lines(self) -> tuple[int, ...]:
        """Lines of text (units of kind "line") in each column: what a reader sees of a
        column, without the separators between briefs items, crossheads, bylines or source
        lines its rows also hold (editor's rule column-lines)."""
        counts = [0] * len(self.heights)
        for slot in self.slots():
            if slot.unit.kind == "line" and slot.column < len(counts):
                counts[slot.column] += 1
        return tuple(counts)


def _fits(body: Body, heights: tuple[int, ...], grow: frozenset[int]) -> tuple[int, int, list[int]] | None:
    """Where the units land, or None if a rule is broken or they overflow.

    Returns (column being filled at the end, rows used in it, index of the first unit of
    each column after the first). A crosshead must keep at least one line after it in its
    column (never at a column's foot, 背题); a gap between briefs too, and it never opens a
    column (a separator stands only between two items).
    """
    units, runs = body.units, body.runs
    count = len(heights)
    col, used = 0, 0
    while col < count and heights[col] == 0:
        col += 1
    starts: list[int] = []
    i, n = 0, len(units)
    while i < n:
        run = runs[i]
        if run:
            while run:
                if col >= count:
                    return None
                take = min(heights[col] - used, run)
                run -= take
                i += take
                used += take
                while col < count and used >= heights[col]:
                    col, used = col + 1, 0
                    starts.append(i)
            continue
        unit = units[i]
        rows = unit.rows + (1 if i in grow else 0)
        if rows:
            if col >= count:
                return None
            need = rows + 1 if unit.kind in ("crosshead", "gap") else rows
            if used + need > heights[col] or (unit.kind == "gap" and used == 0):
                return None  # a crosshead or separator stranded at a foot (or a separator at a head)
            used += rows
            while col < count and used >= heights[col]:
                col, used = col + 1, 0
                starts.append(i + 1)
        i += 1
    return col, used, starts


def _slots(units: tuple[Unit, ...], heights: tuple[int, ...], grow: frozenset[int]):
    col, used, count = 0, 0, len(heights)
    while col < count and heights[col] == 0:
        col += 1
    for i, unit in enumerate(units):
        rows = unit.rows + (1 if i in grow else 0)
        yield Slot(col, used, rows, unit)
        used += rows
        while col < count and used >= heights[col] and rows:
            col, used = col + 1, 0


def _widows(units: tuple[Unit, ...], starts: list[int]) -> int:
    """Columns that start with a paragraph's last line or follow one ending with a first line."""
    bad = 0
    for s in starts:
        if 0 < s < len(units):
            a, b = units[s - 1], units[s]
            if a.kind == "line" and b.kind == "line" and ((b.last and not b.first) or (a.first and not a.last)):
                bad += 1
    return bad


def flow(body: Body | tuple[Unit, ...], heights: tuple[int, ...], *, allow_short: bool = True,
         spread: int | None = None) -> Flow | None:
    """Flow the body into columns of `heights` rows so that every column is full.

    The slack (capacity − natural rows) is taken by flexible units, one row each; with
    allow_short the last column may end one row short (reported by the caller). With
    `spread`, the slack is at most `spread` rows per column: flexible units may level the
    columns but not fill a tall cell (boxes and briefs: story.BOX_SPREAD_ROWS). Tries the
    first, the last and then other choices of flexible units; returns the flow with the
    fewest widows or None.
    """
    if not isinstance(body, Body):
        body = Body(tuple(body))
    capacity = sum(heights)
    best: Flow | None = None
    count = len(heights)
    for short in ((False, True) if allow_short else (False,)):
        slack = capacity - body.need - (1 if short else 0)
        if slack < 0 or slack > len(body.flexes) or (spread is not None and slack > spread * count):
            continue
        for grow in _choices(body.flexes, slack):
            grow = frozenset(grow)
            placed = _fits(body, heights, grow)
            if placed is None:
                continue
            col, used, starts = placed
            full = col >= count
            ends_short = col == count - 1 and used == heights[-1] - 1 and heights[-1] > 1
            if (full and not short) or (short and ends_short):
                found = Flow(body, heights, grow, short, _widows(body.units, starts))
                if best is None or found.widows < best.widows:
                    best = found
                if found.widows == 0:
                    return best
        if best is not None:
            return best
    return best


def _choices(flexes: tuple[int, ...], slack: int, limit: int = 24):
    """Which flexible units grow: first ones, last ones, spread out, then other combinations (bounded)."""
    if slack == 0:
        yield ()
        return
    seen = set()
    spread = tuple(flexes[round(j * (len(flexes) - 1) / max(1, slack - 1))] for j in range(slack)) if slack > 1 else None
    for choice in (flexes[:slack], flexes[-slack:], spread):
        if choice and len(set(choice)) == slack and choice not in seen:
            seen.add(choice)
            yield choice
    for n, choice in enumerate(combinations(flexes, slack)):
        if n >= limit:
            return
        if choice not in seen:
            seen.add(choice)
            yield choice
