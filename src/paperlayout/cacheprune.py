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
import shutil
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


def entries(root: Path) -> list[Entry]:
    """Every entry file under ``root/<namespace>/<xx>/`` (temporary files of a write in
    progress, named with a leading dot, are not entries)."""
    out = []
    try:
        namespaces = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return out
    for ns in namespaces:
        for sub in sorted(ns.iterdir()) if ns.is_dir() else ():
            if not sub.is_dir():
                continue
            with os.scandir(sub) as it:
                for item in it:
                    if item.name.startswith(".") or not item.is_file(follow_symlinks=False):
                        continue
                    try:
                        st = item.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    out.append(Entry(Path(item.path), st.st_size, max(st.st_atime, st.st_mtime)))
    return out


def usage(root: Path) -> Usage:
    found = entries(root)
    per: dict[str, list[int]] = {}
    for e in found:
        row = per.setdefault(e.path.parent.parent.name, [0, 0])
        row[0] += 1
        row[1] += e.size
    return Usage(len(found), sum(e.size for e in found), tuple((k, v[0], v[1]) for k, v in sorted(per.items())))


def prune(root: Path, max_bytes: int) -> Pruned:
    """Remove the least recently used entries until the folder holds at most `max_bytes`
    (ties: by path, so the choice is repeatable)."""
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
    """Remove every namespace folder (the whole cache)."""
    u = usage(root)
    for name, _, _ in u.namespaces:
        shutil.rmtree(root / name, ignore_errors=True)
    (root / MARK).unlink(missing_ok=True)
    return Pruned(u.files, u.bytes, 0)


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
