"""PDF content-stream operators written as reportlab 5 writes them, without its per-call cost.

The renderer (render/pdf.py) draws every text line itself rather than through reportlab's
``PDFTextObject`` (whose ``textOut`` measured, split and escaped each glyph run in Python:
over half of a 16-page render). What it writes must be the bytes reportlab wrote —
tests/render/test_text_operators.py compares the two on lines with every kind of run — so
this module reproduces reportlab's number formatting (:func:`fp`) and its TrueType subset
encoding (:class:`SubsetEncoder`), and asks reportlab itself whenever a case is not the plain
one (a character seen for the first time, a new subset's resource name).

Units: numbers are PDF user-space values (pt); nothing here knows about pages.
"""

from __future__ import annotations

from math import log

__all__ = ["fp", "fp_str", "SubsetEncoder"]

_LOG_E_10 = log(10.0)
_FORMATS = ("%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f", "%.6f")
_MEMO: dict[float, str] = {}


def _format(value: float) -> str:
    """reportlab.lib.rl_accel._py_fp_str for one number (same arithmetic, same string):
    at most 6 significant decimals (fewer for large numbers), trailing zeros and a bare
    leading zero dropped ("0.5" → ".5"), |v| ≤ 1e-7 → "0"."""
    size = abs(value)
    if size <= 1e-7:
        return "0"
    places = 6 if size <= 1 else min(max(0, 6 - int(log(size) / _LOG_E_10)), 6)
    text = _FORMATS[places] % value
    if places:
        j = len(text)
        while j:
            j -= 1
            if text[j] != "0":
                if text[j] != ".":
                    j += 1
                break
        text = text[:j]
    return text if (text[0] != "0" or len(text) == 1) else text[1:]


def fp(value: float) -> str:
    """One number as reportlab's ``fp_str(value)`` writes it (memoised by value)."""
    text = _MEMO.get(value)
    if text is None:
        if len(_MEMO) > 200_000:  # a bound, not a policy: coordinates rarely repeat across issues
            _MEMO.clear()
        text = _MEMO[value] = _format(value)
    return text


def fp_str(*values: float) -> str:
    """Several numbers as reportlab's ``fp_str(*values)`` writes them (space-separated)."""
    return " ".join(map(fp, values))


def _escape_table() -> tuple[str, ...]:
    """reportlab's escapePDF for one byte: octal for controls and high bytes, a backslash
    before ( ) \\ — the same table as reportlab.lib.rl_accel._ESCAPEDICT."""
    table = []
    for c in range(256):
        if c < 32 or c >= 127:
            table.append("\\%03o" % c)
        elif c in (0x5C, 0x28, 0x29):
            table.append("\\" + chr(c))
        else:
            table.append(chr(c))
    return tuple(table)


_ESCAPE = _escape_table()


class SubsetEncoder:
    """A TrueType face's text as reportlab's ``TTFont.splitString`` encodes it for one
    document: (subset number, escaped string bytes) chunks.

    Subset codes are assigned by reportlab in order of first use (per document); this class
    never assigns one. A run whose characters all have a code is encoded from reportlab's
    own assignment table; any other run (a character drawn for the first time, U+00A0, a
    character the face lacks) is handed to ``font.splitString``, which assigns exactly as it
    would have when reportlab drew the run itself. Resource names (``/F3+1``) come from
    ``font.getSubsetInternalName`` the first time each subset is used, so fonts are numbered
    in the order reportlab would number them.
    """

    __slots__ = ("font", "doc", "_codes", "_names", "_assignments")

    def __init__(self, font, doc) -> None:
        self.font, self.doc = font, doc
        self._codes: dict[str, tuple[int, str]] = {}  # character → (subset, escaped byte)
        self._names: dict[int, str] = {}
        self._assignments = None

    def chunks(self, text: str) -> list[tuple[int, str]]:
        """``[(subset, escaped), …]`` for ``text``: what reportlab's ``_formatText`` writes
        as one ``(escaped) Tj`` per chunk, a font change before each new subset."""
        codes = self._codes
        try:
            pairs = [codes[ch] for ch in text]
        except KeyError:
            pairs = self._learn(text)
            if pairs is None:
                return [(subset, "".join(_ESCAPE[b] for b in data)) for subset, data in self.font.splitString(text, self.doc)]
        out: list[tuple[int, str]] = []
        current, parts = -1, []
        for subset, escaped in pairs:
            if subset != current:
                if parts:
                    out.append((current, "".join(parts)))
                current, parts = subset, []
            parts.append(escaped)
        if parts:
            out.append((current, "".join(parts)))
        return out

    def _learn(self, text: str) -> list[tuple[int, str]] | None:
        """The pairs of ``text`` from reportlab's assignments, remembered; None when one of
        its characters has no code yet (then reportlab must encode the run)."""
        assignments = self._assignments
        if assignments is None:
            state = self.font.state.get(self.doc)
            if state is None:
                return None
            assignments = self._assignments = state.assignments
        codes = self._codes
        pairs = []
        for ch in text:
            pair = codes.get(ch)
            if pair is None:
                n = assignments.get(ord(ch)) if ch != "\xa0" else None
                if n is None:
                    return None
                pair = codes[ch] = (n >> 8, _ESCAPE[n & 0xFF])
            pairs.append(pair)
        return pairs

    def name(self, subset: int) -> str:
        """The resource name of ``subset`` (``/F3+1``), from reportlab on first use."""
        name = self._names.get(subset)
        if name is None:
            name = self._names[subset] = self.font.getSubsetInternalName(subset, self.doc)
        return name
