"""`paperlayout serve` over HTTP, without a browser: what it serves, what it refuses, where it
listens, the events it sends, what it writes."""

from __future__ import annotations

import http.client
import re
from pathlib import Path

import pytest


def _get(server, path: str) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, response.getheader("Content-Type", "")


def test_serves_the_page_state_and_proofs(shared_server):
    sample_server = shared_server
    status, body, kind = _get(sample_server, "/")
    assert status == 200 and kind.startswith("text/html") and b"/static/app.js" in body
    state = sample_server.state
    assert [p["number"] for p in state["pages"]] == [1]
    page = state["pages"][0]
    status, body, kind = _get(sample_server, page["url"])
    assert status == 200 and kind == "image/jpeg" and body[:3] == b"\xff\xd8\xff"
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(body)).size == (page["width"], page["height"]) == (2339, 3260)  # 396 × 552 mm at 150 dpi
    assert state["diagnostics"]  # the sample has at least a note (which one depends on the planner)
    for d in state["diagnostics"]:  # file:line split out of the locator, for the list's links
        match = re.match(r"(\S+\.yaml):(\d+) ", d["where"])
        assert (d["file"], d["line"]) == ((match[1], int(match[2])) if match else (None, None))
    assert [m["index"] for m in page["marks"]] == [d["index"] for d in state["diagnostics"]]  # each boxed
    assert page["fill"] == 1.0 and page["largest_hole_rows"] == 0 and page["plan"] and page["chars"] > 3000


@pytest.mark.parametrize("path", [
    "/proofs/../issue.yaml", "/proofs/..%2fissues%2fdalate%2fissue.yaml", "/proofs/../../../../etc/passwd",
    "/static/../serve.py", "/static/%2e%2e/cli.py", "//etc/passwd", "/issue.yaml", "/dalate/issue.yaml",
    "/photos/", "/static/", "/proofs/", "/proofs/page-01.png",
])
def test_nothing_outside_the_page_and_its_proofs_is_served(shared_server, path):
    status, body, _ = _get(shared_server, path)
    assert status == 404, (path, body[:80])


def test_binds_loopback_only(shared_server):
    sample_server = shared_server
    assert sample_server.host == "127.0.0.1"
    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("no /proc/net/tcp on this system to read the listening address from")
    listening = [line.split()[1] for line in table.read_text().splitlines()[1:]
                 if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == sample_server.port]
    assert listening == [f"0100007F:{sample_server.port:04X}"]  # 127.0.0.1, little-endian hex


def _events(server):
    """The /events stream as (event, data) pairs."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=120)
    connection.request("GET", "/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    event, data = None, None
    while True:
        line = response.fp.readline().decode()
        if line.startswith("event: "):
            event = line[7:].strip()
        elif line.startswith("data: "):
            data = line[6:].strip()
        elif line == "\n" and event:
            yield event, int(data)
            event = None


def _next_state(events) -> int:
    """The version of the next `state` event (a build that ended); `building` events skipped.
    Events coalesce: a listener is told the latest version, not every one in between."""
    for kind, version in events:
        if kind == "state":
            return version


def test_an_edit_sends_an_event_and_a_bad_save_keeps_the_proofs(sample_server):
    events = _events(sample_server)
    assert next(events) == ("state", sample_server.state["version"])
    old_url = sample_server.state["pages"][0]["url"]
    sample_server.edit(lambda text: text.replace("3月15日", "3月16日", 1))
    version = _next_state(events)
    state = sample_server.get_state()
    assert state["version"] == version and not state["building"]
    assert state["error"] is None and state["rendered"] == [1]
    assert state["pages"][0]["url"] != old_url

    sample_server.edit(lambda text: text.replace("pages:", "pages: [", 1))  # malformed YAML
    broken_version = _next_state(events)
    broken = sample_server.get_state()
    assert broken["version"] == broken_version
    assert "issue.yaml:" in broken["error"] and "malformed YAML" in broken["error"]
    assert broken["pages"][0]["url"] == state["pages"][0]["url"]  # the last good proof stays
    assert _get(sample_server, broken["pages"][0]["url"])[0] == 200

    sample_server.edit(lambda text: text.replace("pages: [", "pages:", 1))
    _next_state(events)
    fixed = sample_server.get_state()
    assert fixed["error"] is None
    assert fixed["pages"][0]["url"] == state["pages"][0]["url"]  # same copy, same proof


def test_writes_only_proof_images_into_its_output_folder(sample_server):
    before = sorted(p.name for p in sample_server.folder.iterdir())
    sample_server.edit(lambda text: text.replace("3月15日", "3月16日", 1))
    state = sample_server.wait_for(lambda s: not s["building"], sample_server.state["version"])
    assert state["error"] is None
    assert sorted(p.name for p in sample_server.folder.iterdir()) == before
    files = sorted(p.name for p in sample_server.out.iterdir())
    assert files == [state["pages"][0]["url"].rsplit("/", 1)[1]]  # the replaced proof is removed


def test_a_missing_photo_is_a_located_error_and_the_server_keeps_serving(sample_server):
    sample_server.edit(lambda text: text.replace("photos/", "photos/missing-", 1))
    state = sample_server.wait_for(lambda s: not s["building"], sample_server.state["version"])
    assert "photo file not found" in state["error"] and "issue.yaml:" in state["error"]
    assert _get(sample_server, "/")[0] == 200 and state["pages"][0]["url"]
    log = sample_server.stop()
    assert "Traceback" not in log
