"""issue 8 defect 5: a rare character comes from the fallback face nearest in weight, and a
glyph from a lighter face is emboldened by stroking so its stroke weight is within ±25 % of
its neighbours — measured on the rendered page — while staying K-only overprinting black;
the report says which characters came from which face."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from render_helpers import BLEED, LEFT, TOP, finalised, page_of, render_pages

from paperlayout.fallbacks import fallback_notes
from paperlayout.fonts import FontBook
from paperlayout.frames import Cell, PageFrame, StoryFrame, TextLine
from paperlayout.text import ComposeStyle, Run, set_line

FONTS = Path(__file__).resolve().parents[2] / "fonts"
TEST_FONTS = Path(__file__).resolve().parents[1] / "fonts"
HEAD = 48.0
DPI = 300


def _head(fonts, face: str, text: str = "吉𠮷吉"):
    return set_line([Run(text, face)], ComposeStyle(size=HEAD, indent=0.0, justify=False), fonts)


def _heavy_test_face(tmp_path: Path) -> Path:
    """The purpose-built test face (Latin and a few Han, no 吉) declared Black (900)."""
    font = TTFont(TEST_FONTS / "PaperTest-Regular.ttf")
    font["OS/2"].usWeightClass = 900
    path = tmp_path / "PaperTest-Black.ttf"
    font.save(path)
    return path


def test_the_fallback_nearest_in_weight_is_chosen_ties_to_the_first_listed(tmp_path):
    heavy = _heavy_test_face(tmp_path)
    faces = {"test-black": heavy, "serif": FONTS / "NotoSerifSC-Regular.ttf", "kai": FONTS / "LXGWWenKai-Regular.ttf",
             "serif-bold": FONTS / "NotoSerifSC-Bold.ttf", "serif-black": FONTS / "NotoSerifSC-Black.ttf"}
    book = FontBook.open(faces, fallbacks=("serif", "kai", "serif-bold", "serif-black"))
    assert not book.covers("test-black", "吉")
    assert [book.weight(f) for f in faces] == [900, 400, 400, 700, 900]
    assert book.resolve("test-black", "吉") == "serif-black"          # 900 for 900, though listed last
    assert book.resolve("serif", "𠮷") == "kai"                       # only Kai has it
    regular = FontBook.open({"test": TEST_FONTS / "PaperTest-Regular.ttf", **faces},
                            fallbacks=("serif-bold", "serif", "kai"))
    assert regular.resolve("test", "吉") == "serif"                    # 400 for 400: serif before kai
    assert regular.char_metrics("test", "吉").embolden == 0.0


def test_a_lighter_fallback_gets_the_stem_difference_as_stroke(fonts):
    assert fonts.stem("serif-black") == pytest.approx(0.0872, abs=5e-4)
    assert fonts.stem("kai") == pytest.approx(0.0629, abs=5e-4)
    assert fonts.embolden("serif-black", "kai") == pytest.approx(fonts.stem("serif-black") - fonts.stem("kai"))
    assert fonts.embolden("sans-black", "kai") == pytest.approx(0.0821, abs=5e-4)
    assert fonts.embolden("serif", "kai") == 0.0          # not lighter (400 for 400): as drawn
    assert fonts.embolden("kai", "serif-black") == 0.0    # heavier: never thinned
    glyphs = _head(fonts, "serif-black").glyphs
    assert [(g.face, round(g.embolden, 4)) for g in glyphs] == [
        ("serif-black", 0.0), ("kai", round(fonts.embolden("serif-black", "kai"), 4)), ("serif-black", 0.0)]


def _coverage(fonts, line) -> list[int]:
    """Dark pixels (< 50 % grey) in each glyph's em box, rendered at DPI by pdftoppm."""
    from PIL import Image

    items = (TextLine(LEFT, TOP + HEAD, line, story="s", role="head"),)
    page = PageFrame(1, 400.0, 200.0, BLEED, (), (StoryFrame("s", Cell(0, 0, 1, 1), items),))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "head.pdf"
        path.write_bytes(render_pages([page], fonts))
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-png", str(path), f"{tmp}/p"], check=True)
        (png,) = Path(tmp).glob("p*.png")
        image = Image.open(png).convert("L")
    k = DPI / 72.0
    out = []
    for g in line.glyphs:
        x0, x1 = (BLEED + LEFT + g.x) * k, (BLEED + LEFT + g.x + g.width) * k
        y0, y1 = (BLEED + TOP + HEAD - 0.95 * HEAD) * k, (BLEED + TOP + HEAD + 0.2 * HEAD) * k
        box = image.crop((round(x0), round(y0), round(x1), round(y1)))
        out.append(sum(box.histogram()[:128]))
    return out


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("face", ["serif-black", "sans-black", "serif-bold"])
def test_an_emboldened_fallback_glyph_is_as_dark_as_its_native_neighbours(fonts, face):
    """𠮷 (土 over 口, from Kai) between two 吉 (士 over 口, native): same structure, so ink
    coverage compares stroke weight. Without the stroke the Black heads fail the bound."""
    from dataclasses import replace

    line = _head(fonts, face)
    native, fallback, _ = _coverage(fonts, line)
    assert 0.75 <= fallback / native <= 1.25, (face, fallback, native)
    if face != "serif-bold":
        bare = replace(line, glyphs=tuple(replace(g, embolden=0.0) for g in line.glyphs))
        native, thin, _ = _coverage(fonts, bare)
        assert thin / native < 0.75, (face, thin, native)


