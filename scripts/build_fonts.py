#!/usr/bin/env python3
"""Build the TrueType (glyf) fonts that paperlayout embeds with reportlab.

reportlab can only embed TrueType-outline fonts, while Debian's Noto CJK
packages ship CFF-flavoured TrueType collections.  This script

* picks the Simplified Chinese member ("Noto … CJK SC") of five Noto CJK
  TTCs by reading each member's name table,
* subsets it with fontTools.subset to the repertoire a Simplified Chinese
  newspaper needs (every hanzi of GBK, all GB 2312 / GBK symbols, ASCII,
  Latin-1 and a few symbol blocks) keeping the GPOS features
  halt/palt/vhal/kern, without hinting,
* converts the cubic CFF outlines to quadratic glyf outlines with cu2qu
  (max error 1 unit at 1000 upem), fixing hmtx left side bearings (and
  vmtx top side bearings) to the new outlines,
* copies LXGW WenKai Regular unmodified (its name is reserved under the OFL,
  so it must not be modified),
* writes the OFL texts and fonts/README.md (with provenance and sha256).

The output is deterministic: the same Debian input files give byte-identical
fonts (head.created/modified are taken from the source font, not the clock).

Usage:  python scripts/build_fonts.py [--outdir DIR] [--jobs N]
Needs:  fontTools, and the Debian packages fonts-noto-cjk,
        fonts-noto-cjk-extra and fonts-lxgw-wenkai.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTDIR = REPO / "fonts"

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
LXGW_SRC = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
NOTO_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
LXGW_COPYRIGHT = Path("/usr/share/doc/fonts-lxgw-wenkai/copyright")

APT_PACKAGES = ("fonts-noto-cjk", "fonts-noto-cjk-extra", "fonts-lxgw-wenkai")

# Maximum distance (font units, upem 1000) between the cubic CFF curve and its
# quadratic approximation.
MAX_ERR = 1.0
# OpenType layout features kept in GPOS (the layout engine reads 'halt' to find
# where the ink of full-width punctuation sits).
LAYOUT_FEATURES = ["halt", "palt", "vhal", "kern"]
# reportlab does no OpenType shaping, so the Simplified Chinese 'locl'
# substitutions (script hani, language ZHS) are baked into the cmap; they turn
# e.g. U+2014 EM DASH from the 890-unit proportional dash into the full-width
# dash that "——" needs in Chinese text.
LOCL_SCRIPT, LOCL_LANG = "hani", "ZHS "
# Text appended to name IDs 3 and 5 so the derivative is recognisable.
DERIVATIVE_TAG = "paperlayout glyf GBK subset"


@dataclass(frozen=True)
class Face:
    out_name: str      # file name written into fonts/
    ttc: str           # file name in NOTO_DIR
    family: str        # typographic family name of the wanted TTC member
    package: str       # Debian package shipping the TTC


FACES = [
    Face("NotoSerifSC-Regular.ttf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "fonts-noto-cjk"),
    Face("NotoSerifSC-Bold.ttf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "fonts-noto-cjk"),
    Face("NotoSerifSC-Black.ttf", "NotoSerifCJK-Black.ttc", "Noto Serif CJK SC", "fonts-noto-cjk-extra"),
    Face("NotoSansSC-Bold.ttf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "fonts-noto-cjk"),
    Face("NotoSansSC-Black.ttf", "NotoSansCJK-Black.ttc", "Noto Sans CJK SC", "fonts-noto-cjk-extra"),
]
LXGW_OUT = "LXGWWenKai-Regular.ttf"


# --------------------------------------------------------------------------
# Character repertoire
# --------------------------------------------------------------------------

def _is_ideograph(cp: int) -> bool:
    name = unicodedata.name(chr(cp), "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def _double_byte(codec: str, leads: range, trails: range) -> set[int]:
    out = set()
    for lead in leads:
        for trail in trails:
            try:
                s = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out


def _gbk() -> set[int]:
    return _double_byte("gbk", range(0x81, 0xFF), range(0x40, 0xFF))


def gbk_hanzi() -> set[int]:
    """Every CJK ideograph (unified or compatibility) encoded in GBK."""
    return {cp for cp in _gbk() if _is_ideograph(cp)}


def newspaper_unicodes() -> set[int]:
    """Code points kept in the Noto subsets."""
    gbk = _gbk()
    gb2312 = _double_byte("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    pua = {cp for cp in gbk if 0xE000 <= cp <= 0xF8FF}
    keep = gbk_hanzi()                                      # all GBK hanzi
    keep |= {cp for cp in gb2312 if not _is_ideograph(cp)}  # GB 2312 symbols
    keep |= gbk - pua                                       # GBK symbols too (small)
    blocks = [
        (0x0020, 0x007E),  # ASCII
        (0x00A0, 0x00FF),  # Latin-1 Supplement
        (0x0100, 0x017F),  # Latin Extended-A (foreign names, pinyin)
        (0x2000, 0x206F),  # General Punctuation
        (0x2070, 0x209F),  # Superscripts and Subscripts (m², CO₂)
        (0x20A0, 0x20CF),  # Currency Symbols (€)
        (0x2100, 0x218F),  # Letterlike Symbols, Number Forms (℃ № ™ Ⅻ)
        (0x2190, 0x21FF),  # Arrows
        (0x2460, 0x24FF),  # Enclosed Alphanumerics (circled numbers)
        (0x25A0, 0x25FF),  # Geometric Shapes (■ □ ▲ ● ◆)
        (0x3000, 0x303F),  # CJK Symbols and Punctuation
        (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈠ ㊣)
        (0x3300, 0x33FF),  # CJK Compatibility (㎡ ㎏)
        (0xFE30, 0xFE4F),  # CJK Compatibility Forms
        (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    ]
    for lo, hi in blocks:
        keep.update(range(lo, hi + 1))
    keep.update((0x2605, 0x2606))  # ★ ☆ (GB 2312, listed explicitly for clarity)
    # ⸺ ⸻ TWO-/THREE-EM DASH: with the ZHS 'locl' baked in (see below) these are
    # the continuous rules a shaper would form from "——" / "———" via 'ccmp';
    # the layout engine substitutes them since reportlab does not shape.
    keep.update((0x2E3A, 0x2E3B))
    return keep


# --------------------------------------------------------------------------
# Source discovery
# --------------------------------------------------------------------------

def _english_name(font, name_id: int) -> str | None:
    rec = font["name"].getName(name_id, 3, 1, 0x409)
    return rec.toUnicode() if rec is not None else None


def find_member_index(ttc_path: Path, family: str) -> int:
    """Index of the TTC member whose (typographic) family name is `family`."""
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(ttc_path), lazy=True)
    try:
        for index, font in enumerate(coll.fonts):
            fam = _english_name(font, 16) or _english_name(font, 1)
            if fam == family:
                return index
    finally:
        coll.close()
    raise SystemExit(f"{ttc_path}: no member with family name {family!r}")


def check_sources() -> None:
    missing = [p for p in [NOTO_DIR / f.ttc for f in FACES] + [LXGW_SRC] if not p.is_file()]
    if missing:
        lines = "\n  ".join(str(p) for p in missing)
        raise SystemExit(
            f"missing source font files:\n  {lines}\n"
            f"install them with:  sudo apt-get install {' '.join(APT_PACKAGES)}"
        )


def dpkg_version(package: str) -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out or "unknown"


# --------------------------------------------------------------------------
# CFF -> glyf
# --------------------------------------------------------------------------

def cff_to_glyf(font, max_err: float = MAX_ERR) -> None:
    """Replace the CFF table of `font` by quadratic glyf outlines, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    assert font.sfntVersion == "OTTO" and "CFF " in font
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()

    glyphs = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()

    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")

    # Side bearings must follow the new outlines: hmtx lsb == glyf xMin,
    # otherwise renderers shift glyphs sideways.  For vertical metrics the
    # CFF font keeps the vertical origin in VORG, a glyf font derives it from
    # tsb + yMax, so tsb = VORG origin - new yMax.
    hmtx = font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    vorg = font["VORG"] if "VORG" in font else None
    for name in glyph_order:
        g = glyphs[name]
        g.recalcBounds(glyf)
        empty = g.numberOfContours == 0
        adv, _ = hmtx[name]
        hmtx[name] = (adv, 0 if empty else g.xMin)
        if vmtx is not None and vorg is not None and not empty:
            origin = vorg.VOriginRecords.get(name, vorg.defaultVertOriginY)
            vmtx[name] = (vmtx[name][0], origin - g.yMax)

    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    # Only GPOS features are kept; an empty GSUB shell is just noise.
    if "GSUB" in font:
        gsub = font["GSUB"].table
        if not gsub.LookupList or not gsub.LookupList.LookupCount:
            del font["GSUB"]

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0
    maxp.maxPoints = maxp.maxContours = 0
    maxp.maxCompositePoints = maxp.maxCompositeContours = 0
    font["maxp"] = maxp  # counts are recalculated from glyf on compile

    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, reportlab does not need them
    for attr in ("extraNames", "mapping", "glyphOrder"):
        if hasattr(post, attr):
            delattr(post, attr)

    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


