"""CPU of reading our own PDF back: `verify` and `preflight(own=True)`, as `paperlayout build` runs them.

    python benchmarks/bench_readback.py                 # the sample and the generated 16-page issue
    python benchmarks/bench_readback.py --only sample --runs 5
    python benchmarks/bench_readback.py --dump /tmp/rb  # also write the findings (JSON) per job

The layout and the PDF are made once per job (untimed); then each run times, in this
process, `verify_laid(pdf, laid, readback=True)` and `preflight(probe, own=True,
mono_pages=…, readback=…)` on the written bytes, as `paperlayout build` calls them
(`--processes 1`: verify in one process, no forked child)
(PAPERLAYOUT_BENCH_SRC=/path/to/src measures another tree's sources the way that tree's
build calls them, for a before/after comparison). CPU is user + system of this process plus that of the child processes
waited for during the step (Ghostscript, poppler), from getrusage. Prints medians.
`--dump` writes the verification and preflight results, so two versions of the code can be
compared finding for finding (`diff -r`).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(os.environ.get("PAPERLAYOUT_BENCH_SRC", ROOT / "src"))  # another tree's sources, to compare
sys.path.insert(0, str(SRC))


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _job(name: str, tmp: Path):
    from paperlayout.build import lay_out, to_pdf
    from paperlayout.loader import load_issue

    if name == "sample":
        folder, root = ROOT / "issues" / "dalate", None
    else:
        folder, root = tmp / "syn16", Path("/")
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_synthetic.py"), str(folder), "--pages", "16"],
                       check=True, stdout=subprocess.DEVNULL)
    model = load_issue(folder, root=root)
    laid = lay_out(model)
    data, _ = to_pdf(laid)
    mono = frozenset(page.number for page in model.pages if not page.is_colour)
    return laid, data, mono


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="sample,synthetic16")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--processes", type=int, choices=(1, 2), default=2,
                        help="1: verify in one process (PAPERLAYOUT_VERIFY_PROCESSES=1); 2: the default, "
                             "a forked child checks the later pages of a PDF of verify.FORK_PAGES pages or more")
    args = parser.parse_args()
    if args.processes == 1:
        os.environ["PAPERLAYOUT_VERIFY_PROCESSES"] = "1"
    from paperlayout.preflight import preflight
    from paperlayout.verify import verify_laid

    shared = {"readback": True} if "readback" in inspect.signature(verify_laid).parameters else {}
    print(f"{'job':12} {'step':10} {'CPU s':>7} {'wall s':>7}  (median of {args.runs}; sources {SRC})")
    with tempfile.TemporaryDirectory(prefix="bench-readback-") as folder:
        tmp = Path(folder)
        for name in args.only.split(","):
            laid, data, mono = _job(name, tmp)
            probe = tmp / f"{name}.pdf"
            probe.write_bytes(data)
            times: dict[str, list[tuple[float, float]]] = {"verify": [], "preflight": []}
            for _ in range(args.runs):
                c0, w0 = _cpu(), time.perf_counter()
                checked = verify_laid(data, laid, **shared)
                c1, w1 = _cpu(), time.perf_counter()
                reading = {"readback": checked.readback} if shared else {}
                report = preflight(probe, ink_limit=laid.styles.ink_limit, own=True, mono_pages=mono, **reading)
                c2, w2 = _cpu(), time.perf_counter()
                times["verify"].append((c1 - c0, w1 - w0))
                times["preflight"].append((c2 - c1, w2 - w1))
            for step, values in times.items():
                cpu = statistics.median(v[0] for v in values)
                wall = statistics.median(v[1] for v in values)
                print(f"{name:12} {step:10} {cpu:7.3f} {wall:7.3f}")
            print(f"{name:12} {'both':10} {sum(statistics.median(v[0] for v in t) for t in times.values()):7.3f}")
            if args.dump:
                args.dump.mkdir(parents=True, exist_ok=True)
                (args.dump / f"{name}-verify.json").write_text(
                    json.dumps(checked.to_dict(), ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")
                text = json.loads(report.to_json())
                text["file"] = name
                (args.dump / f"{name}-preflight.json").write_text(
                    json.dumps(text, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
