"""The generated 16-page broadsheet issue lays out with the sample's guarantees:
every page filled, every story's columns level, nothing lost, no overlap."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_synthetic", ROOT / "benchmarks" / "make_synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("synthetic16")
    data = module.issue(16)
    for page in data["pages"]:  # photo paths are relative to benchmarks/synthetic16/
        for story in page["stories"]:
            for photo in story.get("photos", []):
                photo["file"] = str(ROOT / "issues" / "dalate" / Path(photo["file"]).relative_to("../../issues/dalate"))
    (folder / "issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from paperlayout.build import lay_out
    from paperlayout.loader import load_issue

    issue = load_issue(folder, root=ROOT)  # the photos are the sample's, outside the tmp folder
    return issue, lay_out(issue)


def test_sixteen_pages_all_filled_and_level(synthetic):
    issue, laid = synthetic
    assert len(laid.pages) == 16
    assert laid.report.errors == ()
    for page in laid.report.pages:
        assert page.largest_hole_rows == 0, (page.number, page.plan)
        assert page.fill == pytest.approx(1.0)
        for story in page.stories:
            assert story.level, (page.number, story.id, story.column_bottoms)


def test_every_story_set_once(synthetic):
    issue, laid = synthetic
    from paperlayout.frames import TextLine

    parts = {s.id: s.part_of or s.id for r in laid.pages for s in r.stories}  # a jump's continuation is a part
    set_ids = Counter(frame.story for r in laid.pages for frame in r.frame.stories)
    assert set(set_ids.values()) == {1}
    assert {parts[i] for i in set_ids} == {s.id for p in issue.pages for s in p.stories}
    assert not [d for d in laid.report.diagnostics if d.code == "text-lost"]
    lines = sum(1 for r in laid.pages for f in r.frame.stories for it in f.items if isinstance(it, TextLine))
    assert lines > 16 * 400


def test_parallel_planning_gives_the_same_pages_as_sequential(synthetic):
    issue, laid = synthetic
    from paperlayout.build import open_fonts, read_photos
    from paperlayout.layout.context import LayoutContext
    from paperlayout.layout.issue import lay_out_page, page_quality

    ctx = LayoutContext(laid.styles, open_fonts(laid.styles))
    aspects = read_photos(issue)
    compared = 0
    for index in range(4):
        if any(s.part_of or s.jump_out for s in laid.pages[index].stories):
            continue  # a page with a jump (转版) is redone in order, not planned alone
        alone = lay_out_page(ctx, issue, issue.pages[index], aspects)
        if page_quality(alone) != (0, 0):
            continue  # not filled cleanly alone: redone in order with the editor's fallbacks (air, fillers)
        assert alone.frame == laid.pages[index].frame
        compared += 1
    assert compared >= 2


def test_no_collisions_on_any_page(synthetic, check_frame):
    issue, laid = synthetic
    for result in laid.pages:
        check_frame(result.frame)