def test_the_stroke_is_k_only_overprinting_black_with_round_joins(fonts):
    line = _head(fonts, "serif-black")
    pdf = finalised([page_of([line])], fonts)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        content = page.Contents.read_bytes().decode("latin-1")
        states = {str(k): v for k, v in page.resources.ExtGState.items()}
    stroked = re.search(r"q\n0 0 0 1 k\n(?P<gs>(?:/\w+ gs\n)*)0 0 0 1 K\n(?P<gs2>(?:/\w+ gs\n)*)1 j\n"
                        r"BT [^\n]* ET\n(?P<w>[\d.]+) w\nBT [^\n]* 2 Tr [^\n]* 0 Tr ET\nBT [^\n]* ET\nQ", content)
    assert float(stroked["w"]) == pytest.approx(fonts.embolden("serif-black", "kai") * HEAD, abs=1e-3)
    used = re.findall(r"/(\w+) gs", stroked["gs"] + stroked["gs2"])
    flags = {key: bool(states["/" + name].get(key, False)) for name in used for key in ("/OP", "/op", "/OPM")
             if key in states["/" + name]}
    assert flags == {"/op": True, "/OP": True, "/OPM": True}


def test_the_report_names_the_characters_and_their_faces(fonts):
    items = (TextLine(LEFT, TOP, _head(fonts, "serif-black", "吉𠮷吉𡈽"), story="lead", role="head"),
             TextLine(LEFT, TOP + 60, _head(fonts, "serif", "吉𠮷"), story="lead", role="body"),
             TextLine(LEFT, TOP + 90, _head(fonts, "serif", "吉吉"), story="lead", role="body"))
    page = PageFrame(3, 400.0, 200.0, BLEED, (), (StoryFrame("lead", Cell(0, 0, 1, 1), items),))
    notes = fallback_notes([page], fonts)
    assert [(d.level.value, d.code, d.where) for d in notes] == [
        ("info", "glyph-faces", "page 3 / story 'lead' / head"), ("info", "glyph-faces", "page 3 / story 'lead' / body")]
    stroke = fonts.embolden("serif-black", "kai")
    assert notes[0].message == (f"𠮷 (U+20BB7), 𡈽 (U+2123D) set from face 'kai' (weight 400) in place of 'serif-black' "
                                f"(weight 900), which lacks them, emboldened by a {stroke:.3f} em stroke to match its weight")
    assert notes[1].message == "𠮷 (U+20BB7) set from face 'kai' (weight 400) in place of 'serif' (weight 400), which lacks them"


def test_check_shows_which_face_drew_a_rare_character_in_a_head(tmp_path):
    from click.testing import CliRunner

    from paperlayout.cli import main

    body = "\n".join(f"          - 𠮷野家今天在县城开业，店里的顾客很多。第{n}段。" for n in range(30))
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
      - id: rare
        head: 𠮷野家开业
        body:
{body}
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    lines = [line for line in result.output.splitlines() if "[glyph-faces]" in line]
    assert [line.split(": ")[0] for line in lines] == ["info", "info"], result.output
    assert "page 1 / story 'rare' / head" in lines[0] and "in place of 'serif-black' (weight 900)" in lines[0]
    assert "emboldened by a 0.024 em stroke" in lines[0]
    assert "page 1 / story 'rare' / body" in lines[1] and "emboldened" not in lines[1]
