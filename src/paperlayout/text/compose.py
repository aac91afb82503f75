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
from .linebreak import V_EMERGENCY, V_KINSOKU, V_OVERFULL, V_SPLIT, LineFit, _score, break_path, make_fit
from .model import Composed, Glyph, Line, Run
from .prepare import (CharInfo, Prepared, char_info, char_table, joined_dash, prepare, use_latin_marks,
                      use_unit_dots, use_word_spaces)
from .latin import url_anywhere_breaks
from .rules import CELL_MARKS, GAP_LIMIT, SPREAD_TOLERANCE
from .style import ComposeStyle

_NEWLINES = "\n\u2028"


def _collect(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook) -> tuple[str, list[CharInfo]]:
    text_parts = []
    infos: list[CharInfo] = []
    for run in runs:
        text_parts.append(run.text)
        found = list(map(char_table(fonts, run.face, style).get, run.text))
        if None in found:  # characters not met before in this face (a CharInfo is never None)
            found = [char_info(fonts, run.face, ch, style) if info is None else info
                     for ch, info in zip(run.text, found)]
        infos += found
    text = "".join(text_parts)
    if "—" in text or "―" in text:
        _join_dashes(text, infos, style, fonts)
    if any(m in text for m in CELL_MARKS):
        use_latin_marks(text, infos)
    if "·" in text or "‧" in text:
        use_unit_dots(text, infos, fonts)
    if " " in text or "\u00a0" in text:
        use_word_spaces(infos, fonts, text)
    return text, infos


_DASH = 6  # Kind.DASH


def _join_dashes(text: str, infos: list[CharInfo], style: ComposeStyle, fonts: FontBook) -> None:
    """Each dash of a run of two or more (——) drawn so its ink fills its box (prepare.joined_dash)."""
    n = len(infos)
    for k in range(n):
        if infos[k].kind == _DASH and ((k > 0 and infos[k - 1].kind == _DASH)
                                       or (k + 1 < n and infos[k + 1].kind == _DASH)):
            infos[k] = joined_dash(fonts, infos[k], text[k], style)


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


def _faces_of(runs: Sequence[Run]) -> list[str]:
    return [r.face for r in runs for _ in r.text]


def spread_of(fit: LineFit) -> float:
    """em added between two characters of the line by justification (0 for most lines)."""
    if fit.a3 <= 0.0 or fit.last:
        return 0.0
    if fit.gaps:
        return fit.a3 / fit.gaps
    return fit.a3 / max(fit.end - fit.start - 1, 1)


#: A justified line's inter-character spacing beyond each limit (text/rules.py), gravest first:
#: (limit in em per gap, code, what the message adds after the line).
_SPREAD_FINDINGS = (
    (GAP_LIMIT, "gapped-line", f", more than the {GAP_LIMIT} em a justified line may take: what follows "
                               f"cannot be broken (a number, range or URL kept whole) and no other break "
                               f"keeps the line set"),
    (SPREAD_TOLERANCE, "loose-line", f": no legal break keeps the paragraph within {SPREAD_TOLERANCE} em; "
                                     f"edit the copy or change the measure"),
)


def _fit_diagnostics(fit: LineFit, p: Prepared, line_no: int, where: str) -> list[Diagnostic]:
    out = []
    loc = f"{where}: line {line_no}" if where else f"line {line_no}"
    if not fit.violation:
        spread = spread_of(fit)
        # The breaker found no set of breaks that keeps every line within the tolerance (it
        # prefers any other adjustment): say so, with the line — the graver finding only.
        for limit, code, why in _SPREAD_FINDINGS:
            if spread > limit + 1e-6:
                out.append(warning(code, loc, f"spread by {spread:.3f} em between characters "
                                              f"({p.text[fit.start:fit.end]!r}){why}"))
                break
        return out
    head = p.text[fit.start:fit.end]
    nxt = p.text[fit.end:fit.end + 1]
    if fit.violation & V_EMERGENCY and not fit.violation & ~V_EMERGENCY:
        spread = spread_of(fit)
        what = ("a word is broken with a hyphen where the dictionary has no point"
                if p.hyw is not None and p.hyw[fit.end] else
                "a URL is broken where it has no break point")
        out.append(warning("unbreakable-split", loc,
                           f"no break keeps the spacing within the rules: {what}, after "
                           f"{head[-8:]!r}; edit the copy or change the measure"))
        if spread > SPREAD_TOLERANCE + 1e-6:
            out.append(warning("loose-line", loc, f"spread by {spread:.3f} em between characters "
                                                  f"({head!r})"))
        return out
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


