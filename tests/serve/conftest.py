"""A `paperlayout serve` process on a free loopback port, over a copy of an issue."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "issues" / "dalate"
CORPUS = ROOT / "tests" / "corpus"
WAIT = 120.0  # s: the longest any step may take before the test fails (a hang, not a speed test)


class Server:
    """The served issue's folder, the server's output folder and URL, and helpers to read it."""

    def __init__(self, folder: Path, out: Path) -> None:
        """Run `paperlayout serve NAME` in the issue's parent folder, as an editor would."""
        self.folder = folder
        self.out = out
        self.yaml = folder / "issue.yaml"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.process = subprocess.Popen([sys.executable, "-u", "-m", "paperlayout", "serve", folder.name, "--port", "0",
                                         "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        env=env, text=True, cwd=folder.parent)
        line = self.process.stdout.readline()
        match = re.search(r"at (http://([\d.]+):(\d+)/)", line)
        assert match, f"server did not announce its address: {line!r}"
        self.url, self.host, self.port = match[1], match[2], int(match[3])
        self.state = self.wait_for(lambda s: s["version"] > 0 and not s["building"])

    def get_state(self) -> dict:
        with urllib.request.urlopen(self.url + "state", timeout=10) as response:
            return json.load(response)

    def wait_for(self, done, after: int = 0) -> dict:
        """Poll /state until `done(state)` holds for a version after `after`."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server died"
            state = self.get_state()
            if state["version"] > after and done(state):
                return state
            time.sleep(0.05)
        raise AssertionError(f"no such state within {WAIT} s: last {state['version']}, error {state['error']!r}")

    def edit(self, change) -> None:
        text = self.yaml.read_text(encoding="utf-8")
        new = change(text)
        assert new != text
        self.yaml.write_text(new, encoding="utf-8")

    def stop(self) -> str:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out


def _copy_issue(source: Path, target: Path) -> Path:
    """The issue's YAML copied (it will be edited), its photos linked inside the copy's folder
    (a corpus issue's ``../photos/`` becomes ``photos/``): the copy is self-contained."""
    folder = target / source.name
    folder.mkdir(parents=True)
    text = (source / "issue.yaml").read_text(encoding="utf-8")
    photos = source / "photos"
    if not photos.is_dir() and (source.parent / "photos").is_dir():
        photos = source.parent / "photos"
        text = text.replace("../photos/", "photos/")
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    if photos.is_dir():
        (folder / "photos").symlink_to(photos.resolve())
    return folder


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One server for the tests that only read from it."""
    tmp_path = tmp_path_factory.mktemp("shared")
    server = Server(_copy_issue(SAMPLE, tmp_path / "issues"), tmp_path / "out")
    yield server
    server.stop()


@pytest.fixture
def sample_server(tmp_path):
    server = Server(_copy_issue(SAMPLE, tmp_path / "issues"), tmp_path / "out")
    yield server
    server.stop()


@pytest.fixture
def crafted_server(tmp_path):
    """The sample with a paragraph that is one overlong URL: a diagnostic box on each line."""
    from .crafted import make_crafted

    server = Server(make_crafted(tmp_path / "issues"), tmp_path / "out")
    yield server
    server.stop()
