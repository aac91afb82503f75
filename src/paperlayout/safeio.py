"""Output safety (输出保护): where a build may write, and writing there without losing anything.

Checked before any work (:func:`check_output_file`, :func:`check_output_folder`), so a
bad ``-o`` is reported in a second, not after the whole layout:

* an output may not be an input of the build (issue.yaml, a photo, the style sheet, the
  output-intent profile, a font) nor another output of the same run — the same file
  reached by any name (device and inode compared);
* an output file may not be a folder, a device, a FIFO or a socket (``-o /dev/null`` as
  root must not replace the device node with a regular file);
* its folder must be a folder (``-o afile/x.pdf`` where ``afile`` is a file is said so)
  and writable; its name must fit the file system's NAME_MAX.

:func:`write_atomic` writes through a short temporary name in the same folder (always
within NAME_MAX, whatever the output's length) and renames it over the target, so a
failed run never leaves half a file or replaces a good one; the file gets the mode the
umask gives (0666 & ~umask), like any file a tool creates, not mkstemp's 0600. A symbolic
link as output is followed: its target is replaced and the link kept.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .limits import kind_of, os_reason


class OutputError(Exception):
    """An output path that must not or cannot be written (bad input, exit 2)."""


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file ``path`` names (links followed), None if none."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def identities(paths: Iterable[Path]) -> dict[tuple[int, int], Path]:
    """(device, inode) → path for the existing files among ``paths``."""
    out = {}
    for path in paths:
        ident = _identity(path)
        if ident is not None:
            out.setdefault(ident, Path(path))
    return out


def _existing_ancestor(path: Path) -> Path:
    """The nearest ancestor of ``path`` that exists (a file or a folder)."""
    parent = path.parent
    while True:
        try:
            os.stat(parent)
            return parent
        except FileNotFoundError:
            if parent.parent == parent:
                return parent
            parent = parent.parent


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _check_folder(option: str, path: Path, folder_of: Path) -> None:
    """The folder an output goes into: an existing folder we may write, or creatable."""
    ancestor = _existing_ancestor(folder_of)
    try:
        info = os.stat(ancestor)
    except (OSError, ValueError) as exc:
        raise OutputError(f"{option} {path}: cannot use the folder {ancestor}: {os_reason(exc)}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{option} {path}: {ancestor} is {kind_of(info.st_mode)}, not a folder — "
                          "choose a path inside a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: the folder {ancestor} is not writable — choose a writable path")
    _probe(option, path, ancestor)


def _probe(option: str, path: Path, folder: Path) -> None:
    """Create and remove a temporary file in ``folder``: the only sure test that outputs can
    be written there (os.access says yes to root on /proc, /sys and read-only mounts)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".pl-", suffix=".probe", dir=folder)
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot create files in {folder}: {os_reason(exc)} — "
                          "choose a writable path") from None
    os.close(fd)
    os.unlink(tmp)


def _stat(option: str, path: Path) -> os.stat_result | None:
    """``os.stat(path)``, None when nothing is there; any other failure is an OutputError
    naming ``option`` (a file where a folder of the path should be is named as such)."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        if getattr(exc, "errno", None) == 20:  # ENOTDIR: a file where a folder should be
            _check_folder(option, path, path)
        raise OutputError(f"{option} {path}: {os_reason(exc)}") from None


def check_output_file(option: str, path: Path, inputs: dict[tuple[int, int], Path] | None = None) -> None:
    """Raise OutputError unless ``path`` may be written as an output file.

    ``inputs``: (device, inode) → name of every file the build reads (and of the other outputs).
    """
    text = os.fspath(path)
    if "\0" in text:
        raise OutputError(f"{option}: the path contains a NUL character")
    if not text or text.endswith(os.sep) or Path(text).name in ("", ".", ".."):
        raise OutputError(f"{option} {text!r}: give a file name, e.g. out/issue.pdf")
    try:
        os.fsencode(text)
    except UnicodeError:
        raise OutputError(f"{option}: the path is not valid text (a lone surrogate)") from None
    path = Path(text)
    info = _stat(option, path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        what = kind_of(info.st_mode)
        hint = "give a file name inside it" if stat.S_ISDIR(info.st_mode) else "paperlayout writes only regular files"
        raise OutputError(f"{option} {path} is {what}, not a file — {hint}")
    if info is not None and inputs and (info.st_dev, info.st_ino) in inputs:
        other = inputs[(info.st_dev, info.st_ino)]
        raise OutputError(f"{option} {path} is {other}, which this build reads or writes — "
                          "writing there would destroy it; choose another output path")
    _check_folder(option, path, path)
    limit = _name_max(_existing_ancestor(path))
    if len(os.fsencode(path.name)) > limit:
        raise OutputError(f"{option} {path}: the file name is {len(os.fsencode(path.name))} bytes, "
                          f"longer than the {limit} this file system allows")


def check_output_folder(option: str, folder: Path, names: Iterable[str] = (),
                        inputs: dict[tuple[int, int], Path] | None = None) -> None:
    """Raise OutputError unless ``folder`` may hold outputs called ``names`` (may not exist yet)."""
    text = os.fspath(folder)
    if "\0" in text:
        raise OutputError(f"{option}: the path contains a NUL character")
    folder = Path(text)
    info = _stat(option, folder)
    if info is None:
        _check_folder(option, folder, folder)
        return
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{option} {folder} is {kind_of(info.st_mode)}, not a folder — give a folder for the files")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {folder}: the folder is not writable — choose a writable folder")
    _probe(option, folder, folder)
    for name in names:
        check_output_file(option, folder / name, inputs)


def current_umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    The file gets mode 0666 & ~umask. A failed write never leaves a half-written file nor
    replaces a good one; a path that is (or became) a folder, device or FIFO is never
    replaced (OutputError). Raises OSError for the system's reasons (disk full, read-only).
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_with(path, data, mode=0o666 & ~current_umask(), durable=True, check=_regular_or_absent)


def _regular_or_absent(path: Path) -> None:
    """Raise OutputError when ``path`` exists and is not a regular file (a folder, FIFO, …)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise OutputError(f"{path} is {kind_of(mode)}, not a file — not replaced")


def replace_with(path: Path, data: bytes, *, mode: int | None = None, durable: bool = False,
                 check: Callable[[Path], None] | None = None) -> None:
    """Write ``data`` to a temporary file in ``path``'s folder (which must exist) and rename it
    onto ``path``; the one place that does so (write_atomic for outputs, cache.Store.put).

    mode: permission bits of the new file (None: mkstemp's 0600); durable: fsync before the
    rename; check(path) runs just before the rename and may raise to keep what is there.
    On any failure the temporary file is removed and the exception raised (OSError for the
    system's reasons), so ``path`` is either untouched or complete.
    """
    fd, tmp = tempfile.mkstemp(prefix=".pl-", suffix=".part", dir=path.parent)  # short: fits NAME_MAX
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if check is not None:
            check(path)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
