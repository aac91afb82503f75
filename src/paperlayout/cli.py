"""Command line (the only click user): build, check, preflight.

Exit codes: 0 success, 1 layout or press problems (overset, holes as errors, preflight
errors), 2 bad input (malformed YAML, missing photo, unknown preset, missing fonts …).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import click

EXAMPLES = """
\b
Examples:
  paperlayout build issues/dalate -o out/dalate.pdf
  paperlayout build issues/dalate -o out/dalate.pdf --no-marks --report out/report.json
  paperlayout build issues/dalate -o out/dalate.pdf --proof out/proofs --alto out/alto
  paperlayout check issues/dalate
  paperlayout preflight out/dalate.pdf --json
"""


def _fail_input(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


def _load(path: Path):
    from .loader import LoadError, load_issue

    try:
        return load_issue(path)
    except LoadError as exc:
        _fail_input(f"error: {exc}\nFix the issue file and run again.")


def _lay_out(issue, fonts_dir):
    from .build import lay_out
    from .build import FontError, PhotoError
    from .loader import LoadError

    try:
        return lay_out(issue, fonts_dir)
    except (FontError, PhotoError, LoadError) as exc:  # LoadError: the issue's style sheet
        _fail_input(f"error: {exc}")


def _print_diagnostics(report) -> None:
    for d in report.diagnostics:
        click.echo(str(d), err=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename:
    a failed build never leaves a half-written file or replaces a good one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.group(epilog=EXAMPLES)
@click.version_option(package_name="paperlayout")
@click.option("-v", "--verbose", is_flag=True, help="Log each pipeline stage.")
def main(verbose: bool) -> None:
    """Lay out a Chinese newspaper issue (issue.yaml) into print-ready PDF pages."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")


@main.command(epilog=EXAMPLES)
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="PDF to write.")
@click.option("--report", type=click.Path(path_type=Path), help="Also write the quality report as JSON.")
@click.option("--marks/--no-marks", default=True, show_default=True, help="Crop and registration marks outside the bleed.")
@click.option("--output-intent", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="The plant's CMYK ICC profile.")
@click.option("--fonts", "fonts_dir", type=click.Path(path_type=Path, file_okay=False), help="Folder with the font files (default: the repository's fonts/).")
@click.option("--preflight/--no-preflight", default=True, show_default=True, help="Run the press checks on the written PDF.")
@click.option("--pdfx", "standard", type=click.Choice(["x1a", "x4"]), default="x1a", show_default=True,
              help="PDF/X flavour: X-1a:2001 (PDF 1.3, what newspaper plants take) or X-4.")
@click.option("--proof", "proof_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write a PNG proof of every page (page-01.png …, contact-sheet.png) into this folder, for editors.")
@click.option("--proof-dpi", default=150, show_default=True, type=click.IntRange(18, 600), help="Resolution of the proofs.")
@click.option("--proof-overlay", is_flag=True, help="Draw the quality report on the proofs (a box and label per diagnostic).")
@click.option("--alto", "alto_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write ALTO 4 XML of every page (exact text and geometry) into this folder, for archives.")
def build(issue: Path, output: Path, report: Path | None, marks: bool, output_intent: Path | None,
          fonts_dir: Path | None, preflight: bool, standard: str, proof_dir: Path | None, alto_dir: Path | None,
          proof_dpi: int = 150, proof_overlay: bool = False) -> None:
    """Build ISSUE (an issue.yaml or its folder) into a PDF."""
    from .build import to_pdf

    if output_intent is not None:
        from .render.pdfx import check_profile

        problems = check_profile(output_intent.read_bytes(), standard)
        if problems:
            _fail_input(f"error: --output-intent {output_intent}: " + "; ".join(problems) +
                        ". Give the plant's CMYK output profile (e.g. ISOnewspaper26v4.icc).")
    model = _load(issue)
    laid = _lay_out(model, fonts_dir)
    _print_diagnostics(laid.report)
    if laid.report.errors:
        click.echo(f"{len(laid.report.errors)} layout error(s): no PDF written.", err=True)
        sys.exit(1)
    from .render.pdfx import PdfxError

    try:
        data, press = to_pdf(laid, marks=marks, output_profile=output_intent, standard=standard)
    except PdfxError as exc:  # e.g. a plant profile that is not a CMYK output profile
        _fail_input(f"error: cannot make a PDF/X file: {exc}")
    if report:
        payload = laid.report.to_dict() | {"press": press}
        write_atomic(report, json.dumps(payload, ensure_ascii=False, indent=2).encode())
    if preflight:
        from .preflight import preflight as run_preflight

        with tempfile.TemporaryDirectory() as tmp:
            probe = Path(tmp) / "probe.pdf"
            probe.write_bytes(data)
            result = run_preflight(probe, ink_limit=laid.styles.ink_limit)
        if result.errors:
            click.echo(result.format(), err=True)
            click.echo("preflight failed: no PDF written.", err=True)
            sys.exit(1)
    try:
        write_atomic(output, data)
    except OSError as exc:
        _fail_input(f"error: cannot write {output}: {exc.strerror or exc}; choose a writable path with -o")
    click.echo(f"wrote {output} ({len(laid.pages)} pages, {len(data) // 1024} KiB)")
    if proof_dir is not None:
        _proofs(data, laid, press, proof_dir, proof_dpi, proof_overlay)
    if alto_dir is not None:
        from .render.alto import alto_pages

        for number, xml in alto_pages(laid):
            write_atomic(alto_dir / f"page-{number:02d}.xml", xml)
        click.echo(f"wrote ALTO XML to {alto_dir}")


def _proofs(data: bytes, laid, press, folder: Path, dpi: int, overlay: bool) -> None:
    """PNG proofs rasterised from the written PDF (PDFium), see proofs.py."""
    from .proofs import write_proofs

    write_proofs(data, laid, folder, dpi=dpi, overlay=overlay, press=press, write=write_atomic)
    click.echo(f"wrote proofs to {folder}")


@main.command(epilog=EXAMPLES)
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--fonts", "fonts_dir", type=click.Path(path_type=Path, file_okay=False))
def check(issue: Path, as_json: bool, fonts_dir: Path | None) -> None:
    """Validate and lay out ISSUE; print the quality report; write no PDF."""
    model = _load(issue)
    laid = _lay_out(model, fonts_dir)
    if as_json:
        click.echo(json.dumps(laid.report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for page in laid.report.pages:
            click.echo(f"page {page.number}: fill {page.fill:.1%}, largest hole {page.largest_hole_rows} rows")
            for s in page.stories:
                state = "level" if s.level else f"bottoms {s.column_bottoms}"
                click.echo(f"  {s.id}: cell col {s.cell[0]} row {s.cell[1]} span {s.cell[2]} × {s.cell[3]} rows; {s.arrangement}; {state}")
            for line in page.plan:
                click.echo(f"  plan: {line}")
        _print_diagnostics(laid.report)
    sys.exit(1 if laid.report.errors else 0)


@main.command("preflight", epilog=EXAMPLES)
@click.argument("pdf", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--ink-limit", default=240.0, show_default=True, help="Total area coverage limit, %.")
def preflight_cmd(pdf: Path, as_json: bool, ink_limit: float) -> None:
    """Check PDF (ours or anyone's) against the plant's rules: fonts, colour, images, ink, boxes, PDF/X."""
    from .preflight import preflight as run_preflight

    result = run_preflight(pdf, ink_limit=ink_limit)
    click.echo(result.to_json() if as_json else result.format())
    sys.exit(1 if result.errors else 0)

from . import cli_serve  # noqa: E402,F401 - registers `paperlayout serve` (live proofs) on main
