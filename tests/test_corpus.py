"""The corpus (tests/corpus/NN-name/issue.yaml): varied issues written to try the whole tool.

Every issue loads — or, for the deliberate bad-input cases, is refused with every mistake
located (file:line field). A quick subset (marked ``corpus_build``) builds end to end through
the command line: exit 0 with the build's verifier of the written PDF clean (English and URLs,
rare and supplementary characters, traditional characters, every kind of story, a house style,
a jump), or exit 1/2 with a message naming the rule, the page and the story; never a traceback. ``python scripts/run_corpus.py`` builds all of them and writes proofs.

The photos and the 16-page issue are generated (tests/corpus/make_photos.py,
tests/corpus/04-sixteen-pages/make_issue.py); the session fixture writes them first.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
ISSUES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and re.match(r"\d\d-", p.name))

#: deliberate bad input: issue → the (line, field) of every mistake the loader must report
REFUSED = {
    "27-bad-typos": [
        (13, "issue.date"),
        (17, "pages[0].number"),
        (22, "pages[0].stories[0].subhed"),
        (27, "pages[0].stories[0].photos[0].captoin"),
        (28, "pages[0].stories[1].items"),
        (32, "pages[0].stories[2].kind"),
    ],
    "28-bad-missing-photo": [
        (22, "pages[0].stories[0].photos[0].file"),
        (24, "pages[0].stories[0].photos[1].file"),
    ],
}
#: deliberate bad style sheets: issue → (line, key, what the message must say) of every
#: mistake in its style.yaml (the style-sheet check, stylesheet.py)
BAD_STYLE = {
    "24-style-6col-inconsistent": [
        (3, "page.columns", "the grid is 83 characters wide (6 columns × 13 + 5 gutters × 1 at 10.5 pt = 307.4 mm), "
                            "but the page's type area is 352.4 mm: set page.column_chars to 15"),
    ],
    "29-bad-style-value": [
        (3, "page.body_size", "the grid is 111 characters wide"),
        (3, "page", "is wider than the trim (390.0 mm)"),
        (4, "page.line_pitch", "a 9 pt pitch under 10.5 pt type leaves lines touching"),
        (5, "page.colums", "did you mean 'columns'?"),
        (6, "punctuation", "unknown punctuation 'kaiming-style'"),
    ],
}


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session", autouse=True)
def generated():
    """The corpus's generated files: the photos, and the 16-page issue."""
    _module(CORPUS / "make_photos.py").make()
    _module(CORPUS / "04-sixteen-pages" / "make_issue.py").write()


def test_corpus_has_at_least_24_issues_each_with_an_expect_note():
    assert len(ISSUES) >= 24
    for name in ISSUES:
        if name.startswith("04-"):
            continue  # generated; its EXPECT note is in make_issue.py and written into the file
        head = (CORPUS / name / "issue.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# EXPECT: "), f"{name}: the first line must be the EXPECT note"


@pytest.mark.parametrize("name", [n for n in ISSUES if n not in REFUSED])
def test_issue_loads(name):
    from paperlayout.loader import LoadError, load_issue
    from paperlayout.styles import preset
    from paperlayout.stylesheet import load_styles

    issue = load_issue(CORPUS / name, root=CORPUS)
    assert issue.pages and all(page.stories for page in issue.pages)
    if issue.style is None:
        assert name not in BAD_STYLE
        return
    if name not in BAD_STYLE:
        load_styles(issue.style, preset(issue.preset))
        return
    with pytest.raises(LoadError) as caught:
        load_styles(issue.style, preset(issue.preset))
    places = {(p.line, p.field) for p in caught.value.problems}
    assert places == {(line, key) for line, key, _ in BAD_STYLE[name]}, f"{name}: got {sorted(places)}"
    for line, key, says in BAD_STYLE[name]:
        message = next(p.message for p in caught.value.problems if (p.line, p.field) == (line, key))
        assert says in message, f"{name}: style.yaml:{line} {key}: {message}"
    assert all(p.file.endswith(f"{name}/style.yaml") for p in caught.value.problems)


@pytest.mark.parametrize("name", sorted(BAD_STYLE))
def test_bad_style_sheet_exits_2_with_located_messages(tmp_path, name):
    """`build` refuses the issue at load time: exit 2, one located line per mistake, no PDF."""
    from paperlayout.cli import main

    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(CORPUS / name), "-o", str(out), "--no-marks", "--root", str(CORPUS)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not out.exists()
    for line, key, says in BAD_STYLE[name]:
        assert f"{name}/style.yaml:{line}: {key}: " in result.output, result.output
        assert says in result.output


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bad_issue_is_refused_with_every_mistake_located(name):
    from paperlayout.loader import LoadError, load_issue

    with pytest.raises(LoadError) as caught:
        load_issue(CORPUS / name, root=CORPUS)
    places = {(p.line, p.field) for p in caught.value.problems}
    assert places == set(REFUSED[name])
    assert all(p.file.endswith(f"{name}/issue.yaml") and p.message for p in caught.value.problems)


