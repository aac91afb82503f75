"""The guillotine planner on synthetic stories: exact fill, no overlap, reading order, pins."""

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperlayout.layout.plan import plan_page
from paperlayout.model import Pin, Story


@dataclass(frozen=True)
class FakeArrangement:
    cost: float
    flow = None


class FakePlanner:
    """A story whose column-level heights at span c are given by a rule: area/c (+ flexible photo rows)."""

    def __init__(self, sid, area, flex=0, pin=None):
        self.story = Story(id=sid, head="h", pin=pin)
        self.area, self.flex = area, flex
        self.importance = int(sid != "lead")

    def heights(self, c):
        out = {}
        if self.area % c == 0 or self.flex:
            base = -(-self.area // c)
            for extra in range(0, self.flex + 1):
                out[base + extra] = FakeArrangement(cost=extra * 0.1)
        return out


def cells_ok(plan, columns, rows):
    occupied = set()
    for p in plan.placements:
        c = p.cell
        assert 0 <= c.column and c.column + c.columns <= columns
        assert 0 <= c.row and c.row + c.rows <= rows
        for x in range(c.column, c.column + c.columns):
            for y in range(c.row, c.row + c.rows):
                assert (x, y) not in occupied, "cells overlap"
                occupied.add((x, y))
    return len(occupied)


def test_fills_page_exactly_and_lead_is_top_left():
    planners = [FakePlanner("lead", 200, flex=30), FakePlanner("b", 120), FakePlanner("c", 60), FakePlanner("d", 60, flex=20)]
    plan = plan_page(planners, 8, 60)
    assert plan is not None and plan.rows == 60
    assert cells_ok(plan, 8, 60) == 8 * 60
    lead = plan.placements[0].cell
    assert (lead.column, lead.row) == (0, 0)
    assert lead.columns >= 5  # the lead spans most of the page


def test_overset_is_none():
    assert plan_page([FakePlanner("a", 8 * 61)], 8, 60) is None


def test_underfull_returns_tallest_fit():
    plan = plan_page([FakePlanner("a", 8 * 50)], 8, 60)
    assert plan.rows == 50


def test_span_pin_is_honoured():
    planners = [FakePlanner("a", 240, flex=40), FakePlanner("b", 120, flex=40, pin=Pin(columns=2))]
    plan = plan_page(planners, 8, 60)
    assert plan.placements[1].cell.columns == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(20, 200), st.integers(0, 12)), min_size=1, max_size=6))
def test_any_plan_has_no_overlap_and_stays_inside(stories):
    planners = [FakePlanner(f"s{i}", a, f) for i, (a, f) in enumerate(stories)]
    plan = plan_page(planners, 8, 80)
    if plan is not None:
        covered = cells_ok(plan, 8, 80)
        assert covered == 8 * plan.rows  # every row of the plan is covered across all columns
        assert [p.arrangement for p in plan.placements]


def test_position_pin_is_honoured():
    # reading order keeps the lead first; pin "b" to the top of the two right-hand columns
    planners = [FakePlanner("lead", 200, flex=40), FakePlanner("b", 120, flex=40, pin=Pin(columns=2, column=6, row=0))]
    plan = plan_page(planners, 8, 60)
    cell = plan.placements[1].cell
    assert (cell.column, cell.row, cell.columns) == (6, 0, 2)


def test_impossible_position_pin_gives_no_plan():
    planners = [FakePlanner("lead", 200, flex=40), FakePlanner("b", 120, flex=40, pin=Pin(column=0, row=0))]
    assert plan_page(planners, 8, 60) is None  # the lead must come first in reading order
    assert plan_page(planners, 8, 60, honour_positions=False) is not None
