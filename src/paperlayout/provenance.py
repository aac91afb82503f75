"""Provenance (来源记录) of a built file: which code and which style made it.

Recorded in the PDF's Producer (and the package's METS): the package version, the source
revision — the git commit when the package runs from a checkout, read from ``.git`` without
running git; nothing when installed from a wheel — and the house style's name. Only facts
that do not depend on where the code or the issue sits on disk are recorded, so two clones
of the same commit give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import __version__

#: A full SHA-1 (or SHA-256) object name.
_COMMIT = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


def _git_dir(root: Path) -> Path | None:
    """The git directory of a checkout rooted at ``root``: ``.git`` itself, or the folder a
    worktree's ``.git`` file points to (``gitdir: …``); None when not a checkout."""
    dot = root / ".git"
    if dot.is_dir():
        return dot
    if dot.is_file():
        text = dot.read_text("utf-8", "replace").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:"):].strip())
            return target if target.is_absolute() else (root / target)
    return None


def source_revision(root: Path | None = None) -> str | None:
    """The commit checked out at ``root`` (default: the checkout holding this package's
    ``src/``), as 40 hex digits, or None when it is not a checkout or HEAD cannot be
    resolved (unborn branch, unreadable files). Reads HEAD, the ref file, then packed-refs
    (also in a worktree's common dir)."""
    if root is None:
        root = Path(__file__).resolve().parents[2]  # src/paperlayout/provenance.py → checkout
    try:
        git = _git_dir(root)
        if git is None or not (git / "HEAD").is_file():
            return None
        head = (git / "HEAD").read_text("ascii", "replace").strip()
        if _COMMIT.match(head):
            return head  # detached HEAD
        if not head.startswith("ref:"):
            return None
        ref = head[4:].strip()
        dirs = [git]
        common = git / "commondir"
        if common.is_file():
            path = Path(common.read_text("utf-8").strip())
            dirs.append(path if path.is_absolute() else (git / path).resolve())
        for folder in dirs:
            loose = folder / ref
            if loose.is_file():
                value = loose.read_text("ascii", "replace").strip()
                return value if _COMMIT.match(value) else None
        for folder in dirs:
            packed = folder / "packed-refs"
            if packed.is_file():
                for line in packed.read_text("ascii", "replace").splitlines():
                    parts = line.split()
                    if len(parts) == 2 and parts[1] == ref and _COMMIT.match(parts[0]):
                        return parts[0]
    except OSError:
        return None
    return None


def producer(style: str, revision: str | None = None) -> str:
    """The PDF Producer string: ``paperlayout 0.1.0 (git 1a2b3c4d5e6f; style broadsheet)``;
    the git part is left out when there is no revision. ``revision`` defaults to
    :func:`source_revision` (12 hex digits of it are recorded)."""
    revision = source_revision() if revision is None else revision
    parts = ([f"git {revision[:12]}"] if revision else []) + [f"style {style}"]
    return f"paperlayout {__version__} ({'; '.join(parts)})"


#: The zone of a modification date given without one: Beijing time, as the issue dates.
_BEIJING = dt.timezone(dt.timedelta(hours=8))


def parse_mod_date(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``--mod-date``: "now" (the clock, UTC, whole seconds — ``now`` may be passed for
    tests) or an ISO 8601 date or date-time (``2026-11-29``, ``2026-11-29T10:30``,
    ``2026-11-29T10:30:00+00:00``); a value without a zone is Beijing time (UTC+8).
    Returns an aware datetime; ValueError says what is accepted."""
    value = text.strip()
    if value.lower() == "now":
        when = now or dt.datetime.now(dt.timezone.utc)
        return when.replace(microsecond=0)
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r} is neither 'now' nor an ISO 8601 date (2026-11-29 or 2026-11-29T10:30+08:00)") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=_BEIJING)
