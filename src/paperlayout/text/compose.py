"""Compose (排版): paragraph runs + style + measure → lines of positioned glyphs.

    collect   runs → the copy and the face requested for each character
    prepare   measure characters and boundaries          (prepare.py)
    break     choose the lines                            (linebreak.py)
    justify   position the glyphs of each line            (justify.py)

A forced newline in the copy (U+000A, U+2028) ends a line flush left; the newline stays
in the text layer as a zero-width glyph at the end of that line. Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from ..diagnostics import Diagnostic, error, warning
from ..diagnostics import info as info_diagnostic
from ..fonts import FontBook
from .linebreak import V_KINSOKU, V_OVERFULL, V_SPLIT, LineFit, break_lines
from .model import Composed, Glyph, Line, Run
from .prepare import CharInfo, Prepared, char_info, char_table, prepare
from .rules import SPREAD_TOLERANCE
from .style import ComposeStyle

_NEWLINES = "\n\u2028"


def _collect(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook) -> tuple[str, list[CharInfo]]:
    text_parts = []
    infos: list[CharInfo] = []
    for run in runs:
        text_parts.append(run.text)
        get = char_table(fonts, run.face, style).get
        for ch in run.text:
            info = get(ch)
            if info is None:
                info = char_info(fonts, run.face, ch, style)
            infos.append(info)
    return "".join(text_parts), infos


def _segments(text: str, infos: list[CharInfo]):
    """Split at forced newlines: yields (start, end, newline_or_empty)."""
    if "\n" not in text and "\u2028" not in text:
        yield 0, len(text), ""
        return
    start = 0
    for k, ch in enumerate(text):
        if ch in _NEWLINES:
            yield start, k, ch
            start = k + 1
    yield start, len(text), ""


def _glyph_diagnostics(text: str, infos: list[CharInfo], faces: list[str], where: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not any(map(attrgetter("status"), infos)):
        return out
    seen = set()
    for ch, info, face in zip(text, infos, faces):
        if info.status and (ch, face) not in seen:
            seen.add((ch, face))
            code = f"U+{ord(ch):04X}"
            if info.status == 1:
                out.append(warning("glyph-fallback", where,
                                   f"{ch} ({code}) is not in face {face!r}; set from {info.face!r}"))
            else:
                shown = f"drawn as {info.draw}" if info.draw else "left blank"
                out.append(error("glyph-missing", where,
                                 f"{ch} ({code}) is in no face (requested {face!r}); {shown} — "
                                 f"add a font that has it to the fallbacks"))
    return out


def _faces_of(runs: Sequence[Run]) -> list[str]:
    return [r.face for r in runs for _ in r.text]


def spread_of(fit: LineFit) -> float:
    """em added between two characters of the line by justification (0 for most lines)."""
    if fit.a3 <= 0.0 or fit.last:
        return 0.0
    if fit.gaps:
        return fit.a3 / fit.gaps
    return fit.a3 / max(fit.end - fit.start - 1, 1)


def _fit_diagnostics(fit: LineFit, p: Prepared, line_no: int, where: str) -> list[Diagnostic]:
    out = []
    loc = f"{where}: line {line_no}" if where else f"line {line_no}"
    if not fit.violation:
        spread = spread_of(fit)
        if spread > SPREAD_TOLERANCE + 1e-6:
            # The breaker found no set of breaks that keeps every line within the
            # tolerance (it prefers any other adjustment): say so, with the line.
            out.append(warning("loose-line", loc,
                               f"spread by {spread:.3f} em between characters "
                               f"({p.text[fit.start:fit.end]!r}): no legal break keeps the "
                               f"paragraph within {SPREAD_TOLERANCE} em; edit the copy or "
                               f"change the measure"))
        return out
    head = p.text[fit.start:fit.end]
    nxt = p.text[fit.end:fit.end + 1]
    if fit.violation & V_OVERFULL:
        out.append(warning("overfull-line", loc,
                           f"{head!r} is wider than the measure and cannot be broken"))
    elif fit.violation & V_SPLIT:
        out.append(warning("unbreakable-split", loc,
                           f"no allowed break: an unbreakable sequence is split after {head[-8:]!r}"))
    elif fit.violation & V_KINSOKU:
        out.append(warning("kinsoku-forced", loc,
                           f"line break between {head[-1:]!r} and {nxt!r} breaks the line-edge "
                           f"prohibition (CLREQ §3.1.7): no allowed break fits"))
    return out


def compose(runs: Sequence[Run], measure: float, style: ComposeStyle, fonts: FontBook,
            where: str = "") -> Composed:
    """Compose a paragraph into lines ``measure`` pt long.

    Justified (``style.justify``): every line but the last is exactly the measure; the
    first line is indented ``style.indent`` em. Flush left otherwise (captions, heads),
    broken by the same rules. ``where`` prefixes the diagnostics' locations.
    """
    size = style.size
    measure_em = measure / size
    text, infos = _collect(runs, style, fonts)
    faces = _faces_of(runs)
    diags = _glyph_diagnostics(text, infos, faces, where or "paragraph")
    lines: list[Line] = []
    from .justify import build_line

    for seg_no, (a, b, nl) in enumerate(_segments(text, infos)):
        indent = style.indent if seg_no == 0 else 0.0
        seg_text = text[a:b]
        p = prepare(seg_text, style, fonts, infos[a:b])
        fits = break_lines(p, measure_em, indent, style) if b > a else []
        for k, fit in enumerate(fits):
            last = fit.last
            lines.append(build_line(p, fit, measure_em, indent, style, last))
            diags.extend(_fit_diagnostics(fit, p, len(lines), where))
        if (style.avoid_lone and style.justify and len(fits) > 1
                and p.CL[fits[-1].end] - p.CL[fits[-1].start] <= 1):
            loc = f"{where}: line {len(lines)}" if where else f"line {len(lines)}"
            diags.append(info_diagnostic(
                "lone-last-character", loc,
                f"the paragraph ends with a single character on its last line "
                f"({p.text[fits[-1].start:fits[-1].end]!r}, GB/T 15834 §5.1.11): avoiding it "
                f"would space a line beyond {SPREAD_TOLERANCE} em"))
        if nl:
            info = infos[b]
            if lines and fits:
                prev = lines[-1]
                g = Glyph(nl, info.face, prev.width, 0.0)
                lines[-1] = Line(prev.glyphs + (g,), prev.width, prev.measure, prev.size, True)
            else:
                g = Glyph(nl, info.face, 0.0, 0.0)
                lines.append(Line((g,), 0.0, measure, size, True))
    return Composed(tuple(lines), tuple(diags))


def _single(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook):
    text, infos = _collect(runs, style, fonts)
    p = prepare(text, style, fonts, infos)
    n = len(infos)
    from .linebreak import _fit

    if n == 0:
        return p, None
    plain = ComposeStyle(**{**_style_dict(style), "justify": False})
    r = _fit(p, 0, n, n, float("inf"), 0.0, plain, 0)
    assert r is not None
    return p, r[1]


def _style_dict(style: ComposeStyle) -> dict:
    from dataclasses import fields

    return {f.name: getattr(style, f.name) for f in fields(style)}


def set_line(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook, tracking: float = 0.0) -> Line:
    """One unjustified line at natural width (heads, captions, bylines, masthead text).

    Punctuation is compressed by the style and the line-edge rules; ``tracking`` em is
    added between characters (not inside a Latin word, a number, —— or ……) for
    letter-spaced short heads. No indent. Line.measure = Line.width (pt).
    """
    from .justify import build_line

    nostyle = ComposeStyle(**{**_style_dict(style), "indent": 0.0, "justify": False})
    p, fit = _single(runs, nostyle, fonts)
    if fit is None:
        return Line((), 0.0, 0.0, style.size, True)
    return build_line(p, fit, fit.natural, 0.0, nostyle, True, tracking=tracking, natural_measure=True)


def measure_text(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook, tracking: float = 0.0) -> float:
    """Width in pt of ``set_line(runs, style, fonts, tracking)``, without building glyphs."""
    nostyle = ComposeStyle(**{**_style_dict(style), "indent": 0.0, "justify": False})
    p, fit = _single(runs, nostyle, fonts)
    if fit is None:
        return 0.0
    n = len(p.infos)
    extra = tracking * (sum(1 for k in range(1, n) if p.brk[k]) if tracking else 0)
    return (fit.natural + extra) * style.size
