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

When the child is done with the later pages before this process reaches `split`, it goes on
backwards (taking over, 接手): page ``split-1``, then ``split-2``, …, each laid out in full as
above (nothing carried onto it, the whole filler pool free), as long as this process is at
least two pages short of it. The two share a small anonymous shared mapping (this process's
page, the page the child has taken) and a pipe (the child's "page k is written", "the later
pages are written"): this process, reaching the page the child is setting with nothing
carried onto it, waits for it and reads it back rather than setting it too; a page both set
(a race the protocol allows) costs time, never correctness. Once this process reaches
`split` the child is told to stop.

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
import struct
from dataclasses import dataclass, field

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


#: A message on the child's pipe: a page index (int32), or FORWARD_DONE.
_MESSAGE = struct.Struct("<i")
#: The message that the pages from `split` on are all written.
FORWARD_DONE = -1
#: The shared mapping: this process's page index at offset 0, the page index the child is
#: setting at offset 4 (-1: none); each is written by one process only.
_INDEX = struct.Struct("<i")


@dataclass
class Ahead:
    """A forked child laying out pages ``split …`` (its pid), or nothing (pid None).

    channel: the read end of the child's pipe; shared: the mapping both processes see;
    written: the page indexes the child has reported written; forward: whether it reported
    the pages from `split` on written."""

    split: int
    pid: int | None = None
    channel: int | None = None
    shared: object = None
    written: set = field(default_factory=set)
    forward: bool = False
    _pending: bytes = b""

    def reach(self, i: int, carried: bool) -> None:
        """This process is about to lay out page index `i` (< split); `carried`: a story
        continues onto it. Tells the child, and when the child is setting page `i` with
        nothing carried onto it (its inputs are then this process's), waits until it is
        written (or the child is gone): reading it back is cheaper than setting it."""
        if self.pid is None or self.shared is None:
            return
        _INDEX.pack_into(self.shared, 0, i)
        if carried or i in self.written:
            return
        if _INDEX.unpack_from(self.shared, 4)[0] == i:
            while i not in self.written and self._read():
                pass

    def _read(self) -> bool:
        """Block for the child's next messages; False once the pipe is closed (the child
        is gone)."""
        if self.channel is None:
            return False
        try:
            data = os.read(self.channel, 4096)
        except InterruptedError:
            return True
        except OSError:
            data = b""
        if not data:
            self._close()
            return False
        data = self._pending + data
        whole = len(data) - len(data) % _MESSAGE.size
        self._pending = data[whole:]
        for (k,) in _MESSAGE.iter_unpack(data[:whole]):
            if k == FORWARD_DONE:
                self.forward = True
            else:
                self.written.add(k)
        return True

    def _close(self) -> None:
        if self.channel is not None:
            os.close(self.channel)
            self.channel = None

    def wait(self) -> None:
        """Block until the child has written the pages from `split` on (they are then in the
        cache), then tell it to stop: the pages it could still take are this process's now."""
        if self.pid is None:
            return
        while not self.forward and self._read():
            pass
        self.stop(gently=True)

    def stop(self, gently: bool = False) -> None:
        """End the child now if it still runs (the layout is past its pages, failed or was
        interrupted): what it has not written is simply not in the cache. `gently`: SIGTERM,
        on which the child leaves at once without a half-written cache entry (safeio
        removes its temporary file); else SIGKILL."""
        self._close()
        if self.shared is not None:
            self.shared.close()
            self.shared = None
        if self.pid is None:
            return
        import signal

        try:
            os.kill(self.pid, signal.SIGTERM if gently else signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.pid = None  # only once reaped: a Ctrl-C during the wait leaves it for stop()


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
    import mmap

    from .. import forking

    shared = mmap.mmap(-1, 2 * _INDEX.size)  # anonymous and shared: each process sees the other's writes
    _INDEX.pack_into(shared, 0, 0)
    _INDEX.pack_into(shared, 4, -1)
    forking.before_fork()
    channel, report = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(channel)
        os.close(report)
        return none
    if pid == 0:  # the child: lay out, write the entries, leave without running any cleanup
        status = 1
        try:
            os.close(channel)
            forking.child_setup()
            _leave_on_term()
            lay_out_ahead(ctx, issue, pixels, split, _Taking(shared, report))
            status = 0
        except BaseException:  # noqa: BLE001 — the parent computes whatever is missing
            pass
        finally:
            os._exit(status)
    os.close(report)
    return Ahead(split=split, pid=pid, channel=channel, shared=shared)


def _leave_on_term() -> None:
    """In the child: SIGTERM raises SystemExit, so that a cache entry being written is
    removed, not left half-written (safeio.replace_with), before the child leaves."""
    import signal

    def leave(signum, frame):
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, leave)


@dataclass
class _Taking:
    """The child's side of taking over pages before `split` (see the module docstring)."""

    shared: object
    report: int

    def tell(self, k: int) -> None:
        """Report page index `k` written (or FORWARD_DONE)."""
        os.write(self.report, _MESSAGE.pack(k))

    def take(self, k: int) -> bool:
        """Take page index `k` if the parent is at least two pages short of it."""
        if k < _INDEX.unpack_from(self.shared, 0)[0] + 2:
            return False
        _INDEX.pack_into(self.shared, 4, k)
        return True


def lay_out_ahead(ctx, issue, pixels: dict[str, tuple[int, int]], start: int, taking: _Taking | None = None) -> None:
    """Lay out the pages after index `start` as this process does (``issue.lay_out_one``:
    each page's first try, the fallbacks, a jump search, what a jump carries onto the next
    page) if nothing were carried onto page `start + 1` and the whole filler pool were free
    there. Page `start` itself gets its first try only.
    Writes into the cache every page set on the way (``page`` entries under the keys
    ``pagecache.cached_page`` looks up), the jump searches' results (``split``) and the
    stories' measurements (``ctx.flush``). With `taking` (the parent's channel), then
    reports them written and goes on backwards from page `start - 1` while the parent is
    at least two pages short (see the module docstring)."""
    from .issue import lay_out_one, lay_out_page

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
        _write(ctx)
    if taking is None:
        return
    taking.tell(FORWARD_DONE)
    k = start - 1
    while k >= 1 and taking.take(k):
        lay_out_one(ctx, issue, k, tuple(issue.pages[k].stories), pixels, {}, list(issue.fillers))
        _write(ctx)
        taking.tell(k)
        k -= 1


def _write(ctx) -> None:
    """Write every page set since the last call (``ctx.computed_pages``, pagecache) and the
    stories' measurements into the cache, and let go of the composed paragraphs: page by
    page, as the parent does (issue._release_done)."""
    from ..cache import dumps
    from .pagecache import NAMESPACE

    for ref, k in ctx.computed_pages.values():  # every page computed (pagecache)
        result = ref()
        # a set page (a jump search's candidate is judged only: its frame is None)
        if result is not None and result.frame is not None:
            data = dumps(result)
            if data is not None:
                ctx.store.put(NAMESPACE, k, data)
    ctx.computed_pages.clear()
    ctx.flush()
    ctx.release_paragraphs()


def _weight(story) -> int:
    """The story's copy in characters (what measuring it costs, roughly)."""
    from .editor_rules import body_chars

    return body_chars(story) + 200 * len(story.photos) + 50


def _warm(issue) -> None:
    """Load what both processes need before forking, so that it is loaded once: the word
    segmenter (heads and display lines are broken between words)."""
    from ..text import segment

    segment.words("达拉特旗")
