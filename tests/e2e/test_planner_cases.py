"""The planner on the issues of issue 9, through the command line: each case is laid out with
every editor's rule holding (figures asserted from `--report` / `check --json`), or exits 1
naming the rule, the page and the story (or photo) at fault. `check` and `build` agree.

Photos are generated with Pillow in tmp_path (flat colour: only their pixel size matters)."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from paperlayout.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"
SAMPLE_DATA = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
LEAD_PARAGRAPHS = [p for p in SAMPLE_DATA["pages"][0]["stories"][0]["body"] if isinstance(p, str)]


def _copy(chars: int) -> list[str]:
    """Paragraphs of the sample's lead, in order, cut to about `chars` characters (whole sentences)."""
    out, total = [], 0
    for para in LEAD_PARAGRAPHS * 3:
        if total >= chars:
            break
        if total + len(para) > chars:
            cut = para[: chars - total]
            para = cut[: cut.rfind("。") + 1] or cut
        out.append(para)
        total += len(para)
    return [p for p in out if p]


def _photo(folder: Path, name: str, w: int, h: int) -> dict:
    Image.new("RGB", (w, h), (110, 130, 90)).save(folder / name, quality=80)
    return {"file": name, "caption": "图为达拉特旗干部走访农户。"}


def _write(folder: Path, data: dict) -> Path:
    (folder / "issue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _issue(preset: str, pages: list[list[dict]]) -> dict:
    return {"paper": {"name": "测试报", "sample": True}, "issue": {"date": "2023-03-17", "number": 1, "preset": preset},
            "pages": [{"number": n, "section": "要闻" if n == 1 else "综合", "stories": stories}
                      for n, stories in enumerate(pages, 1)]}


def _copy_sample_photos(folder: Path, stories: list[dict]) -> None:
    """Copy the sample's photos of `stories` into `folder` under the same relative names: an
    issue may read photos only inside its own folder (issue 10, `--root`)."""
    for photo in (p for s in stories for p in s.get("photos", [])):
        target = folder / photo["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLE / photo["file"], target)


def _sample_with(folder: Path, *extra: dict, style: str | None = None, banner_at: int | None = None) -> Path:
    data = copy.deepcopy(SAMPLE_DATA)
    stories = data["pages"][0]["stories"]
    _copy_sample_photos(folder, stories)
    stories += list(extra)
    if banner_at is not None:
        stories.insert(banner_at, stories.pop(1))
    if style:
        (folder / "house.yaml").write_text(style, encoding="utf-8")
        data["issue"]["style"] = "house.yaml"
    return _write(folder, data)


def _check(folder: Path, *args: str):
    """`check --json` → (exit code, report dict, stderr text)."""
    result = CliRunner().invoke(main, ["check", str(folder), "--json", *args])
    text = result.stdout
    report = json.loads(text[: text.rindex("}") + 1]) if "{" in text else {}
    lines = [f"{d['level']}: {d['where']}: {d['message']} [{d['code']}]" for d in report.get("diagnostics", ())]
    return result.exit_code, report, "\n".join(lines) + "\n" + result.output


def _figures(report: dict) -> dict[tuple[int, str], dict]:
    return {(p["number"], r["rule"]): r for p in report["pages"] for r in p["rules"]}


def _broken(report: dict) -> set[tuple[int, str]]:
    return {key for key, r in _figures(report).items() if not r["holds"]}


def test_two_tabloid_pages_of_2000_characters_report_the_short_page(tmp_path):
    """Issue 9: a 256-character story was jumped to page 2, its photo blown up to 60 % of the
    page and a leftover sentence spread as four one-line columns; `check` said filled.
    Now: the short story stays whole, nothing is blown up, and the short page is an error
    naming its shortfall — unless holes are allowed for a proof."""
    lead = {"id": "lead", "head": "干部下基层 聚力促振兴", "body": _copy(1050), "photos": [_photo(tmp_path, "a.jpg", 1600, 1067)]}
    short = {"id": "short", "head": "送书下乡", "body": _copy(256), "photos": [_photo(tmp_path, "b.jpg", 1200, 800)]}
    other = {"id": "other", "head": "春耕备耕忙", "body": _copy(700)}
    folder = _write(tmp_path, _issue("tabloid", [[lead, short], [other]]))
    code, report, output = _check(folder)
    assert code == 1
    assert "page 2 is short by about" in output and "[page-fill]" in output
    broken = _broken(report)
    assert broken and {rule for _, rule in broken} == {"page-fill"}
    figures = _figures(report)
    for page in (1, 2):
        if figures[(page, "column-lines")]["figure"] is not None:
            assert figures[(page, "column-lines")]["figure"] >= 4
    assert figures[(1, "photo-share")]["figure"] <= 0.5
    assert figures[(1, "photo-ppi")]["figure"] >= 150
    ids = [s["id"] for p in report["pages"] for s in p["stories"]]
    assert sorted(ids) == ["lead", "other", "short"]  # nothing jumps off a page that stays short
    code, report, output = _check(folder, "--allow-holes")
    assert code == 0, output
    assert "warning" in output and "[page-fill]" in output


def test_a_low_resolution_photo_is_refused_naming_the_photo_and_build_agrees(tmp_path):
    """Issue 9: a 200 × 140 px picture was enlarged to 23 ppi; `check` exit 0, `build` exit 1,
    `--report` said 0 errors. Now both exit 1 naming the photo and the pixels it needs, and the
    report written by the failed build records it."""
    story = {"id": "lowres", "head": "村里来了新农机", "body": _copy(600), "photos": [_photo(tmp_path, "tiny.jpg", 200, 140)]}
    folder = _write(tmp_path, _issue("broadsheet", [[story]]))
    code, report, output = _check(folder)
    assert code == 1
    assert "tiny.jpg" in output and "200 × 140 px" in output and "px across" in output and "[photo-fits-nowhere]" in output
    assert "page 1 / story 'lowres'" in output
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "--report", str(tmp_path / "r.json")])
    assert result.exit_code == code
    assert not out.exists()
    written = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert written["errors"] >= 1 and any(d["code"] == "photo-fits-nowhere" for d in written["diagnostics"])
    assert {r["name"] for r in written["rules"]} >= {"photo-ppi", "photo-crop", "page-fill"}