#: Paragraphs whose measure-independent preparation is memoised per FontBook and style
#: (the least recently used one is dropped beyond this). An entry holds tens of kB (a
#: paragraph of 300 characters with its breaks at six measures: about 50 kB), so the bound
#: is the layout's memory: a page asks for some 40 paragraphs, planned then set, and a
#: jump (转版) brings back the page before's; 256 recomputes 10 of 951 on the generated
#: 16 pages, and the 64-page layout peaks at 406 MiB instead of 631 (4,096 entries).
PREPARED_MEMO_SIZE = 256


class _Para:
    """A paragraph prepared for breaking: everything that does not depend on the measure.

    segments: (Prepared, newline, face of the newline) per stretch between forced newlines;
    glyph_issues: (ch, requested face, CharInfo) of each fallback / missing glyph, once.
    """

    __slots__ = ("segments", "glyph_issues", "_diags", "_diags_where", "_paths")

    def __init__(self, segments, glyph_issues) -> None:
        self.segments = segments
        self.glyph_issues = glyph_issues
        self._diags: tuple[Diagnostic, ...] = ()
        self._diags_where: str | None = None
        self._paths: dict = {}

    def path(self, seg_no: int, measure_em: float, indent: float, style: ComposeStyle) -> list[tuple]:
        """``break_path`` of segment ``seg_no``, memoised: the planner counts a paragraph's
        lines at a measure and the setter then composes it at the same one."""
        key = (seg_no, measure_em, indent, style)
        hit = self._paths.get(key)
        if hit is None:
            hit = self._paths[key] = break_path(self.segments[seg_no][0], measure_em, indent, style)
        return hit

    def glyph_diagnostics(self, where: str) -> list[Diagnostic]:
        if not self.glyph_issues:
            return []
        if self._diags_where != where:
            self._diags = tuple(_issue_diagnostic(ch, face, info, where) for ch, face, info in self.glyph_issues)
            self._diags_where = where
        return list(self._diags)


def _issue_diagnostic(ch: str, face: str, info: CharInfo, where: str) -> Diagnostic:
    code = f"U+{ord(ch):04X}"
    if info.status == 1:
        return warning("glyph-fallback", where, f"{ch} ({code}) is not in face {face!r}; set from {info.face!r}")
    shown = f"drawn as {info.draw}" if info.draw else "left blank"
    return error("glyph-missing", where,
                 f"{ch} ({code}) is in no face (requested {face!r}); {shown} — "
                 f"add a font that has it to the fallbacks")


def _prep_key(style: ComposeStyle) -> tuple:
    # Every style field read by prepare() / char_info() / _pair() — none of the measure,
    # indent, size, justification or breaking settings.
    return (style.punctuation, style.prohibition, style.han_latin_space, style.line_end_half,
            style.line_start_half, style.max_squeeze, style.hanging, style.lang, style.url_breaks)


def _para(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook) -> _Para:
    """The measure-independent preparation of a paragraph, memoised in ``fonts``."""
    if type(runs) is not tuple:
        runs = tuple(runs)
    memo = fonts.memo("text.para")
    key = (runs, _prep_key(style))
    hit = memo.pop(key, None)
    if hit is not None:
        memo[key] = hit  # the most recently used last
        return hit
    text, infos = _collect(runs, style, fonts)
    issues = []
    if any(map(attrgetter("status"), infos)):
        seen = set()
        for ch, info, face in zip(text, infos, _faces_of(runs)):
            if info.status and (ch, face) not in seen:
                seen.add((ch, face))
                issues.append((ch, face, info))
    segments = []
    for a, b, nl in _segments(text, infos):
        p = prepare(text[a:b], style, fonts, infos[a:b])
        segments.append((p, nl, infos[b].face if nl else ""))
    hit = _Para(tuple(segments), tuple(issues))
    if len(memo) >= PREPARED_MEMO_SIZE:
        del memo[next(iter(memo))]
    memo[key] = hit
    return hit