# --------------------------------------------------------------------------
# One face
# --------------------------------------------------------------------------

def locl_single_substitutions(font, script: str = LOCL_SCRIPT, lang: str = LOCL_LANG) -> dict[str, str]:
    """glyph -> glyph mapping of the single-substitution 'locl' lookups of script/lang."""
    if "GSUB" not in font:
        return {}
    gsub = font["GSUB"].table
    records = gsub.FeatureList.FeatureRecord
    mapping: dict[str, str] = {}
    for srec in gsub.ScriptList.ScriptRecord:
        if srec.ScriptTag != script:
            continue
        for lrec in srec.Script.LangSysRecord:
            if lrec.LangSysTag != lang:
                continue
            for fi in lrec.LangSys.FeatureIndex:
                if records[fi].FeatureTag != "locl":
                    continue
                for li in records[fi].Feature.LookupListIndex:
                    lookup = gsub.LookupList.Lookup[li]
                    for sub in lookup.SubTable:
                        if lookup.LookupType == 7:
                            sub = sub.ExtSubTable
                        if sub.LookupType == 1:
                            for src, dst in sub.mapping.items():
                                mapping.setdefault(src, dst)
    return mapping


def bake_locl_into_cmap(font) -> dict[int, tuple[str, str]]:
    """Apply the Simplified Chinese 'locl' substitutions to every cmap subtable."""
    mapping = locl_single_substitutions(font)
    changed: dict[int, tuple[str, str]] = {}
    for table in font["cmap"].tables:
        if table.format == 14 or not getattr(table, "cmap", None):
            continue
        for cp, gname in list(table.cmap.items()):
            if gname in mapping:
                table.cmap[cp] = mapping[gname]
                changed[cp] = (gname, mapping[gname])
    return changed


