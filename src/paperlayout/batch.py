"""Batch: regenerate a tree of issues into an output tree, resumably, on local processes or
on a Dask cluster (dask.distributed).

The unit of work is ``build_one(job, options) -> Outcome``: load, lay out, render one issue
into PDF bytes, never raising (a failure is an Outcome with its message). It runs wherever
the executor puts it — this process (``-j 1``), a local process pool (``-j N``) or a Dask
worker — and returns the bytes, so only the calling process writes files: the output tree
and the manifest have a single writer, and a remote cluster needs no shared file system.

Resuming: ``OUT/batch-manifest.json`` maps each issue's name to the hash of its inputs (every
file of the issue folder, its style sheet, the build options, and a fingerprint of the code
and fonts) and to the sha256 of the PDF written (and of its ALTO files with ``alto``). An issue whose input hash is unchanged and
whose PDF still has the recorded hash is skipped. Failures are logged to
``OUT/batch-failures.json`` (issue, input path, error kind, full message).

No click here: the command line (``cli_archive.py``) shows the progress bar and the summary.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .safeio import write_atomic  # the umask's mode, never half-written (one writer for every output)

MANIFEST = "batch-manifest.json"
FAILURES = "batch-failures.json"
MANIFEST_VERSION = 1
FLUSH_SECONDS = 2.0  # the manifest is rewritten at most this often while the batch runs


@dataclass(frozen=True, slots=True)
class Options:
    """Build options shared by every issue of a batch (part of each input hash)."""

    marks: bool = True
    standard: str = "x1a"  # x1a | x4
    preflight: bool = False
    fonts_dir: str = ""  # '' → the default fonts folder
    alto: bool = False  # also ALTO 4 XML per page: OUT/<name>/page-NN.xml
    package: bool = False  # also the archive package (BagIt, paperlayout.package): OUT/<name>.bag/
    pdfa: bool = False  # also the PDF/A-2b access copy (paperlayout.pdfa): OUT/<name>.access.pdf, and in the bag
    mod_date: str = ""  # ISO 8601 (aware) ModDate of a rebuild, for every issue; '' → none (provenance.py)


@dataclass(frozen=True, slots=True)
class Job:
    """One issue to build: ``name`` is its path in the tree (posix, no suffix) and names the
    output ``OUT/<name>.pdf``; ``issue`` is the issue folder; ``digest`` the input hash."""

    name: str
    issue: str
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What building one job gave: ``pdf`` bytes on success, else ``error`` (kind) and
    ``message``; ``pages``; ``seconds`` of wall time in the worker."""

    name: str
    ok: bool
    pdf: bytes = b""
    alto: tuple[tuple[int, bytes], ...] = ()  # (page number, ALTO XML) when asked for
    package: tuple[tuple[tuple[str, bytes], ...], tuple[tuple[str, str], ...]] = ((), ())  # payload, bag-info
    access: bytes = b""  # the PDF/A-2b access copy when asked for
    error: str = ""
    message: str = ""
    pages: int = 0
    seconds: float = 0.0


