"""Command line (the only click user): build, check, preflight.

Exit codes: 0 success, 1 layout or press problems (overset, holes as errors, preflight
errors), 2 bad input (malformed YAML, missing photo, unknown preset, missing fonts, a
refused output path, a breached limit …), 3 internal error (a bug: the message says where
to report it), 130 interrupted (Ctrl-C).

One error boundary (:class:`_Boundary`): every exception reaching the command line becomes
a message — located for bad input, "internal error" for anything unexpected — and never a
bare traceback unless ``--debug`` (or PAPERLAYOUT_DEBUG=1). Everything echoed is passed
through ``normalize.printable`` so terminal escapes typed in an issue are shown, not obeyed.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

import click

from .limits import DEFAULT as DEFAULT_LIMITS
from .limits import Limits, os_reason, read_regular
from .normalize import printable
from .safeio import OutputError, check_output_file, check_output_folder, identities
from .safeio import write_atomic as _write_atomic

EXAMPLES = """
\b
Examples:
  paperlayout build issues/dalate -o out/dalate.pdf
  paperlayout build issues/dalate -o out/dalate.pdf --no-marks --report out/report.json
  paperlayout build issues/dalate -o out/dalate.pdf --proof out/proofs --alto out/alto
  paperlayout check issues/dalate
  paperlayout preflight out/dalate.pdf --json
"""

#: Where an internal error (exit 3) should be reported.
REPORT_TO = ("the paperlayout issue tracker (the project's `issues` list); attach the command, "
             "the issue folder if you can share it, and the output of the same command with --debug")

EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 2, 3, 130


def say(message: str) -> None:
    """Print a message on stderr, terminal-safe."""
    click.echo(printable(message), err=True)


def _fail_input(message: str) -> None:
    say(message)
    sys.exit(EXIT_INPUT)


def _input_errors() -> tuple[type[BaseException], ...]:
    """The exception types that mean bad input (exit 2), each carrying a located message."""
    from .build import FontError, PhotoError, TextError
    from .loader import LoadError
    from .render.images import ImageInputError
    from .render.pdfx import PdfxError

    return (LoadError, FontError, PhotoError, TextError, OutputError, ImageInputError, PdfxError)


def _shown(exc: BaseException, limits: Limits) -> str:
    """The message of a bad-input exception, capped at ``limits.problems_shown`` lines."""
    from .loader import LoadError

    lines = [str(p) for p in exc.problems] if isinstance(exc, LoadError) else str(exc).splitlines()
    if len(lines) > limits.problems_shown:
        more = len(lines) - limits.problems_shown
        lines = lines[: limits.problems_shown] + [f"… and {more} more problem(s) of the same kind"]
    text = "\n".join(lines)
    if isinstance(exc, LoadError):
        return f"error: {text}\nFix what is named above and run again."
    return f"error: {text}"


def _where(exc: BaseException) -> str:
    """file:line in function of the innermost frame of ``exc`` inside paperlayout (or the last)."""
    frames = traceback.extract_tb(exc.__traceback__)
    marker = f"{os.sep}paperlayout{os.sep}"
    ours = [f for f in frames if marker in f.filename] or frames
    if not ours:
        return "unknown place"
    frame = ours[-1]
    name = "paperlayout/" + frame.filename.rsplit(marker, 1)[-1] if marker in frame.filename else frame.filename
    return f"{name}:{frame.lineno} in {frame.name}"


class _Boundary(click.Group):
    """The one error boundary: runs a subcommand and turns what escapes it into an exit code."""

    def invoke(self, ctx: click.Context):
        debug = bool(ctx.params.get("debug")) or os.environ.get("PAPERLAYOUT_DEBUG") == "1"
        WRITTEN.clear()
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            if WRITTEN:
                say(f"interrupted: {', '.join(map(str, WRITTEN))} had been written completely; nothing else was written")
            else:
                say("interrupted: nothing was written")
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            if debug:
                raise
            if isinstance(exc, _input_errors()):
                limits = ctx.obj.get("limits", DEFAULT_LIMITS) if isinstance(ctx.obj, dict) else DEFAULT_LIMITS
                say(_shown(exc, limits))
                sys.exit(EXIT_INPUT)
            if isinstance(exc, MemoryError):
                say("error: out of memory — the input is too large for this machine; see docs/limits.md")
                sys.exit(EXIT_INPUT)
            from . import __version__

            detail = str(exc).strip()
            detail = detail[:300] + "…" if len(detail) > 300 else detail
            say(f"internal error: {type(exc).__name__}{': ' + detail if detail else ''} (at {_where(exc)}).\n"
                f"This is a bug in paperlayout {__version__}, not a mistake in your input. "
                f"Please report it to {REPORT_TO}.")
            sys.exit(EXIT_INTERNAL)


def _limits(pairs: tuple[str, ...]) -> Limits:
    try:
        limits = DEFAULT_LIMITS.with_overrides(pairs)
    except ValueError as exc:
        _fail_input(f"error: {exc}")
    ctx = click.get_current_context()
    ctx.find_root().obj = {"limits": limits}
    return limits


def _load(path: Path, limits: Limits = DEFAULT_LIMITS, root: Path | None = None):
    from .loader import load_issue

    return load_issue(path, limits, root)


def _print_diagnostics(report) -> None:
    for d in report.diagnostics:
        say(str(d))


#: Files this run has written (complete: each was renamed into place), for the Ctrl-C message.
WRITTEN: list[Path] = []


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically with the umask's mode (see safeio.write_atomic)."""
    _write_atomic(path, data)
    WRITTEN.append(path)


