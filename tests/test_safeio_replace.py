"""safeio.replace_with: the one temp-file-and-rename writer (write_atomic and cache.Store.put)."""

from __future__ import annotations

import os
import stat

import pytest

from paperlayout import cache
from paperlayout.safeio import OutputError, replace_with, write_atomic


def test_refused_by_check_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")

    def refuse(path):
        raise OutputError(f"{path}: no")

    with pytest.raises(OutputError):
        replace_with(target, b"new", check=refuse)
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_mode_is_set_and_default_is_private(tmp_path):
    replace_with(tmp_path / "shared", b"x", mode=0o644)
    replace_with(tmp_path / "private", b"y")
    assert stat.S_IMODE(os.stat(tmp_path / "shared").st_mode) == 0o644
    assert stat.S_IMODE(os.stat(tmp_path / "private").st_mode) == 0o600
    assert (tmp_path / "shared").read_bytes() == b"x" and (tmp_path / "private").read_bytes() == b"y"


def test_write_atomic_never_replaces_a_folder(tmp_path):
    (tmp_path / "out.pdf").mkdir()
    with pytest.raises(OutputError, match="not replaced"):
        write_atomic(tmp_path / "out.pdf", b"%PDF")
    assert (tmp_path / "out.pdf").is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_cache_put_writes_the_entry_and_no_temporary(tmp_path):
    store = cache.Store(tmp_path)
    store.put("ns", "ab12", b"entry")
    assert store.get("ns", "ab12") == b"entry"
    assert sorted(p.name for p in (tmp_path / "ns" / "ab").iterdir()) == ["ab12"]
