"""Which characters came from which face: an inventory of fallback glyphs (替代字体) on the
laid-out pages, for the report.

A glyph drawn in face D stands in for face R, another face of its line, when R lacks the
character, ``FontBook.resolve(R, ch)`` is D and the glyph's ``embolden`` stroke is the one
``FontBook.embolden(R, D)`` gives (a glyph from a lighter face is thickened to match its
neighbours); of several such R, the one of the nearest glyph in the line. One
info-level diagnostic per page, story, line role and pair of faces names the characters,
both faces' weights (OS/2 usWeightClass) and the stroke added, so an editor sees, e.g.,
that 𠮷 in a Black head was drawn from the Kai face and emboldened.

Reads frames only (positions are not used); pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic, info
from .fonts import FontBook
from .frames import PageFrame, TextLine


def _requested(glyphs, k: int, fonts: FontBook) -> str | None:
    """The face glyph ``k`` of the line stands in for (see the module docstring), or None."""
    g = glyphs[k]
    ch = g.text[:1]
    for d in range(1, len(glyphs)):
        for j in (k - d, k + d):
            if not 0 <= j < len(glyphs):
                continue
            face = glyphs[j].face
            if (face != g.face and not fonts.covers(face, ch) and fonts.resolve(face, ch) == g.face
                    and abs(fonts.embolden(face, g.face) - g.embolden) < 1e-9):
                return face
    return None


def fallback_notes(pages: Iterable[PageFrame], fonts: FontBook) -> list[Diagnostic]:
    """Info diagnostics listing every fallback glyph by page, story, role and face pair.

    Emitted in page order, then in the order the groups first appear on the page; each
    character once per group, in the order met.
    """
    out: list[Diagnostic] = []
    for page in pages:
        groups: dict[tuple, dict[str, float]] = {}
        for item in page.items():
            if not isinstance(item, TextLine):
                continue
            glyphs = item.line.glyphs
            faces = {g.face for g in glyphs}
            if len(faces) < 2:
                continue
            for k, g in enumerate(glyphs):
                if g.text.isspace() or not g.text or all(fonts.covers(f, g.text[:1]) for f in faces):
                    continue
                requested = _requested(glyphs, k, fonts)
                if requested is not None:
                    key = (item.story, item.role, g.face, requested)
                    groups.setdefault(key, {}).setdefault(g.text, g.embolden)
        for (story, role, face, requested), chars in groups.items():
            listed = ", ".join(f"{ch} (U+{ord(ch[:1]):04X})" for ch in chars)
            stroke = max(chars.values())
            bold = f", emboldened by a {stroke:.3f} em stroke to match its weight" if stroke else ""
            where = f"page {page.number}" + (f" / story {story!r}" if story else "") + f" / {role}"
            out.append(info("glyph-faces", where,
                            f"{listed} set from face {face!r} (weight {fonts.weight(face)}) in place of "
                            f"{requested!r} (weight {fonts.weight(requested)}), which lacks them{bold}"))
    return out
