#!/usr/bin/env python3
"""Write requirements.lock: every runtime and test dependency of paperlayout, and theirs,
pinned at the version installed in this environment (name==version, sorted).

    python3 -m pip install -e '.[test]'   # the environment to lock (a fresh venv is best)
    python3 scripts/lock_deps.py          # rewrites requirements.lock
    python3 scripts/lock_deps.py --check  # exit 1 if the installed versions differ from the lock

The closure is walked from the installed metadata (importlib.metadata), following each
requirement whose environment marker holds here, with the extras it names; paperlayout
itself is not pinned. CI installs with ``pip install -c requirements.lock -e '.[test]'`` and
tests/archive/test_lock_golden.py compares the sample's bytes with a golden when the
installed versions are the locked ones.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import platform
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
#: what the lock is for: the package and the extras whose dependencies are pinned
TOP = ("paperlayout", ("test", "archive"))


def closure(top: str = TOP[0], extras: tuple[str, ...] = TOP[1]) -> dict[str, str]:
    """canonical name → installed version of every distribution ``top[extras]`` needs;
    LookupError naming a required distribution that is not installed."""
    found: dict[str, str] = {}
    todo: list[tuple[str, frozenset[str]]] = [(top, frozenset(extras))]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, wanted = todo.pop()
        if (canonicalize_name(name), wanted) in seen:
            continue
        seen.add((canonicalize_name(name), wanted))
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            raise LookupError(f"{name} is required but not installed — pip install -e '.[test]' first") from None
        key = canonicalize_name(dist.metadata["Name"])
        if key != canonicalize_name(top):
            found[key] = dist.version
        for text in dist.requires or []:
            req = Requirement(text)
            envs = [{"extra": e} for e in wanted] or [{"extra": ""}]
            if req.marker is not None and not any(req.marker.evaluate(env) for env in envs):
                continue
            todo.append((req.name, frozenset(req.extras)))
    return dict(sorted(found.items()))


def render(pins: dict[str, str]) -> str:
    head = [
        "# requirements.lock — the exact versions that give the committed golden bytes of the sample",
        "# (tests/archive/test_lock_golden.py). Every runtime, test and archive dependency of",
        "# paperlayout and theirs, as installed when it was written:",
        f"#   Python {platform.python_version()} on {platform.system()} {platform.machine()}",
        "# Used by CI: pip install -c requirements.lock -e '.[test]'   (.ci/run)",
        "# Regenerate: in an environment with the wanted versions installed (pip install -e '.[test]'),",
        "#   python3 scripts/lock_deps.py && python3 scripts/golden.py   # the lock, then the golden",
        "# Check:      python3 scripts/lock_deps.py --check",
    ]
    return "\n".join(head + [f"{name}=={version}" for name, version in pins.items()]) + "\n"


def read_lock(path: Path = LOCK) -> dict[str, str]:
    pins = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare the installed versions with the lock")
    args = parser.parse_args()
    try:
        pins = closure()
    except LookupError as exc:
        print(f"lock_deps: {exc}", file=sys.stderr)
        return 1
    if args.check:
        locked = read_lock()
        wrong = {n: (v, pins.get(n)) for n, v in locked.items() if pins.get(n) != v}
        extra = sorted(set(pins) - set(locked))
        for name, (want, have) in wrong.items():
            print(f"{name}: locked {want}, installed {have or 'nothing'}")
        for name in extra:
            print(f"{name}: installed {pins[name]}, not in the lock")
        return 1 if wrong or extra else 0
    LOCK.write_text(render(pins), "utf-8")
    print(f"lock_deps: {len(pins)} pins written to {LOCK.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
