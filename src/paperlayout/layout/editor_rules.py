"""The layout editor's rules (版面编辑规范): what an editor checks on a planned page, as a table.

Each row names a rule, what is measured (with its unit), the threshold, whether the figure
must be at least (``min``) or at most (``max``) the threshold, how bad breaking it is, and
why an editor holds to it. `evaluate_page` measures every rule on one planned page and
returns a figure per rule and a Diagnostic per offending story. The planner (layout/story.py,
layout/plan.py, layout/issue.py) searches only inside these rules where it can; this module
is the independent check of its result, run by `check` and `build` alike.

Sources: the house practice summarised in shared/design/ARCHITECTURE.md ("The grid and the
planner") and issue 9; 《报纸编辑学》 on 头条, 转版 and 补白; press practice for image
resolution (150 ppi at 85 lpi newsprint screens: twice the screen ruling less the usual
allowance, below which halftones visibly pixelate).

Units: rows are grid rows of the type area (`PageGeometry.line_pitch`), columns are basic
columns, lengths pt; the story region's origin is its top-left corner (row 0 is the first row
below the masthead or running head).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Level
from ..frames import Picture, TextLine
from ..model import Paragraph, Story, StoryKind
from ..units import MM_PER_INCH, PT_PER_INCH

if TYPE_CHECKING:
    from ..model import Issue
    from ..styles import PageGeometry
    from .issue import PageResult


@dataclass(frozen=True, slots=True)
class EditorRule:
    """One rule: `figure` compared with `threshold` — ``min``: figure ≥ threshold holds;
    ``max``: figure ≤ threshold holds."""

    name: str
    measure: str
    threshold: float
    compare: str
    severity: Level
    why: str

    def holds(self, figure: float) -> bool:
        eps = 1e-9
        return figure >= self.threshold - eps if self.compare == "min" else figure <= self.threshold + eps


#: Longest body measure, in basic columns (each a column and its gutter): two basic columns and the
#: gutter between them — 27 characters on the 对开 grid of 13-character columns.
MAX_BODY_COLUMNS = 2.0
#: Narrowest photo, in basic columns: two, less two characters of slack for a box's inset or a
#: 变栏 measure (1.8 × 14 − 1 = 24.2 characters ≈ 77 mm on 对开; 1.8 × 13 − 1 = 22.4 ≈ 71 mm on 四开).
MIN_PHOTO_COLUMNS = 1.8
#: The lead's widest row of photos spans at least this share of the lead's width.
MIN_LEAD_PHOTO_SHARE = 1 / 3
#: Text columns beside a photo (side mode) are at least a basic column wide, in basic columns.
MIN_SIDE_TEXT_COLUMNS = 1.0
#: Text columns beside side photos, per column the photos take: a photo at most twice as wide as the
#: text beside it (a 2-column photo beside one column of a 3-column story is common practice; a
#: 4- or 5-column photo beside one column is not).
MIN_SIDE_TEXT_SHARE = 0.5
#: Minimum text rows in each column of a story set in two or more columns.
MIN_COLUMN_LINES = 4
#: Minimum effective resolution of a photo at its placed size, ppi.
MIN_PHOTO_PPI = 150.0
#: Largest share of a photo's source image that may be cut away to fit its placed aspect.
MAX_CROP = 0.15
#: Largest share of a story's module its photos may take (picture stories excepted).
MAX_PHOTO_SHARE = 0.5
#: Shortest story that may jump (转版), characters of body.
MIN_JUMP_CHARS = 1000
#: A panorama (aspect w/h at least this) spans at least half the page's columns.
PANORAMA_ASPECT = 2.2
#: A portrait (aspect w/h at most this) spans at most two columns.
PORTRAIT_ASPECT = 0.6


def in_columns(chars: float, geometry: PageGeometry) -> float:
    """A measure of `chars` characters in basic columns: (chars + gutter) / (column + gutter),
    so that k basic columns and their k − 1 gutters are exactly k."""
    step = geometry.column_chars + geometry.gutter_chars
    return (chars + geometry.gutter_chars) / step


def max_body_chars(geometry: PageGeometry) -> int:
    """The longest body measure the grid allows, characters (editor's rule body-measure):
    MAX_BODY_COLUMNS basic columns and their gutter — 27 on 13-character columns."""
    step = geometry.column_chars + geometry.gutter_chars
    return int(MAX_BODY_COLUMNS * step - geometry.gutter_chars + 1e-9)


def photo_size(width: float, aspect: float, geometry: PageGeometry) -> float:
    """A photo's size for editor's rule photo-size: its `width` (pt) in basic columns, a
    portrait's (source `aspect` w/h ≤ PORTRAIT_ASPECT) counted double — a tall picture one
    column wide is as large as a landscape two columns wide, and the rule photo-span keeps
    portraits to one or two columns."""
    cols = in_columns(width / geometry.char, geometry)
    return cols * 2 if aspect <= PORTRAIT_ASPECT else cols


def photo_span_ok(aspect: float, width: float, geometry: PageGeometry) -> bool:
    """True if a photo of source `aspect` (w/h) may be placed `width` pt wide (editor's rule
    photo-span; one character of slack for 变栏 measures)."""
    if aspect >= PANORAMA_ASPECT:
        return width >= geometry.span_width(-(-geometry.columns // 2)) - geometry.char - 1e-6
    if aspect <= PORTRAIT_ASPECT:
        return width <= geometry.span_width(2) + geometry.char + 1e-6
    return True

RULES: tuple[EditorRule, ...] = (
    EditorRule("column-lines", "fewest lines of text in a column of a story set in two or more columns (separators, "
               "crossheads, bylines and source lines not counted)", MIN_COLUMN_LINES, "min",
               Level.ERROR, "a column of one to three lines reads as debris, not text; a short story takes fewer "
               "columns (one sentence is one column)"),
    EditorRule("photo-ppi", "lowest effective resolution of a photo at its placed size, ppi", MIN_PHOTO_PPI, "min",
               Level.ERROR, "below 150 ppi a newsprint halftone (85 lpi) shows pixels; a photo is never enlarged "
               "beyond what its pixels carry"),
    EditorRule("photo-crop", "largest share of a photo's source image cut away to fit its placed aspect", MAX_CROP, "max",
               Level.ERROR, "the photographer framed the picture; more than 15 % cut away changes what it shows"),
    EditorRule("photo-size", "narrowest photo, in basic columns (a column and its gutter each; a portrait, aspect "
               "≤ 0.6, counted double)", MIN_PHOTO_COLUMNS,
               "min", Level.ERROR, "a photo under two basic columns (about 75–80 mm) is a stamp: the reader cannot see "
               "what it shows, and at newsprint's 85 lpi its detail is lost; a picture too small to read is left "
               "out, not shrunk (a tall portrait one column wide is as large as a landscape two wide)"),
    EditorRule("lead-photo", "the lead's widest row of photos (one photo, or photos side by side) as a share of "
               "the lead's width", MIN_LEAD_PHOTO_SHARE, "min",
               Level.ERROR, "the lead's picture is the page's main picture: under a third of the lead's width it "
               "reads as a thumbnail beside the page's largest headline"),
    EditorRule("photo-share", "largest share of a story's module taken by its photos (picture stories excepted)",
               MAX_PHOTO_SHARE, "max", Level.ERROR, "a photo illustrates its story; blown up past half the module it is "
               "filler, bought with the reader's attention"),
    EditorRule("side-measure", "narrowest text column set beside a photo, in basic columns", MIN_SIDE_TEXT_COLUMNS,
               "min", Level.ERROR, "text squeezed into columns narrower than the basic column beside a big picture "
               "breaks every few characters and reads as a caption; the picture gives way, not the text"),
    EditorRule("side-text", "text columns beside a story's side photos per column the photos take", MIN_SIDE_TEXT_SHARE,
               "min", Level.ERROR, "a picture with the story squeezed into a column or two beside it is larger than "
               "the text it illustrates (the proofs showed 5-column photos beside one column of a lead); beside a "
               "photo the text keeps at least half as many columns as the photo takes"),
    EditorRule("body-measure", "longest body line measure, in basic columns (a column and its gutter each; picture "
               "stories, whose lines are a caption under their photos, excepted)",
               MAX_BODY_COLUMNS, "max", Level.ERROR, "past about 25–30 characters the eye loses the next line's start "
               "(the comfortable CJK body measure is 15–30 characters); 变栏 widens a column to at most two basic "
               "columns — a short story takes a narrow cell instead"),
    EditorRule("photo-span", "photos placed against their shape: a panorama (aspect ≥ 2.2) narrower than half the "
               "page, a portrait (aspect ≤ 0.6) wider than two columns", 0, "max", Level.ERROR,
               "a panorama shrunk into a narrow column shows nothing; a tall picture blown across the page is "
               "mostly crop or filler"),
    EditorRule("lead-top", "rows between the lead's top edge and the top of the story region (or the foot of a "
               "banner listed before it)", 0, "max", Level.ERROR,
               "the lead (头条) opens the page at its top"),
    EditorRule("lead-span", "the lead's span as a share of the page's columns", 0.5, "min", Level.ERROR,
               "the lead is the page's main module: at least half the page wide"),
    EditorRule("lead-widest", "columns by which the widest other story is wider than the lead", 0, "max", Level.ERROR,
               "no story outranks the lead in width"),
    EditorRule("jump-length", "body characters of the shortest story that jumps (转版)", MIN_JUMP_CHARS, "min", Level.ERROR,
               "a jump costs the reader a page turn; only a long story is worth it"),
    EditorRule("jump-lead-part", "share of the lead's body set before its jump", 1 / 3, "min", Level.ERROR,
               "the lead is read on its page: at least a third of it before it jumps"),
    EditorRule("jump-continuation", "share of a jumped story's body in its continuation", 0.25, "min", Level.ERROR,
               "a continuation of a few lines under a repeated head is not worth the reader's page turn"),
    EditorRule("jump-photos", "photos of a jumped story set with its continuation", 0, "max", Level.ERROR,
               "the photos stay with the head, where the reader meets the story (and on a colour page)"),
    EditorRule("briefs-level", "spread of the last lines of a briefs story's columns, rows", 1, "max", Level.ERROR,
               "the columns of a briefs box end level, as every story's do"),
    EditorRule("banner-place", "stories out of their order around a banner (listed before it but below it, or after "
               "it but above it)", 0, "max", Level.ERROR, "the banner divides the page where the issue puts it"),
    EditorRule("page-fill", "share of the story region left empty", 0, "max", Level.ERROR,
               "a page is filled with copy, not holes; short copy is reported, never faked (an editor may "
               "allow holes for a proof)"),
)

RULE = {rule.name: rule for rule in RULES}


@dataclass(frozen=True, slots=True)
class RuleFigure:
    """One rule measured on one page: the figure (None: nothing to measure, e.g. no photos),
    its threshold, whether it holds, and the story with the worst figure."""

    rule: str
    figure: float | None
    threshold: float
    holds: bool
    story: str = ""


def body_chars(story: Story) -> int:
    """Characters of body copy (paragraphs and briefs items; no heads, captions or spaces)."""
    blocks = [b for b in story.body if isinstance(b, Paragraph)] + list(story.items)
    return sum(len("".join(b.text.split())) for b in blocks)


def is_picture_story(story: Story) -> bool:
    """A picture story (图片新闻): photos with captions and little or no body — its photos may
    take the module."""
    return bool(story.photos) and (story.picture or body_chars(story) < 120 * len(story.photos))


def photo_figures(w: float, h: float, pixels: tuple[int, int]) -> tuple[float, float]:
    """(effective ppi, share cut away) of a photo of `pixels` (w, h px) placed at w × h pt,
    cropped to cover the box (the renderer's rule)."""
    pw, ph = pixels
    ppi = min(pw * PT_PER_INCH / w, ph * PT_PER_INCH / h)
    ratio = (w / h) / (pw / ph)
    return ppi, 1.0 - min(ratio, 1.0 / ratio)


def _lead_index(stories: tuple[Story, ...]) -> int | None:
    for i, story in enumerate(stories):
        if story.kind != StoryKind.BANNER:
            return i
    return None


def evaluate_page(result: PageResult, geometry: PageGeometry, pixels: dict[str, tuple[int, int]],
                  originals: dict[str, Story], *, allow_holes: bool = False) -> tuple[tuple[RuleFigure, ...], tuple[Diagnostic, ...]]:
    """Every rule of `RULES` on one planned page.

    `pixels`: source size (w, h px) of each photo by path; `originals`: each story as the
    issue gives it, by id (for jumps: the parts are measured against the whole). With
    `allow_holes` an unfilled page is a warning, not an error. Returns the figures in the
    order of `RULES` and the diagnostics of broken rules (one per offending story).
    """
    worst: dict[str, tuple[float, str]] = {}
    findings: list[Diagnostic] = []
    where = f"page {result.number}"

    def measure(name: str, figure: float, story: str, detail: str) -> None:
        rule = RULE[name]
        old = worst.get(name)
        better = (lambda a, b: a < b) if rule.compare == "min" else (lambda a, b: a > b)
        if old is None or better(figure, old[0]):
            worst[name] = (figure, story)
        if not rule.holds(figure):
            level = rule.severity
            if name == "page-fill" and allow_holes:
                level = Level.WARNING
            place = f"{where} / story {story!r}" if story else where
            findings.append(Diagnostic(level, name, place, f"{detail} [rule {name}: {rule.measure} "
                                       f"{'≥' if rule.compare == 'min' else '≤'} {_fmt(rule.threshold)}]"))

    plan, frame = result.plan, result.frame
    placements = plan.placements if plan is not None else ()
    stories = result.stories
    frames = {f.story: f for f in frame.stories} if frame is not None and plan is not None else {}
    cells = {}
    for story, placement in zip(stories, placements):
        arr, cell = placement.arrangement, placement.cell
        cells[story.id] = cell
        # column-lines
        if arr.flow is not None and arr.text_columns > 1 and arr.heights:
            fewest = min(arr.flow.text_lines())
            measure("column-lines", fewest, story.id, f"a text column holds {fewest} lines in {arr.text_columns} columns; "
                    "set the story in fewer columns or give it more copy")
        # measures: no body line wider than two basic columns; no text column beside a photo narrower than one
        picture = is_picture_story(originals.get(story.part_of or story.id, story))
        if arr.flow is not None and arr.chars and not picture:  # a picture story's lines are its caption
            wide = round(in_columns(arr.chars, geometry), 3)
            measure("body-measure", wide, story.id, f"the body is set {arr.chars} characters wide ({wide:g} basic "
                    f"columns); set it in narrower columns, or give the story a narrower cell")
        if arr.flow is not None and arr.chars and arr.mode == "side":
            narrow = round(in_columns(arr.chars, geometry), 3)
            measure("side-measure", narrow, story.id, f"the text beside the photo is set {arr.chars} characters "
                    f"wide, narrower than a basic column ({geometry.column_chars})")
            taken = arr.photos[0].columns if arr.photos else 0
            if taken:
                beside = round((arr.text_columns - taken) / taken, 3)
                measure("side-text", beside, story.id, f"the photo takes {taken} of {arr.text_columns} text columns, "
                        f"leaving {arr.text_columns - taken} beside it: set it narrower or across the top")
        # photos
        sf = frames.get(story.id)
        pictures = [it for it in sf.items if isinstance(it, Picture)] if sf else []
        area = 0.0
        for pic, photo in zip(pictures, story.photos):
            size = pixels.get(str(photo.path)) or pixels.get(pic.path)
            if size is None:
                continue
            ppi, cut = photo_figures(pic.w, pic.h, size)
            name = photo.path.name
            if not photo.placeholder:  # a placeholder (placeholder.py) has no pixels and no image to cut
                measure("photo-ppi", round(ppi, 1), story.id, f"photo {name} ({size[0]} × {size[1]} px) is placed at "
                        f"{pic.w / PT_PER_INCH * MM_PER_INCH:.0f} × {pic.h / PT_PER_INCH * MM_PER_INCH:.0f} mm: {ppi:.0f} ppi; place it smaller or supply "
                        f"at least {size[0] * MIN_PHOTO_PPI / ppi:.0f} px across")
                measure("photo-crop", round(cut, 3), story.id, f"photo {name} (aspect {size[0] / size[1]:.2f}) is placed at "
                        f"aspect {pic.w / pic.h:.2f}: {cut:.0%} of the image cut away")
            area += pic.w * pic.h
            size_cols = round(photo_size(pic.w, size[0] / size[1], geometry), 3)
            measure("photo-size", size_cols, story.id, f"photo {name} is placed {pic.w / 72 * 25.4:.0f} × "
                    f"{pic.h / 72 * 25.4:.0f} mm ({in_columns(pic.w / geometry.char, geometry):.2g} basic columns): "
                    "place it at least two columns wide (a portrait one) or leave it out")
            against = not photo_span_ok(size[0] / size[1], pic.w, geometry)
            measure("photo-span", int(against), story.id, f"photo {name} (aspect {size[0] / size[1]:.2f}) is placed "
                    f"{pic.w / PT_PER_INCH * MM_PER_INCH:.0f} mm wide: a panorama spans at least half the page, a portrait one or two columns")
        if pictures and not picture:
            module = geometry.span_width(cell.columns) * cell.rows * geometry.line_pitch
            share = area / module
            measure("photo-share", round(share, 3), story.id, f"the photos take {share:.0%} of the story's module "
                    f"({cell.columns} columns × {cell.rows} rows); mark it `picture: true` if it is a picture story")
        # briefs-level
        if story.kind == StoryKind.BRIEFS and sf is not None:
            texts = [it for it in sf.items if isinstance(it, TextLine) and it.role in ("body", "source", "jump")]
            lefts = sorted({round(it.x, 1) for it in texts if it.role == "body"})
            bottoms: dict[float, float] = defaultdict(float)
            for it in texts:  # a column: from its body lines' left edge to the next column's
                left = max((x for x in lefts if x <= it.x + 0.05), default=lefts[0] if lefts else 0.0)
                bottoms[left] = max(bottoms[left], it.y)
            if len(bottoms) > 1:
                spread = round((max(bottoms.values()) - min(bottoms.values())) / geometry.line_pitch, 2)
                measure("briefs-level", spread, story.id, f"the briefs columns end {spread:g} rows apart")
        # jumps: measured where the story jumps out, against the whole story
        if story.jump_out is not None:
            whole = originals.get(story.id, story)
            total = body_chars(whole)
            first = body_chars(story)
            measure("jump-length", total, story.id, f"a story of {total} characters jumps to page {story.jump_out}; "
                    f"only stories of {MIN_JUMP_CHARS} or more may: cut the page's copy or move a story")
            if total:
                rest = total - first
                measure("jump-continuation", round(rest / total, 3), story.id, f"only {rest} of {total} characters "
                        f"continue on page {story.jump_out}")
                if _lead_index(stories) is not None and stories[_lead_index(stories)].id == story.id:
                    measure("jump-lead-part", round(first / total, 3), story.id, f"the lead jumps after {first} of "
                            f"{total} characters")
        if story.jump_in is not None:
            measure("jump-photos", len(story.photos), story.id, f"{len(story.photos)} photo(s) follow the jump to the "
                    f"continuation on page {result.number}")
    # the lead
    lead = _lead_index(stories)
    ranked = sum(s.kind != StoryKind.BANNER for s in stories)
    if lead is not None and lead < len(placements) and ranked > 1:  # a story alone is judged by page-fill
        cell = placements[lead].cell
        lid = stories[lead].id
        # the top: row 0, or under the banners the issue lists before the lead
        top = max((placements[b].cell.row + placements[b].cell.rows for b in range(lead)), default=0)
        measure("lead-top", cell.row - top, lid, f"the lead starts at row {cell.row}, not at the top of the page")
        measure("lead-span", round(cell.columns / result.columns, 3), lid, f"the lead spans {cell.columns} of "
                f"{result.columns} columns")
        lead_frame = frames.get(lid)
        lead_pictures = [it for it in lead_frame.items if isinstance(it, Picture)] if lead_frame else []
        if lead_pictures:
            tiers: dict[float, list[Picture]] = defaultdict(list)  # photos side by side share their top edge
            for pic in lead_pictures:
                tiers[round(pic.y, 1)].append(pic)
            widest = max(max(p.x + p.w for p in tier) - min(p.x for p in tier) for tier in tiers.values())
            share = round(widest / geometry.span_width(cell.columns), 3)
            measure("lead-photo", share, lid, f"the lead's widest row of photos is {widest / 72 * 25.4:.0f} mm, "
                    f"{share:.0%} of the lead's {cell.columns} columns; place it across at least a third of the lead")
        others = [(p.cell.columns, s.id) for s, p in zip(stories, placements) if s.kind != StoryKind.BANNER and s.id != lid]
        widest, wid = max(others, default=(0, ""))
        wider = widest - cell.columns
        measure("lead-widest", max(0, wider), lid, f"another story ({wid!r}, {widest} columns) is {wider} column(s) "
                f"wider than the lead ({cell.columns} columns), and no plan with the lead the widest fills the page: "
                f"give the lead more copy or a larger photo, list {wid!r} first as the lead, or move it to another page")
    # banners
    for b, story in enumerate(stories):
        if story.kind != StoryKind.BANNER or b >= len(placements):
            continue
        top = placements[b].cell.row
        bottom = top + placements[b].cell.rows
        out = [s.id for s, p in zip(stories[:b], placements[:b]) if p.cell.row + p.cell.rows > top]
        out += [s.id for s, p in zip(stories[b + 1:], placements[b + 1:]) if p.cell.row < bottom]
        measure("banner-place", len(out), story.id, f"stories out of place around the banner: {', '.join(out)}")
    # page fill
    if plan is not None:
        region = result.region_rows * result.columns
        covered = sum(p.cell.rows * p.cell.columns for p in placements)
        empty = max(0, region - covered)
        holes = result.holes or ((result.hole,) if result.hole else ())
        if empty and holes:
            chars = empty * geometry.column_chars
            shape = ", ".join(f"{h.rows} rows × {h.columns} columns" for h in holes)
            ids = ", ".join(s.id for s in stories)
            measure("page-fill", round(empty / region, 4), "", f"page {result.number} is short by about {chars} characters "
                    f"({shape}) with the stories {ids}: add copy or a photo, move a story here, or allow holes "
                    "(--allow-holes, or `allow_holes: true` on the page) to proof it")
        else:
            measure("page-fill", 0.0, "", "")
    figures = tuple(RuleFigure(r.name, worst[r.name][0] if r.name in worst else None, r.threshold,
                               r.holds(worst[r.name][0]) if r.name in worst else True,
                               worst[r.name][1] if r.name in worst else "") for r in RULES)
    return figures, tuple(findings)


def _fmt(value: float) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def originals_of(issue: Issue) -> dict[str, Story]:
    """Every story of the issue by id, as written."""
    return {s.id: s for s in [s for page in issue.pages for s in page.stories] + list(issue.fillers)}
