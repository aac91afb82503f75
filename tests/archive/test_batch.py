"""`paperlayout batch`: a tree of generated one-page tabloid issues built with -j 2 on local
processes and on a Dask LocalCluster (same bytes), one broken issue reported without stopping
the rest, resumed runs that skip what is up to date and rebuild exactly what changed.

The big run (≥ 50 issues) is scripts/batch_demo.py; this keeps 10 issues."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperlayout.batch import FAILURES, MANIFEST, Job, Options, build_one, find_jobs
from paperlayout.cli import main

ROOT = Path(__file__).resolve().parents[2]
COUNT, BROKEN = 10, 3

_spec = importlib.util.spec_from_file_location("batch_demo", ROOT / "scripts" / "batch_demo.py")
demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(demo)


def _batch(*args: str):
    return CliRunner().invoke(main, ["batch", *args, "--no-progress"])


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    demo.make_tree(root, COUNT, broken=(BROKEN,))
    return root


@pytest.fixture(scope="module")
def local_run(tree, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    return out, _batch(str(tree), "-o", str(out), "-j", "2")


def test_broken_issue_is_reported_and_the_rest_are_built(local_run):
    out, result = local_run
    assert result.exit_code == 1, result.output
    pdfs = demo.tree_digest(out)
    assert len(pdfs) == COUNT - 1
    assert f"2023/issue-{BROKEN:03d}.pdf" not in pdfs
    log = json.loads((out / FAILURES).read_text(encoding="utf-8"))
    assert [(f["issue"], f["error"]) for f in log] == [(f"2023/issue-{BROKEN:03d}", "input")]
    assert "issue.yaml:8: issue.colour_plan: unknown key 'colour_plan'" in log[0]["message"]
    assert f"2023/issue-{BROKEN:03d}" in result.output and "issues/s" in result.output
    assert "built           9" in result.output and "failed          1" in result.output


def test_dask_local_cluster_gives_the_same_bytes(tree, local_run, tmp_path):
    pytest.importorskip("distributed")
    out, _ = local_run
    result = _batch(str(tree), "-o", str(tmp_path), "-j", "2", "--dask-local")
    assert result.exit_code == 1, result.output
    assert demo.tree_digest(tmp_path) == demo.tree_digest(out)
    assert len(demo.tree_digest(tmp_path)) == COUNT - 1


def test_resumed_runs_skip_what_is_up_to_date(tree, tmp_path):
    tree = _copy_tree(tree, tmp_path / "tree")
    out = tmp_path / "out"
    first = _batch(str(tree), "-o", str(out), "-j", "2")
    assert first.exit_code == 1
    before = demo.tree_digest(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}

    again = _batch(str(tree), "-o", str(out))  # the broken issue is retried, nothing else
    assert again.exit_code == 1
    assert "skipped         9" in again.output and "built           0" in again.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == mtimes

    broken = tree / "2023" / f"issue-{BROKEN:03d}" / "issue.yaml"
    broken.write_text(demo.issue_yaml(BROKEN), encoding="utf-8")  # fixed
    edited = tree / "2023" / "issue-005" / "issue.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("第5期稿件。", "第5期稿件（修订）。"), encoding="utf-8")
    (out / "2023" / "issue-008.pdf").write_bytes(b"%PDF-1.3 damaged")  # an output spoilt since
    fixed = _batch(str(tree), "-o", str(out))
    assert fixed.exit_code == 0, fixed.output
    assert "built           3" in fixed.output and "skipped         7" in fixed.output
    after = demo.tree_digest(out)
    assert after["2023/issue-008.pdf"] == before["2023/issue-008.pdf"]
    assert after["2023/issue-005.pdf"] != before["2023/issue-005.pdf"]
    assert json.loads((out / FAILURES).read_text(encoding="utf-8")) == []
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["issues"]
    assert sorted(manifest) == [f"2023/issue-{i:03d}" for i in range(COUNT)]

    last = _batch(str(tree), "-o", str(out))
    assert last.exit_code == 0 and "skipped        10" in last.output and "built           0" in last.output


def _copy_tree(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src, dst)
    return dst


def test_manifest_file_lists_issue_folders(tree, tmp_path):
    listing = tmp_path / "issues.txt"
    listing.write_text(f"# two issues\n{tree}/2023/issue-001\n{tree}/2023/issue-002  # the second\n", encoding="utf-8")
    jobs = find_jobs(listing)
    assert [Path(j.issue) for j in jobs] == [tree / "2023" / "issue-001", tree / "2023" / "issue-002"]
    assert [j.name for j in jobs] == ["issue-001", "issue-002"]  # outside the listing's folder
    (tree / "list.txt").write_text("2023/issue-001\n2023/issue-002\n2023/issue-001\n", encoding="utf-8")
    twice = _batch(str(tree / "list.txt"), "-o", str(tmp_path / "out"))
    assert twice.exit_code == 2 and "listed twice" in twice.output and "2023/issue-001" in twice.output
    (tree / "list.txt").unlink()


def test_a_crash_in_one_issue_becomes_an_outcome(tree, monkeypatch):
    import paperlayout.build as build

    def explode(*args, **kwargs):
        raise RuntimeError("planner bug")

    monkeypatch.setattr(build, "lay_out", explode)
    outcome = build_one(Job("x", str(tree / "2023" / "issue-000")), Options())
    assert (outcome.ok, outcome.error, outcome.message) == (False, "crash", "RuntimeError: planner bug")


def test_bad_scheduler_address_and_empty_tree_exit_2(tmp_path):
    bad = _batch(str(tmp_path), "-o", str(tmp_path / "out"), "--scheduler", "localhost:8786")
    assert bad.exit_code == 2 and "tcp://" in bad.output
    empty = _batch(str(tmp_path), "-o", str(tmp_path / "out"))
    assert empty.exit_code == 2 and "no issues found" in empty.output
    assert "Traceback" not in bad.output + empty.output


def test_scheduler_address_runs_on_that_cluster(tree, local_run, tmp_path):
    """--scheduler tcp://… sends the jobs to a running scheduler (here a LocalCluster started
    by the test); the PDFs are those of the local run."""
    distributed = pytest.importorskip("distributed")
    out, _ = local_run
    listing = tmp_path / "three.txt"
    listing.write_text("".join(f"{tree}/2023/issue-{i:03d}\n" for i in (0, 1, 2)), encoding="utf-8")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  scheduler_kwargs={"dashboard": False}) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        result = _batch(str(listing), "-o", str(tmp_path / "out"), "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    got = demo.tree_digest(tmp_path / "out")
    want = demo.tree_digest(out)
    assert len(got) == 3
    assert got == {f"issue-{i:03d}.pdf": want[f"2023/issue-{i:03d}.pdf"] for i in (0, 1, 2)}


def test_alto_written_per_page_and_part_of_being_up_to_date(tree, tmp_path):
    listing = tmp_path / "two.txt"
    listing.write_text(f"{tree}/2023/issue-000\n{tree}/2023/issue-001\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _batch(str(listing), "-o", str(out), "--alto")
    assert result.exit_code == 0, result.output
    alto = out / "issue-000" / "page-01.xml"
    assert alto.read_bytes().startswith(b"<?xml") and b"alto" in alto.read_bytes()[:400]
    alto.unlink()  # a missing ALTO file makes its issue out of date
    again = _batch(str(listing), "-o", str(out), "--alto")
    assert "built           1" in again.output and "skipped         1" in again.output and alto.is_file()
    plain = _batch(str(listing), "-o", str(out))  # other options: other inputs, rebuilt
    assert "built           2" in plain.output


def test_preflight_errors_fail_the_issue(tree, monkeypatch):
    """--preflight runs the press checks on every PDF; an error fails that issue with the report."""
    import paperlayout.preflight as preflight

    calls = []

    class Failed:
        errors = ("ink 260 % over the limit",)

        def format(self):
            return "error: ink 260 % over the limit"

    def fake(path, ink_limit):
        calls.append((Path(path).read_bytes()[:8], ink_limit))
        return Failed()

    monkeypatch.setattr(preflight, "preflight", fake)
    outcome = build_one(Job("x", str(tree / "2023" / "issue-000")), Options(preflight=True))
    assert (outcome.ok, outcome.error, outcome.message) == (False, "preflight", "error: ink 260 % over the limit")
    from paperlayout.styles import preset

    assert calls == [(b"%PDF-1.3", preset("tabloid").ink_limit)]  # the issue's style's limit


def test_interrupted_batch_keeps_what_was_built_and_resumes(tree, tmp_path):
    """An interruption after three issues (as Ctrl-C would): the manifest lists those three,
    and the next run builds only the rest."""
    from paperlayout.batch import run_batch

    jobs = [j for j in find_jobs(tree) if not j.name.endswith(f"{BROKEN:03d}")]
    seen = []

    def stop_after_three(outcome):
        seen.append(outcome.name)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(jobs, tmp_path, Options(), workers=2, on_done=stop_after_three)
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["issues"]
    assert sorted(manifest) == sorted(seen)
    summary = run_batch(jobs, tmp_path, Options(), workers=2)
    assert (summary.skipped, summary.built, summary.failed) == (3, len(jobs) - 3, {})


def test_mod_date_recorded_in_every_rebuilt_issue_and_part_of_the_input(tree, tmp_path):
    """`batch --mod-date`: each PDF's ModDate is the date given (a rebuild), its CreationDate
    stays the issue's date; changing it rebuilds every issue (it is part of the input)."""
    import pikepdf

    out = tmp_path / "out"
    first = _batch(str(tree), "-o", str(out), "--mod-date", "2026-11-29T10:30")
    assert first.exit_code == 1, first.output  # the broken issue
    pdf = next(p for p in sorted(out.rglob("*.pdf")))
    with pikepdf.open(pdf) as doc:
        assert str(doc.docinfo["/ModDate"]).startswith("D:20261129103000+08'00")
        assert not str(doc.docinfo["/CreationDate"]).startswith("D:2026")
    same = _batch(str(tree), "-o", str(out), "--mod-date", "2026-11-29T10:30")
    assert f"{COUNT - 1} up to date" in same.output
    other = _batch(str(tree), "-o", str(out), "--mod-date", "2026-11-30")
    assert "0 up to date" in other.output
    bad = _batch(str(tree), "-o", str(out), "--mod-date", "yesterday")
    assert bad.exit_code == 2 and "--mod-date" in bad.output and "Traceback" not in bad.output
