"""Build times as a user measures them: whole `paperlayout build` processes, CPU and wall.

    python benchmarks/bench_build.py            # 1 warm-up + 3 runs of every job
    python benchmarks/bench_build.py --quick    # 1 run, the short jobs only (about a minute)
    python benchmarks/bench_build.py --runs 5 --only sample,rebuild,typst-page1
    python benchmarks/bench_build.py --identity # also: same PDF bytes with cache cold, warm, --no-cache

Jobs (each run is a fresh process, `python -m paperlayout build ISSUE -o OUT`, preflight on,
the default; CPU is user + system of the process and every process it waited for —
layout workers, Ghostscript, poppler —, peak memory the largest resident set among them):

  sample           the sample issue (issues/dalate) as copy the tool has never seen: before
                   each run one character of EVERY story is changed (a different numeral each
                   run), so no story and no page comes from the cache; the fonts' and photos'
                   cache entries are warm, as on any machine that has built once
  sample-nocache   the sample with --no-cache (nothing read from or written to any cache)
  sample-same      the unchanged sample built again (everything warm: nothing to redo)
  rebuild          the sample again after one character of ONE story was changed (the
                   editor's loop: the cache holds everything of the previous version)
  synthetic16      the generated 16-page issue (benchmarks/make_synthetic.py), every story
                   changed before each run as for `sample` (new copy, warm font/photo caches)
  jumps16          a 16-page issue where five stories continue on the next page (转版), same
  synthetic64      a generated 64-page issue, same
  typst-page1/16   the Typst reference pages (../shared/bench/typst/, when the `typst`
                   Python package is installed), compiled by a process the same way

PYTHONDONTWRITEBYTECODE is removed from the builds' environment, as on a user's machine.
Runs go round-robin over the jobs (run 1 of every job, then run 2, …) so that a busy
machine slows every job alike. Prints a table of medians; the ratio column is our CPU over
Typst's for the sample (page1) and the 16-page jobs (page16). The caches of the warm jobs
live in a temporary folder (PAPERLAYOUT_CACHE), never the user's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "dalate"
TYPST_DIR = Path(os.environ.get("PAPERLAYOUT_TYPST_BENCH", ROOT.parent / "shared" / "bench" / "typst"))
QUICK = ("sample", "sample-nocache", "sample-same", "rebuild", "synthetic16", "typst-page1", "typst-page16")
ALL = ("sample", "sample-nocache", "sample-same", "rebuild", "synthetic16", "jumps16", "synthetic64",
       "typst-page1", "typst-page16")


def measure(command: list[str], env: dict) -> tuple[float, float, float, int]:
    """Run ``command``; (wall s, CPU s, peak RSS MiB, exit status). CPU and memory come from
    wait4, which includes the processes the child itself waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def synthetic(folder: Path, *args: str) -> Path:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_synthetic.py"), str(folder), *args],
                   check=True, stdout=subprocess.DEVNULL)
    return folder


def _edit(text: str, n: int) -> str:
    """``text`` with its middle character replaced by a numeral depending on ``n`` (same
    length, so the copy still fits)."""
    mid = len(text) // 2
    return text[:mid] + "一二三四五六七八九十"[n % 10] + text[mid + 1:]


