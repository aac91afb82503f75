"""Hand-made faults in a written PDF, for the verifier's tests: edit a page's content stream
or a font's ToUnicode CMap with pikepdf and return the new bytes.

Text objects are found by where they draw: the renderer starts each glyph run with a text
matrix ``1 0 0 1 X Y Tm`` at the run's PDF origin, so a frame line (engine coordinates:
trim top-left, y down) is found from its first glyph's origin and the page's TrimBox.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Name, Operator


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_origin(data: bytes, page: int, x: float, y: float) -> tuple[float, float]:
    """Engine (x, y) on page (1-based) → PDF user space (origin bottom-left of the MediaBox)."""
    with _open(data) as pdf:
        trim = [float(v) for v in pdf.pages[page - 1].obj.TrimBox]
    return trim[0] + x, trim[3] - y


def edit_content(data: bytes, page: int, edit) -> bytes:
    """Apply ``edit(instructions) -> instructions`` to page ``page``'s content stream."""
    with _open(data) as pdf:
        p = pdf.pages[page - 1]
        instructions = list(pikepdf.parse_content_stream(p.obj))
        new = edit(instructions)
        p.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new))
        return _save(pdf)


def find_tm(instructions, x: float, y: float, tol: float = 0.01) -> int:
    """Index of the ``Tm`` that puts a run's origin at PDF (x, y)."""
    for k, ins in enumerate(instructions):
        if isinstance(ins, pikepdf.ContentStreamInstruction) and str(ins.operator) == "Tm":
            e, f = float(ins.operands[4]), float(ins.operands[5])
            if abs(e - x) < tol and abs(f - y) < tol:
                return k
    raise LookupError(f"no run starts at ({x:.3f}, {y:.3f})")


def first_show(instructions, x: float, y: float) -> int:
    """Index of the first text-showing operator of the run that starts at PDF (x, y)."""
    k = find_tm(instructions, x, y)
    return next(i for i in range(k + 1, len(instructions)) if str(instructions[i].operator) in ("Tj", "TJ"))


def line_span(instructions, start: tuple[float, float], following: tuple[float, float]) -> tuple[int, int]:
    """(first, last) instruction indices of a line's text objects: from the BT of the run at
    PDF ``start`` to the last ET before the text object of the run at ``following`` (the next
    line's first run), whether the renderer writes a line as one text object or several."""
    first, _ = text_object(instructions, find_tm(instructions, *start))
    next_bt, _ = text_object(instructions, find_tm(instructions, *following))
    last = max(i for i in range(first, next_bt) if str(instructions[i].operator) == "ET")
    return first, last


def text_object(instructions, k: int) -> tuple[int, int]:
    """(index of BT, index of ET) of the text object holding instruction k."""
    start = max(i for i in range(k + 1) if str(instructions[i].operator) == "BT")
    end = min(i for i in range(k, len(instructions)) if str(instructions[i].operator) == "ET")
    return start, end


def move_first_glyph(instructions, k: int, x: float, y: float, advance: float):
    """The run started by the Tm at ``k``: its first glyph drawn at PDF (x, y) instead, the
    rest where they were (the run's origin + ``advance``, pt)."""
    j = next(i for i in range(k + 1, len(instructions)) if str(instructions[i].operator) == "Tj")
    x0, y0 = float(instructions[k].operands[4]), float(instructions[k].operands[5])
    shown = bytes(instructions[j].operands[0])
    return (instructions[:k] + [tm(x, y)] + instructions[k + 1:j] +
            [op("Tj", pikepdf.String(shown[:1])), tm(x0 + advance, y0), op("Tj", pikepdf.String(shown[1:]))] +
            instructions[j + 1:])


def tm(x: float, y: float) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([1, 0, 0, 1, x, y], Operator("Tm"))


def op(operator: str, *operands) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(list(operands), Operator(operator))


def set_to_unicode(data: bytes, char: str, destination: str) -> bytes:
    """Rewrite, in every font's ToUnicode CMap, the entry whose destination is ``char``
    (as correct UTF-16 or as its bare code point in hex) to ``<destination>``. Raises
    LookupError if no font maps ``char``."""
    forms = {char.encode("utf-16-be").hex().upper(), f"{ord(char):04X}"}
    found = False
    with _open(data) as pdf:
        for page in pdf.pages:
            fonts = page.obj.Resources.get(Name.Font, {})
            for key in fonts.keys():
                stream = fonts[key].get(Name.ToUnicode)
                if stream is None:
                    continue
                text = bytes(stream.read_bytes()).decode("latin-1")

                def swap(match):
                    nonlocal found
                    if match.group(2).upper() in forms:
                        found = True
                        return f"<{match.group(1)}> <{destination}>"
                    return match.group(0)

                new = re.sub(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", swap, text)
                if new != text:
                    stream.write(new.encode("latin-1"))
        if not found:
            raise LookupError(f"no ToUnicode entry for {char!r}")
        return _save(pdf)
