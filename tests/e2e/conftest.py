"""Shared fixtures: the sample issue built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"


@pytest.fixture(scope="session")
def sample_issue():
    from paperlayout.loader import load_issue

    return load_issue(SAMPLE)


@pytest.fixture(scope="session")
def sample_laid(sample_issue):
    from paperlayout.build import lay_out

    return lay_out(sample_issue)


@pytest.fixture(scope="session")
def sample_pdf(sample_laid, tmp_path_factory) -> Path:
    from paperlayout.build import to_pdf

    data, _ = to_pdf(sample_laid)
    path = tmp_path_factory.mktemp("sample") / "dalate.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="session")
def check_frame():
    """The collision check of test_no_collisions, for other page tests."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("no_collisions", Path(__file__).parent / "test_no_collisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check_frame
