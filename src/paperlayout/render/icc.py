"""The shipped output profile's location (no imaging library needed to name a path)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: File name of the shipped default output profile (see data/icc/README.md).
DEFAULT_PROFILE_NAME = "paperlayout-newsprint-tr002.icc"


def default_output_profile() -> Path:
    """Path of the shipped coldset newsprint CMYK profile (CGATS TR 002, GCR, TAC 240 %)."""
    return Path(str(resources.files("paperlayout").joinpath("data", "icc", DEFAULT_PROFILE_NAME)))
