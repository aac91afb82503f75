"""`LayoutContext.wraps_of` (a story's display lines for its cache entry) gives what
filtering the whole memo gives — the same entries in the same order — from an index kept
as `wrap` and `seed` add them (issue 11: walking the memo once per story was quadratic in
the page count)."""

from __future__ import annotations

from paperlayout.build import open_fonts
from paperlayout.layout.context import LayoutContext
from paperlayout.styles import preset

def _ctx() -> LayoutContext:
    styles = preset("broadsheet")
    return LayoutContext(styles, open_fonts(styles))


def _filtered(ctx: LayoutContext, texts: set[str]) -> dict:
    return {k: v for k, v in ctx._memo.items() if type(k) is tuple and k[0] == "w" and k[1] in texts}


def test_wraps_of_is_the_memo_filtered_in_its_order():
    ctx = _ctx()
    face, size = ctx.styles.body_face, ctx.styles.page.body_size
    texts = ["本报记者 张三 李四", "来源：新华社", "小标题一", "本报记者 张三 李四"]
    for width in (60.0, 200.0):
        for text in texts:
            ctx.wrap(text, face, size, width)
    ctx.count((), 10)  # other memo entries between them
    ctx.wrap("图片说明 王五 摄", face, size, 90.0, where="p1")
    wanted = {"本报记者 张三 李四", "图片说明 王五 摄"}
    got = ctx.wraps_of(wanted)
    assert list(got.items()) == list(_filtered(ctx, wanted).items())
    assert [k[1] for k in got] == ["本报记者 张三 李四", "本报记者 张三 李四", "图片说明 王五 摄"]
    assert ctx.wraps_of({"不在其中"}) == {}


def test_seeded_wraps_are_found_and_not_replaced():
    source = _ctx()
    face, size = source.styles.body_face, source.styles.page.body_size
    source.wrap("来源：新华社", face, size, 80.0)
    entry = source.wraps_of({"来源：新华社"})
    ctx = _ctx()
    ctx.wrap("本报记者 张三", face, size, 80.0)
    ctx.seed(entry)
    ctx.seed(entry)  # twice: nothing added again
    got = ctx.wraps_of({"来源：新华社", "本报记者 张三"})
    assert list(got.items()) == list(_filtered(ctx, {"来源：新华社", "本报记者 张三"}).items())
    assert len(got) == 2 and next(iter(got))[1] == "本报记者 张三"
