"""Command line for archives (issue 12): ``import`` (a text dump → an issue skeleton) and
``batch`` (a tree of issues → PDFs, resumable, local processes or Dask).

Registered on the main group by ``register(main)`` from cli.py. Exit codes as everywhere:
0 success, 1 some issue failed (batch) , 2 bad input (a located message, no traceback).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

EXAMPLES = """
\b
Examples:
  paperlayout import dump.txt -o issues/dalate-2023-03-17 --paper 达拉特报 --date 2023-03-17 --number 21
  paperlayout batch archive/ -o out/ -j 2
  paperlayout batch archive/ -o out/ --dask-local -j 2
  paperlayout batch archive/ -o out/ --scheduler tcp://10.0.0.5:8786
"""


def _fail_input(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


@click.command("import", epilog=EXAMPLES)
@click.argument("dumps", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Issue folder to create (issue.yaml is written into it); with several dumps, the "
                   "folder that gets one issue folder per dump, named after the dump.")
@click.option("--paper", default="", help="The paper's name (报名); else a stand-in marked for checking.")
@click.option("--date", "date", default="", help="The issue's date, YYYY-MM-DD; else the date in the dump's "
                                                 "file name (2023-03-17.txt), else a stand-in.")
@click.option("--number", type=click.IntRange(min=1), default=None, help="期号; else a stand-in.")
@click.option("--preset", type=click.Choice(["broadsheet", "tabloid"]), default="broadsheet", show_default=True)
@click.option("--section", default="要闻", show_default=True, help="版名 of the page.")
@click.option("--pages", "as_pages", is_flag=True,
              help="The dumps are the pages of ONE issue, in order (one dump per printed page).")
@click.option("--force", is_flag=True, help="Replace an existing issue.yaml in the folder.")
def import_cmd(dumps: tuple[Path, ...], output: Path, paper: str, date: str, number: int | None, preset: str,
               section: str, as_pages: bool, force: bool) -> None:
    """Turn DUMPS (text extracted from printed issues) into issue skeletons.

    Stories are split and classified, column-break fragments joined, punctuation
    normalised; every uncertain decision is a '# check:' comment in the YAML."""
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            _fail_input(f"error: --date {date}: write the date as YYYY-MM-DD, e.g. 2023-03-17")
    if len(dumps) == 1 or as_pages:
        problem = _import_one(dumps, output, paper, date, number, preset, section, force, verbose=True)
        if problem:
            _fail_input(problem)
        return
    stems = [d.stem for d in dumps]
    twice = sorted({s for s in stems if stems.count(s) > 1})
    if twice:
        _fail_input(f"error: several dumps are named {', '.join(twice)} — each dump becomes a folder named after it")
    problems = [p for d in dumps if (p := _import_one((d,), output / d.stem, paper, date, number, preset, section,
                                                     force, verbose=False))]
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(f"imported {len(dumps) - len(problems)} of {len(dumps)} dumps into {output}")
    if problems:
        sys.exit(2)


def _read_dump(dump: Path) -> tuple[str, str]:
    """The dump's text, or '' and the located message."""
    try:
        raw = dump.read_bytes()
    except OSError as exc:
        return "", f"error: {dump}: cannot read the dump: {exc.strerror or exc} — give a text file"
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", (f"error: {dump}:{line}: not valid UTF-8 (byte {exc.start}) — convert the dump to UTF-8 "
                    "(e.g. iconv -f GB18030 -t UTF-8)")


def _import_one(dumps: tuple[Path, ...], folder: Path, paper: str, date: str, number: int | None, preset: str,
                section: str, force: bool, verbose: bool) -> str:
    """Import the dumps (the pages of one issue) into ``folder``; '' on success, else the
    located message."""
    from .cli import write_atomic
    from .importer import Masthead, date_from_name, import_dump, merge_jumps, to_yaml

    target = folder / "issue.yaml"
    if target.exists() and not force:
        return f"error: {target} exists — choose another folder or pass --force to replace it"
    skeletons = []
    for dump in dumps:
        text, problem = _read_dump(dump)
        if problem:
            return problem
        skeleton = import_dump(text)
        if not skeleton.stories:
            return f"error: {dump}: no stories found — is this a text dump of a printed issue?"
        skeletons.append(skeleton)
    skeletons = list(merge_jumps(skeletons))  # 转版: continued stories joined across pages
    found = "" if date else date_from_name(dumps[0].name)
    masthead = Masthead(paper=paper, date=date or found, number=number or 0, preset=preset, section=section,
                        date_from="the file name" if found else "")
    write_atomic(target, to_yaml(skeletons, masthead, source_name=[d.name for d in dumps]).encode("utf-8"))
    summary = {key: sum(s.summary()[key] for s in skeletons) for key in skeletons[0].summary()}
    if len(skeletons) > 1:
        summary = {"pages": len(skeletons)} | summary
    if not verbose:
        click.echo(f"wrote {target}: {summary['stories']} stories, {summary['fragments joined']} joins,"
                   f" {summary['checks']} to check")
        return ""
    click.echo(f"wrote {target}")
    for key, value in summary.items():
        click.echo(f"  {key:<26} {value}")
    if summary["checks"]:
        click.echo(f"{summary['checks']} decisions to check: search the file for '# check:'")
    return ""