def run() -> None:
    """The console entry point: the command line, then Ctrl-C ignored while Python exits.

    The work is done (or refused) when ``main`` returns; a Ctrl-C during interpreter
    shutdown (joining threads and worker processes) would otherwise kill the process by
    signal after a successful build, with the PDF already in place."""
    import signal

    _ONE_SHOT.append(True)  # this process ends when the command does (not so for CliRunner tests)
    try:
        main()
    except SystemExit as done:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if _LEAVE_AT_ONCE and (done.code is None or isinstance(done.code, int)):
            _leave(done.code or 0)
        raise
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


#: Set by `run()`, the console entry point: the process ends with the command, so what the
#: command keeps may be frozen and left without teardown (in-process callers — tests, serve —
#: never get either).
_ONE_SHOT: list = []

#: Set by a command whose process holds a whole laid-out issue when it ends (`build`): tearing
#: down its millions of objects one by one costs 0.2–0.4 s on 16 pages and serves nothing.
_LEAVE_AT_ONCE: list = []


def _leave(code: int) -> None:
    """End the process now with `code`, after everything written is flushed: the standard
    streams and the logging handlers (the outputs themselves are already complete and
    renamed into place: safeio.write_atomic). Temporary files are unnamed or already gone;
    worker processes have been reaped."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _inputs(model, output_intent: Path | None, fonts_dir: Path | None, limits: Limits):
    """(device, inode) → name of every file the build reads."""
    from .build import font_dir, issue_styles

    files = [model.source] + [photo.path for page in model.pages for story in page.stories for photo in story.photos]
    if model.style is not None:
        files.append(model.style)
    if output_intent is not None:
        files.append(output_intent)
    try:
        styles = issue_styles(model, limits)
        files += list(styles.font_paths(font_dir(fonts_dir)).values())
    except Exception:  # a bad style sheet is reported by the layout step, located
        pass
    return identities(files)


def _write_pdfa(path: Path, press: bytes) -> bytes:
    """Write the PDF/A-2b access copy of ``press`` to ``path`` (pdfa.py); its bytes."""
    from .pdfa import PdfaError, to_pdfa

    try:
        access = to_pdfa(press)
    except PdfaError as exc:
        say(f"error: --pdfa: {exc}")
        sys.exit(1)
    try:
        write_atomic(path, access)
    except OSError as exc:
        _fail_input(f"error: --pdfa {path}: cannot write it: {os_reason(exc)}; choose a writable path")
    click.echo(printable(f"wrote {path} (PDF/A-2b access copy, {len(access) // 1024} KiB)"))
    return access


def _output_intent(path: Path | None, standard: str, limits: Limits) -> Path | None:
    """Check the plant's profile before any work: a regular file, an ICC CMYK output profile
    LittleCMS can use, right for the PDF/X flavour."""
    if path is None:
        return None
    from .render.images import output_profile_problems
    from .render.pdfx import check_profile

    try:
        icc = read_regular(path, limits.profile_bytes, "ICC profile")
    except (OSError, ValueError) as exc:
        _fail_input(f"error: --output-intent {path}: cannot read it: {os_reason(exc)}")
    problems = check_profile(icc, standard) or output_profile_problems(icc)
    if problems:
        _fail_input(f"error: --output-intent {path}: " + "; ".join(problems) +
                    ". Give the plant's CMYK output profile (an .icc file from the printing plant, "
                    "e.g. ISOnewspaper26v4.icc from the ICC/ECI download pages).")
    return path


@click.group(cls=_Boundary, epilog=EXAMPLES)
@click.version_option(package_name="paperlayout")
@click.option("-v", "--verbose", is_flag=True, help="Log each pipeline stage.")
@click.option("--debug", is_flag=True, help="On an unexpected failure show the full traceback (for bug reports).")
def main(verbose: bool, debug: bool) -> None:
    """Lay out a Chinese newspaper issue (issue.yaml) into print-ready PDF pages."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")


