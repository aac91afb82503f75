"""The command line: exit codes, located messages, no traceback, no PDF left behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperlayout.cli import main

BAD = Path(__file__).parent / "data" / "bad"


@pytest.mark.parametrize("name, expect", [
    ("malformed.yaml", "malformed.yaml:"),
    ("unknown_key.yaml", "did you mean"),
    ("missing_photo.yaml", "photos[0].file"),
    ("bad_preset.yaml", "broadsheet"),
])
def test_bad_input_exits_2_with_located_message_and_no_pdf(tmp_path, name, expect):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(BAD / name), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert expect in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_failed_build_does_not_replace_existing_pdf(tmp_path):
    out = tmp_path / "out.pdf"
    out.write_bytes(b"%PDF-1.3 good old file")
    result = CliRunner().invoke(main, ["build", str(BAD / "malformed.yaml"), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_bytes() == b"%PDF-1.3 good old file"


def test_missing_issue_file(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "nope" in result.output


def test_help_shows_examples():
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    assert "paperlayout build issues/dalate -o out/dalate.pdf" in result.output


def _one_story_issue(tmp_path, *paragraphs: str) -> Path:
    body = "\n".join(f"          - {text}" for text in paragraphs)
    (tmp_path / "issue.yaml").write_text(f"""paper:
  name: 测试报
issue:
  date: 2023-03-17
  number: 1
  preset: tabloid
pages:
  - number: 1
    section: 要闻
    stories:
      - id: short
        head: 一篇稿件
        body:
{body}
""", encoding="utf-8")
    return tmp_path


def test_overset_page_exits_1_and_names_the_page(tmp_path):
    para = "达拉特旗着力践行以人民为中心的发展思想，走好新时代党的群众路线。" * 60
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(_one_story_issue(tmp_path, *[para] * 14)), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "page 1" in result.output and "overset" in result.output
    assert not out.exists()


def test_character_no_font_has_exits_1_naming_it(tmp_path):
    issue = _one_story_issue(tmp_path, "这里有一个字库里没有的字𪚥，请换字或加字库。")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 1
    assert "U+2A6A5" in result.output and "issue.yaml:14" in result.output
    assert not out.exists()


def test_short_copy_reports_the_hole_instead_of_overset(tmp_path):
    issue = _one_story_issue(tmp_path, "达拉特旗着力践行以人民为中心的发展思想。" * 8)
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert "overset" not in result.output
    assert "does not fill the page: a hole of" in result.output


def test_corrupt_photo_exits_2_naming_it(tmp_path):
    issue = _one_story_issue(tmp_path, "一段文字。")
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    (issue / "issue.yaml").write_text(text + "        photos:\n          - file: p.jpg\n", encoding="utf-8")
    (issue / "p.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "p.jpg cannot be read" in result.output and "photos[0]" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_rgb_output_intent_is_refused_before_any_work(tmp_path):
    profile = Path("/usr/share/color/icc/sRGB.icc")
    if not profile.exists():
        from PIL import ImageCms

        profile = tmp_path / "srgb.icc"
        profile.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(BAD.parents[2] / "issues" / "dalate"), "-o", str(out),
                                       "--output-intent", str(profile)])
    assert result.exit_code == 2, result.output
    assert "not CMYK" in result.output and not out.exists()


def test_unwritable_output_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["build", str(BAD.parents[2] / "issues" / "dalate"), "-o", str(blocker / "out.pdf"),
                                       "--no-preflight"])
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output


def test_proofs_are_written(tmp_path):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(BAD.parents[2] / "issues" / "dalate"), "-o", str(out),
                                       "--no-preflight", "--no-marks", "--proof", str(tmp_path / "proofs"), "--proof-dpi", "72"])
    assert result.exit_code == 0, result.output
    from PIL import Image

    with Image.open(tmp_path / "proofs" / "page-01.png") as im:
        assert im.size == (round(390 / 25.4 * 72 + 2 * 3 / 25.4 * 72), round(546 / 25.4 * 72 + 2 * 3 / 25.4 * 72))


def _sample_with(tmp_path, change) -> Path:
    import yaml

    root = BAD.parents[2] / "issues" / "dalate"
    data = yaml.safe_load((root / "issue.yaml").read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "photos").symlink_to(root / "photos")
    (tmp_path / "issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path


def test_pin_that_cannot_be_honoured_is_an_error_naming_it(tmp_path):
    def pin_briefs_top_left(data):
        briefs = [s for s in data["pages"][0]["stories"] if s["id"] == "briefs"][0]
        briefs["pin"] = {"column": 0, "row": 0}

    result = CliRunner().invoke(main, ["check", str(_sample_with(tmp_path, pin_briefs_top_left))])
    assert result.exit_code == 1
    assert "'briefs' cannot be placed at its pinned cell (column 0, row 0)" in result.output


def test_span_pin_is_honoured_in_the_sample(tmp_path):
    def pin_briefs_span(data):
        briefs = [s for s in data["pages"][0]["stories"] if s["id"] == "briefs"][0]
        briefs["pin"] = {"columns": 3}

    result = CliRunner().invoke(main, ["check", str(_sample_with(tmp_path, pin_briefs_span))])
    assert result.exit_code == 0, result.output
    assert re.search(r"briefs: cell col \d row \d+ span 3 ×", result.output)


def test_alto_written_next_to_the_pdf(tmp_path):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(BAD.parents[2] / "issues" / "dalate"), "-o", str(out),
                                       "--no-preflight", "--alto", str(tmp_path / "alto")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "alto" / "page-01.xml").read_text(encoding="utf-8")
    assert 'CONTENT="达拉特报"' in text and "<MeasurementUnit>mm10</MeasurementUnit>" in text


def test_pdfx4_on_request(tmp_path):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(BAD.parents[2] / "issues" / "dalate"), "-o", str(out),
                                       "--pdfx", "x4", "--no-preflight", "--no-marks"])
    assert result.exit_code == 0, result.output
    import pikepdf

    with pikepdf.open(out) as pdf:
        assert pdf.pdf_version == "1.6"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"


def test_sample_builds_with_preflight_and_passes_it(tmp_path):
    """The README's first command, as a user runs it: build with the press checks on, then
    the preflight command on the result (JSON) — no errors."""
    import json

    out = tmp_path / "dalate.pdf"
    result = CliRunner().invoke(main, ["build", str(BAD.parents[2] / "issues" / "dalate"), "-o", str(out),
                                       "--report", str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-1.3")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["errors"] == 0 and report["pages"][0]["largest_hole_rows"] == 0
    assert min(photo["ppi"] for photo in report["press"]) >= 150
    checked = CliRunner().invoke(main, ["preflight", str(out), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["errors"] == 0
