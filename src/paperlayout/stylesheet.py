"""House style sheets (版式文件): a YAML file of overrides on the issue's preset.

An issue names its style sheet with ``issue.style`` (a path relative to the issue folder), so
the same issue file always gives the same pages; the command line never changes typography.
Lengths in the file are millimetres for the page (trim, margins, bleed) and points or 号
names for type; the grid is checked to fit the trim. Errors are located like the issue
file's (file:line field — what to do) and all of them are reported together.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from yaml.nodes import Node, ScalarNode, SequenceNode

import math

from .limits import DEFAULT as DEFAULT_LIMITS
from .limits import Limits, os_reason, read_regular
from .loader import LoadError, Problem, _compose, _decode, _Walker
from .styles import Styles
from .units import mm, size_pt, to_mm

#: Top-level keys → help. Row per key; the page keys are below.
STYLE_KEYS = {
    "page": "page geometry and grid (see PAGE_KEYS)",
    "punctuation": "quanjiao (全角式) | kaiming (开明式) | banjiao (半角式)",
    "prohibition": "line-break prohibitions 禁则: none | basic | strict",
    "han_latin_space": "em between Han and Latin/digits, 0 to 0.25",
    "masthead_rows": "grid rows of the page-1 nameplate band (报头)",
    "running_head_rows": "grid rows of the inner pages' running head (报眉)",
    "ink_limit": "total area coverage limit for photos, % (newsprint 220–260)",
    "photo_ppi": "target photo resolution at placed size, ppi",
}
PAGE_KEYS = {
    "trim": "[width, height] of the trimmed page, mm",
    "margin_top": "top margin to the type area, mm",
    "columns": "basic columns (基本栏)",
    "column_chars": "body characters per basic column",
    "gutter_chars": "characters between columns",
    "body_size": "body type size, pt or a 号 name (小五)",
    "line_pitch": "baseline-to-baseline distance, pt",
    "rows": "type-area height in grid rows",
    "bleed": "bleed beyond the trim, mm (≥ 3 for most plants)",
}
#: Baseline pitch at least this × the body size (a 15 % line gap, the least for CJK body text).
MIN_PITCH_RATIO = 1.15
#: Body type sizes accepted, pt: 5 pt is below the smallest 号 in use (八号, 5 pt); 16 pt
#: (三号) is a headline size, not a body size; outside this the grid arithmetic breaks.
BODY_SIZE = (5.0, 16.0)
#: Grid rows a page must keep for stories below its masthead (报头) or running head (报眉):
#: a head and a few lines of text; fewer leaves no page to plan.
MIN_STORY_ROWS = 20
CHOICES = {"punctuation": ("quanjiao", "kaiming", "banjiao"), "prohibition": ("none", "basic", "strict")}


class _StyleWalker(_Walker):
    """Reads one style sheet into overrides of a base Styles, collecting located problems."""

    def number(self, node: Node | None, path: str, low: float, high: float) -> float | None:
        if node is None:
            return None
        try:
            value = float(node.value) if isinstance(node, ScalarNode) and len(node.value) <= 40 else None
        except ValueError:
            value = None
        if value is not None and not math.isfinite(value):  # nan, .inf: never in range
            self.report(node, path, f"expected a number, got {node.value!r}")
            return None
        if value is None:
            self.report(node, path, f"expected a number, got {node.value if isinstance(node, ScalarNode) else 'a list or mapping'!r}")
        elif not low <= value <= high:
            self.report(node, path, f"{value:g} is out of range — it must be {low:g} to {high:g}")
            value = None
        return value

    def choice(self, node: Node | None, path: str, key: str) -> str | None:
        if node is None:
            return None
        value = self.text(node, path, copy=False)
        if value not in CHOICES[key]:
            self.report(node, path, f"unknown {key} {value!r} — one of: {', '.join(CHOICES[key])}")
            return None
        return value

    def size(self, node: Node | None, path: str) -> float | None:
        if node is None:
            return None
        try:
            value = size_pt(node.value if isinstance(node, ScalarNode) and len(node.value) <= 40 else "")
        except (ValueError, OverflowError) as exc:
            self.report(node, path, str(exc) or f"not a type size: {node.value!r}")
            return None
        if not (math.isfinite(value) and BODY_SIZE[0] <= value <= BODY_SIZE[1]):
            self.report(node, path, f"{node.value} is out of range — a body size is {BODY_SIZE[0]:g} to "
                        f"{BODY_SIZE[1]:g} pt (or a 号 name such as 小五)")
            return None
        return value

    def styles(self, root: Node | None, base: Styles) -> Styles:
        fields = self.mapping(root, "", tuple(STYLE_KEYS), label="style sheet") if root is not None else {}
        fields = fields or {}
        changes: dict = {}
        for key in ("punctuation", "prohibition"):
            value = self.choice(fields.get(key), key, key)
            if value:
                changes[key] = value
        for key, low, high in (("han_latin_space", 0.0, 0.25), ("ink_limit", 150.0, 400.0), ("photo_ppi", 100.0, 600.0)):
            value = self.number(fields.get(key), key, low, high)
            if value is not None:
                changes[key] = value
        for key in ("masthead_rows", "running_head_rows"):
            value = self.integer(fields.get(key), key, 0, 60)
            if value is not None:
                changes[key] = value
        page = base.page
        if "page" in fields:
            page = self.page(fields["page"], base) or page
        top = max(changes.get("masthead_rows", base.masthead_rows), changes.get("running_head_rows", base.running_head_rows))
        if page.rows - top < MIN_STORY_ROWS:
            where = fields.get("page") or fields.get("masthead_rows") or fields.get("running_head_rows") or root
            self.report(where, "page.rows", f"{page.rows} rows leave {max(0, page.rows - top)} rows for stories under the "
                        f"{top}-row masthead or running head; at least {MIN_STORY_ROWS} are needed — use more rows or a "
                        "shorter masthead")
        return replace(base, page=page, **changes)

    def page(self, node: Node, base: Styles):
        fields = self.mapping(node, "page", tuple(PAGE_KEYS), label="page")
        if fields is None:
            return None
        g = base.page
        changes: dict = {}
        if "trim" in fields:
            trim = fields["trim"]
            if isinstance(trim, SequenceNode) and len(trim.value) == 2:
                w = self.number(trim.value[0], "page.trim[0]", 100.0, 1200.0)
                h = self.number(trim.value[1], "page.trim[1]", 100.0, 1600.0)
                if w is not None and h is not None:
                    changes.update(trim_width=mm(w), trim_height=mm(h))
            else:
                self.report(trim, "page.trim", "expected [width, height] in mm, e.g. [390, 546]")
        for key, low, high in (("margin_top", 0.0, 200.0), ("bleed", 0.0, 20.0)):
            value = self.number(fields.get(key), f"page.{key}", low, high)
            if value is not None:
                changes[key] = mm(value)
        for key, low, high in (("columns", 1, 12), ("column_chars", 6, 40), ("gutter_chars", 1, 3), ("rows", 10, 200)):
            value = self.integer(fields.get(key), f"page.{key}", low, high)
            if value is not None:
                changes[key] = value
        size = self.size(fields.get("body_size"), "page.body_size")
        if size is not None:
            changes["body_size"] = size
        pitch = self.number(fields.get("line_pitch"), "page.line_pitch", 5.0, 40.0)
        if pitch is not None:
            changes["line_pitch"] = pitch
        page = replace(g, **changes)
        if page.line_pitch < MIN_PITCH_RATIO * page.body_size:
            key = "line_pitch" if "line_pitch" in fields else "body_size"
            self.report(fields.get(key, node), f"page.{key}", f"a {page.line_pitch:g} pt pitch under {page.body_size:g} pt type "
                        f"leaves lines touching: the pitch must be at least {MIN_PITCH_RATIO:g} × the body size "
                        f"({MIN_PITCH_RATIO * page.body_size:.1f} pt); set page.line_pitch")
        grid = ("columns", "column_chars", "gutter_chars", "body_size")
        if "trim" not in fields and any(k in fields for k in grid):
            # the preset's trim and margins were made for its type area: the new grid must fill it
            chars = page.columns * page.column_chars + (page.columns - 1) * page.gutter_chars
            if abs(page.type_width - g.type_width) > page.char + 1e-6:
                fit = int((g.type_width / page.char - (page.columns - 1) * page.gutter_chars) // page.columns)
                key = next(k for k in grid if k in fields)
                fitted = replace(page, column_chars=fit)
                if fit != page.column_chars and abs(fitted.type_width - g.type_width) <= page.char + 1e-6:
                    fix = f"set page.column_chars to {fit} (or change columns or body size)"
                else:  # no whole number of characters fills it: keep the margins with another trim
                    trim = to_mm(g.trim_width - g.type_width + page.type_width)
                    fix = (f"no whole number of characters a column fills it: give the page a trim of "
                           f"[{trim:.0f}, {to_mm(g.trim_height):.0f}] mm (page.trim), or change columns or body size")
                self.report(fields[key], f"page.{key}", f"the grid is {chars} characters wide ({page.columns} columns × "
                            f"{page.column_chars} + {page.columns - 1} gutters × {page.gutter_chars} at {page.body_size:g} pt "
                            f"= {to_mm(page.type_width):.1f} mm), but the page's type area is {to_mm(g.type_width):.1f} mm: "
                            f"{fix}, so that the grid fills the type area within a character")
        if page.margin_left < 0:
            self.report(node, "page", f"the type area ({to_mm(page.type_width):.1f} mm wide: {page.columns} columns × "
                        f"{page.column_chars} characters) is wider than the trim ({to_mm(page.trim_width):.1f} mm); "
                        "use fewer columns or characters, or a smaller body size")
        if page.margin_top + page.type_height > page.trim_height:
            self.report(node, "page", f"the type area ({page.rows} rows × {page.line_pitch:g} pt from "
                        f"{to_mm(page.margin_top):.1f} mm) runs past the foot of the trim ({to_mm(page.trim_height):.1f} mm); "
                        "use fewer rows")
        return page


def load_styles(path: Path, base: Styles, limits: Limits = DEFAULT_LIMITS) -> Styles:
    """The style sheet at `path` applied over `base` (the issue's preset). Raises LoadError.

    Only a regular file within ``limits.style_bytes`` is read."""
    path = Path(path)
    try:
        raw = read_regular(path, limits.style_bytes, "style sheet")
    except (OSError, ValueError) as exc:
        raise LoadError([Problem(path.as_posix(), 0, "", f"cannot read the style sheet: {os_reason(exc)}")]) from None
    text = _decode(raw, path).removeprefix("\ufeff")
    root = _compose(text, path, limits)
    walker = _StyleWalker(text, path)
    styles = walker.styles(root, base)
    if walker.problems:
        raise LoadError(sorted(walker.problems, key=lambda problem: problem.line))
    return replace(styles, name=f"{base.name}+{path.stem}")