_LIMIT_HELP = "Override a limit of docs/limits.md for this run, NAME=VALUE (repeatable), e.g. pages=200."
_HOLES_HELP = "Accept pages the copy does not fill (warnings, not errors): for a proof."
_ROOT_HELP = "Folder photos and the style sheet must lie in (default: the issue's folder)."


@main.command(epilog=EXAMPLES)
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="PDF to write.")
@click.option("--report", type=click.Path(path_type=Path), help="Also write the quality report as JSON.")
@click.option("--marks/--no-marks", default=True, show_default=True, help="Crop and registration marks outside the bleed.")
@click.option("--output-intent", type=click.Path(path_type=Path), help="The plant's CMYK ICC profile.")
@click.option("--output-condition", metavar="NAME", help="Registered printing condition the PDF declares (e.g. "
              "ISOnewspaper26v4, IFRA26); default Custom. A name not registered needs --output-intent.")
@click.option("--fonts", "fonts_dir", type=click.Path(path_type=Path, file_okay=False), help="Folder with the font files (default: the installed fonts/).")
@click.option("--preflight/--no-preflight", default=True, show_default=True, help="Run the press checks on the written PDF.")
@click.option("--verify/--no-verify", default=True, show_default=True,
              help="Read the written PDF back and check it against the layout (glyph widths, collisions, text).")
@click.option("--pdfx", "standard", type=click.Choice(["x1a", "x4"]), default="x1a", show_default=True,
              help="PDF/X flavour: X-1a:2001 (PDF 1.3, what newspaper plants take) or X-4.")
@click.option("--proof", "proof_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write PNG proofs of every page (page-01.png …, contact-sheet.png, proof.json) into "
                   "this folder, for editors (FAILED-page-01.png … when the build fails).")
@click.option("--proof-dpi", default=150, show_default=True, type=click.IntRange(18, 600), help="Resolution of the proofs.")
@click.option("--proof-overlay", is_flag=True, help="Draw the quality report on the proofs (a box and label per diagnostic).")
@click.option("--alto", "alto_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write ALTO 4 XML of every page (exact text and geometry) into this folder, for archives.")
@click.option("--allow-holes", is_flag=True, help=_HOLES_HELP)
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), help=_ROOT_HELP)
@click.option("--limit", "limit_pairs", multiple=True, metavar="NAME=VALUE", help=_LIMIT_HELP)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache (parsed fonts, converted photos; "
              "in $PAPERLAYOUT_CACHE, default the user's cache folder). The PDF is the same either way.")
@click.option("--package", "package_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write the archive package into this new folder: a BagIt bag with the PDF, ALTO per page, "
                   "the issue METS (MODS inside) and the source YAML and photos, all with SHA-256 checksums.")
@click.option("--pdfa", "pdfa_path", type=click.Path(path_type=Path),
              help="Also write a PDF/A-2b access copy of the PDF (for readers and archives) to this file; "
                   "with --package the bag holds it too (access/DATE-NUMBER.pdf).")
@click.option("--mod-date", "mod_date", metavar="now|ISO", callback=lambda ctx, param, v: _mod_date(v),
              help="Record a modification date (a rebuild): 'now' or an ISO date/time (no zone: Beijing time). "
                   "Default: none — ModDate is the creation date (the issue's date).")
