"""Laying out a whole issue: furniture, planning and setting each page, rules between stories."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, replace

from ..cache import dumps, key as cache_key, loads
from ..diagnostics import Diagnostic, Level, error, warning
from ..frames import Cell, PageFrame, Rule, StoryFrame
from ..model import Crosshead, Issue, Page, Paragraph, Story, StoryKind
from ..units import MM_PER_INCH, PT_PER_INCH
from .context import LayoutContext
from .editor_rules import MAX_CROP, MIN_JUMP_CHARS, MIN_PHOTO_PPI, RULE, body_chars, is_picture_story
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
    hole: Cell | None = None  # the largest unfilled cell (grid units, story-region origin), if the copy was short
    holes: tuple[Cell, ...] = ()  # every unfilled cell


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


def photo_sizes(issue: Issue, read_size) -> dict[str, tuple[int, int]]:
    """Source size (w, h px) of every photo, keyed by path; `read_size(path) -> (w, h)`."""
    out = {}
    for story in [s for page in issue.pages for s in page.stories] + list(issue.fillers):
        for photo in story.photos:
            w, h = read_size(photo.path)
            out[str(photo.path)] = (int(w), int(h))
    return out


def lay_out_page(ctx: LayoutContext, issue: Issue, page: Page, pixels: dict[str, tuple[int, int]],
                 stories: tuple[Story, ...] | None = None, cache: dict | None = None, optional: int = 0,
                 air: int = 0, diagnose: bool = True) -> PageResult:
    """Plan and set one page with `stories` (default: the page's own), reusing planners from
    `cache`, or read it from the build cache when its inputs are unchanged (pagecache.py).
    With `cache`, a page laid out before with the same stories and variant is taken from it.
    `diagnose` off: a jump search's candidate, judged only by `page_quality`: its stories are
    not set (frame None) and a page that cannot be planned carries no diagnostics.

    The last `optional` stories are fillers (补白) the planner may take or leave (`plan_page`);
    the result lists only those taken. `air`: spare rows a head may take beyond the usual
    (StoryPlanner), for a page that does not fill otherwise."""
    from .pagecache import cached_page

    stories = page.stories if stories is None else stories
    memo = ("page", page.number, tuple(stories), optional, air)
    if cache is not None and memo in cache and (cache[memo][1] or not diagnose):
        return cache[memo][0]
    result = cached_page(ctx, issue, page, stories, pixels,
                         lambda: _lay_out_page(ctx, issue, page, pixels, stories, cache, optional, air, diagnose),
                         variant=(optional, air))
    if cache is not None:
        cache[memo] = (result, diagnose)
    return result


def _lay_out_page(ctx: LayoutContext, issue: Issue, page: Page, pixels: dict[str, tuple[int, int]],
                  stories: tuple[Story, ...], cache: dict | None, optional: int, air: int,
                  diagnose: bool = True) -> PageResult:
    geometry = ctx.styles.page
    cache = {} if cache is None else cache
    memo = cache.setdefault(("plan-memo", page.number), {})  # plan_page's heights, shared by the page's variants
    items, top_rows = furniture(ctx, issue, page)
    region = geometry.rows - top_rows
    planners = []
    rank = 0
    for story in stories:
        # importance ranks count stories with heads: a banner does not push the lead down a tier
        key = (story, rank, air)
        if key not in cache:
            cache[key] = StoryPlanner(ctx, story, rank, tuple(pixels[str(p.path)] for p in story.photos), air)
        planners.append(cache[key])
        rank += story.kind != StoryKind.BANNER
    diagnostics: list[Diagnostic] = []
    where = f"page {page.number}"
    plan = plan_page(planners, geometry.columns, region, optional=optional, memo=memo) if planners else None
    if planners and (plan is None or plan.rows < region):
        # an editor's fallback: a short item moved from its place in the order to the foot of
        # the page (or of its side of a banner), where it fills the corner the others leave
        moved = _moved_short_item(planners, geometry.columns, region, optional, memo)
        arranged = _photo_page_order(planners, geometry.columns, region, optional, memo) if moved is None else None
        if arranged is not None:
            order, plan = arranged
            note = ("photo page (图片版): its picture stories arranged by their photos' shapes, in the order "
                    + ", ".join(stories[i].id for i in order[:len(order) - optional]))
            planners = [planners[i] for i in order]
            stories = tuple(stories[i] for i in order)
            plan = replace(plan, explain=plan.explain + (note,))
        if moved is not None:
            order, plan, i = moved
            note = f"moved a short item out of its order to fill the page: {stories[i].id!r}"
            planners = [planners[i] for i in order]
            stories = tuple(stories[i] for i in order)
            plan = replace(plan, explain=plan.explain + (note,))
    if optional and plan is not None:  # keep the fillers the plan took
        kept = [i for i, p in enumerate(plan.placements) if p is not None]
        planners = [planners[i] for i in kept]
        stories = tuple(stories[i] for i in kept)
        plan = replace(plan, placements=tuple(plan.placements[i] for i in kept))
    holes: list[Cell] = []
    if planners and not optional and (plan is None or plan.rows < region):
        # the copy cannot fill the page exactly: plan again with up to two holes the planner keeps small
        holes_ = cache.setdefault(("holes", region), [Filler(region), Filler(region)])  # one pair: memo keys by object
        with_holes = plan_page(planners + holes_, geometry.columns, region, memo=memo)
        if with_holes is not None and (plan is None or with_holes.rows > plan.rows):
            holes = [p.cell for p in with_holes.placements[-2:]]
            plan = Plan(with_holes.placements[:-2], with_holes.rows, with_holes.cost, with_holes.explain, with_holes.tree)
    if plan is not None and plan.rows < region:
        holes.append(Cell(0, plan.rows, geometry.columns, region - plan.rows))
    holes = [h for h in holes if h.rows * h.columns > 0]
    hole = max(holes, key=lambda h: (h.rows, h.columns), default=None)
    if plan is None and not diagnose:
        return PageResult(page.number, None, None, region, (), geometry.columns, stories)
    if plan is None:
        pinned = [s for s in stories if s.pin and (s.pin.column is not None or s.pin.row is not None)]
        if pinned and plan_page(planners, geometry.columns, region, honour_positions=False, memo=memo) is not None:
            conflicts = _banner_pin_conflicts(planners, geometry, region, where)
            diagnostics += conflicts
            for s in pinned if not conflicts else ():
                diagnostics.append(error("pin", s.pin.where or where, f"story {s.id!r} cannot be placed at its pinned cell "
                                         f"(column {s.pin.column}, row {s.pin.row}) with the page filled and its columns level; "
                                         "move or drop the pin"))
        elif planners:
            diagnostics += overset_causes(planners, geometry, region, where, memo)
        frame = PageFrame(page.number, geometry.trim_width, geometry.trim_height, geometry.bleed, tuple(items), ())
        return PageResult(page.number, frame if not planners else None, None, region, tuple(diagnostics), geometry.columns, stories)
    frames: list[StoryFrame] = []
    for placement in plan.placements:
        cell = placement.cell
        shifted = Cell(cell.column, cell.row + top_rows, cell.columns, cell.rows)
        if diagnose:
            frames.append(set_story(ctx, placement.arrangement, shifted))
        sid = placement.arrangement.story.id
        for block in (placement.arrangement.head, *placement.arrangement.captions):  # heads set smaller, forced breaks
            found = [_emergency(d, where, sid, cell.columns) for d in (block.diagnostics if block is not None else ())]
            diagnostics += [d for d in found if d not in diagnostics]
        if placement.arrangement.flow is not None and placement.arrangement.flow.short_last:
            diagnostics.append(warning("short-column", f"{where} / story {placement.arrangement.story.id!r}",
                                       "the last text column ends one row short of the others"))
    cells = [Cell(f.cell.column, f.cell.row, f.cell.columns, f.cell.rows) for f in frames]
    rules = _separators(ctx, cells, top_rows)
    frame = PageFrame(page.number, geometry.trim_width, geometry.trim_height, geometry.bleed,
                      tuple(items) + tuple(rules), tuple(frames)) if diagnose else None
    seen = set()
    for planner, placement in zip(planners, plan.placements):
        for finding in planner.findings(placement.arrangement.chars):
            if finding not in seen:
                seen.add(finding)
                diagnostics.append(_emergency(finding, where, planner.story.id, placement.cell.columns))
    return PageResult(page.number, frame, plan, region, tuple(diagnostics), geometry.columns, stories, hole, tuple(holes))


def _banner_pin_conflicts(planners, geometry, region: int, where: str) -> list[Diagnostic]:
    """A banner pinned at row R runs across the page with the stories listed before it above
    it (editor's rule banner-place), so each of them must end by row R: an error for each
    that is taller than R rows at every span it may take (its pinned span, or any), naming
    the banner's pin, the story, its least height and the fix."""
    out = []
    for b, banner in enumerate(planners):
        pin = banner.story.pin
        if not (_is_banner_planner(banner) and pin and pin.row):
            continue
        for planner in planners[:b]:
            story = planner.story
            spans = [story.pin.columns] if story.pin and story.pin.columns else range(1, geometry.columns + 1)
            least = min((h for c in spans for h in planner.heights(c) if h <= region), default=None)
            if least is None or least <= pin.row:
                continue
            span = min((c for c in spans if any(h == least for h in planner.heights(c))))
            pinned = f" pinned {span} columns wide" if story.pin and story.pin.columns else f" (at {span} columns)"
            chars = (least - pin.row) * span * geometry.column_chars
            out.append(error("pin", pin.where or f"{where} / story {banner.story.id!r}",
                             f"the banner {banner.story.id!r} is pinned at row {pin.row}, so the stories listed before "
                             f"it must end above it, but story {story.id!r}{pinned} is at least {least} rows tall within "
                             f"the editor's rules: move the banner's pin to row {least} or lower (the least {story.id!r} needs), or cut about {chars} "
                             f"characters from {story.id!r}"))
    return out


def _is_banner_planner(planner) -> bool:
    return planner.story.kind == StoryKind.BANNER


#: A short item (no photos, at most this many body characters, ranked after the page's first
#: MOVABLE_RANK stories, not pinned) may be moved out of its place in the page's order when the
#: page does not fill otherwise.
MOVABLE_CHARS = 400
MOVABLE_RANK = 3


def _movable(planner) -> bool:
    story = planner.story
    return (planner.importance >= MOVABLE_RANK and story.kind in (StoryKind.ARTICLE, StoryKind.BOX, StoryKind.BRIEFS)
            and not story.photos and not story.pin and not story.part_of and body_chars(story) <= MOVABLE_CHARS)


def _moved_short_item(planners, columns: int, region: int, optional: int, memo: dict | None = None):
    """(order, plan, moved index) of the cheapest exact fill with one short item (`_movable`) moved to the
    end of its run of stories (before the next banner, or before the fillers), or None."""
    n = len(planners) - optional
    banners = [i for i in range(n) if getattr(planners[i].story.kind, "value", "") == "banner"]
    found = None
    for i in range(n):
        if not _movable(planners[i]):
            continue
        end = min([b for b in banners if b > i], default=n)  # never across a banner (rule banner-place)
        if end - 1 == i:
            continue
        order = [j for j in range(i)] + [j for j in range(i + 1, end)] + [i] + list(range(end, len(planners)))
        plan = plan_page([planners[j] for j in order], columns, region, optional=optional, memo=memo)
        if plan is None or plan.rows < region or any(p is not None and p.arrangement.flow is not None and
                                                    p.arrangement.flow.short_last for p in plan.placements):
            continue  # only a move that fills the page with level columns
        if found is None or plan.cost < found[1].cost:
            found = (order, plan, i)
    return found


#: A photo page (图片版) — after the lead, only picture stories (图片新闻, editor_rules.is_picture_story)
#: — is tiled by the shapes of its photos, not by the order they are listed in: when the listed
#: order fills no page, the planner tries the orders of the picture stories after the lead (the
#: lead stays first, top left) and takes the cheapest exact fill; at most this many orders are
#: tried (all of them up to 6 picture stories, 720).
MAX_PHOTO_ORDERS = 720


def _photo_page_order(planners, columns: int, region: int, optional: int, memo: dict | None = None):
    """(order, plan) of the cheapest exact fill of a photo page with its picture stories after
    the lead in another order, or None: not a photo page (a story after the lead that is not a
    picture story, or is pinned or continued; a banner, whose place is fixed by the order —
    rule banner-place), or no order fills the page with level columns. Ties keep the order
    nearest the listed one (the first in lexicographic order)."""
    n = len(planners) - optional
    rest = list(range(1, n))
    if len(rest) < 2 or planners[0].importance != 0 or _is_banner_planner(planners[0]):
        return None
    for i in rest:
        story = planners[i].story
        if (story.kind != StoryKind.ARTICLE or not is_picture_story(story) or story.pin or story.part_of
                or story.jump_in or story.jump_out):
            return None
    found = None
    for perm in itertools.islice(itertools.permutations(rest), 1, MAX_PHOTO_ORDERS):  # the first is the listed order
        order = [0, *perm, *range(n, len(planners))]
        plan = plan_page([planners[j] for j in order], columns, region, optional=optional, memo=memo)
        if plan is None or plan.rows < region or any(p is not None and p.arrangement.flow is not None and
                                                    p.arrangement.flow.short_last for p in plan.placements):
            continue
        if found is None or plan.cost < found[1].cost:
            found = (order, plan)
    return found


#: Emergency breaks (应急断行) an editor would not print: a URL or word split where it has no
#: break point (`unbreakable-split`, from the composer) and a display head broken inside a word
#: (`head-break`), and a line spread apart before a run that cannot break (`gapped-line`,
#: text/rules.py GAP_LIMIT). The planner costs them (layout/story.py EMERGENCY_BREAK_COST, HEAD_BREAK_COST)
#: and takes any other measure or span that fills; where none does they are errors, so that
#: exit 0 means the page can be printed (issue 8).
EMERGENCY_FIXES = {
    "unbreakable-split": "give the story a wider span or column measure, or mark an editor's break in the copy "
                         "(a space, or a shorter URL); a URL may also break anywhere with `url_breaks: anywhere` "
                         "on the story",
    "head-break": "give the story a wider span, shorten the head, or mark its break with a space",
    "gapped-line": "edit the copy so the line can break (e.g. 10:00至21:00 for 10:00—21:00, or words before a "
                   "long number), or give the story a wider span or column measure",
}


def _emergency(finding: Diagnostic, where: str, story: str, columns: int) -> Diagnostic:
    """`finding` as an error naming the page, story and span if it is an emergency break
    (EMERGENCY_FIXES), else unchanged."""
    fix = EMERGENCY_FIXES.get(finding.code)
    if fix is None or finding.level == Level.ERROR:
        return finding
    return error(finding.code, finding.where, f"{where} / story {story!r} ({columns} columns): "
                 f"{finding.message}; {fix}")


#: Where a jump may cut a story (editor's rules jump-lead-part and jump-continuation).
JUMP_LEAD_PART = RULE["jump-lead-part"].threshold
JUMP_CONTINUATION = RULE["jump-continuation"].threshold


def overset_causes(planners: list[StoryPlanner], geometry, region: int, where: str,
                   memo: dict | None = None) -> list[Diagnostic]:
    """Why the stories of `planners` cannot fill a region `region` rows × the page's columns
    within the editor's rules, naming the story or photo at fault and what would help: a
    photo that fits no span (its aspect or pixels), a story that fits no cell, else the copy
    in excess (in characters) or a tiling that does not come out."""
    out: list[Diagnostic] = []
    columns = geometry.columns
    half = max(1, -(-columns // 2))
    least: dict[str, int] = {}
    for planner in planners:
        story = planner.story
        spans = range(half if planner.importance == 0 and len(planners) > 1 and story.kind != StoryKind.BANNER else 1, columns + 1)
        areas = [c * h for c in spans for h in planner.heights(c) if h <= region]
        if areas:
            least[story.id] = min(areas)
            continue
        narrow = [c for c in range(1, spans.start) if any(h <= region for h in planner.heights(c))]
        if narrow:  # the lead fits, but only narrower than half the page (rule lead-span)
            shapes = [f"{p.path.name} (aspect {w / h:.2f})" for p, (w, h) in zip(story.photos, planner.pixels)
                      if not 0.6 < w / h < 2.2]
            why = f"; its photo {', '.join(shapes)} keeps it narrow" if shapes else ""
            out.append(error("lead-span", f"{where} / story {story.id!r}", f"the lead {story.id!r} fits only spans "
                             f"{narrow} within the editor's rules{why}, and a lead spans at least {spans.start} of "
                             f"{columns} columns: give it more copy to stand beside its photos, or list another "
                             "story first"))
            continue
        bad_photo = False
        for i, photo in enumerate(story.photos):
            if not any(planner._photo_rows(i, geometry.span_width(c)) for c in range(1, columns + 1)):
                bad_photo = True
                pw, ph = planner.pixels[i]
                widest = pw * PT_PER_INCH / MIN_PHOTO_PPI
                if widest < geometry.span_width(1):
                    fix = (f"at {MIN_PHOTO_PPI:.0f} ppi its {pw} px print at most {widest / PT_PER_INCH * MM_PER_INCH:.0f} mm wide, narrower than "
                           f"one column ({geometry.span_width(1) / PT_PER_INCH * MM_PER_INCH:.0f} mm): supply at least "
                           f"{math.ceil(geometry.span_width(1) / PT_PER_INCH * MIN_PHOTO_PPI)} px across")
                else:
                    fix = (f"cropped by at most {MAX_CROP:.0%} no span of 1–{columns} columns gives it a height within "
                           f"{region} rows at {MIN_PHOTO_PPI:.0f} ppi: crop the picture, or supply more pixels")
                out.append(error("photo-fits-nowhere", f"{where} / story {story.id!r}", f"photo {photo.path.name} "
                                 f"({pw} × {ph} px, aspect {pw / ph:.2f}:1) fits no span on this page: {fix}"))
        if not bad_photo and story.photos and not planner.picture:  # the photo rules, not the copy, bind
            chars = body_chars(story)
            out.append(error("photo-share", f"{where} / story {story.id!r}", f"story {story.id!r} ({chars} characters) "
                             f"fits no cell of this page with its {len(story.photos)} photo(s): placed at least two columns "
                             "wide (rule photo-size) they take more than half of its module (rule photo-share): give it more copy, drop a photo, or mark it `picture: true`"))
        elif not bad_photo:
            chars = body_chars(story)
            out.append(error("overset", f"{where} / story {story.id!r}", f"story {story.id!r} ({chars} characters) fits no "
                             f"cell of this page ({region} rows × {columns} columns) with level columns: cut it or give it "
                             "another page"))
    for planner in planners:  # a pinned span the story cannot take within the rules
        pin, story = planner.story.pin, planner.story
        if pin and pin.columns and not any(h <= region for h in planner.heights(pin.columns)):
            spans = [c for c in range(1, columns + 1) if any(h <= region for h in planner.heights(c))]
            out.append(error("pin", pin.where or f"{where} / story {story.id!r}", f"story {story.id!r} is pinned to "
                             f"{pin.columns} columns, but within the editor's rules it fits only spans {spans}: change "
                             "or drop the pin"))
    if out:
        return out
    area = region * columns
    need = sum(least.values())
    ids = ", ".join(p.story.id for p in planners)
    if need > area:
        excess = (need - area) * geometry.column_chars
        last = planners[-1].story.id
        return [error("overset", where, f"there is more copy than {region} rows × {columns} columns hold: the stories "
                      f"({ids}) need at least {need} column-rows of {area}, about {excess} characters too many. Cut about "
                      f"{excess} characters, or move a story (e.g. {last!r}) to another page")]
    lead = next((i for i, p in enumerate(planners) if p.story.kind != StoryKind.BANNER), None)
    if lead is not None and lead + 1 < len(planners) and planners[lead + 1].story.kind == StoryKind.BANNER \
            and not planners[lead].heights(columns):
        # the banner listed after the lead runs across the page under it: the lead must span the page
        story = planners[lead].story
        spans = [c for c in range(1, columns + 1) if planners[lead].heights(c)]
        photos = f" with its {len(story.photos)} photos" if story.photos else ""
        return [error("overset", f"{where} / story {story.id!r}", f"the lead {story.id!r}{photos} cannot span the whole "
                      f"page ({columns} columns) within the editor's rules (it fits spans {spans}), but the banner "
                      f"{planners[lead + 1].story.id!r} listed after it runs across the page under it: give the lead fewer "
                      "photos or more copy, or list the banner after the stories that stand beside the lead")]
    tight = min(planners, key=lambda p: sum(1 for c in range(1, columns + 1) if p.heights(c)))
    spans = [c for c in range(1, columns + 1) if tight.heights(c)]
    held = [p.story.id for p in planners if p.story.photos and not p.picture]
    rules = (f"; the photos of {', '.join(held)} are held to at least two columns (rule photo-size) and at most half "
             "their module (rule photo-share)") if held else ""
    fix = _tiling_fix(planners, columns, region, memo)
    return [error("overset", where, f"the stories ({ids}) do not tile the page ({region} rows × {columns} columns) with "
                  f"level columns within the editor's rules, though their copy would fit (at least {need} of {area} "
                  f"column-rows); story {tight.story.id!r} fits the fewest spans ({spans}){rules}. {fix}")]


def _tiling_fix(planners: list[StoryPlanner], columns: int, region: int, memo: dict | None = None) -> str:
    """What would let a page that does not tile be planned: the smallest story (not the lead or
    a banner) without which it fills — else without which it can be planned at all — as
    "move … or cut about N characters"; else the general advice."""
    found = []
    for i, planner in enumerate(planners):
        story = planner.story
        if planner.importance == 0 or story.kind == StoryKind.BANNER or story.pin:
            continue
        plan = plan_page(planners[:i] + planners[i + 1:], columns, region, memo=memo)
        if plan is not None:
            found.append((plan.rows < region, body_chars(story), len(story.photos), story.id))
    if not found:
        return "Cut or add copy, move a story to another page, or pin a smaller span"
    short, chars, photos, sid = min(found)
    after = "; the page is then short and takes fillers or more copy" if short else ""
    what = (f"move it and its {photos} photo(s) to another page" if photos else
            f"move it to another page, or cut about {chars} characters from the page's stories")
    return f"Without story {sid!r} ({chars} characters) the page can be planned{after}: {what}"


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


def _chars_before(story: Story, keep: int, cut: int) -> int:
    """Body characters that stay on the first page when `story` is split at (keep, cut)."""
    stay = [b for b in story.body[:keep] if isinstance(b, Paragraph)]
    chars = sum(len("".join(b.text.split())) for b in stay)
    if cut:
        chars += len("".join(story.body[keep].text[:cut].split()))
    return chars


def page_quality(result: PageResult) -> tuple[int, int]:
    """(−hole area, −(short columns + a lead narrower than another story + emergency breaks)):
    (0, 0) is a page that is filled with level columns, its lead the widest (editor's rule
    lead-widest) and no URL, word or head broken where it has no break point."""
    if result.plan is None:
        return (-10**9, 0)
    placements = result.plan.placements
    shorts = sum(1 for p in placements if p.arrangement.flow is not None and p.arrangement.flow.short_last)
    spans = [p.cell.columns for s, p in zip(result.stories, placements) if s.kind != StoryKind.BANNER]
    narrow_lead = int(len(spans) > 1 and max(spans[1:]) > spans[0])
    emergencies = sum(1 for d in result.diagnostics if d.code in EMERGENCY_FIXES)
    return (-(result.hole.columns * result.hole.rows if result.hole else 0), -(shorts + narrow_lead + emergencies))


def _split_to_fit(ctx, issue, index: int, stories, pixels, cache, tries: int = 40):
    """Continue one story of page `index` on the next page so that both pages fill: the least
    important story that can be split (see `_cut_points`), first with its photos staying with
    its head, then with them following the text. Each candidate is judged on this page and on
    the next page with the continuation added. Returns (this page's result, carried stories)
    or None.

    The search is a pure function of the page, its stories, the next page and the layout
    key: a forked child laying out ahead (``ctx.foresee``, layout/ahead.py) writes what it
    found into the cache (namespace ``split``), where this process reads it back."""
    store = ctx.store
    k = _split_key(ctx, issue, index, stories, pixels, tries) if store is not None else None
    if k is not None:
        data = store.get(SPLIT_NAMESPACE, k)
        found = loads(data) if data is not None else None
        if isinstance(found, tuple) and len(found) == 2 and found[0] == SPLIT_NAMESPACE:
            kept = found[1]
            if kept is None:
                return None
            if (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], PageResult)
                    and kept[0].number == issue.pages[index].number and isinstance(kept[1], tuple)
                    and all(isinstance(s, Story) for s in kept[1])):
                return kept
    found = _search_split(ctx, issue, index, stories, pixels, cache, tries)
    if k is not None and ctx.foresee:
        data = dumps((SPLIT_NAMESPACE, found))
        if data is not None:
            store.put(SPLIT_NAMESPACE, k, data)
    return found


#: The cache namespace of jump searches' results (`_split_to_fit`).
SPLIT_NAMESPACE = "split"


def _split_key(ctx, issue, index: int, stories, pixels, tries: int) -> str:
    """Digest of everything `_search_split` reads: this page's key (pagecache.page_key: the
    furniture, the page, its stories and their photos' sizes, the layout key), the next page
    with its stories and their photos' sizes, and the number of cuts tried per story."""
    from .pagecache import page_key

    following = issue.pages[index + 1]
    sizes = [pixels[str(photo.path)] for story in following.stories for photo in story.photos]
    here = page_key(ctx, issue, issue.pages[index], stories, pixels)
    return cache_key(SPLIT_NAMESPACE, here, repr(following), sizes, tries)


def _search_split(ctx, issue, index: int, stories, pixels, cache, tries: int):
    """`_split_to_fit`'s search."""
    page, following = issue.pages[index], issue.pages[index + 1]
    best = None
    lead = next((i for i, s in enumerate(stories) if s.kind != StoryKind.BANNER), None)
    for at in range(len(stories) - 1, -1, -1):
        story = stories[at]
        if story.kind not in (StoryKind.ARTICLE, StoryKind.BOX) or story.pin or story.part_of:
            continue
        total = body_chars(story)
        if total < MIN_JUMP_CHARS:
            continue  # editor's rule jump-length
        # editor's rules jump-continuation and jump-lead-part: where the story may be cut
        low = total * JUMP_LEAD_PART if at == lead else 1
        high = total * (1 - JUMP_CONTINUATION)
        points = [(keep, cut) for keep, cut in _cut_points(story) if low <= _chars_before(story, keep, cut) <= high]
        for photos_follow in (False,):  # editor's rule jump-photos: the photos stay with the head
            for keep, cut in points[:tries]:
                first, rest = split_story(story, keep, page.number, following.number, photos_follow, cut)
                here_stories = stories[:at] + (first,) + stories[at + 1:]
                result = lay_out_page(ctx, issue, page, pixels, here_stories, cache, diagnose=False)
                if result.plan is None:
                    continue
                here = page_quality(result)
                there = page_quality(lay_out_page(ctx, issue, following, pixels, tuple(following.stories) + (rest,), cache,
                                                  diagnose=False)) \
                    if here == (0, 0) else (-10**9, 0)
                score = (here, there)
                if score == ((0, 0), (0, 0)):
                    return lay_out_page(ctx, issue, page, pixels, here_stories, cache), (rest,)
                if best is None or score > best[2]:
                    best = (here_stories, (rest,), score)
        if best is not None and best[2][0] == (0, 0):
            break
    if best is None:
        return None
    return lay_out_page(ctx, issue, page, pixels, best[0], cache), best[1]  # the candidate chosen, set


def lay_out_issue(ctx: LayoutContext, issue: Issue, pixels: dict[str, tuple[int, int]],
                  workers: int | None = 1) -> tuple[PageResult, ...]:
    """Every page of the issue, in order. A page whose copy does not fit continues its least
    important splittable story on the next page (转版), with jump lines at both ends.

    `workers` other than 1 (None: when the machine has a second core): the stories of the
    later pages are measured meanwhile by a forked process (layout/ahead.py); the result is
    the same either way."""
    from .ahead import start

    ahead = start(ctx, issue, pixels, workers)
    try:
        return _pages_in_order(ctx, issue, pixels, ahead)
    finally:
        ahead.stop()  # never leave the child behind (an error, Ctrl-C, a page cut short)


def _pages_in_order(ctx: LayoutContext, issue: Issue, pixels: dict[str, tuple[int, int]], ahead) -> tuple[PageResult, ...]:
    results = []
    carried: tuple[Story, ...] = ()
    cache: dict = {}
    pool = list(issue.fillers)  # 补白 not yet placed, in the editor's order
    for i, page in enumerate(issue.pages):
        if i:
            _release_done(ctx, issue, i, cache, carried, pool)
        if i == ahead.split:
            ahead.wait()  # the later pages' layouts are in the cache now
        elif i < ahead.split:
            ahead.reach(i, bool(carried))  # the child may be setting this page (taking over)
        result, carried, pool = lay_out_one(ctx, issue, i, tuple(page.stories) + carried, pixels, cache, pool)
        results.append(result)
    return tuple(results)


def lay_out_one(ctx: LayoutContext, issue: Issue, i: int, stories: tuple[Story, ...],
                pixels: dict[str, tuple[int, int]], cache: dict, pool: list[Story]):
    """Page index `i` with `stories` (its own and any carried onto it) and the fillers still
    in `pool`: its first try, then the editor's fallbacks, then a jump. Returns (the page,
    the stories carried onto the next page, the pool left)."""
    page = issue.pages[i]
    result = lay_out_page(ctx, issue, page, pixels, stories, cache)
    carried: tuple[Story, ...] = ()
    for air in (0, HEAD_AIR):
        # the editor's fallbacks for a page that does not fill cleanly, cheapest first: short
        # items from the filler pool; then more air around the heads, alone or with fillers
        if page_quality(result) == (0, 0):
            break
        if air:
            roomy = lay_out_page(ctx, issue, page, pixels, stories, cache, air=air)
            if page_quality(roomy) == (0, 0):
                result = roomy
                break
        if pool:
            filled = _fill_from_pool(ctx, issue, page, stories, pixels, cache, pool, air)
            if filled is not None:
                result = filled
                used = {s.id for s in result.stories}
                pool = [f for f in pool if f.id not in used]
    if page_quality(result) != (0, 0) and i + 1 < len(issue.pages):
        # overset, or a page that cannot be tiled exactly or only with a short column:
        # continuing a story on the next page may fill it; an overset page takes the best
        # split, a holed or short one only one that fills it cleanly (a story never jumps
        # off a page that stays short)
        split = _split_to_fit(ctx, issue, i, stories, pixels, cache)
        if split is not None and (result.plan is None or page_quality(split[0]) == (0, 0)):
            result, carried = split
    return result, carried, pool


def _release_done(ctx: LayoutContext, issue: Issue, i: int, cache: dict, carried, pool) -> None:
    """Let go of what pages before page index `i` needed and later pages do not, so that
    the layout's memory stays that of one page's search plus the pages set, whatever the
    issue's length: their variants and plan memos in `cache`, the story planners of stories
    no later page, carried part or filler can take (each holds its story measured at every
    span tried), after writing their measurements to the store (`LayoutContext.flush`), and
    the paragraphs composed at measures the pages do not use (`release_paragraphs`).
    Only memos are dropped: what is laid out is the same. (The composer's prepared
    paragraphs are an LRU of bounded size already: compose.PREPARED_MEMO_SIZE.)"""
    number = issue.pages[i].number
    live = {id(s) for page in issue.pages[i:] for s in page.stories}
    live.update(id(s) for s in carried)
    live.update(id(s) for s in pool)
    for key in list(cache):
        head = key[0]
        if head == "page" or head == "plan-memo":
            if key[1] < number:
                del cache[key]
        elif isinstance(head, Story) and id(head) not in live:
            del cache[key]
    if ctx.store is not None:
        ctx.flush()
    ctx.release_paragraphs()


#: Fillers (补白) offered to one page's search at a time, in the pool's order.
POOL_OFFER = 6


#: Spare rows a head may take beyond the usual two when a page does not fill otherwise.
HEAD_AIR = 2


def _fill_from_pool(ctx, issue, page, stories, pixels, cache, pool, air: int = 0) -> PageResult | None:
    """The page with fillers (补白) from `pool` added at its foot of importance — the planner
    takes any of the first POOL_OFFER, as few as fill the page (`plan_page`'s optional
    stories) — if that fills it with level columns, else None. The plan's explanation names
    the fillers used."""
    offer = tuple(pool[:POOL_OFFER])
    result = lay_out_page(ctx, issue, page, pixels, tuple(stories) + offer, cache, optional=len(offer), air=air)
    if result.plan is None or page_quality(result) != (0, 0):
        return None
    used = [s.id for s in result.stories if s in offer]
    note = "filled from the pool (补白): " + ", ".join(used)
    plan = replace(result.plan, explain=result.plan.explain + (note,))
    return replace(result, plan=plan)
