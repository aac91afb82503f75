"""Laid-out pages kept in the build cache (cache.py, docs/cache.md), page by page.

A page's plan and frame are a pure function of the issue's furniture fields, the page, the
stories planned on it, their photos' pixel sizes and the layout key (code, packages, style,
fonts): when none of them changed since a build, the page is read back instead of planned
and set again — an edit on one page of a 16-page issue sets that page only.

Only pages that end up in the issue are written (not the candidates a jump search tries),
and only from the second build that laid them out: the first leaves a mark, because storing
a page costs about a fifth of laying it out, which a one-off build would pay for nothing.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from ..cache import keep_from_second, key, loads

if TYPE_CHECKING:
    from ..model import Issue, Page, Story
    from .context import LayoutContext
    from .issue import PageResult

NAMESPACE = "page"
SEEN = "page-seen"


def page_key(ctx: LayoutContext, issue: Issue, page: Page, stories: tuple[Story, ...],
             pixels: dict[str, tuple[int, int]], variant: tuple = ()) -> str:
    """Digest of everything `lay_out_page` reads: the issue less its pages (paper, date,
    numbers, edition: the furniture) and its page count, the page, the stories planned on
    it (the last ``optional`` of them fillers) and their photos' pixel sizes, the planner's
    ``variant`` (optional fillers, head air) and the layout key."""
    furniture = replace(issue, pages=(), fillers=())
    sizes = [pixels[str(photo.path)] for story in stories for photo in story.photos]
    return key("page", ctx.layout_key(), repr(furniture), len(issue.pages), repr(page), repr(stories), sizes,
               list(variant))


def cached_page(ctx: LayoutContext, issue: Issue, page: Page, stories: tuple[Story, ...],
                pixels: dict[str, tuple[int, int]], compute: Callable[[], PageResult],
                variant: tuple = ()) -> PageResult:
    """The page from the store when its inputs are unchanged, else ``compute()`` (noted
    for `keep_pages`)."""
    if ctx.store is None:
        return compute()
    from .issue import PageResult

    k = page_key(ctx, issue, page, stories, pixels, variant)
    data = ctx.store.get(NAMESPACE, k)
    found = loads(data) if data is not None else None
    if isinstance(found, PageResult) and found.number == page.number and all(s in stories for s in found.stories):
        # (a page planned with optional fillers lists only the stories it took)
        return found
    result = compute()
    # a child laying out ahead (ctx.foresee) writes every page it sets, the tries it did not
    # keep too (the parent's own procedure asks for them): held until written (ahead._write)
    ctx.computed_pages[id(result)] = ((lambda: result) if ctx.foresee else weakref.ref(result), k)
    return result


def keep_pages(ctx: LayoutContext, results) -> None:
    """Write the pages of ``results`` computed in this run whose inputs were laid out
    before; mark the others as seen."""
    computed, ctx.computed_pages = ctx.computed_pages, {}
    for result in results:
        noted = computed.get(id(result))
        if noted is None or noted[0]() is not result:
            continue  # read from the store, or not made by cached_page
        keep_from_second(ctx.store, SEEN, NAMESPACE, noted[1], result)