def test_photos_are_sized_for_print_except_the_low_resolution_case():
    """Stand-in photos are delivered at print size (short side ≥ 600 px: ≥ 150 ppi across 4 in,
    more than a 2-column broadsheet span of 243 pt) except the deliberate 200 × 140 px scan."""
    from PIL import Image

    photos = _module(CORPUS / "make_photos.py").PHOTOS
    for name in photos:
        with Image.open(CORPUS / "photos" / f"{name}.jpg") as im:
            size = im.size
        assert size == photos[name][:2]
        if name == "lowres-scan":
            assert size == (200, 140)
        else:
            assert min(size) >= 600, name
    used = set()
    for name in ISSUES:
        used |= set(re.findall(r"\.\./photos/([\w-]+)\.jpg", (CORPUS / name / "issue.yaml").read_text(encoding="utf-8")))
    assert used - {"does-not-exist"} <= set(photos)


def test_photos_are_deterministic(tmp_path):
    make = _module(CORPUS / "make_photos.py").make
    make(out=tmp_path / "a")
    make(out=tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir())[:4]:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


# --- a quick subset through the command line ----------------------------------------------------

#: issues that must build clean (exit 0) with the build's own verifier of the written PDF
#: finding nothing (`--report` → "verify": {"errors": 0}), one of each kind the composer and the
#: planner find hard
CLEAN = [
    "11-traditional-chinese",   # 繁體 copy; the page fills with fillers (补白) the planner takes from the pool
    "12-every-kind-of-story",   # every kind of story; fills with more air around the heads and three fillers
    "22-style-7x15",            # the copy of 21 under a 7 × 15 house style; fills with more air around the heads
    "10-rare-supplementary",    # supplementary-plane and Extension A characters from a fallback face
    "16-photo-page",            # 图片版: six picture stories tiled by their photos' shapes, the lead first
    "34-tabloid-culture-page",  # copy written after the engine: times, distances, a fraction, briefs
    "37-sports-page",           # copy written after the engine: scores with ∶, names with ·, clock times, two photos
    "38-opinion-page-text-only",  # copy written after the engine: a mono 评论版 with no photo, filled by text alone
    "39-tech-page-urls",        # copy written after the engine: URLs with hyphens, one story with url_breaks: anywhere
    "40-literary-supplement",   # copy written after the engine: a 副刊 — dialogue, a poem under crossheads, 《》, briefs
    "41-interview-people-page",  # copy written after the engine: a Q&A interview, a head over three of four columns
]
#: glyphs the verifier must read back from a clean issue: a page of copy sets more than 1,000; a
#: photo page (six captions and six sentences) about 300
FEWEST_GLYPHS = {"16-photo-page": 250}
#: issues that must be refused: (exit code, what the messages must say — rule, page, story)
REFUSED_BUILD = {
    # planfix (editor's rules body-measure, photo-size, lead-photo, side-text): without one-line
    # notices across the page and stamp-sized photos these pages no longer fill; short copy is reported
    # emergency breaks are errors (issue 8): no measure of the 四开 grid (at most 25 characters) sets
    # its URLs and the name "Zhou Guilan" without a break where they have none, and the planner
    # (which costs them) finds no filled page without one: each is named with page, story and fix
    "05-english-story": (1, ["page 1 / story 'expo' (3 columns): no break keeps the spacing within the rules: a URL "
                             "is broken where it has no break point, after 'gri.exam'", "give the story a wider span",
                             "a URL may also break anywhere with `url_breaks: anywhere` on the story",
                             "[unbreakable-split]"]),
    # no measure sets the recruitment box's URLs without an emergency break, and no plan with the
    # lead the widest fills the page: each named with page, story and fix
    "06-url-email-notices": (1, ["page 1 / story 'recruitment' (3 columns): no break keeps the spacing within the "
                                 "rules: a URL is broken where it has no break point", "[unbreakable-split]",
                                 "error: page 1 / story 'one-network': another story ('tender', 8 columns) is 3 "
                                 "column(s) wider than the lead (5 columns)", "[lead-widest]"]),
    # pages that do not tile name the story without which they plan (move it, or cut as many characters)
    # (the briefs, whose every column must hold 4 lines of text, not rows of separators)
    "23-style-6col-wuhao": (1, ["error: page 1: the stories (lead, banner, people-congress", "Without story "
                                "'briefs' (183 characters) the page can be planned: move it to another page, or "
                                "cut about 183 characters", "[overset]"]),
    # page 1's stories and both fillers reach no level tiling: two rows short, said in characters
    "26-features-5col-style": (1, ["error: page 1: the stories (marathon, night-market, subway-art",
                                   "Without story 'subway-art' (247 characters) the page can be planned; the page is "
                                   "then short and takes fillers or more copy", "[overset]"]),
    # the jump leaves about 100 characters more than the two pages hold under the rules
    "03-long-story-jumps": (1, ["error: page 2: the stories (river-clean, library-night", "(rule photo-size)",
                                "Without story 'library-night' (224 characters) the page can be planned; the page is "
                                "then short", "[overset]"]),
    # page 1 fills; page 2 holds one story and briefs: short copy is reported, never faked
    "19-short-second-page": (1, ["error: page 2: page 2 is short by about ", "with the stories melon, briefs",
                                 "[page-fill]"]),
    # a pin no filled page can keep: the story, the pin's line, the spans it does fit
    "32-impossible-pin": (1, ["32-impossible-pin/issue.yaml:75 pages[0].stories[4].pin: story 'heating' is pinned "
                              "to 6 columns, but within the editor's rules it fits only spans [1, 2, 3, 4]", "[pin]"]),
    # pins that contradict each other: the lead pinned 5 columns is taller than the banner's pinned row
    "30-editor-pins": (1, ["30-editor-pins/issue.yaml:79 pages[0].stories[2].pin: the banner 'banner' is pinned at "
                           "row 40, so the stories listed before it must end above it, but story 'lead' pinned 5 "
                           "columns wide is at least 43 rows tall within the editor's rules: move the banner's pin to "
                           "row 43 or lower", "[pin]", "error: page 2: page 2 is short by about "]),
    # the planner refuses the scan itself (not preflight), naming story, photo and resolution
    "17-low-res-photo": (1, ["error: page 1 / story 'old-photo': photo lowres-scan.jpg (200 × 140 px, aspect 1.43:1) "
                             "fits no span on this page: at 150 ppi its 200 px print at most 34 mm wide",
                             "[photo-fits-nowhere]"]),
    # a character no face has is refused at its place in the copy, before any layout
    "31-glyph-in-no-font": (2, ["31-glyph-in-no-font/issue.yaml:22 pages[0].stories[0].body[0]: the character '𪚥' "
                                "(U+2A6A5 CJK UNIFIED IDEOGRAPH-2A6A5) is in no font"]),
}


