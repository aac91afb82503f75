"""A generated corpus of malformed and hostile inputs for the command line (issue 10).

Each :class:`Case` makes an issue folder (a small valid issue, then one mutation), runs
``python -m paperlayout …`` in a subprocess with a wall-clock timeout and an address-space
limit, and checks:

* no traceback on stdout or stderr, and no "internal error";
* the exact exit code;
* for exit 2 (and exit 1 where given), a located message: every string of ``located``
  appears (file:line, field path, option name; page, story and rule for exit 1);
* no hang past ``timeout`` s, no memory blow-up (the run has ``MEMORY`` bytes of address
  space; running out is reported as "out of memory", which counts as a blow-up);
* every input file and a pre-existing good PDF at the output path byte-identical afterwards
  (for a failing case), and no stray file left in the output folder.

Used by tests/fuzz/test_fuzz.py (the quick subset, marked ``quick``) and scripts/fuzz.py
(all cases, printing a table). Cases are produced by code from the classes of issue 10, so
adding a field to the format adds its cases.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import stat
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
MEMORY = 3 * 1024**3  # address space per run, bytes
GOOD_PDF = b"%PDF-1.3\n% a good PDF from yesterday's build: must survive every failed run\n%%EOF\n"

#: Copy enough for the lead to stand three columns wide beside its photo (editor's rule
#: lead-span, issue 9), each column holding 4 lines of text (column-lines), even when a case
#: replaces one of its two paragraphs.
COPY = "各级干部走进田间地头，了解群众所思所盼。" * 16
#: The base issue: valid and plannable within the editor's rules. One tabloid page cannot be
#: filled by this little copy, so the page says `allow_holes: true` (its last line, so that no
#: field's line number moves): the cases are about hostile input, not about filling pages.
BASE = """\
paper:
  name: 测试报
  publisher: 测试报社
  cn: CN 15-0001
issue:
  date: 2023-03-17
  number: 21
  running_number: 3021
  preset: tabloid
  edition: 第一版
pages:
  - number: 1
    section: 要闻
    editor: 张三
    stories:
      - id: lead
        kicker: 引题在这里
        head: 干部下基层聚力促振兴
        subhead: 副题在这里
        byline: 本报记者 李四
        dateline: 本报讯
        body:
          - 达拉特旗着力践行以人民为中心的发展思想，走好新时代党的群众路线。{copy}
          - crosshead: 走到基层
          - 近万名党员干部行走沃野深入基层，倾听百姓心声、助民纾困解难。{copy}
        photos:
          - file: photos/a.jpg
            caption: 干部走访农户
            credit: 王五 摄
      - id: notes
        kind: briefs
        head: 简讯
        items:
          - 旗里召开会议。
          - 旗里举办活动。
    allow_holes: true
