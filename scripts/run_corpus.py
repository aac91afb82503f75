"""Build every corpus issue (tests/corpus/NN-*/) and the sample with the CLI; print a table.

For each issue this runs, with this checkout's sources first on the path,

    python -m paperlayout build ISSUE -o OUT/NAME/NAME.pdf --proof OUT/NAME/proof --report OUT/NAME/report.json

and records the exit code, the time, the first error lines and the count of each diagnostic
code ([loose-line], [hole], …). The EXPECT note at the top of each issue.yaml gives the exit
code an editor should get (``builds clean`` → 0, ``exit 1`` → 1, ``exit 2`` → 2); the table
shows it next to the one the build gave.

A build that fails with exit 1 writes no PDF and no proof, so, to let an editor see what went
wrong, the script then renders a DRAFT of whatever pages could be laid out (the layout's
errors ignored, no preflight) to ``OUT/NAME/draft/page-N.png`` (unless ``--no-draft``).

Before building it writes the corpus's generated files: the photos (tests/corpus/make_photos.py)
and the 16-page issue (tests/corpus/04-sixteen-pages/make_issue.py). Usage:

    python scripts/run_corpus.py [--out out/corpus] [--only 03,21] [--no-draft] [--resolution 72]

Writes OUT/summary.json (one record per issue) and prints the table. Exit status 0 whatever
the builds gave (this is a survey, not a test; tests/test_corpus.py is the test).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
SAMPLE = ROOT / "issues" / "dalate"

DRAFT = r"""
import sys
from pathlib import Path
from paperlayout.build import lay_out, to_pdf
from paperlayout.loader import load_issue
laid = lay_out(load_issue(Path(sys.argv[1]), root=Path(sys.argv[3])))
pages = [r.number for r in laid.pages if r.frame is not None]
if not pages:
    print("no page could be laid out"); sys.exit(3)