def _lone(p: Prepared, fits: list[LineFit]) -> bool:
    return p.CL[fits[-1].end] - p.CL[fits[-1].start] <= 1


def _lone_diagnostic(p: Prepared, start: int, end: int, line_no: int, where: str) -> Diagnostic:
    loc = f"{where}: line {line_no}" if where else f"line {line_no}"
    return info_diagnostic(
        "lone-last-character", loc,
        f"the paragraph ends with a single character on its last line "
        f"({p.text[start:end]!r}, GB/T 15834 §5.1.11): avoiding it "
        f"would space a line beyond {SPREAD_TOLERANCE} em")


def _url_break_diagnostic(p: Prepared, start: int, end: int, line_no: int, where: str) -> Diagnostic:
    loc = f"{where}: line {line_no}" if where else f"line {line_no}"
    return info_diagnostic(
        "url-break", loc,
        f"{p.text[start:end]!r} ends inside a URL, e-mail address or path, before "
        f"{p.text[end:end + 8]!r}, with no hyphen (the story's url_breaks: anywhere)")


def _needs_diagnostic(fit: LineFit) -> bool:
    return bool(fit.violation) or (fit.a3 > 0.0 and not fit.last)


def _fits(p: Prepared, path: list[tuple], measure: float, indent: float, style: ComposeStyle) -> list[LineFit]:
    """The LineFits of a ``break_path`` (as ``linebreak.break_lines`` gives them)."""
    n = len(p.infos)
    out = []
    for i, j, _, data in path:
        if data is None:
            data = _score(p, i, j, n, measure, indent, style, 0)[1]
        out.append(make_fit(i, j, data))
    return out


def compose(runs: Sequence[Run], measure: float, style: ComposeStyle, fonts: FontBook,
            where: str = "") -> Composed:
    """Compose a paragraph into lines ``measure`` pt long.

    Justified (``style.justify``): every line but the last is exactly the measure; the
    first line is indented ``style.indent`` em. Flush left otherwise (captions, heads),
    broken by the same rules. ``where`` prefixes the diagnostics' locations.
    """
    from .justify import build_line

    size = style.size
    measure_em = measure / size
    para = _para(runs, style, fonts)
    diags = para.glyph_diagnostics(where or "paragraph")
    lines: list[Line] = []
    lone_check = style.avoid_lone and style.justify
    shared: dict[float, float] = {}  # the lines' float objects (justify.build_line)
    for seg_no, (p, nl, nl_face) in enumerate(para.segments):
        indent = style.indent if seg_no == 0 else 0.0
        fits = _fits(p, para.path(seg_no, measure_em, indent, style), measure_em, indent, style) if p.infos else []
        anywhere = url_anywhere_breaks(p.text) if style.url_breaks == "anywhere" and p.pen else ()
        for fit in fits:
            lines.append(build_line(p, fit, measure_em, indent, style, fit.last, shared=shared))
            if _needs_diagnostic(fit):
                diags.extend(_fit_diagnostics(fit, p, len(lines), where))
            if fit.end in anywhere:
                diags.append(_url_break_diagnostic(p, fit.start, fit.end, len(lines), where))
        if lone_check and len(fits) > 1 and _lone(p, fits):
            diags.append(_lone_diagnostic(p, fits[-1].start, fits[-1].end, len(lines), where))
        if nl:
            if fits:
                prev = lines[-1]
                g = Glyph(nl, nl_face, prev.width, 0.0)
                lines[-1] = Line(prev.glyphs + (g,), prev.width, prev.measure, prev.size, True)
            else:
                g = Glyph(nl, nl_face, 0.0, 0.0)
                lines.append(Line((g,), 0.0, measure, size, True))
    return Composed(tuple(lines), tuple(diags))


