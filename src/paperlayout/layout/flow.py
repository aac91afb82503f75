"""Flowing a story's body into its text columns (分栏排文), exactly or not at all.

The body is a sequence of flow units, each a whole number of grid rows: text lines (1 row),
crossheads (小标题, 2 rows, may take a 3rd), a byline row, the gaps between briefs. Flowing
into columns of given heights either fills every column to its foot — the columns end level —
or reports why it cannot. The composed lines are never touched: only flexible units grow.
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
    lines: tuple[Line, ...] = ()
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


@dataclass(frozen=True, slots=True)
class Flow:
    """A complete flow: slots in order, whether the last column is one row short, widows."""

    slots: tuple[Slot, ...]
    short_last: bool
    widows: int


def natural_rows(units: tuple[Unit, ...]) -> int:
    return sum(u.rows for u in units)


def flex_indices(units: tuple[Unit, ...]) -> tuple[int, ...]:
    return tuple(i for i, u in enumerate(units) if u.flex)


def _place(units: tuple[Unit, ...], heights: tuple[int, ...], grow: frozenset[int]) -> tuple[list[Slot], int, int] | None:
    """Place units greedily into columns; None if a rule is broken or it overflows.

    Returns (slots, index of the column being filled, rows used in it). A crosshead must have
    at least one line after it in its column (never at a column's foot, 背题).
    """
    slots: list[Slot] = []
    col, used, count = 0, 0, len(heights)
    while col < count and heights[col] == 0:
        col += 1
    for i, unit in enumerate(units):
        rows = unit.rows + (1 if i in grow else 0)
        if rows == 0:
            slots.append(Slot(col, used, 0, unit))
            continue
        need = rows + 1 if unit.kind == "crosshead" else rows
        if col >= count:
            return None
        if used + need > heights[col]:
            return None  # a crosshead stranded at the foot, or a unit taller than what is left
        slots.append(Slot(col, used, rows, unit))
        used += rows
        while col < count and used >= heights[col]:
            col, used = col + 1, 0
    return slots, col, used


def _widows(slots: list[Slot]) -> int:
    """Columns that start with a paragraph's last line or end with its first (单行不占栏)."""
    bad = 0
    for a, b in zip(slots, slots[1:]):
        if a.column != b.column and a.unit.kind == "line" and b.unit.kind == "line":
            if (b.unit.last and not b.unit.first) or (a.unit.first and not a.unit.last):
                bad += 1
    return bad


def flow(units: tuple[Unit, ...], heights: tuple[int, ...], *, allow_short: bool = True) -> Flow | None:
    """Flow `units` into columns of `heights` rows so that every column is full.

    The slack (capacity − natural rows) is taken by flexible units, one row each; with
    allow_short the last column may end one row short (reported by the caller). Tries the
    first, the last and then other choices of flexible units; returns the flow with the
    fewest widows or None.
    """
    capacity = sum(heights)
    need = natural_rows(units)
    flexes = flex_indices(units)
    best: Flow | None = None
    for short in ((False, True) if allow_short else (False,)):
        slack = capacity - need - (1 if short else 0)
        if slack < 0 or slack > len(flexes):
            continue
        for grow in _choices(flexes, slack):
            placed = _place(units, heights, frozenset(grow))
            if placed is None:
                continue
            slots, col, used = placed
            count = len(heights)
            full = col >= count
            ends_short = col == count - 1 and used == heights[-1] - 1 and heights[-1] > 1
            if (full and not short) or (short and ends_short):
                found = Flow(tuple(slots), short, _widows(slots))
                if best is None or (found.short_last, found.widows) < (best.short_last, best.widows):
                    best = found
                if found.widows == 0:
                    return best
        if best is not None:
            return best
    return best


def _choices(flexes: tuple[int, ...], slack: int, limit: int = 24):
    """Which flexible units grow: first ones, last ones, then other combinations (bounded)."""
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