def _build(tmp_path, name):
    from paperlayout.cli import main

    out = tmp_path / "out.pdf"
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["build", str(CORPUS / name), "-o", str(out), "--no-marks", "--root", str(CORPUS),
                                       "--report", str(report)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result, out, report


@pytest.mark.corpus_build
@pytest.mark.parametrize("name", CLEAN)
def test_quick_build_is_clean_and_verified(tmp_path, name):
    """exit 0, a PDF, every editor's rule held and the verifier of the written PDF (glyph widths,
    overlaps, bounds, text in reading order) ran on every page and found nothing."""
    import json

    result, out, report = _build(tmp_path, name)
    assert result.exit_code == 0, result.output
    assert out.is_file()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["errors"] == 0, data["errors"]
    verify = data["verify"]
    assert verify["errors"] == 0 and verify["diagnostics"] == [], verify
    assert verify["figures"]["pages"] == len(data["pages"]) and verify["figures"]["glyphs"] > FEWEST_GLYPHS.get(name, 1000)
    assert verify["figures"]["matched"] == verify["figures"]["glyphs"], verify["figures"]  # every glyph read back
    for page in data["pages"]:
        assert page["fill"] == 1.0 and page["largest_hole_rows"] == 0, (page["number"], page["fill"])
        assert all(story["level"] for story in page["stories"]), page["number"]


@pytest.mark.corpus_build
def test_briefs_and_boxes_build_clean(tmp_path):
    """20: a briefs block, three boxes and four stories on a mono 四开 page build clean."""
    result, out, report = _build(tmp_path, "20-briefs-and-boxes")
    assert result.exit_code == 0, result.output


@pytest.mark.corpus_build
@pytest.mark.parametrize("name", sorted(REFUSED_BUILD))
def test_quick_build_refused_names_rule_page_and_story(tmp_path, name):
    result, out, report = _build(tmp_path, name)
    code, says = REFUSED_BUILD[name]
    assert result.exit_code == code, result.output
    for text in says:
        assert text in result.output, result.output
    assert not out.exists()


@pytest.mark.corpus_build
def test_failed_build_with_proofs_when_no_page_could_be_laid_out(tmp_path):
    """17's only page is refused (photo-fits-nowhere): with --proof the build still exits 1 with
    the located error, and writes no PDF and no proof of a page that does not exist."""
    from paperlayout.cli import main

    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(CORPUS / "17-low-res-photo"), "-o", str(out), "--no-marks", "--root", str(CORPUS),
                                       "--proof", str(tmp_path / "proof")])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "photo lowres-scan.jpg (200 × 140 px" in result.output and not out.exists()
