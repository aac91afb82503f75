"""The layout cache (cache.py namespaces "story" and "pages"): a story's measurements and an
unchanged issue's pages are read back instead of computed, an edit recomposes only the story
it touches, the pages are the same cold, warm and without the cache, and a corrupt,
truncated or foreign entry is a miss, never an error."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from paperlayout import cache
from paperlayout.build import lay_out
from paperlayout.layout import story as story_module
from paperlayout.loader import load_issue

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"


@pytest.fixture(scope="module")
def issue():
    return load_issue(SAMPLE)


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "cache"))
    cache.configure(enabled=True)
    yield tmp_path / "cache"
    cache.configure(enabled=True)


def _arranged(monkeypatch) -> list[str]:
    """Ids of the stories whose arrangements are computed (not read from the cache)."""
    calls: list[str] = []
    original = story_module.StoryPlanner._arrange

    def counting(self, span):
        calls.append(self.story.id)
        return original(self, span)

    monkeypatch.setattr(story_module.StoryPlanner, "_arrange", counting)
    return calls


def _pages(laid) -> list:
    """What the renderer draws and the report says, page by page."""
    return [(r.number, r.frame, r.region_rows, r.diagnostics, r.plan.tree if r.plan else None,
             r.plan.explain if r.plan else None) for r in laid.pages]


def _entries(root: Path, namespace: str) -> list[Path]:
    return sorted(p for p in (root / namespace).glob("*/*") if not p.name.startswith("."))


def test_pages_are_the_same_cold_warm_and_bypassed(issue, store, monkeypatch):
    cache.configure(enabled=False)
    bypassed = lay_out(issue)
    assert not store.exists()  # --no-cache: nothing written
    cache.configure(enabled=True)
    calls = _arranged(monkeypatch)
    cold = lay_out(issue)
    assert len(_entries(store, "story")) == len(set(calls)) == len(issue.pages[0].stories)  # one per story
    assert _entries(store, "pages") == [] and len(_entries(store, "pages-seen")) == 1  # a mark only
    calls.clear()
    second = lay_out(issue)
    assert calls == []  # every story's tables read back
    assert len(_entries(store, "pages")) == 1  # the same inputs again: now the pages are kept
    third = lay_out(issue)
    for laid in (cold, second, third):
        assert _pages(laid) == _pages(bypassed)
        assert laid.report == bypassed.report


def test_an_edit_recomposes_only_the_story_it_touches(issue, store, monkeypatch):
    lay_out(issue)
    page = issue.pages[0]
    k, target = next((i, s) for i, s in enumerate(page.stories) if s.id == "dalate-experience-lectures")
    para = next(i for i, b in enumerate(target.body) if hasattr(b, "continued"))
    text = target.body[para].text
    edited_story = replace(target, body=target.body[:para] + (replace(target.body[para], text=text[:-2] + "，又" + text[-1:]),)
                           + target.body[para + 1:])
    stories = page.stories[:k] + (edited_story,) + page.stories[k + 1:]
    edited = replace(issue, pages=(replace(page, stories=stories),) + issue.pages[1:])
    calls = _arranged(monkeypatch)
    warm = lay_out(edited)
    assert set(calls) == {"dalate-experience-lectures"}
    calls.clear()
    cache.configure(enabled=False)
    fresh = lay_out(edited)
    assert _pages(warm) == _pages(fresh)
    assert warm.report == fresh.report


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "foreign"])
def test_a_damaged_entry_is_a_miss_not_an_error(issue, store, damage):
    cache.configure(enabled=False)
    bypassed = lay_out(issue)
    cache.configure(enabled=True)
    lay_out(issue)
    lay_out(issue)
    files = _entries(store, "story") + _entries(store, "pages")
    assert len(files) == len(issue.pages[0].stories) + 1
    for path in files:
        data = path.read_bytes()
        if damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x80\x05not a pickle at all" + data[-40:])
        elif damage == "empty":
            path.write_bytes(b"")
        else:  # a pickle that would import something else: refused, not run
            path.write_bytes(pickle.dumps(Path("/etc/passwd")) if path.parent.parent.name == "pages"
                             else b"cos\nsystem\n(S'echo planted'\ntR.")
    again = lay_out(issue)
    assert _pages(again) == _pages(bypassed)
    assert again.report == bypassed.report


def test_unpickler_loads_only_layout_types():
    assert cache.loads(cache.dumps((1, "a", frozenset({2})))) == (1, "a", frozenset({2}))
    assert cache.loads(b"cos\nsystem\n(S'echo planted'\ntR.") is None
    assert cache.loads(pickle.dumps(pickle.Pickler)) is None


def test_layout_key_changes_with_style_and_fonts(issue, tmp_path):
    from paperlayout.build import issue_styles, open_fonts
    from paperlayout.layout.context import LayoutContext

    styles = issue_styles(issue)
    fonts = open_fonts(styles)
    store = cache.Store(tmp_path)
    base = LayoutContext(styles, fonts, store=store).layout_key()
    assert LayoutContext(styles, fonts, store=store).layout_key() == base
    other_style = replace(styles, han_latin_space=styles.han_latin_space + 0.0625)
    assert LayoutContext(other_style, fonts, store=store).layout_key() != base
    from paperlayout.fonts import FontBook

    swapped = FontBook.open({**fonts.faces, "serif": fonts.faces["kai"]}, fallbacks=fonts.fallbacks)
    assert LayoutContext(styles, swapped, store=store).layout_key() != base  # another file under a face


def test_photo_sizes_from_the_cache_are_the_decoded_ones(issue, tmp_path):
    from paperlayout.build import read_photos

    store = cache.Store(tmp_path)
    decoded = read_photos(issue)
    assert read_photos(issue, store=store) == decoded  # a miss: decoded, and kept
    entries = _entries(tmp_path, "photo-size")
    assert len(entries) == len({p.path for s in issue.pages[0].stories for p in s.photos}) == 5
    assert read_photos(issue, store=store) == decoded  # hits
    entries[0].write_bytes(b"12 x")  # damaged: a miss, decoded again and replaced
    assert read_photos(issue, store=store) == decoded
    assert entries[0].read_bytes() != b"12 x"


def _two_pages(issue, edit: str = ""):
    """The sample's page, and a second page with the same stories under other ids (and
    ``edit`` appended to the first paragraph of its last story with a body)."""
    page = issue.pages[0]
    stories = []
    for s in page.stories:
        stories.append(replace(s, id=f"{s.id}-2"))
    if edit:
        k = max(i for i, s in enumerate(stories) if s.body)
        s = stories[k]
        first = next(i for i, b in enumerate(s.body) if hasattr(b, "continued"))
        body = s.body[:first] + (replace(s.body[first], text=s.body[first].text + edit),) + s.body[first + 1:]
        stories[k] = replace(s, body=body)
    return replace(issue, pages=(page, replace(page, number=2, stories=tuple(stories))))


def test_an_unchanged_page_is_read_back_and_an_edited_one_laid_out(issue, store, monkeypatch):
    from paperlayout.layout import issue as issue_module

    laid_out: list[int] = []
    original = issue_module._lay_out_page

    def counting(ctx, issue_, page, *args):
        laid_out.append(page.number)
        return original(ctx, issue_, page, *args)

    monkeypatch.setattr(issue_module, "_lay_out_page", counting)
    lay_out(_two_pages(issue, "一"))
    lay_out(_two_pages(issue, "二"))  # page 1 laid out a second time: now kept
    assert len(_entries(store, "page")) == 1
    laid_out.clear()
    warm = lay_out(_two_pages(issue, "三"))
    assert 1 not in laid_out and 2 in laid_out  # page 1 read back, page 2 laid out again
    cache.configure(enabled=False)
    fresh = lay_out(_two_pages(issue, "三"))
    assert _pages(warm) == _pages(fresh)
    assert warm.report == fresh.report