def _tag_names(font) -> None:
    for rec in font["name"].names:
        if rec.nameID in (3, 5):
            text = rec.toUnicode()
            if DERIVATIVE_TAG not in text:
                rec.string = f"{text}; {DERIVATIVE_TAG}"


def build_face(face: Face, outdir: Path) -> dict:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    t0 = time.perf_counter()
    src = NOTO_DIR / face.ttc
    index = find_member_index(src, face.family)
    font = TTFont(str(src), fontNumber=index, recalcTimestamp=False, lazy=False)
    stamp = font["head"].modified  # fixed, from the source font
    src_glyphs = font["maxp"].numGlyphs
    baked = bake_locl_into_cmap(font)

    opts = subset.Options()
    opts.layout_features = list(LAYOUT_FEATURES)
    opts.hinting = False
    opts.desubroutinize = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.recalc_timestamp = False
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=newspaper_unicodes())
    subsetter.subset(font)
    t_subset = time.perf_counter()

    cff_to_glyf(font)
    _tag_names(font)
    font["head"].created = stamp
    font["head"].modified = stamp
    font.recalcTimestamp = False
    font.recalcBBoxes = True

    outdir.mkdir(parents=True, exist_ok=True)
    out = outdir / face.out_name
    tmp = out.with_suffix(".ttf.tmp")
    font.save(str(tmp))
    os.replace(tmp, out)
    t_end = time.perf_counter()

    return {
        "face": face,
        "index": index,
        "src_glyphs": src_glyphs,
        "glyphs": len(font.getGlyphOrder()),
        "cmap": len(font.getBestCmap()),
        "tables": sorted(t for t in font.keys() if t != "GlyphOrder"),
        "seconds_subset": t_subset - t0,
        "seconds_total": t_end - t0,
        "copyright": _english_name(font, 0) or "",
        "size": out.stat().st_size,
        "locl": "".join(chr(cp) for cp in sorted(baked) if cp in newspaper_unicodes()),
    }


