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


def test_character_no_font_has_exits_2_naming_it(tmp_path):
    issue = _one_story_issue(tmp_path, "这里有一个字库里没有的字𪚥，请换字或加字库。")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 2
    assert "U+2A6A5" in result.output and "issue.yaml:14 pages[0].stories[0].body[0]" in result.output
    assert not out.exists()


def test_short_copy_reports_the_hole_instead_of_overset(tmp_path):
    issue = _one_story_issue(tmp_path, "达拉特旗着力践行以人民为中心的发展思想。" * 8)
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert "overset" not in result.output
    assert "page 1 is short by about" in result.output and "[page-fill]" in result.output
    assert result.exit_code == 1  # issue 9: short copy is an error unless holes are allowed


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
    assert f"{blocker} is a regular file, not a folder" in result.output


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


# --- hostile input (issue 10): outputs, the error boundary, file modes ---------------------------


def _small_issue(folder: Path) -> Path:
    """A one-page tabloid issue with one photo (builds in well under a second). Its one short
    story leaves most of the page empty, so the page says `allow_holes: true` (issue 9): the
    tests using it are about outputs and photos, not about filling the page."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    _one_story_issue(folder, "达拉特旗着力践行以人民为中心的发展思想，走好新时代党的群众路线。" * 6)
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    (folder / "photos").mkdir()
    Image.new("RGB", (1600, 1200), (120, 90, 60)).save(folder / "photos" / "a.jpg", quality=80)
    text = text.replace("    section: 要闻\n", "    section: 要闻\n    allow_holes: true\n")
    (folder / "issue.yaml").write_text(text + "        photos:\n          - file: photos/a.jpg\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("target", ["issue.yaml", "photos/a.jpg"])
def test_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, target):
    issue = _small_issue(tmp_path / "issue")
    before = (issue / target).read_bytes()
    for option in ("-o", "--report"):
        args = ["build", str(issue), "-o", str(tmp_path / "x.pdf"), "--no-preflight", option, str(issue / target)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert f"{option} {issue / target} is" in result.output and "destroy it" in result.output
        assert (issue / target).read_bytes() == before


def test_output_through_a_symlink_to_an_input_is_refused(tmp_path):
    issue = _small_issue(tmp_path / "issue")
    (tmp_path / "link.pdf").symlink_to(issue / "issue.yaml")
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "link.pdf"), "--no-preflight"])
    assert result.exit_code == 2 and "issue.yaml" in result.output


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_output_that_is_not_a_regular_file_is_refused_before_any_work(tmp_path, kind):
    import os

    target = {"folder": tmp_path, "fifo": tmp_path / "f.pdf", "device": Path("/dev/null")}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    # the issue does not even exist: the output is checked first
    result = CliRunner().invoke(main, ["build", str(tmp_path / "no-such-issue"), "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert {"folder": "is a folder", "fifo": "is a FIFO", "device": "is a device"}[kind] in result.output
    assert Path("/dev/null").is_char_device()


def test_outputs_follow_the_umask(tmp_path):
    import os
    import stat as st

    issue = _small_issue(tmp_path / "issue")
    old = os.umask(0o022)
    try:
        args = ["build", str(issue), "-o", str(tmp_path / "x.pdf"), "--no-preflight", "--report", str(tmp_path / "r.json")]
        assert CliRunner().invoke(main, args).exit_code == 0
        os.umask(0o002)
        assert CliRunner().invoke(main, args[:-2] + ["--alto", str(tmp_path / "alto")]).exit_code == 0
    finally:
        os.umask(old)
    assert st.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644
    assert st.S_IMODE((tmp_path / "x.pdf").stat().st_mode) == 0o664
    assert st.S_IMODE((tmp_path / "alto" / "page-01.xml").stat().st_mode) == 0o664


def test_long_legal_output_name_is_written(tmp_path):
    issue = _small_issue(tmp_path / "issue")
    out = tmp_path / ("n" * 250 + ".pdf")  # 254 bytes: legal; the temporary name must fit too
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out), "--no-preflight"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-1.3")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_report_and_output_must_differ(tmp_path):
    issue = _small_issue(tmp_path / "issue")
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out), "--report", str(out), "--no-preflight"])
    assert result.exit_code == 2 and "--report" in result.output and not out.exists()


def test_unexpected_exception_is_an_internal_error_exit_3(tmp_path, monkeypatch):
    import paperlayout.build as build_module

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(build_module, "lay_out", broken)
    result = CliRunner().invoke(main, ["check", str(_small_issue(tmp_path))])
    assert result.exit_code == 3
    assert "internal error: ZeroDivisionError: boom" in result.output
    assert "Please report it to" in result.output and "Traceback" not in result.output
    debug = CliRunner().invoke(main, ["--debug", "check", str(tmp_path)])
    assert isinstance(debug.exception, ZeroDivisionError)


def test_terminal_escapes_in_an_unknown_key_are_shown_escaped(tmp_path):
    issue = _one_story_issue(tmp_path, "正文。")
    text = (issue / "issue.yaml").read_text(encoding="utf-8").replace("paper:\n", 'paper:\n  "\\e]0;x\\a\\e[2J": 1\n')
    (issue / "issue.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\\x1b]0;x\\x07\\x1b[2J" in result.output


def test_emoji_in_a_head_exits_2_naming_character_and_field(tmp_path):
    issue = _one_story_issue(tmp_path, "正文。")
    text = (issue / "issue.yaml").read_text(encoding="utf-8").replace("head: 一篇稿件", "head: 一篇稿件🇨🇳")
    (issue / "issue.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code == 2, result.output
    assert "pages[0].stories[0].head: the character '🇨' (U+1F1E8 REGIONAL INDICATOR SYMBOL LETTER C) is in no font" in result.output


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x00\x00garbage" * 100])
def test_fonts_folder_with_unusable_files_exits_2_naming_the_file(tmp_path, content):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for name in ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf", "NotoSerifSC-Black.ttf", "NotoSansSC-Bold.ttf",
                 "NotoSansSC-Black.ttf", "LXGWWenKai-Regular.ttf"):
        (fonts / name).write_bytes(content)
    result = CliRunner().invoke(main, ["check", str(_one_story_issue(tmp_path, "正文。")), "--fonts", str(fonts)])
    assert result.exit_code == 2, result.output
    assert "font file" in result.output and str(fonts) in result.output


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b""), "not an ICC profile"),
    (lambda p: p.write_bytes(__import__("paperlayout.render.images", fromlist=["x"]).default_output_profile().read_bytes()[:128]),
     "LittleCMS cannot use the profile"),
    (lambda p: __import__("os").mkfifo(p), "FIFO"),
])
def test_unusable_output_intent_exits_2_before_any_work(tmp_path, make, words):
    make(tmp_path / "p.icc")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "no-issue"), "-o", str(tmp_path / "x.pdf"),
                                       "--output-intent", str(tmp_path / "p.icc")])
    assert result.exit_code == 2, result.output
    assert f"--output-intent {tmp_path / 'p.icc'}" in result.output and words in result.output


def test_gray_output_intent_is_refused(tmp_path):
    data = bytearray(__import__("paperlayout.render.images", fromlist=["x"]).default_output_profile().read_bytes())
    data[16:20] = b"GRAY"
    (tmp_path / "p.icc").write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "x.pdf"), "--output-intent", str(tmp_path / "p.icc")])
    assert result.exit_code == 2 and "needs a CMYK profile" in result.output


def test_limit_override_on_the_command_line(tmp_path):
    issue = _one_story_issue(tmp_path, "正文内容。")
    result = CliRunner().invoke(main, ["check", str(issue), "--limit", "text_chars=3"])
    assert result.exit_code == 2 and "over the limit of 3" in result.output
    bad = CliRunner().invoke(main, ["check", str(issue), "--limit", "nope=3"])
    assert bad.exit_code == 2 and "--limit 'nope=3'" in bad.output


def test_many_problems_are_capped(tmp_path):
    issue = _one_story_issue(tmp_path, "正文。")
    text = (issue / "issue.yaml").read_text(encoding="utf-8").replace("paper:\n", "paper:\n" + "".join(f"  k{i}: 1\n" for i in range(80)))
    (issue / "issue.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code == 2 and "… and 30 more problem(s)" in result.output


def test_photo_size_follows_exif_orientation(tmp_path):
    from PIL import Image

    from paperlayout.build import image_size

    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait (rotate 90° clockwise)
    Image.new("RGB", (400, 300)).save(tmp_path / "p.jpg", exif=exif.tobytes())
    Image.new("RGB", (400, 300)).save(tmp_path / "q.jpg")
    assert image_size(tmp_path / "p.jpg") == (300, 400)
    assert image_size(tmp_path / "q.jpg") == (400, 300)


def test_proof_folder_that_would_overwrite_an_input_is_refused(tmp_path):
    issue = _small_issue(tmp_path / "issue")
    (issue / "photos" / "page-01.png").write_bytes((issue / "photos" / "a.jpg").read_bytes())
    text = (issue / "issue.yaml").read_text(encoding="utf-8").replace("photos/a.jpg", "photos/page-01.png")
    (issue / "issue.yaml").write_text(text, encoding="utf-8")
    before = (issue / "photos" / "page-01.png").read_bytes()
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf"), "--no-preflight",
                                       "--proof", str(issue / "photos")])
    assert result.exit_code == 2 and "--proof" in result.output and "page-01.png" in result.output
    assert (issue / "photos" / "page-01.png").read_bytes() == before


def test_internal_error_names_the_place_in_paperlayout(tmp_path, monkeypatch):
    import paperlayout.loader as loader_module

    def broken(*args, **kwargs):
        return {}["missing"]

    monkeypatch.setattr(loader_module, "load_issue", broken)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 3
    # the innermost frame inside the package (the test's own function is outside it)
    assert re.search(r"internal error: KeyError: 'missing' \(at paperlayout/cli\.py:\d+ in _load\)", result.output), result.output


def test_photo_too_wide_to_place_exits_2_naming_it(tmp_path):
    from PIL import Image

    issue = _small_issue(tmp_path / "issue")
    Image.new("RGB", (4000, 10)).save(issue / "photos" / "a.jpg")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code == 2, result.output
    assert "issue.yaml:17 pages[0].stories[0].photos[0].file: photo" in result.output
    # the planner's range since issue 9: aspects 0.25–5.0 (a panorama across the page, a portrait
    # in one column), each cropped by at most 15 % — 0.25 × 0.85 to 5.0 / 0.85
    assert "is 4000 × 10 px, too wide to place (width/height 400.00; photos are placed from 0.21 to 5.88)" in result.output


# --- build failing with --report / --proof (review of the merged build command) -----------------


def _tiny_story_issue(folder: Path, pages: int = 1) -> Path:
    """Pages of one tiny story each: every page is short (editor's rule page-fill, issue 9)."""
    folder.mkdir(parents=True, exist_ok=True)
    stories = "".join(f"  - number: {n}\n    section: 要闻\n    stories:\n      - id: tiny{n}\n        head: 一则消息\n"
                      f"        body:\n          - 达拉特旗着力践行以人民为中心的发展思想。\n" for n in range(1, pages + 1))
    (folder / "issue.yaml").write_text("paper:\n  name: 测试报\nissue:\n  date: 2023-03-17\n  number: 1\n"
                                       "  preset: tabloid\npages:\n" + stories, encoding="utf-8")
    return folder


def test_failed_build_writes_its_report_over_the_last_one_and_keeps_the_old_pdf(tmp_path):
    """A layout that fails with --report: exit 1, the report written (also over the report of
    an earlier run: an existing report is an output, never refused), no PDF, yesterday's PDF
    at -o untouched."""
    import json

    issue = _tiny_story_issue(tmp_path / "issue")
    out, report = tmp_path / "x.pdf", tmp_path / "r.json"
    out.write_bytes(b"%PDF-1.3 good old file")
    report.write_text('{"old": true}', encoding="utf-8")
    for _ in range(2):
        result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out), "--report", str(report)])
        assert result.exit_code == 1, result.output
        assert "page 1 is short by about" in result.output and "no PDF written" in result.output
        written = json.loads(report.read_text(encoding="utf-8"))
        assert written["errors"] == 1 and written["press"] is None and written["preflight"] is None
        assert [r["holds"] for r in written["pages"][0]["rules"] if r["rule"] == "page-fill"] == [False]
        assert out.read_bytes() == b"%PDF-1.3 good old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue", "r.json", "x.pdf"]  # no temporary left


