"""The last head tier reaches 四号 (14 pt), so a one-column item's head that no break between
words lets fit at 三号 is set a step smaller, not broken inside a word (issue 8 defect 3: the
corpus's "早稻收割进 / 入扫尾阶段" in a 12-character 四开 column)."""

from __future__ import annotations

import pytest

from paperlayout.layout.blocks import headline_block
from paperlayout.model import Story


@pytest.fixture(scope="module")
def styles():
    from paperlayout.styles import preset

    return preset("tabloid")


@pytest.fixture(scope="module")
def ctx(styles):
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext

    return LayoutContext(styles, open_fonts(styles))


def test_the_last_tier_ends_at_si_hao(styles):
    assert styles.head_tiers[-1].sizes[-2:] == (16.0, 14.0)


@pytest.mark.parametrize("head, lines", [
    ("早稻收割进入扫尾阶段", ["早稻收割进入", "扫尾阶段"]),
    ("6条公交线路优化调整", ["6条公交线路", "优化调整"]),
])
def test_a_one_column_head_is_set_at_si_hao_between_words(ctx, styles, head, lines):
    page = styles.page
    width = page.span_width(1)  # one basic column of 四开: 12 characters of 小五, 108 pt
    tier = styles.head_tiers[-1]
    story = Story(id="s", head=head, where="issue.yaml:9")
    three = tier.sizes.index(16.0)
    assert headline_block(ctx, story, width, tier, three) is None  # 三号: no break between words fits
    block = headline_block(ctx, story, width, tier, three + 1)
    assert block is not None and block.size == 14.0
    assert [p.line.text for p in block.lines] == lines
    assert [d.code for d in block.diagnostics] == ["head-shrunk"]