def build(issue: Path, output: Path, report: Path | None, marks: bool, output_intent: Path | None,
          fonts_dir: Path | None, preflight: bool, verify: bool, standard: str, proof_dir: Path | None,
          alto_dir: Path | None, allow_holes: bool, root: Path | None, limit_pairs: tuple[str, ...],
          no_cache: bool = False, proof_dpi: int = 150, proof_overlay: bool = False, mod_date=None,
          package_dir: Path | None = None, output_condition: str | None = None, pdfa_path: Path | None = None) -> None:
    """Build ISSUE (an issue.yaml or its folder) into a PDF."""
    from .build import lay_out, to_pdf

    _LEAVE_AT_ONCE.append(True)  # see run()

    if no_cache:
        from .cache import configure

        configure(enabled=False)
    limits = _limits(limit_pairs)
    # outputs first: a bad -o is said in a second, not after the whole layout
    for option, path in (("-o", output), ("--report", report), ("--pdfa", pdfa_path)):
        if path is not None:
            check_output_file(option, path)
    for option, folder in (("--proof", proof_dir), ("--alto", alto_dir)):
        if folder is not None:
            check_output_folder(option, folder)
    if package_dir is not None:
        check_output_folder("--package", package_dir)
        if package_dir.is_dir() and any(package_dir.iterdir()):
            raise OutputError(f"--package {package_dir}: the folder exists and is not empty — give a new or empty folder")
    _output_intent(output_intent, standard, limits)
    from .render.pdfx import OutputIntent, coated_for_newsprint, condition_problems

    for problem in condition_problems(output_condition, output_intent is not None) if output_condition is not None else ():
        _fail_input(f"error: --output-condition: {problem}")
    model = _load(issue, limits, root)
    inputs = _inputs(model, output_intent, fonts_dir, limits)
    for option, path in (("-o", output), ("--report", report), ("--pdfa", pdfa_path)):
        if path is not None:
            check_output_file(option, path, inputs)
            inputs.update({k: Path(f"the {option} output {path}") for k in identities([path])})
    for option, path in (("--report", report), ("--pdfa", pdfa_path)):
        if path is not None and os.path.abspath(path) == os.path.abspath(output):
            raise OutputError(f"{option} {path} is the same file as -o {output} — give two different paths")
    laid = lay_out(model, fonts_dir, limits, allow_holes=allow_holes)
    _keep_for_good(laid)
    if alto_dir is not None:
        check_output_folder("--alto", alto_dir, [f"page-{r.number:02d}.xml" for r in laid.pages], inputs)
    if proof_dir is not None:  # the proofs of a good build and those of a failed one (FAILED-…)
        names = _proof_names(laid, "page") + _proof_names(laid, "FAILED-page")
        check_output_folder("--proof", proof_dir, names, inputs)
    _print_diagnostics(laid.report)
    intent = OutputIntent.for_build(output_intent, output_condition)
    if note := coated_for_newsprint(intent, Path(intent.profile).read_bytes(), laid.styles.name):
        say(note)
    if laid.report.errors:
        if report:  # the report records every check, also when the build fails
            _write_report(report, laid.report.to_dict() | {"press": None, "preflight": None})
        say(f"{len(laid.report.errors)} layout error(s): no PDF written.")
        if proof_dir is not None:
            _failed_proofs(laid, proof_dir, proof_dpi)
        sys.exit(1)
    data, press = to_pdf(laid, marks=marks, output_profile=output_intent, standard=standard, mod_date=mod_date,
                         output_condition=output_condition)
    mono = frozenset(page.number for page in model.pages if not page.is_colour)
    checked = None
    if verify:
        from .verify import verify_laid

        # preflight reuses its reading (of the colour pages' ink marks only: mono ones are
        # K by construction, their ink never bounded from marks)
        checked = verify_laid(data, laid, readback=preflight, mono=mono)
        _print_diagnostics(checked)
    result = None
    if preflight:
        from .preflight import preflight as run_preflight

        with tempfile.TemporaryDirectory() as tmp:
            probe = Path(tmp) / "probe.pdf"
            probe.write_bytes(data)
            result = run_preflight(probe, ink_limit=laid.styles.ink_limit, own=True, mono_pages=mono,
                                   readback=checked.readback if checked is not None else None)
    payload = None
    if report:  # every check's outcome, also when one of them fails
        payload = laid.report.to_dict() | {"press": press, "preflight": json.loads(result.to_json()) if result else None}
        if result is not None and result.errors:
            payload["errors"] += result.errors
        if checked is not None:
            payload["verify"] = checked.to_dict()
            payload["errors"] += len(checked.errors)
    failed = []
    if checked is not None and checked.errors:
        failed.append(f"{len(checked.errors)} error(s) in the written PDF")
    if result is not None and result.errors:
        say(result.format())
        failed.append("preflight failed")
    if failed:
        if payload is not None:
            _write_report(report, payload)
        say("; ".join(failed) + ": no PDF written.")
        if proof_dir is not None:
            _failed_proofs(laid, proof_dir, proof_dpi, data)
        sys.exit(1)
    try:
        write_atomic(output, data)
    except OSError as exc:
        _fail_input(f"error: -o {output}: cannot write it: {os_reason(exc)}; choose a writable path")
    if payload is not None:
        _write_report(report, payload)
    click.echo(printable(f"wrote {output} ({len(laid.pages)} pages, {len(data) // 1024} KiB)"))
    access = _write_pdfa(pdfa_path, data) if pdfa_path is not None else None
    if proof_dir is not None:
        _proofs(data, laid, press, proof_dir, proof_dpi, proof_overlay)
    if alto_dir is not None:
        from .render.alto import alto_pages

        try:
            for number, xml in alto_pages(laid):
                write_atomic(alto_dir / f"page-{number:02d}.xml", xml)
        except OSError as exc:
            _fail_input(f"error: --alto {alto_dir}: cannot write: {os_reason(exc)}")
        click.echo(printable(f"wrote ALTO XML to {alto_dir}"))
    if package_dir is not None:
        from .package import PackageError, write_package

        try:
            made = write_package(laid, data, package_dir, mod_date=mod_date, access=access)
        except PackageError as exc:
            _fail_input(f"error: {exc}")
        except OSError as exc:
            _fail_input(f"error: --package {package_dir}: cannot write: {os_reason(exc)}")
        click.echo(printable(f"wrote package {package_dir} ({made.files} files, {made.articles} articles, BagIt)"))
    _prune_cache()


