"""Units: points (pt, 1/72 in) are the engine's only length unit.

Chinese type sizes (号) follow the common foundry table in shared/design/TYPOGRAPHY.md.
"""

from __future__ import annotations

PT_PER_INCH = 72.0
MM_PER_INCH = 25.4
PT_PER_MM = PT_PER_INCH / MM_PER_INCH

#: Tolerance for comparing lengths in points.
EPS = 1e-6

#: 号 (hao) sizes in points. Row: name → pt. Source: TYPOGRAPHY.md "Sizes in 号".
HAO_SIZES: dict[str, float] = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
    "六号": 7.5,
    "小六": 6.5,
    "七号": 5.5,
    "八号": 5.0,
}


def mm(value: float) -> float:
    """Millimetres → points."""
    return value * PT_PER_MM


def to_mm(points: float) -> float:
    """Points → millimetres."""
    return points / PT_PER_MM


def size_pt(value: float | int | str) -> float:
    """A type size given as points (9, "9pt") or as a 号 name ("小五") → points.

    Raises ValueError naming the accepted forms for anything else.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if text in HAO_SIZES:
        return HAO_SIZES[text]
    if text.endswith("号") and text[:-1] in HAO_SIZES:
        return HAO_SIZES[text[:-1]]
    number = text[:-2] if text.endswith("pt") else text
    try:
        return float(number)
    except ValueError:
        names = "、".join(HAO_SIZES)
        raise ValueError(f"unknown type size {value!r}: give points (9 or '9pt') or a 号 name ({names})") from None
