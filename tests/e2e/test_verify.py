"""The post-render verifier (paperlayout.verify) reads the written PDF back and finds what the
layout model cannot show: the sample verifies clean, and each hand-made fault in its PDF — a
leaked horizontal scale, a glyph moved onto a photo, a glyph moved onto its neighbour, a
missing line, a wrong ToUnicode entry for 𠮷 — is reported as an error naming the page, the
story and the line, with the right code."""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
from pathlib import Path

import pytest

from paperlayout.diagnostics import Level
from paperlayout.frames import Picture, TextLine
from paperlayout.verify import verify_laid

_spec = importlib.util.spec_from_file_location("pdf_tamper", Path(__file__).parent / "pdf_tamper.py")
tamper = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tamper)

ROOT = Path(__file__).resolve().parents[2]


def story_lines(frame, story: str) -> list[TextLine]:
    return [it for s in frame.stories if s.story == story for it in s.items if isinstance(it, TextLine)]


def where(frame, story: str, line: TextLine) -> str:
    number = story_lines(frame, story).index(line) + 1
    return f"page {frame.number} / story '{story}' / line {number} ({line.role})"


def following(laid, line: TextLine) -> TextLine:
    """The text line drawn after ``line`` on page 1."""
    lines = [it for it in laid.pages[0].frame.items() if isinstance(it, TextLine) and it.line.glyphs]
    return lines[lines.index(line) + 1]


def span(ins, data: bytes, laid, line: TextLine) -> tuple[int, int]:
    """The instructions that draw ``line`` (its text objects)."""
    return tamper.line_span(ins, first_run(data, line), first_run(data, following(laid, line)))


def first_run(data: bytes, line: TextLine):
    """The PDF origin of a line's first glyph run."""
    return tamper.pdf_origin(data, 1, *origin(line))


def codes(diagnostics, code: str):
    return [d for d in diagnostics if d.code == code]


def box(x0: float, y0: float, x1: float, y1: float) -> str:
    """A box as the verifier's messages write it (engine pt, one decimal)."""
    return f"({x0:.1f}, {y0:.1f})–({x1:.1f}, {y1:.1f})"


def cell_box(laid, story: str) -> tuple[float, float, float, float]:
    g, cell = laid.styles.page, next(s.cell for s in laid.pages[0].frame.stories if s.story == story)
    x0 = g.column_x(cell.column)
    return x0, g.row_y(cell.row), x0 + g.span_width(cell.columns), g.row_y(cell.row + cell.rows)


def origin(line: TextLine) -> tuple[float, float]:
    """Engine coordinates of a line's first glyph origin."""
    g = line.line.glyphs[0]
    return line.x + g.x + g.dx, line.y


@pytest.fixture(scope="module")
def sample(sample_laid, sample_pdf):
    return sample_laid, sample_pdf.read_bytes()


@pytest.fixture(scope="module")
def body(sample):
    """The lead story's first body line (今年以来，达拉特旗着力践行以人 on the sample page)."""
    laid, _ = sample
    line = next(it for it in story_lines(laid.pages[0].frame, "lead") if it.role == "body")
    assert line.line.text.startswith("今年以来，") and len(line.line.glyphs) > 10
    return line


def test_sample_verifies_clean(sample):
    laid, data = sample
    result = verify_laid(data, laid)
    assert result.diagnostics == ()
    drawn = sum(1 for it in laid.pages[0].frame.items() if isinstance(it, TextLine)
                for g in it.line.glyphs for _ in (g.draw if g.draw is not None else g.text).strip("\n"))
    assert result.figures["glyphs"] == result.figures["matched"] == drawn > 4000
    assert result.figures["photos"] == 5


def test_leaked_horizontal_scale_is_caught_on_the_following_lines(sample, body):
    laid, data = sample
    frame = laid.pages[0].frame

    def leak(ins):  # a scale left over from the line before: in force when the next line is shown
        k = tamper.first_show(ins, *first_run(data, following(laid, body)))
        return ins[:k] + [tamper.op("Tz", 116.6)] + ins[k:]

    result = verify_laid(tamper.edit_content(data, 1, leak), laid)
    widths = codes(result.errors, "verify-width")
    assert widths[0].where == where(frame, "lead", following(laid, body))
    assert "drawn at 116.6 % of its advance × size, the frame sets it at 100.0 %" in widths[0].message
    assert "(Tz 116.6 in force: a horizontal scale leaked from an earlier run)" in widths[0].message
    assert all(d.where != where(frame, "lead", body) for d in result.errors)  # the line itself is right


