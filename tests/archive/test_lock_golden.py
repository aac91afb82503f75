"""The dependency lock reproduces the sample's bytes (issue 12 part 4): with the versions of
requirements.lock installed — as CI installs them — the sample builds to the committed golden
MD5 (X-1a and X-4), the Producer without a git commit as a wheel install writes it. In
another environment (other versions, another zlib) the test is skipped and says why."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import platform
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock_deps = _script("lock_deps")
golden_script = _script("golden")


def test_lock_pins_every_dependency_exactly():
    """Every line of the lock is name==version, sorted, and it names every runtime and test
    dependency of pyproject.toml (so CI's -c pins all of them)."""
    import tomllib
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = lock_deps.read_lock()
    lines = [ln for ln in (ROOT / "requirements.lock").read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    assert all(ln.count("==") == 1 and " " not in ln for ln in lines)
    assert [ln.split("==")[0] for ln in lines] == sorted(ln.split("==")[0] for ln in lines)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"] + project["optional-dependencies"]["archive"]
    for text in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock — python3 scripts/lock_deps.py"
        assert req.specifier.contains(pins[name]), f"the lock pins {name}=={pins[name]} outside pyproject's {req}"


def _mismatch() -> str | None:
    """Why this environment is not the locked one, or None."""
    locked = lock_deps.read_lock()
    try:
        installed = lock_deps.closure()
    except LookupError as exc:
        return f"not the locked environment: {exc}"
    wrong = [f"{n} {installed.get(n, 'missing')} (locked {v})" for n, v in locked.items() if installed.get(n) != v]
    if wrong:
        return ("installed versions differ from requirements.lock: " + ", ".join(wrong[:6]) +
                (" …" if len(wrong) > 6 else "") + " — pip install -c requirements.lock -e '.[test]' to test the golden")
    golden = json.loads((ROOT / "tests" / "archive" / "data" / "sample-golden.json").read_text("utf-8"))
    here = {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    if golden["environment"] != here:
        return f"the golden was made with {golden['environment']}, this is {here} (zlib and Python change the bytes)"
    return None


@pytest.mark.parametrize("standard", golden_script.STANDARDS)
def test_locked_versions_give_the_golden_bytes(standard, monkeypatch):
    reason = _mismatch()
    if reason:
        pytest.skip(reason)
    golden = json.loads(golden_script.GOLDEN.read_text("utf-8"))
    lock_digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes()).hexdigest()
    assert golden["lock"] == lock_digest, "requirements.lock changed since the golden was made: python3 scripts/golden.py"
    built = hashlib.md5(golden_script.sample_pdf(standard)).hexdigest()
    assert built == golden["md5"][standard], (
        f"the sample's {standard} bytes changed (md5 {built}, golden {golden['md5'][standard]}) with the locked "
        "versions installed: a change in the code moved them — if intended, python3 scripts/golden.py and commit")


def test_golden_build_omits_the_commit_only():
    """The golden's Producer is the wheel install's: version and style, no git part; all else
    as the CLI writes it (the creation date is the issue's)."""
    import io

    import pikepdf

    from paperlayout import __version__

    with pikepdf.open(io.BytesIO(golden_script.sample_pdf("x1a"))) as pdf:
        assert str(pdf.docinfo["/Producer"]) == f"paperlayout {__version__} (style broadsheet)"
        assert str(pdf.docinfo["/CreationDate"]) == "D:20230317050000+08'00'"
