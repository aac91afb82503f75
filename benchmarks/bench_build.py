"""Time whole builds (load → lay out → render → PDF/X) and report peak memory.

    python benchmarks/bench_build.py [ISSUE ...] [--runs 5]

Default issues: the sample issue and the synthetic 16-page issue (generated if missing).
Each run is a fresh subprocess, so font loading and registration are counted as a user sees
them; peak memory is the child's max RSS. Prints the median and min of the runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time, json, resource
from pathlib import Path
t0 = time.perf_counter()
from paperlayout.loader import load_issue
from paperlayout.build import lay_out, to_pdf
issue = load_issue(Path(sys.argv[1]), root=Path(sys.argv[1]).resolve().parents[1])  # the checkout: synthetic photos are ../../issues/dalate
t1 = time.perf_counter()
laid = lay_out(issue)
t2 = time.perf_counter()
data, _ = to_pdf(laid)
t3 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "layout": t2 - t1, "render": t3 - t2, "total": t3 - t0,
                  "pages": len(laid.pages), "bytes": len(data), "errors": len(laid.report.errors),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(issue: Path, runs: int) -> None:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD, str(issue)], capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = {k: statistics.median(r[k] for r in results) for k in ("load", "layout", "render", "total", "maxrss_mb")}
    print(f"{issue}: {results[0]['pages']} pages, {results[0]['bytes'] // 1024} KiB, {results[0]['errors']} layout errors")
    print(f"  total median {med['total']:.2f} s (min {min(r['total'] for r in results):.2f} s) over {runs} runs;"
          f" load {med['load']:.2f} s, layout {med['layout']:.2f} s, render+PDF/X {med['render']:.2f} s;"
          f" peak RSS {med['maxrss_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("issues", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    issues = [Path(p) for p in args.issues]
    if not issues:
        synthetic = ROOT / "benchmarks" / "synthetic16" / "issue.yaml"
        if not synthetic.exists():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_synthetic.py")], check=True)
        issues = [ROOT / "issues" / "dalate", synthetic]
    for issue in issues:
        run(issue, args.runs)


if __name__ == "__main__":
    main()
