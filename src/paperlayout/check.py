"""The quality report (质量报告): fill, holes, column bottoms, overset, rule exceptions, photos.

Built from the laid-out pages; the same numbers drive the tests and `paperlayout check`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Level, error
from .frames import TextLine
from .layout.editor_rules import RULES, RuleFigure, evaluate_page, originals_of
from .layout.issue import PageResult
from .model import Issue

if TYPE_CHECKING:
    from .styles import PageGeometry


@dataclass(frozen=True)
class StoryReport:
    id: str
    cell: tuple[int, int, int, int]  # column, row, columns, rows (grid units, type-area origin)
    column_bottoms: tuple[int, ...]  # rows, page grid
    arrangement: str
    level: bool  # all column bottoms equal


@dataclass(frozen=True)
class PageReport:
    number: int
    fill: float  # share of the story region covered by story cells, 0..1
    largest_hole_rows: int
    stories: tuple[StoryReport, ...]
    plan: tuple[str, ...]
    rules: tuple[RuleFigure, ...] = ()  # every editor's rule measured on the page (layout/editor_rules.py)


@dataclass(frozen=True)
class Report:
    pages: tuple[PageReport, ...]
    diagnostics: tuple[Diagnostic, ...]
    grid: tuple[tuple[str, float | int], ...] = ()  # the derived grid (see grid_figures)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.level == Level.ERROR)

    def to_dict(self) -> dict:
        return {
            "pages": [asdict(p) for p in self.pages],
            "rules": [{"name": r.name, "measure": r.measure, "threshold": r.threshold, "compare": r.compare,
                       "severity": r.severity.value, "why": r.why} for r in RULES],
            "diagnostics": [{"level": d.level.value, "code": d.code, "where": d.where, "message": d.message} for d in self.diagnostics],
            "errors": len(self.errors),
            "grid": dict(self.grid),
        }

    def grid_text(self) -> str:
        """The derived grid in one line, for `check`."""
        g = dict(self.grid)
        if not g:
            return ""
        return (f"grid: {g['columns']} columns × {g['column_chars']} characters (gutter {g['gutter_chars']}), "
                f"{g['body_size']:g} pt type on a {g['line_pitch']:g} pt pitch; {g['rows']} rows "
                f"({g['rows_page1']} under the masthead, {g['rows_inner']} on inner pages); "
                f"about {g['capacity_page1']} characters on page 1, {g['capacity_inner']} on an inner page")


def _strip(text: str) -> str:
    """`text` without white space (str.isspace's: every Unicode space and line break)."""
    return "".join(text.split())


def text_accounting(issue: Issue, results: tuple[PageResult, ...]) -> list[Diagnostic]:
    """Every character of every story set exactly once, counting all parts of a continued
    story (转版) together; jump lines and spaces are furniture, not copy."""
    out = []
    got: dict[str, Counter] = {}
    owner = {s.id: (s.part_of or s.id) for r in results for s in r.stories}
    overset = {owner[s.id] for r in results if r.frame is None for s in r.stories}  # reported as such
    for result in results:
        for frame in result.frame.stories if result.frame else ():
            text = "".join([g.text for it in frame.items if isinstance(it, TextLine) and it.role not in ("jump", "placeholder")
                            for g in it.line.glyphs])
            got.setdefault(owner[frame.story], Counter()).update(_strip(text))
    placed = {s.id for r in results for s in r.stories}
    fillers = [story for story in issue.fillers if story.id in placed]  # 补白 used
    for page in list(issue.pages) + ([replace(issue.pages[0], number=0, stories=tuple(fillers))] if fillers else []):
        for story in page.stories:
            if story.id in overset:
                continue
            want = Counter(_strip(story.copy_text()))
            have = got.get(story.id, Counter())
            if want != have:
                lost = "".join(sorted((want - have).elements()))[:40]
                extra = "".join(sorted((have - want).elements()))[:40]
                out.append(error("text-lost", f"{'page ' + str(page.number) if page.number else 'fillers'} / story {story.id!r}",
                                 f"set text differs from the copy: missing {lost!r}, extra {extra!r}"))
    return out


def build_report(issue: Issue, results: tuple[PageResult, ...], geometry: PageGeometry | None = None,
                 pixels: dict[str, tuple[int, int]] | None = None, *, allow_holes: bool = False,
                 furniture: tuple[int, int] = (0, 0)) -> Report:
    """The report of the laid-out issue: per page fill, holes, stories and (with `geometry`)
    every editor's rule and its figure; all diagnostics, the broken rules' included.
    `pixels`: source size of each photo by path; `allow_holes`: unfilled pages are warnings
    (also per page with `allow_holes: true`); `furniture`: grid rows of the masthead and of
    the running head (for the derived grid)."""
    pages = []
    diagnostics: list[Diagnostic] = []
    originals = originals_of(issue)
    allowed = {p.number for p in issue.pages if p.allow_holes}
    for result in results:
        diagnostics += result.diagnostics
        figures: tuple[RuleFigure, ...] = ()
        if geometry is not None and result.plan is not None:
            figures, found = evaluate_page(result, geometry, pixels or {}, originals,
                                           allow_holes=allow_holes or result.number in allowed)
            diagnostics += found
        stories = []
        covered = 0
        if result.frame is not None and result.plan is not None:
            for placement, frame in zip(result.plan.placements, result.frame.stories):
                cell = placement.cell
                covered += cell.columns * cell.rows
                bottoms = frame.column_bottoms
                stories.append(StoryReport(frame.story, (cell.column, cell.row, cell.columns, cell.rows), bottoms,
                                           frame.note, len(set(bottoms)) <= 1))
        region = result.region_rows
        fill = covered / (region * result.columns) if region else 0.0
        hole = (result.hole.rows if result.hole else 0) if result.plan else region
        pages.append(PageReport(result.number, round(fill, 4), hole, tuple(stories), result.plan.explain if result.plan else (),
                                figures))
    diagnostics += text_accounting(issue, results)
    return Report(tuple(pages), tuple(diagnostics), grid_figures(geometry, *furniture) if geometry is not None else ())


def grid_figures(geometry: PageGeometry, masthead_rows: int, running_head_rows: int) -> tuple[tuple[str, float | int], ...]:
    """The grid the style sheet derives: columns, characters a line, rows (whole type area, and
    the story region under the masthead / running head), capacity in body characters."""
    page1, inner = geometry.rows - masthead_rows, geometry.rows - running_head_rows
    per_row = geometry.columns * geometry.column_chars
    return (("columns", geometry.columns), ("column_chars", geometry.column_chars), ("gutter_chars", geometry.gutter_chars),
            ("body_size", geometry.body_size), ("line_pitch", geometry.line_pitch), ("rows", geometry.rows),
            ("rows_page1", page1), ("rows_inner", inner), ("capacity_page1", page1 * per_row),
            ("capacity_inner", inner * per_row))
