"""The language of a story's Latin words (``lang:``, issue 8): hyphenation by the story's or
the issue's dictionary, from the issue file to the composed lines.

Composer lines are in the purpose-built test font (composer_helpers: Latin letters ½ em,
space ¼ em); a trailing "-" is the hyphen glyph added at a line end. Lines through the
layout are in the broadsheet preset's real faces at its body measure.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from composer_helpers import SIZE, style
from paperlayout.loader import LoadError, load_issue
from paperlayout.model import Paragraph, Story
from paperlayout.text import Run, compose, count_lines
from paperlayout.text.latin import language_code
from paperlayout.text.rules import HYPHEN_CHAR

LIBRARY = "The county library opened a reading room for knowledge of farming, vegetables and technology."
MINISTRY = "Das Landwirtschaftsministerium und die Bundesregierung"


def _lines(c) -> list[str]:
    return [line.text + (HYPHEN_CHAR if line.glyphs and line.glyphs[-1].hyphen else "") for line in c.lines]


def _compose(fonts, text, chars, **kw):
    return compose([Run(text, "t")], chars * SIZE, style(**kw), fonts)


# -- The composer: one dictionary per language ---------------------------------------------------

def test_british_and_american_english_hyphenate_differently(fonts):
    # en_US (Webster, by pronunciation) knowl-edge, veg-eta-bles; en_GB (Oxford, by
    # etymology) know-ledge, veget-ables.
    us = _compose(fonts, LIBRARY, 12, lang="en_US")
    gb = _compose(fonts, LIBRARY, 12, lang="en_GB")
    assert _lines(us) == ["The county library opened ", "a reading room for knowl-",
                          "edge of farming, vegeta-", "bles and technology."]
    assert _lines(gb) == ["The county library opened ", "a reading room for know-",
                          "ledge of farming, veget-", "ables and technology."]
    assert not us.diagnostics and not gb.diagnostics
    assert us.text == gb.text == LIBRARY


def test_german_compound_hyphenated_by_the_german_dictionary(fonts):
    de = _compose(fonts, MINISTRY, 12, lang="de_DE")
    assert _lines(de) == ["Das Landwirtschaftsminis-", "terium und die Bundesre-", "gierung"]
    assert not de.diagnostics
    # The English patterns have no point in "Bundesregierung" that fits: an emergency split,
    # reported (the story needs lang: de).
    en = _compose(fonts, MINISTRY, 12, lang="en_US")
    assert _lines(en) == ["Das Landwirtschaftsminis-", "terium und die Bundesregi-", "erung"]
    assert [d.code for d in en.diagnostics] == ["unbreakable-split"]


@pytest.mark.parametrize("chars", range(6, 21))
def test_no_language_never_hyphenates(fonts, chars):
    # lang none (""): no line ends with an added hyphen at any measure; a line that cannot
    # keep its word spaces within the bounds is spaced and reported instead.
    # (A word wider than the measure is split all the same, reported: Landwirtschafts-
    # ministerium is 13 em wide.)
    for text in (LIBRARY, MINISTRY) if chars > 13 else (LIBRARY,):
        c = _compose(fonts, text, chars, lang="")
        assert not any(line.glyphs[-1].hyphen for line in c.lines), (chars, _lines(c))
        assert c.text == text
        n, diags = count_lines([Run(text, "t")], chars * SIZE, style(lang=""), fonts)
        assert (n, diags) == (len(c.lines), c.diagnostics)


def test_no_language_lines_and_reports(fonts):
    c = _compose(fonts, LIBRARY, 12, lang="")
    assert _lines(c) == ["The county library ", "opened a reading room ", "for knowledge of ",
                         "farming, vegetables and ", "technology."]
    assert [(d.code, d.where) for d in c.diagnostics] == [("loose-line", "line 1"), ("loose-line", "line 2"),
                                                           ("loose-line", "line 3")]


# -- Language codes as editors write them --------------------------------------------------------

@pytest.mark.parametrize("written, dictionary", [
    ("en", "en_US"), ("en-US", "en_US"), ("en_us", "en_US"), ("EN-GB", "en_GB"), ("en_GB", "en_GB"),
    ("en-UK", "en_GB"), ("en_AU", "en_GB"), ("de", "de_DE"), ("de-DE", "de_DE"), ("de_CH", "de_CH"),
    ("fr", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), ("it", "it_IT"), ("sr-Latn", "sr_Latn"),
    ("none", ""), ("None", ""), ("", ""), (" de ", "de_DE"),
])
def test_language_codes_normalised_to_dictionary_names(written, dictionary):
    assert language_code(written) == dictionary


@pytest.mark.parametrize("written", ["english", "zz", "xx_YY", "zh", "en_US_x", "de__DE", "1"])
def test_unknown_language_codes(written):
    assert language_code(written) is None


# -- The issue file ------------------------------------------------------------------------------

HEAD = """\
paper:
  name: 达拉特报
