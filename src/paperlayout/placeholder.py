"""Placeholder photos (图片占位框): a photo known from its caption whose image file is missing.

An archive regenerating a past issue often has the text and captions but not the photos
(issue 12). ``placeholder: true`` with an ``aspect`` (width/height: ``1.5`` or ``3:2``) stands
for such a photo: the loader gives it a marker path instead of a file, the planner places it
as a photo of that aspect, and the setter draws a neutral frame there — a light K tint, a thin
K rule round it and 图片 centred — with the caption below as for a real photo.

The rules about pixels (photo-ppi) and about cutting the image (photo-crop) do not apply to a
placeholder: it has neither pixels nor an image to cut. The planner's other rules do (size,
span, share of the module): the frame takes the size the real photo would. The frame items
are layout output (frames.py), so the renderer, the verifier and ALTO see what is drawn;
the ``Picture`` of a placeholder carries its marker path and is not drawn as an image.

Units: pt, origin at the trimmed page's top-left corner, y down (frames.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from .frames import BLACK, Cmyk, Rect, TextLine

#: A placeholder's ``Photo.path`` / ``Picture.path`` is ``<issue folder>/placeholder:<field>``
#: (field: ``pages[0].stories[1].photos[0]``) — never a file the loader accepted (those exist).
MARK = "placeholder:"
#: Width/height a placeholder may have: the planner's absolute placed aspect limits
#: (layout/story.ASPECT_RANGE — a panorama across the page to a portrait in one column).
ASPECT_LIMITS = (0.25, 5.0)
#: The height in pixels a placeholder is given for the planner (its width follows from the
#: aspect): so many that no placed size reaches the 150-ppi floor — a frame has no pixels to
#: run short of (at 1,600 pt tall it is still 4,500 ppi).
HEIGHT_PX = 100_000
LABEL = "图片"
#: The frame: tint 10 % K, rule 0.5 pt 100 % K, label 55 % K in the sans bold face; all K,
#: so mono and colour pages print it alike.
TINT = Cmyk(k=0.10)
RULE_WEIGHT = 0.5
LABEL_COLOR = Cmyk(k=0.55)
LABEL_FACE = "sans-bold"
#: Label size: a quarter of the frame's shorter side, between these (pt).
LABEL_SIZE = (9.0, 28.0)

_RATIO = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*[:/]\s*([0-9]+(?:\.[0-9]+)?)\s*$")
_NUMBER = re.compile(r"^\s*[0-9]+(?:\.[0-9]+)?\s*$")


def parse_aspect(text: str) -> float:
    """Width/height from ``1.5``, ``3:2`` or ``3/2``; ValueError saying what is accepted and
    the limits (ASPECT_LIMITS)."""
    ratio, number = _RATIO.match(text), _NUMBER.match(text)
    if ratio:
        w, h = float(ratio.group(1)), float(ratio.group(2))
        value = w / h if h else 0.0
    elif number:
        value = float(text)
    else:
        raise ValueError(f"aspect {text!r} is not a width/height — write it as 1.5 or 3:2")
    low, high = ASPECT_LIMITS
    if not low <= value <= high:
        raise ValueError(f"aspect {text.strip()} ({value:.3g}) is outside {low:g} to {high:g} — a photo is placed "
                         "from a panorama (5:1) to a portrait (1:4); check width and height")
    return value


def marker(folder: Path, field: str) -> Path:
    """The marker path of the placeholder at ``field`` of the issue in ``folder``."""
    return Path(folder) / f"{MARK}{field}"


def is_placeholder(path: str | Path) -> bool:
    """True for a placeholder's marker path (``Photo.path`` or ``Picture.path``)."""
    return Path(path).name.startswith(MARK)


def pixels(aspect: float) -> tuple[int, int]:
    """The (w, h) px a placeholder of ``aspect`` gives the planner (see HEIGHT_PX)."""
    return max(1, round(aspect * HEIGHT_PX)), HEIGHT_PX


def frame_items(ctx, x: float, y: float, w: float, h: float, story: str) -> list:
    """The drawn frame of a placeholder in the box top-left (x, y), w × h pt: the tinted,
    ruled rectangle, then 图片 centred in it (its ideographic em box centred: baseline
    0.38 em below the middle). ``ctx``: the LayoutContext (composes the label)."""
    size = min(LABEL_SIZE[1], max(LABEL_SIZE[0], min(w, h) / 4))
    line = ctx.line(LABEL, LABEL_FACE, size)
    box = Rect(x, y, w, h, fill=TINT, stroke=BLACK, weight=RULE_WEIGHT)
    label = TextLine(x + (w - line.width) / 2, y + h / 2 + 0.38 * size, line, color=LABEL_COLOR, story=story,
                     role="placeholder")
    return [box, label]