@pytest.mark.skipif(__import__("shutil").which("pdftoppm") is None, reason="poppler-utils not installed")
def test_failed_proof_through_a_link_to_an_input_is_refused_and_the_input_kept(tmp_path):
    """FAILED-page-N.png proofs go through the output-folder check like page-N.png: a proof
    name that is a link to the issue file is refused (exit 2) before any proof is drawn."""
    issue = _tiny_story_issue(tmp_path / "issue")
    before = (issue / "issue.yaml").read_bytes()
    proofs = tmp_path / "proofs"
    proofs.mkdir()
    (proofs / "FAILED-page-01.png").symlink_to(issue / "issue.yaml")
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf"), "--proof", str(proofs)])
    assert result.exit_code == 2, result.output
    assert f"--proof {proofs / 'FAILED-page-01.png'} is {issue / 'issue.yaml'}" in result.output
    assert "destroy it" in result.output
    assert (issue / "issue.yaml").read_bytes() == before


@pytest.mark.skipif(__import__("shutil").which("pdftoppm") is None, reason="poppler-utils not installed")
def test_failed_proofs_are_named_by_page_number_when_a_page_is_not_drawn(tmp_path):
    """A page whose copy cannot be planned is not drawn; the proofs of the others keep their
    own page numbers (pdftoppm would number the PDF's pages 1, 2)."""
    import stat as st

    issue = _tiny_story_issue(tmp_path / "issue", pages=3)
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    overset = "达拉特旗着力践行以人民为中心的发展思想，走好新时代党的群众路线。" * 60
    tiny2 = "      - id: tiny2\n        head: 一则消息\n        body:\n"
    text = text.replace(tiny2 + "          - 达拉特旗着力践行以人民为中心的发展思想。\n", tiny2 + f"          - {overset}\n" * 14)
    (issue / "issue.yaml").write_text(text, encoding="utf-8")
    proofs = tmp_path / "proofs"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf"), "--proof", str(proofs)])
    assert result.exit_code == 1, result.output
    assert "page 2" in result.output and "overset" in result.output
    assert sorted(p.name for p in proofs.iterdir()) == ["FAILED-page-01.png", "FAILED-page-03.png",
                                                        "FAILED-page-contact-sheet.png", "FAILED-page-proof.json"]
    assert st.S_IMODE((proofs / "FAILED-page-03.png").stat().st_mode) == 0o666 & ~_umask()
    assert not (tmp_path / "x.pdf").exists()


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_latin_nameplate_clears_the_line_under_it(tmp_path):
    """Fuzz case schema/paper.name=bool: the name `yes` (a YAML bool, taken as text) was drawn
    with its 'y' descender through the publisher line; the build's read-back refused it
    (verify-overlap-glyph). The line under a Latin name now drops below its descenders."""
    issue = _small_issue(tmp_path / "issue")
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    text = text.replace("  name: 测试报\n", "  name: yes\n  publisher: 测试报社\n")
    (issue / "issue.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf"), "--no-preflight"])
    assert result.exit_code == 0, result.output
    assert "verify-overlap" not in result.output


def test_failed_build_with_proofs_when_no_page_could_be_laid_out(tmp_path):
    """The only page cannot be planned (its photo prints below 150 ppi at any span): with
    --proof the build rendered an empty PDF (IndexError in render, internal error exit 3).
    Now: exit 1 with the located error, no PDF, no proof, and a word why."""
    from PIL import Image

    folder = _tiny_story_issue(tmp_path / "issue")
    Image.new("RGB", (200, 140), (120, 90, 60)).save(folder / "tiny.jpg", quality=80)
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    (folder / "issue.yaml").write_text(text + "        photos:\n          - file: tiny.jpg\n", encoding="utf-8")
    out, proofs = tmp_path / "x.pdf", tmp_path / "proofs"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "--proof", str(proofs)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "page 1 / story 'tiny1': photo tiny.jpg (200 × 140 px" in result.output
    assert "no proofs written: no page could be laid out" in result.output
    assert not out.exists() and (not proofs.exists() or list(proofs.iterdir()) == [])