def test_glyph_moved_onto_a_photo_is_caught(sample, body):
    laid, data = sample
    frame = laid.pages[0].frame
    photo = next(it for s in frame.stories if s.story == "lead" for it in s.items if isinstance(it, Picture))
    px, py = tamper.pdf_origin(data, 1, photo.x + photo.w / 2, photo.y + photo.h / 2)
    first = body.line.glyphs[0]

    def onto_photo(ins):
        return tamper.move_first_glyph(ins, tamper.find_tm(ins, *first_run(data, body)), px, py, first.width)

    result = verify_laid(tamper.edit_content(data, 1, onto_photo), laid)
    on_photo = codes(result.errors, "verify-overlap-photo")
    assert len(on_photo) == 1
    assert on_photo[0].where == where(frame, "lead", body)
    assert on_photo[0].message.startswith("'今' at (")
    assert f"overlaps a photo at {box(photo.x, photo.y, photo.x + photo.w, photo.y + photo.h)} pt" in on_photo[0].message
    moved = codes(result.errors, "verify-position")
    dx, dy = photo.x + photo.w / 2 - origin(body)[0], photo.y + photo.h / 2 - origin(body)[1]
    assert [d.where for d in moved] == [where(frame, "lead", body)]
    assert moved[0].message == f"'今' drawn {dx:+.2f} pt across and {dy:+.2f} pt down from where its frame puts it"


def test_glyph_moved_onto_its_neighbour_is_caught(sample, body):
    laid, data = sample
    frame = laid.pages[0].frame
    first = body.line.glyphs[0]

    def nudge(ins):
        x, y = first_run(data, body)
        return tamper.move_first_glyph(ins, tamper.find_tm(ins, x, y), x + first.width / 2, y, first.width)

    result = verify_laid(tamper.edit_content(data, 1, nudge), laid)
    overlaps = codes(result.errors, "verify-overlap-glyph")
    assert [d.where for d in overlaps] == [where(frame, "lead", body)]
    assert overlaps[0].message.startswith(f"'今' overlaps '年' of {where(frame, 'lead', body)}")
    assert "'今' drawn +4.50 pt across and +0.00 pt down" in codes(result.errors, "verify-position")[0].message


def test_missing_line_is_caught(sample, body):
    laid, data = sample
    frame = laid.pages[0].frame

    def drop(ins):
        start, end = span(ins, data, laid, body)
        return ins[:start] + ins[end + 1:]

    result = verify_laid(tamper.edit_content(data, 1, drop), laid)
    assert [(d.level, d.code, d.where, d.message) for d in result.diagnostics] == [
        (Level.ERROR, "verify-missing", where(frame, "lead", body), f"line {body.line.text!r} is not in the PDF")]
    assert not result.ok


def test_line_drawn_out_of_reading_order_is_caught(sample, body):
    laid, data = sample
    frame = laid.pages[0].frame

    def move_to_end(ins):
        start, end = span(ins, data, laid, body)
        return ins[:start] + ins[end + 1:] + ins[start:end + 1]  # same place on the page, drawn last

    result = verify_laid(tamper.edit_content(data, 1, move_to_end), laid)
    assert [(d.code, d.where) for d in result.errors] == [("verify-order", where(frame, "lead", body))]


def test_stray_scale_char_spacing_and_rise_are_each_caught(sample, body):
    laid, data = sample

    def spaced(ins):
        k = tamper.first_show(ins, *first_run(data, body))
        return ins[:k] + [tamper.op("Tc", 0.5), tamper.op("Ts", 2)] + ins[k:]

    errors = verify_laid(tamper.edit_content(data, 1, spaced), laid).errors
    frame = laid.pages[0].frame
    spacing, rise = codes(errors, "verify-spacing")[0], codes(errors, "verify-rise")[0]
    assert spacing.where == rise.where == where(frame, "lead", body)  # and every line after: Tc, Ts persist
    assert spacing.message.startswith("character/word spacing (Tc/Tw) adds 0.50 pt after '今' (and ")
    assert rise.message.startswith("'今' raised 2.00 pt off its baseline (Ts) (and ")


