"""Limits on what one build reads (限额): sizes, counts and depths beyond which input is refused.

Every limit is a row of :data:`LIMITS` — name, default, unit and why — and docs/limits.md
shows the same table. A breached limit is a located exit-2 message (file, line, field),
never a hang, a MemoryError or a RecursionError. Defaults are generous for real newspapers
(a 100-page daily with long reports fits easily); ``--limit NAME=VALUE`` on ``build`` and
``check`` overrides one for a run.

Also here: :func:`read_regular`, the one way input files are read — only regular files
(never a FIFO, a device or a folder, which could block or never end), at most a given size.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, fields, replace
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Limits:
    """The limits of one build; see :data:`LIMITS` for what each one bounds and why."""

    yaml_bytes: int = 4 * MIB
    style_bytes: int = 256 * KIB
    yaml_nodes: int = 50_000
    yaml_depth: int = 32
    text_chars: int = 10_000
    issue_chars: int = 2_000_000
    pages: int = 100
    stories_per_page: int = 60
    image_pixels: int = 120_000_000
    photo_bytes: int = 200 * MIB
    profile_bytes: int = 32 * MIB
    font_bytes: int = 128 * MIB
    problems_shown: int = 50

    def with_overrides(self, pairs: list[str] | tuple[str, ...]) -> "Limits":
        """These limits with ``NAME=VALUE`` overrides (VALUE a positive whole number).

        Raises ValueError with a message naming the bad pair and the known names.
        """
        known = {f.name for f in fields(self)}
        changes: dict[str, int] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in known:
                raise ValueError(f"--limit {pair!r}: write NAME=VALUE with NAME one of {', '.join(sorted(known))}")
            text = value.strip().replace("_", "")
            if not text.isdigit() or len(text) > 15 or int(text) < 1:
                raise ValueError(f"--limit {pair!r}: the value must be a positive whole number")
            changes[name] = int(text)
        return replace(self, **changes)


#: name → (unit, why). The defaults are the field defaults of :class:`Limits`.
LIMITS: dict[str, tuple[str, str]] = {
    "yaml_bytes": ("bytes", "size of issue.yaml; a 100-page issue of real copy is under 1 MiB"),
    "style_bytes": ("bytes", "size of a style sheet (版式文件); a real one is a few KiB"),
    "yaml_nodes": ("nodes", "YAML values after alias expansion: stops alias bombs (billion laughs) "
                            "and files of millions of keys; the generated 16-page issue has 2,147, so 100 pages ~13,500"),
    "yaml_depth": ("levels", "nesting depth of YAML collections; the issue format needs 8; "
                             "deeper input would exhaust Python's recursion"),
    "text_chars": ("characters", "one paragraph, head or caption; a long news paragraph is ~1,000"),
    "issue_chars": ("characters", "all text of the issue after alias expansion; the generated 16-page issue has 134,000, "
                                  "so 100 pages ~840,000"),
    "pages": ("pages", "pages (版) per issue; large dailies print up to ~100"),
    "stories_per_page": ("stories", "stories on one page; a crowded front page has ~20"),
    "image_pixels": ("pixels", "width × height of one photo (decompression bombs); a 100 MP "
                               "camera gives 1.0e8"),
    "photo_bytes": ("bytes", "size of one photo file"),
    "profile_bytes": ("bytes", "size of an ICC profile (--output-intent); plant profiles are 0.5–5 MiB"),
    "font_bytes": ("bytes", "size of one font file; a full CJK OpenType font is 15–60 MiB"),
    "problems_shown": ("messages", "problems printed for one file before '… and N more'"),
}

DEFAULT = Limits()


class NotRegularFile(OSError):
    """The path is not a regular file (a folder, FIFO, device, socket) or is too large."""


def read_regular(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened without blocking (a FIFO would otherwise wait forever for a writer) and checked
    with fstat on the open descriptor, so what is read is what was checked. Raises
    :class:`NotRegularFile` with a human reason, or OSError / ValueError from the system
    (missing, permission, a name with NUL or not encodable).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(os.fspath(path), flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"is {kind_of(info.st_mode)}, not a regular {what}")
        if info.st_size > limit:
            raise NotRegularFile(f"is {info.st_size:,} bytes, over the limit of {limit:,} for a {what}"
                                 " (raise it with --limit if it is genuine)")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(MIB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise NotRegularFile(f"grew past the limit of {limit:,} bytes for a {what} while read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_regular(path: Path, limit: int, what: str = "file") -> None:
    """Raise like :func:`read_regular` unless ``path`` is a regular file within ``limit``;
    reads nothing."""
    info = os.stat(os.fspath(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(f"is {kind_of(info.st_mode)}, not a regular {what}")
    if info.st_size > limit:
        raise NotRegularFile(f"is {info.st_size:,} bytes, over the limit of {limit:,} for a {what}"
                             " (raise it with --limit if it is genuine)")


def kind_of(mode: int) -> str:
    """What a file mode describes, for messages ("a folder", "a FIFO (named pipe)", …)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def os_reason(exc: BaseException) -> str:
    """A short reason for an error raised while touching a path (no traceback words)."""
    if isinstance(exc, NotRegularFile):
        return str(exc)
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40:  # ELOOP
        return "its path has a symbolic link loop"
    if isinstance(exc, UnicodeError):
        return "its name is not valid text (a lone surrogate or bad encoding)"
    if isinstance(exc, ValueError) and "null" in str(exc):
        return "its name contains a NUL character"
    if isinstance(exc, OSError):
        return (exc.strerror or str(exc)).lower().rstrip(".") or "cannot be read"
    return str(exc)
