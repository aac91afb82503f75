"""Fixtures of the press suite (helpers in press_helpers.py)."""

from __future__ import annotations

import pytest
from press_helpers import photo


@pytest.fixture(scope="session")
def photos(tmp_path_factory):
    """Synthetic test photos: name → path."""
    root = tmp_path_factory.mktemp("photos")
    return {
        "400": photo(root / "p400.png", (400, 300)),
        "1000": photo(root / "p1000.png", (1000, 750), icc=True),
        "144": photo(root / "p144.png", (144, 108)),
        "dark": photo(root / "dark.png", (600, 450), dark=True),
        "wide": photo(root / "wide.png", (600, 200)),
    }