def _prune_cache() -> None:
    """After a build: keep the cache folder within its limit (cacheprune.py; at most one
    look a day, never an error)."""
    from .cache import cache_root
    from .cacheprune import auto_prune, human

    done = auto_prune(cache_root())
    if done is not None and done.removed:
        import logging

        logging.getLogger("paperlayout.cache").info("cache: removed %d entries used least recently (%s)",
                                                    done.removed, human(done.removed_bytes))


def _keep_for_good(laid) -> None:
    """The laid-out issue (millions of objects: frames, glyphs, fonts) lives until this
    one-shot command exits (run from the console entry point only): move everything alive now to the collector's permanent generation
    (``gc.freeze``), so that the full collections rendering and reading back trigger walk only
    what they allocate — one full collection over the layout cost 0.12 s on 16 pages."""
    import gc

    if _ONE_SHOT:
        gc.freeze()


def _mod_date(value: str | None):
    """--mod-date as an aware datetime (None when not given); a bad value is click's exit 2."""
    from .provenance import parse_mod_date

    try:
        return None if value is None else parse_mod_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mod-date") from None


def _regular_pdf(pdf: Path) -> None:
    """Raise unless ``pdf`` is a regular file (a FIFO or device would block or never end)
    whose first KiB holds the %PDF- header."""
    from .limits import NotRegularFile, check_regular

    check_regular(pdf, 1 << 40, "PDF")
    with open(pdf, "rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise NotRegularFile("is not a PDF file (no %PDF- header) — give a PDF")


def _write_report(path: Path, payload: dict) -> None:
    """Write the quality report (JSON) atomically; a system refusal is a located exit 2."""
    try:
        write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2).encode())
    except OSError as exc:
        _fail_input(f"error: --report {path}: cannot write it: {os_reason(exc)}; choose a writable path")


def _proof_names(laid, prefix: str) -> list[str]:
    """File names ``proofs.write_proofs`` writes for the pages drawn (pages that could not be
    planned have no frame and are not drawn): ``prefix-NN.png`` with NN the page's number, the
    contact sheet and the marks' JSON — checked against the build's inputs before any is written."""
    from .proofs import page_name

    sheet, marks = (("contact-sheet.png", "proof.json") if prefix == "page"
                    else (f"{prefix}-contact-sheet.png", f"{prefix}-proof.json"))
    return [page_name(r.number, prefix) for r in laid.pages if r.frame is not None] + [sheet, marks]


def _failed_proofs(laid, folder: Path, dpi: int, data: bytes | None = None) -> None:
    """Proofs of a build that failed, named FAILED-page-NN.png, so the editor can see the
    problem (pages that could not be planned are missing; NN is the page's own number)."""
    if not any(r.frame is not None for r in laid.pages):
        say("no proofs written: no page could be laid out")
        return
    press = ()
    if data is None:
        from .build import to_pdf
        from .render.pdfx import PdfxError

        try:
            data, press = to_pdf(laid, marks=False)
        except (PdfxError, OSError, ValueError) as exc:  # a courtesy: never hide the build's own errors
            say(f"proofs of the failed build not written: {exc}")
            return
    _proofs(data, laid, press, folder, dpi, True, prefix="FAILED-page")  # the report drawn on them


