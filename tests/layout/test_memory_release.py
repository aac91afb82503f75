"""Memory that does not grow with the issue: what a page's search made is let go as soon as the
page is done, without waiting for the collector (a full collection is rare on a large heap,
and the layout runs with young collections only), and glyphs share their repeated values.

Each test fails on the code before the fix it guards: the planner's closures kept every
planner of a page in a reference cycle; the issue loop kept every page's story planners and
variants to the end; each glyph had its own copy of its character and widths."""

from __future__ import annotations

import gc
import weakref

import pytest

from paperlayout.build import lay_out
from paperlayout.layout import issue as issue_module
from paperlayout.layout import story as story_module
from paperlayout.layout.plan import plan_page
from paperlayout.model import Story, StoryKind


class _Arr:
    cost = 1.0
    flow = None


class _Planner:
    def __init__(self, sid: str, importance: int):
        self.story = Story(id=sid, kind=StoryKind.ARTICLE, head="h")
        self.importance = importance

    def heights(self, c: int) -> dict:
        return {h: _Arr() for h in range(1, 11)}


def test_a_plan_lets_go_of_its_planners_without_the_collector():
    planners = [_Planner("a", 0), _Planner("b", 1), _Planner("c", 2)]
    refs = [weakref.ref(p) for p in planners]
    gc.disable()
    try:
        plan = plan_page(planners, 4, 10)
        assert plan is not None and plan.rows == 10
        del planners, plan
        assert [r() for r in refs] == [None, None, None]  # freed by reference counting alone
    finally:
        gc.enable()


@pytest.fixture(scope="module")
def six(synthetic_issue):
    return synthetic_issue("release", 6)


def test_a_finished_pages_story_planners_are_let_go(six, monkeypatch, tmp_path):
    """While page k is laid out, no planner of a story of pages before k (which no later page,
    carried part or filler can take) is alive; and the pages are those laid out before."""
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "cache"))
    from paperlayout import cache

    cache.configure(enabled=True)
    made: list[weakref.ref] = []
    original_init = story_module.StoryPlanner.__init__

    def tracking(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(story_module.StoryPlanner, "__init__", tracking)
    seen: list[tuple[int, set[str]]] = []
    original_page = issue_module.lay_out_page

    def watching(ctx, issue, page, *args, **kwargs):
        alive = {r().story.id for r in made if r() is not None}
        seen.append((page.number, alive))
        return original_page(ctx, issue, page, *args, **kwargs)

    monkeypatch.setattr(issue_module, "lay_out_page", watching)
    gc.disable()
    try:
        laid = lay_out(six, None, workers=1)
    finally:
        gc.enable()
    earlier = {}
    for page in six.pages:
        earlier[page.number] = {s.id for p in six.pages if p.number < page.number for s in p.stories}
    carried_or_pool = {s.id for s in six.fillers}
    for number, alive in seen:
        stale = (alive & earlier[number]) - carried_or_pool
        # a story cut on the page before continues here: its parts have ids of their own
        assert not stale, f"page {number}: planners of earlier pages' stories still alive: {sorted(stale)}"
    assert len(laid.pages) == 6 and all(r.frame is not None for r in laid.pages)


def test_the_release_drops_only_what_later_pages_cannot_use(six):
    pages = six.pages
    done, later = pages[0].stories[0], pages[2].stories[0]
    carried = Story(id="rest", kind=StoryKind.ARTICLE, head="h")
    filler = Story(id="filler", kind=StoryKind.ARTICLE, head="f")

    class Ctx:
        store = None
        released = False

        def release_paragraphs(self):
            self.released = True

    cache = {
        ("page", pages[0].number, (done,), 0, 0): "p1",
        ("page", pages[1].number, (later,), 0, 0): "p2",
        ("plan-memo", pages[0].number): {},
        ("plan-memo", pages[1].number): {},
        ("holes", 20): "holes",
        (done, 0, 0): "planner of a done story",
        (later, 0, 0): "planner of a later page's story",
        (carried, 1, 0): "planner of the carried part",
        (filler, 3, 0): "planner of a filler",
    }
    ctx = Ctx()
    issue_module._release_done(ctx, six, 1, cache, (carried,), [filler])
    assert ctx.released
    assert sorted(map(str, cache.values())) == sorted([
        "p2", "{}", "holes", "planner of a later page's story", "planner of the carried part", "planner of a filler"])
    assert ("plan-memo", pages[1].number) in cache and ("plan-memo", pages[0].number) not in cache


def test_glyphs_share_their_character_and_widths(six):
    laid = lay_out(six, None, workers=1)
    texts: dict[str, int] = {}
    count = 0
    for result in laid.pages:
        for item in result.frame.items():
            line = getattr(item, "line", None)
            if line is None:
                continue
            for g in line.glyphs:
                if g.text:
                    texts.setdefault(g.text, id(g.text))
                    assert id(g.text) == texts[g.text], f"{g.text!r} is not one object across the issue"
                count += 1
            per_line = {}
            for g in line.glyphs:
                if g.width:
                    per_line.setdefault(g.width, id(g.width))
                    assert id(g.width) == per_line[g.width]  # one float object per value in a line
    assert count > 10_000


def test_release_paragraphs_forgets_set_paragraphs_but_keeps_counts():
    from paperlayout.build import issue_styles, open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.model import Issue, Paper
    from paperlayout.text import Run
    import datetime

    styles = issue_styles(Issue(paper=Paper(name="测试报"), date=datetime.date(2023, 3, 17), number=1, pages=()))
    ctx = LayoutContext(styles, open_fonts(styles))
    runs = (Run("达拉特旗着力践行以人民为中心的发展思想，干部下基层，群众得实惠。", "serif"),)
    first = ctx.paragraph(runs, 13)
    lines, _ = ctx.count(runs, 12)
    assert ctx.paragraph(runs, 13) is first  # memoised
    ctx.release_paragraphs()
    again = ctx.paragraph(runs, 13)
    assert again is not first and again == first  # composed again, the same lines
    assert not any(k[0] == "p" and k[2] == 12 for k in ctx._memo if isinstance(k, tuple))
    assert any(k[0] == "c" and k[2] == 12 for k in ctx._memo if isinstance(k, tuple))  # counts are kept
    assert ctx.count(runs, 12)[0] == lines


def test_a_paragraphs_lines_share_their_grid_positions():
    """On the character grid the positions recur line after line: one float object per value
    in the paragraph (the values are what they were: a glyph's x is k × 9 pt)."""
    import datetime

    from paperlayout.build import issue_styles, open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.model import Issue, Paper
    from paperlayout.text import Run

    styles = issue_styles(Issue(paper=Paper(name="测试报"), date=datetime.date(2023, 3, 17), number=1, pages=()))
    ctx = LayoutContext(styles, open_fonts(styles))
    text = "黄河几字弯草原绿意浓牧民的日子越过越红火" * 4
    composed = ctx.paragraph((Run(text, "serif"),), 13)
    second, third = composed.lines[1].glyphs, composed.lines[2].glyphs
    size = composed.lines[1].size
    assert [g.x for g in second] == [k * size for k in range(13)]
    assert all(a.x is b.x for a, b in zip(second, third))  # the same objects, line after line
