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