issue:
  date: 2023-03-17
  number: 1
{lang}pages:
  - number: 1
    section: 要闻
    stories:
"""


def _issue(tmp_path: Path, stories: str, lang: str = "") -> Path:
    (tmp_path / "issue.yaml").write_text(HEAD.format(lang=lang) + stories, encoding="utf-8")
    return tmp_path


STORIES = """\
      - id: plain
        head: 图书馆
        body: [The county library opened a reading room.]
      - id: british
        head: 图书馆
        lang: en-GB
        body: [The county library opened a reading room.]
      - id: bare
        head: 图书馆
        lang: none
        url_breaks: anywhere
        body: [The county library opened a reading room.]
      - id: news
        kind: briefs
        head: 简讯
        lang: de
        items: [Das Landwirtschaftsministerium.]
fillers:
  - id: tip
    head: 提示
    body: [A reading room.]
"""


def test_story_language_defaults_to_the_issue_and_overrides_it(tmp_path):
    issue = load_issue(_issue(tmp_path, STORIES, "  lang: en_GB\n"))
    langs = {s.id: (s.lang, s.url_breaks) for s in issue.pages[0].stories + issue.fillers}
    assert issue.lang == "en_GB"
    assert langs == {"plain": ("en_GB", "marks"), "british": ("en_GB", "marks"), "bare": ("", "anywhere"),
                     "news": ("de_DE", "marks"), "tip": ("en_GB", "marks")}
    # Without issue.lang every story is en_US, the composer's default.
    (tmp_path / "plain").mkdir()
    issue = load_issue(_issue(tmp_path / "plain", STORIES))
    assert issue.lang == "en_US"
    assert [s.lang for s in issue.pages[0].stories] == ["en_US", "en_GB", "", "de_DE"]


@pytest.mark.parametrize("lang, line, field, message", [
    ("  lang: english\n", 6, "issue.lang", "unknown language 'english'"),
    ("  lang: [en]\n", 6, "issue.lang", "expected a language code, got a list"),
    ("  lang: no\n", 6, "issue.lang", "quote it"),
])
def test_bad_issue_language_is_located(tmp_path, lang, line, field, message):
    with pytest.raises(LoadError) as caught:
        load_issue(_issue(tmp_path, STORIES, lang))
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (line, field)
    assert message in problem.message and "en_GB" in problem.message and "none" in problem.message


def test_bad_story_language_and_url_breaks_are_located(tmp_path):
    stories = STORIES.replace("lang: en-GB", "lang: eng").replace("url_breaks: anywhere", "url_breaks: anywere")
    with pytest.raises(LoadError) as caught:
        load_issue(_issue(tmp_path, stories))
    problems = [(p.line, p.field, p.message) for p in caught.value.problems]
    assert [(line, field) for line, field, _ in problems] == [(15, "pages[0].stories[1].lang"),
                                                              (20, "pages[0].stories[2].url_breaks")]
    assert "unknown language 'eng'" in problems[0][2] and "en, en_US, en_GB, de, fr" in problems[0][2]
    assert "did you mean 'anywhere'" in problems[1][2]


def test_bad_language_exits_2_naming_file_line_and_field(tmp_path):
    from paperlayout.cli import main

    folder = _issue(tmp_path, STORIES.replace("lang: de", "lang: deutsch"))
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 2, result.output
    assert "issue.yaml:25: pages[0].stories[3].lang" in result.output 
    assert "unknown language 'deutsch'" in result.output
    assert "Traceback" not in result.output


# -- Through the layout: the story's language reaches its body and captions ------------------------

@pytest.fixture(scope="module")
def ctx():
    from paperlayout.build import open_fonts
    from paperlayout.layout.context import LayoutContext
    from paperlayout.styles import preset

    styles = preset("broadsheet")
    return LayoutContext(styles, open_fonts(styles))


def _body_lines(ctx, story: Story, chars: int) -> list[str]:
    from paperlayout.layout.story import body_units

    units, _ = body_units(ctx, story, chars, lines=True)
    return [u.lines[0].text + (HYPHEN_CHAR if u.lines[0].glyphs[-1].hyphen else "") for u in units if u.kind == "line"]


def test_story_language_sets_its_body(ctx):
    # Body measure of 13 characters (小五, Noto Serif SC): the same context, the same paragraph.
    story = Story(id="library", head="图书馆", body=(Paragraph(LIBRARY, "w"),))
    assert _body_lines(ctx, story, 13) == ["The county library ", "opened a reading room ",
                                           "for knowledge of farming, ", "vegetables and technolo-", "gy."]
    assert _body_lines(ctx, replace(story, lang="en_GB"), 13) == [
        "The county library ", "opened a reading room for ", "knowledge of farming, ve-", "getables and technology."]
    assert not any(line.endswith(HYPHEN_CHAR) for line in _body_lines(ctx, replace(story, lang=""), 13))


def test_story_language_sets_its_captions(ctx):
    from paperlayout.layout.blocks import caption_block

    def lines(**kw):
        block = caption_block(ctx, LIBRARY, "", 12, **kw)
        return [p.line.text + (HYPHEN_CHAR if p.line.glyphs[-1].hyphen else "") for p in block.lines]

    # A caption 12 characters wide (the caption face, 小五).
    assert lines() == lines(lang="en_US") == ["The county library opened ", "a reading room for knowl-",
                                              "edge of farming, vegeta-", "bles and technology."]
    assert lines(lang="en_GB") == ["The county library opened ", "a reading room for know-",
                                   "ledge of farming, veget-", "ables and technology."]
    assert lines(lang="") == ["The county library ", "opened a reading ", "room for knowledge of ",
                              "farming, vegetables and ", "technology."]


def test_memo_keys_hold_the_language(ctx):
    # The context's memo answers a paragraph composed in another language with its own lines.
    runs = (Run(LIBRARY, ctx.styles.body_face),)
    us = [line.text for line in ctx.paragraph(runs, 13).lines]
    gb = [line.text for line in ctx.paragraph(runs, 13, lang="en_GB").lines]
    assert us != gb
    assert ctx.count(runs, 13)[0] == 5 and ctx.count(runs, 13, lang="en_GB")[0] == 4


def test_hyphenation_patterns_are_read_back_from_the_cache(tmp_path, monkeypatch):
    """pyphen's parsed patterns are kept in the cache (namespace ``hyphen``): a later process
    reads them back instead of parsing the dictionary, with the same hyphenation points; an
    entry that is not patterns is parsed again."""
    import pyphen

    from paperlayout import cache
    from paperlayout.text import latin

    words = ("international", "composition", "hyphenation", "newspaper")

    def fresh():
        latin._dictionary.cache_clear()
        latin.hyphen_points.cache_clear()
        pyphen.hdcache.clear()

    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "c"))
    cache.configure(enabled=True)
    fresh()
    try:
        parsed = [latin.hyphen_points(w, "en_US") for w in words]
        assert parsed == [(2, 5, 7, 11), (3, 5, 7), (2, 6), (4, 6)]  # inter-na-tion-al, hy-phen-ation
        entries = list((tmp_path / "c" / latin.PATTERNS_NAMESPACE).rglob("*"))
        assert [p for p in entries if p.is_file()]
        fresh()
        def parse(self, path):
            raise AssertionError("parsed")

        monkeypatch.setattr(pyphen.HyphDict, "__init__", parse)
        assert [latin.hyphen_points(w, "en_US") for w in words] == parsed  # read back, not parsed
        monkeypatch.undo()
        monkeypatch.setenv("PAPERLAYOUT_CACHE", str(tmp_path / "c"))
        for p in entries:
            if p.is_file():
                p.write_bytes(b"not patterns")
        fresh()
        assert [latin.hyphen_points(w, "en_US") for w in words] == parsed
    finally:
        fresh()
