"""Pins that contradict each other are refused naming both pins' stories, the rows and the fix."""

from types import SimpleNamespace

from paperlayout.layout.issue import _banner_pin_conflicts
from paperlayout.model import Pin, Story, StoryKind


class Fake:
    def __init__(self, sid, least=None, kind=StoryKind.ARTICLE, pin=None):
        self.story = Story(id=sid, head="" if kind == StoryKind.BANNER else "h", kind=kind, pin=pin)
        self.least = least

    def heights(self, c):
        """Column-level heights: `least` + (8 − c) rows at span c, up to 4 rows more (no heights for banners)."""
        if self.least is None:
            return {}
        base = self.least + (8 - c)
        return {h: None for h in range(base, base + 5)}


GEOMETRY = SimpleNamespace(columns=8, column_chars=13)


def test_a_banner_pinned_above_where_the_pinned_lead_can_end_is_refused_naming_both():
    lead = Fake("lead", least=40, pin=Pin(columns=5, column=0, row=0))  # 43 rows at 5 columns
    banner = Fake("banner", kind=StoryKind.BANNER, pin=Pin(row=40, where="issue.yaml:79 pin"))
    found = _banner_pin_conflicts([lead, banner, Fake("other", least=10)], GEOMETRY, 93, "page 1")
    assert [(d.code, d.where) for d in found] == [("pin", "issue.yaml:79 pin")]
    assert ("the banner 'banner' is pinned at row 40, so the stories listed before it must end above it, but story "
            "'lead' pinned 5 columns wide is at least 43 rows tall within the editor's rules: move the banner's pin to "
            "row 43 or lower (the least 'lead' needs), or cut about 195 characters from 'lead'") == found[0].message


def test_a_banner_pinned_where_the_stories_above_can_end_is_no_conflict():
    lead = Fake("lead", least=30)  # unpinned: 30 rows at 8 columns
    banner = Fake("banner", kind=StoryKind.BANNER, pin=Pin(row=40))
    late = Fake("after", least=60)  # listed after the banner: below it
    assert _banner_pin_conflicts([lead, banner, late], GEOMETRY, 93, "page 1") == []
