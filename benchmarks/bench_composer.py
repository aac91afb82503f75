"""Composer throughput: characters per second of ``paperlayout.text.compose`` and
``paperlayout.text.count_lines`` (the page planner's line counter).

    python benchmarks/bench_composer.py [--runs 7]

(a) compose on the seed story's paragraphs (shared/seeds/000_*.txt, ASCII punctuation made full width
    as the loader does) at a 13-character measure (117 pt) and 9 pt;
(b) a 200,000-character text built from the same paragraphs.
(c) count_lines on the seed paragraphs: "warm" (the same paragraphs again: their
    measure-independent preparation is memoised in the FontBook, as when the planner tries
    a story at a second measure) and "cold" (a fresh FontBook memo for every sample, the
    per-character font tables kept: the first measure tried);
(d) count_lines of each seed paragraph at the planner's 8 measures (10–28 characters);
(e) the line breaker alone (linebreak.break_path: every pass it needs) on the prepared seed
    paragraphs at those 8 measures and at 10 and 11 characters, where most paragraphs need
    the last pass (a line spaced beyond the tolerance otherwise).
Prints the median of several runs (process CPU time, steadier than wall time on a shared
machine). Also times FontBook.open + the first 5,000 lookups.
Uses fonts/NotoSerifSC-Regular.ttf, or the system Noto Serif CJK collection if absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from paperlayout.fonts import FontBook  # noqa: E402
from paperlayout.text import ComposeStyle, Run, compose, count_lines  # noqa: E402

SEED = Path("/work/shared/seeds/000_85694605ff7138c7.txt")
SYSTEM_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def serif_path() -> Path:
    local = REPO / "fonts" / "NotoSerifSC-Regular.ttf"
    return local if local.is_file() else SYSTEM_SERIF


def paragraphs() -> list[str]:
    try:
        from paperlayout.normalize import fullwidth_punct
    except ImportError:  # pragma: no cover
        def fullwidth_punct(t: str) -> str:
            return t
    text = SEED.read_text(encoding="utf-8") if SEED.is_file() else "今年以来，达拉特旗着力践行以人民为中心的发展思想。" * 20
    return [fullwidth_punct(p.strip()) for p in text.splitlines() if p.strip()]


def bench(paras: list[str], fonts: FontBook, style: ComposeStyle, runs: int, fn=compose,
          measures: tuple[float, ...] = (117.0,), cold: bool = False) -> float:
    """Median chars/s over ``runs`` samples; a sample repeats ``paras`` to ≥ 50,000 chars
    (each paragraph counted once per measure). ``cold``: forget the composer's per-paragraph
    memo before each pass (kept: the per-character and per-pair tables)."""
    n = sum(len(p) for p in paras) * len(measures)
    passes = max(1, -(-50_000 // n))
    items = [(Run(p, "serif"),) for p in paras]
    rates = []
    for _ in range(runs):
        elapsed = 0.0
        for _ in range(passes):
            if cold:
                fonts.memo("text.para").clear()
            t0 = time.process_time()
            for runs_ in items:
                for m in measures:
                    fn(runs_, m, style, fonts)
            elapsed += time.process_time() - t0
        rates.append(passes * n / elapsed)
    return statistics.median(rates)


def breaker(paras: list[str], fonts: FontBook, style: ComposeStyle, runs: int,
            measures: tuple[float, ...]) -> float:
    """Median chars/s of ``break_path`` over the prepared paragraphs at ``measures`` (pt):
    the preparation is done once, outside the timing; each paragraph counted once per measure."""
    from paperlayout.text.compose import _para
    from paperlayout.text.linebreak import break_path

    segments = [seg[0] for p in paras for seg in _para((Run(p, "serif"),), style, fonts).segments if seg[0].infos]
    n = sum(len(p.infos) for p in segments) * len(measures)
    passes = max(1, -(-50_000 // n))
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        for _ in range(passes):
            for p in segments:
                for m in measures:
                    break_path(p, m / style.size, style.indent, style)
        rates.append(passes * n / (time.process_time() - t0))
    return statistics.median(rates)


def font_open_cost(path: Path) -> tuple[float, float]:
    t0 = time.process_time()
    fonts = FontBook.open({"serif": path})
    fonts.advance("serif", "中")
    t1 = time.process_time()
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 5000)]
    for ch in chars:
        fonts.advance("serif", ch)
        fonts.halt("serif", ch)
    t2 = time.process_time()
    return t1 - t0, t2 - t1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    path = serif_path()
    t_open, t_lookup = font_open_cost(path)
    print(f"font: {path.name}: FontBook.open + first glyph {t_open * 1000:.1f} ms, "
          f"5,000 further lookups (advance + halt) {t_lookup * 1000:.1f} ms")
    fonts = FontBook.open({"serif": path})
    style = ComposeStyle(size=9.0)
    paras = paragraphs()
    seed_chars = sum(len(p) for p in paras)
    t0 = time.process_time()
    for p in paras:  # cold: fills the FontBook's per-character and per-pair memos
        compose((Run(p, "serif"),), 117.0, style, fonts)
    print(f"    cold first pass over the seed: {seed_chars / (time.process_time() - t0):,.0f} chars/s")
    print(f"(a) seed paragraphs ({len(paras)} paragraphs, {seed_chars} chars), 117 pt @ 9 pt: "
          f"{bench(paras, fonts, style, args.runs):,.0f} chars/s "
          f"(cold, paragraph memo cleared: {bench(paras, fonts, style, args.runs, cold=True):,.0f} chars/s)")
    big: list[str] = []
    total = 0
    while total < 200_000:
        for p in paras:
            big.append(p)
            total += len(p)
    print(f"(b) {total:,} chars in {len(big)} paragraphs: "
          f"{bench(big, fonts, style, max(3, args.runs // 2)):,.0f} chars/s")
    print(f"(c) count_lines, seed paragraphs, 117 pt @ 9 pt: "
          f"warm {bench(paras, fonts, style, args.runs, count_lines):,.0f} chars/s, "
          f"cold {bench(paras, fonts, style, args.runs, count_lines, cold=True):,.0f} chars/s")
    eight = tuple(9.0 * c for c in (10, 13, 15, 18, 20, 22, 25, 28))
    fonts.memo("text.para").clear()
    t0 = time.process_time()
    for p in paras:
        for m in eight:
            count_lines((Run(p, "serif"),), m, style, fonts)
    once = seed_chars * len(eight) / (time.process_time() - t0)
    print(f"(d) count_lines, seed paragraphs at 8 measures (10–28 chars), first time: "
          f"{once:,.0f} chars/s; compose at the same 8: "
          f"{bench(paras, fonts, style, max(3, args.runs // 2), compose, eight):,.0f} chars/s")
    print(f"(e) break_path, seed paragraphs at the 8 measures: {breaker(paras, fonts, style, args.runs, eight):,.0f} "
          f"chars/s; at 10 and 11 chars: {breaker(paras, fonts, style, args.runs, (90.0, 99.0)):,.0f} chars/s")
    for name in ("kaiming", "banjiao"):
        s = ComposeStyle(size=9.0, punctuation=name)
        print(f"    seed, punctuation={name}: {bench(paras, fonts, s, args.runs):,.0f} chars/s")


if __name__ == "__main__":
    main()
