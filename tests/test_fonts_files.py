"""Checks of the committed font files in fonts/ (built by scripts/build_fonts.py).

Fonts are opened lazily and only a sample of glyphs is inspected, so the whole
module runs in a few seconds.  Comparisons against the original Debian CFF
fonts are skipped when those packages are not installed (e.g. in CI).
"""
from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

fontTools = pytest.importorskip("fontTools")
from fontTools.pens.boundsPen import BoundsPen  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "fonts"

NOTO_FILES = [
    "NotoSerifSC-Regular.ttf",
    "NotoSerifSC-Bold.ttf",
    "NotoSerifSC-Black.ttf",
    "NotoSansSC-Bold.ttf",
    "NotoSansSC-Black.ttf",
]
LXGW_FILE = "LXGWWenKai-Regular.ttf"
ALL_FONTS = NOTO_FILES + [LXGW_FILE]

NAMES_TEXT = "达拉特旗薛世昌敖胜军袁娇璐嘎查苏木镇喇嘛壕纾犇"
PUNCT_TEXT = "，。、；：！？“”‘’（）《》——……·%℃"
ASCII_TEXT = "".join(chr(c) for c in range(0x20, 0x7F))
SAMPLE_GLYPHS = "一国A，"
PDF_TEXT = "达拉特旗，“走基层”——6.3万元"


def _load_build_script():
    """scripts/build_fonts.py as a module (it only imports the stdlib at import time)."""
    name = "_paperlayout_build_fonts"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "build_fonts.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up while executing it
    spec.loader.exec_module(module)
    return module


build_fonts = _load_build_script()
FACE_BY_FILE = {f.out_name: f for f in build_fonts.FACES}


@lru_cache(maxsize=None)
def font(name: str) -> TTFont:
    return TTFont(str(FONTS / name), lazy=True)


@lru_cache(maxsize=None)
def source_font(name: str) -> TTFont:
    """The original CFF face (Debian TTC member) a Noto output was built from."""
    face = FACE_BY_FILE[name]
    ttc = build_fonts.NOTO_DIR / face.ttc
    if not ttc.is_file():
        pytest.skip(f"{ttc} not installed (apt-get install {face.package})")
    index = build_fonts.find_member_index(ttc, face.family)
    return TTFont(str(ttc), fontNumber=index, lazy=True)


def glyph_name(f: TTFont, ch: str) -> str:
    return f.getBestCmap()[ord(ch)]


def outline_bounds(f: TTFont, gname: str):
    pen = BoundsPen(f.getGlyphSet())
    f.getGlyphSet()[gname].draw(pen)
    return pen.bounds


def gpos_single_adjustment(f: TTFont, feature: str, ch: str) -> dict:
    """ValueRecord fields a GPOS single-adjustment `feature` applies to `ch`.

    Code path: GPOS.FeatureList -> FeatureRecord(FeatureTag == feature)
    -> Feature.LookupListIndex -> LookupList.Lookup[i] (type 1, or type 9
    extension wrapping type 1) -> SubTable.Coverage -> Value (format 1: one
    ValueRecord for the whole coverage; format 2: one per covered glyph).
    Returns e.g. {"XAdvance": -500}; {} when the feature does not touch `ch`.
    """
    gname = glyph_name(f, ch)
    table = f["GPOS"].table
    lookup_indices = sorted(
        {i for rec in table.FeatureList.FeatureRecord if rec.FeatureTag == feature
         for i in rec.Feature.LookupListIndex}
    )
    values: dict = {}
    for li in lookup_indices:
        lookup = table.LookupList.Lookup[li]
        for sub in lookup.SubTable:
            if lookup.LookupType == 9:
                sub = sub.ExtSubTable
            if sub.LookupType != 1 or gname not in sub.Coverage.glyphs:
                continue
            if sub.Format == 1:
                record = sub.Value
            else:
                record = sub.Value[sub.Coverage.glyphs.index(gname)]
            for field, value in vars(record).items():
                values[field] = values.get(field, 0) + value
    return values


# --------------------------------------------------------------------------
# files, provenance, licences
# --------------------------------------------------------------------------

def test_all_files_present():
    for name in ALL_FONTS + ["OFL-Noto.txt", "OFL-LXGWWenKai.txt", "README.md"]:
        assert (FONTS / name).is_file(), name


def test_readme_sha256_matches_files():
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    listed = dict((n, h) for h, n in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M))
    assert set(listed) >= set(ALL_FONTS)
    for name, digest in listed.items():
        assert hashlib.sha256((FONTS / name).read_bytes()).hexdigest() == digest, name


def test_licences_are_ofl():
    for name in ("OFL-Noto.txt", "OFL-LXGWWenKai.txt"):
        text = (FONTS / name).read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in text
        assert "TERMINATION" in text and "DISCLAIMER" in text
    assert "Reserved Font Names" in (FONTS / "OFL-LXGWWenKai.txt").read_text(encoding="utf-8")


def test_lxgw_is_unmodified_copy():
    src = build_fonts.LXGW_SRC
    if not src.is_file():
        pytest.skip(f"{src} not installed (apt-get install fonts-lxgw-wenkai)")
    assert (FONTS / LXGW_FILE).read_bytes() == src.read_bytes()


# --------------------------------------------------------------------------
# font structure and coverage
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL_FONTS)
def test_truetype_outlines(name):
    f = font(name)
    assert f.sfntVersion == "\x00\x01\x00\x00"
    assert "glyf" in f and "loca" in f
    assert "CFF " not in f and "CFF2" not in f
    assert f["head"].unitsPerEm == 1000
    assert f["maxp"].tableVersion == 0x00010000