def test_a_panorama_and_a_portrait_added_to_the_sample_fit_their_shapes(tmp_path):
    """Issue 9: a 3.6 : 1 panorama or a 1 : 3 portrait made the sample impossible ("more copy
    than 93 rows × 8 columns hold"). Now the portrait, added to the sample, is set one or two
    columns wide with every rule holding; the panorama added to the full page is refused naming
    itself as the story to move (never "more copy than …"), and in place of a story of the
    sample it spans half the page or more, every rule holding."""
    pano = {"id": "pano", "head": "黄河岸边春意浓", "body": ["春分时节，黄河达拉特段两岸的农牧民抢抓农时，开展春耕备耕。"],
            "photos": [_photo(tmp_path, "pano.jpg", 3600, 1000)]}
    tall = {"id": "tall", "head": "古塔新颜", "body": ["修缮一新的古塔迎来游客。"],
            "photos": [_photo(tmp_path, "tall.jpg", 1000, 3000)]}

    def folder_for(name: str, extra: dict) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / extra["photos"][0]["file"]).write_bytes((tmp_path / extra["photos"][0]["file"]).read_bytes())
        return folder

    def holds(report: dict, extra: dict, low: int, high: int) -> None:
        assert _broken(report) == set()
        cell = next(s["cell"] for s in report["pages"][0]["stories"] if s["id"] == extra["id"])
        assert low <= cell[2] <= high
        assert _figures(report)[(1, "photo-span")]["figure"] == 0
        assert report["pages"][0]["fill"] == 1.0

    code, report, output = _check(_sample_with(folder_for("tall", tall), tall))
    assert code == 0, output
    holds(report, tall, 1, 2)
    code, report, output = _check(_sample_with(folder_for("pano-added", pano), pano))
    assert code == 1 and "more copy than" not in output
    assert "Without story 'pano' (29 characters) the page can be planned: move it and its 1 photo(s) to another page" \
        in output
    folder = folder_for("pano-instead", pano)
    data = copy.deepcopy(SAMPLE_DATA)
    stories = data["pages"][0]["stories"]
    _copy_sample_photos(folder, stories)
    data["pages"][0]["stories"] = [s for s in stories if s["id"] != "counterfeit-destroyed"] + [pano]
    code, report, output = _check(_write(folder, data))
    assert code == 0, output
    holds(report, pano, 4, 8)


