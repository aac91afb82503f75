"""The composer's acceptance on the sample issue (issue 3, "Done when"), over every body line
of the layout the engine chose: line-edge prohibitions, nothing unbreakable split, justified
lines exactly the measure, characters spaced by at most SPREAD_TOLERANCE (0.05 em) unless the
composer reported the line, no lone last character, and the lines rejoin to the copy.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from paperlayout.frames import TextLine
from paperlayout.model import StoryKind
from paperlayout.text.classes import Kind, kind_of
from paperlayout.text.rules import (
    NO_END_BASIC,
    PROHIBITION_MASKS,
    SPREAD_TOLERANCE,
    Prohibition,
    prohibition_flags,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"

#: Lines the composer may report as spaced beyond the tolerance on the sample. Issue 3 asks
#: for 0; the composer alone cannot always (e.g. '重点项目建设中遇到哪些困' at 15 characters:
#: 困难？ cannot fit and ？ cannot start a line), so the planner avoids such measures.
#: Under the editor's rules (issue 9: photos cropped by at most 15 %) every exact level fill of
#: the sample sets the briefs at 12 characters, where one line is spread 0.1 em (reported); the
#: next best fill has a short column. So one reported line is allowed.
MAX_REPORTED_LOOSE = 1

_LETTERS = (Kind.HAN, Kind.LATIN, Kind.SYMBOL)
_NARROW_RUN = (Kind.LATIN, Kind.NARROW)


@pytest.fixture(scope="module")
def laid():
    from paperlayout.build import lay_out
    from paperlayout.loader import load_issue

    return lay_out(load_issue(SAMPLE))


@pytest.fixture(scope="module")
def stories(laid):
    """story id → list of paragraphs, each a list of its body Lines, in reading order."""
    out: dict[str, list[list]] = {}
    for page in laid.pages:
        for frame in page.frame.stories:
            paras = out.setdefault(frame.story, [])
            for item in frame.items:
                if isinstance(item, TextLine) and item.role == "body":
                    if not paras or paras[-1][-1].last:
                        paras.append([])
                    paras[-1].append(item.line)
    assert out, "no body lines laid out"
    return out


@pytest.fixture(scope="module")
def lines(stories):
    return [line for paras in stories.values() for para in paras for line in para]


@pytest.fixture(scope="module")
def reported(laid):
    """Texts of the lines the composer reported as spaced beyond the tolerance."""
    out = []
    for d in laid.report.diagnostics:
        if d.code == "loose-line":
            start = d.message.index("(") + 1
            out.append(ast.literal_eval(d.message[start:d.message.index("'):") + 1]))
    return out


def _copy_paragraphs(laid) -> dict[str, list[str]]:
    """story id → its body paragraphs as the composer was given them (dateline run in)."""
    out: dict[str, list[str]] = {}
    for page in laid.issue.pages:
        for story in page.stories:
            blocks = story.items if story.kind == StoryKind.BRIEFS else story.body
            paras = [b.text for b in blocks if type(b).__name__ != "Crosshead"]
            if story.dateline and paras:
                sep = "" if story.dateline.endswith(("）", ")", "】", "〕")) else "\u3000"
                paras[0] = story.dateline + sep + paras[0]
            out[story.id] = paras
    return out


def test_no_line_starts_with_a_forbidden_mark_or_ends_with_an_opening_mark(laid, lines):
    ns_mask, _ = PROHIBITION_MASKS[Prohibition(laid.styles.prohibition)]
    starts = [line.text for line in lines if line.text and prohibition_flags(line.text[0]) & ns_mask]
    ends = [line.text for line in lines if line.text and line.text[-1] in NO_END_BASIC]
    assert starts == [] and ends == []


def test_no_number_word_dash_or_ellipsis_split(stories):
    bad = []
    for paras in stories.values():
        for para in paras:
            for a, b in zip(para, para[1:]):
                x, y = a.text[-1], b.text[0]
                kx, ky = kind_of(x), kind_of(y)
                if (kx in _NARROW_RUN and ky in _NARROW_RUN) or (kx == ky and kx in (Kind.DASH, Kind.ELLIPSIS)):
                    bad.append((a.text, b.text))
    assert bad == []


def test_justified_lines_are_the_measure(lines):
    for line in lines:
        if line.last:
            continue
        assert abs(line.width - line.measure) <= 0.01, line.text
        end = line.glyphs[-1]
        assert abs(end.x + end.width - line.measure) <= 0.05, line.text


def test_han_characters_spaced_within_tolerance_unless_reported(lines, reported):
    loose = {}
    for line in lines:
        if line.last:
            continue
        worst = 0.0
        for a, b in zip(line.glyphs, line.glyphs[1:]):
            if kind_of(a.text) == Kind.HAN and kind_of(b.text) == Kind.HAN:
                worst = max(worst, (b.x - a.x - a.width) / line.size, a.width / line.size - 1.0)
        if worst > SPREAD_TOLERANCE + 1e-6:
            loose[line.text] = round(worst, 3)
    assert sorted(loose) == sorted(reported), (loose, reported)
    assert len(reported) <= MAX_REPORTED_LOOSE, loose


def test_no_paragraph_ends_with_a_lone_character(stories):
    lone = []
    for sid, paras in stories.items():
        for para in paras:
            if len(para) > 1 and sum(kind_of(ch) in _LETTERS for ch in para[-1].text) <= 1:
                lone.append((sid, para[-2].text, para[-1].text))
    assert lone == []


def test_lines_rejoin_to_each_storys_paragraphs(laid, stories):
    copy = _copy_paragraphs(laid)
    for sid, paras in stories.items():
        got = ["".join(line.text for line in para) for para in paras]
        assert got == copy[sid], sid
