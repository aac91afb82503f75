"""Build the composer's test fonts with fontTools FontBuilder (run: python make_test_font.py).

PaperTest-Regular.ttf (1000 units per em):
  * Han characters (HAN below) and 〓: 1 em, ink a box inside the em square;
  * Latin letters and digits: 0.5 em; the space: 0.25 em; ASCII punctuation: 0.25 em;
  * pause / sentence-end / closing marks: 1 em, ink in the LEFT half; opening marks: 1 em,
    ink in the RIGHT half; GPOS 'halt' says so: (0, −500) and (−500, −500);
  * U+2014 EM DASH 0.89 em (like Noto Serif SC), U+2026 … 1 em, U+00B7 · 0.3 em,
    ％ ℃ ‰ 1 em.
PaperTest-Fallback.ttf: a few rare Han characters (RARE) the first font lacks.
PaperTest-Kai.ttf: a face drawn like LXGW WenKai: Han, Latin and the space as above; the
  quotation marks “ ” ‘ ’ with a narrow, Latin-style advance of 0.35 em (ink 0.05–0.3 em);
  the other marks 1 em with ink in the usual half; · 0.35 em; and no GPOS 'halt' at all.

Both are tiny and committed next to this script; the composer tests use them so that
expected widths are exact and independent of the 15 MB production fonts.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

HERE = Path(__file__).resolve().parent
#: head.created / head.modified (seconds since 1904-01-01): fixed so rebuilds are identical.
FIXED_TIME = 3_786_825_600  # 2024-01-01

HAN = ("一二三四五六七八九十百千万中文字国人大小上下天地日月水火木金土山川风云雨雪春夏秋冬"
       "东南西北永甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥年说的了是我他她们这那有在和"
       "新闻报纸版面编辑记者本讯达拉特旗干部基层聚力促振兴走到里暖意") + "〓\u3000"
RARE = "䶮𠀀"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ASCII_PUNCT = ",.;:!?()[]%-/'\"&@#$"
RIGHT_BLANK = "，。、；：！？）］｝〕》〉」』】〗”’"   # ink left, empty right half
LEFT_BLANK = "（［｛〔《〈「『【〖“‘"               # ink right, empty left half
WIDE_SYMBOLS = "％℃‰"
NARROW_QUOTES = "“”‘’"                                        # PaperTest-Kai: 0.35 em


def _box(x0: int, y0: int, x1: int, y1: int, pen: TTGlyphPen) -> None:
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()


def _glyph(boxes: list[tuple[int, int, int, int]]):
    pen = TTGlyphPen(None)
    for b in boxes:
        _box(*b, pen)
    return pen.glyph()


def _name(ch: str) -> str:
    cp = ord(ch)
    return f"uni{cp:04X}" if cp <= 0xFFFF else f"u{cp:05X}"


def build(path: Path, family: str, chars: dict[str, tuple[int, list]], halt: dict[str, tuple[int, int]]) -> None:
    order = [".notdef"] + [_name(ch) for ch in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(ch): _name(ch) for ch in chars})
    glyphs = {".notdef": _glyph([(50, 0, 450, 700)])}
    metrics = {".notdef": (500, 50)}
    for ch, (adv, boxes) in chars.items():
        glyphs[_name(ch)] = _glyph(boxes)
        metrics[_name(ch)] = (adv, min((b[0] for b in boxes), default=0))
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.updateHead(created=FIXED_TIME, modified=FIXED_TIME)  # repeatable bytes
    if halt:
        rules = "\n".join(f"    pos {_name(ch)} <{xp} 0 {xa} 0>;" for ch, (xp, xa) in halt.items())
        fb.addOpenTypeFeatures(
            "languagesystem DFLT dflt;\nlanguagesystem hani dflt;\nlanguagesystem latn dflt;\n"
            f"feature halt {{\n{rules}\n}} halt;\n")
    fb.save(str(path))


def main() -> None:
    chars: dict[str, tuple[int, list]] = {}
    for ch in HAN:
        chars[ch] = (1000, [(100, -80, 900, 760)] if ch != "\u3000" else [])
    for ch in LATIN:
        chars[ch] = (500, [(60, 0, 440, 700)])
    chars[" "] = (250, [])
    for ch in ASCII_PUNCT:
        chars[ch] = (250, [(60, 0, 190, 120)])
    halt: dict[str, tuple[int, int]] = {}
    for ch in RIGHT_BLANK:
        chars[ch] = (1000, [(100, -60, 400, 200)])
        halt[ch] = (0, -500)
    for ch in LEFT_BLANK:
        chars[ch] = (1000, [(600, -60, 900, 700)])
        halt[ch] = (-500, -500)
    for ch in WIDE_SYMBOLS:
        chars[ch] = (1000, [(100, 0, 900, 700)])
    chars["\u2014"] = (890, [(0, 330, 890, 390)])                     # — 0.89 em
    chars["\u2026"] = (1000, [(100, 0, 200, 100), (450, 0, 550, 100), (800, 0, 900, 100)])
    chars["\u00b7"] = (300, [(100, 300, 200, 400)])                   # · 0.3 em
    build(HERE / "PaperTest-Regular.ttf", "PaperTest", chars, halt)

    rare = {ch: (1000, [(150, -80, 850, 760)]) for ch in RARE}
    build(HERE / "PaperTest-Fallback.ttf", "PaperTestFallback", rare, {})

    kai = {ch: chars[ch] for ch in HAN + LATIN + " " + ASCII_PUNCT + RIGHT_BLANK + LEFT_BLANK}
    for ch in NARROW_QUOTES:
        kai[ch] = (350, [(50, 450, 300, 700)])                        # “ ” ‘ ’ 0.35 em
    kai["\u00b7"] = (350, [(100, 300, 250, 400)])                    # · 0.35 em
    build(HERE / "PaperTest-Kai.ttf", "PaperTestKai", kai, {})


if __name__ == "__main__":
    main()
