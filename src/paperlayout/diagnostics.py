"""Diagnostics: problems found while loading, composing, laying out or rendering.

"Does not fit" and its relatives are values of this type, collected into reports;
exceptions are kept for broken input (LoadError) and bugs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """How bad a diagnostic is. ERROR fails the build (exit 1), WARNING is reported."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding.

    level: how bad; code: a stable short identifier (e.g. "overset", "kinsoku-forced");
    where: a human locator (file:line, "page 2 / story 'lead' / paragraph 3");
    message: what happened and what to do.
    """

    level: Level
    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.value}: {self.where}: {self.message} [{self.code}]"


def error(code: str, where: str, message: str) -> Diagnostic:
    return Diagnostic(Level.ERROR, code, where, message)


def warning(code: str, where: str, message: str) -> Diagnostic:
    return Diagnostic(Level.WARNING, code, where, message)


def info(code: str, where: str, message: str) -> Diagnostic:
    return Diagnostic(Level.INFO, code, where, message)
