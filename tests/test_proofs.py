"""Proofs rasterised from the written PDF, and the quality report placed on them.

Geometry is checked in pt (trim origin, y down) against the frames and in px against the
rendered page; the overlay's colours against the level of each diagnostic.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperlayout.build import lay_out, to_pdf
from paperlayout.cli import main
from paperlayout.frames import TextLine
from paperlayout.loader import load_issue
from paperlayout.proofs import COLOURS, _line_box, draw_marks, locate, rasterise, write_proofs
from paperlayout.units import mm

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "dalate"
CORPUS = ROOT / "tests" / "corpus"

pytest.importorskip("pypdfium2")


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample():
    laid = lay_out(load_issue(SAMPLE))
    data, press = to_pdf(laid, marks=False)
    return laid, data, press


@pytest.fixture(scope="module")
def pins():
    """Corpus issue 30 (two pages): holes, loose lines, lone last characters, a forced head
    break and photos below the resolution floor."""
    _module(CORPUS / "make_photos.py").make()
    laid = lay_out(load_issue(CORPUS / "30-editor-pins"))
    data, press = to_pdf(laid, marks=True)
    return laid, data, press


def test_build_proof_writes_named_pages_sheet_and_manifest_at_150_dpi(tmp_path):
    out = tmp_path / "out.pdf"
    proofs = tmp_path / "proofs"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), "--no-preflight", "--no-marks",
                                       "--proof", str(proofs)])
    assert result.exit_code == 0, result.output
    from PIL import Image

    assert sorted(p.name for p in proofs.iterdir()) == ["contact-sheet.png", "page-01.png", "proof.json"]
    with Image.open(proofs / "page-01.png") as im:  # 390 × 546 mm trim + 3 mm bleed each side, 150 dpi
        assert im.size == (round(396 / 25.4 * 150), round(552 / 25.4 * 150))
    manifest = json.loads((proofs / "proof.json").read_text(encoding="utf-8"))
    assert manifest["dpi"] == 150
    assert manifest["pages"] == [{"number": 1, "file": "page-01.png", "width": 2339, "height": 3260}]
    assert [m["code"] for m in manifest["marks"]] == ["head-shrunk"]
    with Image.open(proofs / "contact-sheet.png") as sheet:
        assert sheet.width == 16 + 360 + 16


def test_proofs_are_the_pdf_rasterised_with_the_trim_corner_known(sample):
    laid, data, _ = sample
    (proof,) = rasterise(data, [1], dpi=100)
    scale = 100 / 72
    assert proof.trim_left == pytest.approx(mm(3) * scale, abs=0.01)  # the bleed, no marks
    assert proof.trim_top == pytest.approx(mm(3) * scale, abs=0.01)
    # the first body line of the lead story is ink where the frames put it, paper above the type area
    line = next(i for i in laid.pages[0].frame.stories[0].items if isinstance(i, TextLine) and i.role == "body")
    x, y, w, h = _line_box(line)
    crop = proof.image.convert("L").crop((round(proof.trim_left + x * scale), round(proof.trim_top + y * scale),
                                          round(proof.trim_left + (x + w) * scale), round(proof.trim_top + (y + h) * scale)))
    assert crop.getextrema()[0] < 60
    assert proof.image.convert("L").crop((0, 0, round(proof.trim_left), 200)).getextrema() == (255, 255)


def test_loose_lines_are_boxed_on_the_line_the_message_quotes(pins):
    laid, _, press = pins
    marks = locate(laid, press)
    loose = [m for m in marks if m.code == "loose-line"]
    assert len(loose) >= 3
    for m in loose:
        quoted = re.search(r"\('([^']+)'\)", m.message)[1]
        frame = next(r.frame for r in laid.pages if r.number == m.page)
        boxed = [i.line.text for s in frame.stories for i in s.items
                 if isinstance(i, TextLine) and _line_box(i) == pytest.approx((m.x, m.y, m.w, m.h))]
        assert boxed == [quoted], m.where


def test_holes_are_boxed_on_the_cell_the_planner_names(pins):
    laid, _, press = pins
    geometry = laid.styles.page
    holes = [m for m in locate(laid, press) if m.code == "hole"]
    assert holes and len(holes) == sum(d.code == "hole" for d in laid.report.diagnostics)
    for m in holes:
        cols, rows, col, row = map(int, re.search(r"(\d+) columns × (\d+) rows at column (\d+), row (\d+)", m.message).groups())
        result = next(r for r in laid.pages if r.number == m.page)
        top = geometry.rows - result.region_rows
        assert (m.x, m.y, m.w) == pytest.approx((geometry.column_x(col), geometry.row_y(row + top), geometry.span_width(cols)))
        assert m.y + m.h == pytest.approx(geometry.row_y(row + top + rows))


def test_low_resolution_photos_are_boxed_on_the_picture(pins):
    laid, _, press = pins
    low = [f for f in press if f["source_ppi"] < 150]
    marks = [m for m in locate(laid, press) if m.code == "photo-resolution"]
    assert low and len(marks) == len(low)
    for m in marks:
        assert re.search(r"pages\[\d\]\.stories\[\d\]\.photos\[0\]$", m.where)  # the photo's file:line in the YAML
        frame = next(r.frame for r in laid.pages if r.number == m.page)
        pictures = [(p.x, p.y, p.w, p.h) for s in frame.stories for p in s.items if p.__class__.__name__ == "Picture"]
        assert (m.x, m.y, m.w, m.h) in pictures


def test_every_located_diagnostic_of_a_page_is_placed(pins):
    """Diagnostics naming a paragraph line, a story, a photo or a page hole all get a box."""
    laid, _, press = pins
    placed = {m.index for m in locate(laid, press)}
    for index, d in enumerate(laid.report.diagnostics):
        if re.search(r"pages\[\d+\]\.stories\[\d+\]", d.where) or d.code == "hole":
            assert index in placed, str(d)


def test_overlay_draws_each_mark_in_its_level_colour(pins):
    laid, data, press = pins
    marks = locate(laid, press)
    proofs = rasterise(data, [1, 2], dpi=72)
    page2 = next(p for p in proofs if p.number == 2)
    drawn = draw_marks(page2, marks)
    for m in (m for m in marks if m.page == 2 and m.code in ("loose-line", "hole")):
        x, y, w, h = page2.box(m)
        assert drawn.getpixel((x + w // 2, y + h - 1)) == COLOURS[m.level]  # the bottom border
    assert drawn.getpixel((2, 2)) == page2.image.getpixel((2, 2))  # untouched outside the marks


def test_proofs_are_deterministic(sample, tmp_path):
    laid, data, press = sample
    a = write_proofs(data, laid, tmp_path / "a", dpi=50, overlay=True, press=press)
    b = write_proofs(data, laid, tmp_path / "b", dpi=50, overlay=True, press=press)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
