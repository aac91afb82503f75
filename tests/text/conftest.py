"""Fixtures of the composer suite (helpers in composer_helpers.py)."""

from composer_helpers import fonts  # noqa: F401  (session fixture)
