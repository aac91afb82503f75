"""Reading PDF content streams fast (内容流读取): a tokenizer for the syntax reportlab writes.

``pikepdf.parse_content_stream`` builds a Python object for every operand of every operator —
on a 16-page broadsheet issue about a million objects, most of the time ``verify`` and
``preflight`` spend reading. The streams paperlayout writes use a small, regular subset of
the content-stream syntax (PDF 32000-1 §7.8.2): numbers, names, literal strings with
backslash escapes, hex strings, arrays (``TJ``, dash patterns) and operators — no
dictionaries, inline images, comments or nested parentheses. :func:`instructions` cuts such
a stream into instructions with one compiled regular expression (possessive, so it never
backtracks; the lengths of what it matched must add up to the stream, else something was
outside the subset), decodes the lone string of each ``Tj`` directly and converts every
distinct operand text once (a page repeats ``10.8 TL`` thousands of times). On the generated
16-page issue that is about 0.25 s of CPU against pikepdf's 0.9 s (parsing, then turning its
operands into Python numbers).

:func:`own_items` reads the same subset for verify's interpreter with one more item: a
text-showing run as reportlab writes one per shown string — ``[a b c d e f Tm] [/F2+1 9 Tf
10.8 TL] (string) Tj``, the four commonest instructions of our pages (reportlab's TrueType
subsets switch fonts every few glyphs) — as one match, so the interpreter handles a run in one
step; :func:`expanded` turns its items back into instructions (tests compare them with
pikepdf's reading). Strings are decoded with ``codecs.escape_decode`` alone when no escape of
the stream means anything else to it than to PDF (``\\(`` and ``\\)`` are rewritten first).

A stream that is not wholly in the subset — any third-party file may use the rest of the
syntax — is handed to pikepdf as before, so every file reads exactly as it did; the fast
path is an optimisation with the same result, never a different reading. Tests compare the
two on our output and on hand-written streams with every escape.

Operands come as: float for numbers (pikepdf gives int or Decimal; every reader here
converts with ``float``/``int``), ``pikepdf.Name`` for names (interned per name), bytes for
strings (escapes resolved, end-of-line in a literal string read as LF as §7.3.4.2 says), and
lists for arrays. An instruction is ``(operands, operator)``, operator a str.
"""

from __future__ import annotations

import codecs
from codecs import escape_decode
import gc
import re
from contextlib import contextmanager
from operator import itemgetter

import pikepdf
from pikepdf import Array, Name

