"""The corpus (tests/corpus/NN-name/issue.yaml): varied issues written to try the whole tool.

Every issue loads — or, for the deliberate bad-input cases, is refused with every mistake
located (file:line field). A quick subset (marked ``corpus_build``) builds end to end through
the command line: exit 0, or exit 1 with a message naming a page and a story; never a
traceback. ``python scripts/run_corpus.py`` builds all of them and writes proofs.

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
    result = CliRunner().invoke(main, ["build", str(CORPUS / name), "-o", str(out), "--no-marks"])
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

QUICK = [
    "02-tiny-story-alone",
    "09-mixed-chinese-english",
    "14-panorama",
    "15-portrait",
    "03-long-story-jumps",
    "17-low-res-photo",
]
#: issues of the quick subset whose outcome is known: (exit code, what the errors must say)
OUTCOME = {
    # the feature now fits page 1 beside two stories (no jump); page 2's three stories fill
    # barely a third of it: short copy is reported, never faked (editor's rule page-fill)
    "03-long-story-jumps": (1, ["error: page 2: page 2 is short by about ",
                                "with the stories library-night, volunteers, weather", "[page-fill]"]),
    # the planner refuses the scan itself (not preflight), naming story, photo and resolution
    "17-low-res-photo": (1, ["error: page 1 / story 'old-photo': photo lowres-scan.jpg (200 × 140 px, aspect 1.43:1) "
                             "fits no span on this page: at 150 ppi its 200 px print at most 34 mm wide",
                             "[photo-fits-nowhere]"]),
}


@pytest.mark.corpus_build
@pytest.mark.parametrize("name", QUICK)
def test_quick_build_exits_0_or_names_page_and_story(tmp_path, name):
    from paperlayout.cli import main
    from paperlayout.loader import load_issue

    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(CORPUS / name), "-o", str(out), "--no-marks", "--root", str(CORPUS),
                                       "--report", str(tmp_path / "report.json")])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if name in OUTCOME:
        code, says = OUTCOME[name]
        assert result.exit_code == code, result.output
        for text in says:
            assert text in result.output, result.output
    if result.exit_code == 0:
        assert out.is_file()
        return
    assert not out.exists()
    errors = [line for line in result.output.splitlines() if "error" in line]
    stories = {story.id for page in load_issue(CORPUS / name, root=CORPUS).pages for story in page.stories}
    assert any(re.search(r"page \d+", line) and any(s in line for s in stories) for line in errors), result.output


@pytest.mark.corpus_build
@pytest.mark.xfail(strict=True, raises=AssertionError, reason="cli.py _failed_proofs calls to_pdf with no laid-out "
                   "page: IndexError in render/pdf.py _render (pages[0]) — fix in cli.py/build.py (not owned here)")
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