# --------------------------------------------------------------------------
# LXGW WenKai, licences, README
# --------------------------------------------------------------------------

def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def copy_lxgw(outdir: Path) -> dict:
    out = outdir / LXGW_OUT
    tmp = out.with_suffix(".ttf.tmp")
    shutil.copyfile(LXGW_SRC, tmp)
    os.replace(tmp, out)
    if sha256(out) != sha256(LXGW_SRC):
        raise SystemExit(f"copy of {LXGW_SRC} differs from its source")
    from fontTools.ttLib import TTFont

    with TTFont(str(out), lazy=True) as font:
        copyright = _english_name(font, 0) or ""
        glyphs = font["maxp"].numGlyphs
        cmap = len(font.getBestCmap())
    return {"copyright": copyright, "glyphs": glyphs, "cmap": cmap, "size": out.stat().st_size}


def debian_license_text(copyright_file: Path, license_name: str) -> str:
    """The stand-alone `License: <name>` paragraph of a DEP-5 copyright file, unfolded."""
    paragraphs = re.split(r"\n\s*\n", copyright_file.read_text(encoding="utf-8"))
    for para in paragraphs:
        lines = para.splitlines()
        if lines and lines[0].strip() == f"License: {license_name}" and len(lines) > 1:
            body = []
            for line in lines[1:]:
                line = line[1:] if line.startswith(" ") else line
                body.append("" if line.strip() == "." else line)
            return "\n".join(body).strip("\n") + "\n"
    raise SystemExit(f"{copyright_file}: no 'License: {license_name}' paragraph")


def write_licenses(outdir: Path, noto_copyrights: list[str], lxgw_copyright: str) -> None:
    noto_version = dpkg_version("fonts-noto-cjk")
    notices = "\n".join(sorted(set(noto_copyrights)))
    noto = f"""Noto Serif CJK SC and Noto Sans CJK SC
(NotoSerifSC-*.ttf and NotoSansSC-*.ttf in this directory are modified
versions: subset and converted from CFF to TrueType outlines, see README.md)

Copyright notices in the source fonts (name ID 0):
{notices}
Noto is a trademark of Google Inc.

The upstream licence file (https://github.com/notofonts/noto-cjk) reads
"Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name
'Source'."  The modified fonts here keep their Noto names and do not use the
reserved name "Source".

This Font Software is licensed under the SIL Open Font License, Version 1.1.
The licence text below is copied from {NOTO_COPYRIGHT}
(Debian package fonts-noto-cjk {noto_version}).

{debian_license_text(NOTO_COPYRIGHT, "SIL-1.1")}"""
    lxgw_version = dpkg_version("fonts-lxgw-wenkai")
    lxgw = f"""LXGW WenKai (LXGWWenKai-Regular.ttf in this directory, unmodified)

Copyright notice in the font (name ID 0):
{lxgw_copyright.replace(chr(13), "")}

With Reserved Font Names "霞鹜" and "LXGW".  The file is distributed
unmodified; do not subset or otherwise modify it under these names.

This Font Software is licensed under the SIL Open Font License, Version 1.1.
The licence text below is copied from {LXGW_COPYRIGHT}
(Debian package fonts-lxgw-wenkai {lxgw_version}).

{debian_license_text(LXGW_COPYRIGHT, "OFL-1.1")}"""
    (outdir / "OFL-Noto.txt").write_text(noto, encoding="utf-8")
    (outdir / "OFL-LXGWWenKai.txt").write_text(lxgw, encoding="utf-8")


