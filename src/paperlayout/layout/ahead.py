"""Measuring ahead (预排): the stories of the issue's later pages measured in a forked process
while this one lays out the first pages.

Most of a layout's time is measuring stories: composing each one's paragraphs at every
measure the planner may try (``StoryPlanner.heights``). A story's measurements are a pure
function of the story, its rank on the page and its photos' pixel sizes, and they already
have a serialised form: the layout cache's ``story`` and ``display`` entries
(``layout/story.py``). So on a machine with a second core, a child process forked after the
fonts are open measures the stories of the pages from `split` on, at every span, and
writes those entries into the cache; this process lays out pages ``0 … split-1`` as usual
and, before page ``split``, waits for the child (:meth:`Ahead.wait`), after which the later
pages' planners read their measurements from the cache instead of composing them.

Nothing else changes: the pages are planned, set and checked by this process in order, jumps
(转版) and fillers (补白) included; a child that fails or is killed leaves entries missing,
which this process then computes itself. The PDF is the same with or without the child
(tests/layout/test_ahead.py). Without a cache (``--no-cache``), with fewer than MIN_PAGES
pages, or where forking.may_fork says no (a single core, other threads running, no safe
``fork``: Windows, macOS), it is not used.

Units: none (pages and spans are counts; `split` is a page index, 0-based).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Fewer pages than this are laid out in one process: the fork and the wait cost more than
#: measuring half of 1–3 pages saves.
MIN_PAGES = 4

#: The share of the issue's copy (body characters) this process measures itself before it
#: waits: a little over half, because after the wait it also plans and sets the child's pages.
OWN_SHARE = 0.55


def wanted(workers: int | None) -> bool:
    """Whether to measure ahead: `workers` 1 (or 0) turns it off; None decides from the
    machine and ``PAPERLAYOUT_LAYOUT_WORKERS`` (forking.may_fork); more than 1 asks for it
    wherever forking is safe (one thread, a platform that forks)."""
    from .. import forking

    if workers is not None:
        return workers > 1 and forking.platform_forks() and forking.one_thread()
    return forking.may_fork(forking.LAYOUT_SWITCH)


def split_index(weights: list[int]) -> int:
    """The first page the child measures: the smallest index whose preceding pages hold at
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
    if pid == 0:  # the child: measure, write the entries, leave without running any cleanup
        status = 1
        try:
            forking.child_setup()
            measure(ctx, issue, pixels, range(split, len(pages)))
            status = 0
        except BaseException:  # noqa: BLE001 — the parent computes whatever is missing
            pass
        finally:
            os._exit(status)
    return Ahead(split=split, pid=pid)


def measure(ctx, issue, pixels: dict[str, tuple[int, int]], indexes) -> None:
    """Measure the stories of the pages at `indexes` at every span the planner may ask for
    (as `_lay_out_page` creates their planners: rank by order, banners not counted) and
    write the measurements to the cache (``ctx.flush``)."""
    from ..model import StoryKind
    from .story import StoryPlanner

    columns = ctx.styles.page.columns
    for i in indexes:
        rank = 0
        for story in issue.pages[i].stories:
            planner = StoryPlanner(ctx, story, rank, tuple(pixels[str(p.path)] for p in story.photos))
            pinned = story.pin.columns if story.pin and story.pin.columns else None
            for span in range(1, columns + 1):
                if pinned is None or span == pinned:
                    planner.heights(span)
            rank += story.kind != StoryKind.BANNER
    ctx.flush()


def _weight(story) -> int:
    """The story's copy in characters (what measuring it costs, roughly)."""
    from .editor_rules import body_chars

    return body_chars(story) + 200 * len(story.photos) + 50


def _warm(issue) -> None:
    """Load what both processes need before forking, so that it is loaded once: the word
    segmenter (heads and display lines are broken between words)."""
    from ..text import segment

    segment.words("达拉特旗")
