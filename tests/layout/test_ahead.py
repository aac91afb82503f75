"""Laying out ahead (layout/ahead.py): with a second core, a forked process lays out the later
pages (each one's first try, with its own stories) while this one lays out the first pages.
The pages must be exactly those of a one-process layout, the later pages must really be set by
the child (this process reads them from the cache), and a child that fails changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paperlayout import cache, forking
from paperlayout.build import lay_out
from paperlayout.layout import ahead

pytestmark = pytest.mark.skipif(not forking.platform_forks(), reason="needs a platform that forks safely")


@pytest.fixture(scope="module")
def issue(synthetic_issue):
    """A generated 4-page broadsheet issue (benchmarks/make_synthetic.py)."""
    return synthetic_issue("ahead", 4)


def _fresh_store(tmp_path, monkeypatch, name: str) -> Path:
    # idle threads other tests leave behind (serve's) would keep it from forking: it is told
    # it runs alone (test_the_switch_and_a_second_thread_keep_one_process checks the test)
    monkeypatch.setattr(forking, "one_thread", lambda: True)
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / name))
    cache.configure(enabled=True)
    return tmp_path / name


def _pages(laid) -> list:
    return [(r.number, r.frame, r.region_rows, r.diagnostics, r.plan.tree if r.plan else None,
             r.plan.explain if r.plan else None) for r in laid.pages]


def test_split_index_gives_this_process_a_little_over_half():
    assert ahead.split_index([10, 10, 10, 10]) == 3  # 20 < 0.55 × 40 ≤ 30
    assert ahead.split_index([100, 1, 1, 1]) == 1
    assert ahead.split_index([1, 1, 1, 100]) == 3  # the child always gets at least one page
    assert ahead.split_index([0, 0, 0, 0]) == 1


def test_later_pages_are_set_by_the_child_and_the_pages_are_the_same(issue, tmp_path, monkeypatch):
    from paperlayout.layout import issue as issue_module

    _fresh_store(tmp_path, monkeypatch, "one")
    alone = lay_out(issue, workers=1)
    _fresh_store(tmp_path, monkeypatch, "two")
    tried: list[tuple[int, tuple]] = []  # (page, stories) of each page this process plans and sets
    real = issue_module._lay_out_page

    def spying(ctx, issue_, page, pixels, stories, *args, **kwargs):
        tried.append((page.number, tuple(s.id for s in stories)))
        return real(ctx, issue_, page, pixels, stories, *args, **kwargs)

    monkeypatch.setattr(issue_module, "_lay_out_page", spying)
    split = ahead.split_index([sum(ahead._weight(s) for s in page.stories) for page in issue.pages])
    assert 1 <= split < len(issue.pages)
    paired = lay_out(issue, workers=2)
    assert _pages(paired) == _pages(alone)
    earlier = issue.pages[:split]
    later = issue.pages[split:]
    own = {(page.number, tuple(s.id for s in page.stories)) for page in issue.pages}
    # this process set its first page (the child may take over the others before the split
    # when it is done first) and read every later page's first try (the child's) from the cache
    first = earlier[0]
    assert (first.number, tuple(s.id for s in first.stories)) in set(tried)
    assert not {(p.number, tuple(s.id for s in p.stories)) for p in later} & set(tried)
    assert own & set(tried)


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads a process's state from /proc")
def test_a_child_done_first_takes_over_pages_before_the_split(synthetic_issue, tmp_path, monkeypatch):
    """While this process is slow on its first page, the child, done with the later pages,
    sets the pages before the split backwards (接手), down to the third: this process reads
    them back (it waits for one the child is setting) and the issue is the one-process issue."""
    import time

    from paperlayout.layout import issue as issue_module

    long = synthetic_issue("ahead-take", 10)
    _fresh_store(tmp_path, monkeypatch, "one")
    alone = lay_out(long, workers=1)
    _fresh_store(tmp_path, monkeypatch, "two")
    parent = os.getpid()
    tried: list[int] = []
    children: list[int] = []
    real = issue_module._lay_out_page
    real_start = ahead.start

    def starting(*args, **kwargs):
        got = real_start(*args, **kwargs)
        children.append(got.pid)
        return got

    def finished(pid: int) -> bool:  # the child has exited (a zombie until reaped)
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            return True

    def spying(ctx, issue_, page, pixels, stories, *args, **kwargs):
        if os.getpid() == parent:
            tried.append(page.number)
            if page.number == long.pages[0].number and tried.count(page.number) == 1:
                # this process is slow on page 1: the child is done first (it leaves once
                # it has taken every page it may)
                deadline = time.monotonic() + 60.0
                while not finished(children[0]) and time.monotonic() < deadline:
                    time.sleep(0.05)
        return real(ctx, issue_, page, pixels, stories, *args, **kwargs)

    monkeypatch.setattr(ahead, "start", starting)
    monkeypatch.setattr(issue_module, "_lay_out_page", spying)
    reached: list[tuple[int, bool]] = []
    real_reach = ahead.Ahead.reach

    def reach(self, i, carried):
        real_reach(self, i, carried)
        reached.append((i, i in self.written))

    monkeypatch.setattr(ahead.Ahead, "reach", reach)
    paired = lay_out(long, workers=2)
    assert _pages(paired) == _pages(alone)
    split = ahead.split_index([sum(ahead._weight(s) for s in page.stories) for page in long.pages])
    assert split >= 4
    taken = [i for i, written in reached if written]
    assert taken == list(range(2, split))  # pages 3 … split, written by the child before this process came
    assert {long.pages[i].number for i in range(2, len(long.pages))}.isdisjoint(tried)


def test_a_failing_child_changes_nothing(issue, tmp_path, monkeypatch):
    _fresh_store(tmp_path, monkeypatch, "one")
    alone = lay_out(issue, workers=1)
    _fresh_store(tmp_path, monkeypatch, "broken")

    def broken(*args, **kwargs):
        raise RuntimeError("the child fails")

    monkeypatch.setattr(ahead, "lay_out_ahead", broken)
    assert _pages(lay_out(issue, workers=2)) == _pages(alone)


def test_not_used_without_a_cache(issue, monkeypatch):
    forks = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or (_ for _ in ()).throw(OSError("no")))
    cache.configure(enabled=False)
    try:
        lay_out(issue, workers=2)
    finally:
        cache.configure(enabled=True)
    assert forks == []
    assert not ahead.wanted(1)


def test_an_interrupted_layout_leaves_no_child(issue, tmp_path, monkeypatch):
    from paperlayout.layout import issue as issue_module

    _fresh_store(tmp_path, monkeypatch, "stopped")
    started = []
    real_start = ahead.start

    def spying(*args, **kwargs):
        got = real_start(*args, **kwargs)
        started.append(got.pid)
        return got

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ahead, "start", spying)
    monkeypatch.setattr(issue_module, "lay_out_page", interrupted)
    with pytest.raises(KeyboardInterrupt):
        lay_out(issue, workers=2)
    assert started and started[0] is not None  # a child was forked …
    with pytest.raises(ChildProcessError):  # … and is gone (killed and reaped)
        os.waitpid(started[0], os.WNOHANG)


def test_workers_1_is_never_overridden_by_the_environment(issue, tmp_path, monkeypatch):
    """batch and serve pass workers=1: PAPERLAYOUT_LAYOUT_WORKERS=2 must not make them fork."""
    _fresh_store(tmp_path, monkeypatch, "env")
    monkeypatch.setenv("PAPERLAYOUT_LAYOUT_WORKERS", "2")
    forks = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or (_ for _ in ()).throw(OSError("no")))
    lay_out(issue, workers=1)
    assert forks == []


def test_the_switch_and_a_second_thread_keep_one_process(monkeypatch):
    import threading

    monkeypatch.setattr(forking, "cores", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # whatever other tests left running
    monkeypatch.setenv("PAPERLAYOUT_LAYOUT_WORKERS", "1")
    assert not ahead.wanted(None)
    monkeypatch.setenv("PAPERLAYOUT_LAYOUT_WORKERS", "")
    assert ahead.wanted(None) and ahead.wanted(2)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # a second thread running
    assert not ahead.wanted(None) and not ahead.wanted(2)


def test_the_childs_jump_searches_are_read_back_and_the_pages_are_the_same(synthetic_issue, tmp_path, monkeypatch):
    """Pages 2, 4, … 10 of 12 are overfilled: each continues a story on the next page (转版).
    The child lays out the later pages with their fallbacks and jump searches; this process
    reads a later page's search from the cache where the page's inputs are those the child
    foresaw, and the issue is the one-process issue."""
    from paperlayout.layout import issue as issue_module

    jumpy = synthetic_issue("ahead-jumps", 12, jumps=5)
    searched: list[int] = []
    real = issue_module._search_split

    def spying(ctx, issue_, index, *args, **kwargs):
        searched.append(index)
        return real(ctx, issue_, index, *args, **kwargs)

    monkeypatch.setattr(issue_module, "_search_split", spying)
    _fresh_store(tmp_path, monkeypatch, "one")
    alone = lay_out(jumpy, workers=1)
    alone_searched, searched[:] = list(searched), []
    _fresh_store(tmp_path, monkeypatch, "two")
    paired = lay_out(jumpy, workers=2)
    assert _pages(paired) == _pages(alone)
    assert any(r.stories and r.stories[-1].part_of for r in alone.pages)  # the pages do jump
    split = ahead.split_index([sum(ahead._weight(s) for s in page.stories) for page in jumpy.pages])
    later = [i for i in alone_searched if i > split]
    assert later and not set(later) & set(searched)  # the child's searches, read back here
    assert set(searched) <= set(alone_searched)
