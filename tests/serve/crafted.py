"""An issue made for the overlay tests: the sample with a paragraph replaced by a URL longer
than any measure (the composer must split it: a diagnostic per line, whatever the planner
chooses). Built in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"
URL = "https://www.example.com/" + "abcdefghij" * 24
PARAGRAPH = "          - 下一步，旗“扫黄打非”办、文化市场综合行政执法局"


def make_crafted(target: Path) -> Path:
    folder = target / "crafted"
    folder.mkdir(parents=True)
    (folder / "photos").symlink_to(SAMPLE / "photos")
    shutil.copy(SAMPLE / "issue.yaml", folder / "issue.yaml")
    lines = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(PARAGRAPH))
    lines[at] = f"          - 详情见{URL}。\n"
    (folder / "issue.yaml").write_text("".join(lines), encoding="utf-8")
    return folder