def test_rule_across_a_line_and_a_fill_over_it_are_caught(sample, body):
    laid, data = sample
    frame = laid.pages[0].frame
    x, y = first_run(data, body)  # PDF origin of the line's first glyph, y up

    def rule(ins):
        return ins + [tamper.op("w", 0.5), tamper.op("m", x, y + 3), tamper.op("l", x + 40, y + 3), tamper.op("S")]

    def cover(ins):
        return ins + [tamper.op("g", 1), tamper.op("re", x, y - 2, 20, 8), tamper.op("f")]

    crossed = verify_laid(tamper.edit_content(data, 1, rule), laid).errors
    assert [(d.code, d.where) for d in crossed] == [("verify-overlap-rule", where(frame, "lead", body))]
    ex, ey = origin(body)
    assert crossed[0].message.startswith(f"'今' at ({ex:.1f}, {ey:.1f}) pt overlaps a rule at ({ex:.1f}, ")
    covered = verify_laid(tamper.edit_content(data, 1, cover), laid).errors
    assert [(d.code, d.where) for d in covered] == [("verify-covered", where(frame, "lead", body))]
    assert "overlaps a fill painted over it" in covered[0].message


@pytest.mark.parametrize("code", ["verify-type-area", "verify-module"])
def test_glyph_outside_its_module_or_the_type_area_is_caught(sample, body, code):
    """The lead's first body glyph moved into the left margin, or into the middle of the
    cell of the next story."""
    laid, data = sample
    frame = laid.pages[0].frame
    if code == "verify-type-area":
        to = (laid.styles.page.margin_left - 30.0, body.y)
        message = f"'今' at ({to[0]:.1f}, {to[1]:.1f}) pt is outside the type area"
    else:
        other = cell_box(laid, frame.stories[2].story)
        assert frame.stories[2].story != "lead"
        to = ((other[0] + other[2]) / 2, (other[1] + other[3]) / 2)
        message = f"'今' at ({to[0]:.1f}, {to[1]:.1f}) pt is outside its story's cell {box(*cell_box(laid, 'lead'))} pt"
    px, py = tamper.pdf_origin(data, 1, *to)

    def move(ins):
        return tamper.move_first_glyph(ins, tamper.find_tm(ins, *first_run(data, body)), px, py, body.line.glyphs[0].width)

    found = [d for d in verify_laid(tamper.edit_content(data, 1, move), laid).errors if d.code == code]
    assert [(d.where, d.message) for d in found] == [(where(frame, "lead", body), message)]


def test_missing_photo_is_caught(sample):
    laid, data = sample
    story, photo = next((s.story, it) for s in laid.pages[0].frame.stories for it in s.items if isinstance(it, Picture))

    def drop_first_photo(ins):
        k = next(i for i, x in enumerate(ins) if str(x.operator) == "Do")
        return ins[:k] + ins[k + 1:]

    found = verify_laid(tamper.edit_content(data, 1, drop_first_photo), laid).errors
    assert [(d.code, d.where) for d in found] == [("verify-photo", f"page 1 / story '{story}'")]
    assert found[0].message == (f"photo {Path(photo.path).name} is not drawn at "
                                f"{box(photo.x, photo.y, photo.x + photo.w, photo.y + photo.h)} pt where its frame puts it")


def test_scaled_text_matrix_is_caught_as_a_width_error(sample, body):
    laid, data = sample
    frame = laid.pages[0].frame

    def widen(ins):
        start, end = tamper.text_object(ins, tamper.find_tm(ins, *first_run(data, body)))
        return ins[:start] + [tamper.op("q"), tamper.op("cm", 1.1, 0, 0, 1, 0, 0)] + ins[start:end + 1] + [tamper.op("Q")] + ins[end + 1:]

    found = codes(verify_laid(tamper.edit_content(data, 1, widen), laid).errors, "verify-width")
    assert [d.where for d in found] == [where(frame, "lead", body)]
    assert found[0].message.startswith("'今' drawn at 110.0 % of its advance × size, the frame sets it at 100.0 % "
                                       "(Tz 100, but the text or graphics matrix stretches it 1.100× across)")