def count_lines(runs: Sequence[Run], measure: float, style: ComposeStyle, fonts: FontBook,
                where: str = "") -> tuple[int, tuple[Diagnostic, ...]]:
    """``len(compose(...).lines)`` and ``compose(...).diagnostics``, without building glyphs.

    Same preparation and line breaking as ``compose``; the preparation (everything that
    does not depend on the measure) is memoised per FontBook, so counting a paragraph at
    a second measure only breaks it again. For the page planner, which tries each story
    at several measures.
    """
    measure_em = measure / style.size
    para = _para(runs, style, fonts)
    diags = para.glyph_diagnostics(where or "paragraph")
    count = 0
    lone_check = style.avoid_lone and style.justify
    for seg_no, (p, nl, _) in enumerate(para.segments):
        if not p.infos:
            if nl:
                count += 1
            continue
        indent = style.indent if seg_no == 0 else 0.0
        path = para.path(seg_no, measure_em, indent, style)
        anywhere = url_anywhere_breaks(p.text) if style.url_breaks == "anywhere" and p.pen else ()
        for i, j, _, data in path:
            count += 1
            # data is None: no forced break and no inter-character spacing beyond the
            # tolerance (linebreak.break_path): nothing to say.
            if data is not None and (data[11] or (data[5] > 0.0 and not data[0])):
                diags.extend(_fit_diagnostics(LineFit(i, j, *data), p, count, where))
            if j in anywhere:
                diags.append(_url_break_diagnostic(p, i, j, count, where))
        if lone_check and len(path) > 1:
            i, j = path[-1][:2]
            if p.CL[j] - p.CL[i] <= 1:
                diags.append(_lone_diagnostic(p, i, j, count, where))
    return count, tuple(diags)


def _single(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook):
    text, infos = _collect(runs, style, fonts)
    p = prepare(text, style, fonts, infos)
    n = len(infos)
    from .linebreak import _fit

    if n == 0:
        return p, None
    plain = style if not style.justify else ComposeStyle(**{**_style_dict(style), "justify": False})
    r = _fit(p, 0, n, n, float("inf"), 0.0, plain, 0)
    assert r is not None
    return p, r[1]


def _style_dict(style: ComposeStyle) -> dict:
    from dataclasses import fields

    return {f.name: getattr(style, f.name) for f in fields(style)}


def _unjustified(style: ComposeStyle, fonts: FontBook) -> ComposeStyle:
    """``style`` without indent and justification (memoised per FontBook: display lines ask often)."""
    memo = fonts.memo("text.unjustified")
    hit = memo.get(style)
    if hit is None:
        hit = memo[style] = ComposeStyle(**{**_style_dict(style), "indent": 0.0, "justify": False})
    return hit


def set_line(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook, tracking: float = 0.0) -> Line:
    """One unjustified line at natural width (heads, captions, bylines, masthead text).

    Punctuation is compressed by the style and the line-edge rules; ``tracking`` em is
    added between characters (not inside a Latin word, a number, —— or ……) for
    letter-spaced short heads. No indent. Line.measure = Line.width (pt).
    """
    from .justify import build_line

    nostyle = _unjustified(style, fonts)
    p, fit = _single(runs, nostyle, fonts)
    if fit is None:
        return Line((), 0.0, 0.0, style.size, True)
    return build_line(p, fit, fit.natural, 0.0, nostyle, True, tracking=tracking, natural_measure=True)


def measure_text(runs: Sequence[Run], style: ComposeStyle, fonts: FontBook, tracking: float = 0.0) -> float:
    """Width in pt of ``set_line(runs, style, fonts, tracking)``, without building glyphs."""
    nostyle = _unjustified(style, fonts)
    p, fit = _single(runs, nostyle, fonts)
    if fit is None:
        return 0.0
    n = len(p.infos)
    extra = tracking * (sum(1 for k in range(1, n) if p.track[k]) if tracking else 0)
    return (fit.natural + extra) * style.size