data, _ = to_pdf(laid, marks=False)
Path(sys.argv[2]).write_bytes(data)
print("draft pages:", ",".join(map(str, pages)))
"""


def prepare() -> None:
    """Write the generated corpus files (photos, the 16-page issue)."""
    sys.path.insert(0, str(CORPUS))
    import make_photos  # noqa: E402  (tests/corpus/make_photos.py)

    make_photos.make()
    sys.path.insert(0, str(CORPUS / "04-sixteen-pages"))
    import make_issue  # noqa: E402

    make_issue.write()


def issues(only: list[str]) -> list[Path]:
    found = sorted(p for p in CORPUS.iterdir() if p.is_dir() and re.match(r"\d\d-", p.name) and (p / "issue.yaml").exists())
    found.append(SAMPLE)
    if only:
        found = [p for p in found if any(p.name.startswith(o) or o in p.name for o in only)]
    return found


def expected(folder: Path) -> int | None:
    """The exit code the EXPECT note asks for (its first sentence), or None when it says 0 or 1."""
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    match = re.search(r"#\s*EXPECT:\s*([^\n]*)", text)
    if not match:
        return 0 if folder == SAMPLE else None
    first = match.group(1)
    found = {code for pattern, code in ((r"exit 2", 2), (r"exit 1", 1), (r"builds clean|exit 0", 0)) if re.search(pattern, first)}
    return found.pop() if len(found) == 1 else None  # "builds clean … or exit 1 …": either is right


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src")] + ([out["PYTHONPATH"]] if out.get("PYTHONPATH") else []))
    return out


def build(folder: Path, out: Path, draft: bool, resolution: int, with_figures: bool = False) -> dict:
    name = folder.name
    target = out / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    command = [sys.executable, "-m", "paperlayout", "build", str(folder.relative_to(ROOT)),
               "-o", str(target / f"{name}.pdf"), "--proof", str(target / "proof"), "--report", str(target / "report.json")]
    if folder.parent == CORPUS:  # corpus issues share tests/corpus/photos/
        command += ["--root", str(CORPUS.relative_to(ROOT))]
    start = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    stderr = run.stderr.splitlines()
    codes: dict[str, int] = {}
    for line in stderr:
        for code in re.findall(r"\[([a-z-]+)\]\s*$", line):
            codes[code] = codes.get(code, 0) + 1
    for line in stderr:
        if line.startswith("paperlayout.render.images:"):  # the renderer's logged photo warnings
            codes["photo-ppi-log"] = codes.get("photo-ppi-log", 0) + 1
    errors = [line.strip() for line in stderr if line.strip().startswith(("error", "preflight failed"))]
    if run.returncode not in (0, 1, 2) or any(line.startswith("Traceback") for line in stderr):
        errors = [line for line in stderr if line.strip()][-1:]  # the exception's own line
    elif not errors and run.returncode:
        errors = [line for line in stderr if not line.startswith(("warning", "info"))][:3]
    record = {
        "issue": name, "exit": run.returncode, "expected": expected(folder), "seconds": round(seconds, 2),
        "errors": errors[:6], "codes": codes, "stderr": str(target / "stderr.txt"),
        "traceback": any(line.startswith("Traceback") for line in stderr),
    }
    (target / "stderr.txt").write_text(run.stderr, encoding="utf-8")
    (target / "stdout.txt").write_text(run.stdout, encoding="utf-8")
    if run.returncode == 0 and resolution != 72 and (target / f"{name}.pdf").exists() and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", str(resolution), "-png", str(target / f"{name}.pdf"), str(target / "proof" / "page")], check=False)
    if run.returncode == 1 and draft:
        record["draft"] = make_draft(folder, target, resolution)
    pdf = target / f"{name}.pdf" if run.returncode == 0 else target / "DRAFT.pdf"
    if with_figures and run.returncode in (0, 1) and not record["traceback"]:
        try:
            record["figures"] = figures(folder)
        except Exception as exc:  # a survey: report and go on
            record["figures"] = {"error": f"{type(exc).__name__}: {exc}"}
        fig = record["figures"]
        if "error" not in fig:
            codes["FIG-short-cols"] = len(fig["short_columns"])
            codes["FIG-photo<150ppi"] = sum(p["ppi"] < 150 for p in fig["photos"])
            codes["FIG-crop>15%"] = sum(p["crop"] > 0.15 for p in fig["photos"])
            codes = {k: v for k, v in codes.items() if v}
            record["codes"] = codes
    if pdf.exists():
        record["scale_leak_pages"] = scale_leaks(pdf)
        record["lost_characters"] = lost_characters(folder, pdf)
        if record["scale_leak_pages"]:
            codes["SCAN-tz-leak"] = len(record["scale_leak_pages"])
        if record["lost_characters"]:
            codes["SCAN-lost-text"] = record["lost_characters"].count("×")
    return record


def make_draft(folder: Path, target: Path, resolution: int) -> str:
    """Render the laid-out pages of a failed build (errors ignored) to target/draft/page-N.png."""
    pdf = target / "DRAFT.pdf"
    run = subprocess.run([sys.executable, "-c", DRAFT, str(folder), str(pdf), str(CORPUS if folder.parent == CORPUS else folder)], cwd=ROOT, env=env(), capture_output=True, text=True)
    if run.returncode != 0 or not pdf.exists():
        tail = [line for line in run.stderr.splitlines() if line.strip()][-1:] or run.stdout.splitlines()[-1:]
        return "no draft: " + (tail[0] if tail else f"exit {run.returncode}")
    if shutil.which("pdftoppm"):
        (target / "draft").mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-r", str(resolution), "-png", str(pdf), str(target / "draft" / "page")], check=False)
    return run.stdout.strip()


def scale_leaks(pdf: Path) -> list[int]:
    """Pages whose content stream draws text after a horizontal scale (Tz) other than 100 % that
    is never reset within the same text object run (the leaked-Tz defect of issue 8): the
    page numbers, 1-based. A cheap look at the written PDF, not a full verification."""
    import pikepdf

    leaks = []
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            scale, drawn_scaled = 100.0, 0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "Tz":
                    scale = float(operands[0])
                elif op in ("Tj", "TJ", "'", '"') and abs(scale - 100.0) > 0.01:
                    drawn_scaled += 1
            if abs(scale - 100.0) > 0.01 and drawn_scaled:
                leaks.append(number)  # the page ends with a scale still set: it leaked
    return leaks


def lost_characters(folder: Path, pdf: Path) -> str:
    """Characters above U+FFFF in the copy that do not come back out of the PDF's text
    (pdftotext), e.g. '𠮷×7'; '' when all do or pdftotext is missing."""
    if not shutil.which("pdftotext"):
        return ""
    copy = (folder / "issue.yaml").read_text(encoding="utf-8")
    wanted = {ch for ch in copy if ord(ch) > 0xFFFF}
    if not wanted:
        return ""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    lost = [f"{ch}×{copy.count(ch)}" for ch in sorted(wanted) if ch not in text]
    return " ".join(lost)


def figures(folder: Path) -> dict:
    """Editor's figures from the laid-out frames (in-process, this checkout's sources): per page,
    the text columns holding fewer than 4 lines, every photo's placed size, crop and effective
    ppi, and every head/kicker/subhead/crosshead/byline set on more than one line (to read for
    breaks inside words). Reads the layout model, not the PDF: a survey, not a verification."""
    import collections

    sys.path.insert(0, str(ROOT / "src"))
    from PIL import Image

    from paperlayout.build import lay_out
    from paperlayout.frames import Picture, TextLine
    from paperlayout.loader import load_issue

    laid = lay_out(load_issue(folder, root=CORPUS if folder.parent == CORPUS else folder))
    page_grid = laid.styles.page
    step = page_grid.span_width(1) + page_grid.gutter_chars * page_grid.char
    out: dict = {"short_columns": [], "photos": [], "display_lines": []}
    for result in laid.pages:
        if result.frame is None:
            continue
        for story in result.frame.stories:
            lines = collections.Counter(round(it.x) for it in story.items if isinstance(it, TextLine) and it.role == "body")
            few = sorted(n for n in lines.values() if n < 4)
            if few:
                out["short_columns"].append(f"p{result.number} {story.story}: {len(few)} of {len(lines)} columns under 4 lines {few}")
            runs: list[tuple[str, list[str], int]] = []  # consecutive display lines of one role
            for it in story.items:
                if isinstance(it, TextLine) and it.role in ("head", "kicker", "subhead", "byline", "crosshead"):
                    text = "".join(g.text for g in it.line.glyphs)
                    if runs and runs[-1][0] == it.role and runs[-1][2] == len(runs):
                        runs[-1][1].append(text)
                    else:
                        runs.append((it.role, [text], len(runs) + 1))
                elif runs:
                    runs.append(("", [], len(runs) + 1))  # anything else ends a run
                if isinstance(it, Picture):
                    with Image.open(it.path) as im:
                        w, h = im.size
                    crop = 1 - min(w / h, it.w / it.h) / max(w / h, it.w / it.h)
                    ppi = min(w * 72 / it.w, h * 72 / it.h)
                    out["photos"].append({"page": result.number, "story": story.story, "photo": Path(str(it.path)).name,
                                          "columns": round(it.w / step, 1), "rows": round(it.h / page_grid.line_pitch),
                                          "crop": round(crop, 3), "ppi": round(ppi)})
            for role, texts, _ in runs:
                if role and len(texts) > 1:
                    out["display_lines"].append(f"p{result.number} {story.story} {role}: " + " / ".join(texts))
    return out


def table(records: list[dict]) -> str:
    rows = [("issue", "exit", "want", "s", "diagnostics", "first error")]
    for r in records:
        want = "-" if r["expected"] is None else str(r["expected"])
        mark = "" if r["expected"] is None or r["expected"] == r["exit"] else " !"
        codes = " ".join(f"{k}×{v}" for k, v in sorted(r["codes"].items()))
        first = ("TRACEBACK: " if r["traceback"] else "") + (r["errors"][0] if r["errors"] else "")
        rows.append((r["issue"], f"{r['exit']}{mark}", want, f"{r['seconds']:.1f}", codes[:95], first[:110]))
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    out = []
    for row in rows:
        out.append("  ".join(str(cell).ljust(widths[i]) if i < 5 else str(cell) for i, cell in enumerate(row)))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "corpus", help="output folder (default out/corpus)")
    parser.add_argument("--only", default="", help="comma-separated issue names or number prefixes, e.g. 03,21")
    parser.add_argument("--no-draft", action="store_true", help="do not render drafts of failed builds")
    parser.add_argument("--resolution", type=int, default=72, help="proof resolution in dpi (the CLI writes 72)")
    parser.add_argument("--figures", action="store_true",
                        help="also lay each issue out in-process and record editor's figures (short columns, photo ppi and crop, multi-line heads)")
    args = parser.parse_args()
    prepare()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for folder in issues([o for o in args.only.split(",") if o]):
        record = build(folder, out, not args.no_draft, args.resolution, args.figures)
        records.append(record)
        print(f"{record['issue']}: exit {record['exit']} in {record['seconds']:.1f} s", file=sys.stderr, flush=True)
    (out / "summary.json").write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(records))
    print(f"\nproofs, drafts, reports and stderr in {out}; summary in {out / 'summary.json'}")


if __name__ == "__main__":
    main()
