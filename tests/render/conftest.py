"""Fixtures of the renderer suite (helpers in render_helpers.py)."""

from __future__ import annotations

import pytest
from render_helpers import real_fonts


@pytest.fixture(scope="session")
def fonts():
    return real_fonts()
