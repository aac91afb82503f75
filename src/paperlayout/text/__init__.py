"""Text composition (排版): Chinese paragraphs into justified lines of positioned glyphs.

Pure: no canvas, no reportlab. The public API:

    compose(runs, measure, style, fonts, where="") -> Composed
    count_lines(runs, measure, style, fonts, where="") -> (int, diagnostics)
    set_line(runs, style, fonts, tracking=0.0) -> Line
    measure_text(runs, style, fonts, tracking=0.0) -> float

Rules are tables in ``rules.py`` citing CLREQ and GB/T 15834; characters are classified
in ``classes.py``; Latin runs (hyphenation with pyphen, URLs, numbers kept whole) are
scanned in ``latin.py``. A hyphen added at a line end is a Glyph with no text
(``Glyph.hyphen``): the lines rejoin to the copy, but the printed PDF shows the "-".
"""

from .compose import compose, count_lines, measure_text, set_line
from .model import Composed, Glyph, Line, Run
from .style import ComposeStyle

__all__ = ["compose", "count_lines", "set_line", "measure_text", "Glyph", "Line", "Run", "ComposeStyle", "Composed"]
