"""`paperlayout build` ends its process at once when it is done (cli.run `_leave`: no teardown
of the laid-out issue). What it printed and wrote must all be there, in a pipe too, and the
exit code must be the command's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "dalate"


def _build(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "paperlayout", "-v", "build", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_a_good_build_leaves_its_pdf_and_its_messages(tmp_path):
    out = tmp_path / "s.pdf"
    done = _build(str(SAMPLE), "-o", str(out), "--no-preflight", "--report", str(tmp_path / "r.json"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith(f"wrote {out} (1 pages")  # stdout flushed into the pipe
    assert "layout:" in done.stderr  # -v logging flushed too
    assert out.read_bytes().startswith(b"%PDF-") and out.read_bytes().rstrip().endswith(b"%%EOF")
    assert (tmp_path / "r.json").read_text(encoding="utf-8").startswith("{")


def test_a_refused_build_keeps_its_exit_code_and_writes_nothing(tmp_path):
    corpus = ROOT / "tests" / "corpus"
    done = _build(str(corpus / "02-tiny-story-alone"), "-o", str(tmp_path / "x.pdf"), "--root", str(corpus),
                  cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "page 1 is short by about" in done.stderr and done.stderr.rstrip().endswith("no PDF written.")
    assert not (tmp_path / "x.pdf").exists()


def test_bad_input_exits_2(tmp_path):
    done = _build(str(tmp_path / "nowhere"), "-o", str(tmp_path / "x.pdf"), cwd=tmp_path)
    assert done.returncode == 2 and "error" in done.stderr and not (tmp_path / "x.pdf").exists()
