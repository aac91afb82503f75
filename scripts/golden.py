#!/usr/bin/env python3
"""The sample's golden bytes: build issues/dalate as PDF/X-1a and PDF/X-4 and record their MD5
in tests/archive/data/sample-golden.json, with what the bytes depend on besides the code
(the locked dependency versions, zlib, Python).

    python3 scripts/golden.py           # rewrite the golden (after a change that moves bytes)
    python3 scripts/golden.py --check   # exit 1 when the bytes differ from the golden

The Producer names the git commit when built from a checkout (provenance.py); the golden is
built as a wheel install builds — without a commit — so it does not change with every commit.
No SOURCE_DATE_EPOCH, the shipped fonts and output profile. tests/archive/test_lock_golden.py
runs the same build when the installed versions are the locked ones (requirements.lock).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import zlib
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "dalate"
GOLDEN = ROOT / "tests" / "archive" / "data" / "sample-golden.json"
STANDARDS = ("x1a", "x4")


def sample_pdf(standard: str) -> bytes:
    """The sample built in this process as `paperlayout build` does (marks on), the Producer
    without a git commit; SOURCE_DATE_EPOCH and PAPERLAYOUT_FONTS ignored."""
    from paperlayout import provenance
    from paperlayout.build import lay_out, to_pdf
    from paperlayout.loader import load_issue

    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PAPERLAYOUT_FONTS")}
    with mock.patch.dict(os.environ, env, clear=True), mock.patch.object(provenance, "source_revision", lambda root=None: None):
        laid = lay_out(load_issue(SAMPLE))
        data, _ = to_pdf(laid, standard=standard)
    return data


def environment() -> dict:
    """What the bytes depend on besides the code and the locked versions."""
    return {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    digests = {s: hashlib.md5(sample_pdf(s)).hexdigest() for s in STANDARDS}
    if args.check:
        golden = json.loads(GOLDEN.read_text("utf-8"))
        ok = all(golden["md5"].get(s) == d for s, d in digests.items())
        print(json.dumps({"golden": golden["md5"], "built": digests}, indent=2))
        return 0 if ok else 1
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps({"md5": digests, "environment": environment(),
                                  "lock": hashlib.sha256((ROOT / "requirements.lock").read_bytes()).hexdigest()},
                                 indent=2) + "\n", "utf-8")
    print(f"golden: {digests} written to {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