@pytest.fixture(scope="module")
def jumped(tmp_path_factory):
    """The sample's stories on two 四开 pages, one continued from page 1 to page 2 (转版): page 1
    holds the lead and two stories, one of them the 1,428-character discipline-commission-village,
    too long for the page; it is the only story there long enough to jump (editor's rule
    jump-length: ≥ 1,000 characters) and continues on page 2 after the others."""
    import yaml

    from paperlayout.build import lay_out, to_pdf
    from paperlayout.loader import load_issue

    data = yaml.safe_load((ROOT / "issues" / "dalate" / "issue.yaml").read_text(encoding="utf-8"))
    data["issue"]["preset"] = "tabloid"
    first = {"lead", "counterfeit-destroyed", "discipline-commission-village"}
    stories = data["pages"][0]["stories"]
    data["pages"] = [{"number": 1, "section": "要闻", "stories": [s for s in stories if s["id"] in first]},
                     {"number": 2, "section": "综合", "stories": [s for s in stories if s["id"] not in first]}]
    folder = tmp_path_factory.mktemp("jumped")
    (folder / "photos").symlink_to(ROOT / "issues" / "dalate" / "photos")
    (folder / "issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    laid = lay_out(load_issue(folder))
    pdf, _ = to_pdf(laid)
    return laid, pdf


def test_two_page_issue_verifies_clean_and_faults_name_their_page(jumped):
    laid, data = jumped
    result = verify_laid(data, laid)
    assert result.diagnostics == () and result.figures["pages"] == 2
    assert [d for page in laid.pages for d in page.diagnostics if d.level == Level.ERROR] == []
    assert [s.jump_out for s in laid.pages[0].stories] == [None, None, 2]
    assert laid.pages[1].stories[-1].part_of == "discipline-commission-village"
    frame = laid.pages[1].frame
    story = frame.stories[-1].story
    assert story == "discipline-commission-village-cont"
    line = next(it for it in story_lines(frame, story) if it.role == "body")
    lines = [it for it in frame.items() if isinstance(it, TextLine) and it.line.glyphs]
    after = lines[lines.index(line) + 1]

    def drop(ins):
        start, end = tamper.line_span(ins, tamper.pdf_origin(data, 2, *origin(line)), tamper.pdf_origin(data, 2, *origin(after)))
        return ins[:start] + ins[end + 1:]

    broken = verify_laid(tamper.edit_content(data, 2, drop), laid)
    assert [(d.code, d.where, d.message) for d in broken.diagnostics] == [
        ("verify-missing", where(frame, story, line), f"line {line.line.text!r} is not in the PDF")]
    assert where(frame, story, line).startswith(f"page 2 / story '{story}' / line ")


# -- copy the sample lacks: supplementary characters, lines ending in —— ------------------


def small_issue(text: str, stories: int = 4):
    from paperlayout.model import Issue, Page, Paper, Paragraph, Story

    return Issue(paper=Paper(name="测试报"), date=datetime.date(2023, 3, 17), number=1, preset="tabloid",
                 pages=(Page(number=1, section="要闻", stories=tuple(
                     Story(id=f"s{i}", head="干部下基层 聚力促振兴", body=tuple(Paragraph(text * (3 + i)) for _ in range(4 + i)))
                     for i in range(stories))),))


@pytest.fixture(scope="module")
def rare():
    """A tabloid page whose copy has 𠮷 (U+20BB7, CJK Extension B), rendered."""
    from paperlayout.build import lay_out, to_pdf

    laid = lay_out(small_issue("走好新时代党的群众路线，吉野家的𠮷字也要印对。"))
    data, _ = to_pdf(laid)
    return laid, data


def test_wrong_to_unicode_for_a_supplementary_character_is_caught(rare):
    laid, data = rare
    frame = laid.pages[0].frame
    right = tamper.set_to_unicode(data, "𠮷", "D842DFB7")  # UTF-16: a surrogate pair
    wrong = tamper.set_to_unicode(data, "𠮷", "20BB7")  # the code point's hex: not UTF-16
    assert verify_laid(right, laid).diagnostics == ()
    texts = codes(verify_laid(wrong, laid, limit=None).errors, "verify-text")
    carrying = [where(frame, s.story, it) for s in frame.stories for it in story_lines(frame, s.story) if "𠮷" in it.line.text]
    assert sorted(d.where for d in texts) == sorted(carrying) and len(carrying) > 3
    message = texts[0].message
    assert message.startswith("the PDF text reads '₻\ufffd' (U+20BB U+FFFD) where the copy has '𠮷' (U+20BB7); font ")
    assert "ToUnicode maps code <" in message and "> to <20BB7> (UTF-16 for it is <D842DFB7>)" in message


def test_supplementary_characters_verify_clean(rare):
    laid, data = rare
    assert codes(verify_laid(data, laid).errors, "verify-text") == []


def test_to_unicode_reading_agrees_with_pdfminer(rare):
    """The verifier's reading of the two CMaps is what a real extractor copies out."""
    from pdfminer.high_level import extract_text

    _, data = rare
    assert "𠮷" in extract_text(io.BytesIO(tamper.set_to_unicode(data, "𠮷", "D842DFB7")))
    assert "𠮷" not in extract_text(io.BytesIO(tamper.set_to_unicode(data, "𠮷", "20BB7")))


@pytest.fixture(scope="module")
def dashes():
    """A tabloid page with many lines that end in —— (issue 8, defect 1), rendered."""
    from paperlayout.build import lay_out, to_pdf

    laid = lay_out(small_issue("走好新时代党的群众路线，深入开展“走基层”活动。他说——"))
    data, _ = to_pdf(laid)
    ends = [it for it in laid.pages[0].frame.items() if isinstance(it, TextLine) and it.line.text.endswith("——")]
    assert len(ends) > 10
    return laid, data


def test_verifier_widths_agree_with_pdfminer_on_dash_line_ends(dashes):
    """Which glyphs are drawn at a width their frame does not set, read by the verifier and
    independently by pdfminer (its character boxes: advance × size × Tz), for copy whose lines
    end in ——. Holds whether or not the renderer leaks the dash's scale."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    laid, data = dashes
    frame = laid.pages[0].frame
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)  # no layout analysis: stream order
    page = next(PDFPage.get_pages(io.BytesIO(data)))
    PDFPageInterpreter(manager, device).process_page(page)
    chars = [c for c in device.get_result() if isinstance(c, LTChar)]
    glyphs = [(it, g) for it in frame.items() if isinstance(it, TextLine) for g in it.line.glyphs
              if (g.draw if g.draw is not None else g.text) not in ("", "\n")]
    assert [c.get_text() for c in chars] == [g.text for _, g in glyphs]
    stretched = set()
    for c, (it, g) in zip(chars, glyphs):
        natural = laid.fonts.advance(g.face, g.text) * it.line.size * g.hscale
        if abs(c.width - natural) > 0.002 * natural:
            stretched.add(where(frame, it.story, it))
    flagged = {d.where for d in codes(verify_laid(data, laid, limit=None).errors, "verify-width")}
    assert flagged == stretched


def test_lines_ending_in_dashes_verify_clean(dashes):
    laid, data = dashes
    assert codes(verify_laid(data, laid).errors, "verify-width") == []


# -- the build command -------------------------------------------------------------------


def test_build_exits_1_with_the_messages_and_writes_no_pdf(tmp_path, monkeypatch, sample, body):
    """A fault in the written PDF fails `build` (exit 1, the verifier's errors on stderr, no
    PDF); --no-verify skips the check."""
    from click.testing import CliRunner

    import paperlayout.build as build
    from paperlayout.cli import main

    laid, data = sample
    real = build.to_pdf

    def broken_to_pdf(laid, **options):
        made, press = real(laid, **options)
        def drop(ins):
            start, end = span(ins, made, laid, body)
            return ins[:start] + ins[end + 1:]

        return tamper.edit_content(made, 1, drop), press

    monkeypatch.setattr(build, "to_pdf", broken_to_pdf)
    out, report = tmp_path / "x.pdf", tmp_path / "report.json"
    args = ["build", str(ROOT / "issues" / "dalate"), "-o", str(out), "--no-preflight"]
    result = CliRunner().invoke(main, args + ["--report", str(report)])
    assert result.exit_code == 1, result.output
    verified = json.loads(report.read_text(encoding="utf-8"))["verify"]
    assert verified["errors"] == 1 and [d["code"] for d in verified["diagnostics"]] == ["verify-missing"]
    assert verified["figures"]["glyphs"] == verified["figures"]["matched"] > 4000
    assert (f"error: {where(laid.pages[0].frame, 'lead', body)}: line {body.line.text!r} "
            "is not in the PDF [verify-missing]") in result.output
    assert "1 error(s) in the written PDF: no PDF written." in result.output
    assert not out.exists()
    result = CliRunner().invoke(main, args + ["--no-verify"])
    assert result.exit_code == 0, result.output
    assert out.exists()

