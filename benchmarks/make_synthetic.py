"""Generate a synthetic 16-page broadsheet issue for the planner and speed benchmarks.

Stories are made of sentences drawn (deterministically, seeded) from the sample issue, in
varied lengths, with photos (the sample issue's stand-ins), crossheads and briefs, so that
each page holds roughly a broadsheet page of copy. Usage:

    python benchmarks/make_synthetic.py [OUT_DIR] [--pages 16] [--jumps 5 [--extra 1500]]
"""

from __future__ import annotations

import argparse
import os
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "dalate" / "issue.yaml"


def sentences() -> list[str]:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    text = []
    for page in data["pages"]:
        for story in page["stories"]:
            for block in story.get("body", []) + story.get("items", []):
                if isinstance(block, str):
                    text.append(re.sub(r"\s+", "", block))
    out = []
    for para in text:
        out += [s for s in re.findall(r"[^。！？]*[。！？]”?", para) if len(s) > 6]
    return out


def paragraph(rng: random.Random, pool: list[str], length: int) -> str:
    out = ""
    while len(out) < length:
        out += rng.choice(pool)
    return out


def story(rng: random.Random, pool: list[str], photos: list[str], n: int, rank: int, chars: int) -> dict:
    heads = ["干部下基层 聚力促振兴", "春耕备耕正当时", "我旗举办新闻发言人培训班", "乡村振兴名师讲坛开讲",
             "集中销毁假冒伪劣商品", "包联驻村谱新篇", "黄河达拉特段全线开河", "特色产业助农增收"]
    body = []
    written = 0
    while written < chars:
        if body and rng.random() < 0.12 and chars > 1200:
            body.append({"crosshead": rng.choice(heads).replace(" ", "")})
            continue
        p = paragraph(rng, pool, rng.randint(60, 260))
        body.append(p)
        written += len(p)
    out = {"id": f"s{n}", "head": rng.choice(heads), "body": body}
    if rank == 0:
        out["kicker"] = "走基层·听民意·解民忧"
        out["byline"] = "本报记者 薛世昌"
    else:
        out["dateline"] = "本报讯（记者 刘婷 袁娇）"
    count = 2 if rank == 0 else (1 if rng.random() < 0.5 else 0)
    if count:
        out["photos"] = [{"file": rng.choice(photos), "caption": paragraph(rng, pool, 20)[:28]} for _ in range(count)]
    return out


def issue(pages: int, seed: int = 7, jumps: int = 0, extra: int = 1500, out: Path | None = None) -> dict:
    rng = random.Random(seed)
    pool = sentences()
    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    folder = out or ROOT / "benchmarks" / "synthetic16"  # photo paths are relative to the issue's folder
    photos = sorted({os.path.relpath(ROOT / "issues" / "dalate" / p["file"], folder)
                     for pg in sample["pages"] for s in pg["stories"] for p in s.get("photos", [])})
    out_pages = []
    n = 0
    for number in range(1, pages + 1):
        budget = 5600 if number == 1 else 6300
        # --jumps: pages 2, 4, … get `extra` characters more than fit (a story continues on
        # the next page, 转版) and the page after them that much less, to take it
        if 2 <= number <= 2 * jumps and number % 2 == 0:
            budget += extra
        elif 3 <= number <= 2 * jumps + 1 and number % 2 == 1:
            budget -= extra
        sizes = []
        while budget > 600:
            sizes.append(min(budget, rng.choice([600, 900, 1300, 1800, 2600])))
            budget -= sizes[-1]
        stories = []
        # the longest story leads (头条): the editor's rules want the lead the widest module
        for rank, size in enumerate(sorted(sizes, reverse=True)):
            stories.append(story(rng, pool, photos, n, rank, size))
            n += 1
        if number % 3 == 0:
            stories.append({"id": f"b{number}", "kind": "briefs", "head": "简讯",
                            "items": [paragraph(rng, pool, 50) for _ in range(4)]})
        out_pages.append({"number": number, "section": "要闻" if number == 1 else f"综合{number}", "stories": stories})
    return {
        "paper": {"name": "合成日报", "publisher": "paperlayout 基准测试", "sample": True},
        "issue": {"date": "2023-03-17", "number": 99, "running_number": 9999, "preset": "broadsheet"},
        "pages": out_pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default=str(ROOT / "benchmarks" / "synthetic16"))
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--jumps", type=int, default=0, help="overfill this many pages (2, 4, …) so a story continues")
    parser.add_argument("--extra", type=int, default=1500, help="characters of overfill per jumping page")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(issue(args.pages, jumps=args.jumps, extra=args.extra, out=out.resolve()), allow_unicode=True, sort_keys=False, width=1000)
    (out / "issue.yaml").write_text(text, encoding="utf-8")
    print(out / "issue.yaml")


if __name__ == "__main__":
    main()
