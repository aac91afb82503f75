"""The serve session's rebuilds in-process: an incremental rebuild after an edit gives the
same proofs as building the edited issue afresh; what triggers a whole rebuild."""

from __future__ import annotations

from paperlayout.serve import Session

from .conftest import SAMPLE, _copy_issue


def _urls(session: Session) -> list[str]:
    assert session.state["error"] is None, session.state["error"]
    return [p["url"] for p in session.state["pages"]]


def test_an_edit_rebuilds_the_page_as_a_fresh_build_would(tmp_path):
    folder = _copy_issue(SAMPLE, tmp_path / "issues")
    session = Session(folder, tmp_path / "out")
    session.build(None)
    first = _urls(session)
    yaml = folder / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("3月15日", "3月16日", 1), encoding="utf-8")
    session.build({str(yaml)})
    assert session.state["rendered"] == [1]
    edited = _urls(session)
    assert edited != first
    # the incremental layout and report are the pipeline's own
    from paperlayout.build import lay_out
    from paperlayout.loader import load_issue

    full = lay_out(load_issue(yaml))
    incremental = session._prev.laid
    assert session._prev.cache  # the planners of the incremental path (a full build keeps none)
    assert [r.frame for r in incremental.pages] == [r.frame for r in full.pages]
    assert incremental.report == full.report
    fresh = Session(folder, tmp_path / "fresh")
    fresh.build(None)
    assert _urls(fresh) == edited  # content-hashed names: the same image
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [edited[0].rsplit("/", 1)[1]]


def test_a_saved_file_that_did_not_change_the_page_redraws_nothing(tmp_path):
    folder = _copy_issue(SAMPLE, tmp_path / "issues")
    session = Session(folder, tmp_path / "out")
    session.build(None)
    yaml = folder / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    session.build({str(yaml)})
    assert session.state["rendered"] == []
    photo = next((folder / "photos").iterdir())
    session.build({str(photo)})  # a photo saved: everything is laid out and drawn again
    assert session.state["rendered"] == [1]


def test_a_proof_write_that_fails_leaves_no_file_under_its_content_name(tmp_path, monkeypatch):
    """A proof's name is its content hash and an existing name is never written again, so a
    half-written file under that name would be served broken from then on: the proof is
    written through a temporary file renamed into place (safeio.write_atomic)."""
    import io

    from PIL import Image

    from paperlayout import safeio

    folder = _copy_issue(SAMPLE, tmp_path / "issues")
    out = tmp_path / "out"

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safeio.os, "replace", disk_full)
    session = Session(folder, out)
    session.build(None)
    assert session.state["error"] is not None
    assert [p.name for p in out.iterdir() if p.suffix == ".jpg"] == []
    monkeypatch.undo()
    session = Session(folder, out)
    session.build(None)
    (url,) = _urls(session)
    data = (out / url.rsplit("/", 1)[1]).read_bytes()
    assert Image.open(io.BytesIO(data)).format == "JPEG"
