"""A batch run at archive scale on generated issues: `paperlayout batch` with -j N on local
processes, then on a Dask LocalCluster, then resumed; prints issues/s and checks that the
two runs gave the same bytes.

    python scripts/batch_demo.py --count 60 -j 2 [--keep /tmp/batch-demo]

The issues are small one-page tabloid (四开) issues made from a template (``make_tree``, also
used by tests/archive/test_batch.py); ``--broken K`` makes K of them malformed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = (
    "今年以来，全旗着力践行以人民为中心的发展思想，走好新时代党的群众路线。",
    "近万名党员干部行走沃野深入基层，倾听百姓心声、助民纾困解难。",
    "全旗146个包联单位成立493个入户小分队，切实当好基层“办事员”。",
    "3月14日10时，黄河达拉特段全线开河，开河长度190公里，河水已归槽。",
    "为了解决浇地难题，驻村第一书记在入户走访中了解到黄灌渠因年久失修。",
    "旗纪委监委协调新建公厕1处，让群众“方便”更舒心。",
    "据了解，名师讲坛每月举办一次，今后将有更多学者专家登坛开讲。",
)
HEADS = ("干部下基层 聚力促振兴", "我旗集中销毁假冒伪劣商品", "新闻发言人培训班干货十足", "“达拉特经验”进课堂")

TEMPLATE = """paper:
  name: 测试报
  sample: true
issue:
  date: {date}
  number: {number}
  preset: tabloid
pages:
  - number: 1
    section: 要闻
    allow_holes: true  # a batch test, not a page for print: the short copy is allowed
    stories:
      - id: lead
        head: {head}
        dateline: 本报讯（记者 刘婷）
        body:
{body}
      - id: briefs
        kind: briefs
        head: 简讯
        items:
{items}
"""


def issue_yaml(index: int) -> str:
    """The YAML of generated issue ``index`` (distinct copy per index, deterministic)."""
    def para(k: int) -> str:
        return "".join(SENTENCES[(index + k + j) % len(SENTENCES)] for j in range(2 + (index + k) % 3))

    body = "\n".join(f"          - 第{index}期稿件。{para(k)}" for k in range(4 + index % 3))
    items = "\n".join(f"          - {SENTENCES[(index + k) % len(SENTENCES)]}" for k in range(2))
    date = dt.date(2023, 1, 1) + dt.timedelta(days=index)
    return TEMPLATE.format(date=date.isoformat(), number=index + 1, head=HEADS[index % len(HEADS)],
                           body=body, items=items)


def make_tree(root: Path, count: int, broken: tuple[int, ...] = ()) -> list[str]:
    """Write ``count`` issue folders root/YYYY/issue-NNN/issue.yaml; the indexes in ``broken``
    get an unknown key (a load error). Returns the issue names (paths in the tree)."""
    names = []
    for index in range(count):
        name = f"{2023 + index // 40}/issue-{index:03d}"
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        text = issue_yaml(index)
        if index in broken:
            text = text.replace("  preset: tabloid", "  preset: tabloid\n  colour_plan: odd")
        (folder / "issue.yaml").write_text(text, encoding="utf-8")
        names.append(name)
    return names


def tree_digest(out: Path) -> dict[str, str]:
    """sha256 of every PDF in an output tree, by relative path."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*.pdf"))}


def _run(args: list[str]) -> tuple[int, float, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "paperlayout", "batch", *args, "--no-progress"],
                          capture_output=True, text=True)
    return proc.returncode, time.perf_counter() - started, proc.stdout + proc.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("-j", type=int, default=2)
    parser.add_argument("--broken", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="batch-demo-"))
    tree = work / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    make_tree(tree, args.count, broken=tuple(range(7, 7 + args.broken)))
    results = {}
    for label, extra in (("local", []), ("dask", ["--dask-local"])):
        out = work / f"out-{label}"
        if out.exists():
            shutil.rmtree(out)
        code, seconds, text = _run([str(tree), "-o", str(out), "-j", str(args.j), *extra])
        built = args.count - args.broken
        print(f"{label}: exit {code}, {seconds:.1f} s, {built / seconds:.2f} issues/s (wall, incl. start-up)")
        print("  " + text.strip().replace("\n", "\n  "))
        results[label] = tree_digest(out)
    code, seconds, text = _run([str(tree), "-o", str(work / "out-local"), "-j", str(args.j)])
    print(f"resumed: exit {code}, {seconds:.1f} s")
    print("  " + text.strip().replace("\n", "\n  "))
    same = results["local"] == results["dask"]
    print(f"local and dask outputs byte-identical: {same} ({len(results['local'])} PDFs)")
    if args.keep is None:
        shutil.rmtree(work)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