def _proofs(data: bytes, laid, press, folder: Path, dpi: int, overlay: bool, prefix: str = "page") -> None:
    """PNG proofs rasterised from the written PDF (PDFium, see proofs.py), each written with
    write_atomic (umask mode, never through a FIFO or over a folder); names already checked."""
    from .proofs import write_proofs

    try:
        write_proofs(data, laid, folder, dpi=dpi, overlay=overlay, press=press, write=write_atomic, prefix=prefix)
    except OSError as exc:
        _fail_input(f"error: --proof {folder}: cannot write the proofs: {os_reason(exc)}")
    click.echo(printable(f"wrote proofs to {folder}"))


@main.command(epilog=EXAMPLES)
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--fonts", "fonts_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder with the font files (default: the installed fonts/).")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), help=_ROOT_HELP)
@click.option("--limit", "limit_pairs", multiple=True, metavar="NAME=VALUE", help=_LIMIT_HELP)
@click.option("--allow-holes", is_flag=True, help=_HOLES_HELP)
def check(issue: Path, as_json: bool, fonts_dir: Path | None, root: Path | None, limit_pairs: tuple[str, ...],
          allow_holes: bool) -> None:
    """Validate and lay out ISSUE; print the quality report and every editor's rule; write no
    PDF. Runs every check `build` runs except drawing and preflight; same exit code."""
    from .build import lay_out

    limits = _limits(limit_pairs)
    model = _load(issue, limits, root)
    laid = lay_out(model, fonts_dir, limits, allow_holes=allow_holes)
    if as_json:
        click.echo(json.dumps(laid.report.to_dict(), ensure_ascii=False, indent=2))
    else:
        if laid.report.grid:
            click.echo(laid.report.grid_text())
        for page in laid.report.pages:
            click.echo(f"page {page.number}: fill {page.fill:.1%}, largest hole {page.largest_hole_rows} rows")
            for s in page.stories:
                state = "level" if s.level else f"bottoms {s.column_bottoms}"
                click.echo(f"  {s.id}: cell col {s.cell[0]} row {s.cell[1]} span {s.cell[2]} × {s.cell[3]} rows; {s.arrangement}; {state}")
            for line in page.plan:
                click.echo(printable(f"  plan: {line}"))
            if page.rules:
                click.echo(printable("  rules: " + "; ".join(_rule_text(r) for r in page.rules)))
        _print_diagnostics(laid.report)
    sys.exit(1 if laid.report.errors else 0)


def _rule_text(figure) -> str:
    """One editor's rule as `name figure ≥ threshold ok|BROKEN (story)`."""
    from .layout.editor_rules import RULE

    rule = RULE[figure.rule]
    if figure.figure is None:
        return f"{figure.rule} –"
    sign = "≥" if rule.compare == "min" else "≤"
    state = "ok" if figure.holds else f"BROKEN ({figure.story})" if figure.story else "BROKEN"
    return f"{figure.rule} {figure.figure:g} {sign} {rule.threshold:.3g} {state}"


@main.command("preflight", epilog=EXAMPLES)
@click.argument("pdf", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--ink-limit", default=240.0, show_default=True, help="Total area coverage limit, %.")
def preflight_cmd(pdf: Path, as_json: bool, ink_limit: float) -> None:
    """Check PDF (ours or anyone's) against the plant's rules: fonts, colour, images, ink, boxes, PDF/X."""
    from .preflight import preflight as run_preflight

    try:
        _regular_pdf(pdf)
    except (OSError, ValueError) as exc:
        _fail_input(f"error: {pdf}: {os_reason(exc)}")
    try:
        result = run_preflight(pdf, ink_limit=ink_limit)
    except Exception as exc:
        import pikepdf

        if isinstance(exc, pikepdf.PdfError):
            _fail_input(f"error: {pdf}: not a PDF file pikepdf/qpdf can read ({str(exc)[:200]})")
        raise
    click.echo(result.to_json() if as_json else result.format())
    sys.exit(1 if result.errors else 0)


from . import cli_cache  # noqa: E402,F401  registers `paperlayout cache` (its size, pruning)
from . import cli_serve  # noqa: E402,F401  registers `paperlayout serve` (live proofs, issue 13)
from .cli_archive import register as _register_archive  # noqa: E402  import, batch (issue 12)
_register_archive(main)
