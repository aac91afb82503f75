"""Laying out a whole issue: furniture, planning and setting each page, rules between stories."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..frames import Cell, PageFrame, Rule, StoryFrame
from ..model import Issue, Page, StoryKind
from .context import LayoutContext
from .page import furniture
from .plan import Plan, plan_page
from .setter import set_story
from .story import StoryPlanner


@dataclass(frozen=True)
class PageResult:
    """One page: its frame (None if nothing could be planned), the plan, diagnostics."""

    number: int
    frame: PageFrame | None
    plan: Plan | None
    region_rows: int
    diagnostics: tuple[Diagnostic, ...]
    columns: int = 8


def _separators(ctx: LayoutContext, cells: list[Cell], top_row: int) -> list[Rule]:
    """Thin rules between modules: above a cell that is not at the top, left of one not at the left."""
    page = ctx.styles.page
    weight = ctx.styles.rule_weight
    rules = []
    for cell in cells:
        x0 = page.column_x(cell.column)
        x1 = x0 + page.span_width(cell.columns)
        y0 = page.row_y(cell.row)
        y1 = page.row_y(cell.row + cell.rows)
        if cell.row > top_row:
            rules.append(Rule(x0, y0, x1, y0, weight=weight))
        if cell.column > 0:
            x = x0 - page.gutter_chars * page.char / 2
            rules.append(Rule(x, y0 + (2 if cell.row > top_row else 0), x, y1 - 2, weight=weight))
    return rules


def photo_aspects(issue: Issue, read_size) -> dict[str, float]:
    """Source aspect ratio (w/h) of every photo, keyed by path; `read_size(path) -> (w, h)`."""
    out = {}
    for page in issue.pages:
        for story in page.stories:
            for photo in story.photos:
                w, h = read_size(Path(photo.path))
                out[str(photo.path)] = w / h
    return out


def lay_out_page(ctx: LayoutContext, issue: Issue, page: Page, aspects: dict[str, float]) -> PageResult:
    """Plan and set one page."""
    geometry = ctx.styles.page
    items, top_rows = furniture(ctx, issue, page)
    region = geometry.rows - top_rows
    planners = []
    rank = 0
    for story in page.stories:
        # importance ranks count stories with heads: a banner does not push the lead down a tier
        planners.append(StoryPlanner(ctx, story, rank, tuple(aspects[str(p.path)] for p in story.photos)))
        rank += story.kind != StoryKind.BANNER
    diagnostics: list[Diagnostic] = []
    where = f"page {page.number}"
    plan = plan_page(planners, geometry.columns, region) if planners else None
    if plan is None:
        if planners:
            ids = ", ".join(s.id for s in page.stories)
            diagnostics.append(error("overset", where, f"the stories ({ids}) cannot be set on the page with level columns: "
                                     f"there is more copy than {region} rows × {geometry.columns} columns hold, or a pin cannot be met. "
                                     "Move a story to another page or cut copy."))
        frame = PageFrame(page.number, geometry.trim_width, geometry.trim_height, geometry.bleed, tuple(items), ())
        return PageResult(page.number, frame if not planners else None, None, region, tuple(diagnostics), geometry.columns)
    frames: list[StoryFrame] = []
    for placement in plan.placements:
        cell = placement.cell
        shifted = Cell(cell.column, cell.row + top_rows, cell.columns, cell.rows)
        frames.append(set_story(ctx, placement.arrangement, shifted))
        if placement.arrangement.flow is not None and placement.arrangement.flow.short_last:
            diagnostics.append(warning("short-column", f"{where} / story {placement.arrangement.story.id!r}",
                                       "the last text column ends one row short of the others"))
        for story in (placement.arrangement.story,):
            if story.pin and story.pin.column is not None and (story.pin.column != cell.column or (story.pin.row or 0) != cell.row):
                diagnostics.append(error("pin", story.pin.where or where, f"story {story.id!r} is pinned at column {story.pin.column}, "
                                         f"row {story.pin.row or 0} but only fits at column {cell.column}, row {cell.row}; change or drop the pin"))
    if plan.rows < region:
        diagnostics.append(warning("hole", where, f"the page's stories fill {plan.rows} of {region} rows: a {region - plan.rows}-row hole at the foot; add copy or a photo"))
    cells = [Cell(f.cell.column, f.cell.row, f.cell.columns, f.cell.rows) for f in frames]
    rules = _separators(ctx, cells, top_rows)
    frame = PageFrame(page.number, geometry.trim_width, geometry.trim_height, geometry.bleed,
                      tuple(items) + tuple(rules), tuple(frames))
    seen = set()
    for planner, placement in zip(planners, plan.placements):
        for finding in planner.findings(placement.arrangement.chars):
            if finding not in seen:
                seen.add(finding)
                diagnostics.append(finding)
    return PageResult(page.number, frame, plan, region, tuple(diagnostics), geometry.columns)


def lay_out_issue(ctx: LayoutContext, issue: Issue, aspects: dict[str, float]) -> tuple[PageResult, ...]:
    """Every page of the issue, in order."""
    return tuple(lay_out_page(ctx, issue, page, aspects) for page in issue.pages)
