"""Laying out ahead (预排): the issue's later pages laid out in a forked process while this
one lays out the first pages.

A page's layout is a pure function of its inputs — the page, the stories planned on it, their
photos' pixel sizes, the planner's variant and the layout key — and it already has a
serialised form: the layout cache's ``page`` entries (``layout/pagecache.py``), which an
unchanged page of a rebuild is read from. So on a machine with a second core, a child
process forked after the fonts are open lays out the pages after `split` as this process
would if nothing were carried onto page `split + 1` — each page's first try, the editor's
fallbacks (fillers, more air), a jump search and what it carries onto the next page — and
page `split`'s first try
(a story may jump onto it from the page before: the rest of its work could be another
page's), and writes each page it sets,
each jump search's result and the stories' measurements into the cache; this process lays
out pages ``0 … split-1`` as usual
and, before page ``split``, waits for the child (:meth:`Ahead.wait`). From there a page whose
inputs are those the child foresaw is read back from the cache instead of planned and set
(and its jump search's outcome too); a page onto which a story jumped has other inputs
(other keys) and is laid out here, reading the stories' measurements the child wrote where
they apply.

Nothing else changes: the pages are the same with or without the child (the cache keys hold
every input; tests/layout/test_ahead.py), jumps (转版) and fillers (补白) included; a child
that fails or is killed leaves entries missing, which this process then computes itself.
Without a cache (``--no-cache``), with fewer than MIN_PAGES pages, or where
forking.may_fork says no (a single core, other threads running, no safe ``fork``: Windows,
macOS), it is not used.

Units: none (pages and spans are counts; `split` is a page index, 0-based).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Fewer pages than this are laid out in one process: the fork and the wait cost more than
#: measuring half of 1–3 pages saves.
MIN_PAGES = 4

#: The share of the issue's copy (body characters) this process lays out itself before it
#: waits: a little over half, because the child also writes the pages it sets (about a fifth
#: of setting them), and this process reads them back after the wait.
OWN_SHARE = 0.55


def wanted(workers: int | None) -> bool:
    """Whether to lay out ahead: `workers` 1 (or 0) turns it off; None decides from the
    machine and ``PAPERLAYOUT_LAYOUT_WORKERS`` (forking.may_fork); more than 1 asks for it
    wherever forking is safe (one thread, a platform that forks)."""
    from .. import forking

    if workers is not None:
        return workers > 1 and forking.platform_forks() and forking.one_thread()
    return forking.may_fork(forking.LAYOUT_SWITCH)


def split_index(weights: list[int]) -> int:
    """The first page the child lays out: the smallest index whose preceding pages hold at
    least OWN_SHARE of the total weight (at least 1, at most len - 1)."""
    total = sum(weights)
    run = 0
    for i, w in enumerate(weights):
        if i and run >= OWN_SHARE * total:
            return i
        run += w
    return max(1, len(weights) - 1)


@dataclass
class Ahead:
    """A forked child measuring pages ``split …`` (its pid), or nothing (pid None)."""

    split: int
    pid: int | None = None

    def wait(self) -> None:
        """Block until the child is done (its entries are then in the cache)."""
        if self.pid is None:
            return
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.pid = None  # only once reaped: a Ctrl-C during the wait leaves it for stop()

    def stop(self) -> None:
        """End the child now if it still runs (the layout failed or was interrupted): what it
        has not written is simply not in the cache."""
        if self.pid is None:
            return
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self.wait()


def start(ctx, issue, pixels: dict[str, tuple[int, int]], workers: int | None) -> Ahead:
    """Fork the child measuring the later pages' stories, when it pays (see the module
    docstring); the returned `Ahead` is waited for before page `split`."""
    pages = issue.pages
    none = Ahead(split=len(pages))
    if ctx.store is None or len(pages) < MIN_PAGES or not wanted(workers):
        return none
    weights = [sum(_weight(story) for story in page.stories) for page in pages]
    split = split_index(weights)
    _warm(issue)
    from .. import forking

    forking.before_fork()
    try:
        pid = os.fork()
    except OSError:
        return none
    if pid == 0:  # the child: lay out, write the entries, leave without running any cleanup
        status = 1
        try:
            forking.child_setup()
            lay_out_ahead(ctx, issue, pixels, split)
            status = 0
        except BaseException:  # noqa: BLE001 — the parent computes whatever is missing
            pass
        finally:
            os._exit(status)
    return Ahead(split=split, pid=pid)


def lay_out_ahead(ctx, issue, pixels: dict[str, tuple[int, int]], start: int) -> None:
    """Lay out the pages after index `start` as this process does (``issue.lay_out_one``:
    each page's first try, the fallbacks, a jump search, what a jump carries onto the next
    page) if nothing were carried onto page `start + 1` and the whole filler pool were free
    there. Page `start` itself gets its first try only.
    Writes into the cache every page set on the way (``page`` entries under the keys
    ``pagecache.cached_page`` looks up), the jump searches' results (``split``) and the
    stories' measurements (``ctx.flush``)."""
    from ..cache import dumps
    from .issue import lay_out_one, lay_out_page
    from .pagecache import NAMESPACE

    ctx.foresee = True
    carried: tuple = ()
    pool = list(issue.fillers)
    for i in range(start, len(issue.pages)):
        cache: dict = {}
        own = tuple(issue.pages[i].stories)
        if i == start:
            # the first try only: a story the page before may jump onto this page, making
            # this page's fallbacks and jump search (the costliest) another page's
            lay_out_page(ctx, issue, issue.pages[i], pixels, own, cache)
        else:
            _, carried, pool = lay_out_one(ctx, issue, i, own + carried, pixels, cache, pool)
        for ref, k in ctx.computed_pages.values():  # every page computed for page i (pagecache)
            result = ref()
            # a set page (a jump search's candidate is judged only: its frame is None)
            if result is not None and result.frame is not None:
                data = dumps(result)
                if data is not None:
                    ctx.store.put(NAMESPACE, k, data)
        ctx.computed_pages.clear()
        ctx.flush()  # page by page, as the parent does (issue._release_done): the page's
        ctx.release_paragraphs()  # planners and composed paragraphs are let go


def _weight(story) -> int:
    """The story's copy in characters (what measuring it costs, roughly)."""
    from .editor_rules import body_chars

    return body_chars(story) + 200 * len(story.photos) + 50


def _warm(issue) -> None:
    """Load what both processes need before forking, so that it is loaded once: the word
    segmenter (heads and display lines are broken between words)."""
    from ..text import segment

    segment.words("达拉特旗")
