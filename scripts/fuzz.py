#!/usr/bin/env python3
"""Run the whole hostile-input corpus (tests/fuzz/corpus.py) and print a table per class.

    python3 scripts/fuzz.py              # all cases
    python3 scripts/fuzz.py photos       # cases whose name contains "photos"
    python3 scripts/fuzz.py --quick      # the subset the test suite runs
    python3 scripts/fuzz.py -j 2         # two cases at a time

Columns: cases, passed, tracebacks, hangs, memory blow-ups, inputs overwritten, exit 0
where a failure is due, exit-2 messages not located, other wrong exit codes. Exit status 1
if any case failed; each failure is listed with its output's tail.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from corpus import all_cases, run_case  # noqa: E402

COLUMNS = ("cases", "passed", "traceback", "hang", "memory", "overwritten", "exit0-due-fail", "unlocated", "wrong-exit")


def classify(outcome) -> set[str]:
    tags = set()
    for p in outcome.problems:
        if p in ("traceback", "internal error"):
            tags.add("traceback")
        elif p.startswith("hang"):
            tags.add("hang")
        elif p.startswith("memory"):
            tags.add("memory")
        elif p.startswith("input changed") or p.startswith("stray"):
            tags.add("overwritten")
        elif p.startswith("exit 0,"):
            tags.add("exit0-due-fail")
        elif p.startswith("message not located"):
            tags.add("unlocated")
        else:
            tags.add("wrong-exit")
    return tags


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("filter", nargs="?", default="")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    args = parser.parse_args()
    cases = [c for c in all_cases() if args.filter in c.name and (c.quick or not args.quick)]
    table: dict[str, Counter] = defaultdict(Counter)
    failures = []

    def one(case):
        with tempfile.TemporaryDirectory(prefix="plfuzz-") as tmp:
            return run_case(case, Path(tmp))

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for outcome in pool.map(one, cases):
            row = table[outcome.case.kind]
            row["cases"] += 1
            tags = classify(outcome)
            if not tags:
                row["passed"] += 1
            for tag in tags:
                row[tag] += 1
            if tags:
                failures.append(outcome)
            print(f"{'ok  ' if not tags else 'FAIL'} {outcome.seconds:6.1f}s exit {outcome.code} {outcome.case.name}",
                  file=sys.stderr, flush=True)
    total = Counter()
    for row in table.values():
        total.update(row)
    width = max(len(k) for k in list(table) + ["total"])
    print()
    print(f"{'class':<{width}} " + " ".join(f"{c:>{max(5, len(c))}}" for c in COLUMNS))
    for kind, row in list(table.items()) + [("total", total)]:
        print(f"{kind:<{width}} " + " ".join(f"{row[c]:>{max(5, len(c))}}" for c in COLUMNS))
    for outcome in failures:
        print(f"\n--- {outcome.case.name}: {'; '.join(outcome.problems)}\n{outcome.output[-800:]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