__all__ = ["content_bytes", "instructions", "own_items", "expanded", "string_operand", "parse_operands",
           "collector_paused"]


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a PDF is read back. Reading allocates
    some 10⁵ small objects a page (glyphs, operands); each allocation burst triggers
    collections that walk every live object — and a build holds millions (frames, fonts) —
    so on a 16-page issue collection took half the reading time. What reading allocates
    has no reference cycles. At the end the young objects (what reading kept: some 10⁵
    tuples) are moved to the oldest generation unvisited (``gc.freeze`` then
    ``gc.unfreeze``) — the first young collection would otherwise walk them all once, a
    tenth of the reading — and the collector runs again as before; garbage among them is
    still found by the next full collection. If objects were frozen before (a build freezes
    its laid-out issue), they stay frozen, and so does what reading kept."""
    was = gc.isenabled()
    frozen = gc.get_freeze_count()  # a build freezes its laid-out issue (cli._keep_for_good)
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            if not frozen:  # never thaw what someone else froze
                gc.unfreeze()
            gc.enable()

_WS = rb"[\x00\t\n\x0c\r ]"
#: A number or operator token ends where a delimiter or white space begins (§7.2.3): "1.5e0"
#: or "Tj.x" are single tokens to a PDF reader — outside the subset, so pikepdf reads them.
_END = rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)" + _END
_NAME = rb"/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*"
_STRING = rb"\((?:[^\\()]++|\\.)*+\)"
_HEX = rb"<[0-9A-Fa-f\x00\t\n\x0c\r ]*>"
_OPERAND = rb"(?:" + _NUMBER + rb"|" + _NAME + rb"|" + _STRING + rb"|" + _HEX + rb"|\[|\])"
_OPERATOR = rb"[A-Za-z'\"][A-Za-z0-9*'\"]*+" + _END
#: One instruction: all of it (group 1: findall skips what it cannot read, so the lengths
#: must add up to the stream's), a lone string operand (group 2, the Tj case, with its
#: parentheses) or else the operand text (group 3), and its operator (group 4).
_INSTRUCTION = re.compile(rb"(" + _WS + rb"*+(?:(" + _STRING + rb")" + _WS + rb"*+|((?:" + _OPERAND + _WS
                          + rb"*+)*+))(" + _OPERATOR + rb"))", re.S)
#: A text-showing run as reportlab writes one, read as one item (the commonest four
#: instructions of our pages): an optional ``a b c d e f Tm`` (group 1: the text "a b c d",
#: groups 2, 3: e and f), an optional ``/F2+1 9 Tf 10.8 TL`` (group 4: its text up to the
#: leading, "/F2+1 9 Tf 10.8": white space separates each token there, as a name, a number
#: and an operator cannot touch), then ``(string) Tj`` (group 5, with its parentheses).
_SHOW = (rb"(?:(" + _NUMBER + _WS + rb"*+" + _NUMBER + _WS + rb"*+" + _NUMBER + _WS + rb"*+" + _NUMBER + rb")"
         + _WS + rb"*+(" + _NUMBER + rb")" + _WS + rb"*+(" + _NUMBER + rb")" + _WS + rb"*+Tm" + _END + _WS + rb"*+)?"
         + rb"(?:(" + _NAME + _WS + rb"*+" + _NUMBER + _WS + rb"*+Tf" + _END + _WS + rb"*+"
         + _NUMBER + rb")" + _WS + rb"*+TL" + _END + _WS + rb"*+)?"
         + rb"(" + _STRING + rb")" + _WS + rb"*+Tj" + _END)
#: An item of :func:`own_items`: all of it (group 1), a text-showing run (groups 2–6, see
#: ``_SHOW``) or else one instruction (groups 7–9 as groups 2–4 of ``_INSTRUCTION``).
_ITEM = re.compile(rb"(" + _WS + rb"*+(?:" + _SHOW + rb"|(?:(" + _STRING + rb")" + _WS + rb"*+|((?:" + _OPERAND
                   + _WS + rb"*+)*+))(" + _OPERATOR + rb")))", re.S)
#: One operand token inside operand text.
_TOKEN = re.compile(rb"(" + _NUMBER + rb")|(" + _NAME + rb")|" + rb"(" + _STRING + rb")|(" + _HEX + rb")|(\[)|(\])", re.S)
#: Operators the subset does not cover (keywords read as operators, inline images).
_NOT_OPERATORS = frozenset({"true", "false", "null", "BI", "ID", "EI", "R", "obj", "endobj", "stream"})
_SLOW_ESCAPE = re.compile(rb"\\(?:[^0-7nrtbf\\\n]|[4-7][0-7][0-7])")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.S)
_SIMPLE_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")",
                   b"\\": b"\\", b"\n": b"", b"\r": b"", b"\r\n": b""}
_NAMES: dict[bytes, Name] = {}
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def content_bytes(content) -> bytes:
    """The decoded bytes of a page's content (its streams joined by a newline, as qpdf
    joins them) or of a form XObject. Raises pikepdf.PdfError if a stream cannot be read."""
    if isinstance(content, pikepdf.Page):
        content = content.obj
    if isinstance(content, pikepdf.Stream):
        return content.read_bytes()
    contents = content.get(Name.Contents)
    if contents is None:
        return b""
    if isinstance(contents, Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return contents.read_bytes()


def _string(raw: bytes) -> bytes:
    """A literal string's bytes (the text between the parentheses) with escapes resolved."""
    if b"\r" in raw:
        raw = re.sub(rb"(?<!\\)\r\n?", b"\n", raw)  # end-of-line inside a string reads as LF
    if b"\\" not in raw:
        return raw
    if _SLOW_ESCAPE.search(raw) is None:  # octal, \n \r \t \b \f \\ and line ends mean the same in Python
        return codecs.escape_decode(raw)[0]

    def one(m: re.Match) -> bytes:
        e = m.group(1)
        if e[:1].isdigit():
            return bytes((int(e, 8) & 0xFF,))
        return _SIMPLE_ESCAPES.get(e, e)  # an unknown escape: the backslash is dropped

    return _ESCAPE.sub(one, raw)