@click.command("batch", epilog=EXAMPLES)
@click.argument("tree", type=click.Path(path_type=Path, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Output tree: OUT/<issue>.pdf, batch-manifest.json, batch-failures.json.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (local pool, or LocalCluster workers with --dask-local).")
@click.option("--dask-local", is_flag=True, help="Run the jobs on a dask.distributed LocalCluster.")
@click.option("--scheduler", default=None, help="Run the jobs on this Dask scheduler (tcp://host:8786).")
@click.option("--marks/--no-marks", default=True, show_default=True, help="Crop and registration marks.")
@click.option("--pdfx", "standard", type=click.Choice(["x1a", "x4"]), default="x1a", show_default=True)
@click.option("--preflight/--no-preflight", default=False, show_default=True,
              help="Run the press checks on every PDF (slower); errors fail the issue.")
@click.option("--fonts", "fonts_dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option("--alto", is_flag=True, help="Also write ALTO 4 XML of every page: OUT/<issue>/page-NN.xml.")
@click.option("--package", is_flag=True, help="Also write each issue's archive package (BagIt: PDF, ALTO, METS, "
              "source): OUT/<issue>.bag/.")
@click.option("--pdfa", is_flag=True, help="Also write each issue's PDF/A-2b access copy: OUT/<issue>.access.pdf "
              "(and access/… in its package).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--mod-date", "mod_date", metavar="now|ISO", default=None,
              help="Record this modification date in every rebuilt issue (its PDF, package and access copy): "
                   "'now' (read once for the whole batch) or an ISO date/time (no zone: Beijing time). Part of "
                   "each issue's input hash. Default: none — ModDate is the issue's date.")
def batch_cmd(tree: Path, output: Path, workers: int, dask_local: bool, scheduler: str | None, marks: bool,
              standard: str, preflight: bool, fonts_dir: Path | None, alto: bool, progress: bool | None,
              package: bool = False, pdfa: bool = False, mod_date: str | None = None) -> None:
    """Regenerate every issue under TREE (folders holding issue.yaml, or a manifest file
    listing issue folders) into OUT; up-to-date issues are skipped; one failing issue never
    stops the batch (exit 1 if any failed)."""
    from .batch import FAILURES, Options, find_jobs, run_batch

    if scheduler and not scheduler.startswith(("tcp://", "tls://", "ws://", "wss://", "inproc://")):
        _fail_input(f"error: --scheduler {scheduler}: give the scheduler's address, e.g. tcp://10.0.0.5:8786")
    if scheduler or dask_local:
        try:
            import distributed  # noqa: F401
        except ImportError:
            _fail_input("error: Dask is not installed — python3 -m pip install 'paperlayout[archive]'")
    try:
        jobs = find_jobs(tree)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        _fail_input(f"error: {exc}")
    if not jobs:
        _fail_input(f"error: {tree}: no issues found — give a folder of issue folders (each with issue.yaml)"
                    " or a manifest file listing them")
    modified = ""
    if mod_date is not None:
        from .provenance import parse_mod_date

        try:
            modified = parse_mod_date(mod_date).isoformat()
        except ValueError as exc:
            _fail_input(f"error: --mod-date: {exc}")
    options = Options(marks=marks, standard=standard, preflight=preflight, fonts_dir=str(fonts_dir or ""),
                      alto=alto, package=package, pdfa=pdfa, mod_date=modified)
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    bar: list[tqdm] = []

    def on_start(todo: int, skipped: int) -> None:
        click.echo(f"{len(jobs)} issues: {skipped} up to date, {todo} to build", err=True)
        bar.append(tqdm(total=todo, unit="issue", disable=not show, file=sys.stderr, dynamic_ncols=True))

    def on_done(outcome) -> None:
        bar[0].update(1)
        if not outcome.ok:
            bar[0].write(f"failed: {outcome.name}: {outcome.message.splitlines()[0] if outcome.message else outcome.error}",
                         file=sys.stderr)

    try:
        summary = run_batch(jobs, output, options, workers=workers, dask=dask_local, scheduler=scheduler,
                            on_start=on_start, on_done=on_done)
    finally:
        if bar:
            bar[0].close()
    click.echo(f"{'issues':<10}{summary.total:>7}")
    click.echo(f"{'built':<10}{summary.built:>7}")
    click.echo(f"{'skipped':<10}{summary.skipped:>7}")
    click.echo(f"{'failed':<10}{len(summary.failed):>7}")
    click.echo(f"{'seconds':<10}{summary.seconds:>7.1f}   ({summary.rate:.2f} issues/s)")
    if summary.failed:
        click.echo(f"\n{'failed issue':<32} {'error':<10} message", err=True)
        for name, (kind, message) in sorted(summary.failed.items()):
            first = message.splitlines()[0] if message else ""
            click.echo(f"{name:<32} {kind:<10} {first[:100]}", err=True)
        click.echo(f"full messages: {output / FAILURES}", err=True)
        sys.exit(1)


def register(group: click.Group) -> None:
    """Add the archive commands to the main command group."""
    group.add_command(import_cmd)
    group.add_command(batch_cmd)
