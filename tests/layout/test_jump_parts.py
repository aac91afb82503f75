"""A part of a continued story (转版) is judged as the whole story is: its first part, cut to a
few lines beside its photo, is not a picture story whose photos may take the module (editor's
rule photo-share judges parts by their original; the planner must too). The generated 64-page
benchmark issue had printed such a first part with its photo taking 54 % of its module."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from paperlayout.layout.story import StoryPlanner
from paperlayout.model import Paragraph, Photo, Story

TEXT = "达拉特旗着力践行以人民为中心的发展思想，走好新时代党的群众路线，深入开展走基层活动。"


@pytest.fixture(scope="module")
def ctx():
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset("broadsheet")
    return LayoutContext(styles, open_fonts(styles))


def test_parts_of_a_long_story_are_not_picture_stories(ctx):
    photo = Photo(Path("/nonexistent/p.jpg"), caption="图为干部走访农户。")
    whole = Story(id="s", head="干部下基层 聚力促振兴", body=tuple(Paragraph(TEXT * 3) for _ in range(10)), photos=(photo,))
    first = replace(whole, body=(Paragraph(TEXT),), jump_out=2)  # what stays: 43 characters
    rest = replace(whole, id="s-cont", body=(Paragraph(TEXT),), jump_in=1, part_of="s")
    pixels = ((1600, 1067),)
    assert not StoryPlanner(ctx, whole, 1, pixels).picture
    assert StoryPlanner(ctx, replace(first, jump_out=None), 1, pixels).picture  # alone it would be one
    assert not StoryPlanner(ctx, first, 1, pixels).picture
    assert not StoryPlanner(ctx, rest, 1, pixels).picture
    assert StoryPlanner(ctx, replace(first, picture=True), 1, pixels).picture  # marked by the editor