def _hex(raw: bytes) -> bytes:
    digits = re.sub(rb"[\x00\t\n\x0c\r ]", b"", raw)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _name(raw: bytes) -> Name:
    name = _NAMES.get(raw)
    if name is None:
        text = _NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), raw) if b"#" in raw else raw
        name = _NAMES[raw] = Name(text.decode("latin-1"))
    return name


def parse_operands(text: bytes) -> list:
    """The operands in ``text`` (the part of an instruction before its operator)."""
    out: list = []
    stack: list[list] = []
    for number, name, string, hexa, open_, close in _TOKEN.findall(text):
        if number:
            out.append(float(number))
        elif name:
            out.append(_name(name))
        elif string:
            out.append(_string(string[1:-1]))
        elif hexa:
            out.append(_hex(hexa[1:-1]))
        elif open_:
            stack.append(out)
            out = []
        elif stack:
            inner, out = out, stack.pop()
            out.append(inner)
        else:
            raise ValueError("unbalanced ] in operands")
    if stack:
        raise ValueError("unclosed [ in operands")
    return out


def fast_instructions(data: bytes) -> list[tuple[bytes, bytes, bytes, bytes]] | None:
    """``(whole, lone string, operand text, operator)`` per instruction, all bytes, or None
    when the stream uses syntax beyond the subset (the caller then reads it with pikepdf)."""
    found = _INSTRUCTION.findall(data)
    if sum(map(len, map(itemgetter(0), found))) != len(data.rstrip(b"\x00\t\n\x0c\r ")):
        return None
    return found


_PLAIN = re.compile(rb"[0-9.+\-\x00\t\n\x0c\r ]*")  # operand text of numbers only
_ONE_STRING = re.compile(rb"\(((?:[^\\()]|\\.)*)\)" + _WS + rb"*", re.S)


def _operands_of(text: bytes) -> list:
    """The operands of one instruction: numbers (the usual case) and a lone literal string
    (``Tj``) without the general token reader."""
    if not text:
        return []
    if _PLAIN.fullmatch(text):
        return [float(v) for v in text.split()]
    if text[0] == 0x28:  # "(": a Tj's string
        m = _ONE_STRING.fullmatch(text)
        if m is not None:
            return [_string(m.group(1))]
    elif text[0] == 0x2F and text.count(b"/") == 1 and _PLAIN.fullmatch(text, text.find(b" ")):
        parts = text.split()  # "/F1 9" (Tf), "/gs0" (gs, Do, cs)
        return [_name(parts[0])] + [float(v) for v in parts[1:]]
    return parse_operands(text)


def own_items(content):
    """The content of a page or form for an interpreter that handles text-showing runs
    itself: ``(items, plain)`` with the ``_ITEM`` groups of each item, all bytes — a run
    ``(whole, tm, e, f, "font size Tf leading", string, "", "", "")`` (absent parts b"") or
    an instruction ``(whole, "", …, "", lone string, operand text, operator)`` — when the
    stream is in the subset (``plain``: no escape in it means anything else to
    ``codecs.escape_decode`` than to PDF, nor any CR, so its strings decode with that
    alone), else ``(pikepdf's instructions, False)``. Raises pikepdf.PdfError as
    ``parse_content_stream`` does for an unreadable stream."""
    try:
        data = content_bytes(content)
    except (pikepdf.PdfError, ValueError, TypeError, AttributeError):
        data = None
    if data is not None:
        found = _ITEM.findall(data)
        if sum(map(len, map(itemgetter(0), found))) == len(data.rstrip(b"\x00\t\n\x0c\r ")):
            operators = {op.decode("latin-1") for op in set(map(itemgetter(8), found))}
            if _NOT_OPERATORS.isdisjoint(operators):
                try:
                    for text in set(map(itemgetter(7), found)):
                        if b"[" in text or b"]" in text:
                            _operands_of(text)
                except ValueError:
                    pass
                else:
                    return found, b"\r" not in data and _plain(data)
    return list(pikepdf.parse_content_stream(content)), False


