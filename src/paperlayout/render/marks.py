"""Printer's marks: crop marks (裁切线) and registration targets (套准线), outside the bleed.

Coordinates are PDF points with the origin at the bottom-left of the MediaBox
(reportlab's). Marks are optional (many plants want exact-size pages): the renderer
calls :func:`draw_marks` only when asked, on a MediaBox enlarged by
:func:`mark_margin` on every side. Nothing here scales or moves page content —
reportlab's own ``cropMarks=`` option scales the page into the bleed, so we do not use it.

On a colour page all marks are stroked in the registration colour, a ``/Separation /All``
colour space (prints on every plate); on a mono page (黑白版, printed from the K plate
alone) in 100 % K only — registration ink there would put C, M and Y on the page and plate
automation would take it for a colour page. Lines are 0.25 pt. Geometry, for a trim box
and bleed b:

* crop marks — at each trim corner, two lines continuing the trim edges outwards,
  starting ``offset`` beyond the bleed edge (trim + b + offset) and ``length`` long;
* registration targets — centred on the middle of each side, in the same band as the
  crop marks: a circle of radius 0.3 × length and a cross of arm length/2.
"""

from __future__ import annotations

from dataclasses import dataclass

from paperlayout.units import EPS, mm

#: Gap between the bleed edge and the start of a mark, pt (2 mm).
DEFAULT_OFFSET = mm(2.0)
#: Length of a crop-mark line and size of a registration target, pt (5 mm).
DEFAULT_LENGTH = mm(5.0)
#: Stroke width of all marks, pt.
LINE_WIDTH = 0.25


@dataclass(frozen=True)
class Segment:
    """A straight mark line from (x0, y0) to (x1, y1), pt, MediaBox origin bottom-left."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Circle:
    """A stroked circle centred at (x, y) with radius r, pt."""

    x: float
    y: float
    r: float


def mark_margin(bleed: float, *, offset: float = DEFAULT_OFFSET, length: float = DEFAULT_LENGTH) -> float:
    """Distance from the trim edge to the outer end of the marks, pt.

    The MediaBox must extend at least this far beyond the TrimBox on every side.
    """
    return bleed + offset + length


def crop_marks(
    trim: tuple[float, float, float, float], bleed: float, *, offset: float = DEFAULT_OFFSET, length: float = DEFAULT_LENGTH
) -> tuple[Segment, ...]:
    """The eight crop-mark lines for trim = (x0, y0, x1, y1) pt, in drawing order."""
    x0, y0, x1, y1 = trim
    near = bleed + offset  # distance from the trim edge to the inner end of a mark
    far = near + length
    lines = []
    for x, dx in ((x0, -1.0), (x1, 1.0)):
        for y, dy in ((y0, -1.0), (y1, 1.0)):
            lines.append(Segment(x + dx * near, y, x + dx * far, y))  # continues the horizontal edge
            lines.append(Segment(x, y + dy * near, x, y + dy * far))  # continues the vertical edge
    return tuple(lines)


def registration_targets(
    trim: tuple[float, float, float, float], bleed: float, *, offset: float = DEFAULT_OFFSET, length: float = DEFAULT_LENGTH
) -> tuple[tuple[Circle, Segment, Segment], ...]:
    """One target (circle, horizontal bar, vertical bar) per side: bottom, top, left, right."""
    x0, y0, x1, y1 = trim
    centre = bleed + offset + length / 2.0
    arm, radius = length / 2.0, 0.3 * length
    mid_x, mid_y = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    centres = ((mid_x, y0 - centre), (mid_x, y1 + centre), (x0 - centre, mid_y), (x1 + centre, mid_y))
    return tuple(
        (Circle(x, y, radius), Segment(x - arm, y, x + arm, y), Segment(x, y - arm, x, y + arm)) for x, y in centres
    )


def registration_colour():
    """The registration colour: /Separation /All, alternate DeviceCMYK 100/100/100/100."""
    from reportlab.lib.colors import CMYKColorSep

    return CMYKColorSep(1, 1, 1, 1, spotName="All")


def draw_marks(
    canvas,
    trim: tuple[float, float, float, float],
    bleed: float,
    *,
    offset: float = DEFAULT_OFFSET,
    length: float = DEFAULT_LENGTH,
    mono: bool = False,
) -> None:
    """Draw crop marks and registration targets around ``trim`` on a reportlab canvas.

    trim: the TrimBox (x0, y0, x1, y1), pt, MediaBox origin bottom-left.
    bleed: bleed beyond the trim on every side, pt (0 for none); marks start outside it.
    offset: gap between the bleed edge and the marks, pt (≥ 0).
    length: crop-mark length and target size, pt (> 0).
    mono: the page prints from the K plate alone: marks in 100 % K, not registration.

    Raises ValueError if a mark would fall outside the page (the MediaBox is too small:
    it needs :func:`mark_margin` on each side) or the arguments are out of range.
    The graphics state is saved and restored around the marks.
    """
    x0, y0, x1, y1 = trim
    if not (x1 > x0 and y1 > y0):
        raise ValueError(f"trim box must have x1 > x0 and y1 > y0, got {trim}")
    if bleed < 0 or offset < 0 or length <= 0:
        raise ValueError(f"need bleed ≥ 0, offset ≥ 0, length > 0; got {bleed}, {offset}, {length}")
    margin = mark_margin(bleed, offset=offset, length=length)
    page = getattr(canvas, "_pagesize", None)
    if page is not None:
        width, height = page
        if x0 - margin < -EPS or y0 - margin < -EPS or x1 + margin > width + EPS or y1 + margin > height + EPS:
            raise ValueError(
                f"marks need {margin:.2f} pt beyond the trim box on every side; "
                f"page {width:.2f} × {height:.2f} pt, trim {trim}"
            )
    canvas.saveState()
    if mono:
        canvas.setStrokeColorCMYK(0, 0, 0, 1)
    else:
        canvas.setStrokeColor(registration_colour())
    canvas.setLineWidth(LINE_WIDTH)
    canvas.setLineCap(0)
    canvas.setDash()
    for s in crop_marks(trim, bleed, offset=offset, length=length):
        canvas.line(s.x0, s.y0, s.x1, s.y1)
    for circle, bar, post in registration_targets(trim, bleed, offset=offset, length=length):
        canvas.circle(circle.x, circle.y, circle.r, stroke=1, fill=0)
        canvas.line(bar.x0, bar.y0, bar.x1, bar.y1)
        canvas.line(post.x0, post.y0, post.x1, post.y1)
    canvas.restoreState()
