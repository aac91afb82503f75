"""A story's language (``lang:``) and URL breaks (``url_breaks:``) are part of the layout
cache's keys: changing either recomposes that story, and only that story (issue 8)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from paperlayout import cache
from paperlayout.build import lay_out
from paperlayout.layout import story as story_module
from paperlayout.loader import load_issue

SAMPLE = Path(__file__).resolve().parents[2] / "issues" / "dalate"


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "cache"))
    cache.configure(enabled=True)
    yield tmp_path / "cache"
    cache.configure(enabled=True)


@pytest.mark.parametrize("change", [{"lang": "en_GB"}, {"lang": ""}, {"url_breaks": "anywhere"}])
def test_changing_a_story_language_recomposes_that_story(store, monkeypatch, change):
    issue = load_issue(SAMPLE)
    lay_out(issue)
    page = issue.pages[0]
    k = next(i for i, s in enumerate(page.stories) if s.id == "dalate-experience-lectures")
    stories = page.stories[:k] + (replace(page.stories[k], **change),) + page.stories[k + 1:]
    edited = replace(issue, pages=(replace(page, stories=stories),) + issue.pages[1:])
    calls: list[str] = []
    original = story_module.StoryPlanner._arrange

    def counting(self, span):
        calls.append(self.story.id)
        return original(self, span)

    monkeypatch.setattr(story_module.StoryPlanner, "_arrange", counting)
    lay_out(edited)
    assert set(calls) == {"dalate-experience-lectures"}
    calls.clear()
    lay_out(issue)   # the story as it was: read back
    assert calls == []
