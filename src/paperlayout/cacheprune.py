"""Keeping the cache folder (缓存) within a size: what it holds, and pruning the entries used
least recently.

Every entry of the cache is a pure function of its key (cache.py), so removing any of them
at any time is safe: the next build that needs it computes it again. Builds add entries
(about 20 MB for a new 16-page issue), so without pruning the folder only grows. After a
build, :func:`auto_prune` looks at the folder at most once a day (PRUNE_EVERY) and, when it
holds more than the limit (``$PAPERLAYOUT_CACHE_MAX``, default DEFAULT_MAX), removes the
entries used least recently until it holds at most PRUNE_TO of the limit. ``paperlayout
cache info | prune | clear`` do the same by hand.

"Used" is the later of an entry's access and modification times: on Linux's default
``relatime`` mounts a read updates the access time at most once a day, which is the
resolution this needs. Sizes are in bytes; times in seconds since the epoch (the clock is
read here only to decide when to prune, never for anything a build writes).
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

#: The cache's size limit when ``$PAPERLAYOUT_CACHE_MAX`` is not set: 1 GiB.
DEFAULT_MAX = 1 << 30
#: A prune brings the folder down to this share of the limit, so that it does not run again
#: after the next few builds.
PRUNE_TO = 0.8
#: Seconds between two automatic looks at the folder's size (walking it costs ~0.1 s per
#: 10,000 entries).
PRUNE_EVERY = 24 * 3600
#: The file whose modification time records the last automatic look.
MARK = ".pruned"

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
          "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40}


def parse_size(text: str) -> int:
    """Bytes from "500M", "2G", "1.5GiB", "1048576" (binary units); ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise ValueError(f"{text!r} is not a size: write a number with K, M, G or T (e.g. 500M, 2G)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def human(n: int) -> str:
    """`n` bytes as "12.3 MiB"."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} B" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover


def limit_from_env() -> int:
    """``$PAPERLAYOUT_CACHE_MAX`` in bytes (DEFAULT_MAX when unset; 0 or "off": never prune)."""
    raw = os.environ.get("PAPERLAYOUT_CACHE_MAX", "").strip()
    if not raw:
        return DEFAULT_MAX
    if raw.lower() in ("off", "0", "none", "no"):
        return 0
    try:
        return parse_size(raw)
    except ValueError:
        import logging

        logging.getLogger("paperlayout.cache").warning(
            "PAPERLAYOUT_CACHE_MAX=%r is not a size (e.g. 500M, 2G, off): the default 1G applies", raw)
        return DEFAULT_MAX


@dataclass(frozen=True)
class Entry:
    path: Path
    size: int
    used: float  # later of atime and mtime, s since the epoch


@dataclass(frozen=True)
class Usage:
    """What the folder holds: entries and bytes in all, and per namespace (sorted by name)."""

    files: int
    bytes: int
    namespaces: tuple[tuple[str, int, int], ...]  # (name, files, bytes)


@dataclass(frozen=True)
class Pruned:
    removed: int
    removed_bytes: int
    kept_bytes: int


_HEX2 = re.compile(r"[0-9a-f]{2}")
_KEY = re.compile(r"[0-9a-f]{64}")
_NAMESPACE = re.compile(r"[a-z][a-z0-9-]*")
#: Temporary files of a write (safeio.write_atomic: ".pl-….part") older than this are left
#: over from a process that was killed mid-write, and are removed by a prune, s.
STALE_PART = 24 * 3600


def entries(root: Path) -> list[Entry]:
    """Every entry under ``root``: a file named by a key (64 hex digits) in a folder named by
    its first two digits in a namespace folder (cache.py's layout) — nothing else in the
    folder is ever counted or removed (it may be a folder the user shares with other files).
    An unreadable folder is skipped."""
    return [e for e in _walk(root) if _KEY.fullmatch(e.path.name)]


def _walk(root: Path, parts: bool = False):
    """Files of the cache's shape under ``root`` (with `parts`: only left-over ".pl-*.part"
    files of interrupted writes)."""
    try:
        namespaces = sorted(p for p in root.iterdir() if p.is_dir() and _NAMESPACE.fullmatch(p.name))
    except OSError:
        return
    for ns in namespaces:
        try:
            subs = sorted(p for p in ns.iterdir() if p.is_dir() and _HEX2.fullmatch(p.name))
        except OSError:
            continue
        for sub in subs:
            try:
                with os.scandir(sub) as it:
                    items = sorted(it, key=lambda item: item.name)
            except OSError:
                continue
            for item in items:
                name = item.name
                if parts != (name.startswith(".pl-") and name.endswith(".part")):
                    continue
                if not parts and not name.startswith(sub.name):
                    continue
                try:
                    if not item.is_file(follow_symlinks=False):
                        continue
                    st = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                yield Entry(Path(item.path), st.st_size, max(st.st_atime, st.st_mtime))


def usage(root: Path) -> Usage:
    found = entries(root)
    per: dict[str, list[int]] = {}
    for e in found:
        row = per.setdefault(e.path.parent.parent.name, [0, 0])
        row[0] += 1
        row[1] += e.size
    return Usage(len(found), sum(e.size for e in found), tuple((k, v[0], v[1]) for k, v in sorted(per.items())))


def prune(root: Path, max_bytes: int, now: float | None = None) -> Pruned:
    """Remove the least recently used entries until the folder holds at most `max_bytes`
    (ties: by path, so the choice is repeatable), and the temporary files of writes
    interrupted more than STALE_PART ago."""
    now = time.time() if now is None else now
    for part in _walk(root, parts=True):
        if now - part.used > STALE_PART:
            try:
                part.path.unlink()
            except OSError:
                pass
    found = sorted(entries(root), key=lambda e: (e.used, str(e.path)))
    total = sum(e.size for e in found)
    removed = removed_bytes = 0
    for e in found:
        if total <= max_bytes:
            break
        try:
            e.path.unlink()
        except OSError:
            continue
        total -= e.size
        removed += 1
        removed_bytes += e.size
    return Pruned(removed, removed_bytes, total)


def clear(root: Path) -> Pruned:
    """Remove every entry of the cache (and the folders they leave empty); nothing else."""
    found = entries(root)
    removed = removed_bytes = 0
    for e in found:
        try:
            e.path.unlink()
        except OSError:
            continue
        removed += 1
        removed_bytes += e.size
    for sub in sorted({e.path.parent for e in found}, reverse=True):
        for folder in (sub, sub.parent):
            try:
                folder.rmdir()  # only if empty
            except OSError:
                pass
    (root / MARK).unlink(missing_ok=True)
    return Pruned(removed, removed_bytes, sum(e.size for e in entries(root)))


def auto_prune(root: Path | None, max_bytes: int | None = None, now: float | None = None) -> Pruned | None:
    """After a build: at most once per PRUNE_EVERY, prune the folder down to PRUNE_TO of
    the limit if it holds more than the limit. None when nothing was looked at. Never
    raises: a cache that cannot be pruned is left as it is."""
    if root is None:
        return None
    limit = limit_from_env() if max_bytes is None else max_bytes
    if limit <= 0:
        return None
    mark = root / MARK
    now = time.time() if now is None else now
    try:
        if now - mark.stat().st_mtime < PRUNE_EVERY:
            return None
    except OSError:
        pass  # never looked: look now
    try:
        root.mkdir(parents=True, exist_ok=True)
        mark.touch()
        os.utime(mark, (now, now))
        held = usage(root).bytes
        if held <= limit:
            return Pruned(0, 0, held)
        return prune(root, int(limit * PRUNE_TO))
    except OSError:
        return None