""".replace("{copy}", COPY)
# 1-based lines of BASE, for located messages
LINE = {text.split(":")[0].strip(" -"): n for n, text in enumerate(BASE.splitlines(), 1) if ":" in text}
FIELD_LINES = {
    "paper.name": 2, "paper.publisher": 3, "paper.cn": 4, "issue.date": 6, "issue.number": 7,
    "issue.running_number": 8, "issue.preset": 9, "issue.edition": 10, "pages[0].section": 13,
    "pages[0].editor": 14, "pages[0].stories[0].kicker": 17, "pages[0].stories[0].head": 18,
    "pages[0].stories[0].subhead": 19, "pages[0].stories[0].byline": 20, "pages[0].stories[0].dateline": 21,
    "pages[0].stories[0].body[0]": 23, "pages[0].stories[0].body[1].crosshead": 24,
    "pages[0].stories[0].body[2]": 25, "pages[0].stories[0].photos[0].file": 27,
    "pages[0].stories[0].photos[0].caption": 28, "pages[0].stories[0].photos[0].credit": 29,
    "pages[0].stories[1].head": 32, "pages[0].stories[1].items[0]": 34,
}


def jpeg(size=(640, 480), colour=(120, 90, 60), icc: bytes | None = None) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    extra = {"icc_profile": icc} if icc is not None else {}
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80, **extra)
    return out.getvalue()


def png(size=(640, 480), icc: bytes | None = None) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    extra = {"icc_profile": icc} if icc is not None else {}
    Image.new("RGB", size, (40, 90, 160)).save(out, "PNG", **extra)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height, with a tiny (wrong) body: a bomb's header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def png_bomb(width: int, height: int) -> bytes:
    """A real PNG of width × height black pixels, deflated (small file, huge decode)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    row = b"\0" + b"\0" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A JPEG whose SOF0 claims width × height (the rest of a small JPEG kept)."""
    data = bytearray(jpeg((16, 16)))
    i = data.index(b"\xff\xc0")
    data[i + 5 : i + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def shipped_profile() -> bytes:
    return (SRC / "paperlayout" / "data" / "icc" / "paperlayout-newsprint-tr002.icc").read_bytes()


def patched_profile(space: bytes = b"CMYK", version: int | None = None, cut: int | None = None) -> bytes:
    data = bytearray(shipped_profile())
    data[16:20] = space
    if version is not None:
        data[8] = version
    return bytes(data[:cut] if cut else data)


@dataclass
class Case:
    """One hostile run. ``args`` may use {issue} {out} {dir} {report}; ``setup`` mutates the
    work folder (``dir``, holding ``issue/`` with the base issue and ``out/``)."""

    name: str
    kind: str
    args: list[str]
    expect: int
    setup: Callable[[Path], None] | None = None
    located: tuple[str, ...] = ()
    quick: bool = False
    timeout: float = 60.0
    interrupt_after: float | None = None
    good_pdf: bool = True
    root_only: bool = False  # meaningful only when run as root (device nodes)


@dataclass
class Outcome:
    case: Case
    code: int | None
    seconds: float
    problems: list[str] = field(default_factory=list)
    output: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


# --- helpers making the issue ---------------------------------------------------------------


def write_issue(folder: Path, text: str = BASE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    (folder / "photos").mkdir(exist_ok=True)
    (folder / "photos" / "a.jpg").write_bytes(jpeg())


def replace_line(text: str, number: int, value: str) -> str:
    """BASE with the value of 1-based line ``number`` replaced (key and indentation kept)."""
    lines = text.splitlines()
    line = lines[number - 1]
    key, _, _ = line.partition(":")
    lines[number - 1] = f"{key}: {value}" if not key.strip().startswith("- ") or ":" in line else f"{key}{value}"
    return "\n".join(lines) + "\n"


def replace_item(text: str, number: int, value: str) -> str:
    """Replace a list item line ('- text') with '- value'."""
    lines = text.splitlines()
    indent = lines[number - 1][: len(lines[number - 1]) - len(lines[number - 1].lstrip())]
    lines[number - 1] = f"{indent}- {value}"
    return "\n".join(lines) + "\n"


def with_text(text: str) -> Callable[[Path], None]:
    def setup(work: Path) -> None:
        (work / "issue" / "issue.yaml").write_text(text, encoding="utf-8")
    return setup


def with_bytes(data: bytes) -> Callable[[Path], None]:
    def setup(work: Path) -> None:
        (work / "issue" / "issue.yaml").write_bytes(data)
    return setup


def field_value(path: str, value: str) -> str:
    """BASE with the field ``path`` (a key of FIELD_LINES) set to the YAML ``value``."""
    line = FIELD_LINES[path]
    if path.endswith("]"):
        return replace_item(BASE, line, value)
    return replace_line(BASE, line, value)


def build(*extra: str) -> list[str]:
    return ["build", "{issue}", "-o", "{out}", "--no-preflight", *extra]


def yaml_located(line: int | None = None, field_path: str = "") -> tuple[str, ...]:
    where = f"issue.yaml:{line}" if line else "issue.yaml"
    return (where, field_path) if field_path else (where,)


# --- the classes ----------------------------------------------------------------------------


def yaml_syntax() -> list[Case]:
    out = []
    broken = {
        "tab-indent": BASE.replace("  name: 测试报", "\tname: 测试报"),
        "unclosed-quote": replace_line(BASE, 18, '"干部下基层'),
        "unclosed-flow": replace_line(BASE, 18, "[干部, 下基层"),
        "colon-in-text": replace_item(BASE, 23, "达拉特旗: 着力践行"),
        "two-documents": BASE + "---\nmore: 1\n",
        "bad-indent": BASE.replace("    section: 要闻", "      section: 要闻"),
        "undefined-alias": replace_line(BASE, 18, "*nothing"),
        "duplicate-anchor": BASE.replace("head: 干部下基层聚力促振兴", "head: &a 干部").replace("subhead: 副题在这里", "subhead: &a 副题"),
        "control-char": BASE.replace("干部走访农户", "干部\x07走访"),
        "not-utf8": None,
        "bom-and-crlf": "\ufeff" + BASE.replace("\n", "\r\n"),
        "empty": "",
        "only-comment": "# nothing here\n",
        "scalar-root": "just some text\n",
        "list-root": "- a\n- b\n",
        "null-bytes": BASE.replace("简讯", "简\x00讯"),
        "directive": "%YAML 1.1\n%TAG ! tag:x,2000:\n---\n" + BASE,
        "tag-python": replace_line(BASE, 18, "!!python/object:os.system ls"),
        "tag-binary": replace_line(BASE, 18, "!!binary aGVsbG8="),
        "tag-set": replace_line(BASE, 18, "!!set {a, b}"),
        "merge-key": BASE.replace("      - id: notes\n", "      - <<: {kind: briefs}\n        id: notes\n"),
        "complex-key": BASE.replace("  cn: CN 15-0001", "  ? [a, b]\n  : x"),
        "very-long-line-garbage": "a: " + "{" * 1000 + "\n",
        "unicode-line-separator": BASE.replace("干部走访农户", "干部\u2028走访"),
    }
    expect0 = {"bom-and-crlf", "directive"}
    for name, text in broken.items():
        if name == "not-utf8":
            setup = with_bytes(BASE.encode("utf-8").replace("测试报社".encode(), "测试报社".encode("gb18030")))
        else:
            setup = with_text(text)
        code = 0 if name in expect0 else 2
        out.append(Case(f"yaml/{name}", "yaml syntax", build(), code, setup,
                        located=() if code == 0 else ("issue.yaml",),
                        quick=name in ("tab-indent", "not-utf8", "tag-python")))
    return out


WRONG_TYPES = {
    "list": "[a, b]",
    "mapping": "{a: 1}",
    "null": "~",
    "empty-quoted": '""',
    "number": "12345",
    "bool": "yes",
    "nested-list": "[[[]]]",
}


def schema() -> list[Case]:
    out = []
    text_fields = [f for f in FIELD_LINES if f not in ("issue.date", "issue.number", "issue.running_number",
                                                       "issue.preset", "pages[0].stories[0].photos[0].file")]
    for path in text_fields:
        for kind, value in WRONG_TYPES.items():
            code = 2
            optional = not any(path.endswith(k) for k in ("paper.name", ".head", "section", "body[0]", "body[2]",
                                                          "crosshead", "items[0]"))
            if kind in ("number", "bool"):
                code = 0  # a scalar is text: '12345' is a fine head
            if kind in ("null", "empty-quoted") and optional:
                code = 0
            out.append(Case(f"schema/{path}={kind}", "schema types", build(), code,
                            with_text(field_value(path, value)),
                            located=() if code == 0 else yaml_located(FIELD_LINES[path], path.split(".")[0].split("[")[0]),
                            quick=kind == "list" and path in ("paper.name", "pages[0].stories[0].head")))
    # unknown and misspelled keys, missing required ones
    for key, line in (("paper", 2), ("issue", 6), ("pages[0]", 13), ("pages[0].stories[0]", 17)):
        indent = " " * (len(BASE.splitlines()[line - 1]) - len(BASE.splitlines()[line - 1].lstrip()))
        lines = BASE.splitlines()
        for bogus in ("nmae", "colour_mode", "x" * 200):
            text = "\n".join(lines[: line - 1] + [f"{indent}{bogus}: 1"] + lines[line - 1 :]) + "\n"
            out.append(Case(f"schema/unknown-key {key}.{bogus[:12]}", "schema keys", build(), 2, with_text(text),
                            located=(f"issue.yaml:{line}", "unknown key"), quick=bogus == "nmae" and key == "paper"))
    for path in ("paper.name", "pages[0].section", "pages[0].stories[0].head", "issue.date", "issue.number"):
        line = FIELD_LINES[path]
        text = "\n".join(l for n, l in enumerate(BASE.splitlines(), 1) if n != line) + "\n"
        out.append(Case(f"schema/missing {path}", "schema keys", build(), 2, with_text(text),
                        located=("issue.yaml:", f"missing required field '{path.split('.')[-1]}'")))
    dup = BASE.replace("  name: 测试报\n", "  name: 测试报\n  name: 别的报\n")
    out.append(Case("schema/duplicate-key", "schema keys", build(), 2, with_text(dup), located=("issue.yaml:3", "duplicate key")))
    dup_id = BASE.replace("id: notes", "id: lead")
    out.append(Case("schema/duplicate-id", "schema keys", build(), 2, with_text(dup_id), located=("issue.yaml:30", "duplicate story id")))
    for bad_id in ("a b", "中文", "a/b", "../x"):
        out.append(Case(f"schema/bad-id {bad_id}", "schema keys", build(), 2,
                        with_text(BASE.replace("id: notes", f"id: '{bad_id}'")), located=("issue.yaml:30", "story id")))
    for kind in ("artcle", "video", "[1]"):
        out.append(Case(f"schema/bad-kind {kind}", "schema keys", build(), 2,
                        with_text(BASE.replace("kind: briefs", f"kind: {kind}")), located=("issue.yaml:31",)))
    for preset in ("broadshet", "A4", "[1]"):
        out.append(Case(f"schema/bad-preset {preset}", "schema keys", build(), 2,
                        with_text(field_value("issue.preset", preset)), located=("issue.yaml:9", "issue.preset")))
    return out


def numbers() -> list[Case]:
    out = []
    values = {
        "octal-looking 021": ("021", 0),
        "sexagesimal 1:10": ("1:10", 2),
        "hex 0x1F": ("0x1F", 2),
        "underscore 1_000": ("1_000", 2),
        "binary 0b101": ("0b101", 2),
        "float 1.5": ("1.5", 2),
        "negative -3": ("-3", 2),
        "zero": ("0", 2),
        "plus +7": ("+7", 0),
        "!!int abc": ("!!int abc", 2),
        "!!int empty": ("!!int ''", 2),
        "!!float nan": ("!!float .nan", 2),
        "4301 digits": ("9" * 4301, 2),
        "100000 digits": ("1" * 100000, 2),
        "10 digits": ("1234567890", 2),
        "quoted '21'": ("'21'", 2),
        "inf": (".inf", 2),
    }
    for name, (value, code) in values.items():
        for path in ("issue.number", "issue.running_number"):
            if path == "issue.running_number" and name in ("zero", "negative -3"):
                pass
            out.append(Case(f"numbers/{path}={name}", "numbers", build(), code, with_text(field_value(path, value)),
                            located=() if code == 0 else (f"issue.yaml:{FIELD_LINES[path]}", path),
                            quick=name in ("!!int abc", "4301 digits") and path == "issue.number"))
    for name, value in {"!!bool maybe": "!!bool maybe", "!!bool 3": "!!bool 3", "text": "perhaps"}.items():
        text = BASE.replace("    editor: 张三\n", f"    editor: 张三\n    colour: {value}\n")
        out.append(Case(f"numbers/colour={name}", "numbers", build(), 2, with_text(text), located=("issue.yaml:15", "colour"),
                        quick=False))
    return out


def dates() -> list[Case]:
    out = []
    values = {
        "1899-12-31": 2, "1900-01-30": 2, "1900-01-31": 0, "2099-12-31": 0, "2100-01-01": 2, "0001-01-01": 2,
        "9999-12-31": 2, "2023-02-30": 2, "2023-13-01": 2, "yesterday": 2, "[2023, 3, 17]": 2,
        "!!timestamp 2023-03-17": 0, "'2023-03-17'": 0, "2023-03-17T10:00:00": 2, "~": 2,
    }
    for value, code in values.items():
        out.append(Case(f"dates/{value}", "dates", build(), code, with_text(field_value("issue.date", value)),
                        located=() if code == 0 else ("issue.yaml:6", "issue.date"),
                        quick=value in ("1899-12-31", "2100-01-01")))
    return out


def limits() -> list[Case]:
    out = []
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    out.append(Case("limits/billion-laughs", "limits", build(), 2, with_text(laughs), located=("issue.yaml:", "yaml_nodes"), quick=True))
    story = ("      - &s\n        id: s\n        head: 标题\n        body:\n          - " + "正文内容。" * 200 + "\n")
    aliased = BASE.replace("      - id: lead\n", story + "".join("      - *s\n" for _ in range(5000)) + "      - id: lead\n")
    out.append(Case("limits/story-aliased-5000", "limits", build(), 2, with_text(aliased), located=("issue.yaml:",), quick=True))
    big_text_alias = "x: &x " + "字" * 9000 + "\ny: [" + ", ".join(["*x"] * 2000) + "]\n"
    out.append(Case("limits/chars-by-alias", "limits", build(), 2, with_text(big_text_alias), located=("issue.yaml:", "issue_chars")))
    cyclic = BASE.replace("      - id: notes\n", "      - &c\n        id: notes\n        items: [*c]\n        x: 1\n")
    out.append(Case("limits/alias-cycle", "limits", build(), 2, with_text(cyclic), located=("issue.yaml:",)))
    for depth in (40, 500, 5000):
        nested = "paper: " + "[" * depth + "]" * depth + "\n"
        out.append(Case(f"limits/nest-flow-{depth}", "limits", build(), 2, with_text(nested), located=("issue.yaml:1", "yaml_depth"),
                        quick=depth == 500))
        block = "paper:\n" + "".join("  " * (i + 1) + "- \n" if False else "  " * (i + 1) + "k:\n" for i in range(depth)) + "  " * (depth + 1) + "v\n"
        out.append(Case(f"limits/nest-block-{depth}", "limits", ["check", "{issue}"], 2, with_text(block),
                        located=("issue.yaml", "yaml_depth" if depth < 1000 else "limit"), quick=depth == 500))
    keys = "paper:\n" + "".join(f"  k{i}: 1\n" for i in range(300_000))
    out.append(Case("limits/300k-unknown-keys", "limits", build(), 2, with_text(keys), located=("issue.yaml:", "yaml_nodes"), timeout=90))
    out.append(Case("limits/5MB-file", "limits", build(), 2, with_text(BASE + "#" + "x" * (5 * 1024**2) + "\n"),
                    located=("issue.yaml", "limit")))
    out.append(Case("limits/1MB-head", "limits", build(), 2, with_text(field_value("pages[0].stories[0].head", "长" * 350_000)),
                    located=("issue.yaml:18", "text_chars"), quick=True))
    out.append(Case("limits/long-paragraph", "limits", build(), 2,
                    with_text(field_value("pages[0].stories[0].body[0]", "很长的段落。" * 3000)), located=("issue.yaml:23", "text_chars")))
    out.append(Case("limits/17M-paragraph", "limits", build(), 2,
                    with_text(field_value("pages[0].stories[0].body[0]", "字" * 17_000_000)), located=("issue.yaml", "limit")))
    pages = "".join(f"  - number: {n}\n    section: 版\n    stories:\n      - id: b{n}\n        kind: banner\n        text: 横幅\n"
                    for n in range(2, 502))
    out.append(Case("limits/500-pages", "limits", build(), 2, with_text(BASE + pages), located=("issue.yaml:12", "pages"), quick=True))
    stories = "".join(f"      - id: s{n}\n        head: 标题\n        body: [正文。]\n" for n in range(1000))
    out.append(Case("limits/1000-stories", "limits", build(), 2, with_text(BASE.replace("      - id: notes\n", stories + "      - id: notes\n")),
                    located=("issue.yaml:16", "stories")))
    out.append(Case("limits/limit-override-bad", "limits", build("--limit", "pages=abc"), 2, None, located=("--limit",)))
    out.append(Case("limits/limit-override-unknown", "limits", build("--limit", "nope=1"), 2, None, located=("--limit",)))
    out.append(Case("limits/limit-override-tight", "limits", build("--limit", "text_chars=5"), 2, None, located=("issue.yaml:", "text_chars")))
    return out


def text_content() -> list[Case]:
    out = []
    nasties = {
        "lone-surrogate": '"\\ud800"',
        "low-surrogate": '"\\udc80x"',
        "esc-sequence": '"\\e]0;owned\\a\\e[2J"',
        "nul": '"a\\0b"',
        "bell": '"a\\x07b"',
        "line-separator": '"a\\u2028b"',
        "emoji": "'😀笑'",
        "flag": "'🇨🇳国旗'",
        "zwj-family": '"\\U0001F468\\u200D\\U0001F469"',
        "private-use": '"\\ue000"',
        "bidi-override": '"\\u202eabc"',
    }
    for path in ("paper.name", "paper.publisher", "issue.edition", "pages[0].section", "pages[0].stories[0].head",
                 "pages[0].stories[0].body[0]", "pages[0].stories[0].photos[0].caption", "pages[0].stories[1].items[0]"):
        for name, value in nasties.items():
            out.append(Case(f"text/{path}={name}", "text content", build(), 2, with_text(field_value(path, value)),
                            located=(f"issue.yaml:{FIELD_LINES[path]}",) if name not in ("emoji", "flag", "zwj-family", "private-use", "bidi-override")
                            else ("issue.yaml", path.split(".")[-1].split("[")[0]),
                            quick=(name, path) in (("lone-surrogate", "paper.name"), ("flag", "pages[0].stories[0].head"))))
    # terminal escapes in an unknown key: echoed escaped, never raw
    key = BASE.replace("  cn: CN 15-0001\n", '  cn: CN 15-0001\n  "\\e]0;pwned\\a\\e[2J": 1\n')
    out.append(Case("text/escape-in-unknown-key", "text content", build(), 2, with_text(key),
                    located=("issue.yaml:5", "\\x1b]0;pwned"), quick=True))
    return out


def _mkfifo(path: Path) -> None:
    os.mkfifo(path)


def photos() -> list[Case]:
    out = []

    def photo_file(name: str, make: Callable[[Path], None] | None = None, value: str | None = None):
        def setup(work: Path) -> None:
            issue = work / "issue"
            if make is not None:
                make(issue)
            (issue / "issue.yaml").write_text(field_value("pages[0].stories[0].photos[0].file", value or name), encoding="utf-8")
        return setup

    loc = ("issue.yaml:27", "photos[0].file")
    specs: dict[str, tuple[Callable | None, str, int, tuple[str, ...]]] = {
        "missing": (None, "photos/none.jpg", 2, loc),
        "wrong-case": (None, "photos/A.JPG", 2, loc + ("a.jpg",)),
        "folder": (None, "photos", 2, loc),
        "fifo": (lambda d: _mkfifo(d / "photos" / "f.jpg"), "photos/f.jpg", 2, loc + ("FIFO",)),
        "dev-zero": (lambda d: (d / "photos" / "z.jpg").symlink_to("/dev/zero"), "photos/z.jpg", 2, loc),
        "symlink-loop": (lambda d: ((d / "photos" / "l1.jpg").symlink_to("l2.jpg"), (d / "photos" / "l2.jpg").symlink_to("l1.jpg")),
                         "photos/l1.jpg", 2, loc),
        "nul-in-name": (None, '"photos/a\\0.jpg"', 2, loc),
        "surrogate-in-name": (None, '"photos/\\udc80.jpg"', 2, loc),
        "over-name-max": (None, "photos/" + "n" * 300 + ".jpg", 2, loc),
        "over-path-max": (None, "/".join(["d" * 200] * 30) + ".jpg", 2, loc),
        "parent-escape": (None, "../../etc/passwd", 2, loc + ("outside",)),
        "absolute": (None, "/etc/passwd", 2, loc + ("outside",)),
        "absolute-real-jpeg": (lambda d: None, str(ROOT / "issues" / "dalate" / "photos" / "books-to-countryside.jpg"), 2, loc + ("outside",)),
        "empty-file": (lambda d: (d / "photos" / "e.jpg").write_bytes(b""), "photos/e.jpg", 2, loc),
        "text-as-jpg": (lambda d: (d / "photos" / "t.jpg").write_text("hello"), "photos/t.jpg", 2, loc),
        "truncated-jpeg": (lambda d: (d / "photos" / "t.jpg").write_bytes(jpeg()[:200]), "photos/t.jpg", 2, ("photos[0]",)),
        "garbage-after-magic": (lambda d: (d / "photos" / "g.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(2000)), "photos/g.jpg", 2, ("photos[0]",)),
        "png-claims-60000": (lambda d: (d / "photos" / "b.png").write_bytes(png_claiming(60000, 60000)), "photos/b.png", 2, ("photos[0]", "pixels")),
        "jpeg-claims-60000": (lambda d: (d / "photos" / "b.jpg").write_bytes(jpeg_claiming(60000, 60000)), "photos/b.jpg", 2, ("photos[0]", "pixels")),
        "real-png-just-under-limit": (lambda d: (d / "photos" / "u.png").write_bytes(png_bomb(10900, 10900)), "photos/u.png", 0, ()),
        "real-png-20000": (lambda d: (d / "photos" / "r.png").write_bytes(png_bomb(20000, 20000)), "photos/r.png", 2, ("photos[0]", "pixels")),
        "broken-icc-jpeg": (lambda d: (d / "photos" / "i.jpg").write_bytes(jpeg(icc=b"garbage profile" * 20)), "photos/i.jpg", 0, ()),
        "header-only-icc-jpeg": (lambda d: (d / "photos" / "h.jpg").write_bytes(jpeg(icc=patched_profile(b"RGB ", cut=128))), "photos/h.jpg", 0, ()),
        "broken-icc-png": (lambda d: (d / "photos" / "i.png").write_bytes(png(icc=patched_profile(b"RGB ", cut=600))), "photos/i.png", 0, ()),
        "gif-as-jpg": (lambda d: __import__("PIL.Image", fromlist=["Image"]).new("P", (50, 50)).save(d / "photos" / "g.jpg", "GIF"), "photos/g.jpg", 2, loc),
        "symlink-inside": (lambda d: (d / "photos" / "s.jpg").symlink_to("a.jpg"), "photos/s.jpg", 0, ()),
        # width/height 0.2: below the planner's 0.25 less a 15 % crop (issue 9), refused before layout
        "very-tall": (lambda d: (d / "photos" / "t.png").write_bytes(png((300, 1500))), "photos/t.png", 2,
                      ("photos[0].file", "too tall to place")),
        # placeable in shape but 1 px prints below 150 ppi at any span: the editor's rule refuses it (exit 1)
        "tiny-1px": (lambda d: (d / "photos" / "p.png").write_bytes(png((1, 1))), "photos/p.png", 1,
                     ("page 1 / story 'lead'", "p.png (1 × 1 px", "supply at least", "[photo-fits-nowhere]")),
        "very-wide": (lambda d: (d / "photos" / "w.png").write_bytes(png((4000, 1))), "photos/w.png", 2, ("photos[0].file", "too wide to place")),
    }
    for name, (make, value, code, located) in specs.items():
        out.append(Case(f"photos/{name}", "photos", build(), code, photo_file(value, make, value), located=located,
                        quick=name in ("fifo", "parent-escape", "png-claims-60000", "broken-icc-jpeg")))
    if os.geteuid() != 0:
        def unreadable(work: Path) -> None:
            os.chmod(work / "issue" / "photos", 0)
        out.append(Case("photos/unreadable-folder", "photos", build(), 2, unreadable, located=loc))
    out.append(Case("photos/root-widens", "photos", build("--root", str(ROOT / "issues")), 0,
                    photo_file("", None, str(ROOT / "issues" / "dalate" / "photos" / "books-to-countryside.jpg"))))
    return out


def styles() -> list[Case]:
    out = []

    def style(text: str | None, name: str = "style.yaml", make: Callable[[Path], None] | None = None):
        def setup(work: Path) -> None:
            issue = work / "issue"
            if text is not None:
                (issue / name).write_text(text, encoding="utf-8")
            if make is not None:
                make(issue)
            (issue / "issue.yaml").write_text(BASE.replace("  preset: tabloid\n", f"  preset: tabloid\n  style: {name}\n"), encoding="utf-8")
        return setup

    values = {
        "body_size 0": ("page: {body_size: 0}", 2), "body_size nan": ("page: {body_size: .nan}", 2),
        "body_size 1e-300": ("page: {body_size: 1e-300}", 2), "body_size -9": ("page: {body_size: -9}", 2),
        "body_size 1e308": ("page: {body_size: 1e308}", 2), "body_size abc": ("page: {body_size: abc}", 2),
        "body_size 小五": ("page: {body_size: 小五}", 0), "rows 10": ("page: {rows: 10}", 2), "rows 0": ("page: {rows: 0}", 2),
        "rows 1e9": ("page: {rows: 1000000000}", 2), "columns 0": ("page: {columns: 0}", 2),
        "line_pitch inf": ("page: {line_pitch: .inf}", 2), "trim huge": ("page: {trim: [1e30, 1e30]}", 2),
        "trim wrong": ("page: {trim: 5}", 2), "bleed -1": ("page: {bleed: -1}", 2), "ink_limit nan": ("ink_limit: .nan", 2),
        "unknown key": ("colour: red", 2), "punctuation bad": ("punctuation: fancy", 2), "scalar": ("just text", 2),
        "deep": ("page: " + "[" * 300 + "]" * 300, 2), "!!int": ("masthead_rows: !!int x", 2),
        "masthead 60 of tabloid": ("masthead_rows: 60", 2),
    }
    for name, (text, code) in values.items():
        out.append(Case(f"styles/{name}", "style sheets", build(), code, style(text),
                        located=() if code == 0 else ("style.yaml",), quick=name in ("body_size 0", "rows 10", "body_size nan")))
    out.append(Case("styles/etc-passwd", "style sheets", build(), 2,
                    lambda w: (w / "issue" / "issue.yaml").write_text(BASE.replace("  preset: tabloid\n", "  preset: tabloid\n  style: /etc/passwd\n")),
                    located=("issue.yaml:10", "outside"), quick=True))
    out.append(Case("styles/etc-passwd-root", "style sheets", build("--root", "/"), 2,
                    lambda w: (w / "issue" / "issue.yaml").write_text(BASE.replace("  preset: tabloid\n", "  preset: tabloid\n  style: /etc/passwd\n")),
                    located=("passwd",)))
    out.append(Case("styles/folder", "style sheets", build(), 2, style(None, "photos"), located=("issue.yaml:10",)))
    out.append(Case("styles/fifo", "style sheets", build(), 2, style(None, "s.yaml", lambda d: _mkfifo(d / "s.yaml")), located=("s.yaml",)))
    out.append(Case("styles/missing", "style sheets", build(), 2, style(None, "none.yaml"), located=("issue.yaml:10",)))
    out.append(Case("styles/big", "style sheets", build(), 2, style("#" + "x" * 400_000 + "\n"), located=("style.yaml",)))
    return out


def outputs() -> list[Case]:
    out = []
    for name, target, code, located in (
        ("o-is-issue-yaml", "{issue}/issue.yaml", 2, ("-o", "issue.yaml")),
        ("o-is-photo", "{issue}/photos/a.jpg", 2, ("-o", "a.jpg")),
        ("o-is-folder", "{dir}/out", 2, ("-o", "folder")),
        ("o-trailing-slash", "{dir}/out/", 2, ("-o",)),
        ("o-under-a-file", "{issue}/issue.yaml/x.pdf", 2, ("-o", "not a folder")),
        ("o-fifo", "{dir}/out/fifo.pdf", 2, ("-o", "FIFO")),
        ("o-long-legal-name", "{dir}/out/" + "n" * 246 + ".pdf", 0, ()),
        ("o-over-name-max", "{dir}/out/" + "n" * 300 + ".pdf", 2, ("-o",)),
        ("o-new-folders", "{dir}/out/a/b/c/x.pdf", 0, ()),
        ("o-dev-null", "/dev/null", 2, ("-o", "device")),
        ("o-in-sysfs", "/sys/x.pdf", 2, ("-o", "cannot create files in /sys")),
        ("o-in-procfs", "/proc/x.pdf", 2, ("-o", "cannot create files in /proc")),
    ):
        setup = (lambda w: _mkfifo(w / "out" / "fifo.pdf")) if name == "o-fifo" else None
        out.append(Case(f"outputs/{name}", "outputs", ["build", "{issue}", "-o", target, "--no-preflight"], code, setup,
                        located=located, quick=name in ("o-is-issue-yaml", "o-under-a-file", "o-long-legal-name", "o-dev-null")))
    out.append(Case("outputs/report-is-issue", "outputs", build("--report", "{issue}/issue.yaml"), 2, None, located=("--report",), quick=True))
    out.append(Case("outputs/report-is-output", "outputs", build("--report", "{out}"), 2, None, located=("--report",)))
    out.append(Case("outputs/report-in-sysfs", "outputs", build("--report", "/sys/r.json"), 2, None,
                    located=("--report", "/sys")))
    out.append(Case("outputs/report-is-folder", "outputs", build("--report", "{dir}/out"), 2, None, located=("--report",)))
    out.append(Case("outputs/proof-is-file", "outputs", build("--proof", "{issue}/issue.yaml"), 2, None, located=("--proof",)))
    out.append(Case("outputs/alto-is-file", "outputs", build("--alto", "{issue}/issue.yaml"), 2, None, located=("--alto",)))
    out.append(Case("outputs/alto-into-issue", "outputs", build("--alto", "{issue}"), 0, None))
    out.append(Case("outputs/o-is-style", "outputs", ["build", "{issue}", "-o", "{issue}/s.yaml", "--no-preflight"], 2,
                    lambda w: ((w / "issue" / "s.yaml").write_text("punctuation: quanjiao\n"),
                               (w / "issue" / "issue.yaml").write_text(BASE.replace("  preset: tabloid\n", "  preset: tabloid\n  style: s.yaml\n"))),
                    located=("-o", "s.yaml")))
    out.append(Case("outputs/o-is-profile", "outputs", ["build", "{issue}", "-o", "{dir}/p.icc", "--no-preflight", "--output-intent", "{dir}/p.icc"], 2,
                    lambda w: (w / "p.icc").write_bytes(shipped_profile()), located=("-o", "p.icc")))
    out.append(Case("outputs/o-symlink-to-issue", "outputs", ["build", "{issue}", "-o", "{dir}/link.pdf", "--no-preflight"], 2,
                    lambda w: (w / "link.pdf").symlink_to(w / "issue" / "issue.yaml"), located=("-o", "issue.yaml")))
    if os.geteuid() == 0:
        out.append(Case("outputs/o-dev-full", "outputs", ["build", "{issue}", "-o", "/dev/full", "--no-preflight"], 2, None,
                        located=("-o", "device"), root_only=True))
    return out


def intents() -> list[Case]:
    out = []
    gs = Path("/usr/share/color/icc/ghostscript")
    profiles: dict[str, tuple[Callable[[Path], None] | None, str, int]] = {
        "garbage": (lambda w: (w / "p.icc").write_bytes(os.urandom(4000)), "{dir}/p.icc", 2),
        "empty": (lambda w: (w / "p.icc").write_bytes(b""), "{dir}/p.icc", 2),
        "header-only": (lambda w: (w / "p.icc").write_bytes(patched_profile(cut=128)), "{dir}/p.icc", 2),
        "truncated": (lambda w: (w / "p.icc").write_bytes(patched_profile(cut=5000)), "{dir}/p.icc", 2),
        "gray-class": (lambda w: (w / "p.icc").write_bytes(patched_profile(b"GRAY")), "{dir}/p.icc", 2),
        "rgb-class": (lambda w: (w / "p.icc").write_bytes(patched_profile(b"RGB ")), "{dir}/p.icc", 2),
        "v4-broken-x4": (lambda w: (w / "p.icc").write_bytes(patched_profile(version=4, cut=3000)), "{dir}/p.icc", 2),
        "fifo": (lambda w: _mkfifo(w / "p.icc"), "{dir}/p.icc", 2),
        "dev-zero": (None, "/dev/zero", 2),
        "folder": (None, "{dir}/out", 2),
        "missing": (None, "{dir}/none.icc", 2),
        "shipped": (lambda w: (w / "p.icc").write_bytes(shipped_profile()), "{dir}/p.icc", 0),
    }
    if (gs / "default_gray.icc").exists():
        profiles["ghostscript-gray"] = (None, str(gs / "default_gray.icc"), 2)
    for name, (make, path, code) in profiles.items():
        extra = ["--pdfx", "x4"] if "x4" in name else []
        out.append(Case(f"intents/{name}", "output intents", build("--output-intent", path, *extra), code, make,
                        located=() if code == 0 else ("--output-intent",), quick=name in ("fifo", "gray-class", "header-only")))
    return out


def fonts() -> list[Case]:
    out = []
    names = ["NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf", "NotoSerifSC-Black.ttf", "NotoSansSC-Bold.ttf",
             "NotoSansSC-Black.ttf", "LXGWWenKai-Regular.ttf"]

    def font_dir(kind: str):
        def setup(work: Path) -> None:
            folder = work / "fonts"
            folder.mkdir()
            for i, name in enumerate(names):
                target = folder / name
                if kind == "garbage":
                    target.write_bytes(os.urandom(5000))
                elif kind == "empty":
                    target.write_bytes(b"")
                elif kind == "one-garbage":
                    if i == 0:
                        target.write_bytes(b"\x00\x01\x00\x00" + os.urandom(3000))
                    else:
                        target.symlink_to(ROOT / "fonts" / name)
                elif kind == "folders":
                    target.mkdir()
                elif kind == "fifo" and i == 0:
                    os.mkfifo(target)
                elif kind == "fifo":
                    target.symlink_to(ROOT / "fonts" / name)
                elif kind == "truncated":
                    target.write_bytes((ROOT / "fonts" / name).read_bytes()[:20000])
        return setup

    for kind in ("garbage", "empty", "one-garbage", "folders", "fifo", "truncated", "missing"):
        setup = font_dir(kind) if kind != "missing" else (lambda w: (w / "fonts").mkdir())
        for command in ("build", "check"):
            args = build("--fonts", "{dir}/fonts") if command == "build" else ["check", "{issue}", "--fonts", "{dir}/fonts"]
            out.append(Case(f"fonts/{command}-{kind}", "fonts", args, 2, setup, located=("font",),
                            quick=command == "build" and kind in ("garbage", "empty")))
    return out


def command_line() -> list[Case]:
    out = []
    for name, args, code, located in (
        ("no-args", [], 2, ()),  # click ≥ 8.2: help and exit 2
        ("unknown-command", ["bild"], 2, ("bild",)),
        ("unknown-option", ["build", "{issue}", "-o", "{out}", "--colour"], 2, ("--colour",)),
        ("missing-o", ["build", "{issue}"], 2, ("-o",)),
        ("missing-issue-folder", ["check", "{dir}/none"], 2, ("none",)),
        ("issue-is-fifo", ["check", "{dir}/f.yaml"], 2, ("f.yaml", "FIFO")),
        ("issue-is-dev-zero", ["check", "/dev/zero"], 2, ("/dev/zero",)),
        ("issue-nul", ["check", "a\x01b"], 2, ()),
        ("folder-without-issue", ["check", "{dir}/out"], 2, ("out",)),
        ("preflight-garbage", ["preflight", "{issue}/issue.yaml"], 2, ("issue.yaml",)),
        ("preflight-fifo", ["preflight", "{dir}/f.yaml"], 2, ("f.yaml",)),
        ("bad-pdfx", ["build", "{issue}", "-o", "{out}", "--pdfx", "x3"], 2, ("--pdfx",)),
        ("check-help", ["check", "--help"], 0, ()),
        ("check-ok", ["check", "{issue}"], 0, ()),
        ("build-ok", build(), 0, ()),
        ("build-ok-preflight", ["build", "{issue}", "-o", "{out}"], 0, ()),
    ):
        setup = (lambda w: _mkfifo(w / "f.yaml")) if "fifo" in name else None
        if name == "build-ok-preflight":  # a photo with enough pixels for the 150 ppi floor
            setup = lambda w: (w / "issue" / "photos" / "a.jpg").write_bytes(jpeg((1600, 1200)))  # noqa: E731
        out.append(Case(f"cli/{name}", "command line", args, code, setup, located=located,
                        quick=name in ("issue-is-fifo", "build-ok", "preflight-garbage")))
    # 24 pages: a build that outlasts every interrupt below (8 pages were built whole within
    # 0.6 s once the layout was forked and the process left without teardown)
    many = BASE + "".join(f"  - number: {n}\n    section: 版{n}\n    allow_holes: true\n    stories:\n      - id: s{n}\n        head: 标题{n}\n        body:\n"
                          f"          - {'正文内容，' * 300}\n" for n in range(2, 25))
    for delay in (0.9, 1.2, 1.5, 1.8, 2.2, 2.8):  # import, load, the forked layout workers, rendering
        out.append(Case(f"signals/ctrl-c-multipage-{delay}s", "signals", build(), 130, with_text(many),
                        interrupt_after=delay, good_pdf=True))
    out.append(Case("signals/ctrl-c-early", "signals", build(), 130, with_text(many), interrupt_after=0.6, good_pdf=True, quick=True))
    return out


def all_cases() -> list[Case]:
    cases = []
    for make in (yaml_syntax, schema, numbers, dates, limits, text_content, photos, styles, outputs, intents, fonts, command_line):
        cases.extend(make())
    return cases


# --- running --------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Digest of every regular file under ``folder`` (links not followed), by relative path."""
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).digest()
            else:
                out[str(path.relative_to(folder))] = f"special {stat.S_IFMT(info.st_mode)}".encode()
    return out


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    os.setsid()


