"""A build lets go of what only the layout needed (issue 11: peak memory at 16 pages):
the paragraphs prepared for line breaking and the segmenter's dictionary. What is
computed again afterwards is the same."""

from __future__ import annotations

from pathlib import Path

from paperlayout.build import lay_out
from paperlayout.loader import load_issue
from paperlayout.text import segment
from paperlayout.text.compose import compose, count_lines

SAMPLE = Path(__file__).resolve().parents[1] / "issues" / "dalate"


def test_lay_out_drops_the_prepared_paragraphs_and_the_dictionary(monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", "off")
    laid = lay_out(load_issue(SAMPLE))
    assert "text.para" not in laid.fonts._memos
    assert segment._tokenizer.cache_info().currsize == 0


def test_words_after_release_are_the_words_before():
    segment.words.cache_clear()
    before = segment.words("达拉特旗农牧民收入持续增长")
    segment.release()
    segment.words.cache_clear()
    after = segment.words("达拉特旗农牧民收入持续增长")
    assert after == before
    assert "".join(after) == "达拉特旗农牧民收入持续增长"
    assert len(after) > 1  # segmented into words, not one run


def test_a_paragraph_composed_after_forget_is_the_same(monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", "off")
    laid = lay_out(load_issue(SAMPLE))
    from paperlayout.layout.context import LayoutContext
    from paperlayout.text.model import Run

    ctx = LayoutContext(laid.styles, laid.fonts)
    runs = (Run("达拉特旗今年新建高标准农田十二万亩，农牧民人均可支配收入同比增长百分之七点二。" * 3,
                laid.styles.body_face),)
    style = ctx.compose_style(None, indent=2.0)
    first = compose(runs, 11 * style.size, style, laid.fonts)
    counted = count_lines(runs, 11 * style.size, style, laid.fonts)
    laid.fonts.forget("text.para")
    again = compose(runs, 11 * style.size, style, laid.fonts)
    assert [[(g.text, g.x) for g in line.glyphs] for line in again.lines] == [[(g.text, g.x) for g in line.glyphs] for line in first.lines]
    assert counted[0] == len(first.lines) > 1


def test_lay_out_runs_no_full_collection_and_restores_the_thresholds(monkeypatch):
    import gc

    from paperlayout import build

    monkeypatch.setenv("PAPERLAYOUT_CACHE", "off")
    before = gc.get_threshold()
    seen = []

    def note(phase, info):
        if phase == "start":
            seen.append((info["generation"], gc.get_threshold()))

    issue = load_issue(SAMPLE)
    gc.callbacks.append(note)
    try:
        with build.young_collections_only():
            inside = gc.get_threshold()
            gc.collect(1)  # a young collection is still allowed
        build.lay_out(issue)
    finally:
        gc.callbacks.remove(note)
    assert inside[:2] == before[:2] and inside[2] > 1_000_000
    assert gc.get_threshold() == before
    assert all(gen < 2 for gen, thresholds in seen if thresholds[2] > 1_000_000)


def test_nested_and_overlapping_layouts_restore_the_thresholds_once_all_are_done():
    import gc

    from paperlayout import build

    before = gc.get_threshold()
    outer = build.young_collections_only()
    inner = build.young_collections_only()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # the first one out: the other still runs
    assert gc.get_threshold()[2] > 1_000_000
    inner.__exit__(None, None, None)
    assert gc.get_threshold() == before