def test_a_tiny_story_alone_on_a_page_is_an_error_unless_holes_are_allowed(tmp_path):
    """Issue 9: a 97 %-empty front page exited 0 with two warnings."""
    story = {"id": "tiny", "head": "一则消息", "body": ["达拉特旗着力践行以人民为中心的发展思想。"]}
    folder = _write(tmp_path, _issue("broadsheet", [[story]]))
    code, report, output = _check(folder)
    assert code == 1 and "page 1 is short by about" in output
    assert _figures(report)[(1, "page-fill")]["figure"] > 0.9
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and not (tmp_path / "x.pdf").exists()
    assert _check(folder, "--allow-holes")[0] == 0
    data = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    data["pages"][0]["allow_holes"] = True
    assert _check(_write(folder, data))[0] == 0


def test_a_one_sentence_story_on_a_page_is_set_in_one_column(tmp_path):
    one = {"id": "one", "head": "一句话新闻", "body": ["达拉特旗9个苏木镇132个嘎查村到处可见包联户干部忙碌的身影。"]}
    code, report, output = _check(_sample_with(tmp_path, one))
    assert code == 0, output
    story = next(s for s in report["pages"][0]["stories"] if s["id"] == "one")
    assert story["arrangement"].startswith("1×")
    assert _figures(report)[(1, "column-lines")]["holds"]


@pytest.mark.parametrize("columns,chars,trim,refused", [
    (7, 15, "", ""),
    # a 6 × 17 grid on a narrower trim holds about 190 characters less than the sample's 8 × 13, which the
    # sample fills exactly: the page is refused naming the story to move, and the lead is never demoted
    (6, 17, "  trim: [380, 546]\n", "Without story 'spokesperson-training' (588 characters) the page can be planned: "
                                   "move it to another page, or cut about 588 characters"),
])
def test_house_styles_keep_the_lead_wide_or_say_why_not(tmp_path, columns, chars, trim, refused):
    """Issue 9: a 7 × 15 or 6-column house style demoted the lead to a strip 2 columns wide,
    the banner moved to the top right. With the banner listed under the lead, the lead and its
    four photos cannot span the page within the rules: exit 1 naming both. With the banner
    listed later, the page is laid out with the lead at least half the page, every rule
    holding — or, where the grid holds less than the copy, refused naming the story to move."""
    style = f"page:\n  columns: {columns}\n  column_chars: {chars}\n{trim}"
    first = tmp_path / "first"
    first.mkdir()
    code, report, output = _check(_sample_with(first, style=style))
    assert code == 1
    assert "page 1 / story 'lead'" in output and "campaign-banner" in output and "4 photos" in output
    later = tmp_path / "later"
    later.mkdir()
    code, report, output = _check(_sample_with(later, style=style, banner_at=4))
    if refused:
        assert code == 1 and refused in output, output
        assert "[lead-span]" not in output and "[lead-widest]" not in output
        return
    assert code == 0, output
    assert _broken(report) == set()
    assert _figures(report)[(1, "lead-span")]["figure"] >= 0.5
    lead = report["pages"][0]["stories"][0]
    assert lead["id"] == "lead" and lead["cell"][:2] == [0, 0]


def test_the_sample_keeps_every_rule(tmp_path):
    code, report, output = _check(SAMPLE)
    assert code == 0, output
    assert _broken(report) == set()
    figures = _figures(report)
    assert figures[(1, "photo-crop")]["figure"] <= 0.15
    assert figures[(1, "lead-span")]["figure"] == 1.0
    assert figures[(1, "banner-place")]["figure"] == 0
    assert report["pages"][0]["fill"] == 1.0 and all(s["level"] for s in report["pages"][0]["stories"])
    grid = report["grid"]
    assert (grid["columns"], grid["column_chars"], grid["rows_page1"], grid["capacity_page1"]) == (8, 13, 93, 93 * 8 * 13)
    text = CliRunner().invoke(main, ["check", str(SAMPLE)]).stdout
    assert text.startswith("grid: 8 columns × 13 characters (gutter 1), 9 pt type on a 13.5 pt pitch; 105 rows")
    assert "rules: column-lines" in text and "BROKEN" not in text


