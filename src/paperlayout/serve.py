"""The editor's loop (`paperlayout serve ISSUE`): live proofs in the browser with the quality
report drawn on the page, rebuilt when the issue, its style sheet or a photo is saved.

Stack: the standard library's ``ThreadingHTTPServer``. Server-sent events are a plain
streaming response (``text/event-stream``) that a thread per open page writes to, so no
ASGI stack (Starlette + uvicorn + anyio) is needed for one editor on loopback; file
watching is ``watchfiles`` (inotify on Linux). The page is static HTML + JS in ``web/``.

What is served (nothing else; every other path is 404):

- ``/`` and ``/static/NAME`` — the page and its script/style, from the package's ``web/``;
- ``/state`` — JSON: pages (proof URL, size, trim corner, marks in px, figures, plan),
  diagnostics (level, code, file, line, message), the located error of the last failed
  build (if any), version and timings;
- ``/proofs/NAME.jpg`` — proof images from the output folder (names are checked against
  the files the server wrote: no path from the request reaches the file system);
- ``/events`` — server-sent events: ``building`` when a rebuild starts, ``state`` (with
  the version) when one ends.

Writes: only proof images (JPEG, see ``jpeg_bytes``) into the output folder (``--out``, default a fresh temporary folder),
each named by its content hash, so the browser reloads only the pages that changed.

Rebuilds: when only the issue YAML changed and the last build had no continued story
(转版), the pages whose model is unchanged keep their layout and proof, the others are laid
out again (``lay_out_page``, the planners of unchanged stories reused); anything else (style
sheet, photo, paper data, a jump) rebuilds the whole issue. A failed load keeps the last good
proofs and shows the located message. The builder never raises: every failure becomes the
page's error message.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger("paperlayout.serve")

WEB = Path(__file__).with_name("web")
STATIC = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
          "app.css": "text/css; charset=utf-8"}
_WHERE_FILE = re.compile(r"^(?P<file>[^\s:]+\.ya?ml):(?P<line>\d+)")


def issue_file(path: Path) -> Path:
    """The issue.yaml of ISSUE (a file or its folder)."""
    return path / "issue.yaml" if path.is_dir() else path


@dataclass
class _Prev:
    """What the last good build left, for the next incremental one."""

    laid: object = None  # build.Laid
    ctx: object = None  # the LayoutContext of laid's styles and fonts
    cache: dict = field(default_factory=dict)  # (story, rank) → StoryPlanner
    files: dict = field(default_factory=dict)  # page number → (frame, png name, Proof geometry)


class Session:
    """One served issue: builds it, keeps the state the browser shows, wakes the listeners."""

    def __init__(self, issue: Path, out: Path, dpi: int = 150, fonts_dir: Path | None = None) -> None:
        self.issue_path = issue_file(issue)
        self.root = self.issue_path.parent.resolve()
        self.out = out
        self.dpi = dpi
        self.fonts_dir = fonts_dir
        self.out.mkdir(parents=True, exist_ok=True)
        self.version = 0
        self.building = False
        self.state: dict = {"version": 0, "pages": [], "diagnostics": [], "error": None, "building": True,
                            "issue": str(self.issue_path), "title": "", "dpi": dpi}
        self.served: set[str] = set()  # proof names the server wrote and still shows
        self.watched: set[Path] = {self.root}
        self._prev = _Prev()
        self._cond = threading.Condition()
        self._dirty: set[str] | None = None  # changed paths waiting for the builder; None: nothing
        self._stop = threading.Event()

    # ------------------------------------------------------------------ build

    def build(self, changed: set[str] | None = None) -> None:
        """Rebuild now (in the caller's thread). Never raises."""
        started = time.perf_counter()
        self._publish(building=True)
        try:
            update = self._build(changed)
        except Exception as exc:  # bad input of any kind: show it, keep the last good proofs
            update = {"error": self._message(exc)}
            from .build import FontError, PhotoError
            from .loader import LoadError

            if not isinstance(exc, (_Expected, LoadError, FontError, PhotoError)):
                log.error("build failed:\n%s", traceback.format_exc())
        update["seconds"] = round(time.perf_counter() - started, 3)
        self._publish(building=False, **update)

    def _message(self, exc: Exception) -> str:
        from .build import FontError, PhotoError
        from .loader import LoadError

        if isinstance(exc, (LoadError, FontError, PhotoError, _Expected)):
            return f"{exc}"
        return f"internal error while building ({type(exc).__name__}: {exc}); the last good proofs are shown"

    def _build(self, changed: set[str] | None) -> dict:
        from .build import lay_out, read_photos
        from .layout.context import LayoutContext
        from .loader import load_issue

        if not self.issue_path.is_file():
            raise _Expected(f"{self.issue_path}: the issue file is missing; save it again")
        issue = load_issue(self.issue_path)
        prev = self._prev
        only_yaml = changed is not None and all(Path(p).resolve() == self.issue_path.resolve() for p in changed)
        laid = None
        if only_yaml and prev.laid is not None and prev.laid.issue.style == issue.style:
            pixels = read_photos(issue)
            results = self._incremental(prev.ctx, issue, pixels, prev)
            if results is not None:
                laid = replace(prev.laid, issue=issue, pages=results,
                               report=_report(issue, results, prev.laid.styles, prev.laid.fonts, pixels))
        if laid is None:  # the whole pipeline, as `paperlayout build` runs it
            laid = lay_out(issue, self.fonts_dir, workers=1)  # no fork from a threaded server
            keep = prev.files if only_yaml else {}  # a photo or the style sheet changed: draw every page
            prev = self._prev = _Prev(ctx=LayoutContext(laid.styles, laid.fonts), files=keep)
        prev.laid = laid
        self.watched = {self.root} | {Path(p.path).parent.resolve() for pg in issue.pages for s in pg.stories for p in s.photos}
        if issue.style is not None:
            self.watched.add(Path(issue.style).parent.resolve())
        return self._render(laid, prev)

    def _incremental(self, ctx, issue, pixels, prev: _Prev):
        """The pages laid out again only where their model changed (``lay_out_page`` with the
        planners of unchanged stories reused), or None when the whole issue must be: the paper
        data or the page list changed, a story was continued (转版) or a filler (补白) placed
        last time, or a changed page does not come out filled and level — then
        ``lay_out_issue`` would try a jump or a filler, which depend on the other pages."""
        from .layout.issue import lay_out_page, page_quality

        old_issue = prev.laid.issue
        if replace(old_issue, pages=()) != replace(issue, pages=()):
            return None
        if [p.number for p in old_issue.pages] != [p.number for p in issue.pages]:
            return None
        old = {p.number: p for p in old_issue.pages}
        if any(r.stories != old[r.number].stories for r in prev.laid.pages):
            return None  # a continued story or a filler: the pages depend on each other
        out = []
        for page, before in zip(issue.pages, prev.laid.pages):
            if old[page.number] == page:
                out.append(before)
                continue
            result = lay_out_page(ctx, issue, page, pixels, cache=prev.cache)
            if page_quality(result) != (0, 0):
                return None
            out.append(result)
        return tuple(out)

    def _render(self, laid, prev: _Prev) -> dict:
        from .build import title
        from .proofs import locate, rasterise
        from .safeio import write_atomic

        issue, results, report = laid.issue, laid.pages, laid.report
        stale = [r for r in results if r.frame is not None and (r.number not in prev.files or prev.files[r.number][0] != r.frame)]
        press: list[dict] = []
        if stale:
            data, press = _pdf(laid, stale)
            for proof in rasterise(data, [r.number for r in stale], self.dpi):
                png = jpeg_bytes(proof.image)
                name = f"page-{proof.number:02d}-{hashlib.sha256(png).hexdigest()[:12]}.jpg"
                if not (self.out / name).exists():  # named by content: written once, complete (renamed into place)
                    write_atomic(self.out / name, png)
                frame = next(r.frame for r in stale if r.number == proof.number)
                geometry = replace(proof, image=None)
                prev.files[proof.number] = (frame, name, geometry, proof.image.size,
                                            [f for f in press if f["page"] == proof.number])
        press = [f for entry in prev.files.values() for f in entry[4]]
        marks = locate(laid, press)
        pages = []
        for result, page_report in zip(results, report.pages):
            entry = {"number": result.number, "fill": page_report.fill, "largest_hole_rows": page_report.largest_hole_rows,
                     "plan": list(page_report.plan), "stories": [s.id for s in page_report.stories],
                     "chars": _chars(result.frame), "jumps": _jumps(result), "url": None, "marks": []}
            if result.frame is not None and result.number in prev.files:
                _, name, geometry, size, _ = prev.files[result.number]
                entry.update(url=f"/proofs/{name}", width=size[0], height=size[1])
                entry["marks"] = [{"index": m.index, "level": m.level, "code": m.code, "label": m.label,
                                   "where": m.where, "message": m.message, "px": list(geometry.box(m))}
                                  for m in marks if m.page == result.number]
            pages.append(entry)
        for number in [n for n in prev.files if n not in {r.number for r in results if r.frame is not None}]:
            del prev.files[number]
        keep = {entry[1] for entry in prev.files.values()}
        for name in self.served - keep:  # only files this server wrote
            (self.out / name).unlink(missing_ok=True)
        self.served = keep
        diagnostics = [_diagnostic(i, d.level.value, d.code, d.where, d.message) for i, d in enumerate(report.diagnostics)]
        diagnostics += [_diagnostic(-1, m.level, m.code, m.where, m.message) for m in marks if m.index < 0]
        return {"error": None, "pages": pages, "diagnostics": diagnostics, "title": title(issue),
                "rendered": sorted(r.number for r in stale)}

    def _publish(self, **update) -> None:
        with self._cond:
            self.version += 1
            self.building = update.get("building", self.building)
            self.state = {**self.state, **update, "version": self.version, "building": self.building}
            self._cond.notify_all()

    # ------------------------------------------------------------------ loop

    def changed(self, paths: set[str]) -> None:
        """Files changed on disk: queue a rebuild (coalescing what arrives meanwhile)."""
        with self._cond:
            self._dirty = (self._dirty or set()) | set(paths)
            self._cond.notify_all()

    def run_builder(self) -> None:
        """The builder thread: builds once, then whenever files changed, until stopped."""
        self.build(None)
        while not self._stop.is_set():
            with self._cond:
                while self._dirty is None and not self._stop.is_set():
                    self._cond.wait(0.5)
                paths, self._dirty = self._dirty, None
            if paths is not None and not self._stop.is_set():
                self.build(paths)

    def run_watcher(self) -> None:
        """The watcher thread: the issue folder, its style sheet's and photos' folders."""
        import watchfiles

        while not self._stop.is_set():
            roots = sorted(self.watched)
            stop = threading.Event()

            def relay(_stop=stop, _roots=roots):
                while not self._stop.is_set() and sorted(self.watched) == _roots:
                    time.sleep(0.2)
                _stop.set()

            threading.Thread(target=relay, daemon=True).start()
            try:
                for changes in watchfiles.watch(*[r for r in roots if r.exists()], stop_event=stop, debounce=50,
                                                step=20, rust_timeout=200, yield_on_timeout=False,
                                                watch_filter=self._wanted):
                    self.changed({path for _, path in changes})
            except Exception:  # a folder vanished: watch again what is there
                log.warning("watching stopped:\n%s", traceback.format_exc())
                time.sleep(0.5)

    def _wanted(self, _change, path: str) -> bool:
        p = Path(path)
        if self.out in p.parents or p.name.startswith(".") or p.name.endswith(("~", ".swp", ".part", ".tmp")):
            return False
        return True

    def wait(self, after: int, timeout: float) -> tuple[int, bool]:
        """Block until the version passes `after` (or `timeout` s); (version, building) now."""
        with self._cond:
            self._cond.wait_for(lambda: self.version > after or self._stop.is_set(), timeout)
            return self.version, self.building

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()


def _report(issue, results, styles, fonts, pixels):
    """The quality report of `results`, made as ``build.lay_out`` makes it (build.issue_report);
    tests/serve/test_session.py compares the two."""
    from .build import issue_report

    return issue_report(issue, results, styles, fonts, pixels)


def _pdf(laid, stale) -> tuple[bytes, list[dict]]:
    """The stale pages drawn by the renderer (as ``build.to_pdf`` does, without the PDF/X
    finishing, which changes no mark on the page), and the photos' press figures."""
    from dataclasses import asdict

    from .build import title
    from .render.pdf import RenderOptions, render

    issue = laid.issue
    options = RenderOptions(marks=False, colour_pages=frozenset(p.number for p in issue.pages if p.is_colour),
                            ink_limit=laid.styles.ink_limit, photo_ppi=laid.styles.photo_ppi, title=title(issue),
                            max_pixels=laid.limits.image_pixels)
    data, figures = render([r.frame for r in stale], laid.fonts, options)
    return data, [asdict(f) for f in figures]


def jpeg_bytes(image) -> bytes:
    """The browser's proof: JPEG at quality 92 without chroma subsampling (text edges stay
    sharp; encoding is ten times faster than PNG for a broadsheet page at 150 dpi)."""
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92, subsampling=0)
    return buffer.getvalue()


