"""Laying out a whole issue: furniture, planning and setting each page, rules between stories."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, error, warning
from ..frames import Cell, PageFrame, Rule, StoryFrame
from ..model import Crosshead, Issue, Page, Paragraph, Story, StoryKind
from .context import LayoutContext
from .page import furniture
from .plan import Filler, Plan, plan_page
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
    stories: tuple[Story, ...] = ()  # the stories planned here, parts of continued stories included
    hole: Cell | None = None  # an unfilled cell (grid units, story-region origin), if the copy was short


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
                w, h = read_size(photo.path)
                out[str(photo.path)] = w / h
    return out


def lay_out_page(ctx: LayoutContext, issue: Issue, page: Page, aspects: dict[str, float],
                 stories: tuple[Story, ...] | None = None, cache: dict | None = None) -> PageResult:
    """Plan and set one page with `stories` (default: the page's own), reusing planners from `cache`."""
    geometry = ctx.styles.page
    stories = page.stories if stories is None else stories
    cache = {} if cache is None else cache
    items, top_rows = furniture(ctx, issue, page)
    region = geometry.rows - top_rows
    planners = []
    rank = 0
    for story in stories:
        # importance ranks count stories with heads: a banner does not push the lead down a tier
        key = (story, rank)
        if key not in cache:
            cache[key] = StoryPlanner(ctx, story, rank, tuple(aspects[str(p.path)] for p in story.photos))
        planners.append(cache[key])
        rank += story.kind != StoryKind.BANNER
    diagnostics: list[Diagnostic] = []
    where = f"page {page.number}"
    plan = plan_page(planners, geometry.columns, region) if planners else None
    holes: list[Cell] = []
    if planners and (plan is None or plan.rows < region):
        # the copy cannot fill the page exactly: plan again with up to two holes the planner keeps small
        with_holes = plan_page(planners + [Filler(region), Filler(region)], geometry.columns, region)
        if with_holes is not None and (plan is None or with_holes.rows > plan.rows):
            holes = [p.cell for p in with_holes.placements[-2:]]
            plan = Plan(with_holes.placements[:-2], with_holes.rows, with_holes.cost, with_holes.explain, with_holes.tree)
    if plan is not None and plan.rows < region:
        holes.append(Cell(0, plan.rows, geometry.columns, region - plan.rows))
    holes = [h for h in holes if h.rows * h.columns > 0]
    hole = max(holes, key=lambda h: (h.rows, h.columns), default=None)
    if plan is None:
        pinned = [s for s in stories if s.pin and (s.pin.column is not None or s.pin.row is not None)]
        if pinned and plan_page(planners, geometry.columns, region, honour_positions=False) is not None:
            for s in pinned:
                diagnostics.append(error("pin", s.pin.where or where, f"story {s.id!r} cannot be placed at its pinned cell "
                                         f"(column {s.pin.column}, row {s.pin.row}) with the page filled and its columns level; "
                                         "move or drop the pin"))
        elif planners:
            ids = ", ".join(s.id for s in stories)
            diagnostics.append(error("overset", where, f"the stories ({ids}) cannot be set on the page with level columns: "
                                     f"there is more copy than {region} rows × {geometry.columns} columns hold, or a pin cannot be met. "
                                     "Move a story to another page or cut copy."))
        frame = PageFrame(page.number, geometry.trim_width, geometry.trim_height, geometry.bleed, tuple(items), ())
        return PageResult(page.number, frame if not planners else None, None, region, tuple(diagnostics), geometry.columns, stories)
    frames: list[StoryFrame] = []
    for placement in plan.placements:
        cell = placement.cell
        shifted = Cell(cell.column, cell.row + top_rows, cell.columns, cell.rows)
        frames.append(set_story(ctx, placement.arrangement, shifted))
        if placement.arrangement.flow is not None and placement.arrangement.flow.short_last:
            diagnostics.append(warning("short-column", f"{where} / story {placement.arrangement.story.id!r}",
                                       "the last text column ends one row short of the others"))
    for h in holes:
        diagnostics.append(warning("hole", where, f"the copy does not fill the page: a hole of {h.columns} columns × {h.rows} rows "
                                   f"at column {h.column}, row {h.row}; add copy or a photo, or move a story here"))
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
    return PageResult(page.number, frame, plan, region, tuple(diagnostics), geometry.columns, stories, hole)


def split_story(story: Story, keep: int, here: int, there: int, photos_follow: bool = False,
                cut: int = 0) -> tuple[Story, Story]:
    """转版: the first `keep` body blocks stay on page `here` ending in （下转第N版）; the rest
    continue on page `there` under a 接版题 (the story's head again) with （上接第N版）. The
    photos stay with the head unless `photos_follow`. With `cut` > 0 the paragraph
    body[keep] is split too: its first `cut` characters (whole sentences) stay, the rest
    continues without an indent."""
    stay, go = list(story.body[:keep]), list(story.body[keep:])
    if cut:
        para = go.pop(0)
        stay.append(replace(para, text=para.text[:cut]))
        go.insert(0, replace(para, text=para.text[cut:], continued=True))
    first = replace(story, body=tuple(stay), source="", jump_out=there,
                    photos=() if photos_follow else story.photos)
    rest = replace(story, id=f"{story.id}-cont", kicker="", subhead="", byline="", dateline="",
                   body=tuple(go), photos=story.photos if photos_follow else (),
                   jump_in=here, part_of=story.id, pin=None)
    return first, rest


#: Where a paragraph may be cut for a jump: after a sentence-ending mark (and its closing quote).
_SENTENCE_END = re.compile(r"[。！？…][”’）]*")


def _cut_points(story: Story) -> list[tuple[int, int]]:
    """(keep, cut) split points of a story's body: first the paragraph boundaries (cut 0),
    last first, then the sentence ends inside paragraphs (body[keep] cut after `cut`
    characters), last first — finer steps for when no boundary lets both pages fill."""
    bounds = [(keep, 0) for keep in range(len(story.body) - 1, 0, -1)
              if not isinstance(story.body[keep - 1], Crosshead)]  # a crosshead never ends the part that stays
    inside = []
    for keep in range(len(story.body) - 1, -1, -1):
        block = story.body[keep]
        if isinstance(block, Paragraph):
            ends = [m.end() for m in _SENTENCE_END.finditer(block.text) if 0 < m.end() < len(block.text)]
            inside += [(keep, cut) for cut in reversed(ends)]
    return bounds + inside


def _quality(result: PageResult) -> tuple[int, int]:
    """(−hole area, −short columns): (0, 0) is a page that is filled with level columns."""
    if result.plan is None:
        return (-10**9, 0)
    shorts = sum(1 for p in result.plan.placements if p.arrangement.flow is not None and p.arrangement.flow.short_last)
    return (-(result.hole.columns * result.hole.rows if result.hole else 0), -shorts)


def _split_to_fit(ctx, issue, index: int, stories, aspects, cache, tries: int = 40):
    """Continue one story of page `index` on the next page so that both pages fill: the least
    important story that can be split (see `_cut_points`), first with its photos staying with
    its head, then with them following the text. Each candidate is judged on this page and on
    the next page with the continuation added. Returns (this page's result, carried stories)
    or None."""
    page, following = issue.pages[index], issue.pages[index + 1]
    best = None
    for at in range(len(stories) - 1, -1, -1):
        story = stories[at]
        if story.kind not in (StoryKind.ARTICLE, StoryKind.BOX) or story.pin:
            continue
        for photos_follow in ((False, True) if story.photos else (False,)):
            for keep, cut in _cut_points(story)[:tries]:
                first, rest = split_story(story, keep, page.number, following.number, photos_follow, cut)
                result = lay_out_page(ctx, issue, page, aspects, stories[:at] + (first,) + stories[at + 1:], cache)
                if result.plan is None:
                    continue
                here = _quality(result)
                there = _quality(lay_out_page(ctx, issue, following, aspects, tuple(following.stories) + (rest,), cache)) \
                    if here == (0, 0) else (-10**9, 0)
                score = (here, there)
                if score == ((0, 0), (0, 0)):
                    return result, (rest,)
                if best is None or score > best[2]:
                    best = (result, (rest,), score)
        if best is not None and best[2][0] == (0, 0):
            return best[:2]
    return best[:2] if best is not None else None


def lay_out_issue(ctx: LayoutContext, issue: Issue, aspects: dict[str, float], workers: int = 1) -> tuple[PageResult, ...]:
    """Every page of the issue, in order. A page whose copy does not fit continues its least
    important splittable story on the next page (转版), with jump lines at both ends.

    With `workers` > 1 the pages are first planned side by side in forked processes (each
    page is a pure function of its stories); pages that overflow and the pages receiving
    their continuations are then redone in order. The result is the same either way."""
    first = _first_pass(ctx, issue, aspects, workers)
    results = []
    carried: tuple[Story, ...] = ()
    cache: dict = {}
    for i, page in enumerate(issue.pages):
        stories = tuple(page.stories) + carried
        result = first[i] if not carried and first[i] is not None else lay_out_page(ctx, issue, page, aspects, stories, cache)
        carried = ()
        if (result.plan is None or result.hole is not None) and i + 1 < len(issue.pages):
            # overset, or a page that cannot be tiled exactly: continuing a story on the next
            # page may fill it; an overset page takes the best split, a holed one only a clean one
            split = _split_to_fit(ctx, issue, i, stories, aspects, cache)
            if split is not None and (result.plan is None or split[0].hole is None):
                result, carried = split
        results.append(result)
    return tuple(results)


def _first_pass(ctx: LayoutContext, issue: Issue, aspects: dict[str, float], workers: int) -> list[PageResult | None]:
    """Each page planned with its own stories only, in parallel where that pays."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    count = len(issue.pages)
    if workers <= 1 or count < 4 or "fork" not in multiprocessing.get_all_start_methods():
        return [None] * count
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_worker_init, initargs=(ctx, issue, aspects)) as pool:
        return list(pool.map(_worker_page, range(count), chunksize=1))


_WORKER: dict = {}  # per forked worker process only: the context it plans with


def _worker_init(ctx: LayoutContext, issue: Issue, aspects: dict[str, float]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no worker tracebacks
    _WORKER.update(ctx=ctx, issue=issue, aspects=aspects)


def _worker_page(index: int) -> PageResult:
    issue = _WORKER["issue"]
    return lay_out_page(_WORKER["ctx"], issue, issue.pages[index], _WORKER["aspects"])