def test_a_house_style_whose_grid_does_not_fill_the_type_area_is_refused_with_a_fix(tmp_path):
    """Issue 9: `columns: 6` and `body_size: 五号` alone were accepted: the type area shrank
    from 111 to 83 characters. Now a located error says which column width fills it."""
    code, _, output = _check(_sample_with(tmp_path, style="page:\n  columns: 6\n  body_size: 五号\n"))
    assert code == 2
    assert "house.yaml:2" in output and "page.columns" in output and "set page.column_chars to 15" in output


def test_a_house_style_with_too_tight_a_pitch_is_refused(tmp_path):
    code, _, output = _check(_sample_with(tmp_path, style="page:\n  line_pitch: 10\n"))
    assert code == 2
    assert "house.yaml:2" in output and "page.line_pitch" in output and "1.15" in output


def test_a_short_page_takes_a_filler_from_the_pool(tmp_path):
    """补白: the sample without one of its stories is short; the issue's filler pool holds a
    house notice and that story, and the planner takes what fills the page, saying so."""
    data = copy.deepcopy(SAMPLE_DATA)
    stories = data["pages"][0]["stories"]
    _copy_sample_photos(tmp_path, stories)
    moved = stories.pop(4)
    notice = {"id": "notice", "kind": "box", "head": "订阅启事", "body": ["欢迎订阅本报。全年定价一百二十元，各邮政支局均可办理。"]}
    data["fillers"] = [notice, moved]
    code, report, output = _check(_write(tmp_path, data))
    assert code == 0, output
    page = report["pages"][0]
    assert page["fill"] == 1.0 and _broken(report) == set()
    assert page["plan"][-1] == f"filled from the pool (补白): {moved['id']}"
    assert [s["id"] for s in page["stories"]][-1] == moved["id"]
    assert not any(d["code"] == "text-lost" for d in report["diagnostics"])


def test_a_picture_story_needs_no_body(tmp_path):
    """Issue 9: a photo page could not be written (`body` was required)."""
    pic = {"id": "pic", "head": "黄河岸边春意浓", "picture": True,
           "photos": [_photo(tmp_path, "p1.jpg", 3000, 2000), _photo(tmp_path, "p2.jpg", 3000, 2000)]}
    from paperlayout.loader import load_issue

    folder = _write(tmp_path, _issue("broadsheet", [[pic]]))
    story = load_issue(folder).pages[0].stories[0]
    assert story.body == () and story.picture and len(story.photos) == 2
    code, report, output = _check(folder, "--allow-holes")
    assert code == 0, output
    cell = report["pages"][0]["stories"][0]["cell"]
    assert cell[2] >= 2  # laid out, photos and captions only


def test_a_failed_build_still_writes_proofs_marked_failed(tmp_path):
    """Issue 9: `--proof` writes proofs of a failed build, marked as failed, so the editor can
    see the problem (here the short page)."""
    if not (shutil.which("pdftoppm") or shutil.which("gs")):
        pytest.skip("no pdftoppm or Ghostscript to draw proofs")
    story = {"id": "tiny", "head": "一则消息", "body": ["达拉特旗着力践行以人民为中心的发展思想。"]}
    folder = _write(tmp_path, _issue("broadsheet", [[story]]))
    proofs = tmp_path / "proofs"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "x.pdf"), "--proof", str(proofs),
                                       "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    assert sorted(p.name for p in proofs.iterdir()) == ["FAILED-page-01.png", "FAILED-page-contact-sheet.png",
                                                        "FAILED-page-proof.json"]
    assert not (tmp_path / "x.pdf").exists()
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["errors"] == 1 and report["preflight"] is None
    assert [r for r in report["pages"][0]["rules"] if r["rule"] == "page-fill"][0]["holds"] is False