class _Expected(Exception):
    """A build failure with a message for the editor (no traceback logged)."""


def _diagnostic(index: int, level: str, code: str, where: str, message: str) -> dict:
    m = _WHERE_FILE.match(where)
    return {"index": index, "level": level, "code": code, "where": where, "message": message,
            "file": m["file"] if m else None, "line": int(m["line"]) if m else None}


def _chars(frame) -> int:
    """Characters set in the page's stories (spaces and jump lines not counted)."""
    from .frames import TextLine

    if frame is None:
        return 0
    return sum(len("".join(g.text for g in i.line.glyphs if not g.text.isspace()))
               for s in frame.stories for i in s.items if isinstance(i, TextLine) and i.role != "jump")


def _jumps(result) -> list[str]:
    out = []
    for s in result.stories:
        if s.jump_out:
            out.append(f"{s.id} continues on page {s.jump_out}")
        if s.jump_in:
            out.append(f"{s.part_of or s.id} continued from page {s.jump_in}")
    return out


# ---------------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    """GET only; every path not listed in the module docstring is 404."""

    session: Session  # set on the subclass made by make_server
    server_version = "paperlayout"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = self.path.split("?", 1)[0]
        if path == "/":
            return self._file(WEB / "index.html", STATIC["index.html"])
        if path.startswith("/static/") and path[len("/static/"):] in STATIC:
            name = path[len("/static/"):]
            return self._file(WEB / name, STATIC[name])
        if path == "/state":
            body = json.dumps(self.session.state, ensure_ascii=False).encode()
            return self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
        if path.startswith("/proofs/"):
            name = path[len("/proofs/"):]
            if name in self.session.served:  # only names the server wrote: no traversal possible
                return self._file(self.session.out / name, "image/jpeg", cache=True)
        if path == "/events":
            return self._events()
        self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"", "text/plain")

    def _file(self, path: Path, kind: str, cache: bool = False) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")
        self._send(HTTPStatus.OK, data, kind, cache)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if cache else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state's version now, then on every change; a comment
        every 15 s keeps the connection open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            while not self.session._stop.is_set():
                version, building = self.session.wait(seen, 15.0)
                if version == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    kind = "building" if building else "state"
                    self.wfile.write(f"event: {kind}\ndata: {version}\n\n".encode())
                    seen = version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(session: Session, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """The HTTP server for `session`, bound to host:port (port 0: a free one)."""
    handler = type("SessionHandler", (Handler,), {"session": session})
    return _Server((host, port), handler)


def serve(issue: Path, *, host: str = "127.0.0.1", port: int = 0, out: Path | None = None, dpi: int = 150,
          fonts_dir: Path | None = None, open_browser: bool = False, announce=print) -> None:
    """Serve ISSUE until interrupted: builder and watcher threads, the HTTP server in this one."""
    out = out or Path(tempfile.mkdtemp(prefix="paperlayout-serve-"))
    session = Session(issue, out.resolve(), dpi, fonts_dir)
    server = make_server(session, host, port)
    url = f"http://{server.server_address[0]}:{server.server_address[1]}/"
    threading.Thread(target=session.run_builder, name="builder", daemon=True).start()
    threading.Thread(target=session.run_watcher, name="watcher", daemon=True).start()
    announce(f"serving {session.issue_path} at {url} (proofs in {out}); Ctrl-C stops")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        session.stop()
        server.server_close()
