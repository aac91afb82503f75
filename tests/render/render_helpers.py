"""Helpers of the renderer suite: compose copy with the real fonts, place the lines on a
page, render it (and finalise it as PDF/X), read it back.

Coordinates: lines are placed in the engine's convention (pt from the trim's top-left,
y down, y = baseline); what pdfminer reads back is in PDF space (origin at the MediaBox's
bottom-left, y up). Pages are rendered without marks, so the MediaBox is trim + bleed.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from paperlayout.build import open_fonts
from paperlayout.fonts import FontBook
from paperlayout.frames import BLACK, Cell, Cmyk, PageFrame, StoryFrame, TextLine
from paperlayout.render.pdf import RenderOptions, render
from paperlayout.render.pdfx import PdfMeta, finalize
from paperlayout.styles import preset
from paperlayout.text import ComposeStyle, Run, compose
from paperlayout.units import mm

#: Test page: 120 × 160 mm trim, 3 mm bleed.
WIDTH, HEIGHT, BLEED = mm(120), mm(160), mm(3)
LEFT, TOP, PITCH = 36.0, 48.0, 18.0


def real_fonts() -> FontBook:
    """The house faces (fonts/) with the broadsheet preset's fallback chain."""
    return open_fonts(preset("broadsheet"))


def compose_lines(fonts: FontBook, paragraphs: Sequence[tuple[str, str]], measure_em: float,
                  size: float = 9.0) -> list:
    """Each (text, face) paragraph composed justified at ``measure_em`` em → all Lines."""
    style = ComposeStyle(size=size, indent=0.0)
    lines = []
    for text, face in paragraphs:
        lines.extend(compose([Run(text, face)], measure_em * size, style, fonts).lines)
    return lines


def page_of(lines, colour: Cmyk = BLACK, number: int = 1) -> PageFrame:
    """The lines one under another from (LEFT, TOP), PITCH apart, as one story."""
    items = tuple(TextLine(LEFT, TOP + k * PITCH, line, colour, story="s") for k, line in enumerate(lines))
    story = StoryFrame("s", Cell(0, 0, 1, 1), items)
    return PageFrame(number, WIDTH, HEIGHT, BLEED, (), (story,))


def render_pages(pages: Sequence[PageFrame], fonts: FontBook, **options) -> bytes:
    """reportlab's PDF of ``pages`` (not finalised), no marks unless asked."""
    options.setdefault("marks", False)
    data, _ = render(list(pages), fonts, RenderOptions(**options))
    return data


def finalised(pages: Sequence[PageFrame], fonts: FontBook, title: str = "渲染测试", **options) -> bytes:
    """The PDF/X-1a file of ``pages``, as build.to_pdf writes it."""
    raw = render_pages(pages, fonts, **options)
    when = dt.datetime(2025, 3, 1, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return finalize(raw, PdfMeta(title=title, creation_date=when))


def pdf_chars(data: bytes) -> list:
    """pdfminer's LTChar of every page, in content-stream order (no layout analysis)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    out = []

    def walk(node):
        if isinstance(node, LTChar):
            out.append(node)
        elif hasattr(node, "__iter__"):
            for child in node:
                walk(child)

    for page in extract_pages(io.BytesIO(data), laparams=None):
        walk(page)
    return out


def drawn_glyphs(lines):
    """(line number, glyph, drawn text) of every glyph the renderer draws, in order."""
    out = []
    for k, line in enumerate(lines):
        for g in line.glyphs:
            shown = g.text if g.draw is None else g.draw
            if shown and shown != "\n":
                out.append((k, g, shown))
    return out
