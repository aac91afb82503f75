"""Provenance and exact rebuilds (issue 12 part 4): bytes that do not depend on where the
issue, the code or the output profile sit; the Producer's version, commit and style; --mod-date."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from paperlayout import __version__
from paperlayout.cli import main
from paperlayout.provenance import parse_mod_date, producer, source_revision
from paperlayout.render.images import default_output_profile
from paperlayout.render.pdfx import OutputIntent, PdfMeta, content_fingerprint

SAMPLE = Path(__file__).resolve().parents[1] / "issues" / "dalate"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _build(issue: Path, out: Path, *extra: str) -> bytes:
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out), "--no-verify", "--no-preflight", *extra])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("standard", ["x1a", "x4"])
def test_bytes_do_not_depend_on_issue_or_profile_location(tmp_path, monkeypatch, standard):
    """Two copies of the sample in different folders, the output profile copied to two places and
    spelled once absolute, once relative with a detour: the same bytes (before the fix the X-4
    XMP IDs hashed the profile's path, and /ID with them)."""
    first, second = tmp_path / "a" / "dalate", tmp_path / "deeper" / "b" / "c" / "dalate"
    shutil.copytree(SAMPLE, first)
    shutil.copytree(SAMPLE, second)
    icc = default_output_profile().read_bytes()
    (tmp_path / "a" / "plant.icc").write_bytes(icc)
    (tmp_path / "deeper" / "icc").mkdir()
    (tmp_path / "deeper" / "icc" / "plant.icc").write_bytes(icc)
    one = _build(first, tmp_path / "one.pdf", "--pdfx", standard, "--output-intent", str(tmp_path / "a" / "plant.icc"))
    monkeypatch.chdir(tmp_path / "deeper" / "b")
    two = _build(Path("c/dalate"), tmp_path / "two.pdf", "--pdfx", standard, "--output-intent", "../icc/./../icc/plant.icc")
    assert one == two
    with pikepdf.open(io.BytesIO(one)) as pdf:
        ids = [bytes(x) for x in pdf.trailer.ID]
        assert len(ids) == 2 and len(ids[0]) == 16
        if standard == "x4":
            xmp = pdf.Root.Metadata.read_bytes().decode()
            assert re.search(r"<xmpMM:DocumentID>uuid:[0-9a-f-]{36}</xmpMM:DocumentID>", xmp)


def test_fingerprint_uses_profile_content_not_path(tmp_path):
    icc = default_output_profile().read_bytes()
    (tmp_path / "x.icc").write_bytes(icc)
    when = dt.datetime(2023, 3, 17, 5, tzinfo=BEIJING)
    a = PdfMeta(title="t", creation_date=when, output_intent=OutputIntent.from_profile(default_output_profile()))
    b = PdfMeta(title="t", creation_date=when, output_intent=OutputIntent.from_profile(tmp_path / "x.icc"))
    assert content_fingerprint(a, icc) == content_fingerprint(b, icc)
    assert content_fingerprint(a, icc) != content_fingerprint(a, icc + b"\0")  # the content does count
    assert str(tmp_path) not in content_fingerprint(b, icc).decode()


def test_producer_records_version_commit_and_style(tmp_path):
    pdf = _build(SAMPLE, tmp_path / "x.pdf")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        produced = str(doc.docinfo["/Producer"])
    revision = source_revision()
    assert produced == producer("broadsheet", revision)
    assert produced.startswith(f"paperlayout {__version__} (")
    assert produced.endswith("style broadsheet)")
    if revision:  # the tests run from a checkout: its commit is named
        assert f"git {revision[:12]};" in produced
    assert str(Path.cwd()) not in produced and "/" not in produced


def test_producer_without_checkout_omits_git():
    assert producer("tabloid+house", "") == f"paperlayout {__version__} (style tabloid+house)"
    assert producer("broadsheet", "0123456789abcdef0123456789abcdef01234567") == (
        f"paperlayout {__version__} (git 0123456789ab; style broadsheet)")


COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_source_revision_reads_git_files(tmp_path):
    assert source_revision(tmp_path) is None  # not a checkout
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    assert source_revision(tmp_path / "repo") is None  # unborn branch
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{COMMIT} refs/heads/main\n")
    assert source_revision(tmp_path / "repo") == COMMIT
    other = "f" * 40
    (git / "refs" / "heads" / "main").write_text(other + "\n")
    assert source_revision(tmp_path / "repo") == other  # a loose ref wins over packed-refs
    (git / "HEAD").write_text(COMMIT + "\n")
    assert source_revision(tmp_path / "repo") == COMMIT  # detached
    # a worktree: .git is a file naming its git dir, refs live in the common dir
    wt_git = git / "worktrees" / "wt"
    wt_git.mkdir(parents=True)
    (wt_git / "HEAD").write_text("ref: refs/heads/main\n")
    (wt_git / "commondir").write_text("../..\n")
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text(f"gitdir: {wt_git}\n")
    assert source_revision(tmp_path / "wt") == other


def test_parse_mod_date():
    assert parse_mod_date("2026-11-29") == dt.datetime(2026, 11, 29, tzinfo=BEIJING)
    assert parse_mod_date("2026-11-29T10:30:00+00:00") == dt.datetime(2026, 11, 29, 10, 30, tzinfo=dt.timezone.utc)
    fixed = dt.datetime(2026, 11, 29, 4, 0, 1, 999, tzinfo=dt.timezone.utc)
    assert parse_mod_date("now", now=fixed) == fixed.replace(microsecond=0)
    with pytest.raises(ValueError, match="neither 'now' nor an ISO 8601 date"):
        parse_mod_date("yesterday")


def test_mod_date_option(tmp_path):
    default = _build(SAMPLE, tmp_path / "d.pdf", "--pdfx", "x4")
    with pikepdf.open(io.BytesIO(default)) as doc:
        assert str(doc.docinfo["/CreationDate"]) == "D:20230317050000+08'00'"
        assert str(doc.docinfo["/ModDate"]) == "D:20230317050000+08'00'"  # no clock by default
    again = _build(SAMPLE, tmp_path / "m.pdf", "--pdfx", "x4", "--mod-date", "2026-11-29T10:00")
    with pikepdf.open(io.BytesIO(again)) as doc:
        assert str(doc.docinfo["/CreationDate"]) == "D:20230317050000+08'00'"
        assert str(doc.docinfo["/ModDate"]) == "D:20261129100000+08'00'"
        xmp = doc.Root.Metadata.read_bytes().decode()
        assert "<xmp:ModifyDate>2026-11-29T10:00:00+08:00</xmp:ModifyDate>" in xmp
        assert "<xmp:CreateDate>2023-03-17T05:00:00+08:00</xmp:CreateDate>" in xmp
    assert again != default  # versions can be told apart
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(tmp_path / "bad.pdf"), "--mod-date", "soon"])
    assert result.exit_code == 2 and "--mod-date" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "bad.pdf").exists()