@pytest.mark.parametrize("name", NOTO_FILES)
def test_noto_tables(name):
    f = font(name)
    assert "VORG" not in f
    assert f["post"].formatType in (2.0, 3.0)
    for tag in ("cmap", "hmtx", "hhea", "OS/2", "name", "GPOS"):
        assert tag in f, tag
    for tag in ("fpgm", "prep", "cvt "):  # hinting dropped
        assert tag not in f, tag
    assert f["name"].getDebugName(1).startswith(("Noto Serif CJK SC", "Noto Sans CJK SC"))
    assert build_fonts.DERIVATIVE_TAG in f["name"].getDebugName(5)


@pytest.mark.parametrize("name", ALL_FONTS)
def test_coverage(name):
    cmap = font(name).getBestCmap()
    missing = [ch for ch in NAMES_TEXT + PUNCT_TEXT + ASCII_TEXT if ord(ch) not in cmap]
    assert not missing, "".join(missing)


@pytest.mark.parametrize("name", NOTO_FILES)
def test_noto_covers_all_gbk_hanzi(name):
    cmap = font(name).getBestCmap()
    missing = [cp for cp in build_fonts.gbk_hanzi() if cp not in cmap]
    assert not missing, "".join(map(chr, missing[:50]))


@pytest.mark.parametrize("name", ALL_FONTS)
def test_full_width_advances(name):
    f = font(name)
    hmtx = f["hmtx"]
    assert hmtx[glyph_name(f, "一")][0] == 1000
    assert hmtx[glyph_name(f, "，")][0] == 1000
    # "——" must be a two-em rule; Noto gets this by baking the ZHS 'locl' into cmap
    assert hmtx[glyph_name(f, "—")][0] == 1000
    assert hmtx[glyph_name(f, "…")][0] == 1000


@pytest.mark.parametrize("name", NOTO_FILES)
def test_em_dashes_for_chinese(name):
    """U+2014 is the full-width (ZHS 'locl') dash; U+2E3A is one continuous 2-em rule."""
    f = font(name)
    hmtx, glyf = f["hmtx"], f["glyf"]
    dash, two = glyph_name(f, "—"), glyph_name(f, "\u2e3a")
    assert hmtx[two][0] == 2000 and hmtx[glyph_name(f, "\u2e3b")][0] == 3000
    assert glyf[two].numberOfContours == 1
    assert glyf[two].xMin < 100 and glyf[two].xMax > 1900
    # both centred vertically on the ideographic em box (not the Latin dash height)
    for g in (dash, two):
        assert 300 < glyf[g].yMin < glyf[g].yMax < 450


@pytest.mark.parametrize("name", NOTO_FILES)
def test_lsb_equals_glyf_xmin(name):
    f = font(name)
    glyf, hmtx = f["glyf"], f["hmtx"]
    for ch in SAMPLE_GLYPHS:
        g = glyph_name(f, ch)
        assert glyf[g].numberOfContours > 0, ch
        assert hmtx[g][1] == glyf[g].xMin, ch


@pytest.mark.parametrize("name", NOTO_FILES)
def test_outlines_match_source_cff(name):
    f, src = font(name), source_font(name)
    assert "CFF " in src
    for ch in SAMPLE_GLYPHS:
        g, sg = glyph_name(f, ch), glyph_name(src, ch)
        assert f["hmtx"][g][0] == src["hmtx"][sg][0], ch
        new, old = outline_bounds(f, g), outline_bounds(src, sg)
        assert max(abs(a - b) for a, b in zip(new, old)) <= 2, (ch, new, old)
        # the glyf header box (control points) also stays close for these
        gl = f["glyf"][g]
        box = (gl.xMin, gl.yMin, gl.xMax, gl.yMax)
        assert max(abs(a - b) for a, b in zip(box, old)) <= 2, (ch, box, old)


# --------------------------------------------------------------------------
# GPOS
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", NOTO_FILES)
def test_halt_feature(name):
    f = font(name)
    tags = {rec.FeatureTag for rec in f["GPOS"].table.FeatureList.FeatureRecord}
    assert {"halt", "palt", "vhal", "kern"} <= tags
    # Simplified Chinese comma: ink in the left half, halt removes the right half.
    assert gpos_single_adjustment(f, "halt", "，") == {"XAdvance": -500}
    # opening bracket: ink in the right half, halt moves it left too.
    assert gpos_single_adjustment(f, "halt", "《") == {"XPlacement": -500, "XAdvance": -500}
    assert gpos_single_adjustment(f, "halt", "国") == {}


# --------------------------------------------------------------------------
# reportlab
# --------------------------------------------------------------------------

def test_reportlab_embeds_subsets(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "fonts.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 60 + 40 * len(ALL_FONTS)))
    y = 30
    for i, name in enumerate(ALL_FONTS):
        rl_name = f"PLTest{i}"
        pdfmetrics.registerFont(RLTTFont(rl_name, str(FONTS / name)))
        c.setFont(rl_name, 24)
        c.drawString(10, y, PDF_TEXT)
        assert pdfmetrics.stringWidth("一，", rl_name, 24) == pytest.approx(48)
        y += 40
    c.save()
    data = pdf.read_bytes()
    assert data.count(b"/FontFile2") == len(ALL_FONTS)

    if shutil.which("pdffonts") is None:
        return
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line for line in out.splitlines() if re.match(r"^[A-Z]{6}\+", line)]
    assert len(rows) == len(ALL_FONTS), out
    for row in rows:
        # columns: name type encoding emb sub uni object ID
        assert re.search(r"\byes\s+yes\s+yes\b", row), row