def _plain(data: bytes) -> bool:
    """Whether every escape in ``data`` means to ``escape_decode`` what it means to PDF,
    ``\\(`` and ``\\)`` apart (:func:`string_operand` rewrites those). Escaped backslashes
    are taken out first, pair by pair from the left as a reader reads them, so what follows
    a backslash after that is what it escapes."""
    rest = data.replace(b"\\\\", b"").replace(b"\\(", b"").replace(b"\\)", b"")
    return _SLOW_ESCAPE.search(rest) is None


def string_operand(raw: bytes, plain: bool) -> bytes:
    """A literal string token's bytes (``raw`` with its parentheses); ``plain`` as
    :func:`own_items` gives it. In a plain stream ``\\(`` and ``\\)`` are the only escapes
    ``escape_decode`` reads otherwise than PDF (it keeps their backslash); in a string of
    the subset each is an escaped parenthesis (an unescaped one cannot follow an escaped
    backslash there), so it is written as the octal escape that means the same first."""
    if not plain:
        return _string(raw[1:-1])
    if b"\\(" in raw or b"\\)" in raw:
        return escape_decode(raw[1:-1].replace(b"\\(", b"\\050").replace(b"\\)", b"\\051"))[0]
    return escape_decode(raw[1:-1])[0]


def operands_of(text: bytes) -> list:
    """The operands of one instruction's operand text (raises ValueError for unbalanced
    brackets, which :func:`own_items` rules out)."""
    return _operands_of(text)


def name_operand(raw: bytes) -> Name:
    """A name token (``/F2+1``) as pikepdf's Name, one object per name."""
    return _name(raw)


def expanded(items: list, plain: bool) -> list[tuple[list, str]]:
    """``own_items``' items as ``(operands, operator)`` one instruction each (a run as its
    Tm, Tf, TL and Tj), for a reader that wants them so."""
    out: list[tuple[list, str]] = []
    for _, tml, tme, tmf, tf, fstr, lone, text, op in items:
        if fstr:
            if tml:
                out.append(([float(v) for v in tml.split()] + [float(tme), float(tmf)], "Tm"))
            if tf:
                fname, fsize, _, flead = tf.split()
                out.append(([_name(fname), float(fsize)], "Tf"))
                out.append(([float(flead)], "TL"))
            out.append(([string_operand(fstr, plain)], "Tj"))
        else:
            out.append(([string_operand(lone, plain)] if lone else _operands_of(text), op.decode("latin-1")))
    return out


def instructions(content) -> list:
    """Every instruction of a page's or form's content as ``(operands, operator)`` — the
    fast reading when the stream is in the subset, else pikepdf's (whose instructions are
    returned as they come: ``ContentStreamInstruction`` or ``ContentStreamInlineImage``).
    Raises pikepdf.PdfError as ``parse_content_stream`` does for an unreadable stream.

    Equal operand texts share one operand list (a stream repeats ``10.8 TL``, ``/F1 9 Tf``
    and ``0 0 0 1 k`` thousands of times): readers must not change the lists they get."""
    try:
        data = content_bytes(content)
    except (pikepdf.PdfError, ValueError, TypeError, AttributeError):
        data = None
    found = fast_instructions(data) if data is not None else None
    if found is not None:
        operators = list(map(itemgetter(3), found))
        names = {op: op.decode("latin-1") for op in set(operators)}
        if _NOT_OPERATORS.isdisjoint(names.values()):
            try:
                return list(zip(_operand_lists(found, data), map(names.__getitem__, operators)))
            except ValueError:
                pass
    return list(pikepdf.parse_content_stream(content))


def _operand_lists(found, data: bytes) -> list[list]:
    """The operand list of each instruction ``fast_instructions`` found in ``data``: a lone
    string (most of them) decoded directly — with ``codecs.escape_decode`` alone when no
    escape in the stream means anything else in Python —, other operand texts once each."""
    strings = list(map(itemgetter(1), found))
    texts = list(map(itemgetter(2), found))
    known = {text: _operands_of(text) for text in set(texts)}
    plain = b"\r" not in data and _SLOW_ESCAPE.search(data) is None
    out = []
    append = out.append
    for string, text in zip(strings, texts):
        if not string:
            append(known[text])
        elif plain:
            append([escape_decode(string[1:-1])[0]])
        else:
            append([_string(string[1:-1])])
    return out
