"""Composer throughput: characters per second of ``paperlayout.text.compose``.

    python benchmarks/bench_composer.py [--runs 7]

(a) the seed story's paragraphs (shared/seeds/000_*.txt, ASCII punctuation made full width
    as the loader does) at a 13-character measure (117 pt) and 9 pt;
(b) a 200,000-character text built from the same paragraphs.
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
from paperlayout.text import ComposeStyle, Run, compose  # noqa: E402

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


def bench(paras: list[str], fonts: FontBook, style: ComposeStyle, runs: int) -> float:
    """Median chars/s over ``runs`` samples; a sample repeats ``paras`` to ≥ 50,000 chars."""
    n = sum(len(p) for p in paras)
    passes = max(1, -(-50_000 // n))
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        for _ in range(passes):
            for p in paras:
                compose((Run(p, "serif"),), 117.0, style, fonts)
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
          f"{bench(paras, fonts, style, args.runs):,.0f} chars/s")
    big: list[str] = []
    total = 0
    while total < 200_000:
        for p in paras:
            big.append(p)
            total += len(p)
    print(f"(b) {total:,} chars in {len(big)} paragraphs: "
          f"{bench(big, fonts, style, max(3, args.runs // 2)):,.0f} chars/s")
    for name in ("kaiming", "banjiao"):
        s = ComposeStyle(size=9.0, punctuation=name)
        print(f"    seed, punctuation={name}: {bench(paras, fonts, s, args.runs):,.0f} chars/s")


if __name__ == "__main__":
    main()
