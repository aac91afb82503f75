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
from paperlayout.frames import Picture, TextLine
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


URL = _module(ROOT / "tests" / "serve" / "crafted.py").URL


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    """The sample with a paragraph that is one overlong URL: a diagnostic on each of its lines."""
    folder = _module(ROOT / "tests" / "serve" / "crafted.py").make_crafted(tmp_path_factory.mktemp("crafted"))
    laid = lay_out(load_issue(folder))
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
    # the sample's one located warning: the briefs line spread 0.1 em (rules table: loose-line)
    assert [m["code"] for m in manifest["marks"]] == ["loose-line"]
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


def _line_at(laid, mark) -> list[str]:
    frame = next(r.frame for r in laid.pages if r.number == mark.page)
    return [i.line.text for s in frame.stories for i in s.items
            if isinstance(i, TextLine) and _line_box(i) == pytest.approx((mark.x, mark.y, mark.w, mark.h))]


def test_line_diagnostics_are_boxed_on_the_line_they_name(crafted):
    laid, _, press = crafted
    marks = [m for m in locate(laid, press) if re.search(r": line \d+$", m.where)]
    split = [m for m in marks if m.code == "unbreakable-split"]
    assert len(split) >= 3  # the URL runs over several lines
    for m in marks:
        (text,) = _line_at(laid, m)
        if m.code == "unbreakable-split":  # "…, after '<the line's last 8 characters>'"
            assert text.endswith(re.search(r"after '([^']+)'", m.message)[1]), m.where
            assert set(text) <= set("详情见。" + URL), text  # a piece of the URL paragraph
        if m.code == "loose-line":  # "spread by … ('<the line>')"
            assert text == re.search(r"\('([^']+)'\)", m.message)[1], m.where
    lines = [int(re.search(r"line (\d+)$", m.where)[1]) for m in split]
    assert lines == sorted(set(lines)) and len({(m.x, m.y) for m in split}) == len(split)  # one line each


def test_a_hole_is_boxed_on_the_cell_the_planner_names(sample):
    from paperlayout.proofs import _PagePlaces

    laid, _, _ = sample
    geometry = laid.styles.page
    result = laid.pages[0]
    top = geometry.rows - result.region_rows
    message = "the copy does not fill the page: a hole of 2 columns × 4 rows at column 6, row 68; add copy"
    (box,) = _PagePlaces(laid, result).place("hole", "page 1", message)
    assert box == pytest.approx((geometry.column_x(6), geometry.row_y(68 + top), geometry.span_width(2),
                                 geometry.row_y(72 + top) - geometry.row_y(68 + top)))


def test_a_low_resolution_photo_is_boxed_on_its_picture(sample):
    laid, _, _ = sample
    story = next(s for s in laid.issue.pages[0].stories if s.id == "discipline-commission-village")
    photo = story.photos[0]
    figure = {"page": 1, "path": str(photo.path), "ppi": 90.0, "source_ppi": 90.0, "max_ink": 200.0,
              "warnings": (f"{photo.path}: 90 ppi at placed size (below the 150 ppi floor)",)}
    (mark,) = [m for m in locate(laid, [figure]) if m.index == -1]
    frame = laid.pages[0].frame.stories
    (picture,) = [p for s in frame for p in s.items if isinstance(p, Picture) and p.path == str(photo.path)]
    assert (mark.code, mark.level, mark.where) == ("photo-resolution", "warning", photo.where)
    assert (mark.x, mark.y, mark.w, mark.h) == (picture.x, picture.y, picture.w, picture.h)


def test_every_diagnostic_naming_a_story_element_is_placed(crafted):
    laid, _, press = crafted
    placed = {m.index for m in locate(laid, press)}
    for index, d in enumerate(laid.report.diagnostics):
        if re.search(r"pages\[\d+\]\.stories\[\d+\]", d.where):
            assert index in placed, str(d)


def test_overlay_draws_each_mark_in_its_level_colour(crafted):
    laid, data, press = crafted
    marks = locate(laid, press)
    (proof,) = rasterise(data, [1], dpi=150)
    drawn = draw_marks(proof, marks)
    assert marks
    for m in marks:
        x, y, w, h = proof.box(m)
        assert drawn.getpixel((x + w - 1, y + h // 2)) == COLOURS[m.level], m  # the right border
    assert drawn.getpixel((2, 2)) == proof.image.getpixel((2, 2))  # untouched outside the marks


def test_proofs_are_deterministic(sample, tmp_path):
    laid, data, press = sample
    a = write_proofs(data, laid, tmp_path / "a", dpi=50, overlay=True, press=press)
    b = write_proofs(data, laid, tmp_path / "b", dpi=50, overlay=True, press=press)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_proofs_of_a_failed_build_are_named_apart(sample, tmp_path):
    laid, data, press = sample
    written = write_proofs(data, laid, tmp_path, dpi=36, press=press, prefix="FAILED-page")
    assert [p.name for p in written] == ["FAILED-page-01.png", "FAILED-page-contact-sheet.png", "FAILED-page-proof.json"]
    assert json.loads(written[-1].read_text(encoding="utf-8"))["pages"][0]["file"] == "FAILED-page-01.png"
