"""Session-wide test settings: the on-disk cache (paperlayout.cache) of every build the tests
run, in-process or through the CLI, goes to a folder of this session, never the user's."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    saved = os.environ.get("PAPERLAYOUT_CACHE")
    os.environ["PAPERLAYOUT_CACHE"] = str(tmp_path_factory.mktemp("paperlayout-cache"))
    yield
    if saved is None:
        os.environ.pop("PAPERLAYOUT_CACHE", None)
    else:
        os.environ["PAPERLAYOUT_CACHE"] = saved


@pytest.fixture(scope="session")
def synthetic_issue(tmp_path_factory):
    """A function (name, pages, jumps=0) → a generated broadsheet issue of that many pages,
    `jumps` of them (2, 4, …) overfilled so that a story continues on the next page
    (benchmarks/make_synthetic.py), loaded; each made once per session."""
    import subprocess
    import sys
    from pathlib import Path

    from paperlayout.loader import load_issue

    root = Path(__file__).resolve().parents[1]
    made: dict = {}

    def make(name: str, pages: int, jumps: int = 0):
        if (name, pages, jumps) not in made:
            folder = tmp_path_factory.mktemp(name) / f"{pages}-pages"
            subprocess.run([sys.executable, str(root / "benchmarks" / "make_synthetic.py"), str(folder),
                            "--pages", str(pages), "--jumps", str(jumps)], check=True, stdout=subprocess.DEVNULL)
            made[(name, pages, jumps)] = load_issue(folder, root=Path("/"))
        return made[(name, pages, jumps)]

    return make
