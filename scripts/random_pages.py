#!/usr/bin/env python3
"""Random one-page issues from the corpus's copy, planned by `paperlayout check`: the planner
must never choose a plan that its own checker then finds against an editor's rule.

    python3 scripts/random_pages.py               # seeds 1 … 200
    python3 scripts/random_pages.py 1000 300      # seeds 1000 … 1299
    python3 scripts/random_pages.py --styles      # also on the corpus's house style sheets (other grids)
    python3 scripts/random_pages.py --jumps       # two pages, page 1's lead long enough to jump (转版)
    python3 scripts/random_pages.py --extras      # with a banner across page 1 and a pool of fillers (补白)
    python3 scripts/random_pages.py --keep DIR    # keep each issue.yaml (to look at a proof)

Each seed makes a 对开 or 四开 page (on the presets' grids or the corpus's style sheets) of 2 to 9 stories — articles (a head cut from a sentence,
sometimes a kicker, subhead or byline, 1 to 14 paragraphs, crossheads between them often, 0 to
2 photos from tests/corpus/photos), boxes and briefs — with `allow_holes: true`, and runs
`check` on it. A seed fails when:

* the command ends in a traceback or with an exit code other than 0, 1 (refused) and 2 (bad
  input: none is expected, as the pages of bad input on purpose are not drawn from);
* a plan was chosen and its rules line shows a rule BROKEN other than page-fill (holes are
  allowed here) and lead-widest (chosen, and explained, only when no plan with the lead the
  widest fills the page);
* the page is refused (exit 1) with an error line that names no rule or check (no [code]).

This is how a planner path that skipped a rule (题文穿插 counting rows for column-lines) and a
head ending on an opening quotation mark were found; it runs in a minute or two per hundred
seeds. tests/test_random_pages.py runs a few seeds.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
#: (preset, corpus folder of its house style sheet): with --styles a page is set on the preset's grid
#: (对开 8 × 13, 四开 6 × 12) or on one of these (7 × 15, 6 × 15 五号, 5 × 14 副刊), drawn apart so
#: that a seed's stories are the same either way.
STYLES = (("broadsheet", "22-style-7x15"), ("broadsheet", "23-style-6col-wuhao"), ("tabloid", "26-features-5col-style"))
#: Rules a chosen plan may show as broken on these pages, each with the reason.
EXPLAINED = {
    "page-fill": "allow_holes: true on every random page",
    "lead-widest": "chosen only when no plan with the lead the widest fills the page, and said so",
}


def sentences() -> list[str]:
    """Paragraphs of the corpus's hand-written copy (10 to 400 characters, no URL or e-mail)."""
    out = []
    for path in sorted(CORPUS.glob("*/issue.yaml")):
        name = path.parent.name
        if name.startswith("04-") or "bad-" in name or "no-font" in name:  # generated; bad input on purpose
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError):  # the bad-input pages (27: 2024-02-30)
            continue
        for page in (data or {}).get("pages") or []:
            for story in page.get("stories") or []:
                for block in (story.get("body") or []) + (story.get("items") or []):
                    if isinstance(block, str) and 10 < len(block) < 400 and "http" not in block and "@" not in block:
                        out.append(block.strip())
    return out


def photo_files() -> list[str]:
    """The corpus's photos a random story may take (not the low-resolution scan, which no rule
    lets print at any useful size)."""
    return sorted(str(p) for p in (CORPUS / "photos").glob("*.jpg") if "lowres" not in p.name)


def _story(r: random.Random, i: int, pool: list[str], photos: list[str], crossheads: float) -> dict:
    kind = r.choices(["article", "box", "briefs"], [8, 1, 1])[0]
    story: dict = {"id": f"s{i}"}
    if kind == "briefs":
        story.update(kind="briefs", head="简讯", items=[r.choice(pool) for _ in range(r.randint(2, 5))])
        return story
    if kind == "box":
        story["kind"] = "box"
    story["head"] = r.choice(pool)[: r.randint(6, 22)].rstrip("，。、；：")
    if r.random() < 0.3:
        story["kicker"] = r.choice(pool)[: r.randint(5, 14)]
    if r.random() < 0.2:
        story["subhead"] = "——" + r.choice(pool)[: r.randint(8, 18)]
    if r.random() < 0.5:
        story["byline"] = "本报记者 " + r.choice(["张三", "李四", "王五", "巴特尔"])
    body: list = []
    for _ in range(r.choice([1, 2, 3, 4, 6, 9, 14])):
        if r.random() < crossheads:
            body.append({"crosshead": r.choice(pool)[: r.randint(4, 14)].rstrip("，。")})
        body.append(r.choice(pool))
    story["body"] = body
    if kind == "article" and r.random() < 0.4:
        story["photos"] = [{"file": r.choice(photos), "caption": r.choice(pool)[:40]} for _ in range(r.choice([1, 1, 2]))]
    return story