def write_readme(outdir: Path, results: list[dict], lxgw: dict) -> None:
    versions = {p: dpkg_version(p) for p in APT_PACKAGES}
    n_unicodes = len(newspaper_unicodes())
    n_hanzi = len(gbk_hanzi())
    locl = sorted({ch for r in results for ch in r["locl"]})
    locl_chars = " ".join(locl)
    locl_cps = ", ".join(f"U+{ord(ch):04X}" for ch in locl)
    rows = []
    for r in results:
        f: Face = r["face"]
        rows.append(
            f"| `{f.out_name}` | {f.package} {versions[f.package]} | "
            f"`{NOTO_DIR / f.ttc}` index {r['index']} ({f.family}) | "
            f"{r['glyphs']} | {r['cmap']} | {r['size']:,} |"
        )
    rows.append(
        f"| `{LXGW_OUT}` | fonts-lxgw-wenkai {versions['fonts-lxgw-wenkai']} | "
        f"`{LXGW_SRC}` (copied unmodified) | {lxgw['glyphs']} | {lxgw['cmap']} | {lxgw['size']:,} |"
    )
    names = [r["face"].out_name for r in results] + [LXGW_OUT, "OFL-Noto.txt", "OFL-LXGWWenKai.txt"]
    sums = "\n".join(f"{sha256(outdir / n)}  {n}" for n in names)
    text = f"""# Fonts

Generated by `scripts/build_fonts.py` -- do not edit by hand.  Rebuild with

    python scripts/build_fonts.py

(needs fontTools and the Debian packages `{' '.join(APT_PACKAGES)}`;
the build is deterministic, a rebuild from the same package versions gives
byte-identical files -- compare with the sha256 sums below).

reportlab can only embed fonts with TrueType (`glyf`) outlines, while
Debian's Noto CJK fonts are CFF-flavoured TrueType collections; hence the
conversion.

| File | Source package | Source file (TTC member) | Glyphs | Code points | Bytes |
|---|---|---|---|---|---|
{chr(10).join(rows)}

## Noto subsets: what was kept

The Simplified Chinese member of each TTC (the member whose typographic family
name is "Noto Serif CJK SC" / "Noto Sans CJK SC", found by reading the name
table) was subset with `fontTools.subset` to {n_unicodes} candidate code points
(those missing from the font are simply absent):

* every CJK ideograph of GBK (each GBK double-byte code decoded with Python's
  `gbk` codec; unified and compatibility ideographs -- {n_hanzi:,} hanzi, so
  personal and place names outside GB 2312 work), all GB 2312 non-hanzi
  symbols and the remaining GBK symbols;
* ASCII, Latin-1, Latin Extended-A, General Punctuation (U+2000-206F), ⸺ ⸻,
  Superscripts/Subscripts, Currency Symbols, Letterlike Symbols and Number
  Forms (U+2100-218F: ℃ № ™ Ⅻ), Arrows, Enclosed Alphanumerics
  (U+2460-24FF: ① ⑴ ⒈), Geometric Shapes, CJK Symbols and Punctuation
  (U+3000-303F), Enclosed CJK Letters and Months, CJK Compatibility (㎡),
  CJK Compatibility Forms and Halfwidth/Fullwidth Forms (U+FF00-FFEF).

The `locl` feature's single substitutions for script `hani`, language `ZHS`
(what a shaper applies to text tagged zh-Hans) are baked into the cmap,
because reportlab does no shaping; this changes {locl_chars}
(code points {locl_cps}).  Most importantly U+2014 EM DASH becomes the
full-width (1000-unit, vertically centred) dash instead of the 890-unit Latin
one, and U+2E3A/U+2E3B (⸺ ⸻) become the continuous two-/three-em rules that
the font's `ccmp` ligature would make of "——"/"———".  Two U+2014 glyphs set
side by side leave a visible gap (each has ~70 units of side bearing), so the
layout engine should draw "——" with U+2E3A.

Tables kept: cmap, head, hhea, hmtx, vhea, vmtx, OS/2, name (all records),
post, BASE and GPOS with only the features {', '.join(LAYOUT_FEATURES)}
(the layout engine reads `halt` to know where the ink of full-width
punctuation sits).  GSUB features are dropped (reportlab does no shaping),
and so is all hinting.  Name IDs 3 and 5 get "; {DERIVATIVE_TAG}" appended so
the derivative is recognisable; family and PostScript names are unchanged
(allowed by the OFL: the only Reserved Font Name of Noto CJK is "Source",
which these names do not use).  head.created/modified are copied from
the source font so the output does not depend on the build time.

## Noto subsets: how they were converted

Each glyph's CFF charstring was drawn through
`fontTools.pens.cu2quPen.Cu2QuPen(TTGlyphPen, max_err={MAX_ERR}, reverse_direction=True)`
(cubic to quadratic, at most {MAX_ERR:g} unit error at 1000 units/em, contours
reversed to TrueType winding), giving `glyf`/`loca`; `maxp` is version 1.0,
`post` format 3 (no glyph names), `CFF ` and `VORG` are removed.  After the
conversion every glyph's hmtx left side bearing is reset to the new glyph's
xMin (otherwise glyphs shift sideways), and every vmtx top side bearing to
VORG origin - new yMax (a glyf font has no VORG).

## Licences

All fonts are under the SIL Open Font License 1.1: see `OFL-Noto.txt` and
`OFL-LXGWWenKai.txt`.  LXGW WenKai has the Reserved Font Names "霞鹜" and
"LXGW", so it is shipped byte-for-byte unmodified (it already has TrueType
outlines).

## sha256

```
{sums}
```
"""
    (outdir / "README.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--outdir", type=Path, default=DEFAULT_OUTDIR,
                    help=f"output directory (default: {DEFAULT_OUTDIR})")
    ap.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, len(FACES)),
                    help="parallel worker processes (default: number of CPUs)")
    args = ap.parse_args(argv)

    try:
        import fontTools  # noqa: F401
    except ImportError:
        raise SystemExit("fontTools is required:  pip install fonttools")
    check_sources()
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(build_face, face, outdir) for face in FACES]
            results = []
            for fut in futures:
                r = fut.result()
                results.append(r)
    else:
        results = [build_face(face, outdir) for face in FACES]
    for r in results:
        print(f"{r['face'].out_name:26s} member {r['index']}  {r['glyphs']:6d} glyphs  "
              f"{r['size'] / 1e6:6.2f} MB  subset {r['seconds_subset']:5.1f} s  "
              f"total {r['seconds_total']:5.1f} s", flush=True)

    lxgw = copy_lxgw(outdir)
    print(f"{LXGW_OUT:26s} copied unmodified  {lxgw['size'] / 1e6:6.2f} MB")
    write_licenses(outdir, [r["copyright"] for r in results], lxgw["copyright"])
    write_readme(outdir, results, lxgw)
    print(f"wrote {outdir}/README.md, OFL-Noto.txt, OFL-LXGWWenKai.txt "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