@dataclass
class Summary:
    """Counts of a batch run and the failures (name → (kind, message))."""

    total: int = 0
    built: int = 0
    skipped: int = 0
    failed: dict[str, tuple[str, str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Issues built (or failed) per second of wall time."""
        done = self.built + len(self.failed)
        return done / self.seconds if self.seconds > 0 else 0.0


# --- finding issues and hashing inputs ------------------------------------------------------


def find_jobs(tree: Path) -> list[Job]:
    """The issues under ``tree``: every folder holding an issue.yaml (sorted by name), or the
    folders a manifest file lists (one per line, relative to the manifest, # comments)."""
    tree = Path(tree)
    if tree.is_file():
        jobs = []
        for raw in tree.read_text(encoding="utf-8").splitlines():
            entry = raw.split("#", 1)[0].strip()
            if entry:
                folder = tree.parent / entry
                jobs.append(Job(_listed_name(Path(entry), tree.parent), str(folder)))
        names = [j.name for j in jobs]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"{tree}: issues listed twice or with the same folder name: {', '.join(twice)}"
                             " — list each issue once, by paths relative to the manifest")
        return jobs
    if (tree / "issue.yaml").is_file():
        return [Job(tree.resolve().name, str(tree))]
    found = sorted(p.parent for p in tree.rglob("issue.yaml"))
    return [Job(p.relative_to(tree).as_posix(), str(p)) for p in found]


def _listed_name(entry: Path, base: Path) -> str:
    """The output name of a listed issue folder: its path as listed when relative, relative to
    the manifest's folder when inside it, else its folder name."""
    if not entry.is_absolute():
        return entry.as_posix().strip("/")
    try:
        return entry.relative_to(base.resolve()).as_posix()
    except ValueError:
        return entry.name


def _hash_files(digest: "hashlib._Hash", files: Iterable[Path], root: Path) -> None:
    for file in sorted(files):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())


def code_fingerprint(fonts_dir: Path | None = None) -> str:
    """sha256 over paperlayout's own source and data files and the font files: a new version
    of the code or the fonts makes every issue out of date. The fonts are those the build
    reads (build.font_dir: the option, $PAPERLAYOUT_FONTS, the checkout's or the installed ones)."""
    from .build import font_dir

    package = Path(__file__).parent
    digest = hashlib.sha256()
    _hash_files(digest, (p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc"), package)
    fonts = font_dir(fonts_dir)
    if fonts.is_dir():
        _hash_files(digest, (p for p in fonts.iterdir() if p.is_file()), fonts)
    return digest.hexdigest()


def input_digest(job: Job, options: Options, fingerprint: str) -> str:
    """sha256 of everything that decides the output: the issue folder's files (the YAML, its
    photos, a style sheet kept there), a style sheet named outside it, the options, the code."""
    folder = Path(job.issue)
    digest = hashlib.sha256()
    digest.update(json.dumps([MANIFEST_VERSION, asdict(options), fingerprint]).encode())
    if folder.is_dir():
        _hash_files(digest, (p for p in folder.rglob("*") if p.is_file()), folder)
        style = _style_outside(folder)
        if style is not None:
            digest.update(b"style\0" + hashlib.sha256(style.read_bytes()).digest())
    return digest.hexdigest()


def _style_outside(folder: Path) -> Path | None:
    """The house style sheet an issue names when it lies outside the issue folder (e.g. one
    shared ../styles/house.yaml), found without loading the issue."""
    import re

    try:
        text = (folder / "issue.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = re.search(r"^\s+style:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", text, re.MULTILINE)
    if not match:
        return None
    path = (folder / match.group(1).strip()).resolve()
    inside = folder.resolve() in path.parents
    return path if path.is_file() and not inside else None


# --- building one issue ---------------------------------------------------------------------


def build_one(job: Job, options: Options) -> Outcome:
    """Build one issue to PDF bytes; every failure becomes an Outcome (never raises): bad
    input (the loader's located message), layout errors (the diagnostics), a crash (its type
    and message, so one broken issue does not stop the batch)."""
    started = time.perf_counter()

    def failed(kind: str, message: str) -> Outcome:
        return Outcome(job.name, False, error=kind, message=message, seconds=time.perf_counter() - started)

    try:
        from .build import FontError, PhotoError, lay_out, to_pdf
        from .loader import LoadError, load_issue
        from .render.pdfx import PdfxError

        modified = None
        if options.mod_date:
            from .provenance import parse_mod_date

            modified = parse_mod_date(options.mod_date)
        try:
            issue = load_issue(Path(job.issue))
            laid = lay_out(issue, Path(options.fonts_dir) if options.fonts_dir else None, workers=1)  # -j runs issues side by side
        except (LoadError, FontError, PhotoError) as exc:
            return failed("input", str(exc))
        if laid.report.errors:
            return failed("layout", "\n".join(str(d) for d in laid.report.errors))
        try:
            data, _ = to_pdf(laid, marks=options.marks, standard=options.standard, mod_date=modified)
        except PdfxError as exc:
            return failed("pdfx", str(exc))
        if options.preflight:
            problems = _preflight(data, laid.styles.ink_limit)
            if problems:
                return failed("preflight", problems)
        alto: tuple[tuple[int, bytes], ...] = ()
        if options.alto:
            from .render.alto import alto_pages

            alto = tuple(alto_pages(laid))
        access = b""
        if options.pdfa:
            from .pdfa import PdfaError, to_pdfa

            try:
                access = to_pdfa(data)
            except PdfaError as exc:
                return failed("pdfa", str(exc))
        package = ((), ())
        if options.package:  # built here (the worker reads the photos), written by the caller
            from .package import bag_info, build_payload

            package = (tuple(build_payload(laid, data, mod_date=modified, access=access or None).items()),
                       tuple(bag_info(laid, mod_date=modified).items()))
        return Outcome(job.name, True, pdf=data, alto=alto, package=package, access=access, pages=len(laid.pages),
                       seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - a bug in one issue must not stop the batch
        return failed("crash", f"{type(exc).__name__}: {exc}")


def _preflight(data: bytes, ink_limit: float) -> str:
    import tempfile

    from .preflight import preflight

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.pdf"
        probe.write_bytes(data)
        result = preflight(probe, ink_limit=ink_limit)
    return result.format() if result.errors else ""


# --- the manifest -----------------------------------------------------------------------------


def read_manifest(out: Path) -> dict[str, dict]:
    """The manifest of an earlier run in ``out`` (name → {input, output, sha256}); {} if none
    or unreadable (then everything is rebuilt)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    issues = data.get("issues")
    return issues if isinstance(issues, dict) else {}


def up_to_date(entry: dict | None, job: Job, out: Path) -> bool:
    """Whether the manifest entry says ``job`` was built from the same inputs and its PDF is
    still there unchanged."""
    if not entry or entry.get("input") != job.digest:
        return False
    files = {entry.get("output", ""): entry.get("sha256")} | dict(entry.get("alto", {})) | dict(entry.get("package", {}))
    files |= dict(entry.get("access", {}))
    try:
        return all(hashlib.sha256((out / name).read_bytes()).hexdigest() == digest for name, digest in files.items())
    except OSError:
        return False


def output_path(name: str) -> str:
    """The PDF's path inside the output tree, relative (posix)."""
    return f"{name}.pdf"


def access_path(name: str) -> str:
    """The PDF/A-2b access copy's path inside the output tree, relative (posix)."""
    return f"{name}.access.pdf"


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


# --- executors --------------------------------------------------------------------------------


def run_local(jobs: list[Job], options: Options, workers: int) -> Iterator[Outcome]:
    """Outcomes in completion order: in this process (workers ≤ 1) or a process pool."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield build_one(job, options)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(build_one, job, options) for job in jobs]
        for future in as_completed(futures):
            yield future.result()
    finally:  # interrupted (Ctrl-C): drop the jobs not started, let the running ones end
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(jobs: list[Job], options: Options, scheduler: str | None, workers: int) -> Iterator[Outcome]:
    """Outcomes in completion order from a Dask cluster: the scheduler at ``scheduler``
    (tcp://host:port) or, when None, a LocalCluster of ``workers`` single-threaded processes
    (the font tables are per process, and reportlab is not thread-safe)."""
    import logging

    import dask
    from distributed import Client, LocalCluster, as_completed

    if logging.getLogger().getEffectiveLevel() > logging.INFO:  # quiet unless -v
        logging.getLogger("distributed").setLevel(logging.WARNING)
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        # worker processes must be allowed children: a ≥ 4-page issue plans its pages in
        # forked processes (layout.issue), which daemonic processes may not start
        with dask.config.set({"distributed.worker.daemon": False}):
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   scheduler_kwargs={"dashboard": False}, silence_logs=logging.WARNING)
        client = Client(cluster)
    try:
        futures = client.map(build_one, jobs, options=options, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- the batch --------------------------------------------------------------------------------


def run_batch(jobs: list[Job], out: Path, options: Options, *, workers: int = 1,
              dask: bool = False, scheduler: str | None = None,
              on_start: Callable[[int, int], None] = lambda todo, skipped: None,
              on_done: Callable[[Outcome], None] = lambda outcome: None) -> Summary:
    """Build every job that is not up to date into ``out``; write the manifest and the
    failure log. ``on_start(todo, skipped)`` and ``on_done(outcome)`` feed a progress display.
    Output PDFs are written atomically; the manifest is flushed every ``FLUSH_SECONDS`` so an
    interrupted batch resumes where it stopped."""
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fingerprint = code_fingerprint(Path(options.fonts_dir) if options.fonts_dir else None)
    jobs = [Job(j.name, j.issue, input_digest(j, options, fingerprint)) for j in jobs]
    manifest = read_manifest(out)
    todo = [j for j in jobs if not up_to_date(manifest.get(j.name), j, out)]
    summary = Summary(total=len(jobs), skipped=len(jobs) - len(todo))
    inputs = {j.name: j for j in jobs}
    failures: dict[str, dict] = {}
    on_start(len(todo), summary.skipped)
    outcomes = run_dask(todo, options, scheduler, workers) if (dask or scheduler) else run_local(todo, options, workers)
    flushed = time.monotonic()
    try:
        for outcome in outcomes:
            job = inputs[outcome.name]
            if outcome.ok:
                relative = output_path(job.name)
                for number, xml in outcome.alto:  # before the PDF: a PDF on disk means all is there
                    write_atomic(out / job.name / f"page-{number:02d}.xml", xml)
                if outcome.package[0]:  # the bag (replacing an old one), also before the PDF
                    from .package import bag_files, write_bag

                    write_bag(dict(outcome.package[0]), dict(outcome.package[1]), out / f"{job.name}.bag", replace=True)
                if outcome.access:
                    write_atomic(out / access_path(job.name), outcome.access)
                write_atomic(out / relative, outcome.pdf)
                manifest[job.name] = {"input": job.digest, "output": relative, "issue": job.issue,
                                      "sha256": hashlib.sha256(outcome.pdf).hexdigest(), "pages": outcome.pages}
                if outcome.alto:
                    manifest[job.name]["alto"] = {f"{job.name}/page-{n:02d}.xml": hashlib.sha256(x).hexdigest()
                                                  for n, x in outcome.alto}
                if outcome.package[0]:
                    manifest[job.name]["package"] = bag_files(out / f"{job.name}.bag", out)
                if outcome.access:
                    manifest[job.name]["access"] = {access_path(job.name): hashlib.sha256(outcome.access).hexdigest()}
                summary.built += 1
            else:
                manifest.pop(job.name, None)
                summary.failed[job.name] = (outcome.error, outcome.message)
                failures[job.name] = {"issue": job.name, "input": job.issue, "error": outcome.error,
                                      "message": outcome.message}
            on_done(outcome)
            if time.monotonic() - flushed > FLUSH_SECONDS:
                write_atomic(out / MANIFEST, _json({"version": MANIFEST_VERSION, "issues": manifest}))
                flushed = time.monotonic()
    finally:
        write_atomic(out / MANIFEST, _json({"version": MANIFEST_VERSION, "issues": manifest}))
        log = [failures[name] for name in sorted(failures)]
        write_atomic(out / FAILURES, _json(log))
    summary.seconds = time.perf_counter() - started
    return summary