def issue(seed: int, pool: list[str], photos: list[str], styles: bool = False, jumps: bool = False,
          extras: bool = False) -> dict:
    """The random issue of `seed` (the same on every run)."""
    r = random.Random(seed)
    preset = r.choice(["tabloid", "broadsheet"])
    style = random.Random(-seed).choice([None] + [name for p, name in STYLES if p == preset]) if styles else None
    crossheads = r.choice([0.0, 0.15, 0.45])
    stories = [_story(r, i, pool, photos, crossheads) for i in range(r.randint(2, 7 if preset == "tabloid" else 9))]
    head = {"date": "2026-12-01", "number": seed % 900 + 1, "preset": preset}
    if style:
        head["style"] = str(CORPUS / style / "style.yaml")
    pages = [{"number": 1, "section": "要闻", "allow_holes": True, "stories": stories}]
    if jumps:
        # a second page, and a lead on the first long enough to jump (转版) onto it when the
        # first page overflows: drawn apart, so that page 1's other stories stay the seed's
        more = random.Random(seed + 1_000_003)
        lead = stories[0]
        if "body" in lead:
            lead["body"] = lead["body"] + [more.choice(pool) for _ in range(more.randint(8, 30))]
        second = [_story(more, i, pool, photos, crossheads) for i in range(len(stories), len(stories) + more.randint(2, 6))]
        pages.append({"number": 2, "section": "综合", "allow_holes": True, "stories": second})
    out = {"paper": {"name": "测试报", "publisher": "测试", "cn": "CN 00-0000", "sample": True},
           "issue": head, "pages": pages}
    if extras:
        # a banner (a slogan across the page) after one of the stories, and a pool of fillers
        # (补白) the planner may take from: drawn apart, as the styles
        more = random.Random(seed + 2_000_003)
        slogans = ("深化改革开放 推动高质量发展", "守护一河清水 建设美丽家园", "弘扬时代新风 建设文明城市")
        at = more.randint(1, len(stories))
        stories.insert(at, {"id": "banner", "kind": "banner", "text": more.choice(slogans)})
        out["fillers"] = [{"id": f"f{k}", "head": more.choice(pool)[: more.randint(6, 14)].rstrip("，。、；："),
                           "body": [more.choice([t for t in pool if len(t) < 160])]} for k in range(more.randint(1, 4))]
    return out


def problems(code: int, output: str) -> list[str]:
    """What is wrong with one `check` run (exit `code`, stdout and stderr)."""
    found = []
    if "Traceback" in output or code not in (0, 1):
        found.append(f"exit {code}" + (" with a traceback" if "Traceback" in output else ""))
    if "plan: chosen" in output:
        for line in output.splitlines():
            if line.strip().startswith("rules:"):
                for rule in re.findall(r"([a-z-]+) [^;]*? BROKEN", line):
                    if rule not in EXPLAINED:
                        found.append(f"the chosen plan breaks {rule}")
    for line in output.splitlines() if code == 1 else ():
        if line.startswith("error:") and not re.search(r"\[[a-z-]+\]$", line) and "Fix what is named" not in line:
            found.append(f"an error without its code: {line[:120]}")
    return found


def run(seed: int, folder: Path, pool: list[str], photos: list[str], styles: bool = False,
        jumps: bool = False, extras: bool = False) -> tuple[int, list[str]]:
    """Write seed's issue into `folder` and check it in this process; (exit code, problems)."""
    from click.testing import CliRunner

    from paperlayout.cli import main

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(yaml.safe_dump(issue(seed, pool, photos, styles, jumps, extras), allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder), "--root", str(ROOT)])
    output = result.output + (f"\nTraceback: {result.exception!r}" if result.exception and
                              not isinstance(result.exception, SystemExit) else "")
    return result.exit_code, problems(result.exit_code, output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("start", nargs="?", type=int, default=1)
    parser.add_argument("count", nargs="?", type=int, default=200)
    parser.add_argument("--styles", action="store_true", help="also set pages on the corpus's house style sheets")
    parser.add_argument("--jumps", action="store_true", help="two pages, page 1's lead long enough to jump onto page 2")
    parser.add_argument("--extras", action="store_true", help="a banner on page 1 and a pool of fillers (补白)")
    parser.add_argument("--keep", type=Path, help="write each issue under DIR/seed-N instead of a temporary folder")
    args = parser.parse_args()
    pool = sentences()
    photos = photo_files()
    codes: dict[int, int] = {}
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for seed in range(args.start, args.start + args.count):
            code, found = run(seed, base / f"seed-{seed}", pool, photos, args.styles, args.jumps, args.extras)
            codes[code] = codes.get(code, 0) + 1
            if found:
                failed += 1
                print(f"seed {seed}: " + "; ".join(found), flush=True)
    print(f"{args.count} pages: " + ", ".join(f"exit {c}: {n}" for c, n in sorted(codes.items()))
          + f"; {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