def run_case(case: Case, work: Path) -> Outcome:
    """Run ``case`` in the empty folder ``work``; the outcome lists every broken promise."""
    issue = work / "issue"
    (work / "out").mkdir(parents=True)
    write_issue(issue)
    out = work / "out" / "x.pdf"
    if case.good_pdf:
        out.write_bytes(GOOD_PDF)
    if case.setup is not None:
        case.setup(work)
    before = _snapshot(work)
    args = [a.format(issue=issue, out=out, dir=work) for a in case.args]
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONDONTWRITEBYTECODE="1", LC_ALL="C.UTF-8")
    env.pop("PAPERLAYOUT_DEBUG", None)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "paperlayout", *args], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_limit_memory)
    problems = []
    try:
        if case.interrupt_after is not None:
            try:
                stdout, stderr = proc.communicate(timeout=case.interrupt_after)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
                stdout, stderr = proc.communicate(timeout=case.timeout)
        else:
            stdout, stderr = proc.communicate(timeout=case.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        problems.append(f"hang: no exit after {case.timeout:.0f} s")
    seconds = time.monotonic() - started
    text = (stdout + stderr).decode("utf-8", "replace")
    code = proc.returncode
    if "Traceback" in text:
        problems.append("traceback")
    if "internal error" in text:
        problems.append("internal error")
    if "out of memory" in text or "MemoryError" in text:
        problems.append("memory blow-up")
    if case.interrupt_after is not None and code == 0:
        pass  # finished before the interrupt: fine
    elif not problems or problems == ["traceback"]:
        if code != case.expect:
            problems.append(f"exit {code}, expected {case.expect}")
    if case.expect in (1, 2) and code == case.expect:
        missing = [s for s in case.located if s not in text]
        if missing:
            problems.append(f"message not located (missing {missing!r})")
    if "\x1b" in text:
        problems.append("raw terminal escape echoed")
    after = _snapshot(work)
    for name, digest in before.items():
        if name == "out/x.pdf" and code == 0:
            continue
        if after.get(name) != digest:
            problems.append(f"input changed: {name}")
    stray = [n for n in after if n not in before and n.startswith("out/") and code != 0]
    stray += [n for n in after if ".part" in n or n.startswith("issue/.pl-")]
    if stray:
        problems.append(f"stray files: {stray[:3]}")
    return Outcome(case, code, seconds, problems, text[-2000:])
