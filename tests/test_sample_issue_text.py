"""The sample issue issues/dalate/ holds the copy of its seed, all of it, once, in order.

The seed (shared/seeds/000_85694605ff7138c7.txt beside the repository) is the text of one
real issue of the county paper of 达拉特旗 as extracted from its printed pages. The issue
file must carry every character of it — no word lost, none added, none duplicated — with
only the extraction damage repaired: paragraphs broken at old column breaks rejoined, the
stray "图片" prefix and the duplicate caption it sits on dropped, ASCII punctuation in
Chinese text written full width. Whitespace is not compared (the loader joins lines and
the seed's spaces in heads and datelines are layout), so the sentence-end check below is
what proves the broken paragraphs were actually rejoined.

This test reads the YAML with yaml.safe_load on purpose: it checks the content, not the
project's loader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ISSUE_DIR = ROOT / "issues" / "dalate"
ISSUE = ISSUE_DIR / "issue.yaml"
SEED = ROOT.parent / "shared" / "seeds" / "000_85694605ff7138c7.txt"

# ASCII punctuation the loader turns full width inside Chinese text (not inside numbers).
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# What a paragraph may end with: sentence-final marks, possibly followed by closing ones.
_SENTENCE_END = re.compile(r"[。！？…][”’」』）》]*$|[”’」』）》]$")
_DATELINE_IN_TEXT = re.compile(r"^(本报讯|[\u4e00-\u9fff]{2,5}讯[\s（(])")


def _full_width(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch in _FULL_WIDTH:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                out.append(ch)  # 1:2, a Latin or numeric context: left as typed
                continue
            out.append(_FULL_WIDTH[ch])
        else:
            out.append(ch)
    return "".join(out)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", _full_width(text))


def _seed_text() -> str:
    """The seed, normalised, with the prefixed duplicate caption dropped."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    others = {_norm(line) for line in lines if line and not line.startswith("图片")}
    kept, dropped = [], []
    for line in lines:
        if line.startswith("图片"):
            rest = line[len("图片"):].strip()
            if _norm(rest) in others:  # a stray prefix on a caption printed again
                dropped.append(line)
                continue
            line = rest
        kept.append(line)
    assert len(dropped) == 1, f"expected exactly one prefixed duplicate caption, found {dropped}"
    return _norm("".join(kept))


def _load() -> dict:
    with ISSUE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _stories(issue: dict) -> list[dict]:
    return [story for page in issue["pages"] for story in page["stories"]]


def _paragraphs(story: dict) -> list[str]:
    """Body paragraphs and brief items: text that must end a sentence."""
    paras = [p for p in story.get("body", []) if isinstance(p, str)]
    return paras + list(story.get("items", []))


def _copy(story: dict) -> str:
    """A story's text in reading order, captions excluded."""
    parts = [story.get(key) for key in ("kicker", "head", "subhead", "byline", "dateline", "text")]
    for para in story.get("body", []):
        parts.append(para["crosshead"] if isinstance(para, dict) else para)
    parts += story.get("items", [])
    parts.append(story.get("source"))
    return _norm("".join(p for p in parts if p))


def _captions(story: dict) -> list[str]:
    return [_norm(p["caption"]) for p in story.get("photos", []) if p.get("caption")]


needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"seed text not present at {SEED}")


@needs_seed
def test_issue_text_is_the_seed_text_once_in_order():
    seed = _seed_text()
    stories = _stories(_load())

    # Captions: each exactly once in the seed; within a story, in the seed's order.
    for story in stories:
        positions = []
        for caption in _captions(story):
            assert seed.count(caption) == 1, (
                f"caption of story {story['id']!r} found {seed.count(caption)} times in the seed: {caption}"
            )
            positions.append(seed.index(caption))
        assert positions == sorted(positions), f"captions of {story['id']!r} are out of seed order"
    for story in stories:
        for caption in _captions(story):
            seed = seed.replace(caption, "", 1)

    # Every story's copy is one unbroken stretch of the seed, found exactly once.
    located = []
    for story in stories:
        copy = _copy(story)
        assert copy, f"story {story['id']!r} has no text"
        count = seed.count(copy)
        if count != 1:
            # Point at the first paragraph that is not in the seed, for a readable failure.
            probe = ""
            for para in [story.get("head", "")] + [
                p["crosshead"] if isinstance(p, dict) else p for p in story.get("body", [])
            ] + list(story.get("items", [])):
                if para and _norm(para) not in seed:
                    probe = para
                    break
            pytest.fail(
                f"story {story['id']!r} occurs {count} times in the seed as one stretch"
                + (f"; not in the seed: {probe[:60]}…" if probe else "")
            )
        located.append((seed.index(copy), story["id"], copy))

    # Together, in the seed's order, they are the whole seed: nothing lost, nothing twice.
    located.sort()
    joined = "".join(copy for _, _, copy in located)
    if joined != seed:
        at = next(
            (i for i, (a, b) in enumerate(zip(joined, seed)) if a != b), min(len(joined), len(seed))
        )
        pytest.fail(
            f"issue text differs from the seed at character {at}:\n"
            f"  issue: …{joined[max(0, at - 20):at + 40]}\n"
            f"  seed:  …{seed[max(0, at - 20):at + 40]}"
        )


def test_broken_paragraphs_are_rejoined_and_datelines_taken_out():
    for story in _stories(_load()):
        for para in _paragraphs(story):
            text = para.strip()
            assert _SENTENCE_END.search(text), (
                f"paragraph of {story['id']!r} does not end a sentence (a column break left "
                f"unjoined?): …{text[-30:]}"
            )
            assert not text.startswith("图片"), f"stray 图片 prefix in {story['id']!r}"
        body = [p for p in story.get("body", []) if isinstance(p, str)]
        if body:
            assert not _DATELINE_IN_TEXT.match(body[0].strip()), (
                f"dateline left in the first paragraph of {story['id']!r}: {body[0][:20]}"
            )


def test_issue_structure():
    issue = _load()
    assert issue["paper"]["sample"] is True
    assert issue["issue"]["preset"] == "broadsheet"
    stories = _stories(issue)
    ids = [s["id"] for s in stories]
    assert len(ids) == len(set(ids)), "story ids must be unique"
    banners = [s for s in stories if s.get("kind") == "banner"]
    assert [b["text"] for b in banners] == ["走基层·听民意·解民忧·话发展·促振兴"]
    lead = issue["pages"][0]["stories"][0]
    assert lead["head"] == "达拉特旗：干部下基层 聚力促振兴"
    assert len(lead["photos"]) == 4
    assert sum(len(s.get("photos", [])) for s in stories) == 5


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's SOF marker, without decoding it."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[i + 5:i + 7], "big")
            width = int.from_bytes(data[i + 7:i + 9], "big")
            return width, height
        i += 2 + length
    return None


def test_photo_files_exist_and_are_print_sized():
    files = [p["file"] for s in _stories(_load()) for p in s.get("photos", [])]
    assert len(files) == len(set(files)), "a photo file is used twice"
    for name in files:
        path = ISSUE_DIR / name
        assert path.is_file(), f"photo file missing: {path}"
        data = path.read_bytes()
        assert data[:3] == b"\xff\xd8\xff", f"{name} is not a JPEG"
        size = _jpeg_size(data)
        assert size is not None, f"{name}: no frame header found"
        assert max(size) >= 1200, f"{name} is only {size[0]}×{size[1]} px"
        assert max(size) <= 2400, f"{name} is {size[0]}×{size[1]} px: larger than needed"
