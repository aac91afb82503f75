#!/usr/bin/env python3
"""Build paperlayout's default output profile: coldset offset on newsprint.

The profile is built with ArgyllCMS ``colprof`` from the characterisation data of
ANSI CGATS/SNAP TR 002-2007 ("Color Characterization Data for Coldset Printing on
Newsprint", 928 IT8.7/3 patches, average of 102 press runs), which Debian ships as
``/usr/share/color/icc/TR002.ti3`` in ``icc-profiles-free``. The data file says:
"Profiles, or other derivative work, based on these data may be distributed with no
further permissions from CGATS. However, this Technical Report must be identified as
the source of the characterization data." See src/paperlayout/data/icc/README.md.

Separation settings (what a newspaper plant expects, PRESS.md):
  * total area coverage limit 240 % (``-l 240``);
  * heavy grey-component replacement: no K in the highlights, K taking over from 15 %
    of the tone scale and reaching full black at 90 % (``-k p 0 0.15 0.9 1 1``);
  * perceptual table gamut-mapped from sRGB (``-S sRGB``), the usual photo source;
  * matte media attribute (``-Z m``).

The ICC header's creation date is replaced by a fixed date (SOURCE_DATE_EPOCH when set)
so that rebuilding gives the same bytes. Needs: Debian ``argyll`` and
``icc-profiles-free``. Run from the repository root:

    python3 scripts/build_newsprint_profile.py [--out src/paperlayout/data/icc/...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

TI3 = Path("/usr/share/color/icc/TR002.ti3")
SRGB = Path("/usr/share/color/icc/sRGB.icc")
OUT = Path("src/paperlayout/data/icc/paperlayout-newsprint-tr002.icc")
#: Header date when SOURCE_DATE_EPOCH is not set: the day this recipe was fixed.
DEFAULT_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)

DESCRIPTION = "paperlayout Newsprint TR002 GCR TAC240"
COPYRIGHT = (
    "Characterization data: ANSI CGATS/SNAP TR 002-2007, (c) 2007 NPES. "
    "Profile: paperlayout authors, zlib licence."
)
COLPROF_ARGS = [
    "-qm",                    # medium quality cLUTs (peak error ~1 dE76 on TR002)
    "-nc",                    # do not embed the .ti3 data (smaller file)
    "-Z", "m",                # matte media
    "-k", "p", "0", "0.15", "0.9", "1", "1",  # heavy GCR
    "-l", "240",              # total ink limit, %
    "-S", str(SRGB),          # perceptual gamut mapping from sRGB
    "-c", "mt", "-d", "pp",   # monitor source, practical print viewing conditions
    "-A", "paperlayout",
    "-M", "Coldset newsprint (CGATS/SNAP TR 002-2007 data)",
    "-D", DESCRIPTION,
    "-C", COPYRIGHT,
]


def fixed_date() -> dt.datetime:
    """The header date: SOURCE_DATE_EPOCH (UTC) if set, else DEFAULT_DATE."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return DEFAULT_DATE


def set_header_date(profile: bytes, when: dt.datetime) -> bytes:
    """Return the profile with ICC header bytes 24–35 (dateTimeNumber) set to ``when``.

    Argyll writes version 2 profiles, which have no profile ID (MD5) to recompute.
    """
    if profile[36:40] != b"acsp":
        raise ValueError("not an ICC profile")
    stamp = struct.pack(">6H", when.year, when.month, when.day, when.hour, when.minute, when.second)
    return profile[:24] + stamp + profile[36:]


def build(out: Path) -> None:
    """Run colprof on a copy of TR002.ti3 in a temporary directory and write ``out``."""
    colprof = shutil.which("colprof")
    if colprof is None:
        sys.exit("colprof not found: apt-get install argyll")
    for needed in (TI3, SRGB):
        if not needed.exists():
            sys.exit(f"{needed} not found: apt-get install icc-profiles-free")
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(TI3, Path(tmp) / "TR002.ti3")
        subprocess.run([colprof, *COLPROF_ARGS, "TR002"], cwd=tmp, check=True)
        profile = (Path(tmp) / "TR002.icc").read_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(set_header_date(profile, fixed_date()))
    print(f"wrote {out} ({out.stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
