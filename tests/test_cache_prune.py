"""The cache folder kept within a size (cacheprune.py, `paperlayout cache …`): the entries used
least recently go first, an automatic look happens at most once a day, and the CLI reports
sizes and refuses a bad size with a located message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperlayout import cacheprune
from paperlayout.cli import main

DAY = 24 * 3600
T0 = 1_700_000_000.0


def _entry(root: Path, namespace: str, key: str, size: int, used: float) -> Path:
    key = key + "0" * (64 - len(key))  # a key is 64 hex digits (cache.key)
    path = root / namespace / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    os.utime(path, (used, used))
    return path


@pytest.fixture()
def root(tmp_path):
    r = tmp_path / "cache"
    _entry(r, "story", "aa01", 1000, T0 + 10)
    _entry(r, "story", "ab02", 1000, T0 + 30)
    _entry(r, "fonts", "ff03", 3000, T0 + 20)
    _entry(r, "page", "cc04", 500, T0 + 40)
    (r / "story" / "aa").joinpath(".tmp-write").write_bytes(b"y" * 999)  # a write in progress
    return r


def test_usage_counts_entries_per_namespace(root):
    u = cacheprune.usage(root)
    assert (u.files, u.bytes) == (4, 5500)
    assert u.namespaces == (("fonts", 1, 3000), ("page", 1, 500), ("story", 2, 2000))


def test_prune_removes_the_least_recently_used_first(root):
    done = cacheprune.prune(root, 2000)
    # oldest first: aa01 (t+10), then ff03 (t+20) → 5500 - 1000 - 3000 = 1500 ≤ 2000
    assert (done.removed, done.removed_bytes, done.kept_bytes) == (2, 4000, 1500)
    left = sorted(p.name[:4] for p in root.glob("*/*/*") if not p.name.startswith("."))
    assert left == ["ab02", "cc04"]
    assert (root / "story" / "aa" / ".tmp-write").exists()  # never a write in progress


def test_prune_within_the_limit_removes_nothing(root):
    assert cacheprune.prune(root, 10_000) == cacheprune.Pruned(0, 0, 5500)


def test_auto_prune_looks_at_most_once_a_day(root):
    first = cacheprune.auto_prune(root, max_bytes=4000, now=T0 + DAY)
    assert first is not None and first.kept_bytes <= 4000 * cacheprune.PRUNE_TO
    _entry(root, "story", "dd05", 9000, T0 + DAY)
    assert cacheprune.auto_prune(root, max_bytes=4000, now=T0 + DAY + 3600) is None  # too soon
    again = cacheprune.auto_prune(root, max_bytes=4000, now=T0 + 2 * DAY + 1)
    assert again is not None and again.removed >= 1


def test_auto_prune_off_and_without_a_cache(root, monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE_MAX", "off")
    assert cacheprune.auto_prune(root) is None
    assert cacheprune.auto_prune(None) is None


@pytest.mark.parametrize("text, expected", [("500M", 500 << 20), ("2G", 2 << 30), ("1.5GiB", int(1.5 * (1 << 30))),
                                            ("1048576", 1 << 20), ("64 k", 64 << 10)])
def test_parse_size(text, expected):
    assert cacheprune.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "M", "5X", "-1G", "1e9"])
def test_parse_size_refuses(text):
    with pytest.raises(ValueError, match="not a size"):
        cacheprune.parse_size(text)


def test_cli_info_prune_clear(root, monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(root))
    runner = CliRunner()
    info = runner.invoke(main, ["cache", "info"])
    assert info.exit_code == 0 and "4 entries" in info.output and "story" in info.output
    pruned = runner.invoke(main, ["cache", "prune", "--max-size", "2000"])
    assert pruned.exit_code == 0 and pruned.output.startswith("removed 2 entries")
    bad = runner.invoke(main, ["cache", "prune", "--max-size", "5X"])
    assert bad.exit_code == 2 and "--max-size" in bad.output and "Traceback" not in bad.output
    cleared = runner.invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0 and cacheprune.usage(root).files == 0


def test_cli_says_when_the_cache_is_off(monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", "off")
    result = CliRunner().invoke(main, ["cache", "info"])
    assert result.exit_code == 2 and "cache is off" in result.output


def test_files_not_shaped_like_entries_are_never_touched(root, monkeypatch):
    """The cache folder may be one the user shares with other files (PAPERLAYOUT_CACHE=DIR)."""
    foreign = [root / "notmine" / "sub" / "file.txt", root / "story" / "aa" / "notes.txt",
               root / "story" / "zz" / ("f" * 64), root / "Docs" / "aa" / ("a" * 64)]
    for path in foreign:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"keep")
        os.utime(path, (T0, T0))
    assert cacheprune.usage(root).files == 4
    cacheprune.prune(root, 0)
    cacheprune.clear(root)
    assert all(path.exists() for path in foreign)


def test_prune_removes_writes_interrupted_long_ago(root):
    old = root / "page" / "cc" / ".pl-abc.part"
    new = root / "page" / "cc" / ".pl-def.part"
    for path, when in ((old, T0), (new, T0 + 2 * DAY - 60)):
        path.write_bytes(b"half")
        os.utime(path, (when, when))
    cacheprune.prune(root, 10_000, now=T0 + 2 * DAY)
    assert not old.exists() and new.exists()


def test_prune_by_hand_with_no_limit_removes_nothing(root, monkeypatch):
    monkeypatch.setenv("PAPERLAYOUT_CACHE", str(root))
    monkeypatch.setenv("PAPERLAYOUT_CACHE_MAX", "off")
    done = CliRunner().invoke(main, ["cache", "prune"])
    assert done.exit_code == 0 and "no limit" in done.output and cacheprune.usage(root).files == 4