def edited_copy(source: Path, folder: Path, n: int, every: bool) -> Path:
    """A copy of the issue at ``source`` in ``folder`` with one character of the first
    paragraph of its last story (``every``: of every story) changed by :func:`_edit`.
    The photos stay where they are (a symlink to the sample's, or the synthetic issues'
    relative paths, which ``folder`` keeps by sitting beside the source)."""
    data = yaml.safe_load((source / "issue.yaml").read_text(encoding="utf-8"))
    stories = [s for page in data["pages"] for s in page["stories"] if s.get("body") or s.get("items")]
    for story in stories if every else [next(s for s in reversed(stories) if s.get("body"))]:
        blocks = story.get("body") or story.get("items")
        k = next((i for i, b in enumerate(blocks) if isinstance(b, str)), None)
        if k is not None:
            blocks[k] = _edit(blocks[k], n)
    folder.mkdir(parents=True, exist_ok=True)
    if source == SAMPLE and not (folder / "photos").exists():
        (folder / "photos").symlink_to(SAMPLE / "photos")
    (folder / "issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


class Jobs:
    """The commands of each job, with their inputs made once in ``work``."""

    def __init__(self, work: Path, names: tuple[str, ...]) -> None:
        self.work = work
        self.env = dict(os.environ, PAPERLAYOUT_CACHE=str(work / "cache"), PYTHONPATH=str(ROOT / "src"))
        # as on a user's machine, Python keeps the compiled modules (some sandboxes and CI
        # images set this, which costs every process ~0.07 s of compiling paperlayout)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.issues: dict[str, Path] = {}
        if "synthetic16" in names:
            self.issues["synthetic16"] = synthetic(work / "synthetic16")
        if "jumps16" in names:
            self.issues["jumps16"] = synthetic(work / "jumps16", "--jumps", "5")
        if "synthetic64" in names:
            self.issues["synthetic64"] = synthetic(work / "synthetic64", "--pages", "64")
        self.runs = 0

    def build(self, issue: Path, *extra: str) -> list[str]:
        # --root: the synthetic issues' photos are the sample's, outside their own folders
        # (the sample and its edited copy hold their photos: no --root)
        root = () if issue == SAMPLE or issue.parent == self.work / "edited" else ("--root", "/")
        return [sys.executable, "-m", "paperlayout", "build", str(issue), "-o", str(self.work / "out.pdf"),
                *root, *extra]

    def run(self, name: str) -> tuple[float, float, float, int]:
        self.runs += 1
        if name == "sample-same":
            return measure(self.build(SAMPLE), self.env)
        if name == "sample-nocache":
            return measure(self.build(SAMPLE, "--no-cache"), self.env)
        if name == "rebuild":
            folder = self.work / "edited" / "rebuild"
            measure(self.build(edited_copy(SAMPLE, folder, self.runs, every=False)), self.env)  # the previous build
            return measure(self.build(edited_copy(SAMPLE, folder, self.runs + 1, every=False)), self.env)
        if name.startswith("typst-"):
            source = TYPST_DIR / f"{name[6:]}.typ"
            code = f"import typst; typst.compile({str(source)!r}, output={str(self.work / 't.pdf')!r})"
            return measure([sys.executable, "-c", code], self.env)
        if name == "sample":
            return measure(self.build(edited_copy(SAMPLE, self.work / "edited" / "sample", self.runs, every=True)),
                           self.env)
        source = self.issues[name]
        return measure(self.build(edited_copy(source, source.parent / f"{name}-run", self.runs, every=True)),
                       self.env)


def identity(work: Path) -> None:
    """Same bytes with the cache cold, warm and bypassed, for the sample and the 16-page issue."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for issue in (SAMPLE, synthetic(work / "id16")):
        outputs = []
        store = work / f"idcache-{issue.name}"
        for label, extra in (("no-cache", ("--no-cache",)), ("cold", ()), ("warm", ())):
            out = work / f"{issue.name}-{label}.pdf"
            subprocess.run([sys.executable, "-m", "paperlayout", "build", str(issue), "-o", str(out),
                            "--root", str(ROOT), *extra],
                           env=dict(env, PAPERLAYOUT_CACHE=str(store)), check=True, capture_output=True)
            outputs.append((label, out.read_bytes()))
        same = all(data == outputs[0][1] for _, data in outputs)
        print(f"identity {issue.name}: {', '.join(label for label, _ in outputs)} "
              f"{'byte-identical' if same else 'DIFFER'} ({len(outputs[0][1])} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per job (median reported)")
    parser.add_argument("--warmups", type=int, default=1, help="untimed runs of every job first")
    parser.add_argument("--quick", action="store_true", help="one run, no warm-up, the short jobs only")
    parser.add_argument("--only", help="comma-separated job names")
    parser.add_argument("--identity", action="store_true", help="also check the bytes with and without the cache")
    args = parser.parse_args()
    names = tuple(args.only.split(",")) if args.only else (QUICK if args.quick else ALL)
    unknown = set(names) - set(ALL)
    if unknown:
        parser.error(f"unknown job(s): {', '.join(sorted(unknown))}; choose from {', '.join(ALL)}")
    have_typst = subprocess.run([sys.executable, "-c", "import typst"], capture_output=True).returncode == 0
    if not (have_typst and TYPST_DIR.is_dir()):
        names = tuple(n for n in names if not n.startswith("typst-"))
        print(f"typst jobs skipped: {'no typst package (pip install typst)' if not have_typst else f'no {TYPST_DIR}'}")
    runs = 1 if args.quick else args.runs
    warmups = 0 if args.quick else args.warmups
    with tempfile.TemporaryDirectory(prefix="paperlayout-bench-") as tmp:
        jobs = Jobs(Path(tmp), names)
        if not warmups:
            jobs.run("sample-same")  # fill the fonts' and photos' cache (and the compiled modules), untimed
        results: dict[str, list[tuple[float, float, float, int]]] = {n: [] for n in names}
        for index in range(warmups + runs):
            for name in names:
                result = jobs.run(name)
                if index >= warmups:
                    results[name].append(result)
        print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
              f"median of {runs} run(s) after {warmups} warm-up(s)")
        print(f"{'job':16} {'CPU s':>7} {'wall s':>7} {'peak MiB':>9} {'vs Typst CPU':>13}  exit")
        medians = {n: (statistics.median(r[1] for r in rs), statistics.median(r[0] for r in rs),
                       max(r[2] for r in rs), sorted({r[3] for r in rs})) for n, rs in results.items()}
        reference = {"sample": "typst-page1", "sample-nocache": "typst-page1", "sample-same": "typst-page1",
                     "rebuild": "typst-page1",
                     "synthetic16": "typst-page16", "jumps16": "typst-page16"}
        for name, (cpu, wall, rss, codes) in medians.items():
            ref = medians.get(reference.get(name, ""))
            ratio = f"{cpu / ref[0]:.1f} ×" if ref else ""
            print(f"{name:16} {cpu:7.2f} {wall:7.2f} {rss:9.0f} {ratio:>13}  {','.join(map(str, codes))}")
        if "synthetic64" in medians and "synthetic16" in medians:
            print(f"64 pages / 16 pages CPU: {medians['synthetic64'][0] / medians['synthetic16'][0]:.2f}")
        if "jumps16" in medians and "synthetic16" in medians:
            print(f"jumps / no jumps CPU: {medians['jumps16'][0] / medians['synthetic16'][0]:.2f}")
        if args.identity:
            identity(Path(tmp))


if __name__ == "__main__":
    main()
